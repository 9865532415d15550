// Live state of the benchmark on /benchmark/: submit, attach (also after a reload), stream events, cancel, ETA.
import { api } from "./api-client";
import { computeProgress, type CurrentRun, type ProviderProgress } from "./bench-progress";
import { aggregateResults, resultKey } from "./bench-stats";
import type {
  Aggregate,
  BenchmarkRequest,
  BenchmarkRun,
  BenchmarkSubmitted,
  BenchResult,
  BenchTarget,
  JobView,
} from "./bench-types";
import { onLiveEvent } from "./event-bus";
import { ApiError } from "./http";
import { isTerminalPhase, phaseFromJobStatus, rememberedJob, rememberJob, type LivePhase } from "./live-job";
import type { LiveEvent, ProviderWithModels } from "./types";

export type { ProviderProgress };

export type BenchPhase = LivePhase;
export { isTerminalPhase, phaseFromJobStatus };

export interface BenchLiveState {
  jobId: string | null;
  runId: string | null;
  phase: BenchPhase;
  /** Raw job status: pending / queued / running / done / … */
  jobStatus: string;
  progressPct: number;
  progressDetail: string;
  targets: BenchTarget[];
  runs: number;
  tiers: number[];
  maxTokens: number | null;
  warmup: boolean;
  providers: ProviderProgress[];
  results: BenchResult[];
  aggregates: Aggregate[];
  /** True once the server's aggregates (after the job finished) replaced the client-side ones. */
  aggregatesFinal: boolean;
  /** Expected finish time (epoch ms) while running, from recent run durations. */
  etaAt: number | null;
  /** Epoch ms when the job started / finished (for "took 12s"). */
  startedAt: number | null;
  finishedAt: number | null;
  error: string;
}

export interface KnownJob {
  runId: string;
  targets: BenchTarget[];
  runs: number;
  tiers: number[];
  maxTokens: number;
  warmup: boolean;
  jobStatus?: string;
}

type Listener = (state: BenchLiveState) => void;

const STORAGE_KEY = "studio.benchmark.job";
const EVENT_TYPES = [
  "benchmark_init",
  "benchmark_progress",
  "benchmark_result",
  "job_started",
  "job_progress",
  "job_completed",
  "job_failed",
  "job_cancelled",
] as const;
const BUFFER_LIMIT = 500;
const ETA_SAMPLES = 5;

function emptyState(): BenchLiveState {
  return {
    jobId: null,
    runId: null,
    phase: "idle",
    jobStatus: "",
    progressPct: 0,
    progressDetail: "",
    targets: [],
    runs: 1,
    tiers: [0],
    maxTokens: null,
    warmup: false,
    providers: [],
    results: [],
    aggregates: [],
    aggregatesFinal: false,
    etaAt: null,
    startedAt: null,
    finishedAt: null,
    error: "",
  };
}

let state: BenchLiveState = emptyState();
let results: BenchResult[] = [];
let resultKeys = new Set<string>();
let current = new Map<string, CurrentRun>();
let samples = new Map<string, number[]>();
let serverPct: number | null = null;
/** Bumped on every attach/reset so late responses for an older job are ignored. */
let generation = 0;
let finalizing: Promise<void> | null = null;
let buffer: LiveEvent[] = [];
let subscribed = false;
let notifyTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<Listener>();
const catalog = new Map<string, { display_name: string; provider: string }>();

const targetKey = (t: { provider_key: string; model_id: string }) => `${t.provider_key}\u0000${t.model_id}`;

export function getBenchLive(): BenchLiveState {
  return state;
}

