/**
 * Weight: the gzipped Worker bundle (wrangler deploy --dry-run) and first-load JavaScript of the landing page
 * and the Benchmark page in headless Chromium (count, gzipped bytes, time to a usable page), plus /benchmark/
 * under a Slow 4G emulation. "First load" = every JS request from navigation until the page is usable and the
 * network has been idle for a while, with no user interaction.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { SESSION_HINT_COOKIE } from "../../src/shared/session-hint.ts";
import { chromiumPath } from "../../tests/browser/harness.ts";
import { signUp, startBenchStack, wrangler } from "../lib/app.ts";
import type { Figure, Scenario, ScenarioOptions } from "../lib/scenario.ts";
import { round, summarize } from "../lib/stats.ts";

/** The original Vue SPA, measured the same way (issue 5). */
const ORIGINAL = { landingKb: 66, benchmarkKb: 144, benchmarkSlow4gS: 2.9 };
const BAR_SHARE = 0.2;
/** Slow 4G as used here: 400 kbit/s down, 400 kbit/s up, 150 ms round trip. */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
/** The network counts as idle after this long without a request in flight or starting (quick mode: 1.5 s). */
let IDLE_MS = 2500;

interface JsRequest {
  url: string;
  /** Bytes on the wire (headers excluded) as the dev server sent them. */
  transferBytes: number;
  /** The decoded body gzipped by us at level 9 (comparable across servers). */
  gzip9Bytes: number;
  rawBytes: number;
  finishedMs: number;
}

interface PageLoad {
  page: string;
  usableMs: number;
  idleMs: number;
  js: JsRequest[];
  /** JS fetched by the optional interaction after the first load went idle (not part of the first load). */
  interactionJs: JsRequest[];
  /** Non-JS requests fetched by Qwik's preloader (the bundle graph), for the notes. */
  other: { url: string; transferBytes: number }[];
}

function workerBundle(): { totalKiB: number; gzipKiB: number } {
  const out = mkdtempSync(path.join(tmpdir(), "llm-bench-dry-"));
  try {
    const output = wrangler(["deploy", "--dry-run", "--outdir", out], "wrangler deploy --dry-run");
    const m = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(output);
    if (!m) throw new Error(`wrangler deploy --dry-run printed no "Total Upload" line:\n${output.slice(-2000)}`);
    return { totalKiB: Number(m[1]), gzipKiB: Number(m[2]) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Loads one page in a fresh context (empty cache) and records every request through CDP until the page is usable
 * and the network has been idle for IDLE_MS.
 */
async function loadPage(
  context: BrowserContext,
  url: string,
  usable: (page: Page) => Promise<unknown>,
  throttle: boolean,
  interact?: (page: Page) => Promise<unknown>,
): Promise<PageLoad> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (throttle) await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  const requests = new Map<string, { url: string; type: string; finishedMs?: number; transferBytes?: number; afterLoad?: boolean }>();
  let loaded = false;
  let inFlight = 0;
  let lastActivity = 0;
  let t0 = 0;
  const now = () => performance.now() - t0;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (requests.has(e.requestId)) return; // a redirect reuses the id
    requests.set(e.requestId, { url: e.request.url, type: e.type ?? "", afterLoad: loaded });
    inFlight++;
    lastActivity = now();
  });
  const settle = (id: string, bytes: number) => {
    const r = requests.get(id);
    if (!r || r.finishedMs !== undefined) return;
    r.finishedMs = now();
    r.transferBytes = bytes;
    inFlight--;
    lastActivity = now();
  };
  cdp.on("Network.loadingFinished", (e) => settle(e.requestId, e.encodedDataLength));
  // The app leaves some small API bodies unread (e.g. a 401 from /api/auth/refresh), and Chromium then never reports
  // those fetches finished: API calls count as done once their response arrived.
  cdp.on("Network.responseReceived", (e) => {
    if (e.type === "Fetch" || e.type === "XHR") settle(e.requestId, e.response.encodedDataLength);
  });
  cdp.on("Network.loadingFailed", (e) => settle(e.requestId, 0));

  t0 = performance.now();
  await page.goto(url, { waitUntil: "commit" });
  await usable(page);
  const usableMs = now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    if (inFlight === 0 && now() - lastActivity >= IDLE_MS) break;
    if (now() > 120_000) {
      const open = [...requests.values()].filter((r) => r.finishedMs === undefined).map((r) => `${r.type} ${r.url}`);
      throw new Error(`${url}: network never went idle (in flight: ${open.join(", ")})`);
    }
  }
  const idleMs = lastActivity;
  if (interact) {
    loaded = true;
    await interact(page);
    const start = now();
    while (inFlight > 0 || now() - lastActivity < IDLE_MS) {
      await new Promise((r) => setTimeout(r, 100));
      if (now() - start > 60_000) break;
    }
  }
  await page.close();

  const js: JsRequest[] = [];
  const interactionJs: JsRequest[] = [];
  const other: PageLoad["other"] = [];
  for (const r of requests.values()) {
    const pathname = new URL(r.url).pathname;
    if (r.type === "Script" || pathname.endsWith(".js")) {
      const body = Buffer.from(await (await fetch(r.url)).arrayBuffer());
      const entry = {
        url: pathname,
        transferBytes: r.transferBytes ?? 0,
        gzip9Bytes: gzipSync(body, { level: 9 }).length,
        rawBytes: body.length,
        finishedMs: r.finishedMs ?? 0,
      };
      (r.afterLoad ? interactionJs : js).push(entry);
    } else if (pathname.startsWith("/assets/") && pathname.endsWith(".json")) {
      other.push({ url: pathname, transferBytes: r.transferBytes ?? 0 });
    }
  }
  return { page: new URL(url).pathname, usableMs, idleMs, js, interactionJs, other };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const kb = (bytes: number) => round(bytes / 1000, 1);
