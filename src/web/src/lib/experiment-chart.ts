// The experiment timeline as a chart: each scored run's score (%) in time order, against the baseline's.
import type { ChartSpec } from "./chart-specs.ts";
import { ENTRY_LABEL, type ExperimentTimeline } from "./experiment-types.ts";

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** Null when no run has a score yet (the table still lists every run). */
export function timelineChart(t: ExperimentTimeline): ChartSpec | null {
  const scored = t.entries.filter((e) => e.score !== null);
  if (!scored.length) return null;
  const baseline = t.baseline?.score ?? null;
  return {
    kind: "line",
    labels: scored.map((e, i) => `${i + 1}. ${ENTRY_LABEL[e.type] ?? e.type}`),
    series: [
      { label: "Score", color: "#bfff00", values: scored.map((e) => pct(e.score)) },
      ...(baseline !== null ? [{ label: "Baseline", color: "#94a3b8", values: scored.map(() => pct(baseline)) }] : []),
    ],
    xTitle: "Linked runs, oldest first",
    yTitle: "Score (%)",
    unit: "%",
  };
}
