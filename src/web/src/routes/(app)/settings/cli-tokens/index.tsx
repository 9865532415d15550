// /settings/cli-tokens/: create (shown once) and revoke the tokens `llm-bench login` uses.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { CliTokensPanel } from "~/components/settings/cli-tokens-panel";

export default component$(() => <CliTokensPanel />);

export const head: DocumentHead = { title: "CLI tokens · Settings" };
