/** Small numeric helpers for scenarios: summaries with the project's percentile rule, and figures with a bar. */
import { percentile } from "../../src/shared/metrics.ts";
import type { Figure } from "./scenario.ts";

export interface Summary {
  n: number;
  p10: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/** Median/p95 by linear interpolation between closest ranks (metrics.md's rule). */
export function summarize(values: readonly number[]): Summary {
  if (!values.length) throw new Error("no samples to summarize");
  const xs = [...values].sort((a, b) => a - b);
  return {
    n: xs.length,
    p10: percentile(xs, 0.1),
    p50: percentile(xs, 0.5),
    p95: percentile(xs, 0.95),
    min: xs[0]!,
    max: xs[xs.length - 1]!,
    mean: xs.reduce((s, x) => s + x, 0) / xs.length,
  };
}

/** A figure held to an upper bound. */
export function atMost(label: string, value: number, unit: string, limit: number, bar: string): Figure {
  return { label, value: round(value), unit, bar, meets: value <= limit };
}

/** A context figure (no bar). */
export function context(label: string, value: number, unit: string): Figure {
  return { label, value: round(value), unit };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
