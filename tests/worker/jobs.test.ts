/** The job registry in UserHub, exercised through the real API, queue, consumer and simulator. */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { UserHub } from "../../src/durable/user-hub.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, type TestSocket } from "./sockets.ts";

const SIM = "local_simulator";

async function addModel(token: string, modelId: string) {
  const providers = (await call("/api/v2/providers", { token })).json.providers;
  const sim = providers.find((p: any) => p.provider_key === SIM);
  const r = await call(`/api/v2/providers/${sim.id}/models`, { token, body: { model_id: modelId } });
  expect(r.status, r.text).toBe(201);
}

async function startBenchmark(token: string, modelId: string, extra: Record<string, unknown> = {}) {
  const r = await call("/api/benchmark", {
    token,
    body: { targets: [{ provider_key: SIM, model_id: modelId }], warmup: false, max_tokens: 50, ...extra },
  });
  expect(r.status, r.text).toBe(200);
  return r.json as { job_id: string; run_id: string; job_status: string };
}

async function waitForEvent(s: TestSocket, pred: (m: any) => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = s.messages.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; saw ${s.messages.map((m) => `${m.type}:${m.job_id ?? ""}`).join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ofJob = (type: string, jobId: string) => (m: any) => m.type === type && m.job_id === jobId;

async function jobStatus(token: string, id: string) {
  return (await call(`/api/jobs/${id}`, { token })).json.status as string;
}

describe("job registry", () => {
  it("queues the second job at the default limit of 1 and starts it when the first ends (FIFO)", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-ttft50-tps100-len30");
    const s = await openSocket(u.token);
    const first = await startBenchmark(u.token, "sim-ttft50-tps100-len30", { runs: 2 });
    const second = await startBenchmark(u.token, "sim-ttft80-tps150-len200");
    const third = await startBenchmark(u.token, "sim-ttft80-tps150-len200");
    expect(first.job_status).toBe("running");
    expect(second.job_status).toBe("queued");
    expect(third.job_status).toBe("queued");
    expect((await waitForEvent(s, ofJob("job_created", second.job_id), "created")).status).toBe("queued");
    await waitForEvent(s, ofJob("job_completed", first.job_id), "first done");
    await waitForEvent(s, ofJob("job_started", second.job_id), "second started");
    await waitForEvent(s, ofJob("job_completed", third.job_id), "third done", 20_000);
    const order = s.messages.filter((m) => m.type === "job_started").map((m) => m.job_id);
    expect(order).toEqual([first.job_id, second.job_id, third.job_id]);
    // The D1 copy agrees with the hub.
    for (const j of [first, second, third]) expect(await jobStatus(u.token, j.job_id)).toBe("done");
    s.ws.close(1000);
  });

  it("cancels in every state: queued, running (the open stream stops within about a second), and refuses finished", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-ttft100-tps10-len400"); // a 40-second stream
    const s = await openSocket(u.token);
    const running = await startBenchmark(u.token, "sim-ttft100-tps10-len400", { max_tokens: 400 });
    const queued = await startBenchmark(u.token, "sim-ttft80-tps150-len200");
    expect(queued.job_status).toBe("queued");

    const cq = await call(`/api/jobs/${queued.job_id}/cancel`, { method: "POST", token: u.token });
    expect(cq.status).toBe(200);
    await waitForEvent(s, ofJob("job_cancelled", queued.job_id), "queued cancelled");

    await waitForEvent(s, (m) => m.type === "benchmark_progress" && m.job_id === running.job_id, "stream started");
    await new Promise((r) => setTimeout(r, 500)); // mid-stream
    const t0 = Date.now();
    const cr = await call("/api/benchmark/cancel", { method: "POST", token: u.token, body: {} });
    expect(cr.json.job_id).toBe(running.job_id);
    const aborted = await waitForEvent(s, (m) => m.type === "benchmark_result" && m.job_id === running.job_id, "aborted run", 5000);
    const stopMs = Date.now() - t0;
    expect(aborted.data.success).toBe(false);
    expect(aborted.data.error_class).toBe("cancelled");
    expect(stopMs).toBeLessThan(1500);
    expect(s.messages.some(ofJob("job_started", queued.job_id)), JSON.stringify(s.messages.map((m) => [m.type, m.job_id, m.status, m.error]))).toBe(
      false,
    ); // a cancelled queued job never starts

    const again = await call(`/api/jobs/${running.job_id}/cancel`, { method: "POST", token: u.token });
    expectEnvelope(again, 400, "bad_request");
    expect(again.json.error).toBe("Job already finished");
    const hist = await call(`/api/history/${running.run_id}`, { token: u.token });
    expect(hist.json.status).toBe("cancelled");
    s.ws.close(1000);
  });

  it("cancels a pending job and refuses illegal transitions", async () => {
    const u = await signUp();
    const stub = env.USER_HUB.getByName(u.user.id);
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      state.storage.sql.exec(
        `INSERT INTO jobs (id, job_type, status, params, groups_total, created_at, timeout_seconds, stall_seconds)
         VALUES ('p1', 'benchmark', 'pending', '{}', 0, ?, 60, 60), ('d1', 'benchmark', 'done', '{}', 0, ?, 60, 60)`,
        Date.now(),
        Date.now(),
      );
    });
    const r = await stub.cancelJob(u.user.id, "p1");
    expect(r.ok).toBe(true);
    expect(await stub.jobStatus("p1")).toBe("cancelled");
    await runInDurableObject(stub, (hub: UserHub) => {
      const registry = (hub as unknown as { jobs: { tryTransition(id: string, to: string): boolean } }).jobs;
      expect(registry.tryTransition("d1", "running")).toBe(false); // done is terminal
      expect(registry.tryTransition("p1", "running")).toBe(false); // cancelled is terminal
      expect(registry.tryTransition("d1", "pending")).toBe(false);
    });
    expect(await stub.jobStatus("d1")).toBe("done");
    const refused = await stub.cancelJob(u.user.id, "d1");
    expect(refused).toMatchObject({ ok: false, code: "already_finished" });
    expect(await stub.cancelJob(u.user.id, "missing")).toMatchObject({ ok: false, code: "not_found" });
  });

  it("times a job out through the hub's alarm and tells every tab", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-hang");
    const s = await openSocket(u.token);
    const job = await startBenchmark(u.token, "sim-hang", { timeout: 600 });
    await waitForEvent(s, ofJob("benchmark_progress", job.job_id), "the consumer is inside the hung stream");
    const stub = env.USER_HUB.getByName(u.user.id);
    expect((await stub.pendingTimers()).map((t) => t.kind).sort()).toEqual(["job_timeout", "job_watchdog", "purge_tickets"]);
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      state.storage.sql.exec("UPDATE timers SET due_at = 0 WHERE kind = 'job_timeout'");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const failed = await waitForEvent(s, ofJob("job_failed", job.job_id), "timeout");
    expect(failed.error_class).toBe("timeout");
    expect(failed.error).toMatch(/Timeout exceeded/);
    expect(await jobStatus(u.token, job.job_id)).toBe("failed");
    // The hung stream is aborted by the consumer once it sees the job is no longer running.
    const aborted = await waitForEvent(s, (m) => m.type === "benchmark_result" && m.job_id === job.job_id, "aborted", 5000);
    expect(aborted.data.error_class).toBe("cancelled");
    s.ws.close(1000);
  });

  it("resumes a group whose worker was lost: stored runs are kept and not re-run, the rest are measured once", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-ttft30-tps40-len20-taglost");
    const s = await openSocket(u.token);
    const job = await startBenchmark(u.token, "sim-ttft30-tps40-len20-taglost", { runs: 5 });
    await waitForEvent(s, (m) => m.type === "benchmark_result" && m.job_id === job.job_id, "first result");
    const stub = env.USER_HUB.getByName(u.user.id);
    // The worker's lease lapses (as when its process dies) and the watchdog runs: the group goes out again.
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      state.storage.sql.exec("UPDATE job_groups SET lease_until = 0 WHERE job_id = ?", job.job_id);
      state.storage.sql.exec("UPDATE timers SET due_at = 0 WHERE kind = 'job_watchdog'");
    });
    await runDurableObjectAlarm(stub);
    const resumed = await waitForEvent(s, (m) => ofJob("job_progress", job.job_id)(m) && /Resuming/.test(m.progress_detail), "resume");
    expect(resumed.progress_detail).toMatch(/attempt 2 of 3/);
    const done = await waitForEvent(s, ofJob("job_completed", job.job_id), "completed after resume", 30_000);
    expect(done.error_count).toBe(0);
    // Every run exactly once, all successful: the superseded worker stored nothing it had not finished.
    const run = (await call(`/api/history/${job.run_id}`, { token: u.token })).json;
    const runs = run.results.map((r: any) => r.run_number ?? r.run).sort();
    expect(runs).toEqual([1, 2, 3, 4, 5]);
    expect(run.results.every((r: any) => r.success)).toBe(true);
    const events = s.messages.filter((m) => m.type === "benchmark_result" && m.job_id === job.job_id);
    expect(events).toHaveLength(5);
    const groups = await runInDurableObject(stub, (_hub: UserHub, state) =>
      state.storage.sql.exec<{ attempt: number; status: string }>("SELECT attempt, status FROM job_groups WHERE job_id = ?", job.job_id).toArray(),
    );
    expect(groups).toEqual([{ attempt: 2, status: "done" }]);
    s.ws.close(1000);
  });

  it("ends a job interrupted, saying why, when a group's worker is lost on every attempt", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-hang-tagwatch");
    const s = await openSocket(u.token);
    const job = await startBenchmark(u.token, "sim-hang-tagwatch");
    await waitForEvent(s, ofJob("benchmark_progress", job.job_id), "the worker is inside the stream");
    const stub = env.USER_HUB.getByName(u.user.id);
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      state.storage.sql.exec("UPDATE job_groups SET attempt = 3, lease_until = 0 WHERE job_id = ?", job.job_id);
      state.storage.sql.exec("UPDATE timers SET due_at = 0 WHERE kind = 'job_watchdog'");
    });
    await runDurableObjectAlarm(stub);
    const failed = await waitForEvent(s, ofJob("job_failed", job.job_id), "interrupted");
    expect(failed.error_class).toBe("interrupted");
    expect(failed.error).toMatch(/lost 3 times/);
    expect(await jobStatus(u.token, job.job_id)).toBe("interrupted");
    s.ws.close(1000);
  });

  it("sends a group again when no worker claimed it within stall_seconds (its message was lost)", async () => {
    const u = await signUp();
    const stub = env.USER_HUB.getByName(u.user.id);
    const old = Date.now() - 600_000;
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      state.storage.sql.exec(
        `INSERT INTO jobs (id, job_type, status, params, groups_total, created_at, started_at, timeout_seconds, stall_seconds)
         VALUES ('lost1', 'benchmark', 'running', '{}', 1, ?, ?, 7200, 180)`,
        old,
        old,
      );
      state.storage.sql.exec("INSERT INTO job_groups (job_id, group_key, status, enqueued_at) VALUES ('lost1', 'g', 'pending', ?)", old);
    });
    const sent: unknown[] = [];
    await runInDurableObject(stub, async (hub: UserHub) => {
      const registry = (
        hub as unknown as { jobs: { deps: { enqueue(m: unknown[]): Promise<void> }; onWatchdog(u: string, j: string): Promise<void> } }
      ).jobs;
      registry.deps.enqueue = async (messages) => void sent.push(...messages);
      await registry.onWatchdog(u.user.id, "lost1");
    });
    expect(sent).toEqual([{ kind: "job_group", job_id: "lost1", user_id: u.user.id, group_key: "g", attempt: 2, slice: 0 }]);
    // A late copy of the first delivery finds the group moved on and does nothing.
    expect(await stub.claimJobGroup("lost1", "g", 1)).toMatchObject({ granted: false });
    expect(await stub.claimJobGroup("lost1", "g", 2)).toMatchObject({ granted: true });
    expect(await stub.claimJobGroup("lost1", "g", 2)).toMatchObject({ granted: false }); // a duplicate while leased
  });

  it("tells the truth about outcomes: every call failed → failed with a summary; some failed → done with a count", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-fault401");
    await addModel(u.token, "sim-ttft10-tps500-len5");
    const s = await openSocket(u.token);
    const allBad = await startBenchmark(u.token, "sim-fault401", { runs: 2 });
    const failed = await waitForEvent(s, ofJob("job_failed", allBad.job_id), "all failed", 20_000);
    expect(failed.error_class).toBe("all_failed");
    expect(failed.error).toMatch(/^All 2 calls failed: auth ×2 \(/);
    const failedView = (await call(`/api/jobs/${allBad.job_id}`, { token: u.token })).json;
    expect(failedView).toMatchObject({ status: "failed", error_count: 2, error_class: "all_failed" });
    expect((await call(`/api/history/${allBad.run_id}`, { token: u.token })).json.status).toBe("failed");

    const r = await call("/api/benchmark", {
      token: u.token,
      body: {
        targets: [
          { provider_key: SIM, model_id: "sim-fault401" },
          { provider_key: SIM, model_id: "sim-ttft10-tps500-len5" },
        ],
        runs: 2,
        warmup: false,
        max_tokens: 20,
      },
    });
    expect(r.status, r.text).toBe(200);
    const done = await waitForEvent(s, ofJob("job_completed", r.json.job_id), "partly failed", 20_000);
    expect(done.error_count).toBe(2);
    expect(done.error).toMatch(/^2 of 4 calls failed: auth ×2/);
    expect((await call(`/api/jobs/${r.json.job_id}`, { token: u.token })).json).toMatchObject({
      status: "done",
      error_count: 2,
      error_class: "partial_failure",
    });
    s.ws.close(1000);
  });

  it("loses nothing when the hub is evicted mid-job", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-ttft30-tps100-len40");
    const s = await openSocket(u.token);
    const job = await startBenchmark(u.token, "sim-ttft30-tps100-len40", { runs: 4 });
    await waitForEvent(s, (m) => m.type === "benchmark_result" && m.job_id === job.job_id, "first result");
    await evictDurableObject(env.USER_HUB.getByName(u.user.id));
    await waitForEvent(s, ofJob("job_completed", job.job_id), "completed after eviction", 20_000);
    const run = (await call(`/api/history/${job.run_id}`, { token: u.token })).json;
    expect(run.results.filter((r: any) => r.success)).toHaveLength(4);
    expect(s.messages.filter((m) => m.type === "benchmark_result" && m.job_id === job.job_id)).toHaveLength(4);
    s.ws.close(1000);
  });

  it("enforces jobs per hour with 429 and Retry-After, and reports the remaining budget", async () => {
    const u = await signUp();
    await env.DB.prepare("UPDATE rate_limits SET benchmarks_per_hour = 1, max_concurrent = 2 WHERE user_id = ?").bind(u.user.id).run();
    expect((await call("/api/user/rate-limit", { token: u.token })).json).toMatchObject({ limit: 1, remaining: 1, window: "1 hour" });
    await startBenchmark(u.token, "sim-ttft80-tps150-len200");
    const over = await call("/api/benchmark", { token: u.token, body: { targets: [{ provider_key: SIM, model_id: "sim-ttft80-tps150-len200" }] } });
    expectEnvelope(over, 429, "rate_limited");
    const retryAfter = Number(over.res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await call("/api/user/rate-limit", { token: u.token })).json.remaining).toBe(0);
    expect((await call("/api/history", { token: u.token })).json.runs).toHaveLength(1); // the refused run left nothing behind
  });

  it("sends a snapshot of active and recent jobs to a (re)connecting tab", async () => {
    const u = await signUp();
    await addModel(u.token, "sim-hang-tagsnap");
    const running = await startBenchmark(u.token, "sim-hang-tagsnap");
    const s = await openSocket(u.token);
    const sync = await s.next("sync");
    expect(sync.active_jobs.map((j: any) => j.id)).toEqual([running.job_id]);
    expect(sync.active_jobs[0].params.run_id).toBe(running.run_id);
    await call(`/api/jobs/${running.job_id}/cancel`, { method: "POST", token: u.token });
    const s2 = await openSocket(u.token);
    const sync2 = await s2.next("sync");
    expect(sync2.active_jobs).toEqual([]);
    expect(sync2.recent_jobs[0]).toMatchObject({ id: running.job_id, status: "cancelled" });
    s.ws.close(1000);
    s2.ws.close(1000);
  });
});
