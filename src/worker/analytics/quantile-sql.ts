/**
 * Percentiles in SQLite, computed the way `percentile()` in src/shared/metrics.ts does (linear interpolation
 * between closest ranks at position (n − 1)·q), so a figure from SQL equals the one the app computes from the
 * same rows, to the last bit: the same doubles go through the same arithmetic.
 *
 * SQLite has no PERCENTILE_CONT; window functions rank each group's values and the two neighbours of the
 * position are picked out by rank.
 */

/** A trusted SQL identifier (column or CTE name) written by this module's callers, never user input. */
type Ident = string;

/**
 * Two CTE definitions (`<name>_ranked`, `<name>`) giving, per `keys` group of `source`, the quantiles `qs` of
 * `value` over its non-null values, plus `n`, the count of those values. Join `<name>` on `keys`.
 */
export function quantileCtes(name: Ident, source: Ident, keys: readonly Ident[], value: Ident, qs: Readonly<Record<Ident, number>>): string {
  const k = keys.join(", ");
  const picks = Object.entries(qs).map(([alias, q]) => {
    if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} out of range`);
    const pos = `((n - 1) * ${q})`;
    const lo = `CAST(${pos} AS INTEGER)`;
    const hi = `(${lo} + (${pos} > ${lo}))`;
    const at = (rank: string) => `MAX(CASE WHEN i = ${rank} THEN v END)`;
    return `${at(lo)} + (${at(hi)} - ${at(lo)}) * (${pos} - ${lo}) AS ${alias}`;
  });
  return `${name}_ranked AS (
    SELECT ${k}, ${value} AS v,
      ROW_NUMBER() OVER (PARTITION BY ${k} ORDER BY ${value}) - 1 AS i,
      COUNT(*) OVER (PARTITION BY ${k}) AS n
    FROM ${source} WHERE ${value} IS NOT NULL
  ),
  ${name} AS (
    SELECT ${k}, MAX(n) AS n, ${picks.join(", ")} FROM ${name}_ranked GROUP BY ${k}
  )`;
}
