/**
 * Model-id grammar of the simulator: `sim` followed by dash-separated options, e.g.
 * `sim-ttft300-tps60-len120`. Pure parsing so the rules can be unit-tested without a server.
 */

import { type CallerName, isCallerName } from "./caller/profiles.ts";
import type { JudgeFormat } from "./judge/judge.ts";
import type { WriterFormat } from "./writer/writer.ts";

export type StatusFault = 400 | 401 | 429 | 500;

export interface SimProfile {
  /** The model id exactly as requested (per-model fault counters key on it). */
  model: string;
  /** Delay from request receipt to the first output-bearing event. */
  ttftMs: number;
  /** Output tokens per second; gapMs = 1000 / tps. */
  tps: number;
  gapMs: number;
  /** Answer tokens for generated text (capped later by max_tokens). */
  len: number;
  /** Tokens per streamed chunk. */
  chunk: number;
  /** Reasoning tokens streamed before the answer. */
  reason: number;
  /** OpenAI: send an empty role-only delta at receipt (Anthropic: message_start at receipt). */
  roleFirst: boolean;
  statusFault: StatusFault | null;
  /** With a status fault: the first `faultAfter` requests for this model id succeed. */
  faultAfter: number | null;
  hang: boolean;
  /** Stream this many output tokens, then destroy the socket. */
  disconnectAfter: number | null;
  /** After this many output tokens, emit one SSE event whose data is not valid JSON. */
  malformedAfter: number | null;
  noUsage: boolean;
  /** Reject tool_choice "required" with a 400, as some providers do (tests the client's fallback to "auto"). */
  noRequired: boolean;
  /**
   * The stop token counts in usage but is never streamed (llama.cpp's llama-server): a reply that ends on its
   * own reports one more output token, and its finish event goes out one gap after the last streamed token,
   * when the stop token is generated. Off: the stop token is not counted and the finish follows at once.
   */
  stopCounted: boolean;
  /** Answer a streaming request with the whole JSON reply (200, application/json), as a server ignoring `stream`. */
  noStream: boolean;
  /** Report 0 output tokens in usage beside the real output, as some OpenAI-compatible servers do. */
  zeroUsage: boolean;
  /** cache<ms>: TTFT of a request whose prompt prefix this model id has served before (a prefix-cache hit). */
  cacheMs: number | null;
  /** Script id selected through the model name (`script<id>`). */
  script: string | null;
  /** Free label that makes a model id unique (fault counters; with a caller option, also the caller's mistakes). */
  tag: string | null;
  /**
   * Realistic tool-caller (careful, sloppy, eager, tunable): reads the request and calls the tool it asks for,
   * with that profile's mistakes. null: the placeholder caller (first tool, placeholder arguments).
   */
  caller: CallerName | null;
  /** writer: a prompt-generation request (one saying `Write exactly N prompts.`) gets prompts as JSON (writer/). */
  writer: boolean;
  /** jsonfenced / jsonbroken: how the writer wraps its JSON (fenced after a sentence, or cut off unparseable). */
  writerFormat: WriterFormat;
  /** judge: a judge request (the app's `<<<CASE`, `<<<COMPARE`, `<<<REPORT`, `<<<SUMMARY` markers) gets verdict JSON (judge/). */
  judge: boolean;
  /** jsonfenced / jsonpartial / jsonbroken: how the judge wraps its JSON (partial: required keys left out). */
  judgeFormat: JudgeFormat;
  /** biased: the judge prefers whichever answer of a comparison is shown first. */
  biased: boolean;
  /** needkey<id>: only the key `sk-sim-<id>` is accepted (any other key → 401), to prove which key a caller sent. */
  requiredKey: string | null;
  /** slots<n>: the capacity model's batch slots (capacity.ts); null = unlimited, no load effects. */
  slots: number | null;
  /** load<pct>: how much TTFT and ITL grow when every slot is busy (α = pct/100); default 100. */
  loadPct: number;
  /** rps<n>: requests admitted per second (sliding 1 s window) before 429s; null = no limit. */
  rpsLimit: number | null;
}

export type ProfileResult = { ok: true; profile: SimProfile } | { ok: false; status: 400 | 404; message: string };

export const DEFAULTS = { ttftMs: 200, tps: 50, len: 64, chunk: 1, reason: 0 } as const;

// Upper bounds keep a typo (e.g. len9999999999) from pinning the server or its memory
// (a stream's events are prepared up front).
const MAX_TTFT_MS = 600_000;
const MAX_TPS = 100_000;
const MAX_TOKENS = 100_000;
const MAX_CHUNK = 10_000;
const MAX_SLOTS = 4096;
const MAX_RPS = 100_000;

const DECIMAL = /^\d+(?:\.\d+)?$/;
const INTEGER = /^\d+$/;
const ALNUM = /^[A-Za-z0-9]{1,64}$/;

