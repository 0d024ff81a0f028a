import { useEffect, useRef } from "react";
import { onShortcut, type ShortcutId } from "./shortcuts";

/** Registers a handler for a shortcut while the component is mounted (the latest closure is used). */
export function useShortcutHandler(id: ShortcutId, handler: () => boolean | void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => onShortcut(id, () => ref.current()), [id]);
}
