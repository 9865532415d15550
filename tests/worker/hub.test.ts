import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { UserHub } from "../../src/durable/user-hub.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, ticketFor, upgrade, withTimeout } from "./sockets.ts";

describe("WebSocket upgrade", () => {
  it("refuses unauthenticated upgrades before they reach the hub", async () => {
    const u = await signUp();
    expectEnvelope(await responseJson(await upgrade("")), 401);
    expectEnvelope(await responseJson(await upgrade("?ticket=garbage")), 401);
    // A long-lived access token is not a ticket.
    const withAccess = await responseJson(await upgrade(`?ticket=${u.token}`));
    expectEnvelope(withAccess, 401);
    expect(withAccess.json.error).toBe("Invalid token type");
    // A foreign Origin is refused even with a valid ticket.
    const foreign = await upgrade(`?ticket=${await ticketFor(u.token)}`, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    // Not an upgrade at all.
    expect((await call("/ws")).status).toBe(426);
    // No hub was ever created for this user by the refused attempts.
    expect(await env.USER_HUB.getByName(u.user.id).connectionCount()).toBe(0);
  });

  it("accepts a same-origin upgrade, greets it, and lets each ticket be used once", async () => {
    const u = await signUp();
    const ticket = await ticketFor(u.token);
    const first = await upgrade(`?ticket=${ticket}`, { origin: "https://bench.test" });
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    const replay = await upgrade(`?ticket=${ticket}`);
    expect(replay.status).toBe(401);
    first.webSocket!.close(1000, "done");
  });

  it("sends `connected`, answers pings without waking the hub, and reports bad frames", async () => {
    const u = await signUp();
    const s = await openSocket(u.token);
    const hello = await s.next("connected");
    expect(hello).toMatchObject({ user_id: u.user.id, connections: 1 });
    s.ws.send('{"type":"ping"}');
    expect(await s.next("pong")).toEqual({ type: "pong" });
    s.ws.send('{ "type": "ping" }'); // not the exact auto-response text: the hub itself answers
    expect(await s.next("pong")).toEqual({ type: "pong" });
    s.ws.send("not json");
    expect((await s.next("error")).code).toBe("bad_message");
    s.ws.send(JSON.stringify({ type: "cancel", job_id: "nope" }));
    expect((await s.next("error")).code).toBe("not_found");
    s.ws.close(1000);
  });

  it("closes the 6th socket of a user with 4008 and keeps the other five", async () => {
    const u = await signUp();
    const five = await Promise.all(Array.from({ length: 5 }, () => openSocket(u.token)));
    for (const s of five) await s.next("connected");
    const sixth = await openSocket(u.token);
    const closed = await withTimeout(sixth.closed, 3000, "6th close");
    expect(closed.code).toBe(4008);
    expect(await env.USER_HUB.getByName(u.user.id).connectionCount()).toBe(5);
    // Another user is unaffected by this user's limit.
    const other = await signUp();
    const o = await openSocket(other.token);
    expect((await o.next("connected")).connections).toBe(1);
    for (const s of [...five, o]) s.ws.close(1000);
  });
});

describe("fan-out", () => {
  it("delivers every event to every tab of the user, and to no one else", async () => {
    const u = await signUp();
    const stranger = await signUp();
    const tabs = await Promise.all([openSocket(u.token), openSocket(u.token), openSocket(u.token)]);
    const strangerTab = await openSocket(stranger.token);
    for (const t of [...tabs, strangerTab]) await t.next("connected");
    const put = await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "openai", value: "sk-test-abcdefgh12345678" } });
    expect(put.status).toBe(200);
    for (const t of tabs) expect(await t.next("config_changed")).toEqual({ type: "config_changed", scope: "keys" });
    await new Promise((r) => setTimeout(r, 200));
    expect(strangerTab.messages.filter((m) => m.type === "config_changed")).toHaveLength(0);
    expect(JSON.stringify(tabs[0]!.messages)).not.toContain("abcdefgh");
    for (const t of [...tabs, strangerTab]) t.ws.close(1000);
  });

  it("keeps sockets across hibernation (eviction) and still delivers and answers", async () => {
    const u = await signUp();
    const s = await openSocket(u.token);
    await s.next("connected");
    const stub = env.USER_HUB.getByName(u.user.id);
    await evictDurableObject(stub, { webSockets: "hibernate" });
    expect(await stub.connectionCount()).toBe(1);
    expect(await stub.broadcast({ type: "config_changed", scope: "models" })).toBe(1);
    expect((await s.next("config_changed")).scope).toBe("models");
    s.ws.send("bad frame"); // wakes the re-created hub through webSocketMessage
    expect((await s.next("error")).code).toBe("bad_message");
    s.ws.close(1000);
  });

  it("carries a queue message through the consumer to the user's sockets", async () => {
    const u = await signUp();
    const s = await openSocket(u.token);
    await s.next("connected");
    const probe = await call("/api/diagnostics/queue-probe", { method: "POST", token: u.token });
    expect(probe.status).toBe(202);
    const event = await s.next("queue_probe", 8000);
    expect(event.probe_id).toBe(probe.json.probe_id);
    expect(event.received_at).toBeGreaterThanOrEqual(event.sent_at);
    s.ws.close(1000);
  });
});

describe("hub storage and timers", () => {
  it("purges used tickets through its alarm once they expire", async () => {
    const u = await signUp();
    const s = await openSocket(u.token);
    await s.next("connected");
    const stub = env.USER_HUB.getByName(u.user.id);
    const timers = await stub.pendingTimers();
    expect(timers.map((t) => t.kind)).toEqual(["purge_tickets"]);
    // Move the clock of the stored rows instead of waiting 30 s.
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      state.storage.sql.exec("UPDATE ws_tickets SET expires_at = 0");
      state.storage.sql.exec("UPDATE timers SET due_at = 0");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, (_hub: UserHub, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM ws_tickets").one().n).toBe(0);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM timers").one().n).toBe(0);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(false); // nothing left armed
    s.ws.close(1000);
  });
});

async function responseJson(res: Response) {
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
