//! SSE decoding: raw byte reads → sanitized lines → `eventsource-stream` →
//! what each event means for a chat completion (a text delta, the end, or an
//! error frame).

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use eventsource_stream::{Event, EventStreamError, Eventsource};
use futures_util::{Stream, StreamExt};
use serde::de::{Deserializer, SeqAccess, Visitor};
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
    /// Only the first choice is used: no `Vec` is built for it.
    #[serde(default, borrow, rename = "choices", deserialize_with = "first_choice")]
    choice: Option<Choice<'a>>,
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

/// The first element of `choices`. The others must still be choices (as
/// with a `Vec<Choice>`), or the chunk is not a chat completion chunk.
fn first_choice<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Choice<'de>>, D::Error> {
    struct First;
    impl<'de> Visitor<'de> for First {
        type Value = Option<Choice<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of choices")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let first = seq.next_element::<Choice<'de>>()?;
            while seq.next_element::<Choice<'de>>()?.is_some() {}
            Ok(first)
        }
    }
    d.deserialize_seq(First)
}

/// Interpret one event's `data`. One event may carry text and a finish.
pub fn frames_of(data: &str) -> Vec<Frame> {
    let (first, second) = frame_pair(data);
    std::iter::once(first).chain(second).collect()
}

/// [`frames_of`] without the `Vec`: the first frame, and a `Finished` that
/// may follow it.
fn frame_pair(data: &str) -> (Frame, Option<Frame>) {
    let trimmed = data.trim();
    if trimmed == "[DONE]" {
        return (Frame::Done, None);
    }
    let chunk: Chunk<'_> = match serde_json::from_str(trimmed) {
        Ok(c) => c,
        Err(_) => return (Frame::Unknown, None),
    };
    if let Some(err) = chunk.error.filter(|e| !e.is_null()) {
        let v = serde_json::json!({ "error": err });
        return (Frame::Error(classify_error_frame(&v)), None);
    }
    let Some(choice) = chunk.choice else {
        return (Frame::Delta(String::new()), None);
    };
    let text = choice
        .delta
        .and_then(|d| d.content)
        .or_else(|| choice.message.and_then(|m| m.content));
    let finished = choice
        .finish_reason
        .is_some_and(|r| !r.is_empty())
        .then_some(Frame::Finished);
    match (text, finished) {
        (Some(t), finished) => (Frame::Delta(t.into_owned()), finished),
        (None, Some(f)) => (f, None),
        (None, None) => (Frame::Delta(String::new()), None),
    }
}

/// Decode a stream of byte reads into frames. Transport errors pass through
/// as `Err` and end the stream.
pub fn decode<S>(reads: S) -> impl Stream<Item = Result<Frame, ReelError>>
where
    S: Stream<Item = Result<Bytes, ReelError>> + Unpin,
{
    Frames {
        events: Sanitized {
            inner: reads,
            san: Sanitizer::new(),
            ready: VecDeque::new(),
            done: false,
            error: None,
        }
        .eventsource(),
        pending: None,
    }
}

/// Events to frames, one at a time (an event makes at most two).
struct Frames<E> {
    events: E,
    pending: Option<Frame>,
}

impl<E> Stream for Frames<E>
where
    E: Stream<Item = Result<Event, EventStreamError<ReelError>>> + Unpin,
{
    type Item = Result<Frame, ReelError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(f) = self.pending.take() {
            return Poll::Ready(Some(Ok(f)));
        }
        let item = match ready!(self.events.poll_next_unpin(cx)) {
            None => return Poll::Ready(None),
            Some(item) => item,
        };
        Poll::Ready(Some(match item {
            Ok(event) => {
                let (first, second) = frame_pair(&event.data);
                self.pending = second;
                Ok(first)
            }
            Err(EventStreamError::Transport(e)) => Err(e),
            Err(e) => Err(ReelError::new(ErrorKind::Protocol, e.to_string())),
        }))
    }
}

/// The byte reads, cleaned by a [`Sanitizer`] and cut into short pieces of
/// whole lines. When the connection fails, what already arrived is
/// delivered first (a complete last event is not lost), then the error.
struct Sanitized<S> {
    inner: S,
    san: Sanitizer,
    /// Pieces cleaned and not yet handed on.
    ready: VecDeque<Bytes>,
    done: bool,
    error: Option<ReelError>,
}

impl<S> Stream for Sanitized<S>
where
    S: Stream<Item = Result<Bytes, ReelError>> + Unpin,
{
    type Item = Result<Bytes, ReelError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let st = &mut *self;
        loop {
            if let Some(piece) = st.ready.pop_front() {
                return Poll::Ready(Some(Ok(piece)));
            }
            if st.done {
                return Poll::Ready(st.error.take().map(Err));
            }
            let flushed = match ready!(st.inner.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => st.san.push_bytes(&chunk, &mut st.ready),
                Some(Err(e)) => {
                    st.done = true;
                    st.error = Some(e);
                    st.san.finish_into(&mut st.ready)
                }
                None => {
                    st.done = true;
                    st.san.finish_into(&mut st.ready)
                }
            };
            if let Err(e) = flushed {
                st.done = true;
                st.error = None;
                return Poll::Ready(Some(Err(e)));
            }
        }
    }
}
