// The benchmark form's reactive state, its defaults, limits, and saving the last choices in localStorage.
import type { BenchTarget } from "~/lib/benchmark-types";
import { type PreselectPurpose, preselectedSimulatorModels } from "~/lib/simulator-preselection";
import type { KeyStatus, ProviderKeyInfo, ProviderWithModels } from "~/lib/types";

export const CONTEXT_TIERS = [0, 1000, 5000, 10000, 20000, 50000, 100000, 150000] as const;
export const LIMITS = {
  maxTokens: { min: 64, max: 4096, step: 64 },
  temperature: { min: 0, max: 2, step: 0.1 },
  runs: { min: 1, max: 10 },
  timeout: { min: 10, max: 600 },
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
  runs: number;
  warmup: boolean;
  /** Start every request with a per-run unique line so prefix caches cannot serve runs (the API's `unique_prefix`). */
  uniquePrefix: boolean;
  timeout: number;
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

/** The form's provider parameters as the API's `provider_params`, or undefined when none are set. */
export function providerParamsPayload(form: BenchmarkForm): Record<string, unknown> | undefined {
  const p = form.providerParams;
  const out: Record<string, unknown> = {};
  for (const key of ["top_p", "top_k", "frequency_penalty", "presence_penalty", "seed"] as const) {
    if (p[key].trim() !== "" && Number.isFinite(Number(p[key]))) out[key] = Number(p[key]);
  }
  if (p.reasoning_effort) out.reasoning_effort = p.reasoning_effort;
  if (p.passthrough.trim()) {
    const parsed: unknown = JSON.parse(p.passthrough); // the caller reports a syntax error to the user
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("Passthrough must be a JSON object");
    out.passthrough = parsed;
  }
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

type SavedForm = Partial<Omit<BenchmarkForm, "prompt" | "templateKey">> & { prompt?: string };

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
      runs: form.runs,
      warmup: form.warmup,
      uniquePrefix: form.uniquePrefix,
      timeout: form.timeout,
      tiers: [...form.tiers],
      prompt: form.prompt,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Storage unavailable: nothing to remember.
  }
}

/** Applies saved choices (validated) over the defaults; unknown models are dropped. */
export function applySaved(form: BenchmarkForm, saved: SavedForm | null, known: ReadonlySet<string>): void {
  if (!saved) return;
  const num = (v: unknown, min: number, max: number, fallback: number) =>
    typeof v === "number" && Number.isFinite(v) ? clamp(v, min, max) : fallback;
  if (Array.isArray(saved.selected)) {
    const kept = saved.selected.filter((k) => typeof k === "string" && known.has(k));
    if (kept.length) form.selected = kept;
  }
  form.maxTokens = num(saved.maxTokens, LIMITS.maxTokens.min, LIMITS.maxTokens.max, form.maxTokens);
  form.temperature = num(saved.temperature, LIMITS.temperature.min, LIMITS.temperature.max, form.temperature);
  form.runs = Math.round(num(saved.runs, LIMITS.runs.min, LIMITS.runs.max, form.runs));
  form.timeout = Math.round(num(saved.timeout, LIMITS.timeout.min, LIMITS.timeout.max, form.timeout));
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
