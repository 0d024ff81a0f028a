import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { initI18n } from "../../i18n";
import type { TurnRecord } from "../../api/types";
import { handlers, resetTauriMocks } from "../../test/tauriMock";
import { renderWithApp } from "../../test/render";
import { succeededTurn } from "../../test/fixtures";
import { TurnView } from "../TurnView";
import { focusStore } from "../library/focus";
import { makeItem, sampleLibrary } from "../library/fixtures";
import { CompareProvider } from "./CompareProvider";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/tauriMock")).coreModule);
vi.mock("@tauri-apps/plugin-clipboard-manager", async () => (await import("../../test/tauriMock")).clipboardModule);

beforeAll(() => {
  initI18n("en");
});
beforeEach(() => {
  resetTauriMocks();
  focusStore.clear();
  handlers["list_library"] = () => sampleLibrary();
});
afterEach(cleanup);

function turnView(turn: TurnRecord) {
  return renderWithApp(
    <CompareProvider refreshKey={0}>
      <TurnView
        conversationId="c_1"
        turn={turn}
        isHead={false}
        parentVersion={null}
        onContinue={vi.fn()}
        onRetry={vi.fn()}
        onChanged={vi.fn()}
      />
    </CompareProvider>,
  );
}

const v3 = () =>
  succeededTurn({
    id: "t_3",
    version: 3,
    parent: "t_1",
    prompt: "换成夜景",
    media: { video: "c_1/t_3.mp4", preview: "c_1/t_3-poster.webp", state: "done", error: null },
  });

describe("compare from a version's card", () => {
  it("offers “Compare with…” and opens the compare view with the version it changed", async () => {
    turnView(v3());
    const button = await screen.findByTestId("compare-with");
    expect(button.textContent).toBe("Compare with…");
    await act(async () => {
      fireEvent.click(button);
    });
    const dialog = await screen.findByTestId("compare-dialog");
    expect(dialog.querySelector('[data-testid="compare-left"]')?.getAttribute("data-turn-id")).toBe("t_3");
    expect(dialog.querySelector('[data-testid="compare-right"]')?.getAttribute("data-turn-id")).toBe("t_1");
  });

  it("is not offered when there is no other version", async () => {
    handlers["list_library"] = () => [makeItem({ turn_id: "t_3", version: 3 })];
    turnView(v3());
    await waitFor(() => expect(screen.getByTestId("video-player")).toBeTruthy());
    await act(async () => undefined);
    expect(screen.queryByTestId("compare-with")).toBeNull();
  });
});

describe("a version deleted from the library", () => {
  it("stays in the chat without a player, says why, and cannot be compared", async () => {
    const turn = v3();
    turnView({ ...turn, media: { video: null, preview: null, state: "none", error: null, removed_at: 1_760_000_500_000 } });
    expect(screen.getByTestId("version-badge").textContent).toBe("v3");
    expect(screen.getByTestId("media-removed").textContent).toContain("Deleted from the library");
    expect(screen.queryByTestId("video-player")).toBeNull();
    await act(async () => undefined);
    expect(screen.queryByTestId("compare-with")).toBeNull();
  });
});

describe("a version opened from the library", () => {
  it("is highlighted until the highlight ends", () => {
    turnView(v3());
    const turn = screen.getByTestId("turn");
    expect(turn.getAttribute("data-focused")).toBeNull();
    act(() => focusStore.set("c_1", "t_3"));
    expect(turn.getAttribute("data-focused")).toBe("true");
    expect(turn.classList.contains("is-focused")).toBe(true);
    act(() => focusStore.set("c_1", "t_other"));
    expect(turn.getAttribute("data-focused")).toBeNull();
    act(() => focusStore.clear());
  });
});
