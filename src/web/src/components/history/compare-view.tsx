// Side-by-side comparison of 2–4 runs: per model × tier table (speed, TTFT, Δ vs the first run) and grouped bars
// (one group per model and tier); each run says how many runs it measured and how many failed.
import { component$, type PropFunction } from "@builder.io/qwik";
import { fmtMs, fmtSpeed, fmtTier } from "~/lib/bench-format";
import { summarize } from "~/lib/bench-stats";
import type { Aggregate, BenchmarkRun } from "~/lib/benchmark-types";
import { compareChart, seriesColor } from "~/lib/chart-specs";
import { deltaClass, relativeDelta } from "~/lib/compare-delta";
import { runShortLabel } from "~/lib/history-utils";
import { ChartCanvas } from "../charts/chart-canvas";

interface CompareRow {
  key: string;
  model: string;
  provider: string;
  context: number;
  cells: (Aggregate | null)[];
}

function compareRows(runs: readonly BenchmarkRun[]): CompareRow[] {
  const rows = new Map<string, CompareRow>();
  runs.forEach((run, i) => {
    for (const a of run.aggregates) {
      const key = `${a.provider_key}\u0000${a.model_id}\u0000${a.context_tokens}`;
      const row = rows.get(key) ?? {
        key,
        model: a.model,
        provider: a.provider,
        context: a.context_tokens,
        cells: runs.map(() => null),
      };
      row.cells[i] = a;
      rows.set(key, row);
    }
  });
  return [...rows.values()].sort((a, b) => a.model.localeCompare(b.model) || a.context - b.context);
}

/** "12 measured · 3 failed": failed calls measured nothing, so they are never counted as runs. */
function runCounts(run: BenchmarkRun): string {
  const s = summarize(run.results, run.aggregates);
  return `${s.measuredRuns} measured${s.failures ? ` · ${s.failures} failed` : ""}`;
}

export const CompareView = component$<{ runs: BenchmarkRun[]; onClose$: PropFunction<() => void> }>((props) => {
  const runs = props.runs;
  const labels = runs.map((r, i) => `#${i + 1} · ${runShortLabel(r)}`);
  const rows = compareRows(runs);
  const chartRuns = runs.map((r, i) => ({ label: labels[i]!, aggregates: r.aggregates }));
  const speed = compareChart(chartRuns, "output_speed_tps");
  const ttft = compareChart(chartRuns, "ttft_ms");

  return (
    <section class="card compare-view" aria-labelledby="compare-heading" data-testid="compare-view">
      <div class="card-head">
        <div>
          <h2 id="compare-heading" class="card-title">
            Comparing {runs.length} runs
          </h2>
          <p class="muted small">Medians per model and context tier; Δ is relative to run #1 (“=” only when equal).</p>
        </div>
        <button type="button" class="btn btn-ghost btn-sm" data-testid="compare-close" onClick$={props.onClose$}>
          Close
        </button>
      </div>

      <ul class="compare-legend">
        {runs.map((r, i) => (
          <li key={r.id}>
            <span class="legend-swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />
            <span class="text-strong">{labels[i]}</span>
            <span class="muted small" data-testid={`compare-counts-${r.id}`}>
              {runCounts(r)}
            </span>
            <span class="muted small compare-legend-prompt" title={r.prompt}>
              {r.prompt}
            </span>
          </li>
        ))}
      </ul>

      {(speed || ttft) && (
        <div class="chart-grid compare-charts">
          {speed && (
            <figure class="chart-card chart-card-plain">
              <figcaption class="chart-title">
                Output speed <span class="muted small">tok/s p50</span>
              </figcaption>
              <ChartCanvas testId="compare-chart-speed" spec={speed} height={280} label="Output speed per model and context tier, one bar per run." />
            </figure>
          )}
          {ttft && (
            <figure class="chart-card chart-card-plain">
              <figcaption class="chart-title">
                TTFT <span class="muted small">p50</span>
              </figcaption>
              <ChartCanvas
                testId="compare-chart-ttft"
                spec={ttft}
                height={280}
                label="Time to first token per model and context tier, one bar per run."
              />
            </figure>
          )}
        </div>
      )}

      <div class="table-wrap">
        <table class="table compare-table" data-testid="compare-table">
          <caption class="sr-only">Comparison of the selected runs per model</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Model
              </th>
              <th scope="col" rowSpan={2} class="num">
                Context
              </th>
              {labels.map((l, i) => (
                <th key={l} scope="colgroup" colSpan={2} class="compare-run-head">
                  <span class="legend-swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />
                  {l}
                </th>
              ))}
            </tr>
            <tr>
              {labels.map((l) => [
                <th key={`${l}-s`} scope="col" class="num">
                  tok/s
                </th>,
                <th key={`${l}-t`} scope="col" class="num">
                  TTFT
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const base = row.cells[0];
              const speeds = row.cells.map((c) => c?.stats.output_speed_tps?.p50 ?? null);
              const measured = speeds.filter((v) => v !== null).length;
              const bestSpeed = measured >= 2 ? Math.max(...speeds.map((v) => v ?? -1)) : Number.NaN;
              return (
                <tr key={row.key}>
                  <td class="cell-model">
                    <span class="cell-title">{row.model}</span>
                    <span class="muted small">{row.provider}</span>
                  </td>
                  <td class="num mono">{fmtTier(row.context)}</td>
                  {row.cells.map((cell, i) => {
                    const s = cell?.stats.output_speed_tps?.p50;
                    const t = cell?.stats.ttft_ms?.p50;
                    const ds = i > 0 ? relativeDelta(s, base?.stats.output_speed_tps?.p50) : null;
                    const dt = i > 0 ? relativeDelta(t, base?.stats.ttft_ms?.p50) : null;
                    return [
                      <td key={`${i}-s`} class={`num mono${s !== undefined && s === bestSpeed ? " cell-best" : ""}`}>
                        {cell ? fmtSpeed(s) : "—"}
                        {ds && <span class={deltaClass(ds, true)}>{ds.text}</span>}
                      </td>,
                      <td key={`${i}-t`} class="num mono">
                        {cell ? fmtMs(t) : "—"}
                        {dt && <span class={deltaClass(dt, false)}>{dt.text}</span>}
                      </td>,
                    ];
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
});
