/**
 * The one group runner of every job kind. The consumer has claimed the group (claiming tells it the job's type
 * and run, so the job is read once); the runner opens the kind's work, runs item after item, stores each result
 * the moment it exists and reports it to the hub in one call that answers with the job's status.
 *
 * Cancellation has one mechanism: an AbortSignal, aborted when the heartbeat (every 500 ms, which also renews the
 * group's lease) or an item report says the job is no longer running, or that a newer attempt owns the group.
 * Work cut off by the signal is not stored (a superseded group's newer attempt runs that item again), unless the
 * kind keeps items cut off by the job's end (`keepCutOff`).
 */

import type { ServerEvent } from "../../shared/events.ts";
import { makeDb } from "../db/client.ts";
import { hubFor } from "../lib/hub.ts";
import type { GroupRef, JobKind } from "./kind.ts";

export const HEARTBEAT_MS = 500;

type Hub = ReturnType<typeof hubFor>;

/** The group's heartbeat while work runs, as an AbortSignal. */
export function watchGroup(hub: Hub, group: GroupRef) {
  const controller = new AbortController();
  const timer = setInterval(async () => {
    try {
      const status = await hub.jobHeartbeat(group.jobId, group.groupKey, group.attempt);
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
  const work = await kind.openGroup({ env, db: makeDb(env.DB), group });
  if (!work) {
    await hub.jobGroupFinished(group.userId, group.jobId, group.groupKey, { ok: false, error: "The run was deleted" });
    return;
  }
  const withJob = (e: Omit<ServerEvent, "job_id"> | null) => (e ? ({ ...e, job_id: group.jobId } as ServerEvent) : null);
  const watch = watchGroup(hub, group);
  let succeeded = 0;
  let failed = 0;
  let lastError: string | null = null;
  try {
    let batch = work.items.length || !work.more ? work.items : await work.more();
    while (batch.length) {
      const outcome = await runBatch(batch);
      if (outcome === "ended") return;
      if (outcome === "idle") break;
      batch = work.more ? await work.more() : [];
    }
  } finally {
    watch.stop();
  }
  // A group fails only when it called and every call failed (skipped items are neither).
  const ok = failed === 0 || succeeded > 0;
  await hub.jobGroupFinished(group.userId, group.jobId, group.groupKey, ok ? { ok } : { ok, error: lastError ?? "every call failed" });

  /** Runs one batch: "ended" when the job ended, "idle" when nothing in it was new (so `more` cannot spin). */
  async function runBatch(items: unknown[]): Promise<"ended" | "idle" | "next"> {
    if (!work) return "ended";
    let storedAny = false;
    const first = items[0] === undefined ? null : withJob(work.announce(items[0]));
    if (first) await hub.publish(first);
    for (const [i, item] of items.entries()) {
      if (watch.signal.aborted) return "ended";
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
      if (!stored) continue; // a duplicate delivery stored it first
      storedAny = true;
      if (stored.outcome === "ok") succeeded += 1;
      if (stored.outcome === "failed") {
        failed += 1;
        lastError = stored.failure?.message ?? lastError;
      }
      // The next item's start rides on this report, so an item costs one hub call.
      const next = items[i + 1];
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
