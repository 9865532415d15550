// Tiny pub/sub for live (WebSocket) events; pages subscribe by event type and get that event's shape.
import type { ConfigScope } from "../../../shared/events.ts";
import type { LiveEvent, LiveEventOf, LiveEventType } from "./live-events.ts";

type Handler = (event: LiveEvent) => void;
const handlers = new Map<LiveEventType, Set<Handler>>();

const isOfType = <T extends LiveEventType>(event: LiveEvent, type: T): event is LiveEventOf<T> => event.type === type;

export function onLiveEvent<T extends LiveEventType>(type: T, handler: (event: LiveEventOf<T>) => void): () => void {
  const set = handlers.get(type) ?? new Set();
  handlers.set(type, set);
  const narrowed: Handler = (event) => {
    if (isOfType(event, type)) handler(event);
  };
  set.add(narrowed);
  return () => set.delete(narrowed);
}

export function emitLiveEvent(event: LiveEvent): void {
  for (const handler of handlers.get(event.type) ?? []) {
    try {
      handler(event);
    } catch (err) {
      console.error("live event handler failed", err);
    }
  }
}

/** Calls `reload` (debounced) when another tab or this one changes config in one of `scopes`. */
export function onConfigChanged(scopes: ConfigScope[], reload: () => void, debounceMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = onLiveEvent("config_changed", (event) => {
    if (!scopes.includes(event.scope)) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}
