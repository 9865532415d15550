// Toast queue: any module can report success/errors; <ToastHost/> renders them.
import { describeError } from "./http";

export type ToastKind = "success" | "error" | "info";

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  details: string[];
}

type ToastListener = (toasts: Toast[]) => void;

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<ToastListener>();
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

export function onToasts(listener: ToastListener): () => void {
  listeners.add(listener);
  listener(toasts);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener(toasts);
}
