import { useTranslation } from "react-i18next";
import { dismissToast, useToasts } from "../state/toasts";
import { IconAlert, IconCheck, IconClose, IconInfo } from "./icons";

/** The toast stack (bottom right). Errors are announced assertively, the rest politely. */
export function Toasts() {
  const { t } = useTranslation();
  const toasts = useToasts();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.tone}`}
          data-testid="toast"
          data-kind={toast.kind}
          role={toast.tone === "error" ? "alert" : "status"}
        >
          <span className="toast-icon" aria-hidden="true">
            {toast.tone === "error" ? <IconAlert size={16} /> : toast.tone === "success" ? <IconCheck size={16} /> : <IconInfo size={16} />}
          </span>
          <div className="toast-body">
            <p className="toast-text">{toast.text}</p>
            {toast.detail && <p className="toast-detail">{toast.detail}</p>}
            {toast.action && (
              <button
                type="button"
                className="button small"
                data-testid={toast.action.testId}
                onClick={() => {
                  toast.action?.run();
                  dismissToast(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
          </div>
          <button
            type="button"
            className="icon-button small"
            aria-label={t("common.dismiss")}
            onClick={() => dismissToast(toast.id)}
          >
            <IconClose size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
