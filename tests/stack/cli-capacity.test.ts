/**
 * `llm-bench capacity` against a real deployment (wrangler dev + workerd, D1, the UserHub, Queues, the loopback
 * simulator), the CLI spawned as a user runs it after `llm-bench login`:
 * - it prints the server's estimate, a line per finished level, and the knee / SLO limit the deployment stored for
 *   the probe (GET /api/capacity/history/{id}); those are within one ladder step of the simulator's capacity model
 *   (capacityTruth: 8 batch slots, so the knee is at 8);
 * - a failed --assert is exit 1 with the figure in the report;
 * - Ctrl+C cancels the probe on the server (the job ends cancelled), keeps the finished levels, exits 130.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, type RunningStack, startStack } from "../../scripts/stack.ts";
import { capacityTruth } from "../../src/simulator/capacity.ts";
import { type CliOptions, type CliRun, runCli, spawnCli } from "../node/cli-helpers.ts";
import { browserPorts } from "../node/ports.ts";

const ports = browserPorts(42);
const state = mkdtempSync(path.join(tmpdir(), "llm-bench-capacity-"));
const home = path.join(state, "config-home");
const work = path.join(state, "work");
const vars = { JWT_SECRET: randomBytes(32).toString("hex"), VAULT_MASTER_KEY: randomBytes(32).toString("base64"), COOKIE_SECURE: "false" };
const cliEnv = { XDG_CONFIG_HOME: home, LLM_BENCH_TOKEN: "", LLM_BENCH_URL: "" };

// 8 slots, α = 100 %: ITL 20 ms alone, 27.5 at 4, 37.5 from 8 on; 64 tokens, TTFT 200 ms alone. At 16 the batch is
// full and requests queue one service time (~2.7 s): throughput stays flat (the knee is 8) and TTFT p95 breaks 2 s.
const MODEL = "sim-ttft200-tps50-len64-slots8-load100";
const CANCEL_MODEL = `${MODEL}-tagcancel`; // the simulator keeps capacity state per exact model id
const FAST = "sim-ttft20-tps2000-len10";
const LADDER = [1, 4, 8, 16];
const SLO = { ttft_ms: 2000, itl_p95_ms: 60 };
const step = (level: number | null) => (level === null ? LADDER.length : LADDER.indexOf(level));

let stack: RunningStack;
let access: string;
const outputs: string[] = [];
let cliToken: string;

async function api(pathname: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.url}${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(access ? { authorization: `Bearer ${access}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function cli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const r = await runCli(args, { cwd: work, ...opts, env: { ...cliEnv, ...opts.env } });
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  applyMigrations(state);
  stack = await startStack({ port: ports.app, simulatorPort: ports.simulator, persistTo: state, quiet: true, vars });
  access = (await api("/api/auth/register", { email: "cli-capacity@example.com", password: "capacity cli test pass" })).access_token;
  cliToken = (await api("/api/auth/cli-token", { name: "capacity stack test" })).token;
  mkdirSync(work, { recursive: true });
  const sim = (await api("/api/v2/providers")).providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
  // Some simulator models are seeded for every user (migrations); add the others.
  const have = new Set((await api("/api/v2/models")).models.map((m: { model_id: string }) => m.model_id));
  for (const m of [MODEL, CANCEL_MODEL, FAST]) if (!have.has(m)) await api(`/api/v2/providers/${sim.id}/models`, { model_id: m });
  const login = await cli(["login", stack.url], { input: `${cliToken}\n` });
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(state, { recursive: true, force: true });
});

const probeArgs = (model: string, levels: number[], hold: number) => [
  "capacity",
  "--model",
  `local_simulator/${model}`,
  "--levels",
  levels.join(","),
  "--hold-requests",
  String(hold),
  "--slo-ttft-ms",
  String(SLO.ttft_ms),
  "--slo-itl-ms",
  String(SLO.itl_p95_ms),
  "--max-tokens",
  "64",
  "--ci",
];

describe("llm-bench capacity on a deployment", { timeout: 300_000 }, () => {
  it("shows the estimate, follows each level live, and prints the knee the deployment stored (within a step of the truth)", async () => {
    const reportFile = path.join(work, "capacity.json");
    const r = await cli([...probeArgs(MODEL, LADDER, 8), "--assert", "knee_level >= 4", "--format", "json", "--output", reportFile]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/^estimate: at most 40 requests, \d+ input and \d+ output tokens, /m);
    for (const l of LADDER) {
      expect(r.stderr).toMatch(
        new RegExp(
          `^capacity local_simulator/${MODEL}: level ${l}: achieved [\\d.]+/${l}, \\d+/\\d+ ok, TTFT p95 \\d+ ms, ITL p95 [\\d.]+ ms, [\\d.]+ tok/s, goodput [\\d.]+ req/s, SLO (met|missed)$`,
          "m",
        ),
      );
    }
    const report = JSON.parse(readFileSync(reportFile, "utf8"));
    const stored = await api(`/api/capacity/history/${report.run.id}`);
    const t = stored.targets[0];
    expect(stored.status).toBe("completed");
    expect(report.run.targets[0]).toMatchObject({ knee_level: t.knee_level, max_level_meeting_slo: t.max_level_meeting_slo });
    // The table (stdout) says the same as the stored probe.
    const fig = (x: number | null) => (x === null ? "none" : String(x));
    expect(r.stdout).toContain(`knee ${fig(t.knee_level)}, highest level meeting the SLO ${fig(t.max_level_meeting_slo)}`);
    expect(r.stdout).toContain("PASS  knee_level >= 4");

    const truth = capacityTruth({ ttftMs: 200, tps: 50, tokens: 64, slots: 8, loadPct: 100, levels: LADDER, slo: SLO });
    expect(truth).toMatchObject({ knee_level: 8, max_level_meeting_slo: 8 });
    const measured = JSON.stringify(
      t.levels.map((l: any) => [l.level, l.ttft_ms.p95, l.itl_ms.p95, l.aggregate_output_tps, l.e2e_ms.p95, l.slo_met]),
    );
    expect(Math.abs(step(t.knee_level) - step(truth.knee_level)), measured).toBeLessThanOrEqual(1);
    expect(Math.abs(step(t.max_level_meeting_slo) - step(truth.max_level_meeting_slo)), measured).toBeLessThanOrEqual(1);
  });

  it("--estimate-only prints the server's estimate and starts nothing", async () => {
    const before = (await api("/api/capacity/history")).runs.length;
    const r = await cli([...probeArgs(FAST, [1, 2], 2), "--estimate-only"]);
    expect(r.code, r.stderr).toBe(0);
    // Levels 1 and 2 with 2 requests each; output at --max-tokens 64 per request.
    expect(r.stdout).toMatch(/^estimate: at most 4 requests, \d+ input and 256 output tokens, /);
    expect((await api("/api/capacity/history")).runs.length).toBe(before);
  });

  it("a failed --assert is exit 1, with the figure in the report", async () => {
    const r = await cli([...probeArgs(FAST, [1, 2], 2), "--assert", "max_level_meeting_slo >= 64"]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}max_level_meeting_slo >= 64 {2}\[sim-ttft20-tps2000-len10\] {2}(max_level_meeting_slo = [12]|no level met the SLO.*)$/m,
    );
    expect(r.stdout.trimEnd().endsWith("FAILED: 1 of 1 assertions failed")).toBe(true);
  });

  it("Ctrl+C cancels the probe on the server, keeps the finished levels and exits 130", async () => {
    const run = spawnCli(probeArgs(CANCEL_MODEL, LADDER, 8), { cwd: work, env: cliEnv });
    const deadline = Date.now() + 90_000;
    while (!/^capacity \S+: level 1: /m.test(run.output.stderr)) {
      if (Date.now() > deadline || run.output.code !== null) throw new Error(`no level line:\n${run.output.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    run.child.kill("SIGINT");
    const r = await run.done;
    outputs.push(r.stdout, r.stderr);
    expect(r.code, r.stderr).toBe(130);
    const jobId = /the capacity job (\w+) was cancelled on the server/.exec(r.stderr)?.[1];
    expect(jobId, r.stderr).toBeDefined();
    expect((await api(`/api/jobs/${jobId}`)).status).toBe("cancelled");
    const runId = /capacity probe (\w+) submitted/.exec(r.stderr)?.[1];
    const stored = await api(`/api/capacity/history/${runId}`);
    const levels = stored.targets[0].levels.map((l: { level: number }) => l.level);
    expect(levels[0]).toBe(1);
    expect(levels.length).toBeLessThan(LADDER.length);
    expect(r.stdout).toMatch(/^1\s+[\d.]+\/1\s+8\/8\s/m); // the finished level is in the report
    expect(r.stdout).toContain("INTERRUPTED");
  });

  it("never prints the token", () => {
    const secret = cliToken.split(".")[2]!;
    for (const o of outputs) {
      expect(o).not.toContain(cliToken);
      expect(o).not.toContain(secret);
    }
  });
});
