//! The library: every video made, across conversations, and deleting one.
//!
//! Deleting a version removes its local files (the video and its poster)
//! and hides it from the library, but keeps the turn in its conversation:
//! the turn's prompt and reply text are part of the history re-sent, byte
//! for byte, when a later version that descends from it is changed, and the
//! version numbers of the others must not move. The chat shows the turn with
//! a note instead of a player. The change is saved before any file is
//! removed, so a failed save deletes nothing.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppErrorKind};
use crate::model::{now_ms, Conversation, DownloadState, Millis, TurnRecord, TurnStatus};
use crate::studio::{lock, Studio};

/// One video in the library: a successful turn (a version) and where it
/// came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LibraryItem {
    pub conversation_id: String,
    pub conversation_title: String,
    pub turn_id: String,
    pub version: u32,
    /// The version this one changed (None: a new video).
    pub parent_version: Option<u32>,
    /// The user's message that produced it.
    pub prompt: String,
    pub model: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_at: Millis,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub finished_at: Option<Millis>,
    /// The local video, relative to the media folder.
    pub video: Option<String>,
    /// The local poster image, relative to the media folder.
    pub poster: Option<String>,
    pub media_state: DownloadState,
    /// The server's links (they usually expire after about a day).
    pub video_url: Option<String>,
    pub preview_image_url: Option<String>,
    pub task_page_url: Option<String>,
}

impl LibraryItem {
    fn from_turn(c: &Conversation, t: &TurnRecord, version: u32) -> LibraryItem {
        LibraryItem {
            conversation_id: c.id.clone(),
            conversation_title: c.title.clone(),
            turn_id: t.id.clone(),
            version,
            parent_version: t
                .parent
                .as_deref()
                .and_then(|p| c.turn(p))
                .and_then(|p| p.version),
            prompt: t.prompt.clone(),
            model: t.model.clone(),
            created_at: t.created_at,
            finished_at: t.steps.finished_at,
            video: t.media.video.clone(),
            poster: t.media.preview.clone(),
            media_state: t.media.state,
            video_url: t.reply.video_url.clone(),
            preview_image_url: t.reply.preview_image_url.clone(),
            task_page_url: t.reply.task.as_ref().and_then(|k| k.task_page_url.clone()),
        }
    }
}

/// The versions of one conversation that the library shows.
pub fn library_items(c: &Conversation) -> impl Iterator<Item = LibraryItem> + '_ {
    c.turns.iter().filter_map(move |t| match t.version {
        Some(v) if t.status == TurnStatus::Succeeded && t.media.removed_at.is_none() => {
            Some(LibraryItem::from_turn(c, t, v))
        }
        _ => None,
    })
}

impl Studio {
    /// Every version in every conversation, the newest first.
    pub fn library(&self) -> Vec<LibraryItem> {
        let cells: Vec<_> = lock(&self.inner.cells).values().cloned().collect();
        let mut out: Vec<LibraryItem> = cells
            .iter()
            .flat_map(|cell| library_items(&lock(cell)).collect::<Vec<_>>())
            .collect();
        out.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| a.conversation_id.cmp(&b.conversation_id))
                .then_with(|| b.version.cmp(&a.version))
        });
        out
    }

    /// Delete a version from the library: save the turn as removed (no
    /// local files, hidden from the library), then remove its video and
    /// poster from disk. Deleting one already removed does nothing. A
    /// version whose files are still being saved is refused (`busy`).
    ///
    /// Only files inside the conversation's own media folder are removed,
    /// whatever the stored paths say.
    pub fn delete_library_item(
        &self,
        conversation_id: &str,
        turn_id: &str,
    ) -> Result<(), AppError> {
        if lock(&self.inner.jobs).contains_key(turn_id) {
            return Err(AppError::new(
                AppErrorKind::Busy,
                "this video is still being generated or saved",
            ));
        }
        let mut files: Vec<String> = Vec::new();
        self.modify(conversation_id, |c| {
            let t = c
                .turn_mut(turn_id)
                .ok_or_else(|| AppError::invalid("no such version"))?;
            if t.version.is_none() || t.status != TurnStatus::Succeeded {
                return Err(AppError::invalid("only a finished version can be deleted"));
            }
            if t.media.removed_at.is_some() {
                return Ok(());
            }
            files.extend(t.media.video.take());
            files.extend(t.media.preview.take());
            t.media.state = DownloadState::None;
            t.media.error = None;
            t.media.error_kind = None;
            t.media.removed_at = Some(now_ms());
            Ok(())
        })?;
        let folder = self.inner.media_dir.join(conversation_id);
        let mut failed = Vec::new();
        for rel in &files {
            let Some(path) = own_file(&self.inner.media_dir, conversation_id, rel) else {
                continue; // not ours to remove
            };
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => failed.push(format!("{}: {e}", path.display())),
            }
        }
        let _ = crate::store::sync_dir(&folder);
        if failed.is_empty() {
            Ok(())
        } else {
            Err(AppError::new(
                AppErrorKind::Io,
                format!(
                    "the version was removed from the library, but some files could not be deleted: {}",
                    failed.join("; ")
                ),
            ))
        }
    }
}

/// `root/<conversation_id>/<name>` for a stored path of that form, if the
/// folder really is inside `root` (no `..`, no absolute path, no symlink
/// leading out); None otherwise.
fn own_file(root: &Path, conversation_id: &str, rel: &str) -> Option<PathBuf> {
    let parts: Vec<Component> = Path::new(rel).components().collect();
    let [Component::Normal(dir), Component::Normal(name)] = parts.as_slice() else {
        return None;
    };
    if *dir != conversation_id {
        return None;
    }
    let folder = root.join(dir).canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    (folder.parent() == Some(root.as_path())).then(|| folder.join(name))
}

#[cfg(test)]
mod tests {
    use super::own_file;

    #[test]
    fn only_files_in_the_conversations_own_folder() {
        let root = std::env::temp_dir().join(format!(
            "reelchat-lib-unit-{}-{}",
            std::process::id(),
            crate::ids::new_id("")
        ));
        std::fs::create_dir_all(root.join("c_a")).unwrap();
        std::fs::create_dir_all(root.join("c_b")).unwrap();
        let canon = root.canonicalize().unwrap();
        assert_eq!(
            own_file(&root, "c_a", "c_a/t_1.mp4"),
            Some(canon.join("c_a").join("t_1.mp4"))
        );
        for bad in [
            "c_b/t_1.mp4",
            "../c_a/t_1.mp4",
            "c_a/../c_b/t_1.mp4",
            "/etc/passwd",
            "c_a",
            "c_a/sub/t_1.mp4",
            "",
        ] {
            assert_eq!(own_file(&root, "c_a", bad), None, "{bad}");
        }
        #[cfg(unix)]
        {
            // A folder that is a link to elsewhere is not ours.
            std::os::unix::fs::symlink(std::env::temp_dir(), root.join("c_link")).unwrap();
            assert_eq!(own_file(&root, "c_link", "c_link/x.mp4"), None);
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
