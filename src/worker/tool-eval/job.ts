/**
 * Tool-calling evaluation as a job kind. One provider group per worker: each model of the group runs every case
 * in order; an item is one case on one model, scored and stored the moment it finishes (unique per run × case ×
 * model, so a redelivered group adds nothing).
 */

import type { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { scoreCase } from "../../shared/scoring/index.ts";
import { caseExpectation, caseTools, type Suite, type SuiteCase } from "../../shared/scoring/suite.ts";
import type { Tool } from "../../shared/scoring/types.ts";
import { insertDespiteDeletions } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { toolEvalResults, toolEvalRuns, toolTestCases } from "../db/schema.ts";
import { linkableExperiment } from "../experiments/store.ts";
import type { JobKind } from "../jobs/kind.ts";
import { finishInlineJudge, type InlineJudge, openInlineJudge, planInlineJudge } from "../judge/inline.ts";
import type { VerdictRow } from "../judge/verdicts.ts";
import { badRequest } from "../lib/errors.ts";
import { callParams, paramAdjustmentsFor } from "../llm/call-params.ts";
import { LlmError } from "../llm/errors.ts";
import type { LlmTarget } from "../llm/stream.ts";
import { llmTargetFor, type ResolvedTarget, requestedTargets, resolveTargets } from "../llm/targets.ts";
import { type EvalConfig, EvalConfigSchema, type EvalRequestSchema, systemPromptFor } from "./eval-config.ts";
import { type ResultRow, resultEvent, resultKey, resultRow, storedResultKeys } from "./results.ts";
import { providerTools, runCase } from "./run-case.ts";
import { type CaseView, caseView, ownedSuite, toolsOf } from "./store.ts";
import { caseToModel } from "./suite-model.ts";

interface Item {
  target: ResolvedTarget;
  index: number;
  view: CaseView;
  model: SuiteCase;
}

type Result = { row: ResultRow; failure: LlmError | null; verdict?: VerdictRow | null };

export const toolEvalJob: JobKind<z.infer<typeof EvalRequestSchema>, Item, Result> = {
  type: "tool_eval",
  runTable: toolEvalRuns,

  async plan({ db, userId, runId, origin }, body) {
    const suite = await ownedSuite(db, userId, body.suite_id);
    const experimentId = await linkableExperiment(db, userId, body.experiment_id, suite.id);
    const cases = await db
      .select({ id: toolTestCases.id, expectedTool: toolTestCases.expectedTool })
      .from(toolTestCases)
      .where(eq(toolTestCases.suiteId, suite.id))
      .orderBy(asc(toolTestCases.sortOrder), asc(toolTestCases.createdAt));
    const caseIds = cases.map((r) => r.id);
    const expectsNoCall = cases.some((r) => r.expectedTool == null);
    if (!caseIds.length) throw badRequest("The suite has no test cases");
    const found = await requestedTargets(db, userId, body);
    const config: EvalConfig = {
      targets: found.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId })),
      case_ids: caseIds,
      tools: toolsOf(suite) as unknown as Record<string, unknown>[],
      name_map: ((suite.meta ?? {}) as { name_map?: Record<string, string> }).name_map ?? null,
      suite_system_prompt: suite.systemPrompt,
      system_prompt: body.system_prompt ?? null,
      temperature: body.temperature,
      tool_choice: body.tool_choice ?? (expectsNoCall ? "auto" : "required"),
      scorer: body.scorer,
      provider_params: body.provider_params ?? null,
      max_tokens: body.max_tokens,
      timeout_s: body.timeout,
      param_adjustments: [],
      judge: null,
    };
    // Live-inline judging: the judge is checked now; its report row is made by the first group delivery.
    const inline = body.judge ? await planInlineJudge(db, userId, body.judge, caseIds.length * found.length) : null;
    config.judge = inline?.config ?? null;
    // Checked per target before anything runs (as for a benchmark): shown live, returned, and kept with the run.
    const paramAdjustments = paramAdjustmentsFor(found, {
      temperature: config.temperature,
      maxTokens: config.max_tokens,
      providerParams: config.provider_params,
    });
    config.param_adjustments = paramAdjustments;
    return {
      runRow: {
        suiteId: suite.id,
        experimentId,
        scheduleId: origin?.scheduleId ?? null,
        suiteName: suite.name,
        scorer: config.scorer,
        temperature: config.temperature,
        toolChoice: config.tool_choice,
        config,
      },
      groups: [...new Set(config.targets.map((t) => t.provider_key))],
      workTotal: found.length * caseIds.length,
      params: {
        eval_id: runId,
        suite_id: suite.id,
        models: found.length,
        cases: caseIds.length,
        ...(origin ? { schedule_id: origin.scheduleId } : {}),
        // Live-inline judging: the report this job fills, so a page following the report can find it from the job.
        ...(inline ? { judge_report_id: inline.config.report_id } : {}),
      },
      progressDetail: `${suite.name}: ${caseIds.length} cases × ${found.length} models`,
      initEvents: [
        {
          type: "tool_eval_init",
          data: {
            eval_id: runId,
            targets: found.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId, display_name: t.modelName })),
            total_cases: caseIds.length,
            suite_name: suite.name,
            scorer: config.scorer,
          },
        },
        ...(paramAdjustments.length ? [{ type: "param_adjustments" as const, models: paramAdjustments }] : []),
        ...(inline ? [inline.event] : []),
      ],
      response: {
        eval_id: runId,
        tool_choice: config.tool_choice,
        param_adjustments: paramAdjustments,
        ...(inline ? { judge_report_id: inline.config.report_id } : {}),
      },
      audit: { action: "tool_eval_start", resourceType: "tool_eval_run" },
    };
  },

  async openGroup({ env, db, group }) {
    const run = await db
      .select()
      .from(toolEvalRuns)
      .where(and(eq(toolEvalRuns.id, group.runId), eq(toolEvalRuns.userId, group.userId)))
      .get();
    if (!run) return null;
    const config = EvalConfigSchema.parse(run.config);
    const { found } = await resolveTargets(
      db,
      group.userId,
      config.targets.filter((t) => t.provider_key === group.groupKey),
    );
    const caseRows =
      run.suiteId && config.case_ids.length
        ? await db
            .select()
            .from(toolTestCases)
            .where(and(eq(toolTestCases.suiteId, run.suiteId), inList(toolTestCases.id, config.case_ids)))
        : [];
    const order = new Map(config.case_ids.map((id, i) => [id, i]));
    const cases = [...caseRows]
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
      .map((row) => ({ view: caseView(row), model: caseToModel(row) }));
    const suite: Suite = {
      name: run.suiteName,
      tools: config.tools as unknown as Tool[],
      test_cases: [],
      ...(config.name_map ? { name_map: config.name_map } : {}),
    };
    const stored = await storedResultKeys(db, run.id);
    const inlineJudge: InlineJudge | null = config.judge ? await openInlineJudge(env, db, group, run, config.judge, config.tools) : null;
    const items = found.flatMap((target) =>
      cases.map((c, index) => ({ target, index, ...c })).filter((item) => !stored.has(resultKey(item.view.id, target.providerKey, target.modelId))),
    );
    // Per model, once per group: the call target (its key decrypted).
    const llms = new Map<string, Promise<LlmTarget>>();
    const llmFor = (t: ResolvedTarget) => {
      const llm = llms.get(t.modelId) ?? llmTargetFor(env, db, group.userId, t);
      llms.set(t.modelId, llm);
      return llm;
    };
    return {
      items,
      announce: ({ target, index, view }) => ({
        type: "tool_eval_progress",
        data: {
          current: index + 1,
          total: cases.length,
          model: target.modelName,
          model_id: target.modelId,
          provider_key: target.providerKey,
          test_case: view.prompt.slice(0, 120),
        },
      }),

      async run({ target, view, model }, signal) {
        try {
          const llm = await llmFor(target).catch((err: unknown) => {
            throw err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read");
          });
          const params = callParams(target, {
            temperature: config.temperature,
            maxTokens: config.max_tokens,
            providerParams: config.provider_params,
          }).params;
          const system = systemPromptFor(config, target.providerKey, target.modelId, target.systemPrompt);
          // The case's tools (BFCL cases may offer a subset or redefine one), with provider-safe names.
          const { tools, nameMap: renamed } = providerTools(caseTools(suite, model));
          const nameMap = { ...(config.name_map ?? {}), ...renamed };
          const res = await runCase(llm, view, model, system, tools, nameMap, config, params, signal);
          const score = scoreCase(config.scorer, {
            tools: tools as unknown as Tool[],
            expectation: caseExpectation(model),
            output: { calls: res.calls, chain: res.chain, rounds_used: res.rounds },
            name_map: nameMap,
          });
          const row = resultRow(run.id, view, target, { score, res });
          // Judged as soon as it is scored (live-inline); a judge failure is an error verdict, never the case's.
          const verdict = inlineJudge
            ? await inlineJudge.judge(
                {
                  result: {
                    ...row,
                    id: row.id!,
                    testCaseId: view.id,
                    overallScore: row.overallScore ?? null,
                    scoreParts: row.scoreParts ?? null,
                    actualCalls: row.actualCalls ?? null,
                  },
                  case: { id: view.id, prompt: view.prompt, expectedTool: view.expected_tool, expectedParams: view.expected_params },
                },
                signal,
              )
            : null;
          return { row, failure: null, verdict };
        } catch (err) {
          const failure = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
          return { row: resultRow(run.id, view, target, { error: failure }), failure };
        }
      },

      async store({ target, index, view }, { row, failure, verdict }) {
        const insert = async (r: ResultRow) =>
          (await db.insert(toolEvalResults).values(r).onConflictDoNothing().returning({ id: toolEvalResults.id })).length === 1;
        // The case or model may be deleted mid-run: store the row without those references (names are snapshots).
        if (
          !(await insertDespiteDeletions(
            () => insert(row),
            () => insert({ ...row, testCaseId: null, modelRef: null }),
          ))
        )
          return null;
        const judged = inlineJudge && verdict ? await inlineJudge.store(verdict) : [];
        return {
          events: [{ type: "tool_eval_result", data: resultEvent(row, view) }, ...judged],
          units: 1,
          detail: `${target.modelName} · case ${index + 1}/${cases.length}`,
          outcome: failure ? "failed" : "ok",
          ...(failure ? { failure: { cls: failure.cls, message: failure.message } } : {}),
        };
      },
    };
  },

  /** Live-inline judging ends with the eval: a report per model, and the report's status. */
  async finish(ctx) {
    const run = await ctx.db
      .select({ config: toolEvalRuns.config })
      .from(toolEvalRuns)
      .where(and(eq(toolEvalRuns.id, ctx.runId), eq(toolEvalRuns.userId, ctx.userId)))
      .get();
    const judge = run ? EvalConfigSchema.parse(run.config).judge : null;
    return judge ? finishInlineJudge(ctx, judge) : [];
  },
};
