import type { LibraryItem } from "../../api/types";
import { isRemoteMediaUrl, localMediaUrl } from "../../api/media";

/** The poster: the local copy when there is one, else the server's preview if it may load. */
export function itemPoster(item: LibraryItem, base: string | null): string | null {
  if (item.poster && base) return localMediaUrl(base, item.poster);
  return isRemoteMediaUrl(item.preview_image_url) ? item.preview_image_url : null;
}

/** The video: the local copy when there is one, else the server's link if it may load. */
export function itemVideo(item: LibraryItem, base: string | null): string | null {
  if (item.video && base) return localMediaUrl(base, item.video);
  return isRemoteMediaUrl(item.video_url) ? item.video_url : null;
}
