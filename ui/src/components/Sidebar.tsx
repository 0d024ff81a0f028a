import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useShortcutHandler } from "../shortcuts/useShortcutHandler";
import type { ConversationSummary } from "../api/types";
import { deleteConversation, listConversations, renameConversation } from "../api/commands";
import { localMediaUrl } from "../api/media";
import { useApp, useNotifyError } from "../state/app";
import { useConfirm } from "../state/confirm";
import { jobStore, useRunningJobs } from "../state/jobs";
import { useNow } from "../hooks/useNow";
import { formatDateTime, formatRelative } from "../lib/format";
import { usePaintedOnce } from "../lib/perf";
import { IconFilm, IconPencil, IconPlus, IconSearch, IconTrash, Spinner } from "./icons";
import { ExportConversationButton } from "./export/ExportButton";
import { IconGrid } from "./library/icons";
import { ConversationList } from "./ConversationList";

const NO_ITEMS: ConversationSummary[] = [];

interface SidebarProps {
  selectedId: string | null;
  onSelect: (id: string) => void;
  onNewChat: () => void;
  /** Changes whenever the list should be reloaded. */
  listVersion: number;
  onDeleted: (id: string) => void;
  onRenamed: () => void;
  /** The library view is showing. */
  libraryActive?: boolean;
  onOpenLibrary?: () => void;
}

export function Sidebar({
  selectedId,
  onSelect,
  onNewChat,
  listVersion,
  onDeleted,
  onRenamed,
  libraryActive = false,
  onOpenLibrary,
}: SidebarProps) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [query, setQuery] = useState("");
  const [items, setItems] = useState<ConversationSummary[] | null>(null);
  const running = useRunningJobs();
  const runningIds = useMemo(() => new Set(running.map(([c]) => c)), [running]);
  const now = useNow(30_000);
  usePaintedOnce("history", items !== null, () => ({ count: items?.length ?? 0 }));

  useEffect(() => {
    let cancelled = false;
    const q = query.trim();
    const timer = setTimeout(
      () => {
        listConversations(q ? q : null)
          .then((list) => {
            if (!cancelled) setItems(list);
          })
          .catch((err: unknown) => {
            if (!cancelled) {
              setItems((prev) => prev ?? []);
              notifyError(err);
            }
          });
      },
      q ? 200 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, listVersion, notifyError]);

  const searchRef = useRef<HTMLInputElement>(null);
  useShortcutHandler("search", () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  });

  return (
    <nav className="sidebar" aria-label={t("sidebar.label")}>
      <div className="sidebar-top">
        <button type="button" className="button button-primary new-chat" data-testid="new-chat" onClick={onNewChat}>
          <IconPlus size={16} />
          {t("sidebar.newChat")}
        </button>
        <label className="search">
          <IconSearch size={14} />
          <input
            type="search"
            ref={searchRef}
            className="search-input"
            data-testid="sidebar-search"
            placeholder={t("sidebar.search")}
            aria-label={t("sidebar.search")}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setQuery("");
            }}
          />
        </label>
        {onOpenLibrary && (
          <button
            type="button"
            className={`nav-item${libraryActive ? " is-active" : ""}`}
            data-testid="open-library"
            aria-current={libraryActive ? "page" : undefined}
            onClick={onOpenLibrary}
          >
            <IconGrid size={16} />
            {t("library.nav")}
          </button>
        )}
      </div>
      <ConversationList
        items={items ?? NO_ITEMS}
        render={(c) => (
          <ConversationItem
            item={c}
            active={c.id === selectedId}
            running={runningIds.has(c.id) || c.running}
            now={now}
            onSelect={onSelect}
            onDeleted={onDeleted}
            onRenamed={onRenamed}
          />
        )}
      />
      {items !== null && items.length === 0 && (
        <p className="sidebar-empty" data-testid="sidebar-empty">
          {query.trim() ? t("sidebar.noResults", { query: query.trim() }) : t("sidebar.empty")}
        </p>
      )}
    </nav>
  );
}

