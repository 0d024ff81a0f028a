import { lazy, Suspense, useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Failure, RemoteStatus, TurnRecord } from "../api/types";
import { checkStatus, openExternal, openMediaFolder, saveVideoAs } from "../api/commands";
import { isHttpUrl, isRemoteMediaUrl, posterSource, videoSource } from "../api/media";
import { useApp, useNotifyError } from "../state/app";
import { jobStore } from "../state/jobs";
import { showToast } from "../state/toasts";
import { errorText, failureDetail, type FailureDetail } from "../lib/errorText";
import { useCopy } from "../hooks/useCopy";
import { useProgressPainted } from "../lib/perf";
import { Stepper } from "./Stepper";
import { VideoPlayer } from "./VideoPlayer";
import {
  IconAlert,
  IconBranch,
  IconChevron,
  IconCheck,
  IconCode,
  IconCopy,
  IconDownload,
  IconExternal,
  IconFolder,
  IconLink,
  IconRefresh,
  IconSparkles,
  Spinner,
} from "./icons";

// The markdown renderer is most of the bundle and only shown on demand: loaded the first time a reply's
// text is opened, so start-up parses and keeps less script.
const ServerText = lazy(() => import("./ServerText").then((m) => ({ default: m.ServerText })));

export interface ReplyCardProps {
  conversationId: string;
  turn: TurnRecord;
  /** The next message modifies this turn's version. */
  isHead: boolean;
  /** The version this turn remixes: a number, "unknown" when its parent is not a version, null for a new video. */
  parentVersion: number | "unknown" | null;
  onContinue: (turnId: string) => void;
  onRetry: (turn: TurnRecord) => void;
  /** The stored conversation changed (e.g. check status completed the turn). */
  onChanged: () => void;
  /** More buttons for the card's footer (e.g. compare). */
  actions?: ReactNode;
}

/** The failure to show for a turn (a finished reply without a video counts as a generation failure). */
export function turnFailure(turn: TurnRecord): Failure | null {
  const f = turn.failure ?? turn.reply.failure;
  if (f) return f;
  if (turn.status === "failed") return { kind: "generation_failed", message: "", retry_after_secs: null, status: null };
  return null;
}

interface CheckResult {
  status: RemoteStatus;
  progress: number | null;
}

