/**
 * The capacity probe's live fold (src/web/src/lib/capacity-live-fold.ts) and its chart descriptions
 * (src/web/src/lib/capacity-charts.ts), in plain Node: a realistic probe of two targets (one stopped by 429s) folds
 * into the right ladders, knees, SLO limits and stop reasons; duplicates and any arrival order end in the same state;
 * the stored run replaces what the events built; and the charts put every measured figure at its level, draw the SLO
 * bound across the ladder and mark the knee and the SLO limit on the curve.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServerEventSchema } from "../../src/shared/events.ts";
import type { JobView } from "../../src/shared/jobs.ts";
import { concurrencyChart, goodputChart, ladderOf, latencyChart, throughputChart, timelineChart } from "../../src/web/src/lib/capacity-charts.ts";
import { capacityLive, capacityTargets } from "../../src/web/src/lib/capacity-live-fold.ts";
import type { CapacityLevelResult, CapacityRunDetail } from "../../src/web/src/lib/capacity-types.ts";
import type { LiveEvent } from "../../src/web/src/lib/live-events.ts";
import { createLiveJobReducer } from "../../src/web/src/lib/live-job-reducer.ts";

const T0 = Date.parse("2026-12-06T22:00:00Z");
const JOB = "job_cap1";
const RUN = "cap_run1";
const FAST_NAMED = { provider_key: "local_simulator", model_id: "sim-capacity", display_name: "Sim capacity" };
const OTHER_NAMED = { provider_key: "local_simulator", model_id: "sim-fast", display_name: "Sim fast" };
const FAST = { provider_key: FAST_NAMED.provider_key, model_id: FAST_NAMED.model_id };
const OTHER = { provider_key: OTHER_NAMED.provider_key, model_id: OTHER_NAMED.model_id };
const LADDER = [1, 2, 4, 8, 16];
const SLO = { ttft_ms: 800, itl_p95_ms: 60 };

/** A level's figures shaped like a batch-slot server: flat up to 4 in flight, then queueing. */
function level(t: { provider_key: string; model_id: string }, n: number, overrides: Partial<CapacityLevelResult> = {}): CapacityLevelResult {
  const queued = Math.max(0, n - 4);
  const ttft = 200 + 300 * queued;
  const itl = 20 + 10 * queued;
  const tps = 50 * Math.min(n, 4);
  return {
    provider_key: t.provider_key,
    model_id: t.model_id,
    level: n,
    requested_concurrency: n,
    achieved_concurrency_mean: n * 0.98,
    achieved_concurrency_min: n - (n > 1 ? 1 : 0),
    concurrency_short: false,
    send_skew_ms_p95: 3,
    requests: 4 * n,
    ok: 4 * n,
    errors: 0,
    rate_limited: 0,
    error_share: 0,
    rate_limited_share: 0,
    ttft_ms: { p50: ttft, p95: ttft * 1.2, p99: ttft * 1.3 },
    itl_ms: { p50: itl, p95: itl * 1.5, p99: itl * 2 },
    e2e_ms: { p50: ttft + 100 * itl, p95: null, p99: null },
    output_tps_per_request_p50: 50 / Math.max(1, queued + 1),
    aggregate_output_tps: tps,
    requests_per_s: tps / 100,
    goodput_rps: ttft <= SLO.ttft_ms ? tps / 100 : 0,
    slo_met: ttft * 1 <= SLO.ttft_ms && itl * 1.5 <= SLO.itl_p95_ms,
    duration_s: 8,
    ...overrides,
  };
}

/** Every event goes through the hub's schema first, so the test's events are the wire's. */
const ev = (e: Record<string, unknown>) => ServerEventSchema.parse(e) as LiveEvent;
const levelEv = (data: CapacityLevelResult) => ev({ type: "capacity_level", job_id: JOB, data: { ...data, run_id: RUN } });

