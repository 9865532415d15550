/**
 * UserHub: one SQLite-backed Durable Object per user, addressed by user id (`USER_HUB.getByName(userId)`).
 * It is the user's WebSocket hub: it accepts hibernatable sockets (max 5 per user; the 6th is closed with
 * 4008), answers pings without waking, fans every event out to all tabs, and keeps its timers in one alarm.
 * It is also the user's job registry (job-registry.ts): state machine, concurrency limit, FIFO queue,
 * cancellation, timeouts, and leases that resume lost work.
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
  type ServerEvent,
  ServerEventSchema,
  WS_CLOSE,
} from "../shared/events.ts";
import type { JobQueueMessage, JobStatus, JobView } from "../shared/jobs.ts";
import {
  type CancelResult,
  type GroupClaim,
  type HeartbeatStatus,
  type ItemReport,
  JobRegistry,
  type Limits,
  type SubmitInput,
  type SubmitResult,
} from "./job-registry.ts";
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
  private readonly jobs: JobRegistry;

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
      job_timeout: (p) => {
        const { jobId, userId } = p as { jobId: string; userId: string };
        return this.jobs.onTimeout(userId, jobId);
      },
      job_watchdog: (p) => {
        const { jobId, userId } = p as { jobId: string; userId: string };
        return this.jobs.onWatchdog(userId, jobId);
      },
    });
    this.jobs = new JobRegistry({
      sql: ctx.storage.sql,
      timers: this.timers,
      broadcast: (event) => this.broadcast(event),
      limits: (userId) => this.limits(userId),
      enqueue: (messages) => this.enqueue(messages),
      writeThrough: (userId, job) => this.writeThrough(userId, job),
    });
  }

  private async limits(userId: string): Promise<Limits> {
    const row = await this.env.DB.prepare("SELECT benchmarks_per_hour, max_concurrent FROM rate_limits WHERE user_id = ?")
      .bind(userId)
      .first<{ benchmarks_per_hour: number; max_concurrent: number }>();
    return { jobsPerHour: row?.benchmarks_per_hour ?? 20, maxConcurrent: row?.max_concurrent ?? 1 };
  }

  private async enqueue(messages: JobQueueMessage[]): Promise<void> {
    // sendBatch takes at most 100 messages; provider groups are far fewer.
    for (let i = 0; i < messages.length; i += 100) {
      await this.env.JOBS.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
    }
  }

  /**
   * D1 keeps a copy of every job so lists and admin views work across users. This registry mirror is the only
   * D1 table the hub writes; run rows are the job kinds' (their outcome arrives as a `job_finished` message).
   */
  private async writeThrough(userId: string, job: JobView): Promise<void> {
    await this.env.DB.prepare(
      `INSERT INTO jobs (id, user_id, job_type, status, progress_pct, progress_detail, params_json, result_ref,
                         error_class, error_msg, created_at, started_at, completed_at, timeout_at, timeout_seconds,
                         last_progress_at, error_count)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
       ON CONFLICT(id) DO UPDATE SET status = ?4, progress_pct = ?5, progress_detail = ?6, result_ref = ?8,
         error_class = ?9, error_msg = ?10, started_at = ?12, completed_at = ?13, timeout_at = ?14, last_progress_at = ?16,
         error_count = ?17`,
    )
      .bind(
        job.id,
        userId,
        job.job_type,
        job.status,
        job.progress_pct,
        job.progress_detail,
        JSON.stringify(job.params),
        job.result_ref,
        job.error_class,
        job.error_msg,
        job.created_at,
        job.started_at,
        job.completed_at,
        job.timeout_at,
        job.timeout_seconds,
        new Date().toISOString(),
        job.error_count,
      )
      .run();
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
      return Response.json({ error: "WebSocket ticket already used", code: "unauthorized", request_id: "hub" }, { status: 401 });
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
    this.send(server, { type: "sync", ...this.jobs.snapshot() });
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
      case "cancel": {
        const { userId } = ws.deserializeAttachment() as SocketAttachment;
        const result = await this.jobs.cancel(userId, parsed.data.job_id);
        if (!result.ok) this.send(ws, { type: "error", code: result.code, message: result.message });
        return;
      }
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

  async submitJob(userId: string, input: SubmitInput): Promise<SubmitResult> {
    return this.jobs.submit(userId, input);
  }

  async cancelJob(userId: string, jobId: string): Promise<CancelResult> {
    return this.jobs.cancel(userId, jobId);
  }

  /** For consumers: one finished unit of work (its events, progress, failure); returns the job's status. */
  async reportJobItem(userId: string, jobId: string, report: ItemReport): Promise<JobStatus | null> {
    return this.jobs.reportItem(userId, jobId, report);
  }

  /** For consumers, before any work: may this delivery of the group run? Takes a lease when it may. */
  async claimJobGroup(jobId: string, groupKey: string, attempt: number): Promise<GroupClaim | null> {
    return this.jobs.claimGroup(jobId, groupKey, attempt);
  }

  /** For consumers, while working: renews the lease and answers with the job's status (or `superseded`). */
  async jobHeartbeat(jobId: string, groupKey: string, attempt: number): Promise<HeartbeatStatus | null> {
    return this.jobs.heartbeat(jobId, groupKey, attempt);
  }

  async releaseJobGroup(jobId: string, groupKey: string, attempt: number): Promise<void> {
    this.jobs.releaseGroup(jobId, groupKey, attempt);
  }

  async jobGroupFinished(userId: string, jobId: string, groupKey: string, outcome: { ok: boolean; error?: string }): Promise<JobStatus | null> {
    return this.jobs.groupFinished(userId, jobId, groupKey, outcome);
  }

  async jobStatus(jobId: string): Promise<JobStatus | null> {
    return this.jobs.status(jobId);
  }

  async rateLimitStatus(userId: string): Promise<{ limit: number; remaining: number; resets_at: string | null }> {
    const { jobsPerHour } = await this.limits(userId);
    const usage = this.jobs.hourlyUsage();
    return {
      limit: jobsPerHour,
      remaining: Math.max(0, jobsPerHour - usage.used),
      resets_at: usage.resetsAt === null ? null : new Date(usage.resetsAt).toISOString(),
    };
  }

  /** Domain events from consumers (benchmark results, eval results) go to every tab of the user. */
  async publish(event: ServerEvent): Promise<number> {
    return this.broadcast(event);
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
