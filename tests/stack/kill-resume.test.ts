/**
 * Kill and resume: the whole local server (wrangler dev + workerd) is killed with SIGKILL in the middle of a
 * benchmark and started again on the same state. The job must not stay "running" nor end "interrupted": the
 * hub notices the lapsed lease, sends the group again, and the new worker measures only the runs that were not
 * stored yet. The simulator keeps running throughout (it is the provider), so its log shows what was re-run.
 */

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, type RunningStack, startStack } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";

const ports = browserPorts(5);
const MODEL = "sim-ttft40-tps20-len30-tagkill"; // 30 tokens at 20 tok/s: about 1.5 s per run
const RUNS = 8;

let stack: RunningStack | undefined;
const state = mkdtempSync(path.join(tmpdir(), "llm-bench-kill-"));
const vars = { JWT_SECRET: randomBytes(32).toString("hex"), VAULT_MASTER_KEY: randomBytes(32).toString("base64"), COOKIE_SECURE: "false" };

afterAll(async () => {
  await stack?.stop();
  await stack?.simulator.close();
  rmSync(state, { recursive: true, force: true });
});

async function api(pathname: string, token: string | null, body?: unknown): Promise<any> {
  const res = await fetch(`${stack!.url}${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("a server killed mid-job", () => {
  it("resumes the job after a restart: stored runs are kept, the rest are measured once, the job ends done", async () => {
    applyMigrations(state);
    stack = await startStack({ port: ports.app, simulatorPort: ports.simulator, persistTo: state, quiet: true, vars });
    const session = await api("/api/auth/register", null, { email: "kill-resume@example.com", password: "kill and resume test" });
    const token = session.access_token as string;
    const { providers } = await api("/api/v2/providers", token);
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    await api(`/api/v2/providers/${sim.id}/models`, token, { model_id: MODEL });
    const job = await api("/api/benchmark", token, {
      targets: [{ provider_key: "local_simulator", model_id: MODEL }],
      runs: RUNS,
      warmup: false,
      max_tokens: 30,
    });

    const storedBeforeKill = await until("two stored runs", 60_000, async () => {
      const run = await api(`/api/history/${job.run_id}`, token);
      return run.results.length >= 2 ? run.results.length : undefined;
    });
    await stack.kill();
    const simulator = stack.simulator;
    stack = await startStack({ port: ports.app, simulatorPort: ports.simulator, persistTo: state, quiet: true, vars, simulator });
    const restartedAt = Date.now();

    // Lost work is noticed within 30 s of the restart (lease 15 s + watchdog every 5 s) and the group goes out again.
    const resumedAfterMs = await until("the resume", 30_000, async () => {
      const view = await api(`/api/jobs/${job.job_id}`, token);
      return /Resuming/.test(view.progress_detail) || view.status === "done" ? Date.now() - restartedAt : undefined;
    });
    const finished = await until("the job to finish", 90_000, async () => {
      const view = await api(`/api/jobs/${job.job_id}`, token);
      return ["done", "failed", "cancelled", "interrupted"].includes(view.status) ? view : undefined;
    });
    expect(finished.status).toBe("done");
    expect(finished.error_count).toBe(0);

    const run = await api(`/api/history/${job.run_id}`, token);
    expect(run.results.map((r: { run: number }) => r.run).sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(run.results.every((r: { success: boolean }) => r.success)).toBe(true);
    // The provider saw each stored run once: at most one extra request, the one the kill cut off.
    const log = await (await fetch(`${simulator.url}/__sim/log?limit=2000`)).json();
    const requests = log.records.filter((r: { model: string }) => r.model === MODEL).length;
    expect(requests).toBeGreaterThanOrEqual(RUNS);
    expect(requests).toBeLessThanOrEqual(RUNS + 1);
    console.log(
      `kill-resume: ${storedBeforeKill} runs stored before the kill, resumed ${resumedAfterMs} ms after the restart, ${requests} provider requests for ${RUNS} runs`,
    );
  });
});
