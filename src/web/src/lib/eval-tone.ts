// Colours for eval scores come from how many cases passed, not from mean partial credit: a model that passes
// no case must never look green because it got the tool name right half the time.

export type PassLevel = "good" | "mixed" | "poor" | "none";

/** Good at ≥ 90 % of cases passed, mixed at ≥ 60 %, else poor; "none" when nothing ran. */
export function passLevel(passed: number, cases: number): PassLevel {
  if (cases <= 0) return "none";
  const rate = passed / cases;
  return rate >= 0.9 ? "good" : rate >= 0.6 ? "mixed" : "poor";
}

const TEXT: Record<PassLevel, string> = { good: "text-ok", mixed: "text-amber", poor: "text-danger", none: "muted" };
const BADGE = { good: "lime", mixed: "amber", poor: "coral", none: "grey" } as const; // Badge tones

export const passText = (passed: number, cases: number): string => TEXT[passLevel(passed, cases)];
export const passBadge = (passed: number, cases: number) => BADGE[passLevel(passed, cases)];
