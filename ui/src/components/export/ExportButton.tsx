// "Export…" for a conversation: the backend asks where (a native folder picker), writes a new
// folder with the transcript and the videos, and a toast offers to open it.
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ExportLanguage } from "../../api/types";
import { exportConversation, revealExport } from "../../api/commands";
import { useNotifyError } from "../../state/app";
import { showToast } from "../../state/toasts";
import { IconExport, Spinner } from "../icons";

/** The transcript's language follows the app's. */
export function exportLanguage(uiLanguage: string): ExportLanguage {
  return uiLanguage.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** Minutes east of UTC, as the transcript's dates want them (JS gives minutes west). */
export function utcOffsetMinutes(date: Date = new Date()): number {
  const off = -date.getTimezoneOffset();
  return off === 0 ? 0 : off;
}

/** Export one conversation; resolves when done, cancelled or failed (failures are toasted). */
export function useExportConversation(): (id: string) => Promise<void> {
  const { t, i18n } = useTranslation();
  const notifyError = useNotifyError();
  return useCallback(
    async (id: string) => {
      try {
        const result = await exportConversation(id, {
          language: exportLanguage(i18n.language),
          utc_offset_minutes: utcOffsetMinutes(),
        });
        if (!result) return; // the user closed the folder picker
        showToast(
          {
            tone: "success",
            text: t("exporting.done", { name: result.name }),
            detail: result.missing > 0 ? t("exporting.missing", { count: result.missing }) : undefined,
            action: {
              label: t("exporting.openFolder"),
              testId: "export-open-folder",
              run: () => void revealExport(result.folder).catch(notifyError),
            },
          },
          10_000,
        );
      } catch (err) {
        notifyError(err);
      }
    },
    [i18n, t, notifyError],
  );
}

/** The icon button in a conversation's row of actions. */
export function ExportConversationButton({ id, title }: { id: string; title: string }) {
  const { t } = useTranslation();
  const run = useExportConversation();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="icon-button small"
      data-testid="export-conversation"
      aria-label={busy ? t("exporting.busy") : t("exporting.actionOf", { title })}
      title={busy ? t("exporting.busy") : t("exporting.action")}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void run(id).finally(() => setBusy(false));
      }}
    >
      {busy ? <Spinner size={12} /> : <IconExport size={14} />}
    </button>
  );
}
