import { useEffect, useState } from "react";
import type { ModelList, SettingsView } from "../api/types";
import { listModels } from "../api/commands";
import { toAppError } from "../api/errors";
import { KNOWN_MODELS } from "../lib/models";

const FALLBACK: ModelList = {
  models: KNOWN_MODELS.map((id) => ({ id, video: true })),
  fallback: true,
  error: null,
};

// One answer per connection (demo, base URL, key), shared by every composer; the backend caches
// per base URL and key too, so switching conversations asks nothing.
const answers = new Map<string, Promise<ModelList>>();

function connectionKey(s: SettingsView): string {
  return s.demo ? "demo" : `${s.base_url}|${s.key_hint ?? ""}|${s.has_key}`;
}

/** Forget the cached lists (tests). */
export function resetModelCache() {
  answers.clear();
}

/**
 * The models for the picker: fetched when the connection changes (settings saved, demo started,
 * key set), with `sora-2` / `sora-2-pro` until the answer comes and whenever the list is unavailable.
 */
export function useModels(settings: SettingsView): ModelList {
  const key = connectionKey(settings);
  const [list, setList] = useState<{ key: string; list: ModelList } | null>(null);

  useEffect(() => {
    let live = true;
    let answer = answers.get(key);
    if (!answer) {
      // A changed connection asks the server again (the backend's cache is per base URL and key).
      answer = listModels(true).catch((err: unknown) => ({ ...FALLBACK, error: toAppError(err) }));
      answers.set(key, answer);
    }
    void answer.then((l) => {
      if (live) setList({ key, list: l });
    });
    return () => {
      live = false;
    };
  }, [key]);

  return list && list.key === key ? list.list : FALLBACK;
}
