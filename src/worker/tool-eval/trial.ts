/**
 * One tuner trial: a suite case run on a target with given sampling settings and system prompt, scored, with its
 * tokens and cost. Shared by the parameter tuner (settings vary), the prompt tuner (the prompt varies) and
 * `llm-bench tune` (in Node, hence no storage here); a failed call is a trial with an error, never an exception,
 * so a tune records it and goes on.
 */

import type { CallErrorClass as ErrorClass } from "../../shared/call-errors.ts";
import { scoreCase } from "../../shared/scoring/index.ts";
import { caseExpectation, caseTools, type Suite, type SuiteCase } from "../../shared/scoring/suite.ts";
import type { ScorerName, Tool } from "../../shared/scoring/types.ts";
import { toPlain } from "../../shared/scoring/values.ts";
import { callParams } from "../llm/call-params.ts";
import { LlmError } from "../llm/errors.ts";
import type { LlmTarget } from "../llm/stream.ts";
import type { ToolChoice } from "../llm/tool-call.ts";
import { trialCost } from "../llm/usage.ts";
import { type CaseInput, providerTools, runCase } from "./run-case.ts";

/** What a tune stores with its plan and needs to run a case again: the suite as it was when the tune started. */
export interface TrialSuite {
  suiteName: string;
  tools: Record<string, unknown>[];
  nameMap: Record<string, string> | null;
  suiteSystemPrompt: string | null;
  scorer: ScorerName;
  maxTokens: number;
  timeoutS: number;
}

/** The suite fields a tune's stored plan keeps, as the trial runner wants them. */
export function trialSuiteOf(
  suiteName: string,
  plan: {
    tools: Record<string, unknown>[];
    name_map: Record<string, string> | null;
    suite_system_prompt: string | null;
    scorer: ScorerName;
    max_tokens: number;
    timeout_s: number;
  },
): TrialSuite {
  return {
    suiteName,
    tools: plan.tools,
    nameMap: plan.name_map,
    suiteSystemPrompt: plan.suite_system_prompt,
    scorer: plan.scorer,
    maxTokens: plan.max_tokens,
    timeoutS: plan.timeout_s,
  };
}

export interface TrialSettings {
  temperature: number;
  toolChoice: ToolChoice;
  providerParams?: Record<string, unknown>;
  /** The tune's system prompt (replaces the model's own prompt when given). */
  systemPrompt: string | null;
}

export interface TrialOutcome {
  score: number;
  toolScore: number | null;
  paramScore: number | null;
  passed: boolean;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  actualCalls: Record<string, unknown> | null;
  errorClass: ErrorClass | null;
  error: string | null;
}

/** What a trial needs of its model: the parameter rules' inputs, its own system prompt and its prices. */
export interface TrialTarget {
  providerKey: string;
  modelId: string;
  skipParams: string[];
  systemPrompt: string | null;
  inputCostPerMtok: number | null;
  outputCostPerMtok: number | null;
}

/** The suite as the scorers want it (its cases are passed one at a time). */
export function scoringSuiteOf(suite: TrialSuite): Suite {
  return {
    name: suite.suiteName,
    tools: suite.tools as unknown as Tool[],
    test_cases: [],
    ...(suite.nameMap ? { name_map: suite.nameMap } : {}),
  };
}

/**
 * One case run on one target with the given settings and scored. `llm` is asked for inside, so a key that cannot
 * be read is a failed trial like any other provider failure.
 */
export async function scoredTrial(
  llm: () => Promise<LlmTarget>,
  target: TrialTarget,
  c: { view: CaseInput; model: SuiteCase },
  suite: TrialSuite,
  settings: TrialSettings,
  signal: AbortSignal,
): Promise<TrialOutcome> {
  try {
    const params = callParams(target, {
      temperature: settings.temperature,
      maxTokens: suite.maxTokens,
      providerParams: settings.providerParams ?? {},
    }).params;
    const system = [suite.suiteSystemPrompt, settings.systemPrompt ?? target.systemPrompt]
      .filter((p): p is string => Boolean(p?.trim()))
      .join("\n\n");
    const { tools, nameMap: renamed } = providerTools(caseTools(scoringSuiteOf(suite), c.model));
    const nameMap = { ...(suite.nameMap ?? {}), ...renamed };
    const res = await runCase(
      await llm(),
      c.view,
      c.model,
      system || null,
      tools,
      nameMap,
      { timeout_s: suite.timeoutS, tool_choice: settings.toolChoice },
      params,
      signal,
    );
    const score = scoreCase(suite.scorer, {
      tools: tools as unknown as Tool[],
      expectation: caseExpectation(c.model),
      output: { calls: res.calls, chain: res.chain, rounds_used: res.rounds },
      name_map: nameMap,
    });
    const usage = res.usage;
    return {
      score: score.overall,
      toolScore: score.tool_selection,
      paramScore: score.param_accuracy,
      passed: score.passed,
      latencyMs: res.latencies.reduce((a, b) => a + b, 0),
      inputTokens: usage.input,
      outputTokens: usage.output,
      costUsd: trialCost(target, usage),
      actualCalls: toPlain({ calls: res.calls, chain: res.chain ?? null }) as Record<string, unknown>,
      errorClass: null,
      error: null,
    };
  } catch (err) {
    const failure = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
    return {
      score: 0,
      toolScore: null,
      paramScore: null,
      passed: false,
      latencyMs: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      actualCalls: null,
      errorClass: failure.cls,
      error: failure.message,
    };
  }
}
