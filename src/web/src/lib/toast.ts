// Toast queue: any module can report success/errors; <ToastHost/> renders them.
import { describeError } from "./http";

/** Document event carrying the whole queue (detail: Toast[]) to <ToastHost/>, which loads lazily on the first one. */
export const TOASTS_EVENT = "studiotoasts";

export type ToastKind = "success" | "error" | "info";

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  details: string[];
}

let toasts: Toast[] = [];
let nextId = 1;
const LIFETIME_MS: Record<ToastKind, number> = { success: 3500, info: 4500, error: 8000 };

export function showToast(kind: ToastKind, message: string, details: string[] = []): number {
  const toast: Toast = { id: nextId++, kind, message, details };
  toasts = [...toasts.slice(-2), toast];
  notify();
  setTimeout(() => dismissToast(toast.id), LIFETIME_MS[kind]);
  return toast.id;
}

export function toastError(err: unknown): void {
  const { message, details } = describeError(err);
  showToast("error", message, details);
}

export function dismissToast(id: number): void {
  const next = toasts.filter((t) => t.id !== id);
  if (next.length === toasts.length) return;
  toasts = next;
  notify();
}

function notify(): void {
  document.dispatchEvent(new CustomEvent(TOASTS_EVENT, { detail: toasts }));
}
