// The change of one measurement against a baseline, as shown in History's comparison ("+12%", "−0.3%", "=").

export type DeltaDirection = "up" | "down" | "same";

export interface Delta {
  text: string;
  direction: DeltaDirection;
}

const MINUS = "\u2212";

/**
 * `value` relative to `base` in percent: whole percents from 1 % up, one decimal below (150.0 → 150.5 is "+0.3%"),
 * "<0.1%" with its sign when even that rounds to zero, and "=" only when the two are exactly equal. Null when
 * either is missing or the baseline is 0 (no relative change exists).
 */
export function relativeDelta(value: number | null | undefined, base: number | null | undefined): Delta | null {
  if (typeof value !== "number" || typeof base !== "number" || !Number.isFinite(value) || !Number.isFinite(base) || base === 0) return null;
  if (value === base) return { text: "=", direction: "same" };
  const pct = ((value - base) / Math.abs(base)) * 100;
  const direction: DeltaDirection = pct > 0 ? "up" : "down";
  const sign = pct > 0 ? "+" : MINUS;
  const size = Math.abs(pct);
  if (size >= 1) return { text: `${sign}${size.toFixed(0)}%`, direction };
  const tenths = size.toFixed(1);
  return { text: tenths === "0.0" ? `${sign}<0.1%` : `${sign}${tenths}%`, direction };
}

/** CSS classes: green when the change is an improvement, coral when worse, grey when equal. */
export function deltaClass(delta: Delta, higherIsBetter: boolean): string {
  if (delta.direction === "same") return "delta";
  return `delta ${(delta.direction === "up") === higherIsBetter ? "delta-good" : "delta-bad"}`;
}
