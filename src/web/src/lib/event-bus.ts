// Tiny pub/sub for live (WebSocket) events; pages subscribe by event type or "*".
import type { ConfigScope, LiveEvent } from "./types";

type Handler = (event: LiveEvent) => void;
const handlers = new Map<string, Set<Handler>>();

export function onLiveEvent(type: string, handler: Handler): () => void {
  let set = handlers.get(type);
  if (!set) handlers.set(type, (set = new Set()));
  set.add(handler);
  return () => set.delete(handler);
}

export function emitLiveEvent(event: LiveEvent): void {
  for (const key of [event.type, "*"]) {
    for (const handler of handlers.get(key) ?? []) {
      try {
        handler(event);
      } catch (err) {
        console.error("live event handler failed", err);
      }
    }
  }
}

/** Calls `reload` (debounced) when another tab or this one changes config in one of `scopes`. */
export function onConfigChanged(scopes: ConfigScope[], reload: () => void, debounceMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = onLiveEvent("config_changed", (event) => {
    if (!scopes.includes(event.scope as ConfigScope)) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}
