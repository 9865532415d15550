// Modal <dialog> behind confirmAction(); Escape or Cancel resolves false.
// It follows the `studioconfirm` document event (lib/confirm.ts), so no code loads until the first confirmation.
import { $, component$, useOnDocument, useSignal, useStore } from "@builder.io/qwik";
import { CONFIRM_EVENT, type ConfirmRequest, settleConfirm } from "~/lib/confirm";

export const ConfirmHost = component$(() => {
  const dialogRef = useSignal<HTMLDialogElement>();
  const state = useStore<{ request: ConfirmRequest | null }>({ request: null });

  useOnDocument(
    CONFIRM_EVENT,
    $((event: Event) => {
      const request = (event as CustomEvent<ConfirmRequest | null>).detail;
      state.request = request ? { ...request } : null;
      const dialog = dialogRef.value;
      if (!dialog) return;
      if (request && !dialog.open) dialog.showModal();
      if (!request && dialog.open) dialog.close();
    }),
  );

  const request = state.request;
  return (
    <dialog
      ref={dialogRef}
      class="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel$={() => settleConfirm(false)}
    >
      <h2 id="confirm-title">{request?.title ?? "Are you sure?"}</h2>
      <p id="confirm-message">{request?.message ?? ""}</p>
      <div class="confirm-actions">
        <button type="button" class="btn btn-ghost" onClick$={() => settleConfirm(false)}>
          Cancel
        </button>
        <button
          type="button"
          class={`btn ${request?.danger ? "btn-danger" : "btn-primary"}`}
          data-testid="confirm-ok"
          onClick$={() => settleConfirm(true)}
        >
          {request?.confirmLabel ?? "Confirm"}
        </button>
      </div>
    </dialog>
  );
});
