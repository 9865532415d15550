/**
 * 12. Capacity probe (issue 18): a closed-loop ladder against the simulator's capacity model with a known knee
 * (slots32: throughput grows up to 32 in flight, then only the queue grows) and a known SLO limit (TTFT p95, which
 * the queue pushes past the SLO at the top of the ladder). Figures: measured vs true knee and SLO limit (bar:
 * within one ladder step), and achieved vs requested concurrency and send skew at 8, 32 and 128 (bar: the mean
 * in the steady window within 10 % of the level, i.e. not `concurrency_short`). A lost or duplicated sample
 * breaks the scenario.
 */
import { capacityTruth } from "../../src/simulator/capacity.ts";
import { broken, withApp } from "../lib/app.ts";
import type { Figure, Scenario } from "../lib/scenario.ts";
import { simModel } from "../lib/sim-runs.ts";
import { context, round } from "../lib/stats.ts";

const SIM = "local_simulator";
/** Slow enough (560 ms a request alone, 40 ms between tokens) that the client's own overhead stays small beside it. */
const MODEL = { ttftMs: 200, tps: 25, tokens: 10, slots: 32, loadPct: 100 };
const LADDER = { full: [1, 2, 4, 8, 16, 32, 64, 128], quick: [1, 8, 32, 128] };
/** Seconds each level is held (every stream keeps sending until then): long enough for several requests per stream. */
const HOLD_SECONDS = { full: 6, quick: 3 };
/**
 * An SLO on TTFT, far from the model's TTFT p95 at 64 (1.5 s) and 128 (3.7 s), which the queue breaks at 128 (the model's ITL stays ≤ 1.97 × 40 ms;
 * the ITL bound is loose because the client's own overhead at 32+ streams on a shared 2-core machine inflates the
 * measured ITL p95, see the notes, and two missed levels would stop the ladder before 128).
 */
const SLO = { ttft_ms: 2000, itl_p95_ms: 200 };
const WATCHED = [8, 32, 128];

interface Level {
  level: number;
  requests: number;
  ok: number;
  achieved_concurrency_mean: number | null;
  achieved_concurrency_min: number | null;
  concurrency_short: boolean;
  send_skew_ms_p95: number | null;
  aggregate_output_tps: number | null;
  ttft_ms: { p95: number | null };
  itl_ms: { p95: number | null };
  e2e_ms: { p95: number | null };
  slo_met: boolean;
  duration_s: number;
}

interface Detail {
  status: string;
  targets: { levels: Level[]; knee_level: number | null; max_level_meeting_slo: number | null; stopped: unknown }[];
}

const stepOf = (ladder: number[], level: number | null) => (level === null ? ladder.length : ladder.indexOf(level));
const bar = (n: number, width = 30) => "█".repeat(Math.max(0, Math.round(n * width)));

