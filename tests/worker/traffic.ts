/**
 * The canary scan's collector. The request helper (helpers.ts), the socket helper (sockets.ts) and the console
 * hook (canary-scan.ts) feed it everything the Worker says during a test file; each piece is searched for every
 * canary form as it arrives, so only counts and hits are kept. State lives on globalThis so the setup file and
 * the test modules share one collector per test file whatever module instances they get.
 */
import { canaryNeedles } from "./canaries.ts";

export interface TrafficStats {
  responses: number;
  headers: number;
  frames: number;
  logLines: number;
  hits: string[];
}

const KEY = Symbol.for("llm-bench.canary-traffic");
const needles = canaryNeedles();

export function traffic(): TrafficStats {
  const g = globalThis as unknown as Record<symbol, TrafficStats>;
  g[KEY] ??= { responses: 0, headers: 0, frames: 0, logLines: 0, hits: [] };
  return g[KEY];
}

export function resetTraffic() {
  const t = traffic();
  Object.assign(t, { responses: 0, headers: 0, frames: 0, logLines: 0, hits: [] });
}

function scan(where: string, text: string) {
  for (const n of needles) {
    const at = text.indexOf(n.needle);
    if (at >= 0) traffic().hits.push(`${n.name} (${n.form}) in ${where}: …${text.slice(Math.max(0, at - 60), at + n.needle.length + 20)}…`);
  }
}

export function recordResponse(label: string, res: Response, body: string) {
  const t = traffic();
  t.responses += 1;
  for (const [name, value] of res.headers) {
    t.headers += 1;
    scan(`header ${name} of ${label}`, `${name}: ${value}`);
  }
  scan(`body of ${label}`, body);
}

export function recordFrame(label: string, data: unknown) {
  traffic().frames += 1;
  scan(`frame on ${label}`, typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer));
}

export function recordLogLine(line: string) {
  traffic().logLines += 1;
  scan("log line", line);
}
