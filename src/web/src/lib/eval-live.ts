// Live state of the tool eval on /tool-eval/evaluate/: submit, attach (also after a reload), stream events, cancel,
// progress and ETA. The same shape of module as bench-live.ts, sharing its phases, job memory and progress maths.
import { summarize } from "../../../shared/eval-summary.ts";
import { api } from "./api-client";
import { computeProgress, type CurrentRun, type ProviderProgress } from "./bench-progress";
import type { BenchTarget, JobView } from "./bench-types";
import { resultKey, type EvalRequest, type EvalResult, type EvalRunDetail, type EvalSubmitted, type EvalSummary, type ScorerName } from "./eval-types";
import { onLiveEvent } from "./event-bus";
import { ApiError } from "./http";
import { isTerminalPhase, phaseFromJobStatus, rememberedJob, rememberJob, type LivePhase } from "./live-job";
import type { LiveEvent, ProviderWithModels } from "./types";

export interface EvalLiveState {
  jobId: string | null;
  evalId: string | null;
  phase: LivePhase;
  /** Raw job status: pending / queued / running / done / … */
  jobStatus: string;
  progressPct: number;
  progressDetail: string;
  suiteName: string;
  scorer: ScorerName | null;
  targets: BenchTarget[];
  casesPerModel: number;
  providers: ProviderProgress[];
  results: EvalResult[];
  summary: EvalSummary[];
  /** True once the server's stored results (with score parts and raw exchanges) replaced the live ones. */
  final: boolean;
  etaAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  error: string;
}

export interface KnownEval {
  evalId: string;
  targets: BenchTarget[];
  suiteName: string;
  scorer: ScorerName;
  casesPerModel: number;
  jobStatus: string;
}

type Listener = (state: EvalLiveState) => void;

const STORAGE_KEY = "studio.tool-eval.job";
const EVENT_TYPES = [
  "tool_eval_init",
  "tool_eval_progress",
  "tool_eval_result",
  "job_started",
  "job_progress",
  "job_completed",
  "job_failed",
  "job_cancelled",
] as const;
const BUFFER_LIMIT = 500;
const ETA_SAMPLES = 8;

function emptyState(): EvalLiveState {
  return {
    jobId: null,
    evalId: null,
    phase: "idle",
    jobStatus: "",
    progressPct: 0,
    progressDetail: "",
    suiteName: "",
    scorer: null,
    targets: [],
    casesPerModel: 0,
    providers: [],
    results: [],
    summary: [],
    final: false,
    etaAt: null,
    startedAt: null,
    finishedAt: null,
    error: "",
  };
}

let state: EvalLiveState = emptyState();
let results: EvalResult[] = [];
let keys = new Set<string>();
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

export function getEvalLive(): EvalLiveState {
  return state;
}