function probeEvents(): LiveEvent[] {
  return [
    ev({ type: "job_started", job_id: JOB, job_type: "capacity" }),
    ev({ type: "capacity_init", job_id: JOB, data: { run_id: RUN, targets: [FAST_NAMED, OTHER_NAMED], levels: LADDER, loop: "closed", slo: SLO } }),
    ...[1, 2, 4, 8].map((n) => levelEv(level(FAST, n))),
    levelEv(level(FAST, 16, { concurrency_short: true, achieved_concurrency_mean: 11.2 })),
    ev({ type: "capacity_summary", job_id: JOB, data: { run_id: RUN, ...FAST, knee_level: 4, max_level_meeting_slo: 4 } }),
    ...[1, 2].map((n) => levelEv(level(OTHER, n))),
    levelEv(level(OTHER, 4, { rate_limited: 3, rate_limited_share: 0.19, ok: 13, slo_met: false })),
    ev({ type: "capacity_stopped", job_id: JOB, data: { run_id: RUN, ...OTHER, at_level: 4, reason: "rate_limited" } }),
    ev({ type: "capacity_summary", job_id: JOB, data: { run_id: RUN, ...OTHER, knee_level: null, max_level_meeting_slo: 2 } }),
    ev({ type: "job_progress", job_id: JOB, progress_pct: 90, progress_detail: "level 16" }),
    ev({ type: "job_completed", job_id: JOB, result_ref: RUN }),
  ];
}

const reducer = createLiveJobReducer(capacityLive);
type Facts = ReturnType<typeof reducer.empty>;
const fold = (events: readonly LiveEvent[], start: Facts = reducer.attach(JOB, undefined, T0)) =>
  events.reduce((s, e, i) => reducer.event(s, e, T0 + 1000 * (i + 1)), start);
const viewOf = (f: Facts) => reducer.view(f, T0 + 60_000);
/** What a page shows, independent of arrival order. */
const settled = (f: Facts) => {
  const v = viewOf(f);
  const targets = capacityTargets(v).sort((a, b) => (a.model_id < b.model_id ? -1 : 1));
  return { phase: v.phase, levels: v.levels, loop: v.loop, slo: v.slo, targets };
};

