// /analytics/: leaderboards (benchmark and tool eval), trends, the compare of 2–4 runs and the Pareto view, all
// computed by the API in D1 (/api/analytics/*). The open tab is in the address (`?tab=`), so a reload or a bookmark
// shows the same; every chart has its table, and chart.js loads only when a chart is shown.
import { $, component$, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { ComparePanel } from "~/components/analytics/compare-panel";
import { LeaderboardPanel } from "~/components/analytics/leaderboard-panel";
import { ParetoPanel } from "~/components/analytics/pareto-panel";
import { TrendsPanel } from "~/components/analytics/trends-panel";
import { useAppLocation, useAppNavigate } from "~/lib/router-context";
import { currentSearch, replaceView } from "~/lib/view-nav";

const TABS = [
  { id: "leaderboard", label: "Leaderboard" },
  { id: "trends", label: "Trends" },
  { id: "compare", label: "Compare" },
  { id: "pareto", label: "Pareto" },
] as const;
type TabId = (typeof TABS)[number]["id"];

const readTab = (search: URLSearchParams): TabId => {
  const t = search.get("tab");
  return TABS.some((x) => x.id === t) ? (t as TabId) : "leaderboard";
};

export default component$(() => {
  const loc = useAppLocation();
  const nav = useAppNavigate();
  const tab = useSignal<TabId | null>(null);

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      tab.value = readTab(currentSearch(loc));
    },
    { strategy: "document-ready" },
  );

  const open = $(async (id: TabId) => {
    tab.value = id;
    const url = new URL(location.href);
    if (id === "leaderboard") url.searchParams.delete("tab");
    else url.searchParams.set("tab", id);
    await replaceView(nav, `${url.pathname}${url.search}`);
  });

  return (
    <section class="page analytics-page">
      <header class="page-header">
        <div>
          <h1>Analytics</h1>
          <p class="page-lede">Your own runs, ranked and over time: leaderboards, trends, run comparisons and the speed / accuracy / cost front.</p>
        </div>
      </header>
      <div class="te-tabs" role="tablist" aria-label="Analytics">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab.value === t.id}
            class={`te-tab${tab.value === t.id ? " is-active" : ""}`}
            data-testid={`analytics-tab-${t.id}`}
            onClick$={() => open(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab.value === "leaderboard" && <LeaderboardPanel />}
        {tab.value === "trends" && <TrendsPanel />}
        {tab.value === "compare" && <ComparePanel />}
        {tab.value === "pareto" && <ParetoPanel />}
      </div>
    </section>
  );
});

export const head: DocumentHead = { title: "Analytics" };
