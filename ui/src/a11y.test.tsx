// Accessibility of the real screens: axe-core's rules (names, roles, labels, landmarks, ARIA) on the app as
// rendered, in both languages, plus the keyboard shortcuts. Colour contrast is checked from the theme
// variables in lib/contrast.test.ts (jsdom has no layout or computed colours for axe to use).
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import axe from "axe-core";
import { applyLanguage, initI18n } from "./i18n";
import { handlers, invoke, resetTauriMocks } from "./test/tauriMock";
import { fail, makeConversation, makeSettings, makeTurn, runningTurn, succeededTurn } from "./test/fixtures";
import { clearToasts } from "./state/toasts";
import { jobStore } from "./state/jobs";
import App from "./App";

vi.mock("@tauri-apps/api/core", async () => (await import("./test/tauriMock")).coreModule);
vi.mock("@tauri-apps/api/event", async () => (await import("./test/tauriMock")).eventModule);
vi.mock("@tauri-apps/plugin-clipboard-manager", async () => (await import("./test/tauriMock")).clipboardModule);
vi.mock("@tauri-apps/plugin-dialog", async () => (await import("./test/tauriMock")).dialogModule);

beforeAll(() => {
  initI18n("en");
});

const conv = makeConversation({
  id: "c_1",
  title: "Dancing",
  turns: [
    succeededTurn({ id: "t_1" }),
    makeTurn({ id: "t_2", status: "failed", failure: fail("auth", "无效的令牌") }),
    runningTurn(42, { id: "t_3" }),
  ],
});

beforeEach(() => {
  document.title = "ReelChat"; // as index.html has
  resetTauriMocks();
  clearToasts();
  jobStore.reset();
  handlers["get_settings"] = () => makeSettings();
  handlers["app_info"] = () => ({ version: "9.8.7" });
  handlers["media_base_url"] = () => "http://127.0.0.1:4321/tok";
  handlers["startup_notices"] = () => [];
  handlers["running_jobs"] = () => [];
  handlers["list_conversations"] = () => [
    { id: "c_1", title: "Dancing", updated_at: Date.now(), running: true, versions: 1, last_prompt: "dance", preview: null },
  ];
  handlers["get_conversation"] = () => conv;
  handlers["list_library"] = () => [];
});
afterEach(async () => {
  cleanup();
  await applyLanguage("en");
});

/** axe on the whole document; the failures, one line each, so a broken control is named in the test output. */
async function violations(): Promise<string[]> {
  const res = await axe.run(document, {
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return res.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} — ${v.help}`));
}

async function openChat() {
  render(<App />);
  fireEvent.click(within(await screen.findByTestId("conversation-item")).getByText("Dancing"));
  await screen.findAllByTestId("video-player");
}

// axe walks the whole DOM: slower than the usual test.
describe("every control is labelled and reachable (axe)", { timeout: 30_000 }, () => {
  it("first run (welcome)", async () => {
    handlers["get_settings"] = () => makeSettings({ onboarded: false, has_key: false, key_hint: null });
    render(<App />);
    await screen.findByTestId("welcome");
    expect(await violations()).toEqual([]);
  });

  it("a conversation with a video, an error and a running reply, in English and Chinese", async () => {
    await openChat();
    expect(await violations()).toEqual([]);
    await applyLanguage("zh-CN");
    await screen.findByText("新对话");
    expect(await violations()).toEqual([]);
  });

  it("the settings dialog and the shortcuts sheet", async () => {
    await openChat();
    fireEvent.click(within(document.querySelector(".app-header") as HTMLElement).getByTestId("open-settings"));
    await screen.findByTestId("settings-dialog");
    expect(await violations()).toEqual([]);
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("settings-dialog")).toBeNull());
    fireEvent.click(screen.getByTestId("open-shortcuts"));
    await screen.findByTestId("shortcuts-help");
    expect(await violations()).toEqual([]);
  });
});

describe("keyboard shortcuts", () => {
  it("F1 opens the help sheet listing every shortcut", async () => {
    await openChat();
    fireEvent.keyDown(window, { key: "F1" });
    const sheet = await screen.findByTestId("shortcuts-help");
    expect(within(sheet).getByTestId("shortcut-newChat").textContent).toContain("Ctrl+N");
    expect(within(sheet).getByTestId("shortcut-stop").textContent).toContain("Ctrl+.");
  });

  it("Ctrl+K focuses the search box, Ctrl+L the composer, Ctrl+N makes a new conversation", async () => {
    handlers["create_conversation"] = () => makeConversation({ id: "c_2" });
    await openChat();
    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("sidebar-search"));
    fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    expect(document.activeElement?.tagName).toBe("TEXTAREA");
    fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    await waitFor(() => expect(invoke.mock.calls.some(([cmd]) => cmd === "create_conversation")).toBe(true));
  });

  it("Ctrl+. stops the generation running in the open conversation", async () => {
    handlers["stop_generation"] = () => true;
    await openChat();
    fireEvent.keyDown(window, { key: ".", ctrlKey: true });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("stop_generation", { turnId: "t_3" }));
  });
});
