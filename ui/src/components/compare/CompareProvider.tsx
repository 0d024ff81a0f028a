import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LibraryItem } from "../../api/types";
import { listLibrary } from "../../api/commands";
import { useNotifyError } from "../../state/app";
import { showToast } from "../../state/toasts";
import { defaultPartner } from "../library/filter";
import { CompareDialog } from "./CompareDialog";

export interface CompareApi {
  /** Opens the compare view with this version on the left and `otherId` (or a sensible partner) on the right. */
  open: (turnId: string, otherId?: string | null) => void;
  /** The library as last loaded: which versions can be compared. */
  items: readonly LibraryItem[];
}

const CompareContext = createContext<CompareApi | null>(null);

/** The compare view for the whole window; `refreshKey` changes when versions may have come or gone. */
export function CompareProvider({ refreshKey, children }: { refreshKey: number; children: ReactNode }) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [items, setItems] = useState<LibraryItem[]>([]);
  const [session, setSession] = useState<{ left: string; right: string; seq: number } | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    let live = true;
    listLibrary()
      .then((list) => {
        if (live) setItems(list);
      })
      .catch((err: unknown) => console.warn("list_library failed", err));
    return () => {
      live = false;
    };
  }, [refreshKey]);

  const open = useCallback(
    (turnId: string, otherId?: string | null) => {
      // Fresh data: a version may have just finished or been deleted.
      listLibrary()
        .then((list) => {
          setItems(list);
          const left = list.find((i) => i.turn_id === turnId);
          if (!left) return;
          const right = (otherId ? list.find((i) => i.turn_id === otherId) : null) ?? defaultPartner(list, left);
          if (!right) {
            showToast({ tone: "info", text: t("compare.noOther") });
            return;
          }
          setSession({ left: left.turn_id, right: right.turn_id, seq: ++seq.current });
        })
        .catch(notifyError);
    },
    [t, notifyError],
  );

  const api = useMemo(() => ({ open, items }), [open, items]);
  return (
    <CompareContext.Provider value={api}>
      {children}
      {session && (
        <CompareDialog
          key={session.seq}
          items={items}
          leftId={session.left}
          rightId={session.right}
          onClose={() => setSession(null)}
        />
      )}
    </CompareContext.Provider>
  );
}

/** The compare view, or null outside a CompareProvider (e.g. a card rendered on its own). */
export function useCompare(): CompareApi | null {
  return useContext(CompareContext);
}
