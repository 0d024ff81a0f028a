import { useEffect } from "react";
import { getConversation } from "../../api/commands";
import { focusStore, useFocusTarget } from "./focus";
import { bringTurnIntoView } from "./scrollTo";

/** How long the opened version stays highlighted. */
export const HIGHLIGHT_MS = 5000;

/**
 * When a version is opened from the library: once its conversation shows, scroll the chat to that turn
 * (TurnView highlights it), then let the highlight go. Renders nothing.
 */
export function FocusTurn({ conversationId }: { conversationId: string | null }) {
  const target = useFocusTarget();
  const seq = target?.conversationId === conversationId ? target.seq : null;
  const turnId = target?.turnId ?? null;

  useEffect(() => {
    if (seq === null || !conversationId || !turnId) return;
    let order: string[] | null = null;
    let live = true;
    getConversation(conversationId)
      .then((c) => {
        if (live) order = c.turns.map((x) => x.id);
      })
      .catch(() => undefined); // only a hint for long, virtualized lists
    const stop = bringTurnIntoView({
      scroller: () => document.querySelector<HTMLElement>('[data-testid="message-list"]'),
      turnId,
      order: () => order,
    });
    const timer = setTimeout(() => focusStore.clear(seq), HIGHLIGHT_MS);
    return () => {
      live = false;
      stop();
      clearTimeout(timer);
    };
  }, [seq, conversationId, turnId]);

  return null;
}
