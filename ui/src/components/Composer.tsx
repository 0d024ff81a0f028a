import { forwardRef, useId, useLayoutEffect, useRef, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ImageAttachment, ModelList } from "../api/types";
import { MAX_PROMPT_CHARS, charCount } from "../lib/format";
import { KNOWN_MODELS, modelGroups, modelLabel, modelNote } from "../lib/models";
import { AttachButton, AttachmentChip } from "./ImageAttachment";
import { IconAlert, IconSend, IconStop, Spinner } from "./icons";

export { KNOWN_MODELS, modelLabel };

/** True when this keydown should send: Enter without Shift, and never while an IME is composing. */
export function isSendKey(e: KeyboardEvent<HTMLTextAreaElement>, composing = false): boolean {
  if (e.key !== "Enter" || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return false;
  if (composing || e.nativeEvent.isComposing || e.keyCode === 229 || e.nativeEvent.keyCode === 229) return false;
  return true;
}

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  onSend: (prompt: string) => void;
  onStop: () => void;
  model: string;
  onModelChange: (model: string) => void;
  /** A model not in the list to offer too (e.g. the default from the settings). */
  extraModel?: string | null;
  /** The server's models (GET /v1/models); the known two when absent. */
  models?: ModelList | null;
  /** The image attached to the next message, with a way to add and remove it. */
  attachment?: ImageAttachment | null;
  onAttach?: () => void;
  onRemoveAttachment?: () => void;
  /** An image is being prepared. */
  attaching?: boolean;
  /** A file is being dragged over the window. */
  dropActive?: boolean;
  mediaBase?: string | null;
  /** A generation is running in this conversation: the button stops it. */
  running: boolean;
  /** A send or stop request is on its way. */
  pending: boolean;
  placeholder: string;
}

export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  {
    value,
    onChange,
    onSend,
    onStop,
    model,
    onModelChange,
    extraModel,
    models,
    attachment = null,
    onAttach,
    onRemoveAttachment,
    attaching = false,
    dropActive = false,
    mediaBase = null,
    running,
    pending,
    placeholder,
  },
  ref,
) {
  const { t } = useTranslation();
  const hintId = useId();
  const composing = useRef(false);
  const inner = useRef<HTMLTextAreaElement | null>(null);

  const count = charCount(value);
  const empty = value.trim().length === 0;
  const tooLong = count > MAX_PROMPT_CHARS;
  const canSend = !empty && !tooLong && !running && !pending && !attaching;
  const nearLimit = count > MAX_PROMPT_CHARS * 0.9;

  // Grow with the text, up to a limit (then it scrolls).
  useLayoutEffect(() => {
    const el = inner.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [value]);

  function send() {
    if (canSend) onSend(value.trim());
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key !== "Enter") return;
    if (isSendKey(e, composing.current)) {
      e.preventDefault();
      send();
    }
  }

  const groups = modelGroups(models?.models ?? null, model, extraModel);
  const option = (m: string) => (
    <option key={m} value={m} title={modelNote(t, m) ?? undefined}>
      {modelLabel(t, m)}
    </option>
  );
  const fallbackNote = models?.fallback ? t("composer.modelsFallback") : null;

  return (
    <form
      className={`composer${dropActive ? " is-drop-target" : ""}`}
      data-testid="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {dropActive && (
        <div className="drop-overlay" data-testid="drop-overlay">
          {t("composer.dropHere")}
        </div>
      )}
      {attachment && (
        <div className="attachment-row">
          <AttachmentChip image={attachment} mediaBase={mediaBase} onRemove={() => onRemoveAttachment?.()} disabled={pending} />
        </div>
      )}
      <textarea
        ref={(el) => {
          inner.current = el;
          if (typeof ref === "function") ref(el);
          else if (ref) ref.current = el;
        }}
        className="composer-input"
        data-testid="composer-input"
        aria-label={t("composer.label")}
        aria-describedby={hintId}
        aria-invalid={tooLong || undefined}
        placeholder={placeholder}
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          composing.current = false;
        }}
      />
      <div className="composer-bar">
        {onAttach && <AttachButton onClick={onAttach} busy={attaching} disabled={pending} />}
        <label className="model-field">
          <span className="visually-hidden">{t("composer.model")}</span>
          <select
            className="select model-picker"
            data-testid="model-picker"
            data-fallback={models?.fallback ? "true" : "false"}
            value={model}
            onChange={(e) => onModelChange(e.target.value)}
            title={modelNote(t, model) ?? t("composer.model")}
          >
            {groups.other.length === 0 ? (
              groups.video.map(option)
            ) : (
              <>
                <optgroup label={t("composer.modelGroupVideo")}>{groups.video.map(option)}</optgroup>
                <optgroup label={t("composer.modelGroupOther")}>{groups.other.map(option)}</optgroup>
              </>
            )}
          </select>
        </label>
        {fallbackNote && (
          <span className="models-fallback" title={fallbackNote} data-testid="models-fallback">
            <IconAlert size={14} />
            <span className="visually-hidden">{fallbackNote}</span>
          </span>
        )}
        <span id={hintId} className={`composer-hint${tooLong ? " is-error" : ""}`} data-testid="composer-hint">
          {tooLong
            ? t("composer.tooLong", { max: MAX_PROMPT_CHARS })
            : running
              ? t("composer.busy")
              : empty
                ? t("composer.hintEmpty")
                : t("composer.hintKeys")}
        </span>
        {nearLimit && (
          <span className={`composer-counter${tooLong ? " is-error" : ""}`} data-testid="composer-counter">
            {t("composer.counter", { count, max: MAX_PROMPT_CHARS })}
          </span>
        )}
        {running ? (
          <button
            type="button"
            className="button button-danger-soft send-button"
            data-testid="stop-button"
            onClick={onStop}
            disabled={pending}
          >
            {pending ? <Spinner size={12} /> : <IconStop size={14} />}
            {pending ? t("composer.stopping") : t("composer.stop")}
          </button>
        ) : (
          <button type="submit" className="button button-primary send-button" data-testid="send-button" disabled={!canSend}>
            {pending ? <Spinner size={12} /> : <IconSend size={14} />}
            {t("composer.send")}
          </button>
        )}
      </div>
    </form>
  );
});

interface NextTargetProps {
  /** The head's version; "pending" when the head is set but its version is not known. */
  headVersion: number | "pending" | null;
  onMakeNew: () => void;
  busy?: boolean;
}

/** The line above the composer that says what the next message will do. */
export function NextTarget({ headVersion, onMakeNew, busy = false }: NextTargetProps) {
  const { t } = useTranslation();
  return (
    <div className={`next-target${headVersion !== null ? " is-modify" : ""}`} data-testid="next-target" aria-live="polite">
      {headVersion === null ? (
        <span>{t("next.newVideo")}</span>
      ) : (
        <>
          <span>
            {headVersion === "pending" ? t("next.modifyPending") : t("next.modify", { version: headVersion })}
          </span>
          <span aria-hidden="true">·</span>
          <button type="button" className="link-button" onClick={onMakeNew} disabled={busy} data-testid="make-new-video">
            {t("next.makeNew")}
          </button>
        </>
      )}
    </div>
  );
}
