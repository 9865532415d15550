// Settings → Defaults as plain data: the judge, param tuner and prompt tuner sections of the saved feature settings
// (GET/PUT /api/settings/phase10) as the form's text fields, the message for every value the server would refuse, and
// the patch a valid form saves. Every limit is read from the shared zod schemas themselves (src/shared/settings.ts),
// so the form and the API cannot drift apart. Pure, so tests/node checks it directly.
import type { z } from "zod";
import { boundsIssue, type NumberBounds } from "../../../shared/request-limits.ts";
import { JudgeSettings, ParamTunerSettings, PromptTunerSettings } from "../../../shared/settings.ts";
import { FEATURE_DEFAULTS } from "../../../shared/settings-defaults.ts";
import { findSavedModel, type ModelRef } from "./judge-defaults.ts";

export type SavedJudge = z.infer<typeof JudgeSettings>;
export type SavedParamTuner = z.infer<typeof ParamTunerSettings>;
export type SavedPromptTuner = z.infer<typeof PromptTunerSettings>;
export type SavedPreset = SavedParamTuner["presets"][number];

/** The sections of GET /api/settings/phase10 this form edits (param_support is not one of them). */
export interface FeatureSettings {
  judge: SavedJudge;
  param_tuner: SavedParamTuner;
  prompt_tuner: SavedPromptTuner;
}

/** Field → message; a form saves only when it has none. */
export type Issues<K extends string> = Partial<Record<K, string>>;

/** A number field's limits as its schema states them; `exclusiveMin` for `.positive()` (a step of 0 is refused). */
export interface SchemaBounds extends NumberBounds {
  exclusiveMin: boolean;
}

/** Reads min/max/int off a zod number schema (zod 4 exposes them), so no limit is written twice. */
export function schemaBounds(schema: z.ZodNumber): SchemaBounds {
  const min = schema.minValue ?? Number.NEGATIVE_INFINITY;
  const max = schema.maxValue ?? Number.POSITIVE_INFINITY;
  // `.positive()` reports 0 as its minValue but refuses it: the schema itself says whether the bound is allowed.
  return { min, max, integer: schema.isInt, exclusiveMin: Number.isFinite(min) && !schema.safeParse(min).success };
}

/** The hint under a number field: "0–2", "1–1,000", "above 0, up to 2". */
export function boundsHint(b: SchemaBounds): string {
  const fmt = (n: number) => n.toLocaleString("en-US");
  return b.exclusiveMin ? `above ${fmt(b.min)}, up to ${fmt(b.max)}` : `${fmt(b.min)}–${fmt(b.max)}`;
}

/** What is wrong with `text` for a number schema ("Temperature max must be a number from 0 to 2."), or null. */
export function numberIssue(label: string, text: string, schema: z.ZodNumber): string | null {
  if (text.trim() === "") return `${label} is required.`;
  const value = Number(text);
  if (schema.safeParse(value).success) return null;
  const b = schemaBounds(schema);
  if (b.exclusiveMin && Number.isFinite(value) && value <= b.min) return `${label} must be above ${b.min}, at most ${b.max.toLocaleString("en-US")}.`;
  return boundsIssue(label, value, b) ?? `${label} is not allowed.`;
}

function stringIssue(label: string, text: string, schema: z.ZodString): string | null {
  if (schema.safeParse(text).success) return null;
  const max = schema.maxLength;
  return max === null
    ? `${label} is not allowed.`
    : `${label}: at most ${max.toLocaleString("en-US")} characters (this has ${text.length.toLocaleString("en-US")}).`;
}

/** Checks each numeric field against its schema; returns the numbers when all are valid. */
function numbers<K extends string>(
  keys: readonly K[],
  fields: Record<K, string>,
  shape: Record<K, z.ZodNumber>,
  labels: Record<K, string>,
): { values: Record<K, number> | null; issues: Issues<K> } {
  const issues: Issues<K> = {};
  const values = {} as Record<K, number>;
  for (const key of keys) {
    const issue = numberIssue(labels[key], fields[key], shape[key]);
    if (issue) issues[key] = issue;
    else values[key] = Number(fields[key]);
  }
  return { values: Object.keys(issues).length ? null : values, issues };
}

// --- judge: model, mode, custom instructions. The schema's temperature and max_tokens are not shown: no request
// or page reads them (a judge call always uses src/worker/judge/call.ts's JUDGE_CALL), nor does anything read
// `enabled` (auto-judge is chosen per eval on Evaluate). A save sends only the shown fields, so those stay as saved.

export type JudgeMode = SavedJudge["mode"];
/** A full record, so a mode added to the schema fails the build until it has a label here. */
export const JUDGE_MODE_LABELS: Record<JudgeMode, string> = {
  post_eval: "Post-eval: judge a finished run",
  live_inline: "Live inline: judge while the eval runs",
};
export const JUDGE_MODES = JudgeSettings.shape.mode.options;
export const CUSTOM_INSTRUCTIONS_MAX = JudgeSettings.shape.custom_instructions.maxLength ?? Number.POSITIVE_INFINITY;

export interface JudgeFields {
  /** "provider_key::model_id", a saved id that is not among the models (kept as saved), or "" for none. */
  model_id: string;
  mode: JudgeMode;
  custom_instructions: string;
}

/** The saved judge model as the form's select holds it, and whether it is missing from the user's models. */
export function judgeModelChoice(savedId: string, models: readonly ModelRef[]): { value: string; missing: boolean } {
  const wanted = savedId.trim();
  if (!wanted) return { value: "", missing: false };
  const found = findSavedModel(wanted, models);
  return found ? { value: `${found.provider_key}::${found.model_id}`, missing: false } : { value: wanted, missing: true };
}

