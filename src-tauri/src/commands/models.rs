//! The model picker's list.

use reelchat_studio::error::AppError;
use reelchat_studio::models::ModelList;
use tauri::State;

use crate::state::AppState;

/// The models `GET /v1/models` lists for the current connection (demo relay
/// or the user's API), cached per base URL and key; `refresh` asks again.
/// Never fails: without a list, `sora-2` and `sora-2-pro` with `fallback`.
#[tauri::command]
pub async fn list_models(state: State<'_, AppState>, refresh: bool) -> Result<ModelList, AppError> {
    let conn = state.connection().await;
    Ok(state
        .studio
        .models(conn.as_ref().map_err(Clone::clone), refresh)
        .await)
}
