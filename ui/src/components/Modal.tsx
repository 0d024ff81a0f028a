import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconClose } from "./icons";

interface ModalProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  testId?: string;
  closeTestId?: string;
  size?: "small" | "large";
  /** Show the × button in the corner. */
  closable?: boolean;
  role?: "dialog" | "alertdialog";
}

/** A centred dialog (Radix: focus trapped inside, Escape closes, focus returns on close). */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  testId,
  closeTestId,
  size = "small",
  closable = true,
  role = "dialog",
}: ModalProps) {
  const { t } = useTranslation();
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content
          className={`modal modal-${size}`}
          data-testid={testId}
          role={role}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <div className="modal-header">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            {closable && (
              <Dialog.Close asChild>
                <button type="button" className="icon-button" aria-label={t("common.close")} data-testid={closeTestId}>
                  <IconClose />
                </button>
              </Dialog.Close>
            )}
          </div>
          {description && <Dialog.Description className="modal-description">{description}</Dialog.Description>}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
