/**
 * `npm run bench [-- --quick] [-- --only fidelity,overhead]`: runs the scenarios of bench/scenarios/index.ts one
 * after another, each on its own block of 20 ports from 9100 (+ TEST_PORT_OFFSET), prints every figure with its bar as it goes, and
 * writes bench/results/<date>.json + .md (a full run also refreshes bench/results/latest.md; quick and partial
 * runs write <date>-quick / <date>-partial files instead). Exit status 1 only when a scenario is broken (threw:
 * crash, lost or duplicated result); a missed bar is reported, never fatal.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../scripts/stack.ts";
import { ensureWebBuilt } from "./lib/app.ts";
import { type BenchReport, figureLine, markdown, type ScenarioOutcome } from "./lib/report.ts";
import { PORTS_PER_SCENARIO } from "./lib/scenario.ts";
import { SCENARIOS } from "./scenarios/index.ts";

/** TEST_PORT_OFFSET shifts the blocks as it shifts the tests' ports, so two checkouts can bench side by side. */
const PORT_BASE = 9100 + Number(process.env.TEST_PORT_OFFSET ?? 0);
const RESULTS = path.join(ROOT, "bench", "results");

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } } });
const quick = values.quick === true;
const only = values.only
  ? values.only
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
  : null;
const unknown = (only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
if (unknown.length) {
  console.error(`Unknown scenario(s): ${unknown.join(", ")}. Known: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  process.exit(2);
}

const startedAt = new Date();
const loadAtStart = os.loadavg();
const t0 = performance.now();
console.log(
  `Benchmark suite${quick ? " (quick)" : ""}: ${SCENARIOS.filter((s) => !only || only.includes(s.id))
    .map((s) => s.id)
    .join(", ")}`,
);
ensureWebBuilt();

const outcomes: ScenarioOutcome[] = [];
for (const [index, scenario] of SCENARIOS.entries()) {
  if (only && !only.includes(scenario.id)) continue;
  const portBase = PORT_BASE + PORTS_PER_SCENARIO * index;
  const ports = `${portBase}–${portBase + PORTS_PER_SCENARIO - 1}`;
  console.log(`\n▶ ${scenario.id}: ${scenario.title} (ports ${ports})`);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await scenario.run({ quick, portBase, log: (line) => console.log(`  · ${line}`) });
    for (const f of result.figures) console.log(figureLine(f));
    outcomes.push({ ...result, status: "ok", duration_s: seconds(), ports });
    console.log(`  done in ${seconds().toFixed(1)} s`);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.log(`  ✗ BROKEN after ${seconds().toFixed(1)} s: ${error}`);
    outcomes.push({ id: scenario.id, title: scenario.title, figures: [], notes: [], status: "broken", duration_s: seconds(), ports, error });
  }
}

const report: BenchReport = {
  date: startedAt.toISOString().slice(0, 10),
  quick,
  only,
  started_at: startedAt.toISOString(),
  finished_at: new Date().toISOString(),
  duration_s: (performance.now() - t0) / 1000,
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model.trim() ?? "unknown",
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    load_avg_at_start: loadAtStart,
  },
  git: gitInfo(),
  scenarios: outcomes,
};

mkdirSync(RESULTS, { recursive: true });
const suffix = only ? "-partial" : quick ? "-quick" : "";
const base = path.join(RESULTS, `${report.date}${suffix}`);
writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${base}.md`, markdown(report));
if (!suffix) copyFileSync(`${base}.md`, path.join(RESULTS, "latest.md"));

const barred = outcomes.flatMap((s) => s.figures.filter((f) => f.bar));
const broken = outcomes.filter((s) => s.status === "broken");
console.log(
  `\nbench: ${outcomes.length} scenarios, ${broken.length} broken, ${barred.filter((f) => f.meets).length}/${barred.length} bars met, ` +
    `${report.duration_s.toFixed(0)} s. Report: ${path.relative(ROOT, base)}.md`,
);
process.exit(broken.length ? 1 : 0);

function gitInfo(): BenchReport["git"] {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  return {
    commit: git("rev-parse", "HEAD") || "unknown",
    branch: git("rev-parse", "--abbrev-ref", "HEAD") || "unknown",
    dirty: git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results").length > 0,
  };
}
