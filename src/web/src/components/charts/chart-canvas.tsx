// Chart wrapper: loads chart.js with a dynamic import only once the chart scrolls into view, then updates in place.
import { component$, type NoSerialize, noSerialize, type PropFunction, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import type { Chart } from "chart.js";
import type { ChartSpec } from "~/lib/chart-specs";

export interface ChartCanvasProps {
  testId: string;
  spec: ChartSpec;
  /** Accessible description of what the chart shows. */
  label: string;
  height?: number;
  /** Scatter charts: called with the `id` of a clicked point. The drawn points' positions are then kept in the
   * box's `data-points` attribute (JSON `[{id, x, y}]` in canvas pixels), so a test can click a named point. */
  onPick$?: PropFunction<(id: string) => void>;
}

export const ChartCanvas = component$<ChartCanvasProps>((props) => {
  const canvasRef = useSignal<HTMLCanvasElement>();
  const chart = useSignal<NoSerialize<Chart>>();
  const drawn = useSignal(false);
  const failed = useSignal(false);
  const pointsAttr = useSignal("");

  // Runs once (when visible); its cleanup only fires on unmount.
  useVisibleTask$(({ cleanup }) => {
    cleanup(() => {
      chart.value?.destroy();
      chart.value = undefined;
    });
  });

  useVisibleTask$(async ({ track }) => {
    const json = track(() => JSON.stringify(props.spec));
    const canvas = canvasRef.value;
    if (!canvas) return;
    try {
      const [{ default: ChartJs }, { buildChartConfig }] = await Promise.all([import("chart.js/auto"), import("~/lib/chart-config")]);
      const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
      const compact = canvas.parentElement ? canvas.parentElement.clientWidth < 480 : false;
      const spec = JSON.parse(json) as ChartSpec;
      const config = buildChartConfig(spec, reduced, compact);
      const pick = props.onPick$;
      if (pick && config.options) {
        config.options.onClick = (_event, elements) => {
          const hit = elements[0];
          const id = hit ? spec.series[hit.datasetIndex]?.points?.[hit.index]?.id : undefined;
          if (id) void pick(id);
        };
        config.options.onHover = (event, elements) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = elements.length ? "pointer" : "default";
        };
      }
      const existing = chart.value;
      if (existing && (existing.config as { type?: string }).type === config.type) {
        existing.data = config.data;
        existing.options = config.options ?? {};
        existing.update();
      } else {
        existing?.destroy();
        chart.value = noSerialize(new ChartJs(canvas, config));
      }
      if (pick && chart.value) {
        const drawnChart = chart.value;
        pointsAttr.value = JSON.stringify(
          spec.series.flatMap((s, i) =>
            drawnChart.getDatasetMeta(i).data.map((el, j) => {
              const { x, y } = el.getProps(["x", "y"], true) as { x: number; y: number };
              return { id: s.points?.[j]?.id ?? "", x: Math.round(x), y: Math.round(y) };
            }),
          ),
        );
      }
      drawn.value = true;
      failed.value = false;
    } catch (err) {
      console.error("chart failed", err);
      failed.value = true;
    }
  });

  return (
    <div
      class="chart-box"
      data-testid={props.testId}
      data-drawn={drawn.value ? "true" : "false"}
      data-points={pointsAttr.value || undefined}
      data-series={props.spec.series.map((s) => s.label).join(" | ")}
      style={{ height: `${props.height ?? 300}px` }}
    >
      <canvas ref={canvasRef} role="img" aria-label={props.label} />
      {!drawn.value && !failed.value && <span class="chart-loading" aria-hidden="true" />}
      {failed.value && <p class="chart-error muted small">The chart could not be drawn; the table below has every number.</p>}
    </div>
  );
});
