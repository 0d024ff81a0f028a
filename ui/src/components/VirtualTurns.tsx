import { createContext, useContext, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";

/**
 * The scrolling element of the message list, for the virtualized rows inside it. An element (state), not a
 * ref: the rows' layout effects run before a parent's ref is attached, so they re-render once it exists.
 */
export const ScrollerContext = createContext<HTMLDivElement | null>(null);

/** A first guess of a turn's height (user bubble + reply card with a video); rows are measured once shown. */
const ESTIMATED_ROW = 420;
/** Rows kept rendered above and below the viewport: enough for smooth scrolling, few live videos. */
const OVERSCAN = 3;

interface VirtualTurnsProps<T> {
  items: readonly T[];
  getKey: (item: T) => string;
  render: (item: T) => ReactNode;
}

/**
 * Only the turns near the viewport are in the DOM, so a conversation of a thousand messages opens as fast as
 * a short one and keeps few `<video>` elements alive. Rows are measured as they render; the list's pinning
 * (MessageList) sees the total height change and keeps following the bottom. Where the platform cannot
 * measure (no ResizeObserver, as in jsdom), every row is rendered.
 */
export function VirtualTurns<T>(props: VirtualTurnsProps<T>) {
  if (typeof ResizeObserver === "undefined") {
    return (
      <div className="turns">
        {props.items.map((item) => (
          <div key={props.getKey(item)} className="turn-row">
            {props.render(item)}
          </div>
        ))}
      </div>
    );
  }
  return <Virtualized {...props} />;
}

function Virtualized<T>({ items, getKey, render }: VirtualTurnsProps<T>) {
  const scroller = useContext(ScrollerContext);
  const container = useRef<HTMLDivElement>(null);
  // Where the rows start inside the scroller (the padding and anything shown above them).
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const top = container.current?.offsetTop ?? 0;
    if (top !== margin) setMargin(top);
  });

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller,
    estimateSize: () => ESTIMATED_ROW,
    overscan: OVERSCAN,
    scrollMargin: margin,
    getItemKey: (index) => getKey(items[index] as T), // index < count
  });

  return (
    <div ref={container} className="turns turns-virtual" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((row) => (
        <div
          key={row.key}
          data-index={row.index}
          ref={virtualizer.measureElement}
          className="turn-row"
          style={{ transform: `translateY(${row.start - margin}px)` }}
        >
          {render(items[row.index] as T)}
        </div>
      ))}
    </div>
  );
}
