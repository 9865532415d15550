/**
 * /api/tool-eval/prompt-tune: estimate a prompt tune before running it, start one (one job, one queue message),
 * cancel it, read tunes back (the list with each best prompt; one tune with every generation, candidate and the
 * best prompt's significance against the base prompt), and keep a candidate in the prompt library.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq } from "drizzle-orm";
import { runDurationS } from "../../shared/jobs.ts";
import { priceFor } from "../../shared/pricing.ts";
import { FEATURE_DEFAULTS } from "../../shared/settings-defaults.ts";
import { plannedPromptCalls } from "../../shared/tuning/prompt-schedule.ts";
import type { PromptTuneAnswer } from "../../shared/tuning/prompt-tune-answer.ts";
import { readSection } from "../config/settings.ts";
import type { Db } from "../db/client.ts";
import { promptTemplates, promptTuneRuns, toolTestCases } from "../db/schema.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { requestedTargets } from "../llm/targets.ts";
import { DEFAULT_BASE_PROMPT, PROMPT_TUNE_LIMITS, PromptTuneConfigSchema, PromptTuneRequestSchema } from "../prompt-tune/config.ts";
import { promptTuneJob } from "../prompt-tune/job.ts";
import { loadStoredTune, promptTuneAnswer } from "../prompt-tune/summary.ts";
import { ownedSuite, toolsOf } from "../tool-eval/store.ts";
import { cancelJobOfType, refuseWhileActive } from "./jobs.ts";

const Submitted = z
  .object({
    job_id: z.string(),
    tune_id: z.string(),
    status: z.literal("submitted"),
    job_status: z.string(),
    seed: z.number().int(),
    mode: z.string(),
    generations: z.number().int(),
    population_size: z.number().int(),
    total_prompts: z.number().int(),
    total_eval_calls: z.number().int().openapi({
      description: "Evaluation calls planned: the base prompt and every candidate on every search case and target, plus the held-out check",
    }),
    total_api_calls: z.number().int(),
    search_cases: z.number().int(),
    holdout_cases: z.number().int(),
  })
  .openapi("PromptTuneSubmitted");

const TuneRun = z
  .object({
    id: z.string(),
    job_id: z.string().nullable(),
    suite_id: z.string().nullable(),
    suite_name: z.string(),
    mode: z.string(),
    meta_model: z.object({ provider_key: z.string(), model_id: z.string() }),
    models: z.array(z.object({ provider_key: z.string(), model_id: z.string() })),
    base_prompt: z.string(),
    total_prompts: z.number().int(),
    best_prompt: z.string().nullable(),
    best_score: z.number().nullable(),
    status: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    duration_s: z.number().nullable(),
  })
  .openapi("PromptTuneRun");
const TuneDetail = TuneRun.extend({
  config: z.record(z.string(), z.unknown()),
  answer: z.record(z.string(), z.unknown()),
}).openapi("PromptTuneRunDetail");

const Estimate = z
  .object({
    total_prompts: z.number().int(),
    total_prompt_generations: z.number().int().openapi({ description: "Meta-model calls (one per generation, before retries)" }),
    total_eval_calls: z.number().int(),
    total_api_calls: z.number().int(),
    estimated_input_tokens: z.number().int(),
    estimated_output_tokens: z.number().int(),
    estimated_cost_usd: z.number().nullable().openapi({ description: "Null when a model's price is unknown" }),
    estimated_duration_s: z.number(),
    warning: z.string().nullable(),
    basis: z.string().openapi({ description: "How the figures were estimated" }),
  })
  .openapi("PromptTuneEstimate");

const EstimateQuery = z.object({
  suite_id: z.string().min(1).max(64),
  mode: z.enum(["quick", "evolutionary"]).default("quick"),
  population_size: z.coerce.number().int().min(PROMPT_TUNE_LIMITS.population_size.min).max(PROMPT_TUNE_LIMITS.population_size.max).default(5),
  generations: z.coerce.number().int().min(PROMPT_TUNE_LIMITS.generations.min).max(PROMPT_TUNE_LIMITS.generations.max).optional(),
  num_models: z.coerce.number().int().min(1).max(10).default(1),
  holdout_fraction: z.coerce.number().min(0).max(0.5).default(0),
  /** Comma-separated "provider_key::model_id" targets, for prices (num_models is then their count). */
  targets: z.string().max(3000).optional(),
  meta_model: z.string().max(300).optional(),
});

