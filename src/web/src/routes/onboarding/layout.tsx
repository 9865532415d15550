// Onboarding shell: same session requirement as the app, with a minimal header.

import { component$, Slot } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { AppHeader } from "~/components/app-header";
import { ErrorBanner } from "~/components/error-banner";
import { SIGNED_OUT_GATE_SCRIPT } from "~/lib/session";
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

// A signed-out visitor is sent to the landing page before the shell renders (src/lib/session.ts).
export const head: DocumentHead = { scripts: [{ key: "signed-out-gate", script: SIGNED_OUT_GATE_SCRIPT }] };
