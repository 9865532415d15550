/**
 * The prompt tuner as a job kind. One group (generations depend on each other, so they run in order); an item
 * is a meta-model call writing one generation's prompts, or one candidate prompt on one case for one target.
 * Everything is stored the moment it exists (a generation with its candidates in one batch; trials unique per
 * run × candidate × target × case), and what runs next is replayed from the stored rows (`prompt-schedule.ts`),
 * so a redelivered group neither asks the meta-model twice nor runs a trial twice.
 */

import type { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { evolutionMetaPrompt, META_LIMITS, quickMetaPrompt, type ToolBrief } from "../../shared/tuning/meta-prompt.ts";
import {
  BASE_CANDIDATE,
  candidateKey,
  candidateScore,
  nextPromptStep,
  type Parent,
  plannedPromptCalls,
  survivorsOf,
} from "../../shared/tuning/prompt-schedule.ts";
import { splitCases } from "../../shared/tuning/schedule.ts";
import { promptTuneCandidates, promptTuneGenerations, promptTuneRuns, promptTuneTrials, toolTestCases } from "../db/schema.ts";
import { linkableExperiment } from "../experiments/store.ts";
import type { JobKind, KindEvent } from "../jobs/kind.ts";
import { ApiError, badRequest } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { LlmError } from "../llm/errors.ts";
import { llmTargetFor, type ResolvedTarget, requestedTargets, resolveTargets } from "../llm/targets.ts";
import { trialRunner } from "../tool-eval/scored-trial.ts";
import { ownedSuite, toolsOf } from "../tool-eval/store.ts";
import { trialSuiteOf } from "../tool-eval/trial.ts";
import {
  DEFAULT_BASE_PROMPT,
  PROMPT_TUNE_LIMITS,
  type PromptTuneConfig,
  PromptTuneConfigSchema,
  type PromptTuneRequestSchema,
  targetKeyOf,
} from "./config.ts";
import { type MetaOutcome, writePrompts } from "./meta-call.ts";
import { finishPromptTune, loadStoredTune, scheduleInput } from "./summary.ts";

type Target = PromptTuneConfig["targets"][number];

type Item =
  | { kind: "generate"; generation: number; parents: Parent[] }
  | {
      kind: "evaluate";
      generation: number;
      candidate: string;
      index: number;
      text: string;
      target: Target;
      resolved: ResolvedTarget;
      caseId: string;
      stage: "search cases" | "held-out cases";
      /** First / last case of this candidate on this target in the batch; last of the whole step. */
      first: boolean;
      last: boolean;
      lastOfStep: boolean;
    };

type Result = { kind: "generate"; outcome: MetaOutcome } | { kind: "evaluate"; row: typeof promptTuneTrials.$inferInsert };

const validationFailed = (path: string, message: string) => new ApiError(400, "validation_failed", message, [{ path, message }]);
const preview = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);

/** The meta-model named as "provider_key::model_id", or a model id with an optional provider key. */
function metaRef(body: { meta_model: string; meta_provider_key?: string }) {
  const split = body.meta_model.indexOf("::");
  if (split > 0) return { targets: [{ provider_key: body.meta_model.slice(0, split), model_id: body.meta_model.slice(split + 2) }] };
  return body.meta_provider_key ? { targets: [{ provider_key: body.meta_provider_key, model_id: body.meta_model }] } : { models: [body.meta_model] };
}

