/**
 * Time slices: a group's work is split into queue messages of at most JOB_SLICE_SECONDS each (this file runs in
 * the "worker-sliced" vitest project, whose budget is a quarter of a second), with no kind-specific code. Long
 * jobs of two kinds go through many slices and still store every item exactly once with the right progress; a
 * slice is not a lost attempt; cancellation between slices stops the job and keeps what finished; only the
 * group's current delivery may claim, renew, hand back or finish it.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_GROUP_ATTEMPTS } from "../../src/durable/job-registry.ts";
import type { UserHub } from "../../src/durable/user-hub.ts";
import type { SendRecord } from "../../src/simulator/send-log.ts";
import worker from "../../src/worker/index.ts";
import { sliceBudgetMs } from "../../src/worker/jobs/runner.ts";
import { JOBS_DLQ, JOBS_QUEUE } from "../../src/worker/queue/messages.ts";
import { call, signUp } from "./helpers.ts";
import { callsOf, countOf, FIXTURES, resultsOf, SIM, settledRun } from "./job-kind-fixtures.ts";
import { openSocket, waitForJobEvent as waitFor } from "./sockets.ts";

const TOOLS = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
];
const tag = () => crypto.randomUUID().replaceAll("-", "").slice(0, 10);
/** Every call of this model takes at least 100 ms, so a slice of 250 ms holds at most three items. */
const slowModel = () => `sim-ttft100-tps500-len4-tag${tag()}`;

/** A user with a suite of `n` weather cases and `model` added to the built-in simulator provider. */
async function setUp(n: number, model: string) {
  const u = await signUp();
  const suiteId = (await call("/api/tool-suites", { token: u.token, body: { name: "Weather", tools: TOOLS } })).json.suite_id;
  const cases = Array.from({ length: n }, (_, i) => ({
    prompt: `Weather in city ${i}?`,
    expected_tool: "get_weather",
    expected_params: { city: `City ${i}` },
  }));
  expect((await call(`/api/tool-suites/${suiteId}/cases`, { token: u.token, body: { cases } })).status).toBe(201);
  const sim = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === SIM);
  expect((await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: model } })).status).toBe(201);
  return { u, suiteId, target: { provider_key: SIM, model_id: model }, hub: env.USER_HUB.getByName(u.user.id) };
}

/** How many calls the simulator received for this model id (unique per test through its tag). */
async function callsTo(model: string): Promise<number> {
  const { records } = (await (await fetch(`${env.SIMULATOR_BASE_URL}/__sim/log?limit=2000`)).json()) as { records: SendRecord[] };
  return records.filter((r) => r.model === model).length;
}

/** The hub's own counters of a job: units done and planned. */
async function workOf(hub: DurableObjectStub<UserHub>, jobId: string) {
  return runInDurableObject(hub, (_h: UserHub, state) =>
    state.storage.sql.exec<{ work_done: number; work_total: number }>("SELECT work_done, work_total FROM jobs WHERE id = ?", jobId).one(),
  );
}