describe("capacity live fold", () => {
  it("folds a probe into per-target ladders with knee, SLO limit and stop reason", () => {
    const v = viewOf(fold(probeEvents()));
    expect(v.phase).toBe("completed");
    expect(v.runId).toBe(RUN);
    expect(v.levels).toEqual(LADDER);
    expect(v.loop).toBe("closed");
    expect(v.slo).toEqual(SLO);
    const [fast, other] = capacityTargets(v);
    expect(fast!.display_name).toBe("Sim capacity");
    expect(fast!.levels.map((l) => l.level)).toEqual([1, 2, 4, 8, 16]);
    expect(fast!.knee_level).toBe(4);
    expect(fast!.max_level_meeting_slo).toBe(4);
    expect(fast!.summarised).toBe(true);
    expect(fast!.stopped).toBeNull();
    expect(fast!.levels.find((l) => l.level === 16)!.concurrency_short).toBe(true);
    expect(other!.levels.map((l) => l.level)).toEqual([1, 2, 4]);
    expect(other!.stopped).toEqual({ at_level: 4, reason: "rate_limited" });
    expect(other!.knee_level).toBeNull();
    expect(other!.max_level_meeting_slo).toBe(2);
  });

  it("before the summary, shows only the highest level that met the SLO so far, and no knee", () => {
    const events = probeEvents().slice(0, 5); // init + levels 1, 2, 4 of the first target
    const [fast] = capacityTargets(viewOf(fold(events)));
    expect(fast!.summarised).toBe(false);
    expect(fast!.knee_level).toBeNull();
    expect(fast!.max_level_meeting_slo).toBe(4);
    expect(viewOf(fold(events)).phase).toBe("running");
  });

  it("counts a level sent twice once, and a second summary or stop for a target replaces the first", () => {
    const events = probeEvents();
    const again = [
      ...events.slice(0, -1),
      events[3]!,
      events[3]!,
      ev({ type: "capacity_summary", job_id: JOB, data: { run_id: RUN, ...FAST, knee_level: 8, max_level_meeting_slo: 4 } }),
      events.at(-1)!,
    ];
    const v = viewOf(fold(again));
    expect(v.results).toHaveLength(8);
    const [fast] = capacityTargets(v);
    expect(fast!.knee_level).toBe(8);
    expect(v.summaries.filter((s) => s.model_id === FAST.model_id)).toHaveLength(1);
  });

  it("ignores events of other jobs", () => {
    const foreign = probeEvents().map((e) => ({ ...e, job_id: "job_other" }) as LiveEvent);
    const v = viewOf(fold(foreign));
    expect(v.results).toHaveLength(0);
    expect(v.phase).toBe("loading");
  });

  it("ends in the same state whatever order the events arrive in, with repeats", () => {
    // The terminal event is kept last: the first terminal word stands, and levels after it still count.
    const events = probeEvents();
    const body = events.slice(0, -1);
    const expected = settled(fold(events));
    fc.assert(
      fc.property(fc.shuffledSubarray(body, { minLength: body.length }), fc.array(fc.nat(body.length - 1), { maxLength: 6 }), (shuffled, repeats) => {
        const arrived = [...shuffled, ...repeats.map((i) => body[i]!), events.at(-1)!];
        // Summaries and stops are idempotent per target only when each target gets one: keep that (a real probe does).
        expect(settled(fold(arrived))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("replaces the live picture with the stored run once the job is over", () => {
    const live = fold(probeEvents());
    const stored: CapacityRunDetail = {
      id: RUN,
      status: "completed",
      created_at: "2026-12-06T22:00:00.000Z",
      timestamp: "2026-12-06T22:00:00.000Z",
      completed_at: "2026-12-06T22:03:00.000Z",
      config: {
        targets: [FAST_NAMED],
        levels: LADDER,
        hold_requests: 4,
        hold_seconds: null,
        loop: "closed",
        rate: null,
        slo: SLO,
        budget: null,
        context_tier: 0,
        max_tokens: 256,
        prompt: "Write a story.",
        seed: 7,
      },
      targets: [
        {
          ...FAST_NAMED,
          levels: [1, 2, 4, 8].map((n) => level(FAST, n)),
          knee_level: 4,
          max_level_meeting_slo: 4,
          stopped: { at_level: 8, reason: "slo" },
          timeline: [
            { t_ms: 0, in_flight: 1 },
            { t_ms: 500, in_flight: 2 },
          ],
        },
      ],
    };
    const job: JobView = {
      id: JOB,
      job_type: "capacity" as JobView["job_type"],
      status: "done",
      progress_pct: 100,
      progress_detail: "",
      params: { run_id: RUN },
      result_ref: RUN,
      created_at: "2026-12-06T22:00:00.000Z",
      started_at: "2026-12-06T22:00:00.000Z",
      completed_at: "2026-12-06T22:03:00.000Z",
      error_msg: null,
    } as unknown as JobView;
    const final = reducer.run(reducer.job(live, job), stored, true);
    const v = viewOf(final);
    expect(v.final).toBe(true);
    const targets = capacityTargets(v);
    expect(targets).toHaveLength(1);
    expect(targets[0]!.display_name).toBe("Sim capacity");
    expect(targets[0]!.levels.map((l) => l.level)).toEqual([1, 2, 4, 8]);
    expect(targets[0]!.stopped).toEqual({ at_level: 8, reason: "slo" });
    expect(targets[0]!.timeline).toHaveLength(2);
    expect(v.finishedAt).toBe(Date.parse("2026-12-06T22:03:00.000Z"));
    // A late live level changes nothing once the stored run is in.
    const late = reducer.event(final, levelEv(level(FAST, 32)), T0 + 99_000);
    expect(viewOf(late).results).toHaveLength(4);
  });
});

describe("capacity charts", () => {
  const [fast, other] = capacityTargets(viewOf(fold(probeEvents())));
  const ladder = ladderOf(LADDER, [fast!, other!]);

  it("puts the planned ladder and every measured level on the x axis, lowest first", () => {
    expect(ladderOf([4, 1, 2], [{ levels: [level(FAST, 32), level(FAST, 2)] }])).toEqual([1, 2, 4, 32]);
    expect(ladder).toEqual(LADDER);
  });

  it("draws TTFT percentiles at their levels, the SLO bound across the ladder and marks knee and SLO limit on p95", () => {
    const spec = latencyChart(fast!, ladder, "ttft", SLO)!;
    expect(spec.kind).toBe("line");
    expect(spec.labels).toEqual(["1", "2", "4", "8", "16"]);
    const byLabel = Object.fromEntries(spec.series.map((s) => [s.label, s]));
    expect(byLabel["TTFT p50"]!.values).toEqual(LADDER.map((n) => level(FAST, n).ttft_ms.p50));
    expect(byLabel["TTFT p99"]!.values).toEqual(LADDER.map((n) => level(FAST, n).ttft_ms.p99));
    const slo = byLabel["SLO TTFT ≤ 800 ms"]!;
    expect(slo.values).toEqual([800, 800, 800, 800, 800]);
    expect(slo.dash).toBeDefined();
    const knee = byLabel["knee (4)"]!;
    expect(knee.showLine).toBe(false);
    expect(knee.values).toEqual([null, null, level(FAST, 4).ttft_ms.p95, null, null]);
    expect(byLabel["max meeting SLO (4)"]!.values![2]).toBe(level(FAST, 4).ttft_ms.p95);
  });

  it("leaves gaps where a stopped target has no level and draws ITL's bound on p95", () => {
    const spec = latencyChart(other!, ladder, "itl", SLO)!;
    const p95 = spec.series.find((s) => s.label === "ITL p95")!;
    expect(p95.values).toEqual([level(OTHER, 1).itl_ms.p95, level(OTHER, 2).itl_ms.p95, level(OTHER, 4).itl_ms.p95, null, null]);
    expect(spec.series.find((s) => s.label.startsWith("SLO ITL p95"))!.values).toEqual([60, 60, 60, 60, 60]);
    // No knee for this target: no knee marker.
    expect(spec.series.some((s) => s.label.startsWith("knee"))).toBe(false);
  });

  it("draws throughput and goodput with their markers, and nothing for a target without levels", () => {
    const tps = throughputChart(fast!, ladder)!;
    expect(tps.unit).toBe("tok/s");
    expect(tps.series[0]!.values).toEqual(LADDER.map((n) => level(FAST, n).aggregate_output_tps));
    expect(tps.series.find((s) => s.label.startsWith("knee"))!.values![2]).toBe(200);
    const good = goodputChart(fast!, ladder)!;
    expect(good.unit).toBe("req/s");
    expect(good.series.map((s) => s.label).slice(0, 2)).toEqual(["Requests/s", "Goodput (req/s meeting the SLO)"]);
    expect(good.series[1]!.values).toEqual(LADDER.map((n) => level(FAST, n).goodput_rps));
    const empty = { ...fast!, levels: [] };
    expect(latencyChart(empty, ladder, "ttft", SLO)).toBeNull();
    expect(throughputChart(empty, ladder)).toBeNull();
    expect(goodputChart(empty, ladder)).toBeNull();
    expect(concurrencyChart(empty, ladder)).toBeNull();
  });

  it("shows requested against achieved concurrency, so a short level stands out", () => {
    const spec = concurrencyChart(fast!, ladder)!;
    expect(spec.series[0]!.values).toEqual(LADDER);
    expect(spec.series[1]!.values![4]).toBe(11.2);
  });

  it("draws requests in flight over time from a stored timeline, and nothing without one", () => {
    const withTimeline = {
      ...fast!,
      timeline: [
        { t_ms: 0, in_flight: 1 },
        { t_ms: 1500, in_flight: 2 },
        { t_ms: 3250, in_flight: 4 },
      ],
    };
    const spec = timelineChart(withTimeline)!;
    expect(spec.labels).toEqual(["0.0", "1.5", "3.3"]);
    expect(spec.series[0]!.values).toEqual([1, 2, 4]);
    expect(timelineChart(fast!)).toBeNull();
  });
});
