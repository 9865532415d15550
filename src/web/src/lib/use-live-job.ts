// The set-up every page that starts one kind of background job and follows it live repeats (Evaluate, Param Tuner,
// Prompt Tuner, Capacity): show the kind's live job (a module singleton, live-job-store.ts, so it outlives in-app
// navigation), resume the job the URL names (?job=) or this tab's last or the user's active one, keep ?job= in the
// URL, submit and cancel; and remember the page's form between visits. The page keeps its data, form and markup.
import { $, type QRL, type Signal, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { useLocation } from "@builder.io/qwik-city";
import { describeSubmitError, isTerminalPhase, scrollToRun, setJobInUrl } from "./live-job";
import type { LiveJobCore, LivePageJob } from "./live-job-store";
import { toastError } from "./toast";

export interface LiveJobOptions<S> {
  /** The page's path: ?job= is written only while it is shown (a task can fire while the router leaves). */
  page: RegExp;
  /** The kind's live job (e.g. `$(() => tuneJob)`): a QRL, as Qwik tasks can capture only serialisable values. */
  job$: QRL<() => LivePageJob<S>>;
  /** Its state now (`tuneJob.get()`), so coming back by an in-app link shows a running job at once. */
  initial: S;
}

/** What the form and the progress card show of submitting and cancelling. */
export interface LiveJobFlags {
  submitting: boolean;
  /** Why the last submit was refused, with the API's field details. */
  submitError: string;
  submitDetails: string[];
  cancelling: boolean;
}

/** What the page gets: the job as shown, the flags, and the three things a user does with it. */
export interface LiveJob<S> {
  /**
   * The job as shown: a plain snapshot per update, so children re-render from values. In a page read it in two
   * steps, `const liveSig = job.live; const live = liveSig.value;`: Qwik's optimizer then hands a component$ prop
   * such as `answer={live.answer}` over as a signal. From `const live = job.live.value` (and in any inline
   * component) it takes `live.answer` for a member of a plain object, that is immutable, and the child keeps its
   * first value; in an inline component pass a plain local instead.
   */
  live: Signal<S>;
  flags: LiveJobFlags;
  start: QRL<(send: () => Promise<{ job_id: string }>) => Promise<void>>;
  cancel: QRL<() => Promise<void>>;
  dismiss: QRL<() => Promise<void>>;
}

export function useLiveJob<S extends LiveJobCore<unknown>>({ page, job$, initial }: LiveJobOptions<S>): LiveJob<S> {
  const loc = useLocation();
  const live = useSignal<S>(initial);
  const flags = useStore<LiveJobFlags>({ submitting: false, submitError: "", submitDetails: [], cancelling: false });

  useVisibleTask$(
    ({ cleanup }) => {
      let stop: (() => void) | undefined;
      let gone = false;
      cleanup(() => {
        gone = true;
        stop?.();
      });
      void job$().then((job) => {
        if (!gone) stop = job.subscribe((s) => (live.value = s));
      });
    },
    { strategy: "document-ready" },
  );

  // On load and whenever an in-app link changes the URL (e.g. the jobs bell's ?job=…).
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void job$().then((job) => job.resume(page));
    },
    { strategy: "document-ready" },
  );

  /**
   * Submits a new job through `send` (the kind's submit, which builds the request): the old job leaves the URL, the
   * new one is put there and scrolled to; a refusal lands in `flags` for the form. One submit at a time.
   */
  const start = $(async (send: () => Promise<{ job_id: string }>) => {
    if (flags.submitting) return;
    flags.submitting = true;
    flags.submitError = "";
    flags.submitDetails = [];
    setJobInUrl(page, null);
    try {
      const res = await send();
      setJobInUrl(page, res.job_id);
      scrollToRun();
    } catch (err) {
      const { message, details } = describeSubmitError(err);
      flags.submitError = message;
      flags.submitDetails = details;
    } finally {
      flags.submitting = false;
    }
  });

  const cancel = $(async () => {
    flags.cancelling = true;
    try {
      await (await job$()).cancel();
    } catch (err) {
      toastError(err);
    } finally {
      flags.cancelling = false;
    }
  });

  /** Forgets the shown job (the card's Clear, the error banner's Dismiss) and takes ?job= off the URL. */
  const dismiss = $(async () => {
    (await job$()).reset();
    setJobInUrl(page, null);
  });

  return { live, flags, start, cancel, dismiss };
}

/** Whether a job is shown below the form, and whether it still runs (Cancel rather than Clear). */
export function jobShown(live: Pick<LiveJobCore<unknown>, "phase" | "jobId">): { attached: boolean; running: boolean } {
  return {
    attached: live.phase !== "idle" || Boolean(live.jobId),
    running: Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle",
  };
}

/** Remembers the page's form between visits: `save$` a moment after the last change, once the form is set up. */
export function useSavedForm<F>(state: { form: F; formReady: boolean }, save$: QRL<(form: F) => void>): void {
  useVisibleTask$(
    ({ track, cleanup }) => {
      const json = track(() => JSON.stringify(state.form));
      if (!track(() => state.formReady)) return;
      const timer = setTimeout(() => void save$(JSON.parse(json) as F), 300);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );
}
