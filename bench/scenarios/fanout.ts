/**
 * 3. Parallel fan-out: 1, 2, 4 and 8 provider groups, each its own provider on its own simulator instance with
 * the same profile; the job's wall time divided by the single-group wall time.
 */
import type { RunningSimulator } from "../../src/simulator/server.ts";
import { broken, withApp, type BenchApp } from "../lib/app.ts";
import type { Figure, Scenario } from "../lib/scenario.ts";
import { atMost, context, round, summarize } from "../lib/stats.ts";

const GROUPS = [1, 2, 4, 8];
const SETTINGS = {
  full: { options: "ttft300-tps60-len120", runs: 3, repeats: 2 },
  quick: { options: "ttft200-tps100-len50", runs: 2, repeats: 1 },
};

interface Measured {
  groups: number;
  wall_ms: number;
  /** First request received → last stream ended, over every simulator: the LLM work alone, without queue dispatch. */
  simulator_span_ms: number;
}

export const fanout: Scenario = {
  id: "fanout",
  title: "Parallel fan-out over provider groups",
  run: (opts) =>
    withApp({ portBase: opts.portBase, label: "fanout" }, async (app) => {
      const s = opts.quick ? SETTINGS.quick : SETTINGS.full;
      const model = `sim-${s.options}`;
      const sims: RunningSimulator[] = [];
      for (let g = 1; g <= Math.max(...GROUPS); g++) {
        const sim = await app.extraSimulator();
        await app.addProvider(`group${g}`, sim, [model]);
        sims.push(sim);
      }
      const samples: Measured[] = [];
      for (let rep = 0; rep < s.repeats; rep++) {
        for (const n of GROUPS) {
          const m = await measure(app, sims.slice(0, n), model, s.runs);
          opts.log(`${n} group(s): wall ${m.wall_ms} ms, simulator span ${round(m.simulator_span_ms, 1)} ms`);
          samples.push(m);
        }
      }
      const wall = (n: number) => summarize(samples.filter((m) => m.groups === n).map((m) => m.wall_ms)).p50;
      const span = (n: number) => summarize(samples.filter((m) => m.groups === n).map((m) => m.simulator_span_ms)).p50;
      const figures: Figure[] = [context("Wall time, 1 group", wall(1), "ms")];
      for (const n of GROUPS.slice(1)) {
        const ratio = wall(n) / wall(1);
        figures.push(n === 8 ? atMost("Wall time ratio, 8 groups / 1", ratio, "×", 1.15, "≤ 1.15") : context(`Wall time ratio, ${n} groups / 1`, ratio, "×"));
      }
      figures.push(context("Simulator span ratio, 8 groups / 1", span(8) / span(1), "×"));
      const ratio8 = wall(8) / wall(1);
      const notes = [
        `Each group is its own provider on its own simulator instance (ports ${sims[0]!.port}–${sims.at(-1)!.port}), ` +
          `model sim-${s.options}, ${s.runs} runs per group (sequential inside a group), no warm-up; ` +
          `${s.repeats} repeat(s) per group count in the order 1, 2, 4, 8, median taken.`,
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
    if (stored.length !== runs || stored.some((r) => !r.success)) broken(`group${i + 1}: ${stored.length} stored results, expected ${runs} successes`);
    const sent = sim.log.list(100).filter((r) => r.model === model);
    if (sent.length !== runs) broken(`group${i + 1}: the simulator saw ${sent.length} requests, expected ${runs}`);
  }
  const records = sims.flatMap((sim) => sim.log.list(100));
  const first = Math.min(...records.map((r) => r.received_at));
  const last = Math.max(...records.map((r) => r.ended_at ?? r.received_at));
  return { groups: sims.length, wall_ms: Date.parse(job.completed_at!) - Date.parse(job.started_at!), simulator_span_ms: last - first };
}
