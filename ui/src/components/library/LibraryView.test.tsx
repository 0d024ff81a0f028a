import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { initI18n } from "../../i18n";
import type { LibraryItem } from "../../api/types";
import { handlers, invoke, resetTauriMocks } from "../../test/tauriMock";
import { renderWithApp } from "../../test/render";
import { clearToasts } from "../../state/toasts";
import { Toasts } from "../Toasts";
import { CompareProvider } from "../compare/CompareProvider";
import { LibraryView } from "./LibraryView";
import { sampleLibrary } from "./fixtures";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/tauriMock")).coreModule);

let library: LibraryItem[];

beforeAll(() => {
  initI18n("en");
});
beforeEach(() => {
  resetTauriMocks();
  clearToasts();
  library = sampleLibrary();
  handlers["list_library"] = () => library;
  handlers["delete_library_item"] = (args) => {
    library = library.filter((i) => i.turn_id !== args?.["turnId"]);
    return null;
  };
});
afterEach(cleanup);

function mount(over: { onOpen?: (i: LibraryItem) => void; onNewChat?: () => void } = {}) {
  const onOpen = over.onOpen ?? vi.fn();
  const onNewChat = over.onNewChat ?? vi.fn();
  const r = renderWithApp(
    <CompareProvider refreshKey={0}>
      <LibraryView refreshKey={0} onOpen={onOpen} onNewChat={onNewChat} />
      <Toasts />
    </CompareProvider>,
  );
  return { ...r, onOpen, onNewChat };
}

const cards = () => screen.queryAllByTestId("library-card");
const cardOf = (turnId: string) => cards().find((c) => c.getAttribute("data-turn-id") === turnId)!;

