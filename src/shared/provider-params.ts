/**
 * Provider parameter validation (original-inventory §12): identify the provider's registry entry, clamp the
 * temperature, resolve conflicts, report tier-3 passthrough keys, and build the final snake_case kwargs of a call.
 *
 * Philosophy: "warn, don't drop". Parameters the user asked for are sent, and if the provider rejects one its
 * own error surfaces. Only hard conflicts are dropped (Anthropic temperature + top_p), only transformations the
 * wire needs are renamed (max_tokens → max_completion_tokens), and only out-of-range numbers are clamped.
 * Pure functions over the data in `./provider-params/registry.ts`.
 */
import {
  ANTHROPIC_THINKING_BUDGET,
  MODEL_PREFIX_PROVIDERS,
  PROVIDER_KEY_ALIASES,
  PROVIDER_PARAM_REGISTRY,
  type ProviderSpec,
  TIER1_PARAMS,
  TIER2_PARAMS,
  UNKNOWN_PROVIDER_SPEC,
} from "./provider-params/registry.ts";

export type { ParamSpec, ProviderSpec, SupportFlag, Tier3Example } from "./provider-params/registry.ts";
export {
  ANTHROPIC_THINKING_BUDGET,
  MODEL_PREFIX_PROVIDERS,
  PROVIDER_KEY_ALIASES,
  PROVIDER_PARAM_REGISTRY,
  TIER1_PARAMS,
  TIER2_PARAMS,
  UNKNOWN_PROVIDER_SPEC,
} from "./provider-params/registry.ts";

export type AdjustmentAction = "clamp" | "drop" | "rename" | "warn" | "passthrough";

export interface Adjustment {
  param: string;
  original: unknown;
  adjusted: unknown;
  action: AdjustmentAction;
  reason: string;
}

export interface ValidationResult {
  /** False exactly when a parameter was dropped or clamped; warn, rename and passthrough are informational. */
  valid: boolean;
  /** True when at least one `warn` adjustment was made. */
  has_warnings: boolean;
  adjustments: Adjustment[];
  /** Provider-level notes, not tied to one parameter. */
  warnings: string[];
  /** The parameters to send: adjusted, renamed, null values removed. */
  resolved_params: Record<string, unknown>;
  /** The registry key the parameters were validated against. */
  provider: string;
}

/** Every name validated as tier 1 or 2 (plus the o-series/GPT-5 spelling of max_tokens); the rest is tier 3. */
const KNOWN_PARAMS: ReadonlySet<string> = new Set([...TIER1_PARAMS, ...TIER2_PARAMS, "max_completion_tokens"]);

const UNKNOWN_PROVIDER_WARNING = "Unknown provider -- using OpenAI-compatible defaults. Parameters may not all be supported.";
const ANTHROPIC_MAX_TOKENS_WARNING = "max_tokens is required for Anthropic and will always be included";

// ---------------------------------------------------------------------------------------------------------------
// Provider identification
// ---------------------------------------------------------------------------------------------------------------

/** The registry entry for a key, or the `_unknown` OpenAI-compatible fallback. */
export function getProviderSpec(registryKey: string): ProviderSpec {
  return Object.hasOwn(PROVIDER_PARAM_REGISTRY, registryKey)
    ? (PROVIDER_PARAM_REGISTRY[registryKey] ?? UNKNOWN_PROVIDER_SPEC)
    : UNKNOWN_PROVIDER_SPEC;
}

/**
 * The registry key for a model: the provider key itself when it names a registry entry (or an alias of one,
 * `google_gemini` → `gemini`), else the model id's LiteLLM-style prefix (`anthropic/`, `gemini/`, …), else
 * `_unknown`.
 */
export function identifyProvider(providerKey: string | null | undefined, modelId: string): string {
  if (providerKey) {
    if (Object.hasOwn(PROVIDER_PARAM_REGISTRY, providerKey)) return providerKey;
    if (Object.hasOwn(PROVIDER_KEY_ALIASES, providerKey)) {
      const alias = PROVIDER_KEY_ALIASES[providerKey];
      if (alias !== undefined) return alias;
    }
  }
  const lower = modelId.toLowerCase();
  for (const [prefix, provider] of MODEL_PREFIX_PROVIDERS) if (lower.startsWith(prefix)) return provider;
  return "_unknown";
}

/** The model id, lower-cased, without a known provider prefix (`openai/o3-mini` → `o3-mini`). */
export function bareModelName(modelId: string): string {
  const lower = modelId.toLowerCase();
  for (const [prefix] of MODEL_PREFIX_PROVIDERS) if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  return lower;
}

