/**
 * The queue consumer against the simulator's fault modes, driven message by message with createMessageBatch
 * (the job is put in the running state directly in the hub, so the real queue delivers nothing here).
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { UserHub } from "../../src/durable/user-hub.ts";
import worker from "../../src/worker/index.ts";
import { JOBS_DLQ, JOBS_QUEUE } from "../../src/worker/queue/messages.ts";
import { call, signUp } from "./helpers.ts";

const HEALTHY = { provider_key: "local_simulator", model_id: "sim-ttft80-tps150-len200" };

async function setup(faultModel: string, opts: { timeoutS?: number; brokenConfig?: boolean } = {}) {
  const u = await signUp();
  const p = await call("/api/v2/providers", {
    token: u.token,
    body: { provider_key: "faulty", display_name: "Faulty", api_base: `${env.SIMULATOR_BASE_URL}/v1`, is_local: true },
  });
  await call(`/api/v2/providers/${p.json.provider.id}/models`, { token: u.token, body: { model_id: faultModel } });
  const runId = crypto.randomUUID().replaceAll("-", "");
  const jobId = crypto.randomUUID().replaceAll("-", "");
  const config = opts.brokenConfig
    ? { nonsense: true }
    : {
        targets: [{ provider_key: "faulty", model_id: faultModel }, HEALTHY],
        prompt: "hello",
        max_tokens: 20,
        temperature: 0.5,
        context_tiers: [0],
        runs: 1,
        warmup: false,
        timeout_s: opts.timeoutS ?? 30,
      };
  await env.DB.prepare(
    "INSERT INTO benchmark_runs (id, user_id, prompt, max_tokens, runs, warmup, context_tiers, config_json) VALUES (?, ?, 'hello', 20, 1, 0, '[0]', ?)",
  )
    .bind(runId, u.user.id, JSON.stringify(config))
    .run();
  const stub = env.USER_HUB.getByName(u.user.id);
  await runInDurableObject(stub, (_hub: UserHub, state) => {
    state.storage.sql.exec(
      `INSERT INTO jobs (id, job_type, status, params, groups_total, created_at, started_at, timeout_seconds, stall_seconds, result_ref, work_total, last_progress_at)
       VALUES (?, 'benchmark', 'running', '{}', 2, ?, ?, 7200, 180, ?, 2, ?)`,
      jobId,
      Date.now(),
      Date.now(),
      runId,
      Date.now(),
    );
    for (const g of ["faulty", "local_simulator"]) {
      state.storage.sql.exec("INSERT INTO job_groups (job_id, group_key, status) VALUES (?, ?, 'pending')", jobId, g);
    }
  });
  const messages = ["faulty", "local_simulator"].map((group_key) => ({
    id: `m-${group_key}`,
    timestamp: new Date(),
    attempts: 1,
    body: { kind: "job_group", job_id: jobId, user_id: u.user.id, group_key },
  }));
  return { u, runId, jobId, stub, messages };
}

async function deliver(queue: string, messages: ReturnType<typeof createMessageBatch> extends infer _ ? any[] : never) {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

async function rowsOf(runId: string) {
  const r = await env.DB.prepare("SELECT provider_key, success, error_class, error FROM benchmark_results WHERE run_id = ? ORDER BY provider_key")
    .bind(runId)
    .all<any>();
  return r.results;
}

describe("queue consumer against provider faults", () => {
  it.each([
    ["sim-fault429", "rate_limited"],
    ["sim-fault500", "server"],
    ["sim-fault401", "auth"],
    ["sim-hang", "timeout"],
    ["sim-ttft20-tps200-len50-disconnect5", "disconnected"], // the stream had started: cut mid-answer
    ["sim-ttft20-tps200-len50-malformed3", "malformed_stream"],
    ["sim-ttft20-tps200-len0", "malformed_stream"], // no output token: a failure, not a success with null TTFT
    ["sim-ttft20-tps200-len50-noStream", "malformed_stream"], // a 200 JSON reply instead of an event stream
  ])("%s → %s: recorded, acked, the job finishes, the other group is unaffected", async (model, expectedClass) => {
    const { runId, jobId, stub, messages } = await setup(model, { timeoutS: 2 });
    const result = await deliver(JOBS_QUEUE, messages);
    expect(result.explicitAcks.sort()).toEqual(["m-faulty", "m-local_simulator"]);
    expect(result.retryMessages).toEqual([]);
    const rows = await rowsOf(runId);
    const faulty = rows.find((r) => r.provider_key === "faulty");
    const healthy = rows.find((r) => r.provider_key === "local_simulator");
    expect(faulty.success).toBe(0);
    expect(faulty.error_class).toBe(expectedClass);
    expect(faulty.error).not.toMatch(/sk-|not-needed/); // sanitized: no key material
    expect(healthy.success).toBe(1);
    expect(await stub.jobStatus(jobId)).toBe("done");
  });

  it("a redelivered message adds no duplicate run", async () => {
    const { runId, jobId, stub, messages } = await setup("sim-ttft10-tps500-len10-tagredeliver");
    await deliver(JOBS_QUEUE, messages);
    const before = await rowsOf(runId);
    expect(before).toHaveLength(2);
    expect(await stub.jobStatus(jobId)).toBe("done");
    // Redelivery after the job finished, and a re-run of a group whose rows exist, both leave the rows alone.
    const again = await deliver(JOBS_QUEUE, messages);
    expect(again.explicitAcks).toHaveLength(2);
    await runInDurableObject(stub, (_h: UserHub, state) => {
      state.storage.sql.exec("UPDATE jobs SET status = 'running', completed_at = NULL WHERE id = ?", jobId);
      state.storage.sql.exec("UPDATE job_groups SET status = 'pending' WHERE job_id = ?", jobId);
    });
    await deliver(JOBS_QUEUE, messages);
    expect(await rowsOf(runId)).toEqual(before);
  });

  it("retries a message whose work throws, and the dead-letter consumer fails the group so the job ends", async () => {
    const { jobId, stub, messages } = await setup("sim-ttft10-tps500-len10", { brokenConfig: true });
    const result = await deliver(JOBS_QUEUE, messages.slice(0, 1));
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m-faulty"]);
    expect(await stub.jobStatus(jobId)).toBe("running");
    const dlq = await deliver(JOBS_DLQ, messages);
    expect(dlq.explicitAcks.sort()).toEqual(["m-faulty", "m-local_simulator"]);
    expect(await stub.jobStatus(jobId)).toBe("failed"); // every group failed
    const job = await call(`/api/jobs/${jobId}`, { token: (await signUp()).token });
    expect(job.status).toBe(404); // and it is not visible to anyone else
  });
});
