import { useTranslation } from "react-i18next";
import { runShortcut } from "../shortcuts/shortcuts";
import { useRunningJobs } from "../state/jobs";
import { IconKeyboard, IconSettings, IconSparkles, Spinner } from "./icons";

export function Header({ demo, onOpenSettings }: { demo: boolean; onOpenSettings: () => void }) {
  const { t } = useTranslation();
  const running = useRunningJobs();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark small" aria-hidden="true">
          <IconSparkles size={14} />
        </span>
        <span className="brand-name" data-testid="app-title">
          {t("app.title")}
        </span>
        {demo && (
          <span className="badge badge-demo" data-testid="demo-badge" title={t("header.demoHint")}>
            {t("common.demo")}
          </span>
        )}
      </div>
      <div className="header-right">
        {running.length > 0 && (
          <span className="header-running" data-testid="running-count" role="status">
            <Spinner size={10} />
            {t("header.running", { count: running.length })}
          </span>
        )}
        <button
          type="button"
          className="icon-button"
          data-testid="open-shortcuts"
          aria-label={t("shortcuts.open")}
          title={`${t("shortcuts.open")} (F1)`}
          onClick={() => runShortcut("help")}
        >
          <IconKeyboard size={18} />
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="open-settings"
          aria-label={t("header.settings")}
          title={t("header.settings")}
          onClick={onOpenSettings}
        >
          <IconSettings size={18} />
        </button>
      </div>
    </header>
  );
}
