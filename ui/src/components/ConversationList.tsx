import { useRef, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { ConversationSummary } from "../api/types";

/** A sidebar row's height (36 px thumbnail + padding + gap); rows are measured once shown. */
const ESTIMATED_ROW = 54;
/** Rows kept rendered above and below the visible ones. */
const OVERSCAN = 6;

interface ConversationListProps {
  items: readonly ConversationSummary[];
  render: (item: ConversationSummary, index: number) => ReactNode;
}

/**
 * The sidebar's list. Only the rows near the viewport are in the DOM, so a history of hundreds of
 * conversations neither slows the first paint nor keeps hundreds of decoded thumbnails alive. `data-count`
 * tells how many conversations the list holds (the rows in the DOM are fewer). Where the platform cannot
 * measure (no ResizeObserver, as in jsdom), every row is rendered.
 */
export function ConversationList({ items, render }: ConversationListProps) {
  if (typeof ResizeObserver === "undefined") {
    return (
      <ul className="conv-list" data-testid="conversation-list" data-count={items.length}>
        {items.map((item, i) => (
          <li key={item.id} className="conv-slot" data-index={i}>
            {render(item, i)}
          </li>
        ))}
      </ul>
    );
  }
  return <Virtualized items={items} render={render} />;
}

function Virtualized({ items, render }: ConversationListProps) {
  const scroller = useRef<HTMLUListElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: OVERSCAN,
    getItemKey: (index) => items[index]?.id ?? index,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0];
  const last = rows[rows.length - 1];
  // Spacers above and below keep the scroll height; the rows stay in normal flow, so the list keeps
  // its look. Each slot is measured whole (its bottom padding is the gap between rows).
  const before = first ? first.start : 0;
  const after = last ? Math.max(0, virtualizer.getTotalSize() - last.end) : 0;
  return (
    <ul ref={scroller} className="conv-list" data-testid="conversation-list" data-count={items.length}>
      {before > 0 && <li aria-hidden="true" className="conv-spacer" style={{ height: before }} />}
      {rows.map((row) => {
        const item = items[row.index];
        return item ? (
          <li key={row.key} className="conv-slot" data-index={row.index} ref={virtualizer.measureElement}>
            {render(item, row.index)}
          </li>
        ) : null;
      })}
      {after > 0 && <li aria-hidden="true" className="conv-spacer" style={{ height: after }} />}
    </ul>
  );
}
