/**
 * Tool-calling evaluation, one provider group per queue message: each model of the group runs every case in
 * order (non-streaming calls with tools), multi-turn cases loop with the case's mock tool responses, and every
 * result is scored, stored as a row (unique per run × case × model, so redelivery adds nothing) and streamed.
 */
import { watchCancellation } from "../benchmark/engine.ts";
import { inList } from "../db/in-list.ts";
import { and, eq } from "drizzle-orm";
import { insertDespiteDeletions, makeDb, type Db } from "../db/client.ts";
import { toolEvalResults, toolEvalRuns, toolTestCases } from "../db/schema.ts";
import { hubFor } from "../lib/hub.ts";
import { newId } from "../lib/ids.ts";
import { LlmError } from "../llm/errors.ts";
import { callWithTools, type ChatMessage, type FunctionTool, type ToolCallResult } from "../llm/tool-call.ts";
import type { LlmTarget } from "../llm/stream.ts";
import { llmTargetFor, resolveTargets, type ResolvedTarget } from "../llm/targets.ts";
import { callParams } from "../llm/call-params.ts";
import { buildNameMap } from "../../shared/scoring/names.ts";
import { scoreCase } from "../../shared/scoring/index.ts";
import type { ActualCall, CaseScore, Tool } from "../../shared/scoring/types.ts";
import { caseExpectation, caseTools, type Suite, type SuiteCase } from "../../shared/scoring/suite.ts";
import { caseToModel } from "./suite-model.ts";
import { parseArguments, toPlain } from "../../shared/scoring/values.ts";
import { EvalConfigSchema, systemPromptFor, type EvalConfig } from "./eval-config.ts";
import { caseOut, type CaseOut } from "./store.ts";
import type { GroupJob } from "../benchmark/engine.ts";

type Hub = ReturnType<typeof hubFor>;

/** Suite tools with provider-safe names (BFCL's dotted names become `_`), and the way back. */
export function providerTools(tools: Tool[]) {
  const { toProvider, providerToOriginal } = buildNameMap(tools.map((t) => t.function.name));
  const mapped: FunctionTool[] = tools.map((t) => ({ type: "function", function: { ...t.function, name: toProvider.get(t.function.name)! } }));
  return { tools: mapped, nameMap: providerToOriginal };
}

interface CaseRun {
  calls: ActualCall[];
  chain?: ActualCall[];
  rounds: number;
  first: ToolCallResult;
  /** As sent and received, keys excluded. Multi-turn: the last request (it carries the whole conversation) and every round's response. */
  rawRequest: unknown;
  rawResponse: unknown;
  latencies: number[];
  format: "PASS" | "NORMALIZED";
}

async function runCase(llm: LlmTarget, c: CaseOut, model: SuiteCase, system: string | null, tools: FunctionTool[], nameMap: Record<string, string>, config: EvalConfig, params: Record<string, unknown>, signal: AbortSignal): Promise<CaseRun> {
  const messages: ChatMessage[] = [];
  const caseSystem = [system, model.system_prompt].filter((p): p is string => Boolean(p?.trim())).join("\n\n");
  if (caseSystem) messages.push({ role: "system", content: caseSystem });
  messages.push({ role: "user", content: c.prompt });
  const request = { tools, params, timeoutMs: config.timeout_s * 1000, signal };
  const first = await callWithTools(llm, { ...request, messages, toolChoice: config.tool_choice });
  // Lossless parse for scoring: `5.0` must stay a float so the bfcl scorer can tell it from an int.
  const toActual = (r: ToolCallResult): ActualCall[] =>
    r.calls.map((call) => ({ name: call.name, arguments: typeof call.arguments === "string" ? call.arguments : parseArguments(call.rawArguments) }));
  if (!c.multi_turn) {
    return { calls: toActual(first), rounds: 1, first, rawRequest: first.rawRequest, rawResponse: first.rawResponse, latencies: [first.latencyMs], format: first.format };
  }
  // Multi-turn: answer every call with the case's mock response and let the model continue, up to max_rounds.
  const chain: ActualCall[] = [];
  const latencies = [first.latencyMs];
  const responses = [first.rawResponse];
  let format = first.format;
  let current = first;
  let lastWithCalls = first;
  let rounds = 1;
  for (;;) {
    if (!current.calls.length) break;
    lastWithCalls = current;
    chain.push(...toActual(current).slice(0, 1)); // one hop per round, as the original counts them
    if (rounds >= c.max_rounds) break;
    messages.push({ role: "assistant", content: current.content, tool_calls: current.calls.map((k) => ({ id: k.id, name: k.name, arguments: k.rawArguments })) });
    for (const k of current.calls) {
      const original = nameMap[k.name] ?? k.name;
      const mock = c.mock_responses[original] ?? c.mock_responses[k.name] ?? { status: "ok" };
      messages.push({ role: "tool", tool_call_id: k.id, name: k.name, content: typeof mock === "string" ? mock : JSON.stringify(mock) });
    }
    current = await callWithTools(llm, { ...request, messages, toolChoice: "auto" });
    latencies.push(current.latencyMs);
    responses.push(current.rawResponse);
    if (current.format === "NORMALIZED") format = "NORMALIZED";
    rounds += 1;
  }
  // The case's actual call is the chain's last one (the original's rule), not the closing text reply.
  return { calls: toActual(lastWithCalls), chain, rounds, first, rawRequest: current.rawRequest, rawResponse: { rounds: responses }, latencies, format };
}

