import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MessageList, stickAfterScroll } from "./MessageList";

// jsdom has no layout: give the list a fake one. The viewport is 500 px high; `content` is the height of
// what is inside; scrollTop is clamped like a browser does.
const layout = { content: 0, client: 500, top: 0 };
const observers: ResizeObserverCallback[] = [];

class FakeResizeObserver {
  constructor(private cb: ResizeObserverCallback) {
    observers.push(cb);
  }
  observe() {}
  unobserve() {}
  disconnect() {
    const i = observers.indexOf(this.cb);
    if (i >= 0) observers.splice(i, 1);
  }
}

beforeEach(() => {
  layout.content = 0;
  layout.client = 500;
  layout.top = 0;
  observers.length = 0;
  vi.stubGlobal("ResizeObserver", FakeResizeObserver);
  const proto = HTMLElement.prototype;
  vi.spyOn(proto, "scrollHeight", "get").mockImplementation(() => Math.max(layout.content, layout.client));
  vi.spyOn(proto, "clientHeight", "get").mockImplementation(() => layout.client);
  vi.spyOn(proto, "scrollTop", "get").mockImplementation(() => layout.top);
  vi.spyOn(proto, "scrollTop", "set").mockImplementation((v: number) => {
    layout.top = Math.min(Math.max(0, v), maxTop());
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function maxTop() {
  return Math.max(0, layout.content - layout.client);
}

function list(conversationId: string, count: number) {
  return (
    <MessageList conversationId={conversationId} count={count}>
      <div />
    </MessageList>
  );
}

function mount(count: number, content: number) {
  layout.content = content;
  const r = render(list("c_1", count));
  return { ...r, el: screen.getByTestId("message-list") };
}

/** Content changes size; the browser keeps scrollTop (clamped) and reports the resize. */
function grow(to: number) {
  layout.content = to;
  layout.top = Math.min(layout.top, maxTop());
}
function resized() {
  act(() => observers.forEach((cb) => cb([], {} as ResizeObserver)));
}
/** The reader scrolls (wheel, keys, scrollbar): the position moves, then the event comes. */
function userScroll(el: HTMLElement, top: number) {
  layout.top = Math.min(Math.max(0, top), maxTop());
  fireEvent.scroll(el);
}

describe("MessageList stays pinned to the bottom", () => {
  it("starts at the bottom", () => {
    mount(3, 2000);
    expect(layout.top).toBe(1500);
  });

  it("follows a new turn that then grows, even when the scroll event arrives after the growth", () => {
    const { el, rerender } = mount(1, 1200);
    expect(layout.top).toBe(700);
    // A new turn: pinned to its bottom at once.
    layout.content = 1600;
    rerender(list("c_1", 2));
    expect(layout.top).toBe(1100);
    // Its card grows (error box and buttons: 114 px) before the scroll event is delivered.
    grow(1714);
    fireEvent.scroll(el);
    resized();
    expect(layout.top).toBe(1214);
    expect(layout.content - layout.top - layout.client).toBe(0);
    // And keeps following as it grows more.
    grow(1800);
    resized();
    expect(layout.top).toBe(1300);
  });

  it("stops following once the reader scrolls up, and follows again back at the bottom", () => {
    const { el } = mount(2, 1500);
    expect(layout.top).toBe(1000);
    userScroll(el, 600);
    grow(1700);
    resized();
    expect(layout.top).toBe(600);
    // Scrolling down, not yet at the bottom: still free.
    userScroll(el, 900);
    grow(1750);
    resized();
    expect(layout.top).toBe(900);
    // Near the bottom: pinned again.
    userScroll(el, 1200);
    grow(1900);
    resized();
    expect(layout.top).toBe(1400);
  });

  it("a small scroll up by the reader is enough to stop following", () => {
    const { el } = mount(2, 1500);
    userScroll(el, 960);
    grow(1600);
    resized();
    expect(layout.top).toBe(960);
  });

  it("a new turn (the reader just sent a message) brings the list back to the bottom", () => {
    const { el, rerender } = mount(2, 1500);
    userScroll(el, 200);
    layout.content = 2100;
    rerender(list("c_1", 3));
    expect(layout.top).toBe(1600);
  });

  it("the list getting shorter (composer grows) keeps the bottom in view", () => {
    mount(2, 1500);
    layout.client = 400;
    resized();
    expect(layout.top).toBe(1100);
  });

  it("another conversation starts at its bottom", () => {
    const { el, rerender } = mount(2, 1500);
    userScroll(el, 100);
    layout.content = 3000;
    rerender(list("c_2", 5));
    expect(layout.top).toBe(2500);
  });
});

describe("stickAfterScroll", () => {
  const m = (scrollTop: number, scrollHeight = 2000, clientHeight = 500) => ({ scrollTop, scrollHeight, clientHeight });
  it("at the bottom: pinned", () => {
    expect(stickAfterScroll(false, 0, m(1500))).toBe(true);
    // Content shrank while pinned: the position was clamped up, still at the bottom.
    expect(stickAfterScroll(true, 1700, m(1500))).toBe(true);
  });
  it("moved up: unpinned", () => {
    expect(stickAfterScroll(true, 1500, m(1450))).toBe(false);
    expect(stickAfterScroll(true, 1500, m(200))).toBe(false);
  });
  it("content grew below a pinned position: still pinned", () => {
    expect(stickAfterScroll(true, 1386, m(1386))).toBe(true);
  });
  it("moved down near the bottom: pinned; moved down elsewhere: unchanged", () => {
    expect(stickAfterScroll(false, 800, m(1450))).toBe(true);
    expect(stickAfterScroll(false, 200, m(900))).toBe(false);
  });
});
