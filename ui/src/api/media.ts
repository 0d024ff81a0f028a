import type { TurnRecord } from "./types";

/** `${base}/${rel}` with each segment of the relative path percent-encoded. */
export function localMediaUrl(base: string, rel: string): string {
  const path = rel
    .split("/")
    .filter((s) => s.length > 0 && s !== "." && s !== "..")
    .map(encodeURIComponent)
    .join("/");
  return `${base.replace(/\/+$/, "")}/${path}`;
}

export function isHttpUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** The video to play: the local copy when there is one, else the remote link. */
export function videoSource(turn: TurnRecord, base: string | null): string | null {
  if (turn.media.video && base) return localMediaUrl(base, turn.media.video);
  return isHttpUrl(turn.reply.video_url) ? turn.reply.video_url : null;
}

/** The poster: the local preview when there is one, else the remote preview. */
export function posterSource(turn: TurnRecord, base: string | null): string | null {
  if (turn.media.preview && base) return localMediaUrl(base, turn.media.preview);
  return isHttpUrl(turn.reply.preview_image_url) ? turn.reply.preview_image_url : null;
}
