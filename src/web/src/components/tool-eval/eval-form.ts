// The Evaluate form's state, the request it builds, and remembering the last choices in localStorage.
import type { EvalRequest, ScorerName, ToolChoice } from "~/lib/eval-types";
import { boundsIssue, EVAL_LIMITS } from "../../../../shared/request-limits.ts";
import { clamp, typedNumber } from "../benchmark/form-state";

export const TOOL_CHOICES: { value: ToolChoice; label: string; hint: string }[] = [
  { value: "auto", label: "Auto", hint: "The model decides whether to call a tool; needed for “no tool expected” cases" },
  { value: "required", label: "Required", hint: "The model must call a tool (falls back to auto where a provider refuses)" },
  { value: "none", label: "None", hint: "Tools are offered but calling them is not allowed" },
];

export const SCORERS: { value: ScorerName; label: string; hint: string }[] = [
  { value: "classic", label: "Classic", hint: "The original's rule: 0.6 × tool + 0.4 × parameters, per match mode" },
  { value: "bfcl", label: "BFCL", hint: "Berkeley Function Calling Leaderboard AST check: pass or fail per case" },
  { value: "partial", label: "Partial", hint: "Weighted partial credit: name, required, values, no hallucinated args, types" },
];

/** The tab key of the prompt sent to every model without its own. */
export const GLOBAL_PROMPT = "_global";

export type ParamValue = string | number | boolean;

export interface EvalForm {
  suiteId: string;
  /** Selected models as `modelKey()` strings ("provider_key::model_id", the API's per-model prompt key). */
  selected: string[];
  temperature: number;
  /** Max tokens per call and timeout (s) per call, as typed: an out-of-range value stays visible with its message. */
  maxTokens: string;
  timeout: string;
  toolChoice: ToolChoice;
  scorer: ScorerName;
  /** Provider parameters (top_p, top_k, …) sent with every call; set by "Apply best config" on the Param Tuner. */
  providerParams: Record<string, ParamValue>;
  /** System prompts by GLOBAL_PROMPT or model key; empty = not sent. */
  prompts: Record<string, string>;
  promptTab: string;
}

export function emptyEvalForm(): EvalForm {
  return {
    suiteId: "",
    selected: [],
    temperature: 0,
    maxTokens: "1024",
    timeout: "120",
    toolChoice: "auto",
    scorer: "classic",
    providerParams: {},
    prompts: {},
    promptTab: GLOBAL_PROMPT,
  };
}

/** Fields whose value the API would refuse, each with the message shown next to it (empty = it can run). */
export function evalFormIssues(form: EvalForm): Partial<Record<"maxTokens" | "timeout", string>> {
  const issues: Partial<Record<"maxTokens" | "timeout", string>> = {};
  const maxTokens = boundsIssue("Max tokens", typedNumber(form.maxTokens), EVAL_LIMITS.max_tokens);
  if (maxTokens) issues.maxTokens = maxTokens;
  const timeout = boundsIssue("Timeout", typedNumber(form.timeout), EVAL_LIMITS.timeout);
  if (timeout) issues.timeout = timeout;
  return issues;
}

/** The system prompt for all models in Evaluate's stored form ("" when none), e.g. the Prompt Tuner's base prompt. */
export function storedEvalPrompt(): string {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as { prompts?: Record<string, unknown> } | null;
    const text = saved?.prompts?.[GLOBAL_PROMPT];
    return typeof text === "string" ? text : "";
  } catch {
    return "";
  }
}

/**
 * "Apply to Evaluate" (Prompt Tuner): writes `prompt` as the system prompt for all models in Evaluate's stored
 * form, keeping everything else; the Evaluate page shows it on its next load. False when the browser would not
 * store it.
 */
export function applyTunedPrompt(prompt: string): boolean {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Record<string, unknown> | null;
    const stored = raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {};
    const prompts = stored.prompts && typeof stored.prompts === "object" ? (stored.prompts as Record<string, unknown>) : {};
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...stored, prompts: { ...prompts, [GLOBAL_PROMPT]: prompt } }));
    return true;
  } catch {
    return false;
  }
}

/** The per-model prompts of the selected models (and the global one) as the API's `system_prompt`. */
export function systemPromptPayload(form: EvalForm): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of [GLOBAL_PROMPT, ...form.selected]) {
    const text = form.prompts[key]?.trim();
    if (text) out[key] = text;
  }
  return Object.keys(out).length ? out : undefined;
}

