// Which Local simulator models a first visit preselects (pure; relative imports only, so Node tests can load it).
import {
  SIMULATOR_CAPACITY_MODELS,
  SIMULATOR_META_MODELS,
  SIMULATOR_PROVIDER_KEY,
  SIMULATOR_TOOL_CALLER_MODELS,
  SIMULATOR_TOOL_EVAL_DEFAULTS,
} from "../../../shared/catalogue.ts";

export type PreselectPurpose = "benchmark" | "tool-eval";

interface ProviderModels<M> {
  provider_key: string;
  models: readonly M[];
}

/**
 * Benchmark takes the speed models (the tool-callers and the prompt writer answer with the same text); Tool Eval takes the careful and the
 * sloppy tool-caller, whose scores differ clearly (the speed models call the first tool with placeholders). Falls
 * back to every simulator model when none of the wanted ones is configured.
 */
export function preselectedSimulatorModels<M extends { model_id: string }>(providers: readonly ProviderModels<M>[], purpose: PreselectPurpose): M[] {
  const all = providers.filter((p) => p.provider_key === SIMULATOR_PROVIDER_KEY).flatMap((p) => [...p.models]);
  const notSpeed = new Set([...SIMULATOR_TOOL_CALLER_MODELS, ...SIMULATOR_META_MODELS, ...SIMULATOR_CAPACITY_MODELS].map((m) => m.model_id));
  const wanted =
    purpose === "tool-eval" ? all.filter((m) => SIMULATOR_TOOL_EVAL_DEFAULTS.includes(m.model_id)) : all.filter((m) => !notSpeed.has(m.model_id));
  return wanted.length > 0 ? wanted : all;
}
