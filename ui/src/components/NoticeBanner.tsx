import { useTranslation } from "react-i18next";
import { IconClose, IconInfo } from "./icons";

/** Startup notices (e.g. a damaged history file was set aside), shown once. */
export function NoticeBanner({ notices, onDismiss }: { notices: string[]; onDismiss: () => void }) {
  const { t } = useTranslation();
  if (notices.length === 0) return null;
  return (
    <div className="notice-banner" role="status" data-testid="startup-notice">
      <IconInfo size={16} />
      <div className="notice-body">
        <strong>{t("notices.title")}</strong>
        {notices.map((n, i) => (
          <p key={i}>{n}</p>
        ))}
      </div>
      <button type="button" className="icon-button small" aria-label={t("common.dismiss")} onClick={onDismiss}>
        <IconClose size={14} />
      </button>
    </div>
  );
}
