import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker/index.ts";
import { JOBS_DLQ, JOBS_QUEUE } from "../../src/worker/queue/messages.ts";
import { signUp } from "./helpers.ts";
import { openSocket } from "./sockets.ts";

describe("queue consumer", () => {
  it("acks valid messages after delivering them, and acks (drops) messages that fail validation", async () => {
    const u = await signUp();
    const s = await openSocket(u.token);
    await s.next("connected");
    const batch = createMessageBatch(JOBS_QUEUE, [
      { id: "good", timestamp: new Date(), attempts: 1, body: { kind: "probe", user_id: u.user.id, probe_id: "p-1", sent_at: Date.now() } },
      { id: "garbage", timestamp: new Date(), attempts: 1, body: { kind: "launch_missiles" } },
      { id: "wrong-types", timestamp: new Date(), attempts: 1, body: { kind: "probe", user_id: 5 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["garbage", "good", "wrong-types"]);
    expect(result.retryMessages).toEqual([]);
    expect((await s.next("queue_probe")).probe_id).toBe("p-1");
    s.ws.close(1000);
  });

  it("acks dead-lettered messages (it records them instead of looping)", async () => {
    const batch = createMessageBatch(JOBS_DLQ, [
      { id: "dead", timestamp: new Date(), attempts: 4, body: { kind: "probe", user_id: "u", probe_id: "p", sent_at: 1 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dead"]);
  });
});