export function judgeFields(saved: SavedJudge, models: readonly ModelRef[]): JudgeFields {
  return { model_id: judgeModelChoice(saved.model_id, models).value, mode: saved.mode, custom_instructions: saved.custom_instructions };
}

export type JudgeField = keyof JudgeFields;
export type JudgePatch = Pick<SavedJudge, JudgeField>;

export function judgePatch(fields: JudgeFields): { patch: JudgePatch | null; issues: Issues<JudgeField> } {
  const issues: Issues<JudgeField> = {};
  const model = stringIssue("The judge model id", fields.model_id, JudgeSettings.shape.model_id);
  if (model) issues.model_id = model;
  const instructions = stringIssue("Custom instructions", fields.custom_instructions, JudgeSettings.shape.custom_instructions);
  if (instructions) issues.custom_instructions = instructions;
  if (!JudgeSettings.shape.mode.safeParse(fields.mode).success) issues.mode = "Choose a mode.";
  if (Object.keys(issues).length) return { patch: null, issues };
  return { patch: { model_id: fields.model_id, mode: fields.mode, custom_instructions: fields.custom_instructions }, issues };
}

// --- param tuner: the starting ranges and the combination cap (presets are listed and deleted, not edited here)

export const PARAM_TUNER_KEYS = ["temp_min", "temp_max", "temp_step", "top_p_min", "top_p_max", "top_p_step", "max_combinations"] as const;
export type ParamTunerField = (typeof PARAM_TUNER_KEYS)[number];
export type ParamTunerFields = Record<ParamTunerField, string>;
export type ParamTunerPatch = Omit<SavedParamTuner, "presets">;

export const PARAM_TUNER_LABELS: Record<ParamTunerField, string> = {
  temp_min: "Temperature min",
  temp_max: "Temperature max",
  temp_step: "Temperature step",
  top_p_min: "top_p min",
  top_p_max: "top_p max",
  top_p_step: "top_p step",
  max_combinations: "Max combinations",
};
export const PARAM_TUNER_SHAPE: Record<ParamTunerField, z.ZodNumber> = ParamTunerSettings.shape;

export function paramTunerFields(saved: ParamTunerPatch): ParamTunerFields {
  return Object.fromEntries(PARAM_TUNER_KEYS.map((k) => [k, String(saved[k])])) as ParamTunerFields;
}

export function paramTunerPatch(fields: ParamTunerFields): { patch: ParamTunerPatch | null; issues: Issues<ParamTunerField> } {
  const { values, issues } = numbers(PARAM_TUNER_KEYS, fields, PARAM_TUNER_SHAPE, PARAM_TUNER_LABELS);
  // Not a schema rule, but a range whose min is above its max gives the tuner nothing to search.
  for (const [min, max] of [
    ["temp_min", "temp_max"],
    ["top_p_min", "top_p_max"],
  ] as const) {
    if (!issues[min] && !issues[max] && Number(fields[min]) > Number(fields[max]))
      issues[min] = `${PARAM_TUNER_LABELS[min]} (${fields[min]}) is above ${PARAM_TUNER_LABELS[max].toLowerCase()} (${fields[max]}).`;
  }
  return { patch: values && !Object.keys(issues).length ? values : null, issues };
}

// --- prompt tuner

export const PROMPT_TUNER_KEYS = ["generations", "population_size", "max_api_calls"] as const;
export type PromptTunerNumber = (typeof PROMPT_TUNER_KEYS)[number];
export type PromptTuneMode = SavedPromptTuner["mode"];
export interface PromptTunerFields extends Record<PromptTunerNumber, string> {
  mode: PromptTuneMode;
}
export type PromptTunerField = keyof PromptTunerFields;

export const PROMPT_TUNER_LABELS: Record<PromptTunerNumber, string> = {
  generations: "Generations",
  population_size: "Population size",
  max_api_calls: "Max API calls",
};
export const PROMPT_TUNER_SHAPE: Record<PromptTunerNumber, z.ZodNumber> = PromptTunerSettings.shape;
export const PROMPT_TUNE_MODES = PromptTunerSettings.shape.mode.options;
export const PROMPT_MODE_LABELS: Record<PromptTuneMode, string> = { quick: "Quick", evolutionary: "Evolutionary" };

export function promptTunerFields(saved: SavedPromptTuner): PromptTunerFields {
  return {
    mode: saved.mode,
    generations: String(saved.generations),
    population_size: String(saved.population_size),
    max_api_calls: String(saved.max_api_calls),
  };
}

export function promptTunerPatch(fields: PromptTunerFields): { patch: SavedPromptTuner | null; issues: Issues<PromptTunerField> } {
  const { values, issues } = numbers(PROMPT_TUNER_KEYS, fields, PROMPT_TUNER_SHAPE, PROMPT_TUNER_LABELS);
  const all: Issues<PromptTunerField> = { ...issues };
  if (!PromptTunerSettings.shape.mode.safeParse(fields.mode).success) all.mode = "Choose a mode.";
  return { patch: values && !all.mode ? { mode: fields.mode, ...values } : null, issues: all };
}

/** What "Reset to defaults" puts in each form: the server's own defaults for the fields shown. */
export const RESET_FIELDS = {
  judge: (): JudgeFields => ({
    model_id: FEATURE_DEFAULTS.judge.model_id,
    mode: FEATURE_DEFAULTS.judge.mode,
    custom_instructions: FEATURE_DEFAULTS.judge.custom_instructions,
  }),
  param_tuner: (): ParamTunerFields => paramTunerFields(FEATURE_DEFAULTS.param_tuner),
  prompt_tuner: (): PromptTunerFields => promptTunerFields(FEATURE_DEFAULTS.prompt_tuner),
};
