import { useSyncExternalStore } from "react";

/** The turn the chat should bring into view and highlight (a version opened from the library). */
export interface FocusTarget {
  conversationId: string;
  turnId: string;
  /** Grows with every request, so opening the same version twice scrolls again. */
  seq: number;
}

let target: FocusTarget | null = null;
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

export const focusStore = {
  get: (): FocusTarget | null => target,
  set(conversationId: string, turnId: string) {
    target = { conversationId, turnId, seq: (target?.seq ?? 0) + 1 };
    emit();
  },
  /** Ends the highlight (only the request `seq` when given, so a newer one is kept). */
  clear(seq?: number) {
    if (target && (seq === undefined || target.seq === seq)) {
      target = null;
      emit();
    }
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

export function useFocusTarget(): FocusTarget | null {
  return useSyncExternalStore(focusStore.subscribe, focusStore.get, focusStore.get);
}

/** Whether this turn is the one being brought into view. */
export function useIsFocusedTurn(turnId: string): boolean {
  const isIt = () => focusStore.get()?.turnId === turnId;
  return useSyncExternalStore(focusStore.subscribe, isIt, isIt);
}
