#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The idle timeout against long streams, in compressed time: the relay's `[heartbeat]`
//! stream is a 10-minute generation with a dot every 20 s, played at one dot per tick.
//! An idle timeout longer than the gap between dots but shorter than the whole stream must
//! not cut it; the same timeout must cut a stream that goes silent, keeping the task id;
//! a connection reset in the middle of an event keeps the reply so far and the task id.

#[path = "../../reelchat-studio/tests/common/report.rs"]
mod report;

use std::time::{Duration, Instant};

use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed, HEARTBEAT_BEATS};
use reelchat_protocol::{
    ApiClient, CancellationToken, ErrorKind, GenerationRequest, Message, NoSink, Outcome,
    ReplyResult,
};
use report::{record, Category};

const KEY: &str = "sk-test-key";
const TEST: &str = "protocol_heartbeat";
/// The relay's heartbeat gap (stands for 20 s).
const TICK: Duration = Duration::from_millis(100);
/// Ten gaps: far longer than one, far shorter than the stream (30 dots and more).
const IDLE: Duration = Duration::from_secs(1);

async fn relay() -> RelayHandle {
    start(RelayConfig {
        api_key: Some(KEY.into()),
        speed: Speed::Custom {
            tick_ms: TICK.as_millis() as u64,
        },
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn generate(relay: &RelayHandle, prompt: &str) -> ReplyResult {
    let req = GenerationRequest {
        base_url: relay.base_url(),
        api_key: KEY.into(),
        model: "sora-2".into(),
        messages: vec![Message::user(prompt)],
        idle_timeout: IDLE,
    };
    ApiClient::new()
        .unwrap()
        .generate(&req, &CancellationToken::new(), &mut NoSink)
        .await
}

#[tokio::test]
async fn a_heartbeat_stream_longer_than_the_idle_timeout_is_not_cut() {
    let relay = relay().await;
    let started = Instant::now();
    let r = generate(&relay, "牛马跳舞 [heartbeat]").await;
    let took = started.elapsed();
    let lost = r.outcome != Outcome::Succeeded;
    record(
        TEST,
        Category::Fault,
        "heartbeat stream outlives the idle timeout",
        lost,
        &format!("{:?} after {took:?}, idle timeout {IDLE:?}", r.outcome),
    );
    // The case proves something only if the stream outlasted the timeout.
    assert!(
        took > IDLE,
        "the stream ({took:?}) must outlast the idle timeout"
    );
    assert_eq!(r.outcome, Outcome::Succeeded, "{:?}", r.failure);
    assert!(r.content.contains(&".".repeat(HEARTBEAT_BEATS as usize)));
    assert!(r.summary().video_url.is_some());
    assert_eq!(relay.chat_request_count(), 1);
    relay.shutdown().await;
}

#[tokio::test]
async fn the_same_idle_timeout_cuts_a_silent_stream_and_keeps_the_task_id() {
    let relay = relay().await;
    let r = generate(&relay, "牛马跳舞 [stall]").await;
    let kind = r.failure.as_ref().map(|f| f.kind);
    let task = r.summary().task_id;
    record(
        TEST,
        Category::Fault,
        "silent stream cut by the idle timeout, task id kept",
        task.is_none(),
        &format!("{:?} {kind:?}, task id kept: {}", r.outcome, task.is_some()),
    );
    assert_eq!(r.outcome, Outcome::Interrupted);
    assert_eq!(kind, Some(ErrorKind::Timeout));
    assert!(task.is_some());
    assert!(r.summary().raw_data_url.is_some());
    assert!(r.content.contains("> ID: `task_"));
    assert_eq!(relay.chat_request_count(), 1, "never re-sent");
    relay.shutdown().await;
}

#[tokio::test]
async fn a_reset_in_the_middle_of_an_event_keeps_the_reply_so_far_and_the_task_id() {
    let relay = relay().await;
    let r = generate(&relay, "牛马跳舞 [reset-mid-event]").await;
    let summary = r.summary();
    let lost = summary.task_id.is_none() || !r.content.contains("进度 ");
    record(
        TEST,
        Category::Fault,
        "connection reset mid-event keeps the partial reply and the task id",
        lost,
        &format!(
            "{:?} {:?}, {} chars kept",
            r.outcome,
            r.failure.as_ref().map(|f| f.kind),
            r.content.chars().count()
        ),
    );
    assert_eq!(r.outcome, Outcome::Interrupted, "{:?}", r.failure);
    assert_eq!(r.failure.as_ref().unwrap().kind, ErrorKind::Network);
    assert!(summary.task_id.is_some() && summary.raw_data_url.is_some());
    assert!(r.content.contains("进度 "), "{}", r.content);
    assert!(
        r.state.progress.is_some_and(|p| p > 0),
        "progress so far kept"
    );
    // The half event is dropped whole, never parsed as a truncated delta.
    assert!(!r.content.contains('\u{FFFD}'));
    assert_eq!(relay.chat_request_count(), 1, "never re-sent");
    relay.shutdown().await;
}
