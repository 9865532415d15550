// llm-bench run (local mode) through the real CLI against the test run's simulator (started by global-setup on
// this checkout's port offset): measured figures near the simulated model's, assertions that pass and fail as set,
// JUnit that a strict XML parser accepts, Markdown in $GITHUB_STEP_SUMMARY, baseline gates, exit codes — and the
// key from the environment in none of the outputs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exampleSuite } from "../../src/cli/init.ts";
import { parseJunit, runCli } from "./cli-helpers.ts";
import { TEST_SIMULATOR_PORT } from "./ports.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "llm-bench-run-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(path.join(tmp, "suite.json"), exampleSuite());

const CANARY = "sk-canary-0b7e4d2a9c1f3568";
const env = { LLM_BENCH_CANARY: CANARY };
const FAST = "sim-ttft80-tps150-len200"; // 80 ms to the first token, 150 tokens/s, 200 tokens; list price $0.1/$0.4
const CALLER = "sim-careful-ttft20-tps2000"; // a realistic tool caller, quick

function config(opts: { port?: number; assertions: string; baseline?: string }): string {
  return `providers:
  sim:
    api: openai
    base_url: http://127.0.0.1:${opts.port ?? TEST_SIMULATOR_PORT}/v1
    api_key_env: LLM_BENCH_CANARY
models:
  - provider: sim
    id: ${FAST}
  - provider: sim
    id: ${CALLER}
benchmark:
  prompt: Tell me about harbors.
  runs: 3
  context_tiers: [0]
  max_tokens: 256
tool_evals:
  - suite: suite.json
    scorer: classic
    models: [${CALLER}]
assertions:
${opts.assertions}
${opts.baseline ?? ""}
`;
}

const PASSING = `  - assert: ttft_p50_ms < 1500
  - assert: output_tps_p50 > 100
    model: ${FAST}
  - assert: cost_per_run < 0.001
    model: ${FAST}
  - assert: score >= 0.75`;
const FAILING = `  - assert: ttft_p50_ms < 1
    model: ${FAST}`;

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

function expectNoKey(...outputs: string[]) {
  for (const o of outputs) expect(o).not.toContain(CANARY);
}

