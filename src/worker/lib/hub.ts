/** Reaching a user's Durable Object (UserHub), by user id. */
import type { Context } from "hono";
import type { ServerEvent } from "../../shared/events.ts";
import type { AppEnv } from "./http.ts";

export function hubFor(env: Env, userId: string) {
  return env.USER_HUB.getByName(userId);
}

/** Fan an event out to every open tab of the current user; delivery is best-effort and never fails the request. */
export function notifyUser(c: Context<AppEnv>, event: ServerEvent): void {
  const userId = c.var.user.id;
  const send = hubFor(c.env, userId)
    .broadcast(event)
    .catch((err: unknown) => c.var.log.warn("hub broadcast failed", { err: String(err), type: event.type }));
  c.executionCtx.waitUntil(send);
}
