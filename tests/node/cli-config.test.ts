// llm-bench's commands and config validation, through the real CLI: every bad field exits 2 and names the field
// and its line; a key never appears in any output.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exampleSuite } from "../../src/cli/init.ts";
import { CLI, ROOT, runCli } from "./cli-helpers.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "llm-bench-config-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(path.join(tmp, "suite.json"), exampleSuite());

const CANARY = "sk-canary-3f9a1c7e5b2d4680";
// Unreachable on purpose: these configs must be rejected before any call.
const BASE = `providers:
  sim:
    api: openai
    base_url: http://127.0.0.1:9/v1
    api_key_env: LLM_BENCH_TEST_KEY
models:
  - provider: sim
    id: sim-ttft80-tps150-len200
  - provider: sim
    id: sim-careful
    context_window: 128000
benchmark:
  runs: 2
  max_tokens: 64
  temperature: 0.5
  context_tiers: [0]
tool_evals:
  - suite: suite.json
    scorer: classic
    tool_choice: auto
    models: [sim-careful]
assertions:
  - assert: ttft_p50_ms < 500
  - assert: score >= 0.5
    model: sim-careful
baseline:
  file: base.json
  max_drop: 5
`;

/** BASE with one line replaced (the first line containing `from`); returns the text and that line's number. */
function variant(from: string, to: string): { text: string; line: number } {
  const lines = BASE.split("\n");
  const i = lines.findIndex((l) => l.includes(from));
  if (i < 0) throw new Error(`no line with ${from}`);
  lines[i] = lines[i]!.replace(from, to);
  return { text: lines.join("\n"), line: i + 1 };
}

let n = 0;
function write(text: string, ext = "yaml"): string {
  const file = path.join(tmp, `config-${n++}.${ext}`);
  writeFileSync(file, text);
  return file;
}

const env = { LLM_BENCH_TEST_KEY: CANARY };

function expectNoKey(...outputs: string[]) {
  for (const o of outputs) expect(o).not.toContain(CANARY);
}

describe("llm-bench commands", { timeout: 60_000 }, () => {
  it("has --help for every command, and --version from package.json", async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const version = await runCli(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: `llm-bench ${pkg.version}\n` });
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    for (const command of ["init", "validate", "run", "simulator", "score"]) {
      expect(top.stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, "m"));
      const help = await runCli([command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`llm-bench ${command}`);
      expect(help.stdout, command).toContain("Usage:");
    }
    expect((await runCli(["launch"])).code).toBe(2);
    expect((await runCli([])).code).toBe(2);
    const bad = await runCli(["run", "--frobnicate"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--frobnicate");
  });

  it("simulator serves the simulated models until Ctrl+C", async () => {
    const child = spawn(process.execPath, [CLI, "simulator", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`simulator exited: ${out}`)));
    });
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer any" },
      body: JSON.stringify({ model: "sim-ttft1-tps1000-len3", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).usage.completion_tokens).toBe(3);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("init writes the example config and suite, and keeps existing files without --force", async () => {
    const dir = mkdtempSync(path.join(tmp, "init-"));
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(0);
    const yaml = readFileSync(path.join(dir, "llm-bench.yaml"), "utf8");
    expect(yaml).toContain("base_url: http://127.0.0.1:18787/v1");
    expect(yaml).toMatch(/^assertions:\n {2}- assert: /m);
    expect(JSON.parse(readFileSync(path.join(dir, "llm-bench-suite.json"), "utf8")).test_cases.length).toBeGreaterThan(0);
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exist");
    expect((await runCli(["init", "--force"], { cwd: dir })).code).toBe(0);
  });
});

