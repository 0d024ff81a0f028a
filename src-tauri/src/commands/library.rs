use reelchat_studio::error::AppError;
use reelchat_studio::library::LibraryItem;
use tauri::State;

use crate::state::AppState;

/// Every video made, across conversations, the newest first.
#[tauri::command]
pub fn list_library(state: State<'_, AppState>) -> Vec<LibraryItem> {
    state.studio.library()
}

/// Delete a version from the library: its local video and poster are
/// removed and it is no longer listed; the conversation keeps the turn so
/// later changes still send the same history.
#[tauri::command]
pub fn delete_library_item(
    state: State<'_, AppState>,
    conversation_id: String,
    turn_id: String,
) -> Result<(), AppError> {
    state.studio.delete_library_item(&conversation_id, &turn_id)
}
