/** Benchmark result rows: stored as each run finishes, and the one view of a row that events and history share. */
import { eq } from "drizzle-orm";
import { failureHint } from "../../shared/call-errors.ts";
import type { BenchmarkResult } from "../../shared/events.ts";
import type { RunMetrics } from "../../shared/metrics.ts";
import { type Db, insertDespiteDeletions } from "../db/client.ts";
import { benchmarkResults } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import type { ResolvedTarget } from "../llm/targets.ts";

import type { Outcome } from "./measure.ts";

export type { Outcome } from "./measure.ts";

type TargetNames = Pick<ResolvedTarget, "providerName" | "providerKey" | "modelName" | "modelId">;

/** A stored row's identity: run 0 at tier 0 is the warm-up, run −1 a skipped tier. */
export const resultKey = (t: Pick<ResolvedTarget, "providerKey" | "modelId">, tier: number, run: number) =>
  `${t.providerKey}\u0000${t.modelId}\u0000${tier}\u0000${run}`;

/** Every row already stored for the run (one read per group, so a redelivered group skips them). */
export async function storedResultKeys(db: Db, runId: string): Promise<Set<string>> {
  const rows = await db
    .select({
      providerKey: benchmarkResults.providerKey,
      modelId: benchmarkResults.modelId,
      tier: benchmarkResults.contextTokens,
      run: benchmarkResults.runNumber,
    })
    .from(benchmarkResults)
    .where(eq(benchmarkResults.runId, runId));
  return new Set(rows.map((r) => resultKey(r, r.tier, r.run)));
}

const roundUs = (ms: number) => Math.round(ms * 1000) / 1000;

/** Inserts the row; false when it already existed (a redelivered message) or its run was deleted meanwhile. */
export async function storeRow(db: Db, runId: string, t: ResolvedTarget, tier: number, runNumber: number, o: Outcome): Promise<boolean> {
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
    errorHost: o.ok || o.skipped ? null : o.error!.host,
    timings: o.ok
      ? {
          arrivals_ms: o.arrivals.map(roundUs),
          finish_ms: o.finishArrival === null ? null : roundUs(o.finishArrival),
          // which model build answered (OpenAI-style providers): schedules' alerts name a change as a likely cause
          ...(o.served ? { served: o.served } : {}),
        }
      : null,
  };
  const insert = async (v: typeof values) =>
    (await db.insert(benchmarkResults).values(v).onConflictDoNothing().returning({ id: benchmarkResults.id })).length === 1;
  return insertDespiteDeletions(
    () => insert(values),
    () => insert({ ...values, modelRef: null }),
  );
}

export function resultView(
  t: TargetNames,
  tier: number,
  run: number,
  runs: number,
  o: { success: boolean; skipped?: boolean; error: string | null; error_class: string | null; error_host: string | null; m: RunMetrics | null },
): BenchmarkResult {
  const m = o.m;
  const failed = !o.success && !o.skipped;
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
    error_class: failed ? o.error_class : null,
    error_host: failed ? o.error_host : null,
    error_hint: failed ? failureHint(o.error_class, { provider: t.providerName, host: o.error_host }) : null,
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
