/**
 * Sleeping until an absolute time with sub-millisecond accuracy. setTimeout alone fires a
 * millisecond or more late (more on a busy machine, where a sleeping process also waits to be
 * scheduled), which would blow the fidelity bar (TTFT within 2 ms, speed within 1%). So we sleep
 * on a timer until shortly before the target and then poll the clock with setImmediate. The spin
 * window grows with the timer lateness recently observed. Targets are absolute, so a late wake-up
 * never shifts the following chunks.
 */

import { nowMs } from "./send-log.ts";

const MIN_SPIN_MS = 2;
const MAX_SPIN_MS = 15;

/** Recent worst timer overshoot (ms), decaying so a single hiccup does not widen the window for long. */
let recentLateness = 0;

function spinWindow(): number {
  return Math.min(MAX_SPIN_MS, Math.max(MIN_SPIN_MS, recentLateness * 1.5 + 0.5));
}

/** Resolves true at `targetMs` (epoch ms), or false as soon as `signal` aborts. */
export async function sleepUntil(targetMs: number, signal: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal.aborted) return false;
    const remaining = targetMs - nowMs();
    if (remaining <= 0) return true;
    const window = spinWindow();
    if (remaining > window) await timer(remaining - window, signal);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Resolves after `ms`, or early when the signal aborts (never rejects, never leaves a timer behind). */
function timer(ms: number, signal: AbortSignal): Promise<void> {
  const due = nowMs() + ms;
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(handle);
      resolve();
    };
    const handle = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      const late = nowMs() - due;
      recentLateness = Math.max(late, recentLateness * 0.9);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves when the signal aborts (used by `hang`). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
