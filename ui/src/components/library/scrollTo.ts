// Bringing one turn of the chat into view, whether or not the list renders every turn: a virtualized list
// only has the turns near the viewport in the DOM, so a turn that is not there yet is first approached
// from its position in the conversation, then placed exactly once it renders.

/** Space left above the turn (px), so its prompt is not glued to the list's top edge. */
export const TOP_GAP = 16;
/** Frames the turn must stay in place (the list measures rows and loads media meanwhile). */
const STABLE_FRAMES = 12;

export interface Box {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** Where the list should scroll to show, at its top, an element whose top is `elTop` px below the list's. */
export function placedScrollTop(box: Box, elTopInView: number, gap = TOP_GAP): number {
  const want = box.scrollTop + elTopInView - gap;
  return Math.round(Math.min(Math.max(0, want), Math.max(0, box.scrollHeight - box.clientHeight)));
}

/** A first guess of where the `index`-th of `count` rows is, for a row the list has not rendered. */
export function estimatedScrollTop(box: Box, index: number, count: number): number {
  if (count <= 0 || index < 0) return box.scrollTop;
  return Math.round((index / count) * Math.max(0, box.scrollHeight - box.clientHeight));
}

export interface BringOptions {
  /** The list's scrolling element (looked up each frame: it may mount later than the request). */
  scroller: () => HTMLElement | null;
  turnId: string;
  /** The conversation's turn ids in order, when known (for turns not rendered yet). */
  order: () => string[] | null;
  timeoutMs?: number;
  onDone?: (placed: boolean) => void;
}

/**
 * Scrolls the list until the turn sits at its top and stays there for a few frames, or until the reader
 * scrolls, clicks or types in the list, or the time is up. Returns a function that stops it.
 */
export function bringTurnIntoView({ scroller, turnId, order, timeoutMs = 4000, onDone }: BringOptions): () => void {
  const deadline = performance.now() + timeoutMs;
  let stable = 0;
  let frame = 0;
  let stopped = false;
  let attached: HTMLElement | null = null;

  const byReader = () => finish(false);
  const finish = (placed: boolean) => {
    if (stopped) return;
    stopped = true;
    cancelAnimationFrame(frame);
    for (const type of ["wheel", "touchstart", "keydown", "pointerdown"]) attached?.removeEventListener(type, byReader);
    onDone?.(placed);
  };

  const step = () => {
    if (stopped) return;
    if (performance.now() > deadline) return finish(false);
    const list = scroller();
    if (list && list !== attached) {
      attached = list;
      for (const type of ["wheel", "touchstart", "keydown", "pointerdown"])
        list.addEventListener(type, byReader, { passive: true });
    }
    const el = list?.querySelector<HTMLElement>(`[data-testid="turn"][data-turn-id="${turnId}"]`) ?? null;
    if (list && el) {
      const top = el.getBoundingClientRect().top - list.getBoundingClientRect().top;
      const want = placedScrollTop(list, top);
      if (Math.abs(list.scrollTop - want) > 2) {
        list.scrollTop = want;
        stable = 0;
      } else if (++stable >= STABLE_FRAMES) {
        return finish(true);
      }
    } else if (list) {
      const ids = order();
      const index = ids?.indexOf(turnId) ?? -1;
      if (index >= 0) list.scrollTop = estimatedScrollTop(list, index, ids?.length ?? 0);
      stable = 0;
    }
    frame = requestAnimationFrame(step);
  };

  if (!/^[\w-]+$/.test(turnId)) {
    onDone?.(false);
    return () => undefined;
  }
  frame = requestAnimationFrame(step);
  return () => finish(false);
}
