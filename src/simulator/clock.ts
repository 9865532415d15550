/**
 * Sleeping until an absolute time with sub-millisecond accuracy. setTimeout alone fires up to a
 * millisecond or more late, which would blow the fidelity bar (TTFT within 2 ms, speed within 1%),
 * so we sleep coarsely and then yield with setImmediate for the last stretch. Targets are absolute,
 * so a late wake-up never shifts the following chunks.
 */

import { nowMs } from "./send-log.ts";

/** How long before the target we stop trusting timers and poll the clock instead. */
const SPIN_WINDOW_MS = 2;

/** Resolves true at `targetMs` (epoch ms), or false as soon as `signal` aborts. */
export async function sleepUntil(targetMs: number, signal: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal.aborted) return false;
    const remaining = targetMs - nowMs();
    if (remaining <= 0) return true;
    if (remaining > SPIN_WINDOW_MS) await timer(remaining - SPIN_WINDOW_MS, signal);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Resolves after `ms`, or early when the signal aborts (never rejects, never leaves a timer behind). */
function timer(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(handle);
      resolve();
    };
    const handle = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
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