async function settled(token: string, path: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const run = (await call(path, { token })).json;
    if (run.completed_at || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("time slices end to end", () => {
  it("runs under the test project's tiny budget", () => {
    expect(sliceBudgetMs(env)).toBe(250);
  });

  // The runtime slices every kind the same way: each contract fixture, with 6 items of at least 100 ms each.
  it.each(Object.entries(FIXTURES))(
    "slices a %s job and still stores every item exactly once",
    async (_type, f) => {
      const model = slowModel();
      const u = await signUp();
      const body = await f.request(u.token, model, 6);
      const s = await openSocket(u.token);
      const r = await call(f.submitPath, { token: u.token, body });
      expect(r.status, r.text).toBe(200);
      const jobId = r.json.job_id;
      await waitFor(s, "job_completed", jobId, 60_000);
      const [group] = await env.USER_HUB.getByName(u.user.id).jobGroupStates(jobId);
      expect(group).toMatchObject({ status: "done", attempt: 1 });
      expect(group!.slice).toBeGreaterThan(0);
      const run = await settledRun(u.token, f.historyPath(r.json[f.runIdField]));
      expect(run.status).toBe("completed");
      expect(resultsOf(f, run)).toHaveLength(countOf(f, 6));
      expect(resultsOf(f, run).every((x) => x.success)).toBe(true);
      expect(s.messages.filter((m) => m.type === f.events.result && m.job_id === jobId)).toHaveLength(countOf(f, 6));
      expect(await callsTo(model)).toBe(callsOf(f, 6));
      s.ws.close(1000);
    },
    90_000,
  );

  it("splits a long tool eval into many messages: every case once, progress right, never counted as lost attempts", async () => {
    const model = slowModel();
    const { u, suiteId, target, hub } = await setUp(12, model);
    const s = await openSocket(u.token);
    const r = await call("/api/tool-eval", { token: u.token, body: { suite_id: suiteId, targets: [target] } });
    expect(r.status, r.text).toBe(200);
    const jobId = r.json.job_id;
    const done = await waitFor(s, "job_completed", jobId, 60_000);
    expect(done.error_count).toBe(0);
    // ≥ 100 ms per case and ≤ 250 ms per slice: at least four slices, more than the attempts a lost worker gets.
    const [group] = await hub.jobGroupStates(jobId);
    expect(group).toMatchObject({ group_key: SIM, status: "done", attempt: 1 });
    expect(group!.slice).toBeGreaterThanOrEqual(MAX_GROUP_ATTEMPTS);
    const run = await settled(u.token, `/api/tool-eval/history/${r.json.eval_id}`);
    expect(run.status).toBe("completed");
    const caseIds = run.results.map((x: any) => x.test_case_id);
    expect(caseIds).toHaveLength(12);
    expect(new Set(caseIds).size).toBe(12);
    expect(s.messages.filter((m) => m.type === "tool_eval_result" && m.job_id === jobId)).toHaveLength(12);
    expect(await callsTo(model)).toBe(12); // no case was called twice
    expect(await workOf(hub, jobId)).toEqual({ work_done: 12, work_total: 12 });
    const pcts = s.messages.filter((m) => m.type === "job_progress" && m.job_id === jobId).map((m) => m.progress_pct);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b)); // never goes back when a slice hands over
    expect((await call(`/api/jobs/${jobId}`, { token: u.token })).json).toMatchObject({ status: "done", progress_pct: 100 });
    s.ws.close(1000);
  }, 90_000);

  it("splits a halving tune across slices (its rungs included): every trial once, then the answer", async () => {
    const model = slowModel();
    const { u, suiteId, target, hub } = await setUp(6, model);
    const s = await openSocket(u.token);
    const r = await call("/api/tool-eval/param-tune", {
      token: u.token,
      body: {
        suite_id: suiteId,
        targets: [target],
        strategy: "halving",
        search_space: { temperature: [0, 0.5, 1] },
        baseline: { temperature: 0 },
        seed: 4,
      },
    });
    expect(r.status, r.text).toBe(200);
    const jobId = r.json.job_id;
    const complete = await waitFor(s, "tune_complete", jobId, 60_000);
    expect(complete.status).toBe("completed");
    const [group] = await hub.jobGroupStates(jobId);
    expect(group).toMatchObject({ status: "done", attempt: 1 });
    expect(group!.slice).toBeGreaterThan(1);
    const detail = (await call(`/api/tool-eval/param-tune/history/${r.json.tune_id}`, { token: u.token })).json;
    const t = detail.answer.targets[0];
    // The default simulator caller ignores temperature: every combo ties, so all survive every rung.
    expect(t.rungs.length).toBeGreaterThan(1);
    expect(detail.answer.trials_run).toBe(18);
    const trials = await env.DB.prepare("SELECT COUNT(*) AS n FROM param_tune_trials WHERE tune_run_id = ?")
      .bind(r.json.tune_id)
      .first<{ n: number }>();
    expect(trials?.n).toBe(18);
    expect(await callsTo(model)).toBe(18); // no trial was run twice
    expect((await workOf(hub, jobId)).work_done).toBe(18);
    s.ws.close(1000);
  }, 90_000);

  it("cancel between slices stops the job and keeps what the finished slices stored", async () => {
    const model = slowModel();
    const { u, suiteId, target, hub } = await setUp(12, model);
    const s = await openSocket(u.token);
    const r = await call("/api/tool-eval", { token: u.token, body: { suite_id: suiteId, targets: [target] } });
    const jobId = r.json.job_id;
    // Wait until the first slice has handed the group back, then cancel.
    const deadline = Date.now() + 20_000;
    while ((await hub.jobGroupStates(jobId))[0]!.slice < 1) {
      if (Date.now() > deadline) throw new Error("the group was never handed back");
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await call("/api/tool-eval/cancel", { token: u.token, body: { job_id: jobId } })).status).toBe(200);
    await waitFor(s, "job_cancelled", jobId);
    const run = await settled(u.token, `/api/tool-eval/history/${r.json.eval_id}`);
    expect(run.status).toBe("cancelled");
    const kept = run.results.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(12);
    // No slice runs after the cancellation: its message finds the job ended. (At most the one item in flight
    // was called without being stored.)
    const sliceAtCancel = (await hub.jobGroupStates(jobId))[0]!.slice;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await hub.jobGroupStates(jobId))[0]!.slice).toBe(sliceAtCancel);
    expect((await settled(u.token, `/api/tool-eval/history/${r.json.eval_id}`)).results).toHaveLength(kept);
    expect(await callsTo(model)).toBeLessThanOrEqual(kept + 1);
    s.ws.close(1000);
  }, 60_000);
});