export function evalRequest(form: EvalForm): EvalRequest {
  const prompts = systemPromptPayload(form);
  return {
    suite_id: form.suiteId,
    targets: form.selected.map((key) => {
      const at = key.indexOf("::");
      return { provider_key: key.slice(0, at), model_id: key.slice(at + 2) };
    }),
    temperature: form.temperature,
    max_tokens: typedNumber(form.maxTokens),
    timeout: typedNumber(form.timeout),
    tool_choice: form.toolChoice,
    scorer: form.scorer,
    ...(Object.keys(form.providerParams).length ? { provider_params: { ...form.providerParams } } : {}),
    ...(prompts ? { system_prompt: prompts } : {}),
  };
}

const STORAGE_KEY = "studio.tool-eval.form";

export function saveEvalForm(form: EvalForm): void {
  try {
    const { promptTab: _, ...saved } = form;
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ ...saved, selected: [...form.selected], prompts: { ...form.prompts }, providerParams: { ...form.providerParams } }),
    );
  } catch {
    // Storage unavailable: nothing to remember.
  }
}

/** Applies the saved choices (validated) over `form`; unknown models and suites are dropped. */
export function applySavedEvalForm(form: EvalForm, knownModels: ReadonlySet<string>, knownSuites: ReadonlySet<string>): boolean {
  let saved: Partial<EvalForm> | null = null;
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    saved = raw ? (JSON.parse(raw) as Partial<EvalForm>) : null;
  } catch {
    saved = null;
  }
  if (!saved || typeof saved !== "object") return false;
  if (typeof saved.suiteId === "string" && knownSuites.has(saved.suiteId)) form.suiteId = saved.suiteId;
  if (Array.isArray(saved.selected)) {
    const kept = saved.selected.filter((k) => typeof k === "string" && knownModels.has(k));
    if (kept.length) form.selected = kept;
  }
  if (typeof saved.temperature === "number" && Number.isFinite(saved.temperature)) form.temperature = clamp(saved.temperature, 0, 2);
  // Only values the API takes today are restored; anything else keeps the default.
  if (typeof saved.maxTokens === "string" && !boundsIssue("", typedNumber(saved.maxTokens), EVAL_LIMITS.max_tokens)) form.maxTokens = saved.maxTokens;
  if (typeof saved.timeout === "string" && !boundsIssue("", typedNumber(saved.timeout), EVAL_LIMITS.timeout)) form.timeout = saved.timeout;
  if (TOOL_CHOICES.some((c) => c.value === saved.toolChoice)) form.toolChoice = saved.toolChoice!;
  if (SCORERS.some((s) => s.value === saved.scorer)) form.scorer = saved.scorer!;
  form.providerParams = cleanParams(saved.providerParams);
  if (saved.prompts && typeof saved.prompts === "object") {
    form.prompts = Object.fromEntries(Object.entries(saved.prompts).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  }
  return true;
}

/** Provider parameters from storage: names the API takes, plain values only. */
function cleanParams(raw: unknown): Record<string, ParamValue> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!/^[a-z_][a-z0-9_]{0,63}$/.test(k) || k === "temperature" || k === "tool_choice" || k === "max_tokens") continue;
    if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

function readStored(): Record<string, unknown> {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as unknown;
    return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The Evaluate settings a tune compares its combos with (the user's current settings). */
export function storedEvalSettings(): {
  temperature: number;
  toolChoice: ToolChoice;
  providerParams: Record<string, ParamValue>;
  scorer: ScorerName;
} {
  const form = emptyEvalForm();
  applySavedEvalForm(form, new Set(), new Set());
  return { temperature: form.temperature, toolChoice: form.toolChoice, providerParams: form.providerParams, scorer: form.scorer };
}

/**
 * "Apply best config" (Param Tuner): writes a tuned combo's temperature, tool choice and provider parameters into
 * the stored Evaluate form, keeping its suite, models and prompts; the Evaluate page shows them on its next load.
 * False when the browser would not store it.
 */
export function applyTunedConfig(config: Record<string, unknown>): boolean {
  const stored = readStored();
  const { temperature, tool_choice, max_tokens: _ignored, ...rest } = config;
  const next: Record<string, unknown> = { ...stored, providerParams: cleanParams(rest) };
  if (typeof temperature === "number" && Number.isFinite(temperature)) next.temperature = clamp(temperature, 0, 2);
  if (TOOL_CHOICES.some((c) => c.value === tool_choice)) next.toolChoice = tool_choice;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    return true;
  } catch {
    return false;
  }
}
