/**
 * A ref callback for <video>: when the element leaves the page (a card scrolled out of the virtual list,
 * another conversation opened), stop it and drop its source so WebKit frees the decoder and buffers now,
 * not whenever the element is collected (the native controls, the bigger cost, are only added to a
 * video the user plays: see VideoPlayer.tsx).
 */
export function releaseVideoOnUnmount(video: HTMLVideoElement | null): (() => void) | undefined {
  if (!video) return undefined;
  return () => {
    video.pause();
    video.removeAttribute("src");
    video.load();
  };
}
