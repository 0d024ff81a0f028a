import { memo } from "react";
import { useTranslation } from "react-i18next";
import { ReplyCard, type ReplyCardProps } from "./ReplyCard";
import { formatDateTime } from "../lib/format";
import { useApp } from "../state/app";
import { BubbleImage } from "./ImageAttachment";
import { CompareButton } from "./compare/CompareButton";
import { useIsFocusedTurn } from "./library/focus";

type TurnViewProps = ReplyCardProps;

/** One turn: the user's prompt as a bubble, then the reply card. */
export const TurnView = memo(function TurnView(props: TurnViewProps) {
  const { t, i18n } = useTranslation();
  const { turn } = props;
  const { mediaBase } = useApp();
  // Opened from the library: highlighted (and scrolled to by FocusTurn).
  const focused = useIsFocusedTurn(turn.id);
  return (
    <div
      className={focused ? "turn is-focused" : "turn"}
      data-testid="turn"
      data-focused={focused ? "true" : undefined}
      data-turn-id={turn.id}
      data-status={turn.status}
      data-version={turn.version ?? ""}
    >
      <div className="user-row">
        <div className="user-bubble" data-testid="user-prompt">
          <span className="visually-hidden">{t("chat.you")}: </span>
          {turn.image && <BubbleImage image={turn.image} mediaBase={mediaBase} />}
          {turn.prompt}
        </div>
        <time className="turn-time" dateTime={new Date(turn.created_at).toISOString()}>
          {formatDateTime(turn.created_at, i18n.language)}
        </time>
      </div>
      <ReplyCard {...props} actions={<CompareButton turn={turn} />} />
    </div>
  );
});

