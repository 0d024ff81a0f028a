import "./shortcuts.css";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { Modal } from "../components/Modal";
import { SHORTCUTS, comboLabel, isMac } from "./shortcuts";

/** The help sheet: every shortcut with its keys, in the user's language. */
export function ShortcutsHelp({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const mac = isMac();
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={t("shortcuts.title")}
      description={t("shortcuts.description")}
      testId="shortcuts-help"
    >
      <dl className="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div className="shortcut-row" key={s.id} data-testid={`shortcut-${s.id}`}>
            <dt>{t(`shortcuts.${s.id}`)}</dt>
            <dd>
              {s.combos.map((c, i) => (
                <Fragment key={c}>
                  {i > 0 && <span className="shortcut-or">{t("shortcuts.or")}</span>}
                  <kbd className="kbd">{comboLabel(c, mac)}</kbd>
                </Fragment>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
