// /settings/providers/: providers and their models.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { ProvidersPanel } from "~/components/settings/providers-panel";

export default component$(() => <ProvidersPanel />);

export const head: DocumentHead = { title: "Providers & models · Settings" };
