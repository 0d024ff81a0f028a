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
 * A reply's video: its poster and one play button until the user plays it. A `<video>` costs WebKit a
 * media player (GStreamer) and, with `controls`, a whole script world for the built-in controls that is not
 * given back when the element goes away: measured, ~9 MB per card shown, so browsing a long history grew
 * the app by gigabytes. So a card is a picture until played; without a poster it is a `<video>` showing
 * its first frame, still without the controls until played.
 *
 * `data-src` on the frame is the source it plays (or will play), for tests and tools.
 */
export function VideoPlayer({ src, poster, label, onError }: VideoPlayerProps) {
  const { t } = useTranslation();
  const [active, setActive] = useState(false);
  const [posterFailed, setPosterFailed] = useState(false);
  const [shown, setShown] = useState({ src, poster });
  if (shown.src !== src || shown.poster !== poster) {
    // A new source (the local copy replaced the remote link): back to the poster.
    setShown({ src, poster });
    setActive(false);
    setPosterFailed(false);
  }
  const video = useRef<HTMLVideoElement | null>(null);
  const ref = useCallback((el: HTMLVideoElement | null) => {
    video.current = el;
    return releaseVideoOnUnmount(el);
  }, []);

  function play() {
    setActive(true);
    // A video already in the page plays within the click itself (the user's gesture); one that replaces
    // the poster starts through `autoPlay`.
    void video.current?.play().catch(() => undefined);
  }

  const pictureOnly = !active && poster !== null && !posterFailed;
  return (
    <div className="video-frame" data-testid="video-player" data-src={src} data-state={active ? "playing" : "poster"}>
      {pictureOnly ? (
        <img className="video-poster" src={poster} alt={label} onError={() => setPosterFailed(true)} />
      ) : (
        <video
          key={src}
          ref={ref}
          className="video"
          controls={active}
          autoPlay={active}
          // Played, or without a (working) poster: its first frame stands in for one.
          preload="metadata"
          src={src}
          poster={poster ?? undefined}
          aria-label={label}
          onPlay={() => setActive(true)}
          onError={onError}
        />
      )}
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