interface ItemProps {
  item: ConversationSummary;
  active: boolean;
  running: boolean;
  now: number;
  onSelect: (id: string) => void;
  onDeleted: (id: string) => void;
  onRenamed: () => void;
}

function ConversationItem({ item, active, running, now, onSelect, onDeleted, onRenamed }: ItemProps) {
  const { t, i18n } = useTranslation();
  const { mediaBase } = useApp();
  const confirm = useConfirm();
  const notifyError = useNotifyError();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [thumbFailed, setThumbFailed] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const committing = useRef(false);
  const title = item.title.trim() || t("common.untitled");

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  function startRename() {
    setDraft(item.title || "");
    setEditing(true);
  }

  async function commitRename() {
    if (committing.current) return;
    const next = draft.trim();
    if (!next || next === item.title) {
      setEditing(false);
      return;
    }
    committing.current = true;
    try {
      await renameConversation(item.id, next);
      setEditing(false);
      onRenamed();
    } catch (err) {
      notifyError(err);
      inputRef.current?.focus();
    } finally {
      committing.current = false;
    }
  }

  async function remove() {
    const ok = await confirm({
      title: t("sidebar.deleteTitle"),
      body: (
        <>
          {t("sidebar.deleteBody", { title })}
          {running && <strong className="confirm-warning">{t("sidebar.deleteRunning")}</strong>}
        </>
      ),
      ok: t("common.delete"),
      danger: true,
    });
    if (!ok) return;
    try {
      await deleteConversation(item.id);
      jobStore.forgetConversation(item.id);
      onDeleted(item.id);
    } catch (err) {
      notifyError(err);
    }
  }

  const thumb = item.preview && mediaBase && !thumbFailed ? localMediaUrl(mediaBase, item.preview) : null;
  const when = formatRelative(item.updated_at, now, i18n.language, t("sidebar.justNow"));
  const meta = item.versions > 0 ? `${when} · ${t("sidebar.versions", { count: item.versions })}` : when;

  return (
    <div
      className={`conv-item${active ? " is-active" : ""}${running ? " is-running" : ""}`}
      data-testid="conversation-item"
      data-id={item.id}
      data-running={running ? "true" : "false"}
    >
      {editing ? (
        <div className="conv-rename">
          <input
            ref={inputRef}
            className="input small"
            data-testid="rename-input"
            aria-label={t("sidebar.renameLabel")}
            value={draft}
            maxLength={200}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.nativeEvent.isComposing && e.keyCode !== 229) {
                e.preventDefault();
                void commitRename();
              } else if (e.key === "Escape") {
                e.preventDefault();
                setEditing(false);
              }
            }}
            onBlur={() => void commitRename()}
          />
        </div>
      ) : (
        <button
          type="button"
          className="conv-main"
          onClick={() => onSelect(item.id)}
          aria-current={active ? "page" : undefined}
          title={item.last_prompt ?? title}
        >
          <span className="conv-thumb" aria-hidden="true">
            {thumb ? <img src={thumb} alt="" onError={() => setThumbFailed(true)} /> : <IconFilm size={16} />}
          </span>
          <span className="conv-text">
            <span className="conv-title" data-testid="conversation-title">
              {title}
            </span>
            <span className="conv-meta" title={formatDateTime(item.updated_at, i18n.language)}>
              {running ? (
                <span className="conv-running">
                  <Spinner size={10} />
                  {t("sidebar.running")}
                </span>
              ) : (
                meta
              )}
            </span>
          </span>
        </button>
      )}
      {!editing && (
        <div className="conv-actions">
          <button
            type="button"
            className="icon-button small"
            data-testid="rename-conversation"
            aria-label={t("sidebar.renameOf", { title })}
            title={t("common.rename")}
            onClick={startRename}
          >
            <IconPencil size={14} />
          </button>
          <ExportConversationButton id={item.id} title={title} />
          <button
            type="button"
            className="icon-button small danger"
            data-testid="delete-conversation"
            aria-label={t("sidebar.deleteOf", { title })}
            title={t("common.delete")}
            onClick={() => void remove()}
          >
            <IconTrash size={14} />
          </button>
        </div>
      )}
    </div>
  );
}
