// Turns a ChartSpec into a dark-themed chart.js configuration (imported only by the lazy chart task).
import type { ChartConfiguration, ChartType, TooltipItem } from "chart.js";
import type { ChartSpec, ChartUnit } from "./chart-specs";

const GRID = "rgba(255, 255, 255, 0.06)";
const TICKS = "#9aa3b2";
const TITLE = "#6b7383";
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

function fmt(value: number, unit: ChartUnit): string {
  if (unit === "ms") return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
  if (unit === "%") return `${value.toFixed(1)} %`;
  if (unit === "$") return value >= 0.01 ? `$${value.toFixed(4)}` : `$${value.toPrecision(2)}`;
  if (unit === "count") return value.toFixed(1);
  if (unit === "req/s") return `${value >= 100 ? Math.round(value) : value.toFixed(2)} req/s`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} tok/s`;
}

function axisTick(unit: ChartUnit) {
  return (value: string | number) => {
    const n = Number(value);
    if (unit === "ms") return n >= 1000 ? `${(n / 1000).toFixed(n % 1000 ? 1 : 0)}s` : `${n}`;
    return `${n}`;
  };
}

function axisTitle(text: string) {
  return { display: Boolean(text), text, color: TITLE, font: { size: 11, family: FONT } };
}

function shorten(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** `compact`: narrow canvas — long category labels are shortened (the tooltip keeps the full name). */
export function buildChartConfig(spec: ChartSpec, reducedMotion: boolean, compact = false): ChartConfiguration {
  const base = {
    responsive: true,
    maintainAspectRatio: false,
    animation: reducedMotion ? (false as const) : { duration: 350 },
    font: { family: FONT },
    plugins: {
      legend: {
        display: spec.kind !== "hbar",
        position: "bottom" as const,
        labels: { color: TICKS, boxWidth: 10, boxHeight: 10, usePointStyle: true, font: { size: 12, family: FONT } },
      },
      tooltip: {
        backgroundColor: "#222730",
        borderColor: "#343b47",
        borderWidth: 1,
        titleColor: "#ffffff",
        bodyColor: "#e9ecf1",
        padding: 10,
        titleFont: { family: FONT },
        bodyFont: { family: FONT },
      },
    },
  };

  if (spec.kind === "scatter") {
    return {
      type: "scatter",
      data: {
        datasets: spec.series.map((s) => ({
          label: s.label,
          data: (s.points ?? []).map((p) => ({ x: p.x, y: p.y })),
          backgroundColor: s.color,
          borderColor: s.color,
          pointRadius: s.radius ?? 6,
          pointHoverRadius: (s.radius ?? 6) + 2,
        })),
      },
      options: {
        ...base,
        plugins: {
          ...base.plugins,
          tooltip: {
            ...base.plugins.tooltip,
            callbacks: {
              label: (item: TooltipItem<ChartType>) => {
                const point = spec.series[item.datasetIndex]?.points?.[item.dataIndex];
                const raw = item.raw as { x: number; y: number };
                if (spec.xUnit !== "ms" || spec.unit !== "tok/s")
                  return `${point?.label ?? item.dataset.label}: ${fmt(raw.y, spec.unit)}, ${fmt(raw.x, spec.xUnit ?? spec.unit)}`;
                return `${item.dataset.label}${point ? ` @ ${point.label}` : ""}: ${fmt(raw.y, "tok/s")}, TTFT ${fmt(raw.x, "ms")}`;
              },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            grid: { color: GRID },
            ticks: { color: TICKS, callback: axisTick(spec.xUnit ?? "ms") },
            title: axisTitle(spec.xTitle),
          },
          y: { beginAtZero: true, grid: { color: GRID }, ticks: { color: TICKS }, title: axisTitle(spec.yTitle) },
        },
      },
    };
  }

  const horizontal = spec.kind === "hbar";
  const valueAxis = {
    beginAtZero: true,
    grid: { color: GRID },
    ticks: { color: TICKS, callback: axisTick(spec.unit) },
    title: axisTitle(horizontal ? spec.xTitle : spec.yTitle),
  };
  const maxLabel = compact ? 14 : 34;
  const categoryAxis = {
    grid: { display: !horizontal, color: GRID },
    ticks: {
      color: horizontal ? "#e9ecf1" : TICKS,
      font: { size: compact ? 11 : 12, family: FONT },
      callback: (_value: string | number, index: number) => shorten(spec.labels[index] ?? "", maxLabel),
    },
    title: axisTitle(horizontal ? "" : spec.xTitle),
  };
  const tooltipLabel = (item: TooltipItem<ChartType>) =>
    `${horizontal ? "" : `${item.dataset.label}: `}${item.raw === null ? "—" : fmt(Number(item.raw), spec.unit)}`;

  if (spec.kind === "line") {
    return {
      type: "line",
      data: {
        labels: spec.labels,
        datasets: spec.series.map((s) => ({
          label: s.label,
          data: s.values ?? [],
          borderColor: s.color,
          backgroundColor: s.color,
          pointRadius: s.radius ?? 4,
          pointHoverRadius: (s.radius ?? 4) + 2,
          pointStyle: s.pointStyle ?? "circle",
          borderWidth: 2,
          borderDash: s.dash ?? [],
          showLine: s.showLine ?? true,
          tension: 0.2,
          spanGaps: true,
        })),
      },
      options: {
        ...base,
        interaction: { mode: "index", intersect: false },
        plugins: { ...base.plugins, tooltip: { ...base.plugins.tooltip, callbacks: { label: tooltipLabel } } },
        scales: { x: categoryAxis, y: valueAxis },
      },
    };
  }

  return {
    type: "bar",
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values ?? [],
        backgroundColor: horizontal ? hbarColors(s.values?.length ?? 0) : s.color || `hsl(${i * 70} 80% 60%)`,
        borderRadius: 4,
        maxBarThickness: horizontal ? 26 : 34,
        categoryPercentage: horizontal ? 0.72 : 0.7,
      })),
    },
    options: {
      ...base,
      indexAxis: horizontal ? "y" : "x",
      plugins: { ...base.plugins, tooltip: { ...base.plugins.tooltip, callbacks: { label: tooltipLabel } } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
  };
}

/** Best (first) bar in lime, the rest in a muted lime so the winner stands out. */
function hbarColors(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? "#bfff00" : "rgba(191, 255, 0, 0.45)"));
}
