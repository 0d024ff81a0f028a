//! The app's commands, grouped by domain. Each one checks its input and
//! forwards to reelchat-studio; errors reach the webview as `AppError`
//! (a `kind` the UI branches on, and a message).

pub mod app;
pub mod attachments;
pub mod conversations;
pub mod export;
pub mod generation;
pub mod library;
pub mod media;
pub mod models;
pub mod perf;
pub mod settings;

/// Every command (names.in, shared with build.rs); capabilities/main.json
/// must grant each one, which the test below checks.
#[cfg(test)]
pub const ALL: &[&str] = include!("names.in");

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn every_command_is_granted_one_by_one() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/main.json")).unwrap();
        let granted: Vec<&str> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        for cmd in ALL {
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
