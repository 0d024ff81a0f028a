import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useShortcutHandler } from "../shortcuts/useShortcutHandler";
import type { AppError, Conversation, ImageAttachment, TurnRecord } from "../api/types";
import {
  attachImage,
  createConversation,
  getConversation,
  pickImage,
  sendMessage,
  setHead,
  stopGeneration,
} from "../api/commands";
import { onFileDrop } from "../api/dragDrop";
import { useModels } from "../hooks/useModels";
import { showToast } from "../state/toasts";
import { toAppError } from "../api/errors";
import { useApp, useNotifyError } from "../state/app";
import { useConfirm } from "../state/confirm";
import { jobStore, mergeTurns, useLiveJobs, useRunningJobs } from "../state/jobs";
import { errorText } from "../lib/errorText";
import { useConversationPainted } from "../lib/perf";
import { Composer, NextTarget } from "./Composer";
import { MessageList } from "./MessageList";
import { TurnView } from "./TurnView";
import { VirtualTurns } from "./VirtualTurns";
import { IconSparkles, Spinner } from "./icons";

const turnKey = (turn: TurnRecord) => turn.id;

// Unsent text per conversation ("" = no conversation yet), kept while switching.
const drafts = new Map<string, string>();
// The image attached to the unsent message, per conversation like the drafts.
const draftImages = new Map<string, ImageAttachment>();

interface ChatPaneProps {
  conversationId: string | null;
  /** Changes when the conversation may have changed elsewhere (e.g. renamed in the sidebar). */
  refreshKey?: number;
  /** A conversation was created here (the first message with none selected). */
  onCreated: (id: string) => void;
}

