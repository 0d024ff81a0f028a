import type { AppError, AppErrorKind } from "./types";

const KINDS: readonly AppErrorKind[] = [
  "auth",
  "quota",
  "rate_limited",
  "policy",
  "bad_request",
  "not_found",
  "server",
  "gateway",
  "network",
  "timeout",
  "certificate",
  "protocol",
  "generation_failed",
  "cancelled",
  "image_rejected",
  "invalid_input",
  "busy",
  "no_key",
  "disk_full",
  "read_only",
  "io",
  "download",
  "keychain",
];

export function isAppErrorKind(value: unknown): value is AppErrorKind {
  return typeof value === "string" && (KINDS as readonly string[]).includes(value);
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    isAppErrorKind((value as { kind?: unknown }).kind) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/**
 * Normalises anything a command rejected with into an `AppError`. The backend always sends an
 * AppError; a plain string or Error (e.g. a missing command or a Tauri IPC failure) becomes `io`.
 */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) {
    return { kind: err.kind, message: err.message, retry_after_secs: err.retry_after_secs ?? null };
  }
  const message =
    typeof err === "string" ? err : err instanceof Error ? err.message : JSON.stringify(err) ?? "unknown error";
  return { kind: "io", message, retry_after_secs: null };
}
