// The model picker: friendly names and notes for the known models, the server's list grouped
// (video models first, then "Other"), and the fallback when the list is unavailable.
import type { TFunction } from "i18next";
import type { ModelEntry } from "../api/types";

/** Offered when the server's list is unavailable (the backend uses the same two). */
export const KNOWN_MODELS = ["sora-2", "sora-2-pro"] as const;

type T = TFunction | ((key: string) => string);

/** "sora-2 · Standard · 10 s"; an unknown id as it is. */
export function modelLabel(t: T, model: string): string {
  if (model === "sora-2") return `sora-2 · ${t("composer.modelStandard")}`;
  if (model === "sora-2-pro") return `sora-2-pro · ${t("composer.modelPro")}`;
  return model;
}

/** What a known model makes (a tooltip), or null. */
export function modelNote(t: T, model: string): string | null {
  if (model === "sora-2") return t("composer.modelNoteStandard");
  if (model === "sora-2-pro") return t("composer.modelNotePro");
  return null;
}

export interface ModelGroups {
  video: string[];
  other: string[];
}

/**
 * The picker's options: the server's entries (or the known models), plus the current choice and the
 * settings' default when the list does not have them (so a selection is never lost).
 */
export function modelGroups(entries: readonly ModelEntry[] | null, current: string, extra?: string | null): ModelGroups {
  const list: ModelEntry[] = entries && entries.length > 0 ? [...entries] : KNOWN_MODELS.map((id) => ({ id, video: true }));
  const seen = new Set(list.map((m) => m.id));
  for (const id of [extra, current]) {
    if (id && !seen.has(id)) {
      seen.add(id);
      list.push({ id, video: /sora|video|veo|kling/i.test(id) });
    }
  }
  return {
    video: list.filter((m) => m.video).map((m) => m.id),
    other: list.filter((m) => !m.video).map((m) => m.id),
  };
}
