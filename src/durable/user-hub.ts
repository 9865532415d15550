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
import { DEFAULT_LIMITS } from "../shared/job-limits.ts";
import type { JobQueueMessage } from "../shared/job-messages.ts";
import type { JobStatus, JobView } from "../shared/jobs.ts";
import {
  type CancelResult,
  type GroupClaim,
  type GroupOutcome,
  type HeartbeatStatus,
  type ItemReport,
  JobRegistry,
  type Limits,
  type SliceTally,
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
      // A schedule is due: hand it to the consumer, which claims and submits the run through the job path (the
      // hub writes no product table). A failed send keeps the row, which backs off and tries again.
      schedule_due: async (p) => {
        const { userId, scheduleId, dueAt } = p as { userId: string; scheduleId: string; dueAt: number };
        await this.env.JOBS.send({ kind: "schedule_due", user_id: userId, schedule_id: scheduleId, due_at: dueAt });
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
    return {
      jobsPerHour: row?.benchmarks_per_hour ?? DEFAULT_LIMITS.benchmarks_per_hour,
      maxConcurrent: row?.max_concurrent ?? DEFAULT_LIMITS.max_concurrent,
    };
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
    await this.recordSocketCount(userId);
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

  override async webSocketClose(ws: WebSocket): Promise<void> {
    // web_socket_auto_reply_to_close (compat date ≥ 2026-04-07) answers the close frame; only the count changes.
    await this.recordSocketCount((ws.deserializeAttachment() as SocketAttachment).userId);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.recordSocketCount((ws.deserializeAttachment() as SocketAttachment).userId);
  }

  /** Open sockets only: a socket whose close is being handled may still be listed. */
  private openSocketCount(): number {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  /**
   * The admin system view sums these rows instead of waking every user's hub; it asks a hub directly only when
   * its row says it has sockets (routes/admin.ts). Best-effort: a failed write must not break a connection.
   */
  private async recordSocketCount(userId: string): Promise<void> {
    try {
      await this.env.DB.prepare(
        `INSERT INTO hub_sockets (user_id, sockets, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(user_id) DO UPDATE SET sockets = ?2, updated_at = ?3`,
      )
        .bind(userId, this.openSocketCount(), new Date().toISOString())
        .run();
    } catch {
      // the user was deleted (foreign key) or D1 is briefly unavailable; the admin view re-checks live hubs
    }
  }

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

  /** For consumers, before any work: may this delivery (attempt, slice) of the group run? Takes a lease when it may. */
  async claimJobGroup(jobId: string, groupKey: string, attempt: number, slice = 0): Promise<GroupClaim | null> {
    return this.jobs.claimGroup(jobId, groupKey, { attempt, slice });
  }

  /** For consumers, while working: renews the lease and answers with the job's status (or `superseded`). */
  async jobHeartbeat(jobId: string, groupKey: string, attempt: number, slice = 0): Promise<HeartbeatStatus | null> {
    return this.jobs.heartbeat(jobId, groupKey, { attempt, slice });
  }

  async releaseJobGroup(jobId: string, groupKey: string, attempt: number, slice = 0): Promise<void> {
    this.jobs.releaseGroup(jobId, groupKey, { attempt, slice });
  }

  /** For consumers whose time budget ran out: send the group again as its next slice (not a new attempt). */
  async continueJobGroup(
    userId: string,
    jobId: string,
    groupKey: string,
    delivery: { attempt: number; slice: number },
    tally: SliceTally,
  ): Promise<HeartbeatStatus | null> {
    return this.jobs.continueGroup(userId, jobId, groupKey, delivery, tally);
  }

  /** A group's end; with `delivery`, only from the delivery the group is waiting for. */
  async jobGroupFinished(
    userId: string,
    jobId: string,
    groupKey: string,
    outcome: GroupOutcome,
    delivery?: { attempt: number; slice: number },
  ): Promise<JobStatus | null> {
    return this.jobs.groupFinished(userId, jobId, groupKey, outcome, delivery);
  }

  /** Diagnostics: each group's state and current delivery (how often it was resent, how many slices it took). */
  async jobGroupStates(jobId: string): Promise<Array<{ group_key: string; status: string; attempt: number; slice: number }>> {
    return this.jobs.groupStates(jobId);
  }

  /** An admin changed this user's job limits (routes/admin.ts): queued jobs may start now. */
  async limitsChanged(userId: string): Promise<void> {
    await this.jobs.limitsChanged(userId);
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

  /** Closes every socket of this user (the account was deleted); returns how many were open. */
  async closeAllSockets(reason: string): Promise<number> {
    const open = this.ctx.getWebSockets();
    for (const ws of open) {
      try {
        ws.close(WS_CLOSE.auth, reason.slice(0, 100));
      } catch {
        // already closing
      }
    }
    return open.length;
  }

  async connectionCount(): Promise<number> {
    return this.openSocketCount();
  }

  /** A schedule's one timer (issue 15): set to its next run, or cleared (`null`: disabled, deleted, never again). */
  async armSchedule(userId: string, scheduleId: string, dueAt: number | null): Promise<void> {
    const key = `schedule:${scheduleId}`;
    if (dueAt === null) await this.timers.cancel(key);
    else await this.timers.schedule("schedule_due", dueAt, { userId, scheduleId, dueAt }, key);
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
