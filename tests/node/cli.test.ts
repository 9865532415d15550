// Runs the real CLI as a child process (node runs the .ts file directly) on the fixtures.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "src/cli/llm-bench.ts");
const FIX = path.join(ROOT, "tests/fixtures");
const SMART = path.join(FIX, "examples/smart_home_suite.json");
const SMART_OUT = path.join(FIX, "cli/smart_home_outputs.jsonl");
const SIMPLE = path.join(FIX, "bfcl/BFCL_v4_simple_python.json");
const SIMPLE_OUT = path.join(FIX, "cli/bfcl_simple_python_result.jsonl");

const tmp = mkdtempSync(path.join(tmpdir(), "llm-bench-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Each test starts node processes; on a busy machine one can take seconds, so the limit is generous: these tests
// check what the CLI prints and returns, not how fast.
const CLI_TIMEOUT_MS = 60_000;

describe("llm-bench CLI", { timeout: CLI_TIMEOUT_MS }, () => {
  it("prints usage for score --help", () => {
    const r = run("score", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("llm-bench score --suite <file> --outputs <file>");
    expect(r.stdout).toContain("--min-score");
  });

  it("scores an original-format suite as a table with a summary", () => {
    const r = run("score", "--suite", SMART, "--outputs", SMART_OUT, "--scorer", "classic");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^case\s+passed\s+score\s+reason$/);
    expect(lines.find((l) => l.startsWith("#13 "))).toMatch(/#13\s+no\s+0\.200\s+invalid_reasoning: called get_weather; expected set_timer/);
    expect(lines.find((l) => l.startsWith("#20 "))).toMatch(/invalid_invocation/);
    expect(lines.find((l) => l.startsWith("#0 "))).toMatch(/#0\s+yes\s+1\.000/);
    expect(r.stdout).toContain("scorer classic: 47/55 passed (85.5%)");
  });

  it("scores BFCL result lines as JSON, finding the answer file next to the questions", () => {
    const r = run("score", "--suite", SIMPLE, "--outputs", SIMPLE_OUT, "--scorer", "bfcl", "--format", "json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.scorer).toBe("bfcl");
    expect(doc.results).toHaveLength(40);
    expect(doc.summary).toMatchObject({ cases_run: 40, cases_passed: 37, pass_rate_pct: 92.5 });
    const failed = doc.results
      .filter((x: { passed: boolean }) => !x.passed)
      .map((x: { id: string; reason: string }) => [x.id, x.reason.split(":")[0]]);
    expect(failed).toEqual([
      ["simple_python_20", "simple_function_checker"],
      ["simple_python_77", "value_error"],
      ["simple_python_83", "simple_function_checker"],
    ]);
    // The Python-syntax result string decodes and passes.
    expect(doc.results.find((x: { id: string }) => x.id === "simple_python_44").passed).toBe(true);
    expect(doc.gate).toMatchObject({ metric: "pass_rate", value: 0.925, min_score: null, ok: true });
  });

  it("exits 1 below --min-score (pass rate for bfcl, mean score otherwise)", () => {
    const bfcl = run("score", "--suite", SIMPLE, "--outputs", SIMPLE_OUT, "--scorer", "bfcl", "--min-score", "0.95");
    expect(bfcl.code).toBe(1);
    expect(bfcl.stdout).toContain("min-score 0.95: FAILED (pass_rate 0.925)");
    const partial = run("score", "--suite", SIMPLE, "--outputs", SIMPLE_OUT, "--scorer", "partial", "--min-score", "0.95");
    expect(partial.code).toBe(0);
    expect(partial.stdout).toMatch(/min-score 0\.95: ok \(mean_score 0\.9\d\d\)/);
  });

  it("counts cases without an output as failed, and takes --answers explicitly", () => {
    const questions = path.join(tmp, "questions.jsonl");
    const answers = path.join(tmp, "answers.jsonl");
    writeFileSync(questions, readFileSync(SIMPLE, "utf8"));
    writeFileSync(answers, readFileSync(path.join(FIX, "bfcl/possible_answer/BFCL_v4_simple_python.json"), "utf8"));
    const outputs = path.join(tmp, "few.jsonl");
    writeFileSync(outputs, readFileSync(SIMPLE_OUT, "utf8").split("\n").slice(0, 2).join("\n"));
    const r = run(
      "score",
      "--suite",
      questions,
      "--answers",
      answers,
      "--outputs",
      outputs,
      "--scorer",
      "partial",
      "--format",
      "json",
      "--min-score",
      "0.5",
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary.cases_run).toBe(40);
    expect(doc.summary.cases_scored).toBe(2);
    expect(doc.summary.error_type_counts.no_output).toBe(38);
    expect(doc.results[5].reason).toBe("no recorded output");
  });

  it("scores an irrelevance file without answers; text results count as no call", () => {
    const irr = path.join(FIX, "bfcl/BFCL_v4_irrelevance.json");
    const ids = readFileSync(irr, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l).id as string);
    const outputs = path.join(tmp, "irr.jsonl");
    writeFileSync(
      outputs,
      ids.map((id, i) => JSON.stringify({ id, result: i === 0 ? [{ str_to_int: { value: "3" } }] : "Sorry, I can't help." })).join("\n"),
    );
    const r = run("score", "--suite", irr, "--outputs", outputs, "--scorer", "bfcl");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("scorer bfcl: 29/30 passed");
    expect(r.stdout).toContain("irrelevance 96.7% (30 cases)");
    expect(r.stdout).toContain("irrelevance_error:decoder_success");
  });

  it("exits 2 on a malformed outputs file, naming the line", () => {
    const r = run("score", "--suite", SMART, "--outputs", path.join(FIX, "cli/bad_outputs.jsonl"));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/bad_outputs\.jsonl line 2: invalid JSON/);
  });

  it("exits 2 on an invalid suite, naming case and field", () => {
    const r = run("score", "--suite", path.join(FIX, "cli/bad_suite.json"), "--outputs", SMART_OUT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("test_cases[1].expected_tool");
    expect(r.stderr).toContain("test_cases[2].prompt");
    expect(r.stderr).toContain("test_cases[2].max_rounds");
  });

  it("exits 2 on usage errors and unknown ids", () => {
    expect(run("score", "--suite", SMART).code).toBe(2);
    expect(run("score", "--suite", SMART, "--outputs", SMART_OUT, "--scorer", "fuzzy").code).toBe(2);
    expect(run("score", "--bogus").code).toBe(2);
    expect(run("score", "--suite", path.join(tmp, "missing.json"), "--outputs", SMART_OUT).stderr).toMatch(/not found/);
    const outputs = path.join(tmp, "unknown.jsonl");
    writeFileSync(outputs, JSON.stringify({ id: "no_such_case", calls: [] }));
    const r = run("score", "--suite", SIMPLE, "--outputs", outputs);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("line 1: id no_such_case is not a case of the suite");
  });

  it("accepts an empty outputs file: every case fails with score 0", () => {
    const empty = path.join(tmp, "empty.jsonl");
    writeFileSync(empty, "\n \n");
    const r = run("score", "--suite", SMART, "--outputs", empty, "--format", "json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ cases_run: 55, cases_scored: 0, cases_passed: 0, error_type_counts: { no_output: 55 } });
    expect(doc.gate).toMatchObject({ value: 0, ok: true });
    const gated = run("score", "--suite", SMART, "--outputs", empty, "--min-score", "0.5");
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain("scorer classic: 0/55 passed (0.0%)");
  });

  it("reads NaN, Infinity and -Infinity as Python's json does: floats that match no finite value", () => {
    const lines = readFileSync(SMART_OUT, "utf8").split("\n").filter(Boolean);
    const outputs = path.join(tmp, "nonfinite.jsonl");
    // Case 21 expects temperature 19: NaN in an arguments object, Infinity inside an arguments string.
    lines[21] = '{"case_index":21,"calls":[{"name":"set_thermostat","arguments":{"room":"living room","temperature":NaN,"mode":"cool"}}]}';
    lines[20] = '{"case_index":20,"calls":[{"name":"set_thermostat","arguments":"{\\"room\\": \\"bedroom\\", \\"temperature\\": Infinity}"}]}';
    lines[22] =
      '{"case_index":22,"calls":[{"name":"set_thermostat","arguments":{"room":"office","temperature":-Infinity,"mode":"heat"}}],"note":"NaN"}';
    writeFileSync(outputs, lines.join("\n"));
    const r = run("score", "--suite", SMART, "--outputs", outputs, "--format", "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const byIndex = (i: number) => doc.results.find((x: { case_index: number }) => x.case_index === i);
    for (const i of [20, 21, 22]) {
      expect(byIndex(i).passed).toBe(false);
      expect(byIndex(i).reason).toContain("parameters wrong or missing (exact): temperature"); // parsed, not "did not parse"
    }
    expect(byIndex(21).result.param_accuracy).toBeCloseTo(2 / 3);
    expect(byIndex(0).passed).toBe(true); // the rest of the file still counts
  });

  it("compares integers beyond 2^53 exactly in suites and outputs", () => {
    const suite = path.join(tmp, "ids.json");
    writeFileSync(
      suite,
      '{"name": "ids", "tools": [], "test_cases": [{"prompt": "a", "expected_tool": "set_id", "expected_params": {"n": 9007199254740993}}, {"prompt": "b", "expected_tool": "set_id", "expected_params": {"n": 9007199254740993}}]}',
    );
    const outputs = path.join(tmp, "ids.jsonl");
    writeFileSync(
      outputs,
      '{"case_index": 0, "calls": [{"name": "set_id", "arguments": {"n": 9007199254740992}}]}\n{"case_index": 1, "calls": [{"name": "set_id", "arguments": "{\\"n\\": 9007199254740993}"}]}\n',
    );
    const doc = JSON.parse(run("score", "--suite", suite, "--outputs", outputs, "--format", "json").stdout);
    expect(doc.results.map((x: { passed: boolean }) => x.passed)).toEqual([false, true]);
  });

  it("documents its exit codes in --help", () => {
    expect(run("score", "--help").stdout).toContain("Exit codes: 0 passed, 1 below --min-score, 2 bad input or usage, 3 internal error");
  });
});

describe("llm-bench main()", { timeout: CLI_TIMEOUT_MS }, () => {
  it("exits 3, not 1, on an unexpected exception, and says it is an internal error", async () => {
    vi.resetModules();
    vi.doMock("../../src/shared/scoring/index.ts", async (importOriginal) => ({
      ...(await importOriginal<typeof import("../../src/shared/scoring/index.ts")>()),
      scoreCase: () => {
        throw new TypeError("scorer blew up");
      },
    }));
    try {
      const { scoreMain } = await import("../../src/cli/score.ts");
      const r = scoreMain(["--suite", SMART, "--outputs", SMART_OUT]);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^llm-bench: internal error: TypeError: scorer blew up/);
    } finally {
      vi.doUnmock("../../src/shared/scoring/index.ts");
      vi.resetModules();
    }
  });
});