describe("time slices in the hub: one delivery at a time", () => {
  /** A running job with one group at attempt 1, slice 0, whose queue messages are caught instead of sent. */
  async function fakeJob() {
    const u = await signUp();
    const hub = env.USER_HUB.getByName(u.user.id);
    const jobId = `slice${tag()}`;
    const sent: any[] = [];
    await runInDurableObject(hub, (h: UserHub, state) => {
      const now = Date.now();
      state.storage.sql.exec(
        `INSERT INTO jobs (id, job_type, status, params, groups_total, created_at, started_at, timeout_seconds, stall_seconds, work_total)
         VALUES (?, 'tool_eval', 'running', '{}', 1, ?, ?, 7200, 180, 4)`,
        jobId,
        now,
        now,
      );
      state.storage.sql.exec("INSERT INTO job_groups (job_id, group_key, status, enqueued_at) VALUES (?, 'g', 'pending', ?)", jobId, now);
      const registry = (h as unknown as { jobs: { deps: { enqueue(m: unknown[]): Promise<void> } } }).jobs;
      registry.deps.enqueue = async (messages) => void sent.push(...messages);
    });
    return { u, hub, jobId, sent };
  }

  it("hands a group on to its next slice: same attempt, no lease; the old slice can no longer claim, renew or hand back", async () => {
    const { u, hub, jobId, sent } = await fakeJob();
    expect(await hub.claimJobGroup(jobId, "g", 1, 0)).toMatchObject({ granted: true });
    const tally = { succeeded: 2, failed: 0, lastError: null };
    expect(await hub.continueJobGroup(u.user.id, jobId, "g", { attempt: 1, slice: 0 }, tally)).toBe("running");
    expect(sent).toEqual([{ kind: "job_group", job_id: jobId, user_id: u.user.id, group_key: "g", attempt: 1, slice: 1 }]);
    // A repeated hand-back (the RPC retried), the old slice's heartbeat and a late copy of its message: nothing.
    expect(await hub.continueJobGroup(u.user.id, jobId, "g", { attempt: 1, slice: 0 }, tally)).toBe("superseded");
    expect(await hub.jobHeartbeat(jobId, "g", 1, 0)).toBe("superseded");
    expect(await hub.claimJobGroup(jobId, "g", 1, 0)).toMatchObject({ granted: false });
    expect(sent).toHaveLength(1);
    // The next slice may claim at once (the hand-back let go of the lease), and only once.
    expect(await hub.claimJobGroup(jobId, "g", 1, 1)).toMatchObject({ granted: true });
    expect(await hub.claimJobGroup(jobId, "g", 1, 1)).toMatchObject({ granted: false });
    expect(await hub.jobHeartbeat(jobId, "g", 1, 1)).toBe("running");
    expect(await hub.jobGroupStates(jobId)).toEqual([{ group_key: "g", status: "pending", attempt: 1, slice: 1 }]);
  });

  it("a dead-lettered message of an old slice does not fail the group; a late copy of it is acknowledged and ignored", async () => {
    const { u, hub, jobId } = await fakeJob();
    await hub.claimJobGroup(jobId, "g", 1, 0);
    await hub.continueJobGroup(u.user.id, jobId, "g", { attempt: 1, slice: 0 }, { succeeded: 1, failed: 0, lastError: null });
    const body = { kind: "job_group", job_id: jobId, user_id: u.user.id, group_key: "g", attempt: 1, slice: 0 };
    for (const queue of [JOBS_QUEUE, JOBS_DLQ]) {
      const batch = createMessageBatch(queue, [{ id: `old-${queue}`, timestamp: new Date(), attempts: 4, body }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`old-${queue}`]);
    }
    expect(await hub.jobGroupStates(jobId)).toEqual([{ group_key: "g", status: "pending", attempt: 1, slice: 1 }]);
    expect(await hub.jobStatus(jobId)).toBe("running");
  });

  it("sends nothing more once the job is cancelled between slices", async () => {
    const { u, hub, jobId, sent } = await fakeJob();
    await hub.claimJobGroup(jobId, "g", 1, 0);
    expect((await hub.cancelJob(u.user.id, jobId)).ok).toBe(true);
    const handBack = await hub.continueJobGroup(u.user.id, jobId, "g", { attempt: 1, slice: 0 }, { succeeded: 1, failed: 0, lastError: null });
    expect(handBack).toBe("cancelled");
    expect(sent.filter((m) => m.kind === "job_group")).toEqual([]);
    expect(await hub.claimJobGroup(jobId, "g", 1, 0)).toMatchObject({ granted: false, status: "cancelled" });
  });

  it("a group's outcome counts every slice: successes in an earlier slice keep a failing last slice from failing it", async () => {
    const { u, hub, jobId } = await fakeJob();
    await hub.claimJobGroup(jobId, "g", 1, 0);
    await hub.continueJobGroup(u.user.id, jobId, "g", { attempt: 1, slice: 0 }, { succeeded: 2, failed: 0, lastError: null });
    await hub.claimJobGroup(jobId, "g", 1, 1);
    await hub.jobGroupFinished(u.user.id, jobId, "g", { tally: { succeeded: 0, failed: 2, lastError: "Rate limited" } }, { attempt: 1, slice: 1 });
    expect(await hub.jobGroupStates(jobId)).toEqual([{ group_key: "g", status: "done", attempt: 1, slice: 1 }]);

    const other = await fakeJob();
    await other.hub.claimJobGroup(other.jobId, "g", 1, 0);
    await other.hub.continueJobGroup(other.u.user.id, other.jobId, "g", { attempt: 1, slice: 0 }, { succeeded: 0, failed: 1, lastError: "Bad key" });
    await other.hub.jobGroupFinished(
      other.u.user.id,
      other.jobId,
      "g",
      { tally: { succeeded: 0, failed: 0, lastError: null } },
      { attempt: 1, slice: 1 },
    );
    const [g] = await other.hub.jobGroupStates(other.jobId);
    expect(g!.status).toBe("failed");
  });
});
