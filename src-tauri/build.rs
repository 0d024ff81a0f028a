// The app's own commands are declared here (AppManifest) so each one gets a
// permission `allow-<command>`; capabilities/main.json grants them one by one.
// Keep this list in step with src/commands/mod.rs (a test checks it).
const COMMANDS: &[&str] = &[
    "app_info",
    "quit_app",
    "startup_notices",
    "get_settings",
    "update_settings",
    "set_api_key",
    "clear_api_key",
    "test_connection",
    "start_demo",
    "stop_demo",
    "list_conversations",
    "get_conversation",
    "create_conversation",
    "rename_conversation",
    "delete_conversation",
    "set_head",
    "send_message",
    "stop_generation",
    "check_status",
    "running_jobs",
    "media_base_url",
    "open_external",
    "save_video_as",
    "open_media_folder",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