export function onBenchLive(listener: Listener): () => void {
  ensureSubscribed();
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** Display names for targets known only by key (after a reload). */
export function setModelCatalog(providers: readonly ProviderWithModels[]): void {
  for (const p of providers) {
    for (const m of p.models) {
      catalog.set(targetKey(m), { display_name: m.display_name || m.model_id, provider: p.display_name });
    }
  }
  if (state.jobId) {
    state = { ...state, targets: state.targets.map(named) };
    scheduleNotify();
  }
}

function named(t: { provider_key: string; model_id: string; display_name?: string; provider?: string }): BenchTarget {
  const known = catalog.get(targetKey(t));
  const fromResult = results.find((r) => r.provider_key === t.provider_key && r.model_id === t.model_id);
  return {
    provider_key: t.provider_key,
    model_id: t.model_id,
    display_name: t.display_name || known?.display_name || fromResult?.model || t.model_id,
    provider: t.provider || known?.provider || fromResult?.provider || t.provider_key,
  };
}

/** The job this tab last showed, unless it belongs to another account. */
export function storedJobId(): string | null {
  return rememberedJob(STORAGE_KEY);
}

function storeJob(jobId: string | null, runId: string | null): void {
  rememberJob(STORAGE_KEY, jobId, runId);
}

/** Forgets the current job (e.g. before configuring a new run). */
export function resetBenchLive(): void {
  generation++;
  finalizing = null;
  results = [];
  resultKeys = new Set();
  current = new Map();
  samples = new Map();
  serverPct = null;
  state = emptyState();
  storeJob(null, null);
  notifyNow();
}

/** Starts a benchmark; the previous run's view is cleared first so nothing stale shows while submitting. */
export async function submitBenchmark(request: BenchmarkRequest, targets: BenchTarget[]): Promise<BenchmarkSubmitted> {
  ensureSubscribed();
  if (state.jobId) resetBenchLive();
  const res = await api.post<BenchmarkSubmitted>("/api/benchmark", request);
  await attachJob(res.job_id, {
    runId: res.run_id,
    targets,
    runs: request.runs,
    tiers: [...new Set(request.context_tiers)].sort((a, b) => a - b),
    maxTokens: request.max_tokens,
    warmup: request.warmup,
    jobStatus: res.job_status,
  });
  return res;
}

export async function cancelBenchmark(): Promise<void> {
  const jobId = state.jobId;
  if (!jobId) return;
  try {
    await api.post("/api/benchmark/cancel", { job_id: jobId });
  } catch (err) {
    // 404: it finished meanwhile; the job events / history fetch will tell which way.
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  if (state.jobId === jobId && !isTerminalPhase(state.phase)) void finalize("cancelled");
}

/**
 * Shows job `jobId`: replays any events that arrived before, reads the job and the run's results so far,
 * then follows live events. With `known` (fresh submit) the job and history reads are skipped.
 */
export async function attachJob(jobId: string, known?: KnownJob): Promise<void> {
  ensureSubscribed();
  if (state.jobId === jobId && state.phase !== "idle" && !known) return;
  const myGeneration = ++generation;
  finalizing = null;
  results = [];
  resultKeys = new Set();
  current = new Map();
  samples = new Map();
  serverPct = null;
  state = {
    ...emptyState(),
    jobId,
    runId: known?.runId ?? null,
    phase: known ? phaseFromJobStatus(known.jobStatus ?? "running") : "loading",
    jobStatus: known?.jobStatus ?? "",
    targets: (known?.targets ?? []).map(named),
    runs: known?.runs ?? 1,
    tiers: known?.tiers ?? [0],
    maxTokens: known?.maxTokens ?? null,
    warmup: known?.warmup ?? false,
    startedAt: known ? Date.now() : null,
  };
  storeJob(jobId, state.runId);
  replayBuffered(jobId);
  recompute();
  notifyNow();
  if (known) return;

  try {
    const job = await api.get<JobView>(`/api/jobs/${encodeURIComponent(jobId)}`);
    if (myGeneration !== generation) return;
    if (job.job_type !== "benchmark" && job.job_type !== "scheduled_benchmark") {
      fail("That job is not a speed benchmark.");
      return;
    }
    const runId = (typeof job.params?.run_id === "string" ? job.params.run_id : null) ?? job.result_ref;
    const phase = phaseFromJobStatus(job.status);
    state = {
      ...state,
      runId,
      jobStatus: isTerminalPhase(state.phase) ? state.jobStatus : job.status,
      phase: isTerminalPhase(state.phase) ? state.phase : phase,
      progressDetail: state.progressDetail || job.progress_detail,
      error: state.error || job.error_msg || "",
      startedAt: parseTime(job.started_at) ?? parseTime(job.created_at),
      finishedAt: state.finishedAt ?? parseTime(job.completed_at),
    };
    serverPct = Math.max(serverPct ?? 0, job.progress_pct);
    storeJob(jobId, runId);
    if (!runId) {
      recompute();
      notifyNow();
      return;
    }
    await loadRun(myGeneration, isTerminalPhase(state.phase));
  } catch (err) {
    if (myGeneration !== generation) return;
    if (err instanceof ApiError && err.status === 404) {
      storeJob(null, null);
      fail("This benchmark no longer exists.");
    } else {
      fail(err instanceof ApiError ? err.message : "Could not load the benchmark.");
    }
  }
}

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function fail(message: string): void {
  state = { ...state, phase: state.phase === "loading" ? "idle" : state.phase, error: message };
  notifyNow();
}

/** Reads GET /api/history/{run_id}; `final` replaces everything with the server's results and aggregates. */
async function loadRun(myGeneration: number, final: boolean): Promise<void> {
  const runId = state.runId;
  if (!runId) return;
  const run = await api.get<BenchmarkRun>(`/api/history/${encodeURIComponent(runId)}`);
  if (myGeneration !== generation) return;
  const measured = (run.results ?? []).filter((r) => r.type === "skipped" || r.run > 0);
  if (final) {
    results = [...measured];
    resultKeys = new Set(results.map(resultKey));
  } else {
    for (const r of measured) addResult(r, false);
  }
  const refs = run.config?.targets?.length
    ? run.config.targets
    : [...new Map(results.map((r) => [targetKey(r), { provider_key: r.provider_key, model_id: r.model_id }])).values()];
  const initTargets = new Map(state.targets.map((t) => [targetKey(t), t]));
  state = {
    ...state,
    targets: refs.map((t) => named(initTargets.get(targetKey(t)) ?? t)),
    runs: run.runs || state.runs,
    tiers: run.context_tiers?.length ? [...run.context_tiers].sort((a, b) => a - b) : state.tiers,
    maxTokens: run.max_tokens ?? state.maxTokens,
    warmup: run.warmup ?? state.warmup,
  };
  if (final) {
    state = {
      ...state,
      aggregates: run.aggregates ?? [],
      aggregatesFinal: true,
      // Both ends from the server's clock when it has them.
      startedAt: run.completed_at ? (parseTime(run.timestamp) ?? state.startedAt) : state.startedAt,
      finishedAt: parseTime(run.completed_at) ?? state.finishedAt,
    };
    if (state.phase === "completed") serverPct = 100;
  }
  recompute();
  notifyNow();
}

/** Moves to a terminal phase once and swaps in the server's stored results and aggregates. */
function finalize(phase: BenchPhase, error = ""): Promise<void> {
  if (isTerminalPhase(state.phase) && finalizing) return finalizing;
  const myGeneration = generation;
  state = { ...state, phase, error: error || state.error, etaAt: null, finishedAt: state.finishedAt ?? Date.now() };
  if (phase === "completed") serverPct = 100;
  current = new Map();
  recompute();
  notifyNow();
  finalizing = (async () => {
    if (!state.runId) return;
    try {
      await loadRun(myGeneration, true);
    } catch {
      // Keep the live results; the page still shows them (aggregated client-side).
    }
  })();
  return finalizing;
}

function addResult(r: BenchResult, live: boolean): boolean {
  const key = resultKey(r);
  if (resultKeys.has(key)) return false;
  resultKeys.add(key);
  results.push(r);
  if (live && r.type === "result") {
    const cur = current.get(r.provider_key);
    const wall =
      cur?.startedAt && cur.model_id === r.model_id && cur.run === r.run && cur.tier === r.context_tokens
        ? Date.now() - cur.startedAt
        : null;
    const duration = wall ?? r.total_ms;
    if (duration !== null && duration > 0) {
      const list = samples.get(r.provider_key) ?? [];
      list.push(duration);
      samples.set(r.provider_key, list.slice(-ETA_SAMPLES));
    }
    if (cur) cur.startedAt = null;
  }
  return true;
}

function handle(event: LiveEvent): void {
  const jobId = typeof event.job_id === "string" ? event.job_id : "";
  if (!jobId) return;
  if (jobId !== state.jobId) {
    buffer.push(event);
    if (buffer.length > BUFFER_LIMIT) buffer = buffer.slice(-BUFFER_LIMIT);
    return;
  }
  apply(event);
  recompute();
  scheduleNotify();
}

function replayBuffered(jobId: string): void {
  const mine = buffer.filter((e) => e.job_id === jobId);
  buffer = buffer.filter((e) => e.job_id !== jobId);
  for (const event of mine) apply(event);
}

function apply(event: LiveEvent): void {
  const terminal = isTerminalPhase(state.phase);
  switch (event.type) {
    case "benchmark_init": {
      const data = event.data as {
        run_id: string;
        targets: BenchTarget[];
        runs: number;
        context_tiers: number[];
        max_tokens: number;
      };
      state = {
        ...state,
        runId: data.run_id ?? state.runId,
        targets: (data.targets ?? []).map(named),
        runs: data.runs ?? state.runs,
        tiers: data.context_tiers?.length ? [...data.context_tiers].sort((a, b) => a - b) : state.tiers,
        maxTokens: data.max_tokens ?? state.maxTokens,
      };
      storeJob(state.jobId, state.runId);
      break;
    }
    case "benchmark_progress": {
      if (terminal) break;
      const d = event.data as { provider_key: string; model: string; model_id: string; run: number; runs: number; context_tokens: number };
      current.set(d.provider_key, {
        model: d.model,
        model_id: d.model_id,
        run: d.run,
        runs: d.runs,
        tier: d.context_tokens,
        startedAt: Date.now(),
      });
      if (state.phase === "loading") state = { ...state, phase: "running" };
      state = { ...state, jobStatus: "running" };
      break;
    }
    case "benchmark_result":
      if (!state.aggregatesFinal) addResult(event.data as BenchResult, true);
      break;
    case "job_started":
      if (!terminal) state = { ...state, phase: "running", jobStatus: "running" };
      break;
    case "job_progress":
      if (terminal) break;
      serverPct = typeof event.progress_pct === "number" ? event.progress_pct : serverPct;
      state = {
        ...state,
        jobStatus: "running",
        phase: "running",
        progressDetail: typeof event.progress_detail === "string" ? event.progress_detail : state.progressDetail,
      };
      break;
    case "job_completed":
      state = { ...state, jobStatus: "done" };
      void finalize("completed");
      break;
    case "job_failed":
      state = { ...state, jobStatus: "failed" };
      void finalize("failed", typeof event.error === "string" ? event.error : "The benchmark failed.");
      break;
    case "job_cancelled":
      state = { ...state, jobStatus: "cancelled" };
      void finalize("cancelled");
      break;
  }
}

/** On (re)connect the server lists active and recent jobs: catch up on anything missed while offline. */
function handleSync(event: LiveEvent): void {
  const jobId = state.jobId;
  if (!jobId || state.phase === "idle" || state.phase === "loading") return;
  const all = [
    ...((event.active_jobs as JobView[] | undefined) ?? []),
    ...((event.recent_jobs as JobView[] | undefined) ?? []),
  ];
  const job = all.find((j) => j.id === jobId);
  if (!job) return;
  const phase = phaseFromJobStatus(job.status);
  if (isTerminalPhase(phase)) {
    if (!isTerminalPhase(state.phase)) void finalize(phase, job.error_msg ?? "");
    return;
  }
  serverPct = Math.max(serverPct ?? 0, job.progress_pct);
  state = { ...state, jobStatus: job.status, progressDetail: job.progress_detail || state.progressDetail };
  const myGeneration = generation;
  void loadRun(myGeneration, false).catch(() => {});
}

function recompute(): void {
  if (!state.targets.length && results.length) {
    const refs = [...new Map(results.map((r) => [targetKey(r), { provider_key: r.provider_key, model_id: r.model_id }])).values()];
    state = { ...state, targets: refs.map(named) };
  }
  const terminal = isTerminalPhase(state.phase);
  const now = Date.now();
  const progress = computeProgress({
    targets: state.targets,
    results,
    runs: state.runs,
    tiers: state.tiers,
    terminal,
    current,
    samples,
    now,
  });
  const computedPct = progress.total ? (progress.done / progress.total) * 100 : 0;
  const pct = state.phase === "completed" ? 100 : Math.max(serverPct ?? 0, computedPct);
  state = {
    ...state,
    providers: progress.providers,
    results: results.slice(),
    aggregates: state.aggregatesFinal ? state.aggregates : aggregateResults(results),
    progressPct: Math.min(100, pct),
    etaAt: progress.etaMs !== null && !terminal ? now + progress.etaMs : null,
  };
}

function ensureSubscribed(): void {
  if (subscribed || typeof window === "undefined") return;
  subscribed = true;
  for (const type of EVENT_TYPES) onLiveEvent(type, handle);
  onLiveEvent("sync", handleSync);
}

function scheduleNotify(): void {
  if (notifyTimer !== undefined) return;
  notifyTimer = setTimeout(notifyNow, 60);
}

function notifyNow(): void {
  clearTimeout(notifyTimer);
  notifyTimer = undefined;
  for (const listener of listeners) listener(state);
}
