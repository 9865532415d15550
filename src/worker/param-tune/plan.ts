/**
 * The parameter tune's plan, with no storage: from the request, the suite's cases and the targets, the seeded
 * search/held-out split and, per target, the combos after the provider's parameter rules merged duplicates, the
 * baseline and the rungs. The job kind stores it; `llm-bench tune` runs it in Node. Both call this, so a tune
 * planned on the laptop is the tune the deployment would plan.
 */
import { createRng } from "../../shared/stats/index.ts";
import { TUNE_LIMITS } from "../../shared/tuning/limits.ts";
import { MIN_RUNG_CASES, plannedTrials, rungsFor, splitCases } from "../../shared/tuning/schedule.ts";
import { type Combo, Grid, MAX_GRID_COMBOS, resolveCombos } from "../../shared/tuning/search-space.ts";
import { comboLabel, type ParamTuneRequest, type PlannedCombo, type PlannedTarget } from "./config.ts";

export interface TuneCase {
  id: string;
  /** null or absent: the case expects no call, so the default tool choice is "auto". */
  expectedTool: unknown;
}

export interface TuneTargetRef {
  providerKey: string;
  modelId: string;
  modelName: string;
}

export interface TunePlan {
  targets: PlannedTarget[];
  search: string[];
  holdout: string[];
  /** Calls the tune plans (halving's ties may add a few). */
  planned: number;
  /** Calls the full grid would make on the same cases. */
  gridTrials: number;
}

/** A plan refused for one field (`search_space`, `per_model_search_spaces.<model>`): the API's 400, the CLI's exit 2. */
export class TunePlanRefused extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

const validationFailed = (path: string, message: string) => new TunePlanRefused(path, message);

export function planTune(
  body: Pick<ParamTuneRequest, "search_space" | "per_model_search_spaces" | "strategy" | "n_trials" | "repeats" | "holdout_fraction" | "baseline">,
  cases: readonly TuneCase[],
  found: readonly TuneTargetRef[],
  seed: number,
): TunePlan {
  const { search, holdout } = splitCases(
    cases.map((c) => c.id),
    body.holdout_fraction,
    seed,
  );
  const defaultChoice = cases.some((c) => c.expectedTool == null) ? "auto" : "required";

  const targets: PlannedTarget[] = [];
  let gridTrials = 0;
  let planned = 0;
  for (const t of found) {
    const spaceKey = [`${t.providerKey}::${t.modelId}`, t.modelId].find((k) => body.per_model_search_spaces?.[k]);
    const space = spaceKey ? body.per_model_search_spaces![spaceKey]! : body.search_space;
    const path = spaceKey ? `per_model_search_spaces.${spaceKey}` : "search_space";
    const grid = new Grid(space);
    const count = grid.size.toLocaleString("en-US");
    if (body.strategy === "grid" && grid.size > MAX_GRID_COMBOS)
      throw validationFailed(
        path,
        `This space has ${count} combos, over the grid limit of ${MAX_GRID_COMBOS.toLocaleString("en-US")}: use strategy "halving" (or "random" with n_trials), or narrow it`,
      );
    // Halving's first rung alone runs every combo on a few cases: refuse before listing a space that large.
    if (body.strategy === "halving" && grid.size * Math.min(MIN_RUNG_CASES, search.length) * body.repeats > TUNE_LIMITS.max_planned_trials)
      throw validationFailed(
        path,
        `This space has ${count} combos: too many even for halving's first rung; narrow it, or use strategy "random" with n_trials`,
      );
    const combos = body.strategy === "random" ? grid.sample(body.n_trials, createRng(seed)) : grid.all();
    const baselineConfig: Combo = {
      temperature: body.baseline?.temperature ?? 0,
      tool_choice: body.baseline?.tool_choice ?? defaultChoice,
      ...body.baseline?.provider_params,
    };
    const { kept, merged } = resolveCombos({ providerKey: t.providerKey, modelId: t.modelId }, [...combos, baselineConfig], defaultChoice);
    const baselineIndex = combos.length;
    // The baseline is a combo of the space when the provider would be sent the same call.
    const baselineInto = merged.find((m) => m.index === baselineIndex)?.into;
    const plannedCombos: PlannedCombo[] = kept.map((k) => {
      const isBaseline = k.index === baselineIndex || k.index === baselineInto;
      return {
        id: k.index === baselineIndex ? "baseline" : `c${k.index}`,
        label: k.index === baselineIndex ? `current settings (${comboLabel(k.config)})` : comboLabel(k.config),
        config: k.config,
        baseline: isBaseline,
        temperature: k.temperature,
        tool_choice: k.tool_choice,
        provider_params: k.provider_params,
        adjustments: k.adjustments,
        merged: merged.filter((m) => m.into === k.index && m.index !== baselineIndex).map((m) => ({ config: m.config, reason: m.reason })),
      };
    });
    const searchCombos = plannedCombos.filter((c) => c.id !== "baseline").length;
    const extraBaseline = plannedCombos.some((c) => c.id === "baseline");
    const rungs = rungsFor(body.strategy, plannedCombos.length, search.length);
    planned += plannedTrials(rungs, searchCombos, body.repeats, holdout.length, extraBaseline);
    gridTrials += plannedCombos.length * search.length * body.repeats;
    targets.push({ provider_key: t.providerKey, model_id: t.modelId, model_name: t.modelName, combos: plannedCombos, rungs });
  }
  if (planned > TUNE_LIMITS.max_planned_trials)
    throw validationFailed(
      "search_space",
      `This tune would make about ${planned.toLocaleString("en-US")} calls, over the limit of ${TUNE_LIMITS.max_planned_trials.toLocaleString("en-US")}: use strategy "halving", fewer combos, repeats or models`,
    );
  return { targets, search, holdout, planned, gridTrials };
}
