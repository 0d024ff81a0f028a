import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { initI18n } from "../i18n";
import { handlers, invoke, resetTauriMocks } from "../test/tauriMock";
import { renderWithApp } from "../test/render";
import { ServerText } from "./ServerText";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/tauriMock")).coreModule);

beforeAll(() => {
  initI18n("en");
});
beforeEach(() => {
  resetTauriMocks();
  handlers["open_external"] = () => null;
});
afterEach(cleanup);

const HOSTILE = [
  "```json",
  '{"prompt": "x"}',
  "```",
  "",
  "<script>window.__pwned = 1</script>",
  '<img src="x" onerror="window.__pwned = 2">',
  '<a href="https://evil.test">raw html link</a>',
  "",
  "[click me](javascript:window.__pwned=3) and [data](data:text/html,<b>x</b>) and [file](file:///etc/passwd)",
  "",
  "![预览图](https://cdn.example.test/p.webp)",
  "",
  "[视频文件](https://cdn.example.test/v.mp4)",
].join("\n");

describe("ServerText", () => {
  it("never turns hostile server text into live HTML, links or images", () => {
    const { container } = renderWithApp(<ServerText content={HOSTILE} />);
    const root = screen.getByTestId("server-text");
    expect(root.querySelector("script")).toBeNull();
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("a")).toBeNull();
    expect(root.querySelector("iframe")).toBeNull();
    expect(container.innerHTML).not.toMatch(/onerror|javascript:|<script/i);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    // Unsafe links are plain text; images show their alt text.
    expect(screen.getByText("click me").tagName).toBe("SPAN");
    expect(screen.getByText("file").tagName).toBe("SPAN");
    expect(screen.getByText("[预览图]")).toBeTruthy();
    expect(root.textContent).not.toContain("raw html link");
  });

  it("opens http(s) links in the system browser through open_external", async () => {
    renderWithApp(<ServerText content={HOSTILE} />);
    const link = screen.getByText("视频文件");
    expect(link.tagName).toBe("BUTTON");
    fireEvent.click(link);
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("open_external", { url: "https://cdn.example.test/v.mp4" }),
    );
    fireEvent.click(screen.getByText("click me"));
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});
