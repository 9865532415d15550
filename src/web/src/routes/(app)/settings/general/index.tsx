// /settings/general/: benchmark defaults and prompt templates.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { GeneralPanel } from "~/components/settings/general-panel";

export default component$(() => <GeneralPanel />);

export const head: DocumentHead = { title: "General · Settings" };
