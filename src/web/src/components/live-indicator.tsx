// Connection pill: green Live / amber Reconnecting… / red Offline, with an explanatory tooltip.
import { component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { onLiveStatus, type LiveState, type LiveStatus } from "~/lib/ws-client";

const LABELS: Record<LiveStatus, { text: string; tone: "ok" | "warn" | "bad" | "idle" }> = {
  idle: { text: "Connecting…", tone: "idle" },
  connecting: { text: "Connecting…", tone: "warn" },
  live: { text: "Live", tone: "ok" },
  reconnecting: { text: "Reconnecting…", tone: "warn" },
  offline: { text: "Offline", tone: "bad" },
  limited: { text: "Too many tabs", tone: "bad" },
};

export const LiveIndicator = component$(() => {
  const state = useStore<LiveState>({ status: "idle", detail: "Not connected yet.", retryAt: null });

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(
        onLiveStatus((next) => {
          state.status = next.status;
          state.detail = next.detail;
          state.retryAt = next.retryAt;
        }),
      );
    },
    { strategy: "document-ready" },
  );

  const label = LABELS[state.status];
  const retryIn = state.retryAt ? Math.max(1, Math.round((state.retryAt - Date.now()) / 1000)) : null;
  const tooltip = retryIn ? `${state.detail} Next attempt in ~${retryIn}s.` : state.detail;

  return (
    <div class="live-indicator-wrap">
      <span
        class={`live-indicator live-${label.tone}`}
        data-testid="live-indicator"
        data-status={state.status}
        tabIndex={0}
        role="status"
        aria-describedby="live-tooltip"
      >
        <span class="live-dot" aria-hidden="true" />
        <span class="live-label">{label.text}</span>
      </span>
      <span id="live-tooltip" role="tooltip" class="tooltip">
        {tooltip}
      </span>
    </div>
  );
});
