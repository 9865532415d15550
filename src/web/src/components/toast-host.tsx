// Renders the toast queue (bottom-right); errors are announced assertively.
// It listens for the `studiotoasts` document event (lib/toast.ts) instead of subscribing in a visible task, so a
// page loads none of this code until the first toast.
import { $, component$, useOnDocument, useStore } from "@builder.io/qwik";
import { dismissToast, TOASTS_EVENT, type Toast } from "~/lib/toast";

export const ToastHost = component$(() => {
  const state = useStore<{ toasts: Toast[] }>({ toasts: [] });
  useOnDocument(
    TOASTS_EVENT,
    $((event: Event) => {
      const toasts = (event as CustomEvent<Toast[]>).detail;
      // Keep existing entries (same objects) so only new toasts mount and animate in.
      const live = new Set(toasts.map((t) => t.id));
      const kept = state.toasts.filter((t) => live.has(t.id));
      const known = new Set(kept.map((t) => t.id));
      const added = toasts.filter((t) => !known.has(t.id)).map((t) => ({ ...t, details: [...t.details] }));
      state.toasts = [...kept, ...added];
    }),
  );
  return (
    <div class="toast-region" aria-live="polite" aria-relevant="additions">
      {state.toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"}>
          <span class="toast-icon" aria-hidden="true">
            {toast.kind === "success" ? "✓" : toast.kind === "error" ? "!" : "i"}
          </span>
          <div class="toast-body">
            <p class="toast-message">{toast.message}</p>
            {toast.details.length > 0 && (
              <ul class="toast-details">
                {toast.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" class="toast-close" aria-label="Dismiss" onClick$={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
});
