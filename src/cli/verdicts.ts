/**
 * What decides the exit code: the config's assertions (one outcome per assertion per model, and per tier or eval),
 * and the baseline gates, decided by the shared statistics module (src/shared/stats/gate.ts) with its third
 * outcome, insufficient evidence.
 */
import { readFileSync } from "node:fs";
import { latencyGate, scoreGate } from "../shared/stats/index.ts";
import { CliError, EXIT } from "./command.ts";
import type { AssertionConfig, BaselineConfig, Operator } from "./config.ts";
import type { EvalResult, RunResults, SpeedResult } from "./local-run.ts";

export interface AssertionOutcome {
  assertion: string;
  provider: string;
  model_id: string;
  model_name: string;
  /** "tier 1000" for speed metrics, the eval's name for score. */
  scope: string;
  actual: number | null;
  passed: boolean;
  message: string;
}

export interface GateResult {
  gate: "score" | "ttft_p95";
  provider: string;
  model_id: string;
  model_name: string;
  scope: string;
  outcome: "pass" | "fail" | "insufficient_evidence";
  statement: string;
  /** insufficient_evidence: repeats (score: per case; latency: runs per side) that would decide. */
  more_repeats_needed: number | null;
}

const compare: Record<Operator, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

function speedValue(a: AssertionConfig, r: SpeedResult): number | null {
  switch (a.metric) {
    case "ttft_p50_ms":
      return r.ttft_ms?.p50 ?? null;
    case "ttft_p95_ms":
      return r.ttft_ms?.p95 ?? null;
    case "output_tps_p50":
      return r.output_tps?.p50 ?? null;
    case "cost_per_run":
      return r.cost_usd?.mean ?? null;
    default:
      return null;
  }
}

const round = (x: number) => Number(x.toPrecision(4));

export function checkAssertions(assertions: readonly AssertionConfig[], results: RunResults): AssertionOutcome[] {
  const out: AssertionOutcome[] = [];
  for (const a of assertions) {
    const matched: { row: SpeedResult | EvalResult; scope: string; value: number | null; why: string }[] = [];
    if (a.metric === "score") {
      for (const r of results.evals) {
        if ((a.model && r.model_id !== a.model) || (a.eval && r.eval !== a.eval)) continue;
        matched.push({ row: r, scope: r.eval, value: r.score, why: "" });
      }
    } else {
      for (const r of results.speed) {
        if ((a.model && r.model_id !== a.model) || (a.tier !== undefined && r.tier !== a.tier) || r.skipped) continue;
        const why =
          r.runs === 0
            ? "no successful run"
            : a.metric === "cost_per_run"
              ? "no price for this model (set input/output_cost_per_mtok)"
              : "not measured";
        matched.push({ row: r, scope: `tier ${r.tier}`, value: speedValue(a, r), why });
      }
    }
    if (!matched.length) {
      out.push({
        assertion: a.text,
        provider: "",
        model_id: a.model ?? "*",
        model_name: a.model ?? "every model",
        scope: a.eval ?? (a.tier !== undefined ? `tier ${a.tier}` : ""),
        actual: null,
        passed: false,
        message: "matched no result (check its model, eval or tier)",
      });
      continue;
    }
    for (const m of matched) {
      const passed = m.value !== null && compare[a.op](m.value, a.value);
      out.push({
        assertion: a.text,
        provider: m.row.provider,
        model_id: m.row.model_id,
        model_name: m.row.model_name,
        scope: m.scope,
        actual: m.value === null ? null : round(m.value),
        passed,
        message: m.value === null ? `no value: ${m.why}` : `${a.metric} = ${round(m.value)}`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- baseline

export function loadBaseline(file: string): RunResults {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(`baseline.file ${file}: ${(e as Error).message}`, EXIT.input);
  }
  // A report from `run --format json` (its results), or bare results.
  const d = ((doc as { results?: unknown } | null)?.results ?? doc) as Partial<RunResults> | null;
  if (!d || !Array.isArray(d.speed) || !Array.isArray(d.evals)) {
    throw new CliError(`baseline.file ${file}: not a results file (write one with llm-bench run --format json --output FILE)`, EXIT.input);
  }
  return { speed: d.speed, evals: d.evals };
}

export function checkGates(baseline: BaselineConfig, base: RunResults, results: RunResults): GateResult[] {
  const out: GateResult[] = [];
  if (baseline.ttft_p95_increase_pct !== undefined) {
    for (const r of results.speed) {
      if (r.skipped) continue;
      const b = base.speed.find((x) => x.provider === r.provider && x.model_id === r.model_id && x.tier === r.tier);
      const common = { gate: "ttft_p95" as const, provider: r.provider, model_id: r.model_id, model_name: r.model_name, scope: `tier ${r.tier}` };
      if (!b) {
        out.push({ ...common, outcome: "insufficient_evidence", statement: "not in the baseline", more_repeats_needed: null });
        continue;
      }
      const g = latencyGate(r.ttft_samples, b.ttft_samples ?? [], baseline.ttft_p95_increase_pct);
      out.push({ ...common, outcome: g.outcome, statement: g.statement, more_repeats_needed: g.more_runs_needed });
    }
  }
  if (baseline.max_drop !== undefined) {
    for (const r of results.evals) {
      const b = base.evals.find((x) => x.eval === r.eval && x.provider === r.provider && x.model_id === r.model_id);
      const common = { gate: "score" as const, provider: r.provider, model_id: r.model_id, model_name: r.model_name, scope: r.eval };
      if (!b) {
        out.push({ ...common, outcome: "insufficient_evidence", statement: "not in the baseline", more_repeats_needed: null });
        continue;
      }
      const scored = (x: EvalResult) => x.results.map((c) => ({ caseId: c.case_id, score: c.score }));
      const g = scoreGate(scored(r), scored(b), baseline.max_drop);
      out.push({ ...common, outcome: g.outcome, statement: g.statement, more_repeats_needed: g.more_repeats_needed ?? g.more_cases_needed });
    }
  }
  return out;
}
