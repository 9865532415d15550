// Root layout for every page: session and router (`lib/router-context.ts`) contexts, skip link, toasts and the confirm dialog.
import { component$, Slot, useContextProvider } from "@builder.io/qwik";
import { useLocation, useNavigate } from "@builder.io/qwik-city";
import { ConfirmHost } from "~/components/confirm-host";
import { ToastHost } from "~/components/toast-host";
import { AppLocationContext, AppNavigateContext } from "~/lib/router-context";
import { useSessionProvider } from "~/lib/session-context";

export default component$(() => {
  useSessionProvider();
  useContextProvider(AppNavigateContext, useNavigate());
  useContextProvider(AppLocationContext, useLocation());
  return (
    <>
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <Slot />
      <ToastHost />
      <ConfirmHost />
    </>
  );
});
