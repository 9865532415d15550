// SSR/SSG entry: renders the app to a stream (used at build time to prerender every page).
import { renderToStream, type RenderToStreamOptions } from "@builder.io/qwik/server";
import Root from "./root";

export default function (opts: RenderToStreamOptions) {
  return renderToStream(<Root />, {
    ...opts,
    containerAttributes: { lang: "en", ...opts.containerAttributes },
  });
}
