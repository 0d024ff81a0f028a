use reelchat_studio::error::AppError;
use reelchat_studio::model::{Conversation, ConversationSummary};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub fn list_conversations(
    state: State<'_, AppState>,
    query: Option<String>,
) -> Vec<ConversationSummary> {
    state.studio.list(query.as_deref())
}

#[tauri::command]
pub fn get_conversation(state: State<'_, AppState>, id: String) -> Result<Conversation, AppError> {
    state.studio.get(&id)
}

#[tauri::command]
pub fn create_conversation(state: State<'_, AppState>) -> Result<Conversation, AppError> {
    state.studio.create()
}

#[tauri::command]
pub fn rename_conversation(
    state: State<'_, AppState>,
    id: String,
    title: String,
) -> Result<Conversation, AppError> {
    state.studio.rename(&id, &title)
}

#[tauri::command]
pub fn delete_conversation(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.studio.delete(&id)
}

/// "Continue from here": the next message modifies this version (or, with
/// no turn, makes a new video).
#[tauri::command]
pub fn set_head(
    state: State<'_, AppState>,
    conversation_id: String,
    turn_id: Option<String>,
) -> Result<Conversation, AppError> {
    state.studio.set_head(&conversation_id, turn_id.as_deref())
}
