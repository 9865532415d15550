// Root layout for every page: session context, skip link, toasts and the confirm dialog.
import { component$, Slot } from "@builder.io/qwik";
import { ConfirmHost } from "~/components/confirm-host";
import { ToastHost } from "~/components/toast-host";
import { useSessionProvider } from "~/lib/session-context";

export default component$(() => {
  useSessionProvider();
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
