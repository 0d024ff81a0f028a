import { useEffect } from "react";
import { isMac, isTextTarget, matchShortcut, runShortcut } from "./shortcuts";

/** Listens for the app's shortcuts on the window and hands each to its handler. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const mac = isMac();
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const id = matchShortcut(e, isTextTarget(e.target), mac);
      if (id && runShortcut(id)) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
