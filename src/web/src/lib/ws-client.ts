// Live connection to /ws: ticketed connect, 30 s ping, exponential-backoff reconnect, events to the bus.
import { api } from "./api-client";
import { emitLiveEvent } from "./event-bus";
import { ApiError } from "./http";
import type { LiveEvent } from "./live-events.ts";
import { endSession, onSessionChange, refreshSession } from "./session";

export type LiveStatus = "idle" | "connecting" | "live" | "reconnecting" | "offline" | "limited";

export interface LiveState {
  status: LiveStatus;
  /** Human explanation for the indicator's tooltip. */
  detail: string;
  /** Epoch ms of the next reconnect attempt, when one is scheduled. */
  retryAt: number | null;
}

type StatusListener = (state: LiveState) => void;

export const PING_INTERVAL_MS = 30_000;
const PONG_TIMEOUT_MS = 75_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const JITTER_MS = 1_000;
/** After this many failed attempts in a row (or when the browser says offline) show "Offline". */
const OFFLINE_AFTER_ATTEMPTS = 4;

export const CLOSE_AUTH = 4001;
export const CLOSE_TOO_MANY = 4008;
const CLOSE_STALE = 4000;

let running = false;
let socket: WebSocket | null = null;
let attempt = 0;
let generation = 0;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let lastSeenAt = 0;
let tooManyConnections = false;
let state: LiveState = { status: "idle", detail: "Not connected yet.", retryAt: null };
const statusListeners = new Set<StatusListener>();
let unsubscribeSession: (() => void) | null = null;

export function getLiveState(): LiveState {
  return state;
}

export function onLiveStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  listener(state);
  return () => statusListeners.delete(listener);
}

function setState(next: LiveState): void {
  state = next;
  for (const listener of statusListeners) listener(state);
}

export function backoffDelay(failedAttempts: number, random = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** failedAttempts);
  return base + Math.floor(random() * JITTER_MS);
}

/** Starts (once) the live connection for the signed-in user. */
export function startLiveConnection(): void {
  if (running || typeof window === "undefined") return;
  running = true;
  attempt = 0;
  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", markBrowserOffline);
  unsubscribeSession = onSessionChange((user) => {
    if (!user) stopLiveConnection();
  });
  void connect();
}

export function stopLiveConnection(): void {
  if (!running) return;
  running = false;
  generation++;
  clearTimeout(reconnectTimer);
  stopPing();
  window.removeEventListener("online", reconnectNow);
  window.removeEventListener("offline", markBrowserOffline);
  unsubscribeSession?.();
  unsubscribeSession = null;
  const open = socket;
  socket = null;
  open?.close(1000, "bye");
  setState({ status: "idle", detail: "Not connected.", retryAt: null });
}

async function connect(): Promise<void> {
  const myGeneration = ++generation;
  if (!tooManyConnections) {
    setState({
      status: attempt === 0 ? "connecting" : "reconnecting",
      detail: attempt === 0 ? "Connecting to live updates…" : `Reconnecting (attempt ${attempt + 1})…`,
      retryAt: null,
    });
  }

  let ticket: string;
  try {
    ({ ticket } = await api.post<{ ticket: string }>("/api/auth/ws-ticket"));
  } catch (err) {
    if (myGeneration !== generation || !running) return;
    // A 401 here already went through refresh; the API client ended the session if that failed.
    if (err instanceof ApiError && err.status === 401) return;
    scheduleReconnect(err instanceof ApiError ? err.message : "Could not get a connection ticket.");
    return;
  }
  if (myGeneration !== generation || !running) return;

  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
  socket = ws;

  ws.onopen = () => {
    if (socket !== ws) return;
    attempt = 0;
    tooManyConnections = false;
    lastSeenAt = Date.now();
    setState({ status: "live", detail: "Connected — updates arrive in real time.", retryAt: null });
    startPing(ws);
  };

  ws.onmessage = (message) => {
    if (socket !== ws) return;
    lastSeenAt = Date.now();
    const event = parseEvent(message.data);
    if (!event || event.type === "pong") return;
    emitLiveEvent(event);
  };

  ws.onclose = (closeEvent) => {
    if (socket !== ws) return;
    socket = null;
    stopPing();
    if (running) void handleClose(closeEvent.code);
  };
}

async function handleClose(code: number): Promise<void> {
  if (code === CLOSE_AUTH) {
    try {
      const user = await refreshSession();
      if (!user) {
        endSession();
        return;
      }
    } catch {
      // Network trouble: fall through to the normal backoff.
    }
  }
  if (code === CLOSE_TOO_MANY) {
    tooManyConnections = true;
    scheduleReconnect("Too many open connections (max 5 per account). Close another tab; retrying later.");
    return;
  }
  scheduleReconnect("Connection lost.");
}

function scheduleReconnect(reason: string): void {
  if (!running) return;
  clearTimeout(reconnectTimer);
  const delay = backoffDelay(attempt);
  attempt++;
  const retryAt = Date.now() + delay;
  const browserOffline = typeof navigator !== "undefined" && navigator.onLine === false;
  const status: LiveStatus = tooManyConnections ? "limited" : browserOffline || attempt >= OFFLINE_AFTER_ATTEMPTS ? "offline" : "reconnecting";
  setState({ status, detail: browserOffline ? "Your browser is offline." : reason, retryAt });
  reconnectTimer = setTimeout(() => void connect(), delay);
}

function reconnectNow(): void {
  if (!running || socket) return;
  clearTimeout(reconnectTimer);
  attempt = 0;
  void connect();
}

function markBrowserOffline(): void {
  if (!running || state.status === "live") return;
  setState({ ...state, status: "offline", detail: "Your browser is offline." });
}

function startPing(ws: WebSocket): void {
  stopPing();
  pingTimer = setInterval(() => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastSeenAt > PONG_TIMEOUT_MS) {
      ws.close(CLOSE_STALE, "no pong");
      return;
    }
    ws.send('{"type":"ping"}');
  }, PING_INTERVAL_MS);
}

function stopPing(): void {
  clearInterval(pingTimer);
  pingTimer = undefined;
}

function parseEvent(data: unknown): LiveEvent | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (isServerFrame(value)) return value;
  } catch {
    // ignore malformed frames
  }
  return null;
}

/** The trust boundary: the hub validates every event against ServerEventSchema before sending it, so a frame that
 * is an object with a string `type` is taken as one (the browser bundle carries no zod). */
function isServerFrame(value: unknown): value is LiveEvent {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}
