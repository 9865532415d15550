/**
 * The job-kind contract: every registered kind, through its real API, queue, runner and simulator, must submit,
 * run, ignore a duplicate delivery, cancel, fail honestly, resume after losing its worker, record its outcome on
 * the run row (completed_at included), and broadcast its init event before any work starts.
 * A new kind is added to FIXTURES (job-kind-fixtures.ts); the first test fails until it is.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { UserHub } from "../../src/durable/user-hub.ts";
import worker from "../../src/worker/index.ts";
import { REGISTERED_KINDS } from "../../src/worker/jobs/kinds.ts";
import { JOBS_QUEUE } from "../../src/worker/queue/messages.ts";
import { call, signUp } from "./helpers.ts";
import { countOf, FIXTURES, resultsOf, SIM, settledRun } from "./job-kind-fixtures.ts";
import { openSocket, type TestSocket } from "./sockets.ts";

async function waitFor(s: TestSocket, pred: (m: any) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = s.messages.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; saw ${s.messages.map((m) => `${m.type}:${m.job_id ?? ""}${m.error ? ` (${m.error})` : ""}`).join(", ")}`,
      );
    await new Promise((r) => setTimeout(r, 20));
  }
}

const KINDS = [...new Map(REGISTERED_KINDS.map(([, kind]) => [kind.type, kind])).keys()];

describe("job kinds", () => {
  it("every registered kind has a contract fixture", () => {
    expect(KINDS.sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  describe.each(Object.entries(FIXTURES))("%s", (type, f) => {
    async function submit(model: string, items: number) {
      const u = await signUp();
      const body = await f.request(u.token, model, items);
      const s = await openSocket(u.token);
      const r = await call(f.submitPath, { token: u.token, body });
      expect(r.status, r.text).toBe(200);
      const jobId: string = r.json.job_id;
      const runId: string = r.json[f.runIdField];
      const of = (t: string) => (m: any) => m.type === t && m.job_id === jobId;
      return { u, s, jobId, runId, of, submitted: r.json };
    }

    it("runs: init before any work, every result once, outcome and completed_at on the run row", async () => {
      const { u, s, jobId, runId, of, submitted } = await submit(`sim-ttft10-tps500-len10-tag${type.replace("_", "")}run`, 3);
      expect(submitted).toMatchObject({ status: "submitted", job_status: "running" });
      await waitFor(s, of("job_completed"), "completed");
      const order = s.messages.filter((m) => m.job_id === jobId).map((m) => m.type);
      expect(order[0]).toBe("job_created");
      expect(order.indexOf(f.events.init)).toBe(1); // broadcast with the submission, before the job starts
      expect(order.indexOf("job_started")).toBeGreaterThan(1);
      expect(order.indexOf(f.events.progress)).toBeGreaterThan(order.indexOf("job_started"));
      expect(order.filter((t) => t === f.events.result)).toHaveLength(countOf(f, 3));
      expect(order.at(-1)).toBe("job_completed");
      const run = await settledRun(u.token, f.historyPath(runId));
      expect(run.status).toBe("completed");
      expect(Date.parse(run.completed_at)).toBeGreaterThanOrEqual(Date.parse(run.timestamp));
      expect(resultsOf(f, run)).toHaveLength(countOf(f, 3));
      s.ws.close(1000);
    });

    it("ignores a duplicate delivery of a group that is being worked on", async () => {
      const { u, s, jobId, runId, of } = await submit(`sim-ttft150-tps100-len10-tag${type.replace("_", "")}dup`, 3);
      await waitFor(s, of(f.events.result), "first result");
      const batch = createMessageBatch(JOBS_QUEUE, [
        {
          id: "dup",
          timestamp: new Date(),
          attempts: 1,
          body: { kind: "job_group", job_id: jobId, user_id: u.user.id, group_key: f.groupKey ?? SIM, attempt: 1 },
        },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual(["dup"]);
      await waitFor(s, of("job_completed"), "completed");
      expect(s.messages.filter(of(f.events.result))).toHaveLength(countOf(f, 3));
      expect(resultsOf(f, await settledRun(u.token, f.historyPath(runId)))).toHaveLength(countOf(f, 3));
      s.ws.close(1000);
    });

    it("cancels: the job ends cancelled, finished items are kept, the row says cancelled with completed_at", async () => {
      const { u, s, jobId, runId, of } = await submit(`sim-ttft400-tps20-len40-tag${type.replace("_", "")}cancel`, 4);
      await waitFor(s, of(f.events.progress), "work started");
      const r = await call(f.cancelPath, { token: u.token, body: { job_id: jobId } });
      expect(r.status, r.text).toBe(200);
      await waitFor(s, of("job_cancelled"), "cancelled");
      const run = await settledRun(u.token, f.historyPath(runId));
      expect(run.status).toBe("cancelled");
      expect(run.completed_at).not.toBeNull();
      expect(resultsOf(f, run).filter((x) => x.success).length).toBeLessThan(4);
      s.ws.close(1000);
    });

    it("fails honestly when every call fails, and records it on the row", async () => {
      const { u, s, runId, of } = await submit("sim-fault401", 2);
      const failed = await waitFor(s, of("job_failed"), "failed");
      expect(failed.error_class).toBe("all_failed");
      expect(failed.error).toMatch(new RegExp(`^All ${countOf(f, 2)} calls failed: auth ×${countOf(f, 2)}`));
      const run = await settledRun(u.token, f.historyPath(runId));
      expect(run.status).toBe("failed");
      expect(run.completed_at).not.toBeNull();
      s.ws.close(1000);
    });

    it("resumes after losing its worker: every item exactly once", async () => {
      const { u, s, jobId, runId, of } = await submit(`sim-ttft100-tps100-len20-tag${type.replace("_", "")}lost`, 4);
      await waitFor(s, of(f.events.result), "first result");
      const stub = env.USER_HUB.getByName(u.user.id);
      await runInDurableObject(stub, (_hub: UserHub, state) => {
        state.storage.sql.exec("UPDATE job_groups SET lease_until = 0 WHERE job_id = ?", jobId);
        state.storage.sql.exec("UPDATE timers SET due_at = 0 WHERE kind = 'job_watchdog'");
      });
      await runDurableObjectAlarm(stub);
      await waitFor(s, (m) => of("job_progress")(m) && /Resuming/.test(m.progress_detail), "resumed");
      await waitFor(s, of("job_completed"), "completed after resume", 30_000);
      expect(s.messages.filter(of(f.events.result))).toHaveLength(countOf(f, 4));
      const run = await settledRun(u.token, f.historyPath(runId));
      expect(resultsOf(f, run)).toHaveLength(countOf(f, 4));
      expect(resultsOf(f, run).every((x) => x.success)).toBe(true);
      s.ws.close(1000);
    });
  });
});
