import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { initI18n } from "../i18n";
import type { Conversation, ImageAttachment, ModelList } from "../api/types";
import { handlers, invoke, resetTauriMocks } from "../test/tauriMock";
import { fail, makeConversation, makeSettings, makeTurn } from "../test/fixtures";
import { clearToasts } from "../state/toasts";
import { jobStore } from "../state/jobs";
import { resetModelCache } from "../hooks/useModels";
import App from "../App";

type DropHandler = (event: { payload: { type: string; paths?: string[] } }) => void;
const drop: { handler: DropHandler | null } = { handler: null };

vi.mock("@tauri-apps/api/core", async () => (await import("../test/tauriMock")).coreModule);
vi.mock("@tauri-apps/api/event", async () => (await import("../test/tauriMock")).eventModule);
vi.mock("@tauri-apps/plugin-clipboard-manager", async () => (await import("../test/tauriMock")).clipboardModule);
vi.mock("@tauri-apps/plugin-dialog", async () => (await import("../test/tauriMock")).dialogModule);
vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (h: DropHandler) => {
      drop.handler = h;
      return () => {
        if (drop.handler === h) drop.handler = null;
      };
    },
  }),
}));

const BASE = "http://127.0.0.1:4321/tok";
const STAGED: ImageAttachment = {
  file: "staged/a_0123456789ab.jpg",
  mime: "image/jpeg",
  width: 2048,
  height: 1365,
  bytes: 412_000,
  downscaled: true,
};

beforeAll(() => {
  initI18n("en");
});

let conv: Conversation;
beforeEach(() => {
  resetTauriMocks();
  resetModelCache();
  clearToasts();
  jobStore.reset();
  drop.handler = null;
  conv = makeConversation({ id: "c_1", title: "Cats" });
  handlers["get_settings"] = () => makeSettings();
  handlers["app_info"] = () => ({ version: "1" });
  handlers["media_base_url"] = () => BASE;
  handlers["startup_notices"] = () => [];
  handlers["running_jobs"] = () => [];
  handlers["list_conversations"] = () => [
    { id: "c_1", title: "Cats", updated_at: Date.now(), running: false, versions: 0, last_prompt: null, preview: null },
  ];
  handlers["get_conversation"] = () => conv;
  handlers["list_library"] = () => [];
});
afterEach(cleanup);

async function openChat() {
  render(<App />);
  fireEvent.click(within(await screen.findByTestId("conversation-item")).getByText("Cats"));
  await screen.findByTestId("composer-input");
}

function picker() {
  return screen.getByTestId("model-picker") as HTMLSelectElement;
}

describe("the model picker", () => {
  it("shows the server's models: video ones first with friendly names, others under Other", async () => {
    const list: ModelList = {
      models: [
        { id: "sora-2", video: true },
        { id: "sora-2-pro", video: true },
        { id: "sora-2-hd", video: true },
        { id: "gpt-4o", video: false },
      ],
      fallback: false,
      error: null,
    };
    handlers["list_models"] = () => list;
    await openChat();
    await waitFor(() => expect(picker().options).toHaveLength(4));
    const groups = [...picker().querySelectorAll("optgroup")].map((g) => [
      g.label,
      [...g.querySelectorAll("option")].map((o) => o.textContent),
    ]);
    expect(groups).toEqual([
      ["Video models", ["sora-2 · Standard · 10 s", "sora-2-pro · HD · 15 s", "sora-2-hd"]],
      ["Other", ["gpt-4o"]],
    ]);
    expect(picker().options[0]!.title).toBe("sora-2: 10-second videos in standard definition.");
    expect(screen.queryByTestId("models-fallback")).toBeNull();
    expect(invoke).toHaveBeenCalledWith("list_models", { refresh: true });
  });

  it("falls back to sora-2 and sora-2-pro, and says so, when the list is unavailable", async () => {
    handlers["list_models"] = () => ({
      models: [
        { id: "sora-2", video: true },
        { id: "sora-2-pro", video: true },
      ],
      fallback: true,
      error: { kind: "network", message: "connection refused", retry_after_secs: null },
    });
    await openChat();
    const note = await screen.findByTestId("models-fallback");
    expect(note.title).toBe("The server's model list is unavailable: showing the default models.");
    expect([...picker().options].map((o) => o.value)).toEqual(["sora-2", "sora-2-pro"]);
  });

  it("speaks Chinese", async () => {
    const i18n = initI18n("zh-CN");
    handlers["get_settings"] = () => makeSettings({ language: "zh-CN" });
    await openChat();
    expect([...picker().options].map((o) => o.textContent)).toEqual(["sora-2 · 标准 · 10 秒", "sora-2-pro · 高清 · 15 秒"]);
    await act(async () => {
      await i18n.changeLanguage("en");
    });
  });
});