const median = (xs: number[]) => summarize(xs).p50; // metrics.md interpolation, like every other bench figure

/** Why /benchmark/ misses its bars, and what would meet them (see src/web/README.md "First-load JavaScript"). */
const BENCHMARK_PAGE_MISS =
  "Missed on /benchmark/: Qwik's core runtime and its loader alone are about 21.9 KB gz, three quarters of the " +
  "28.8 KB bar, and a signed-in page must run the session refresh, the live WebSocket, the jobs sync and the model " +
  "catalog's first render before Run is usable (session and live connection ~6 KB more, the catalog's picker and " +
  "form ~10 KB). Already done: no preloader, no prefetch, Qwik City kept off the first load (own links and router " +
  "contexts), components that would re-render on load split so only the small changing parts fetch code, the " +
  "live-run code loaded on demand, no zod in the browser (the build fails if it returns), and what the page runs " +
  "on load grouped into a few chunks (src/web/vite.config.ts FIRST_LOAD_GROUPS), which is what brings Slow 4G under " +
  "its bar. What would meet the byte bar: rendering /benchmark/ per user in the Worker (SSR with the user's " +
  "catalog, so the page is usable with ~2 KB and code loads on interaction), or Qwik v2's smaller runtime; letting " +
  "ConfigCard/ModelPicker update through bindings would save a further ~5 KB.";

