import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError, LibraryItem } from "../../api/types";
import { deleteLibraryItem, listLibrary } from "../../api/commands";
import { toAppError } from "../../api/errors";
import { useApp, useNotifyError } from "../../state/app";
import { useConfirm } from "../../state/confirm";
import { showToast } from "../../state/toasts";
import { errorText } from "../../lib/errorText";
import { useCompare } from "../compare/CompareProvider";
import { IconPlus, IconSearch, Spinner } from "../icons";
import { conversationsOf, filterItems, isFiltered, modelsOf, NO_FILTER, type LibraryFilter } from "./filter";
import { IconCompare, IconGrid } from "./icons";
import { LibraryCard } from "./LibraryCard";
import "./library.css";

interface LibraryViewProps {
  /** Changes when versions may have come or gone (a job finished, a chat was deleted). */
  refreshKey: number;
  /** Open the version's conversation, scrolled to it. */
  onOpen: (item: LibraryItem) => void;
  onNewChat: () => void;
}

/** Every video across conversations: search, filter, open, compare two, delete. */
export function LibraryView({ refreshKey, onOpen, onNewChat }: LibraryViewProps) {
  const { t } = useTranslation();
  const { mediaBase, refreshList } = useApp();
  const notifyError = useNotifyError();
  const confirm = useConfirm();
  const compare = useCompare();
  const [items, setItems] = useState<LibraryItem[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [filter, setFilter] = useState<LibraryFilter>(NO_FILTER);
  const [selected, setSelected] = useState<string[]>([]);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    listLibrary()
      .then((list) => {
        if (!live) return;
        setItems(list);
        setLoadError(null);
        // A selected version that is gone is no longer selected.
        setSelected((sel) => sel.filter((id) => list.some((i) => i.turn_id === id)));
      })
      .catch((err: unknown) => {
        if (live) setLoadError(toAppError(err));
      });
    return () => {
      live = false;
    };
  }, [refreshKey, reloads]);

  const shown = useMemo(() => filterItems(items ?? [], filter), [items, filter]);
  const models = useMemo(() => modelsOf(items ?? []), [items]);
  const chats = useMemo(() => conversationsOf(items ?? []), [items]);

  const toggleSelect = useCallback((item: LibraryItem) => {
    setSelected((sel) =>
      sel.includes(item.turn_id)
        ? sel.filter((id) => id !== item.turn_id)
        : [...sel, item.turn_id].slice(-2), // a third pick replaces the oldest
    );
  }, []);

  const remove = useCallback(
    async (item: LibraryItem) => {
      const ok = await confirm({
        title: t("library.deleteTitle", { version: item.version }),
        body: t("library.deleteBody"),
        ok: t("common.delete"),
        danger: true,
      });
      if (!ok) return;
      try {
        await deleteLibraryItem(item.conversation_id, item.turn_id);
        setItems((list) => list?.filter((i) => i.turn_id !== item.turn_id) ?? null);
        setSelected((sel) => sel.filter((id) => id !== item.turn_id));
        showToast({ tone: "success", text: t("library.deleted", { version: item.version }) });
      } catch (err) {
        const e = toAppError(err);
        if (e.kind === "busy") showToast({ tone: "info", text: t("library.deleteBusy") });
        else notifyError(e);
      }
      // The chat and the sidebar show this version too.
      refreshList();
    },
    [confirm, t, notifyError, refreshList],
  );

  const onDelete = useCallback((item: LibraryItem) => void remove(item), [remove]);

  const total = items?.length ?? 0;
  const [first, second] = selected;

  return (
    <section className="library" aria-labelledby="library-heading" data-testid="library-view">
      <div className="pane-title library-title">
        <h1 id="library-heading" data-testid="library-heading">{t("library.title")}</h1>
        {items !== null && total > 0 && (
          <span className="badge badge-muted" data-testid="library-count">
            {t("library.count", { count: total })}
          </span>
        )}
      </div>

      {total > 0 && (
        <div className="library-toolbar">
          <label className="search library-search">
            <IconSearch size={14} />
            <input
              type="search"
              className="search-input"
              data-testid="library-search"
              placeholder={t("library.search")}
              aria-label={t("library.search")}
              value={filter.query}
              onChange={(e) => setFilter((f) => ({ ...f, query: e.target.value }))}
              onKeyDown={(e) => {
                if (e.key === "Escape") setFilter((f) => ({ ...f, query: "" }));
              }}
            />
          </label>
          <select
            className="select small"
            data-testid="library-model"
            aria-label={t("library.modelFilter")}
            value={filter.model}
            onChange={(e) => setFilter((f) => ({ ...f, model: e.target.value }))}
          >
            <option value="">{t("library.allModels")}</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <select
            className="select small library-chat-filter"
            data-testid="library-chat"
            aria-label={t("library.chatFilter")}
            value={filter.conversation}
            onChange={(e) => setFilter((f) => ({ ...f, conversation: e.target.value }))}
          >
            <option value="">{t("library.allChats")}</option>
            {chats.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title.trim() || t("common.untitled")}
              </option>
            ))}
          </select>
          <span className="spacer" />
          <span className="library-selected muted small" aria-live="polite">
            {selected.length > 0 ? t("library.selectedCount", { count: selected.length }) : ""}
          </span>
          <button
            type="button"
            className="button small button-primary-soft"
            data-testid="library-compare"
            title={t("library.compareHint")}
            disabled={!compare || first === undefined || second === undefined}
            onClick={() => {
              if (compare && first !== undefined && second !== undefined) compare.open(first, second);
            }}
          >
            <IconCompare size={14} />
            {t("library.compareSelected")}
          </button>
        </div>
      )}

      <div className="library-scroll">
        {loadError && (
          <div className="pane-error library-error" role="alert">
            {t("library.loadFailed", { reason: errorText(t, loadError) })}
            <button type="button" className="button small" onClick={() => setReloads((n) => n + 1)}>
              {t("library.retry")}
            </button>
          </div>
        )}
        {items === null && !loadError && (
          <div className="pane-loading">
            <Spinner size={18} label={t("app.loading")} />
          </div>
        )}
        {items !== null && total === 0 && (
          <div className="empty-chat library-empty" data-testid="library-empty">
            <div className="empty-icon" aria-hidden="true">
              <IconGrid size={28} />
            </div>
            <h2 className="empty-title">{t("library.emptyTitle")}</h2>
            <p className="empty-body">{t("library.emptyBody")}</p>
            <button type="button" className="button button-primary" data-testid="library-new-chat" onClick={onNewChat}>
              <IconPlus size={16} />
              {t("library.emptyAction")}
            </button>
          </div>
        )}
        {total > 0 && shown.length === 0 && (
          <div className="library-no-match" data-testid="library-no-match">
            <p>{t("library.noMatch")}</p>
            <button type="button" className="button small" onClick={() => setFilter(NO_FILTER)}>
              {t("library.clearFilters")}
            </button>
          </div>
        )}
        {shown.length > 0 && (
          <div className="library-grid" data-testid="library-grid" data-filtered={isFiltered(filter) ? "true" : "false"}>
            {shown.map((item) => (
              <LibraryCard
                key={item.turn_id}
                item={item}
                mediaBase={mediaBase}
                selected={selected.includes(item.turn_id)}
                onOpen={onOpen}
                onToggleSelect={toggleSelect}
                onDelete={onDelete}
              />
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
