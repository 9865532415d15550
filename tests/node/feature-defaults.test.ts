/**
 * Settings → Defaults as plain data (src/web/src/lib/feature-defaults.ts): the form refuses exactly what the shared
 * settings schemas (the ones PUT /api/settings/phase10 validates with) refuse, says why with the schema's own range,
 * saves only the fields it shows, and turns saved settings into its fields and back without change.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { JudgeSettings, ParamTunerSettings, PromptTunerSettings } from "../../src/shared/settings.ts";
import { FEATURE_DEFAULTS } from "../../src/shared/settings-defaults.ts";
import {
  CUSTOM_INSTRUCTIONS_MAX,
  judgeFields,
  judgeModelChoice,
  judgePatch,
  numberIssue,
  PARAM_TUNER_KEYS,
  PARAM_TUNER_SHAPE,
  PROMPT_TUNER_KEYS,
  PROMPT_TUNER_SHAPE,
  paramTunerFields,
  paramTunerPatch,
  promptTunerFields,
  promptTunerPatch,
  RESET_FIELDS,
  schemaBounds,
} from "../../src/web/src/lib/feature-defaults.ts";

const SIM = "local_simulator";
const models = [
  { provider_key: SIM, model_id: "sim-judge" },
  { provider_key: "other", model_id: "sim-judge" },
  { provider_key: "other", model_id: "gpt-judge" },
];

/** Values around and inside each bound, plus ones no number field takes. */
function probes(schema: z.ZodNumber): string[] {
  const b = schemaBounds(schema);
  const around = [b.min, b.max].flatMap((x) => [x - 1, x - 0.01, x, x + 0.01, x + 1]);
  return [...around, (b.min + b.max) / 2, Math.floor((b.min + b.max) / 2), Number.NaN, Number.POSITIVE_INFINITY].map(String).concat(["abc", "1e3"]);
}

describe("the defaults form's checks are the settings schemas'", () => {
  it("accepts a number exactly when the shared schema does, for every field of both tuners", () => {
    const shapes = [
      ...PARAM_TUNER_KEYS.map((k) => [k, PARAM_TUNER_SHAPE[k]] as const),
      ...PROMPT_TUNER_KEYS.map((k) => [k, PROMPT_TUNER_SHAPE[k]] as const),
    ];
    for (const [key, schema] of shapes) {
      for (const text of probes(schema)) {
        const issue = numberIssue(key, text, schema);
        expect({ key, text, ok: issue === null }).toEqual({ key, text, ok: schema.safeParse(Number(text)).success });
      }
    }
  });

  it("names the field and the schema's range, and says when a bound itself is refused", () => {
    const temp = schemaBounds(ParamTunerSettings.shape.temp_max);
    expect(numberIssue("Temperature max", String(temp.max + 3), ParamTunerSettings.shape.temp_max)).toBe(
      `Temperature max must be a number from ${temp.min} to ${temp.max}.`,
    );
    const step = schemaBounds(ParamTunerSettings.shape.temp_step);
    expect(step.exclusiveMin).toBe(true); // .positive(): 0 is refused
    expect(numberIssue("Temperature step", String(step.min), ParamTunerSettings.shape.temp_step)).toBe(
      `Temperature step must be above ${step.min}, at most ${step.max}.`,
    );
    const gens = schemaBounds(PromptTunerSettings.shape.generations);
    expect(gens.integer).toBe(true);
    expect(numberIssue("Generations", "2.5", PromptTunerSettings.shape.generations)).toContain("a whole number");
    expect(numberIssue("Generations", " ", PromptTunerSettings.shape.generations)).toBe("Generations is required.");
  });
});

