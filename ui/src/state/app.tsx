import { createContext, useCallback, useContext } from "react";
import { useTranslation } from "react-i18next";
import type { SettingsView } from "../api/types";
import { toAppError } from "../api/errors";
import { errorDetail, errorText } from "../lib/errorText";
import { showToast } from "./toasts";

export interface AppContextValue {
  settings: SettingsView;
  setSettings: (settings: SettingsView) => void;
  /** The loopback media server's base URL (null until known, or when it is unavailable). */
  mediaBase: string | null;
  openSettings: () => void;
  /** Asks the sidebar to reload its list. */
  refreshList: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error("useApp outside AppContext");
  return ctx;
}

/** Shows a command's error as a toast with its localized text (and "Open settings" when it helps). */
export function useNotifyError(): (err: unknown) => void {
  const { t } = useTranslation();
  const ctx = useContext(AppContext);
  const openSettings = ctx?.openSettings;
  return useCallback(
    (err: unknown) => {
      const e = toAppError(err);
      if (e.kind === "cancelled") return;
      const wantsSettings =
        e.kind === "auth" || e.kind === "no_key" || e.kind === "not_found" || e.kind === "keychain" || e.kind === "certificate";
      showToast({
        tone: "error",
        kind: e.kind,
        text: errorText(t, e),
        detail: errorDetail(e) ?? undefined,
        action:
          wantsSettings && openSettings
            ? { label: t("errors.openSettings"), run: openSettings, testId: "open-settings" }
            : undefined,
      });
    },
    [t, openSettings],
  );
}
