/**
 * 4. Live latency: from the simulator's send of a run's last token to a browser-style WebSocket client (Node's
 * global WebSocket, ticketed like the web app) receiving that run's `benchmark_result` event. Both stamps are
 * taken in this process on the same clock.
 */
import { broken, withApp } from "../lib/app.ts";
import type { Scenario } from "../lib/scenario.ts";
import { matchRuns, repeat, sentTiming, submitTagged } from "../lib/sim-runs.ts";
import { atMost, context, round, summarize } from "../lib/stats.ts";

const PROFILE = "ttft100-tps100-len20";
const RUNS = { full: 30, quick: 8 };

export const liveLatency: Scenario = {
  id: "live-latency",
  title: "Live latency: last token sent → WebSocket result event received",
  run: (opts) =>
    withApp({ portBase: opts.portBase, label: "live", log: opts.log }, async (app) => {
      const runs = opts.quick ? RUNS.quick : RUNS.full;
      const socket = await app.openSocket();
      await socket.waitFor((m) => m.type === "connected", 10_000, "connected event");
      const job = await submitTagged(app, app.simulator, "live", repeat(PROFILE, runs));
      await app.waitDone(job.jobId, 300_000);
      const matched = await matchRuns(app, app.simulator, job);
      const isResult = (model: string) => (msg: any) => msg.type === "benchmark_result" && msg.job_id === job.jobId && msg.data.model_id === model;
      // The job can read as done a moment before the last frames arrive: wait for each, then count.
      for (const m of matched) await socket.waitFor(isResult(m.model), 15_000, `benchmark_result for ${m.model}`);
      const samples = matched.map((m) => {
        const events = socket.messages.filter((e) => isResult(m.model)(e.msg));
        if (events.length !== 1) broken(`${m.model}: ${events.length} benchmark_result events (expected 1)`);
        const lastSent = sentTiming(m.record).last_output_at;
        return { model: m.model, last_token_sent_at: lastSent, event_received_at: events[0]!.at, latency_ms: events[0]!.at - lastSent };
      });
      const s = summarize(samples.map((x) => x.latency_ms));
      opts.log(`${runs} runs: p50 ${round(s.p50, 1)} ms, p95 ${round(s.p95, 1)} ms`);
      const notes = [
        `${runs} runs of sim-${PROFILE}, each its own model id (unique tag) so each event pairs with one send-log ` +
          "record; one WebSocket opened with a ticket from POST /api/auth/ws-ticket before the job starts.",
        "The path measured: the Worker reads the last token and the end of the stream (usage chunk), computes the " +
          "metrics, inserts the result row in D1, publishes `benchmark_result` to the user's hub (Durable Object " +
          "RPC), and the hub sends it on every socket. The frame is stamped on arrival, before JSON parsing.",
      ];
      if (s.p95 > 100) {
        notes.push(
          `Missed (p95 ${round(s.p95, 1)} ms): the tail is the D1 insert and the hub RPC between the last token and ` +
            "the event, on a 2-CPU machine shared with other test runs. Fix: rerun on a quiet machine; if it persists, " +
            "publish the event concurrently with the insert instead of after it.",
        );
      }
      return {
        id: "live-latency",
        title: liveLatency.title,
        figures: [context("Live latency p50", s.p50, "ms"), atMost("Live latency p95", s.p95, "ms", 100, "≤ 100 ms (locally)")],
        notes,
        raw: { profile: PROFILE, runs, samples },
      };
    }),
};
