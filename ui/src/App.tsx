import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError, SettingsView } from "./api/types";
import {
  appInfo,
  createConversation,
  getSettings,
  mediaBaseUrl,
  quitApp,
  runningJobs,
  startupNotices,
} from "./api/commands";
import { onCloseRequested, onJobFinished, onJobsChanged, subscribe } from "./api/events";
import { toAppError } from "./api/errors";
import { applyLanguage } from "./i18n";
import { applyTheme } from "./lib/theme";
import { errorText } from "./lib/errorText";
import { usePaintedOnce } from "./lib/perf";
import { AppContext, useNotifyError, type AppContextValue } from "./state/app";
import { ConfirmProvider, useConfirm } from "./state/confirm";
import { jobStore } from "./state/jobs";
import { showToast } from "./state/toasts";
import { ChatPane } from "./components/ChatPane";
import { CompareProvider } from "./components/compare/CompareProvider";
import { FocusTurn } from "./components/library/FocusTurn";
import { focusStore } from "./components/library/focus";
import { LibraryView } from "./components/library/LibraryView";
import { Header } from "./components/Header";
import { NoticeBanner } from "./components/NoticeBanner";
import { SettingsDialog } from "./components/SettingsDialog";
import { Sidebar } from "./components/Sidebar";
import { Toasts } from "./components/Toasts";
import { Welcome } from "./components/Welcome";
import { Spinner } from "./components/icons";
import { ShortcutsHelp } from "./shortcuts/ShortcutsHelp";
import { useGlobalShortcuts } from "./shortcuts/useGlobalShortcuts";
import { useShortcutHandler } from "./shortcuts/useShortcutHandler";

type Boot = { state: "loading" } | { state: "failed"; error: AppError } | { state: "ready"; settings: SettingsView };

export default function App() {
  const { t } = useTranslation();
  const [boot, setBoot] = useState<Boot>({ state: "loading" });
  const [version, setVersion] = useState<string | null>(null);
  const [mediaBase, setMediaBase] = useState<string | null>(null);
  const [notices, setNotices] = useState<string[]>([]);

  const load = useCallback(() => {
    setBoot({ state: "loading" });
    getSettings()
      .then((settings) => setBoot({ state: "ready", settings }))
      .catch((err: unknown) => setBoot({ state: "failed", error: toAppError(err) }));
  }, []);

  useEffect(() => {
    load();
    appInfo()
      .then((info) => setVersion(info.version))
      .catch((err: unknown) => console.warn("app_info failed", err));
    mediaBaseUrl()
      .then(setMediaBase)
      .catch((err: unknown) => console.warn("media_base_url failed", err));
    startupNotices()
      .then((list) => setNotices(list))
      .catch((err: unknown) => console.warn("startup_notices failed", err));
    runningJobs()
      .then((list) => jobStore.setRunning(list))
      .catch((err: unknown) => console.warn("running_jobs failed", err));
    return subscribe(onJobsChanged((p) => jobStore.setRunning(p.running)));
  }, [load]);

  const theme = boot.state === "ready" ? boot.settings.theme : null;
  const language = boot.state === "ready" ? boot.settings.language : null;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);
  useEffect(() => {
    if (language) applyLanguage(language);
  }, [language]);

  const setSettings = useCallback((s: SettingsView) => setBoot({ state: "ready", settings: s }), []);
  // First useful paint: the welcome or the chat screen (not the splash).
  usePaintedOnce("ready", boot.state === "ready", () => ({ onboarded: boot.state === "ready" && boot.settings.onboarded }));

  let body;
  if (boot.state === "loading") {
    body = (
      <main className="splash" aria-busy="true">
        <span className="brand-name" data-testid="app-title">
          {t("app.title")}
        </span>
        <Spinner size={18} label={t("app.loading")} />
      </main>
    );
  } else if (boot.state === "failed") {
    body = (
      <main className="splash" role="alert">
        <span className="brand-name" data-testid="app-title">
          {t("app.title")}
        </span>
        <p>{t("app.loadFailed", { reason: errorText(t, boot.error) })}</p>
        <p className="muted small">{boot.error.message}</p>
        <button type="button" className="button" onClick={load}>
          {t("app.reload")}
        </button>
      </main>
    );
  } else if (!boot.settings.onboarded) {
    body = <Welcome settings={boot.settings} onDone={setSettings} version={version} />;
  } else {
    body = (
      <Shell
        settings={boot.settings}
        setSettings={setSettings}
        mediaBase={mediaBase}
        version={version}
        notices={notices}
        dismissNotices={() => setNotices([])}
      />
    );
  }

  return (
    <ConfirmProvider>
      <CloseGuard />
      {body}
      <Toasts />
    </ConfirmProvider>
  );
}

