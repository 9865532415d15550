/**
 * Benchmarks whose every measured run has its own simulator model id (a unique `tag`), so each stored result
 * maps to exactly one send-log record by model id: a mismatch cannot happen, and a missing, failed or
 * duplicated run is detected and reported as a broken scenario.
 */
import type { SendRecord } from "../../src/simulator/send-log.ts";
import type { RunningSimulator } from "../../src/simulator/server.ts";
import { type BenchApp, broken } from "./app.ts";

export interface StoredResult {
  model_id: string;
  success: boolean;
  error: string | null;
  ttft_ms: number | null;
  output_speed_tps: number | null;
  output_tokens: number | null;
  [k: string]: unknown;
}

export interface MatchedRun {
  model: string;
  result: StoredResult;
  record: SendRecord;
}

export interface TaggedJob {
  jobId: string;
  runId: string;
  /** The warm-up model (first target, unmeasured) followed by the measured models, in run order. */
  warmup: string;
  models: string[];
}

/** `sim-<options>-tag<tag>`; tags are letters and digits only. */
export function simModel(options: string, tag: string): string {
  return `sim-${options}-tag${tag.replace(/[^A-Za-z0-9]/g, "")}`;
}

/** One measured run: simulator options (e.g. `ttft300-tps60-len40`) and a tag unique within its job. */
export interface TaggedRun {
  options: string;
  tag: string;
}

/**
 * Adds a provider with one model per run (plus a warm-up model first) and submits them as one benchmark of one
 * run each, so they run back to back in one provider group: the product's warm-up, done once per job.
 */
export async function submitTagged(
  app: BenchApp,
  sim: RunningSimulator,
  providerKey: string,
  runs: TaggedRun[],
  body: Record<string, unknown> = {},
): Promise<TaggedJob> {
  const warmup = simModel(runs[0]!.options, `${providerKey}warm`);
  const models = runs.map((r) => simModel(r.options, `${providerKey}${r.tag}`));
  await app.addProvider(providerKey, sim, [warmup, ...models]);
  const sub = await app.benchmark({
    targets: [warmup, ...models].map((model_id) => ({ provider_key: providerKey, model_id })),
    runs: 1,
    warmup: false,
    max_tokens: 4096,
    ...body,
  });
  return { jobId: sub.job_id, runId: sub.run_id, warmup, models };
}

/** `count` runs of one profile, tagged r1…rN. */
export function repeat(options: string, count: number): TaggedRun[] {
  return Array.from({ length: count }, (_, i) => ({ options, tag: `r${i + 1}` }));
}

/** Pairs each measured model's stored result with its one send-log record; anything else is broken. */
export async function matchRuns(app: BenchApp, sim: RunningSimulator, job: TaggedJob): Promise<MatchedRun[]> {
  const run = await app.api<{ results: StoredResult[] }>(`/api/history/${job.runId}`);
  const records = sim.log.list(2000);
  return job.models.map((model) => {
    const results = run.results.filter((r) => r.model_id === model);
    const sent = records.filter((r) => r.model === model);
    if (results.length !== 1) broken(`${model}: ${results.length} stored results (expected 1)`);
    if (sent.length !== 1) broken(`${model}: the simulator saw ${sent.length} requests (expected 1)`);
    const result = results[0]!;
    const record = sent[0]!;
    if (!result.success) broken(`${model}: the run failed: ${result.error}`);
    if (record.outcome !== "completed") broken(`${model}: the simulator's request ended ${record.outcome}`);
    if (result.output_tokens !== record.output_tokens)
      broken(`${model}: stored ${result.output_tokens} output tokens, simulator sent ${record.output_tokens}`);
    return { model, result, record };
  });
}

/** What the simulator actually did, with the metrics.md formulas applied to its own send stamps. */
export function sentTiming(record: SendRecord): { ttft_ms: number; output_speed_tps: number | null; last_output_at: number } {
  if (record.first_output_at === null || record.last_output_at === null) broken(`${record.model}: no output was sent`);
  const span = record.last_output_at - record.first_output_at;
  const n = record.output_tokens;
  return {
    ttft_ms: record.first_output_at - record.received_at,
    output_speed_tps: n >= 2 && span > 0 ? ((n - 1) * 1000) / span : null,
    last_output_at: record.last_output_at,
  };
}
