// Pieces shared by the pages that follow one background job live (Benchmark, Tool Eval): the run phase, the job
// this tab last showed (sessionStorage, per account), the job id in the URL (`?job=`) for reload recovery, and the
// pages' small helpers around them.
import { fmtDuration } from "./bench-format";
import { ApiError, describeError } from "./http";
import { getUser } from "./session";

export { isTerminalPhase, type LivePhase, phaseFromJobStatus } from "./live-phase";

/** The job this tab last showed under `key`, unless it belongs to another account. */
export function rememberedJob(key: string): string | null {
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return null;
    const saved = JSON.parse(raw) as { job_id?: string; user_id?: string | null };
    const user = getUser();
    if (saved.user_id && user && saved.user_id !== user.id) return null;
    return saved.job_id ?? null;
  } catch {
    return null;
  }
}

export function rememberJob(key: string, jobId: string | null, runId: string | null): void {
  try {
    const userId = getUser()?.id ?? null;
    if (jobId) sessionStorage.setItem(key, JSON.stringify({ job_id: jobId, run_id: runId, user_id: userId }));
    else sessionStorage.removeItem(key);
  } catch {
    // Private mode / storage disabled: the URL still carries ?job=.
  }
}

/** Puts `?job=<id>` in the URL (or removes it) while the page matching `page` is shown. */
export function setJobInUrl(page: RegExp, jobId: string | null): void {
  if (!page.test(location.pathname)) return; // a task can fire while the router is leaving the page
  const url = new URL(location.href);
  if ((url.searchParams.get("job") ?? null) === jobId) return;
  if (jobId) url.searchParams.set("job", jobId);
  else url.searchParams.delete("job");
  history.replaceState(history.state, "", url);
}

/** Brings the page's run section (`#run`) into view once a job is shown. */
export function scrollToRun(): void {
  requestAnimationFrame(() => document.getElementById("run")?.scrollIntoView({ behavior: "smooth", block: "start" }));
}

/** Why a submit failed, for the form: a 429 says when to try again (and that the rate limit changed). */
export function describeSubmitError(err: unknown): { message: string; details: string[]; rateLimited: boolean } {
  if (err instanceof ApiError && err.status === 429) {
    const wait = err.retryAfterSeconds;
    return { message: `${err.message}${wait ? ` Try again in ${fmtDuration(wait)}.` : ""}`, details: [], rateLimited: true };
  }
  return { ...describeError(err), rateLimited: false };
}
