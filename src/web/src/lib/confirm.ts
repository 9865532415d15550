// Promise-based confirmation dialog; <ConfirmHost/> renders the <dialog>.

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
}

type ConfirmListener = (request: ConfirmRequest | null) => void;

let pending: { request: ConfirmRequest; resolve: (ok: boolean) => void } | null = null;
let listener: ConfirmListener | null = null;

export function confirmAction(request: Partial<ConfirmRequest> & { message: string }): Promise<boolean> {
  const full: ConfirmRequest = {
    title: request.title ?? "Are you sure?",
    message: request.message,
    confirmLabel: request.confirmLabel ?? "Confirm",
    danger: request.danger ?? true,
  };
  if (!listener) return Promise.resolve(window.confirm(`${full.title}\n\n${full.message}`));
  pending?.resolve(false);
  return new Promise<boolean>((resolve) => {
    pending = { request: full, resolve };
    listener?.(full);
  });
}

export function settleConfirm(ok: boolean): void {
  const current = pending;
  pending = null;
  listener?.(null);
  current?.resolve(ok);
}

export function registerConfirmHost(fn: ConfirmListener): () => void {
  listener = fn;
  return () => {
    if (listener === fn) listener = null;
  };
}
