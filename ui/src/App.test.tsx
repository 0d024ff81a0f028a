import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { initI18n } from "./i18n";
import type { Conversation, JobUpdate } from "./api/types";
import { channels, emitEvent, handlers, invoke, resetTauriMocks } from "./test/tauriMock";
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

function baseHandlers(settings = makeSettings()) {
  handlers["get_settings"] = () => settings;
  handlers["app_info"] = () => ({ version: "9.8.7" });
  handlers["media_base_url"] = () => "http://127.0.0.1:4321/tok";
  handlers["startup_notices"] = () => [];
  handlers["running_jobs"] = () => [];
  handlers["list_conversations"] = () => [];
}

beforeEach(() => {
  resetTauriMocks();
  clearToasts();
  jobStore.reset();
  baseHandlers();
});
afterEach(cleanup);

describe("first run", () => {
  beforeEach(() => {
    baseHandlers(makeSettings({ onboarded: false, has_key: false, key_hint: null }));
  });

  it("tests the connection and says plainly what worked", async () => {
    handlers["test_connection"] = () => ({ ok: true, models: ["sora-2", "sora-2-pro"], error: null });
    render(<App />);
    await screen.findByTestId("welcome");
    expect((screen.getByTestId("connect-base-url") as HTMLInputElement).value).toBe("https://new.22codex.xyz");
    expect(screen.getByTestId("app-version").textContent).toBe("Version 9.8.7");
    fireEvent.change(screen.getByTestId("connect-api-key"), { target: { value: "sk-test" } });
    fireEvent.click(screen.getByTestId("connect-test"));
    expect((await screen.findByTestId("connect-result")).textContent).toBe(
      "Connected. 2 models available: sora-2, sora-2-pro",
    );
    expect(invoke).toHaveBeenCalledWith("test_connection", { baseUrl: "https://new.22codex.xyz", apiKey: "sk-test" });
  });

  it("says what is wrong, localized by kind", async () => {
    handlers["test_connection"] = () => ({
      ok: false,
      models: [],
      error: { kind: "auth", message: "无效的令牌", retry_after_secs: null },
    });
    render(<App />);
    fireEvent.change(await screen.findByTestId("connect-api-key"), { target: { value: "sk-bad" } });
    fireEvent.click(screen.getByTestId("connect-test"));
    const result = await screen.findByTestId("connect-result");
    expect(result.textContent).toContain("Could not connect. The API key is invalid or expired.");
    expect(result.textContent).toContain("无效的令牌");
  });

  it("refuses a base URL that is not http(s) before calling the backend", async () => {
    render(<App />);
    fireEvent.change(await screen.findByTestId("connect-base-url"), { target: { value: "ftp://x" } });
    fireEvent.change(screen.getByTestId("connect-api-key"), { target: { value: "sk" } });
    fireEvent.click(screen.getByTestId("connect-test"));
    expect((await screen.findByTestId("connect-result")).textContent).toContain("http://");
    expect(invoke).not.toHaveBeenCalledWith("test_connection", expect.anything());
  });

  it("saves the key and opens the app", async () => {
    handlers["update_settings"] = () => makeSettings({ onboarded: false, has_key: false });
    handlers["set_api_key"] = () => makeSettings();
    render(<App />);
    fireEvent.change(await screen.findByTestId("connect-api-key"), { target: { value: "sk-live" } });
    fireEvent.click(screen.getByTestId("connect-save"));
    await screen.findByTestId("new-chat");
    expect(invoke).toHaveBeenCalledWith("set_api_key", { key: "sk-live" });
    expect(invoke).toHaveBeenCalledWith("update_settings", { patch: { base_url: "https://new.22codex.xyz" } });
    expect(screen.queryByTestId("demo-badge")).toBeNull();
  });

  it("tries the demo", async () => {
    handlers["start_demo"] = () => makeSettings({ demo: true, has_key: false });
    render(<App />);
    fireEvent.click(await screen.findByTestId("try-demo"));
    expect((await screen.findByTestId("demo-badge")).textContent).toBe("Demo");
  });
});

