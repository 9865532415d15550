// /settings/ shows the API keys panel (same as /settings/keys/).
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { KeysPanel } from "~/components/settings/keys-panel";

export default component$(() => <KeysPanel />);

export const head: DocumentHead = { title: "API Keys · Settings" };
