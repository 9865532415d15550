/**
 * The feature settings' defaults (settings.ts has their schemas, which these must satisfy). No zod at run time here:
 * the web app reads these defaults, and importing settings.ts would bring zod into its pages.
 */

import type { z } from "zod";
import type { JudgeSettings, ParamSupportSettings, ParamTunerSettings, PromptTunerSettings } from "./settings.ts";

export const FEATURE_DEFAULTS = {
  judge: { enabled: false, model_id: "", mode: "post_eval", temperature: 0, max_tokens: 4096, custom_instructions: "" },
  param_tuner: {
    max_combinations: 50,
    temp_min: 0,
    temp_max: 1,
    temp_step: 0.5,
    top_p_min: 0.5,
    top_p_max: 1,
    top_p_step: 0.25,
    presets: [],
  },
  prompt_tuner: { mode: "quick", generations: 3, population_size: 5, max_api_calls: 100 },
  param_support: null,
} satisfies {
  judge: z.infer<typeof JudgeSettings>;
  param_tuner: z.infer<typeof ParamTunerSettings>;
  prompt_tuner: z.infer<typeof PromptTunerSettings>;
  param_support: z.infer<typeof ParamSupportSettings>;
};
