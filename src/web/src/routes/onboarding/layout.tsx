// Onboarding shell: same session requirement as the app, with a minimal header.
import { component$, Slot } from "@builder.io/qwik";
import { AppHeader } from "~/components/app-header";
import { ErrorBanner } from "~/components/error-banner";
import { bootstrapSession, useRequireSession } from "~/lib/session-context";

export default component$(() => {
  const session = useRequireSession();
  return (
    <div class="app">
      <AppHeader minimal />
      <main id="main" class="app-main container container-narrow" aria-busy={session.status === "pending"}>
        {session.status === "error" && <ErrorBanner message={session.error} onAction$={() => bootstrapSession(session)} />}
        <Slot />
      </main>
    </div>
  );
});
