/**
 * The per-user job registry, living inside UserHub (one per user, so no cross-user locking is ever needed).
 *
 * - State machine from src/shared/jobs.ts, enforced: an illegal transition is refused, not just logged.
 * - Per-user concurrency limit (rate_limits.max_concurrent, default 1) with a FIFO queue; the next queued job
 *   starts whenever a slot frees. Jobs per hour (default 20) are refused with a retry-after.
 * - The hub's SQLite is the source of truth; every change is written through to D1 `jobs` for lists and admin.
 * - Work is split into groups (one queue message each, e.g. one per provider). Consumers report progress and
 *   group completion; the job finishes when every group has.
 * - Leases: a consumer claims its group before working and renews the claim while it works. The watchdog (every
 *   5 s while a job runs) sends a group whose lease lapsed, or that nobody claimed for `stall_seconds`, again as
 *   a new attempt; the new consumer skips results already stored, so the job resumes where it stopped. Only
 *   after MAX_GROUP_ATTEMPTS does the job end `interrupted`, with a reason that says so.
 * - Time slices: a consumer works on a group for a bounded time, then hands it back (`continueGroup`) and the
 *   group is sent again as the next slice of the same attempt. A slice is not a lost attempt; the pair
 *   (attempt, slice) names the one delivery that may claim, renew, hand back or finish the group, so a late or
 *   duplicate message of an earlier slice does nothing.
 * - Outcomes tell the truth: consumers report failed items with their error class; a job whose every item
 *   failed ends `failed` with a summary, one with some failures ends `done` with an error count.
 * - A timeout per job (default 2 h) on the alarm, so nothing stays "running" forever.
 */

import type { ServerEvent } from "../shared/events.ts";
import type { JobQueueMessage } from "../shared/job-messages.ts";
import { ACTIVE_STATUSES, canTransition, isTerminal, JOB_TIMEOUT_SECONDS, type JobStatus, type JobType, type JobView } from "../shared/jobs.ts";
import type { TimerTable } from "./timers.ts";

export const DEFAULT_STALL_SECONDS = 180;
/** A claim on a group lasts this long unless renewed; consumers renew it from their heartbeat. */
export const LEASE_MS = 15_000;
/** Heartbeats come every 500 ms; the lease is rewritten only when this much of it has been used. */
const LEASE_RENEW_AFTER_MS = 5_000;
/** How often a running job's leases are checked: lost work is found within LEASE_MS + this (20 s). */
export const WATCHDOG_INTERVAL_MS = 5_000;
/** A group is sent at most this many times (the first delivery and two resumes). */
export const MAX_GROUP_ATTEMPTS = 3;
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
  /** Broadcast right after `job_created`, before any work is queued, so every tab knows the job before its results. */
  initEvents?: ServerEvent[];
}

export type SubmitResult = { ok: true; job: JobView } | { ok: false; code: "rate_limited"; message: string; retryAfterSeconds: number };

export type CancelResult = { ok: true; job: JobView } | { ok: false; code: "not_found" | "already_finished"; message: string };

/** What a consumer learns when it claims a group: whether the group is its to run, and which job it belongs to. */
export interface GroupClaim {
  granted: boolean;
  status: JobStatus;
  job_type: JobType;
  result_ref: string | null;
}

/** A failed unit of work (a measured run, an eval case): its failure class and a sanitized message. */
export interface ItemFailure {
  cls: string;
  message: string;
}

/** One finished unit of work as a consumer reports it: its events, the units it counts for, a failure if it failed. */
export interface ItemReport {
  events: ServerEvent[];
  units: number;
  detail: string | null;
  failure?: ItemFailure;
}

/** A heartbeat's answer: the job's status, or `superseded` when the group was handed to a newer delivery. */
export type HeartbeatStatus = JobStatus | "superseded";

/** One delivery of a group: the attempt (a new one after a lost worker) and its time slice within the attempt. */
export interface Delivery {
  attempt: number;
  slice: number;
}

/** What one slice of a group did: items that called and succeeded, that failed, and the last failure's message. */
export interface SliceTally {
  succeeded: number;
  failed: number;
  lastError: string | null;
}

/**
 * How a group ended: a runner's tally of its last slice (the hub adds the earlier slices' tallies and decides),
 * or a failure without items (the run was deleted, no runner, the message dead-lettered).
 */
export type GroupOutcome = { tally: SliceTally } | { ok: false; error: string };

