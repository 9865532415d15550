// The Param Tuner's search-space builder as plain data (pure; tested in Node by tests/node/tune-space.test.ts): the
// parameter list of the original (§9.6) with its default ranges, each dimension typed as a list or a range, the
// issues shown next to a field, the space the API takes, the per-model combo count after the provider's rules merge
// duplicates (the server's own code: src/shared/tuning), the compatibility matrix and the cost/time estimate.
import { priceFor } from "../../../shared/pricing.ts";
import { validateParams } from "../../../shared/provider-params.ts";
import { plannedTrials, rungsFor, type Strategy } from "../../../shared/tuning/schedule.ts";
import {
  type Combo,
  dimensionValues,
  Grid,
  MAX_GRID_COMBOS,
  MAX_RANGE_VALUES,
  resolveCombos,
  type SearchSpace,
} from "../../../shared/tuning/search-space.ts";

export type ToolChoice = "auto" | "required" | "none";
export const TOOL_CHOICE_VALUES: readonly ToolChoice[] = ["auto", "required", "none"];

export interface NumericParam {
  name: string;
  label: string;
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  hint: string;
}

/** The numeric parameters of the builder, in the original's order, with its default ranges. */
export const NUMERIC_PARAMS: readonly NumericParam[] = [
  { name: "temperature", label: "temperature", min: 0, max: 2, step: 0.1, hint: "Sampling randomness" },
  { name: "top_p", label: "top_p", min: 0, max: 1, step: 0.1, hint: "Nucleus sampling" },
  { name: "top_k", label: "top_k", min: 1, max: 100, step: 10, integer: true, hint: "Not on every provider" },
  { name: "frequency_penalty", label: "frequency_penalty", min: -2, max: 2, step: 0.1, hint: "OpenAI-style penalty" },
  { name: "presence_penalty", label: "presence_penalty", min: -2, max: 2, step: 0.1, hint: "OpenAI-style penalty" },
  { name: "repetition_penalty", label: "repetition_penalty", min: 0.5, max: 2, step: 0.1, hint: "Passed through (local servers)" },
  { name: "min_p", label: "min_p", min: 0, max: 1, step: 0.05, hint: "Passed through (local servers)" },
];

export interface NumericDimension {
  enabled: boolean;
  mode: "range" | "list";
  /** As typed, so a bad value stays visible next to its message. */
  min: string;
  max: string;
  step: string;
  list: string;
}

export interface SpaceForm {
  numeric: Record<string, NumericDimension>;
  toolChoice: { enabled: boolean; values: ToolChoice[] };
}

export function defaultDimension(p: NumericParam, enabled = false): NumericDimension {
  return { enabled, mode: "range", min: String(p.min), max: String(p.max), step: String(p.step), list: "" };
}

/** Temperature and tool_choice (auto + required) on, as in the original; the rest off at their default ranges. */
export function defaultSpaceForm(): SpaceForm {
  return {
    numeric: Object.fromEntries(NUMERIC_PARAMS.map((p) => [p.name, defaultDimension(p, p.name === "temperature")])),
    toolChoice: { enabled: true, values: ["auto", "required"] },
  };
}

const typed = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** Issues keyed "<param>" or "<param>.<min|max|step|list>"; the space is only usable when there are none. */
export type SpaceIssues = Record<string, string>;