export const promptTuneJob: JobKind<z.infer<typeof PromptTuneRequestSchema>, Item, Result> = {
  type: "prompt_tune",
  runTable: promptTuneRuns,

  async plan({ db, userId, runId }, body) {
    const suite = await ownedSuite(db, userId, body.suite_id);
    const experimentId = await linkableExperiment(db, userId, body.experiment_id, suite.id);
    const cases = await db
      .select({ id: toolTestCases.id, prompt: toolTestCases.prompt, expectedTool: toolTestCases.expectedTool })
      .from(toolTestCases)
      .where(eq(toolTestCases.suiteId, suite.id))
      .orderBy(asc(toolTestCases.sortOrder), asc(toolTestCases.createdAt));
    if (!cases.length) throw badRequest("The suite has no test cases");
    const targets = await requestedTargets(db, userId, { targets: body.target_targets, models: body.target_models });
    const meta = await requestedTargets(db, userId, metaRef(body)).catch(() => {
      throw validationFailed("meta_model", `No model "${body.meta_model}" to write prompts with: add it under Settings → Providers`);
    });
    const seed = body.seed ?? crypto.getRandomValues(new Uint32Array(1))[0]! % 2 ** 31;
    const { search, holdout } = splitCases(
      cases.map((c) => c.id),
      body.holdout_fraction,
      seed,
    );
    const generations = body.mode === "quick" ? 1 : (body.config.generations ?? PROMPT_TUNE_LIMITS.generations.evolutionary);
    const population = body.config.population_size ?? PROMPT_TUNE_LIMITS.population_size.default;
    const calls = plannedPromptCalls({ generations, population, targets: targets.length, searchCases: search.length, holdoutCases: holdout.length });
    if (calls.evalCalls > PROMPT_TUNE_LIMITS.max_planned_calls)
      throw validationFailed(
        "config",
        `This tune would make about ${calls.evalCalls.toLocaleString("en-US")} calls, over the limit of ${PROMPT_TUNE_LIMITS.max_planned_calls.toLocaleString("en-US")}: fewer generations, prompts or target models`,
      );
    const basePrompt = body.base_prompt ?? DEFAULT_BASE_PROMPT;
    const tools = toolsOf(suite);
    const config: PromptTuneConfig = {
      mode: body.mode,
      targets: targets.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId, model_name: t.modelName })),
      meta: { provider_key: meta[0]!.providerKey, model_id: meta[0]!.modelId, model_name: meta[0]!.modelName },
      generations,
      population_size: population,
      selection_ratio: body.config.selection_ratio ?? PROMPT_TUNE_LIMITS.selection_ratio.default,
      temperature: body.config.temperature ?? 0,
      tool_choice: body.config.tool_choice ?? "required",
      seed,
      search_cases: search,
      holdout_cases: holdout,
      tools: tools as unknown as Record<string, unknown>[],
      name_map: ((suite.meta ?? {}) as { name_map?: Record<string, string> }).name_map ?? null,
      suite_system_prompt: suite.systemPrompt,
      // Scenarios from the search cases only: the held-out cases stay unseen by the meta-model too.
      scenarios: cases
        .filter((c) => search.includes(c.id))
        .slice(0, META_LIMITS.maxScenarios)
        .map((c) => ({ prompt: c.prompt, expectedTool: typeof c.expectedTool === "string" ? c.expectedTool : null })),
      scorer: body.scorer,
      max_tokens: body.max_tokens,
      timeout_s: body.timeout,
    };
    const totalPrompts = generations * population;
    return {
      runRow: {
        suiteId: suite.id,
        experimentId,
        suiteName: suite.name,
        mode: body.mode,
        metaProviderKey: config.meta.provider_key,
        metaModelId: config.meta.model_id,
        basePrompt,
        seed,
        config,
        totalPrompts,
      },
      groups: ["prompts"],
      workTotal: calls.evalCalls,
      params: { tune_id: runId, suite_id: suite.id, mode: body.mode, models: targets.length, prompts: totalPrompts },
      progressDetail: `${suite.name}: ${totalPrompts} prompts × ${targets.length} models, ${body.mode}`,
      initEvents: [
        {
          type: "tune_start",
          tuner: "prompt",
          tune_id: runId,
          suite_name: suite.name,
          mode: body.mode,
          models: targets.map((t) => t.modelId),
          total_prompts: totalPrompts,
          total_eval_calls: calls.evalCalls,
          generations,
          population_size: population,
        },
      ],
      response: {
        tune_id: runId,
        seed,
        mode: body.mode,
        generations,
        population_size: population,
        total_prompts: totalPrompts,
        total_eval_calls: calls.evalCalls,
        total_api_calls: calls.total,
        search_cases: search.length,
        holdout_cases: holdout.length,
      },
      audit: { action: "prompt_tune_start", resourceType: "prompt_tune_run" },
    };
  },

  async openGroup({ env, db, group }) {
    const run = await db
      .select()
      .from(promptTuneRuns)
      .where(and(eq(promptTuneRuns.id, group.runId), eq(promptTuneRuns.userId, group.userId)))
      .get();
    if (!run) return null;
    const config = PromptTuneConfigSchema.parse(run.config);
    const { found } = await resolveTargets(db, group.userId, [...config.targets, config.meta]);
    const resolvedOf = (t: { provider_key: string; model_id: string }) =>
      found.find((f) => f.providerKey === t.provider_key && f.modelId === t.model_id);
    const meta = resolvedOf(config.meta);
    const trials = await trialRunner(env, db, group.userId, trialSuiteOf(run.suiteName, config), [...config.search_cases, ...config.holdout_cases]);
    const toolBriefs: ToolBrief[] = config.tools.map((t) => {
      const fn = (t as { function?: { name?: string; description?: string; parameters?: { properties?: Record<string, unknown> } } }).function ?? {};
      return { name: fn.name ?? "", description: fn.description ?? "", params: Object.keys(fn.parameters?.properties ?? {}) };
    });

    async function pending(): Promise<Item[]> {
      const stored = await loadStoredTune(db, run!);
      const step = nextPromptStep(scheduleInput(stored));
      if (step.kind === "done") return [];
      if (step.kind === "generate") return [{ kind: "generate", generation: step.generation, parents: step.parents }];
      const texts = new Map(stored.candidates.map((c) => [candidateKey(c.generation, c.candidateIndex), c]));
      const needs = step.needs.filter((n) => trials.hasCase(n.caseId));
      const items: Item[] = [];
      needs.forEach((n, i) => {
        const target = config.targets.find((t) => targetKeyOf(t) === n.target)!;
        const resolved = resolvedOf(target);
        if (!resolved) return; // the model was removed since: its trials cannot run
        const row = texts.get(n.candidate);
        const same = (m: (typeof needs)[number] | undefined) => m?.candidate === n.candidate && m.target === n.target;
        items.push({
          kind: "evaluate",
          generation: row?.generation ?? 0,
          candidate: n.candidate,
          index: row?.candidateIndex ?? 0,
          text: row?.promptText ?? run!.basePrompt,
          target,
          resolved,
          caseId: n.caseId,
          stage: step.kind === "holdout" ? "held-out cases" : "search cases",
          first: !same(needs[i - 1]),
          last: !same(needs[i + 1]),
          lastOfStep: i === needs.length - 1,
        });
      });
      return items;
    }

    /** Figures of one candidate on one target so far, for the live table. */
    async function evalResult(item: Extract<Item, { kind: "evaluate" }>) {
      const rows = await db
        .select()
        .from(promptTuneTrials)
        .where(
          and(
            eq(promptTuneTrials.tuneRunId, run!.id),
            eq(promptTuneTrials.candidate, item.candidate),
            eq(promptTuneTrials.providerKey, item.target.provider_key),
            eq(promptTuneTrials.modelId, item.target.model_id),
          ),
        );
      const wanted = new Set(item.stage === "held-out cases" ? config.holdout_cases : config.search_cases);
      const mine = rows.filter((r) => wanted.has(r.caseId));
      const ok = mine.filter((r) => !r.error);
      const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
      return {
        type: "prompt_eval_result" as const,
        tune_id: run!.id,
        generation: item.generation,
        prompt_index: item.index,
        candidate: item.candidate,
        model_id: item.target.model_id,
        provider_key: item.target.provider_key,
        stage: item.stage,
        overall_score: avg(mine.map((r) => r.score)) ?? 0,
        tool_accuracy: avg(ok.flatMap((r) => (r.toolScore === null ? [] : [100 * r.toolScore]))),
        param_accuracy: avg(ok.flatMap((r) => (r.paramScore === null ? [] : [100 * r.paramScore]))),
        cases: mine.length,
      };
    }

    /** The generation's ranking once its last trial is stored. */
    async function generationComplete(generation: number) {
      const stored = await loadStoredTune(db, run!);
      const input = scheduleInput(stored);
      const gen = input.stored.find((g) => g.generation === generation);
      if (!gen) return null;
      const survivors = survivorsOf(input, gen);
      const next = nextPromptStep(input);
      const indexOf = (key: string) => gen.candidates.find((c) => c.key === key)?.index ?? -1;
      const best = survivors[0] ?? null;
      return {
        type: "generation_complete" as const,
        tune_id: run!.id,
        generation,
        best_score: best ? candidateScore(input, best, config.search_cases) : null,
        best_prompt_index: best ? indexOf(best) : null,
        survivors: survivors.map(indexOf),
        best_so_far: next.kind === "generate" ? (next.parents.at(-1)?.key ?? null) : null,
      };
    }

    return {
      items: await pending(),
      more: pending,
      announce(item): KindEvent | null {
        if (item.kind === "generate")
          return {
            type: "generation_start",
            tune_id: run.id,
            generation: item.generation,
            total_generations: config.generations,
            population_size: config.population_size,
          };
        return item.first
          ? {
              type: "prompt_eval_start",
              tune_id: run.id,
              generation: item.generation,
              prompt_index: item.index,
              candidate: item.candidate,
              model: item.target.model_name,
              stage: item.stage,
            }
          : null;
      },

      async run(item, signal): Promise<Result> {
        if (item.kind === "generate") {
          if (!meta)
            return {
              kind: "generate",
              outcome: {
                ok: false,
                error: "The meta-model was removed",
                errorClass: "not_found",
                attempts: 0,
                inputTokens: null,
                outputTokens: null,
                costUsd: null,
              },
            };
          const llm = await llmTargetFor(env, db, group.userId, meta).catch((err: unknown) =>
            err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read"),
          );
          if (llm instanceof LlmError)
            return {
              kind: "generate",
              outcome: { ok: false, error: llm.message, errorClass: llm.cls, attempts: 0, inputTokens: null, outputTokens: null, costUsd: null },
            };
          const brief = { tools: toolBriefs, scenarios: config.scenarios, count: config.population_size };
          const evolve = config.mode === "evolutionary" && item.generation > 1;
          const messages = evolve
            ? evolutionMetaPrompt({ ...brief, survivors: item.parents.map((p, i) => ({ index: i, score: p.score, text: p.text })) })
            : quickMetaPrompt({ ...brief, basePrompt: run.basePrompt });
          return { kind: "generate", outcome: await writePrompts(llm, meta, messages, { count: config.population_size, signal }) };
        }
        const outcome = await trials.run(
          item.resolved,
          item.caseId,
          { temperature: config.temperature, toolChoice: config.tool_choice, systemPrompt: item.text },
          signal,
        );
        return {
          kind: "evaluate",
          row: {
            id: newId(),
            tuneRunId: run.id,
            candidate: item.candidate,
            providerKey: item.target.provider_key,
            modelId: item.target.model_id,
            caseId: item.caseId,
            ...outcome,
          },
        };
      },

      async store(item, result) {
        if (item.kind === "generate" && result.kind === "generate") {
          const o = result.outcome;
          const generationRow = {
            id: newId(),
            tuneRunId: run.id,
            generation: item.generation,
            status: o.ok ? ("generated" as const) : ("failed" as const),
            attempts: o.attempts,
            answerFormat: o.ok ? o.format : null,
            inputTokens: o.inputTokens,
            outputTokens: o.outputTokens,
            costUsd: o.costUsd,
            error: o.ok ? null : o.error,
          };
          const evolve = config.mode === "evolutionary" && item.generation > 1;
          const candidateRows = o.ok
            ? o.prompts.map((p, i) => ({
                id: newId(),
                tuneRunId: run.id,
                generation: item.generation,
                candidateIndex: i,
                promptText: p.text,
                style: p.style,
                // The meta-model numbers the parents it was shown; the first parent is the quick prompt's base.
                parentKey: evolve ? (p.parentIndex !== null ? (item.parents[p.parentIndex]?.key ?? null) : null) : BASE_CANDIDATE,
                mutationType: p.mutationType,
              }))
            : [];
          const [inserted] = await db.batch([
            db.insert(promptTuneGenerations).values(generationRow).onConflictDoNothing().returning({ id: promptTuneGenerations.id }),
            ...candidateRows.map((r) => db.insert(promptTuneCandidates).values(r).onConflictDoNothing()),
          ]);
          if ((inserted as unknown[]).length !== 1) return null; // a duplicate delivery stored this generation first
          const events: KindEvent[] = o.ok
            ? candidateRows.map((r) => ({
                type: "prompt_generated" as const,
                tune_id: run.id,
                generation: item.generation,
                prompt_index: r.candidateIndex,
                candidate: candidateKey(item.generation, r.candidateIndex),
                prompt_text: preview(r.promptText),
                style: r.style,
                mutation_type: r.mutationType,
                parent_prompt: r.parentKey ? preview(item.parents.find((p) => p.key === r.parentKey)?.text ?? "") : null,
              }))
            : [{ type: "generation_error" as const, tune_id: run.id, generation: item.generation, message: o.error }];
          return {
            events,
            // Progress counts evaluation calls; a failed meta call counts as one failed call.
            units: o.ok ? 0 : 1,
            detail: o.ok
              ? `Generation ${item.generation}/${config.generations}: ${candidateRows.length} prompts written`
              : `Generation ${item.generation}/${config.generations} failed`,
            // Writing prompts is not an evaluation: a tune whose every evaluation failed has failed.
            outcome: o.ok ? "skipped" : "failed",
            ...(o.ok ? {} : { failure: { cls: o.errorClass, message: o.error } }),
          };
        }
        if (item.kind !== "evaluate" || result.kind !== "evaluate") return null;
        const row = result.row;
        const inserted = await db.insert(promptTuneTrials).values(row).onConflictDoNothing().returning({ id: promptTuneTrials.id });
        if (inserted.length !== 1) return null;
        const events: KindEvent[] = [];
        if (item.last) events.push(await evalResult(item));
        if (item.lastOfStep && item.stage === "search cases" && item.generation > 0) {
          const done = await generationComplete(item.generation);
          if (done) events.push(done);
        }
        const where = item.generation === 0 ? "base prompt" : `gen ${item.generation}/${config.generations}, prompt ${item.index + 1}`;
        return {
          events,
          units: 1,
          detail: `${where} on ${item.target.model_name}, ${item.stage}`,
          outcome: row.error ? "failed" : "ok",
          ...(row.error ? { failure: { cls: row.errorClass ?? "unknown", message: row.error } } : {}),
        };
      },
    };
  },

  finish: (ctx) => finishPromptTune(ctx),
};
