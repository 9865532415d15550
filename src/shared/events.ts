/**
 * WebSocket frames, validated with zod on both sides of the trust boundary.
 * Server → client events keep the original's event names; this file is the one list of them.
 */
import { z } from "zod";

export const CONFIG_SCOPES = ["keys", "providers", "models", "prompts", "settings", "onboarding"] as const;

export const ServerEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("connected"), user_id: z.string(), connections: z.number().int() }),
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("config_changed"), scope: z.enum(CONFIG_SCOPES) }),
  z.object({ type: z.literal("queue_probe"), probe_id: z.string(), sent_at: z.number(), received_at: z.number() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type ServerEvent = z.infer<typeof ServerEventSchema>;

/** The client's ping is the exact text `{"type":"ping"}`; the hub answers it without waking (auto-response). */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

export const ClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("cancel"), job_id: z.string().min(1).max(64) }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const WS_CLOSE = { auth: 4001, tooMany: 4008 } as const;
export const MAX_SOCKETS_PER_USER = 5;
