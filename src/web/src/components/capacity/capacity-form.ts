// The Capacity form's state, its inline issues (the contract's bounds, src/shared/capacity.ts: a wrong value is
// named, never clamped), the request it builds, and remembering it in localStorage.
import { CAPACITY_LIMITS, type CapacityLoop, type CapacityRequestBody, DEFAULT_HOLD_REQUESTS, DEFAULT_LEVELS } from "~/lib/capacity-types";

export interface CapacityForm {
  selected: string[];
  /** The ladder as typed: "1, 2, 4, 8". */
  levels: string;
  loop: CapacityLoop;
  /** Open loop: arrivals per second at the first level. */
  rate: string;
  holdKind: "requests" | "seconds";
  hold: string;
  sloTtftMs: string;
  sloItlP95Ms: string;
  budgetTokens: string;
  budgetCostUsd: string;
  maxTokens: string;
}

export function emptyCapacityForm(): CapacityForm {
  return {
    selected: [],
    levels: DEFAULT_LEVELS.join(", "),
    loop: "closed",
    rate: "2",
    holdKind: "requests",
    hold: String(DEFAULT_HOLD_REQUESTS),
    sloTtftMs: "1000",
    sloItlP95Ms: "100",
    budgetTokens: "",
    budgetCostUsd: "",
    maxTokens: "256",
  };
}

export type CapacityField = "levels" | "rate" | "hold" | "sloTtftMs" | "sloItlP95Ms" | "budgetTokens" | "budgetCostUsd" | "maxTokens";
export type CapacityIssues = Partial<Record<CapacityField, string>>;

const typed = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const fmt = (n: number) => n.toLocaleString("en-US");

/** The ladder typed as "1, 2, 4" (commas or spaces): the levels, or why they cannot be sent. */
export function parseLevels(text: string): { levels: number[]; error: string | null } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const { min, max } = CAPACITY_LIMITS.level;
  if (!parts.length) return { levels: [], error: "Give at least one concurrency level" };
  const levels = parts.map(Number);
  const bad = parts.find((_p, i) => !Number.isInteger(levels[i]) || levels[i]! < min || levels[i]! > max);
  if (bad !== undefined) return { levels: [], error: `"${bad}" is not a whole number from ${min} to ${max}` };
  if (levels.length > CAPACITY_LIMITS.levels.max)
    return { levels: [], error: `At most ${CAPACITY_LIMITS.levels.max} levels (${levels.length} given)` };
  const i = levels.findIndex((l, j) => j > 0 && l <= levels[j - 1]!);
  if (i > 0) return { levels: [], error: `Levels must increase: ${levels[i]} comes after ${levels[i - 1]}` };
  return { levels, error: null };
}

function inRange(label: string, text: string, lo: number, hi: number, integer: boolean, exclusiveLow = false): string | null {
  const n = typed(text);
  const low = exclusiveLow ? n <= lo : n < lo;
  if (!Number.isFinite(n) || low || n > hi || (integer && !Number.isInteger(n)))
    return `${label} is ${integer ? "a whole number" : "a number"} ${exclusiveLow ? "above" : "from"} ${fmt(lo)} ${exclusiveLow ? "and at most" : "to"} ${fmt(hi)}`;
  return null;
}

function optional(label: string, text: string, hi: number, integer: boolean): string | null {
  if (text.trim() === "") return null;
  return inRange(label, text, 0, hi, integer, true)?.concat(" (or empty for none)") ?? null;
}

export function capacityIssues(form: CapacityForm): CapacityIssues {
  const issues: CapacityIssues = {};
  const set = (field: CapacityField, message: string | null) => {
    if (message) issues[field] = message;
  };
  set("levels", parseLevels(form.levels).error);
  if (form.loop === "open") set("rate", inRange("Rate", form.rate, CAPACITY_LIMITS.rate.min, CAPACITY_LIMITS.rate.max, false));
  const hold = form.holdKind === "requests" ? CAPACITY_LIMITS.hold_requests : CAPACITY_LIMITS.hold_seconds;
  set(
    "hold",
    inRange(form.holdKind === "requests" ? "Requests per level" : "Seconds per level", form.hold, hold.min, hold.max, form.holdKind === "requests"),
  );
  set("sloTtftMs", inRange("TTFT bound", form.sloTtftMs, 0, 600_000, false, true));
  set("sloItlP95Ms", inRange("ITL p95 bound", form.sloItlP95Ms, 0, 60_000, false, true));
  set("budgetTokens", optional("Token budget", form.budgetTokens, 1_000_000_000, true));
  set("budgetCostUsd", optional("Cost budget", form.budgetCostUsd, 100_000, false));
  set("maxTokens", inRange("Output tokens", form.maxTokens, CAPACITY_LIMITS.max_tokens.min, CAPACITY_LIMITS.max_tokens.max, true));
  return issues;
}

/** The request for `targets` (call only when `capacityIssues` is empty). */
export function capacityRequest(form: CapacityForm, targets: { provider_key: string; model_id: string }[]): CapacityRequestBody {
  const budget = {
    ...(form.budgetTokens.trim() ? { max_tokens: typed(form.budgetTokens) } : {}),
    ...(form.budgetCostUsd.trim() ? { max_cost_usd: typed(form.budgetCostUsd) } : {}),
  };
  return {
    targets: targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
    levels: parseLevels(form.levels).levels,
    ...(form.holdKind === "requests" ? { hold_requests: typed(form.hold) } : { hold_seconds: typed(form.hold) }),
    loop: form.loop,
    ...(form.loop === "open" ? { rate: typed(form.rate) } : {}),
    slo: { ttft_ms: typed(form.sloTtftMs), itl_p95_ms: typed(form.sloItlP95Ms) },
    ...(Object.keys(budget).length ? { budget } : {}),
    max_tokens: typed(form.maxTokens),
  };
}

const STORAGE_KEY = "studio.capacity.form";

export function saveCapacityForm(form: CapacityForm): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(form));
  } catch {
    // Storage disabled: the form is simply not remembered.
  }
}

/** Restores the saved form's fields into `form` (models only those still known). */
export function applySavedCapacityForm(form: CapacityForm, knownModels: ReadonlySet<string>): void {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Partial<CapacityForm> | null;
    if (!saved || typeof saved !== "object") return;
    const blank = emptyCapacityForm();
    for (const key of Object.keys(blank) as (keyof CapacityForm)[]) {
      if (key === "selected") continue;
      if (typeof saved[key] === typeof blank[key]) (form as unknown as Record<string, unknown>)[key] = saved[key];
    }
    if (saved.loop !== "closed" && saved.loop !== "open") form.loop = blank.loop;
    if (saved.holdKind !== "requests" && saved.holdKind !== "seconds") form.holdKind = blank.holdKind;
    if (Array.isArray(saved.selected)) {
      const kept = saved.selected.filter((k): k is string => typeof k === "string" && knownModels.has(k));
      if (kept.length) form.selected = kept;
    }
  } catch {
    // A broken saved form is ignored.
  }
}
