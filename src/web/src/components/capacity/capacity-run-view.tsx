// A probe's results, live or stored: one column per target, side by side, each with its headline (knee, highest
// level meeting the SLO, why its ladder stopped), its curves against concurrency (TTFT and ITL percentiles with
// the SLO drawn, aggregate throughput, requests/s and goodput, requested against achieved concurrency) and the level
// table that holds every number the charts draw. A level whose achieved concurrency fell short is marked.
import { component$ } from "@builder.io/qwik";
import { fmtMs, fmtPct, fmtSpeed } from "~/lib/bench-format";
import { concurrencyChart, goodputChart, ladderOf, latencyChart, throughputChart, timelineChart } from "~/lib/capacity-charts";
import type { CapacityTargetView } from "~/lib/capacity-live-fold";
import { type CapacityLevelResult, type CapacitySlo, stopReasonText } from "~/lib/capacity-types";
import type { ChartSpec } from "~/lib/chart-specs";
import { Badge } from "../badge";
import { ChartCanvas } from "../charts/chart-canvas";

const num = (n: number | null | undefined, dp = 1) => (n === null || n === undefined || !Number.isFinite(n) ? "—" : n.toFixed(dp));

export interface CapacityRunViewProps {
  targets: CapacityTargetView[];
  ladder: number[];
  slo: CapacitySlo | null;
  /** True while levels may still arrive (the headline says "so far"). */
  live: boolean;
}

