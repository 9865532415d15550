// Pure progress maths for a live job whose providers run in parallel and models one after another (a benchmark's
// runs, a tool eval's cases): per-provider done/total/errors, the current item, and the ETA.
import type { BenchmarkResult, BenchTarget } from "./benchmark-types.ts";

export interface ProviderProgress {
  provider_key: string;
  provider: string;
  models: number;
  done: number;
  total: number;
  errors: number;
  current_model: string | null;
  run: number;
  runs: number;
  tier: number | null;
  finished: boolean;
}

/** The measured run a provider is on (from benchmark_progress); startedAt is null once its result arrived. */
export interface CurrentRun {
  model: string;
  model_id: string;
  run: number;
  runs: number;
  tier: number;
  startedAt: number | null;
}

export interface ProgressInput {
  targets: readonly BenchTarget[];
  /** Finished items; a tool eval passes its cases as `type: "result"` with `runs` = cases per model. */
  results: readonly Pick<BenchmarkResult, "provider_key" | "type" | "success">[];
  runs: number;
  tiers: readonly number[];
  terminal: boolean;
  current: ReadonlyMap<string, CurrentRun>;
  /** Recent run durations (ms) per provider. */
  samples: ReadonlyMap<string, readonly number[]>;
  now: number;
}

export interface ProgressOutput {
  providers: ProviderProgress[];
  done: number;
  total: number;
  /** ms until the slowest provider is expected to finish; null when unknown or finished. */
  etaMs: number | null;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Providers run in parallel, models within a provider one after another, so the ETA is the largest
 * (moving-average run duration × runs left − time already spent on the current run) over the providers.
 * A skipped tier counts as all of its runs.
 */
export function computeProgress(input: ProgressInput): ProgressOutput {
  const runs = Math.max(1, input.runs);
  const tierCount = Math.max(1, input.tiers.length);
  const byProvider = new Map<string, ProviderProgress>();
  for (const t of input.targets) {
    const p = byProvider.get(t.provider_key) ?? {
      provider_key: t.provider_key,
      provider: t.provider,
      models: 0,
      done: 0,
      total: 0,
      errors: 0,
      current_model: null,
      run: 0,
      runs,
      tier: null,
      finished: false,
    };
    p.models += 1;
    p.total += tierCount * runs;
    byProvider.set(t.provider_key, p);
  }
  for (const r of input.results) {
    const p = byProvider.get(r.provider_key);
    if (!p) continue;
    p.done += r.type === "skipped" ? runs : 1;
    if (r.type === "result" && !r.success) p.errors += 1;
  }

  const allSamples = [...input.samples.values()].flat();
  const fallbackAvg = allSamples.length ? mean(allSamples) : null;
  let etaMs: number | null = input.terminal ? null : 0;
  let done = 0;
  let total = 0;
  for (const p of byProvider.values()) {
    p.done = Math.min(p.done, p.total);
    p.finished = input.terminal || p.done >= p.total;
    done += p.done;
    total += p.total;
    const cur = input.current.get(p.provider_key);
    if (cur && !p.finished) {
      p.current_model = cur.model;
      p.run = cur.run;
      p.runs = cur.runs;
      p.tier = cur.tier;
    }
    if (etaMs === null || p.finished) continue;
    const own = input.samples.get(p.provider_key);
    const avg = own?.length ? mean(own) : fallbackAvg;
    if (avg === null) {
      etaMs = null;
      continue;
    }
    const inFlight = cur?.startedAt ? Math.min(avg, input.now - cur.startedAt) : 0;
    etaMs = Math.max(etaMs, avg * (p.total - p.done) - inFlight);
  }
  return { providers: [...byProvider.values()], done, total, etaMs: etaMs !== null && etaMs > 0 ? etaMs : null };
}
