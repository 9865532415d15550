/**
 * The speed benchmark as a job kind. One provider group per worker: the group's models run one after another (no
 * self-contention), each with an optional unmeasured warm-up, then every context tier × run. An item is one
 * measured run (or one skipped tier); a redelivered group leaves out what is already stored.
 */

import type { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { DEFAULT_BENCHMARK_SETTINGS } from "../../shared/catalogue.ts";
import { priceFor } from "../../shared/pricing.ts";
import { readSection } from "../config/settings.ts";
import type { Db } from "../db/client.ts";
import { benchmarkRuns } from "../db/schema.ts";
import type { GroupWork, JobKind, StoredItem } from "../jobs/kind.ts";
import { paramAdjustmentsFor } from "../llm/call-params.ts";
import { LlmError } from "../llm/errors.ts";
import type { LlmTarget } from "../llm/stream.ts";
import { llmTargetFor, type ResolvedTarget, requestedTargets, resolveTargets } from "../llm/targets.ts";
import { type BenchmarkConfig, BenchmarkConfigSchema, type BenchmarkRequestSchema } from "./config.ts";
import { buildRequest, measure, type Outcome, TIER_HEADROOM, tierFits } from "./measure.ts";
import { resultKey, resultView, storedResultKeys, storeRow } from "./results.ts";

export { tierFits } from "./measure.ts"; // where the tests and other modules have always found it

/** One measured run of a model at a tier, or a tier the model's context window cannot hold (`skip`). */
interface Item {
  target: ResolvedTarget;
  tier: number;
  run: number;
  skip: string | null;
}

export const benchmarkJob: JobKind<z.infer<typeof BenchmarkRequestSchema>, Item, Outcome> = {
  type: "benchmark",
  runTable: benchmarkRuns,

  async plan({ db, userId, runId, origin }, body) {
    const found = await requestedTargets(db, userId, body);
    const defaults = await readSection(db, userId, "benchmark_defaults", DEFAULT_BENCHMARK_SETTINGS);
    const config: BenchmarkConfig = {
      targets: found.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId })),
      prompt: body.prompt?.trim() ? body.prompt : defaults.prompt,
      max_tokens: body.max_tokens,
      temperature: body.temperature,
      context_tiers: [...new Set(body.context_tiers)].sort((a, b) => a - b),
      runs: body.runs,
      warmup: body.warmup,
      timeout_s: body.timeout,
      unique_prefix: body.unique_prefix,
      provider_params: body.provider_params ?? null,
      param_adjustments: [],
    };
    // Parameters are checked per target before anything runs, so the user sees every clamp, drop or rename up
    // front (event and response) and later (kept in the run's config for History).
    const paramAdjustments = paramAdjustmentsFor(found, {
      temperature: config.temperature,
      maxTokens: config.max_tokens,
      providerParams: config.provider_params,
    });
    config.param_adjustments = paramAdjustments;
    const groups = [...new Set(config.targets.map((t) => t.provider_key))];
    return {
      runRow: {
        source: origin ? "schedule" : "manual",
        scheduleId: origin?.scheduleId ?? null,
        prompt: config.prompt,
        maxTokens: config.max_tokens,
        temperature: config.temperature,
        runs: config.runs,
        warmup: config.warmup,
        contextTiers: config.context_tiers,
        config,
      },
      groups,
      workTotal: config.targets.length * config.context_tiers.length * config.runs,
      params: {
        run_id: runId,
        models: config.targets.length,
        providers: groups.length,
        runs: config.runs,
        tiers: config.context_tiers.length,
        ...(origin ? { schedule_id: origin.scheduleId } : {}),
      },
      progressDetail: `${config.targets.length} models on ${groups.length} providers`,
      initEvents: [
        {
          type: "benchmark_init",
          data: {
            run_id: runId,
            targets: found.map((t) => ({ provider_key: t.providerKey, model_id: t.modelId, display_name: t.modelName, provider: t.providerName })),
            runs: config.runs,
            context_tiers: config.context_tiers,
            max_tokens: config.max_tokens,
          },
        },
        ...(paramAdjustments.length ? [{ type: "param_adjustments" as const, models: paramAdjustments }] : []),
      ],
      response: { run_id: runId, param_adjustments: paramAdjustments },
      audit: { action: "benchmark_start", resourceType: "benchmark_run", detail: { models: found.length } },
    };
  },

  async openGroup({ env, db, group }) {
    const run = await db
      .select()
      .from(benchmarkRuns)
      .where(and(eq(benchmarkRuns.id, group.runId), eq(benchmarkRuns.userId, group.userId)))
      .get();
    if (!run) return null;
    const config = BenchmarkConfigSchema.parse(run.config);
    const { found } = await resolveTargets(
      db,
      group.userId,
      config.targets.filter((t) => t.provider_key === group.groupKey),
    );
    const stored = await storedResultKeys(db, run.id);
    const items: Item[] = [];
    for (const target of found) {
      for (const tier of config.context_tiers) {
        if (!tierFits(tier, target, config.max_tokens)) {
          const skip = `Tier ${tier} exceeds the context window (${target.contextWindow} − max_tokens − ${TIER_HEADROOM})`;
          if (!stored.has(resultKey(target, tier, -1))) items.push({ target, tier, run: 1, skip });
          continue;
        }
        for (let r = 1; r <= config.runs; r++) if (!stored.has(resultKey(target, tier, r))) items.push({ target, tier, run: r, skip: null });
      }
    }
    return groupWork(env, db, group.userId, run.id, config, items, stored);
  },
};

