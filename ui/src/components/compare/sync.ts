// Two videos driven as one: play, pause and seek act on both, and a video that drifts from the other is put
// back in step. The shared timeline is the longer video's: the shorter one simply stops at its end.

/** The parts of an HTMLMediaElement the sync uses (so tests can pass plain objects). */
export interface MediaLike {
  currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  readonly seeking: boolean;
  play(): Promise<void> | void;
  pause(): void;
}

/** More apart than this (seconds) and the following video is re-synced. */
export const DRIFT_LIMIT = 0.1;
/** Closer than this to a video's end counts as at its end. */
const END_SLACK = 0.05;

function len(m: MediaLike): number {
  return Number.isFinite(m.duration) && m.duration > 0 ? m.duration : 0;
}

/** The shared timeline's length: the longer of the two (0 while neither is known). */
export function sharedDuration(a: MediaLike, b: MediaLike): number {
  return Math.max(len(a), len(b));
}

/** The video whose time is the shared time: the longer one (the first on a tie or while unknown). */
export function clockOf(a: MediaLike, b: MediaLike): MediaLike {
  return len(b) > len(a) ? b : a;
}

/** Whether `t` is still inside this video (it has frames to play at `t`). */
function inside(m: MediaLike, t: number): boolean {
  const d = len(m);
  return d === 0 || t < d - END_SLACK;
}

function setTime(m: MediaLike, t: number) {
  const d = len(m);
  m.currentTime = d > 0 ? Math.min(t, d) : t;
}

/** Move both to `t` (clamped to the shared timeline). Returns the time set. */
export function seekBoth(a: MediaLike, b: MediaLike, t: number): number {
  const total = sharedDuration(a, b);
  const time = Math.max(0, total > 0 ? Math.min(t, total) : t);
  setTime(a, time);
  setTime(b, time);
  return time;
}

/**
 * Start both from the shared time (from the start when the timeline is over). A video already past its
 * end stays there. Resolves when both have started (or rejects like `play()`).
 */
export async function playBoth(a: MediaLike, b: MediaLike): Promise<void> {
  const clock = clockOf(a, b);
  let t = clock.currentTime;
  const total = sharedDuration(a, b);
  if (total > 0 && t >= total - END_SLACK) t = 0;
  seekBoth(a, b, t);
  await Promise.all([a, b].filter((m) => inside(m, t)).map((m) => m.play()));
}

/** Pause both, and line the follower up with the clock. */
export function pauseBoth(a: MediaLike, b: MediaLike) {
  a.pause();
  b.pause();
  const clock = clockOf(a, b);
  const other = clock === a ? b : a;
  if (inside(other, clock.currentTime)) setTime(other, clock.currentTime);
}

/**
 * While playing: if the follower has drifted more than DRIFT_LIMIT from the clock, put it back (and start it
 * if it stopped before its end). Returns true when it had to. Leaves a video that is seeking alone.
 */
export function resync(a: MediaLike, b: MediaLike): boolean {
  const clock = clockOf(a, b);
  const other = clock === a ? b : a;
  if (clock.paused || clock.seeking || other.seeking) return false;
  const t = clock.currentTime;
  if (!inside(other, t)) return false; // the shorter video has ended: nothing to follow
  let fixed = false;
  if (Math.abs(other.currentTime - t) > DRIFT_LIMIT) {
    setTime(other, t);
    fixed = true;
  }
  if (other.paused) {
    void Promise.resolve(other.play()).catch(() => undefined);
    fixed = true;
  }
  return fixed;
}