/** OpenAI o-series (o1, o3, o4 and their variants): the bare model name starts with `o1`, `o3` or `o4`. */
export function isOSeries(modelId: string): boolean {
  return /^o[134]/.test(bareModelName(modelId));
}

/** A GPT-5 family model (`gpt-5`, `gpt-5-mini`, `openai/gpt-5.1`, …). */
export function isGpt5(modelId: string): boolean {
  return modelId.toLowerCase().includes("gpt-5");
}

/** Anthropic thinking budget (tokens) for a `reasoning_effort` value; null when thinking stays off. */
export function anthropicThinkingBudget(effort: unknown): number | null {
  if (effort === "low" || effort === "medium" || effort === "high") return ANTHROPIC_THINKING_BUDGET[effort];
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A finite number, or a string holding one; anything else is null. */
function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const clampTo = (v: number, min: number, max: number) => Math.min(Math.max(v, min), max);

const has = (params: Record<string, unknown>, name: string) => Object.hasOwn(params, name);

/** Reasoning is requested: `reasoning_effort` set to anything but "none". */
const thinkingActive = (params: Record<string, unknown>) => has(params, "reasoning_effort") && params.reasoning_effort !== "none";

/**
 * One flat parameter dict from a `provider_params`-shaped object: top-level entries, then the entries of its
 * `passthrough` object on top (they win, as they are merged last). Null/undefined values are removed; a
 * `passthrough` that is not an object is ignored with a warning.
 */
export function flattenProviderParams(params: Record<string, unknown>): {
  params: Record<string, unknown>;
  warnings: string[];
} {
  const flat: Record<string, unknown> = {};
  const warnings: string[] = [];
  const put = (k: string, v: unknown) => {
    if (v !== null && v !== undefined && k !== "__proto__") flat[k] = v;
  };
  for (const [k, v] of Object.entries(params)) if (k !== "passthrough") put(k, v);
  const passthrough = params.passthrough;
  if (isPlainObject(passthrough)) for (const [k, v] of Object.entries(passthrough)) put(k, v);
  else if (passthrough !== null && passthrough !== undefined) warnings.push("provider_params.passthrough must be an object; it was ignored");
  return { params: flat, warnings };
}

interface Context {
  provider: string;
  spec: ProviderSpec;
  modelId: string;
  /** The working copy of the parameters (mutated by the steps below). */
  params: Record<string, unknown>;
  adjustments: Adjustment[];
}

function warn(ctx: Context, param: string, reason: string) {
  const value = ctx.params[param];
  ctx.adjustments.push({ param, original: value, adjusted: value, action: "warn", reason });
}

/** Warn (keep the value) for each of `names` that is set. */
function warnEach(ctx: Context, names: readonly string[], reason: (name: string) => string) {
  for (const name of names) if (has(ctx.params, name)) warn(ctx, name, reason(name));
}

function clampParam(ctx: Context, param: string, original: unknown, adjusted: number, reason: string) {
  ctx.params[param] = adjusted;
  ctx.adjustments.push({ param, original, adjusted, action: "clamp", reason });
}

// ---------------------------------------------------------------------------------------------------------------
// Step 1: temperature
// ---------------------------------------------------------------------------------------------------------------

function resolveTemperature(ctx: Context) {
  if (!has(ctx.params, "temperature")) return;
  const raw = ctx.params.temperature;
  const value = toNumber(raw);
  if (value === null) {
    warn(ctx, "temperature", "temperature is not a number -- passing through");
    return;
  }
  const { provider, spec, modelId } = ctx;
  let target: number;
  let reason: string;
  if (provider === "openai" && isGpt5(modelId)) {
    target = 1;
    reason = "GPT-5 locks temperature to 1.0";
  } else if (provider === "openai" && isOSeries(modelId)) {
    target = 1;
    reason = "O-series models lock temperature to 1.0";
  } else if (provider === "gemini" && modelId.toLowerCase().includes("gemini-3") && value < 1) {
    target = 1;
    reason = "Gemini 3 models degrade below temperature 1.0";
  } else {
    const range = spec.tier1.temperature ?? UNKNOWN_PROVIDER_SPEC.tier1.temperature;
    const min = range?.min ?? 0;
    const max = range?.max ?? 2;
    target = clampTo(value, min, max);
    reason = `${spec.display_name} temperature range is ${min}-${max}`;
  }
  if (target !== value) clampParam(ctx, "temperature", raw, target, reason);
  else ctx.params.temperature = value; // a numeric string becomes a number
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2: provider conflicts
// ---------------------------------------------------------------------------------------------------------------

const PENALTIES = ["frequency_penalty", "presence_penalty"] as const;

function anthropicConflicts(ctx: Context) {
  const p = ctx.params;
  if (has(p, "temperature") && has(p, "top_p")) {
    const topP = p.top_p;
    delete p.top_p;
    ctx.adjustments.push({
      param: "top_p",
      original: topP,
      adjusted: null,
      action: "drop",
      reason: "Anthropic cannot use both temperature and top_p. Dropping top_p.",
    });
  }
  warnEach(ctx, [...PENALTIES, "seed"], (name) => `Anthropic may not support ${name} -- passing through`);
  if (thinkingActive(p)) {
    if (has(p, "temperature") && p.temperature !== 1)
      warn(ctx, "temperature", "Anthropic does not allow changing temperature when thinking is enabled");
    if (has(p, "top_k")) warn(ctx, "top_k", "Anthropic does not allow changing top_k when thinking is enabled");
  }
}

function openaiConflicts(ctx: Context) {
  const p = ctx.params;
  const oSeries = isOSeries(ctx.modelId);
  if (has(p, "max_tokens") && (oSeries || isGpt5(ctx.modelId))) {
    const value = p.max_tokens;
    delete p.max_tokens;
    p.max_completion_tokens = value;
    ctx.adjustments.push({
      param: "max_tokens",
      original: value,
      adjusted: value,
      action: "rename",
      reason: `${oSeries ? "O-series" : "GPT-5"} uses max_completion_tokens instead of max_tokens`,
    });
  }
  if (has(p, "top_k")) warn(ctx, "top_k", "OpenAI may not support top_k -- passing through");
  if (has(p, "stop")) {
    if (oSeries) warn(ctx, "stop", "O-series models do not support stop sequences -- passing through");
    else {
      const maxItems = ctx.spec.tier1.stop?.maxItems;
      if (maxItems !== undefined && Array.isArray(p.stop) && p.stop.length > maxItems)
        warn(ctx, "stop", `OpenAI accepts at most ${maxItems} stop sequences -- passing through`);
    }
  }
}

function deepseekConflicts(ctx: Context) {
  if (ctx.modelId.toLowerCase().includes("r1") && thinkingActive(ctx.params))
    warnEach(ctx, ["temperature", "top_p", ...PENALTIES], () => "DeepSeek R1 ignores all sampling params in thinking mode");
  warnEach(ctx, ["top_k", "seed"], (name) => `DeepSeek may not support ${name} -- passing through`);
}

function xaiConflicts(ctx: Context) {
  if (thinkingActive(ctx.params)) warnEach(ctx, [...PENALTIES, "stop"], () => "xAI reasoning models may reject penalty params and stop sequences");
  warnEach(ctx, ["top_k"], () => "xAI may not support top_k -- passing through");
}

function cohereConflicts(ctx: Context) {
  const p = ctx.params;
  for (const name of PENALTIES) {
    if (!has(p, name)) continue;
    const value = toNumber(p[name]);
    if (value === null) continue;
    const clamped = clampTo(value, 0, 1);
    if (clamped !== value) clampParam(ctx, name, p[name], clamped, `Cohere ${name} range is 0-1 only`);
  }
  if (has(p, "top_p")) {
    const value = toNumber(p.top_p);
    if (value !== null && value > 0.99) clampParam(ctx, "top_p", p.top_p, 0.99, "Cohere top_p maximum is 0.99");
  }
}

function mistralConflicts(ctx: Context) {
  warnEach(ctx, ["top_k"], () => "Mistral has limited top_k support");
}

const PROVIDER_CONFLICTS: Readonly<Record<string, (ctx: Context) => void>> = {
  anthropic: anthropicConflicts,
  openai: openaiConflicts,
  deepseek: deepseekConflicts,
  xai: xaiConflicts,
  cohere: cohereConflicts,
  mistral: mistralConflicts,
};

/** Tier-2 params the provider marks unsupported and nothing above reported yet: warn, keep. */
function warnUnsupported(ctx: Context) {
  for (const name of TIER2_PARAMS) {
    const spec = ctx.spec.tier2[name];
    if (spec?.supported !== false || !has(ctx.params, name)) continue;
    if (ctx.adjustments.some((a) => a.param === name)) continue;
    const why = spec.note ?? `${ctx.spec.display_name} may not support ${name}`;
    warn(ctx, name, `${why} -- passing through`);
  }
}

/** Numeric tier-2 params with a known range (and support not false/unknown): clamp into it. */
function clampTier2(ctx: Context) {
  for (const name of TIER2_PARAMS) {
    const spec = ctx.spec.tier2[name];
    if (!spec || spec.supported === false || spec.supported === "unknown") continue;
    if (spec.min === undefined || spec.max === undefined || !has(ctx.params, name)) continue;
    const raw = ctx.params[name];
    const value = toNumber(raw);
    if (value === null) continue;
    const clamped = clampTo(value, spec.min, spec.max);
    if (clamped === value) continue;
    if (ctx.adjustments.some((a) => a.param === name && a.adjusted === clamped)) continue;
    clampParam(ctx, name, raw, clamped, `${name} clamped to ${ctx.provider} range [${spec.min}, ${spec.max}]`);
  }
}

/** Tier-3 keys (anything not tier 1/2) that nothing above reported: note that they bypass validation. */
function reportPassthrough(ctx: Context) {
  const adjusted = new Set(ctx.adjustments.map((a) => a.param));
  for (const [name, value] of Object.entries(ctx.params)) {
    if (KNOWN_PARAMS.has(name) || adjusted.has(name)) continue;
    ctx.adjustments.push({
      param: name,
      original: value,
      adjusted: value,
      action: "passthrough",
      reason: `Custom param '${name}' passed through without validation (Tier 3)`,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public pipeline
// ---------------------------------------------------------------------------------------------------------------

/**
 * Validate one call's parameters for a provider/model (§12.4). `params` is flat (tier 1, tier 2 and tier-3 keys
 * side by side); a nested `passthrough` object is flattened onto it first. Null/undefined values are removed.
 */
export function validateParams(providerKey: string | null | undefined, modelId: string, params: Record<string, unknown>): ValidationResult {
  const provider = identifyProvider(providerKey, modelId);
  const spec = getProviderSpec(provider);
  const flat = flattenProviderParams(params);
  const ctx: Context = { provider, spec, modelId, params: flat.params, adjustments: [] };

  resolveTemperature(ctx);
  PROVIDER_CONFLICTS[provider]?.(ctx);
  warnUnsupported(ctx);
  clampTier2(ctx);
  reportPassthrough(ctx);

  const warnings = [...flat.warnings];
  if (provider === "anthropic") warnings.push(ANTHROPIC_MAX_TOKENS_WARNING);
  if (provider === "_unknown") warnings.push(UNKNOWN_PROVIDER_WARNING);

  const resolved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx.params)) if (v !== null && v !== undefined) resolved[k] = v;

  return {
    valid: !ctx.adjustments.some((a) => a.action === "drop" || a.action === "clamp"),
    has_warnings: ctx.adjustments.some((a) => a.action === "warn"),
    adjustments: ctx.adjustments,
    warnings,
    resolved_params: resolved,
    provider,
  };
}

export interface BuildCallParamsInput {
  providerKey: string;
  modelId: string;
  temperature?: number | null;
  maxTokens?: number | null;
  /** Tier-2 params (and any other kwargs) plus an optional `passthrough` object of tier-3 kwargs. */
  providerParams?: Record<string, unknown> | null;
  /** Parameters this model must never receive (the model's `skip_params`). */
  skipParams?: readonly string[];
}

export interface CallParams {
  params: Record<string, unknown>;
  adjustments: Adjustment[];
  warnings: string[];
}

/**
 * tier-1 call values + provider_params (tier 2 + `passthrough` object) + skip_params → the final kwargs for the
 * SDK call, plus the adjustments made (§12.5).
 *
 * Precedence: explicit temperature/maxTokens, then provider_params' top level, then its passthrough object
 * (null values never override). Skipped params are removed before validation (so they cause no adjustments or
 * conflicts) and again after it; skipping `max_tokens` also removes its `max_completion_tokens` rename.
 */
export function buildCallParams(input: BuildCallParamsInput): CallParams {
  const { providerKey, modelId, temperature, maxTokens, providerParams, skipParams = [] } = input;
  const nothingGiven =
    (temperature === null || temperature === undefined) &&
    (maxTokens === null || maxTokens === undefined) &&
    (providerParams === null || providerParams === undefined);
  if (nothingGiven) return { params: {}, adjustments: [], warnings: [] };

  const skip = new Set(skipParams);
  if (skip.has("max_tokens")) skip.add("max_completion_tokens");

  const requested: Record<string, unknown> = {};
  if (temperature !== null && temperature !== undefined) requested.temperature = temperature;
  if (maxTokens !== null && maxTokens !== undefined) requested.max_tokens = maxTokens;
  const flat = flattenProviderParams(providerParams ?? {});
  Object.assign(requested, flat.params);
  for (const name of skip) delete requested[name];

  const result = validateParams(providerKey, modelId, requested);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.resolved_params)) if (!skip.has(k)) params[k] = v;
  return { params, adjustments: result.adjustments, warnings: [...flat.warnings, ...result.warnings] };
}
