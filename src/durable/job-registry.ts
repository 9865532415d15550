/**
 * The per-user job registry, living inside UserHub (one per user, so no cross-user locking is ever needed).
 *
 * - State machine from src/shared/jobs.ts, enforced: an illegal transition is refused, not just logged.
 * - Per-user concurrency limit (rate_limits.max_concurrent, default 1) with a FIFO queue; the next queued job
 *   starts whenever a slot frees. Jobs per hour (default 20) are refused with a retry-after.
 * - The hub's SQLite is the source of truth; every change is written through to D1 `jobs` for lists and admin.
 * - Work is split into groups (one queue message each, e.g. one per provider). Consumers report progress and
 *   group completion; the job finishes when every group has.
 * - Timers: a timeout per job (default 2 h) and a watchdog that marks a running job interrupted when its
 *   consumers stop reporting (lost work), so nothing stays "running" forever.
 */
import { ACTIVE_STATUSES, canTransition, isTerminal, JOB_TIMEOUT_SECONDS, type JobStatus, type JobType, type JobView } from "../shared/jobs.ts";
import type { ServerEvent } from "../shared/events.ts";
import type { TimerTable } from "./timers.ts";

export const DEFAULT_STALL_SECONDS = 180;
export const WATCHDOG_INTERVAL_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface Limits {
  maxConcurrent: number;
  jobsPerHour: number;
}

export interface SubmitInput {
  jobId: string;
  jobType: JobType;
  params: Record<string, string | number | boolean | null>; // small and flat: ids, counts, labels
  groups: string[]; // one queue message per group
  workTotal?: number; // units of work (e.g. measured runs), for progress_pct
  resultRef?: string | null;
  timeoutSeconds?: number;
  stallSeconds?: number;
  progressDetail?: string;
}

export type SubmitResult =
  | { ok: true; job: JobView }
  | { ok: false; code: "rate_limited"; message: string; retryAfterSeconds: number };

export type CancelResult = { ok: true; job: JobView } | { ok: false; code: "not_found" | "already_finished"; message: string };

export interface JobMessage {
  kind: "job_group";
  job_id: string;
  user_id: string;
  group_key: string;
}

interface JobRow {
  id: string;
  job_type: JobType;
  status: JobStatus;
  params: string;
  groups_total: number;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  timeout_seconds: number;
  stall_seconds: number;
  progress_pct: number;
  progress_detail: string;
  work_total: number;
  work_done: number;
  result_ref: string | null;
  error_class: string | null;
  error_msg: string | null;
  last_progress_at: number | null;
  [column: string]: SqlStorageValue;
}

