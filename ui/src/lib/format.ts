import { dateTimeFormat, relativeTimeFormat } from "./intl";

/** "0:42", "3:05", "1:02:03" from milliseconds (never negative). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** "3 minutes ago" / "3 分钟前", or a date for anything older than a week. */
export function formatRelative(then: number, now: number, lang: string, justNow: string): string {
  const diff = Math.round((then - now) / 1000);
  const abs = Math.abs(diff);
  if (abs < 45) return justNow;
  const rtf = relativeTimeFormat(lang, { numeric: "auto" });
  if (abs < 3600) return rtf.format(Math.round(diff / 60), "minute");
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), "hour");
  if (abs < 7 * 86_400) return rtf.format(Math.round(diff / 86_400), "day");
  return dateTimeFormat(lang, { month: "short", day: "numeric", year: "numeric" }).format(then);
}

/** A full date and time, for tooltips. */
export function formatDateTime(ms: number, lang: string): string {
  return dateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(ms);
}

export const MAX_PROMPT_CHARS = 8000;

/** Characters as the backend counts them (Unicode scalar values). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
