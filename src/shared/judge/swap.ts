/**
 * Judging a pair in both orders (judge compare): each case is asked once with run A's answer first and once with
 * run B's first, so a judge that prefers whatever comes first cancels out. The two orders agree → that winner,
 * with the mean confidence. They disagree → a tie with low confidence, flagged as position-dependent.
 */
import type { Pairwise } from "./parse.ts";

export interface SwappedVerdict {
  /** The run that won: "a" (first run), "b" (second run) or "tie". */
  winner: "a" | "b" | "tie";
  confidence: number;
  /** The two orders named different winners: the judge's answer followed the position. */
  order_disagreement: boolean;
  /** The winner as run (a/b/tie) in each order. */
  forward: "a" | "b" | "tie";
  swapped: "a" | "b" | "tie";
}

/** Confidence given to a tie that comes from orders that disagree. */
export const DISAGREEMENT_CONFIDENCE = 0.1;

/**
 * forward: A shown = run A; swapped: A shown = run B. Each order's positional winner is mapped back to the run.
 */
export function combineOrders(forward: Pairwise, swapped: Pairwise): SwappedVerdict {
  const f = forward.winner === "A" ? "a" : forward.winner === "B" ? "b" : "tie";
  const s = swapped.winner === "A" ? "b" : swapped.winner === "B" ? "a" : "tie";
  if (f === s) return { winner: f, confidence: (forward.confidence + swapped.confidence) / 2, order_disagreement: false, forward: f, swapped: s };
  return { winner: "tie", confidence: DISAGREEMENT_CONFIDENCE, order_disagreement: true, forward: f, swapped: s };
}