/** Jobs are running and the user closed the window: ask before stopping them. */
function CloseGuard() {
  const { t } = useTranslation();
  const confirm = useConfirm();
  useEffect(
    () =>
      subscribe(
        onCloseRequested(() => {
          void confirm({ title: t("close.title"), body: t("close.body"), ok: t("close.ok"), cancel: t("close.cancel"), danger: true }).then(
            (ok) => {
              if (ok) quitApp().catch((err: unknown) => console.error("quit_app failed", err));
            },
          );
        }),
      ),
    [confirm, t],
  );
  return null;
}

interface ShellProps {
  settings: SettingsView;
  setSettings: (s: SettingsView) => void;
  mediaBase: string | null;
  version: string | null;
  notices: string[];
  dismissNotices: () => void;
}

/** The main window: header, sidebar and the chat. */
function Shell({ settings, setSettings, mediaBase, version, notices, dismissNotices }: ShellProps) {
  const { t } = useTranslation();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [listVersion, setListVersion] = useState(0);

  const refreshList = useCallback(() => setListVersion((v) => v + 1), []);
  const openSettings = useCallback(() => setSettingsOpen(true), []);

  const ctx = useMemo<AppContextValue>(
    () => ({ settings, setSettings, mediaBase, openSettings, refreshList }),
    [settings, setSettings, mediaBase, openSettings, refreshList],
  );

  useEffect(() => {
    const offSettle = jobStore.onSettle(() => refreshList());
    const offSave = jobStore.onSaveError((_job, error) =>
      showToast({ tone: "error", kind: error.kind, text: t("errors.saveFailed", { message: errorText(t, error) }), detail: error.message }),
    );
    const offFinished = subscribe(onJobFinished(() => refreshList()));
    return () => {
      offSettle();
      offSave();
      offFinished();
    };
  }, [refreshList, t]);

  return (
    <AppContext.Provider value={ctx}>
      <CompareProvider refreshKey={listVersion}>
        <ShellBody
          settings={settings}
          selectedId={selectedId}
          setSelectedId={setSelectedId}
          listVersion={listVersion}
          refreshList={refreshList}
          openSettings={openSettings}
          notices={notices}
          dismissNotices={dismissNotices}
        />
      </CompareProvider>
      <SettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} version={version} />
    </AppContext.Provider>
  );
}

function ShellBody({
  settings,
  selectedId,
  setSelectedId,
  listVersion,
  refreshList,
  openSettings,
  notices,
  dismissNotices,
}: {
  settings: SettingsView;
  selectedId: string | null;
  setSelectedId: (id: string | null) => void;
  listVersion: number;
  refreshList: () => void;
  openSettings: () => void;
  notices: string[];
  dismissNotices: () => void;
}) {
  const notifyError = useNotifyError();
  // The main area shows the chat, or the library of every video.
  const [view, setView] = useState<"chat" | "library">("chat");
  const select = (id: string) => {
    setView("chat");
    setSelectedId(id);
  };

  async function newChat() {
    try {
      const c = await createConversation();
      select(c.id);
      refreshList();
    } catch (err) {
      notifyError(err);
    }
  }

  const [helpOpen, setHelpOpen] = useState(false);
  useGlobalShortcuts();
  useShortcutHandler("newChat", () => void newChat());
  useShortcutHandler("library", () => setView("library"));
  useShortcutHandler("help", () => setHelpOpen(true));

  return (
    <div className="layout">
      <ShortcutsHelp open={helpOpen} onOpenChange={setHelpOpen} />
      <Header demo={settings.demo} onOpenSettings={openSettings} />
      <div className="layout-body">
        <Sidebar
          selectedId={view === "chat" ? selectedId : null}
          onSelect={select}
          libraryActive={view === "library"}
          onOpenLibrary={() => setView("library")}
          onNewChat={() => void newChat()}
          listVersion={listVersion}
          onDeleted={(id) => {
            if (id === selectedId) setSelectedId(null);
            refreshList();
          }}
          onRenamed={refreshList}
        />
        <main className="main">
          <NoticeBanner notices={notices} onDismiss={dismissNotices} />
          {view === "library" ? (
            <LibraryView
              refreshKey={listVersion}
              onNewChat={() => void newChat()}
              onOpen={(item) => {
                focusStore.set(item.conversation_id, item.turn_id);
                select(item.conversation_id);
              }}
            />
          ) : (
            <>
              <ChatPane
                conversationId={selectedId}
                refreshKey={listVersion}
                onCreated={(id) => {
                  setSelectedId(id);
                  refreshList();
                }}
              />
              <FocusTurn conversationId={selectedId} />
            </>
          )}
        </main>
      </div>
    </div>
  );
}
