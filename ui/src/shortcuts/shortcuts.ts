/**
 * The app's keyboard shortcuts: one table (shown in the help sheet), one matcher, and a tiny bus so the
 * component that owns an action (the sidebar's search box, the chat's stop button) handles it without
 * the app shell knowing its internals.
 */

export type ShortcutId = "newChat" | "search" | "focusComposer" | "stop" | "library" | "help";

export interface Shortcut {
  id: ShortcutId;
  /** Key combos, as shown to the user ("Mod" is Ctrl, or ⌘ on macOS). */
  combos: readonly string[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: "newChat", combos: ["Mod+N"] },
  { id: "search", combos: ["Mod+K", "Mod+F"] },
  { id: "focusComposer", combos: ["Mod+L", "/"] },
  { id: "stop", combos: ["Mod+."] },
  { id: "library", combos: ["Mod+Shift+L"] },
  { id: "help", combos: ["F1", "Mod+/"] },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
}

/** Whether the event's target takes text (a bare "/" there is typing, not a shortcut). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  return tag === "textarea" || tag === "select" || (tag === "input" && (el as HTMLInputElement).type !== "button") || el.isContentEditable;
}

function matches(combo: string, e: KeyLike, mac: boolean): boolean {
  const parts = combo.split("+");
  const key = parts[parts.length - 1] ?? "";
  const mods = new Set(parts.slice(0, -1));
  const mod = mac ? e.metaKey : e.ctrlKey;
  if (mods.has("Mod") !== mod) return false;
  // The other platform modifier must be up (Ctrl+⌘+N is not ⌘+N).
  if (mac ? e.ctrlKey : e.metaKey) return false;
  if (e.altKey) return false;
  // "Mod+/" and "Mod+." are typed with Shift on some layouts: only letters check Shift.
  const letter = /^[a-z]$/i.test(key);
  if (letter && mods.has("Shift") !== e.shiftKey) return false;
  return e.key.toLowerCase() === key.toLowerCase();
}

/** The shortcut a key press means, or null. IME composition and bare keys in text fields never count. */
export function matchShortcut(e: KeyLike, inText: boolean, mac = false): ShortcutId | null {
  if (e.isComposing) return null;
  for (const s of SHORTCUTS) {
    for (const combo of s.combos) {
      const bare = !combo.includes("+") && combo.length === 1;
      if (bare && inText) continue;
      if (matches(combo, e, mac)) return s.id;
    }
  }
  return null;
}

/** How a combo is written for this platform. */
export function comboLabel(combo: string, mac = false): string {
  return combo
    .split("+")
    .map((p) => (p === "Mod" ? (mac ? "⌘" : "Ctrl") : p === "Shift" ? (mac ? "⇧" : "Shift") : p))
    .join(mac ? "" : "+");
}

export const isMac = (): boolean => typeof navigator !== "undefined" && /Mac/i.test(navigator.platform);

type Handler = () => boolean | void;
const handlers = new Map<ShortcutId, Handler[]>();

/** Handle a shortcut; the most recent handler runs first and may return false to pass it on. */
export function onShortcut(id: ShortcutId, handler: Handler): () => void {
  const list = handlers.get(id) ?? [];
  list.unshift(handler);
  handlers.set(id, list);
  return () => {
    const l = handlers.get(id);
    if (l) handlers.set(id, l.filter((h) => h !== handler));
  };
}

/** Runs a shortcut's handlers; true when one took it. */
export function runShortcut(id: ShortcutId): boolean {
  for (const h of handlers.get(id) ?? []) {
    if (h() !== false) return true;
  }
  return false;
}