describe("LibraryView", () => {
  it("shows every video as a card: poster from the local media server, prompt, version, model, date", async () => {
    mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    expect(screen.getByTestId("library-count").textContent).toBe("4 videos");
    const v2 = cardOf("t_2");
    expect(within(v2).getByTestId("library-version").textContent).toBe("v2");
    expect(within(v2).getByTestId("library-prompt").textContent).toBe("让牛的头上顶着光圈");
    expect(v2.textContent).toContain("sora-2");
    expect(v2.textContent).toContain("牛马跳舞");
    expect(v2.querySelector("time")?.getAttribute("dateTime")).toMatch(/^2025-/);
    expect(v2.querySelector("img")?.getAttribute("src")).toBe("http://127.0.0.1:4321/tok/c_1/t_2-poster.webp");
    // No poster anywhere: a placeholder, and no <video> in the grid at all.
    expect(cardOf("t_b1").querySelector("img")).toBeNull();
    expect(document.querySelector(".library-grid video")).toBeNull();
  });

  it("search and the filters narrow the grid; clearing them brings everything back", async () => {
    mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    fireEvent.change(screen.getByTestId("library-search"), { target: { value: "光圈" } });
    expect(cards().map((c) => c.getAttribute("data-turn-id"))).toEqual(["t_2"]);
    fireEvent.change(screen.getByTestId("library-search"), { target: { value: "" } });
    fireEvent.change(screen.getByTestId("library-model"), { target: { value: "sora-2-pro" } });
    expect(cards().map((c) => c.getAttribute("data-turn-id"))).toEqual(["t_b1"]);
    fireEvent.change(screen.getByTestId("library-chat"), { target: { value: "c_1" } });
    expect(cards()).toHaveLength(0);
    expect(screen.getByTestId("library-no-match").textContent).toContain("No videos match these filters.");
    fireEvent.click(within(screen.getByTestId("library-no-match")).getByRole("button", { name: "Clear filters" }));
    expect(cards()).toHaveLength(4);
  });

  it("clicking a card opens that version", async () => {
    const { onOpen } = mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    fireEvent.click(within(cardOf("t_3")).getByRole("button", { name: "Open v3 in its chat" }));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ conversation_id: "c_1", turn_id: "t_3" }));
  });

  it("deletes only after confirmation, then the card is gone and the chat is told", async () => {
    const { ctx } = mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    fireEvent.click(within(cardOf("t_2")).getByTestId("library-delete"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("Delete v2 from the library?");
    expect(dialog.textContent).toContain("saved on this computer will be deleted");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).toBeNull());
    expect(invoke).not.toHaveBeenCalledWith("delete_library_item", expect.anything());
    expect(cards()).toHaveLength(4);

    fireEvent.click(within(cardOf("t_2")).getByTestId("library-delete"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(cards()).toHaveLength(3));
    expect(invoke).toHaveBeenCalledWith("delete_library_item", { conversationId: "c_1", turnId: "t_2" });
    expect(cards().some((c) => c.getAttribute("data-turn-id") === "t_2")).toBe(false);
    expect(ctx.refreshList).toHaveBeenCalled();
  });

  it("a failed delete keeps the card and says why", async () => {
    handlers["delete_library_item"] = () => {
      throw { kind: "busy", message: "this video is still being generated or saved", retry_after_secs: null };
    };
    mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    fireEvent.click(within(cardOf("t_1")).getByTestId("library-delete"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    expect(await screen.findByText("This video is still being saved. Try again in a moment.")).toBeTruthy();
    expect(cards()).toHaveLength(4);
  });

  it("says what to do when there are no videos yet", async () => {
    library = [];
    const { onNewChat } = mount();
    const empty = await screen.findByTestId("library-empty");
    expect(empty.textContent).toContain("No videos yet");
    expect(empty.textContent).toContain("Start a chat and describe a video");
    expect(screen.queryByTestId("library-search")).toBeNull();
    fireEvent.click(screen.getByTestId("library-new-chat"));
    expect(onNewChat).toHaveBeenCalled();
  });

  it("selecting two videos enables compare, which shows both side by side", async () => {
    mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    const compare = screen.getByTestId("library-compare");
    expect(compare).toHaveProperty("disabled", true);
    fireEvent.click(within(cardOf("t_3")).getByTestId("library-select"));
    expect(compare).toHaveProperty("disabled", true);
    expect(screen.getByText("1 of 2 selected")).toBeTruthy();
    fireEvent.click(within(cardOf("t_b1")).getByTestId("library-select"));
    fireEvent.click(within(cardOf("t_1")).getByTestId("library-select")); // a third replaces the oldest
    expect(cards().filter((c) => c.classList.contains("is-selected")).map((c) => c.getAttribute("data-turn-id"))).toEqual([
      "t_b1",
      "t_1",
    ]);
    await act(async () => {
      fireEvent.click(compare);
    });
    const dialog = await screen.findByTestId("compare-dialog");
    expect(within(dialog).getByTestId("compare-left").getAttribute("data-turn-id")).toBe("t_b1");
    expect(within(dialog).getByTestId("compare-right").getAttribute("data-turn-id")).toBe("t_1");
    expect((within(dialog).getByTestId("compare-pick-right") as HTMLSelectElement).selectedOptions[0]?.textContent).toBe("v1 · 生成一段高清的,牛马跳舞的视频");
  });
});

describe("LibraryView in Chinese", () => {
  afterEach(() => {
    initI18n("en");
  });
  it("has every string", async () => {
    initI18n("zh-CN");
    mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("视频库");
    expect(screen.getByTestId("library-count").textContent).toBe("4 个视频");
    expect((screen.getByTestId("library-search") as HTMLInputElement).placeholder).toBe("搜索提示词和对话");
    expect(within(cardOf("t_2")).getByTestId("library-delete").getAttribute("aria-label")).toBe("删除 v2");
  });
});

describe("accessibility (axe)", { timeout: 30_000 }, () => {
  async function violations(): Promise<string[]> {
    const axe = (await import("axe-core")).default;
    const res = await axe.run(document, {
      rules: { "color-contrast": { enabled: false }, region: { enabled: false } },
      resultTypes: ["violations"],
    });
    return res.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} — ${v.help}`));
  }

  it("the grid, its filters and the compare view have labelled controls", async () => {
    document.title = "ReelChat"; // as index.html has
    mount();
    await waitFor(() => expect(cards()).toHaveLength(4));
    expect(await violations()).toEqual([]);
    fireEvent.click(within(cardOf("t_3")).getByTestId("library-select"));
    fireEvent.click(within(cardOf("t_1")).getByTestId("library-select"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("library-compare"));
    });
    await screen.findByTestId("compare-dialog");
    expect(await violations()).toEqual([]);
  });
});
