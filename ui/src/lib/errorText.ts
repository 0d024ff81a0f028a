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
