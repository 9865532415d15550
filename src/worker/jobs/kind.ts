/**
 * A job kind: everything one type of job (speed benchmark, tool eval, …) adds to the job runtime. The runtime
 * owns the rest: submitting (submit.ts), running a provider group with leases, heartbeat and cancellation
 * (runner.ts), and recording the outcome on the run row (outcome.ts). docs/adding-a-job-kind.md walks through it.
 */
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { ItemFailure } from "../../durable/job-registry.ts";
import type { ServerEvent } from "../../shared/events.ts";
import type { JobStatus, JobType } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";

/** A kind's run table: one row per job, with the columns the runtime writes. */
export type RunTable = SQLiteTable & Record<"id" | "userId" | "jobId" | "status" | "completedAt", SQLiteColumn>;

/** What a kind's `plan` may use: the caller, the database and the bindings. */
export interface PlanContext {
  env: Env;
  db: Db;
  userId: string;
  jobId: string;
  runId: string;
  /** Set when a schedule submits the job (not the user): the run row records it (`schedule_id`). */
  origin?: PlanOrigin;
}

export interface PlanOrigin {
  scheduleId: string;
}

/** A submitted job, as its kind describes it. The runtime inserts `runRow`, submits and broadcasts `initEvents`. */
export interface JobPlan {
  /** The run row (without id, user_id and job_id, which the runtime sets). */
  runRow: Record<string, unknown>;
  /** One queue message, and one independent worker, per group (e.g. per provider). */
  groups: string[];
  /** Units of work (measured runs, cases × models) for the progress bar. */
  workTotal: number;
  /** Small and flat: what the jobs list shows about the job. */
  params: Record<string, string | number | boolean | null>;
  progressDetail: string;
  /** Broadcast before any work is queued (`job_id` is filled in by the runtime). */
  initEvents: DistributiveOmit<ServerEvent, "job_id">[];
  /** Fields the submit response adds to `job_id`, `status` and `job_status` (e.g. `run_id`). */
  response: Record<string, unknown>;
  /** For the audit log. */
  audit: { action: string; resourceType: string; detail?: Record<string, unknown> };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event a kind hands the runtime to broadcast (`job_id` is filled in by the runtime). */
export type KindEvent = DistributiveOmit<ServerEvent, "job_id">;

/** The group a worker runs: which job, which group, which delivery, and the job's run row. */
export interface GroupRef {
  jobId: string;
  userId: string;
  groupKey: string;
  /** Which delivery of the group this is (the hub resends a group whose worker was lost). */
  attempt: number;
  /** Which time slice of the attempt (a worker hands a long group back after its time budget; see runner.ts). */
  slice: number;
  runId: string;
}

export interface GroupContext {
  env: Env;
  db: Db;
  group: GroupRef;
}

/** One finished item, stored: what to broadcast and how it counts. `null` from `store`: it was already stored. */
export interface StoredItem {
  events: DistributiveOmit<ServerEvent, "job_id">[];
  /** Progress units this item stands for (a skipped tier stands for all its runs). */
  units: number;
  detail: string;
  /** `ok`: the call succeeded; `failed`: it failed (counted against the job); `skipped`: nothing was called. */
  outcome: "ok" | "failed" | "skipped";
  failure?: ItemFailure;
}

/** One group's work, in order. The runner calls `run` then `store` for each item and reports it to the hub. */
export interface GroupWork<Item, Result> {
  /**
   * Store an item cut off by the job's end (cancelled, timed out) and show it. The speed benchmark does: a run
   * stopped mid-stream is a fact about the run. Left out, such items are dropped.
   */
  keepCutOff?: boolean;
  /** Items still to do: those already stored by an earlier delivery or time slice are left out. */
  items: Item[];
  /**
   * Items that depend on the results so far (a tuner's next halving rung), asked for once `items` run out and
   * again after each batch until it returns none. It reads what is stored, so a redelivery asks the same.
   */
  more?(): Promise<Item[]>;
  /** The event that says an item started (or null). */
  announce(item: Item): DistributiveOmit<ServerEvent, "job_id"> | null;
  /** Does the item's work (the LLM calls); stores nothing. Aborted by `signal` on cancellation or supersession. */
  run(item: Item, signal: AbortSignal): Promise<Result>;
  /** Stores the result; null when a row for it already existed (a duplicate delivery). */
  store(item: Item, result: Result): Promise<StoredItem | null>;
}

export interface JobKind<Request = unknown, Item = unknown, Result = unknown> {
  type: JobType;
  /** The kind's run table; the runtime writes job_id, status and completed_at there. */
  runTable: RunTable;
  /** Checks the request against the user's data (models, suites…) and describes the job. Throws ApiError. */
  plan(ctx: PlanContext, request: Request): Promise<JobPlan>;
  /** Loads one group's work from the run row; null when the run is gone (deleted meanwhile). */
  openGroup(ctx: GroupContext): Promise<GroupWork<Item, Result> | null>;
  /**
   * After the run row records the job's end (any terminal status): sums the run up (a tuner's best config and
   * its significance) and returns events to broadcast. Must be idempotent: the message may be redelivered.
   */
  finish?(ctx: FinishContext): Promise<DistributiveOmit<ServerEvent, "job_id">[]>;
}

export interface FinishContext {
  env: Env;
  db: Db;
  userId: string;
  jobId: string;
  runId: string;
  status: JobStatus;
}
