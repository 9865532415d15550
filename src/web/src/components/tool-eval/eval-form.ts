// The Evaluate form's state, the request it builds, and remembering the last choices in localStorage.
import type { EvalRequest, ScorerName, ToolChoice } from "~/lib/eval-types";
import { clamp } from "../benchmark/form-state";

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

export interface EvalForm {
  suiteId: string;
  /** Selected models as `modelKey()` strings ("provider_key::model_id", the API's per-model prompt key). */
  selected: string[];
  temperature: number;
  toolChoice: ToolChoice;
  scorer: ScorerName;
  /** System prompts by GLOBAL_PROMPT or model key; empty = not sent. */
  prompts: Record<string, string>;
  promptTab: string;
}

export function emptyEvalForm(): EvalForm {
  return { suiteId: "", selected: [], temperature: 0, toolChoice: "auto", scorer: "classic", prompts: {}, promptTab: GLOBAL_PROMPT };
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
    tool_choice: form.toolChoice,
    scorer: form.scorer,
    ...(prompts ? { system_prompt: prompts } : {}),
  };
}

const STORAGE_KEY = "studio.tool-eval.form";

export function saveEvalForm(form: EvalForm): void {
  try {
    const { promptTab: _, ...saved } = form;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...saved, selected: [...form.selected], prompts: { ...form.prompts } }));
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
  if (TOOL_CHOICES.some((c) => c.value === saved.toolChoice)) form.toolChoice = saved.toolChoice!;
  if (SCORERS.some((s) => s.value === saved.scorer)) form.scorer = saved.scorer!;
  if (saved.prompts && typeof saved.prompts === "object") {
    form.prompts = Object.fromEntries(Object.entries(saved.prompts).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  }
  return true;
}
