// Moving between the views of one page (a comparison, an opened case) with Qwik City's router, so Back and Forward
// step through them: opening pushes an entry, closing goes Back to the entry it was opened from (or, after a reload
// or a bookmark, replaces the URL), in-place changes (which runs are expanded) replace it. The page reacts to the
// URL (its location), never to the click, so a click, Back/Forward and a reload all show the same thing.
import type { RouteLocation, RouteNavigate } from "@builder.io/qwik-city";

/** The address a view was pushed to from this page (module memory: a reload forgets it, then closing replaces). */
let pushedHref: string | null = null;

const currentHref = () => `${location.pathname}${location.search}${location.hash}`;

/** Opens a view as a new history entry (Back closes it). */
export async function openView(nav: RouteNavigate, href: string): Promise<void> {
  if (href === currentHref()) return;
  await nav(href, { scroll: false });
  pushedHref = currentHref();
}

/** Changes what the current entry shows without adding one. */
export async function replaceView(nav: RouteNavigate, href: string): Promise<void> {
  if (href === currentHref()) return;
  const wasPushed = pushedHref === currentHref();
  await nav(href, { replaceState: true, scroll: false });
  pushedHref = wasPushed ? currentHref() : null;
}

/** Closes a view: Back when this entry is the one `openView` pushed, else the URL is replaced by `href`. */
export async function closeView(nav: RouteNavigate, href: string): Promise<void> {
  if (pushedHref !== null && pushedHref === currentHref()) {
    pushedHref = null;
    await nav(-1);
    return;
  }
  await replaceView(nav, href);
}

/**
 * The page's query as the router shows it. Until the router's first navigation, a prerendered page's location is
 * the prerendered one (no query), so the browser's is read; after it, the router's, which changes before the
 * address bar does (so a task it wakes never reads the address being left).
 */
export function currentSearch(loc: RouteLocation): URLSearchParams {
  return new URLSearchParams(loc.prevUrl ? loc.url.search : location.search);
}
