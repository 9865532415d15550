// Analytics placeholder: describes the planned leaderboards and trends.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { PlaceholderPage } from "~/components/placeholder-page";

export default component$(() => (
  <PlaceholderPage
    title="Analytics"
    summary="Analytics will turn your run history into rankings and trends. It needs real runs to work with, so it arrives after the benchmark and tool-eval pages."
    planned={[
      "Leaderboards by TTFT, output speed, cost and tool-calling accuracy",
      "Trends over time per model and provider",
      "Side-by-side model comparison with filters by date range and context size",
      "Export of any chart's data as CSV",
    ]}
  />
));

export const head: DocumentHead = { title: "Analytics" };
