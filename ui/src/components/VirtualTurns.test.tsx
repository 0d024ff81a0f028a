import { fakeLayout } from "../test/fakeLayout";
import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import { MessageList } from "./MessageList";
import { VirtualTurns } from "./VirtualTurns";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const items = Array.from({ length: 1000 }, (_, i) => `turn-${i}`);

function mountList() {
  return render(
    <MessageList conversationId="c_big" count={items.length}>
      <VirtualTurns items={items} getKey={(x) => x} render={(x) => <p data-testid="row">{x}</p>} />
    </MessageList>,
  );
}

describe("VirtualTurns", () => {
  it("keeps only the rows near the viewport in the DOM for a 1000-turn conversation", async () => {
    // Each row is 600 px high once measured (the estimate is 420); the viewport is 600 px.
    const scrollTo = fakeLayout("turn-row", 600, 600);
    mountList();
    const rows = await screen.findAllByTestId("row");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(15);
    expect(rows.map((r) => r.textContent)).toContain("turn-0");
    // Scrolled far down: the rows there are rendered, the first ones are gone.
    await act(async () => {
      scrollTo(600 * 500);
      screen.getByTestId("message-list").dispatchEvent(new Event("scroll"));
      await new Promise((r) => setTimeout(r, 50));
    });
    const texts = screen.getAllByTestId("row").map((r) => r.textContent);
    expect(texts.length).toBeLessThan(15);
    expect(texts).not.toContain("turn-0");
    expect(texts.some((x) => Number(x?.slice(5)) > 400)).toBe(true);
  });

  it("renders every row where nothing can be measured", () => {
    vi.stubGlobal("ResizeObserver", undefined);
    mountList();
    expect(screen.getAllByTestId("row")).toHaveLength(1000);
  });
});
