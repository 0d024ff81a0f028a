use serde::Serialize;
use tauri::{AppHandle, State};

use crate::state::AppState;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AppInfo {
    pub version: String,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// Messages for the user from start-up (a corrupt history file moved aside …).
#[tauri::command]
pub fn startup_notices(state: State<'_, AppState>) -> Vec<String> {
    state.notices.clone()
}

/// The user confirmed closing while videos are generating: stop the jobs
/// (so their replies are saved as interrupted, task ids kept), then exit.
#[tauri::command]
pub async fn quit_app(app: AppHandle, state: State<'_, AppState>) -> Result<(), ()> {
    state
        .quitting
        .store(true, std::sync::atomic::Ordering::SeqCst);
    for (_, turn) in state.studio.running() {
        state.studio.stop(&turn);
    }
    for _ in 0..30 {
        if state.studio.running().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.exit(0);
    Ok(())
}
