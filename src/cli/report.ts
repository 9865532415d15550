/** A run's report in the four output formats: table (terminal), json (machine, and a later baseline), junit, markdown. */
import type { Distribution } from "../shared/metrics.ts";
import type { RunResults } from "./local-run.ts";
import type { RemoteRun } from "./remote-run.ts";
import { type JunitCase, junitDocument, mdTable, textTable } from "./text-format.ts";
import type { AssertionOutcome, GateResult } from "./verdicts.ts";

export const FORMATS = ["table", "json", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface Report {
  llm_bench_version: string;
  config: string;
  started_at: string;
  duration_ms: number;
  results: RunResults;
  assertions: AssertionOutcome[];
  gates: GateResult[];
  exit_code: number;
  verdict: string;
  /** Remote mode: the deployment and the runs it stored (in the user's history there). */
  remote?: { url: string; runs: RemoteRun[] };
}

const num = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined ? "–" : x.toFixed(digits));
const usd = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(4)}`);
const p = (d: Distribution | null, k: "p50" | "p95", digits = 0) => num(d?.[k], digits);

function speedRows(r: Report): string[][] {
  return r.results.speed.map((s) => [
    s.model_name,
    s.provider,
    String(s.tier),
    s.skipped ? "skipped" : `${s.runs}${s.failures ? ` (+${s.failures} failed)` : ""}`,
    p(s.ttft_ms, "p50"),
    p(s.ttft_ms, "p95"),
    p(s.output_tps, "p50", 1),
    usd(s.cost_usd?.mean),
  ]);
}
const SPEED_HEAD = ["model", "provider", "tier", "runs", "ttft p50 ms", "ttft p95 ms", "tok/s p50", "cost/run"];

function evalRows(r: Report): string[][] {
  return r.results.evals.map((e) => [
    e.eval,
    e.model_name,
    e.provider,
    `${e.passed}/${e.cases}`,
    e.score.toFixed(3),
    e.provider_errors ? String(e.provider_errors) : "",
  ]);
}
const EVAL_HEAD = ["eval", "model", "provider", "passed", "score", "errors"];

const mark = (passed: boolean) => (passed ? "PASS" : "FAIL");
const gateMark = (o: GateResult["outcome"]) => (o === "pass" ? "PASS" : o === "fail" ? "FAIL" : "UNDECIDED");

export function renderTable(r: Report): string {
  const parts: string[] = [];
  if (r.results.speed.length) parts.push(`Speed\n${textTable(SPEED_HEAD, speedRows(r))}`);
  if (r.results.evals.length) parts.push(`Tool evals\n${textTable(EVAL_HEAD, evalRows(r))}`);
  if (r.assertions.length) {
    parts.push(
      `Assertions\n${r.assertions
        .map((a) => `${mark(a.passed)}  ${a.assertion}  [${a.model_name}${a.scope ? `, ${a.scope}` : ""}]  ${a.message}`)
        .join("\n")}`,
    );
  }
  if (r.gates.length) {
    parts.push(
      `Baseline gates\n${r.gates.map((g) => `${gateMark(g.outcome)}  ${g.gate}  [${g.model_name}, ${g.scope}]  ${g.statement}`).join("\n")}`,
    );
  }
  if (r.remote) parts.push(`On ${r.remote.url}\n${r.remote.runs.map((x) => `${x.kind} run ${x.id} (job ${x.job_id}, ${x.status})`).join("\n")}`);
  parts.push(r.verdict);
  return `${parts.join("\n\n")}\n`;
}

export function renderJson(r: Report): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function renderMarkdown(r: Report): string {
  const parts = [`## llm-bench: ${r.verdict}`];
  if (r.results.speed.length) parts.push(`### Speed\n\n${mdTable(SPEED_HEAD, speedRows(r))}`);
  if (r.results.evals.length) parts.push(`### Tool evals\n\n${mdTable(EVAL_HEAD, evalRows(r))}`);
  if (r.assertions.length) {
    parts.push(
      `### Assertions\n\n${mdTable(
        ["", "assertion", "model", "scope", "result"],
        r.assertions.map((a) => [a.passed ? "✅" : "❌", `\`${a.assertion}\``, a.model_name, a.scope, a.message]),
      )}`,
    );
  }
  if (r.gates.length) {
    parts.push(
      `### Baseline gates\n\n${mdTable(
        ["", "gate", "model", "scope", "statement"],
        r.gates.map((g) => [g.outcome === "pass" ? "✅" : g.outcome === "fail" ? "❌" : "❔", g.gate, g.model_name, g.scope, g.statement]),
      )}`,
    );
  }
  return `${parts.join("\n\n")}\n`;
}

/** One testcase per assertion per model (and scope), and one per baseline gate; undecided gates are skipped. */
export function renderJunit(r: Report): string {
  const cases: JunitCase[] = [
    ...r.assertions.map(
      (a): JunitCase => ({
        classname: `llm-bench.${a.provider ? `${a.provider}.` : ""}${a.model_id}`,
        name: `${a.assertion}${a.scope ? ` [${a.scope}]` : ""}`,
        outcome: a.passed ? "pass" : "fail",
        message: a.message,
        detail: `${a.assertion}: ${a.message}`,
      }),
    ),
    ...r.gates.map(
      (g): JunitCase => ({
        classname: `llm-bench.${g.provider}.${g.model_id}`,
        name: `baseline ${g.gate} [${g.scope}]`,
        outcome: g.outcome === "pass" ? "pass" : g.outcome === "fail" ? "fail" : "skipped",
        message: g.statement,
      }),
    ),
  ];
  return junitDocument(`llm-bench ${r.config}`, r.started_at, r.duration_ms, cases);
}

export function render(r: Report, format: Format): string {
  switch (format) {
    case "json":
      return renderJson(r);
    case "junit":
      return renderJunit(r);
    case "markdown":
      return renderMarkdown(r);
    default:
      return renderTable(r);
  }
}
