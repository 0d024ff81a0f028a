//! What the app stores and shows: conversations, their turns (one prompt and
//! its reply each), and the views sent to the webview. Every type here is
//! also a TypeScript type (ts-rs, feature `ts`), checked for drift in CI.

use reelchat_protocol::{Failure, ReplyState, Thread, Turn};
use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Where a turn is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum TurnStatus {
    /// The request is being sent or the reply is streaming.
    Running,
    Succeeded,
    Failed,
    /// The stream ended early without a video (app closed, network lost,
    /// stopped, idle timeout): the task may still finish on the server.
    Interrupted,
}

/// When each step was first seen, for the elapsed times on the card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StepTimes {
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub queued_at: Option<Millis>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub generating_at: Option<Millis>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub finished_at: Option<Millis>,
}

/// Local copies of a result, relative to the media folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LocalMedia {
    pub video: Option<String>,
    pub preview: Option<String>,
    pub state: DownloadState,
    /// Why the last download failed (shown; the remote link still plays).
    pub error: Option<String>,
    /// The kind of that failure, for a localized message. Absent in files written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub error_kind: Option<crate::download::DownloadErrorKind>,
    /// When the user deleted this version from the library: its local files
    /// are gone and the library no longer lists it. The turn itself stays in
    /// its conversation (see `library`). Absent in files written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "number", optional))]
    pub removed_at: Option<Millis>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DownloadState {
    #[default]
    None,
    Downloading,
    Done,
    Failed,
}

/// One prompt and its reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TurnRecord {
    pub id: String,
    /// The turn whose video this one modifies (None: a new video).
    pub parent: Option<String>,
    pub prompt: String,
    pub model: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_at: Millis,
    pub status: TurnStatus,
    /// The assistant text exactly as received; re-sent byte for byte.
    pub content: String,
    /// What the parser made of it.
    pub reply: ReplyState,
    /// Why it failed or was interrupted.
    pub failure: Option<Failure>,
    /// 1, 2, … for each successful reply.
    pub version: Option<u32>,
    pub steps: StepTimes,
    pub media: LocalMedia,
    /// The image sent with the prompt (image to video). Absent for a
    /// text-only message and in files written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub image: Option<crate::attachment::ImageAttachment>,
}

/// A conversation as stored: one file per conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Conversation {
    pub id: String,
    pub title: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_at: Millis,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub updated_at: Millis,
    /// The turn (a version) the next message modifies; None: the next
    /// message makes a new video.
    pub head: Option<String>,
    pub turns: Vec<TurnRecord>,
}

impl Conversation {
    pub fn turn(&self, id: &str) -> Option<&TurnRecord> {
        self.turns.iter().find(|t| t.id == id)
    }

    pub fn turn_mut(&mut self, id: &str) -> Option<&mut TurnRecord> {
        self.turns.iter_mut().find(|t| t.id == id)
    }

    /// The protocol's view of the turns, for building histories.
    pub fn thread(&self) -> Thread {
        Thread {
            turns: self
                .turns
                .iter()
                .map(|t| Turn {
                    id: t.id.clone(),
                    parent: t.parent.clone(),
                    user: t.prompt.clone(),
                    // Filled from the file only for the turns a send re-sends
                    // (see `attachment::thread_for_send`).
                    image: None,
                    assistant: t.content.clone(),
                    version: t.version,
                })
                .collect(),
        }
    }

    pub fn is_running(&self) -> bool {
        self.turns.iter().any(|t| t.status == TurnStatus::Running)
    }

    pub fn summary(&self) -> ConversationSummary {
        let latest = self
            .turns
            .iter()
            .filter(|t| t.version.is_some())
            .max_by_key(|t| t.version);
        ConversationSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            updated_at: self.updated_at,
            running: self.is_running(),
            versions: self.turns.iter().filter(|t| t.version.is_some()).count() as u32,
            last_prompt: self.turns.last().map(|t| t.prompt.clone()),
            preview: latest.and_then(|t| t.media.preview.clone()),
        }
    }
}

/// A line in the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub updated_at: Millis,
    pub running: bool,
    pub versions: u32,
    pub last_prompt: Option<String>,
    /// The latest version's preview image (relative to the media folder).
    pub preview: Option<String>,
}

/// A live update of one generation, sent over its channel (coalesced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct JobUpdate {
    pub conversation_id: String,
    pub turn: TurnRecord,
    /// The last update of this job.
    pub done: bool,
    /// Saving to disk failed (e.g. the disk is full): the reply is kept in
    /// memory and saved again on the next change.
    pub save_error: Option<crate::error::AppError>,
}
