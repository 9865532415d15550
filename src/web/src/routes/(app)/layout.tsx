// App shell for signed-in pages: requires a session, starts the live connection, renders the header.
import { component$, Slot, useVisibleTask$ } from "@builder.io/qwik";
import { AppHeader } from "~/components/app-header";
import { bootstrapSession, useRequireSession } from "~/lib/session-context";
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
        {session.status === "error" && (
          <div class="banner banner-danger" role="alert">
            <span>{session.error}</span>
            <button type="button" class="btn btn-sm btn-ghost" onClick$={() => bootstrapSession(session)}>
              Retry
            </button>
          </div>
        )}
        <Slot />
      </main>
    </div>
  );
});
