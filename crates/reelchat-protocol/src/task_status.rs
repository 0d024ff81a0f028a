//! The task's raw data (原始数据), fetched to learn a task's fate after its
//! stream was lost. Relays differ: `status`/`progress`/`video_url`/
//! `failure_reason` fields, nested under `data`, or `{content: "<markdown>"}`.

use serde::{Deserialize, Serialize};

use crate::reply_parser::ReplyParser;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RemoteStatus {
    Pending,
    Running,
    Completed,
    Failed,
    Unknown,
}

/// What the raw data says about a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaskStatus {
    pub status: RemoteStatus,
    pub progress: Option<u32>,
    pub video_url: Option<String>,
    pub preview_image_url: Option<String>,
    pub result_sid: Option<String>,
    pub failure_reason: Option<String>,
}

fn str_at<'a>(v: &'a serde_json::Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| v.get(*k).and_then(|x| x.as_str()))
        .filter(|s| !s.is_empty())
}

fn http(s: &str) -> Option<String> {
    let l = s.to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://")).then(|| s.to_string())
}

/// Read a raw data document.
pub fn parse_task_status(v: &serde_json::Value) -> TaskStatus {
    // Some relays wrap the task in `data`.
    let v = match v.get("data") {
        Some(d) if d.is_object() => d,
        _ => v,
    };
    if let Some(md) = str_at(v, &["content", "markdown"]) {
        let mut p = ReplyParser::new();
        p.push(md);
        p.finish();
        let st = p.state();
        let status = if st.failure.is_some() {
            RemoteStatus::Failed
        } else if st.video_url.is_some() {
            RemoteStatus::Completed
        } else {
            RemoteStatus::Running
        };
        return TaskStatus {
            status,
            progress: st.progress,
            video_url: st.video_url.clone(),
            preview_image_url: st.preview_image_url.clone(),
            result_sid: st.result_sid.clone(),
            failure_reason: st.failure.as_ref().map(|f| f.message.clone()),
        };
    }
    let raw_status = str_at(v, &["status", "state"])
        .unwrap_or("")
        .to_ascii_lowercase();
    let video_url = str_at(v, &["video_url", "url", "video", "result_url"]).and_then(http);
    let failure_reason =
        str_at(v, &["failure_reason", "fail_reason", "error", "reason"]).map(str::to_string);
    let status = match raw_status.as_str() {
        "completed" | "complete" | "succeeded" | "success" | "done" | "finished" => {
            RemoteStatus::Completed
        }
        "failed" | "failure" | "error" | "cancelled" | "canceled" => RemoteStatus::Failed,
        "running" | "processing" | "generating" | "in_progress" => RemoteStatus::Running,
        "pending" | "queued" | "waiting" | "submitted" => RemoteStatus::Pending,
        _ if video_url.is_some() => RemoteStatus::Completed,
        _ if failure_reason.is_some() => RemoteStatus::Failed,
        _ => RemoteStatus::Unknown,
    };
    let progress = v
        .get("progress")
        .and_then(|p| {
            p.as_u64().or_else(|| {
                p.as_str()
                    .and_then(|s| s.trim_end_matches('%').parse().ok())
            })
        })
        .map(|p| p.min(100) as u32);
    TaskStatus {
        status,
        progress,
        video_url,
        preview_image_url: str_at(
            v,
            &[
                "preview_url",
                "preview_image_url",
                "thumbnail_url",
                "cover_url",
            ],
        )
        .and_then(http),
        result_sid: str_at(v, &["sid", "result_sid"])
            .filter(|s| crate::plan::is_sid(s))
            .map(str::to_string),
        failure_reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_shapes_relays_use() {
        let s = parse_task_status(
            &json!({"id":"task_1","status":"completed","progress":100,"video_url":"https://x/v.mp4","preview_url":"https://x/p.jpg","sid":"s_0123456789abcdef0123456789abcdef"}),
        );
        assert_eq!(
            (s.status, s.video_url.as_deref()),
            (RemoteStatus::Completed, Some("https://x/v.mp4"))
        );
        assert!(s.result_sid.is_some());
        let s = parse_task_status(&json!({"data":{"status":"FAILED","failure_reason":"内容违规"}}));
        assert_eq!(
            (s.status, s.failure_reason.as_deref()),
            (RemoteStatus::Failed, Some("内容违规"))
        );
        let s = parse_task_status(&json!({"status":"running","progress":"42%"}));
        assert_eq!((s.status, s.progress), (RemoteStatus::Running, Some(42)));
        let s = parse_task_status(&json!({"content":"> 生成完成 ✅\n[视频文件](https://x/a.mp4)"}));
        assert_eq!(s.status, RemoteStatus::Completed);
        let s = parse_task_status(&json!({"status":"completed","url":"javascript:alert(1)"}));
        assert_eq!(s.video_url, None);
    }
}
