// Promise-based confirmation dialog; <ConfirmHost/> renders the <dialog>.

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
}

/** Document event telling <ConfirmHost/> what to show (detail: ConfirmRequest, or null to close); loads it lazily. */
export const CONFIRM_EVENT = "studioconfirm";

let pending: { request: ConfirmRequest; resolve: (ok: boolean) => void } | null = null;

function show(request: ConfirmRequest | null): void {
  document.dispatchEvent(new CustomEvent(CONFIRM_EVENT, { detail: request }));
}

export function confirmAction(request: Partial<ConfirmRequest> & { message: string }): Promise<boolean> {
  const full: ConfirmRequest = {
    title: request.title ?? "Are you sure?",
    message: request.message,
    confirmLabel: request.confirmLabel ?? "Confirm",
    danger: request.danger ?? true,
  };
  if (!document.querySelector("dialog.confirm-dialog")) return Promise.resolve(window.confirm(`${full.title}\n\n${full.message}`));
  pending?.resolve(false);
  return new Promise<boolean>((resolve) => {
    pending = { request: full, resolve };
    show(full);
  });
}

export function settleConfirm(ok: boolean): void {
  const current = pending;
  pending = null;
  show(null);
  current?.resolve(ok);
}
