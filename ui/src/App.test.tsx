import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { initI18n } from "./i18n";
import App from "./App";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn((cmd: string) =>
    cmd === "app_info" ? Promise.resolve({ version: "9.8.7" }) : Promise.reject(new Error(cmd)),
  ),
}));

afterEach(cleanup);

describe("App", () => {
  it("shows the title, the ready line and the version from app_info", async () => {
    initI18n("en");
    render(<App />);
    expect(screen.getByTestId("app-title").textContent).toBe("ReelChat");
    expect(screen.getByTestId("app-ready").textContent).toMatch(/^Ready\./);
    expect((await screen.findByText("Version 9.8.7")).dataset["testid"]).toBe("app-version");
  });
});
