// A live job (Benchmark, Tool Eval) as a pure fold: server events, the job and stored-run reads and a local cancel
// each turn the facts into new facts, and `view` derives what the page shows (names, progress, ETA). No Qwik, no
// fetch, no WebSocket, no timers: the shell (live-job-store.ts) does those, and tests/node folds events directly.
//
// Events can come twice or out of order (buffered before the attach, replayed after a reconnect), so every fold is
// idempotent and order-tolerant: results are keyed (a second copy is dropped), a result before its init still counts
// (the targets come from the results until the init names them), the job's progress only moves forward, and once
// the job is over (the first terminal word stands) no event revives it.
import type { JobStatus, JobType, JobView } from "../../../shared/jobs.ts";
import { type CurrentRun, computeProgress, type ProgressInput, type ProviderProgress } from "./bench-progress.ts";
import type { BenchTarget } from "./benchmark-types.ts";
import type { LiveEvent, LiveEventOf, LiveEventType } from "./live-events.ts";
import { isTerminalPhase, type LivePhase, phaseFromJobStatus, type RunPhase } from "./live-phase.ts";

/** What every live job shows; `X` adds the job kind's own fields. */
export interface LiveJobCore<R> {
  jobId: string | null;
  /** The stored run the job writes (a benchmark's run_id, a tool eval's eval_id). */
  runId: string | null;
  phase: LivePhase;
  /** Raw job status: pending / queued / running / done / … ("" before the job is read). */
  jobStatus: JobStatus | "";
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

interface ResultRef {
  provider_key: string;
  model_id: string;
}

/** A target as announced; names may be missing (then the catalog's or the results' are shown). */
export type NamedRef = ResultRef & { display_name?: string; provider?: string };

/** What a fresh submit already knows, so attaching needs no reads. */
export interface KnownLiveJob<X> {
  runId: string;
  jobStatus: JobStatus;
  targets: readonly NamedRef[];
  extras: Partial<X>;
}

/** What a stored run (the kind's history read) contributes. */
export interface RunReading<R, X> {
  results: readonly R[];
  /** The run's targets; null = keep the ones known. */
  targets: readonly NamedRef[] | null;
  /** Fields taken on every read, and only when the read is final (the server's aggregates). */
  extras: Partial<X>;
  finalExtras: Partial<X>;
  timestamp: string | null;
  completedAt: string | null;
}

/** The call a provider is now on, as a progress event names it. */
export type LiveCall = Omit<CurrentRun, "startedAt">;

/** One of the kind's own events, read into what the fold needs. */
export type KindEvent<R, X> =
  | { kind: "init"; runId: string; targets: readonly NamedRef[]; extras: Partial<X> }
  | { kind: "progress"; providerKey: string; call: LiveCall }
  | { kind: "result"; result: R }
  /** Facts about the run that are neither targets nor results (e.g. the parameter adjustments). */
  | { kind: "extras"; extras: Partial<X> }
  /** Facts merged into what is known (e.g. one target's entry in a per-target list), from the extras so far. */
  | { kind: "merge"; merge: (extras: X) => Partial<X> };

/** What differs between the job kinds: their events, results, stored runs and progress counting. */
export interface LiveJobKind<R extends ResultRef, X, Run> {
  /** "benchmark" / "evaluation", for messages. */
  noun: string;
  /** Job types this page can show; the first is the one it starts (and resumes when nothing else is known). */
  jobTypes: readonly JobType[];
  /** Which job param names the stored run. */
  runIdParam: string;
  /** The kind's own event types (`read` understands exactly these). */
  eventTypes: readonly LiveEventType[];
  read: (event: LiveEvent) => KindEvent<R, X> | null;
  /** How many recent call durations per provider feed the ETA. */
  etaSamples: number;
  emptyExtras: () => X;
  resultKey: (r: R) => string;
  /** Names a result carries, for targets known only by key. */
  namesOf: (r: R) => { display_name?: string; provider?: string };
  /** For the ETA: null = not a timed call (a skipped run); else its reported duration and whether the in-flight
   *  call `cur` (from the last progress event) is the one that produced it. */
  timing: (r: R, cur: CurrentRun | undefined) => { reportedMs: number | null; sameCall: boolean } | null;
  fromRun: (run: Run, extras: X) => RunReading<R, X>;
  /** What `computeProgress` counts (results, runs and tiers per model). */
  progressInput: (extras: X, results: readonly R[]) => Pick<ProgressInput, "results" | "runs" | "tiers">;
  /** The kind's fields derived from the live results until the stored run replaces them. */
  liveExtras: (results: readonly R[]) => Partial<X>;
}

/** Everything folded so far; the page's state is derived from it (`view`). */
export interface LiveJobFacts<R, X> {
  jobId: string | null;
  runId: string | null;
  phase: LivePhase;
  jobStatus: JobStatus | "";
  progressDetail: string;
  /** The job's own percentage (job_progress, job reads); shown when ahead of the counted results (a completed job
   *  shows 100). */
  serverPct: number;
  /** Targets as announced (init, submit, stored run); empty = the models seen in the results. */
  targets: readonly NamedRef[];
  results: readonly R[];
  resultKeys: ReadonlySet<string>;
  /** The call each provider is on (progress events); startedAt is null once its result arrived. */
  current: ReadonlyMap<string, CurrentRun>;
  /** Recent call durations (ms) per provider, for the ETA. */
  samples: ReadonlyMap<string, readonly number[]>;
  final: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  error: string;
  extras: X;
}

/** Display names from the model catalog, for targets known only by key. */
export type NameLookup = (ref: ResultRef) => { display_name: string; provider: string } | undefined;

type TerminalPhase = Exclude<RunPhase, "running">;

const STATUS_OF: Record<TerminalPhase, JobStatus> = { completed: "done", failed: "failed", cancelled: "cancelled", interrupted: "interrupted" };

export const targetKey = (t: ResultRef) => `${t.provider_key}\u0000${t.model_id}`;

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

const sameCall = (a: LiveCall, b: LiveCall) => a.model_id === b.model_id && a.run === b.run && a.tier === b.tier;

/** The job in a `sync` event's lists, if it is there. */
export function jobInSync(event: LiveEventOf<"sync">, jobId: string | null): JobView | undefined {
  return jobId ? [...event.active_jobs, ...event.recent_jobs].find((j) => j.id === jobId) : undefined;
}

/** A plain copy for a page's signal: new arrays, so every update swaps whole objects (the kind copies its own). */
export function copyLiveCore<S extends LiveJobCore<unknown>>(s: S): S {
  return { ...s, targets: s.targets.map((t) => ({ ...t })), providers: s.providers.map((p) => ({ ...p })), results: s.results.slice() };
}

export function createLiveJobReducer<R extends ResultRef, X, Run>(kind: LiveJobKind<R, X, Run>) {
  type Facts = LiveJobFacts<R, X>;

  const empty = (): Facts => ({
    jobId: null,
    runId: null,
    phase: "idle",
    jobStatus: "",
    progressDetail: "",
    serverPct: 0,
    targets: [],
    results: [],
    resultKeys: new Set(),
    current: new Map(),
    samples: new Map(),
    final: false,
    startedAt: null,
    finishedAt: null,
    error: "",
    extras: kind.emptyExtras(),
  });

  /** Shows job `jobId` from scratch; `known` (a fresh submit) already says what the reads would. */
  function attach(jobId: string, known: KnownLiveJob<X> | undefined, at: number): Facts {
    return {
      ...empty(),
      jobId,
      runId: known?.runId ?? null,
      phase: known ? phaseFromJobStatus(known.jobStatus) : "loading",
      jobStatus: known?.jobStatus ?? "",
      targets: known?.targets ?? [],
      startedAt: known ? at : null,
      extras: { ...kind.emptyExtras(), ...known?.extras },
    };
  }

  /** Ends the job (a terminal event, a sync, a local cancel); the first terminal word stands. */
  function terminal(s: Facts, phase: TerminalPhase, error: string, at: number): Facts {
    if (isTerminalPhase(s.phase)) return s;
    return {
      ...s,
      phase,
      jobStatus: STATUS_OF[phase],
      error: error || s.error,
      finishedAt: s.finishedAt ?? at,
      current: new Map(),
    };
  }

  /** A read failed: a job still loading goes back to idle with the message. */
  function fail(s: Facts, message: string): Facts {
    return { ...s, phase: s.phase === "loading" ? "idle" : s.phase, error: message };
  }

  /** The job as GET /api/jobs/:id shows it. */
  function job(s: Facts, view: JobView): Facts {
    const param = view.params[kind.runIdParam];
    const runId = (typeof param === "string" ? param : null) ?? view.result_ref ?? s.runId;
    const over = isTerminalPhase(s.phase);
    return {
      ...s,
      runId,
      jobStatus: over ? s.jobStatus : view.status,
      phase: over ? s.phase : phaseFromJobStatus(view.status),
      progressDetail: s.progressDetail || view.progress_detail,
      error: s.error || view.error_msg || "",
      startedAt: parseTime(view.started_at) ?? parseTime(view.created_at),
      finishedAt: s.finishedAt ?? parseTime(view.completed_at),
      serverPct: Math.max(s.serverPct, view.progress_pct),
    };
  }

  /** The stored run; `final` (the job is over) replaces the live results with the server's, aggregates included. */
  function run(s: Facts, stored: Run, final: boolean): Facts {
    if (s.final && !final) return s; // a late partial read changes nothing once the final one is in
    const reading = kind.fromRun(stored, s.extras);
    let results = s.results;
    let resultKeys = s.resultKeys;
    if (final) {
      results = reading.results.slice();
      resultKeys = new Set(results.map(kind.resultKey));
    } else {
      for (const r of reading.results) ({ results, resultKeys } = withResult(results, resultKeys, r));
    }
    // Keep the names the init gave (a stored run knows its targets only by key).
    const known = new Map(s.targets.map((t) => [targetKey(t), t]));
    const next: Facts = {
      ...s,
      results,
      resultKeys,
      targets: reading.targets ? reading.targets.map((t) => known.get(targetKey(t)) ?? t) : s.targets,
      extras: { ...s.extras, ...reading.extras },
    };
    if (!final) return next;
    return {
      ...next,
      extras: { ...next.extras, ...reading.finalExtras },
      final: true,
      // Both ends from the server's clock when it has them.
      startedAt: reading.completedAt ? (parseTime(reading.timestamp) ?? s.startedAt) : s.startedAt,
      finishedAt: parseTime(reading.completedAt) ?? s.finishedAt,
    };
  }

  function withResult(results: readonly R[], keys: ReadonlySet<string>, r: R): { results: readonly R[]; resultKeys: ReadonlySet<string> } {
    const key = kind.resultKey(r);
    if (keys.has(key)) return { results, resultKeys: keys };
    return { results: [...results, r], resultKeys: new Set(keys).add(key) };
  }

  /** A live result: stored once, and its duration feeds the provider's ETA samples. */
  function result(s: Facts, r: R, at: number): Facts {
    if (s.final) return s; // the stored run already has it
    const added = withResult(s.results, s.resultKeys, r);
    if (added.results === s.results) return s;
    let { current, samples } = s;
    const cur = current.get(r.provider_key);
    const timing = kind.timing(r, cur);
    if (timing) {
      const wall = cur?.startedAt != null && timing.sameCall ? at - cur.startedAt : null;
      const duration = wall ?? timing.reportedMs;
      if (duration !== null && duration > 0) {
        samples = new Map(samples).set(r.provider_key, [...(samples.get(r.provider_key) ?? []), duration].slice(-kind.etaSamples));
      }
      if (cur) current = new Map(current).set(r.provider_key, { ...cur, startedAt: null });
    }
    return { ...s, ...added, current, samples };
  }

  function progress(s: Facts, providerKey: string, call: LiveCall, at: number): Facts {
    if (isTerminalPhase(s.phase)) return s;
    const prev = s.current.get(providerKey);
    // The same call again (a duplicate) keeps its start time, or stays finished.
    const current = prev && sameCall(prev, call) ? s.current : new Map(s.current).set(providerKey, { ...call, startedAt: at });
    return { ...s, phase: "running", jobStatus: "running", current };
  }

  /** On (re)connect the server lists active and recent jobs: catch up on anything missed while offline. */
  function sync(s: Facts, event: LiveEventOf<"sync">, at: number): Facts {
    if (s.phase === "idle" || s.phase === "loading") return s;
    const view = jobInSync(event, s.jobId);
    if (!view) return s;
    const phase = phaseFromJobStatus(view.status);
    if (phase !== "running") return terminal(s, phase, view.error_msg ?? "", parseTime(view.completed_at) ?? at);
    return {
      ...s,
      serverPct: Math.max(s.serverPct, view.progress_pct),
      jobStatus: isTerminalPhase(s.phase) ? s.jobStatus : view.status,
      progressDetail: view.progress_detail || s.progressDetail,
    };
  }

  /** Folds one server event received at `at` (epoch ms); events of other jobs change nothing. */
  function event(s: Facts, e: LiveEvent, at: number): Facts {
    if (e.type === "sync") return sync(s, e, at);
    if (!("job_id" in e) || e.job_id !== s.jobId) return s;
    const over = isTerminalPhase(s.phase);
    switch (e.type) {
      case "job_started":
        return over ? s : { ...s, phase: "running", jobStatus: "running" };
      case "job_progress": {
        if (e.progress_pct < s.serverPct) return s; // an older report than one already seen
        const reported = { ...s, serverPct: e.progress_pct, progressDetail: e.progress_detail || s.progressDetail };
        // A report that arrives after the end still counts (as it would have before it), but does not revive the job.
        return over ? reported : { ...reported, phase: "running", jobStatus: "running" };
      }
      case "job_completed":
        return terminal(s, "completed", "", at);
      case "job_failed":
        return terminal(s, "failed", e.error || `The ${kind.noun} failed.`, at);
      case "job_cancelled":
        return terminal(s, "cancelled", "", at);
    }
    const own = kind.read(e);
    switch (own?.kind) {
      case "init":
        return {
          ...s,
          runId: own.runId || s.runId,
          targets: own.targets.length ? own.targets : s.targets,
          extras: { ...s.extras, ...own.extras },
        };
      case "progress":
        return progress(s, own.providerKey, own.call, at);
      case "result":
        return result(s, own.result, at);
      case "extras":
        return { ...s, extras: { ...s.extras, ...own.extras } };
      case "merge":
        return { ...s, extras: { ...s.extras, ...own.merge(s.extras) } };
      default:
        return s;
    }
  }

  /** What the page shows at `now`: named targets, per-provider progress, percentage, ETA and the kind's fields. */
  function view(s: Facts, now: number, names: NameLookup = () => undefined): LiveJobState<R, X> {
    const named = (t: NamedRef): BenchTarget => {
      const known = names(t);
      const fromResult = s.results.find((r) => r.provider_key === t.provider_key && r.model_id === t.model_id);
      const carried = fromResult ? kind.namesOf(fromResult) : undefined;
      return {
        provider_key: t.provider_key,
        model_id: t.model_id,
        display_name: t.display_name || known?.display_name || carried?.display_name || t.model_id,
        provider: t.provider || known?.provider || carried?.provider || t.provider_key,
      };
    };
    const refs = s.targets.length
      ? s.targets
      : [...new Map(s.results.map((r) => [targetKey(r), { provider_key: r.provider_key, model_id: r.model_id }])).values()];
    const targets = refs.map(named);
    const over = isTerminalPhase(s.phase);
    const progress = computeProgress({
      ...kind.progressInput(s.extras, s.results),
      targets,
      terminal: over,
      current: s.current,
      samples: s.samples,
      now,
    });
    const counted = progress.total ? (progress.done / progress.total) * 100 : 0;
    const pct = s.phase === "completed" ? 100 : Math.max(s.serverPct, counted);
    return {
      ...s.extras,
      ...(s.final ? {} : kind.liveExtras(s.results)),
      jobId: s.jobId,
      runId: s.runId,
      phase: s.phase,
      jobStatus: s.jobStatus,
      progressPct: Math.min(100, pct),
      progressDetail: s.progressDetail,
      targets,
      providers: progress.providers,
      results: s.results.slice(),
      final: s.final,
      etaAt: progress.etaMs !== null && !over ? now + progress.etaMs : null,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      error: s.error,
    };
  }

  return { kind, empty, attach, event, job, run, terminal, fail, view };
}

export type LiveJobReducer<R extends ResultRef, X, Run> = ReturnType<typeof createLiveJobReducer<R, X, Run>>;
