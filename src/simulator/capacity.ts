/**
 * The simulator's capacity model (model options `slots<n>`, `load<pct>`, `rps<n>`): a server with n batch slots
 * whose TTFT and ITL grow with the streams sharing the batch, a FIFO queue beyond the slots, and 429s above a
 * request rate. Per exact model id. `capacityTruth` computes, from the same parameters, the knee and the SLO limit
 * a closed-loop probe should find, so tests and the bench check the probe against known answers.
 *
 * The model, fixed at admission (a request's schedule is planned once, like every simulated reply):
 * - rate limit: a request arriving when `rps` requests were admitted in the last 1000 ms gets a 429 at once
 *   (429s do not count against the limit);
 * - a request takes the slot that frees first; it starts at max(arrival, that slot's free time). The wait is
 *   added to its TTFT (queueing);
 * - with k slots busy at its start (itself included), its TTFT and its gap between tokens are multiplied by
 *   f(k) = 1 + α·(k − 1)/slots, α = load/100. So at k = slots the ITL is (1 + α·(slots−1)/slots) × 1000/tps;
 * - it holds its slot until its planned last event (its wait, then TTFT + tokens·gap).
 */
import type { SimProfile } from "./profile.ts";

export interface CapacityParams {
  slots: number | null;
  /** α in percent: how much ITL and TTFT grow when the batch is full. */
  loadPct: number;
  rpsLimit: number | null;
}

export interface Admission {
  ok: true;
  waitMs: number;
  factor: number;
  /** Call with the request's planned duration from its arrival (its wait included), to hold the slot until then. */
  hold(durationMs: number): void;
}

/** The slowdown of a batch with k of `slots` busy. */
export function loadFactor(k: number, slots: number, loadPct: number): number {
  return 1 + ((loadPct / 100) * (Math.max(1, Math.min(k, slots)) - 1)) / slots;
}

interface ModelState {
  slotFreeAt: number[];
  admitted: number[]; // admission times within the last second, oldest first
}

export class CapacityStore {
  private models = new Map<string, ModelState>();

  /** Admits a request of a capacity-modelled profile at `now` (ms), or refuses it with a 429. */
  admit(profile: Pick<SimProfile, "model" | "slots" | "loadPct" | "rpsLimit">, now: number): Admission | { ok: false } {
    let m = this.models.get(profile.model);
    if (!m) {
      m = { slotFreeAt: Array.from({ length: profile.slots ?? 0 }, () => 0), admitted: [] };
      this.models.set(profile.model, m);
    }
    while (m.admitted.length && (m.admitted[0] as number) <= now - 1000) m.admitted.shift();
    if (profile.rpsLimit !== null && m.admitted.length >= profile.rpsLimit) return { ok: false };
    m.admitted.push(now);
    if (profile.slots === null) return { ok: true, waitMs: 0, factor: 1, hold: () => {} };
    const slots = m.slotFreeAt;
    let idx = 0;
    for (let i = 1; i < slots.length; i++) if ((slots[i] as number) < (slots[idx] as number)) idx = i;
    const start = Math.max(now, slots[idx] as number);
    const busy = slots.filter((free, i) => i !== idx && free > start).length + 1;
    const factor = loadFactor(busy, profile.slots, profile.loadPct);
    slots[idx] = Number.POSITIVE_INFINITY; // held until the plan says how long
    return {
      ok: true,
      waitMs: start - now,
      factor,
      hold: (durationMs) => {
        slots[idx] = now + durationMs;
      },
    };
  }

  reset(model?: string): void {
    if (model === undefined) this.models.clear();
    else this.models.delete(model);
  }
}

// ---------------------------------------------------------------- the truth a probe should find

export interface TruthInput {
  ttftMs: number;
  tps: number;
  /** Output tokens per request. */
  tokens: number;
  slots: number;
  loadPct: number;
  levels: readonly number[];
  slo: { ttft_ms: number; itl_p95_ms: number };
  /** The model's rps<n>, if any. */
  rps?: number;
}

export interface TruthLevel {
  level: number;
  /** Steady state of a closed loop with `level` streams: aggregate output tokens/s, latencies (ms). */
  aggregate_output_tps: number;
  e2e_ms: number;
  ttft_ms: number;
  itl_ms: number;
  slo_met: boolean;
  /** Requests per second the closed loop sends at this level (L / service time). */
  requests_per_s: number;
}

/**
 * The closed-loop steady state the model implies at each level, and from it (by the probe's own rules) the knee
 * and the highest level meeting the SLO. With L ≤ slots every request shares the batch with L − 1 others:
 * f = f(L), no wait. With L > slots the batch stays full, f = f(slots), and requests queue in waves of `slots`:
 * the last of a wave waits (ceil(L/slots) − 1) service times, which is what the p95 TTFT sees.
 */
export function capacityTruth(p: TruthInput): {
  levels: TruthLevel[];
  knee_level: number | null;
  max_level_meeting_slo: number | null;
  /** The first level whose steady request rate exceeds rps<n> (its 429s stop the ladder there); null without a limit. */
  first_rate_limited_level: number | null;
} {
  const gap = 1000 / p.tps;
  const levels = p.levels.map((level) => {
    const k = Math.min(level, p.slots);
    const f = loadFactor(k, p.slots, p.loadPct);
    const service = p.ttftMs * f + (p.tokens - 1) * gap * f;
    const waves = Math.ceil(level / p.slots);
    const wait = (waves - 1) * service;
    const ttft = p.ttftMs * f + wait;
    const itl = gap * f;
    return {
      level,
      aggregate_output_tps: (k * p.tokens) / (service / 1000),
      e2e_ms: service + wait,
      ttft_ms: ttft,
      itl_ms: itl,
      slo_met: ttft <= p.slo.ttft_ms && itl <= p.slo.itl_p95_ms,
      requests_per_s: (k * 1000) / service,
    };
  });
  const met = levels.filter((l) => l.slo_met).map((l) => l.level);
  const limited = p.rps === undefined ? undefined : levels.find((l) => l.requests_per_s > (p.rps as number));
  return {
    levels,
    knee_level: knee(levels),
    max_level_meeting_slo: met.length ? Math.max(...met) : null,
    first_rate_limited_level: limited?.level ?? null,
  };
}

/** The probe's knee rule (src/shared/capacity-analysis.ts kneeLevel), restated so the simulator imports nothing of the app. */
function knee(levels: readonly TruthLevel[]): number | null {
  for (let i = 1; i < levels.length; i++) {
    const prev = levels[i - 1] as TruthLevel;
    const cur = levels[i] as TruthLevel;
    if (cur.aggregate_output_tps / prev.aggregate_output_tps - 1 < 0.1 && cur.e2e_ms > prev.e2e_ms) return prev.level;
  }
  return null;
}
