/**
 * The speed benchmark, one provider group per queue message: the group's models run sequentially (no
 * self-contention), each with an optional unmeasured warm-up, then every context tier × run. Every run is
 * stored as a row the moment it finishes and streamed to the user's tabs, so partial results survive a crash;
 * a redelivered message skips runs already stored (the unique key makes a duplicate insert a no-op).
 * Cancellation is checked between runs and, during a stream, every 500 ms (the open stream is aborted).
 */
import { and, eq } from "drizzle-orm";
import { insertDespiteDeletions, makeDb, type Db } from "../db/client.ts";
import { benchmarkResults, benchmarkRuns } from "../db/schema.ts";
import { hubFor } from "../lib/hub.ts";
import { newId } from "../lib/ids.ts";
import { LlmError } from "../llm/errors.ts";
import { fillerText } from "../llm/filler.ts";
import { streamChat, type ChatRequest, type LlmTarget } from "../llm/stream.ts";
import { runMetrics, type RunMetrics } from "../../shared/metrics.ts";
import { priceFor } from "../../shared/pricing.ts";
import type { BenchmarkResult } from "../../shared/events.ts";
import { llmTargetFor, resolveTargets, type ResolvedTarget, type TargetRef } from "../llm/targets.ts";
import { BenchmarkConfigSchema, type BenchmarkConfig } from "./config.ts";
import { callParams } from "../llm/call-params.ts";

export const CANCEL_POLL_MS = 500;
const MAX_ATTEMPTS = 3; // only for 429/5xx before any output: safe, nothing was measured
const TIER_HEADROOM = 100;

type Hub = ReturnType<typeof hubFor>;

export interface GroupJob {
  jobId: string;
  userId: string;
  groupKey: string;
  /** Which delivery of the group this is (the hub resends a group whose worker was lost). */
  attempt: number;
}

/**
 * The group's heartbeat while work runs: renews the group's lease in the hub (so the hub knows this worker is
 * alive) and resolves `cancelled` as soon as the job is no longer running or the group went to a newer attempt.
 */
export function watchCancellation(hub: Hub, job: GroupJob) {
  let stop = () => {};
  let fired = false;
  let superseded = false;
  const cancelled = new Promise<void>((resolve) => {
    const timer = setInterval(async () => {
      try {
        const status = await hub.jobHeartbeat(job.jobId, job.groupKey, job.attempt);
        if (status !== "running") {
          fired = true;
          superseded = status === "superseded";
          clearInterval(timer);
          resolve();
        }
      } catch {
        // a transient RPC failure is not a cancellation
      }
    }, CANCEL_POLL_MS);
    stop = () => clearInterval(timer);
  });
  // Superseded: a newer attempt owns the group, so what this worker was measuring is not stored (it will be re-run).
  return { cancelled, stop, isCancelled: () => fired, isSuperseded: () => superseded };
}

export function tierFits(tier: number, t: ResolvedTarget, maxTokens: number): boolean {
  return tier === 0 || tier <= t.contextWindow - maxTokens - TIER_HEADROOM;
}