describe("param tuner section", () => {
  it("turns saved settings into fields and back unchanged, without the presets", () => {
    const saved = { ...FEATURE_DEFAULTS.param_tuner, temp_max: 1.4, top_p_step: 0.05, max_combinations: 120 };
    const { patch, issues } = paramTunerPatch(paramTunerFields(saved));
    expect(issues).toEqual({});
    const { presets: _presets, ...shown } = saved;
    expect(patch).toEqual(shown);
    expect(ParamTunerSettings.parse({ ...patch, presets: [] })).toEqual({ ...shown, presets: [] });
  });

  it("marks each out-of-range field and a min above its max, and saves nothing then", () => {
    const tMax = schemaBounds(ParamTunerSettings.shape.temp_max).max;
    const combos = schemaBounds(ParamTunerSettings.shape.max_combinations).max;
    const fields = { ...paramTunerFields(FEATURE_DEFAULTS.param_tuner), temp_max: String(tMax + 1), max_combinations: String(combos + 1) };
    const out = paramTunerPatch(fields);
    expect(out.patch).toBeNull();
    expect(Object.keys(out.issues).sort()).toEqual(["max_combinations", "temp_max"]);
    const inverted = paramTunerPatch({ ...paramTunerFields(FEATURE_DEFAULTS.param_tuner), top_p_min: "0.9", top_p_max: "0.6" });
    expect(inverted.patch).toBeNull();
    expect(inverted.issues).toEqual({ top_p_min: "top_p min (0.9) is above top_p max (0.6)." });
  });

  it("resets to the server's defaults", () => {
    const { patch } = paramTunerPatch(RESET_FIELDS.param_tuner());
    const { presets: _presets, ...shown } = FEATURE_DEFAULTS.param_tuner;
    expect(patch).toEqual(shown);
  });
});

describe("prompt tuner section", () => {
  it("round-trips saved settings and refuses what the schema refuses", () => {
    const saved = { mode: "evolutionary" as const, generations: 7, population_size: 12, max_api_calls: 900 };
    expect(promptTunerPatch(promptTunerFields(saved))).toEqual({ patch: saved, issues: {} });
    const pop = schemaBounds(PromptTunerSettings.shape.population_size);
    const bad = promptTunerPatch({ ...promptTunerFields(saved), population_size: String(pop.min - 1), mode: "exhaustive" as never });
    expect(bad.patch).toBeNull();
    expect(Object.keys(bad.issues).sort()).toEqual(["mode", "population_size"]);
    expect(promptTunerPatch(RESET_FIELDS.prompt_tuner()).patch).toEqual(FEATURE_DEFAULTS.prompt_tuner);
  });
});

describe("judge section", () => {
  const saved = (over: Partial<z.infer<typeof JudgeSettings>>) => ({ ...FEATURE_DEFAULTS.judge, ...over });

  it("shows a saved judge as the select's provider_key::model_id, a bare id as its first model, and keeps an unknown one", () => {
    expect(judgeModelChoice("other::gpt-judge", models)).toEqual({ value: "other::gpt-judge", missing: false });
    expect(judgeModelChoice("sim-judge", models)).toEqual({ value: `${SIM}::sim-judge`, missing: false });
    expect(judgeModelChoice("gone-model", models)).toEqual({ value: "gone-model", missing: true });
    expect(judgeModelChoice("  ", models)).toEqual({ value: "", missing: false });
  });

  it("saves only the model, mode and instructions (temperature, max_tokens and enabled are read nowhere)", () => {
    const fields = judgeFields(saved({ model_id: "gpt-judge", mode: "live_inline", custom_instructions: "Units matter.", temperature: 1.5 }), models);
    const { patch, issues } = judgePatch(fields);
    expect(issues).toEqual({});
    expect(patch).toEqual({ model_id: "other::gpt-judge", mode: "live_inline", custom_instructions: "Units matter." });
    expect(JudgeSettings.partial().strict().safeParse(patch).success).toBe(true);
  });

  it("refuses instructions over the schema's limit, with the count", () => {
    const long = judgePatch({ ...RESET_FIELDS.judge(), custom_instructions: "x".repeat(CUSTOM_INSTRUCTIONS_MAX + 1) });
    expect(long.patch).toBeNull();
    expect(long.issues.custom_instructions).toContain(CUSTOM_INSTRUCTIONS_MAX.toLocaleString("en-US"));
    expect(JudgeSettings.shape.custom_instructions.safeParse("x".repeat(CUSTOM_INSTRUCTIONS_MAX + 1)).success).toBe(false);
    expect(judgePatch({ ...RESET_FIELDS.judge(), custom_instructions: "x".repeat(CUSTOM_INSTRUCTIONS_MAX) }).issues).toEqual({});
  });
});
