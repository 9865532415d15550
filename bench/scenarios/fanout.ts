/**
 * 3. Parallel fan-out: 1, 2, 4 and 8 provider groups, each its own provider on its own simulator instance with
 * the same profile; the job's wall time divided by the single-group wall time.
 */
import type { RunningSimulator } from "../../src/simulator/server.ts";
import { type BenchApp, broken, withApp } from "../lib/app.ts";
import type { Figure, Scenario } from "../lib/scenario.ts";
import { atMost, context, round, summarize } from "../lib/stats.ts";

const GROUPS = [1, 2, 4, 8];
/**
 * 4-token chunks: the simulators run in this process and spin-wait the last ~2–15 ms before each send for
 * sub-ms timing, so 8 one-token streams would keep a whole CPU of this 2-CPU machine busy in the harness.
 * A full run also measures one-token chunks at 1 and 8 groups, as context.
 */
const SETTINGS = {
  full: { options: "ttft300-tps60-len120-chunk4", runs: 3, repeats: 2, oneToken: "ttft300-tps60-len120-chunk1" },
  quick: { options: "ttft200-tps100-len30-chunk4", runs: 2, repeats: 1, oneToken: null },
};

interface Measured {
  groups: number;
  model: string;
  wall_ms: number;
  /** First request received → last stream ended, over every simulator: the LLM work alone, without queue dispatch. */
  simulator_span_ms: number;
  /** p95 of (sent − scheduled) over every output write: whether the harness kept up. */
  simulator_late_p95_ms: number;
}

export const fanout: Scenario = {
  id: "fanout",
  title: "Parallel fan-out over provider groups",
  run: (opts) =>
    withApp({ portBase: opts.portBase, label: "fanout", log: opts.log }, async (app) => {
      const s = opts.quick ? SETTINGS.quick : SETTINGS.full;
      const model = `sim-${s.options}`;
      const oneToken = s.oneToken ? `sim-${s.oneToken}` : null;
      const sims: RunningSimulator[] = [];
      for (let g = 1; g <= Math.max(...GROUPS); g++) {
        const sim = await app.extraSimulator();
        await app.addProvider(`group${g}`, sim, oneToken ? [model, oneToken] : [model]);
        sims.push(sim);
      }
      const samples: Measured[] = [];
      const run = async (n: number, m: string) => {
        const x = await measure(app, sims.slice(0, n), m, s.runs);
        opts.log(
          `${n} group(s), ${m}: wall ${x.wall_ms} ms, simulator span ${round(x.simulator_span_ms, 1)} ms, sends late p95 ${round(x.simulator_late_p95_ms, 2)} ms`,
        );
        samples.push(x);
      };
      for (let rep = 0; rep < s.repeats; rep++) for (const n of GROUPS) await run(n, model);
      if (oneToken) for (const n of [1, 8]) await run(n, oneToken);
      const of = (n: number, m = model) => samples.filter((x) => x.groups === n && x.model === m);
      const wall = (n: number, m = model) => summarize(of(n, m).map((x) => x.wall_ms)).p50;
      const span = (n: number) => summarize(of(n).map((x) => x.simulator_span_ms)).p50;
      const figures: Figure[] = [context("Wall time, 1 group", wall(1), "ms")];
      for (const n of GROUPS.slice(1)) {
        const ratio = wall(n) / wall(1);
        figures.push(
          n === 8 ? atMost("Wall time ratio, 8 groups / 1", ratio, "×", 1.15, "≤ 1.15") : context(`Wall time ratio, ${n} groups / 1`, ratio, "×"),
        );
      }
      figures.push(context("Simulator span ratio, 8 groups / 1", span(8) / span(1), "×"));
      figures.push(context("Simulator sends late at 8 groups: p95", summarize(of(8).map((x) => x.simulator_late_p95_ms)).p50, "ms"));
      if (oneToken) figures.push(context("Wall time ratio, 8 groups / 1, one-token chunks", wall(8, oneToken) / wall(1, oneToken), "×"));
      const ratio8 = wall(8) / wall(1);
      const notes = [
        `Each group is its own provider on its own simulator instance (ports ${sims[0]!.port}–${sims.at(-1)!.port}), ` +
          `model ${model}, ${s.runs} runs per group (sequential inside a group), no warm-up; ` +
          `${s.repeats} repeat(s) per group count in the order 1, 2, 4, 8, median taken.`,
        "Why 4-token chunks: the simulators live in the bench process and spin-wait the last 2–15 ms before each " +
          "write (for sub-ms send times), so eight one-token streams keep about a CPU of this 2-CPU machine busy in " +
          "the harness rather than in the product. “Sends late” shows whether the simulators kept their schedule." +
          (oneToken ? ` The one-token ratio (${oneToken}, one run at 1 and 8 groups) is given as context.` : ""),
        "Wall time = the job's started_at → completed_at from the hub (queue dispatch included: the consumer's " +
          "1 s max_batch_timeout is paid once per job at any group count). The simulator span (first request " +
          "received → last stream ended over all simulators) is the LLM work alone, as context.",
      ];
      if (ratio8 > 1.15) {
        notes.push(
          `Missed (${round(ratio8, 3)}): all groups stream through one local workerd process on a 2-CPU machine ` +
            "shared with other test runs. The simulator span ratio is the streams alone; the rest of the wall ratio is " +
            "queue dispatch and the hub's bookkeeping. Fix: rerun on a quiet machine; if the span ratio misses too, " +
            "cut the Worker's per-event CPU (SDK parsing of concurrent streams in one isolate).",
        );
      }
      return { id: "fanout", title: fanout.title, figures, notes, raw: { settings: s, samples } };
    }),
};

async function measure(app: BenchApp, sims: RunningSimulator[], model: string, runs: number): Promise<Measured> {
  for (const sim of sims) sim.log.clear();
  const sub = await app.benchmark({
    targets: sims.map((_, i) => ({ provider_key: `group${i + 1}`, model_id: model })),
    runs,
    warmup: false,
    max_tokens: 1024,
  });
  const job = await app.waitDone(sub.job_id, 300_000);
  const run = await app.api<{ results: { success: boolean; provider_key: string }[] }>(`/api/history/${sub.run_id}`);
  for (const [i, sim] of sims.entries()) {
    const stored = run.results.filter((r) => r.provider_key === `group${i + 1}`);
    if (stored.length !== runs || stored.some((r) => !r.success))
      broken(`group${i + 1}: ${stored.length} stored results, expected ${runs} successes`);
    const sent = sim.log.list(100).filter((r) => r.model === model);
    if (sent.length !== runs) broken(`group${i + 1}: the simulator saw ${sent.length} requests, expected ${runs}`);
  }
  const records = sims.flatMap((sim) => sim.log.list(100));
  const first = Math.min(...records.map((r) => r.received_at));
  const last = Math.max(...records.map((r) => r.ended_at ?? r.received_at));
  const late = records.flatMap((r) => r.chunks.filter((c) => c.kind === "text").map((c) => c.sent_at - c.target_at));
  return {
    groups: sims.length,
    model,
    wall_ms: Date.parse(job.completed_at!) - Date.parse(job.started_at!),
    simulator_span_ms: last - first,
    simulator_late_p95_ms: summarize(late).p95,
  };
}
