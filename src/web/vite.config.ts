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
  plugins: [leanClient(), qwikCity({ trailingSlash: true }), qwikVite({ client: { outDir: "dist" } })],
  server: {
    proxy: {
      "/api": { target: API_ORIGIN },
      "/healthz": { target: API_ORIGIN },
      "/ws": { target: API_ORIGIN.replace("http", "ws"), ws: true },
    },
  },
  preview: { headers: { "Cache-Control": "public, max-age=600" } },
}));