/** Options that take a number, longest keyword first so `faultafter` wins over `fault`. */
const NUMERIC = ["faultafter", "disconnect", "malformed", "reason", "slots", "chunk", "cache", "load", "ttft", "tps", "len", "rps"] as const;
type NumericKey = (typeof NUMERIC)[number];

export const GRAMMAR_HELP =
  "model id = 'sim' then dash-separated options: ttft<ms> cache<ms> tps<n> len<n> chunk<k> reason<n> roleFirst " +
  "fault429 fault500 fault401 fault400 faultAfter<k> hang disconnect<n> malformed<n> nousage zeroUsage noStream noRequired stopCounted script<id> tag<id> needkey<id> " +
  "careful sloppy eager tunable (one tool-caller) writer judge biased jsonfenced jsonpartial jsonbroken slots<n> load<pct> rps<n>";

/** Whether an id belongs to the simulator at all (anything else is a 404 model_not_found). */
export function isSimModel(model: string): boolean {
  return model.toLowerCase().startsWith("sim");
}

/** The writer's seed beside the request text: the tag, so `sim-writer-tagB` writes other prompts. */
export function writerSeed(profile: SimProfile): string {
  return profile.tag === null ? "writer" : `writer-tag${profile.tag}`;
}

/** The key of a realistic caller's draws: its option and the tag, so timing options never change an answer. */
export function callerSeed(profile: SimProfile): string {
  return profile.tag === null ? (profile.caller ?? "") : `${profile.caller ?? ""}-tag${profile.tag}`;
}

export function parseModelId(model: string): ProfileResult {
  if (!isSimModel(model)) {
    return {
      ok: false,
      status: 404,
      message: `The model '${model}' does not exist. Simulator models start with 'sim', e.g. sim-ttft300-tps60-len120.`,
    };
  }
  const rest = model.slice(3);
  if (rest !== "" && !rest.startsWith("-")) {
    return bad(`Invalid simulator model id '${model}': ${GRAMMAR_HELP}.`);
  }
  const profile: SimProfile = {
    model,
    ttftMs: DEFAULTS.ttftMs,
    tps: DEFAULTS.tps,
    gapMs: 1000 / DEFAULTS.tps,
    len: DEFAULTS.len,
    chunk: DEFAULTS.chunk,
    reason: DEFAULTS.reason,
    roleFirst: false,
    statusFault: null,
    faultAfter: null,
    hang: false,
    disconnectAfter: null,
    malformedAfter: null,
    noUsage: false,
    noRequired: false,
    stopCounted: false,
    noStream: false,
    zeroUsage: false,
    cacheMs: null,
    script: null,
    tag: null,
    caller: null,
    writer: false,
    writerFormat: "json",
    judge: false,
    judgeFormat: "json",
    biased: false,
    requiredKey: null,
    slots: null,
    loadPct: 100,
    rpsLimit: null,
  };
  const seen = new Set<string>();
  const options = rest === "" ? [] : rest.slice(1).split("-");
  for (const raw of options) {
    const err = applyOption(profile, raw, seen);
    if (err) return bad(`Invalid simulator model id '${model}': ${err}. ${GRAMMAR_HELP}.`);
  }
  if (profile.loadPct !== 100 && profile.slots === null) {
    return bad(`Invalid simulator model id '${model}': load<pct> needs slots<n> (it sets how a full batch slows down).`);
  }
  if (profile.faultAfter !== null && profile.statusFault === null) {
    return bad(`Invalid simulator model id '${model}': faultAfter<k> needs fault429, fault500, fault401 or fault400.`);
  }
  if (profile.judgeFormat !== "json" && !profile.writer && !profile.judge) {
    return bad(`Invalid simulator model id '${model}': json${profile.judgeFormat} needs writer or judge (it shapes their answers).`);
  }
  if (profile.judgeFormat === "partial" && !profile.judge) {
    return bad(`Invalid simulator model id '${model}': jsonpartial needs judge (it shapes the judge's answers).`);
  }
  if (profile.biased && !profile.judge) {
    return bad(`Invalid simulator model id '${model}': biased needs judge (it shapes the judge's comparisons).`);
  }
  if (profile.hang && (profile.statusFault !== null || profile.disconnectAfter !== null || profile.malformedAfter !== null)) {
    return bad(`Invalid simulator model id '${model}': hang cannot be combined with another fault mode.`);
  }
  profile.gapMs = 1000 / profile.tps;
  return { ok: true, profile };
}

function bad(message: string): ProfileResult {
  return { ok: false, status: 400, message };
}

