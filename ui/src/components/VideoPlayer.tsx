import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { releaseVideoOnUnmount } from "../lib/releaseVideo";
import { IconPlay } from "./icons";

interface VideoPlayerProps {
  src: string;
  poster: string | null;
  /** The video's accessible name (e.g. "Generated video v2"). */
  label: string;
  onError?: () => void;
}

/**
 * A reply's video. WebKit's built-in media controls are a whole script world per `<video controls>` that
 * is not given back when the element goes away (measured: ~9 MB per card shown, so browsing a long history
 * grew the app by gigabytes). So a card starts as its poster with one play button, and only a video the
 * user plays gets the native controls.
 */
export function VideoPlayer({ src, poster, label, onError }: VideoPlayerProps) {
  const { t } = useTranslation();
  const [active, setActive] = useState(false);
  const video = useRef<HTMLVideoElement | null>(null);
  const [activeSrc, setActiveSrc] = useState(src);
  if (activeSrc !== src) {
    // A new source (the local copy replaced the remote link): back to the poster.
    setActiveSrc(src);
    setActive(false);
  }

  const ref = useCallback((el: HTMLVideoElement | null) => {
    video.current = el;
    return releaseVideoOnUnmount(el);
  }, []);

  function play() {
    setActive(true);
    // In the click itself, so the platform counts it as the user's gesture.
    void video.current?.play().catch(() => undefined);
  }

  return (
    <div className="video-frame">
      <video
        key={src}
        ref={ref}
        className="video"
        data-testid="video-player"
        controls={active}
        // With a poster nothing is fetched until play; without one, the first frame is shown.
        preload={poster ? "none" : "metadata"}
        src={src}
        poster={poster ?? undefined}
        aria-label={label}
        onPlay={() => setActive(true)}
        onError={onError}
      />
      {!active && (
        <button
          type="button"
          className="video-play"
          data-testid="video-play"
          aria-label={t("turn.playVideo", { name: label })}
          title={t("turn.play")}
          onClick={play}
        >
          <span className="video-play-icon" aria-hidden="true">
            <IconPlay size={26} />
          </span>
        </button>
      )}
    </div>
  );
}
