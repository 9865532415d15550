// Qwik context + hooks that mirror the in-memory session into reactive component state.
import { createContextId, useContext, useContextProvider, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { ApiError } from "./http";
import { ensureSession, getUser, onSessionChange } from "./session";
import type { User } from "./types";

export type SessionStatus = "pending" | "ready" | "anonymous" | "error";

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  /** Set when the session could not be checked (network / server down). */
  error: string;
}

export const SessionContext = createContextId<SessionState>("studio.session");

/**
 * Root layout: provides the reactive session. It starts following the session module only when an app page
 * bootstraps it (below), so pages that never read it (the landing page) load no code for it.
 */
export function useSessionProvider(): SessionState {
  const state = useStore<SessionState>({ status: "pending", user: null, error: "" });
  useContextProvider(SessionContext, state);
  return state;
}

/** Mirrors session changes (login, refresh, logout) into the store; once per store, for the page's lifetime. */
const followed = new WeakSet<SessionState>();
function followSession(state: SessionState): void {
  if (followed.has(state)) return;
  followed.add(state);
  onSessionChange((user) => {
    state.user = user ? { ...user } : null;
    if (user) {
      state.status = "ready";
      state.error = "";
    } else if (state.status === "ready") {
      state.status = "anonymous";
    }
  });
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** App pages: silently refresh on load; a rejected cookie sends the visitor to the landing page. */
export function useRequireSession(): SessionState {
  const state = useSession();
  useVisibleTask$(() => bootstrapSession(state), { strategy: "document-ready" });
  return state;
}

export async function bootstrapSession(state: SessionState): Promise<void> {
  followSession(state);
  const existing = getUser();
  if (existing && state.status !== "ready") {
    state.user = { ...existing };
    state.status = "ready";
  }
  if (state.status !== "ready") {
    state.status = "pending";
    state.error = "";
  }
  try {
    const user = await ensureSession();
    state.user = { ...user };
    state.status = "ready";
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return; // endSession() is already redirecting
    state.status = "error";
    state.error = err instanceof ApiError ? err.message : "Could not check your session.";
  }
}
