/**
 * One lane of a capacity probe: a Durable Object holding at most STREAMS_PER_LANE (4) streams, below the six
 * connections a Workers invocation may hold waiting for response headers. A level of L streams is spread over
 * ceil(L / 4) lanes; every lane waits for the same start time (the shared schedule), so the level's load begins
 * together. A lane measures each request as the speed benchmark does (streamChat: TTFT from the actual send) and
 * returns raw samples with epoch-ms stamps; it stores nothing (the job stores the level once, from all lanes).
 */
import { DurableObject } from "cloudflare:workers";
import type { CapacitySample } from "../../shared/capacity.ts";
import { STREAMS_PER_LANE } from "../../shared/capacity-analysis.ts";
import { uniquePrefix } from "../benchmark/measure.ts";
import { LlmError } from "../llm/errors.ts";
import { type ChatRequest, type LlmTarget, streamChat } from "../llm/stream.ts";

export interface LaneSpec {
  target: LlmTarget;
  request: ChatRequest;
  /** A short unique line at the start of every request, so no request is served from another's prefix cache. */
  uniquePrefix: boolean;
  timeoutMs: number;
  /** Epoch ms at which the level starts (shared by every lane of the level). */
  startAt: number;
  /** Closed loop: streams, each sending `count` requests back to back, or until `untilAt` (epoch ms). */
  streams?: Array<{ stream: number; count: number | null }>;
  untilAt?: number | null;
  /** Open loop: arrivals (epoch ms) this lane sends, at most STREAMS_PER_LANE in flight. */
  arrivals?: Array<{ seq: number; at: number }>;
  label: { provider_key: string; model_id: string; level: number; lane: number };
}

type LaneSample = Omit<CapacitySample, "provider_key" | "model_id" | "level">;

const sleepUntil = (at: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const ms = at - Date.now();
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export class CapacityLane extends DurableObject<Env> {
  private controller = new AbortController();

  /** Answers once the object is up: the job waits for every lane before it sets the level's start time. */
  async ready(): Promise<true> {
    return true;
  }

  /** Stops every stream of this lane at once (the job was cancelled). */
  async cancel(): Promise<void> {
    this.controller.abort();
  }

  async run(spec: LaneSpec): Promise<LaneSample[]> {
    this.controller = new AbortController();
    const signal = this.controller.signal;
    const samples: LaneSample[] = [];
    if (spec.arrivals) await this.openLoop(spec, signal, samples);
    else await this.closedLoop(spec, signal, samples);
    return samples;
  }

  private async closedLoop(spec: LaneSpec, signal: AbortSignal, samples: LaneSample[]) {
    const streams = (spec.streams ?? []).slice(0, STREAMS_PER_LANE);
    await sleepUntil(spec.startAt, signal);
    await Promise.all(
      streams.map(async ({ stream, count }) => {
        let scheduled = spec.startAt;
        for (let seq = 0; !signal.aborted; seq++) {
          if (count !== null && seq >= count) break;
          if (count === null && seq > 0 && Date.now() >= (spec.untilAt ?? 0)) break;
          const s = await measureOne(spec, signal, stream, seq, scheduled);
          if (signal.aborted) break; // cut off by cancellation: not a measurement
          samples.push(s);
          scheduled = s.ended_at; // the next request of a closed loop is due when this one ended
        }
      }),
    );
  }

  private async openLoop(spec: LaneSpec, signal: AbortSignal, samples: LaneSample[]) {
    let inFlight = 0;
    const waiters: Array<() => void> = [];
    const running: Promise<void>[] = [];
    for (const a of spec.arrivals ?? []) {
      await sleepUntil(a.at, signal);
      // A lane full of streams makes the arrival wait: the wait shows as send skew, never hidden.
      while (inFlight >= STREAMS_PER_LANE && !signal.aborted) await new Promise<void>((r) => waiters.push(r));
      if (signal.aborted) break;
      inFlight++;
      running.push(
        measureOne(spec, signal, spec.label.lane, a.seq, a.at).then((s) => {
          if (!signal.aborted) samples.push(s);
          inFlight--;
          waiters.shift()?.();
        }),
      );
    }
    await Promise.all(running);
  }
}

/** One request, stamped in epoch ms: TTFT and token times from the streamed events, as metrics.md says. */
async function measureOne(spec: LaneSpec, signal: AbortSignal, stream: number, seq: number, scheduledAt: number): Promise<LaneSample> {
  const prefix = spec.uniquePrefix ? uniquePrefix() : "";
  const req: ChatRequest = spec.request.system
    ? { ...spec.request, system: prefix + spec.request.system }
    : { ...spec.request, prompt: prefix + spec.request.prompt };
  const before = Date.now();
  try {
    const res = await streamChat(spec.target, req, { timeoutMs: spec.timeoutMs, signal });
    // performance.now() and Date.now() move together in Workers (both at the last I/O): one offset converts.
    const toEpoch = Date.now() - performance.now();
    const o = res.observation;
    const tLast = o.lastOutputAt === null ? null : Math.max(o.lastOutputAt, o.finishAt ?? o.lastOutputAt);
    return {
      stream,
      seq,
      scheduled_at: scheduledAt,
      sent_at: o.t0 + toEpoch,
      first_token_at: o.firstOutputAt === null ? null : o.firstOutputAt + toEpoch,
      last_token_at: tLast === null ? null : tLast + toEpoch,
      ended_at: o.endAt + toEpoch,
      output_tokens: o.outputTokens,
      input_tokens: o.inputTokens,
      status: "ok",
      error_class: null,
      error: null,
    };
  } catch (err) {
    const e = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
    return {
      stream,
      seq,
      scheduled_at: scheduledAt,
      sent_at: before,
      first_token_at: null,
      last_token_at: null,
      ended_at: Date.now(),
      output_tokens: null,
      input_tokens: null,
      status: e.cls === "rate_limited" ? "rate_limited" : "error",
      error_class: e.cls,
      error: e.message,
    };
  }
}
