// Tool Eval placeholder: describes the planned tool-calling evaluation.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { PlaceholderPage } from "~/components/placeholder-page";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";

export default component$(() => (
  <>
  <ToolEvalTabs />
  <PlaceholderPage
    title="Tool Eval"
    summary="Tool Eval will check how reliably each model calls tools: whether it picks the right function and fills in the right arguments, on test suites you write yourself. It is not built yet."
    planned={[
      "Test suites: tools as JSON Schema plus test cases with the expected call and arguments",
      "Import and export suites as JSON",
      "Run a suite against many models at once, with live progress per model",
      "Scores for tool selection, argument accuracy and overall, with a per-case breakdown",
      "Multi-turn cases and an optional LLM judge for fuzzy matches",
    ]}
  />
  </>
));

export const head: DocumentHead = { title: "Tool Eval" };
