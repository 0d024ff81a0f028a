//! SSE decoding: raw byte reads → sanitized lines → `eventsource-stream` →
//! what each event means for a chat completion (a text delta, the end, or an
//! error frame).

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::{stream, Stream, StreamExt};
use serde::Deserialize;

use crate::classify::classify_error_frame;
use crate::error::{ErrorKind, ReelError};
use crate::sse_sanitize::Sanitizer;

/// What one SSE event says.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// Assistant text (possibly empty).
    Delta(String),
    /// A chunk carried `finish_reason`.
    Finished,
    /// `data: [DONE]`.
    Done,
    /// `data: {"error":…}` inside a 200 stream.
    Error(ReelError),
    /// Something that is not a chat completion chunk (ignored, counted).
    Unknown,
}

#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(default, borrow)]
    choices: Vec<Choice<'a>>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Choice<'a> {
    #[serde(default, borrow)]
    delta: Option<Content<'a>>,
    #[serde(default, borrow)]
    message: Option<Content<'a>>,
    #[serde(default)]
    finish_reason: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Content<'a> {
    #[serde(default, borrow)]
    content: Option<std::borrow::Cow<'a, str>>,
}

/// Interpret one event's `data`. One event may carry text and a finish.
pub fn frames_of(data: &str) -> Vec<Frame> {
    let trimmed = data.trim();
    if trimmed == "[DONE]" {
        return vec![Frame::Done];
    }
    let chunk: Chunk<'_> = match serde_json::from_str(trimmed) {
        Ok(c) => c,
        Err(_) => return vec![Frame::Unknown],
    };
    if let Some(err) = chunk.error.filter(|e| !e.is_null()) {
        let v = serde_json::json!({ "error": err });
        return vec![Frame::Error(classify_error_frame(&v))];
    }
    let mut frames = Vec::with_capacity(2);
    if let Some(choice) = chunk.choices.into_iter().next() {
        let text = choice
            .delta
            .and_then(|d| d.content)
            .or_else(|| choice.message.and_then(|m| m.content));
        if let Some(t) = text {
            frames.push(Frame::Delta(t.into_owned()));
        }
        if choice.finish_reason.is_some_and(|r| !r.is_empty()) {
            frames.push(Frame::Finished);
        }
    }
    if frames.is_empty() {
        frames.push(Frame::Delta(String::new()));
    }
    frames
}

/// Decode a stream of byte reads into frames. Transport errors pass through
/// as `Err` and end the stream.
pub fn decode<S>(reads: S) -> impl Stream<Item = Result<Frame, ReelError>>
where
    S: Stream<Item = Result<Bytes, ReelError>> + Unpin,
{
    sanitized(reads).eventsource().flat_map(|item| {
        let frames: Vec<Result<Frame, ReelError>> = match item {
            Ok(event) => frames_of(&event.data).into_iter().map(Ok).collect(),
            Err(EventStreamError::Transport(e)) => vec![Err(e)],
            Err(e) => vec![Err(ReelError::new(ErrorKind::Protocol, e.to_string()))],
        };
        stream::iter(frames)
    })
}

/// The byte reads, cleaned by a [`Sanitizer`]: only whole lines go on.
/// When the connection fails, what already arrived is delivered first (a
/// complete last event is not lost), then the error.
fn sanitized<S>(reads: S) -> impl Stream<Item = Result<Bytes, ReelError>>
where
    S: Stream<Item = Result<Bytes, ReelError>> + Unpin,
{
    struct St<S> {
        inner: S,
        san: Sanitizer,
        done: bool,
        error: Option<ReelError>,
    }
    let init = St {
        inner: reads,
        san: Sanitizer::new(),
        done: false,
        error: None,
    };
    stream::unfold(init, |mut st| async move {
        loop {
            if st.done {
                return st.error.take().map(|e| (Err(e), st));
            }
            let out = match st.inner.next().await {
                Some(Ok(chunk)) => st.san.push(&chunk),
                Some(Err(e)) => {
                    st.done = true;
                    st.error = Some(e);
                    st.san.finish()
                }
                None => {
                    st.done = true;
                    st.san.finish()
                }
            };
            match out {
                Ok(s) if s.is_empty() => continue,
                Ok(s) => return Some((Ok(Bytes::from(s)), st)),
                Err(e) => {
                    st.done = true;
                    st.error = None;
                    return Some((Err(e), st));
                }
            }
        }
    })
}
