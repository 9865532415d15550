/** WebSocket test client over SELF.fetch: records every frame; every wait has a timeout. */
import { SELF } from "cloudflare:test";
import { BASE, call } from "./helpers.ts";
import { recordFrame, recordResponse } from "./traffic.ts";

export interface TestSocket {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  next(type: string, timeoutMs?: number): Promise<any>;
}

export async function ticketFor(token: string): Promise<string> {
  const r = await call("/api/auth/ws-ticket", { method: "POST", token });
  if (r.status !== 200) throw new Error(`ticket: ${r.status} ${r.text}`);
  return r.json.ticket;
}

export async function upgrade(query: string, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`${BASE}/ws${query}`, { headers: { upgrade: "websocket", ...headers } });
  // The canary scan sees the upgrade response and every frame the server sends on the socket.
  if (res.webSocket) {
    recordResponse("GET /ws", res, "");
    res.webSocket.addEventListener("message", (e) => recordFrame("/ws", e.data));
  } else {
    const text = await res.clone().text();
    recordResponse("GET /ws", res, text);
  }
  return res;
}

export async function openSocket(token: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const res = await upgrade(`?ticket=${encodeURIComponent(await ticketFor(token))}`, headers);
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  const messages: any[] = [];
  const waiters: Array<{ type: string; resolve: (m: any) => void; from: number }> = [];
  ws.accept();
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data));
    messages.push(msg);
    for (const w of [...waiters]) {
      if (w.type === msg.type) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  const seen = new Map<string, number>();
  return {
    ws,
    messages,
    closed,
    next(type, timeoutMs = 3000) {
      // Returns the next not-yet-consumed message of this type (already received or future).
      const consumed = seen.get(type) ?? 0;
      const matching = messages.filter((m) => m.type === type);
      seen.set(type, consumed + 1);
      if (matching.length > consumed) return Promise.resolve(matching[consumed]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for "${type}"`)), timeoutMs);
        waiters.push({
          type,
          from: consumed,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
}

/** Waits for a message of `type` about `jobId` (already received or still to come). */
export async function waitForJobEvent(s: TestSocket, type: string, jobId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = s.messages.find((m) => m.type === type && m.job_id === jobId);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${type}; saw ${s.messages.map((m) => m.type).join(",")}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
