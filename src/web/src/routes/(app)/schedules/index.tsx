// Schedules placeholder: describes the planned recurring runs.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { PlaceholderPage } from "~/components/placeholder-page";

export default component$(() => (
  <PlaceholderPage
    title="Schedules"
    summary="Schedules will re-run a saved benchmark automatically, so slowdowns and regressions show up without anyone pressing a button. This page is not built yet."
    planned={[
      "Create a schedule from a benchmark setup: models, prompt, context tiers",
      "Hourly, daily or weekly intervals, with pause and resume",
      "Last run status and next run time for each schedule",
      "Results land in History and Analytics like any other run",
    ]}
  />
));

export const head: DocumentHead = { title: "Schedules" };
