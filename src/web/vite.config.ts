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
const WEB_SRC = "/src/web/src/";
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
 * zod stays out of the browser, but for the modules listed here. Its classic API cannot be tree-shaken, so one
 * schema at the top level of a module the web app imports (a shared contract in src/shared, say) costs every page
 * that reaches it ~26 KB gz, more than everything else a page loads besides the Qwik runtime; the Worker validates
 * anyway. So the client build fails when a web module outside this list reaches zod through src/shared, naming both.
 * The fix: move the schema into a module that only the Worker imports (src/shared/job-messages.ts beside jobs.ts,
 * bounded-number.ts beside request-limits.ts, settings-defaults.ts beside settings.ts).
 */
const ZOD_IN_BROWSER = new Set([
  // Settings → Defaults reads each field's bounds off the settings schemas (src/shared/settings.ts), on that page only.
  "lib/feature-defaults.ts",
]);

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
      const zod = Object.values(bundle)
        .flatMap((c) => (c.type === "chunk" ? Object.keys(c.modules) : []))
        .filter((id) => id.includes("/node_modules/zod/"));
      const offenders = [...webModulesReaching(this, zod)].filter(([web]) => !ZOD_IN_BROWSER.has(web));
      if (offenders.length)
        this.error(
          `zod is in the browser build through ${offenders.map(([web, via]) => `${web} (via ${via})`).join(", ")}: see noZodInBrowser in vite.config.ts`,
        );
    },
  };
};

/**
 * The web modules (src/web/src, relative) that import `targets` through node_modules and src/shared only, each with the
 * app module nearest the target on its way (e.g. `lib/feature-defaults.ts` → `src/shared/settings.ts`).
 */
function webModulesReaching(ctx: { getModuleInfo(id: string): { importers: readonly string[] } | null }, targets: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const via = new Map<string, string>(targets.map((t) => [t, ""]));
  let frontier = targets;
  while (frontier.length) {
    const next: string[] = [];
    for (const m of frontier) {
      for (const importer of ctx.getModuleInfo(m)?.importers ?? []) {
        if (via.has(importer)) continue;
        const path = importer.replaceAll("\\", "/");
        const nearest = via.get(m) || (path.includes("/node_modules/") ? "" : path.slice(path.lastIndexOf("/src/") + 1));
        via.set(importer, nearest);
        const web = path.lastIndexOf(WEB_SRC);
        if (web >= 0) found.set(path.slice(web + WEB_SRC.length), nearest);
        else next.push(importer);
      }
    }
    frontier = next;
  }
  return found;
}

/**
 * What the signed-in pages run on load, grouped into a few chunks. Without this every module and every Qwik segment
 * is a file of its own, and the browser only learns of a file's static imports once it has it: /benchmark/ fetched
 * 43 files in a chain about ten deep (each link a round trip; Slow 4G ≈ 5.5 s), and many small files gzip worse than
 * a few larger ones. Each group holds what a set of pages needs on load and nothing they fetch only on interaction:
 * - app-session: session, API client, toasts; also what the landing page's sign-in form fetches when used;
 * - app-shell: what the header and layout of every signed-in page run on load (live connection, jobs and alerts
 *   bells' load-time tasks, the user chip, the session error);
 * - model-form: the model picker and run-form pieces of Benchmark, Capacity, Evaluate and both tuners;
 * - live-job: the helpers of every page that follows a job live (those and History);
 * - benchmark-page: the Benchmark page's load-time tasks and the components that render as its catalog arrives.
 * An entry is a source file under src/web/src (`../shared/…` for src/shared), or `file.tsx_Symbol` for the Qwik
 * segments the optimizer cut from it for that symbol: `AlertsBell_component_useVisibleTask` is the bell's load-time
 * task, `ConfigCard` the card's render and handlers. What is not listed (a page's own render, the bell's, handlers of
 * what does not render on load) keeps a file of its own and loads when first needed. A name that no longer matches
 * only costs weight, which bench/scenarios/weight.ts measures.
 */
