use reelchat_studio::error::{AppError, AppErrorKind};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

#[tauri::command]
pub fn media_base_url(state: State<'_, AppState>) -> String {
    state.media.base_url().to_string()
}

/// A link the app may open: http(s) only, with a host.
pub fn external_url(url: &str) -> Result<url::Url, AppError> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| AppError::invalid("not a valid link"))?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(AppError::invalid("only http and https links are opened"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(AppError::invalid("the link has no host"));
    }
    Ok(parsed)
}

/// The one way the app opens a link: http(s) only, in the system browser.
#[tauri::command]
pub fn open_external(app: AppHandle, url: String) -> Result<(), AppError> {
    let parsed = external_url(&url)?;
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))
}

/// The local file of a turn's video, checked to be inside the media folder.
fn local_video(
    state: &AppState,
    conversation_id: &str,
    turn_id: &str,
) -> Result<std::path::PathBuf, AppError> {
    let c = state.studio.get(conversation_id)?;
    let t = c
        .turn(turn_id)
        .ok_or_else(|| AppError::invalid("no such message"))?;
    let rel = t.media.video.as_deref().ok_or_else(|| {
        AppError::new(
            AppErrorKind::Download,
            "the video has not been downloaded yet",
        )
    })?;
    let root = state.studio.media_dir();
    let path = root.join(rel);
    let canon = path
        .canonicalize()
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?;
    let root = root
        .canonicalize()
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?;
    if !canon.starts_with(&root) {
        return Err(AppError::invalid("the file is outside the media folder"));
    }
    Ok(canon)
}

/// Ask where to save the video, then copy it there. None if the user cancelled.
#[tauri::command]
pub async fn save_video_as(
    app: AppHandle,
    state: State<'_, AppState>,
    conversation_id: String,
    turn_id: String,
) -> Result<Option<String>, AppError> {
    let src = local_video(&state, &conversation_id, &turn_id)?;
    let name = src
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "video.mp4".into());
    let mut dialog = app.dialog().file().set_file_name(&name);
    if let Some(dir) = state.settings().download_dir {
        dialog = dialog.set_directory(dir);
    }
    let Some(dest) = dialog.blocking_save_file() else {
        return Ok(None);
    };
    let dest = dest
        .into_path()
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?;
    tokio::fs::copy(&src, &dest).await.map_err(|e| {
        let kind = if e.raw_os_error() == Some(28) {
            AppErrorKind::DiskFull
        } else {
            AppErrorKind::Io
        };
        AppError::new(kind, format!("{}: {e}", dest.display()))
    })?;
    Ok(Some(dest.display().to_string()))
}

/// Show the video's file in the system's file manager.
#[tauri::command]
pub fn open_media_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    conversation_id: String,
    turn_id: String,
) -> Result<(), AppError> {
    let path = local_video(&state, &conversation_id, &turn_id)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::external_url;

    #[test]
    fn only_http_and_https_links_open() {
        assert_eq!(
            external_url(" https://relay.example/web/task_1 ")
                .unwrap()
                .as_str(),
            "https://relay.example/web/task_1"
        );
        assert!(external_url("http://127.0.0.1:8080/x").is_ok());
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>",
            "smb://host/share",
            "vbscript:x",
            "",
            "not a url",
            "https://",
        ] {
            assert!(external_url(bad).is_err(), "{bad}");
        }
    }
}
