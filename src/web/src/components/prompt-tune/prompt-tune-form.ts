// The Prompt Tuner form's state, what is wrong with it (shown next to each field; Run stays disabled), the request
// and estimate query it builds, and remembering the last choices in localStorage.
import { boundsIssue, EVAL_LIMITS, type NumberBounds } from "../../../../shared/request-limits.ts";
import type { PromptToolChoice, PromptTuneMode, PromptTuneRequest } from "../../lib/prompt-tune-types.ts";

/** The API's limits (src/worker/prompt-tune/config.ts, PROMPT_TUNE_LIMITS): out of range is a 400 there, a message here. */
export const PROMPT_TUNE_BOUNDS = {
  population_size: { min: 3, max: 20, integer: true },
  generations: { min: 1, max: 10, integer: true },
  selection_ratio: { min: 0.2, max: 0.8, integer: false },
  holdout_fraction: { min: 0, max: 0.5, integer: false },
} as const satisfies Record<string, NumberBounds>;
export const BASE_PROMPT_MAX_CHARS = 50_000;

/** The original's default base prompt (§10.1; the server's DEFAULT_BASE_PROMPT). */
export const DEFAULT_BASE_PROMPT =
  "You are a helpful assistant that uses tools to answer questions. When the user asks you to perform an action, use the appropriate tool.";

/** The Local simulator's prompt writer, preselected as the meta-model when configured. */
export const SIMULATOR_WRITER = "local_simulator::sim-writer-ttft200-tps400";

export const MODES: { value: PromptTuneMode; label: string; hint: string }[] = [
  { value: "quick", label: "Quick", hint: "Generate N prompts, evaluate once" },
  { value: "evolutionary", label: "Evolutionary", hint: "Multiple generations with selection; the best survive and mutate" },
];

export interface PromptTuneForm {
  suiteId: string;
  mode: PromptTuneMode;
  /** "provider_key::model_id" of the model that writes prompts. */
  metaModel: string;
  /** Target models as "provider_key::model_id". */
  selected: string[];
  basePrompt: string;
  /** Numbers as typed: an out-of-range value stays visible with its message. */
  populationSize: string;
  generations: string;
  selectionRatio: string;
  holdoutFraction: string;
  temperature: number;
  toolChoice: PromptToolChoice;
}

export function emptyPromptTuneForm(): PromptTuneForm {
  return {
    suiteId: "",
    mode: "quick",
    metaModel: "",
    selected: [],
    basePrompt: DEFAULT_BASE_PROMPT,
    populationSize: "5",
    generations: "3",
    selectionRatio: "0.4",
    holdoutFraction: "0",
    temperature: 0,
    toolChoice: "auto",
  };
}

const typed = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

export type PromptTuneField = "populationSize" | "generations" | "selectionRatio" | "holdoutFraction" | "basePrompt";

/** Fields whose value the API would refuse, each with its message (empty = it can run). Quick mode ignores generations. */
export function promptTuneFormIssues(form: PromptTuneForm): Partial<Record<PromptTuneField, string>> {
  const issues: Partial<Record<PromptTuneField, string>> = {};
  const check = (field: PromptTuneField, label: string, text: string, bounds: NumberBounds) => {
    const issue = boundsIssue(label, typed(text), bounds);
    if (issue) issues[field] = issue;
  };
  check("populationSize", "Population size", form.populationSize, PROMPT_TUNE_BOUNDS.population_size);
  if (form.mode === "evolutionary") check("generations", "Generations", form.generations, PROMPT_TUNE_BOUNDS.generations);
  check("selectionRatio", "Selection ratio", form.selectionRatio, PROMPT_TUNE_BOUNDS.selection_ratio);
  check("holdoutFraction", "Held-out share", form.holdoutFraction, PROMPT_TUNE_BOUNDS.holdout_fraction);
  if (!form.basePrompt.trim()) issues.basePrompt = "Write a base prompt to improve on.";
  else if (form.basePrompt.length > BASE_PROMPT_MAX_CHARS)
    issues.basePrompt = `The base prompt is over ${BASE_PROMPT_MAX_CHARS.toLocaleString("en-US")} characters.`;
  return issues;
}

