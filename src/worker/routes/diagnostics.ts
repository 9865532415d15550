/**
 * /api/diagnostics/queue-probe: sends one message through the jobs queue to the user's own hub, which pushes a
 * `queue_probe` event to every open tab. It proves the whole Worker → Queue → consumer → Durable Object →
 * WebSocket path on a fresh deployment (the same path every benchmark result takes).
 */
import { z } from "@hono/zod-openapi";
import { errors, jsonResponse, newRouter, route } from "../lib/http.ts";
import { newId } from "../lib/ids.ts";
import type { QueueMessage } from "../queue/messages.ts";

export const diagnosticsRoutes = newRouter();

diagnosticsRoutes.openapi(
  route({
    method: "post",
    path: "/queue-probe",
    operationId: "sendQueueProbe",
    auth: "user",
    tags: ["diagnostics"],
    summary: "Send a probe through the job queue back to your open tabs (watch the WebSocket)",
    responses: {
      202: jsonResponse(z.object({ probe_id: z.string(), sent_at: z.number() }), "Probe enqueued; watch the WebSocket"),
      401: errors[401],
    },
  }),
  async (c) => {
    const message: QueueMessage = { kind: "probe", user_id: c.var.user.id, probe_id: newId(), sent_at: Date.now() };
    await c.env.JOBS.send(message);
    return c.json({ probe_id: message.probe_id, sent_at: message.sent_at }, 202);
  },
);
