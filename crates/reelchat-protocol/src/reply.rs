//! What a reply says, as typed data: the events the parser emits while the
//! reply streams, and the state (and summary) they add up to.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, ReelError};

/// The server's plan (the ```json block at the top of a reply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Plan {
    pub prompt: Option<String>,
    pub orientation: Option<String>,
    /// Seconds, when the server states it.
    pub duration: Option<u32>,
    /// On a follow-up turn: the sid of the video being modified.
    pub source_sid: Option<String>,
}

/// The task the server queued, and its two links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaskInfo {
    pub id: String,
    /// 数据预览: a web page showing the task.
    pub task_page_url: Option<String>,
    /// 原始数据: the task's raw data (pollable for its fate).
    pub raw_data_url: Option<String>,
}

/// The result links. Emitted once the video URL is certain, and again when
/// a later line adds the sid or preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Completion {
    pub result_sid: Option<String>,
    pub preview_image_url: Option<String>,
    pub video_url: String,
}

/// Why a reply failed (or was interrupted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    /// Seconds to wait, for `rate_limited`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub retry_after_secs: Option<u64>,
    /// HTTP status, when the failure came from one.
    #[serde(default)]
    pub status: Option<u16>,
}

impl From<ReelError> for Failure {
    fn from(e: ReelError) -> Self {
        Failure {
            kind: e.kind,
            message: e.message,
            retry_after_secs: e.retry_after_secs,
            status: e.status,
        }
    }
}

/// A typed event, emitted by the parser as soon as it is certain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ReplyEvent {
    Plan(Plan),
    /// A task id (or its links) became known. A new id means the server
    /// re-submitted: the last one is current.
    Task(TaskInfo),
    Queued,
    Generating,
    /// The running maximum of the percentages reported so far.
    Progress {
        percent: u32,
    },
    Completed(Completion),
    Failed(Failure),
}

/// How a reply ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Outcome {
    /// A video URL and no failure.
    Succeeded,
    Failed,
    /// The stream ended early without a video: the task may still finish on
    /// the server, so its id and links are kept.
    Interrupted,
}

/// The phase a reply is in, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Phase {
    #[default]
    Sending,
    Planned,
    Queued,
    Generating,
    Completed,
    Failed,
}

/// Everything known about a reply so far. The parser keeps it up to date;
/// the app stores it next to the raw text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplyState {
    pub phase: Phase,
    pub plan: Option<Plan>,
    pub task: Option<TaskInfo>,
    /// Every task id seen, in order (more than one: the server re-submitted).
    pub task_ids: Vec<String>,
    pub progress: Option<u32>,
    pub result_sid: Option<String>,
    pub preview_image_url: Option<String>,
    pub video_url: Option<String>,
    pub failure: Option<Failure>,
}

/// The one-object summary of a finished reply (the CLI's output contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    pub outcome: Outcome,
    pub task_id: Option<String>,
    pub result_sid: Option<String>,
    pub source_sid: Option<String>,
    pub plan: Option<SummaryPlan>,
    pub progress: Option<u32>,
    pub video_url: Option<String>,
    pub preview_image_url: Option<String>,
    pub task_page_url: Option<String>,
    pub raw_data_url: Option<String>,
    pub failure: Option<SummaryFailure>,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SummaryPlan {
    pub prompt: Option<String>,
    pub orientation: Option<String>,
    pub duration: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SummaryFailure {
    pub kind: ErrorKind,
    pub message: String,
}

impl ReplyState {
    pub fn summary(
        &self,
        outcome: Outcome,
        end_failure: Option<&Failure>,
        content: &str,
    ) -> Summary {
        let failure = self
            .failure
            .as_ref()
            .or(end_failure)
            .map(|f| SummaryFailure {
                kind: f.kind,
                message: f.message.clone(),
            });
        Summary {
            outcome,
            task_id: self.task.as_ref().map(|t| t.id.clone()),
            result_sid: self.result_sid.clone(),
            source_sid: self.plan.as_ref().and_then(|p| p.source_sid.clone()),
            plan: self.plan.as_ref().map(|p| SummaryPlan {
                prompt: p.prompt.clone(),
                orientation: p.orientation.clone(),
                duration: p.duration,
            }),
            progress: self.progress,
            video_url: self.video_url.clone(),
            preview_image_url: self.preview_image_url.clone(),
            task_page_url: self.task.as_ref().and_then(|t| t.task_page_url.clone()),
            raw_data_url: self.task.as_ref().and_then(|t| t.raw_data_url.clone()),
            failure,
            content: content.to_string(),
        }
    }
}
