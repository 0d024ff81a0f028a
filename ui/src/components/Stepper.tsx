import { useTranslation } from "react-i18next";
import type { TurnRecord } from "../api/types";
import { formatElapsed } from "../lib/format";
import { useNow } from "../hooks/useNow";

export type StepState = "pending" | "active" | "done" | "failed";

export interface StepView {
  key: "queued" | "generating" | "done";
  state: StepState;
  /** Elapsed ms for the step (the total for the last one), null when not started. */
  elapsed: number | null;
}

/** The three steps of a turn: queued → generating → done/failed, with their states and times. */
export function stepViews(turn: TurnRecord, now: number): StepView[] {
  const { phase } = turn.reply;
  const { queued_at, generating_at, finished_at } = turn.steps;
  const running = turn.status === "running";
  const end = finished_at ?? (running ? now : null);
  const reachedGenerating =
    generating_at !== null || phase === "generating" || phase === "completed" || turn.status === "succeeded";
  const reachedQueued = reachedGenerating || queued_at !== null || phase === "queued";

  const queuedStart = queued_at ?? (reachedQueued ? turn.created_at : null);
  const queuedEnd = generating_at ?? end;
  const queued: StepView = {
    key: "queued",
    state: reachedGenerating || (reachedQueued && !running) ? "done" : reachedQueued ? "active" : "pending",
    elapsed: queuedStart !== null && queuedEnd !== null ? queuedEnd - queuedStart : null,
  };
  const generating: StepView = {
    key: "generating",
    state:
      turn.status === "succeeded" || (reachedGenerating && !running)
        ? "done"
        : reachedGenerating
          ? "active"
          : "pending",
    elapsed: generating_at !== null && end !== null ? end - generating_at : null,
  };
  const done: StepView = {
    key: "done",
    state: turn.status === "succeeded" ? "done" : running ? "pending" : "failed",
    elapsed: finished_at !== null ? finished_at - turn.created_at : null,
  };
  // A failed or interrupted turn: the step it stopped in is the failed one, not "done".
  if (!running && turn.status !== "succeeded") {
    if (reachedGenerating) generating.state = "failed";
    else if (reachedQueued) queued.state = "failed";
  }
  return [queued, generating, done];
}

export function Stepper({ turn }: { turn: TurnRecord }) {
  const { t } = useTranslation();
  const running = turn.status === "running";
  const now = useNow(1000, running);
  const steps = stepViews(turn, now);
  const lastLabel =
    turn.status === "succeeded" || running
      ? t("turn.steps.done")
      : turn.status === "interrupted"
        ? t("turn.steps.interrupted")
        : (turn.failure ?? turn.reply.failure)?.kind === "cancelled"
          ? t("turn.steps.stopped")
          : t("turn.steps.failed");
  return (
    <ol className="stepper" aria-label={t("turn.steps.label")}>
      {steps.map((s, i) => {
        const label = s.key === "done" ? lastLabel : t(`turn.steps.${s.key}`);
        const time =
          s.elapsed === null
            ? null
            : s.key === "done"
              ? t("turn.total", { time: formatElapsed(s.elapsed) })
              : formatElapsed(s.elapsed);
        return (
          <li
            key={s.key}
            className={`step step-${s.state}`}
            data-testid={`step-${s.key}`}
            data-state={s.state}
            aria-current={s.state === "active" ? "step" : undefined}
          >
            {i > 0 && <span className="step-line" aria-hidden="true" />}
            <span className="step-dot" aria-hidden="true" />
            <span className="step-label">{label}</span>
            {time && <span className="step-time">{time}</span>}
          </li>
        );
      })}
    </ol>
  );
}
