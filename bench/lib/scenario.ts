/**
 * The contract between `bench/run.ts` (the `npm run bench` orchestrator) and each scenario module in
 * `bench/scenarios/`. A scenario starts whatever it needs (its own stack on its own ports), measures, stops it,
 * and returns figures. It throws only when the scenario is broken (crash, lost result): a figure that misses
 * its bar is reported, never thrown, because the machine is shared and noisy.
 */
export interface Figure {
  /** What was measured, e.g. "TTFT median error (typical, one-token chunks)". */
  label: string;
  value: number;
  unit: string;
  /** The bar it is held to, in words, e.g. "≤ 3 ms (metrics.md: max(2 ms, 1 %))"; absent for context figures. */
  bar?: string;
  /** Whether the value meets the bar; absent when there is no bar. */
  meets?: boolean;
}

export interface ScenarioResult {
  /** Stable id, e.g. "fidelity"; also the key in bench/results/<date>.json. */
  id: string;
  title: string;
  figures: Figure[];
  /** Method, caveats, and for a missed bar: why, and what would fix it. */
  notes: string[];
  /** Raw samples or tables worth keeping in the JSON (not printed). */
  raw?: unknown;
}

/** Ports each scenario owns, from its `portBase`. */
export const PORTS_PER_SCENARIO = 20;

export interface ScenarioOptions {
  /** `--quick`: fewer runs/shorter loads so the whole suite finishes in under 3 minutes. */
  quick: boolean;
  /** First port of a block of PORTS_PER_SCENARIO this scenario may use (app, simulators, ...). */
  portBase: number;
  log(line: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  run(opts: ScenarioOptions): Promise<ScenarioResult>;
}
