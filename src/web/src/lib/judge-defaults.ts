// The Judge page's form defaults from the judge settings saved on the account (the `judge` section of
// GET /api/settings/phase10). The server never applies them to a request (a request carries every value it wants,
// as the tuners' do); they only prefill the form. Pure, so tests/node checks it directly.
import type { z } from "zod";
import type { JudgeSettings } from "../../../shared/settings.ts";

export type SavedJudgeSettings = z.infer<typeof JudgeSettings>;

export interface ModelRef {
  provider_key: string;
  model_id: string;
}

export interface JudgeFormDefaults {
  /** The judge model as the form's select holds it ("provider_key::model_id"), or "" when there is no model. */
  judge: string;
  instructions: string;
  /** The saved mode: live_inline judging is chosen on Evaluate (Auto-judge), this form starts post-eval runs. */
  mode: SavedJudgeSettings["mode"];
  /** The saved judge model when it is not among the user's models (then the form falls back). */
  missingModel: string | null;
  /** What the form says about where its starting values came from (empty: nothing was saved). */
  notes: string[];
}

const keyOf = (m: ModelRef) => `${m.provider_key}::${m.model_id}`;

/** The model a saved judge id names: "provider_key::model_id" exactly, or a bare model id (its first model). */
export function findSavedModel<M extends ModelRef>(wanted: string, models: readonly M[]): M | undefined {
  if (!wanted) return undefined;
  return wanted.includes("::") ? models.find((m) => keyOf(m) === wanted) : models.find((m) => m.model_id === wanted);
}

/**
 * The saved judge model if it is configured ("provider_key::model_id" exactly, or a bare model id: its first
 * model), else a model that names itself a judge (the simulator's sim-judge), else the first one.
 */
export function judgeFormDefaults(saved: SavedJudgeSettings | null, models: readonly ModelRef[]): JudgeFormDefaults {
  const wanted = saved?.model_id.trim() ?? "";
  const savedModel = findSavedModel(wanted, models);
  const fallback = models.find((m) => m.model_id.includes("judge")) ?? models[0];
  const chosen = savedModel ?? fallback;
  const instructions = saved?.custom_instructions ?? "";
  const mode = saved?.mode ?? "post_eval";
  const missingModel = wanted && !savedModel ? wanted : null;
  const notes: string[] = [];
  const used = [savedModel ? "judge model" : "", instructions ? "custom instructions" : ""].filter((x) => x);
  if (used.length) notes.push(`The ${used.join(" and ")} ${used.length > 1 ? "come" : "comes"} from your saved judge defaults.`);
  if (missingModel) notes.push(`Your saved default judge “${missingModel}” is not among your models: another one is preselected.`);
  if (mode === "live_inline")
    notes.push("Your default mode is live inline: Evaluate starts its Auto-judge with this judge; this form judges finished runs.");
  return { judge: chosen ? keyOf(chosen) : "", instructions, mode, missingModel, notes };
}

/**
 * Evaluate's Auto-judge from the saved judge defaults: the saved judge model ("provider_key::model_id") when the saved
 * mode is live inline and the model is among the user's, else "" (Auto-judge off).
 */
export function autoJudgeDefault(saved: Pick<SavedJudgeSettings, "mode" | "model_id"> | null, models: readonly ModelRef[]): string {
  if (saved?.mode !== "live_inline") return "";
  const found = findSavedModel(saved.model_id.trim(), models);
  return found ? keyOf(found) : "";
}
