/**
 * One eval case against one model: non-streaming calls with the case's tools; a multi-turn case answers every
 * call with the case's mock response and lets the model go on, up to its max_rounds.
 */

import { buildNameMap } from "../../shared/scoring/names.ts";
import type { SuiteCase } from "../../shared/scoring/suite.ts";
import type { ActualCall, Tool } from "../../shared/scoring/types.ts";
import { parseArguments } from "../../shared/scoring/values.ts";
import type { LlmTarget, ServedBy } from "../llm/stream.ts";
import type { ChatMessage, FunctionTool, ToolCallResult } from "../llm/tool-call.ts";
import { callWithTools } from "../llm/tool-call.ts";
import type { Usage } from "../llm/usage.ts";
import type { EvalConfig } from "./eval-config.ts";

/** Suite tools with provider-safe names (BFCL's dotted names become `_`), and the way back. */
export function providerTools(tools: Tool[]) {
  const { toProvider, providerToOriginal } = buildNameMap(tools.map((t) => t.function.name));
  const mapped: FunctionTool[] = tools.map((t) => ({ type: "function", function: { ...t.function, name: toProvider.get(t.function.name)! } }));
  return { tools: mapped, nameMap: providerToOriginal };
}

export interface CaseRun {
  calls: ActualCall[];
  chain?: ActualCall[];
  rounds: number;
  first: ToolCallResult;
  /** As sent and received, keys excluded. Multi-turn: the last request (it carries the whole conversation) and every round's response. */
  rawRequest: unknown;
  rawResponse: unknown;
  latencies: number[];
  /** Tokens of every round together; a half is null when any round's is unknown. */
  usage: Usage;
  /** What the provider said served the first round (model version, system_fingerprint). */
  served: ServedBy;
  format: "PASS" | "NORMALIZED";
}

const addUsage = (a: Usage, b: Usage): Usage => ({
  input: a.input === null || b.input === null ? null : a.input + b.input,
  output: a.output === null || b.output === null ? null : a.output + b.output,
});

/** The fields of a case (a CaseView, or a suite file's case in the CLI) a run needs. */
export interface CaseInput {
  prompt: string;
  multi_turn: boolean;
  max_rounds: number;
  mock_responses: Record<string, unknown>;
}

export async function runCase(
  llm: LlmTarget,
  c: CaseInput,
  model: SuiteCase,
  system: string | null,
  tools: FunctionTool[],
  nameMap: Record<string, string>,
  config: Pick<EvalConfig, "timeout_s" | "tool_choice">,
  params: Record<string, unknown>,
  signal: AbortSignal,
): Promise<CaseRun> {
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
    return {
      calls: toActual(first),
      rounds: 1,
      first,
      rawRequest: first.rawRequest,
      rawResponse: first.rawResponse,
      latencies: [first.latencyMs],
      usage: first.usage,
      served: first.served,
      format: first.format,
    };
  }
  // Multi-turn: answer every call with the case's mock response and let the model continue, up to max_rounds.
  const chain: ActualCall[] = [];
  const latencies = [first.latencyMs];
  const responses = [first.rawResponse];
  let format = first.format;
  let usage = first.usage;
  let current = first;
  let lastWithCalls = first;
  let rounds = 1;
  for (;;) {
    if (!current.calls.length) break;
    lastWithCalls = current;
    chain.push(...toActual(current).slice(0, 1)); // one hop per round, as the original counts them
    if (rounds >= c.max_rounds) break;
    messages.push({
      role: "assistant",
      content: current.content,
      tool_calls: current.calls.map((k) => ({ id: k.id, name: k.name, arguments: k.rawArguments })),
    });
    for (const k of current.calls) {
      const original = nameMap[k.name] ?? k.name;
      const mock = c.mock_responses[original] ?? c.mock_responses[k.name] ?? { status: "ok" };
      messages.push({ role: "tool", tool_call_id: k.id, name: k.name, content: typeof mock === "string" ? mock : JSON.stringify(mock) });
    }
    current = await callWithTools(llm, { ...request, messages, toolChoice: "auto" });
    latencies.push(current.latencyMs);
    usage = addUsage(usage, current.usage);
    responses.push(current.rawResponse);
    if (current.format === "NORMALIZED") format = "NORMALIZED";
    rounds += 1;
  }
  // The case's actual call is the chain's last one (the original's rule), not the closing text reply.
  return {
    calls: toActual(lastWithCalls),
    chain,
    rounds,
    first,
    rawRequest: current.rawRequest,
    rawResponse: { rounds: responses },
    latencies,
    usage,
    served: first.served,
    format,
  };
}
