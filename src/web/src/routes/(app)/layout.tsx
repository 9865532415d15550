// App shell for signed-in pages: requires a session, starts the live connection, renders the header.

import { component$, Slot, useVisibleTask$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { AppHeader } from "~/components/app-header";
import { ErrorBanner } from "~/components/error-banner";
import { SIGNED_OUT_GATE_SCRIPT } from "~/lib/session";
import { bootstrapSession, useRequireSession, useSession } from "~/lib/session-context";
import { startLiveConnection } from "~/lib/ws-client";

export default component$(() => {
  const session = useRequireSession();

  useVisibleTask$(({ track }) => {
    if (track(() => session.status) === "ready") startLiveConnection();
  });

  return (
    <div class="app">
      <AppHeader />
      <main id="main" class="app-main container" aria-busy={session.status === "pending"}>
        <SessionError />
        <Slot />
      </main>
    </div>
  );
});

// Its own component so that the session settling on load re-renders only this, not the layout.
const SessionError = component$(() => {
  const session = useSession();
  return session.status === "error" ? <ErrorBanner message={session.error} onAction$={() => bootstrapSession(session)} /> : null;
});

// A signed-out visitor is sent to the landing page before the shell renders (src/lib/session.ts).
export const head: DocumentHead = { scripts: [{ key: "signed-out-gate", script: SIGNED_OUT_GATE_SCRIPT }] };
