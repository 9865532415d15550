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

/** Root layout: provides the reactive session and keeps it in sync with the session module. */
export function useSessionProvider(): SessionState {
  const state = useStore<SessionState>({ status: "pending", user: null, error: "" });
  useContextProvider(SessionContext, state);
  useVisibleTask$(
    ({ cleanup }) => {
      const existing = getUser();
      if (existing) {
        state.user = { ...existing };
        state.status = "ready";
      }
      cleanup(
        onSessionChange((user) => {
          state.user = user ? { ...user } : null;
          if (user) {
            state.status = "ready";
            state.error = "";
          } else if (state.status === "ready") {
            state.status = "anonymous";
          }
        }),
      );
    },
    { strategy: "document-ready" },
  );
  return state;
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