function groupWork(
  env: Env,
  db: Db,
  userId: string,
  runId: string,
  config: BenchmarkConfig,
  items: Item[],
  stored: Set<string>,
): GroupWork<Item, Outcome> {
  // Per model, once per group: the call target (its key decrypted) and the warm-up.
  const llms = new Map<string, Promise<LlmTarget>>();
  const llmFor = (t: ResolvedTarget) => {
    const llm = llms.get(t.modelId) ?? llmTargetFor(env, db, userId, t);
    llms.set(t.modelId, llm);
    return llm;
  };
  return {
    items,
    keepCutOff: true,
    announce: (item) =>
      item.skip
        ? null
        : {
            type: "benchmark_progress",
            data: {
              type: "progress",
              provider: item.target.providerName,
              provider_key: item.target.providerKey,
              model: item.target.modelName,
              model_id: item.target.modelId,
              run: item.run,
              runs: config.runs,
              context_tokens: item.tier,
            },
          },

    async run(item, signal) {
      if (item.skip) return { ok: false, skipped: item.skip };
      let llm: LlmTarget;
      try {
        llm = await llmFor(item.target);
      } catch (err) {
        return { ok: false, error: err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read") };
      }
      const prices = priceFor(item.target.modelId, { input: item.target.inputCostPerMtok, output: item.target.outputCostPerMtok });
      if (config.warmup && !stored.has(resultKey(item.target, 0, 0))) {
        stored.add(resultKey(item.target, 0, 0));
        const warm = await measure(llm, await buildRequest(item.target, config, 0, `${runId}:${item.target.modelId}:warmup`), config, signal, prices);
        if (!signal.aborted) await storeRow(db, runId, item.target, 0, 0, warm);
      }
      const request = await buildRequest(item.target, config, item.tier, `${runId}:${item.target.modelId}:${item.tier}:${item.run}`);
      return measure(llm, request, config, signal, prices);
    },

    async store(item, o): Promise<StoredItem | null> {
      // Skipped tiers are stored as run −1 so history shows them; they are never aggregated.
      if (!(await storeRow(db, runId, item.target, item.tier, o.skipped ? -1 : item.run, o))) return null;
      const error = o.ok ? null : (o.skipped ?? o.error!.message);
      const failure = o.ok || o.skipped ? null : o.error!;
      const view = resultView(item.target, item.tier, item.run, config.runs, {
        success: o.ok,
        skipped: Boolean(o.skipped),
        error,
        error_class: failure?.cls ?? null,
        error_host: failure?.host ?? null,
        m: o.ok ? o.metrics : null,
      });
      return {
        events: [{ type: "benchmark_result", data: view }],
        units: o.skipped ? config.runs : 1,
        detail: `${item.target.modelName} · run ${item.run}/${config.runs} · ${item.tier} ctx`,
        outcome: o.ok ? "ok" : o.skipped ? "skipped" : "failed",
        ...(!o.ok && !o.skipped ? { failure: { cls: o.error!.cls, message: o.error!.message } } : {}),
      };
    },
  };
}