/** The API's `search_space` for the form, with the message for every field the API would refuse. */
export function spaceFromForm(form: SpaceForm): { space: SearchSpace; issues: SpaceIssues } {
  const space: SearchSpace = {};
  const issues: SpaceIssues = {};
  for (const p of NUMERIC_PARAMS) {
    const dim = form.numeric[p.name];
    if (!dim?.enabled) continue;
    if (dim.mode === "list") {
      const parts = dim.list
        .split(/[\s,]+/)
        .map((x) => x.trim())
        .filter(Boolean);
      if (!parts.length) {
        issues[`${p.name}.list`] = "List at least one value (comma-separated), or turn the parameter off";
        continue;
      }
      const bad = parts.find((x) => !Number.isFinite(Number(x)));
      if (bad !== undefined) {
        issues[`${p.name}.list`] = `“${bad}” is not a number`;
        continue;
      }
      space[p.name] = parts.map(Number);
      continue;
    }
    const min = typed(dim.min);
    const max = typed(dim.max);
    const step = typed(dim.step);
    let bad = false;
    for (const [field, value] of [
      ["min", min],
      ["max", max],
      ["step", step],
    ] as const) {
      if (!Number.isFinite(value)) {
        issues[`${p.name}.${field}`] = `${field} must be a number`;
        bad = true;
      }
    }
    if (bad) continue;
    if (step <= 0) issues[`${p.name}.step`] = "step must be greater than 0";
    else if (min > max) issues[`${p.name}.min`] = `min (${min}) is greater than max (${max})`;
    else {
      const values = Math.floor((max - min) / step + 1e-9) + 1;
      if (values > MAX_RANGE_VALUES)
        issues[`${p.name}.step`] = `this range has ${values.toLocaleString("en-US")} values; use at most ${MAX_RANGE_VALUES}`;
      else space[p.name] = { min, max, step };
    }
  }
  if (form.toolChoice.enabled) {
    const values = TOOL_CHOICE_VALUES.filter((v) => form.toolChoice.values.includes(v));
    if (!values.length) issues.tool_choice = "Tick at least one tool choice, or turn tool_choice off";
    else space.tool_choice = [...values];
  }
  return { space, issues };
}

/** The values a dimension of a usable space expands to (for hints: "11 values: 0, 0.1 … 1"). */
export function valuesOf(space: SearchSpace, name: string): (string | number | boolean)[] {
  const dim = space[name];
  return dim ? dimensionValues(dim) : [];
}

export interface Baseline {
  temperature: number;
  tool_choice: ToolChoice;
  provider_params: Record<string, string | number | boolean>;
}

export interface TunePlanInput {
  space: SearchSpace;
  strategy: Strategy;
  nTrials: number;
  repeats: number;
  holdoutFraction: number;
  cases: number;
  baseline: Baseline;
  models: readonly { provider_key: string; model_id: string }[];
}

export interface ModelPlan {
  provider_key: string;
  model_id: string;
  /** Combos the space expands to (before merging). */
  expanded: number;
  /** Combos that really run after the provider's rules merged identical calls (with the baseline, when it is not one of them). */
  combos: number;
  merged: number;
  trials: number;
  /** Over the grid cap (strategy grid only). */
  overCap: boolean;
}

/** Held-out and search case counts, as the server splits them (`splitCases`). */
export function caseSplit(cases: number, holdoutFraction: number): { search: number; holdout: number } {
  const holdout = holdoutFraction > 0 && cases > 0 ? Math.min(cases - 1, Math.max(1, Math.round(cases * holdoutFraction))) : 0;
  return { search: cases - holdout, holdout };
}

/** Per model: the combos after expansion and merging, and the trials the tune plans (as the server plans them). */
export function planTune(input: TunePlanInput): ModelPlan[] {
  const grid = new Grid(input.space);
  const { search, holdout } = caseSplit(input.cases, input.holdoutFraction);
  return input.models.map((m) => {
    const overCap = input.strategy === "grid" && grid.size > MAX_GRID_COMBOS;
    // A random draw's merges depend on the seed: count its size, the server reports what merged.
    if (overCap || input.strategy === "random" || grid.size > MAX_GRID_COMBOS) {
      const n = input.strategy === "random" ? Math.min(input.nTrials, grid.size) : grid.size;
      const combos = n + 1;
      const rungs = rungsFor(input.strategy, combos, search);
      return {
        ...m,
        expanded: grid.size,
        combos,
        merged: 0,
        trials: plannedTrials(rungs, n, input.repeats, holdout, true),
        overCap,
      };
    }
    const baselineConfig: Combo = {
      temperature: input.baseline.temperature,
      tool_choice: input.baseline.tool_choice,
      ...input.baseline.provider_params,
    };
    const combos = grid.all();
    const { kept, merged } = resolveCombos(
      { providerKey: m.provider_key, modelId: m.model_id },
      [...combos, baselineConfig],
      input.baseline.tool_choice,
    );
    const extraBaseline = kept.some((k) => k.index === combos.length);
    const searchCombos = kept.length - (extraBaseline ? 1 : 0);
    const rungs = rungsFor(input.strategy, kept.length, search);
    return {
      ...m,
      expanded: grid.size,
      combos: kept.length,
      merged: merged.filter((x) => x.index !== combos.length).length,
      trials: plannedTrials(rungs, searchCombos, input.repeats, holdout, extraBaseline),
      overCap: false,
    };
  });
}

