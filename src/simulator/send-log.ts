/**
 * The send log: for every LLM request, when it arrived and when each write left the server.
 * It is the ground truth a fidelity benchmark compares client-side TTFT / output speed against.
 */

/**
 * `stop_token`: the write carrying the finish event of a reply whose stop token counts in usage but is never
 * streamed (stopCounted); its one token is generated output, not streamed output.
 */
export type ChunkKind = "role" | "reasoning" | "text" | "tool" | "stop_token" | "usage" | "done" | "error";
export type Outcome = "in_progress" | "completed" | "error" | "client_closed" | "disconnected" | "server_closed";

export interface SentChunk {
  index: number;
  /** Epoch ms (sub-ms precision), stamped right after res.write / res.end returned. */
  sent_at: number;
  /** When the scheduler wanted it sent (epoch ms); sent_at - target_at is the scheduling error. */
  target_at: number;
  tokens: number;
  kind: ChunkKind;
  /** Anthropic: SSE event names carried by this write. */
  events?: string[];
}

export interface SendRecord {
  request_id: string;
  protocol: "openai" | "anthropic";
  model: string | null;
  stream: boolean;
  received_at: number;
  first_output_at: number | null;
  last_output_at: number | null;
  ended_at: number | null;
  /** HTTP status sent, 0 while (or if) no headers went out. */
  status: number;
  output_tokens: number;
  input_tokens: number;
  chunks: SentChunk[];
  outcome: Outcome;
  finish_reason: string | null;
  /** cache<ms>: whether the prompt prefix was a prefix-cache hit; null without cache<ms>. */
  prefix_cache: "hit" | "miss" | null;
  /** The timing the profile asked for (TTFT after the prefix cache), to compare with the actual sends. */
  profile: { ttft_ms: number; tps: number; gap_ms: number; chunk: number } | null;
}

const OUTPUT_KINDS: ReadonlySet<ChunkKind> = new Set(["reasoning", "text", "tool"]);

export function isOutputKind(kind: ChunkKind): boolean {
  return OUTPUT_KINDS.has(kind);
}

/** Epoch milliseconds with sub-millisecond precision (Date.now() is whole ms). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export const DEFAULT_CAPACITY = 2000;

/** Ring buffer of the newest records of one simulator instance. */
export class SendLog {
  readonly capacity: number;
  #ring: SendRecord[] = [];
  #start = 0;
  #byId = new Map<string, SendRecord>();

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = capacity;
    liveLogs.add(this);
  }

  /** Adds a new in-progress record (visible to readers at once, e.g. for hanging requests). */
  begin(init: Pick<SendRecord, "request_id" | "protocol" | "received_at">): SendRecord {
    const record: SendRecord = {
      ...init,
      model: null,
      stream: false,
      first_output_at: null,
      last_output_at: null,
      ended_at: null,
      status: 0,
      output_tokens: 0,
      input_tokens: 0,
      chunks: [],
      outcome: "in_progress",
      finish_reason: null,
      prefix_cache: null,
      profile: null,
    };
    if (this.#ring.length < this.capacity) {
      this.#ring.push(record);
    } else {
      const evicted = this.#ring[this.#start] as SendRecord;
      if (this.#byId.get(evicted.request_id) === evicted) this.#byId.delete(evicted.request_id);
      this.#ring[this.#start] = record;
      this.#start = (this.#start + 1) % this.capacity;
    }
    this.#byId.set(record.request_id, record);
    return record;
  }

  /** The newest record with that id (live object; use snapshot() before handing it out). */
  get(id: string): SendRecord | undefined {
    return this.#byId.get(id);
  }

  /** Newest first. */
  list(limit = 100): SendRecord[] {
    const n = this.#ring.length;
    const out: SendRecord[] = [];
    for (let i = 0; i < Math.min(limit, n); i++) {
      out.push(this.#ring[(this.#start + n - 1 - i) % n] as SendRecord);
    }
    return out;
  }

  clear(): void {
    this.#ring = [];
    this.#start = 0;
    this.#byId.clear();
  }

  /** Stops `getRecord` from looking here (the simulator closed). */
  detach(): void {
    liveLogs.delete(this);
  }
}

/** Appends one sent write to a record and keeps the derived fields in step. */
export function addChunk(record: SendRecord, chunk: Omit<SentChunk, "index">): void {
  record.chunks.push({ index: record.chunks.length, ...chunk });
  if (isOutputKind(chunk.kind)) {
    if (record.first_output_at === null) record.first_output_at = chunk.sent_at;
    record.last_output_at = chunk.sent_at;
    record.output_tokens += chunk.tokens;
  }
}

/** A detached deep copy, safe to serialise or keep while the request is still running. */
export function snapshot(record: SendRecord): SendRecord {
  return structuredClone(record);
}

const liveLogs = new Set<SendLog>();

/** Looks a request up in every simulator running in this process (newest instance first). */
export function getRecord(id: string): SendRecord | undefined {
  for (const log of [...liveLogs].reverse()) {
    const record = log.get(id);
    if (record) return snapshot(record);
  }
  return undefined;
}

export interface RecordTiming {
  /** first_output_at - received_at. */
  ttft_ms: number | null;
  /** Gaps between consecutive output-bearing writes. */
  gaps_ms: number[];
  median_gap_ms: number | null;
  /** Tokens after the first output write divided by (last - first output write), per second. */
  output_tps: number | null;
  /**
   * The engine's own decode figures, as llama-server reports them (predicted_per_second and its inverse): every
   * generated token after the first output write, a counted stop token included, over first output write →
   * last generated token. Equal to output_tps when no stop token is counted.
   */
  decode_tps: number | null;
  decode_itl_ms: number | null;
  /** Largest |sent_at - target_at| over all writes: how late the scheduler was at worst. */
  max_schedule_error_ms: number;
}

/** What the simulator actually did for one request, measured from its own send times. */
export function recordTiming(record: SendRecord): RecordTiming {
  const output = record.chunks.filter((c) => isOutputKind(c.kind));
  const gaps: number[] = [];
  for (let i = 1; i < output.length; i++) gaps.push((output[i] as SentChunk).sent_at - (output[i - 1] as SentChunk).sent_at);
  const first = output[0];
  const last = output[output.length - 1];
  const span = first && last ? last.sent_at - first.sent_at : 0;
  const tokensAfterFirst = output.slice(1).reduce((sum, c) => sum + c.tokens, 0);
  const generated = record.chunks.filter((c) => isOutputKind(c.kind) || c.kind === "stop_token");
  const lastGenerated = generated[generated.length - 1];
  const decodeSpan = first && lastGenerated ? lastGenerated.sent_at - first.sent_at : 0;
  const decodedAfterFirst = generated.slice(1).reduce((sum, c) => sum + c.tokens, 0);
  return {
    ttft_ms: record.first_output_at === null ? null : record.first_output_at - record.received_at,
    gaps_ms: gaps,
    median_gap_ms: median(gaps),
    output_tps: span > 0 ? (tokensAfterFirst * 1000) / span : null,
    decode_tps: decodeSpan > 0 ? (decodedAfterFirst * 1000) / decodeSpan : null,
    decode_itl_ms: decodeSpan > 0 && decodedAfterFirst > 0 ? decodeSpan / decodedAfterFirst : null,
    max_schedule_error_ms: record.chunks.reduce((max, c) => Math.max(max, Math.abs(c.sent_at - c.target_at)), 0),
  };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
