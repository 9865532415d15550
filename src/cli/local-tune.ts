/**
 * `llm-bench tune` in this process: the parameter tuner's own modules, with trials kept in memory instead of D1.
 * `planTune` makes the plan the deployment would make (combos after the provider's parameter rules, baseline,
 * seeded split, rungs), `scheduleState` replays what runs next after every stage (halving's cuts, the held-out
 * check), `scoredTrial` runs and scores one case, and `answerFromTrials` ranks the combos through the shared
 * statistics module. Models run one after another, as in `llm-bench run`.
 */

import type { Suite } from "../shared/scoring/suite.ts";
import { plannedTrials } from "../shared/tuning/schedule.ts";
import type { Trial } from "../shared/tuning/tune-summary.ts";
import { answerFromTrials, scheduleState, stageText } from "../worker/param-tune/answer.ts";
import type { PlannedTarget, TuneConfig } from "../worker/param-tune/config.ts";
import { planTune, TunePlanRefused } from "../worker/param-tune/plan.ts";
import { scoredTrial, trialSuiteOf } from "../worker/tool-eval/trial.ts";
import { CliError, EXIT } from "./command.ts";
import type { CliConfig, ModelConfig, TuneSettings } from "./config.ts";
import { caseInput, llmTarget } from "./local-run.ts";
import type { Progress } from "./progress.ts";
import type { TuneOutcome } from "./tune-report.ts";

/** Case ids as the suite gives them; positions ("#3") when some are missing or repeated. */
function caseIds(suite: Suite): string[] {
  const given = suite.test_cases.map((c) => c.id);
  const usable = given.every((id): id is string => typeof id === "string" && id.length > 0) && new Set(given).size === given.length;
  return usable ? (given as string[]) : suite.test_cases.map((_, i) => `#${i + 1}`);
}

/** The plan, with a refusal of the planner (a space over the grid limit, too many calls) as a config error. */
function plan(t: TuneSettings, suite: Suite, ids: string[], models: ModelConfig[], seed: number) {
  try {
    return planTune(
      t,
      suite.test_cases.map((c, i) => ({ id: ids[i]!, expectedTool: c.should_call_tool === false ? null : (c.expected_tool ?? null) })),
      models.map((m) => ({ providerKey: m.provider, modelId: m.id, modelName: m.name ?? m.id })),
      seed,
    );
  } catch (e) {
    if (e instanceof TunePlanRefused) throw new CliError(`invalid config: tune.${e.path}: ${e.message}`, EXIT.input);
    throw e;
  }
}

export function tuneModels(config: CliConfig, t: TuneSettings): ModelConfig[] {
  return config.models.filter((m) => t.models.includes(m.id));
}

export async function runTuneLocal(config: CliConfig, t: TuneSettings, suite: Suite, progress: Progress, signal: AbortSignal): Promise<TuneOutcome> {
  if (!suite.test_cases.length) throw new CliError("tune: the tool eval's suite has no test cases");
  const models = tuneModels(config, t);
  const ids = caseIds(suite);
  const seed = t.seed ?? Math.floor(Math.random() * 2 ** 31);
  const planned = plan(t, suite, ids, models, seed);
  const tuneConfig: TuneConfig = {
    targets: planned.targets,
    strategy: t.strategy,
    seed,
    repeats: t.repeats,
    search_cases: planned.search,
    holdout_cases: planned.holdout,
    budgets: t.budgets ?? {},
    tools: suite.tools as unknown as Record<string, unknown>[],
    name_map: suite.name_map ?? null,
    suite_system_prompt: suite.system_prompt ?? null,
    system_prompt: t.system_prompt ?? null,
    scorer: t.scorer,
    max_tokens: t.max_tokens,
    timeout_s: t.timeout,
    grid_trials: planned.gridTrials,
  };
  const trialSuite = trialSuiteOf(suite.name, tuneConfig);
  const cases = new Map(suite.test_cases.map((c, i) => [ids[i]!, { view: caseInput(c), model: c }]));
  const trials = new Map<PlannedTarget, Trial[]>(planned.targets.map((p) => [p, []]));
  const failures: TuneOutcome["provider_errors"] = [];

  for (const [i, target] of planned.targets.entries()) {
    const m = models[i]!;
    const llm = llmTarget(config, m);
    const trialTarget = {
      providerKey: m.provider,
      modelId: m.id,
      skipParams: m.skip_params,
      systemPrompt: m.system_prompt ?? null,
      inputCostPerMtok: m.input_cost_per_mtok ?? null,
      outputCostPerMtok: m.output_cost_per_mtok ?? null,
    };
    const mine = trials.get(target)!;
    const searchCombos = target.combos.filter((c) => c.id !== "baseline").length;
    const total = plannedTrials(target.rungs, searchCombos, t.repeats, planned.holdout.length, searchCombos < target.combos.length);
    const task = progress.start(`tune ${m.name ?? m.id}`, total);
    const combos = new Map(target.combos.map((c) => [c.id, c]));
    // Each pass runs the current stage's missing trials; the next replay sees them and moves on (or ends).
    for (;;) {
      const state = scheduleState(tuneConfig, target, mine);
      if (!state.missing.length || signal.aborted) break;
      const stage = stageText(state.stage, target.rungs);
      for (const ref of state.missing) {
        const combo = combos.get(ref.combo)!;
        const outcome = await scoredTrial(
          async () => llm,
          trialTarget,
          cases.get(ref.caseId)!,
          trialSuite,
          {
            temperature: combo.temperature,
            toolChoice: combo.tool_choice,
            providerParams: combo.provider_params,
            systemPrompt: tuneConfig.system_prompt,
          },
          signal,
        );
        // A call cut short by Ctrl+C is not a trial: leave it out rather than score it 0.
        if (signal.aborted) break;
        mine.push({ combo: ref.combo, caseId: ref.caseId, repeat: ref.repeat, ...outcome });
        if (outcome.error)
          failures.push({ model_id: m.id, combo: combo.label, case_id: ref.caseId, trials: 1, message: `${outcome.errorClass}: ${outcome.error}` });
        task.step(
          `${combo.label}, ${stage}: case ${ref.caseId}${t.repeats > 1 ? ` repeat ${ref.repeat + 1}` : ""} ${outcome.error ? `error (${outcome.errorClass})` : outcome.passed ? "passed" : "failed"}`,
        );
      }
    }
    task.done();
    if (signal.aborted) break;
  }

  const trialsRun = [...trials.values()].reduce((n, x) => n + x.length, 0);
  return {
    mode: "local",
    suite_name: suite.name,
    strategy: t.strategy,
    seed,
    repeats: t.repeats,
    search_cases: planned.search.length,
    holdout_cases: planned.holdout.length,
    planned_trials: planned.planned,
    grid_trials: planned.gridTrials,
    trials_run: trialsRun,
    answer: answerFromTrials(tuneConfig, (p) => trials.get(p) ?? [], trialsRun),
    provider_errors: failures,
  };
}
