/**
 * The parameter tuner as a job kind. One provider group per worker; an item is one trial (a combo on a case,
 * one repeat) for one target, stored the moment it is scored (unique per run × target × combo × case × repeat,
 * so a redelivered group adds nothing). What runs next is replayed from the stored trials (`schedule.ts`):
 * halving's next rung and the held-out check come from `more()` once the current stage is stored.
 */

import type { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { comboFigures } from "../../shared/tuning/tune-summary.ts";
import { paramTuneRuns, paramTuneTrials, toolTestCases } from "../db/schema.ts";
import { linkableExperiment } from "../experiments/store.ts";
import type { JobKind } from "../jobs/kind.ts";
import { ApiError, badRequest } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { type ResolvedTarget, requestedTargets, resolveTargets } from "../llm/targets.ts";
import { trialRunner } from "../tool-eval/scored-trial.ts";
import { ownedSuite, toolsOf } from "../tool-eval/store.ts";
import { trialSuiteOf } from "../tool-eval/trial.ts";
import { scheduleState, stageText } from "./answer.ts";
import { type ParamTuneRequestSchema, type PlannedCombo, type PlannedTarget, type TuneConfig, TuneConfigSchema } from "./config.ts";
import { planTune, TunePlanRefused } from "./plan.ts";
import { finishTune, trialRowsOf } from "./summary.ts";

interface Item {
  target: PlannedTarget;
  resolved: ResolvedTarget;
  combo: PlannedCombo;
  caseId: string;
  repeat: number;
  stage: string;
  /** First / last trial of this combo in its batch: announce the combo, then report its figures. */
  first: boolean;
  last: boolean;
}

type TrialRow = typeof paramTuneTrials.$inferInsert;

/** The planner's refusal as the API's validation error, naming the field. */
function planOrRefuse<T>(plan: () => T): T {
  try {
    return plan();
  } catch (e) {
    if (e instanceof TunePlanRefused) throw new ApiError(400, "validation_failed", e.message, [{ path: e.path, message: e.message }]);
    throw e;
  }
}

export const paramTuneJob: JobKind<z.infer<typeof ParamTuneRequestSchema>, Item, TrialRow> = {
  type: "param_tune",
  runTable: paramTuneRuns,

  async plan({ db, userId, runId }, body) {
    const suite = await ownedSuite(db, userId, body.suite_id);
    const experimentId = await linkableExperiment(db, userId, body.experiment_id, suite.id);
    const cases = await db
      .select({ id: toolTestCases.id, expectedTool: toolTestCases.expectedTool })
      .from(toolTestCases)
      .where(eq(toolTestCases.suiteId, suite.id))
      .orderBy(asc(toolTestCases.sortOrder), asc(toolTestCases.createdAt));
    if (!cases.length) throw badRequest("The suite has no test cases");
    const found = await requestedTargets(db, userId, body);
    const seed = body.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]! % 2 ** 31;
    const { targets, search, holdout, planned, gridTrials } = planOrRefuse(() => planTune(body, cases, found, seed));
    const config: TuneConfig = {
      targets,
      strategy: body.strategy,
      seed,
      repeats: body.repeats,
      search_cases: search,
      holdout_cases: holdout,
      budgets: body.budgets ?? {},
      tools: toolsOf(suite) as unknown as Record<string, unknown>[],
      name_map: ((suite.meta ?? {}) as { name_map?: Record<string, string> }).name_map ?? null,
      suite_system_prompt: suite.systemPrompt,
      system_prompt: body.system_prompt ?? null,
      scorer: body.scorer,
      max_tokens: body.max_tokens,
      timeout_s: body.timeout,
      grid_trials: gridTrials,
    };
    const totalCombos = targets.reduce((n, t) => n + t.combos.length, 0);
    const mergedCombos = targets.flatMap((t) => t.combos.flatMap((c) => c.merged.map((m) => ({ model_id: t.model_id, ...m, into: c.label }))));
    return {
      runRow: {
        suiteId: suite.id,
        experimentId,
        suiteName: suite.name,
        strategy: body.strategy,
        seed,
        repeats: body.repeats,
        searchSpace: { search_space: body.search_space, per_model_search_spaces: body.per_model_search_spaces ?? null },
        config,
        totalCombos,
        plannedTrials: planned,
      },
      groups: [...new Set(targets.map((t) => t.provider_key))],
      workTotal: planned,
      params: { tune_id: runId, suite_id: suite.id, models: found.length, combos: totalCombos, strategy: body.strategy },
      progressDetail: `${suite.name}: ${totalCombos} combos × ${found.length} models, ${body.strategy}`,
      initEvents: [
        {
          type: "tune_start",
          tuner: "param",
          tune_id: runId,
          total_combos: totalCombos,
          models: found.map((t) => t.modelId),
          suite_name: suite.name,
          strategy: body.strategy,
          planned_trials: planned,
          repeats: body.repeats,
        },
      ],
      response: {
        tune_id: runId,
        seed,
        strategy: body.strategy,
        total_combos: totalCombos,
        planned_trials: planned,
        grid_trials: gridTrials,
        search_cases: search.length,
        holdout_cases: holdout.length,
        merged_combos: mergedCombos,
      },
      audit: { action: "param_tune_start", resourceType: "param_tune_run" },
    };
  },

  async openGroup({ env, db, group }) {
    const run = await db
      .select()
      .from(paramTuneRuns)
      .where(and(eq(paramTuneRuns.id, group.runId), eq(paramTuneRuns.userId, group.userId)))
      .get();
    if (!run) return null;
    const config = TuneConfigSchema.parse(run.config);
    const planned = config.targets.filter((t) => t.provider_key === group.groupKey);
    const { found } = await resolveTargets(
      db,
      group.userId,
      planned.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
    );
    const targets = planned.flatMap((p) => {
      const resolved = found.find((f) => f.modelId === p.model_id);
      return resolved ? [{ planned: p, resolved }] : [];
    });
    const trials = await trialRunner(env, db, group.userId, trialSuiteOf(run.suiteName, config), [...config.search_cases, ...config.holdout_cases]);

    /** Every target's missing trials at its current stage, combo by combo. */
    async function pending(): Promise<Item[]> {
      const stored = await db
        .select({
          providerKey: paramTuneTrials.providerKey,
          modelId: paramTuneTrials.modelId,
          combo: paramTuneTrials.combo,
          caseId: paramTuneTrials.caseId,
          repeat: paramTuneTrials.repeat,
          score: paramTuneTrials.score,
        })
        .from(paramTuneTrials)
        .where(and(eq(paramTuneTrials.tuneRunId, run!.id), eq(paramTuneTrials.providerKey, group.groupKey)));
      const items: Item[] = [];
      for (const { planned: target, resolved } of targets) {
        const state = scheduleState(
          config,
          target,
          stored.filter((t) => t.modelId === target.model_id),
        );
        const stage = stageText(state.stage, target.rungs);
        const byId = new Map(target.combos.map((c) => [c.id, c]));
        const missing = state.missing.filter((m) => trials.hasCase(m.caseId));
        missing.forEach((m, i) => {
          items.push({
            target,
            resolved,
            combo: byId.get(m.combo)!,
            caseId: m.caseId,
            repeat: m.repeat,
            stage,
            first: missing[i - 1]?.combo !== m.combo,
            last: missing[i + 1]?.combo !== m.combo,
          });
        });
      }
      return items;
    }

    return {
      items: await pending(),
      more: pending,
      announce: (item) =>
        item.first
          ? {
              type: "combo_start",
              tune_id: run.id,
              provider_key: item.target.provider_key,
              model_id: item.target.model_id,
              combo: item.combo.id,
              label: item.combo.label,
              stage: item.stage,
            }
          : null,

      async run(item, signal) {
        const outcome = await trials.run(
          item.resolved,
          item.caseId,
          {
            temperature: item.combo.temperature,
            toolChoice: item.combo.tool_choice,
            providerParams: item.combo.provider_params,
            systemPrompt: config.system_prompt,
          },
          signal,
        );
        return {
          id: newId(),
          tuneRunId: run.id,
          providerKey: item.target.provider_key,
          modelId: item.target.model_id,
          combo: item.combo.id,
          caseId: item.caseId,
          repeat: item.repeat,
          ...outcome,
        };
      },

      async store(item, row) {
        const inserted = await db.insert(paramTuneTrials).values(row).onConflictDoNothing().returning({ id: paramTuneTrials.id });
        if (inserted.length !== 1) return null;
        const events = [];
        if (item.last) {
          // The combo's figures so far (on the cases it has run), for the live table.
          const comboTrials = trialRowsOf(
            await db
              .select()
              .from(paramTuneTrials)
              .where(
                and(
                  eq(paramTuneTrials.tuneRunId, run.id),
                  eq(paramTuneTrials.providerKey, item.target.provider_key),
                  eq(paramTuneTrials.modelId, item.target.model_id),
                  eq(paramTuneTrials.combo, item.combo.id),
                ),
              ),
          );
          const figures = comboFigures(item.combo, comboTrials, new Set(config.search_cases), config.budgets);
          events.push({
            type: "combo_result" as const,
            tune_id: run.id,
            data: { ...figures, provider_key: item.target.provider_key, model_id: item.target.model_id, label: item.combo.label, stage: item.stage },
          });
        }
        return {
          events,
          units: 1,
          detail: `${item.target.model_name}: ${item.combo.label}, ${item.stage}`,
          outcome: row.error ? "failed" : "ok",
          ...(row.error ? { failure: { cls: row.errorClass ?? "unknown", message: row.error } } : {}),
        };
      },
    };
  },

  finish: (ctx) => finishTune(ctx),
};
