/**
 * The tuner pages' form defaults from the saved settings (src/web/src/lib/tuner-defaults.ts): the Param Tuner's
 * space builder starts from the saved ranges (and sends exactly them), a saved preset's search space becomes the
 * builder's form and back to the same space, what the builder cannot show is named, and the Prompt Tuner gets its
 * mode, sizes and call budget.
 */
import { describe, expect, it } from "vitest";
import { FEATURE_DEFAULTS } from "../../src/shared/settings-defaults.ts";
import { SearchSpaceSchema } from "../../src/shared/tuning/search-space-schema.ts";
import { defaultSpaceForm, type SpaceForm, spaceFromForm } from "../../src/web/src/lib/tune-space.ts";
import {
  describeSearchSpace,
  paramTunerFormDefaults,
  promptTunerFormDefaults,
  spaceFormFromSearchSpace,
} from "../../src/web/src/lib/tuner-defaults.ts";

const saved = {
  ...FEATURE_DEFAULTS.param_tuner,
  temp_min: 0.2,
  temp_max: 1.2,
  temp_step: 0.2,
  top_p_min: 0.7,
  top_p_max: 0.9,
  top_p_step: 0.1,
  max_combinations: 80,
};

const withTopP = (form: SpaceForm): SpaceForm => ({ ...form, numeric: { ...form.numeric, top_p: { ...form.numeric.top_p!, enabled: true } } });

describe("Param Tuner form defaults", () => {
  it("searches temperature over the saved range, keeps top_p's saved range until it is turned on, and takes n from max_combinations", () => {
    const d = paramTunerFormDefaults({ ...saved, presets: [] });
    const { space, issues } = spaceFromForm(d.space);
    expect(issues).toEqual({});
    expect(space.temperature).toEqual({ min: saved.temp_min, max: saved.temp_max, step: saved.temp_step });
    expect(space.top_p).toBeUndefined();
    expect(spaceFromForm(withTopP(d.space)).space.top_p).toEqual({ min: saved.top_p_min, max: saved.top_p_max, step: saved.top_p_step });
    expect(d.nTrials).toBe(String(saved.max_combinations));
    expect(d).toMatchObject({ presets: [], notes: [] });
    // What the builder sends is a space the API takes.
    expect(SearchSpaceSchema.safeParse(space).success).toBe(true);
  });

  it("without saved settings (the read failed) keeps the builder's own starting space", () => {
    const d = paramTunerFormDefaults(null);
    expect(d.space).toEqual(defaultSpaceForm());
    expect(d.nTrials).toBe(String(FEATURE_DEFAULTS.param_tuner.max_combinations));
  });

  it("turns saved presets into the builder's presets, sending the same space back, and names what it left out", () => {
    const spaces = [
      { temperature: [0.7], top_p: [0.8], top_k: [20], tool_choice: ["auto", "required"] },
      { temperature: { min: 0, max: 1, step: 0.25 }, min_p: [0.05, 0.1] },
    ];
    const d = paramTunerFormDefaults({
      ...saved,
      presets: [
        { name: "Qwen-ish", search_space: spaces[0]! },
        { name: "Ranges", search_space: spaces[1]! },
        { name: "Odd", search_space: { temperature: [0.5], mirostat: [1], top_p: "high" } },
      ],
    });
    expect(d.presets.map((p) => p.name)).toEqual(["Qwen-ish", "Ranges", "Odd"]);
    expect(spaceFromForm(d.presets[0]!.form).space).toEqual(spaces[0]);
    expect(spaceFromForm(d.presets[1]!.form).space).toEqual(spaces[1]);
    // A preset states its whole space: nothing it does not name is on (not even tool_choice).
    expect(spaceFromForm(d.presets[2]!.form).space).toEqual({ temperature: [0.5] });
    expect(d.notes).toEqual(["Preset “Odd”: mirostat, top_p left out (the builder has no field for it)."]);
  });

  it("reads a space dimension by dimension", () => {
    const { form, skipped } = spaceFormFromSearchSpace({ tool_choice: ["none", "bogus"], top_k: { min: 1, max: 40, step: 13 }, temperature: [] });
    expect(spaceFromForm(form).space).toEqual({ tool_choice: ["none"], top_k: { min: 1, max: 40, step: 13 } });
    expect(skipped).toEqual(["temperature"]);
  });

  it("describes a saved space on one line", () => {
    expect(describeSearchSpace({ temperature: { min: 0, max: 1, step: 0.5 }, top_k: [20, 40], tool_choice: ["auto"] })).toBe(
      "temperature 0–1 step 0.5 · top_k 20, 40 · tool_choice auto",
    );
    expect(describeSearchSpace({ top_p: "high" })).toBe("top_p (unreadable)");
    expect(describeSearchSpace({})).toBe("an empty space");
  });
});

describe("Prompt Tuner form defaults", () => {
  it("takes the saved mode and sizes (the call budget is the server's estimate warning's)", () => {
    const s = { mode: "evolutionary" as const, generations: 4, population_size: 8, max_api_calls: 300 };
    expect(promptTunerFormDefaults(s)).toEqual({ mode: "evolutionary", generations: "4", populationSize: "8" });
    const built = FEATURE_DEFAULTS.prompt_tuner;
    expect(promptTunerFormDefaults(null)).toEqual({
      mode: built.mode,
      generations: String(built.generations),
      populationSize: String(built.population_size),
    });
  });
});
