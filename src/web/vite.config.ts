// Vite config for the Qwik City frontend: client build into dist/, dev proxy to the local Worker.
import { fileURLToPath } from "node:url";
import { qwikVite } from "@builder.io/qwik/optimizer";
import { qwikCity } from "@builder.io/qwik-city/vite";
import { defineConfig, type Plugin } from "vite";

const API_ORIGIN = "http://127.0.0.1:8787";

/**
 * Two helpers every browser bundle would otherwise load, though this app uses neither:
 * - the Qwik preloader (~2 KB gz): pages render with `preloader: false` (entry.ssr.tsx), so it never gets a bundle
 *   graph and its preload() does nothing, yet the runtime imports it; the browser build gets no-ops (SSR keeps it);
 * - Vite's dynamic-import wrapper (~0.7 KB gz): with `modulePreload: false` (Qwik's setting) it preloads nothing.
 */
const VITE_PRELOAD_HELPER = "\0vite/preload-helper.js";
const leanClient = (): Plugin => ({
  name: "studio-lean-client",
  enforce: "pre",
  resolveId(id, _importer, options) {
    if (id === "@builder.io/qwik/preloader" && !options?.ssr) return fileURLToPath(new URL("./no-preloader.js", import.meta.url));
    return null;
  },
  load(id) {
    return id === VITE_PRELOAD_HELPER ? "export const __vitePreload = (load) => load();" : null;
  },
});

/**
 * zod never ships to the browser: its classic API cannot be tree-shaken, so one schema at the top level of a module
 * the web app imports (a shared contract in src/shared, say) costs every page that reaches it ~26 KB gz, more than
 * everything else a page loads besides the Qwik runtime. The web app has no use for it (the Worker validates), so
 * the client build fails, naming the modules that import it. The fix: move the schema into a module of its
 * own that only the Worker imports (e.g. src/shared/job-messages.ts beside jobs.ts).
 */
const noZodInBrowser = (): Plugin => {
  let ssr = false;
  return {
    name: "studio-no-zod-in-browser",
    apply: "build",
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    generateBundle(_options, bundle) {
      if (ssr) return;
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk") continue;
        const zod = Object.keys(chunk.modules).find((id) => id.includes("/node_modules/zod/"));
        if (zod)
          this.error(
            `zod is in the browser build (${chunk.fileName}): one of these modules uses it at its top level: ${appImporters(this, zod).join(", ")}`,
          );
      }
    },
  };
};

/** The app's own modules (outside node_modules) through which `id` is imported, nearest first. */
function appImporters(ctx: { getModuleInfo(id: string): { importers: readonly string[] } | null }, id: string): string[] {
  const seen = new Set([id]);
  const found: string[] = [];
  let frontier = [id];
  while (frontier.length && !found.length) {
    const next: string[] = [];
    for (const m of frontier) {
      for (const importer of ctx.getModuleInfo(m)?.importers ?? []) {
        if (seen.has(importer)) continue;
        seen.add(importer);
        (importer.includes("/node_modules/") ? next : found).push(importer);
      }
    }
    frontier = next;
  }
  return found.length ? found : ["an unknown module"];
}

/** Modules every signed-in page runs on load, grouped: fewer, larger files gzip smaller. The live connection and
 * jobs bell are a group of their own so that the landing page's sign-in form does not fetch them. */
const FIRST_LOAD_GROUPS: [RegExp, string][] = [
  [/\/src\/lib\/(http|session|session-context|api-client|toast|event-bus)\.ts$/, "app-session"],
  [/\/src\/lib\/(ws-client|jobs-store|jobs-sync)\.ts$/, "app-live"],
];
const firstLoadGroup = (id: string) => FIRST_LOAD_GROUPS.find(([re]) => re.test(id))?.[1];

export default defineConfig(() => ({
  resolve: { alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: { rollupOptions: { output: { manualChunks: firstLoadGroup } } },
  plugins: [leanClient(), noZodInBrowser(), qwikCity({ trailingSlash: true }), qwikVite({ client: { outDir: "dist" } })],
  server: {
    proxy: {
      "/api": { target: API_ORIGIN },
      "/healthz": { target: API_ORIGIN },
      "/ws": { target: API_ORIGIN.replace("http", "ws"), ws: true },
    },
  },
  preview: { headers: { "Cache-Control": "public, max-age=600" } },
}));
