// The Param Tuner form's state, its inline issues, the request it builds, and remembering it in localStorage.
import type { ScorerName } from "~/lib/eval-types";
import type { ParamTuneRequest, Strategy } from "~/lib/param-tune-types";
import { type Baseline, defaultSpaceForm, type SpaceForm, type SpaceIssues, sanitizeSpaceForm, spaceFromForm } from "~/lib/tune-space";
import { TUNE_LIMITS } from "../../../../shared/tuning/limits.ts";

export const STRATEGIES: { value: Strategy; label: string; hint: string }[] = [
  { value: "grid", label: "Grid", hint: "Every combo on every case" },
  { value: "random", label: "Random", hint: "n combos drawn from the space with a seed (the same seed draws the same combos)" },
  {
    value: "halving",
    label: "Halving",
    hint: "Successive halving: every combo on a few cases, the best third go on to more cases, until the finalists run them all",
  },
];

export interface TuneForm {
  suiteId: string;
  selected: string[];
  space: SpaceForm;
  strategy: Strategy;
  /** As typed (an out-of-range value stays visible with its message). */
  nTrials: string;
  seed: string;
  repeats: string;
  maxLatencyMs: string;
  maxCostPerCase: string;
  /** Held-out share in percent (0–50). */
  holdoutPct: string;
}

export function emptyTuneForm(): TuneForm {
  return {
    suiteId: "",
    selected: [],
    space: defaultSpaceForm(),
    strategy: "grid",
    nTrials: "50",
    seed: "",
    repeats: "1",
    maxLatencyMs: "",
    maxCostPerCase: "",
    holdoutPct: "0",
  };
}

export type TuneFieldIssues = Partial<Record<"nTrials" | "seed" | "repeats" | "maxLatencyMs" | "maxCostPerCase" | "holdoutPct", string>>;

const typed = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

function intIn(label: string, text: string, min: number, max: number): string | null {
  const n = typed(text);
  if (!Number.isInteger(n) || n < min || n > max) return `${label} is a whole number from ${min} to ${max.toLocaleString("en-US")}`;
  return null;
}

function optionalPositive(label: string, text: string, max: number): string | null {
  if (text.trim() === "") return null;
  const n = typed(text);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    return `${label} is a number above 0, at most ${max.toLocaleString("en-US")} (or empty for no budget)`;
  return null;
}

/** Fields the API would refuse, each with the message shown next to it. */
export function tuneFieldIssues(form: TuneForm): TuneFieldIssues {
  const issues: TuneFieldIssues = {};
  const set = (key: keyof TuneFieldIssues, message: string | null) => {
    if (message) issues[key] = message;
  };
  if (form.strategy === "random") set("nTrials", intIn("n trials", form.nTrials, TUNE_LIMITS.n_trials.min, TUNE_LIMITS.n_trials.max));
  if (form.seed.trim() !== "") set("seed", intIn("The seed", form.seed, 0, 2 ** 31 - 1));
  set("repeats", intIn("Repeats", form.repeats, TUNE_LIMITS.repeats.min, TUNE_LIMITS.repeats.max));
  set("maxLatencyMs", optionalPositive("Max p50 latency (ms)", form.maxLatencyMs, 600_000));
  set("maxCostPerCase", optionalPositive("Max cost per case ($)", form.maxCostPerCase, 100));
  const holdout = typed(form.holdoutPct);
  if (!Number.isFinite(holdout) || holdout < 0 || holdout > 50) issues.holdoutPct = "Held-out share is a percentage from 0 to 50";
  return issues;
}

export function tuneFormIssues(form: TuneForm): { fields: TuneFieldIssues; space: SpaceIssues } {
  return { fields: tuneFieldIssues(form), space: spaceFromForm(form.space).issues };
}

export function tuneRequest(form: TuneForm, baseline: Baseline, scorer: ScorerName): ParamTuneRequest {
  const budgets: NonNullable<ParamTuneRequest["budgets"]> = {};
  if (form.maxLatencyMs.trim()) budgets.max_latency_ms = Number(form.maxLatencyMs);
  if (form.maxCostPerCase.trim()) budgets.max_cost_per_case = Number(form.maxCostPerCase);
  return {
    suite_id: form.suiteId,
    targets: form.selected.map((key) => {
      const at = key.indexOf("::");
      return { provider_key: key.slice(0, at), model_id: key.slice(at + 2) };
    }),
    search_space: spaceFromForm(form.space).space,
    strategy: form.strategy,
    ...(form.strategy === "random" ? { n_trials: Number(form.nTrials) } : {}),
    ...(form.seed.trim() ? { seed: Number(form.seed) } : {}),
    repeats: Number(form.repeats),
    holdout_fraction: Number(form.holdoutPct) / 100,
    ...(Object.keys(budgets).length ? { budgets } : {}),
    baseline,
    scorer,
  };
}

const STORAGE_KEY = "studio.param-tune.form";

export function saveTuneForm(form: TuneForm): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(form));
  } catch {
    // Storage unavailable: nothing to remember.
  }
}

/** The saved form over `form`, field by field; unknown suites and models are dropped. */
export function applySavedTuneForm(form: TuneForm, knownModels: ReadonlySet<string>, knownSuites: ReadonlySet<string>): void {
  let raw: unknown = null;
  try {
    raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
  } catch {
    raw = null;
  }
  if (!raw || typeof raw !== "object") return;
  const saved = raw as Partial<Record<keyof TuneForm, unknown>>;
  if (typeof saved.suiteId === "string" && knownSuites.has(saved.suiteId)) form.suiteId = saved.suiteId;
  if (Array.isArray(saved.selected)) {
    const kept = saved.selected.filter((k): k is string => typeof k === "string" && knownModels.has(k));
    if (kept.length) form.selected = kept;
  }
  form.space = sanitizeSpaceForm(saved.space);
  if (STRATEGIES.some((s) => s.value === saved.strategy)) form.strategy = saved.strategy as Strategy;
  for (const key of ["nTrials", "seed", "repeats", "maxLatencyMs", "maxCostPerCase", "holdoutPct"] as const) {
    const v = saved[key];
    if (typeof v === "string") form[key] = v.slice(0, 40);
  }
}
