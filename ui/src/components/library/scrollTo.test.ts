import { describe, expect, it } from "vitest";
import { estimatedScrollTop, placedScrollTop, TOP_GAP } from "./scrollTo";

describe("placing a turn at the top of the list", () => {
  const box = { scrollTop: 1000, scrollHeight: 5000, clientHeight: 800 };

  it("scrolls so the turn's top sits a small gap below the list's top", () => {
    expect(placedScrollTop(box, 300)).toBe(1300 - TOP_GAP);
    expect(placedScrollTop(box, -400)).toBe(600 - TOP_GAP);
  });

  it("never scrolls past either end", () => {
    expect(placedScrollTop(box, -2000)).toBe(0);
    expect(placedScrollTop(box, 4000)).toBe(4200);
    expect(placedScrollTop({ scrollTop: 0, scrollHeight: 500, clientHeight: 800 }, 200)).toBe(0);
  });

  it("guesses where a turn that is not rendered yet is, from its index", () => {
    expect(estimatedScrollTop(box, 0, 10)).toBe(0);
    expect(estimatedScrollTop(box, 5, 10)).toBe(2100);
    expect(estimatedScrollTop(box, -1, 10)).toBe(1000);
    expect(estimatedScrollTop(box, 3, 0)).toBe(1000);
  });
});