type RunRow = typeof promptTuneRuns.$inferSelect;

function runView(run: RunRow): z.infer<typeof TuneRun> {
  const config = PromptTuneConfigSchema.parse(run.config);
  return {
    id: run.id,
    job_id: run.jobId,
    suite_id: run.suiteId,
    suite_name: run.suiteName,
    mode: run.mode,
    meta_model: { provider_key: run.metaProviderKey, model_id: run.metaModelId },
    models: config.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
    base_prompt: run.basePrompt,
    total_prompts: run.totalPrompts,
    best_prompt: run.bestPrompt,
    best_score: run.bestScore,
    status: run.status,
    timestamp: run.createdAt,
    completed_at: run.completedAt,
    duration_s: runDurationS(run.createdAt, run.completedAt),
  };
}

async function ownedTune(db: Db, userId: string, id: string): Promise<RunRow> {
  const run = await db
    .select()
    .from(promptTuneRuns)
    .where(and(eq(promptTuneRuns.id, id), eq(promptTuneRuns.userId, userId)))
    .get();
  if (!run) throw notFound("Prompt tune");
  return run;
}

const parseRef = (s: string) => {
  const at = s.indexOf("::");
  return at > 0 ? { provider_key: s.slice(0, at), model_id: s.slice(at + 2) } : null;
};

/** Mounted at /api/tool-eval/prompt-tune. */
export const promptTuneRoutes = newRouter();

