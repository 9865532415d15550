// The benchmark form's reactive state, its defaults, limits, what is wrong with it, and saving the last choices in
// localStorage.
import { api } from "~/lib/api-client";
import type { BenchTarget } from "~/lib/benchmark-types";
import { type PreselectPurpose, preselectedSimulatorModels } from "~/lib/simulator-preselection";
import type { ConfigResponse, KeyStatus, ProviderKeyInfo, ProviderWithModels } from "~/lib/types";
import { BENCHMARK_LIMITS, boundsIssue } from "../../../../shared/request-limits.ts";

export const CONTEXT_TIERS = [0, 1000, 5000, 10000, 20000, 50000, 100000, 150000] as const;
/** The sliders' ranges (inside the API's bounds, so a slider cannot leave them); typed numbers use BENCHMARK_LIMITS. */
export const LIMITS = {
  maxTokens: { min: 64, max: 4096, step: 64 },
  temperature: { min: 0, max: 2, step: 0.1 },
} as const;

export interface PromptTemplateOption {
  key: string;
  label: string;
  category: string;
  prompt: string;
}

export interface BenchmarkForm {
  /** Selected models as `modelKey()` strings. */
  selected: string[];
  maxTokens: number;
  temperature: number;
  /** As typed (a number input's text): an out-of-range value stays visible with its message, never clamped. */
  runs: string;
  warmup: boolean;
  /** Start every request with a per-run unique line so prefix caches cannot serve runs (the API's `unique_prefix`). */
  uniquePrefix: boolean;
  /** Seconds per run, as typed. */
  timeout: string;
  tiers: number[];
  prompt: string;
  templateKey: string;
  /** Raw text of the optional provider parameters (empty = not sent). */
  providerParams: {
    top_p: string;
    top_k: string;
    frequency_penalty: string;
    presence_penalty: string;
    seed: string;
    reasoning_effort: string;
    passthrough: string;
  };
}

export const EMPTY_PROVIDER_PARAMS: BenchmarkForm["providerParams"] = {
  top_p: "",
  top_k: "",
  frequency_penalty: "",
  presence_penalty: "",
  seed: "",
  reasoning_effort: "",
  passthrough: "",
};

const NUMERIC_PARAMS = ["top_p", "top_k", "frequency_penalty", "presence_penalty", "seed"] as const;
const WHOLE_PARAMS: ReadonlySet<string> = new Set(["top_k", "seed"]);

/** A typed number: NaN when empty or not a number. */
export const typedNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** The passthrough text as an object, or why it is not one. */
function parsePassthrough(text: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: "Passthrough is not valid JSON." };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { error: 'Passthrough must be a JSON object, e.g. {"min_p": 0.05}.' };
  return { value: parsed as Record<string, unknown> };
}

/** Fields of the form whose value cannot be sent, each with the message shown next to it. */
export type BenchmarkFormIssues = Partial<Record<"runs" | "timeout" | keyof BenchmarkForm["providerParams"], string>>;

/**
 * What is wrong with the form (empty = it can run). Runs and timeout must be inside the API's bounds. Provider
 * parameters only need to be numbers: their ranges differ per provider, and the registry adjusts them openly
 * (the run shows every adjustment).
 */
export function benchmarkFormIssues(form: BenchmarkForm): BenchmarkFormIssues {
  const issues: BenchmarkFormIssues = {};
  const runs = boundsIssue("Runs per model", typedNumber(form.runs), BENCHMARK_LIMITS.runs);
  if (runs) issues.runs = runs;
  const timeout = boundsIssue("Timeout", typedNumber(form.timeout), BENCHMARK_LIMITS.timeout);
  if (timeout) issues.timeout = timeout;
  const p = form.providerParams;
  for (const key of NUMERIC_PARAMS) {
    const text = p[key].trim();
    if (!text) continue;
    const n = Number(text);
    if (!Number.isFinite(n)) issues[key] = `${key} must be a number.`;
    else if (WHOLE_PARAMS.has(key) && !Number.isInteger(n)) issues[key] = `${key} must be a whole number.`;
  }
  const passthrough = parsePassthrough(p.passthrough).error;
  if (passthrough) issues.passthrough = passthrough;
  return issues;
}

/** The form's provider parameters as the API's `provider_params`, or undefined when none are set (call it on a form without issues). */
export function providerParamsPayload(form: BenchmarkForm): Record<string, unknown> | undefined {
  const p = form.providerParams;
  const out: Record<string, unknown> = {};
  for (const key of NUMERIC_PARAMS) if (p[key].trim() !== "") out[key] = Number(p[key]);
  if (p.reasoning_effort) out.reasoning_effort = p.reasoning_effort;
  const passthrough = parsePassthrough(p.passthrough).value;
  if (passthrough) out.passthrough = passthrough;
  return Object.keys(out).length ? out : undefined;
}

export interface ModelOption {
  provider_key: string;
  provider: string;
  model_id: string;
  display_name: string;
  context_window: number | null;
}

export interface ProviderOption {
  provider_key: string;
  display_name: string;
  is_local: boolean;
  key_status: KeyStatus | null;
  models: ModelOption[];
}

