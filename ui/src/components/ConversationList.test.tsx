import { fakeLayout } from "../test/fakeLayout";
import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import type { ConversationSummary } from "../api/types";
import { ConversationList } from "./ConversationList";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const items = Array.from(
  { length: 500 },
  (_, i) =>
    ({
      id: `c_${i}`,
      title: `Conversation ${i}`,
      updated_at: 0,
      versions: 1,
      preview: null,
      last_prompt: null,
      running: false,
    }) as unknown as ConversationSummary,
);

const mount = () =>
  render(<ConversationList items={items} render={(c) => <span data-testid="row">{c.title}</span>} />);

describe("ConversationList", () => {
  it("keeps only the rows near the viewport in the DOM for 500 conversations", async () => {
    const scrollTo = fakeLayout("conv-slot", 54, 540);
    mount();
    const list = screen.getByTestId("conversation-list");
    expect(list.getAttribute("data-count")).toBe("500");
    const rows = await screen.findAllByTestId("row");
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThan(30);
    expect(rows[0]?.textContent).toBe("Conversation 0");

    // Scrolled to the middle: the rows there are rendered, the first ones are gone, and spacers keep the
    // list's full height.
    await act(async () => {
      scrollTo(54 * 250);
      list.dispatchEvent(new Event("scroll"));
      await new Promise((r) => setTimeout(r, 50));
    });
    const texts = screen.getAllByTestId("row").map((r) => r.textContent);
    expect(texts.length).toBeLessThan(30);
    expect(texts).not.toContain("Conversation 0");
    expect(texts).toContain("Conversation 255");
    const spacers = [...list.querySelectorAll<HTMLElement>(".conv-spacer")];
    const spacerHeight = spacers.reduce((sum, s) => sum + parseFloat(s.style.height), 0);
    expect(spacerHeight + texts.length * 54).toBe(500 * 54);
  });

  it("renders every row where nothing can be measured", () => {
    mount();
    expect(screen.getAllByTestId("row")).toHaveLength(500);
  });
});