/** Applies one option; returns an error text or null. */
function applyOption(p: SimProfile, raw: string, seen: Set<string>): string | null {
  if (raw === "") return "empty option (doubled or trailing dash)";
  const lower = raw.toLowerCase();
  const once = (key: string): string | null => {
    if (seen.has(key)) return `duplicate option '${key}'`;
    seen.add(key);
    return null;
  };

  // Flags.
  if (lower === "rolefirst") return once("roleFirst") ?? set(() => (p.roleFirst = true));
  if (lower === "hang") return once("hang") ?? set(() => (p.hang = true));
  if (lower === "nousage") return once("nousage") ?? set(() => (p.noUsage = true));
  if (lower === "norequired") return once("norequired") ?? set(() => (p.noRequired = true));
  if (lower === "stopcounted") return once("stopcounted") ?? set(() => (p.stopCounted = true));
  if (lower === "nostream") return once("nostream") ?? set(() => (p.noStream = true));
  if (lower === "zerousage") return once("zerousage") ?? set(() => (p.zeroUsage = true));
  if (lower === "writer") return once("writer") ?? set(() => (p.writer = true));
  if (lower === "judge") return once("judge") ?? set(() => (p.judge = true));
  if (lower === "biased") return once("biased") ?? set(() => (p.biased = true));
  if (lower === "jsonfenced" || lower === "jsonbroken" || lower === "jsonpartial") {
    if (p.judgeFormat !== "json") return "only one of jsonfenced/jsonbroken (or jsonpartial) is allowed";
    p.judgeFormat = lower === "jsonfenced" ? "fenced" : lower === "jsonbroken" ? "broken" : "partial";
    if (lower !== "jsonpartial") p.writerFormat = p.judgeFormat as WriterFormat;
    return null;
  }
  if (isCallerName(lower)) {
    if (p.caller !== null) return `only one tool-caller option (careful, sloppy, eager, tunable) is allowed`;
    p.caller = lower;
    return null;
  }
  const fault = /^fault(400|401|429|500)$/.exec(lower);
  if (fault) {
    if (p.statusFault !== null) return "only one of fault400/fault401/fault429/fault500 is allowed";
    p.statusFault = Number(fault[1]) as StatusFault;
    return null;
  }

  // Identifiers keep their original case (script ids are case-sensitive).
  if (lower.startsWith("script")) {
    const id = raw.slice(6);
    if (!ALNUM.test(id)) return `script id in '${raw}' must be 1-64 letters or digits`;
    return once("script") ?? set(() => (p.script = id));
  }
  if (lower.startsWith("needkey")) {
    const id = raw.slice(7);
    if (!ALNUM.test(id)) return `key id in '${raw}' must be 1-64 letters or digits`;
    return once("needkey") ?? set(() => (p.requiredKey = id));
  }
  if (lower.startsWith("tag")) {
    const id = raw.slice(3);
    if (!ALNUM.test(id)) return `tag in '${raw}' must be 1-64 letters or digits`;
    return once("tag") ?? set(() => (p.tag = id));
  }

  for (const key of NUMERIC) {
    if (!lower.startsWith(key)) continue;
    const value = lower.slice(key.length);
    return once(key) ?? applyNumber(p, key, value, raw);
  }
  return `unknown option '${raw}'`;
}

function set(fn: () => unknown): null {
  fn();
  return null;
}

function applyNumber(p: SimProfile, key: NumericKey, value: string, raw: string): string | null {
  const decimalAllowed = key === "ttft" || key === "tps" || key === "cache";
  if (!(decimalAllowed ? DECIMAL : INTEGER).test(value)) {
    return `option '${raw}' needs ${decimalAllowed ? "a number" : "a whole number"} after '${key}'`;
  }
  const n = Number(value);
  switch (key) {
    case "ttft":
      if (n > MAX_TTFT_MS) return `ttft must be at most ${MAX_TTFT_MS} ms`;
      p.ttftMs = n;
      return null;
    case "cache":
      if (n > MAX_TTFT_MS) return `cache must be at most ${MAX_TTFT_MS} ms`;
      p.cacheMs = n;
      return null;
    case "tps":
      if (n <= 0 || n > MAX_TPS) return `tps must be above 0 and at most ${MAX_TPS}`;
      p.tps = n;
      return null;
    case "len":
      if (n > MAX_TOKENS) return `len must be at most ${MAX_TOKENS}`;
      p.len = n;
      return null;
    case "chunk":
      if (n < 1 || n > MAX_CHUNK) return `chunk must be between 1 and ${MAX_CHUNK}`;
      p.chunk = n;
      return null;
    case "reason":
      if (n > MAX_TOKENS) return `reason must be at most ${MAX_TOKENS}`;
      p.reason = n;
      return null;
    case "disconnect":
      p.disconnectAfter = n;
      return null;
    case "malformed":
      p.malformedAfter = n;
      return null;
    case "faultafter":
      p.faultAfter = n;
      return null;
    case "slots":
      if (n < 1 || n > MAX_SLOTS) return `slots must be between 1 and ${MAX_SLOTS}`;
      p.slots = n;
      return null;
    case "load":
      if (n > 10_000) return "load must be at most 10000 (%)";
      p.loadPct = n;
      return null;
    case "rps":
      if (n < 1 || n > MAX_RPS) return `rps must be between 1 and ${MAX_RPS}`;
      p.rpsLimit = n;
      return null;
  }
}
