import type { LibraryItem } from "../../api/types";

export interface LibraryFilter {
  /** Words to find in the prompt, the chat's title or the model ("v2" finds version 2). */
  query: string;
  /** "" = every model. */
  model: string;
  /** A conversation id; "" = every chat. */
  conversation: string;
}

export const NO_FILTER: LibraryFilter = { query: "", model: "", conversation: "" };

export function isFiltered(f: LibraryFilter): boolean {
  return f.query.trim() !== "" || f.model !== "" || f.conversation !== "";
}

/** Every whitespace-separated word of the query must match (case-insensitive). */
export function matchesQuery(item: LibraryItem, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [item.prompt, item.conversation_title, item.model].join("\n").toLowerCase();
  return words.every((w) => hay.includes(w) || w === `v${item.version}`);
}

export function filterItems(items: readonly LibraryItem[], f: LibraryFilter): LibraryItem[] {
  return items.filter(
    (i) =>
      (f.model === "" || i.model === f.model) &&
      (f.conversation === "" || i.conversation_id === f.conversation) &&
      matchesQuery(i, f.query),
  );
}

/** The models in the library, sorted. */
export function modelsOf(items: readonly LibraryItem[]): string[] {
  return [...new Set(items.map((i) => i.model))].sort();
}

/** The conversations in the library (id and title), in the order they first appear (newest first). */
export function conversationsOf(items: readonly LibraryItem[]): { id: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const i of items) if (!seen.has(i.conversation_id)) seen.set(i.conversation_id, i.conversation_title);
  return [...seen].map(([id, title]) => ({ id, title }));
}

/**
 * The version to compare `item` with by default: the one it changed, else another version of the same
 * chat (the one before it, else the one after), else the newest other video.
 */
export function defaultPartner(items: readonly LibraryItem[], item: LibraryItem): LibraryItem | null {
  const others = items.filter((i) => i.turn_id !== item.turn_id);
  const same = others.filter((i) => i.conversation_id === item.conversation_id);
  const parent = item.parent_version === null ? undefined : same.find((i) => i.version === item.parent_version);
  if (parent) return parent;
  const before = same.filter((i) => i.version < item.version).sort((a, b) => b.version - a.version)[0];
  const after = same.filter((i) => i.version > item.version).sort((a, b) => a.version - b.version)[0];
  return before ?? after ?? others[0] ?? null;
}
