//! Helpers shared by the integration tests: requests over real loopback HTTP and an SSE
//! reader that works on raw bytes (events may be split anywhere, even inside a character).
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::time::Duration;

use futures_util::StreamExt;
use reelchat_mock_relay::{start, RelayConfig, RelayHandle};
use serde_json::{json, Value};

pub const KEY: &str = "Bearer sk-test";

pub async fn relay() -> RelayHandle {
    start(RelayConfig::default()).await.expect("relay starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

pub fn body(messages: Value) -> Value {
    json!({"model": "sora-2", "messages": messages, "stream": true})
}

pub fn prompt(text: &str) -> Value {
    body(json!([{"role": "user", "content": text}]))
}

pub async fn post(relay: &RelayHandle, auth: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = client()
        .post(format!("{}/v1/chat/completions", relay.base_url()))
        .header("Accept", "application/json")
        .json(body);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    request.send().await.expect("request sent")
}

/// What a client gathered from one SSE response.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Every `data:` payload, in order.
    pub events: Vec<String>,
    /// The accumulated `delta.content`.
    pub text: String,
    pub finish_reason: Option<String>,
    pub done: bool,
    /// The transport error that ended the stream, if it did not end cleanly.
    pub error: Option<String>,
}

impl Gathered {
    /// The last `> ID: \`task_…\`` of the reply.
    pub fn task_id(&self) -> Option<String> {
        let at = self.text.rfind("> ID: `")? + "> ID: `".len();
        let rest = &self.text[at..];
        Some(rest[..rest.find('`')?].to_string())
    }

    /// The result sid from the `> sid:` line.
    pub fn sid(&self) -> Option<String> {
        let at = self.text.rfind("> sid: ")? + "> sid: ".len();
        self.text.get(at..at + 34).map(str::to_string)
    }

    /// The URL of the `[视频文件](…)` link.
    pub fn video_url(&self) -> Option<String> {
        let at = self.text.find("[视频文件](")? + "[视频文件](".len();
        let rest = &self.text[at..];
        Some(rest[..rest.find(')')?].to_string())
    }

    fn take_event(&mut self, raw: &[u8]) {
        let event = std::str::from_utf8(raw).expect("an event is whole UTF-8");
        let data = event.strip_prefix("data: ").expect("data: event");
        self.events.push(data.to_string());
        if data == "[DONE]" {
            self.done = true;
            return;
        }
        let value: Value = serde_json::from_str(data).expect("event JSON");
        if let Some(content) = value["choices"][0]["delta"]["content"].as_str() {
            self.text.push_str(content);
        }
        if let Some(reason) = value["choices"][0]["finish_reason"].as_str() {
            self.finish_reason = Some(reason.to_string());
        }
    }
}

/// Reads SSE events until the stream ends or `until` holds for the gathered state.
pub async fn gather_until(
    response: reqwest::Response,
    until: impl Fn(&Gathered) -> bool,
) -> (Gathered, Option<impl futures_util::Stream>) {
    let mut gathered = Gathered::default();
    let mut buffer: Vec<u8> = Vec::new();
    let mut stream = Box::pin(response.bytes_stream());
    let read = async {
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(bytes) => buffer.extend_from_slice(&bytes),
                Err(e) => {
                    gathered.error = Some(format!("{e:?}"));
                    return false;
                }
            }
            while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
                let raw: Vec<u8> = buffer.drain(..end + 2).collect();
                gathered.take_event(&raw[..end]);
            }
            if until(&gathered) {
                return true;
            }
        }
        false
    };
    let stopped_early = tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("the stream ends within 60 s");
    (gathered, stopped_early.then_some(stream))
}

/// Reads a whole SSE response.
pub async fn gather(response: reqwest::Response) -> Gathered {
    gather_until(response, |_| false).await.0
}

pub async fn get(url: &str) -> reqwest::Response {
    client().get(url).send().await.expect("GET")
}

/// Polls the raw data URL until the task leaves pending/running.
pub async fn wait_for_final_status(relay: &RelayHandle, task_id: &str) -> Value {
    let url = format!("{}/source/{task_id}", relay.base_url());
    for _ in 0..600 {
        let raw: Value = get(&url).await.json().await.expect("raw data JSON");
        if raw["status"] == "completed" || raw["status"] == "failed" {
            return raw;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("task {task_id} never finished");
}