export async function runBenchmarkGroup(env: Env, job: GroupJob): Promise<void> {
  const db = makeDb(env.DB);
  const hub = hubFor(env, job.userId);
  const view = await hub.jobSummary(job.jobId);
  if (!view || view.status !== "running" || !view.result_ref) return; // finished, cancelled or unknown: nothing to do
  const run = await db
    .select()
    .from(benchmarkRuns)
    .where(and(eq(benchmarkRuns.id, view.result_ref), eq(benchmarkRuns.userId, job.userId)))
    .get();
  if (!run) {
    await hub.jobGroupFinished(job.userId, job.jobId, job.groupKey, { ok: false, error: "Benchmark run not found" });
    return;
  }
  const config = BenchmarkConfigSchema.parse(run.config);
  const refs = config.targets.filter((t: TargetRef) => t.provider_key === job.groupKey);
  const { found } = await resolveTargets(db, job.userId, refs);
  const watch = watchCancellation(hub, job);
  let succeeded = 0;
  let attempted = 0;
  let lastError: string | null = null;
  try {
    for (const target of found) {
      if (watch.isCancelled()) break;
      let llm: LlmTarget;
      try {
        llm = await llmTargetFor(env, db, job.userId, target);
      } catch (err) {
        const e = err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read");
        lastError = e.message;
        for (const tier of config.context_tiers) {
          for (let r = 1; r <= config.runs; r++) {
            attempted += 1;
            await storeAndPublish(db, hub, job, run.id, target, config, tier, r, { ok: false, error: e });
          }
        }
        continue;
      }
      const prices = priceFor(target.modelId, { input: target.inputCostPerMtok, output: target.outputCostPerMtok });
      if (config.warmup) {
        const exists = await resultExists(db, run.id, target, 0, 0);
        if (!exists) {
          const warm = await measure(llm, await buildRequest(target, config, 0, `${run.id}:${target.modelId}:warmup`), config, watch, prices);
          if (watch.isSuperseded()) return;
          await storeRow(db, run.id, target, 0, 0, warm);
        }
      }
      for (const tier of config.context_tiers) {
        if (!tierFits(tier, target, config.max_tokens)) {
          await storeAndPublish(db, hub, job, run.id, target, config, tier, 1, {
            ok: false,
            skipped: `Tier ${tier} exceeds the context window (${target.contextWindow} − max_tokens − ${TIER_HEADROOM})`,
          });
          continue;
        }
        for (let r = 1; r <= config.runs; r++) {
          if (watch.isCancelled()) break;
          if (await resultExists(db, run.id, target, tier, r)) continue; // redelivery: already measured
          await hub.publish({
            type: "benchmark_progress",
            job_id: job.jobId,
            data: {
              type: "progress",
              provider: target.providerName,
              provider_key: target.providerKey,
              model: target.modelName,
              model_id: target.modelId,
              run: r,
              runs: config.runs,
              context_tokens: tier,
            },
          });
          const request = await buildRequest(target, config, tier, `${run.id}:${target.modelId}:${tier}:${r}`);
          const outcome = await measure(llm, request, config, watch, prices);
          if (watch.isSuperseded()) return;
          attempted += 1;
          if (outcome.ok) succeeded += 1;
          else lastError = outcome.error!.message;
          const status = await storeAndPublish(db, hub, job, run.id, target, config, tier, r, outcome);
          if (status !== "running") return; // cancelled, timed out or interrupted: stop, no group report needed
        }
      }
    }
  } finally {
    watch.stop();
  }
  if (watch.isCancelled()) return;
  const ok = attempted === 0 || succeeded > 0;
  await hub.jobGroupFinished(job.userId, job.jobId, job.groupKey, ok ? { ok } : { ok, error: lastError ?? "every run failed" });
}

/**
 * A short line unique to one request, put at the very start of what is sent first (the system message, else the
 * user prompt): prefix caches match from the first token, so no run can be served from an earlier one's prefill
 * (docs/metrics.md "Prefix caches").
 */
function uniquePrefix(): string {
  return `[run ${newId().slice(0, 8)}]\n`;
}

async function buildRequest(t: ResolvedTarget, c: BenchmarkConfig, tier: number, seed: string): Promise<ChatRequest> {
  const filler = await fillerText(tier, seed);
  const system = [filler, t.systemPrompt ?? ""].filter(Boolean).join("\n\n") || null;
  const prefix = c.unique_prefix ? uniquePrefix() : "";
  const params = callParams(t, { temperature: c.temperature, maxTokens: c.max_tokens, providerParams: c.provider_params }).params;
  return system ? { system: prefix + system, prompt: c.prompt, params } : { system: null, prompt: prefix + c.prompt, params };
}

type Outcome =
  | { ok: true; metrics: RunMetrics; arrivals: number[]; finishArrival: number | null }
  | { ok: false; error: LlmError; skipped?: undefined }
  | { ok: false; skipped: string; error?: undefined };

async function measure(
  llm: LlmTarget,
  req: ChatRequest,
  c: BenchmarkConfig,
  watch: { cancelled: Promise<void>; isCancelled(): boolean },
  prices: ReturnType<typeof priceFor>,
): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await streamChat(llm, req, { timeoutMs: c.timeout_s * 1000, cancelled: watch.cancelled });
      const metrics = runMetrics(res.observation, prices);
      return { ok: true, metrics, arrivals: res.arrivals, finishArrival: res.finishArrival };
    } catch (err) {
      const e = err instanceof LlmError ? err : new LlmError("network", "Unexpected failure");
      if (!e.retryable || attempt >= MAX_ATTEMPTS || watch.isCancelled()) return { ok: false, error: e };
      const waitS = Math.min(10, e.retryAfterSeconds ?? 2 ** (attempt - 1));
      await Promise.race([new Promise((r) => setTimeout(r, waitS * 1000)), watch.cancelled]);
      if (watch.isCancelled()) return { ok: false, error: new LlmError("cancelled", "Cancelled") };
    }
  }
}

async function resultExists(db: Db, runId: string, t: ResolvedTarget, tier: number, runNumber: number): Promise<boolean> {
  const row = await db
    .select({ id: benchmarkResults.id })
    .from(benchmarkResults)
    .where(
      and(
        eq(benchmarkResults.runId, runId),
        eq(benchmarkResults.providerKey, t.providerKey),
        eq(benchmarkResults.modelId, t.modelId),
        eq(benchmarkResults.contextTokens, tier),
        eq(benchmarkResults.runNumber, runNumber),
      ),
    )
    .get();
  return Boolean(row);
}

