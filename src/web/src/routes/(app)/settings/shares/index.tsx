// /settings/shares/: your shares (revoke, opens, expiry) and what others shared with you.
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { SharesPanel } from "~/components/settings/shares-panel";

export default component$(() => <SharesPanel />);

export const head: DocumentHead = { title: "Shares · Settings" };
