/**
 * The bounds of numeric request fields, in one place: the Worker's zod schemas enforce them (an out-of-range value
 * is a 400 `validation_failed` naming the field, never clamped) and the web forms check the same numbers before
 * they submit, so a form and the API never disagree. Benchmark and tool-eval bounds are the original's
 * (original-inventory §5/§8).
 *
 * No zod here: the web forms import this module on load, and zod would come with it. The schema helper for these
 * bounds is `boundedNumber` in bounded-number.ts.
 */
export interface NumberBounds {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
}

const whole = (min: number, max: number): NumberBounds => ({ min, max, integer: true });
const real = (min: number, max: number): NumberBounds => ({ min, max, integer: false });

export const BENCHMARK_LIMITS = {
  max_tokens: whole(1, 128_000),
  temperature: real(0, 2),
  runs: whole(1, 20),
  timeout: whole(10, 600), // seconds per run
  context_tier: whole(0, 2_000_000),
} as const;

export const EVAL_LIMITS = {
  max_tokens: whole(16, 32_000),
  temperature: real(0, 2),
  timeout: whole(10, 600), // seconds per call
} as const;

export const MODEL_LIMITS = {
  context_window: whole(1, 10_000_000),
  max_output_tokens: whole(1, 1_000_000),
  cost_per_mtok: real(0, 100_000),
} as const;

/** "a whole number from 1 to 20": how a message states the bounds. */
export const rangeText = (b: NumberBounds) => `${b.integer ? "a whole number" : "a number"} from ${fmt(b.min)} to ${fmt(b.max)}`;

/** Why `value` is outside `bounds` ("Runs must be a whole number from 1 to 20."), or null when it is fine. */
export function boundsIssue(label: string, value: number, bounds: NumberBounds): string | null {
  const range = rangeText(bounds);
  if (!Number.isFinite(value)) return `${label} must be ${range}.`;
  if (bounds.integer && !Number.isInteger(value)) return `${label} must be ${range}.`;
  if (value < bounds.min || value > bounds.max) return `${label} must be ${range}.`;
  return null;
}

const fmt = (n: number) => n.toLocaleString("en-US");