export function ChatPane({ conversationId, refreshKey = 0, onCreated }: ChatPaneProps) {
  const { t } = useTranslation();
  const { settings, refreshList, mediaBase } = useApp();
  const models = useModels(settings);
  const notifyError = useNotifyError();
  const confirm = useConfirm();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [draft, setDraftState] = useState(() => drafts.get(conversationId ?? "") ?? "");
  const [image, setImageState] = useState<ImageAttachment | null>(() => draftImages.get(conversationId ?? "") ?? null);
  const [attaching, setAttaching] = useState(false);
  const [dropActive, setDropActive] = useState(false);
  const [model, setModel] = useState(settings.default_model);
  const [sending, setSending] = useState(false);
  const [stoppingId, setStoppingId] = useState<string | null>(null);
  const [headBusy, setHeadBusy] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const loadSeq = useRef(0);

  useEffect(() => setModel(settings.default_model), [settings.default_model]);

  const setDraft = useCallback(
    (value: string) => {
      drafts.set(conversationId ?? "", value);
      setDraftState(value);
    },
    [conversationId],
  );

  const setImage = useCallback(
    (value: ImageAttachment | null) => {
      if (value) draftImages.set(conversationId ?? "", value);
      else draftImages.delete(conversationId ?? "");
      setImageState(value);
    },
    [conversationId],
  );

  const stageImage = useCallback(
    async (stage: () => Promise<ImageAttachment | null>) => {
      setAttaching(true);
      try {
        const staged = await stage();
        if (staged) setImage(staged);
        inputRef.current?.focus();
      } catch (err) {
        notifyError(err);
      } finally {
        setAttaching(false);
      }
    },
    [setImage, notifyError],
  );

  // Files dropped anywhere on the window attach to this conversation's next message.
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let live = true;
    void onFileDrop((e) => {
      if (e.type === "over") setDropActive(true);
      else if (e.type === "leave") setDropActive(false);
      else {
        setDropActive(false);
        const [first] = e.paths;
        if (!first) return;
        if (e.paths.length > 1) showToast({ tone: "info", text: t("composer.dropOneOnly") });
        void stageImage(() => attachImage(first));
      }
    }).then((u) => {
      if (live) unlisten = u;
      else u();
    });
    return () => {
      live = false;
      unlisten?.();
    };
  }, [stageImage, t]);

  const reload = useCallback(async () => {
    if (!conversationId) return;
    const seq = ++loadSeq.current;
    try {
      const c = await getConversation(conversationId);
      if (seq === loadSeq.current) {
        setConversation(c);
        setLoadError(null);
      }
    } catch (err) {
      if (seq === loadSeq.current) setLoadError(toAppError(err));
    }
  }, [conversationId]);

  // Switching conversation: show its draft, load it.
  useEffect(() => {
    setDraftState(drafts.get(conversationId ?? "") ?? "");
    setImageState(draftImages.get(conversationId ?? "") ?? null);
    setConversation((c) => (c && c.id === conversationId ? c : null));
    setLoadError(null);
    setStoppingId(null);
    void reload();
    inputRef.current?.focus();
  }, [conversationId, reload]);

  // Renamed or changed elsewhere: reload quietly.
  const firstRefresh = useRef(true);
  useEffect(() => {
    if (firstRefresh.current) {
      firstRefresh.current = false;
      return;
    }
    void reload();
  }, [refreshKey]);

  // A job of this conversation settled: the stored conversation (head, versions) changed.
  useEffect(
    () =>
      jobStore.onSettle((job) => {
        if (job.conversationId === conversationId) void reload();
      }),
    [conversationId, reload],
  );

  const live = useLiveJobs(conversationId);
  const running = useRunningJobs();
  const turns = useMemo(() => mergeTurns(conversation?.turns ?? [], live), [conversation, live]);
  const runningTurn = turns.find((x) => x.status === "running") ?? null;
  const runningTurnId =
    runningTurn?.id ??
    running.find(([c, id]) => c === conversationId && !turns.some((x) => x.id === id && x.status !== "running"))?.[1] ??
    null;

  // A stored running turn without a channel (e.g. after the page reloaded): poll until it ends.
  const orphan = turns.some((x) => x.status === "running" && !jobStore.get(x.id));
  useEffect(() => {
    if (!orphan) return;
    const id = setInterval(() => void reload(), 2000);
    return () => clearInterval(id);
  }, [orphan, reload]);

  useEffect(() => {
    if (stoppingId && runningTurnId !== stoppingId) setStoppingId(null);
  }, [stoppingId, runningTurnId]);

  const versionOf = useMemo(() => {
    const map = new Map<string, number | null>();
    for (const x of turns) map.set(x.id, x.version);
    return map;
  }, [turns]);

  const head = conversation?.head ?? null;
  const headVersion: number | "pending" | null = head === null ? null : (versionOf.get(head) ?? "pending");

  async function send(
    prompt: string,
    parent: string | null,
    modelName: string,
    targetId: string | null,
    imageFile: string | null = null,
  ) {
    let id = targetId;
    if (!id) {
      const created = await createConversation();
      id = created.id;
      setConversation(created);
      drafts.delete("");
      onCreated(id);
    }
    const turn = await sendMessage({
      conversationId: id,
      prompt,
      model: modelName,
      parent,
      image: imageFile,
      onUpdate: jobStore.push,
    });
    jobStore.put(id, turn);
    refreshList();
    return id;
  }

  async function handleSend(prompt: string) {
    setSending(true);
    try {
      const id = await send(prompt, null, model, conversationId, image?.file ?? null);
      drafts.delete(id);
      drafts.delete(conversationId ?? "");
      setDraftState("");
      draftImages.delete(id);
      draftImages.delete(conversationId ?? "");
      setImageState(null);
    } catch (err) {
      notifyError(err);
    } finally {
      setSending(false);
    }
  }

  async function handleStop() {
    if (!runningTurnId) return;
    setStoppingId(runningTurnId);
    try {
      const stopped = await stopGeneration(runningTurnId);
      if (!stopped) {
        setStoppingId(null);
        void reload();
      }
    } catch (err) {
      setStoppingId(null);
      notifyError(err);
    }
  }

  const handleRetry = useCallback(
    async (turn: TurnRecord) => {
      if (!conversationId || !conversation) return;
      const ok = await confirm({
        title: t("turn.retryTitle"),
        body: t("turn.retryBody"),
        ok: t("turn.retryOk"),
      });
      if (!ok) return;
      // The same parent as the original: a retry of a "new video" must not modify the current head.
      const prevHead = conversation.head;
      const moveHead = turn.parent === null && prevHead !== null;
      setSending(true);
      try {
        if (moveHead) await setHead(conversationId, null);
        // The same image too: the server must get the same request.
        await send(turn.prompt, turn.parent, turn.model, conversationId, turn.image?.file ?? null);
      } catch (err) {
        notifyError(err);
      } finally {
        if (moveHead) await setHead(conversationId, prevHead).catch(() => undefined);
        setSending(false);
        void reload();
      }
    },
    [conversationId, conversation, confirm, t, notifyError, reload],
  );

  const changeHead = useCallback(
    async (turnId: string | null) => {
      if (!conversationId) return;
      setHeadBusy(true);
      try {
        setConversation(await setHead(conversationId, turnId));
        inputRef.current?.focus();
      } catch (err) {
        notifyError(err);
      } finally {
        setHeadBusy(false);
      }
    },
    [conversationId, notifyError],
  );

  useShortcutHandler("focusComposer", () => {
    inputRef.current?.focus();
  });
  // Stop only when this conversation has a generation running; otherwise let the key pass.
  useShortcutHandler("stop", () => {
    if (!runningTurnId) return false;
    void handleStop();
  });

  const onContinue = useCallback((turnId: string) => void changeHead(turnId), [changeHead]);
  const onRetry = useCallback((turn: TurnRecord) => void handleRetry(turn), [handleRetry]);
  const onChanged = useCallback(() => {
    void reload();
    refreshList();
  }, [reload, refreshList]);

  function fillExample(text: string) {
    setDraft(text);
    requestAnimationFrame(() => inputRef.current?.focus());
  }

  const loading = conversationId !== null && conversation === null && loadError === null;
  const empty = !loading && turns.length === 0;
  const title = conversation?.title.trim() || t("common.untitled");
  const versions = turns.filter((x) => x.version !== null).length;
  useConversationPainted(conversationId, conversation?.id ?? null, turns.length);

  return (
    <section className="chat-pane" aria-label={title}>
      {conversationId && (
        <div className="pane-title">
          <h1 data-testid="conversation-heading">{conversation ? title : "\u00a0"}</h1>
          {versions > 0 && <span className="badge badge-muted">{t("sidebar.versions", { count: versions })}</span>}
        </div>
      )}
      <MessageList conversationId={conversationId} count={turns.length}>
        {loadError && (
          <div className="pane-error" role="alert">
            {t("chat.loadFailed", { reason: errorText(t, loadError) })}
          </div>
        )}
        {loading && (
          <div className="pane-loading">
            <Spinner size={18} label={t("app.loading")} />
          </div>
        )}
        {empty && !loadError && (
          <EmptyChat
            title={conversationId ? t("chat.emptyTitle") : t("chat.noSelectionTitle")}
            onExample={fillExample}
          />
        )}
        {conversationId && (
          <VirtualTurns
            items={turns}
            getKey={turnKey}
            render={(turn) => {
              const pv = turn.parent === null ? null : (versionOf.get(turn.parent) ?? "unknown");
              return (
                <TurnView
                  conversationId={conversationId}
                  turn={turn}
                  isHead={turn.id === head && turn.version !== null}
                  parentVersion={pv === null ? null : pv}
                  onContinue={onContinue}
                  onRetry={onRetry}
                  onChanged={onChanged}
                />
              );
            }}
          />
        )}
      </MessageList>
      <div className="composer-area">
        <NextTarget headVersion={headVersion} onMakeNew={() => void changeHead(null)} busy={headBusy} />
        <Composer
          ref={inputRef}
          value={draft}
          onChange={setDraft}
          onSend={(p) => void handleSend(p)}
          onStop={() => void handleStop()}
          model={model}
          onModelChange={setModel}
          extraModel={settings.default_model}
          models={models}
          attachment={image}
          onAttach={() => void stageImage(() => pickImage(t("composer.imageFilter")))}
          onRemoveAttachment={() => setImage(null)}
          attaching={attaching}
          dropActive={dropActive}
          mediaBase={mediaBase}
          running={runningTurnId !== null}
          pending={sending || (stoppingId !== null && stoppingId === runningTurnId)}
          placeholder={
            typeof headVersion === "number"
              ? t("composer.placeholderModify", { version: headVersion })
              : image
                ? t("composer.placeholderImage")
                : t("composer.placeholderNew")
          }
        />
      </div>
    </section>
  );
}

function EmptyChat({ title, onExample }: { title: string; onExample: (text: string) => void }) {
  const { t } = useTranslation();
  const examples = [t("chat.example1"), t("chat.example2"), t("chat.example3")];
  return (
    <div className="empty-chat" data-testid="empty-chat">
      <div className="empty-icon" aria-hidden="true">
        <IconSparkles size={28} />
      </div>
      <h2 className="empty-title">{title}</h2>
      <p className="empty-body" data-testid="app-ready">
        {t("chat.emptyBody")}
      </p>
      <div className="examples">
        <div className="section-label">{t("chat.examplesTitle")}</div>
        {examples.map((ex) => (
          <button key={ex} type="button" className="example" data-testid="example-prompt" onClick={() => onExample(ex)}>
            {ex}
          </button>
        ))}
      </div>
    </div>
  );
}
