// The run phase of a live job (Benchmark, Tool Eval): its own module so a page can read it without loading the
// live-job machinery.
export type LivePhase = "idle" | "loading" | "running" | "completed" | "failed" | "cancelled" | "interrupted";

const TERMINAL: ReadonlySet<LivePhase> = new Set(["completed", "failed", "cancelled", "interrupted"]);

export function isTerminalPhase(phase: LivePhase): boolean {
  return TERMINAL.has(phase);
}

export function phaseFromJobStatus(status: string): LivePhase {
  if (status === "done") return "completed";
  if (status === "failed" || status === "cancelled" || status === "interrupted") return status;
  return "running";
}
