// Placeholder until the page lands; the Tool Eval sub-navigation already links here.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";

export default component$(() => (
  <section class="page">
    <ToolEvalTabs />
    <h1>Evaluate</h1>
    <p>This page is being built.</p>
  </section>
));

export const head: DocumentHead = { title: "Evaluate · Tool Eval" };