const FIRST_LOAD_GROUPS: Record<string, string[]> = {
  "app-session": [
    "lib/http.ts",
    "lib/session.ts",
    "lib/session-context.ts",
    "lib/session-context.ts_useRequireSession_useVisibleTask",
    "lib/api-client.ts",
    "lib/toast.ts",
    "lib/event-bus.ts",
    "lib/format.ts",
    "../shared/request-limits.ts",
    "../shared/session-hint.ts",
  ],
  "app-shell": [
    "lib/ws-client.ts",
    "lib/jobs-store.ts",
    "lib/jobs-sync.ts",
    "lib/bench-format.ts",
    "lib/schedule-types.ts",
    "lib/router-context.ts",
    "routes/(app)/layout.tsx_layout_component_useVisibleTask",
    "routes/(app)/layout.tsx_SessionError",
    "components/app-header.tsx_UserChip",
    "components/alerts-bell.tsx",
    "components/alerts-bell.tsx_AlertsBell_component_useVisibleTask",
    "components/jobs-bell.tsx_JobsBell_component_useVisibleTask",
    "components/live-indicator.tsx",
    "components/live-indicator.tsx_LiveIndicator_component_useVisibleTask",
    "components/error-banner.tsx",
    "components/badge.tsx",
    "components/switch-row.tsx",
  ],
  "model-form": [
    "components/benchmark/model-picker.tsx",
    "components/benchmark/model-picker.tsx_ModelPicker",
    "components/benchmark/form-state.ts",
    "components/benchmark/run-controls.tsx",
    "components/number-field.tsx",
    "components/settings/key-status-badge.tsx",
    "components/app-link.tsx",
    "components/app-link.tsx_AppLink",
    "lib/simulator-preselection.ts",
    "../shared/catalogue.ts",
  ],
  "live-job": ["lib/live-job.ts", "lib/live-phase.ts", "../shared/jobs.ts", "lib/benchmark-types.ts"],
  "benchmark-page": [
    "routes/(app)/benchmark/index.tsx",
    "routes/(app)/benchmark/index.tsx_benchmark_component_useVisibleTask",
    "routes/(app)/benchmark/index.tsx_BenchConfig",
    "routes/(app)/benchmark/index.tsx_RateBadge",
    "lib/bench-live-lazy.ts",
    "components/benchmark/config-card.tsx",
    "components/benchmark/config-card.tsx_ConfigCard",
    "components/benchmark/provider-params-fields.tsx",
    "components/benchmark/provider-params-fields.tsx_ProviderParamsFields",
  ],
};
const groupOfEntry = new Map(Object.entries(FIRST_LOAD_GROUPS).flatMap(([group, entries]) => entries.map((e) => [e, group] as const)));
const SHARED_SRC = "/src/shared/";

/** The group of a module id: its file's entry, or for a Qwik segment the entry naming its symbol. */
function firstLoadGroup(id: string): string | undefined {
  if (id === VITE_PRELOAD_HELPER) return "app-session"; // one line that every dynamic import() imports
  const path = id.replaceAll("\\", "/");
  const web = path.lastIndexOf(WEB_SRC);
  const shared = path.lastIndexOf(SHARED_SRC);
  if (web < 0 && shared < 0) return undefined;
  const rel = web >= 0 ? path.slice(web + WEB_SRC.length) : `../shared/${path.slice(shared + SHARED_SRC.length)}`;
  const own = groupOfEntry.get(rel);
  if (own) return own;
  const segment = /^(.+?\.tsx?)_/.exec(rel);
  if (!segment) return undefined;
  for (const [entry, group] of groupOfEntry) if (entry.startsWith(segment[0]) && rel.startsWith(`${entry}_`)) return group;
  return undefined;
}

export default defineConfig(() => ({
  resolve: { alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: { rollupOptions: { output: { manualChunks: (id: string) => firstLoadGroup(id) } } },
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
