import type { TFunction } from "i18next";
import type { AppErrorKind } from "../api/types";
import { isAppErrorKind } from "../api/errors";

export interface ErrorLike {
  kind: AppErrorKind | string;
  message: string;
  retry_after_secs?: number | null | undefined;
}

/** The localized, plain-language text for an error (the server's own words go in `errorDetail`). */
export function errorText(t: TFunction, err: ErrorLike): string {
  const kind = isAppErrorKind(err.kind) ? err.kind : "server";
  if (kind === "rate_limited" && err.retry_after_secs != null && err.retry_after_secs > 0) {
    return t("errors.rate_limited_wait", { count: err.retry_after_secs });
  }
  if (kind === "policy" && err.message.trim()) {
    return t("errors.policy_reason", { reason: err.message.trim() });
  }
  return t(`errors.${kind}`);
}

/** The underlying message, when it adds something to `errorText`. */
export function errorDetail(err: ErrorLike): string | null {
  const msg = err.message.trim();
  if (!msg || err.kind === "policy" || err.kind === "cancelled") return null;
  return msg.length > 400 ? `${msg.slice(0, 400)}…` : msg;
}

/** The exact message the backend stores on a reply that was running when the app closed (or crashed). */
export const APP_CLOSED_MESSAGE = "the app closed before the reply finished";

/**
 * Kinds whose message is made up locally (by the HTTP client, the idle timer, the stop button or the parser)
 * rather than written by the server: technical, usually English, so not for the main text.
 */
const LOCAL_KINDS: ReadonlySet<string> = new Set(["network", "timeout", "certificate", "cancelled", "protocol"]);

export interface FailureDetail {
  /** A line shown under the main text: the server's own words (or a localized local one). */
  inline: string | null;
  /** A technical message, for a collapsed "Details" disclosure. */
  disclosure: string | null;
}

function clip(msg: string, max: number): string {
  return msg.length > max ? `${msg.slice(0, max)}…` : msg;
}

/** How a reply's failure message is shown next to `errorText`. */
export function failureDetail(t: TFunction, err: ErrorLike): FailureDetail {
  const msg = err.message.trim();
  if (!msg) return { inline: null, disclosure: null };
  if (msg === APP_CLOSED_MESSAGE) return { inline: t("errors.appClosed"), disclosure: null };
  // The policy reason is already part of errorText.
  if (err.kind === "policy") return { inline: null, disclosure: null };
  if (LOCAL_KINDS.has(err.kind)) return { inline: null, disclosure: clip(msg, 2000) };
  return { inline: clip(msg, 400), disclosure: null };
}