export type Compat = "supported" | "clamped" | "dropped" | "passthrough";

export interface CompatCell {
  param: string;
  status: Compat;
  /** Why (the registry's reason), for the cell's title. */
  reason: string;
}

/**
 * Per enabled parameter, what this model's provider does with the space's values (the server's registry, the same
 * code that resolves the combos): a drop anywhere → dropped, a clamp → clamped, a tier-3 key or a parameter the
 * provider marks unsupported → passthrough. `skipParams` (the model's own setting) are never sent: dropped.
 */
export function compatRow(providerKey: string, modelId: string, space: SearchSpace, skipParams: readonly string[] = []): CompatCell[] {
  const names = Object.keys(space);
  // Other parameters at their first value, so conflicts between two parameters show (Anthropic temperature + top_p).
  const firsts: Record<string, unknown> = {};
  for (const n of names) if (n !== "tool_choice") firsts[n] = dimensionValues(space[n]!)[0];
  return names.map((param): CompatCell => {
    if (param === "tool_choice") return { param, status: "supported", reason: "Sent as the request's tool_choice" };
    if (skipParams.includes(param)) return { param, status: "dropped", reason: "This model's settings say never to send it (skip_params)" };
    let status: Compat = "supported";
    let reason = "Sent as given";
    const rank: Record<Compat, number> = { supported: 0, passthrough: 1, clamped: 2, dropped: 3 };
    let clampedValues = 0;
    const values = dimensionValues(space[param]!);
    for (const value of values) {
      const v = validateParams(providerKey, modelId, { ...firsts, [param]: value });
      for (const a of v.adjustments.filter((x) => x.param === param)) {
        const s: Compat =
          a.action === "drop"
            ? "dropped"
            : a.action === "clamp"
              ? "clamped"
              : a.action === "passthrough" || a.action === "warn"
                ? "passthrough"
                : "supported";
        if (s === "clamped") clampedValues++;
        if (rank[s] > rank[status]) {
          status = s;
          reason = a.reason;
        }
      }
    }
    if (status === "clamped") reason = `${clampedValues} of ${values.length} values clamped: ${reason}`;
    return { param, status, reason };
  });
}

/** Assumed per call for the estimate (the suite's real token counts are only known after a run). */
export const ESTIMATE_ASSUMPTIONS = { outputTokens: 40, baseInputTokens: 150, inputTokensPerTool: 90, secondsPerCall: 1.5 } as const;

export interface TuneEstimate {
  trials: number;
  /** Null when a selected model has no known price. */
  costUsd: number | null;
  unpriced: string[];
  seconds: number;
  inputTokensPerCall: number;
}

/** Planned calls × assumed tokens × the model's price (its own, else the built-in table); providers run in parallel. */
export function estimateTune(
  plans: readonly ModelPlan[],
  tools: number,
  prices: (m: { provider_key: string; model_id: string }) => { input: number | null; output: number | null },
): TuneEstimate {
  const a = ESTIMATE_ASSUMPTIONS;
  const inputTokens = a.baseInputTokens + a.inputTokensPerTool * tools;
  let cost: number | null = 0;
  const unpriced: string[] = [];
  const perProvider = new Map<string, number>();
  for (const p of plans) {
    const price = priceFor(p.model_id, prices(p));
    if (price.inputPerMtok === null || price.outputPerMtok === null) unpriced.push(p.model_id);
    else if (cost !== null) cost += (p.trials * (inputTokens * price.inputPerMtok + a.outputTokens * price.outputPerMtok)) / 1e6;
    perProvider.set(p.provider_key, (perProvider.get(p.provider_key) ?? 0) + p.trials);
  }
  if (unpriced.length) cost = null;
  return {
    trials: plans.reduce((n, p) => n + p.trials, 0),
    costUsd: cost,
    unpriced,
    seconds: Math.max(0, ...perProvider.values()) * a.secondsPerCall,
    inputTokensPerCall: inputTokens,
  };
}

// --- presets: named search spaces in localStorage, plus two built-ins (original §18.4) ---

export interface SpacePreset {
  name: string;
  form: SpaceForm;
  note?: string;
  builtIn?: boolean;
}

