import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Modal } from "../components/Modal";

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  ok?: string;
  cancel?: string;
  danger?: boolean;
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | null>(null);

/** Provides `useConfirm()`: one confirmation dialog at a time, answered with a promise. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  const answer = useCallback((ok: boolean) => {
    const resolve = resolver.current;
    resolver.current = null;
    setCurrent(null);
    resolve?.(ok);
  }, []);

  const confirm = useCallback<Confirm>((options) => {
    resolver.current?.(false); // a newer question replaces an unanswered one
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
      setCurrent(options);
    });
  }, []);

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Modal
        open={current !== null}
        onOpenChange={(open) => {
          if (!open) answer(false);
        }}
        title={current?.title ?? ""}
        description={current?.body}
        testId="confirm-dialog"
        closable={false}
        role="alertdialog"
      >
        <div className="modal-actions">
          <button type="button" className="button" data-testid="confirm-cancel" onClick={() => answer(false)}>
            {current?.cancel ?? t("common.cancel")}
          </button>
          <button
            type="button"
            className={current?.danger ? "button button-danger" : "button button-primary"}
            data-testid="confirm-ok"
            onClick={() => answer(true)}
            autoFocus
          >
            {current?.ok ?? t("common.ok")}
          </button>
        </div>
      </Modal>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error("useConfirm outside ConfirmProvider");
  return confirm;
}
