/**
 * The request flow shared by both protocols: auth, validation, profile, faults, script, then a
 * reply sent on an absolute schedule, with every write stamped into the send log.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { decideCalls } from "./caller/caller.ts";
import type { Admission, CapacityStore } from "./capacity.ts";
import { sleepUntil, untilAborted } from "./clock.ts";
import { DEFAULT_FINGERPRINT, type DriftStore, type WebhookInbox } from "./drift.ts";
import { readJson, sendJson } from "./http.ts";
import { judgeAnswer } from "./judge/judge.ts";
import { buildPlan } from "./plan.ts";
import type { PrefixCache } from "./prefix-cache.ts";
import { callerSeed, parseModelId, writerSeed } from "./profile.ts";
import { type ErrorKind, errorKindOf, type ProtocolAdapter, type RenderContext, randomId, STATUS_OF } from "./protocol.ts";
import { type ModelCounters, SCRIPT_ID, type ScriptStore } from "./scripts.ts";
import { addChunk, type ChunkKind, nowMs, type SendLog, type SendRecord } from "./send-log.ts";
import { writerAnswer } from "./writer/writer.ts";

const RATE_LIMITED_MESSAGE = "Rate limit reached for this simulated model (rps limit of its capacity model). Please try again in 1s.";

/** The key tests use to get a 401 without a fault option. */
export const BAD_KEY = "sk-sim-bad";

/** The one key a `needkey<id>` model accepts. */
export function requiredKeyValue(id: string): string {
  return `sk-sim-${id}`;
}

