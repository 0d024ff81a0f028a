//! The three things timed on the same body, fed the same network reads:
//! ReelChat's decoder + parser, the stack alone (`eventsource-stream` +
//! serde_json) and the floor (serde_json on each `data:` line).

use std::borrow::Cow;
use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::{stream, StreamExt};
use reelchat_protocol::pipeline::read_event_stream;
use reelchat_protocol::{CancellationToken, NoSink, Outcome, ReelError};
use serde::Deserialize;

/// The one field a chat client needs from a chunk, borrowed where it can be.
#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(default, borrow)]
    choices: Vec<Choice<'a>>,
}
#[derive(Deserialize)]
struct Choice<'a> {
    #[serde(default, borrow)]
    delta: Option<Delta<'a>>,
}
#[derive(Deserialize)]
struct Delta<'a> {
    #[serde(default, borrow)]
    content: Option<Cow<'a, str>>,
}

fn content_len(json: &[u8]) -> usize {
    serde_json::from_slice::<Chunk<'_>>(json)
        .ok()
        .and_then(|c| c.choices.into_iter().next())
        .and_then(|c| c.delta)
        .and_then(|d| d.content)
        .map_or(0, |c| c.len())
}

/// The body cut into reads of `size` bytes (shared, not copied).
pub fn reads(body: &Bytes, size: usize) -> Vec<Bytes> {
    (0..body.len())
        .step_by(size)
        .map(|at| body.slice(at..(at + size).min(body.len())))
        .collect()
}

/// Wall-clock and on-CPU time of the calling thread. The machine is shared,
/// so the figures use CPU time (from `/proc/thread-self/schedstat`, Linux):
/// time spent waiting for a core is not the parser's. Elsewhere, wall time.
pub struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Which clock the figures come from.
pub fn clock_name() -> &'static str {
    if thread_cpu().is_some() {
        "thread CPU time"
    } else {
        "wall time"
    }
}

impl Clock {
    pub fn start() -> Self {
        Clock {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }

    pub fn elapsed(&self) -> Duration {
        let wall = self.wall.elapsed();
        match (self.cpu, thread_cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall,
        }
    }
}

/// What one timed run returned, so the optimiser cannot drop the work and
/// the figures can be checked against the workload.
pub struct Run {
    pub time: Duration,
    pub content_bytes: usize,
}

pub fn parser(rt: &tokio::runtime::Runtime, reads: &[Bytes]) -> Result<Run, String> {
    let input: Vec<Result<Bytes, ReelError>> = reads.iter().cloned().map(Ok).collect();
    let cancel = CancellationToken::new();
    let t = Clock::start();
    let r = rt.block_on(read_event_stream(stream::iter(input), &cancel, &mut NoSink));
    let time = t.elapsed();
    if r.outcome != Outcome::Succeeded {
        return Err(format!("decoder+parser: {:?} {:?}", r.outcome, r.failure));
    }
    Ok(Run {
        time,
        content_bytes: r.content.len(),
    })
}

pub fn stack(rt: &tokio::runtime::Runtime, reads: &[Bytes]) -> Run {
    let input: Vec<Result<Bytes, Infallible>> = reads.iter().cloned().map(Ok).collect();
    let t = Clock::start();
    let content_bytes = rt.block_on(async {
        let mut events = stream::iter(input).eventsource();
        let mut n = 0;
        while let Some(Ok(ev)) = events.next().await {
            n += content_len(ev.data.as_bytes());
        }
        n
    });
    Run {
        time: t.elapsed(),
        content_bytes,
    }
}

pub fn floor(body: &[u8]) -> Run {
    let t = Clock::start();
    let mut n = 0;
    for line in memchr::memchr_iter(b'\n', body).scan(0, |start, end| {
        let line = &body[*start..end];
        *start = end + 1;
        Some(line)
    }) {
        if let Some(json) = line.strip_prefix(b"data: {") {
            n += content_len(&line[line.len() - json.len() - 1..]);
        }
    }
    Run {
        time: t.elapsed(),
        content_bytes: n,
    }
}
