// How a capacity probe's events and stored run fold into its live job (pure; the fold itself is live-job-reducer.ts).
// A result is one level of one target's ladder, keyed by target and level, so a level sent twice (a redelivery, a
// replay after a reconnect) counts once. Stops and summaries are per target, and the last word for a target stands.
// `capacityTargets` turns the state into what the page draws: each target's levels in ladder order, its knee and
// SLO limit (the server's; until its summary arrives, only the highest level that met the SLO so far), its stop.
import type { CapacityLevelResult, CapacityLoop, CapacityRunDetail, CapacitySlo, CapacityStop, CapacityTimelinePoint } from "./capacity-types.ts";
import { CAPACITY_EVENT_TYPES } from "./capacity-types.ts";
import type { LiveJobKind, LiveJobState } from "./live-job-reducer.ts";
import { targetKey } from "./live-job-reducer.ts";

interface Ref {
  provider_key: string;
  model_id: string;
}

export interface TargetStop extends Ref, CapacityStop {}

export interface TargetSummary extends Ref {
  knee_level: number | null;
  max_level_meeting_slo: number | null;
}

export interface CapacityExtras {
  /** The ladder as planned (init, submit, stored config). */
  levels: number[];
  loop: CapacityLoop | null;
  slo: CapacitySlo | null;
  /** Per target: why and where its ladder stopped early. */
  stops: TargetStop[];
  /** Per target: the server's knee and highest level meeting the SLO. */
  summaries: TargetSummary[];
  /** Per target: in-flight requests over time (stored runs only). */
  timelines: (Ref & { points: CapacityTimelinePoint[] })[];
}

export type CapacityLiveState = LiveJobState<CapacityLevelResult, CapacityExtras>;

/** A target's picture, as the page and the charts read it. */
export interface CapacityTargetView extends Ref {
  display_name: string;
  /** Its levels in ladder order (lowest concurrency first). */
  levels: CapacityLevelResult[];
  knee_level: number | null;
  max_level_meeting_slo: number | null;
  /** True when knee and SLO limit are the server's summary (else only the SLO limit so far is known). */
  summarised: boolean;
  stopped: CapacityStop | null;
  timeline: CapacityTimelinePoint[];
}

const sameTarget = (a: Ref, b: Ref) => a.provider_key === b.provider_key && a.model_id === b.model_id;

/** Replaces the entry for `item`'s target (or appends it). */
function upsert<T extends Ref>(list: readonly T[], item: T): T[] {
  return [...list.filter((x) => !sameTarget(x, item)), item];
}

export const capacityLive: LiveJobKind<CapacityLevelResult, CapacityExtras, CapacityRunDetail> = {
  noun: "capacity probe",
  jobTypes: ["capacity"],
  runIdParam: "run_id",
  eventTypes: CAPACITY_EVENT_TYPES,
  read(event) {
    switch (event.type) {
      case "capacity_init":
        return {
          kind: "init",
          runId: event.data.run_id,
          targets: event.data.targets,
          extras: { levels: [...event.data.levels], loop: event.data.loop, slo: { ...event.data.slo } },
        };
      case "capacity_level": {
        const { run_id: _, ...result } = event.data;
        return { kind: "result", result };
      }
      case "capacity_stopped": {
        const d = event.data;
        const stop: TargetStop = { provider_key: d.provider_key, model_id: d.model_id, at_level: d.at_level, reason: d.reason };
        return { kind: "merge", merge: (x) => ({ stops: upsert(x.stops, stop) }) };
      }
      case "capacity_summary": {
        const d = event.data;
        const summary: TargetSummary = {
          provider_key: d.provider_key,
          model_id: d.model_id,
          knee_level: d.knee_level,
          max_level_meeting_slo: d.max_level_meeting_slo,
        };
        return { kind: "merge", merge: (x) => ({ summaries: upsert(x.summaries, summary) }) };
      }
      default:
        return null;
    }
  },
  etaSamples: 8,
  emptyExtras: () => ({ levels: [], loop: null, slo: null, stops: [], summaries: [], timelines: [] }),
  resultKey: (r) => `${targetKey(r)}\u0000${r.level}`,
  namesOf: () => ({}),
  // Progress comes from the job's own percentage: a ladder that stops early never runs its planned levels.
  timing: () => null,
  fromRun: (run) => ({
    results: run.targets.flatMap((t) => t.levels),
    targets: run.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id, display_name: t.display_name })),
    extras: {
      levels: [...run.config.levels],
      loop: run.config.loop,
      slo: { ...run.config.slo },
      stops: run.targets.flatMap((t) => (t.stopped ? [{ provider_key: t.provider_key, model_id: t.model_id, ...t.stopped }] : [])),
      // A stored run's knee and SLO limit are the server's, whether or not its summary event was seen.
      summaries: run.targets.map((t) => ({
        provider_key: t.provider_key,
        model_id: t.model_id,
        knee_level: t.knee_level,
        max_level_meeting_slo: t.max_level_meeting_slo,
      })),
      timelines: run.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id, points: t.timeline })),
    },
    finalExtras: {},
    timestamp: run.created_at,
    completedAt: run.completed_at,
  }),
  progressInput: () => ({ results: [], runs: 1, tiers: [0] }),
  liveExtras: () => ({}),
};

/** Each target's picture, in the order of the state's targets (then any target seen only in results). */
export function capacityTargets(
  state: Pick<CapacityLiveState, "targets" | "results" | "stops" | "summaries" | "timelines" | "slo">,
): CapacityTargetView[] {
  const refs = new Map<string, Ref & { display_name: string }>();
  for (const t of state.targets)
    refs.set(targetKey(t), { provider_key: t.provider_key, model_id: t.model_id, display_name: t.display_name || t.model_id });
  for (const r of state.results) {
    if (!refs.has(targetKey(r))) refs.set(targetKey(r), { provider_key: r.provider_key, model_id: r.model_id, display_name: r.model_id });
  }
  return [...refs.values()].map((ref) => {
    const levels = state.results.filter((r) => sameTarget(r, ref)).sort((a, b) => a.level - b.level);
    const summary = state.summaries.find((s) => sameTarget(s, ref));
    const stop = state.stops.find((s) => sameTarget(s, ref));
    const metSoFar = levels.filter((l) => l.slo_met).map((l) => l.level);
    return {
      ...ref,
      levels,
      knee_level: summary?.knee_level ?? null,
      max_level_meeting_slo: summary ? summary.max_level_meeting_slo : metSoFar.length ? Math.max(...metSoFar) : null,
      summarised: Boolean(summary),
      stopped: stop ? { at_level: stop.at_level, reason: stop.reason } : null,
      timeline: state.timelines.find((t) => sameTarget(t, ref))?.points ?? [],
    };
  });
}