const refOf = (key: string) => {
  const at = key.indexOf("::");
  return { provider_key: key.slice(0, at), model_id: key.slice(at + 2) };
};

export function promptTuneRequest(form: PromptTuneForm): PromptTuneRequest {
  return {
    suite_id: form.suiteId,
    mode: form.mode,
    target_targets: form.selected.map(refOf),
    meta_model: form.metaModel,
    base_prompt: form.basePrompt.trim(),
    config: {
      population_size: typed(form.populationSize),
      ...(form.mode === "evolutionary" ? { generations: typed(form.generations) } : {}),
      selection_ratio: typed(form.selectionRatio),
      temperature: form.temperature,
      tool_choice: form.toolChoice,
    },
    holdout_fraction: typed(form.holdoutFraction),
  };
}

/** GET /estimate's query for the form, or null while a value the API would refuse is in it (or nothing is chosen). */
export function estimateQuery(form: PromptTuneForm): string | null {
  const issues = promptTuneFormIssues(form);
  if (!form.suiteId || issues.populationSize || issues.generations || issues.holdoutFraction) return null;
  const q = new URLSearchParams({
    suite_id: form.suiteId,
    mode: form.mode,
    population_size: String(typed(form.populationSize)),
    holdout_fraction: String(typed(form.holdoutFraction)),
  });
  if (form.mode === "evolutionary") q.set("generations", String(typed(form.generations)));
  if (form.selected.length) q.set("targets", form.selected.join(","));
  else q.set("num_models", "1");
  if (form.metaModel) q.set("meta_model", form.metaModel);
  return q.toString();
}

const STORAGE_KEY = "studio.prompt-tune.form";

export function savePromptTuneForm(form: PromptTuneForm): void {
  try {
    // The base prompt is not kept: each visit starts from Evaluate's prompt (the one a tune would improve on).
    const { basePrompt: _, ...saved } = form;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...saved, selected: [...form.selected] }));
  } catch {
    // Storage unavailable: nothing to remember.
  }
}

/**
 * Applies the saved choices over `form`, only what is still valid: known models and suites, values in range.
 */
export function applySavedPromptTuneForm(form: PromptTuneForm, knownModels: ReadonlySet<string>, knownSuites: ReadonlySet<string>): boolean {
  let saved: Partial<PromptTuneForm> | null;
  try {
    saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Partial<PromptTuneForm> | null;
  } catch {
    saved = null;
  }
  if (!saved || typeof saved !== "object") return false;
  if (typeof saved.suiteId === "string" && knownSuites.has(saved.suiteId)) form.suiteId = saved.suiteId;
  if (MODES.some((m) => m.value === saved.mode)) form.mode = saved.mode!;
  if (typeof saved.metaModel === "string" && knownModels.has(saved.metaModel)) form.metaModel = saved.metaModel;
  if (Array.isArray(saved.selected)) {
    const kept = saved.selected.filter((k) => typeof k === "string" && knownModels.has(k));
    if (kept.length) form.selected = kept;
  }
  // Like Evaluate: only values the API takes are restored; anything else keeps the default.
  const bounds = {
    populationSize: PROMPT_TUNE_BOUNDS.population_size,
    generations: PROMPT_TUNE_BOUNDS.generations,
    selectionRatio: PROMPT_TUNE_BOUNDS.selection_ratio,
    holdoutFraction: PROMPT_TUNE_BOUNDS.holdout_fraction,
  };
  for (const k of ["populationSize", "generations", "selectionRatio", "holdoutFraction"] as const) {
    const v = saved[k];
    if (typeof v === "string" && !boundsIssue("", typed(v), bounds[k])) form[k] = v;
  }
  if (typeof saved.temperature === "number" && !boundsIssue("", saved.temperature, EVAL_LIMITS.temperature)) form.temperature = saved.temperature;
  if (saved.toolChoice === "auto" || saved.toolChoice === "required" || saved.toolChoice === "none") form.toolChoice = saved.toolChoice;
  return true;
}
