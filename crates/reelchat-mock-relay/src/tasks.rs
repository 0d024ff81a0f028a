//! Task state, advanced by the generation runner and read by the raw data and web pages.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;

use crate::lock;

/// Where a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Pending,
    Running,
    Completed,
    Failed,
}

/// One task, as the raw data endpoint reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskState {
    pub id: String,
    pub status: TaskStatus,
    pub progress: u8,
    pub video_url: Option<String>,
    pub preview_url: Option<String>,
    pub sid: Option<String>,
    pub failure_reason: Option<String>,
    pub model: String,
    pub prompt: String,
}

/// A change to a task, in script order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskUpdate {
    Created { model: String, prompt: String },
    Running,
    Progress(u8),
    Completed { sid: String },
    Failed { reason: String },
}

/// All tasks of one relay.
#[derive(Debug)]
pub struct TaskStore {
    base_url: String,
    tasks: Mutex<HashMap<String, TaskState>>,
}

/// The preview and video URLs of a result sid.
pub fn media_urls(base_url: &str, sid: &str) -> (String, String) {
    (
        format!("{base_url}/media/{sid}.jpg"),
        format!("{base_url}/media/{sid}.mp4"),
    )
}

impl TaskStore {
    pub fn new(base_url: String) -> Self {
        TaskStore {
            base_url,
            tasks: Mutex::default(),
        }
    }

    pub fn apply(&self, id: &str, update: TaskUpdate) {
        let mut tasks = lock(&self.tasks);
        if let TaskUpdate::Created { model, prompt } = update {
            tasks.insert(
                id.to_string(),
                TaskState {
                    id: id.to_string(),
                    status: TaskStatus::Pending,
                    progress: 0,
                    video_url: None,
                    preview_url: None,
                    sid: None,
                    failure_reason: None,
                    model,
                    prompt,
                },
            );
            return;
        }
        let Some(task) = tasks.get_mut(id) else {
            return;
        };
        match update {
            TaskUpdate::Created { .. } => {}
            TaskUpdate::Running => task.status = TaskStatus::Running,
            TaskUpdate::Progress(p) => {
                task.status = TaskStatus::Running;
                task.progress = p;
            }
            TaskUpdate::Completed { sid } => {
                let (preview, video) = media_urls(&self.base_url, &sid);
                task.status = TaskStatus::Completed;
                task.progress = 100;
                task.preview_url = Some(preview);
                task.video_url = Some(video);
                task.sid = Some(sid);
            }
            TaskUpdate::Failed { reason } => {
                task.status = TaskStatus::Failed;
                task.failure_reason = Some(reason);
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<TaskState> {
        lock(&self.tasks).get(id).cloned()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl TaskState {
    /// The task's small web page (the `数据预览` link).
    pub fn html(&self) -> String {
        let status = format!("{:?}", self.status).to_lowercase();
        let result = match (&self.video_url, &self.preview_url, &self.failure_reason) {
            (Some(video), Some(preview), _) => format!(
                "<p><img src=\"{}\" alt=\"预览图\"></p>\n<p><video src=\"{}\" controls></video></p>\n<p><a href=\"{}\">视频文件</a></p>",
                escape(preview),
                escape(video),
                escape(video)
            ),
            (_, _, Some(reason)) => format!("<p>❌ 生成失败: {}</p>", escape(reason)),
            _ => String::from("<p>⏳ 请稍候刷新</p>"),
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>{id}</title></head>\n<body>\n<h1>{id}</h1>\n<p>状态: {status} · 进度: {progress}%</p>\n<p>模型: {model}</p>\n<p>提示词: {prompt}</p>\n{result}\n<p><a href=\"../source/{id}\">原始数据</a></p>\n</body>\n</html>\n",
            id = escape(&self.id),
            progress = self.progress,
            model = escape(&self.model),
            prompt = escape(&self.prompt),
        )
    }
}
