/**
 * The Pareto view: the two SQL halves of queries.ts (speed and cost from benchmarks, accuracy from evals) joined
 * per (provider, model, params), each point marked on or off the non-dominated front by src/shared/pareto.ts,
 * with the runs behind it.
 */
import { roundPct } from "../../shared/eval-summary.ts";
import { type Objective, PARETO_OBJECTIVES, type ParetoAxis, type ParetoPoint, paretoFront } from "../../shared/pareto.ts";

export type { ParetoPoint } from "../../shared/pareto.ts";

import { type ParetoRun, type ParetoSide, paretoSides } from "./queries.ts";

const RUNS_PER_POINT = 20;

const pointKey = (r: { provider_key: string; model_id: string; params: string }) => `${r.provider_key}\u0000${r.model_id}\u0000${r.params}`;

export async function paretoView(
  d1: D1Database,
  opts: { userId: string; since: string | null; suiteId: string | null; axes: readonly ParetoAxis[] },
) {
  const { speed, accuracy, runs } = await paretoSides(d1, { ...opts, runsPerPoint: RUNS_PER_POINT });
  const byKey = new Map<string, { bench?: ParetoSide; evals?: ParetoSide; runs: ParetoRun[] }>();
  const entry = (r: { provider_key: string; model_id: string; params: string }) => {
    const key = pointKey(r);
    let e = byKey.get(key);
    if (!e) {
      e = { runs: [] };
      byKey.set(key, e);
    }
    return e;
  };
  for (const s of speed) entry(s).bench = s;
  for (const a of accuracy) entry(a).evals = a;
  for (const r of runs) entry(r).runs.push(r);

  const points = [...byKey.entries()].map(([key, e]) => {
    const any = (e.bench ?? e.evals)!;
    return {
      key,
      provider_key: any.provider_key,
      model_id: any.model_id,
      provider: e.bench?.provider ?? e.evals?.provider ?? any.provider_key,
      model: e.bench?.model ?? e.evals?.model ?? any.model_id,
      params: JSON.parse(any.params) as Record<string, unknown>,
      speed: e.bench?.value ?? null,
      accuracy: e.evals?.value == null ? null : roundPct(e.evals.value),
      cost: e.bench?.cost ?? null,
      speed_calls: e.bench?.n ?? 0,
      accuracy_cases: e.evals?.n ?? 0,
      benchmark_runs: e.bench?.runs ?? 0,
      eval_runs: e.evals?.runs ?? 0,
      runs: e.runs
        .map(({ kind, run_id, timestamp }) => ({ kind, run_id, timestamp }))
        .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.run_id.localeCompare(b.run_id)),
    };
  });
  const objectives: Objective[] = PARETO_OBJECTIVES.filter((o) => opts.axes.includes(o.key));
  const marks = paretoFront(
    points.map((p) => ({ speed: p.speed, accuracy: p.accuracy, cost: p.cost })),
    objectives,
  );
  const result: ParetoPoint[] = points.map((p, i) => ({
    ...p,
    front: marks[i]!.front,
    complete: marks[i]!.complete,
    dominated_by: marks[i]!.dominated_by.map((j) => points[j]!.key),
  }));
  result.sort((a, b) => Number(b.front) - Number(a.front) || a.provider_key.localeCompare(b.provider_key) || a.model_id.localeCompare(b.model_id));
  return { axes: objectives.map((o) => ({ key: o.key, direction: o.direction })), runs_per_point: RUNS_PER_POINT, points: result };
}
