/**
 * `llm-bench tune`'s outcome, its verdict (exit code) and its report in the CLI's four formats. Every figure and
 * every significance statement is the tuner's answer (`answerFromTrials`, the shared statistics module) as the
 * deployment shows it on its Param Tuner page; nothing is re-ranked here.
 */
import type { Significance } from "../shared/stats/index.ts";
import { TUNE_LIMITS } from "../shared/tuning/limits.ts";
import type { TargetView, TuneAnswer } from "../worker/param-tune/answer.ts";
import { EXIT } from "./command.ts";
import type { Format } from "./report.ts";
import { type JunitCase, junitDocument, mdCell, mdTable, textTable } from "./text-format.ts";

export interface TuneOutcome {
  mode: "local" | "remote";
  suite_name: string;
  strategy: string;
  seed: number;
  repeats: number;
  search_cases: number;
  holdout_cases: number;
  planned_trials: number;
  grid_trials: number;
  trials_run: number;
  answer: TuneAnswer;
  /** Trials whose call got no answer (they score 0, so the ranking cannot be trusted). */
  provider_errors: { model_id: string; combo: string; case_id: string | null; trials: number; message: string }[];
  /** Remote mode: where the tune is stored (the deployment's Param Tuner page shows it). */
  remote?: { url: string; tune_id: string; job_id: string; status: string };
}

export interface TuneReport extends TuneOutcome {
  llm_bench_version: string;
  config: string;
  started_at: string;
  duration_ms: number;
  /** Per target what the verdict read, in the order of `answer.targets`. */
  decisions: TargetDecision[];
  exit_code: number;
  verdict: string;
}

export interface TargetDecision {
  provider_key: string;
  model_id: string;
  model_name: string;
  /** decided: the statement is better / worse / not distinguishable; beaten: a combo beats the current settings. */
  outcome: "decided" | "insufficient_evidence" | "beaten";
  statement: string;
  more_repeats_needed: number | null;
  more_cases_needed: number | null;
}

const baselineOf = (t: TargetView) => t.combos.find((c) => c.baseline) ?? null;

/** The best combo's comparison with the current settings when the best is another combo (null otherwise). */
function againstBaseline(t: TargetView): Significance | null {
  const base = baselineOf(t);
  if (!base || !t.best_combo || t.best_combo === base.combo) return null;
  const found = t.comparisons.find(
    (s) =>
      (s as Significance & { candidate?: string }).candidate === t.best_combo &&
      (s as Significance & { roles?: string[] }).roles?.includes("baseline"),
  );
  return found ?? null;
}

export function decide(t: TargetView, failIfBeaten: boolean): TargetDecision {
  const head = { provider_key: t.provider_key, model_id: t.model_id, model_name: t.model_name };
  const s = t.significance;
  if (!s) {
    return {
      ...head,
      outcome: "insufficient_evidence",
      statement: t.statement || "no combo ran every search case, so there is nothing to compare",
      more_repeats_needed: null,
      more_cases_needed: null,
    };
  }
  const vsBaseline = againstBaseline(t);
  if (failIfBeaten && vsBaseline?.verdict === "better") {
    return { ...head, outcome: "beaten", statement: `${t.best_label}: ${vsBaseline.statement}`, more_repeats_needed: null, more_cases_needed: null };
  }
  if (s.verdict === "insufficient_evidence") {
    return {
      ...head,
      outcome: "insufficient_evidence",
      statement: s.statement,
      more_repeats_needed: s.more_repeats_needed,
      more_cases_needed: s.more_cases_needed,
    };
  }
  return { ...head, outcome: "decided", statement: s.statement, more_repeats_needed: null, more_cases_needed: null };
}

/** Exit code and verdict line: provider failures first (no verdict), then a beaten baseline, then undecided targets. */
export function tuneVerdict(outcome: TuneOutcome, decisions: TargetDecision[], interrupted: boolean): { code: number; text: string } {
  if (interrupted) return { code: EXIT.interrupted, text: `INTERRUPTED after ${outcome.trials_run} of about ${outcome.planned_trials} trials` };
  const failed = outcome.provider_errors.reduce((n, e) => n + e.trials, 0);
  if (failed) {
    return {
      code: EXIT.provider,
      text: `PROVIDER FAILURE: ${failed} trials got no answer (a failed call scores 0, so the ranking is not a verdict)`,
    };
  }
  const beaten = decisions.filter((d) => d.outcome === "beaten");
  if (beaten.length)
    return { code: EXIT.failed, text: `FAILED: a combo beats the current settings on ${beaten.map((d) => d.model_name).join(", ")}` };
  const undecided = decisions.filter((d) => d.outcome === "insufficient_evidence");
  if (undecided.length) {
    const repeats = Math.max(0, ...undecided.map((d) => d.more_repeats_needed ?? 0));
    const cases = Math.max(0, ...undecided.map((d) => d.more_cases_needed ?? 0));
    const more = repeats
      ? outcome.repeats + repeats <= TUNE_LIMITS.repeats.max
        ? ` (about ${repeats} more repeats per case would; rerun with --repeats ${outcome.repeats + repeats})`
        : ` (about ${repeats} more repeats per case would, beyond a tune's ${TUNE_LIMITS.repeats.max}: add cases to the suite)`
      : cases
        ? ` (about ${cases} more cases would)`
        : "";
    return { code: EXIT.insufficient, text: `INSUFFICIENT EVIDENCE: ${undecided.length} of ${decisions.length} models could not be decided${more}` };
  }
  return { code: EXIT.ok, text: "DECIDED" };
}

