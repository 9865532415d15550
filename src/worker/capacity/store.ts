/**
 * Reading probes back: a run's detail (every target's levels, knee, SLO limit, why its ladder stopped, and the
 * achieved concurrency over time from the raw samples), the history list, and the raw samples for export.
 * Figures come from the stored level rows; knee and SLO limit are recomputed from them (src/shared rules).
 */
import { and, asc, desc, eq } from "drizzle-orm";
import {
  type CapacityConfig,
  CapacityConfigSchema,
  type CapacityLevelResult,
  type CapacityRunDetail,
  type CapacityRunSummary,
  type CapacitySample,
  type CapacityStopReason,
} from "../../shared/capacity.ts";
import { concurrencyTimeline, kneeLevel, kneePointOf, maxLevelMeetingSlo } from "../../shared/capacity-analysis.ts";
import type { Db } from "../db/client.ts";
import { capacityLevels, capacityRuns, capacitySamples } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import { ladderState } from "./ladder.ts";

export type CapacityRunRow = typeof capacityRuns.$inferSelect;
/** Points of a target's in-flight timeline. */
const TIMELINE_POINTS = 300;

export function parseConfig(json: unknown): CapacityConfig {
  return CapacityConfigSchema.parse(json);
}

export async function ownedCapacityRun(db: Db, userId: string, id: string): Promise<CapacityRunRow> {
  const run = await db
    .select()
    .from(capacityRuns)
    .where(and(eq(capacityRuns.id, id), eq(capacityRuns.userId, userId)))
    .get();
  if (!run) throw notFound("Capacity run");
  return run;
}

async function levelRows(db: Db, runIds: string[]) {
  if (!runIds.length) return [];
  const rows = [];
  for (const id of runIds) {
    rows.push(
      ...(await db
        .select({
          runId: capacityLevels.runId,
          providerKey: capacityLevels.providerKey,
          modelId: capacityLevels.modelId,
          level: capacityLevels.level,
          result: capacityLevels.result,
          stopReason: capacityLevels.stopReason,
          stopAtLevel: capacityLevels.stopAtLevel,
        })
        .from(capacityLevels)
        .where(eq(capacityLevels.runId, id))
        .orderBy(asc(capacityLevels.level))),
    );
  }
  return rows;
}

type LevelRow = Awaited<ReturnType<typeof levelRows>>[number];

/** A target's standing: its levels, knee, SLO limit and why its ladder stopped (cancelled when the run was and it had more to do). */
function targetFigures(run: CapacityRunRow, config: CapacityConfig, t: CapacityConfig["targets"][number], rows: readonly LevelRow[]) {
  const mine = rows.filter((r) => r.providerKey === t.provider_key && r.modelId === t.model_id);
  const levels = mine.map((r) => r.result as CapacityLevelResult).sort((a, b) => a.level - b.level);
  const state = ladderState(config, t, mine);
  let stopped: { at_level: number; reason: CapacityStopReason } | null = state.stopped;
  if (!stopped && state.next !== null && run.status !== "running") {
    stopped = { at_level: state.next, reason: "cancelled" };
  }
  return { levels, knee_level: kneeLevel(levels.map(kneePointOf)), max_level_meeting_slo: maxLevelMeetingSlo(levels), stopped };
}

export async function runSummaries(db: Db, userId: string, limit: number, offset: number): Promise<CapacityRunSummary[]> {
  const runs = await db
    .select()
    .from(capacityRuns)
    .where(eq(capacityRuns.userId, userId))
    .orderBy(desc(capacityRuns.createdAt))
    .limit(limit)
    .offset(offset);
  const rows = await levelRows(
    db,
    runs.map((r) => r.id),
  );
  return runs.map((run) => {
    const config = parseConfig(run.config);
    return {
      id: run.id,
      status: run.status,
      created_at: run.createdAt,
      timestamp: run.createdAt,
      completed_at: run.completedAt,
      loop: config.loop,
      levels: config.levels,
      targets: config.targets.map((t) => {
        const f = targetFigures(
          run,
          config,
          t,
          rows.filter((r) => r.runId === run.id),
        );
        return { ...t, knee_level: f.knee_level, max_level_meeting_slo: f.max_level_meeting_slo, levels_done: f.levels.length };
      }),
    };
  });
}

export async function samplesOf(db: Db, runId: string): Promise<CapacitySample[]> {
  const rows = await db
    .select({ data: capacitySamples.data })
    .from(capacitySamples)
    .where(eq(capacitySamples.runId, runId))
    .orderBy(
      asc(capacitySamples.providerKey),
      asc(capacitySamples.modelId),
      asc(capacitySamples.level),
      asc(capacitySamples.stream),
      asc(capacitySamples.seq),
    );
  return rows.map((r) => r.data as CapacitySample);
}

export async function runDetail(db: Db, run: CapacityRunRow): Promise<CapacityRunDetail> {
  const config = parseConfig(run.config);
  const rows = await levelRows(db, [run.id]);
  const samples = await samplesOf(db, run.id);
  return {
    id: run.id,
    status: run.status,
    created_at: run.createdAt,
    timestamp: run.createdAt,
    completed_at: run.completedAt,
    config,
    targets: config.targets.map((t) => {
      const f = targetFigures(run, config, t, rows);
      const mine = samples.filter((s) => s.provider_key === t.provider_key && s.model_id === t.model_id);
      const intervals = mine.map((s) => ({ start: s.sent_at, end: s.ended_at }));
      const origin = mine.length ? Math.min(...mine.map((s) => s.sent_at)) : 0;
      return { ...t, ...f, timeline: concurrencyTimeline(intervals, origin, TIMELINE_POINTS) };
    }),
  };
}
