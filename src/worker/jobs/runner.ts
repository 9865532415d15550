/**
 * The one group runner of every job kind. The consumer has claimed the group (claiming tells it the job's type
 * and run, so the job is read once); the runner opens the kind's work, runs item after item, stores each result
 * the moment it exists and reports it to the hub in one call that answers with the job's status.
 *
 * Cancellation has one mechanism: an AbortSignal, aborted when the heartbeat (every 500 ms, which also renews the
 * group's lease) or an item report says the job is no longer running, or that a newer delivery owns the group.
 * Work cut off by the signal is not stored (a superseded group's newer delivery runs that item again), unless the
 * kind keeps items cut off by the job's end (`keepCutOff`).
 *
 * Time slices: one queue message may run for at most the slice budget (JOB_SLICE_SECONDS, default 180 s). Once
 * it is used up the runner takes no new item: the item in flight finishes and is stored, and the group is handed
 * back to the hub (`continueJobGroup`), which sends it again as the next slice of the same attempt. The next
 * slice opens the group afresh; kinds leave stored items out of `openGroup`, so it resumes where this one stopped.
 * Nothing here is kind-specific: every kind is sliced the same way.
 */

import type { SliceTally } from "../../durable/job-registry.ts";
import type { ServerEvent } from "../../shared/events.ts";
import { makeDb } from "../db/client.ts";
import { hubFor } from "../lib/hub.ts";
import type { GroupRef, JobKind } from "./kind.ts";

export const HEARTBEAT_MS = 500;
/** How long one queue message may work on a group before handing it back, unless JOB_SLICE_SECONDS says otherwise. */
export const DEFAULT_SLICE_SECONDS = 180;

type Hub = ReturnType<typeof hubFor>;

/** The slice budget in ms: JOB_SLICE_SECONDS when it is a positive number (fractions allowed), else the default. */
export function sliceBudgetMs(env: Env): number {
  const seconds = Number(env.JOB_SLICE_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_SLICE_SECONDS) * 1000;
}

/** The group's heartbeat while work runs, as an AbortSignal. */
export function watchGroup(hub: Hub, group: GroupRef) {
  const controller = new AbortController();
  const timer = setInterval(async () => {
    try {
      const status = await hub.jobHeartbeat(group.jobId, group.groupKey, group.attempt, group.slice);
      if (status !== "running") {
        clearInterval(timer);
        controller.abort(status ?? "gone");
      }
    } catch {
      // a transient RPC failure is not a cancellation
    }
  }, HEARTBEAT_MS);
  return {
    signal: controller.signal,
    abort: (reason: string) => controller.abort(reason),
    stop: () => clearInterval(timer),
  };
}

export async function runGroup(env: Env, kind: JobKind, group: GroupRef): Promise<void> {
  const hub = hubFor(env, group.userId);
  const delivery = { attempt: group.attempt, slice: group.slice };
  const work = await kind.openGroup({ env, db: makeDb(env.DB), group });
  if (!work) {
    await hub.jobGroupFinished(group.userId, group.jobId, group.groupKey, { ok: false, error: "The run was deleted" }, delivery);
    return;
  }
  const withJob = (e: Omit<ServerEvent, "job_id"> | null) => (e ? ({ ...e, job_id: group.jobId } as ServerEvent) : null);
  const deadline = Date.now() + sliceBudgetMs(env);
  // Set once an item ends past the deadline: take no further item (at least one runs per slice, so it progresses).
  let outOfTime = false;
  const watch = watchGroup(hub, group);
  const tally: SliceTally = { succeeded: 0, failed: 0, lastError: null };
  try {
    let batch = work.items.length || !work.more ? work.items : await work.more();
    while (batch.length) {
      const outcome = await runBatch(batch);
      if (outcome === "ended") return;
      if (outcome === "sliced") {
        watch.stop();
        await hub.continueJobGroup(group.userId, group.jobId, group.groupKey, delivery, tally);
        return;
      }
      if (outcome === "idle") break;
      batch = work.more ? await work.more() : [];
    }
  } finally {
    watch.stop();
  }
  // The hub adds this slice's tally to the earlier slices' and decides whether the group failed.
  await hub.jobGroupFinished(group.userId, group.jobId, group.groupKey, { tally }, delivery);

  /**
   * Runs one batch: "ended" when the job ended, "sliced" when the time budget ran out before the next item,
   * "idle" when nothing in it was new (so `more` cannot spin).
   */
  async function runBatch(items: unknown[]): Promise<"ended" | "sliced" | "idle" | "next"> {
    if (!work) return "ended";
    if (outOfTime) return "sliced";
    let storedAny = false;
    const first = items[0] === undefined ? null : withJob(work.announce(items[0]));
    if (first) await hub.publish(first);
    for (const [i, item] of items.entries()) {
      if (watch.signal.aborted) return "ended";
      if (outOfTime) return "sliced";
      const result = await work.run(item, watch.signal);
      if (watch.signal.aborted) {
        // Cut off mid-item. A superseded group stores nothing (its newer attempt runs the item again); a kind
        // may keep an item cut off by the job's end, so the user sees where it stopped.
        if (work.keepCutOff && watch.signal.reason !== "superseded") {
          const stored = await work.store(item, result);
          for (const event of stored?.events ?? []) await hub.publish(withJob(event)!);
        }
        return "ended";
      }
      const stored = await work.store(item, result);
      outOfTime = Date.now() >= deadline;
      if (!stored) continue; // a duplicate delivery stored it first
      storedAny = true;
      if (stored.outcome === "ok") tally.succeeded += 1;
      if (stored.outcome === "failed") {
        tally.failed += 1;
        tally.lastError = stored.failure?.message ?? tally.lastError;
      }
      // The next item's start rides on this report, so an item costs one hub call; a slice that stops here
      // leaves the announcement to the next slice.
      const next = outOfTime ? undefined : items[i + 1];
      const events = [...stored.events.map(withJob), next === undefined ? null : withJob(work.announce(next))].filter(
        (e): e is ServerEvent => e !== null,
      );
      const status = await hub.reportJobItem(group.userId, group.jobId, {
        events,
        units: stored.units,
        detail: stored.detail,
        failure: stored.failure,
      });
      if (status !== "running") {
        watch.abort(status ?? "gone");
        return "ended"; // cancelled, timed out or interrupted: the hub has finished the job
      }
    }
    return storedAny ? "next" : "idle";
  }
}
