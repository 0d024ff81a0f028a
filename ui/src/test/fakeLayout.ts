import { vi } from "vitest";

// jsdom has no layout: a virtualized list reads the viewport from clientHeight and each row from
// offsetHeight, and its ResizeObserver never fires. These stand in for them.
class QuietResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

/**
 * Every element with `rowClass` is `rowHeight` px high, every viewport `viewport` px; returns a
 * function that moves the (shared) scroll position.
 */
export function fakeLayout(rowClass: string, rowHeight: number, viewport: number): (top: number) => void {
  vi.stubGlobal("ResizeObserver", QuietResizeObserver);
  let top = 0;
  vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockImplementation(function (this: HTMLElement) {
    return this.classList.contains(rowClass) ? rowHeight : 0;
  });
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(viewport);
  vi.spyOn(HTMLElement.prototype, "scrollTop", "get").mockImplementation(() => top);
  vi.spyOn(HTMLElement.prototype, "scrollTop", "set").mockImplementation((v: number) => {
    top = v;
  });
  return (v) => {
    top = v;
  };
}
