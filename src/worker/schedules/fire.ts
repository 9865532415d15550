/**
 * A schedule's run: submitted through the one job path (submit.ts), as an ordinary `benchmark` or `tool_eval` job
 * whose run row carries `schedule_id`, so limits, the queue, cancel and History treat it like any other run.
 * Timer-driven runs arrive as `schedule_due` queue messages from the owner's hub (one timer per schedule): the
 * schedule is claimed by moving `next_run_at` to the first slot after now with a compare-and-set, so a duplicate
 * message does nothing and a run missed while the hub slept runs once, never as a burst.
 */
import { and, eq } from "drizzle-orm";
import { benchmarkJob } from "../benchmark/job.ts";
import type { Db } from "../db/client.ts";
import { schedules } from "../db/schema.ts";
import type { JobKind } from "../jobs/kind.ts";
import { type Submitted, submitJobAs } from "../jobs/submit.ts";
import { auditWithoutRequest } from "../lib/audit.ts";
import { ApiError } from "../lib/errors.ts";
import { isoNow } from "../lib/ids.ts";
import { toolEvalJob } from "../tool-eval/job.ts";
import { validatedConfig } from "./config.ts";
import { armSchedule, nextRunIso, type ScheduleRow } from "./store.ts";

export interface ScheduleDueMessage {
  kind: "schedule_due";
  user_id: string;
  schedule_id: string;
  due_at: number;
}

/** Submits one run of the schedule now; records the outcome of the submission on the schedule (and rethrows a refusal). */
export async function fireSchedule(
  env: Env,
  db: Db,
  row: ScheduleRow,
  trigger: "timer" | "manual",
  audit: (entry: Parameters<typeof auditWithoutRequest>[1]) => Promise<void> = (e) => auditWithoutRequest(db, e),
): Promise<Submitted> {
  const now = isoNow();
  try {
    const request = validatedConfig(row.kind, row.config);
    const kind = (row.kind === "benchmark" ? benchmarkJob : toolEvalJob) as unknown as JobKind<Record<string, unknown>>;
    const submitted = await submitJobAs({ env, db, userId: row.userId, audit, origin: { scheduleId: row.id } }, kind, request);
    await db
      .update(schedules)
      .set({
        lastRunAt: now,
        lastJobId: submitted.job_id,
        lastRunId: String(submitted.run_id ?? submitted.eval_id ?? ""),
        lastStatus: submitted.job_status === "queued" ? "queued" : "running",
        lastError: null,
      })
      .where(eq(schedules.id, row.id));
    await audit({
      action: "schedule_run",
      userId: row.userId,
      resourceType: "schedule",
      resourceId: row.id,
      detail: { trigger, job_id: submitted.job_id },
    });
    return submitted;
  } catch (err) {
    // A refusal (rate limit, a model or suite deleted since) is the schedule's last status; the next run still comes.
    const message = err instanceof ApiError ? err.message : "The scheduled run could not be submitted";
    await db
      .update(schedules)
      .set({ lastRunAt: now, lastStatus: "skipped", lastError: message.slice(0, 500) })
      .where(eq(schedules.id, row.id));
    throw err;
  }
}

/** The hub's timer said the schedule is due. */
export async function handleScheduleDue(env: Env, db: Db, message: ScheduleDueMessage): Promise<void> {
  const row = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, message.schedule_id), eq(schedules.userId, message.user_id)))
    .get();
  if (!row?.enabled || !row.nextRunAt) return; // deleted or disabled meanwhile (its timer was cleared too)
  const now = new Date();
  if (Date.parse(row.nextRunAt) > now.getTime() + 1000) {
    await armSchedule(env, row); // edited meanwhile: the timer follows the row
    return;
  }
  // Claim this run: one compare-and-set on next_run_at. The next slot is the first after now, so however long
  // the hub slept, the missed runs are this one run.
  const nextRunAt = nextRunIso(row, now);
  const claimed = await db
    .update(schedules)
    .set({ nextRunAt })
    .where(and(eq(schedules.id, row.id), eq(schedules.nextRunAt, row.nextRunAt)))
    .returning({ id: schedules.id });
  if (!claimed.length) return; // a duplicate delivery, or the user moved the schedule
  try {
    await fireSchedule(env, db, row, "timer");
  } catch (err) {
    if (!(err instanceof ApiError)) throw err; // D1 or hub trouble: the queue retries (the claim stays; see below)
  } finally {
    await armSchedule(env, { ...row, nextRunAt });
  }
}
