// Pairing expected calls with actual calls.
//
// Greedy in-order pairing (what BFCL does) can miss a pairing that exists: expected A accepts calls x or y,
// expected B only x; actual [x, y] → greedy gives A←x and leaves B unmatched. The scorers that average over
// expected calls use a maximum-weight assignment instead (Hungarian algorithm, O(n³), n = calls in one case).

/** One pair per expected call: the index of the actual call, or null when it has none. */
export type Assignment = Array<number | null>;

/**
 * Maximum-weight assignment of rows (expected calls) to columns (actual calls); weights are ≥ 0. Every row gets a
 * column while columns last, so the number of pairs is min(rows, cols) (zero-weight pairs included: an actual call
 * left unpaired would otherwise count as "extra" on top of the expected call's zero).
 */
export function maxWeightAssignment(weights: number[][], cols: number): Assignment {
  const rows = weights.length;
  if (rows === 0) return [];
  if (cols === 0) return new Array<number | null>(rows).fill(null);
  const n = Math.max(rows, cols);
  let maxW = 0;
  for (const row of weights) for (const w of row) if (w > maxW) maxW = w;
  // Square cost matrix (1-based, as the classic potentials formulation); padding costs maxW (weight 0).
  const cost = (i: number, j: number): number => {
    if (i > rows || j > cols) return maxW;
    return maxW - (weights[i - 1]?.[j - 1] ?? 0);
  };
  const INF = Number.POSITIVE_INFINITY;
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0); // p[j] = row assigned to column j
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(INF);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0] ?? 0;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0, j) - (u[i0] ?? 0) - (v[j] ?? 0);
        if (cur < (minv[j] ?? INF)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] ?? INF) < delta) {
          delta = minv[j] ?? INF;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j] ?? 0] = (u[p[j] ?? 0] ?? 0) + delta;
          v[j] = (v[j] ?? 0) - delta;
        } else {
          minv[j] = (minv[j] ?? INF) - delta;
        }
      }
      j0 = j1;
    } while ((p[j0] ?? 0) !== 0);
    do {
      const j1 = way[j0] ?? 0;
      p[j0] = p[j1] ?? 0;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result: Assignment = new Array<number | null>(rows).fill(null);
  for (let j = 1; j <= n; j++) {
    const i = p[j] ?? 0;
    if (i >= 1 && i <= rows && j <= cols) result[i - 1] = j - 1;
  }
  return result;
}

/** Sum of the weights an assignment realises. */
export function assignmentWeight(weights: number[][], a: Assignment): number {
  let total = 0;
  a.forEach((j, i) => {
    if (j !== null) total += weights[i]?.[j] ?? 0;
  });
  return total;
}

/**
 * BFCL's pairing: for each expected call in order, the first still-unused actual call that passes.
 * Returns the pairs found; a row stays null when no remaining call passes for it.
 */
export function greedyInOrder(passes: boolean[][], cols: number): Assignment {
  const used = new Array<boolean>(cols).fill(false);
  return passes.map((row) => {
    for (let j = 0; j < cols; j++) {
      if (!used[j] && row[j]) {
        used[j] = true;
        return j;
      }
    }
    return null;
  });
}

/** Maximum-cardinality matching on a 0/1 compatibility matrix (pairs only where compatible). */
export function maxCompatibleMatching(passes: boolean[][], cols: number): Assignment {
  const a = maxWeightAssignment(
    passes.map((row) => row.map((ok) => (ok ? 1 : 0))),
    cols,
  );
  return a.map((j, i) => (j !== null && passes[i]?.[j] ? j : null));
}