export function ReplyCard({
  conversationId,
  turn,
  isHead,
  parentVersion,
  onContinue,
  onRetry,
  onChanged,
  actions,
}: ReplyCardProps) {
  const { t } = useTranslation();
  const { mediaBase, openSettings } = useApp();
  const notifyError = useNotifyError();
  const [showText, setShowText] = useState(false);
  const [checking, setChecking] = useState(false);
  const [checkResult, setCheckResult] = useState<CheckResult | null>(null);
  const [linkCopied, copyLink] = useCopy(notifyError);
  const [idCopied, copyId] = useCopy(notifyError);

  const { reply, status } = turn;
  const running = status === "running";
  const succeeded = status === "succeeded";
  const failure = turnFailure(turn);
  const task = reply.task;
  const taskPage = isHttpUrl(task?.task_page_url) ? task.task_page_url : null;

  // Play the local copy; if it cannot be loaded, fall back to the server's link.
  const local = videoSource(turn, mediaBase);
  const remoteLink = isHttpUrl(reply.video_url) ? reply.video_url : null;
  const remote = isRemoteMediaUrl(reply.video_url) ? reply.video_url : null;
  const [useRemote, setUseRemote] = useState(false);
  useEffect(() => setUseRemote(false), [local]);
  // Deleted from the library: its local files are gone and it no longer plays here.
  const removed = turn.media.removed_at != null;
  const src = succeeded && !removed ? (useRemote ? remote : local) : null;
  const poster = posterSource(turn, mediaBase);
  const playingRemote = src !== null && src === remote && !turn.media.video;

  const phaseLabel =
    status === "running"
      ? t(`turn.status.${reply.phase === "completed" || reply.phase === "failed" ? "generating" : reply.phase}`)
      : status === "succeeded"
        ? t("turn.status.completed")
        : status === "interrupted"
          ? t("turn.status.interrupted")
          : t("turn.status.failed");

  const ended = status === "interrupted" || status === "failed";
  // Checking polls the task's raw data link: without it the backend cannot check.
  const canCheck = ended && !!task?.raw_data_url;
  const canRetry = ended;
  const stopped = ended && failure?.kind === "cancelled";
  const endNote = stopped
    ? canCheck
      ? t("turn.stoppedNote")
      : task
        ? t("turn.stoppedNoteNoCheck")
        : null
    : status === "interrupted"
      ? canCheck
        ? t("turn.interruptedNote")
        : t("turn.interruptedNoteNoCheck")
      : null;
  const showProgress = running || (!succeeded && reply.progress !== null);
  const progress = Math.max(0, Math.min(100, reply.progress ?? 0));
  useProgressPainted(task?.id, reply.progress, running, () => jobStore.receivedAt(turn.id));

  async function doCheck() {
    setChecking(true);
    setCheckResult(null);
    try {
      const res = await checkStatus(conversationId, turn.id);
      jobStore.put(conversationId, res.turn);
      setCheckResult({ status: res.remote_status, progress: res.turn.reply.progress });
      onChanged();
    } catch (err) {
      notifyError(err);
    } finally {
      setChecking(false);
    }
  }

  async function doSaveAs() {
    try {
      const path = await saveVideoAs(conversationId, turn.id);
      if (path) showToast({ tone: "success", text: t("turn.savedTo", { path }) });
    } catch (err) {
      notifyError(err);
    }
  }

  async function doCopyLink() {
    if (remoteLink && (await copyLink(remoteLink))) showToast({ tone: "success", text: t("turn.linkCopied") });
  }

  const checkText = checkResult
    ? checkResult.status === "running"
      ? checkResult.progress !== null
        ? t("turn.check.running", { progress: checkResult.progress })
        : t("turn.check.runningNoProgress")
      : t(`turn.check.${checkResult.status}`)
    : null;

  return (
    <article
      className={`reply-card status-${status}${isHead ? " is-head" : ""}`}
      data-testid="reply-card"
      aria-label={turn.version !== null ? t("turn.version", { version: turn.version }) : t("turn.reply")}
    >
      <header className="reply-head">
        <span className="reply-avatar" aria-hidden="true">
          <IconSparkles size={14} />
        </span>
        <span className="reply-name">{t("turn.reply")}</span>
        {turn.version !== null && succeeded && (
          <span className="badge badge-version" data-testid="version-badge">
            {t("turn.version", { version: turn.version })}
          </span>
        )}
        {parentVersion !== null && (
          <span className="badge badge-muted" data-testid="remix-of">
            {parentVersion === "unknown" ? t("turn.remixOfOld") : t("turn.remixOf", { version: parentVersion })}
          </span>
        )}
        <span className={`status-chip chip-${status}`} data-testid="reply-status">
          {running && <Spinner size={10} />}
          {phaseLabel}
          {running && reply.progress !== null && ` ${progress}%`}
        </span>
        <span className="reply-model" title={turn.model}>
          {turn.model}
        </span>
      </header>

      {isHead && (
        <p className="head-note" data-testid="head-note">
          <IconBranch size={14} />
          {t("turn.headNote")}
        </p>
      )}

      {reply.plan && (reply.plan.prompt || reply.plan.orientation || reply.plan.duration !== null) && (
        <div className="reply-plan">
          <div className="section-label">{t("turn.plan")}</div>
          {reply.plan.prompt && <p className="plan-prompt">{reply.plan.prompt}</p>}
          <div className="plan-meta">
            {reply.plan.orientation && (
              <span className="tag" data-testid="plan-orientation">
                {orientationLabel(t, reply.plan.orientation)}
              </span>
            )}
            {reply.plan.duration !== null && (
              <span className="tag" data-testid="plan-duration">
                {t("turn.duration", { count: reply.plan.duration })}
              </span>
            )}
          </div>
        </div>
      )}

      {task && (
        <div className="task-row">
          <span className="section-label">{t("turn.taskId")}</span>
          <code className="task-id" data-testid="task-id">
            {task.id}
          </code>
          <button
            type="button"
            className="icon-button small"
            aria-label={t("turn.copyTaskId")}
            title={t("turn.copyTaskId")}
            onClick={() => void copyId(task.id)}
          >
            {idCopied ? <IconCheck size={14} /> : <IconCopy size={14} />}
          </button>
          {reply.task_ids.length > 1 && (
            <span className="task-note">{t("turn.resubmitted", { count: reply.task_ids.length })}</span>
          )}
        </div>
      )}

      <Stepper turn={turn} />

      {showProgress && (
        <div className="progress-row">
          <div
            className={`progress${running ? "" : " is-stopped"}${running && reply.progress === null ? " is-waiting" : ""}`}
            role="progressbar"
            aria-label={t("turn.progress")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress}
            data-testid="progress"
          >
            {/* Scaled, not resized: a transform moves on the compositor without a layout per frame. */}
            <div className="progress-fill" style={{ transform: `scaleX(${progress / 100})` }} />
          </div>
          <span className="progress-text">{reply.progress !== null ? `${progress}%` : t("turn.waiting")}</span>
        </div>
      )}

      {failure && (
        <div
          className={`reply-error${failure.kind === "cancelled" ? " is-muted" : ""}`}
          role={running ? undefined : "alert"}
        >
          <IconAlert size={16} />
          <div className="reply-error-body">
            <p className="reply-error-text" data-testid="error-message" data-kind={failure.kind}>
              {errorText(t, failure)}
            </p>
            <FailureDetailView detail={failureDetail(t, failure)} />
            {(failure.kind === "auth" || failure.kind === "certificate") && (
              <button type="button" className="button small" data-testid="open-settings" onClick={openSettings}>
                {t("errors.openSettings")}
              </button>
            )}
          </div>
        </div>
      )}

      {endNote && (
        <p className="reply-note" data-testid="end-note">
          {endNote}
        </p>
      )}

      {checkText && (
        <p className="reply-note check-result" data-testid="check-result" role="status">
          {checkText}
        </p>
      )}

      {src && (
        <VideoPlayer
          src={src}
          poster={poster}
          label={t("turn.video", { version: turn.version ?? "" })}
          onError={() => {
            if (!useRemote && remote && src !== remote) setUseRemote(true);
          }}
        />
      )}
      {succeeded && removed && (
        <p className="reply-note muted" data-testid="media-removed">
          {t("turn.mediaRemoved")}
        </p>
      )}
      {succeeded && turn.media.state === "downloading" && (
        <p className="reply-note muted" data-testid="media-downloading">
          <Spinner size={10} /> {t("turn.mediaDownloading")}
        </p>
      )}
      {succeeded && turn.media.state === "failed" && (
        <p className="reply-note warn" data-testid="media-failed">
          {t("turn.mediaFailed", {
            reason: turn.media.error_kind
              ? t(`turn.mediaFailedKind.${turn.media.error_kind}`)
              : (turn.media.error ?? ""),
          })}
          {remote && ` ${t("turn.mediaFailedRemoteNote")}`}
        </p>
      )}
      {succeeded && turn.media.state !== "failed" && turn.media.state !== "downloading" && playingRemote && (
        <p className="reply-note muted">{t("turn.mediaRemote")}</p>
      )}

      <footer className="reply-actions">
        {succeeded && (
          <>
            <button
              type="button"
              className="button small"
              disabled={!turn.media.video}
              onClick={() => void doSaveAs()}
              data-testid="save-as"
            >
              <IconDownload size={14} />
              {t("turn.saveAs")}
            </button>
            <button
              type="button"
              className="button small"
              disabled={!turn.media.video}
              onClick={() => openMediaFolder(conversationId, turn.id).catch(notifyError)}
              data-testid="open-folder"
            >
              <IconFolder size={14} />
              {t("turn.openFolder")}
            </button>
            <button
              type="button"
              className="button small"
              disabled={!remoteLink}
              onClick={() => void doCopyLink()}
              data-testid="copy-link"
            >
              {linkCopied ? <IconCheck size={14} /> : <IconLink size={14} />}
              {linkCopied ? t("common.copied") : t("turn.copyLink")}
            </button>
          </>
        )}
        {taskPage && (
          <button
            type="button"
            className="button small"
            onClick={() => openExternal(taskPage).catch(notifyError)}
            data-testid="open-task-page"
          >
            <IconExternal size={14} />
            {t("turn.openTaskPage")}
          </button>
        )}
        {canCheck && (
          <button
            type="button"
            className="button small"
            onClick={() => void doCheck()}
            disabled={checking}
            data-testid="check-status"
          >
            {checking ? <Spinner size={12} /> : <IconRefresh size={14} />}
            {checking ? t("turn.checking") : t("turn.checkStatus")}
          </button>
        )}
        {canRetry && (
          <button type="button" className="button small" onClick={() => onRetry(turn)} data-testid="retry">
            <IconRefresh size={14} />
            {t("turn.retry")}
          </button>
        )}
        {succeeded && turn.version !== null && !isHead && (
          <button
            type="button"
            className="button small button-accent-ghost"
            onClick={() => onContinue(turn.id)}
            data-testid="continue-from-here"
            title={t("turn.continueHint")}
          >
            <IconBranch size={14} />
            {t("turn.continue")}
          </button>
        )}
        {actions}
        <span className="spacer" />
        {turn.content.length > 0 && (
          <button
            type="button"
            className="button small button-ghost"
            aria-expanded={showText}
            onClick={() => setShowText((v) => !v)}
            data-testid="show-server-text"
          >
            <IconCode size={14} />
            {showText ? t("turn.hideServerText") : t("turn.showServerText")}
          </button>
        )}
      </footer>

      {showText && (
        <Suspense
          fallback={
            <div className="server-text">
              <Spinner size={12} label={t("app.loading")} />
            </div>
          }
        >
          <ServerText content={turn.content} />
        </Suspense>
      )}
    </article>
  );
}

/** The line under a failure's text: the server's words inline, a local technical message behind "Details". */
function FailureDetailView({ detail }: { detail: FailureDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      {detail.inline && (
        <p className="reply-error-detail" data-testid="error-detail">
          {detail.inline}
        </p>
      )}
      {detail.disclosure && (
        <div className="error-disclosure">
          <button
            type="button"
            className="disclosure-toggle"
            aria-expanded={open}
            aria-controls={id}
            onClick={() => setOpen((v) => !v)}
            data-testid="error-details-toggle"
          >
            <IconChevron size={12} className={open ? "is-open" : undefined} />
            {t("errors.details")}
          </button>
          {open && (
            <p id={id} className="reply-error-detail" data-testid="error-details">
              {detail.disclosure}
            </p>
          )}
        </div>
      )}
    </>
  );
}

function orientationLabel(t: (k: string) => string, orientation: string): string {
  const o = orientation.trim().toLowerCase();
  if (o === "portrait" || o === "vertical" || o === "9:16") return t("turn.orientation.portrait");
  if (o === "landscape" || o === "horizontal" || o === "16:9") return t("turn.orientation.landscape");
  if (o === "square" || o === "1:1") return t("turn.orientation.square");
  return orientation;
}
