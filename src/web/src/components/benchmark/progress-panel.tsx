// Run status bar: state pill, overall progress with ETA, per-provider progress bars, Cancel / Dismiss.
// Serves the speed benchmark (runs × tiers) and the tool eval (cases per model) through `variant`.
import { component$, type PropFunction, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import { fmtDuration, fmtTier } from "~/lib/bench-format";
import type { BenchLiveState } from "~/lib/bench-live";
import { isTerminalPhase } from "~/lib/live-phase";

export type ProgressView = Pick<
  BenchLiveState,
  | "phase"
  | "jobStatus"
  | "progressPct"
  | "progressDetail"
  | "etaAt"
  | "startedAt"
  | "finishedAt"
  | "error"
  | "providers"
  | "targets"
  | "tiers"
  | "runs"
  | "warmup"
>;

/** Test ids (`<prefix>-progress`, `<prefix>-status`, `<prefix>-eta`, `cancel-<prefix>`) and wording per page. */
const VARIANTS = {
  benchmark: { prefix: "benchmark", unit: "run", title: "Benchmark" },
  eval: { prefix: "eval", unit: "case", title: "Evaluation" },
} as const;

export interface ProgressPanelProps {
  live: ProgressView;
  /** Default "benchmark"; "eval": `runs` is the number of cases per model and tiers are not shown. */
  variant?: keyof typeof VARIANTS;
  cancelling: boolean;
  onCancel$: PropFunction<() => Promise<void>>;
  onDismiss$: PropFunction<() => void>;
}

const STATUS_TEXT: Record<string, string> = {
  loading: "loading",
  running: "running",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
  interrupted: "interrupted",
};

export const ProgressPanel = component$<ProgressPanelProps>((props) => {
  const now = useSignal(Date.now());

  // A 1 s tick for the ETA countdown, only while the run is live.
  useVisibleTask$(({ track, cleanup }) => {
    const phase = track(() => props.live.phase);
    if (phase !== "running") return;
    const timer = setInterval(() => (now.value = Date.now()), 1000);
    cleanup(() => clearInterval(timer));
  });

  const live = props.live;
  const v = VARIANTS[props.variant ?? "benchmark"];
  const isEval = v.prefix === "eval";
  const terminal = isTerminalPhase(live.phase);
  const running = live.phase === "running";
  const queued = running && (live.jobStatus === "queued" || live.jobStatus === "pending");
  const doneRuns = live.providers.reduce((n, p) => n + p.done, 0);
  const totalRuns = live.providers.reduce((n, p) => n + p.total, 0);
  const errors = live.providers.reduce((n, p) => n + p.errors, 0);
  const pct = Math.round(live.progressPct);
  const etaSeconds = live.etaAt ? Math.max(0, (live.etaAt - now.value) / 1000) : null;
  const models = live.targets.length;
  const tookSeconds =
    terminal && live.startedAt && live.finishedAt && live.finishedAt >= live.startedAt ? (live.finishedAt - live.startedAt) / 1000 : null;

  return (
    <section class={`card run-panel run-panel-${live.phase}`} aria-labelledby="run-heading" data-testid={`${v.prefix}-progress`}>
      <div class="run-head">
        <div class="run-title">
          <span class={`status-pill status-${live.phase}`} data-testid={`${v.prefix}-status`} role="status">
            {STATUS_TEXT[live.phase] ?? live.phase}
          </span>
          <h2 id="run-heading" class="card-title">
            {models ? `${models} model${models === 1 ? "" : "s"}` : v.title}
            <span class="muted run-shape">
              {" "}
              {isEval
                ? `× ${live.runs} case${live.runs === 1 ? "" : "s"}`
                : `× ${live.tiers.length} tier${live.tiers.length === 1 ? "" : "s"} × ${live.runs} run${live.runs === 1 ? "" : "s"}`}
            </span>
          </h2>
        </div>
        <div class="btn-row">
          {!terminal && (
            <button
              type="button"
              class="btn btn-danger-ghost btn-sm"
              data-testid={`cancel-${v.prefix}`}
              disabled={props.cancelling || live.phase === "loading"}
              onClick$={props.onCancel$}
            >
              {props.cancelling ? "Cancelling…" : "Cancel"}
            </button>
          )}
          {terminal && (
            <button type="button" class="btn btn-ghost btn-sm" data-testid="dismiss-run" onClick$={props.onDismiss$}>
              Clear
            </button>
          )}
        </div>
      </div>

      <div class="run-overall">
        <div
          class={`progress progress-lg${terminal && live.phase !== "completed" ? " progress-stopped" : ""}`}
          role="progressbar"
          aria-label="Overall progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
        >
          <span class="progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <div class="run-meta small">
          <span class="mono text-strong">{pct}%</span>
          <span class="muted">
            {doneRuns}/{totalRuns} {v.unit}s
          </span>
          {errors > 0 && (
            <span class="text-danger">
              {errors} error{errors === 1 ? "" : "s"}
            </span>
          )}
          {running && !queued && (
            <span class="muted" data-testid={`${v.prefix}-eta`}>
              ETA {etaSeconds === null ? "estimating…" : etaSeconds < 1 ? "any moment" : fmtDuration(etaSeconds)}
            </span>
          )}
          {queued && <span class="text-amber">Queued — waiting for a free slot</span>}
          {tookSeconds !== null && <span class="muted">took {fmtDuration(tookSeconds)}</span>}
          {live.progressDetail && running && <span class="muted run-detail">{live.progressDetail}</span>}
        </div>
      </div>

      {live.error && (live.phase === "failed" || live.phase === "interrupted" || live.phase === "idle") && (
        <p class="inline-error" role="alert">
          {live.error}
        </p>
      )}

      {live.providers.length > 0 && (
        <ul class="provider-progress-list">
          {live.providers.map((p) => {
            const ppct = p.total ? Math.round((p.done / p.total) * 100) : 0;
            return (
              <li key={p.provider_key} class="provider-progress" data-testid={`provider-progress-${p.provider_key}`}>
                <div class="provider-progress-head">
                  <span class="provider-progress-name">{p.provider}</span>
                  <span class="mono small muted">
                    {p.done}/{p.total}
                  </span>
                </div>
                <div
                  class={`progress${p.errors && p.errors >= p.done && p.done > 0 ? " progress-error" : ""}`}
                  role="progressbar"
                  aria-label={`${p.provider} progress`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={ppct}
                >
                  <span class="progress-fill" style={{ width: `${ppct}%` }} />
                </div>
                <div class="provider-progress-detail small">
                  {p.finished ? (
                    <span class="muted">{live.phase === "completed" || p.done >= p.total ? "Done" : "Stopped"}</span>
                  ) : p.current_model ? (
                    <span>
                      <span class="text-strong">{p.current_model}</span>
                      <span class="muted">
                        {" "}
                        · {v.unit} {p.run}/{p.runs}
                        {!isEval && ` · ${fmtTier(p.tier ?? 0)} ctx`}
                      </span>
                    </span>
                  ) : (
                    <span class="muted">
                      {live.phase === "loading" ? "Loading…" : live.warmup && p.done === 0 && !queued ? "Warming up…" : "Waiting…"}
                    </span>
                  )}
                  {p.errors > 0 && (
                    <span class="text-danger">
                      {p.errors} error{p.errors === 1 ? "" : "s"}
                    </span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});