export interface SimState {
  log: SendLog;
  scripts: ScriptStore;
  counters: ModelCounters;
  prefixCache: PrefixCache;
  /** Injected slowdowns and new builds per model (`/__sim/drift`). */
  drift: DriftStore;
  /** The capacity model's slots and rate windows per model id (slots<n>, rps<n>). */
  capacity: CapacityStore;
  /** Test webhook receivers (`/__sim/webhooks/<id>`). */
  webhooks: WebhookInbox;
  /** True once close() started, so dropped connections are logged as server_closed. */
  isClosing(): boolean;
  verbose: boolean;
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const FAULT_MESSAGES: Record<number, string> = {
  400: "Simulated bad request (fault400).",
  401: "Incorrect API key provided (simulated fault401).",
  429: "Rate limit reached for this simulated model (fault429). Please try again in 2s.",
  500: "The server had an error while processing your request (simulated fault500).",
};

/** Picks the caller's x-sim-request-id when it is usable, otherwise makes one. */
export function requestIdFrom(req: IncomingMessage): string {
  const wanted = req.headers["x-sim-request-id"];
  return typeof wanted === "string" && REQUEST_ID.test(wanted) ? wanted : randomId("simreq_", 20);
}

export async function handleLlmRequest(adapter: ProtocolAdapter, req: IncomingMessage, res: ServerResponse, state: SimState): Promise<void> {
  // Receipt time is the origin of the whole schedule: take it before anything else.
  const receivedAt = nowMs();
  const requestId = requestIdFrom(req);
  res.setHeader("x-sim-request-id", requestId);
  res.setHeader(adapter.protocol === "openai" ? "x-request-id" : "request-id", requestId);
  const record = state.log.begin({ request_id: requestId, protocol: adapter.protocol, received_at: receivedAt });

  const abort = new AbortController();
  // A client that vanishes mid-stream is an expected event here, not a crash.
  req.on("error", () => {});
  res.on("error", () => {});
  res.on("close", () => {
    if (record.outcome === "in_progress") record.outcome = state.isClosing() ? "server_closed" : "client_closed";
    record.ended_at ??= nowMs();
    abort.abort();
    if (state.verbose) logLine(record);
  });

  const fail = (kind: ErrorKind, message: string, headers: Record<string, string> = {}) => {
    const status = STATUS_OF[kind];
    const before = nowMs();
    sendJson(res, status, adapter.errorBody(kind, message), headers);
    const sentAt = nowMs();
    addChunk(record, { sent_at: sentAt, target_at: before, tokens: 0, kind: "error" });
    record.status = status;
    record.outcome = "error";
    record.ended_at = sentAt;
  };

  let body: unknown;
  try {
    const read = await readJson(req);
    if (!read.ok) return fail("invalid", read.message);
    body = read.value;
  } catch {
    return; // the client went away while sending the body
  }

  const key = adapter.apiKey(req.headers);
  if (key === undefined) {
    return fail("auth", adapter.protocol === "openai" ? "Missing API key: send 'Authorization: Bearer <key>'." : "x-api-key header is required");
  }
  if (key === BAD_KEY) return fail("auth", "Incorrect API key provided.");

  const parsed = adapter.parse(body);
  if (!parsed.ok) return fail("invalid", parsed.message);
  const request = parsed.request;
  record.model = request.model;
  record.stream = request.stream;
  record.input_tokens = request.inputTokens;

  const profiled = parseModelId(request.model);
  if (!profiled.ok) return fail(errorKindOf(profiled.status), profiled.message);
  let profile = profiled.profile;
  const drift = state.drift.get(profile.model);
  if (drift?.ttft_add_ms) profile = { ...profile, ttftMs: profile.ttftMs + drift.ttft_add_ms };
  if (profile.requiredKey !== null && key !== requiredKeyValue(profile.requiredKey)) {
    return fail("auth", "Incorrect API key provided (this simulated model accepts only its own key).");
  }
  record.profile = { ttft_ms: profile.ttftMs, tps: profile.tps, gap_ms: profile.gapMs, chunk: profile.chunk };

  // faultAfter<k>: count every request per exact model id; the first k get through.
  const ordinal = state.counters.hit(profile.model);
  if (profile.statusFault !== null && (profile.faultAfter === null || ordinal > profile.faultAfter)) {
    const headers: Record<string, string> = profile.statusFault === 429 ? { "retry-after": "2" } : {};
    return fail(errorKindOf(profile.statusFault), FAULT_MESSAGES[profile.statusFault] as string, headers);
  }

  // slots<n> / rps<n>: the capacity model (capacity.ts) may refuse the request, or queue and slow it.
  let admission: Admission | null = null;
  if (profile.slots !== null || profile.rpsLimit !== null) {
    const admitted = state.capacity.admit(profile, receivedAt);
    if (!admitted.ok) return fail("rate_limit", RATE_LIMITED_MESSAGE, { "retry-after": "1" });
    admission = admitted;
    const f = admitted.factor;
    profile = { ...profile, ttftMs: admitted.waitMs + profile.ttftMs * f, gapMs: profile.gapMs * f, tps: profile.tps / f };
    record.profile = { ttft_ms: profile.ttftMs, tps: profile.tps, gap_ms: profile.gapMs, chunk: profile.chunk };
  }

  if (profile.noRequired && request.toolChoice.mode === "required") {
    return fail("invalid", "tool_choice 'required' is not supported by this model; use 'auto'.");
  }

  const scriptId = profile.script ?? headerScript(req);
  if (scriptId === "") return fail("invalid", "x-sim-script must be 1-64 letters or digits.");
  const script = scriptId === undefined ? undefined : state.scripts.take(scriptId);
  if (scriptId !== undefined && script === undefined) {
    return fail("invalid", `Unknown simulator script '${scriptId}'. Create it first with POST /__sim/scripts.`);
  }

  // cache<ms>: a prompt prefix this model id has served before skips prefill.
  if (profile.cacheMs !== null) {
    const hit = state.prefixCache.visit(profile.model, request.promptPrefix);
    record.prefix_cache = hit ? "hit" : "miss";
    if (hit) {
      profile = { ...profile, ttftMs: profile.cacheMs };
      record.profile.ttft_ms = profile.ttftMs;
    }
  }

  // The writer answers prompt-generation requests; anything else it leaves to the caller or the default reply.
  // So does the judge with judge requests.
  const written =
    (profile.writer && script === undefined
      ? writerAnswer(
          { system: request.conversation.system, user: request.conversation.user, responseFormat: request.responseFormat },
          writerSeed(profile),
          profile.writerFormat,
        )
      : null) ??
    (profile.judge && script === undefined ? judgeAnswer(request.conversation.user, { format: profile.judgeFormat, biased: profile.biased }) : null);
  // A realistic caller decides the calls unless a script does (the script always wins).
  const decided =
    profile.caller !== null && script === undefined && written === null
      ? decideCalls(
          { tools: request.tools, choice: request.toolChoice, conversation: request.conversation, sampling: request.sampling },
          profile.caller,
          callerSeed(profile),
        ).calls
      : undefined;
  const plan = buildPlan({
    profile,
    maxTokens: request.maxTokens,
    script,
    tools: request.tools,
    toolChoice: request.toolChoice,
    lastMessageIsToolResult: request.lastMessageIsToolResult,
    ...(decided ? { decided } : {}),
    ...(written !== null ? { written } : {}),
    newToolCallId: adapter.newToolCallId,
  });
  record.finish_reason = plan.finish;
  admission?.hold(request.stream && !profile.noStream ? plan.finishOffsetMs : plan.nonStreamMs);
  const ctx: RenderContext = {
    plan,
    profile,
    request,
    responseId: adapter.newResponseId(),
    created: Math.floor(Date.now() / 1000),
    fingerprint: drift?.system_fingerprint ?? DEFAULT_FINGERPRINT,
  };

  if (profile.hang) return hang(res, record, abort.signal);
  // noStream: a server that ignores `stream: true` answers with the whole JSON reply.
  if (request.stream && !profile.noStream) return stream(adapter, ctx, req, res, record, abort.signal);
  return complete(adapter, ctx, req, res, record, abort.signal);
}

/** Accepts the request and never answers: headers only when streaming, nothing otherwise. */
async function hang(res: ServerResponse, record: SendRecord, signal: AbortSignal): Promise<void> {
  if (record.stream) {
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    record.status = 200;
  }
  await untilAborted(signal);
}

async function stream(
  adapter: ProtocolAdapter,
  ctx: RenderContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: SendRecord,
  signal: AbortSignal,
): Promise<void> {
  const steps = adapter.streamSteps(ctx);
  // Headers go out at receipt, as real providers do; TTFT is about the first output event.
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  record.status = 200;
  for (const step of steps) {
    const target = record.received_at + step.offsetMs;
    if (!(await sleepUntil(target, signal))) return;
    if ("destroy" in step) {
      record.outcome = "disconnected";
      record.finish_reason = null;
      record.ended_at = nowMs();
      req.socket.destroy();
      return;
    }
    res.write(step.payload);
    flushNow(res);
    const sentAt = nowMs();
    addChunk(record, { sent_at: sentAt, target_at: target, tokens: step.tokens, kind: step.kind, ...(step.events ? { events: step.events } : {}) });
  }
  res.end();
  record.outcome = "completed";
  record.ended_at = nowMs();
}

async function complete(
  adapter: ProtocolAdapter,
  ctx: RenderContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: SendRecord,
  signal: AbortSignal,
): Promise<void> {
  const { plan, profile } = ctx;
  if (plan.disconnect) {
    if (!(await sleepUntil(record.received_at + plan.disconnect.nonStreamMs, signal))) return;
    record.outcome = "disconnected";
    record.finish_reason = null;
    record.ended_at = nowMs();
    req.socket.destroy();
    return;
  }
  const target = record.received_at + plan.nonStreamMs;
  if (!(await sleepUntil(target, signal))) return;
  const malformed = profile.malformedAfter !== null;
  const text = malformed ? adapter.malformedComplete(ctx) : JSON.stringify(adapter.complete(ctx));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
  const sentAt = nowMs();
  record.status = 200;
  const kind: ChunkKind = malformed ? "error" : plan.toolCalls.length > 0 ? "tool" : "text";
  addChunk(record, { sent_at: sentAt, target_at: target, tokens: malformed ? 0 : plan.outputTokens, kind });
  record.outcome = "completed";
  record.ended_at = sentAt;
}

/**
 * node:http corks the socket on res.write and only flushes on the next tick. Uncorking here hands
 * the event to the kernel now, so the stamp taken next is the real send time and a following
 * destroy (disconnect<n>) cannot drop it.
 */
function flushNow(res: ServerResponse): void {
  const socket = res.socket;
  while (socket && socket.writableCorked > 0) socket.uncork();
}

function headerScript(req: IncomingMessage): string | undefined {
  const value = req.headers["x-sim-script"];
  if (typeof value !== "string") return undefined;
  return SCRIPT_ID.test(value) ? value : "";
}

function logLine(r: SendRecord): void {
  const ttft = r.first_output_at === null ? "-" : `${(r.first_output_at - r.received_at).toFixed(1)}ms`;
  console.log(
    `[sim] ${r.protocol} ${r.model ?? "?"} ${r.stream ? "stream" : "json"} ${r.status} ${r.outcome} ttft=${ttft} out=${r.output_tokens} id=${r.request_id}`,
  );
}