export const capacity: Scenario = {
  id: "capacity",
  title: "Capacity probe: measured vs true knee and SLO limit, achieved vs requested concurrency",
  run: (opts) =>
    withApp({ portBase: opts.portBase, label: "capacity", log: opts.log }, async (app) => {
      const ladder = opts.quick ? LADDER.quick : LADDER.full;
      const hold = opts.quick ? HOLD_SECONDS.quick : HOLD_SECONDS.full;
      const model = simModel(`ttft${MODEL.ttftMs}-tps${MODEL.tps}-len${MODEL.tokens}-slots${MODEL.slots}-load${MODEL.loadPct}`, "capacity");
      const providers = (await app.api<{ providers: { id: string; provider_key: string }[] }>("/api/v2/providers")).providers;
      const sim = providers.find((p) => p.provider_key === SIM) ?? broken("no built-in simulator provider");
      await app.api(`/api/v2/providers/${sim.id}/models`, { model_id: model });
      const body = { targets: [{ provider_key: SIM, model_id: model }], levels: ladder, hold_seconds: hold, slo: SLO, max_tokens: 64 };
      const sub = await app.api<{ job_id: string; run_id: string }>("/api/capacity", body);
      const job = await app.waitDone(sub.job_id, 600_000);
      const wallMs = Date.parse(job.completed_at!) - Date.parse(job.started_at!);
      const exported = await app.api<{ run: Detail; samples: { level: number; stream: number; seq: number }[] }>(
        `/api/capacity/history/${sub.run_id}/export?format=json`,
      );
      const t = exported.run.targets[0] ?? broken("the probe has no target");
      // Every request is stored once, in its level and as a raw sample.
      const stored = t.levels.reduce((n, l) => n + l.requests, 0);
      const keys = new Set(exported.samples.map((s) => `${s.level}:${s.stream}:${s.seq}`));
      if (keys.size !== exported.samples.length) broken(`duplicated samples: ${exported.samples.length - keys.size}`);
      if (exported.samples.length !== stored) broken(`${stored} requests in the levels, ${exported.samples.length} samples stored`);
      if (t.levels.length !== ladder.length && !t.stopped) broken(`${t.levels.length} of ${ladder.length} levels stored, and no stop`);

      const truth = capacityTruth({ ...MODEL, levels: ladder, slo: SLO });
      const kneeOk = Math.abs(stepOf(ladder, t.knee_level) - stepOf(ladder, truth.knee_level)) <= 1;
      const sloOk = Math.abs(stepOf(ladder, t.max_level_meeting_slo) - stepOf(ladder, truth.max_level_meeting_slo)) <= 1;
      opts.log(
        `knee: measured ${t.knee_level ?? "none"}, true ${truth.knee_level}; SLO limit: measured ${t.max_level_meeting_slo ?? "none"}, true ${truth.max_level_meeting_slo}`,
      );
      const maxTps = Math.max(...t.levels.map((l) => l.aggregate_output_tps ?? 0), 1);
      for (const l of t.levels) {
        const tl = truth.levels.find((x) => x.level === l.level);
        opts.log(
          `L=${String(l.level).padStart(3)} tps ${String(round(l.aggregate_output_tps ?? 0, 1)).padStart(7)} (true ${round(tl?.aggregate_output_tps ?? 0, 1)}) ${bar((l.aggregate_output_tps ?? 0) / maxTps)}` +
            ` | achieved ${round(l.achieved_concurrency_mean ?? 0, 2)} (min ${l.achieved_concurrency_min}) skew p95 ${l.send_skew_ms_p95} ms` +
            ` | TTFT p95 ${l.ttft_ms.p95} (true ${round(tl?.ttft_ms ?? 0, 0)}) ITL p95 ${l.itl_ms.p95} (true ${round(tl?.itl_ms ?? 0, 1)})${l.slo_met ? " SLO ✓" : ""}`,
        );
      }
      const figures: Figure[] = [
        {
          label: "Knee (measured; true from the model)",
          value: t.knee_level ?? 0,
          unit: "in flight",
          bar: `within one ladder step of ${truth.knee_level}`,
          meets: kneeOk,
        },
        {
          label: "Highest level meeting the SLO (measured)",
          value: t.max_level_meeting_slo ?? 0,
          unit: "in flight",
          bar: `within one ladder step of ${truth.max_level_meeting_slo}`,
          meets: sloOk,
        },
      ];
      for (const level of WATCHED) {
        const l = t.levels.find((x) => x.level === level);
        if (!l) continue;
        const ratio = (l.achieved_concurrency_mean ?? 0) / level;
        figures.push({
          label: `Achieved / requested concurrency at ${level}`,
          value: round(ratio, 3),
          unit: "×",
          bar: "≥ 0.9 (not concurrency_short)",
          meets: !l.concurrency_short,
        });
        figures.push(context(`Send skew p95 at ${level}`, l.send_skew_ms_p95 ?? 0, "ms"));
      }
      figures.push(context("Probe wall time", wallMs, "ms"));
      return {
        id: "capacity",
        title: capacity.title,
        figures,
        notes: [
          `Closed loop over ${JSON.stringify(ladder)}, hold_seconds ${hold} (each of L streams sends requests back to back until ${hold} s after the level's start), ` +
            `against ${model}: ${MODEL.slots} batch slots, TTFT and ITL × (1 + ${MODEL.loadPct / 100}·(k−1)/${MODEL.slots}) with k busy slots, ` +
            "a FIFO queue beyond the slots (src/simulator/capacity.ts). The truth is capacityTruth() of the same parameters, " +
            "with the probe's own knee rule (first step with < 10 % more aggregate output tokens/s while p95 latency rose → the level before).",
          `SLO ${JSON.stringify(SLO)}: TTFT p95 breaks it once requests queue for a wave or more; the ITL bound is loose on purpose ` +
            "(measured client-side ITL p95 grows well above the model's at 8+ streams on this shared machine: the client's own overhead).",
          "Achieved concurrency is the time-weighted mean of requests in flight (real send → end, from the samples) over each " +
            "level's steady window (last stream's first send → first stream's last end). A level's load is spread over lanes " +
            "(Durable Objects of ≤ 4 streams, below the six-connection limit of one invocation) that start together on a shared start time; " +
            "send skew is |actual send − scheduled send|, which includes the SDK's set-up of each request.",
          `Measured vs true per level: ${t.levels
            .map((l) => {
              const tl = truth.levels.find((x) => x.level === l.level);
              return `L${l.level}: ${round(l.aggregate_output_tps ?? 0, 1)} vs ${round(tl?.aggregate_output_tps ?? 0, 1)} tok/s`;
            })
            .join(
              "; ",
            )}. Client overhead on this shared machine (one workerd process parsing every stream) lowers measured throughput at high levels.`,
        ],
        raw: {
          model,
          ladder,
          hold,
          slo: SLO,
          truth,
          levels: t.levels,
          knee_level: t.knee_level,
          max_level_meeting_slo: t.max_level_meeting_slo,
          wall_ms: wallMs,
        },
      };
    }),
};
