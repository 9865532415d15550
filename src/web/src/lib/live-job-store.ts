// The shell around a live job's fold (live-job-reducer.ts) for the pages that follow one background job (bench-live.ts,
// eval-live.ts): submit, attach (also after a reload), cancel and the stored-run reads; it routes events by job_id
// (buffered until their job is attached), stamps them with the time, keeps the facts and notifies the page.
import type { JobView } from "../../../shared/jobs.ts";
import { api } from "./api-client";
import { onLiveEvent } from "./event-bus";
import { ApiError } from "./http";
import type { LiveEvent, LiveEventOf, LiveEventType } from "./live-events.ts";
import { isTerminalPhase, rememberedJob, rememberJob, scrollToRun, setJobInUrl } from "./live-job";
import {
  createLiveJobReducer,
  jobInSync,
  type KnownLiveJob,
  type LiveJobFacts,
  type LiveJobKind,
  type LiveJobState,
  targetKey,
} from "./live-job-reducer.ts";
import { phaseFromJobStatus } from "./live-phase.ts";
import { ensureSession } from "./session";
import type { ProviderWithModels } from "./types";

export type { KnownLiveJob, LiveJobCore, LiveJobState } from "./live-job-reducer.ts";

/** Where a kind's job lives on the server and in this tab. */
export interface LiveJobEndpoints {
  /** sessionStorage key of the job this tab last showed. */
  storageKey: string;
  wrongJobType: string;
  /** Where a cancel is POSTed (body `{job_id}`), or the path for one job (then with no body). */
  cancelPath: string | ((jobId: string) => string);
  runPath: (runId: string) => string;
}

/** What a page needs of its kind's live job (use-live-job.ts), every state a plain copy for the page's signal. */
export interface LivePageJob<S> {
  get(): S;
  subscribe(listener: (state: S) => void): () => void;
  resume(page: RegExp): Promise<void>;
  reset(): void;
  cancel(): Promise<void>;
}

const JOB_EVENTS = ["job_started", "job_progress", "job_completed", "job_failed", "job_cancelled"] as const satisfies readonly LiveEventType[];
const BUFFER_LIMIT = 500;