promptTuneRoutes.openapi(
  route({
    method: "get",
    path: "/estimate",
    operationId: "estimatePromptTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Calls, tokens, cost and time a prompt tune would take, from the suite's real size and the models' prices",
    request: { query: EstimateQuery },
    responses: { 200: jsonResponse(Estimate, "The estimate"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    const suite = await ownedSuite(db, c.var.user.id, q.suite_id);
    const cases = await db
      .select({ prompt: toolTestCases.prompt })
      .from(toolTestCases)
      .where(eq(toolTestCases.suiteId, suite.id))
      .orderBy(asc(toolTestCases.sortOrder));
    if (!cases.length) throw badRequest("The suite has no test cases");
    const refs = q.targets
      ? q.targets
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const parsed = refs.map(parseRef);
    if (parsed.some((r) => !r))
      throw badRequest("targets must be provider_key::model_id, comma-separated", [{ path: "targets", message: "Use provider_key::model_id" }]);
    const targets = parsed.length
      ? await requestedTargets(db, c.var.user.id, { targets: parsed as { provider_key: string; model_id: string }[] })
      : [];
    const metaRef = q.meta_model ? parseRef(q.meta_model) : null;
    const meta = metaRef ? (await requestedTargets(db, c.var.user.id, { targets: [metaRef] }))[0]! : null;
    const models = targets.length || q.num_models;
    const generations = q.mode === "quick" ? 1 : (q.generations ?? PROMPT_TUNE_LIMITS.generations.evolutionary);
    const holdoutCases = q.holdout_fraction > 0 ? Math.min(cases.length - 1, Math.max(1, Math.round(cases.length * q.holdout_fraction))) : 0;
    const calls = plannedPromptCalls({
      generations,
      population: q.population_size,
      targets: models,
      searchCases: cases.length - holdoutCases,
      holdoutCases,
    });
    // Tokens from characters (about 4 per token): tools and the candidate prompt ride on every evaluation call.
    const tok = (chars: number) => Math.ceil(chars / 4);
    const toolsChars = JSON.stringify(toolsOf(suite)).length;
    const meanCaseChars = cases.reduce((n, x) => n + x.prompt.length, 0) / cases.length;
    const promptChars = Math.max(DEFAULT_BASE_PROMPT.length, 600); // written prompts run longer than the base
    const evalIn = tok(toolsChars + meanCaseChars + promptChars + (suite.systemPrompt?.length ?? 0));
    const evalOut = 40; // one tool call
    const metaIn = tok(Math.min(toolsChars, 4000) + 10 * 120 + promptChars * 3 + 1500);
    const metaOut = 200 * q.population_size;
    const priceOf = (t: { modelId: string; inputCostPerMtok: number | null; outputCostPerMtok: number | null } | null) =>
      t ? priceFor(t.modelId, { input: t.inputCostPerMtok, output: t.outputCostPerMtok }) : { inputPerMtok: null, outputPerMtok: null };
    const perModelEvalCalls = calls.evalCalls / models;
    let cost: number | null = targets.length && meta ? 0 : null;
    if (cost !== null) {
      for (const t of targets) {
        const p = priceOf(t);
        if (p.inputPerMtok === null || p.outputPerMtok === null) cost = null;
        else if (cost !== null) cost += (perModelEvalCalls * (evalIn * p.inputPerMtok + evalOut * p.outputPerMtok)) / 1e6;
      }
      const p = priceOf(meta);
      if (cost !== null && p.inputPerMtok !== null && p.outputPerMtok !== null)
        cost += (calls.metaCalls * (metaIn * p.inputPerMtok + metaOut * p.outputPerMtok)) / 1e6;
      else cost = null;
    }
    // The call budget the user saved in Settings → Defaults (the built-in one when none is saved).
    const saved = await readSection<{ max_api_calls?: unknown }>(c.var.db, c.var.user.id, "prompt_tuner", {});
    const limit = typeof saved.max_api_calls === "number" ? saved.max_api_calls : FEATURE_DEFAULTS.prompt_tuner.max_api_calls;
    return c.json(
      {
        total_prompts: generations * q.population_size,
        total_prompt_generations: calls.metaCalls,
        total_eval_calls: calls.evalCalls,
        total_api_calls: calls.total,
        estimated_input_tokens: calls.evalCalls * evalIn + calls.metaCalls * metaIn,
        estimated_output_tokens: calls.evalCalls * evalOut + calls.metaCalls * metaOut,
        estimated_cost_usd: cost === null ? null : Math.round(cost * 1e6) / 1e6,
        estimated_duration_s: 5 * calls.metaCalls + 2 * calls.evalCalls,
        warning:
          calls.total > limit
            ? `${calls.total.toLocaleString("en-US")} API calls (over your limit of ${limit.toLocaleString("en-US")}, Settings → Defaults): this will take a while and cost more; lower the population, generations or models`
            : null,
        basis: `${cases.length} cases (${holdoutCases} held out) × ${models} model(s); about ${evalIn} input and ${evalOut} output tokens per evaluation call, ${metaIn} and ${metaOut} per meta call; 2 s per evaluation call and 5 s per meta call`,
      },
      200,
    );
  },
);

promptTuneRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "startPromptTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Tune the system prompt on a suite (quick: one generation; evolutionary: survivors mutate); progress streams over the WebSocket",
    request: jsonBody(PromptTuneRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, promptTuneJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

promptTuneRoutes.openapi(
  route({
    method: "post",
    path: "/cancel",
    operationId: "cancelPromptTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Cancel a prompt tune; prompts written and trials run are kept",
    // The original requires job_id here (unlike the other cancels).
    request: jsonBody(z.object({ job_id: z.string().min(1).max(64) }).strict()),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), job_id: z.string() }), "Cancelled"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const jobId = await cancelJobOfType(c.env, c.var.db, userId, "prompt_tune", c.req.valid("json").job_id);
    await audit(c, { action: "prompt_tune_cancel", userId, resourceType: "job", resourceId: jobId });
    return c.json({ status: "ok" as const, job_id: jobId }, 200);
  },
);

promptTuneRoutes.openapi(
  route({
    method: "get",
    path: "/history",
    operationId: "listPromptTunes",
    auth: "user",
    tags: ["tuners"],
    summary: "Stored prompt tunes, newest first, with each best prompt",
    request: {
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0) }),
    },
    responses: { 200: jsonResponse(z.object({ runs: z.array(TuneRun) }), "Tunes, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const runs = await c.var.db
      .select()
      .from(promptTuneRuns)
      .where(eq(promptTuneRuns.userId, c.var.user.id))
      .orderBy(desc(promptTuneRuns.createdAt))
      .limit(limit)
      .offset(offset);
    return c.json({ runs: runs.map(runView) }, 200);
  },
);

promptTuneRoutes.openapi(
  route({
    method: "get",
    path: "/history/{id}",
    operationId: "getPromptTune",
    auth: "user",
    tags: ["tuners"],
    summary: "One tune: every generation and candidate, the best prompt and its significance (computed live while it runs)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(TuneDetail, "The tune"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedTune(c.var.db, c.var.user.id, c.req.valid("param").id);
    const answer = (run.summary as PromptTuneAnswer | null) ?? promptTuneAnswer(await loadStoredTune(c.var.db, run));
    return c.json({ ...runView(run), config: run.config as Record<string, unknown>, answer: answer as unknown as Record<string, unknown> }, 200);
  },
);

promptTuneRoutes.openapi(
  route({
    method: "post",
    path: "/history/{id}/save",
    operationId: "savePromptTuneCandidate",
    auth: "user",
    tags: ["tuners"],
    summary: "Keep a candidate (default: the best prompt) in the prompt library, labelled with its tune and score",
    request: {
      params: IdParam,
      ...jsonBody(
        z
          .object({
            candidate: z
              .string()
              .regex(/^(base|g\d{1,2}p\d{1,2})$/, { error: 'A candidate key: "base" or "g<generation>p<index>"' })
              .optional(),
            label: z.string().trim().min(1).max(256).optional(),
          })
          .strict(),
      ),
    },
    responses: {
      200: jsonResponse(z.object({ status: z.literal("ok"), key: z.string(), label: z.string() }), "Saved"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const run = await ownedTune(c.var.db, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    const answer = (run.summary as PromptTuneAnswer | null) ?? promptTuneAnswer(await loadStoredTune(c.var.db, run));
    const key = body.candidate ?? answer.best_key;
    if (!key) throw badRequest("This tune has no single best prompt (a tie, or nothing scored yet): name a candidate");
    const candidate = answer.candidates.find((x) => x.key === key);
    if (!candidate) throw badRequest(`No candidate "${key}" in this tune`, [{ path: "candidate", message: `No candidate "${key}" in this tune` }]);
    const score = candidate.score === null ? "not scored" : `score ${(100 * candidate.score).toFixed(1)}%`;
    const label = body.label ?? `Prompt Tune (${run.suiteName}) ${candidate.label}: ${score}`;
    const templateKey = `prompt_tune_${run.id.replace(/[^A-Za-z0-9]/g, "").slice(0, 20)}_${key}`;
    const now = isoNow();
    const values = { label, category: "prompt_tune", prompt: candidate.text, updatedAt: now };
    await c.var.db
      .insert(promptTemplates)
      .values({ id: newId(), userId, key: templateKey, ...values })
      .onConflictDoUpdate({ target: [promptTemplates.userId, promptTemplates.key], set: values });
    notifyUser(c, { type: "config_changed", scope: "prompts" });
    return c.json({ status: "ok" as const, key: templateKey, label }, 200);
  },
);

promptTuneRoutes.openapi(
  route({
    method: "delete",
    path: "/history/{id}",
    operationId: "deletePromptTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Delete a prompt tune with its prompts and trials (a running one must be cancelled first)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedTune(c.var.db, c.var.user.id, c.req.valid("param").id);
    await refuseWhileActive(c.var.db, run.jobId, "tune");
    await c.var.db.delete(promptTuneRuns).where(eq(promptTuneRuns.id, run.id));
    return c.json({ status: "ok" as const }, 200);
  },
);
