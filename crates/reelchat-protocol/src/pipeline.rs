//! From a response body to a finished reply: frames feed the parser, the
//! caller's sink sees every delta and event as it happens, and the end of
//! the stream decides the outcome. The app, the CLI and the tests all go
//! through here, so a captured file parses exactly like a live stream.

use std::time::Duration;

use bytes::Bytes;
use futures_util::{stream, FutureExt, Stream, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::classify::{html_summary, json_error_parts, kind_from_words, looks_like_html, snippet};
use crate::error::{ErrorKind, ReelError};
use crate::reply::{Failure, Outcome, ReplyEvent, ReplyState, Summary};
use crate::reply_parser::ReplyParser;
use crate::sse::{decode, Frame};

/// Receives a reply while it streams.
pub trait ReplySink: Send {
    /// A piece of assistant text arrived (already appended to `parser.text()`).
    fn on_delta(&mut self, _delta: &str, _parser: &ReplyParser) {}
    /// Events became certain (state in `parser.state()` is already updated).
    fn on_events(&mut self, _events: &[ReplyEvent], _parser: &ReplyParser) {}
}

/// A sink that ignores everything.
pub struct NoSink;
impl ReplySink for NoSink {}

/// How a reply ended, with everything it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyResult {
    pub outcome: Outcome,
    pub state: ReplyState,
    /// The whole assistant text, byte for byte.
    pub content: String,
    /// Why it failed or was interrupted (None when it succeeded).
    pub failure: Option<Failure>,
}

impl ReplyResult {
    pub fn summary(&self) -> Summary {
        self.state
            .summary(self.outcome, self.failure.as_ref(), &self.content)
    }

    /// A reply that failed before any text arrived.
    pub fn from_error(e: ReelError) -> Self {
        let failure = Failure::from(e);
        let state = ReplyState {
            failure: Some(failure.clone()),
            phase: crate::reply::Phase::Failed,
            ..Default::default()
        };
        ReplyResult {
            outcome: Outcome::Failed,
            state,
            content: String::new(),
            failure: Some(failure),
        }
    }
}

/// Why reading stopped.
enum End {
    /// `[DONE]`, or a finish_reason and then EOF.
    Finished,
    /// EOF with neither.
    Eof,
    Error(ReelError),
}

/// Read an SSE body to its end (or until cancelled).
pub async fn read_event_stream<S>(
    reads: S,
    cancel: &CancellationToken,
    sink: &mut dyn ReplySink,
) -> ReplyResult
where
    S: Stream<Item = Result<Bytes, ReelError>> + Unpin + Send,
{
    let mut parser = ReplyParser::new();
    let mut frames = std::pin::pin!(decode(reads));
    let mut finished = false;
    let end = loop {
        // A frame that is already decoded is taken without setting up the
        // wait on `cancel` (most frames are: one read holds dozens); the
        // token is still checked first, so a stop wins over pending frames.
        if cancel.is_cancelled() {
            break End::Error(stopped());
        }
        let next = match frames.next().now_or_never() {
            Some(f) => f,
            None => tokio::select! {
                biased;
                _ = cancel.cancelled() => break End::Error(stopped()),
                f = frames.next() => f,
            },
        };
        match next {
            None => break if finished { End::Finished } else { End::Eof },
            Some(Err(e)) => {
                break if finished {
                    End::Finished
                } else {
                    End::Error(e)
                }
            }
            Some(Ok(Frame::Done)) => break End::Finished,
            Some(Ok(Frame::Finished)) => finished = true,
            Some(Ok(Frame::Delta(text))) => {
                if !text.is_empty() {
                    let events = parser.push(&text);
                    sink.on_delta(&text, &parser);
                    if !events.is_empty() {
                        sink.on_events(&events, &parser);
                    }
                }
            }
            Some(Ok(Frame::Error(e))) => {
                let events = parser.fail(Failure::from(e));
                sink.on_events(&events, &parser);
            }
            Some(Ok(Frame::Unknown)) => {}
        }
    };
    conclude(parser, end, sink)
}

fn stopped() -> ReelError {
    ReelError::new(ErrorKind::Cancelled, "stopped by the user")
}

