use std::sync::Arc;

use reelchat_studio::error::AppError;
use reelchat_studio::model::{JobUpdate, TurnRecord};
use reelchat_studio::settings::CheckStatusResult;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::observer::{emit_jobs_changed, ChannelObserver};
use crate::state::AppState;

/// Start a generation. Updates stream over `on_update`; the job runs on
/// even if the webview stops listening. `image`: a staged attachment
/// (`attach_image`), or an earlier turn's image when retrying.
// A command's parameters are its IPC arguments: one struct would only rename them.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn send_message(
    app: AppHandle,
    state: State<'_, AppState>,
    conversation_id: String,
    prompt: String,
    model: String,
    parent: Option<String>,
    image: Option<String>,
    on_update: Channel<JobUpdate>,
) -> Result<TurnRecord, AppError> {
    let conn = state.connection().await?;
    let observer = Arc::new(ChannelObserver::new(app.clone(), on_update));
    let turn = state.studio.send_with_image(
        conn,
        &conversation_id,
        &prompt,
        &model,
        parent,
        image.as_deref(),
        observer,
    )?;
    emit_jobs_changed(&app, &state.studio);
    Ok(turn)
}

#[tauri::command]
pub fn stop_generation(state: State<'_, AppState>, turn_id: String) -> bool {
    state.studio.stop(&turn_id)
}

/// Ask the task's raw data what became of an interrupted task. Never sends
/// a generation request.
#[tauri::command]
pub async fn check_status(
    state: State<'_, AppState>,
    conversation_id: String,
    turn_id: String,
) -> Result<CheckStatusResult, AppError> {
    let conn = state
        .connection()
        .await
        .unwrap_or_else(|_| reelchat_studio::studio::Connection {
            base_url: state.settings().base_url,
            api_key: String::new(),
            idle_timeout: std::time::Duration::from_secs(60),
            allow_loopback_media: false,
        });
    let (turn, remote_status) = state
        .studio
        .check_status(&conn, &conversation_id, &turn_id)
        .await?;
    Ok(CheckStatusResult {
        turn,
        remote_status,
    })
}

#[tauri::command]
pub fn running_jobs(state: State<'_, AppState>) -> Vec<(String, String)> {
    state.studio.running()
}
