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

/**
 * Whether the webview may load a server-given media link itself (while the local copy is not
 * there yet): https only, and never a loopback, private or link-local address — a hostile relay
 * must not make the app probe the user's own machine or network. Everything else waits for the
 * local copy, which the backend downloads with the same address rules.
 */
export function isRemoteMediaUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== "https:") return false;
  return !isPrivateHost(u.hostname);
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return true;
  const v4 = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (host.includes(":")) {
    // IPv6 literal: loopback, unspecified, unique-local, link-local, or an IPv4-mapped address.
    return (
      host === "::1" ||
      host === "::" ||
      /^f[cd][0-9a-f]{0,2}:/.test(host) ||
      /^fe[89ab][0-9a-f]?:/.test(host) ||
      host.startsWith("::ffff:")
    );
  }
  return false;
}

/** The video to play: the local copy when there is one, else the remote link if it may load. */
export function videoSource(turn: TurnRecord, base: string | null): string | null {
  if (turn.media.video && base) return localMediaUrl(base, turn.media.video);
  return isRemoteMediaUrl(turn.reply.video_url) ? turn.reply.video_url : null;
}

/** The poster: the local preview when there is one, else the remote preview if it may load. */
export function posterSource(turn: TurnRecord, base: string | null): string | null {
  if (turn.media.preview && base) return localMediaUrl(base, turn.media.preview);
  return isRemoteMediaUrl(turn.reply.preview_image_url) ? turn.reply.preview_image_url : null;
}
