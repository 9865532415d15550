// The machinery behind a page that follows one background job live (bench-live.ts, eval-live.ts): submit, attach
// (also after a reload), events filtered by job_id (buffered until their job is attached), catch-up on `sync`,
// cancel, finalize with the server's stored run, progress and ETA. A `LiveJobSpec` says only what differs: the
// endpoints, the three job-specific event types, and how a result, a run or an event folds into the state.
import { api } from "./api-client";
import { computeProgress, type CurrentRun, type ProgressInput, type ProviderProgress } from "./bench-progress";
import type { BenchTarget, BenchTargetRef, JobView } from "./benchmark-types";
import { onLiveEvent } from "./event-bus";
import { ApiError } from "./http";
import { isTerminalPhase, phaseFromJobStatus, rememberedJob, rememberJob, scrollToRun, setJobInUrl, type LivePhase } from "./live-job";
import { ensureSession } from "./session";
import type { LiveEvent, ProviderWithModels } from "./types";

/** What every live job shows; `X` adds the job kind's own fields. */
export interface LiveJobCore<R> {
  jobId: string | null;
  /** The stored run the job writes (a benchmark's run_id, a tool eval's eval_id). */
  runId: string | null;
  phase: LivePhase;
  /** Raw job status: pending / queued / running / done / … */
  jobStatus: string;
  progressPct: number;
  progressDetail: string;
  targets: BenchTarget[];
  providers: ProviderProgress[];
  results: R[];
  /** True once the server's stored run (after the job finished) replaced what the live events built. */
  final: boolean;
  /** Expected finish time (epoch ms) while running, from recent call durations. */
  etaAt: number | null;
  /** Epoch ms when the job started / finished (for "took 12s"). */
  startedAt: number | null;
  finishedAt: number | null;
  error: string;
}

export type LiveJobState<R, X> = LiveJobCore<R> & X;

/** What a fresh submit already knows, so attaching needs no reads. */
export interface KnownLiveJob<X> {
  runId: string;
  jobStatus: string;
  targets: BenchTarget[];
  extras: Partial<X>;
}

interface ResultRef {
  provider_key: string;
  model_id: string;
}

type NamedRef = ResultRef & { display_name?: string; provider?: string };

/** What a stored run (GET `runPath`) contributes. */
export interface RunReading<R, X> {
  results: R[];
  /** The run's targets; null = the models seen in the results. */
  targets: readonly NamedRef[] | null;
  /** Fields taken on every read, and only when the read is final (the server's aggregates). */
  extras: Partial<X>;
  finalExtras: Partial<X>;
  timestamp: string | null;
  completedAt: string | null;
}

export interface LiveJobSpec<R extends ResultRef, X, Run> {
  /** sessionStorage key of the job this tab last showed. */
  storageKey: string;
  /** "benchmark" / "evaluation", for messages. */
  noun: string;
  /** Job types this page can show; the first is the one it starts (and resumes when nothing else is known). */
  jobTypes: readonly string[];
  wrongJobType: string;
  /** Which job param names the stored run. */
  runIdParam: string;
  cancelPath: string;
  runPath: (runId: string) => string;
  events: { init: string; progress: string; result: string };
  /** How many recent call durations per provider feed the ETA. */
  etaSamples: number;
  emptyExtras: () => X;
  resultKey: (r: R) => string;
  /** Names a result carries, for targets known only by key. */
  namesOf: (r: R) => { display_name?: string; provider?: string };
  /** For the ETA: null = not a timed call (a skipped run); else its reported duration and whether the in-flight
   *  call `cur` (from the last progress event) is the one that produced it. */
  timing: (r: R, cur: CurrentRun | undefined) => { reportedMs: number | null; sameCall: boolean } | null;
  fromRun: (run: Run, state: LiveJobState<R, X>) => RunReading<R, X>;
  /** The init event: the run id, the targets (undefined = keep) and the kind's own fields. */
  fromInit: (data: Record<string, unknown>, state: LiveJobState<R, X>) => { runId?: string; targets?: readonly NamedRef[]; extras: Partial<X> };
  /** The progress event: the call its `provider_key` is now on. */
  fromProgress: (data: Record<string, unknown>) => CurrentRun;
  /** What `computeProgress` counts (results, runs and tiers per model). */
  progressInput: (state: LiveJobState<R, X>, results: readonly R[]) => Pick<ProgressInput, "results" | "runs" | "tiers">;
  /** The kind's fields derived from the live results until the stored run replaces them. */
  liveExtras: (results: R[]) => Partial<X>;
}