export const MAX_PRESETS = 20;
const PRESETS_KEY = "studio.param-tune.presets";

function listPreset(values: Record<string, string>): SpaceForm {
  const form = defaultSpaceForm();
  for (const dim of Object.values(form.numeric)) dim.enabled = false;
  for (const [name, list] of Object.entries(values)) form.numeric[name] = { ...form.numeric[name]!, enabled: true, mode: "list", list };
  form.toolChoice = { enabled: true, values: ["auto", "required"] };
  return form;
}

export const BUILT_IN_PRESETS: readonly SpacePreset[] = [
  {
    name: "Qwen3 Coder 30B (Recommended)",
    form: listPreset({ temperature: "0.7", top_p: "0.8", top_k: "20" }),
    note: "Greedy decoding (temp=0) worsens quality. Always use sampling.",
    builtIn: true,
  },
  {
    name: "GLM-4.7 Flash (Z.AI Recommended)",
    form: listPreset({ temperature: "0.8", top_p: "0.6", top_k: "2" }),
    note: "Very low top_k recommended for MoE architecture.",
    builtIn: true,
  },
];

/** A stored form, checked field by field (anything odd falls back to the default). */
export function sanitizeSpaceForm(raw: unknown): SpaceForm {
  const form = defaultSpaceForm();
  if (!raw || typeof raw !== "object") return form;
  const r = raw as Partial<SpaceForm>;
  for (const p of NUMERIC_PARAMS) {
    const d = (r.numeric as Record<string, Partial<NumericDimension>> | undefined)?.[p.name];
    if (!d || typeof d !== "object") continue;
    const str = (v: unknown, fallback: string) => (typeof v === "string" ? v.slice(0, 200) : fallback);
    const base = form.numeric[p.name]!;
    form.numeric[p.name] = {
      enabled: d.enabled === true,
      mode: d.mode === "list" ? "list" : "range",
      min: str(d.min, base.min),
      max: str(d.max, base.max),
      step: str(d.step, base.step),
      list: str(d.list, base.list),
    };
  }
  const tc = r.toolChoice;
  if (tc && typeof tc === "object") {
    form.toolChoice = {
      enabled: tc.enabled === true,
      values: Array.isArray(tc.values) ? TOOL_CHOICE_VALUES.filter((v) => tc.values.includes(v)) : form.toolChoice.values,
    };
  }
  return form;
}

export function loadPresets(): SpacePreset[] {
  try {
    const raw = JSON.parse(localStorage.getItem(PRESETS_KEY) ?? "[]") as unknown;
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((p): p is { name: string; form: unknown } => Boolean(p) && typeof p.name === "string" && p.name.trim() !== "")
      .slice(0, MAX_PRESETS)
      .map((p) => ({ name: p.name.slice(0, 80), form: sanitizeSpaceForm(p.form) }));
  } catch {
    return [];
  }
}

function storePresets(presets: readonly SpacePreset[]): void {
  localStorage.setItem(PRESETS_KEY, JSON.stringify(presets.map((p) => ({ name: p.name, form: p.form }))));
}

/** Saves (or replaces, by name) a preset; the message says why not (empty name, a built-in's name, the limit). */
export function savePreset(name: string, form: SpaceForm): { presets: SpacePreset[]; error: string } {
  const clean = name.trim();
  const presets = loadPresets();
  if (!clean) return { presets, error: "Give the preset a name" };
  if (clean.length > 80) return { presets, error: "A preset name has at most 80 characters" };
  if (BUILT_IN_PRESETS.some((p) => p.name === clean)) return { presets, error: "That name belongs to a built-in preset" };
  const exists = presets.some((p) => p.name === clean);
  if (!exists && presets.length >= MAX_PRESETS) return { presets, error: `At most ${MAX_PRESETS} presets: delete one first` };
  const next = exists ? presets.map((p) => (p.name === clean ? { name: clean, form } : p)) : [...presets, { name: clean, form }];
  try {
    storePresets(next);
  } catch {
    return { presets, error: "This browser does not let the page store presets" };
  }
  return { presets: next, error: "" };
}

export function deletePreset(name: string): SpacePreset[] {
  const next = loadPresets().filter((p) => p.name !== name);
  try {
    storePresets(next);
  } catch {
    // Storage unavailable: nothing was stored either.
  }
  return next;
}
