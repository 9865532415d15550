// Onboarding shell: same session requirement as the app, with a minimal header.
import { component$, Slot } from "@builder.io/qwik";
import { AppHeader } from "~/components/app-header";
import { bootstrapSession, useRequireSession } from "~/lib/session-context";

export default component$(() => {
  const session = useRequireSession();
  return (
    <div class="app">
      <AppHeader minimal />
      <main id="main" class="app-main container container-narrow" aria-busy={session.status === "pending"}>
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
