// Performance marks for scripts/perf.d (start-up, stream-to-screen latency), handed to the
// `perf_mark` command with the wall clock (Date.now(), the clock the mock relay stamps with).
// "Painted" is the first task after the frame that drew the change: a task queued during a
// frame's animation-frame callbacks runs after that frame's style, layout and paint. So:
// - a change committed outside a frame (start-up: promise callbacks) waits for the next frame,
//   then one task (rAF → setTimeout);
// - a progress change is committed inside a frame already (JobStore flushes channel updates in
//   requestAnimationFrame), so one task is enough (setTimeout); `commit_ms` (the DOM updated,
//   not yet painted) is sent too, as a lower bound.
// The backend logs marks only when the app was started with REELCHAT_PERF_LOG; otherwise its
// first answer is `false` and no further marks are sent.
import { useLayoutEffect, useRef } from "react";
import { perfMark as perfMarkCommand } from "../api/commands";

let enabled: boolean | null = null;
const marked = new Set<string>();

/** Runs `run` in the first task after the next frame has been drawn. */
function afterNextPaint(run: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(run, 0));
  else setTimeout(run, 0);
}

/** Sends a mark now (wall clock = now). */
export function perfMark(name: string, detail: Record<string, unknown> | null = null): void {
  if (enabled === false) return;
  perfMarkCommand(name, Date.now(), detail).then(
    (on) => {
      enabled = on;
    },
    () => {
      enabled = false;
    },
  );
}

/** Sends `name` once per page load, after the first commit where `when` holds has been painted. */
export function usePaintedOnce(name: string, when: boolean, detail?: () => Record<string, unknown>): void {
  useLayoutEffect(() => {
    if (!when || marked.has(name) || enabled === false) return;
    marked.add(name);
    const d = detail ? detail() : null;
    afterNextPaint(() => perfMark(name, d));
  });
}

/**
 * Sends `progress` {task, value} after a running card showing a new progress value is painted, with
 * `commit_ms` (the DOM updated) and `received_ms` (`receivedAt()`: when the update reached the page).
 */
export function useProgressPainted(
  taskId: string | undefined,
  value: number | null,
  running: boolean,
  receivedAt: () => number | undefined = () => undefined,
): void {
  useLayoutEffect(() => {
    if (!running || value === null || !taskId || enabled === false) return;
    const commitMs = Date.now();
    const receivedMs = receivedAt() ?? null;
    setTimeout(() => perfMark("progress", { task: taskId, value, commit_ms: commitMs, received_ms: receivedMs }), 0);
    // `receivedAt` is read at the commit; a new function each render must not re-run the effect.
  }, [taskId, value, running]);
}

/**
 * Sends `conversation` {id, turns} after an opened conversation's turns are painted: once per opening (a
 * conversation opened again after another one is marked again).
 */
export function useConversationPainted(id: string | null, loadedId: string | null, turns: number): void {
  const last = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (enabled === false || !id || loadedId !== id || last.current === id) return;
    last.current = id;
    afterNextPaint(() => perfMark("conversation", { id, turns }));
  });
}