fn conclude(mut parser: ReplyParser, end: End, sink: &mut dyn ReplySink) -> ReplyResult {
    let events = parser.finish();
    if !events.is_empty() {
        sink.on_events(&events, &parser);
    }
    let (content, state) = parser.into_parts();
    let (outcome, failure) = if let Some(f) = &state.failure {
        (Outcome::Failed, Some(f.clone()))
    } else if state.video_url.is_some() {
        (Outcome::Succeeded, None)
    } else {
        match end {
            End::Finished => (
                Outcome::Failed,
                Some(Failure::from(ReelError::new(
                    ErrorKind::GenerationFailed,
                    "the reply finished without a video",
                ))),
            ),
            End::Eof => (
                Outcome::Interrupted,
                Some(Failure::from(ReelError::new(
                    ErrorKind::Network,
                    "the stream ended before the reply was complete",
                ))),
            ),
            End::Error(e) => (Outcome::Interrupted, Some(Failure::from(e))),
        }
    };
    ReplyResult {
        outcome,
        state,
        content,
        failure,
    }
}

/// A body that is one JSON document: a whole `chat.completion` (parsed like
/// a stream's text) or an error.
pub fn read_json_body(body: &str, sink: &mut dyn ReplySink) -> ReplyResult {
    let v: serde_json::Value =
        match serde_json::from_str(body.trim_start_matches('\u{feff}').trim()) {
            Ok(v) => v,
            Err(_) => {
                return ReplyResult::from_error(ReelError::new(
                    ErrorKind::Protocol,
                    snippet(body, 200),
                ))
            }
        };
    let content = v
        .pointer("/choices/0/message/content")
        .or_else(|| v.pointer("/choices/0/delta/content"))
        .and_then(|c| c.as_str());
    if let Some(text) = content {
        let mut parser = ReplyParser::new();
        let events = parser.push(text);
        sink.on_delta(text, &parser);
        if !events.is_empty() {
            sink.on_events(&events, &parser);
        }
        return conclude(parser, End::Finished, sink);
    }
    ReplyResult::from_error(classify_json_without_status(&v))
}

/// An error document whose HTTP status is unknown (a captured file).
fn classify_json_without_status(v: &serde_json::Value) -> ReelError {
    match json_error_parts(v) {
        Some((message, code)) => {
            let kind = kind_from_words(&format!("{code} {message}")).unwrap_or(ErrorKind::Server);
            let message = if message.is_empty() {
                code
            } else {
                snippet(&message, 500)
            };
            ReelError::new(kind, message)
        }
        None => ReelError::new(ErrorKind::Protocol, snippet(&v.to_string(), 200)),
    }
}

/// What a captured body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    EventStream,
    Json,
    Html,
}

/// Guess a body's format from its first bytes.
pub fn sniff(body: &[u8]) -> BodyFormat {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') && serde_json::from_slice::<serde_json::Value>(strip_bom(body)).is_ok() {
        BodyFormat::Json
    } else if t.starts_with('<') || looks_like_html(t) {
        BodyFormat::Html
    } else {
        BodyFormat::EventStream
    }
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// Parse a captured response body, fed `chunk_size` bytes at a time through
/// the same decoder and parser a live stream goes through.
pub async fn parse_captured(
    body: &[u8],
    chunk_size: usize,
    sink: &mut dyn ReplySink,
) -> ReplyResult {
    match sniff(body) {
        BodyFormat::Json => read_json_body(&String::from_utf8_lossy(body), sink),
        BodyFormat::Html => {
            let text = String::from_utf8_lossy(body);
            ReplyResult::from_error(ReelError::new(ErrorKind::Gateway, html_summary(&text)))
        }
        BodyFormat::EventStream => {
            let chunks: Vec<Result<Bytes, ReelError>> = body
                .chunks(chunk_size.max(1))
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            read_event_stream(stream::iter(chunks), &CancellationToken::new(), sink).await
        }
    }
}

/// End a byte stream with a `timeout` error when no bytes arrive for `idle`.
pub fn with_idle_timeout<S>(
    reads: S,
    idle: Duration,
) -> impl Stream<Item = Result<Bytes, ReelError>> + Unpin + Send
where
    S: Stream<Item = Result<Bytes, ReelError>> + Unpin + Send + 'static,
{
    Box::pin(stream::unfold(
        (reads, false),
        move |(mut reads, done)| async move {
            if done {
                return None;
            }
            match tokio::time::timeout(idle, reads.next()).await {
                Ok(Some(item)) => Some((item, (reads, false))),
                Ok(None) => None,
                Err(_) => {
                    let e = ReelError::new(
                        ErrorKind::Timeout,
                        format!("no data from the server for {} s", idle.as_secs()),
                    );
                    Some((Err(e), (reads, true)))
                }
            }
        },
    ))
}
