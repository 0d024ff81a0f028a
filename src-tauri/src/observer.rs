//! Job updates to the webview: per-generation over its Channel, app-wide
//! notices as events, and an OS notification when a job finishes while the
//! window is not focused.

use reelchat_studio::model::{JobUpdate, TurnRecord, TurnStatus};
use reelchat_studio::studio::{JobObserver, Studio};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

pub struct ChannelObserver {
    app: AppHandle,
    channel: Channel<JobUpdate>,
}

impl ChannelObserver {
    pub fn new(app: AppHandle, channel: Channel<JobUpdate>) -> Self {
        ChannelObserver { app, channel }
    }
}

#[derive(Clone, Serialize)]
struct JobsChanged {
    running: Vec<(String, String)>,
}

#[derive(Clone, Serialize)]
struct JobFinished {
    conversation_id: String,
    turn_id: String,
    status: TurnStatus,
}

pub fn emit_jobs_changed(app: &AppHandle, studio: &Studio) {
    let _ = app.emit(
        "jobs-changed",
        JobsChanged {
            running: studio.running(),
        },
    );
}

impl JobObserver for ChannelObserver {
    fn update(&self, update: &JobUpdate) {
        // The webview may have gone (reloaded): the job runs on regardless.
        let _ = self.channel.send(update.clone());
        if crate::commands::perf::enabled() {
            // Stream-to-screen latency split (scripts/perf.d/40-latency): when the backend
            // handed this progress value to the webview.
            let reply = &update.turn.reply;
            if let (Some(task), Some(value)) = (&reply.task, reply.progress) {
                crate::commands::perf::mark_now_with(
                    "progress-sent",
                    serde_json::json!({ "task": task.id, "value": value }),
                );
            }
        }
        if update.done {
            if let Some(state) = self.app.try_state::<AppState>() {
                emit_jobs_changed(&self.app, &state.studio);
            }
        }
    }

    fn finished(&self, conversation_id: &str, turn: &TurnRecord) {
        let _ = self.app.emit(
            "job-finished",
            JobFinished {
                conversation_id: conversation_id.into(),
                turn_id: turn.id.clone(),
                status: turn.status,
            },
        );
        let focused = self
            .app
            .get_webview_window("main")
            .and_then(|w| w.is_focused().ok())
            .unwrap_or(false);
        if !focused {
            let zh = crate::locale::is_chinese(&self.app);
            let (title, body) = match (turn.status, zh) {
                (TurnStatus::Succeeded, true) => (
                    "视频已生成".to_string(),
                    format!("v{} · {}", turn.version.unwrap_or(0), short(&turn.prompt)),
                ),
                (TurnStatus::Succeeded, false) => (
                    "Your video is ready".to_string(),
                    format!("v{} · {}", turn.version.unwrap_or(0), short(&turn.prompt)),
                ),
                (_, true) => ("视频生成未完成".to_string(), short(&turn.prompt)),
                (_, false) => ("The video did not finish".to_string(), short(&turn.prompt)),
            };
            let _ = self
                .app
                .notification()
                .builder()
                .title(title)
                .body(body)
                .show();
        }
    }
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}