describe("chatting", () => {
  let conv: Conversation;
  beforeEach(() => {
    conv = makeConversation({ id: "c_1", title: "Dancing" });
    handlers["list_conversations"] = () => [
      { id: "c_1", title: "Dancing", updated_at: Date.now(), running: false, versions: 0, last_prompt: null, preview: null },
    ];
    handlers["get_conversation"] = () => conv;
  });

  it("sends a message and follows its job's channel", async () => {
    handlers["send_message"] = (args) => {
      const turn = makeTurn({ id: "t_9", prompt: String(args?.["prompt"]) });
      conv = { ...conv, turns: [turn] };
      return turn;
    };
    render(<App />);
    const item = await screen.findByTestId("conversation-item");
    expect(item.dataset["id"]).toBe("c_1");
    expect(item.dataset["running"]).toBe("false");
    fireEvent.click(within(item).getByText("Dancing"));
    await screen.findByTestId("empty-chat");
    expect(screen.getByTestId("next-target").textContent).toBe("Will make a new video");

    // An example fills the composer.
    fireEvent.click(screen.getAllByTestId("example-prompt")[0]!);
    const input = screen.getByTestId("composer-input") as HTMLTextAreaElement;
    expect(input.value).toBe("A cow and a horse dancing in a meadow, HD");
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });

    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith(
        "send_message",
        expect.objectContaining({ conversationId: "c_1", prompt: "A cow and a horse dancing in a meadow, HD", model: "sora-2", parent: null }),
      ),
    );
    const turn = await screen.findByTestId("turn");
    expect(turn.dataset["status"]).toBe("running");
    expect(await screen.findByTestId("stop-button")).toBeTruthy();
    expect(input.value).toBe("");

    const channel = channels.at(-1)!;
    const push = (u: Partial<JobUpdate> & { turn: JobUpdate["turn"] }) =>
      act(() => channel.onmessage({ conversation_id: "c_1", done: false, save_error: null, ...u }));
    push({ turn: runningTurn(20, { id: "t_9" }) });
    push({ turn: runningTurn(63, { id: "t_9", content: "longer content…" }) });
    await waitFor(() => expect(screen.getByTestId("progress").getAttribute("aria-valuenow")).toBe("63"));

    const done = succeededTurn({ id: "t_9" });
    conv = { ...conv, head: "t_9", turns: [done] };
    push({ turn: done, done: true });
    await waitFor(() => expect(screen.getByTestId("turn").dataset["status"]).toBe("succeeded"));
    expect(screen.getByTestId("turn").dataset["version"]).toBe("1");
    expect(screen.getByTestId("video-player").dataset["src"]).toBe("http://127.0.0.1:4321/tok/c_1/t_1.mp4");
    await waitFor(() => expect(screen.getByTestId("next-target").textContent).toContain("Will change v1"));
    expect(screen.getByTestId("send-button")).toBeTruthy();
  });

  it("a command error becomes a localized toast", async () => {
    handlers["send_message"] = () => {
      throw { kind: "no_key", message: "no API key is set", retry_after_secs: null };
    };
    handlers["open_settings"] = () => null;
    render(<App />);
    fireEvent.click(within(await screen.findByTestId("conversation-item")).getByText("Dancing"));
    const input = screen.getByTestId("composer-input");
    fireEvent.change(input, { target: { value: "hello" } });
    fireEvent.click(screen.getByTestId("send-button"));
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("No API key is set.");
    expect(toast.dataset["kind"]).toBe("no_key");
    fireEvent.click(within(toast).getByText("Open settings"));
    expect(await screen.findByTestId("settings-dialog")).toBeTruthy();
  });

  it("retry asks first, then sends the same prompt with the same parent", async () => {
    const v1 = succeededTurn({ id: "t_1" });
    const broken = runningTurn(40, { id: "t_2", parent: "t_1", prompt: "让牛的头上顶着光圈", status: "interrupted", failure: fail("timeout", "idle") });
    conv = { ...conv, head: "t_1", turns: [v1, broken] };
    handlers["send_message"] = () => makeTurn({ id: "t_3", parent: "t_1", prompt: "让牛的头上顶着光圈" });
    render(<App />);
    fireEvent.click(within(await screen.findByTestId("conversation-item")).getByText("Dancing"));
    const turns = await screen.findAllByTestId("turn");
    expect(turns).toHaveLength(2);
    expect(within(turns[1]!).getByTestId("remix-of").textContent).toBe("Remix of v1");

    fireEvent.click(within(turns[1]!).getByTestId("retry"));
    fireEvent.click(await screen.findByTestId("confirm-cancel"));
    expect(invoke).not.toHaveBeenCalledWith("send_message", expect.anything());

    fireEvent.click(within(turns[1]!).getByTestId("retry"));
    expect((await screen.findByTestId("confirm-dialog")).textContent).toContain("NEW PAID generation");
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith(
        "send_message",
        expect.objectContaining({ conversationId: "c_1", prompt: "让牛的头上顶着光圈", parent: "t_1", model: "sora-2" }),
      ),
    );
    expect(invoke).toHaveBeenCalledTimes(invoke.mock.calls.length); // nothing else re-sent
    expect(invoke.mock.calls.filter(([c]) => c === "send_message")).toHaveLength(1);
  });

  it("continue from here and make-new-video move the head", async () => {
    const v1 = succeededTurn({ id: "t_1" });
    const v2 = succeededTurn({ id: "t_2", parent: "t_1", version: 2 });
    conv = { ...conv, head: "t_2", turns: [v1, v2] };
    handlers["set_head"] = (args) => (conv = { ...conv, head: (args?.["turnId"] as string | null) ?? null });
    render(<App />);
    fireEvent.click(within(await screen.findByTestId("conversation-item")).getByText("Dancing"));
    await waitFor(() => expect(screen.getByTestId("next-target").textContent).toContain("Will change v2"));
    const [first] = screen.getAllByTestId("turn");
    fireEvent.click(within(first!).getByTestId("continue-from-here"));
    await waitFor(() => expect(screen.getByTestId("next-target").textContent).toContain("Will change v1"));
    expect(invoke).toHaveBeenCalledWith("set_head", { conversationId: "c_1", turnId: "t_1" });
    fireEvent.click(screen.getByText("Make a new video instead"));
    await waitFor(() => expect(screen.getByTestId("next-target").textContent).toBe("Will make a new video"));
  });

  it("deletes a conversation only after confirming", async () => {
    handlers["delete_conversation"] = () => null;
    render(<App />);
    fireEvent.click(within(await screen.findByTestId("conversation-item")).getByTestId("delete-conversation"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("delete_conversation", { id: "c_1" }));
  });

  it("renames inline", async () => {
    handlers["rename_conversation"] = (args) => ({ ...conv, title: String(args?.["title"]) });
    render(<App />);
    fireEvent.click(within(await screen.findByTestId("conversation-item")).getByTestId("rename-conversation"));
    const input = screen.getByTestId("rename-input");
    fireEvent.change(input, { target: { value: "Cows" } });
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("rename_conversation", { id: "c_1", title: "Cows" }));
  });

  it("searches through list_conversations", async () => {
    render(<App />);
    await screen.findByTestId("conversation-item");
    fireEvent.change(screen.getByTestId("sidebar-search"), { target: { value: " 牛 " } });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("list_conversations", { query: "牛" }));
  });

  it("marks running conversations from jobs-changed", async () => {
    render(<App />);
    const item = await screen.findByTestId("conversation-item");
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("running_jobs", undefined));
    act(() => emitEvent("jobs-changed", { running: [["c_1", "t_5"]] }));
    await waitFor(() => expect(item.dataset["running"]).toBe("true"));
  });
});