export const scenario: Scenario = {
  id: "weight",
  title: "Weight: Worker bundle and first-load JavaScript",
  async run(opts: ScenarioOptions) {
    const figures: Figure[] = [];
    const notes: string[] = [];
    IDLE_MS = opts.quick ? 1500 : 2500;

    opts.log("wrangler deploy --dry-run");
    const bundle = workerBundle();
    figures.push({
      label: "Worker bundle, gzipped",
      value: bundle.gzipKiB,
      unit: "KiB",
      bar: "≤ 3072 KiB (Workers Free limit; Paid: 10240 KiB)",
      meets: bundle.gzipKiB <= 3072,
    });
    figures.push({ label: "Worker bundle, uncompressed", value: bundle.totalKiB, unit: "KiB" });

    if (!chromiumPath) throw new Error("Chromium not found (apt-get install -y chromium): the weight scenario needs it");
    const stack = await startBenchStack({ portBase: opts.portBase, label: "weight" });
    let browser: Browser | undefined;
    try {
      const user = await signUp(stack.url, `weight-${Date.now()}@example.com`);
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
      const b = browser;
      const anonymous = async () => b.newContext();
      const signedIn = async () => {
        // The refresh cookie and its hint are what a returning visitor has; the page exchanges the first for an
        // access token (without the hint an app page goes straight to the landing page).
        const ctx = await b.newContext();
        await ctx.addCookies([
          { name: "refresh_token", value: user.refreshCookie, url: `${stack.url}/api/auth`, httpOnly: true, sameSite: "Strict" },
          { name: SESSION_HINT_COOKIE, value: "1", url: `${stack.url}/`, sameSite: "Strict" },
        ]);
        return ctx;
      };
      // Each signed-in load rotates the refresh token: re-read it from the context so the next load has a valid one.
      // Landing: the form is there and the Qwik loader is capturing events (it fetches a handler's code on demand).
      const landingUsable = async (p: Page) => {
        await p.getByTestId("auth-submit").and(p.locator(":enabled")).waitFor({ state: "visible", timeout: 60_000 });
        await p.waitForFunction(() => typeof (window as any).qwikevents?.push === "function" && !Array.isArray((window as any).qwikevents), null, {
          timeout: 60_000,
        });
      };
      // What a visitor's first interaction costs: submitting the sign-up form with a bad email, which the form's
      // own code rejects (no API call). Returns how long the answer took to show.
      let firstInteractionMs = 0;
      const landingInteraction = async (p: Page) => {
        await p.locator("#auth-email").fill("not-an-email");
        await p.locator("#auth-password").fill("long enough password");
        const t = performance.now();
        await p.getByTestId("auth-submit").click();
        await p.locator("#auth-email-error").waitFor({ timeout: 30_000 });
        firstInteractionMs = performance.now() - t;
      };
      const benchUsable = (p: Page) => p.getByTestId("run-benchmark").and(p.locator(":enabled")).waitFor({ state: "visible", timeout: 60_000 });

      const repeats = opts.quick ? 1 : 3;
      const measure = async (
        name: string,
        url: string,
        makeContext: () => Promise<BrowserContext>,
        usable: (p: Page) => Promise<unknown>,
        throttle: boolean,
        interact?: (p: Page) => Promise<unknown>,
      ) => {
        const loads: PageLoad[] = [];
        for (let i = 0; i < repeats; i++) {
          const ctx = await makeContext();
          try {
            loads.push(await loadPage(ctx, url, usable, throttle, interact));
            const cookie = (await ctx.cookies(`${stack.url}/api/auth`)).find((c) => c.name === "refresh_token");
            if (cookie) user.refreshCookie = cookie.value;
          } finally {
            await ctx.close();
          }
        }
        opts.log(
          `${name}: ${loads.map((l) => `${l.js.length} JS, ${kb(sum(l.js.map((j) => j.transferBytes)))} KB, usable ${Math.round(l.usableMs)} ms`).join("; ")}`,
        );
        return loads;
      };

      const landing = await measure("landing", `${stack.url}/`, anonymous, landingUsable, false, landingInteraction);
      const bench = await measure("benchmark", `${stack.url}/benchmark/`, signedIn, benchUsable, false);
      const slow = await measure("benchmark slow 4G", `${stack.url}/benchmark/`, signedIn, benchUsable, true);

      const pageFigures = (label: string, loads: PageLoad[], originalKb: number) => {
        const last = loads.at(-1)!;
        const gz = sum(last.js.map((j) => j.gzip9Bytes));
        const wire = sum(last.js.map((j) => j.transferBytes));
        const barKb = round(originalKb * BAR_SHARE, 1);
        figures.push({
          label: `${label}: first-load JS, gzip -9`,
          value: kb(gz),
          unit: "KB",
          bar: `≤ ${barKb} KB (20 % of the original's ${originalKb} KB)`,
          meets: kb(gz) <= barKb,
        });
        figures.push({ label: `${label}: first-load JS on the wire (dev server's gzip)`, value: kb(wire), unit: "KB" });
        figures.push({ label: `${label}: first-load JS requests`, value: last.js.length, unit: "files" });
        figures.push({ label: `${label}: first-load JS uncompressed`, value: kb(sum(last.js.map((j) => j.rawBytes))), unit: "KB" });
        figures.push({
          label: `${label}: time to usable (median of ${loads.length})`,
          value: Math.round(median(loads.map((l) => l.usableMs))),
          unit: "ms",
        });
      };
      pageFigures("/ (landing, signed out)", landing, ORIGINAL.landingKb);
      pageFigures("/benchmark/ (signed in)", bench, ORIGINAL.benchmarkKb);
      const typed = landing.at(-1)!.interactionJs;
      figures.push({
        label: "/ (landing): JS fetched by the first interaction (submitting the form), gzip -9",
        value: kb(sum(typed.map((j) => j.gzip9Bytes))),
        unit: "KB",
      });
      figures.push({
        label: "/ (landing): first interaction, click to answer shown (incl. fetching that JS)",
        value: Math.round(firstInteractionMs),
        unit: "ms",
      });

      const allJs = (l: PageLoad) => Math.max(0, ...l.js.map((j) => j.finishedMs));
      const slowAllJs = median(slow.map(allJs)) / 1000;
      figures.push({
        label: "/benchmark/ Slow 4G: all first-load JS loaded",
        value: round(slowAllJs, 2),
        unit: "s",
        bar: `< ${ORIGINAL.benchmarkSlow4gS} s (the original, same emulation)`,
        meets: slowAllJs < ORIGINAL.benchmarkSlow4gS,
      });
      figures.push({ label: "/benchmark/ Slow 4G: time to usable", value: round(median(slow.map((l) => l.usableMs)) / 1000, 2), unit: "s" });

      if (figures.some((f) => f.label.startsWith("/benchmark/") && f.meets === false)) notes.push(BENCHMARK_PAGE_MISS);
      const graph = bench.at(-1)!.other;
      notes.push(
        'Worker bundle: `wrangler deploy --dry-run --outdir <tmp>`, its "Total Upload … / gzip …" line.',
        `Pages: headless Chromium (playwright-core) against wrangler dev, a fresh browser context per load (empty cache), requests recorded through CDP from navigation until the page is usable and no request has been in flight or started for ${IDLE_MS / 1000} s; no user interaction. ${repeats} load(s) per page, bytes from the last, times the median.`,
        "JS = every request of type Script or ending in .js (Qwik's modulepreload/prefetch requests included). wrangler dev's asset server compresses (content-encoding: gzip), so 'on the wire' is its real transfer size; the bar is checked on each body gzipped by us at zlib level 9, which does not depend on the server's compression level.",
        `Usable: landing = the sign-up form's submit button visible and enabled and the Qwik loader capturing events (signed out; Qwik fetches an event's handler when it fires, so typing and submitting work from then on); /benchmark/ = the Run button enabled, which needs the session refreshed from the cookie and /api/config loaded (signed in, onboarding done, simulator models preselected).`,
        "The landing's 'first interaction' figures: after the first load went idle, the sign-up form is submitted with an invalid email; the JS this fetches (the Qwik runtime and the form's handler) and the time until the validation message shows. Not part of first load.",
        "'On the wire' counts what Chromium received per JS response, response headers included: over local HTTP/1.1 every response repeats the security headers (~0.6 KB); production Cloudflare serves HTTP/2 or 3, which compresses repeated headers.",
        `Slow 4G = CDP Network.emulateNetworkConditions: ${(SLOW_4G.downloadThroughput * 8) / 1000} kbit/s down, ${(SLOW_4G.uploadThroughput * 8) / 1000} kbit/s up, ${SLOW_4G.latency} ms latency; 'all first-load JS loaded' = the last JS response finished, from navigation start.`,
        `Reference (original Vue SPA, same method): /login ${ORIGINAL.landingKb} KB gz in 2 JS files; /benchmark ${ORIGINAL.benchmarkKb} KB gz in 7 files; Slow 4G /benchmark all JS after ${ORIGINAL.benchmarkSlow4gS} s.`,
      );
      if (graph.length)
        notes.push(
          `Qwik's preloader also fetches its bundle graph (not JS, not counted): ${graph.map((g) => `${g.url} ${kb(g.transferBytes)} KB`).join(", ")}.`,
        );

      return {
        id: "weight",
        title: "Weight: Worker bundle and first-load JavaScript",
        figures,
        notes,
        raw: { bundle, landing, bench, slow },
      };
    } finally {
      await browser?.close().catch(() => {});
      await stack.stop();
    }
  },
};
