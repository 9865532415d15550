// Output speed, TTFT and speed-vs-latency charts for a set of aggregates (bars for one tier, lines for several).
import type { JSXOutput } from "@builder.io/qwik";
import type { Aggregate } from "~/lib/benchmark-types";
import { metricChart, scatterChart } from "~/lib/chart-specs";
import type { ModelIdentity } from "~/lib/model-colors";
import { ChartCanvas } from "../charts/chart-canvas";

function heightFor(kind: string, rows: number): number {
  return kind === "hbar" ? Math.max(140, 48 + rows * 36) : 300;
}

/** `models`: every model of the run (its targets), so each keeps one colour while results arrive and once final. */
export function ResultCharts({ aggregates, models = [] }: { aggregates: readonly Aggregate[]; models?: readonly ModelIdentity[] }): JSXOutput {
  const speed = metricChart(aggregates, "output_speed_tps", models);
  const ttft = metricChart(aggregates, "ttft_ms", models);
  const scatter = scatterChart(aggregates, models);
  if (!speed && !ttft && !scatter) return null;
  const stress = speed?.kind === "line";
  return (
    <div class="chart-grid">
      {speed && (
        <figure class="card chart-card">
          <figcaption class="chart-title">
            Output speed <span class="muted small">tok/s p50{stress ? " by context" : ", higher is better"}</span>
          </figcaption>
          <ChartCanvas
            testId="chart-output-speed"
            spec={speed}
            height={heightFor(speed.kind, speed.labels.length)}
            label={`Output speed (median tokens per second) per model${stress ? " across context tiers" : ""}.`}
          />
        </figure>
      )}
      {ttft && (
        <figure class="card chart-card">
          <figcaption class="chart-title">
            Time to first token <span class="muted small">p50{stress ? " by context" : ", lower is better"}</span>
          </figcaption>
          <ChartCanvas
            testId="chart-ttft"
            spec={ttft}
            height={heightFor(ttft.kind, ttft.labels.length)}
            label={`Median time to first token per model${stress ? " across context tiers" : ""}.`}
          />
        </figure>
      )}
      {scatter && (
        <figure class="card chart-card chart-wide">
          <figcaption class="chart-title">
            Speed vs latency <span class="muted small">top-left is best</span>
          </figcaption>
          <ChartCanvas
            testId="chart-scatter"
            spec={scatter}
            height={320}
            label="Scatter of output speed against time to first token, one point per model and context tier."
          />
        </figure>
      )}
    </div>
  );
}
