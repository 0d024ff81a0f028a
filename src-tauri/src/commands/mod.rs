//! The app's commands, grouped by domain. Each one checks its input and
//! forwards to reelchat-studio; errors reach the webview as `AppError`
//! (a `kind` the UI branches on, and a message).

pub mod app;
pub mod conversations;
pub mod generation;
pub mod media;
pub mod settings;

/// Every command. build.rs declares the same list (AppManifest) and
/// capabilities/main.json grants each one; the test below keeps all three
/// in step.
#[cfg(test)]
pub const ALL: &[&str] = &[
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

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn every_command_is_declared_and_granted_one_by_one() {
        let build = include_str!("../../build.rs");
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/main.json")).unwrap();
        let granted: Vec<&str> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        for cmd in ALL {
            assert!(
                build.contains(&format!("\"{cmd}\"")),
                "{cmd} is not in build.rs"
            );
            let perm = format!("allow-{}", cmd.replace('_', "-"));
            assert!(granted.contains(&perm.as_str()), "{perm} is not granted");
        }
        let own: Vec<&&str> = granted.iter().filter(|p| p.starts_with("allow-")).collect();
        assert_eq!(
            own.len(),
            ALL.len(),
            "nothing granted that is not a command"
        );
        assert!(
            !granted.iter().any(|p| p.ends_with(":default")
                || p.contains("fs:")
                || p.contains("http:")
                || p.contains("shell:")),
            "no broad permissions: {granted:?}"
        );
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
    }
}
