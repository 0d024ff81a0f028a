// The image attached to the next message: the paperclip button and the thumbnail chip.
import { useTranslation } from "react-i18next";
import type { ImageAttachment } from "../api/types";
import { localMediaUrl } from "../api/media";
import { IconClose, Spinner } from "./icons";
import "./image-attachment.css";

/** A paperclip, as a stroke icon like the others. */
export const IconPaperclip = ({ size = 16 }: { size?: number }) => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={1.8}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
  </svg>
);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function AttachButton({ onClick, disabled, busy }: { onClick: () => void; disabled?: boolean; busy?: boolean }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="icon-button attach-button"
      data-testid="attach-button"
      aria-label={t("composer.attach")}
      title={`${t("composer.attach")} — ${t("composer.attachHint")}`}
      onClick={onClick}
      disabled={disabled || busy}
    >
      {busy ? <Spinner size={14} label={t("composer.attaching")} /> : <IconPaperclip size={17} />}
    </button>
  );
}

interface ChipProps {
  image: ImageAttachment;
  mediaBase: string | null;
  onRemove: () => void;
  disabled?: boolean;
}

/** The attached image above the text: thumbnail, size, remove. */
export function AttachmentChip({ image, mediaBase, onRemove, disabled }: ChipProps) {
  const { t } = useTranslation();
  const src = mediaBase ? localMediaUrl(mediaBase, image.file) : null;
  return (
    <div className="attachment-chip" data-testid="attachment-chip">
      {src ? (
        <img className="attachment-thumb" src={src} alt={t("chat.imageAlt")} data-testid="attachment-thumb" />
      ) : (
        <span className="attachment-thumb" aria-hidden="true" />
      )}
      <span className="attachment-meta">
        <span>{t("composer.imageInfo", { width: image.width, height: image.height, size: formatBytes(image.bytes) })}</span>
        {image.downscaled && <span className="attachment-note">{t("composer.imageDownscaled")}</span>}
      </span>
      <button
        type="button"
        className="icon-button small attachment-remove"
        data-testid="attachment-remove"
        aria-label={t("composer.removeImage")}
        title={t("composer.removeImage")}
        onClick={onRemove}
        disabled={disabled}
      >
        <IconClose size={14} />
      </button>
    </div>
  );
}

/** The image on a sent message's bubble. */
export function BubbleImage({ image, mediaBase }: { image: ImageAttachment; mediaBase: string | null }) {
  const { t } = useTranslation();
  if (!mediaBase) return null;
  return (
    <img
      className="bubble-image"
      data-testid="user-image"
      src={localMediaUrl(mediaBase, image.file)}
      alt={t("chat.imageAlt")}
      width={image.width}
      height={image.height}
    />
  );
}
