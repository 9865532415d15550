/** A run's report in the four output formats: table (terminal), json (machine, and a later baseline), junit, markdown. */
import type { Distribution } from "../shared/metrics.ts";
import type { RunResults } from "./local-run.ts";
import type { RemoteRun } from "./remote-run.ts";
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

function textTable(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(w[i]!))
      .join("  ")
      .trimEnd();
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

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

const cell = (s: string) => s.replaceAll("|", "\\|").replace(/\s+/g, " ");
function mdTable(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`)].join("\n");
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

// biome-ignore lint/complexity/useRegexLiterals: a literal would trip noControlCharactersInRegex
const CONTROL_CHARS = new RegExp("[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]", "g");
const xml = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    // Control characters other than tab and newlines are not allowed in XML 1.0.
    .replace(CONTROL_CHARS, "");

/** One testcase per assertion per model (and scope), and one per baseline gate; undecided gates are skipped. */
export function renderJunit(r: Report): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const a of r.assertions) {
    const name = `${a.assertion}${a.scope ? ` [${a.scope}]` : ""}`;
    const classname = `llm-bench.${a.provider ? `${a.provider}.` : ""}${a.model_id}`;
    if (a.passed) cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}"/>`);
    else {
      failures++;
      cases.push(
        `    <testcase classname="${xml(classname)}" name="${xml(name)}">\n      <failure message="${xml(a.message)}">${xml(`${a.assertion}: ${a.message}`)}</failure>\n    </testcase>`,
      );
    }
  }
  for (const g of r.gates) {
    const name = `baseline ${g.gate} [${g.scope}]`;
    const classname = `llm-bench.${g.provider}.${g.model_id}`;
    if (g.outcome === "pass") cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}"/>`);
    else if (g.outcome === "fail") {
      failures++;
      cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}">\n      <failure message="${xml(g.statement)}"/>\n    </testcase>`);
    } else {
      skipped++;
      cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}">\n      <skipped message="${xml(g.statement)}"/>\n    </testcase>`);
    }
  }
  const total = cases.length;
  const time = (r.duration_ms / 1000).toFixed(3);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="llm-bench" tests="${total}" failures="${failures}" skipped="${skipped}" time="${time}">
  <testsuite name="${xml(`llm-bench ${r.config}`)}" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${xml(r.started_at.replace(/Z$/, ""))}">
${cases.join("\n")}
  </testsuite>
</testsuites>
`;
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