describe("image to video", () => {
  it("a dropped image becomes a chip, goes with the message, and shows on the bubble", async () => {
    handlers["attach_image"] = () => STAGED;
    handlers["send_message"] = (args) => {
      const turn = makeTurn({ id: "t_9", prompt: String(args?.["prompt"]), image: { ...STAGED, file: "c_1/t_9-input.jpg" } });
      conv = { ...conv, turns: [turn] };
      return turn;
    };
    await openChat();
    await waitFor(() => expect(drop.handler).not.toBeNull());
    act(() => drop.handler!({ payload: { type: "over" } }));
    expect(screen.getByTestId("drop-overlay").textContent).toBe("Drop the image to attach it");
    act(() => drop.handler!({ payload: { type: "drop", paths: ["/home/me/cat.png", "/home/me/dog.png"] } }));
    expect(screen.queryByTestId("drop-overlay")).toBeNull();
    const chip = await screen.findByTestId("attachment-chip");
    expect(invoke).toHaveBeenCalledWith("attach_image", { path: "/home/me/cat.png" });
    expect(chip.textContent).toContain("2048 × 1365 · 402 KB");
    expect(chip.textContent).toContain("scaled down to fit");
    expect(screen.getByTestId("attachment-thumb").getAttribute("src")).toBe(`${BASE}/staged/a_0123456789ab.jpg`);
    expect((await screen.findByTestId("toast")).textContent).toContain("Only one image per message");
    expect((screen.getByTestId("composer-input") as HTMLTextAreaElement).placeholder).toBe(
      "Describe how the image should come to life…",
    );

    fireEvent.change(screen.getByTestId("composer-input"), { target: { value: "让猫跳舞" } });
    fireEvent.click(screen.getByTestId("send-button"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith(
        "send_message",
        expect.objectContaining({ conversationId: "c_1", prompt: "让猫跳舞", image: STAGED.file }),
      ),
    );
    await waitFor(() => expect(screen.queryByTestId("attachment-chip")).toBeNull());
    const bubbleImage = await screen.findByTestId("user-image");
    expect(bubbleImage.getAttribute("src")).toBe(`${BASE}/c_1/t_9-input.jpg`);
    expect(bubbleImage.getAttribute("alt")).toBe("Attached image");
  });

  it("the paperclip opens the picker; the chip can be removed; a text message sends no image", async () => {
    handlers["pick_image"] = () => STAGED;
    handlers["send_message"] = () => makeTurn({ id: "t_2" });
    await openChat();
    fireEvent.click(screen.getByTestId("attach-button"));
    await screen.findByTestId("attachment-chip");
    expect(invoke).toHaveBeenCalledWith("pick_image", { filterName: "Images" });
    fireEvent.click(screen.getByTestId("attachment-remove"));
    expect(screen.queryByTestId("attachment-chip")).toBeNull();
    fireEvent.change(screen.getByTestId("composer-input"), { target: { value: "a cat" } });
    fireEvent.click(screen.getByTestId("send-button"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("send_message", expect.objectContaining({ prompt: "a cat", image: null })),
    );
  });

  it("a cancelled picker changes nothing; a refused file is a toast", async () => {
    handlers["pick_image"] = () => null;
    await openChat();
    fireEvent.click(screen.getByTestId("attach-button"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("pick_image", expect.anything()));
    // The button is busy until the (cancelled) picker's answer is handled; a click before that is ignored.
    await waitFor(() => expect((screen.getByTestId("attach-button") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("attachment-chip")).toBeNull();
    handlers["pick_image"] = () => {
      throw { kind: "invalid_input", message: "not a PNG, JPEG or WebP image", retry_after_secs: null };
    };
    fireEvent.click(screen.getByTestId("attach-button"));
    expect((await screen.findByTestId("toast")).textContent).toContain("not a PNG, JPEG or WebP image");
  });

  it("a server that refuses arrays gets a clear message, and retry re-sends the image", async () => {
    const refused = makeTurn({
      id: "t_1",
      prompt: "让猫跳舞",
      status: "failed",
      failure: fail("image_rejected", "messages[0].content must be a string"),
      image: { ...STAGED, file: "c_1/t_1-input.jpg" },
    });
    conv = { ...conv, turns: [refused] };
    handlers["send_message"] = () => makeTurn({ id: "t_2" });
    await openChat();
    const message = await screen.findByTestId("error-message");
    expect(message.dataset["kind"]).toBe("image_rejected");
    expect(message.textContent).toContain("does not accept images");
    fireEvent.click(screen.getByTestId("retry"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith(
        "send_message",
        expect.objectContaining({ prompt: "让猫跳舞", image: "c_1/t_1-input.jpg" }),
      ),
    );
  });
});
