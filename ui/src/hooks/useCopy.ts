import { useCallback, useEffect, useRef, useState } from "react";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";

/** Copies text to the clipboard; `copied` is true for a moment afterwards. */
export function useCopy(onError: (err: unknown) => void): [boolean, (text: string) => Promise<boolean>] {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const copy = useCallback(
    async (text: string) => {
      try {
        await writeText(text);
      } catch (err) {
        // Fall back to the web clipboard (e.g. the plugin is unavailable).
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          onError(err);
          return false;
        }
      }
      setCopied(true);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 1500);
      return true;
    },
    [onError],
  );
  return [copied, copy];
}
