// /settings/backup/: download a settings backup and restore one (with a dry run first).
import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { BackupPanel } from "~/components/settings/backup-panel";

export default component$(() => <BackupPanel />);

export const head: DocumentHead = { title: "Backup · Settings" };
