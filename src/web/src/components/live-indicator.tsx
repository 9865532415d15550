// Connection pill: green Live / amber Reconnecting… / red Offline, with an explanatory tooltip.
import { component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type LiveState, type LiveStatus, onLiveStatus } from "~/lib/ws-client";

const LABELS: Record<LiveStatus, { text: string; tone: "ok" | "warn" | "bad" | "idle" }> = {
  idle: { text: "Connecting…", tone: "idle" },
  connecting: { text: "Connecting…", tone: "warn" },
  live: { text: "Live", tone: "ok" },
  reconnecting: { text: "Reconnecting…", tone: "warn" },
  offline: { text: "Offline", tone: "bad" },
  limited: { text: "Too many tabs", tone: "bad" },
};

interface IndicatorState {
  status: LiveStatus;
  text: string;
  tone: string;
  tooltip: string;
}

function view(next: LiveState): IndicatorState {
  const label = LABELS[next.status];
  const retryIn = next.retryAt ? Math.max(1, Math.round((next.retryAt - Date.now()) / 1000)) : null;
  return {
    status: next.status,
    text: label.text,
    tone: label.tone,
    tooltip: retryIn ? `${next.detail} Next attempt in ~${retryIn}s.` : next.detail,
  };
}

// Every changing part is an attribute/text binding on the store, so a status change updates the DOM without
// re-rendering the component (no render code to fetch).
export const LiveIndicator = component$(() => {
  const state = useStore<IndicatorState>(view({ status: "idle", detail: "Not connected yet.", retryAt: null }));

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onLiveStatus((next) => Object.assign(state, view(next))));
    },
    { strategy: "document-ready" },
  );

  return (
    <div class="live-indicator-wrap">
      <span
        class={`live-indicator live-${state.tone}`}
        data-testid="live-indicator"
        data-status={state.status}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can open its tooltip
        tabIndex={0}
        role="status"
        aria-describedby="live-tooltip"
      >
        <span class="live-dot" aria-hidden="true" />
        <span class="live-label">{state.text}</span>
      </span>
      <span id="live-tooltip" role="tooltip" class="tooltip">
        {state.tooltip}
      </span>
    </div>
  );
});