const roundUs = (ms: number) => Math.round(ms * 1000) / 1000;

/** Inserts the row; false when it already existed (a redelivered message) or its run was deleted meanwhile. */
async function storeRow(db: Db, runId: string, t: ResolvedTarget, tier: number, runNumber: number, o: Outcome): Promise<boolean> {
  const m = o.ok ? o.metrics : null;
  const values = {
    id: newId(),
    runId,
    modelRef: t.modelRef as string | null,
    providerKey: t.providerKey,
    providerName: t.providerName,
    modelId: t.modelId,
    modelName: t.modelName,
    contextTokens: tier,
    runNumber,
    success: o.ok,
    ttfbMs: m?.ttfb_ms ?? null,
    ttftMs: m?.ttft_ms ?? null,
    ttfaMs: m?.ttfa_ms ?? null,
    totalMs: m?.total_ms ?? null,
    outputTokens: m?.output_tokens ?? null,
    inputTokens: m?.input_tokens ?? null,
    tokenSource: m?.token_source ?? null,
    outputSpeedTps: m?.output_speed_tps ?? null,
    e2eTps: m?.e2e_tps ?? null,
    itlMs: m?.itl_ms ?? null,
    prefillTps: m?.prefill_tps ?? null,
    costUsd: m?.cost_usd ?? null,
    errorClass: o.ok || o.skipped ? null : o.error!.cls,
    error: o.ok ? null : (o.skipped ?? o.error!.message),
    timings: o.ok ? { arrivals_ms: o.arrivals.map(roundUs), finish_ms: o.finishArrival === null ? null : roundUs(o.finishArrival) } : null,
  };
  const insert = async (v: typeof values) => (await db.insert(benchmarkResults).values(v).onConflictDoNothing().returning({ id: benchmarkResults.id })).length === 1;
  return insertDespiteDeletions(() => insert(values), () => insert({ ...values, modelRef: null }));
}

export function resultView(
  t: Pick<ResolvedTarget, "providerName" | "providerKey" | "modelName" | "modelId">,
  tier: number,
  run: number,
  runs: number,
  o: { success: boolean; skipped?: boolean; error: string | null; error_class: string | null; m: RunMetrics | null },
): BenchmarkResult {
  const m = o.m;
  return {
    type: o.skipped ? "skipped" : "result",
    provider: t.providerName,
    provider_key: t.providerKey,
    model: t.modelName,
    model_id: t.modelId,
    run,
    runs,
    context_tokens: tier,
    success: o.success,
    error: o.error,
    error_class: o.error_class,
    ttfb_ms: m?.ttfb_ms ?? null,
    ttft_ms: m?.ttft_ms ?? null,
    ttfa_ms: m?.ttfa_ms ?? null,
    total_ms: m?.total_ms ?? null,
    total_time_s: m ? m.total_ms / 1000 : null,
    output_tokens: m?.output_tokens ?? null,
    input_tokens: m?.input_tokens ?? null,
    token_source: m?.token_source ?? null,
    output_speed_tps: m?.output_speed_tps ?? null,
    tokens_per_second: m?.e2e_tps ?? null,
    e2e_tps: m?.e2e_tps ?? null,
    itl_ms: m?.itl_ms ?? null,
    prefill_tps: m?.prefill_tps ?? null,
    input_tokens_per_second: m?.prefill_tps ?? null,
    cost: m?.cost_usd ?? null,
  };
}

async function storeAndPublish(
  db: Db,
  hub: Hub,
  job: GroupJob,
  runId: string,
  t: ResolvedTarget,
  c: BenchmarkConfig,
  tier: number,
  runNumber: number,
  o: Outcome,
) {
  // Skipped tiers are stored as run −1 so history shows them; they are never aggregated.
  const storedRun = o.ok || !o.skipped ? runNumber : -1;
  const inserted = await storeRow(db, runId, t, tier, storedRun, o);
  if (!inserted) return hub.jobStatus(job.jobId);
  const view = resultView(t, tier, runNumber, c.runs, {
    success: o.ok,
    skipped: !o.ok && Boolean(o.skipped),
    error: o.ok ? null : (o.skipped ?? o.error!.message),
    error_class: o.ok || o.skipped ? null : o.error!.cls,
    m: o.ok ? o.metrics : null,
  });
  await hub.publish({ type: "benchmark_result", job_id: job.jobId, data: view });
  const units = o.ok || !o.skipped ? 1 : c.runs;
  const failure = !o.ok && !o.skipped ? { cls: o.error!.cls, message: o.error!.message } : undefined;
  return hub.jobProgress(job.userId, job.jobId, units, `${t.modelName} · run ${runNumber}/${c.runs} · ${tier} ctx`, failure);
}
