/**
 * 2. Overhead against a bare client: the same simulator profile measured through the whole product and by
 * bench/bare-client.ts (plain fetch + SSE reader, same metric definitions); our TTFT / bare TTFT.
 */
import { type BareRun, bareRun } from "../bare-client.ts";
import { broken, withApp } from "../lib/app.ts";
import type { Scenario } from "../lib/scenario.ts";
import { matchRuns, repeat, sentTiming, simModel, submitTagged } from "../lib/sim-runs.ts";
import { atMost, context, round, summarize } from "../lib/stats.ts";

const PROFILE = "ttft300-tps60-len40"; // the "typical" fidelity profile, shorter: only TTFT matters here
const RUNS = { full: 20, quick: 5 };

export const overhead: Scenario = {
  id: "overhead",
  title: "Overhead against a bare client (TTFT ratio)",
  run: (opts) =>
    withApp({ portBase: opts.portBase, label: "overhead", log: opts.log }, async (app) => {
      const runs = opts.quick ? RUNS.quick : RUNS.full;
      const sim = app.simulator;

      // Half the bare runs before the product's job and half after, so slow load drift hits both sides alike.
      const bare: { ours: BareRun; sent: ReturnType<typeof sentTiming> }[] = [];
      const bareBlock = async (from: number, to: number) => {
        for (let i = from; i <= to; i++) {
          const id = `bare-run-${i}`;
          const r = await bareRun(`${sim.url}/v1`, simModel(PROFILE, `bare${i}`), id);
          const record = sim.log.get(id) ?? broken(`bare run ${i}: no send-log record`);
          if (record.output_tokens !== r.output_tokens) broken(`bare run ${i}: token count differs from the simulator's`);
          bare.push({ ours: r, sent: sentTiming(record) });
        }
      };
      await bareRun(`${sim.url}/v1`, simModel(PROFILE, "barewarm"), "bare-warmup");
      await bareBlock(1, Math.floor(runs / 2));
      const job = await submitTagged(app, sim, "overhead", repeat(PROFILE, runs));
      await app.waitDone(job.jobId, 300_000);
      const product = (await matchRuns(app, sim, job)).map((m) => ({ ours: m.result, sent: sentTiming(m.record) }));
      await bareBlock(Math.floor(runs / 2) + 1, runs);
      opts.log(`${runs} bare-client runs around ${runs} product runs`);

      const ourTtft = summarize(product.map((p) => p.ours.ttft_ms!));
      const bareTtft = summarize(bare.map((b) => b.ours.ttft_ms));
      const ratio = ourTtft.p50 / bareTtft.p50;
      const ourExtra = summarize(product.map((p) => p.ours.ttft_ms! - p.sent.ttft_ms));
      const bareExtra = summarize(bare.map((b) => b.ours.ttft_ms - b.sent.ttft_ms));
      const figures = [
        atMost("TTFT ours / bare (medians)", ratio, "×", 1.02, "≤ 1.02"),
        context("TTFT ours, median", ourTtft.p50, "ms"),
        context("TTFT bare client, median", bareTtft.p50, "ms"),
        context("TTFT above the simulator's send, ours: median", ourExtra.p50, "ms"),
        context("TTFT above the simulator's send, bare: median", bareExtra.p50, "ms"),
      ];
      const notes = [
        `Profile sim-${PROFILE} (the typical 300 ms / 60 tok/s profile), ${runs} measured runs each, after one ` +
          "unmeasured warm-up each; half the bare runs go before the product's job and half after. The bare client is bench/bare-client.ts in this process (plain fetch + SSE " +
          "reader, TTFT at the first non-empty output event per metrics.md); ours is the stored ttft_ms of runs " +
          "through API → hub → queue → consumer → SDK stream → D1. Ratio = median ours / median bare.",
        "“Above the simulator's send” subtracts, run by run, what the simulator actually sent (first output write − " +
          "receipt), so it isolates each client's own cost from the simulator's scheduling on a shared machine.",
      ];
      if (ratio > 1.02) {
        notes.push(
          `Missed (${round(ratio, 4)}): the product's TTFT sits ${round(ourExtra.p50 - bareExtra.p50, 2)} ms above the bare ` +
            `client's at the median (the bar allows ${round(bareTtft.p50 * 0.02, 1)} ms). The steady part is the Worker's ` +
            "request path (t0 stamped on workerd's I/O-frozen clock before the SDK builds the request; see fidelity's " +
            "note); the rest is load on the shared machine. Fix: stamp t0 in a custom fetch given to the SDK, after an " +
            "awaited zero-delay timer.",
        );
      }
      return {
        id: "overhead",
        title: overhead.title,
        figures,
        notes,
        raw: { profile: PROFILE, runs, product, bare },
      };
    }),
};
