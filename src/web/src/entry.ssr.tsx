// SSR/SSG entry: renders the app to a stream (used at build time to prerender every page).
import { type RenderToStreamOptions, renderToStream } from "@builder.io/qwik/server";
import Root from "./root";

/**
 * Pages that run no code until the visitor interacts (the landing page: see routes/index.tsx). They skip the
 * modulepreload of the Qwik runtime that every page gets by default; it is fetched on the first interaction.
 */
const NO_EAGER_CODE = new Set(["/"]);

export default function (opts: RenderToStreamOptions) {
  const pathname = new URL(String(opts.serverData?.url ?? "http://localhost/")).pathname;
  return renderToStream(<Root />, {
    ...opts,
    // No preloader: it prefetches every bundle a page might need (≈ 3× the code a page needs to become usable,
    // plus a 5 KB bundle graph). Without it, Qwik imports code when a task or an event needs it.
    preloader: false,
    manifest: NO_EAGER_CODE.has(pathname) ? { ...opts.manifest, core: undefined } : opts.manifest,
    containerAttributes: { lang: "en", ...opts.containerAttributes },
  });
}