export function onEvalLive(listener: Listener): () => void {
  ensureSubscribed();
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** Display and provider names for targets known only by key (after a reload). */
export function setEvalCatalog(providers: readonly ProviderWithModels[]): void {
  for (const p of providers) {
    for (const m of p.models) catalog.set(targetKey(m), { display_name: m.display_name || m.model_id, provider: p.display_name });
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
    display_name: t.display_name || known?.display_name || fromResult?.model_name || t.model_id,
    provider: t.provider || known?.provider || t.provider_key,
  };
}

export function storedEvalJobId(): string | null {
  return rememberedJob(STORAGE_KEY);
}

function clearData(): void {
  finalizing = null;
  results = [];
  keys = new Set();
  current = new Map();
  samples = new Map();
  serverPct = null;
}

/** Forgets the current job (e.g. before configuring a new run). */
export function resetEvalLive(): void {
  generation++;
  clearData();
  state = emptyState();
  rememberJob(STORAGE_KEY, null, null);
  notifyNow();
}

export async function submitEval(request: EvalRequest, known: Omit<KnownEval, "evalId" | "jobStatus">): Promise<EvalSubmitted> {
  ensureSubscribed();
  if (state.jobId) resetEvalLive();
  const res = await api.post<EvalSubmitted>("/api/tool-eval", request);
  await attachEvalJob(res.job_id, { ...known, evalId: res.eval_id, jobStatus: res.job_status });
  return res;
}

export async function cancelEval(): Promise<void> {
  const jobId = state.jobId;
  if (!jobId) return;
  try {
    await api.post("/api/tool-eval/cancel", { job_id: jobId });
  } catch (err) {
    // 404: it finished meanwhile; the job events / history read will tell which way.
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  if (state.jobId === jobId && !isTerminalPhase(state.phase)) void finalize("cancelled");
}

/**
 * Shows job `jobId`: replays events that arrived before, reads the job and the run's results so far, then
 * follows live events. With `known` (fresh submit) the reads are skipped.
 */
export async function attachEvalJob(jobId: string, known?: KnownEval): Promise<void> {
  ensureSubscribed();
  if (state.jobId === jobId && state.phase !== "idle" && !known) return;
  const myGeneration = ++generation;
  clearData();
  state = {
    ...emptyState(),
    jobId,
    evalId: known?.evalId ?? null,
    phase: known ? phaseFromJobStatus(known.jobStatus) : "loading",
    jobStatus: known?.jobStatus ?? "",
    suiteName: known?.suiteName ?? "",
    scorer: known?.scorer ?? null,
    targets: (known?.targets ?? []).map(named),
    casesPerModel: known?.casesPerModel ?? 0,
    startedAt: known ? Date.now() : null,
  };
  rememberJob(STORAGE_KEY, jobId, state.evalId);
  replayBuffered(jobId);
  recompute();
  notifyNow();
  if (known) return;

  try {
    const job = await api.get<JobView>(`/api/jobs/${encodeURIComponent(jobId)}`);
    if (myGeneration !== generation) return;
    if (job.job_type !== "tool_eval") {
      fail("That job is not a tool evaluation.");
      return;
    }
    const evalId = (typeof job.params?.eval_id === "string" ? job.params.eval_id : null) ?? job.result_ref;
    state = {
      ...state,
      evalId,
      jobStatus: isTerminalPhase(state.phase) ? state.jobStatus : job.status,
      phase: isTerminalPhase(state.phase) ? state.phase : phaseFromJobStatus(job.status),
      progressDetail: state.progressDetail || job.progress_detail,
      error: state.error || job.error_msg || "",
      startedAt: parseTime(job.started_at) ?? parseTime(job.created_at),
      finishedAt: state.finishedAt ?? parseTime(job.completed_at),
    };
    serverPct = Math.max(serverPct ?? 0, job.progress_pct);
    rememberJob(STORAGE_KEY, jobId, evalId);
    if (!evalId) {
      recompute();
      notifyNow();
      return;
    }
    await loadRun(myGeneration, isTerminalPhase(state.phase));
  } catch (err) {
    if (myGeneration !== generation) return;
    if (err instanceof ApiError && err.status === 404) {
      rememberJob(STORAGE_KEY, null, null);
      fail("This evaluation no longer exists.");
    } else {
      fail(err instanceof ApiError ? err.message : "Could not load the evaluation.");
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

/** Reads GET /api/tool-eval/history/{id}; `final` replaces the live results with the stored ones. */
async function loadRun(myGeneration: number, final: boolean): Promise<void> {
  const evalId = state.evalId;
  if (!evalId) return;
  const run = await api.get<EvalRunDetail>(`/api/tool-eval/history/${encodeURIComponent(evalId)}`);
  if (myGeneration !== generation) return;
  if (final) {
    results = [...run.results];
    keys = new Set(results.map(resultKey));
  } else {
    for (const r of run.results) addResult(r, false);
  }
  const initTargets = new Map(state.targets.map((t) => [targetKey(t), t]));
  state = {
    ...state,
    suiteName: run.suite_name || state.suiteName,
    scorer: run.scorer ?? state.scorer,
    casesPerModel: run.config.case_count ?? state.casesPerModel,
    targets: run.models.map((t) => named(initTargets.get(targetKey(t)) ?? t)),
  };
  if (final) {
    state = {
      ...state,
      summary: run.summary,
      final: true,
      startedAt: run.completed_at ? (parseTime(run.timestamp) ?? state.startedAt) : state.startedAt,
      finishedAt: parseTime(run.completed_at) ?? state.finishedAt,
    };
    if (state.phase === "completed") serverPct = 100;
  }
  recompute();
  notifyNow();
}

/** Moves to a terminal phase once and swaps in the server's stored results and summaries. */
function finalize(phase: LivePhase, error = ""): Promise<void> {
  if (isTerminalPhase(state.phase) && finalizing) return finalizing;
  const myGeneration = generation;
  state = { ...state, phase, error: error || state.error, etaAt: null, finishedAt: state.finishedAt ?? Date.now() };
  if (phase === "completed") serverPct = 100;
  current = new Map();
  recompute();
  notifyNow();
  finalizing = (async () => {
    try {
      await loadRun(myGeneration, true);
    } catch {
      // Keep the live results; the page still shows them (summarised in the browser).
    }
  })();
  return finalizing;
}

function addResult(r: EvalResult, live: boolean): boolean {
  const key = resultKey(r);
  if (keys.has(key)) return false;
  keys.add(key);
  results.push(r);
  if (live) {
    const cur = current.get(r.provider_key);
    const wall = cur?.startedAt && cur.model_id === r.model_id ? Date.now() - cur.startedAt : null;
    const duration = wall ?? r.latency_ms;
    if (duration !== null && duration > 0) {
      samples.set(r.provider_key, [...(samples.get(r.provider_key) ?? []), duration].slice(-ETA_SAMPLES));
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
    case "tool_eval_init": {
      const d = event.data as { eval_id?: string; targets?: BenchTarget[]; total_cases?: number; suite_name?: string; scorer?: ScorerName };
      state = {
        ...state,
        evalId: d.eval_id ?? state.evalId,
        targets: d.targets?.length ? d.targets.map(named) : state.targets,
        casesPerModel: d.total_cases ?? state.casesPerModel,
        suiteName: d.suite_name ?? state.suiteName,
        scorer: d.scorer ?? state.scorer,
      };
      rememberJob(STORAGE_KEY, state.jobId, state.evalId);
      break;
    }
    case "tool_eval_progress": {
      if (terminal) break;
      const d = event.data as { current: number; total: number; model: string; model_id: string; provider_key: string };
      current.set(d.provider_key, { model: d.model, model_id: d.model_id, run: d.current, runs: d.total, tier: 0, startedAt: Date.now() });
      state = { ...state, phase: "running", jobStatus: "running" };
      break;
    }
    case "tool_eval_result":
      if (!state.final) addResult(event.data as unknown as EvalResult, true);
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
      void finalize("failed", typeof event.error === "string" ? event.error : "The evaluation failed.");
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
  const all = [...((event.active_jobs as JobView[] | undefined) ?? []), ...((event.recent_jobs as JobView[] | undefined) ?? [])];
  const job = all.find((j) => j.id === jobId);
  if (!job) return;
  const phase = phaseFromJobStatus(job.status);
  if (isTerminalPhase(phase)) {
    if (!isTerminalPhase(state.phase)) void finalize(phase, job.error_msg ?? "");
    return;
  }
  serverPct = Math.max(serverPct ?? 0, job.progress_pct);
  state = { ...state, jobStatus: job.status, progressDetail: job.progress_detail || state.progressDetail };
  void loadRun(generation, false).catch(() => {});
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
    results: results.map((r) => ({ provider_key: r.provider_key, type: "result" as const, success: r.success })),
    runs: Math.max(1, state.casesPerModel),
    tiers: [0],
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
    summary: state.final ? state.summary : summarize(results),
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
