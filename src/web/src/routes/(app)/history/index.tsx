// History placeholder: describes the planned run history.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { PlaceholderPage } from "~/components/placeholder-page";

export default component$(() => (
  <PlaceholderPage
    title="History"
    summary="History will list every benchmark and tool-eval run you have made, so you can reopen results, compare them and clean up. There are no runs to show yet because running benchmarks is still being built."
    planned={[
      "Searchable, filterable list of past runs (type, models, date)",
      "Open any run to see its full results again",
      "Compare two runs side by side",
      "Delete runs and export them as CSV or JSON",
    ]}
  />
));

export const head: DocumentHead = { title: "History" };
