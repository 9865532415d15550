// Helpers for stored runs (benchmark and tool eval lists): their models, search matching, merging, labels, and the
// request that re-runs one.

import { fmtTier } from "./bench-format";
import type { BenchmarkRequest, BenchmarkRun, BenchTarget } from "./benchmark-types";

const key = (t: { provider_key: string; model_id: string }) => `${t.provider_key}\u0000${t.model_id}`;

/** The run's targets with display names (from its results when the config only has keys). */
export function runTargets(run: BenchmarkRun): BenchTarget[] {
  const names = new Map<string, { model: string; provider: string }>();
  for (const r of [...run.aggregates, ...run.results]) {
    if (!names.has(key(r))) names.set(key(r), { model: r.model, provider: r.provider });
  }
  const refs = run.config?.targets?.length
    ? run.config.targets
    : [...names.keys()].map((k) => {
        const [provider_key = "", model_id = ""] = k.split("\u0000");
        return { provider_key, model_id };
      });
  const seen = new Set<string>();
  return refs
    .filter((t) => {
      if (seen.has(key(t))) return false;
      seen.add(key(t));
      return true;
    })
    .map((t) => ({
      provider_key: t.provider_key,
      model_id: t.model_id,
      display_name: names.get(key(t))?.model ?? t.model_id,
      provider: names.get(key(t))?.provider ?? t.provider_key,
    }));
}

/** `runs` with `incoming` merged in by id: known ones replaced in place, new ones added at `where`. */
export function mergeById<T extends { id: string }>(runs: readonly T[], incoming: readonly T[], where: "start" | "end"): T[] {
  const byId = new Map(incoming.map((r) => [r.id, r]));
  const kept = runs.map((r) => byId.get(r.id) ?? r);
  const known = new Set(kept.map((r) => r.id));
  const fresh = incoming.filter((r) => !known.has(r.id));
  return where === "start" ? [...fresh, ...kept] : [...kept, ...fresh];
}

/** Every whitespace-separated term of `query` must appear in one of `fields` (case-insensitive). */
export function matchesTerms(fields: readonly string[], query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return true;
  const text = fields.join("\n").toLowerCase();
  return terms.every((t) => text.includes(t));
}

/** Every whitespace-separated term must appear in the prompt, a model name/id or a provider. */
export function runMatches(run: BenchmarkRun, query: string): boolean {
  return matchesTerms([run.prompt, ...runTargets(run).flatMap((t) => [t.display_name, t.model_id, t.provider, t.provider_key])], query);
}

export function tiersLabel(tiers: readonly number[]): string {
  const sorted = [...tiers].sort((a, b) => a - b);
  if (sorted.length <= 1) return `${fmtTier(sorted[0] ?? 0)} ctx`;
  return `${sorted.length} tiers · ${sorted.map(fmtTier).join("/")}`;
}

/** Short label for charts and compare headers, e.g. "Nov 27 06:25". */
export function runShortLabel(run: BenchmarkRun): string {
  const d = new Date(run.timestamp);
  if (Number.isNaN(d.getTime())) return run.id.slice(0, 8);
  return d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** Same targets, prompt and parameters as the stored run. */
export function rerunRequest(run: BenchmarkRun): BenchmarkRequest {
  const c = run.config ?? {};
  const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
  return {
    targets: runTargets(run).map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
    prompt: c.prompt ?? run.prompt,
    max_tokens: clamp(c.max_tokens ?? run.max_tokens ?? 512, 1, 128_000),
    temperature: clamp(c.temperature ?? run.temperature ?? 0.7, 0, 2),
    context_tiers: c.context_tiers?.length ? [...c.context_tiers] : run.context_tiers?.length ? [...run.context_tiers] : [0],
    runs: clamp(c.runs ?? run.runs ?? 1, 1, 20),
    warmup: c.warmup ?? run.warmup ?? true,
    unique_prefix: c.unique_prefix ?? true,
    timeout: clamp(c.timeout_s ?? 120, 10, 600),
  };
}

export function isRunActive(run: BenchmarkRun): boolean {
  return run.status === "running";
}