const JOB_EVENTS = ["job_started", "job_progress", "job_completed", "job_failed", "job_cancelled"] as const;
const BUFFER_LIMIT = 500;

/** A plain copy for a page's signal: new arrays, so every update swaps whole objects (the kind copies its own). */
export function copyLiveCore<S extends LiveJobCore<unknown>>(s: S): S {
  return { ...s, targets: s.targets.map((t) => ({ ...t })), providers: s.providers.map((p) => ({ ...p })), results: s.results.slice() };
}

const targetKey = (t: ResultRef) => `${t.provider_key}\u0000${t.model_id}`;

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** One live job per page kind: a module singleton, so it survives in-app navigation. */
export function createLiveJob<R extends ResultRef, X, Run>(spec: LiveJobSpec<R, X, Run>) {
  type State = LiveJobState<R, X>;
  type Listener = (state: State) => void;

  const emptyState = (): State => ({
    jobId: null,
    runId: null,
    phase: "idle",
    jobStatus: "",
    progressPct: 0,
    progressDetail: "",
    targets: [],
    providers: [],
    results: [],
    final: false,
    etaAt: null,
    startedAt: null,
    finishedAt: null,
    error: "",
    ...spec.emptyExtras(),
  });

  let state: State = emptyState();
  let results: R[] = [];
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

  function named(t: NamedRef): BenchTarget {
    const known = catalog.get(targetKey(t));
    const fromResult = results.find((r) => r.provider_key === t.provider_key && r.model_id === t.model_id);
    const names = fromResult ? spec.namesOf(fromResult) : undefined;
    return {
      provider_key: t.provider_key,
      model_id: t.model_id,
      display_name: t.display_name || known?.display_name || names?.display_name || t.model_id,
      provider: t.provider || known?.provider || names?.provider || t.provider_key,
    };
  }

  const modelsInResults = (): BenchTargetRef[] => [
    ...new Map(results.map((r) => [targetKey(r), { provider_key: r.provider_key, model_id: r.model_id }])).values(),
  ];

  const remember = (jobId: string | null, runId: string | null) => rememberJob(spec.storageKey, jobId, runId);

  function clearData(): void {
    finalizing = null;
    results = [];
    resultKeys = new Set();
    current = new Map();
    samples = new Map();
    serverPct = null;
  }

  /** Forgets the current job (e.g. before configuring a new run). */
  function reset(): void {
    generation++;
    clearData();
    state = emptyState();
    remember(null, null);
    notifyNow();
  }

  /** Starts a job; the previous run's view is cleared first so nothing stale shows while submitting. */
  async function submit<Res extends { job_id: string; job_status: string }>(
    path: string,
    body: unknown,
    known: (res: Res) => KnownLiveJob<X>,
  ): Promise<Res> {
    ensureSubscribed();
    if (state.jobId) reset();
    const res = await api.post<Res>(path, body);
    await attach(res.job_id, known(res));
    return res;
  }

  async function cancel(): Promise<void> {
    const jobId = state.jobId;
    if (!jobId) return;
    try {
      await api.post(spec.cancelPath, { job_id: jobId });
    } catch (err) {
      // 404: it finished meanwhile; the job events / stored run will tell which way.
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    if (state.jobId === jobId && !isTerminalPhase(state.phase)) void finalize("cancelled");
  }

  /**
   * Shows job `jobId`: replays any events that arrived before, reads the job and the run's results so far,
   * then follows live events. With `known` (fresh submit) the job and run reads are skipped.
   */
  async function attach(jobId: string, known?: KnownLiveJob<X>): Promise<void> {
    ensureSubscribed();
    if (state.jobId === jobId && state.phase !== "idle" && !known) return;
    const myGeneration = ++generation;
    clearData();
    state = {
      ...emptyState(),
      ...known?.extras,
      jobId,
      runId: known?.runId ?? null,
      phase: known ? phaseFromJobStatus(known.jobStatus) : "loading",
      jobStatus: known?.jobStatus ?? "",
      targets: (known?.targets ?? []).map(named),
      startedAt: known ? Date.now() : null,
    };
    remember(jobId, state.runId);
    replayBuffered(jobId);
    recompute();
    notifyNow();
    if (known) return;

    try {
      const job = await api.get<JobView>(`/api/jobs/${encodeURIComponent(jobId)}`);
      if (myGeneration !== generation) return;
      if (!spec.jobTypes.includes(job.job_type)) {
        fail(spec.wrongJobType);
        return;
      }
      const param = job.params?.[spec.runIdParam];
      const runId = (typeof param === "string" ? param : null) ?? job.result_ref;
      state = {
        ...state,
        runId,
        jobStatus: isTerminalPhase(state.phase) ? state.jobStatus : job.status,
        phase: isTerminalPhase(state.phase) ? state.phase : phaseFromJobStatus(job.status),
        progressDetail: state.progressDetail || job.progress_detail,
        error: state.error || job.error_msg || "",
        startedAt: parseTime(job.started_at) ?? parseTime(job.created_at),
        finishedAt: state.finishedAt ?? parseTime(job.completed_at),
      };
      serverPct = Math.max(serverPct ?? 0, job.progress_pct);
      remember(jobId, runId);
      if (!runId) {
        recompute();
        notifyNow();
        return;
      }
      await loadRun(myGeneration, isTerminalPhase(state.phase));
    } catch (err) {
      if (myGeneration !== generation) return;
      if (err instanceof ApiError && err.status === 404) {
        remember(null, null);
        fail(`This ${spec.noun} no longer exists.`);
      } else {
        fail(err instanceof ApiError ? err.message : `Could not load the ${spec.noun}.`);
      }
    }
  }

  function fail(message: string): void {
    state = { ...state, phase: state.phase === "loading" ? "idle" : state.phase, error: message };
    notifyNow();
  }

  /** Reads the stored run; `final` replaces everything with the server's results and aggregates. */
  async function loadRun(myGeneration: number, final: boolean): Promise<void> {
    const runId = state.runId;
    if (!runId) return;
    const run = await api.get<Run>(spec.runPath(runId));
    if (myGeneration !== generation) return;
    const reading = spec.fromRun(run, state);
    if (final) {
      results = [...reading.results];
      resultKeys = new Set(results.map(spec.resultKey));
    } else {
      for (const r of reading.results) addResult(r, false);
    }
    const initTargets = new Map(state.targets.map((t) => [targetKey(t), t]));
    state = {
      ...state,
      ...reading.extras,
      targets: (reading.targets ?? modelsInResults()).map((t) => named(initTargets.get(targetKey(t)) ?? t)),
    };
    if (final) {
      state = {
        ...state,
        ...reading.finalExtras,
        final: true,
        // Both ends from the server's clock when it has them.
        startedAt: reading.completedAt ? (parseTime(reading.timestamp) ?? state.startedAt) : state.startedAt,
        finishedAt: parseTime(reading.completedAt) ?? state.finishedAt,
      };
      if (state.phase === "completed") serverPct = 100;
    }
    recompute();
    notifyNow();
  }

  /** Moves to a terminal phase once and swaps in the server's stored run. */
  function finalize(phase: LivePhase, error = ""): Promise<void> {
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
        // Keep the live results; the page still shows them (summarised in the browser).
      }
    })();
    return finalizing;
  }

  function addResult(r: R, live: boolean): boolean {
    const key = spec.resultKey(r);
    if (resultKeys.has(key)) return false;
    resultKeys.add(key);
    results.push(r);
    if (live) {
      const cur = current.get(r.provider_key);
      const timing = spec.timing(r, cur);
      if (timing) {
        const wall = cur?.startedAt && timing.sameCall ? Date.now() - cur.startedAt : null;
        const duration = wall ?? timing.reportedMs;
        if (duration !== null && duration > 0) {
          samples.set(r.provider_key, [...(samples.get(r.provider_key) ?? []), duration].slice(-spec.etaSamples));
        }
        if (cur) cur.startedAt = null;
      }
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
    const data = (event.data ?? {}) as Record<string, unknown>;
    switch (event.type) {
      case spec.events.init: {
        const init = spec.fromInit(data, state);
        state = {
          ...state,
          ...init.extras,
          runId: init.runId ?? state.runId,
          targets: init.targets ? init.targets.map(named) : state.targets,
        };
        remember(state.jobId, state.runId);
        break;
      }
      case spec.events.progress: {
        if (terminal) break;
        current.set(String(data.provider_key), spec.fromProgress(data));
        state = { ...state, phase: "running", jobStatus: "running" };
        break;
      }
      case spec.events.result:
        if (!state.final) addResult(event.data as unknown as R, true);
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
        void finalize("failed", typeof event.error === "string" ? event.error : `The ${spec.noun} failed.`);
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
    void loadRun(generation, false).catch(() => {});
  }

  function recompute(): void {
    if (!state.targets.length && results.length) state = { ...state, targets: modelsInResults().map(named) };
    const terminal = isTerminalPhase(state.phase);
    const now = Date.now();
    const progress = computeProgress({
      ...spec.progressInput(state, results),
      targets: state.targets,
      terminal,
      current,
      samples,
      now,
    });
    const computedPct = progress.total ? (progress.done / progress.total) * 100 : 0;
    const pct = state.phase === "completed" ? 100 : Math.max(serverPct ?? 0, computedPct);
    state = {
      ...state,
      ...(state.final ? {} : spec.liveExtras(results)),
      providers: progress.providers,
      results: results.slice(),
      progressPct: Math.min(100, pct),
      etaAt: progress.etaMs !== null && !terminal ? now + progress.etaMs : null,
    };
  }

  function ensureSubscribed(): void {
    if (subscribed || typeof window === "undefined") return;
    subscribed = true;
    for (const type of [spec.events.init, spec.events.progress, spec.events.result, ...JOB_EVENTS]) onLiveEvent(type, handle);
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

  /**
   * What the page on `page` shows on load and on in-app navigation: the job in the URL, else the one this tab
   * last showed (forgotten quietly if it is gone), else any active job of this kind.
   */
  async function resume(page: RegExp): Promise<void> {
    if (!page.test(location.pathname)) return;
    await ensureSession().catch(() => null); // the stored job is checked against the signed-in account
    const fromUrl = new URL(location.href).searchParams.get("job");
    if (fromUrl) {
      const first = state.jobId !== fromUrl;
      await attach(fromUrl);
      if (first) scrollToRun();
      return;
    }
    const remembered = state.jobId ?? rememberedJob(spec.storageKey);
    if (remembered) {
      setJobInUrl(page, remembered);
      await attach(remembered);
      if (state.phase === "idle" && state.error) {
        // A remembered job that is gone (deleted, other account): forget it quietly.
        reset();
        setJobInUrl(page, null);
      }
      return;
    }
    try {
      const { jobs } = await api.get<{ jobs: JobView[] }>("/api/jobs?status=pending,queued,running&limit=20");
      const active = jobs.find((j) => j.job_type === spec.jobTypes[0]);
      if (active && !state.jobId) {
        setJobInUrl(page, active.id);
        await attach(active.id);
      }
    } catch {
      // Nothing to resume.
    }
  }

  return {
    get: (): State => state,
    subscribe(listener: Listener): () => void {
      ensureSubscribed();
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    /** Display and provider names for targets known only by key (after a reload). */
    setCatalog(providers: readonly ProviderWithModels[]): void {
      for (const p of providers) {
        for (const m of p.models) catalog.set(targetKey(m), { display_name: m.display_name || m.model_id, provider: p.display_name });
      }
      if (state.jobId) {
        state = { ...state, targets: state.targets.map(named) };
        scheduleNotify();
      }
    },
    reset,
    submit,
    attach,
    cancel,
    resume,
  };
}
