/**
 * UserHub: one SQLite-backed Durable Object per user, addressed by user id (`USER_HUB.getByName(userId)`).
 * In this slice it is the user's WebSocket hub: it accepts hibernatable sockets (max 5 per user; the 6th is
 * closed with 4008), answers pings without waking, fans every event out to all tabs, and keeps its timers in
 * one alarm. The job registry (state machine, FIFO queue, timeouts) will live here too.
 *
 * Sockets must survive hibernation: each socket's identity is in its serialized attachment, never only in
 * instance memory, and nothing here uses setTimeout/setInterval (they would keep the object awake).
 */
import { DurableObject } from "cloudflare:workers";
import {
  ClientMessageSchema,
  MAX_SOCKETS_PER_USER,
  PING_FRAME,
  PONG_FRAME,
  ServerEventSchema,
  WS_CLOSE,
  type ServerEvent,
} from "../shared/events.ts";
import { migrateHubStorage } from "./storage.ts";
import { TimerTable } from "./timers.ts";

/** Headers the Worker sets after authenticating the upgrade (only the Worker can reach a DO's fetch). */
export const HUB_HEADERS = { userId: "x-hub-user-id", ticketId: "x-hub-ticket-id", ticketExp: "x-hub-ticket-exp" } as const;

interface SocketAttachment {
  userId: string;
  connectionId: string;
  connectedAt: number;
}

export class UserHub extends DurableObject<Env> {
  private readonly timers: TimerTable;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrateHubStorage(ctx.storage.sql);
    });
    // Answered by the runtime itself, so a pinging tab never wakes a hibernated hub.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    this.timers = new TimerTable(ctx.storage, {
      purge_tickets: () => {
        ctx.storage.sql.exec("DELETE FROM ws_tickets WHERE expires_at < ?", Date.now());
      },
    });
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a websocket upgrade", { status: 426 });
    }
    const userId = request.headers.get(HUB_HEADERS.userId);
    const ticketId = request.headers.get(HUB_HEADERS.ticketId);
    const ticketExp = Number(request.headers.get(HUB_HEADERS.ticketExp));
    if (!userId || !ticketId || !Number.isFinite(ticketExp)) return new Response("unauthenticated", { status: 401 });
    if (!this.claimTicket(ticketId, ticketExp)) {
      return Response.json(
        { error: "WebSocket ticket already used", code: "unauthorized", request_id: "hub" },
        { status: 401 },
      );
    }
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('user_id', ?)", userId);
    await this.timers.schedule("purge_tickets", ticketExp + 1000, {}, "purge_tickets");

    const { 0: client, 1: server } = new WebSocketPair();
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS_PER_USER) {
      server.accept(); // not hibernatable: it only lives long enough to say why it is closed
      server.close(WS_CLOSE.tooMany, "Too many connections");
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server, [`user:${userId}`]);
    const attachment: SocketAttachment = { userId, connectionId: crypto.randomUUID(), connectedAt: Date.now() };
    server.serializeAttachment(attachment);
    this.send(server, { type: "connected", user_id: userId, connections: this.ctx.getWebSockets().length });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Records the ticket's id; false if it was used before (tickets are single-use). */
  private claimTicket(ticketId: string, expiresAt: number): boolean {
    const inserted = this.ctx.storage.sql.exec(
      "INSERT INTO ws_tickets (jti, expires_at) VALUES (?, ?) ON CONFLICT(jti) DO NOTHING RETURNING jti",
      ticketId,
      expiresAt,
    );
    return inserted.toArray().length === 1;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string" || message.length > 4096) {
      this.send(ws, { type: "error", code: "bad_message", message: "Frames must be JSON text up to 4 KiB" });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      this.send(ws, { type: "error", code: "bad_message", message: "Frame is not valid JSON" });
      return;
    }
    const parsed = ClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.send(ws, { type: "error", code: "bad_message", message: "Unknown or malformed message" });
      return;
    }
    switch (parsed.data.type) {
      case "ping": // variants the auto-response did not match byte for byte, e.g. extra whitespace
        this.send(ws, { type: "pong" });
        return;
      case "cancel":
        // The job registry arrives with the job-engine issue; until then no job can exist.
        this.send(ws, { type: "error", code: "not_found", message: "Job not found" });
        return;
    }
  }

  override async webSocketClose(): Promise<void> {
    // web_socket_auto_reply_to_close (compat date ≥ 2026-04-07) answers the close frame; nothing to do.
  }

  override async webSocketError(): Promise<void> {}

  override async alarm(): Promise<void> {
    await this.timers.runDue();
  }

  // ---------------------------------------------------------------- RPC (called by the Worker)

  /** Sends one event to every open socket of this user; returns how many sockets it reached. */
  async broadcast(event: ServerEvent): Promise<number> {
    const frame = JSON.stringify(ServerEventSchema.parse(event));
    let delivered = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
        delivered += 1;
      } catch {
        // A socket that is already closing; the runtime removes it.
      }
    }
    return delivered;
  }

  async connectionCount(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  async pendingTimers(): Promise<Array<{ kind: string; due_at: number }>> {
    return this.timers.pending().map((t) => ({ kind: t.kind, due_at: t.due_at }));
  }

  private send(ws: WebSocket, event: ServerEvent): void {
    try {
      ws.send(JSON.stringify(event));
    } catch {
      // closing socket
    }
  }
}
