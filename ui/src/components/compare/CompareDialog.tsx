import * as Dialog from "@radix-ui/react-dialog";
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { LibraryItem } from "../../api/types";
import { useApp } from "../../state/app";
import { formatDateTime, formatElapsed } from "../../lib/format";
import { itemPoster, itemVideo } from "../library/media";
import { IconPause, IconPlaySolid } from "../library/icons";
import { IconClose } from "../icons";
import { clockOf, pauseBoth, playBoth, resync, seekBoth, sharedDuration } from "./sync";
import "./compare.css";

/** After a resync, give the video this long (ms) to settle before checking again. */
const RESYNC_COOLDOWN_MS = 1000;

type Side = "left" | "right";
type Sound = "off" | Side;

export interface CompareDialogProps {
  items: LibraryItem[];
  leftId: string;
  rightId: string;
  onClose: () => void;
}

/** Two versions side by side, driven by one play/pause button and one seek bar. */
export function CompareDialog({ items, leftId, rightId, onClose }: CompareDialogProps) {
  const { t } = useTranslation();
  const [ids, setIds] = useState<Record<Side, string>>({ left: leftId, right: rightId });
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [sound, setSound] = useState<Sound>("off");
  const aRef = useRef<HTMLVideoElement>(null);
  const bRef = useRef<HTMLVideoElement>(null);
  const lastFix = useRef(0);

  const left = items.find((i) => i.turn_id === ids.left) ?? null;
  const right = items.find((i) => i.turn_id === ids.right) ?? null;

  const pair = useCallback((): [HTMLVideoElement, HTMLVideoElement] | null => {
    const a = aRef.current;
    const b = bRef.current;
    return a && b ? [a, b] : null;
  }, []);

  // While playing: follow the clock video's time, and pull the other back when it drifts.
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const tick = () => {
      const p = pair();
      if (p) {
        setTime(clockOf(...p).currentTime);
        const now = performance.now();
        if (now - lastFix.current > RESYNC_COOLDOWN_MS && resync(...p)) lastFix.current = now;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, pair]);

  useEffect(() => {
    const p = pair();
    if (!p) return;
    p[0].muted = sound !== "left";
    p[1].muted = sound !== "right";
  }, [sound, pair, ids]);

  const stop = useCallback(() => {
    const p = pair();
    if (p) pauseBoth(...p);
    setPlaying(false);
  }, [pair]);

  async function toggle() {
    const p = pair();
    if (!p) return;
    if (playing) {
      pauseBoth(...p);
      setPlaying(false);
      setTime(clockOf(...p).currentTime);
      return;
    }
    setPlaying(true);
    lastFix.current = performance.now();
    try {
      await playBoth(...p);
    } catch {
      // The webview refused to play (e.g. a video that cannot load): stay paused.
      pauseBoth(...p);
      setPlaying(false);
    }
  }

  function seek(value: number) {
    const p = pair();
    if (!p) return;
    lastFix.current = performance.now();
    setTime(seekBoth(...p, value));
  }

  function measure() {
    const p = pair();
    if (p) setDuration(sharedDuration(...p));
  }

  function pick(side: Side, turnId: string) {
    stop();
    setTime(0);
    setDuration(0);
    setIds((cur) => ({ ...cur, [side]: turnId }));
  }

  const ready = left !== null && right !== null && duration > 0;

  return (
    <Dialog.Root
      open
      onOpenChange={(open) => {
        if (!open) {
          stop();
          onClose();
        }
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content className="modal compare-modal" data-testid="compare-dialog" aria-describedby={undefined}>
          <div className="modal-header">
            <Dialog.Title className="modal-title">{t("compare.title")}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="icon-button" aria-label={t("common.close")} data-testid="compare-close">
                <IconClose />
              </button>
            </Dialog.Close>
          </div>
          <div className="compare-grid">
            <CompareSide
              side="left"
              item={left}
              items={items}
              videoRef={aRef}
              onPick={pick}
              onMeasure={measure}
              onEnded={() => {
                const p = pair();
                if (p && clockOf(...p) === p[0]) stop();
              }}
            />
            <CompareSide
              side="right"
              item={right}
              items={items}
              videoRef={bRef}
              onPick={pick}
              onMeasure={measure}
              onEnded={() => {
                const p = pair();
                if (p && clockOf(...p) === p[1]) stop();
              }}
            />
          </div>
          <div className="compare-controls">
            <button
              type="button"
              className="button button-primary compare-play"
              data-testid="compare-play"
              data-playing={playing ? "true" : "false"}
              aria-label={playing ? t("compare.pause") : t("compare.play")}
              title={playing ? t("compare.pause") : t("compare.play")}
              disabled={!ready}
              onClick={() => void toggle()}
            >
              {playing ? <IconPause size={16} /> : <IconPlaySolid size={16} />}
            </button>
            <span className="compare-time" data-testid="compare-time">
              {formatElapsed(time * 1000)} / {formatElapsed(duration * 1000)}
            </span>
            <input
              type="range"
              className="compare-seek"
              data-testid="compare-seek"
              aria-label={t("compare.seek")}
              min={0}
              max={duration || 0}
              step={0.01}
              value={Math.min(time, duration || 0)}
              disabled={!ready}
              onChange={(e) => seek(Number(e.target.value))}
            />
            <label className="compare-sound">
              <span className="section-label">{t("compare.sound")}</span>
              <select
                className="select small"
                data-testid="compare-sound"
                value={sound}
                onChange={(e) => setSound(e.target.value as Sound)}
              >
                <option value="off">{t("compare.soundOff")}</option>
                <option value="left">{t("compare.soundLeft")}</option>
                <option value="right">{t("compare.soundRight")}</option>
              </select>
            </label>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

interface SideProps {
  side: Side;
  item: LibraryItem | null;
  items: LibraryItem[];
  videoRef: RefObject<HTMLVideoElement | null>;
  onPick: (side: Side, turnId: string) => void;
  onMeasure: () => void;
  onEnded: () => void;
}

function CompareSide({ side, item, items, videoRef, onPick, onMeasure, onEnded }: SideProps) {
  const { t, i18n } = useTranslation();
  const { mediaBase } = useApp();
  const src = item ? itemVideo(item, mediaBase) : null;
  const poster = item ? itemPoster(item, mediaBase) : null;
  // The versions grouped by chat, so "v1" of two chats cannot be mixed up.
  const groups = useMemo(() => {
    const map = new Map<string, { title: string; items: LibraryItem[] }>();
    for (const i of items) {
      const g = map.get(i.conversation_id) ?? { title: i.conversation_title || t("common.untitled"), items: [] };
      g.items.push(i);
      map.set(i.conversation_id, g);
    }
    return [...map.values()].map((g) => ({ ...g, items: [...g.items].sort((a, b) => a.version - b.version) }));
  }, [items, t]);
  const label = (i: LibraryItem) => t("compare.label", { version: i.version, prompt: i.prompt });

  return (
    <section
      className="compare-side"
      data-testid={`compare-${side}`}
      data-turn-id={item?.turn_id ?? ""}
      data-version={item?.version ?? ""}
      aria-label={t(`compare.${side}`)}
    >
      {/* The side's label ("v2 · prompt"), and where another version is picked. */}
      <select
        className="select compare-pick"
        data-testid={`compare-pick-${side}`}
        aria-label={t(`compare.${side}`)}
        title={item ? label(item) : undefined}
        value={item?.turn_id ?? ""}
        onChange={(e) => onPick(side, e.target.value)}
      >
        {groups.map((g) => (
          <optgroup key={g.items[0]?.conversation_id} label={g.title}>
            {g.items.map((i) => (
              <option key={i.turn_id} value={i.turn_id}>
                {label(i)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <div className="compare-frame">
        {src ? (
          <video
            key={src}
            ref={videoRef}
            className="compare-video"
            data-testid={`compare-video-${side}`}
            src={src}
            poster={poster ?? undefined}
            preload="auto"
            playsInline
            muted
            onLoadedMetadata={onMeasure}
            onDurationChange={onMeasure}
            onEnded={onEnded}
            aria-label={item ? label(item) : undefined}
          />
        ) : (
          <p className="compare-missing">{t("compare.unavailable")}</p>
        )}
      </div>
      {item && (
        <p className="compare-meta" data-testid={`compare-meta-${side}`}>
          {item.conversation_title.trim() || t("common.untitled")} · {item.model} ·{" "}
          {formatDateTime(item.created_at, i18n.language)}
        </p>
      )}
    </section>
  );
}
