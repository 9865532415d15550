/**
 * The web app's page data (`<page>/q-data.json`), served through the Worker so a page keeps its query string.
 *
 * Qwik City's client-side navigation fetches `<page>/q-data.json<search>` and takes the page's address from its
 * `href`. Prerendered, that is the bare page (`/history/`), so the router drops the query string from the address
 * bar and from `useLocation()` whenever the page being left had one of its own (QwikDev/qwik#7749): `?compare=`,
 * `?run=`, `?job=` would vanish on Back or on the next in-page change. A server-rendered page answers with the
 * requested address; this gives the prerendered data the same `href`, so the router behaves as with SSR.
 */

const PAGE_DATA_FILE = "q-data.json";

/** `/…/q-data.json` outside the API (`wrangler.toml` sends these to the Worker first). */
export function isPageDataPath(pathname: string): boolean {
  return pathname.endsWith(`/${PAGE_DATA_FILE}`) && !pathname.startsWith("/api/");
}

/**
 * Qwik's serialized page data with its `href` set to `href`, or null when `body` is not the shape this knows
 * (`{_entry, _objs}`; the entry object's `href` names a string in `_objs` by its base-36 index), so an unknown
 * shape is served unchanged rather than broken.
 */
export function withPageHref(body: string, href: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  if (!data || typeof data !== "object") return null;
  const { _entry, _objs } = data as { _entry?: unknown; _objs?: unknown };
  if (typeof _entry !== "string" || !Array.isArray(_objs)) return null;
  const entry = _objs[Number.parseInt(_entry, 36)];
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) return null;
  const ref = (entry as { href?: unknown }).href;
  if (typeof ref !== "string" || typeof _objs[Number.parseInt(ref, 36)] !== "string") return null;
  // A new string rather than an edit in place: the old one may be shared by another reference.
  _objs.push(href);
  (entry as { href: string }).href = (_objs.length - 1).toString(36);
  return JSON.stringify(data);
}

/** The static assets binding (`env.ASSETS`), as far as this uses it. */
export interface AssetFetcher {
  fetch(request: Request): Promise<Response>;
}

export async function servePageData(request: Request, assets: AssetFetcher): Promise<Response> {
  const res = await assets.fetch(request);
  const url = new URL(request.url);
  // The router's own parameter (form actions), never part of the address; deleted only when there, since
  // rewriting the query re-encodes it (a readable `,` would become `%2C`).
  if (url.searchParams.has("qaction")) url.searchParams.delete("qaction");
  if (!url.search || res.status !== 200 || !/json/i.test(res.headers.get("content-type") ?? "")) return res;
  const text = await res.text();
  const page = url.pathname.slice(0, -PAGE_DATA_FILE.length);
  const rewritten = withPageHref(text, `${page}${url.search}`);
  const headers = new Headers(res.headers);
  if (rewritten === null) return new Response(text, { status: res.status, headers });
  // The body is no longer the stored file's: its validators and length do not apply.
  for (const name of ["content-length", "etag", "last-modified"]) headers.delete(name);
  return new Response(rewritten, { status: 200, headers });
}
