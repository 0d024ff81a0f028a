import { describe, expect, it } from "vitest";
import { comboLabel, matchShortcut, onShortcut, runShortcut, type KeyLike } from "./shortcuts";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("matchShortcut", () => {
  it("maps Ctrl combos on Linux/Windows and ⌘ combos on macOS", () => {
    expect(matchShortcut(key("n", { ctrlKey: true }), false)).toBe("newChat");
    expect(matchShortcut(key("N", { ctrlKey: true }), true)).toBe("newChat");
    expect(matchShortcut(key("n", { metaKey: true }), false, true)).toBe("newChat");
    expect(matchShortcut(key("n", { ctrlKey: true }), false, true)).toBeNull();
    expect(matchShortcut(key("k", { ctrlKey: true }), true)).toBe("search");
    expect(matchShortcut(key("f", { ctrlKey: true }), false)).toBe("search");
    expect(matchShortcut(key(".", { ctrlKey: true }), true)).toBe("stop");
    expect(matchShortcut(key("F1"), true)).toBe("help");
    expect(matchShortcut(key("/", { ctrlKey: true }), true)).toBe("help");
  });

  it("tells Ctrl+L from Ctrl+Shift+L", () => {
    expect(matchShortcut(key("l", { ctrlKey: true }), false)).toBe("focusComposer");
    expect(matchShortcut(key("L", { ctrlKey: true, shiftKey: true }), false)).toBe("library");
  });

  it("a bare / focuses the composer, but not while typing in a field", () => {
    expect(matchShortcut(key("/"), false)).toBe("focusComposer");
    expect(matchShortcut(key("/"), true)).toBeNull();
  });

  it("ignores plain letters, Alt combos and IME composition", () => {
    expect(matchShortcut(key("n"), false)).toBeNull();
    expect(matchShortcut(key("n", { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(matchShortcut(key("n", { ctrlKey: true, isComposing: true }), false)).toBeNull();
    expect(matchShortcut(key("Enter", { ctrlKey: true }), true)).toBeNull();
  });
});

describe("shortcut bus", () => {
  it("runs the latest handler first; false passes the shortcut on; unsubscribing removes it", () => {
    const calls: string[] = [];
    const offA = onShortcut("stop", () => void calls.push("a"));
    const offB = onShortcut("stop", () => {
      calls.push("b");
      return false;
    });
    expect(runShortcut("stop")).toBe(true);
    expect(calls).toEqual(["b", "a"]);
    offA();
    offB();
    expect(runShortcut("stop")).toBe(false);
  });
});

describe("comboLabel", () => {
  it("writes combos for the platform", () => {
    expect(comboLabel("Mod+Shift+L")).toBe("Ctrl+Shift+L");
    expect(comboLabel("Mod+Shift+L", true)).toBe("⌘⇧L");
    expect(comboLabel("F1")).toBe("F1");
  });
});
