//! Plays a reply script: streams its events to the client and advances the task state.
//! The generation runs on its own task, so it goes on when the client leaves.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::mpsc;

use crate::sse::{self, ChunkWriter};
use crate::stream::{Script, Step};
use crate::AppState;

type Frame = Result<Bytes, io::Error>;

/// The pause between the two halves of an event whose bytes are split mid-character.
const SPLIT_PAUSE: Duration = Duration::from_millis(3);

/// Where the events go: the client while it listens.
struct Client {
    tx: Option<mpsc::Sender<Frame>>,
    /// The connection kept open, silent, by [`Step::Detach`].
    held: Option<mpsc::Sender<Frame>>,
}

impl Client {
    fn listening(&self) -> bool {
        self.tx.is_some()
    }

    async fn send(&mut self, frame: Frame) {
        if let Some(tx) = &self.tx {
            if tx.send(frame).await.is_err() {
                // The client went away; the generation goes on.
                self.tx = None;
            }
        }
    }

    async fn send_event(&mut self, event: String, split_bytes: bool) {
        let cut = split_bytes
            .then(|| event.bytes().position(|b| b >= 0x80))
            .flatten()
            .map(|at| at + 1);
        match cut {
            Some(at) if self.listening() => {
                let bytes = Bytes::from(event);
                self.send(Ok(bytes.slice(..at))).await;
                tokio::time::sleep(SPLIT_PAUSE).await;
                self.send(Ok(bytes.slice(at..))).await;
            }
            _ => self.send(Ok(Bytes::from(event))).await,
        }
    }
}

/// Starts playing `script` and answers with its SSE stream.
pub fn stream_response(state: Arc<AppState>, script: Script, writer: ChunkWriter) -> Response {
    let (tx, rx) = mpsc::channel::<Frame>(256);
    tokio::spawn(play(state, script, writer, tx));
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|frame| (frame, rx))
    });
    let mut response = (StatusCode::OK, Body::from_stream(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

async fn pause(state: &AppState, duration: Duration) {
    if duration.is_zero() {
        tokio::task::yield_now().await;
        return;
    }
    tokio::select! {
        () = tokio::time::sleep(duration) => {}
        () = state.cancel.cancelled() => {}
    }
}

async fn play(state: Arc<AppState>, script: Script, writer: ChunkWriter, tx: mpsc::Sender<Frame>) {
    let speed = state.config.speed;
    let mut client = Client {
        tx: Some(tx),
        held: None,
    };
    let mut content = String::new();
    // `Step::Pace` deadlines: one tick apart whatever the sends cost.
    let mut paced = tokio::time::Instant::now();
    client.send_event(writer.role(), false).await;
    for step in script.steps {
        if state.cancel.is_cancelled() {
            return;
        }
        match step {
            Step::Delta { text, split_bytes } => {
                content.push_str(&text);
                client.send_event(writer.content(&text), split_bytes).await;
                if client.listening() {
                    pause(&state, speed.text_gap()).await;
                }
            }
            Step::EmptyDelta => client.send_event(writer.empty(false), false).await,
            Step::Tick => pause(&state, speed.tick()).await,
            Step::Task { id, update } => state.tasks.apply(&id, update),
            Step::Media { sid, clip } => state.media.register(&sid, clip),
            Step::ErrorFrame(json) => client.send_event(sse::event(&json), false).await,
            Step::Finish => {
                if client.listening() {
                    state.replies.remember(content.clone());
                }
                client.send_event(writer.empty(true), false).await;
            }
            Step::Done => client.send_event(sse::DONE.to_string(), false).await,
            Step::Cut => {
                client
                    .send(Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "mock relay: stream cut",
                    )))
                    .await;
                client.tx = None;
            }
            Step::CutMidEvent(text) => {
                // Half an event: no blank line ends it, so a client must drop it whole.
                let event = Bytes::from(writer.content(&text));
                client.send(Ok(event.slice(..event.len() / 2))).await;
                // Let the half reach the wire before the reset.
                tokio::time::sleep(SPLIT_PAUSE * 10).await;
                client
                    .send(Err(io::Error::new(
                        io::ErrorKind::ConnectionReset,
                        "mock relay: reset in the middle of an event",
                    )))
                    .await;
                client.tx = None;
            }
            Step::Detach => client.held = client.tx.take(),
            Step::Stamp { task, value } => state.stamps.record(&task, value),
            Step::Pace => {
                // Far behind (the first pace of a stream): start the rate from now.
                let now = tokio::time::Instant::now();
                paced = if now.saturating_duration_since(paced) > speed.tick() * 10 {
                    now
                } else {
                    paced + speed.tick()
                };
                tokio::select! {
                    () = tokio::time::sleep_until(paced) => {}
                    () = state.cancel.cancelled() => {}
                }
            }
        }
    }
    if let Some(held) = client.held {
        tokio::select! {
            () = held.closed() => {}
            () = state.cancel.cancelled() => {}
        }
    }
}
