// Files dragged onto the window. Tauri gives the webview the paths (HTML drag and drop has no
// paths); the backend stages them.
import { getCurrentWebview } from "@tauri-apps/api/webview";

export type DropEvent = { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

/** Listens for file drags over the window; returns the unlisten function. */
export async function onFileDrop(handler: (e: DropEvent) => void): Promise<() => void> {
  let webview;
  try {
    webview = getCurrentWebview();
  } catch {
    return () => undefined; // not inside Tauri (e.g. a unit test without a mock)
  }
  const unlisten = await webview.onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === "enter" || p.type === "over") handler({ type: "over" });
    else if (p.type === "drop") handler({ type: "drop", paths: p.paths });
    else handler({ type: "leave" });
  });
  return () => void unlisten();
}
