// llm-bench tune (local mode) through the real CLI against the test run's simulator. `sim-tunable` is the
// simulator's caller whose error rate follows its sampling settings (lowest at temperature 0.2, src/simulator/
// README.md), deterministically per request, so the tuner's verdicts here are facts about the model, not luck:
// the best combo named with the shared statistics module's statement, exit 4 with how much more would decide when
// the cases are too few, --fail-if-beaten's exit 1, halving with a held-out check, a seed that repeats a tune,
// Ctrl+C, and config errors that name the field (exit 2).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseJunit, ROOT, runCli, spawnCli } from "./cli-helpers.ts";
import { TEST_SIMULATOR_PORT } from "./ports.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "llm-bench-tune-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SUITE = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8")) as { test_cases: unknown[] };
writeFileSync(path.join(tmp, "suite.json"), JSON.stringify(SUITE));
// Eight cases: too few for the difference temperature makes to be told from chance.
writeFileSync(path.join(tmp, "few.json"), JSON.stringify({ ...SUITE, name: "Eight cases", test_cases: SUITE.test_cases.slice(0, 8) }));

const MODEL = "sim-tunable-ttft5-tps2000";

function config(tune: string, opts: { suite?: string; evalTemperature?: number } = {}): string {
  return `providers:
  sim:
    api: openai
    base_url: http://127.0.0.1:${TEST_SIMULATOR_PORT}/v1
models:
  - provider: sim
    id: ${MODEL}
    input_cost_per_mtok: 0.1
    output_cost_per_mtok: 0.4
tool_evals:
  - suite: ${opts.suite ?? "suite.json"}
    name: home
    temperature: ${opts.evalTemperature ?? 1}
${tune}
`;
}

const TWO_TEMPERATURES = `tune:
  eval: home
  search_space:
    temperature: [0.2, 1.0]
  seed: 11`;

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

async function tune(file: string, args: string[] = [], env: Record<string, string> = {}) {
  const out = path.join(tmp, `${path.basename(file)}.json`);
  const r = await runCli(["tune", file, "--ci", "--format", "json", "--output", out, ...args], { env });
  return { ...r, report: r.code === 2 ? null : JSON.parse(readFileSync(out, "utf8")) };
}

