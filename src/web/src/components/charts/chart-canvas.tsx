// Chart wrapper: loads chart.js with a dynamic import only once the chart scrolls into view, then updates in place.
import { component$, type NoSerialize, noSerialize, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import type { Chart } from "chart.js";
import type { ChartSpec } from "~/lib/chart-specs";

export interface ChartCanvasProps {
  testId: string;
  spec: ChartSpec;
  /** Accessible description of what the chart shows. */
  label: string;
  height?: number;
}

export const ChartCanvas = component$<ChartCanvasProps>((props) => {
  const canvasRef = useSignal<HTMLCanvasElement>();
  const chart = useSignal<NoSerialize<Chart>>();
  const drawn = useSignal(false);
  const failed = useSignal(false);

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
      const config = buildChartConfig(JSON.parse(json) as ChartSpec, reduced, compact);
      const existing = chart.value;
      if (existing && (existing.config as { type?: string }).type === config.type) {
        existing.data = config.data;
        existing.options = config.options ?? {};
        existing.update();
      } else {
        existing?.destroy();
        chart.value = noSerialize(new ChartJs(canvas, config));
      }
      drawn.value = true;
      failed.value = false;
    } catch (err) {
      console.error("chart failed", err);
      failed.value = true;
    }
  });

  return (
    <div class="chart-box" data-testid={props.testId} data-drawn={drawn.value ? "true" : "false"} style={{ height: `${props.height ?? 300}px` }}>
      <canvas ref={canvasRef} role="img" aria-label={props.label} />
      {!drawn.value && !failed.value && <span class="chart-loading" aria-hidden="true" />}
      {failed.value && <p class="chart-error muted small">The chart could not be drawn; the table below has every number.</p>}
    </div>
  );
});