export interface RegistryDeps {
  sql: SqlStorage;
  timers: TimerTable;
  broadcast(event: ServerEvent): Promise<number>;
  limits(userId: string): Promise<Limits>;
  enqueue(messages: JobMessage[]): Promise<void>;
  writeThrough(userId: string, job: JobView): Promise<void>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class JobRegistry {
  constructor(private readonly deps: RegistryDeps) {}

  private get sql() {
    return this.deps.sql;
  }

  private row(jobId: string): JobRow | undefined {
    return this.sql.exec<JobRow>("SELECT * FROM jobs WHERE id = ?", jobId).toArray()[0];
  }

  private view(r: JobRow): JobView {
    return {
      id: r.id,
      job_type: r.job_type,
      status: r.status,
      progress_pct: r.progress_pct,
      progress_detail: r.progress_detail,
      params: JSON.parse(r.params) as Record<string, unknown>,
      result_ref: r.result_ref,
      error_class: r.error_class,
      error_msg: r.error_msg,
      created_at: iso(r.created_at)!,
      started_at: iso(r.started_at),
      completed_at: iso(r.completed_at),
      timeout_at: r.started_at === null ? null : iso(r.started_at + r.timeout_seconds * 1000),
      timeout_seconds: r.timeout_seconds,
    };
  }

  get(jobId: string): JobView | null {
    const r = this.row(jobId);
    return r ? this.view(r) : null;
  }

  status(jobId: string): JobStatus | null {
    return this.row(jobId)?.status ?? null;
  }

  list(opts: { statuses?: readonly JobStatus[]; limit?: number } = {}): JobView[] {
    const rows = this.sql.exec<JobRow>("SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC").toArray();
    return rows
      .filter((r) => !opts.statuses || opts.statuses.includes(r.status))
      .slice(0, opts.limit ?? 50)
      .map((r) => this.view(r));
  }

  /** The snapshot a (re)connecting tab needs: active jobs oldest first, and the ten latest finished. */
  snapshot(): { active_jobs: JobView[]; recent_jobs: JobView[] } {
    const active = this.list({ statuses: [...ACTIVE_STATUSES], limit: 1000 }).reverse();
    const recent = this.sql
      .exec<JobRow>("SELECT * FROM jobs WHERE completed_at IS NOT NULL ORDER BY completed_at DESC LIMIT 10")
      .toArray()
      .map((r) => this.view(r));
    return { active_jobs: active, recent_jobs: recent };
  }

  /** Jobs created in the last hour and when the oldest of them leaves the window. */
  hourlyUsage(now = Date.now()): { used: number; resetsAt: number | null } {
    const rows = this.sql
      .exec<{ created_at: number }>("SELECT created_at FROM jobs WHERE created_at > ? ORDER BY created_at", now - HOUR_MS)
      .toArray();
    return { used: rows.length, resetsAt: rows.length ? rows[0]!.created_at + HOUR_MS : null };
  }

  async submit(userId: string, input: SubmitInput, now = Date.now()): Promise<SubmitResult> {
    const limits = await this.deps.limits(userId);
    const usage = this.hourlyUsage(now);
    if (usage.used >= limits.jobsPerHour) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((usage.resetsAt ?? now) - now) / 1000));
      return { ok: false, code: "rate_limited", message: `Job limit reached (${limits.jobsPerHour} per hour)`, retryAfterSeconds };
    }
    const running = this.countRunning();
    const status: JobStatus = running >= limits.maxConcurrent ? "queued" : "pending";
    this.sql.exec(
      `INSERT INTO jobs (id, job_type, status, params, groups_total, created_at, timeout_seconds, stall_seconds,
                         progress_detail, result_ref, work_total)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      input.jobId,
      input.jobType,
      status,
      JSON.stringify(input.params),
      input.groups.length,
      now,
      input.timeoutSeconds ?? JOB_TIMEOUT_SECONDS[input.jobType],
      input.stallSeconds ?? DEFAULT_STALL_SECONDS,
      input.progressDetail ?? (status === "queued" ? "Waiting for a free slot" : ""),
      input.resultRef ?? null,
      input.workTotal ?? 0,
    );
    for (const group of input.groups) {
      this.sql.exec("INSERT INTO job_groups (job_id, group_key, status) VALUES (?, ?, 'pending')", input.jobId, group);
    }
    const job = this.get(input.jobId)!;
    await this.deps.writeThrough(userId, job);
    await this.deps.broadcast({
      type: "job_created",
      job_id: job.id,
      job_type: job.job_type,
      status: job.status,
      progress_detail: job.progress_detail,
      created_at: job.created_at,
    });
    if (status === "pending") await this.start(userId, job.id, now);
    return { ok: true, job: this.get(job.id)! };
  }

  private countRunning(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'").one().n;
  }

  /** Moves a job along the state machine; refuses illegal moves. Returns false when refused. */
  private transition(jobId: string, to: JobStatus, fields: Partial<Pick<JobRow, "started_at" | "completed_at" | "error_class" | "error_msg" | "progress_detail" | "progress_pct">> = {}): boolean {
    const current = this.row(jobId);
    if (!current || !canTransition(current.status, to)) return false;
    const sets = ["status = ?"];
    const values: SqlStorageValue[] = [to];
    for (const [k, v] of Object.entries(fields)) {
      sets.push(`${k} = ?`);
      values.push(v as SqlStorageValue);
    }
    // Compare-and-set on the old status, so a concurrent change can never be overwritten.
    const changed = this.sql.exec(`UPDATE jobs SET ${sets.join(", ")} WHERE id = ? AND status = ? RETURNING id`, ...values, jobId, current.status);
    return changed.toArray().length === 1;
  }

  /** Exposed for tests and callers that must respect the state machine. */
  tryTransition(jobId: string, to: JobStatus): boolean {
    return this.transition(jobId, to);
  }

  private async start(userId: string, jobId: string, now = Date.now()): Promise<void> {
    if (!this.transition(jobId, "running", { started_at: now, progress_detail: "Starting" })) return;
    this.sql.exec("UPDATE jobs SET last_progress_at = ? WHERE id = ?", now, jobId);
    const job = this.get(jobId)!;
    const row = this.row(jobId)!;
    await this.deps.timers.schedule("job_timeout", now + row.timeout_seconds * 1000, { jobId, userId }, `timeout:${jobId}`);
    await this.deps.timers.schedule("job_watchdog", now + WATCHDOG_INTERVAL_MS, { jobId, userId }, `watchdog:${jobId}`);
    await this.deps.writeThrough(userId, job);
    await this.deps.broadcast({ type: "job_started", job_id: jobId, job_type: job.job_type });
    const groups = this.sql.exec<{ group_key: string }>("SELECT group_key FROM job_groups WHERE job_id = ?", jobId).toArray();
    if (!groups.length) {
      await this.finish(userId, jobId, "done");
      return;
    }
    await this.deps.enqueue(groups.map((g) => ({ kind: "job_group", job_id: jobId, user_id: userId, group_key: g.group_key })));
  }

  /** Starts queued jobs, oldest first, while slots are free. */
  private async startNext(userId: string): Promise<void> {
    const { maxConcurrent } = await this.deps.limits(userId);
    while (this.countRunning() < maxConcurrent) {
      const next = this.sql
        .exec<{ id: string }>("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1")
        .toArray()[0];
      if (!next) return;
      await this.start(userId, next.id);
    }
  }

  private async finish(userId: string, jobId: string, to: "done" | "failed" | "cancelled" | "interrupted", error?: { cls: string; msg: string }): Promise<boolean> {
    const now = Date.now();
    const fields = {
      completed_at: now,
      ...(to === "done" ? { progress_pct: 100, progress_detail: "Finished" } : {}),
      ...(error ? { error_class: error.cls, error_msg: error.msg.slice(0, 500) } : {}),
    };
    if (!this.transition(jobId, to, fields)) return false;
    await this.deps.timers.cancel(`timeout:${jobId}`);
    await this.deps.timers.cancel(`watchdog:${jobId}`);
    const job = this.get(jobId)!;
    await this.deps.writeThrough(userId, job);
    if (to === "done") await this.deps.broadcast({ type: "job_completed", job_id: jobId, result_ref: job.result_ref });
    else if (to === "cancelled") await this.deps.broadcast({ type: "job_cancelled", job_id: jobId });
    else await this.deps.broadcast({ type: "job_failed", job_id: jobId, error: job.error_msg ?? to, error_class: job.error_class });
    await this.startNext(userId);
    return true;
  }

  async cancel(userId: string, jobId: string): Promise<CancelResult> {
    const r = this.row(jobId);
    if (!r) return { ok: false, code: "not_found", message: "Job not found" };
    if (isTerminal(r.status)) return { ok: false, code: "already_finished", message: "Job already finished" };
    await this.finish(userId, jobId, "cancelled");
    return { ok: true, job: this.get(jobId)! };
  }

  /**
   * Consumers report progress: `unitsDone` newly finished units of work (added to work_done) and a detail line.
   * Any report proves the work is alive (the watchdog reads last_progress_at). Returns the job's status, so a
   * consumer learns about cancellation from the same call.
   */
  async progress(userId: string, jobId: string, unitsDone: number, detail: string | null): Promise<JobStatus | null> {
    const r = this.row(jobId);
    if (!r) return null;
    if (r.status !== "running") return r.status;
    const done = r.work_done + Math.max(0, Math.floor(unitsDone));
    const pct = r.work_total > 0 ? Math.min(99, Math.floor((done / r.work_total) * 100)) : r.progress_pct;
    this.sql.exec(
      "UPDATE jobs SET last_progress_at = ?, work_done = ?, progress_pct = ?, progress_detail = ? WHERE id = ?",
      Date.now(),
      done,
      pct,
      detail ?? r.progress_detail,
      jobId,
    );
    if (pct !== r.progress_pct || (detail !== null && detail !== r.progress_detail)) {
      const job = this.get(jobId)!;
      await this.deps.broadcast({ type: "job_progress", job_id: jobId, progress_pct: job.progress_pct, progress_detail: job.progress_detail });
      if (pct !== r.progress_pct) await this.deps.writeThrough(userId, job);
    }
    return "running";
  }

  /** A consumer finished one group. Idempotent: a redelivered report changes nothing. */
  async groupFinished(userId: string, jobId: string, groupKey: string, outcome: { ok: boolean; error?: string }): Promise<JobStatus | null> {
    const r = this.row(jobId);
    if (!r) return null;
    const updated = this.sql
      .exec(
        "UPDATE job_groups SET status = ?, error = ? WHERE job_id = ? AND group_key = ? AND status = 'pending' RETURNING group_key",
        outcome.ok ? "done" : "failed",
        outcome.error ?? null,
        jobId,
        groupKey,
      )
      .toArray();
    if (!updated.length || r.status !== "running") return this.status(jobId);
    this.sql.exec("UPDATE jobs SET last_progress_at = ? WHERE id = ?", Date.now(), jobId);
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM job_groups WHERE job_id = ? AND status = 'pending'", jobId).one().n;
    if (left > 0) return "running";
    const failed = this.sql
      .exec<{ error: string | null }>("SELECT error FROM job_groups WHERE job_id = ? AND status = 'failed'", jobId)
      .toArray();
    if (failed.length === r.groups_total && failed.length > 0) {
      await this.finish(userId, jobId, "failed", { cls: "all_groups_failed", msg: failed.map((f) => f.error ?? "failed").join("; ") });
    } else {
      await this.finish(userId, jobId, "done");
    }
    return this.status(jobId);
  }

  async onTimeout(userId: string, jobId: string): Promise<void> {
    const r = this.row(jobId);
    if (!r || r.status !== "running") return;
    await this.finish(userId, jobId, "failed", { cls: "timeout", msg: `Timeout exceeded (${r.timeout_seconds} s)` });
  }

  /** Marks a running job interrupted when no consumer has reported for `stall_seconds`. */
  async onWatchdog(userId: string, jobId: string, now = Date.now()): Promise<void> {
    const r = this.row(jobId);
    if (!r || r.status !== "running") return;
    const silentFor = now - (r.last_progress_at ?? r.started_at ?? now);
    if (silentFor >= r.stall_seconds * 1000) {
      await this.finish(userId, jobId, "interrupted", {
        cls: "interrupted",
        msg: `Interrupted: no progress from the workers for ${Math.round(silentFor / 1000)} s`,
      });
      return;
    }
    await this.deps.timers.schedule("job_watchdog", now + WATCHDOG_INTERVAL_MS, { jobId, userId }, `watchdog:${jobId}`);
  }
}