/** The speed engine's cancellation watch, as an AbortSignal for the SDK calls. */
function watch(hub: Hub, job: GroupJob) {
  const controller = new AbortController();
  const w = watchCancellation(hub, job);
  void w.cancelled.then(() => controller.abort());
  return { signal: controller.signal, stop: w.stop };
}

export async function runToolEvalGroup(env: Env, job: GroupJob): Promise<void> {
  const db = makeDb(env.DB);
  const hub = hubFor(env, job.userId);
  const summary = await hub.jobSummary(job.jobId);
  if (!summary || summary.status !== "running" || !summary.result_ref) return;
  const run = await db.select().from(toolEvalRuns).where(and(eq(toolEvalRuns.id, summary.result_ref), eq(toolEvalRuns.userId, job.userId))).get();
  if (!run) {
    await hub.jobGroupFinished(job.userId, job.jobId, job.groupKey, { ok: false, error: "Eval run not found" });
    return;
  }
  const config = EvalConfigSchema.parse(run.config);
  const { found } = await resolveTargets(db, job.userId, config.targets.filter((t) => t.provider_key === job.groupKey));
  const caseRows = run.suiteId && config.case_ids.length
    ? await db.select().from(toolTestCases).where(and(eq(toolTestCases.suiteId, run.suiteId), inList(toolTestCases.id, config.case_ids)))
    : [];
  const order = new Map(config.case_ids.map((id, i) => [id, i]));
  const sortedRows = [...caseRows].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const cases = sortedRows.map((row) => ({ view: caseOut(row), model: caseToModel(row) }));
  const suite: Suite = { name: run.suiteName, tools: config.tools as unknown as Tool[], test_cases: [], ...(config.name_map ? { name_map: config.name_map } : {}) };
  const w = watch(hub, job);
  // Redelivered messages skip what is already stored (one read per group, not per case).
  const done = await storedResultKeys(db, run.id);
  let ok = 0;
  let attempted = 0;
  try {
    for (const target of found) {
      let llm: LlmTarget | null = null;
      let keyError: LlmError | null = null;
      try {
        llm = await llmTargetFor(env, db, job.userId, target);
      } catch (err) {
        keyError = err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read");
      }
      const params = callParams(target, { temperature: config.temperature, maxTokens: config.max_tokens, providerParams: config.provider_params }).params;
      const system = systemPromptFor(config, target.providerKey, target.modelId, target.systemPrompt);
      for (const [index, { view: c, model: sc }] of cases.entries()) {
        if (w.signal.aborted) return;
        if (done.has(resultKey(c.id, target.providerKey, target.modelId))) continue;
        await hub.publish({
          type: "tool_eval_progress",
          job_id: job.jobId,
          data: { current: index + 1, total: cases.length, model: target.modelName, model_id: target.modelId, provider_key: target.providerKey, test_case: c.prompt.slice(0, 120) },
        });
        attempted += 1;
        let row: ResultRow;
        let failure: LlmError | null = null;
        try {
          if (!llm) throw keyError!;
          // The case's tools (BFCL cases may offer a subset or redefine one), with provider-safe names.
          const { tools, nameMap: renamed } = providerTools(caseTools(suite, sc));
          const nameMap = { ...(config.name_map ?? {}), ...renamed };
          const res = await runCase(llm, c, sc, system, tools, nameMap, config, params, w.signal);
          const score = scoreCase(config.scorer, {
            tools: tools as unknown as Tool[],
            expectation: caseExpectation(sc),
            output: { calls: res.calls, chain: res.chain, rounds_used: res.rounds },
            name_map: nameMap,
          });
          ok += 1;
          row = resultRow(run.id, c, target, { score, res });
        } catch (err) {
          if (w.signal.aborted) return;
          failure = err instanceof LlmError ? err : new LlmError("network", "Unexpected failure");
          row = resultRow(run.id, c, target, { error: failure });
        }
        const insert = async (r: ResultRow) => (await db.insert(toolEvalResults).values(r).onConflictDoNothing().returning({ id: toolEvalResults.id })).length === 1;
        // The case or model may be deleted mid-run: store the row without those references (names are snapshots).
        if (!(await insertDespiteDeletions(() => insert(row), () => insert({ ...row, testCaseId: null, modelRef: null })))) continue;
        await hub.publish({ type: "tool_eval_result", job_id: job.jobId, data: resultEvent(row, c) });
        const detail = `${target.modelName} · case ${index + 1}/${cases.length}`;
        const status = await hub.jobProgress(job.userId, job.jobId, 1, detail, failure ? { cls: failure.cls, message: failure.message } : undefined);
        if (status !== "running") return;
      }
    }
  } finally {
    w.stop();
  }
  await hub.jobGroupFinished(job.userId, job.jobId, job.groupKey, attempted === 0 || ok > 0 ? { ok: true } : { ok: false, error: "every call failed" });
}

