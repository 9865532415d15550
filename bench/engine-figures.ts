/**
 * Prints the job engine's headline figures from one local run (the full `npm run bench` suite builds on this):
 * fidelity of TTFT and output speed against the simulator, parallel fan-out over 4 provider groups against the
 * slowest group alone, and how long a cancel takes to stop an open stream.
 * Run: `node bench/engine-figures.ts` (starts its own simulator + wrangler dev on spare ports).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { applyMigrations, startStack } from "../scripts/stack.ts";
import { percentile } from "../src/shared/metrics.ts";

const state = mkdtempSync(path.join(tmpdir(), "llm-bench-figures-"));
applyMigrations(state);
const stack = await startStack({
  port: 8817,
  simulatorPort: 18827,
  persistTo: state,
  quiet: true,
  vars: { JWT_SECRET: randomBytes(32).toString("hex"), VAULT_MASTER_KEY: randomBytes(32).toString("base64"), COOKIE_SECURE: "false" },
});

async function api(p: string, token: string | null, body?: unknown, method?: string) {
  const res = await fetch(`${stack.url}${p}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitJob(token: string, jobId: string) {
  for (;;) {
    const job = await api(`/api/jobs/${jobId}`, token);
    if (["done", "failed", "cancelled", "interrupted"].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  const session = await api("/api/auth/register", null, { email: `bench-${Date.now()}@example.com`, password: "benchmark password" });
  const token = session.access_token as string;
  await api("/api/auth/me", token);
  // Four providers, each its own group, all served by the simulator.
  for (let g = 1; g <= 4; g++) {
    const p = await api("/api/v2/providers", token, { provider_key: `group${g}`, display_name: `Group ${g}`, api_base: `${stack.simulator.url}/v1`, is_local: true });
    await api(`/api/v2/providers/${p.provider.id}/models`, token, { model_id: `sim-ttft200-tps100-len100-tagg${g}` });
  }
  await api("/api/v2/providers", token, { provider_key: "fid", display_name: "Fidelity", api_base: `${stack.simulator.url}/v1`, is_local: true })
    .then((p) => api(`/api/v2/providers/${p.provider.id}/models`, token, { model_id: "sim-ttft300-tps60-len200" }));

  // 1. Fidelity: 20 measured runs against a known profile.
  stack.simulator.log.clear();
  const fid = await api("/api/benchmark", token, { targets: [{ provider_key: "fid", model_id: "sim-ttft300-tps60-len200" }], runs: 20, max_tokens: 400, warmup: true });
  await waitJob(token, fid.job_id);
  const run = await api(`/api/history/${fid.run_id}`, token);
  const ok = run.results.filter((r: any) => r.success);
  const ttftErr = ok.map((r: any) => Math.abs(r.ttft_ms - 300)).sort((a: number, b: number) => a - b);
  // The simulator spaces 200 tokens 1000/60 ms apart after the first: (N−1)/span = 60 tok/s exactly.
  const speedErr = ok.map((r: any) => Math.abs(r.output_speed_tps - 60) / 60).sort((a: number, b: number) => a - b);
  const sent = stack.simulator.log.list(100).filter((r) => r.model === "sim-ttft300-tps60-len200" && r.first_output_at);
  const simTtft = sent.map((r) => r.first_output_at! - r.received_at).sort((a, b) => a - b);
  console.log(`fidelity: ${ok.length} runs; TTFT median error ${percentile(ttftErr, 0.5).toFixed(2)} ms (p95 ${percentile(ttftErr, 0.95).toFixed(2)} ms), bar max(2 ms, 1 %) = 3 ms`);
  console.log(`fidelity: output speed median error ${(percentile(speedErr, 0.5) * 100).toFixed(3)} % (p95 ${(percentile(speedErr, 0.95) * 100).toFixed(3)} %), bar 1 %`);
  console.log(`fidelity: simulator's own first-output offset median ${percentile(simTtft, 0.5).toFixed(2)} ms after it received the request`);

  // 2. Parallel fan-out: the slowest group alone, then all four together (3 runs each, no warm-up).
  const body = (groups: number[]) => ({
    targets: groups.map((g) => ({ provider_key: `group${g}`, model_id: `sim-ttft200-tps100-len100-tagg${g}` })),
    runs: 3,
    max_tokens: 200,
    warmup: false,
  });
  const wall = async (groups: number[]) => {
    const sub = await api("/api/benchmark", token, body(groups));
    const job = await waitJob(token, sub.job_id);
    return Date.parse(job.completed_at) - Date.parse(job.started_at);
  };
  const single = await wall([1]);
  const four = await wall([1, 2, 3, 4]);
  console.log(`parallelism: 1 group ${single} ms, 4 groups ${four} ms, ratio ${(four / single).toFixed(3)} (1.0 = perfectly parallel)`);

  // 3. Cancel latency: from the cancel request to the simulator seeing the stream closed.
  const cancelStats: number[] = [];
  for (let i = 0; i < 5; i++) {
    const p = await api("/api/v2/providers", token).then((r) => r.providers.find((x: any) => x.provider_key === "fid"));
    const model = `sim-ttft100-tps5-len500-tagcancel${i}`;
    await api(`/api/v2/providers/${p.id}/models`, token, { model_id: model });
    const sub = await api("/api/benchmark", token, { targets: [{ provider_key: "fid", model_id: model }], runs: 1, warmup: false, max_tokens: 500 });
    for (;;) {
      if (stack.simulator.log.list(50).some((r) => r.model === model && r.first_output_at)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    const t = performance.timeOrigin + performance.now();
    await api(`/api/jobs/${sub.job_id}/cancel`, token, {});
    void sub;
    for (;;) {
      const rec = stack.simulator.log.list(50).find((r) => r.model === model);
      if (rec?.ended_at) {
        cancelStats.push(rec.ended_at - t);
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  cancelStats.sort((a, b) => a - b);
  console.log(`cancel: stream closed ${percentile(cancelStats, 0.5).toFixed(0)} ms (median of 5; max ${cancelStats.at(-1)!.toFixed(0)} ms) after the cancel request`);
} finally {
  await stack.stop();
  rmSync(state, { recursive: true, force: true });
}
