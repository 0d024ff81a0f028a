// App-wide backend events.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { RunningJob, TurnStatus } from "./types";

export interface JobsChangedPayload {
  running: RunningJob[];
}

export interface JobFinishedPayload {
  conversation_id: string;
  turn_id: string;
  status: TurnStatus;
}

export const onJobsChanged = (handler: (p: JobsChangedPayload) => void): Promise<UnlistenFn> =>
  listen<JobsChangedPayload>("jobs-changed", (e) => handler(e.payload));

export const onJobFinished = (handler: (p: JobFinishedPayload) => void): Promise<UnlistenFn> =>
  listen<JobFinishedPayload>("job-finished", (e) => handler(e.payload));

export const onCloseRequested = (handler: () => void): Promise<UnlistenFn> =>
  listen("close-requested", () => handler());

/** Subscribes and returns a synchronous cleanup that also works before `listen` resolved. */
export function subscribe(register: Promise<UnlistenFn>): () => void {
  let unlisten: UnlistenFn | null = null;
  let disposed = false;
  register
    .then((fn) => {
      if (disposed) fn();
      else unlisten = fn;
    })
    .catch((err: unknown) => console.warn("event listen failed", err));
  return () => {
    disposed = true;
    unlisten?.();
  };
}