interface GroupRow {
  job_id: string;
  group_key: string;
  status: "pending" | "done" | "failed";
  error: string | null;
  attempt: number;
  slice: number;
  lease_until: number | null;
  enqueued_at: number | null;
  items_ok: number;
  items_failed: number;
  last_item_error: string | null;
  [column: string]: SqlStorageValue;
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
  work_failed: number;
  error_summary: string;
  [column: string]: SqlStorageValue;
}

type ErrorSummary = Record<string, { count: number; message: string }>;

/** "rate_limited ×3 (Rate limited by the provider); auth ×1 (…)", most frequent class first. */
function describeFailures(summaryJson: string): string {
  const summary = JSON.parse(summaryJson) as ErrorSummary;
  return Object.entries(summary)
    .sort((a, b) => b[1].count - a[1].count)
    .map(([cls, s]) => `${cls} ×${s.count} (${s.message})`)
    .join("; ");
}

export interface RegistryDeps {
  sql: SqlStorage;
  timers: TimerTable;
  broadcast(event: ServerEvent): Promise<number>;
  limits(userId: string): Promise<Limits>;
  enqueue(messages: JobQueueMessage[]): Promise<void>;
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
      error_count: r.work_failed,
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
    for (const event of input.initEvents ?? []) await this.deps.broadcast(event);
    if (status === "pending") await this.start(userId, job.id, now);
    return { ok: true, job: this.get(job.id)! };
  }

  private countRunning(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'").one().n;
  }

  /** Moves a job along the state machine; refuses illegal moves. Returns false when refused. */
  private transition(
    jobId: string,
    to: JobStatus,
    fields: Partial<Pick<JobRow, "started_at" | "completed_at" | "error_class" | "error_msg" | "progress_detail" | "progress_pct">> = {},
  ): boolean {
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
    this.sql.exec("UPDATE job_groups SET enqueued_at = ?, attempt = 1, slice = 0, lease_until = NULL WHERE job_id = ?", now, jobId);
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
    await this.deps.enqueue(groups.map((g) => ({ kind: "job_group", job_id: jobId, user_id: userId, group_key: g.group_key, attempt: 1, slice: 0 })));
  }

  /** After an admin changed this user's limits: a raised concurrency limit starts queued jobs now. */
  async limitsChanged(userId: string): Promise<void> {
    await this.startNext(userId);
  }

  /** Starts queued jobs, oldest first, while slots are free. */
  private async startNext(userId: string): Promise<void> {
    const { maxConcurrent } = await this.deps.limits(userId);
    while (this.countRunning() < maxConcurrent) {
      const next = this.sql.exec<{ id: string }>("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1").toArray()[0];
      if (!next) return;
      await this.start(userId, next.id);
    }
  }

  private async finish(
    userId: string,
    jobId: string,
    to: "done" | "failed" | "cancelled" | "interrupted",
    error?: { cls: string; msg: string },
  ): Promise<boolean> {
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
    if (to === "done") {
      await this.deps.broadcast({
        type: "job_completed",
        job_id: jobId,
        result_ref: job.result_ref,
        error_count: job.error_count,
        error: job.error_msg,
      });
    } else if (to === "cancelled") await this.deps.broadcast({ type: "job_cancelled", job_id: jobId });
    else await this.deps.broadcast({ type: "job_failed", job_id: jobId, error: job.error_msg ?? to, error_class: job.error_class });
    // The job's kind records the outcome on its run row (the hub knows no product tables).
    await this.deps.enqueue([
      {
        kind: "job_finished",
        job_id: jobId,
        user_id: userId,
        job_type: job.job_type,
        status: to,
        result_ref: job.result_ref,
        completed_at: job.completed_at,
      },
    ]);
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
   * Consumers report progress: `unitsDone` newly finished units of work (added to work_done), a detail line, and
   * for failed units their failure. Any report proves the work is alive. Returns the job's status, so a consumer
   * learns about cancellation from the same call.
   */
  async progress(userId: string, jobId: string, unitsDone: number, detail: string | null, failure?: ItemFailure): Promise<JobStatus | null> {
    const r = this.row(jobId);
    if (!r) return null;
    if (r.status !== "running") return r.status;
    const units = Math.max(0, Math.floor(unitsDone));
    const done = r.work_done + units;
    const pct = r.work_total > 0 ? Math.min(99, Math.floor((done / r.work_total) * 100)) : r.progress_pct;
    let failed = r.work_failed;
    let summary = r.error_summary;
    if (failure && units > 0) {
      failed += units;
      const parsed = JSON.parse(summary) as ErrorSummary;
      const entry = parsed[failure.cls] ?? { count: 0, message: failure.message.slice(0, 200) };
      parsed[failure.cls] = entry;
      entry.count += units;
      summary = JSON.stringify(parsed);
    }
    this.sql.exec(
      `UPDATE jobs SET last_progress_at = ?, work_done = ?, progress_pct = ?, progress_detail = ?, work_failed = ?,
                       error_summary = ? WHERE id = ?`,
      Date.now(),
      done,
      pct,
      detail ?? r.progress_detail,
      failed,
      summary,
      jobId,
    );
    if (pct !== r.progress_pct || (detail !== null && detail !== r.progress_detail)) {
      const job = this.get(jobId)!;
      await this.deps.broadcast({ type: "job_progress", job_id: jobId, progress_pct: job.progress_pct, progress_detail: job.progress_detail });
      if (pct !== r.progress_pct) await this.deps.writeThrough(userId, job);
    }
    return "running";
  }

  /** One finished unit of work: its events go to every tab, then its progress is counted; returns the job's status. */
  async reportItem(userId: string, jobId: string, report: ItemReport): Promise<JobStatus | null> {
    const r = this.row(jobId);
    if (!r) return null;
    if (r.status !== "running") return r.status; // a late report of a finished job: nothing to show or count
    for (const event of report.events) await this.deps.broadcast(event);
    return this.progress(userId, jobId, report.units, report.detail, report.failure);
  }

  /** Each group's state and current delivery, in key order (diagnostics and tests). */
  groupStates(jobId: string): Array<{ group_key: string; status: string; attempt: number; slice: number }> {
    return this.sql
      .exec<GroupRow>("SELECT * FROM job_groups WHERE job_id = ? ORDER BY group_key", jobId)
      .toArray()
      .map((g) => ({ group_key: g.group_key, status: g.status, attempt: g.attempt, slice: g.slice }));
  }

  private group(jobId: string, groupKey: string): GroupRow | undefined {
    return this.sql.exec<GroupRow>("SELECT * FROM job_groups WHERE job_id = ? AND group_key = ?", jobId, groupKey).toArray()[0];
  }

  /**
   * A consumer asks to run one delivery (attempt and slice) of a group. Granted only to the group's current
   * delivery, while the job runs and nobody else holds a live lease, so a duplicate or stale delivery does no
   * work twice.
   */
  claimGroup(jobId: string, groupKey: string, delivery: Delivery, now = Date.now()): GroupClaim | null {
    const r = this.row(jobId);
    if (!r) return null;
    const claim = { status: r.status, job_type: r.job_type, result_ref: r.result_ref };
    const g = this.group(jobId, groupKey);
    if (r.status !== "running" || !g || g.status !== "pending" || !isCurrent(g, delivery)) return { granted: false, ...claim };
    if (g.lease_until !== null && g.lease_until > now) return { granted: false, ...claim };
    const taken = this.sql
      .exec(
        `UPDATE job_groups SET lease_until = ? WHERE job_id = ? AND group_key = ? AND attempt = ? AND slice = ?
           AND (lease_until IS NULL OR lease_until <= ?) RETURNING group_key`,
        now + LEASE_MS,
        jobId,
        groupKey,
        delivery.attempt,
        delivery.slice,
        now,
      )
      .toArray();
    if (taken.length) this.sql.exec("UPDATE jobs SET last_progress_at = ? WHERE id = ?", now, jobId);
    return { granted: taken.length === 1, ...claim };
  }

  /** The working consumer's heartbeat: renews its lease and says whether to go on. */
  heartbeat(jobId: string, groupKey: string, delivery: Delivery, now = Date.now()): HeartbeatStatus | null {
    const r = this.row(jobId);
    if (!r) return null;
    if (r.status !== "running") return r.status;
    const g = this.group(jobId, groupKey);
    if (!g || !isCurrent(g, delivery)) return "superseded";
    if (g.status === "pending" && (g.lease_until ?? 0) - now < LEASE_MS - LEASE_RENEW_AFTER_MS) {
      this.sql.exec(
        "UPDATE job_groups SET lease_until = ? WHERE job_id = ? AND group_key = ? AND attempt = ? AND slice = ?",
        now + LEASE_MS,
        jobId,
        groupKey,
        delivery.attempt,
        delivery.slice,
      );
    }
    return "running";
  }

  /** A consumer that failed with an exception lets go, so the queue's retry of the same delivery can claim it. */
  releaseGroup(jobId: string, groupKey: string, delivery: Delivery): void {
    this.sql.exec(
      "UPDATE job_groups SET lease_until = NULL WHERE job_id = ? AND group_key = ? AND attempt = ? AND slice = ?",
      jobId,
      groupKey,
      delivery.attempt,
      delivery.slice,
    );
  }

  /**
   * The consumer holding `delivery` used up its time budget: it stored what it finished and hands the group back.
   * The group goes out again as the next slice of the same attempt (the attempt count is untouched, so a long
   * job is never mistaken for lost work) with no lease, and the slice's tally is carried to the group's outcome.
   * Only the current delivery may do this, and only while the job runs: a cancelled job sends nothing more, and
   * a stale or repeated hand-back does nothing. Returns the job's status, or `superseded`.
   */
  async continueGroup(
    userId: string,
    jobId: string,
    groupKey: string,
    delivery: Delivery,
    tally: SliceTally,
    now = Date.now(),
  ): Promise<HeartbeatStatus | null> {
    const r = this.row(jobId);
    if (!r) return null;
    if (r.status !== "running") return r.status;
    const slice = delivery.slice + 1;
    const moved = this.sql
      .exec(
        `UPDATE job_groups SET slice = ?, lease_until = NULL, enqueued_at = ?, items_ok = items_ok + ?,
                items_failed = items_failed + ?, last_item_error = COALESCE(?, last_item_error)
         WHERE job_id = ? AND group_key = ? AND status = 'pending' AND attempt = ? AND slice = ? RETURNING group_key`,
        slice,
        now,
        Math.max(0, Math.floor(tally.succeeded)),
        Math.max(0, Math.floor(tally.failed)),
        tally.lastError?.slice(0, 500) ?? null,
        jobId,
        groupKey,
        delivery.attempt,
        delivery.slice,
      )
      .toArray();
    if (!moved.length) return "superseded";
    this.sql.exec("UPDATE jobs SET last_progress_at = ? WHERE id = ?", now, jobId);
    await this.deps.enqueue([{ kind: "job_group", job_id: jobId, user_id: userId, group_key: groupKey, attempt: delivery.attempt, slice }]);
    return "running";
  }

  /**
   * A consumer finished one group. Idempotent: a redelivered report changes nothing. With `delivery`, only the
   * group's current delivery may finish it (a dead-lettered message of an earlier slice or attempt does nothing).
   * A group fails only when it called and every call failed, over all its slices (skipped items are neither).
   */
  async groupFinished(userId: string, jobId: string, groupKey: string, outcome: GroupOutcome, delivery?: Delivery): Promise<JobStatus | null> {
    const r = this.row(jobId);
    if (!r) return null;
    const g = this.group(jobId, groupKey);
    if (!g || (delivery && !isCurrent(g, delivery))) return r.status;
    let ok = false;
    let error: string | null = null;
    if ("tally" in outcome) {
      const succeeded = g.items_ok + outcome.tally.succeeded;
      const failed = g.items_failed + outcome.tally.failed;
      ok = failed === 0 || succeeded > 0;
      if (!ok) error = outcome.tally.lastError ?? g.last_item_error ?? "every call failed";
    } else error = outcome.error;
    const updated = this.sql
      .exec(
        `UPDATE job_groups SET status = ?, error = ?, lease_until = NULL WHERE job_id = ? AND group_key = ? AND status = 'pending'
         RETURNING group_key`,
        ok ? "done" : "failed",
        error,
        jobId,
        groupKey,
      )
      .toArray();
    if (!updated.length || r.status !== "running") return this.status(jobId);
    this.sql.exec("UPDATE jobs SET last_progress_at = ? WHERE id = ?", Date.now(), jobId);
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM job_groups WHERE job_id = ? AND status = 'pending'", jobId).one().n;
    if (left > 0) return "running";
    await this.finishFromOutcomes(userId, jobId);
    return this.status(jobId);
  }

  /** Every group has reported: failed when nothing succeeded, else done with the failures counted. */
  private async finishFromOutcomes(userId: string, jobId: string): Promise<void> {
    const r = this.row(jobId)!;
    const failedGroups = this.sql
      .exec<{ group_key: string; error: string | null }>("SELECT group_key, error FROM job_groups WHERE job_id = ? AND status = 'failed'", jobId)
      .toArray();
    const everyItemFailed = r.work_done > 0 && r.work_failed >= r.work_done;
    if (everyItemFailed) {
      const noun = r.work_failed === 1 ? "call" : "calls";
      await this.finish(userId, jobId, "failed", {
        cls: "all_failed",
        msg: `All ${r.work_failed} ${noun} failed: ${describeFailures(r.error_summary)}`,
      });
    } else if (failedGroups.length === r.groups_total && failedGroups.length > 0) {
      await this.finish(userId, jobId, "failed", {
        cls: "all_groups_failed",
        msg: failedGroups.map((f) => `${f.group_key}: ${f.error ?? "failed"}`).join("; "),
      });
    } else if (r.work_failed > 0) {
      await this.finish(userId, jobId, "done", {
        cls: "partial_failure",
        msg: `${r.work_failed} of ${r.work_done} calls failed: ${describeFailures(r.error_summary)}`,
      });
    } else {
      await this.finish(userId, jobId, "done");
    }
  }

  async onTimeout(userId: string, jobId: string): Promise<void> {
    const r = this.row(jobId);
    if (r?.status !== "running") return;
    await this.finish(userId, jobId, "failed", { cls: "timeout", msg: `Timeout exceeded (${r.timeout_seconds} s)` });
  }

  /**
   * Lost work: a group whose lease lapsed (its consumer died: a crash, a deploy, a killed server) or that no
   * consumer claimed for `stall_seconds` (its message was lost) is sent again as a new attempt; results already
   * stored are kept and not re-run. After MAX_GROUP_ATTEMPTS the job ends interrupted and says why.
   */
  async onWatchdog(userId: string, jobId: string, now = Date.now()): Promise<void> {
    const r = this.row(jobId);
    if (r?.status !== "running") return;
    const pending = this.sql.exec<GroupRow>("SELECT * FROM job_groups WHERE job_id = ? AND status = 'pending'", jobId).toArray();
    for (const g of pending) {
      const lost = g.lease_until !== null ? g.lease_until <= now : now - (g.enqueued_at ?? r.started_at ?? now) >= r.stall_seconds * 1000;
      if (!lost) continue;
      if (g.attempt >= MAX_GROUP_ATTEMPTS) {
        const fresh = this.row(jobId)!;
        await this.finish(userId, jobId, "interrupted", {
          cls: "interrupted",
          msg: `Interrupted: the worker running ${g.group_key} was lost ${g.attempt} times; the ${fresh.work_done} finished items are kept`,
        });
        return;
      }
      await this.resendGroup(userId, jobId, g, now);
    }
    await this.deps.timers.schedule("job_watchdog", now + WATCHDOG_INTERVAL_MS, { jobId, userId }, `watchdog:${jobId}`);
  }

  private async resendGroup(userId: string, jobId: string, g: GroupRow, now: number): Promise<void> {
    const attempt = g.attempt + 1;
    const moved = this.sql
      .exec<{ slice: number }>(
        `UPDATE job_groups SET attempt = ?, lease_until = NULL, enqueued_at = ? WHERE job_id = ? AND group_key = ? AND attempt = ?
         RETURNING slice`,
        attempt,
        now,
        jobId,
        g.group_key,
        g.attempt,
      )
      .toArray();
    if (!moved.length) return;
    const detail = `Resuming ${g.group_key}: its worker was lost (attempt ${attempt} of ${MAX_GROUP_ATTEMPTS})`;
    this.sql.exec("UPDATE jobs SET progress_detail = ? WHERE id = ?", detail, jobId);
    const job = this.get(jobId)!;
    await this.deps.writeThrough(userId, job);
    await this.deps.broadcast({ type: "job_progress", job_id: jobId, progress_pct: job.progress_pct, progress_detail: detail });
    await this.deps.enqueue([{ kind: "job_group", job_id: jobId, user_id: userId, group_key: g.group_key, attempt, slice: moved[0]!.slice }]);
  }
}

/** Is `delivery` the one the group is waiting for (its current attempt and slice)? */
function isCurrent(g: GroupRow, delivery: Delivery): boolean {
  return g.attempt === delivery.attempt && g.slice === delivery.slice;
}
