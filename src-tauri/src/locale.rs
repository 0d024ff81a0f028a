//! The language for texts made on the Rust side (notifications).

use reelchat_studio::settings::Language;
use tauri::{AppHandle, Manager};

use crate::state::AppState;

pub fn is_chinese(app: &AppHandle) -> bool {
    let setting = app
        .try_state::<AppState>()
        .map(|s| s.settings().language)
        .unwrap_or_default();
    match setting {
        Language::ZhCn => true,
        Language::En => false,
        Language::System => ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .is_some_and(|v| v.to_lowercase().starts_with("zh")),
    }
}
