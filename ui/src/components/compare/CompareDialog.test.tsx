import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { initI18n } from "../../i18n";
import { resetTauriMocks } from "../../test/tauriMock";
import { renderWithApp } from "../../test/render";
import { CompareDialog } from "./CompareDialog";
import { makeItem, sampleLibrary } from "../library/fixtures";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/tauriMock")).coreModule);

// jsdom's media elements neither load nor play: give them a duration and a play() that starts them.
const durations = new Map<string, number>();
beforeAll(() => {
  initI18n("en");
});
beforeEach(() => {
  resetTauriMocks();
  durations.clear();
  const proto = HTMLMediaElement.prototype;
  vi.spyOn(proto, "duration", "get").mockImplementation(function (this: HTMLMediaElement) {
    return durations.get(this.getAttribute("src") ?? "") ?? NaN;
  });
  const paused = new WeakMap<HTMLMediaElement, boolean>();
  vi.spyOn(proto, "paused", "get").mockImplementation(function (this: HTMLMediaElement) {
    return paused.get(this) ?? true;
  });
  vi.spyOn(proto, "play").mockImplementation(function (this: HTMLMediaElement) {
    paused.set(this, false);
    return Promise.resolve();
  });
  vi.spyOn(proto, "pause").mockImplementation(function (this: HTMLMediaElement) {
    paused.set(this, true);
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const BASE = "http://127.0.0.1:4321/tok";

function videos() {
  return [screen.getByTestId("compare-video-left"), screen.getByTestId("compare-video-right")] as [HTMLVideoElement, HTMLVideoElement];
}

/** The side's label: the version picker's chosen entry. */
function label(side: "left" | "right") {
  return (screen.getByTestId(`compare-pick-${side}`) as HTMLSelectElement).selectedOptions[0]?.textContent;
}

function mountLoaded(left = "t_3", right = "t_1") {
  const items = sampleLibrary();
  durations.set(`${BASE}/c_1/t_3.mp4`, 10);
  durations.set(`${BASE}/c_1/t_1.mp4`, 15);
  durations.set(`${BASE}/c_1/t_2.mp4`, 10);
  const onClose = vi.fn();
  renderWithApp(<CompareDialog items={items} leftId={left} rightId={right} onClose={onClose} />);
  for (const v of videos()) fireEvent(v, new Event("loadedmetadata"));
  return { onClose };
}

describe("CompareDialog", () => {
  it("labels each side with its version and prompt, playing the local copies", () => {
    mountLoaded();
    expect(label("left")).toBe("v3 · 换成夜景");
    expect(label("right")).toBe("v1 · 生成一段高清的,牛马跳舞的视频");
    expect(screen.getByTestId("compare-meta-right").textContent).toContain("牛马跳舞 · sora-2 · ");
    const [a, b] = videos();
    expect(a.getAttribute("src")).toBe(`${BASE}/c_1/t_3.mp4`);
    expect(b.getAttribute("src")).toBe(`${BASE}/c_1/t_1.mp4`);
    // The shared timeline is the longer video's.
    expect(screen.getByTestId("compare-time").textContent).toBe("0:00 / 0:15");
    expect((screen.getByTestId("compare-seek") as HTMLInputElement).max).toBe("15");
  });

  it("one button plays and pauses both", async () => {
    mountLoaded();
    const [a, b] = videos();
    const play = screen.getByTestId("compare-play");
    expect(play.getAttribute("aria-label")).toBe("Play both");
    await act(async () => {
      fireEvent.click(play);
    });
    expect([a.paused, b.paused]).toEqual([false, false]);
    expect(play.getAttribute("aria-label")).toBe("Pause both");
    await act(async () => {
      fireEvent.click(play);
    });
    expect([a.paused, b.paused]).toEqual([true, true]);
    expect(play.getAttribute("aria-label")).toBe("Play both");
  });

  it("one seek bar moves both", () => {
    mountLoaded();
    const [a, b] = videos();
    fireEvent.change(screen.getByTestId("compare-seek"), { target: { value: "4.5" } });
    expect([a.currentTime, b.currentTime]).toEqual([4.5, 4.5]);
    expect(screen.getByTestId("compare-time").textContent).toBe("0:04 / 0:15");
  });

  it("picking another version swaps that side and stops playback", async () => {
    mountLoaded();
    await act(async () => {
      fireEvent.click(screen.getByTestId("compare-play"));
    });
    fireEvent.change(screen.getByTestId("compare-pick-right"), { target: { value: "t_2" } });
    expect(screen.getByTestId("compare-right").getAttribute("data-turn-id")).toBe("t_2");
    expect(screen.getByTestId("compare-play").getAttribute("data-playing")).toBe("false");
  });

  it("says so when a video is neither on this computer nor playable online, and keeps the controls off", () => {
    const items = [makeItem(), makeItem({ turn_id: "t_x", version: 2, video: null, video_url: null })];
    renderWithApp(<CompareDialog items={items} leftId="t_1" rightId="t_x" onClose={vi.fn()} />);
    expect(screen.getByTestId("compare-right").textContent).toContain("This video is not on this computer");
    expect(screen.getByTestId("compare-play")).toHaveProperty("disabled", true);
  });

  it("closes with the × button, pausing both", async () => {
    const { onClose } = mountLoaded();
    const [a, b] = videos();
    await act(async () => {
      fireEvent.click(screen.getByTestId("compare-play"));
    });
    fireEvent.click(screen.getByTestId("compare-close"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect([a.paused, b.paused]).toEqual([true, true]);
  });
});
