// The Param Tuner's and Prompt Tuner's form defaults from the settings saved on the account (the `param_tuner` and
// `prompt_tuner` sections of GET /api/settings/phase10, edited in Settings → Defaults), like judge-defaults.ts is for
// the Judge page. The server never applies them to a request (a tune request carries every value it wants); they
// only prefill a form. Also: a saved preset's search space (the API's shape) as the space builder's form, and as one
// line of text. Pure, so tests/node checks it directly.
import { FEATURE_DEFAULTS } from "../../../shared/settings-defaults.ts";
import type { SavedParamTuner, SavedPromptTuner } from "./feature-defaults.ts";
import { defaultSpaceForm, type SpaceForm, type SpacePreset, TOOL_CHOICE_VALUES, type ToolChoice } from "./tune-space.ts";

export interface ParamTunerFormDefaults {
  /**
   * The space builder's starting form: temperature searched over the saved range (it is on by default, as without
   * saved settings); top_p's range is the saved one, still off until the user turns it on; the rest as the builder's.
   */
  space: SpaceForm;
  /** Random search's n (the most combos a run tries per model): the saved max_combinations. */
  nTrials: string;
  /** The account's presets as the builder's preset list holds them (to show after the built-in ones). */
  presets: SpacePreset[];
  /** What the form says about saved presets it could not take in full (empty when all were read). */
  notes: string[];
}

type RawSpace = Record<string, unknown>;

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A range dimension as stored ({min, max, step}, all finite), or null. */
function rangeOf(dim: unknown): { min: number; max: number; step: number } | null {
  if (!dim || typeof dim !== "object" || Array.isArray(dim)) return null;
  const { min, max, step } = dim as Record<string, unknown>;
  return finite(min) && finite(max) && finite(step) ? { min, max, step } : null;
}

/**
 * A saved search space (the API's `search_space`: per parameter a list or a {min, max, step} range) as the space
 * builder's form. The preset states the whole space, so every dimension it does not name is off. Parameters the
 * builder has no field for, and values it cannot show, are left out and named in `skipped`.
 */
export function spaceFormFromSearchSpace(space: RawSpace): { form: SpaceForm; skipped: string[] } {
  const form = defaultSpaceForm();
  for (const dim of Object.values(form.numeric)) dim.enabled = false;
  form.toolChoice = { enabled: false, values: [] };
  const skipped: string[] = [];
  for (const [name, dim] of Object.entries(space)) {
    if (name === "tool_choice") {
      const values = Array.isArray(dim) ? TOOL_CHOICE_VALUES.filter((v) => dim.includes(v)) : [];
      if (values.length) form.toolChoice = { enabled: true, values: [...values] as ToolChoice[] };
      else skipped.push(name);
      continue;
    }
    const base = form.numeric[name];
    const range = rangeOf(dim);
    if (base && Array.isArray(dim) && dim.length > 0 && dim.every(finite)) {
      form.numeric[name] = { ...base, enabled: true, mode: "list", list: dim.join(", ") };
    } else if (base && range) {
      form.numeric[name] = { ...base, enabled: true, mode: "range", min: String(range.min), max: String(range.max), step: String(range.step) };
    } else skipped.push(name);
  }
  return { form, skipped };
}

/** One line for a saved search space: "temperature 0–1 step 0.5 · top_k 20, 40 · tool_choice auto, required". */
export function describeSearchSpace(space: RawSpace): string {
  const parts = Object.entries(space).map(([name, dim]) => {
    const range = rangeOf(dim);
    if (range) return `${name} ${range.min}–${range.max} step ${range.step}`;
    if (Array.isArray(dim) && dim.length) return `${name} ${dim.map((v) => String(v)).join(", ")}`;
    return `${name} (unreadable)`;
  });
  return parts.length ? parts.join(" · ") : "an empty space";
}

export function paramTunerFormDefaults(saved: SavedParamTuner | null): ParamTunerFormDefaults {
  const space = defaultSpaceForm();
  const notes: string[] = [];
  const presets: SpacePreset[] = [];
  if (saved) {
    const { temperature, top_p: topP } = space.numeric;
    if (temperature)
      space.numeric.temperature = {
        ...temperature,
        mode: "range",
        min: String(saved.temp_min),
        max: String(saved.temp_max),
        step: String(saved.temp_step),
      };
    if (topP)
      space.numeric.top_p = { ...topP, mode: "range", min: String(saved.top_p_min), max: String(saved.top_p_max), step: String(saved.top_p_step) };
    for (const preset of saved.presets) {
      const { form, skipped } = spaceFormFromSearchSpace(preset.search_space);
      presets.push({ name: preset.name, form });
      if (skipped.length) notes.push(`Preset “${preset.name}”: ${skipped.join(", ")} left out (the builder has no field for it).`);
    }
  }
  const nTrials = String(saved?.max_combinations ?? FEATURE_DEFAULTS.param_tuner.max_combinations);
  return { space, nTrials, presets, notes };
}

export interface PromptTunerFormDefaults {
  mode: SavedPromptTuner["mode"];
  /** As the form's text fields hold them. */
  generations: string;
  populationSize: string;
}

export function promptTunerFormDefaults(saved: SavedPromptTuner | null): PromptTunerFormDefaults {
  const s = saved ?? FEATURE_DEFAULTS.prompt_tuner;
  return { mode: s.mode, generations: String(s.generations), populationSize: String(s.population_size) };
}
