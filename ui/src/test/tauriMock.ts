// Test doubles for the Tauri modules. Use in a test file with:
//   vi.mock("@tauri-apps/api/core", async () => (await import("../test/tauriMock")).coreModule);
// and set `handlers[command]` for the commands the test needs. The real invoke is never called.
import { vi } from "vitest";

export type Handler = (args: Record<string, unknown> | undefined) => unknown;

export const handlers: Record<string, Handler> = {};

export const invoke = vi.fn(async (cmd: string, args?: Record<string, unknown>) => {
  const handler = handlers[cmd];
  if (!handler) throw { kind: "io", message: `no mock for ${cmd}`, retry_after_secs: null };
  return handler(args);
});

/** Channels created by the code under test, newest last. */
export const channels: Channel<unknown>[] = [];

export class Channel<T> {
  onmessage: (message: T) => void = () => undefined;
  constructor() {
    channels.push(this as Channel<unknown>);
  }
}

type Listener = (event: { event: string; id: number; payload: unknown }) => void;
export const eventListeners = new Map<string, Set<Listener>>();

export const listen = vi.fn(async (event: string, handler: Listener) => {
  let set = eventListeners.get(event);
  if (!set) eventListeners.set(event, (set = new Set()));
  set.add(handler);
  return () => set.delete(handler);
});

/** Fires a backend event at the listeners. */
export function emitEvent(event: string, payload: unknown) {
  for (const l of eventListeners.get(event) ?? []) l({ event, id: 0, payload });
}

export const writeText = vi.fn(async (_text: string) => undefined);
export const openDialog = vi.fn(async () => null);

export function resetTauriMocks() {
  for (const k of Object.keys(handlers)) delete handlers[k];
  channels.length = 0;
  eventListeners.clear();
  invoke.mockClear();
  listen.mockClear();
  writeText.mockClear();
  openDialog.mockClear();
}

export const coreModule = { invoke, Channel };
export const eventModule = { listen };
export const clipboardModule = { writeText };
export const dialogModule = { open: openDialog };
