/** A base URL the backend can use: http(s), a host, no spaces. */
export function isValidBaseUrl(value: string): boolean {
  const v = value.trim();
  if (!/^https?:\/\/[^\s/?#]+/i.test(v) || /\s/.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

export const MIN_IDLE_MINUTES = 1;
export const MAX_IDLE_MINUTES = 360;

/** Parses the idle-timeout field (minutes) into seconds, or null when it is not valid. */
export function parseIdleMinutes(value: string): number | null {
  const v = value.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(v)) return null;
  const minutes = Number(v);
  if (!Number.isFinite(minutes) || minutes < MIN_IDLE_MINUTES || minutes > MAX_IDLE_MINUTES) return null;
  return Math.round(minutes * 60);
}