const num = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? "–" : x.toFixed(digits));
const usd = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(4)}`);

const COMBO_HEAD = ["", "combo", "score", "passed", "tool %", "param %", "latency p50 ms", "cost/case", "note"];
function comboRows(t: TargetView): string[][] {
  const rows = t.combos.map((c) => {
    const notes = [
      c.baseline ? "current settings" : "",
      c.eliminated ? `cut after rung ${c.rung_reached}` : "",
      c.violations.length ? c.violations.join("; ") : "",
      c.errors ? `${c.errors} errors` : "",
    ].filter(Boolean);
    return {
      score: c.overall_score ?? -1,
      row: [
        c.combo === t.best_combo ? "*" : "",
        c.label,
        num(c.overall_score, 3),
        `${c.cases_passed}/${c.cases_run}`,
        num(c.tool_accuracy, 1),
        num(c.param_accuracy, 1),
        num(c.latency_p50_ms),
        usd(c.cost_per_case),
        notes.join(", "),
      ],
    };
  });
  return rows.sort((a, b) => b.score - a.score).map((r) => r.row);
}

const heading = (r: TuneReport) =>
  `Parameter tune on "${r.suite_name}" (${r.strategy}, seed ${r.seed}, ${r.repeats} repeat${r.repeats > 1 ? "s" : ""}, ${r.search_cases} search cases${r.holdout_cases ? `, ${r.holdout_cases} held out` : ""}; ${r.trials_run} trials, the grid would take ${r.grid_trials})${r.remote ? ` on ${r.remote.url}, tune ${r.remote.tune_id}` : ", local"}`;

function targetLines(t: TargetView, d: TargetDecision | undefined): string[] {
  const ties = t.tied_for_best;
  const lines = [
    t.best_label
      ? `best: ${t.best_label} (score ${num(t.best_score, 3)})`
      : ties.length
        ? `best: none, ${ties.length} combos tie at the top (${ties.slice(0, 3).join("; ")}${ties.length > 3 ? "; …" : ""})`
        : "best: none (no combo ran every search case)",
  ];
  if (t.significance) lines.push(`significance: ${t.significance.statement}`);
  else if (t.statement) lines.push(t.statement);
  if (t.holdout) lines.push(`held-out check: ${t.holdout.statement}`);
  if (d?.outcome === "beaten") lines.push(`current settings beaten: ${d.statement}`);
  return lines;
}

export function tuneTable(r: TuneReport): string {
  const parts = [heading(r)];
  for (const [i, t] of r.answer.targets.entries()) {
    parts.push(
      `${t.model_name} (${t.provider_key}/${t.model_id})\n${textTable(COMBO_HEAD, comboRows(t))}\n${targetLines(t, r.decisions[i]).join("\n")}`,
    );
  }
  if (r.provider_errors.length) {
    const shown = r.provider_errors.slice(0, 10).map((e) => `  ${e.model_id} ${e.combo}${e.case_id ? ` case ${e.case_id}` : ""}: ${e.message}`);
    parts.push(`Provider failures\n${shown.join("\n")}${r.provider_errors.length > 10 ? `\n  … ${r.provider_errors.length - 10} more` : ""}`);
  }
  parts.push(r.verdict);
  return `${parts.join("\n\n")}\n`;
}

export function tuneMarkdown(r: TuneReport): string {
  const parts = [`## llm-bench tune: ${r.verdict}`, mdCell(heading(r))];
  for (const [i, t] of r.answer.targets.entries()) {
    parts.push(
      `### ${mdCell(t.model_name)}\n\n${mdTable(COMBO_HEAD, comboRows(t))}\n\n${targetLines(t, r.decisions[i])
        .map((l) => `- ${l}`)
        .join("\n")}`,
    );
  }
  return `${parts.join("\n\n")}\n`;
}

/** One testcase per model: passes when decided, fails when a combo beats the current settings (--fail-if-beaten), skipped when undecided. */
export function tuneJunit(r: TuneReport): string {
  const cases = r.decisions.map(
    (d): JunitCase => ({
      classname: `llm-bench.tune.${d.provider_key}.${d.model_id}`,
      name: `tune ${r.suite_name}: best combo vs current settings`,
      outcome: d.outcome === "decided" ? "pass" : d.outcome === "beaten" ? "fail" : "skipped",
      message: d.statement,
      ...(d.outcome === "beaten" ? { detail: d.statement } : {}),
    }),
  );
  return junitDocument(`llm-bench tune ${r.config}`, r.started_at, r.duration_ms, cases);
}

export function renderTune(r: TuneReport, format: Format): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(r, null, 2)}\n`;
    case "junit":
      return tuneJunit(r);
    case "markdown":
      return tuneMarkdown(r);
    default:
      return tuneTable(r);
  }
}
