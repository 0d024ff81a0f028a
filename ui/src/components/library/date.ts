import { dateTimeFormat } from "../../lib/intl";

/** A card's date: month, day and time ("Nov 26, 02:19" / "11月26日 02:19"); the year only when it is not this one. */
export function formatShortDate(ms: number, lang: string, now = Date.now()): string {
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return dateTimeFormat(lang, {
    ...(sameYear ? {} : { year: "numeric" }),
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(ms);
}
