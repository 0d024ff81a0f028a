//! Images attached to a message: picked in a native file dialog opened
//! from here, or dropped on the window (the drop event gives the paths).
//! Either way the file is checked by its bytes, downscaled and staged by
//! `reelchat_studio::attachment`; the staged copy is what will be sent.

use std::path::PathBuf;

use reelchat_studio::attachment::{self, ImageAttachment};
use reelchat_studio::error::{AppError, AppErrorKind};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

/// End-to-end tests cannot drive the native dialog: when this names a file
/// holding a path, that path is "picked" instead. Only run.sh sets it.
const TEST_PICK: &str = "REELCHAT_TEST_PICK_IMAGE";

/// Ask for an image, then stage it. None if the user cancelled.
#[tauri::command]
pub async fn pick_image(
    app: AppHandle,
    state: State<'_, AppState>,
    filter_name: String,
) -> Result<Option<ImageAttachment>, AppError> {
    let picked = match test_pick() {
        Some(path) => Some(path),
        None => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            app.dialog()
                .file()
                .add_filter(filter_name, &["png", "jpg", "jpeg", "webp"])
                .pick_file(move |picked| {
                    let _ = tx.send(picked);
                });
            match rx.await.ok().flatten() {
                Some(p) => Some(
                    p.into_path()
                        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?,
                ),
                None => None,
            }
        }
    };
    match picked {
        Some(path) => stage(&state, path).await.map(Some),
        None => Ok(None),
    }
}

/// Stage an image dropped on the window (only a path the window reported as dropped).
#[tauri::command]
pub async fn attach_image(
    state: State<'_, AppState>,
    path: String,
) -> Result<ImageAttachment, AppError> {
    let path = PathBuf::from(path);
    if !state.dropped.take(&path) {
        return Err(AppError::new(
            AppErrorKind::InvalidInput,
            "only a file dropped on the window can be attached this way",
        ));
    }
    stage(&state, path).await
}

async fn stage(state: &AppState, path: PathBuf) -> Result<ImageAttachment, AppError> {
    let media_dir = state.studio.media_dir().to_path_buf();
    // Decoding and resizing a large photo takes a while: off the async threads.
    tokio::task::spawn_blocking(move || attachment::stage(&media_dir, &path))
        .await
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?
}

fn test_pick() -> Option<PathBuf> {
    let file = std::env::var_os(TEST_PICK)?;
    let text = std::fs::read_to_string(file).ok()?;
    let path = text.trim();
    (!path.is_empty()).then(|| PathBuf::from(path))
}
