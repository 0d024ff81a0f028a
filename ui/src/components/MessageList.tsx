import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { ScrollerContext } from "./VirtualTurns";

/** Scrolling down to within this many pixels of the bottom pins the list again. */
export const BOTTOM_SLACK = 80;
/** Sub-pixel scroll positions: differences below this are noise. */
const EPSILON = 2;

/**
 * Decides whether the list stays pinned to the bottom after a scroll event.
 *
 * Only moving *up* unpins: that is the reader (wheel, keys, scrollbar, touch) or the browser showing them
 * something (focus, find in page). Content growing below the pinned position (a card getting its error box and
 * buttons, possibly between a scroll and its event) also makes the distance to the bottom large, but the
 * position did not move up: the list stays pinned and the resize observer brings it back to the bottom.
 */
export function stickAfterScroll(
  pinned: boolean,
  prevTop: number,
  m: { scrollTop: number; scrollHeight: number; clientHeight: number },
): boolean {
  const distance = m.scrollHeight - m.scrollTop - m.clientHeight;
  if (distance <= EPSILON) return true; // at the bottom (also when shrinking content clamped the position)
  if (m.scrollTop < prevTop - EPSILON) return false; // moved up
  if (distance < BOTTOM_SLACK) return true; // scrolled down to (nearly) the bottom
  return pinned;
}

/**
 * The scrolling list: starts at the bottom and stays pinned there (a new turn, a card that grows, the composer
 * or the window changing size) until the reader scrolls up; scrolling back down to the bottom pins it again.
 * Programmatic pinning is instant, so no animation can be mistaken for the reader scrolling away.
 */
export function MessageList({
  conversationId,
  count,
  children,
}: {
  conversationId: string | null;
  count: number;
  children: ReactNode;
}) {
  const scroller = useRef<HTMLDivElement | null>(null);
  const [scrollerEl, setScrollerEl] = useState<HTMLDivElement | null>(null);
  const setScroller = useCallback((el: HTMLDivElement | null) => {
    scroller.current = el;
    setScrollerEl(el);
  }, []);
  const content = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  /** The position after the last scroll event or programmatic scroll. */
  const lastTop = useRef(0);

  const toBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = Math.max(0, el.scrollHeight - el.clientHeight);
    lastTop.current = el.scrollTop;
  }, []);

  const pin = useCallback(() => {
    pinned.current = true;
    toBottom();
  }, [toBottom]);

  // Another conversation: start at its bottom.
  useLayoutEffect(() => pin(), [conversationId, pin]);

  // A new turn: follow it.
  const prevCount = useRef(count);
  useLayoutEffect(() => {
    const grew = count > prevCount.current;
    prevCount.current = count;
    if (grew) pin();
  }, [count, pin]);

  // Any other change of size (cards growing, media loading, the composer or window resizing): stay pinned.
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => {
      if (pinned.current) toBottom();
    });
    ro.observe(inner);
    ro.observe(el);
    return () => ro.disconnect();
  }, [toBottom]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    pinned.current = stickAfterScroll(pinned.current, lastTop.current, el);
    lastTop.current = el.scrollTop;
  }, []);

  return (
    <div className="messages" ref={setScroller} onScroll={onScroll} data-testid="message-list">
      <div className="messages-inner" ref={content}>
        <ScrollerContext.Provider value={scrollerEl}>{children}</ScrollerContext.Provider>
      </div>
    </div>
  );
}
