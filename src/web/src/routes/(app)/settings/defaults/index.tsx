// /settings/defaults/: the judge, param tuner and prompt tuner defaults those tools' forms start from.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { DefaultsPanel } from "~/components/settings/defaults-panel";

export default component$(() => <DefaultsPanel />);

export const head: DocumentHead = { title: "Defaults · Settings" };
