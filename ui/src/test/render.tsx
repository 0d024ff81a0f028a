import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import { AppContext, type AppContextValue } from "../state/app";
import { ConfirmProvider } from "../state/confirm";
import { makeSettings } from "./fixtures";
import { vi } from "vitest";

/** Renders UI inside the app's context providers. */
export function renderWithApp(ui: ReactElement, over: Partial<AppContextValue> = {}) {
  const value: AppContextValue = {
    settings: makeSettings(),
    setSettings: vi.fn(),
    mediaBase: "http://127.0.0.1:4321/tok",
    openSettings: vi.fn(),
    refreshList: vi.fn(),
    ...over,
  };
  return {
    ctx: value,
    ...render(
      <AppContext.Provider value={value}>
        <ConfirmProvider>{ui}</ConfirmProvider>
      </AppContext.Provider>,
    ),
  };
}
