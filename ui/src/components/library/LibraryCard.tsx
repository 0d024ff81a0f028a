import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LibraryItem } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { formatShortDate } from "./date";
import { IconFilm, IconTrash, Spinner } from "../icons";
import { itemPoster } from "./media";

interface LibraryCardProps {
  item: LibraryItem;
  mediaBase: string | null;
  selected: boolean;
  onOpen: (item: LibraryItem) => void;
  onToggleSelect: (item: LibraryItem) => void;
  onDelete: (item: LibraryItem) => void;
}

/** One video: its poster, prompt, date, model and version; open, select to compare, delete. */
export const LibraryCard = memo(function LibraryCard({
  item,
  mediaBase,
  selected,
  onOpen,
  onToggleSelect,
  onDelete,
}: LibraryCardProps) {
  const { t, i18n } = useTranslation();
  const [posterFailed, setPosterFailed] = useState(false);
  const poster = posterFailed ? null : itemPoster(item, mediaBase);
  const title = item.conversation_title.trim() || t("common.untitled");

  return (
    <article
      className={`lib-card${selected ? " is-selected" : ""}`}
      data-testid="library-card"
      data-turn-id={item.turn_id}
      data-conversation-id={item.conversation_id}
      data-version={item.version}
    >
      <button
        type="button"
        className="lib-open"
        data-testid="library-open"
        aria-label={t("library.openOf", { version: item.version })}
        onClick={() => onOpen(item)}
      >
        <span className="lib-poster">
          {poster ? (
            <img src={poster} alt="" loading="lazy" decoding="async" onError={() => setPosterFailed(true)} />
          ) : (
            <span className="lib-poster-empty" aria-hidden="true">
              <IconFilm size={28} />
            </span>
          )}
          <span className="badge badge-version lib-version" data-testid="library-version">
            {t("turn.version", { version: item.version })}
          </span>
          {item.media_state === "downloading" && (
            <span className="lib-state">
              <Spinner size={10} /> {t("library.saving")}
            </span>
          )}
          {item.media_state !== "downloading" && !item.video && (
            <span className="lib-state">{t("library.notSaved")}</span>
          )}
        </span>
        <span className="lib-text">
          <span className="lib-prompt" data-testid="library-prompt" title={item.prompt}>
            {item.prompt}
          </span>
          <span className="lib-chat" title={title}>
            <span className="lib-model">{item.model}</span>
            <span aria-hidden="true"> · </span>
            {title}
          </span>
        </span>
      </button>
      <div className="lib-foot">
        <span className="lib-meta">
          <time dateTime={new Date(item.created_at).toISOString()} title={formatDateTime(item.created_at, i18n.language)}>
            {formatShortDate(item.created_at, i18n.language)}
          </time>
        </span>
        <label className="lib-select" title={t("library.selectOf", { version: item.version })}>
          <input
            type="checkbox"
            data-testid="library-select"
            checked={selected}
            onChange={() => onToggleSelect(item)}
            aria-label={t("library.selectOf", { version: item.version })}
          />
          <span aria-hidden="true">{t("library.select")}</span>
        </label>
        <button
          type="button"
          className="icon-button small danger"
          data-testid="library-delete"
          aria-label={t("library.deleteOf", { version: item.version })}
          title={t("library.deleteOf", { version: item.version })}
          onClick={() => onDelete(item)}
        >
          <IconTrash size={14} />
        </button>
      </div>
    </article>
  );
});
