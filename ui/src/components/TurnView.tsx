import { memo } from "react";
import { useTranslation } from "react-i18next";
import { ReplyCard, type ReplyCardProps } from "./ReplyCard";
import { formatDateTime } from "../lib/format";

type TurnViewProps = ReplyCardProps;

/** One turn: the user's prompt as a bubble, then the reply card. */
export const TurnView = memo(function TurnView(props: TurnViewProps) {
  const { t, i18n } = useTranslation();
  const { turn } = props;
  return (
    <div
      className="turn"
      data-testid="turn"
      data-turn-id={turn.id}
      data-status={turn.status}
      data-version={turn.version ?? ""}
    >
      <div className="user-row">
        <div className="user-bubble" data-testid="user-prompt">
          <span className="visually-hidden">{t("chat.you")}: </span>
          {turn.prompt}
        </div>
        <time className="turn-time" dateTime={new Date(turn.created_at).toISOString()}>
          {formatDateTime(turn.created_at, i18n.language)}
        </time>
      </div>
      <ReplyCard {...props} />
    </div>
  );
});

