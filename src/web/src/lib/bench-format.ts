// Display helpers for benchmark numbers: speeds, latencies, percentages, costs, tiers and relative times.
import { formatTokens } from "./format.ts";

const isNum = (n: number | null | undefined): n is number => typeof n === "number" && Number.isFinite(n);

/** 123.4 tok/s → "123.4"; ≥ 1000 → "1,234". */
export function fmtSpeed(n: number | null | undefined): string {
  if (!isNum(n)) return "—";
  return n >= 1000 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1);
}

/** Milliseconds: "83 ms", "1.52 s". */
export function fmtMs(n: number | null | undefined): string {
  if (!isNum(n)) return "—";
  if (n >= 10_000) return `${(n / 1000).toFixed(1)} s`;
  if (n >= 1000) return `${(n / 1000).toFixed(2)} s`;
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
}

export function fmtPct(n: number | null | undefined, digits = 1): string {
  return isNum(n) ? `${n.toFixed(digits)}%` : "—";
}

/** USD with enough precision for tiny per-run costs; unknown price → "—" (never $0). */
export function fmtCost(n: number | null | undefined): string {
  if (!isNum(n)) return "—";
  if (n === 0) return "$0";
  if (n < 0.0001) return `$${n.toExponential(1)}`;
  if (n < 0.01) return `$${n.toFixed(5).replace(/0+$/, "")}`;
  if (n < 1) return `$${n.toFixed(4).replace(/0+$/, "").replace(/\.$/, "")}`;
  return `$${n.toFixed(2)}`;
}

/** Context tier label: 0 → "0", 5000 → "5K". */
export function fmtTier(tokens: number): string {
  return tokens === 0 ? "0" : formatTokens(tokens);
}

export function fmtDuration(seconds: number | null | undefined): string {
  if (!isNum(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "just now", "5 min ago", "3 h ago", else a date. */
export function fmtRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const s = Math.round((now - t) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString(undefined, { dateStyle: "medium" });
}
