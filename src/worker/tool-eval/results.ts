/** Eval result rows: one per run × case × model, stored as each case finishes; the view events and history share. */
import { eq } from "drizzle-orm";
import { failureHint } from "../../shared/call-errors.ts";
import type { ActualCall, CaseScore } from "../../shared/scoring/types.ts";
import { toPlain } from "../../shared/scoring/values.ts";
import type { Db } from "../db/client.ts";
import { toolEvalResults } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import type { LlmError } from "../llm/errors.ts";
import type { ResolvedTarget } from "../llm/targets.ts";
import { trialCost } from "../llm/usage.ts";
import type { CaseRun } from "./run-case.ts";
import type { CaseView } from "./store.ts";

export const resultKey = (caseId: string | null, providerKey: string, modelId: string) => `${caseId}\u0000${providerKey}\u0000${modelId}`;

export async function storedResultKeys(db: Db, runId: string): Promise<Set<string>> {
  const rows = await db
    .select({ caseId: toolEvalResults.testCaseId, providerKey: toolEvalResults.providerKey, modelId: toolEvalResults.modelId })
    .from(toolEvalResults)
    .where(eq(toolEvalResults.evalRunId, runId));
  return new Set(rows.map((r) => resultKey(r.caseId, r.providerKey, r.modelId)));
}

export type ResultRow = typeof toolEvalResults.$inferInsert;

export function resultRow(runId: string, c: CaseView, t: ResolvedTarget, o: { score: CaseScore; res: CaseRun } | { error: LlmError }): ResultRow {
  const base = {
    id: newId(),
    evalRunId: runId,
    testCaseId: c.id,
    modelRef: t.modelRef,
    providerKey: t.providerKey,
    providerName: t.providerName,
    modelId: t.modelId,
    modelName: t.modelName,
    category: c.category,
  };
  if ("error" in o) {
    return {
      ...base,
      success: false,
      formatCompliance: "FAIL",
      errorType: "invalid_invocation",
      errorClass: o.error.cls,
      error: o.error.message,
      errorHost: o.error.host,
    };
  }
  const { score, res } = o;
  const sorted = [...res.latencies].sort((a, b) => a - b);
  return {
    ...base,
    success: true,
    toolSelectionScore: score.tool_selection,
    paramAccuracy: score.param_accuracy,
    overallScore: score.overall,
    irrelevanceScore: score.irrelevance,
    scoreParts: toPlain(score) as Record<string, unknown>,
    actualCalls: toPlain({ calls: res.calls, chain: res.chain ?? null }) as Record<string, unknown>,
    formatCompliance:
      res.format === "NORMALIZED" ? "NORMALIZED" : score.calls.length || !score.should_call_tool ? "PASS" : res.calls.length ? "PASS" : "FAIL",
    errorType: score.passed ? null : (score.error?.code ?? "unclassified"),
    latencyMs: sorted[Math.floor((sorted.length - 1) / 2)] ?? null, // per call (median over the case's rounds)
    rounds: res.rounds,
    // Usage-based cost at the model's price when the case ran, and what served it: a schedule's regression check
    // names a price change or a new build from these (schedules/alerts.ts).
    inputTokens: res.usage.input,
    outputTokens: res.usage.output,
    costUsd: trialCost(t, res.usage),
    servedModel: res.served.model,
    systemFingerprint: res.served.system_fingerprint,
    rawRequest: res.rawRequest as Record<string, unknown>,
    rawResponse: res.rawResponse as Record<string, unknown>,
  };
}

export function resultEvent(r: ResultRow, c: Pick<CaseView, "id" | "prompt" | "expected_tool" | "expected_params" | "should_call_tool">) {
  const stored = (r.actualCalls ?? null) as { calls?: ActualCall[]; chain?: ActualCall[] | null } | null;
  const calls = stored?.calls ?? [];
  const provider = r.providerName ?? r.providerKey;
  const failed = !r.success;
  return {
    test_case_id: c.id,
    prompt: c.prompt,
    provider_key: r.providerKey,
    provider,
    model_id: r.modelId,
    model_name: r.modelName,
    category: r.category ?? null,
    expected_tool: c.expected_tool,
    expected_params: c.expected_params,
    actual_tool: calls[0]?.name ?? null,
    actual_params: calls[0]?.arguments ?? null,
    actual_calls: calls,
    /** Multi-turn: one call per round, in order (null for single-turn cases). */
    actual_chain: stored?.chain ?? null,
    should_call_tool: c.should_call_tool,
    success: r.success ?? false,
    tool_selection_score: r.toolSelectionScore ?? null,
    param_accuracy: r.paramAccuracy ?? null,
    overall_score: r.overallScore ?? null,
    irrelevance_score: r.irrelevanceScore ?? null,
    passed: Boolean((r.scoreParts as CaseScore | undefined)?.passed),
    format_compliance: r.formatCompliance ?? null,
    error_type: r.errorType ?? null,
    error: r.error ?? null,
    error_class: failed ? (r.errorClass ?? null) : null,
    error_host: failed ? (r.errorHost ?? null) : null,
    error_hint: failed ? failureHint(r.errorClass, { provider, host: r.errorHost }) : null,
    latency_ms: r.latencyMs ?? null,
    rounds: r.rounds ?? null,
  };
}
