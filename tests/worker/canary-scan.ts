/**
 * Setup file for every worker test file: the canary secret scan. The Worker, its Durable Objects and its queue
 * consumer run in the test's isolate, so their JSON log lines go through this isolate's console; we hook it,
 * and helpers.ts / sockets.ts report every response (body and headers) and WebSocket frame. After the file's
 * tests, nothing any of them produced may contain a canary (tests/worker/canaries.ts) in any encoded form.
 *
 * LOG_LEVEL is "debug" in the test project so every log line exists to be scanned; lines below "error" are
 * swallowed here to keep the test output as quiet as it was with LOG_LEVEL=error.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { recordLogLine, resetTraffic, traffic } from "./traffic.ts";

const METHODS = ["log", "info", "debug", "warn", "error"] as const;
const original = Object.fromEntries(METHODS.map((m) => [m, console[m]])) as Record<(typeof METHODS)[number], (...a: unknown[]) => void>;

function hook(method: (typeof METHODS)[number]) {
  return (...args: unknown[]) => {
    const line = args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.name}: ${a.message}\n${a.stack}` : safeJson(a))).join(" ");
    recordLogLine(line);
    const appLog = /^\{"time":"[^"]+","level":"(\w+)"/.exec(line);
    if (!appLog || appLog[1] === "error") original[method](...args);
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

let file = "?";

resetTraffic(); // at load, before the test file's own top-level requests

// biome-ignore lint/correctness/noEmptyPattern: vitest passes the suite as the second argument only
beforeAll(({}, suite) => {
  file = suite.file?.name ?? suite.name;
  for (const m of METHODS) console[m] = hook(m);
});

afterAll(() => {
  for (const m of METHODS) console[m] = original[m];
  const t = traffic();
  original.log(`[canary scan] ${file}: ${t.responses} responses, ${t.headers} headers, ${t.frames} frames, ${t.logLines} log lines scanned`);
  expect(t.hits, "a canary secret reached a response, header, frame or log line").toEqual([]);
});
