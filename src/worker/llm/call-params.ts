/**
 * The sampling kwargs for one call, in one place: the run's temperature and max_tokens plus the request's
 * provider_params, validated by the provider parameter registry (ranges, conflicts, "warn, don't drop"),
 * with the model's skip_params removed.
 */
import type { ModelParamAdjustments } from "../../shared/events.ts";
import { buildCallParams, type CallParams } from "../../shared/provider-params.ts";

export interface CallParamsInput {
  temperature: number | null;
  maxTokens: number;
  providerParams?: Record<string, unknown> | null;
}

/** The fields of a ResolvedTarget this needs (spelled out so the CLI can use it without the Worker's types). */
interface ParamsTarget {
  providerKey: string;
  modelId: string;
  skipParams: string[];
}

export function callParams(t: ParamsTarget, input: CallParamsInput): CallParams {
  return buildCallParams({
    providerKey: t.providerKey,
    modelId: t.modelId,
    temperature: input.temperature,
    maxTokens: input.maxTokens,
    providerParams: input.providerParams ?? null,
    skipParams: t.skipParams,
  });
}

/** Per target, what the registry changes in these parameters (targets it leaves alone are left out). */
export function paramAdjustmentsFor(targets: readonly (ParamsTarget & { providerName: string })[], input: CallParamsInput): ModelParamAdjustments {
  return targets
    .map((t) => ({ model_id: t.modelId, provider: t.providerName, provider_key: t.providerKey, adjustments: callParams(t, input).adjustments }))
    .filter((m) => m.adjustments.length > 0);
}
