/**
 * The parameter tuner's request limits, zod-free so the web form checks what the API checks (a value out of range is
 * a 400 there and a message on the page) without shipping zod.
 */
export const TUNE_LIMITS = {
  /** Random search draws at most this many combos per target (Settings → Defaults' max combinations shares it). */
  n_trials: { min: 1, max: 1000 },
  repeats: { min: 1, max: 5 },
  /** Calls a tune may plan in all (the user is told the count and how to cut it). */
  max_planned_trials: 20_000,
} as const;
