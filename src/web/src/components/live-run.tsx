// What a live-job page shows of its job below the form (use-live-job.ts): the #run anchor it scrolls to, holding
// either why the job could not be shown (with Dismiss) or the run itself; and the progress card of a tuner's or
// Capacity's job (Evaluate shows the Benchmark's ProgressPanel instead). Inline components (no lazy boundary), so
// they follow the page's live signal as the page renders.
import type { JSXChildren, JSXOutput } from "@builder.io/qwik";
import type { LiveJobCore } from "~/lib/live-job-store";
import { jobShown, type LiveJob } from "~/lib/use-live-job";
import { ErrorBanner } from "./error-banner";

type AnyLiveJob = LiveJob<LiveJobCore<unknown>>;

export interface LiveRunProps {
  job: AnyLiveJob;
  /** Test id of the banner when the job could not be shown (gone, another kind, unreadable). */
  errorTestId: string;
  /** The run (progress and results): shown while a job is attached. */
  children?: JSXChildren;
}

export const LiveRun = ({ job, errorTestId, children }: LiveRunProps) => {
  const live = job.live.value;
  // A plain local, not `live.error`: the banner then gets each new message (see LiveJob.live).
  const error = live.error;
  return (
    <div id="run" class="run-anchor">
      {live.phase === "idle" && error ? (
        <ErrorBanner message={error} onAction$={job.dismiss} action="Dismiss" testId={errorTestId} />
      ) : (
        jobShown(live).attached && <>{children}</>
      )}
    </div>
  );
};

export interface JobProgressCardProps {
  job: AnyLiveJob;
  /** Test ids of the card (also its class), the phase, and the Cancel and Clear buttons. */
  ids: { card: string; status: string; cancel: string; dismiss: string };
  /** The card title: the run's name, then (muted) the facts of its plan. */
  title: string;
  facts: JSXOutput;
  /** Said after the percentage (e.g. the call running now). */
  detail?: JSXOutput;
  /** Said once the job was cancelled: what is kept. */
  cancelledNote: string;
}

export const JobProgressCard = ({ job, ids, title, facts, detail, cancelledNote }: JobProgressCardProps) => {
  const live = job.live.value;
  const { running } = jobShown(live);
  const pct = Math.round(live.progressPct);
  return (
    <section class={`card ${ids.card}`} data-testid={ids.card} aria-live="polite">
      <div class="card-head">
        <div>
          <h2 class="card-title">
            {title}
            <span class="muted small"> · {facts}</span>
          </h2>
          <p class="small">
            <span data-testid={ids.status} class="text-strong">
              {live.phase}
            </span>
            <span class="muted"> · {pct}%</span>
            {detail}
          </p>
        </div>
        {running ? (
          <button type="button" class="btn btn-sm btn-danger-ghost" data-testid={ids.cancel} disabled={job.flags.cancelling} onClick$={job.cancel}>
            {job.flags.cancelling ? "Cancelling…" : "Cancel"}
          </button>
        ) : (
          <button type="button" class="btn btn-sm btn-ghost" data-testid={ids.dismiss} onClick$={job.dismiss}>
            Clear
          </button>
        )}
      </div>
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div class="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      {live.error && <p class="field-error">{live.error}</p>}
      {live.phase === "cancelled" && <p class="muted small">{cancelledNote}</p>}
    </section>
  );
};