/** The model grid's providers: those with models, with their key status; ones that can run right now first. */
export function providerOptions(providers: readonly ProviderWithModels[], keys: readonly ProviderKeyInfo[]): ProviderOption[] {
  const keyStatus = new Map<string, KeyStatus>(keys.map((k) => [k.provider_key, k.status]));
  return (
    providers
      .filter((p) => p.models.length > 0)
      .map((p) => ({
        provider_key: p.provider_key,
        display_name: p.display_name,
        is_local: p.is_local,
        key_status: keyStatus.get(p.provider_key) ?? null,
        models: p.models.map((m) => ({
          provider_key: p.provider_key,
          provider: p.display_name,
          model_id: m.model_id,
          display_name: m.display_name || m.model_id,
          context_window: m.context_window,
        })),
      }))
      // The rest keep the server's order.
      .sort((a, b) => Number(a.key_status === "not_set") - Number(b.key_status === "not_set"))
  );
}

/**
 * What a page that runs models reads first: the configuration, the providers and models it offers (with the user's
 * key status; a failed keys read counts as none), and their keys, to drop saved choices that are gone.
 */
export async function readModelChoices(): Promise<{ config: ConfigResponse; providers: ProviderOption[]; known: Set<string> }> {
  const [config, keys] = await Promise.all([
    api.get<ConfigResponse>("/api/config"),
    api.get<{ keys: ProviderKeyInfo[] }>("/api/keys").catch(() => ({ keys: [] as ProviderKeyInfo[] })),
  ]);
  const providers = providerOptions(config.providers, keys.keys);
  return { config, providers, known: new Set(providers.flatMap((p) => p.models.map(modelKey))) };
}

/** What a first visit preselects among the local simulator's models (they run without a key). */
export function simulatorModelKeys(providers: readonly ProviderOption[], purpose: PreselectPurpose): string[] {
  return preselectedSimulatorModels(providers, purpose).map(modelKey);
}

/** The selected models in grid order (the form keeps click order). */
export function selectedModels(providers: readonly ProviderOption[], selected: readonly string[]): ModelOption[] {
  const chosen = new Set(selected);
  return providers.flatMap((p) => p.models.filter((m) => chosen.has(modelKey(m))));
}

/** A model as the live view names it. */
export const liveTarget = (m: ModelOption): BenchTarget => ({
  provider_key: m.provider_key,
  model_id: m.model_id,
  display_name: m.display_name,
  provider: m.provider,
});

export function modelKey(m: { provider_key: string; model_id: string }): string {
  return `${m.provider_key}::${m.model_id}`;
}

export const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

const STORAGE_KEY = "studio.benchmark.form";

type SavedForm = Partial<Omit<BenchmarkForm, "prompt" | "templateKey" | "runs" | "timeout">> & { prompt?: string; runs?: number; timeout?: number };

export function loadSavedForm(): SavedForm | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as SavedForm) : null;
  } catch {
    return null;
  }
}

export function saveForm(form: BenchmarkForm): void {
  try {
    const saved: SavedForm = {
      selected: [...form.selected],
      maxTokens: form.maxTokens,
      temperature: form.temperature,
      runs: typedNumber(form.runs),
      warmup: form.warmup,
      uniquePrefix: form.uniquePrefix,
      timeout: typedNumber(form.timeout),
      tiers: [...form.tiers],
      prompt: form.prompt,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Storage unavailable: nothing to remember.
  }
}

/** Applies saved choices over the defaults; unknown models and values outside today's limits are left out. */
export function applySaved(form: BenchmarkForm, saved: SavedForm | null, known: ReadonlySet<string>): void {
  if (!saved) return;
  const within = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
  const num = (v: unknown, min: number, max: number, fallback: number) => (within(v, min, max) ? (v as number) : fallback);
  if (Array.isArray(saved.selected)) {
    const kept = saved.selected.filter((k) => typeof k === "string" && known.has(k));
    if (kept.length) form.selected = kept;
  }
  form.maxTokens = num(saved.maxTokens, LIMITS.maxTokens.min, LIMITS.maxTokens.max, form.maxTokens);
  form.temperature = num(saved.temperature, LIMITS.temperature.min, LIMITS.temperature.max, form.temperature);
  if (!boundsIssue("", saved.runs ?? Number.NaN, BENCHMARK_LIMITS.runs)) form.runs = String(saved.runs);
  if (!boundsIssue("", saved.timeout ?? Number.NaN, BENCHMARK_LIMITS.timeout)) form.timeout = String(saved.timeout);
  if (typeof saved.warmup === "boolean") form.warmup = saved.warmup;
  if (typeof saved.uniquePrefix === "boolean") form.uniquePrefix = saved.uniquePrefix;
  if (Array.isArray(saved.tiers)) {
    const tiers = saved.tiers.filter((t) => (CONTEXT_TIERS as readonly number[]).includes(t));
    if (tiers.length) form.tiers = tiers;
  }
  if (typeof saved.prompt === "string" && saved.prompt.trim()) form.prompt = saved.prompt;
}

/** Nearest slider step inside the limits. */
export function snapMaxTokens(n: number): number {
  const { min, max, step } = LIMITS.maxTokens;
  return clamp(Math.round(n / step) * step, min, max);
}
