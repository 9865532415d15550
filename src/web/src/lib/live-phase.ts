// The run phase of a live job (Benchmark, Tool Eval): its own module so a page can read it without loading the
// live-job machinery.
import { type JobStatus, runStatusOf } from "../../../shared/jobs.ts";

/** A run's status as its job's status implies it (src/shared/jobs.ts). */
export type RunPhase = ReturnType<typeof runStatusOf>;

/** A run's status, or no job shown yet / being read. */
export type LivePhase = "idle" | "loading" | RunPhase;

const TERMINAL: ReadonlySet<LivePhase> = new Set(["completed", "failed", "cancelled", "interrupted"]);

export function isTerminalPhase(phase: LivePhase): boolean {
  return TERMINAL.has(phase);
}

export function phaseFromJobStatus(status: JobStatus): RunPhase {
  return runStatusOf(status);
}
