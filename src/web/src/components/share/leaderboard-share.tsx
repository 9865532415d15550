// Share a leaderboard view (speed or tool-eval accuracy over a period, optionally one suite) read-only. Self-
// contained: Settings → Shares hosts it, and the Analytics page can drop it beside its leaderboard.
import { component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import type { SuiteListItem } from "~/lib/eval-types";
import { leaderboardShareId } from "~/lib/share-types";
import { ShareButton } from "./share-button";

type Period = "7d" | "30d" | "90d" | "all";
const PERIODS: Array<{ value: Period; label: string }> = [
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "all", label: "All time" },
];

export const LeaderboardShare = component$(() => {
  const state = useStore<{ type: "benchmark" | "tool_eval"; period: Period; suiteId: string; suites: SuiteListItem[] }>({
    type: "benchmark",
    period: "30d",
    suiteId: "",
    suites: [],
  });
  useVisibleTask$(async () => {
    state.suites = (await api.get<{ suites: SuiteListItem[] }>("/api/tool-suites").catch(() => ({ suites: [] }))).suites;
  });
  const id = leaderboardShareId(state.type, state.period, state.type === "tool_eval" ? state.suiteId : null);
  return (
    <section class="card" aria-labelledby="lb-share-title" data-testid="leaderboard-share">
      <h3 id="lb-share-title" class="card-title">
        Share a leaderboard
      </h3>
      <p class="muted small">Per-model figures over a period, as of when it is opened. No run ids, keys or addresses.</p>
      <div class="form-grid">
        <div class="field">
          <label for="lb-share-type">Leaderboard</label>
          <select id="lb-share-type" value={state.type} onChange$={(_, el) => (state.type = el.value as "benchmark" | "tool_eval")}>
            <option value="benchmark">Speed (benchmarks)</option>
            <option value="tool_eval">Tool-calling accuracy (evals)</option>
          </select>
        </div>
        <div class="field">
          <label for="lb-share-period">Period</label>
          <select id="lb-share-period" value={state.period} onChange$={(_, el) => (state.period = el.value as Period)}>
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        {state.type === "tool_eval" && (
          <div class="field">
            <label for="lb-share-suite">Suite</label>
            <select id="lb-share-suite" value={state.suiteId} onChange$={(_, el) => (state.suiteId = el.value)}>
              <option value="">All suites</option>
              {state.suites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <ShareButton resourceType="leaderboard" resourceId={id} what="this leaderboard" testId="leaderboard-share" />
    </section>
  );
});
