//! Export a conversation as a folder. The destination is picked in a
//! native folder dialog opened from here, so the webview never names a
//! place to write; "open folder" afterwards only reveals folders this run
//! of the app exported.

use std::path::PathBuf;
use std::sync::Mutex;

use reelchat_studio::error::{AppError, AppErrorKind};
use reelchat_studio::export::{ExportOptions, ExportResult};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::state::{lock, AppState};

/// Folders exported since the app started (the only ones `reveal_export`
/// opens).
static EXPORTED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Ask for a folder, then write the conversation into a new folder inside
/// it. None if the user cancelled the dialog.
#[tauri::command]
pub async fn export_conversation(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    options: ExportOptions,
) -> Result<Option<ExportResult>, AppError> {
    // Fail before the dialog if the conversation is gone.
    state.studio.get(&id)?;
    let mut dialog = app.dialog().file();
    if let Some(dir) = state.settings().download_dir {
        dialog = dialog.set_directory(dir);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.pick_folder(move |picked| {
        let _ = tx.send(picked);
    });
    let Some(picked) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let dest = picked
        .into_path()
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?;
    let studio = state.studio.clone();
    // Copying videos can take a while: off the async threads.
    let result =
        tokio::task::spawn_blocking(move || studio.export_conversation(&id, &dest, &options))
            .await
            .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))??;
    lock(&EXPORTED).push(PathBuf::from(&result.folder));
    Ok(Some(result))
}

/// Show an exported folder in the system's file manager.
#[tauri::command]
pub fn reveal_export(app: AppHandle, folder: String) -> Result<(), AppError> {
    let path = PathBuf::from(&folder);
    if !lock(&EXPORTED).contains(&path) {
        return Err(AppError::invalid("not a folder this app exported"));
    }
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))
}
