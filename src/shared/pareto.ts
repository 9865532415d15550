/**
 * Pareto dominance over a few objectives, each to be maximised or minimised (speed up, accuracy up, cost down).
 * Shared by the Worker (the analytics API marks the front) and the web page (it re-marks the front when the user
 * switches an objective off). A point missing a value for any chosen objective cannot be compared on it, so it
 * is never on the front and never dominates: it is reported as incomplete instead of guessed.
 */

export type Direction = "max" | "min";

export interface Objective<K extends string = string> {
  key: K;
  direction: Direction;
}

export type ObjectiveValues = Readonly<Record<string, number | null | undefined>>;

const usable = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** True when every chosen objective has a finite value. */
export function isComplete(values: ObjectiveValues, objectives: readonly Objective[]): boolean {
  return objectives.every((o) => usable(values[o.key]));
}

/** `a` dominates `b`: at least as good on every objective and strictly better on one. Both must be complete. */
export function dominates(a: ObjectiveValues, b: ObjectiveValues, objectives: readonly Objective[]): boolean {
  if (!objectives.length || !isComplete(a, objectives) || !isComplete(b, objectives)) return false;
  let strictlyBetter = false;
  for (const o of objectives) {
    const x = a[o.key] as number;
    const y = b[o.key] as number;
    const better = o.direction === "max" ? x > y : x < y;
    const worse = o.direction === "max" ? x < y : x > y;
    if (worse) return false;
    if (better) strictlyBetter = true;
  }
  return strictlyBetter;
}

export interface FrontMark {
  /** On the non-dominated front (only complete points can be). */
  front: boolean;
  complete: boolean;
  /** Indexes of the points that dominate this one (empty on the front and for incomplete points). */
  dominated_by: number[];
}

/**
 * Marks each point: on the front, or which points dominate it. O(n² · k), fine for the few hundred
 * (provider, model, params) points one account has; equal points are all on the front (neither dominates).
 */
export function paretoFront(points: readonly ObjectiveValues[], objectives: readonly Objective[]): FrontMark[] {
  const complete = points.map((p) => objectives.length > 0 && isComplete(p, objectives));
  return points.map((p, i) => {
    if (!complete[i]) return { front: false, complete: false, dominated_by: [] };
    const by: number[] = [];
    points.forEach((q, j) => {
      if (j !== i && complete[j] && dominates(q, p, objectives)) by.push(j);
    });
    return { front: by.length === 0, complete: true, dominated_by: by };
  });
}

/** The analytics objectives: output speed and tool accuracy up, cost down. */
export const PARETO_OBJECTIVES = [
  { key: "speed", direction: "max" },
  { key: "accuracy", direction: "max" },
  { key: "cost", direction: "min" },
] as const satisfies readonly Objective<"speed" | "accuracy" | "cost">[];
export type ParetoAxis = (typeof PARETO_OBJECTIVES)[number]["key"];
export const PARETO_AXES = PARETO_OBJECTIVES.map((o) => o.key) as ParetoAxis[];

/** A run behind a Pareto point (the analytics API's answer, read by the Analytics page). */
export interface ParetoRunRef {
  kind: "benchmark" | "tool_eval";
  run_id: string;
  timestamp: string;
}

/** One (provider, model, params) point of the analytics API's Pareto view. */
export interface ParetoPoint {
  key: string;
  provider_key: string;
  model_id: string;
  provider: string;
  model: string;
  params: Record<string, unknown>;
  speed: number | null;
  accuracy: number | null;
  cost: number | null;
  speed_calls: number;
  accuracy_cases: number;
  benchmark_runs: number;
  eval_runs: number;
  front: boolean;
  complete: boolean;
  dominated_by: string[];
  runs: ParetoRunRef[];
}
