// Thin typed wrappers over the backend's Tauri commands. This is the ONLY module that calls
// `invoke`; everything else goes through these functions. Argument names are camelCase here
// (Tauri converts them to the Rust snake_case parameters).
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AppInfo,
  CheckStatusResult,
  ConnectionTest,
  Conversation,
  ConversationSummary,
  ExportOptions,
  ExportResult,
  ImageAttachment,
  JobUpdate,
  LibraryItem,
  ModelList,
  RunningJob,
  SettingsPatch,
  SettingsView,
  TurnRecord,
} from "./types";
import { toAppError } from "./errors";

/** Calls a command and turns any rejection into an `AppError`. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toAppError(err);
  }
}

export const appInfo = () => call<AppInfo>("app_info");

// Settings
export const getSettings = () => call<SettingsView>("get_settings");
export const updateSettings = (patch: SettingsPatch) => call<SettingsView>("update_settings", { patch });
export const setApiKey = (key: string) => call<SettingsView>("set_api_key", { key });
export const clearApiKey = () => call<SettingsView>("clear_api_key");
export const testConnection = (baseUrl: string, apiKey: string | null) =>
  call<ConnectionTest>("test_connection", { baseUrl, apiKey });
export const startDemo = () => call<SettingsView>("start_demo");
export const stopDemo = () => call<SettingsView>("stop_demo");
export const startupNotices = () => call<string[]>("startup_notices");

// Conversations
export const listConversations = (query: string | null) =>
  call<ConversationSummary[]>("list_conversations", { query });
export const getConversation = (id: string) => call<Conversation>("get_conversation", { id });
export const createConversation = () => call<Conversation>("create_conversation");
export const renameConversation = (id: string, title: string) =>
  call<Conversation>("rename_conversation", { id, title });
export const deleteConversation = (id: string) => call<null>("delete_conversation", { id });
export const setHead = (conversationId: string, turnId: string | null) =>
  call<Conversation>("set_head", { conversationId, turnId });

// Generation
export interface SendArgs {
  conversationId: string;
  prompt: string;
  model: string;
  /** The version to modify; null = the conversation's head. */
  parent: string | null;
  /** An attached image: a staged file (pickImage / attachImage) or an earlier turn's, to retry. */
  image?: string | null;
  onUpdate: (update: JobUpdate) => void;
}

export function sendMessage({ conversationId, prompt, model, parent, image = null, onUpdate }: SendArgs) {
  const channel = new Channel<JobUpdate>();
  channel.onmessage = onUpdate;
  return call<TurnRecord>("send_message", { conversationId, prompt, model, parent, image, onUpdate: channel });
}

// Models and images
/** The server's models for the picker (a fallback list with the reason when it is unavailable). */
export const listModels = (refresh: boolean) => call<ModelList>("list_models", { refresh });
/** Opens the native file dialog and stages the picked image; null when cancelled. */
export const pickImage = (filterName: string) => call<ImageAttachment | null>("pick_image", { filterName });
/** Stages an image dropped on the window. */
export const attachImage = (path: string) => call<ImageAttachment>("attach_image", { path });

export const stopGeneration = (turnId: string) => call<boolean>("stop_generation", { turnId });
export const checkStatus = (conversationId: string, turnId: string) =>
  call<CheckStatusResult>("check_status", { conversationId, turnId });
export const runningJobs = () => call<RunningJob[]>("running_jobs");

// Media and links
export const mediaBaseUrl = () => call<string>("media_base_url");
export const openExternal = (url: string) => call<void>("open_external", { url });
export const saveVideoAs = (conversationId: string, turnId: string) =>
  call<string | null>("save_video_as", { conversationId, turnId });
export const openMediaFolder = (conversationId: string, turnId: string) =>
  call<void>("open_media_folder", { conversationId, turnId });

// Export (the folder is picked in a native dialog opened by the backend)
export const exportConversation = (id: string, options: ExportOptions) =>
  call<ExportResult | null>("export_conversation", { id, options });
export const revealExport = (folder: string) => call<void>("reveal_export", { folder });

// Library
export const listLibrary = () => call<LibraryItem[]>("list_library");
export const deleteLibraryItem = (conversationId: string, turnId: string) =>
  call<null>("delete_library_item", { conversationId, turnId });

// App
export const quitApp = () => call<void>("quit_app");

// Performance marks (logged only when the app runs with REELCHAT_PERF_LOG; see lib/perf.ts)
export const perfMark = (name: string, wallMs: number, detail: Record<string, unknown> | null) =>
  call<boolean>("perf_mark", { name, wallMs, detail });
