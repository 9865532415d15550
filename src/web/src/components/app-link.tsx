// In-app link: a plain <a> whose plain click navigates client-side (like Qwik City's `Link`, without prefetch).
// `Link` runs a visible task in every instance, so each page showing one loaded it and Qwik City (~4.5 KB gz) on
// load; this one loads the router code only when clicked (even when it renders on the client: `router-context.ts`).
import { $, component$, type QwikIntrinsicElements, Slot, sync$ } from "@builder.io/qwik";
import { useAppNavigate } from "~/lib/router-context";

const POPSTATE_BOOTSTRAP = { "q:link": true };

type AppLinkProps = QwikIntrinsicElements["a"] & { href: string };

export const AppLink = component$<AppLinkProps>((props) => {
  const nav = useAppNavigate();
  // Modified clicks (new tab/window) keep the browser's behaviour.
  const keepPlainClick = sync$((event: MouseEvent) => {
    if (!(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)) event.preventDefault();
  });
  // `q:link` marks it for Qwik City's popstate bootstrap, which clicks a hidden `q:nbs` copy on Back/Forward
  // before the router has started (as it does with `Link`).
  const navigateInApp = $(async (event: MouseEvent, link: HTMLAnchorElement) => {
    if (!event.defaultPrevented) return;
    if (link.hasAttribute("q:nbs")) await nav(location.href, { type: "popstate" });
    else await nav(link.href);
  });
  return (
    <a {...props} {...POPSTATE_BOOTSTRAP} onClick$={[keepPlainClick, navigateInApp]}>
      <Slot />
    </a>
  );
});
