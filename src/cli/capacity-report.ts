/**
 * `llm-bench capacity`'s report in the CLI's four formats. Every figure (levels, knee, SLO limit, stop reason) is
 * the deployment's stored probe as GET /api/capacity/history/{id} returns it: nothing is recomputed here.
 */
import type { CapacityEstimate, CapacityLevelResult, CapacityRunDetail, CapacityStopReason } from "../shared/capacity.ts";
import type { Format } from "./report.ts";
import { type JunitCase, junitDocument, mdCell, mdTable, textTable } from "./text-format.ts";

export interface CapacityAssertionOutcome {
  assertion: string;
  provider_key: string;
  model_id: string;
  passed: boolean;
  message: string;
}

export interface CapacityReport {
  llm_bench_version: string;
  started_at: string;
  duration_ms: number;
  url: string;
  job_id: string;
  /** How the job ended on the deployment. */
  job_end: string;
  estimate: CapacityEstimate;
  run: CapacityRunDetail;
  assertions: CapacityAssertionOutcome[];
  exit_code: number;
  verdict: string;
}

const num = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? "–" : x.toFixed(digits));
const level = (x: number | null) => (x === null ? "none" : String(x));

const STOP_WHY: Record<CapacityStopReason, string> = {
  errors: "errors above 5 %",
  rate_limited: "429s above 5 %",
  slo: "the SLO broke",
  budget: "the budget ran out",
  cancelled: "cancelled",
};

/** The live line for one finished level (stderr while the probe runs). */
export function levelLine(name: string, l: CapacityLevelResult): string {
  const achieved = l.achieved_concurrency_mean === null ? "–" : l.achieved_concurrency_mean.toFixed(1);
  return `capacity ${name}: level ${l.level}: achieved ${achieved}/${l.requested_concurrency}${l.concurrency_short ? " (short)" : ""}, ${l.ok}/${l.requests} ok, TTFT p95 ${num(l.ttft_ms.p95)} ms, ITL p95 ${num(l.itl_ms.p95, 1)} ms, ${num(l.aggregate_output_tps, 1)} tok/s, goodput ${num(l.goodput_rps, 2)} req/s, SLO ${l.slo_met ? "met" : "missed"}`;
}

export function estimateLine(e: CapacityEstimate): string {
  const cost = e.cost_usd === null ? "cost unknown (a target has no price)" : `about $${e.cost_usd.toFixed(4)}`;
  return `estimate: at most ${e.requests} requests, ${e.input_tokens} input and ${e.output_tokens} output tokens, ${cost}`;
}

const LEVEL_HEAD = ["level", "achieved", "ok", "ttft p95 ms", "itl p95 ms", "agg tok/s", "goodput req/s", "slo"];
function levelRows(levels: CapacityLevelResult[]): string[][] {
  return levels.map((l) => [
    String(l.level),
    `${num(l.achieved_concurrency_mean, 1)}/${l.requested_concurrency}`,
    `${l.ok}/${l.requests}`,
    num(l.ttft_ms.p95),
    num(l.itl_ms.p95, 1),
    num(l.aggregate_output_tps, 1),
    num(l.goodput_rps, 2),
    l.slo_met ? "met" : "missed",
  ]);
}

function summaryOf(t: CapacityRunDetail["targets"][number]): string {
  const stop = t.stopped ? `stopped at level ${t.stopped.at_level} (${STOP_WHY[t.stopped.reason]})` : "ran the whole ladder";
  return `knee ${level(t.knee_level)}, highest level meeting the SLO ${level(t.max_level_meeting_slo)}, ${stop}`;
}

const sloText = (r: CapacityReport) => `SLO: TTFT p95 ≤ ${r.run.config.slo.ttft_ms} ms, ITL p95 ≤ ${r.run.config.slo.itl_p95_ms} ms`;

export function capacityTable(r: CapacityReport): string {
  const parts = [`Capacity probe ${r.run.id} on ${r.url} (${r.run.config.loop} loop, ${r.run.status}); ${sloText(r)}`];
  for (const t of r.run.targets) {
    parts.push(`${t.display_name} (${t.provider_key}/${t.model_id})\n${textTable(LEVEL_HEAD, levelRows(t.levels))}\n${summaryOf(t)}`);
  }
  if (r.assertions.length) {
    parts.push(`Assertions\n${r.assertions.map((a) => `${a.passed ? "PASS" : "FAIL"}  ${a.assertion}  [${a.model_id}]  ${a.message}`).join("\n")}`);
  }
  parts.push(r.verdict);
  return `${parts.join("\n\n")}\n`;
}

export function capacityMarkdown(r: CapacityReport): string {
  const parts = [`## llm-bench capacity: ${r.verdict}`, `Probe \`${r.run.id}\` (${r.run.config.loop} loop, ${r.run.status}); ${sloText(r)}`];
  for (const t of r.run.targets) parts.push(`### ${mdCell(t.display_name)}\n\n${mdTable(LEVEL_HEAD, levelRows(t.levels))}\n\n${summaryOf(t)}`);
  if (r.assertions.length) {
    parts.push(
      `### Assertions\n\n${mdTable(
        ["", "assertion", "model", "result"],
        r.assertions.map((a) => [a.passed ? "✅" : "❌", `\`${a.assertion}\``, a.model_id, a.message]),
      )}`,
    );
  }
  return `${parts.join("\n\n")}\n`;
}

/** One testcase per assertion per target. */
export function capacityJunit(r: CapacityReport): string {
  const cases = r.assertions.map(
    (a): JunitCase => ({
      classname: `llm-bench.capacity.${a.provider_key}.${a.model_id}`,
      name: a.assertion,
      outcome: a.passed ? "pass" : "fail",
      message: a.message,
      detail: `${a.assertion}: ${a.message}`,
    }),
  );
  return junitDocument(`llm-bench capacity ${r.run.id}`, r.started_at, r.duration_ms, cases);
}

export function renderCapacity(r: CapacityReport, format: Format): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(r, null, 2)}\n`;
    case "junit":
      return capacityJunit(r);
    case "markdown":
      return capacityMarkdown(r);
    default:
      return capacityTable(r);
  }
}
