// Types shared with the Rust backend. These mirror the Rust structs exactly (snake_case fields,
// `Option<T>` → `T | null`, enums as snake_case string unions) until the ts-rs bindings in
// `../bindings/` are generated; then this file only re-exports them.

export type Millis = number;

export type ErrorKind =
  | "auth"
  | "quota"
  | "rate_limited"
  | "policy"
  | "bad_request"
  | "not_found"
  | "server"
  | "gateway"
  | "network"
  | "timeout"
  | "protocol"
  | "generation_failed"
  | "cancelled";

export type AppErrorKind =
  | ErrorKind
  | "invalid_input"
  | "busy"
  | "no_key"
  | "disk_full"
  | "read_only"
  | "io"
  | "download"
  | "keychain";

export interface AppError {
  kind: AppErrorKind;
  message: string;
  retry_after_secs: number | null;
}

export interface Plan {
  prompt: string | null;
  orientation: string | null;
  duration: number | null;
  source_sid: string | null;
}

export interface TaskInfo {
  id: string;
  task_page_url: string | null;
  raw_data_url: string | null;
}

export interface Failure {
  kind: ErrorKind;
  message: string;
  retry_after_secs?: number | null;
  status?: number | null;
}

export type Phase = "sending" | "planned" | "queued" | "generating" | "completed" | "failed";

export interface ReplyState {
  phase: Phase;
  plan: Plan | null;
  task: TaskInfo | null;
  task_ids: string[];
  progress: number | null;
  result_sid: string | null;
  preview_image_url: string | null;
  video_url: string | null;
  failure: Failure | null;
}

export type TurnStatus = "running" | "succeeded" | "failed" | "interrupted";

export interface StepTimes {
  queued_at: Millis | null;
  generating_at: Millis | null;
  finished_at: Millis | null;
}

export type DownloadState = "none" | "downloading" | "done" | "failed";

export interface LocalMedia {
  video: string | null;
  preview: string | null;
  state: DownloadState;
  error: string | null;
}

export interface TurnRecord {
  id: string;
  parent: string | null;
  prompt: string;
  model: string;
  created_at: Millis;
  status: TurnStatus;
  content: string;
  reply: ReplyState;
  failure: Failure | null;
  version: number | null;
  steps: StepTimes;
  media: LocalMedia;
}

export interface Conversation {
  id: string;
  title: string;
  created_at: Millis;
  updated_at: Millis;
  head: string | null;
  turns: TurnRecord[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updated_at: Millis;
  running: boolean;
  versions: number;
  last_prompt: string | null;
  preview: string | null;
}

export interface JobUpdate {
  conversation_id: string;
  turn: TurnRecord;
  done: boolean;
  save_error: AppError | null;
}

export type Language = "system" | "zh-CN" | "en";
export type Theme = "system" | "light" | "dark";

export interface SettingsView {
  base_url: string;
  has_key: boolean;
  key_hint: string | null;
  key_storage: "keychain" | "file" | "none";
  default_model: string;
  language: Language;
  theme: Theme;
  download_dir: string | null;
  idle_timeout_secs: number;
  demo: boolean;
  onboarded: boolean;
}

/** A change to the settings; absent fields stay. `download_dir: ""` clears the folder. */
export interface SettingsPatch {
  base_url?: string;
  default_model?: string;
  language?: Language;
  theme?: Theme;
  download_dir?: string;
  idle_timeout_secs?: number;
}

export interface ConnectionTest {
  ok: boolean;
  models: string[];
  error: AppError | null;
}

export type RemoteStatus = "pending" | "running" | "completed" | "failed" | "unknown";

export interface CheckStatusResult {
  turn: TurnRecord;
  remote_status: RemoteStatus;
}

export interface AppInfo {
  version: string;
}

/** (conversation id, turn id) */
export type RunningJob = [string, string];