describe("llm-bench run against the simulator", { timeout: 300_000 }, () => {
  const baselineFile = path.join(tmp, "baseline.json");

  it("measures near the simulated figures, passes its assertions (exit 0) and writes a JSON report", async () => {
    const file = write("pass.yaml", config({ assertions: PASSING }));
    const r = await runCli(["run", file, "--format", "json", "--output", baselineFile, "--ci"], { env });
    expect(r.code, r.stderr).toBe(0);
    const json = readFileSync(baselineFile, "utf8");
    expectNoKey(r.stdout, r.stderr, json);
    // --output takes the chosen format; the terminal still gets the table, and --ci progress is plain lines.
    expect(r.stdout).toMatch(/^Speed\nmodel\s+provider\s+tier\s+runs\s+ttft p50 ms/);
    expect(r.stdout).toContain("PASSED");
    expect(r.stderr).toMatch(new RegExp(`^speed ${FAST}: 2/4 · ETA \\d+s · tier 0 run 1/3: ttft \\d`, "m"));
    expect(r.stderr).not.toContain("\r");

    const report = JSON.parse(json);
    expect(report.exit_code).toBe(0);
    const fast = report.results.speed.find((s: { model_id: string }) => s.model_id === FAST);
    expect(fast).toMatchObject({ tier: 0, runs: 3, failures: 0, skipped: null });
    expect(fast.ttft_samples).toHaveLength(3);
    // The simulator sends the first token 80 ms after receipt and 150 tokens/s after it (a busy CI machine adds
    // some TTFT, never less; decode speed is the server's schedule, so it stays close).
    expect(fast.ttft_ms.p50).toBeGreaterThanOrEqual(75);
    expect(fast.ttft_ms.p50).toBeLessThan(600);
    expect(fast.output_tps.p50).toBeGreaterThan(135);
    expect(fast.output_tps.p50).toBeLessThan(160);
    // 200 output tokens at $0.4/M plus a few dozen input tokens at $0.1/M: the pricing module's list price.
    expect(fast.cost_usd.mean).toBeGreaterThan(0.00008);
    expect(fast.cost_usd.mean).toBeLessThan(0.000085);
    const evalRow = report.results.evals[0];
    expect(evalRow).toMatchObject({ model_id: CALLER, cases: 4, provider_errors: 0, eval: "Smart home (example)" });
    expect(report.results.evals).toHaveLength(1); // the eval's models list is honoured
    expect(report.assertions.map((a: { assertion: string; model_id: string; passed: boolean }) => [a.assertion, a.model_id, a.passed])).toEqual([
      ["ttft_p50_ms < 1500", FAST, true],
      ["ttft_p50_ms < 1500", CALLER, true],
      ["output_tps_p50 > 100", FAST, true],
      ["cost_per_run < 0.001", FAST, true],
      ["score >= 0.75", CALLER, true],
    ]);
  });

  it("fails an assertion with exit 1; JUnit has one testcase per assertion per model; Markdown goes to the step summary", async () => {
    const file = write("fail.yaml", config({ assertions: `${PASSING}\n${FAILING}` }));
    const junitFile = path.join(tmp, "junit.xml");
    const summary = write("summary.md", "# earlier step\n");
    const r = await runCli(["run", file, "--format", "junit", "--output", junitFile], { env: { ...env, GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(1);
    const junit = readFileSync(junitFile, "utf8");
    const md = readFileSync(summary, "utf8");
    expectNoKey(r.stdout, r.stderr, junit, md);
    expect(r.stdout).toMatch(new RegExp(`^FAIL {2}ttft_p50_ms < 1 {2}\\[${FAST}, tier 0\\] {2}ttft_p50_ms = \\d`, "m"));

    const cases = parseJunit(junit);
    expect(cases.map((c) => [c.classname, c.name, c.failed])).toEqual([
      [`llm-bench.sim.${FAST}`, "ttft_p50_ms < 1500 [tier 0]", false],
      [`llm-bench.sim.${CALLER}`, "ttft_p50_ms < 1500 [tier 0]", false],
      [`llm-bench.sim.${FAST}`, "output_tps_p50 > 100 [tier 0]", false],
      [`llm-bench.sim.${FAST}`, "cost_per_run < 0.001 [tier 0]", false],
      [`llm-bench.sim.${CALLER}`, "score >= 0.75 [Smart home (example)]", false],
      [`llm-bench.sim.${FAST}`, "ttft_p50_ms < 1 [tier 0]", true],
    ]);
    expect(junit).toMatch(/<testsuites name="llm-bench" tests="6" failures="1"/);

    // Appended, not overwritten; a Markdown table per section.
    expect(md.startsWith("# earlier step\n")).toBe(true);
    expect(md).toContain("## llm-bench: FAILED: 1 assertions");
    expect(md).toMatch(
      /### Speed\n\n\| model \| provider \| tier \| runs \| ttft p50 ms \| ttft p95 ms \| tok\/s p50 \| cost\/run \|\n\|( --- \|){8}\n/,
    );
    expect(md).toMatch(new RegExp(`^\\| ${FAST} \\| sim \\| 0 \\| 3 \\| \\d+ \\|`, "m"));
    expect(md).toMatch(new RegExp(`^\\| ❌ \\| \`ttft_p50_ms < 1\` \\| ${FAST} \\| tier 0 \\|`, "m"));
  });

  it("gates on a baseline: too few runs for a p95 is insufficient evidence (exit 4) and says how many more would decide", async () => {
    const file = write(
      "gate.yaml",
      config({ assertions: PASSING, baseline: `baseline:\n  file: ${baselineFile}\n  max_drop: 5\n  ttft_p95_increase_pct: 25` }),
    );
    const r = await runCli(["run", file, "--format", "markdown", "--quiet"], { env });
    expect(r.code, r.stderr).toBe(4);
    expectNoKey(r.stdout, r.stderr);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("## llm-bench: INSUFFICIENT EVIDENCE");
    // p95 needs 20 runs a side; the baseline and this run have 3 each.
    expect(r.stdout).toContain("insufficient evidence: a p95 needs at least 20 runs on each side (have 3 and 3)");
    expect(r.stdout).toContain("about 17 more repeats would");
    // The score gate decides: every case passed both times.
    expect(r.stdout).toMatch(new RegExp(`\\| ✅ \\| score \\| ${CALLER} \\| Smart home \\(example\\) \\|`));
  });

  it("runs the example config from init as written (only the simulator's port changed) and passes", async () => {
    const dir = mkdtempSync(path.join(tmp, "init-"));
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, "llm-bench.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("127.0.0.1:18787", `127.0.0.1:${TEST_SIMULATOR_PORT}`));
    const r = await runCli(["run", "--quiet"], { cwd: dir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}score >= 0\.5 {2}\[sim-careful, Smart home \(example\)\]/m);
    expect(r.stdout.trimEnd().endsWith("PASSED")).toBe(true);
  });

  it("exits 3 when the provider cannot be reached, naming the failure and not the key", async () => {
    const file = write("down.yaml", config({ port: 9, assertions: PASSING }).replace("runs: 3", "runs: 1"));
    const r = await runCli(["run", file, "--ci"], { env });
    expect(r.code).toBe(3);
    expectNoKey(r.stdout, r.stderr);
    expect(r.stdout).toContain("PROVIDER FAILURE");
    expect(r.stderr).toMatch(/provider failures:\n {2}.*connection/);
  });
});