const LevelTable = component$<{ target: CapacityTargetView; slo: CapacitySlo | null }>(({ target, slo }) => (
  <div class="table-wrap">
    <table class="table results-table capacity-level-table" data-testid={`capacity-levels-${target.model_id}`}>
      <caption class="sr-only">
        {target.display_name}: every level's figures (the numbers the charts draw)
        {slo ? `; SLO TTFT ≤ ${slo.ttft_ms} ms and ITL p95 ≤ ${slo.itl_p95_ms} ms` : ""}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            Level
          </th>
          <th scope="col" class="num" title="Requested · achieved mean (min)">
            Concurrency
          </th>
          <th scope="col" class="num">
            TTFT p50 / p95 / p99
          </th>
          <th scope="col" class="num">
            ITL p50 / p95 / p99
          </th>
          <th scope="col" class="num">
            E2E p50 / p95
          </th>
          <th scope="col" class="num">
            Speed / request
          </th>
          <th scope="col" class="num">
            Aggregate
          </th>
          <th scope="col" class="num">
            Req/s · goodput
          </th>
          <th scope="col" class="num">
            429s · errors
          </th>
          <th scope="col">SLO</th>
        </tr>
      </thead>
      <tbody>
        {target.levels.map((l: CapacityLevelResult) => {
          const knee = target.knee_level === l.level;
          const limit = target.max_level_meeting_slo === l.level;
          return (
            <tr
              key={l.level}
              class={`${l.concurrency_short ? "is-short" : ""}${knee ? " is-knee" : ""}`}
              data-testid={`capacity-level-${target.model_id}-${l.level}`}
              data-short={l.concurrency_short ? "true" : "false"}
              data-slo-met={l.slo_met ? "true" : "false"}
            >
              <th scope="row" class="num mono">
                {l.level}
              </th>
              <td class="num mono" data-col="concurrency">
                {l.requested_concurrency} · {num(l.achieved_concurrency_mean)} ({num(l.achieved_concurrency_min, 0)})
                {l.concurrency_short && (
                  <>
                    {" "}
                    <Badge
                      tone="coral"
                      testId={`capacity-short-${target.model_id}-${l.level}`}
                      title="The concurrency achieved fell short of the requested level"
                    >
                      short
                    </Badge>
                  </>
                )}
                {l.send_skew_ms_p95 !== null && <span class="muted small"> · skew p95 {fmtMs(l.send_skew_ms_p95)}</span>}
              </td>
              <td class="num mono" data-col="ttft">
                {fmtMs(l.ttft_ms.p50)} / {fmtMs(l.ttft_ms.p95)} / {fmtMs(l.ttft_ms.p99)}
              </td>
              <td class="num mono" data-col="itl">
                {fmtMs(l.itl_ms.p50)} / {fmtMs(l.itl_ms.p95)} / {fmtMs(l.itl_ms.p99)}
              </td>
              <td class="num mono">
                {fmtMs(l.e2e_ms.p50)} / {fmtMs(l.e2e_ms.p95)}
              </td>
              <td class="num mono">{fmtSpeed(l.output_tps_per_request_p50)}</td>
              <td class="num mono" data-col="aggregate">
                {fmtSpeed(l.aggregate_output_tps)}
              </td>
              <td class="num mono" data-col="goodput">
                {num(l.requests_per_s, 2)} · {num(l.goodput_rps, 2)}
              </td>
              <td class="num mono">
                {l.rate_limited} ({fmtPct(l.rate_limited_share * 100)}) · {l.errors} ({fmtPct(l.error_share * 100)})
              </td>
              <td class="nowrap">
                <Badge tone={l.slo_met ? "teal" : "grey"}>{l.slo_met ? "met" : "missed"}</Badge>
                {limit && (
                  <>
                    {" "}
                    <Badge tone="teal" title="The highest level that met the SLO">
                      SLO max
                    </Badge>
                  </>
                )}
                {knee && (
                  <>
                    {" "}
                    <Badge
                      tone="amber"
                      testId={`capacity-knee-badge-${target.model_id}`}
                      title="Aggregate throughput stops growing after this level while latency keeps rising"
                    >
                      knee
                    </Badge>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
));

const Chart = ({ spec, testId, label }: { spec: ChartSpec | null; testId: string; label: string }) =>
  spec ? <ChartCanvas testId={testId} spec={spec} label={label} height={220} /> : null;

export const CapacityRunView = component$<CapacityRunViewProps>((props) => {
  const ladder = ladderOf(props.ladder, props.targets);
  return (
    <div
      class="capacity-run-view"
      data-testid="capacity-run-view"
      style={{ "--capacity-columns": String(Math.max(1, Math.min(props.targets.length, 3))) }}
    >
      {props.targets.map((t) => (
        <section
          key={`${t.provider_key}::${t.model_id}`}
          class="card capacity-target"
          data-testid={`capacity-target-${t.model_id}`}
          aria-label={t.display_name}
        >
          <div class="card-head">
            <div>
              <h3 class="card-title">{t.display_name}</h3>
              <p class="muted small mono">
                {t.provider_key} · {t.levels.length} of {ladder.length} levels
              </p>
            </div>
          </div>
          <dl class="capacity-headline">
            <div>
              <dt>Knee</dt>
              <dd data-testid={`capacity-knee-${t.model_id}`} data-level={t.knee_level ?? ""}>
                {t.knee_level !== null ? `${t.knee_level} in flight` : t.summarised ? "none found" : props.live ? "after the ladder" : "—"}
              </dd>
            </div>
            <div>
              <dt>Highest level meeting the SLO{t.summarised || !props.live ? "" : " so far"}</dt>
              <dd data-testid={`capacity-slo-max-${t.model_id}`} data-level={t.max_level_meeting_slo ?? ""}>
                {t.max_level_meeting_slo !== null ? `${t.max_level_meeting_slo} in flight` : t.levels.length ? "none" : "—"}
              </dd>
            </div>
          </dl>
          {t.stopped && (
            <p class="capacity-stop" role="status" data-testid={`capacity-stop-${t.model_id}`} data-reason={t.stopped.reason}>
              <Badge tone="coral">stopped at {t.stopped.at_level}</Badge> The ladder stopped: {stopReasonText(t.stopped.reason)}.
            </p>
          )}
          {t.levels.some((l) => l.concurrency_short) && (
            <p class="muted small" data-testid={`capacity-short-note-${t.model_id}`}>
              Levels marked <em>short</em> did not reach the requested concurrency; their figures describe the load actually achieved.
            </p>
          )}
          {t.levels.length === 0 ? (
            <p class="muted small" data-testid={`capacity-waiting-${t.model_id}`}>
              The first level's figures appear here when it is done.
            </p>
          ) : (
            <>
              <div class="capacity-charts">
                <Chart
                  spec={latencyChart(t, ladder, "ttft", props.slo)}
                  testId={`chart-capacity-ttft-${t.model_id}`}
                  label={`${t.display_name}: TTFT percentiles against concurrency, with the SLO bound`}
                />
                <Chart
                  spec={latencyChart(t, ladder, "itl", props.slo)}
                  testId={`chart-capacity-itl-${t.model_id}`}
                  label={`${t.display_name}: ITL percentiles against concurrency, with the SLO bound`}
                />
                <Chart
                  spec={throughputChart(t, ladder)}
                  testId={`chart-capacity-throughput-${t.model_id}`}
                  label={`${t.display_name}: aggregate output tokens per second against concurrency`}
                />
                <Chart
                  spec={goodputChart(t, ladder)}
                  testId={`chart-capacity-goodput-${t.model_id}`}
                  label={`${t.display_name}: requests per second and goodput against concurrency`}
                />
                <Chart
                  spec={concurrencyChart(t, ladder)}
                  testId={`chart-capacity-concurrency-${t.model_id}`}
                  label={`${t.display_name}: requested against achieved concurrency`}
                />
                <Chart
                  spec={timelineChart(t)}
                  testId={`chart-capacity-timeline-${t.model_id}`}
                  label={`${t.display_name}: requests in flight over the probe's time`}
                />
              </div>
              <LevelTable target={t} slo={props.slo} />
            </>
          )}
        </section>
      ))}
    </div>
  );
});
