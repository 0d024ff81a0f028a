// A tiny toast store: command errors and short confirmations.
import { useSyncExternalStore } from "react";

export type ToastTone = "error" | "info" | "success";

export interface ToastAction {
  label: string;
  run: () => void;
  testId?: string;
}

export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
  detail?: string | undefined;
  kind?: string | undefined;
  action?: ToastAction | undefined;
}

type NewToast = Omit<Toast, "id">;

let nextId = 1;
let toasts: readonly Toast[] = [];
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const l of listeners) l();
}

export function showToast(toast: NewToast, timeoutMs = toast.tone === "error" ? 10_000 : 4_000): number {
  const id = nextId++;
  // The same message twice in a row replaces the older one instead of stacking.
  const dup = toasts.find((t) => t.text === toast.text && t.detail === toast.detail);
  if (dup) dismissToast(dup.id);
  toasts = [...toasts, { ...toast, id }].slice(-4);
  emit();
  if (timeoutMs > 0) timers.set(id, setTimeout(() => dismissToast(id), timeoutMs));
  return id;
}

export function dismissToast(id: number) {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  const next = toasts.filter((t) => t.id !== id);
  if (next.length !== toasts.length) {
    toasts = next;
    emit();
  }
}

export function clearToasts() {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
  toasts = [];
  emit();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

const getToasts = () => toasts;

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, getToasts, getToasts);
}
