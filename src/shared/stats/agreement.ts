/**
 * Agreement and preference between two raters or two arms, for the LLM judge.
 *
 * - Sign test (judge compare: per case the judge prefers A, B, or calls a tie): ties are dropped, as the classic
 *   sign test does, and the wins of A among the decided cases are tested against Binomial(n, ½), exact two-sided.
 *   The verdict also goes through `pairedVerdict`: each case becomes a pass/fail pair (A preferred → A 1, B 0;
 *   B preferred → 0, 1; tie → 0, 0), so the difference is the net win rate in points with its bootstrap
 *   interval, and McNemar's exact p on those pairs is the sign test's p.
 * - Cohen's kappa (judge calibration against reference labels): κ = (p_o − p_e) / (1 − p_e), p_o the observed
 *   agreement, p_e the agreement expected from the two raters' marginal frequencies (Cohen 1960). Undefined
 *   (null) when p_e = 1: both raters gave one and the same label to everything.
 * - False-pass rate: of the items the reference fails, the share the judge passes. False-fail rate: of the items
 *   the reference passes, the share the judge fails. Null when the reference has no such item.
 */
import type { BootstrapOptions } from "./bootstrap.ts";
import { bootstrapEstimates, percentileInterval, resolveBootstrap } from "./bootstrap.ts";
import { binomialHalfTwoSidedP } from "./distributions.ts";
import { type PairedOptions, pairedTest, type ScoredCase } from "./paired.ts";
import { createRng } from "./random.ts";
import { pairedVerdict, type Significance, type VerdictOptions } from "./verdict.ts";

/** Exact two-sided sign test: `wins` for one side and `losses` for the other, ties already left out. */
export function signTest(wins: number, losses: number): number {
  for (const x of [wins, losses]) if (!Number.isInteger(x) || x < 0) throw new RangeError(`sign test counts must be whole numbers ≥ 0, got ${x}`);
  return binomialHalfTwoSidedP(wins, wins + losses);
}

export type Preference = "a" | "b" | "tie";

export interface PreferenceComparison {
  wins_a: number;
  wins_b: number;
  ties: number;
  /** Exact two-sided sign test on wins_a vs wins_b. */
  sign_test_p: number;
  /** A against B: diff is the net win rate (wins_a − wins_b) / cases, in points. */
  significance: Significance;
}

/** Judge compare: one preference per case, in the judge's words mapped to a/b/tie. */
export function comparePreferences(
  preferences: ReadonlyArray<{ caseId: string; winner: Preference }>,
  labelB: string,
  options: PairedOptions & VerdictOptions = {},
): PreferenceComparison {
  const a: ScoredCase[] = [];
  const b: ScoredCase[] = [];
  let winsA = 0;
  let winsB = 0;
  for (const { caseId, winner } of preferences) {
    if (winner === "a") winsA++;
    if (winner === "b") winsB++;
    a.push({ caseId, score: winner === "a" ? 1 : 0 });
    b.push({ caseId, score: winner === "b" ? 1 : 0 });
  }
  const test = pairedTest(a, b, options);
  return {
    wins_a: winsA,
    wins_b: winsB,
    ties: preferences.length - winsA - winsB,
    sign_test_p: signTest(winsA, winsB),
    significance: pairedVerdict(test, labelB, { unit: "pts net wins", ...options }),
  };
}

/** Cohen's kappa of a square confusion table (rows: one rater, columns: the other, same label order). */
export function cohenKappa(table: readonly (readonly number[])[]): number | null {
  const k = table.length;
  let n = 0;
  let agree = 0;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError("the confusion table must be square");
    row.forEach((count, j) => {
      if (!(Number.isFinite(count) && count >= 0)) throw new RangeError(`table counts must be ≥ 0, got ${count}`);
      n += count;
      rows[i]! += count;
      cols[j]! += count;
      if (i === j) agree += count;
    });
  });
  if (n === 0) return null;
  const po = agree / n;
  let pe = 0;
  for (let i = 0; i < k; i++) pe += (rows[i]! / n) * (cols[i]! / n);
  if (pe >= 1) return null;
  return (po - pe) / (1 - pe);
}

export interface Calibration {
  n: number;
  /** Label order of the table's rows (reference) and columns (judge). */
  labels: string[];
  /** table[i][j]: items the reference labelled labels[i] and the judge labels[j]. */
  table: number[][];
  observed_agreement: number | null;
  kappa: number | null;
  /** Percentile bootstrap over items; null with fewer than two items or no defined kappa. */
  kappa_ci: [number, number] | null;
  ci_level: number;
  false_pass_rate: number | null;
  false_fail_rate: number | null;
  statement: string;
}

/**
 * Judge calibration: the judge's label for each item against a reference label (a human's, or the automated
 * pass/fail). `passLabel` names the label that means "pass" for the false-pass / false-fail rates.
 */
export function calibration(
  items: ReadonlyArray<{ reference: string; judged: string }>,
  options: BootstrapOptions & { passLabel?: string } = {},
): Calibration {
  const passLabel = options.passLabel ?? "pass";
  const { seed, resamples, level } = resolveBootstrap(options);
  const labels = [...new Set(items.flatMap((x) => [x.reference, x.judged]))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const codes = items.map((x) => [index.get(x.reference)!, index.get(x.judged)!] as const);
  const tableOf = (pick: (i: number) => number, n: number) => {
    const t = labels.map(() => new Array<number>(labels.length).fill(0));
    for (let i = 0; i < n; i++) {
      const [r, j] = codes[pick(i)]!;
      t[r]![j]!++;
    }
    return t;
  };
  const n = items.length;
  const table = tableOf((i) => i, n);
  const kappa = cohenKappa(table);
  const kappaCi =
    n >= 2 && kappa !== null
      ? percentileInterval(
          bootstrapEstimates([n], ([d]) => cohenKappa(tableOf((i) => d![i]!, n)) ?? Number.NaN, createRng(seed), resamples),
          level,
        )
      : null;
  const refFail = items.filter((x) => x.reference !== passLabel);
  const refPass = items.filter((x) => x.reference === passLabel);
  const falsePass = refFail.length ? refFail.filter((x) => x.judged === passLabel).length / refFail.length : null;
  const falseFail = refPass.length ? refPass.filter((x) => x.judged !== passLabel).length / refPass.length : null;
  const observed = n ? codes.filter(([r, j]) => r === j).length / n : null;
  const pct = (x: number | null) => (x === null ? "n/a" : `${(100 * x).toFixed(0)}%`);
  const statement =
    kappa === null
      ? `agreement cannot be measured: ${n === 0 ? "no items" : "both gave every item the same label"}`
      : `kappa ${kappa.toFixed(2)}${kappaCi ? ` [${kappaCi[0].toFixed(2)}, ${kappaCi[1].toFixed(2)}]` : " (one item: no interval)"} on ${n} item${n === 1 ? "" : "s"}; ` +
        `false pass ${pct(falsePass)}, false fail ${pct(falseFail)}`;
  return {
    n,
    labels,
    table,
    observed_agreement: observed,
    kappa,
    kappa_ci: kappaCi,
    ci_level: level,
    false_pass_rate: falsePass,
    false_fail_rate: falseFail,
    statement,
  };
}
