import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/tauriMock")).coreModule);

import { handlers, invoke, resetTauriMocks } from "../../test/tauriMock";
import { renderWithApp } from "../../test/render";
import { applyLanguage, initI18n } from "../../i18n";
import { clearToasts } from "../../state/toasts";
import { Toasts } from "../Toasts";
import { ExportConversationButton, exportLanguage, utcOffsetMinutes } from "./ExportButton";

beforeAll(() => {
  initI18n("en");
});
beforeEach(() => {
  resetTauriMocks();
  clearToasts();
  applyLanguage("en");
});
afterEach(cleanup);

function ui() {
  return (
    <>
      <ExportConversationButton id="c_1" title="Cows dancing" />
      <Toasts />
    </>
  );
}

describe("Export…", () => {
  it("exports in the app's language and time zone, then offers to open the folder", async () => {
    handlers.export_conversation = () => ({ folder: "/home/me/Videos/Cows dancing", name: "Cows dancing", videos: 2, missing: 0 });
    handlers.reveal_export = () => null;
    renderWithApp(ui());
    const button = screen.getByTestId("export-conversation");
    expect(button.getAttribute("aria-label")).toBe("Export “Cows dancing” as a folder");
    fireEvent.click(button);
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Exported to “Cows dancing”");
    expect(invoke).toHaveBeenCalledWith("export_conversation", {
      id: "c_1",
      options: { language: "en", utc_offset_minutes: utcOffsetMinutes() },
    });
    fireEvent.click(screen.getByTestId("export-open-folder"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("reveal_export", { folder: "/home/me/Videos/Cows dancing" }));
  });

  it("says nothing when the folder picker is closed, and says why when it fails", async () => {
    handlers.export_conversation = () => null;
    renderWithApp(ui());
    fireEvent.click(screen.getByTestId("export-conversation"));
    await waitFor(() => expect(invoke).toHaveBeenCalledTimes(1));
    await waitFor(() => expect((screen.getByTestId("export-conversation") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("toast")).toBeNull();

    handlers.export_conversation = () => {
      throw { kind: "disk_full", message: "No space left on device", retry_after_secs: null };
    };
    fireEvent.click(screen.getByTestId("export-conversation"));
    expect((await screen.findByTestId("toast")).textContent).toContain("The disk is full");
  });

  it("tells how many videos were only linked, in Chinese too", async () => {
    applyLanguage("zh-CN");
    handlers.export_conversation = () => ({ folder: "/tmp/牛马", name: "牛马", videos: 1, missing: 2 });
    renderWithApp(ui());
    fireEvent.click(screen.getByTestId("export-conversation"));
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("已导出到“牛马”");
    expect(toast.textContent).toContain("有 2 个视频不在这台电脑上");
    expect(invoke).toHaveBeenCalledWith("export_conversation", expect.objectContaining({ options: expect.objectContaining({ language: "zh-CN" }) }));
  });

  it("maps the UI language and the time zone", () => {
    expect(exportLanguage("zh-CN")).toBe("zh-CN");
    expect(exportLanguage("en-US")).toBe("en");
    // JS counts minutes west of UTC; the transcript wants minutes east.
    const shanghai = { getTimezoneOffset: () => -480 } as Date;
    expect(utcOffsetMinutes(shanghai)).toBe(480);
    expect(Object.is(utcOffsetMinutes({ getTimezoneOffset: () => 0 } as Date), 0)).toBe(true);
  });
});
