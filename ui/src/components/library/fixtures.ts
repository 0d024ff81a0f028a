// Library items for the tests of the library and compare views.
import type { LibraryItem } from "../../api/types";

const T0 = 1_760_000_000_000;

export function makeItem(over: Partial<LibraryItem> = {}): LibraryItem {
  return {
    conversation_id: "c_1",
    conversation_title: "牛马跳舞",
    turn_id: "t_1",
    version: 1,
    parent_version: null,
    prompt: "生成一段高清的,牛马跳舞的视频",
    model: "sora-2",
    created_at: T0,
    finished_at: T0 + 60_000,
    video: "c_1/t_1.mp4",
    poster: "c_1/t_1-poster.webp",
    media_state: "done",
    video_url: "https://cdn.example.test/v1.mp4",
    preview_image_url: "https://cdn.example.test/p1.webp",
    task_page_url: "https://example.test/web/task_1",
    ...over,
  };
}

/** Two chats: c_1 with v1, v2 (changes v1), v3 (changes v1); c_2 with v1 on the pro model. Newest first. */
export function sampleLibrary(): LibraryItem[] {
  return [
    makeItem({
      conversation_id: "c_2",
      conversation_title: "Cat astronaut",
      turn_id: "t_b1",
      prompt: "A cat astronaut floating past Earth",
      model: "sora-2-pro",
      created_at: T0 + 400_000,
      video: "c_2/t_b1.mp4",
      poster: null,
      preview_image_url: null,
    }),
    makeItem({ turn_id: "t_3", version: 3, parent_version: 1, prompt: "换成夜景", created_at: T0 + 300_000, video: "c_1/t_3.mp4", poster: "c_1/t_3-poster.webp" }),
    makeItem({ turn_id: "t_2", version: 2, parent_version: 1, prompt: "让牛的头上顶着光圈", created_at: T0 + 200_000, video: "c_1/t_2.mp4", poster: "c_1/t_2-poster.webp" }),
    makeItem(),
  ];
}