describe("llm-bench config validation", { timeout: 120_000 }, () => {
  // [description, replace this, with this, the field named in the error]
  const cases: [string, string, string, string][] = [
    ["api kind", "api: openai", "api: grpc", "providers.sim.api"],
    ["base URL", "base_url: http://127.0.0.1:9/v1", "base_url: not a url", "providers.sim.base_url"],
    ["a key in the file", "api_key_env: LLM_BENCH_TEST_KEY", `api_key: ${CANARY}`, "providers.sim.api_key"],
    ["key variable name", "api_key_env: LLM_BENCH_TEST_KEY", "api_key_env: 1-not-a-name", "providers.sim.api_key_env"],
    ["unset key variable", "api_key_env: LLM_BENCH_TEST_KEY", "api_key_env: LLM_BENCH_TEST_UNSET_VARIABLE", "providers.sim.api_key_env"],
    ["model's provider", "  - provider: sim\n", "  - provider: nowhere\n", "models[0].provider"],
    ["context window", "context_window: 128000", "context_window: -5", "models[1].context_window"],
    ["runs", "runs: 2", "runs: 0", "benchmark.runs"],
    ["max tokens", "max_tokens: 64", "max_tokens: lots", "benchmark.max_tokens"],
    ["temperature", "temperature: 0.5", "temperature: 5", "benchmark.temperature"],
    ["context tier", "context_tiers: [0]", "context_tiers: [-1]", "benchmark.context_tiers[0]"],
    ["unknown benchmark field", "runs: 2", "rnus: 2", "benchmark.rnus"],
    ["suite", "suite: suite.json", "suite: 7", "tool_evals[0].suite"],
    ["scorer", "scorer: classic", "scorer: fuzzy", "tool_evals[0].scorer"],
    ["tool choice", "tool_choice: auto", "tool_choice: sometimes", "tool_evals[0].tool_choice"],
    ["eval's models", "models: [sim-careful]", "models: [sim-ghost]", "tool_evals[0].models[0]"],
    ["assertion", "assert: ttft_p50_ms < 500", "assert: latency < 500", "assertions[0].assert"],
    ["assertion's model", "model: sim-careful", "model: sim-ghost", "assertions[1].model"],
    ["max drop", "max_drop: 5", "max_drop: 500", "baseline.max_drop"],
    ["unknown top-level field", "baseline:", "baselines:", "baselines"],
  ];

  it.each(cases)("exits 2 naming the field and its line: %s", async (_what, from, to, field) => {
    const { text, line } = variant(from.trimEnd(), to.trimEnd());
    const file = write(text);
    const r = await runCli(["run", file, "--ci"], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    const escaped = field.replace(/[.[\]]/g, "\\$&");
    expect(r.stderr).toMatch(new RegExp(`${path.basename(file)}:${line}:\\d+: ${escaped}: `));
    // Never a key, whether it sits in the environment or was pasted into the file.
    expect(r.stderr).not.toContain(CANARY);
    expect(r.stderr).not.toContain("canary");
  });

  it("reports every bad field at once, and YAML syntax errors with their line", async () => {
    const many = write(BASE.replace("runs: 2", "runs: 0").replace("scorer: classic", "scorer: fuzzy"));
    const r = await runCli(["run", many], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("benchmark.runs");
    expect(r.stderr).toContain("tool_evals[0].scorer");
    const broken = write("providers:\n  sim: [unclosed\nmodels: []\n");
    const b = await runCli(["run", broken], { env });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/not valid YAML\/JSON:\n {2}.*config-\d+\.yaml:\d+:\d+: /);
  });

  it("accepts JSON with the same fields, and names the line there too", async () => {
    const doc = {
      providers: { sim: { base_url: "http://127.0.0.1:9/v1" } },
      models: [{ provider: "sim", id: "sim-x" }],
      benchmark: { runs: 99 },
    };
    const file = write(JSON.stringify(doc, null, 2), "json");
    const r = await runCli(["run", file], { env });
    expect(r.code).toBe(2);
    const line =
      JSON.stringify(doc, null, 2)
        .split("\n")
        .findIndex((l) => l.includes('"runs"')) + 1;
    expect(r.stderr).toMatch(new RegExp(`config-\\d+\\.json:${line}:\\d+: benchmark\\.runs: `));
  });

  it("validate checks a config without calling anything or needing its key, and names the key's variable only", async () => {
    const file = write(BASE);
    const withoutKey = await runCli(["validate", file]);
    expect(withoutKey.code, withoutKey.stderr).toBe(0);
    expect(withoutKey.stdout).toContain(": valid");
    expect(withoutKey.stdout).toContain("tool eval: Smart home (example) (4 cases, scorer classic)");
    expect(withoutKey.stdout).toContain("key for sim: $LLM_BENCH_TEST_KEY is NOT set");
    const withKey = await runCli(["validate", file], { env });
    expect(withKey.stdout).toContain("key for sim: $LLM_BENCH_TEST_KEY is set");
    expectNoKey(withKey.stdout, withKey.stderr);
    const bad = await runCli(["validate", write(BASE.replace("runs: 2", "runs: 0"))], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/:13:\d+: benchmark\.runs: /);
  });

  it("exits 2 on a missing config, a bad suite file and an unreadable baseline", async () => {
    const none = await runCli(["run"], { cwd: mkdtempSync(path.join(tmp, "empty-")) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("llm-bench init");
    writeFileSync(path.join(tmp, "bad-suite.json"), '{"name": "x", "tools": [], "test_cases": [{"expected_tool": 3}]}');
    const suite = await runCli(["run", write(BASE.replace("suite: suite.json", "suite: bad-suite.json"))], { env });
    expect(suite.code).toBe(2);
    expect(suite.stderr).toContain("test_cases[0]");
    const baseline = await runCli(["run", write(BASE)], { env }); // base.json does not exist
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain("baseline.file");
  });
});