describe("llm-bench tune against the simulator", { timeout: 300_000 }, () => {
  it("names the best combo with the statistics module's statement and compares it with the tool eval's settings (exit 0)", async () => {
    const summary = path.join(tmp, "summary.md");
    const r = await tune(write("two.yaml", config(TWO_TEMPERATURES)), [], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const target = r.report.answer.targets[0];
    // The baseline is the tool eval's temperature 1 (the same call as the space's 1.0, so one combo, marked).
    expect(target.combos.map((c: any) => [c.label, c.baseline])).toEqual([
      ["temperature 0.2", false],
      ["temperature 1", true],
    ]);
    const [best, current] = target.combos;
    expect(best.overall_score).toBeGreaterThan(current.overall_score + 0.1);
    expect(best.cases_run).toBe(55);
    expect(target.best_label).toBe("temperature 0.2");
    expect(target.significance).toMatchObject({ verdict: "better", compared_with: "temperature 1", n_cases: 55 });
    expect(r.report.decisions).toEqual([expect.objectContaining({ model_id: MODEL, outcome: "decided", statement: target.significance.statement })]);
    expect(r.report).toMatchObject({
      mode: "local",
      seed: 11,
      strategy: "grid",
      trials_run: 110,
      planned_trials: 110,
      verdict: "DECIDED",
      exit_code: 0,
    });
    // Plain progress lines with --ci, one per trial, and the table on stdout with the statement.
    expect(r.stderr).toMatch(new RegExp(`^tune ${MODEL}: 1/110 · ETA \\d+s · temperature 0.2, all cases: case \\S+ (passed|failed)$`, "m"));
    expect(r.stderr).toMatch(new RegExp(`^tune ${MODEL}: done, 110/110 in \\d+s$`, "m"));
    expect(r.stdout).toContain(`significance: ${target.significance.statement}`);
    expect(r.stdout).toMatch(/^\*\s+temperature 0\.2\s+0\.\d{3}\s+\d+\/55/m);
    expect(readFileSync(summary, "utf8")).toContain("## llm-bench tune: DECIDED");

    // A nightly check that the current settings are still the best: here they are beaten, so exit 1.
    const junitFile = path.join(tmp, "beaten.xml");
    const beaten = await runCli(["tune", path.join(tmp, "two.yaml"), "--quiet", "--fail-if-beaten", "--format", "junit", "--output", junitFile]);
    expect(beaten.code, beaten.stderr).toBe(1);
    expect(beaten.stdout).toContain(`FAILED: a combo beats the current settings on ${MODEL}`);
    expect(parseJunit(readFileSync(junitFile, "utf8")).map((c) => [c.classname, c.failed, c.skipped])).toEqual([
      [`llm-bench.tune.sim.${MODEL}`, true, false],
    ]);

    // When the current settings are the best, --fail-if-beaten passes.
    const atBest = await tune(write("at-best.yaml", config(TWO_TEMPERATURES, { evalTemperature: 0.2 })), ["--fail-if-beaten"]);
    expect(atBest.code, atBest.stdout).toBe(0);
    expect(atBest.report.answer.targets[0].best_label).toBe("temperature 0.2");
    expect(atBest.report.answer.targets[0].combos.find((c: any) => c.baseline).label).toBe("temperature 0.2");
  });

  it("too few cases to decide is exit 4, with how much more would decide; JUnit marks the model skipped", async () => {
    const file = write("few.yaml", config(TWO_TEMPERATURES, { suite: "few.json" }));
    const r = await tune(file);
    expect(r.code, r.stdout).toBe(4);
    const s = r.report.answer.targets[0].significance;
    expect(s.verdict).toBe("insufficient_evidence");
    expect(s.n_cases).toBe(8);
    expect(r.report.decisions[0]).toMatchObject({ outcome: "insufficient_evidence", more_repeats_needed: s.more_repeats_needed });
    expect(r.report.verdict).toMatch(/^INSUFFICIENT EVIDENCE: 1 of 1 models could not be decided \(about \d+ more repeats per case would/);
    const junit = await runCli(["tune", file, "--quiet", "--format", "junit"]);
    expect(junit.code).toBe(4);
    expect(parseJunit(junit.stdout).map((c) => [c.failed, c.skipped])).toEqual([[false, true]]);
  });

  it("halving with a held-out split runs fewer trials than the grid, checks the winner on unseen cases, and a seed repeats it", async () => {
    const file = write(
      "halving.yaml",
      config(`tune:
  search_space:
    temperature: { min: 0, max: 1, step: 0.2 }
  strategy: halving
  holdout_fraction: 0.2
  seed: 5`),
    );
    const first = await tune(file);
    expect(first.code, first.stdout).toBe(0);
    const r = first.report;
    expect(r).toMatchObject({ strategy: "halving", search_cases: 44, holdout_cases: 11 });
    expect(r.trials_run).toBeLessThan(r.grid_trials);
    const target = r.answer.targets[0];
    expect(target.rungs.length).toBeGreaterThan(1);
    expect(target.combos.some((c: any) => c.eliminated)).toBe(true);
    expect(target.best_label).toBe("temperature 0.2");
    expect(target.holdout.compared_with).toMatch(/held-out/);
    expect(first.stdout).toContain(`held-out check: ${target.holdout.statement}`);
    // The same seed gives the same split, schedule and answer (the simulated caller is deterministic).
    const again = await tune(file);
    const scores = (x: any) => x.answer.targets[0].combos.map((c: any) => [c.label, c.overall_score, c.cases_run, c.eliminated]);
    expect(scores(again.report)).toEqual(scores(r));
    expect(again.report.answer.targets[0].significance.statement).toBe(target.significance.statement);
  });

  it("Ctrl+C stops the tune, reports what ran and exits 130", async () => {
    const file = write("slow.yaml", config(TWO_TEMPERATURES).replace(MODEL, "sim-tunable-ttft150-tps2000"));
    const run = spawnCli(["tune", file, "--ci"]);
    const deadline = Date.now() + 60_000;
    while (!/^tune sim-tunable-ttft150-tps2000: 2\/110/m.test(run.output.stderr)) {
      if (Date.now() > deadline || run.output.code !== null) throw new Error(`no progress line:\n${run.output.stderr}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toMatch(/^INTERRUPTED after \d+ of about 110 trials$/m);
  });

  it("refuses a bad tune config with exit 2, naming the field", async () => {
    const cases: [string, string, RegExp][] = [
      [
        "no tool eval",
        "providers: {sim: {base_url: 'http://127.0.0.1:1/v1'}}\nmodels: [{provider: sim, id: m}]\nbenchmark: {}\ntune: {search_space: {temperature: [0]}}\n",
        /tune: a tuner needs a tool eval/,
      ],
      [
        "unknown eval",
        config(TWO_TEMPERATURES.replace("eval: home", "eval: nightly")),
        /:\d+:\d+: tune\.eval: no tool eval is named "nightly" \(names: home\)/,
      ],
      ["eval index", config(TWO_TEMPERATURES.replace("eval: home", "eval: 3")), /tune\.eval: tool_evals has no entry 3/],
      ["strategy", config(`${TWO_TEMPERATURES}\n  strategy: bayes`), /:\d+:\d+: tune\.strategy: /],
      [
        "range step",
        config("tune:\n  search_space:\n    temperature: { min: 0, max: 1, step: 0 }"),
        /tune\.search_space\.temperature\.step: step must be greater than 0/,
      ],
      ["suite_id", config(`${TWO_TEMPERATURES}\n  suite_id: abc`), /tune\.suite_id: unknown field/],
      ["model", config(`${TWO_TEMPERATURES}\n  models: [gpt-9]`), /tune\.models\[0\]: not a model id of models/],
      [
        "grid limit",
        config("tune:\n  search_space:\n    temperature: { min: 0, max: 1, step: 0.01 }\n    top_p: { min: 0, max: 1, step: 0.01 }"),
        /tune\.search_space: This space has 10,201 combos, over the grid limit of 5,000/,
      ],
    ];
    for (const [what, text, message] of cases) {
      const r = await runCli(["tune", write(`bad-${what.replace(/\W/g, "-")}.yaml`, text)]);
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr, what).toMatch(message);
    }
    // The prompt tuner's section: its meta-model must be one of models; the command runs on a deployment only.
    const prompt = (section: string) => config(`prompt_tune:\n${section}`);
    for (const [section, message] of [
      ["  mode: quick", /prompt_tune\.meta_model: required/],
      ["  meta_model: gpt-9", /:\d+:\d+: prompt_tune\.meta_model: not a model id of models/],
      [`  meta_model: ${MODEL}\n  config: { population_size: 2 }`, /prompt_tune\.config\.population_size: /],
    ] as const) {
      const r = await runCli(["prompt-tune", write("bad-prompt.yaml", prompt(section))]);
      expect(r.code, `${section}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const notLoggedIn = await runCli(["prompt-tune", write("prompt.yaml", prompt(`  meta_model: ${MODEL}`))], {
      env: { XDG_CONFIG_HOME: tmp, LLM_BENCH_URL: "", LLM_BENCH_TOKEN: "" },
    });
    expect(notLoggedIn.code).toBe(2);
    expect(notLoggedIn.stderr).toMatch(/not logged in/);

    const none = await runCli(["tune", write("no-tune.yaml", config(""))]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no tune section/);
    const repeats = await runCli(["tune", path.join(tmp, "two.yaml"), "--repeats", "9"]);
    expect(repeats.code).toBe(2);
    expect(repeats.stderr).toContain("--repeats must be a whole number from 1 to 5, got 9");
  });
});