/** One live job per page kind: a module singleton, so it survives in-app navigation. */
export function createLiveJob<R extends { provider_key: string; model_id: string }, X, Run>(
  kind: LiveJobKind<R, X, Run>,
  endpoints: LiveJobEndpoints,
) {
  type State = LiveJobState<R, X>;
  type Facts = LiveJobFacts<R, X>;
  type Listener = (state: State) => void;

  const reducer = createLiveJobReducer(kind);
  let facts: Facts = reducer.empty();
  /** The page's state for `facts`, derived on first read after a change. */
  let view: State | null = null;
  /** Bumped on every attach/reset so late responses for an older job are ignored. */
  let generation = 0;
  /** The final read of the stored run, once the job is over (one per attach). */
  let finalizing: Promise<void> | null = null;
  /** Events of jobs not attached (yet), with the time they arrived. */
  let buffer: { event: LiveEvent & { job_id: string }; at: number }[] = [];
  let subscribed = false;
  let notifyTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<Listener>();
  const catalog = new Map<string, { display_name: string; provider: string }>();

  const get = (): State => (view ??= reducer.view(facts, Date.now(), (ref) => catalog.get(targetKey(ref))));

  /** Takes the next facts: remembers the job for reloads and starts the final read once the job is over. */
  function update(next: Facts): boolean {
    if (next === facts) return false;
    if (next.jobId !== facts.jobId || next.runId !== facts.runId) rememberJob(endpoints.storageKey, next.jobId, next.runId);
    facts = next;
    view = null;
    if (isTerminalPhase(facts.phase) && facts.runId && !facts.final)
      void finalRead().catch(() => {
        // Keep the live results; the page still shows them (summarised in the browser).
      });
    return true;
  }

  /** Forgets the current job (e.g. before configuring a new run). */
  function reset(): void {
    generation++;
    finalizing = null;
    update(reducer.empty());
    rememberJob(endpoints.storageKey, null, null);
    notifyNow();
  }

  /** Starts a job; the previous run's view is cleared first so nothing stale shows while submitting. */
  async function submit<Res extends { job_id: string }>(path: string, body: unknown, known: (res: Res) => KnownLiveJob<X>): Promise<Res> {
    ensureSubscribed();
    if (facts.jobId) reset();
    const res = await api.post<Res>(path, body);
    await attach(res.job_id, known(res));
    return res;
  }

  async function cancel(): Promise<void> {
    const jobId = facts.jobId;
    if (!jobId) return;
    try {
      if (typeof endpoints.cancelPath === "string") await api.post(endpoints.cancelPath, { job_id: jobId });
      else await api.post(endpoints.cancelPath(jobId), {});
    } catch (err) {
      // 404: it finished meanwhile; the job events / stored run will tell which way.
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    if (facts.jobId !== jobId) return;
    update(reducer.terminal(facts, "cancelled", "", Date.now()));
    notifyNow();
  }

  /**
   * Shows job `jobId`: replays any events that arrived before, reads the job and the run's results so far,
   * then follows live events. With `known` (fresh submit) the job and run reads are skipped.
   */
  async function attach(jobId: string, known?: KnownLiveJob<X>): Promise<void> {
    ensureSubscribed();
    if (facts.jobId === jobId && facts.phase !== "idle" && !known) return;
    const myGeneration = ++generation;
    finalizing = null;
    let next = reducer.attach(jobId, known, Date.now());
    for (const { event, at } of buffer.filter((b) => b.event.job_id === jobId)) next = reducer.event(next, event, at);
    buffer = buffer.filter((b) => b.event.job_id !== jobId);
    update(next);
    notifyNow();
    if (known) return;

    try {
      const job = await api.get<JobView>(`/api/jobs/${encodeURIComponent(jobId)}`);
      if (myGeneration !== generation) return;
      if (!kind.jobTypes.includes(job.job_type)) {
        fail(endpoints.wrongJobType);
        return;
      }
      update(reducer.job(facts, job));
      if (!facts.runId) {
        notifyNow();
        return;
      }
      await (isTerminalPhase(facts.phase) ? finalRead() : loadRun(myGeneration, false));
    } catch (err) {
      if (myGeneration !== generation) return;
      if (err instanceof ApiError && err.status === 404) {
        rememberJob(endpoints.storageKey, null, null);
        fail(`This ${kind.noun} no longer exists.`);
      } else {
        fail(err instanceof ApiError ? err.message : `Could not load the ${kind.noun}.`);
      }
    }
  }

  function fail(message: string): void {
    update(reducer.fail(facts, message));
    notifyNow();
  }

  /** Reads the stored run; `final` replaces everything with the server's results and aggregates. */
  async function loadRun(myGeneration: number, final: boolean): Promise<void> {
    if (!facts.runId) return;
    const run = await api.get<Run>(endpoints.runPath(facts.runId));
    if (myGeneration !== generation) return;
    update(reducer.run(facts, run, final));
    notifyNow();
  }

  /** The final read, started once per attached job (a later caller awaits the same read). */
  function finalRead(): Promise<void> {
    finalizing ??= loadRun(generation, true);
    return finalizing;
  }

  function handle(event: LiveEvent): void {
    if (!("job_id" in event)) return;
    if (event.job_id !== facts.jobId) {
      buffer.push({ event, at: Date.now() });
      if (buffer.length > BUFFER_LIMIT) buffer = buffer.slice(-BUFFER_LIMIT);
      return;
    }
    update(reducer.event(facts, event, Date.now()));
    scheduleNotify();
  }

  /** On (re)connect the server lists active and recent jobs: after the catch-up, a running job's run is read again. */
  function handleSync(event: LiveEventOf<"sync">): void {
    const before = facts;
    if (update(reducer.event(facts, event, Date.now()))) scheduleNotify();
    const job = jobInSync(event, before.jobId);
    if (job && before.phase !== "idle" && before.phase !== "loading" && phaseFromJobStatus(job.status) === "running") {
      void loadRun(generation, false).catch(() => {});
    }
  }

  function ensureSubscribed(): void {
    if (subscribed || typeof window === "undefined") return;
    subscribed = true;
    for (const type of [...kind.eventTypes, ...JOB_EVENTS]) onLiveEvent(type, handle);
    onLiveEvent("sync", handleSync);
  }

  function scheduleNotify(): void {
    if (notifyTimer !== undefined) return;
    notifyTimer = setTimeout(notifyNow, 60);
  }

  function notifyNow(): void {
    clearTimeout(notifyTimer);
    notifyTimer = undefined;
    view = null; // the ETA moves with the clock
    for (const listener of listeners) listener(get());
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
      const first = facts.jobId !== fromUrl;
      await attach(fromUrl);
      if (first) scrollToRun();
      return;
    }
    const remembered = facts.jobId ?? rememberedJob(endpoints.storageKey);
    if (remembered) {
      setJobInUrl(page, remembered);
      await attach(remembered);
      if (facts.phase === "idle" && facts.error) {
        // A remembered job that is gone (deleted, other account): forget it quietly.
        reset();
        setJobInUrl(page, null);
      }
      return;
    }
    try {
      const { jobs } = await api.get<{ jobs: JobView[] }>("/api/jobs?status=pending,queued,running&limit=20");
      const active = jobs.find((j) => j.job_type === kind.jobTypes[0]);
      if (active && !facts.jobId) {
        setJobInUrl(page, active.id);
        await attach(active.id);
      }
    } catch {
      // Nothing to resume.
    }
  }

  function subscribe(listener: Listener): () => void {
    ensureSubscribed();
    listeners.add(listener);
    listener(get());
    return () => listeners.delete(listener);
  }

  return {
    get,
    subscribe,
    /** Display and provider names for targets known only by key (after a reload). */
    setCatalog(providers: readonly ProviderWithModels[]): void {
      for (const p of providers) {
        for (const m of p.models) catalog.set(targetKey(m), { display_name: m.display_name || m.model_id, provider: p.display_name });
      }
      if (facts.jobId) {
        view = null;
        scheduleNotify();
      }
    },
    reset,
    submit,
    attach,
    cancel,
    resume,
    /**
     * The page's side of this job: every state handed out is `copy`'s plain copy (new arrays), because the page's
     * signal and its children compare by identity (copyLiveCore, plus what the kind adds).
     */
    forPage(copy: (state: State) => State): LivePageJob<State> {
      return { get: () => copy(get()), subscribe: (listener) => subscribe((s) => listener(copy(s))), resume, reset, cancel };
    },
  };
}