describe("closing while generating", () => {
  it("asks, then quits", async () => {
    handlers["quit_app"] = () => null;
    render(<App />);
    await screen.findByTestId("new-chat");
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("startup_notices", undefined));
    act(() => emitEvent("close-requested", null));
    expect((await screen.findByTestId("confirm-dialog")).textContent).toContain("closing stops them");
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("quit_app", undefined));
  });
});

describe("settings", () => {
  it("opens from the header and validates the base URL", async () => {
    handlers["update_settings"] = () => makeSettings();
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    const dialog = await screen.findByTestId("settings-dialog");
    expect(within(dialog).getByTestId("settings-key-hint").textContent).toContain("sk-…a1b2");
    const url = within(dialog).getByTestId("settings-base-url");
    fireEvent.change(url, { target: { value: "new.22codex.xyz" } });
    fireEvent.keyDown(url, { key: "Enter" });
    expect(await within(dialog).findByText("The address must start with http:// or https://")).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith("update_settings", expect.anything());
    fireEvent.click(within(dialog).getByTestId("settings-close"));
    await waitFor(() => expect(screen.queryByTestId("settings-dialog")).toBeNull());
  });

  it("switches theme and language at once", async () => {
    handlers["update_settings"] = (args) => makeSettings(args?.["patch"] as object);
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    const dialog = await screen.findByTestId("settings-dialog");
    fireEvent.click(within(within(dialog).getByTestId("settings-theme")).getByText("Dark"));
    await waitFor(() => expect(document.documentElement.dataset["theme"]).toBe("dark"));
    expect(invoke).toHaveBeenCalledWith("update_settings", { patch: { theme: "dark" } });
    fireEvent.click(within(within(dialog).getByTestId("settings-language")).getByText("中文"));
    await waitFor(() => expect(screen.getByTestId("settings-dialog").textContent).toContain("设置"));
    expect(document.documentElement.lang).toBe("zh-CN");
    await act(async () => {
      const { default: i18n } = await import("./i18n");
      await i18n.changeLanguage("en");
    });
    document.documentElement.removeAttribute("data-theme");
  });

  it("notes when the key is kept in a file", async () => {
    baseHandlers(makeSettings({ key_storage: "file" }));
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-settings"));
    expect((await screen.findByTestId("key-file-note")).textContent).toContain("No system keychain");
  });
});
