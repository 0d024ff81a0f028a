import { useTranslation } from "react-i18next";
import type { TurnRecord } from "../../api/types";
import { isRemoteMediaUrl } from "../../api/media";
import { IconCompare } from "../library/icons";
import { useCompare } from "./CompareProvider";

/** "Compare with…" on a version's card: shown when there is another version to compare it with. */
export function CompareButton({ turn }: { turn: TurnRecord }) {
  const { t } = useTranslation();
  const compare = useCompare();
  // Only a version that can play: a local copy, or a link the webview may load.
  const playable = turn.media.video !== null || isRemoteMediaUrl(turn.reply.video_url);
  const isVersion =
    turn.status === "succeeded" && turn.version !== null && turn.media.removed_at == null && playable;
  if (!compare || !isVersion || !compare.items.some((i) => i.turn_id !== turn.id)) return null;
  return (
    <button
      type="button"
      className="button small"
      data-testid="compare-with"
      title={t("compare.withHint")}
      onClick={() => compare.open(turn.id)}
    >
      <IconCompare size={14} />
      {t("compare.with")}
    </button>
  );
}