const resultKey = (caseId: string | null, providerKey: string, modelId: string) => `${caseId}\u0000${providerKey}\u0000${modelId}`;

async function storedResultKeys(db: Db, runId: string): Promise<Set<string>> {
  const rows = await db
    .select({ caseId: toolEvalResults.testCaseId, providerKey: toolEvalResults.providerKey, modelId: toolEvalResults.modelId })
    .from(toolEvalResults)
    .where(eq(toolEvalResults.evalRunId, runId));
  return new Set(rows.map((r) => resultKey(r.caseId, r.providerKey, r.modelId)));
}

type ResultRow = typeof toolEvalResults.$inferInsert;

function resultRow(runId: string, c: CaseOut, t: ResolvedTarget, o: { score: CaseScore; res: CaseRun } | { error: LlmError }): ResultRow {
  const base = {
    id: newId(),
    evalRunId: runId,
    testCaseId: c.id,
    modelRef: t.modelRef,
    providerKey: t.providerKey,
    modelId: t.modelId,
    modelName: t.modelName,
    category: c.category,
  };
  if ("error" in o) {
    return { ...base, success: false, formatCompliance: "FAIL", errorType: "invalid_invocation", errorClass: o.error.cls, error: o.error.message };
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
    formatCompliance: res.format === "NORMALIZED" ? "NORMALIZED" : score.calls.length || !score.should_call_tool ? "PASS" : res.calls.length ? "PASS" : "FAIL",
    errorType: score.passed ? null : (score.error?.code ?? "unclassified"),
    latencyMs: sorted[Math.floor((sorted.length - 1) / 2)] ?? null, // per call (median over the case's rounds)
    rounds: res.rounds,
    rawRequest: res.rawRequest as Record<string, unknown>,
    rawResponse: res.rawResponse as Record<string, unknown>,
  };
}

export function resultEvent(r: ResultRow, c: Pick<CaseOut, "id" | "prompt" | "expected_tool" | "expected_params" | "should_call_tool">) {
  const stored = (r.actualCalls ?? null) as { calls?: ActualCall[]; chain?: ActualCall[] | null } | null;
  const calls = stored?.calls ?? [];
  return {
    test_case_id: c.id,
    prompt: c.prompt,
    provider_key: r.providerKey,
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
    latency_ms: r.latencyMs ?? null,
    rounds: r.rounds ?? null,
  };
}
