import type { Conversation, ErrorKind, Failure, ReplyState, SettingsView, TurnRecord } from "../api/types";

export function makeSettings(over: Partial<SettingsView> = {}): SettingsView {
  return {
    base_url: "https://new.22codex.xyz",
    has_key: true,
    key_hint: "sk-…a1b2",
    key_storage: "keychain",
    default_model: "sora-2",
    language: "en",
    theme: "system",
    download_dir: null,
    idle_timeout_secs: 600,
    demo: false,
    onboarded: true,
    proxy_url: null,
    no_proxy: "",
    ca_cert_path: null,
    ca_cert_problem: null,
    ...over,
  };
}

export function makeReply(over: Partial<ReplyState> = {}): ReplyState {
  return {
    phase: "sending",
    plan: null,
    task: null,
    task_ids: [],
    progress: null,
    result_sid: null,
    preview_image_url: null,
    video_url: null,
    failure: null,
    ...over,
  };
}

const T0 = 1_760_000_000_000;

export function makeTurn(over: Partial<TurnRecord> = {}): TurnRecord {
  return {
    id: "t_1",
    parent: null,
    prompt: "生成一段高清的,牛马跳舞的视频",
    model: "sora-2",
    created_at: T0,
    status: "running",
    content: "",
    reply: makeReply(),
    failure: null,
    version: null,
    steps: { queued_at: null, generating_at: null, finished_at: null },
    media: { video: null, preview: null, state: "none", error: null },
    ...over,
  };
}

export const TASK = {
  id: "task_01k7e5w9z5f2d91pekrqy59rwc",
  task_page_url: "https://example.test/web/task_01k7e5w9z5f2d91pekrqy59rwc",
  raw_data_url: "https://example.test/source/task_01k7e5w9z5f2d91pekrqy59rwc",
};

export function runningTurn(progress: number | null, over: Partial<TurnRecord> = {}): TurnRecord {
  return makeTurn({
    content: "```json\n{}\n```\n> ID: `task_…`\n> 生成中.",
    reply: makeReply({
      phase: "generating",
      plan: { prompt: "cows and horses dancing", orientation: "portrait", duration: 10, source_sid: null },
      task: TASK,
      task_ids: [TASK.id],
      progress,
    }),
    steps: { queued_at: T0 + 2000, generating_at: T0 + 5000, finished_at: null },
    ...over,
  });
}

export function succeededTurn(over: Partial<TurnRecord> = {}): TurnRecord {
  return makeTurn({
    status: "succeeded",
    version: 1,
    content: "done [视频文件](https://cdn.example.test/v.mp4)",
    reply: makeReply({
      phase: "completed",
      plan: { prompt: "cows and horses dancing", orientation: "landscape", duration: 15, source_sid: null },
      task: TASK,
      task_ids: [TASK.id],
      progress: 100,
      result_sid: "s_68eca3f141808191b1fd30fea1b731bd",
      preview_image_url: "https://cdn.example.test/p.webp",
      video_url: "https://cdn.example.test/v.mp4",
    }),
    steps: { queued_at: T0 + 2000, generating_at: T0 + 5000, finished_at: T0 + 125_000 },
    media: { video: "c_1/t_1.mp4", preview: "c_1/t_1-poster.webp", state: "done", error: null },
    ...over,
  });
}

export function makeConversation(over: Partial<Conversation> = {}): Conversation {
  return { id: "c_1", title: "", created_at: T0, updated_at: T0, head: null, turns: [], ...over };
}

export function fail(kind: ErrorKind, message = "", over: Partial<Failure> = {}): Failure {
  return { kind, message, retry_after_secs: null, status: null, ...over };
}
