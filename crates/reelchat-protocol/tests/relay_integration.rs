#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The core against the mock relay over real loopback HTTP: every scenario,
//! byte-exact history, cancel during a stall, the idle timeout, and exactly
//! one request per send.

use std::time::{Duration, Instant};

use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Scenario, Speed};
use reelchat_protocol::{
    ApiClient, CancellationToken, ErrorKind, GenerationRequest, Message, Outcome, ReplyEvent,
    ReplyParser, ReplyResult, ReplySink,
};

const KEY: &str = "sk-test-key";

async fn relay() -> RelayHandle {
    start(RelayConfig {
        api_key: Some(KEY.into()),
        speed: Speed::Fast,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn request(relay: &RelayHandle, messages: Vec<Message>) -> GenerationRequest {
    GenerationRequest {
        base_url: relay.base_url(),
        api_key: KEY.into(),
        model: "sora-2".into(),
        messages,
        idle_timeout: Duration::from_secs(30),
    }
}

/// Records events; cancels the token once a task id is known, if asked.
#[derive(Default)]
struct Recorder {
    events: Vec<ReplyEvent>,
    cancel_on_task: Option<CancellationToken>,
    deltas: usize,
}

impl ReplySink for Recorder {
    fn on_delta(&mut self, _delta: &str, _parser: &ReplyParser) {
        self.deltas += 1;
    }
    fn on_events(&mut self, events: &[ReplyEvent], _parser: &ReplyParser) {
        self.events.extend_from_slice(events);
        if events.iter().any(|e| matches!(e, ReplyEvent::Task(_))) {
            if let Some(c) = &self.cancel_on_task {
                c.cancel();
            }
        }
    }
}

async fn send(relay: &RelayHandle, messages: Vec<Message>) -> (ReplyResult, Recorder) {
    let client = ApiClient::new().unwrap();
    let mut rec = Recorder::default();
    let r = client
        .generate(
            &request(relay, messages),
            &CancellationToken::new(),
            &mut rec,
        )
        .await;
    (r, rec)
}

#[tokio::test]
async fn success_then_remix_with_byte_exact_history() {
    let relay = relay().await;
    let (first, rec) = send(&relay, vec![Message::user("生成一段高清的,牛马跳舞的视频")]).await;
    assert_eq!(first.outcome, Outcome::Succeeded, "{:?}", first.failure);
    let s1 = first.summary();
    assert!(s1.task_id.as_deref().unwrap().starts_with("task_"));
    let sid1 = s1.result_sid.clone().unwrap();
    assert!(s1.video_url.as_deref().unwrap().ends_with(".mp4"));
    assert!(
        s1.preview_image_url.is_some() && s1.raw_data_url.is_some() && s1.task_page_url.is_some()
    );
    assert!(rec.deltas > 50, "the relay streams tiny deltas");
    let kinds: Vec<&str> = rec
        .events
        .iter()
        .map(|e| match e {
            ReplyEvent::Plan(_) => "plan",
            ReplyEvent::Task(_) => "task",
            ReplyEvent::Queued => "queued",
            ReplyEvent::Generating => "generating",
            ReplyEvent::Progress { .. } => "progress",
            ReplyEvent::Completed(_) => "completed",
            ReplyEvent::Failed(_) => "failed",
        })
        .collect();
    let pos = |k: &str| {
        kinds
            .iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("no {k} in {kinds:?}"))
    };
    assert!(
        pos("plan") < pos("task")
            && pos("task") < pos("queued")
            && pos("queued") < pos("generating")
    );
    assert!(pos("generating") < pos("progress") && pos("progress") < pos("completed"));

    // The video it links is real and served with Range support.
    let video = reqwest::Client::new()
        .get(s1.video_url.as_deref().unwrap())
        .header("Range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(video.status().as_u16(), 206);

    // Follow-up: the whole history, assistant text byte for byte.
    let history = vec![
        Message::user("生成一段高清的,牛马跳舞的视频"),
        Message::assistant(first.content.clone()),
        Message::user("让牛的头上顶着光圈"),
    ];
    let (second, _) = send(&relay, history.clone()).await;
    assert_eq!(second.outcome, Outcome::Succeeded, "{:?}", second.failure);
    let s2 = second.summary();
    assert_eq!(
        s2.source_sid.as_deref(),
        Some(sid1.as_str()),
        "the relay found the source sid in our history"
    );
    assert_ne!(s2.result_sid, s1.result_sid);
    assert_ne!(s2.video_url, s1.video_url);

    let reqs = relay.requests();
    assert_eq!(reqs.len(), 2, "exactly one request per send");
    assert_eq!(
        reqs[1].body["messages"][1]["content"].as_str().unwrap(),
        first.content
    );
    assert_eq!(reqs[1].body["stream"], serde_json::json!(true));
    assert_eq!(reqs[1].authorization.as_deref(), Some("Bearer sk-test-key"));

    // A history whose assistant text was altered is refused by the strict relay.
    let mut altered = history;
    altered[1].content = first.content.replace("\n", "\r\n").into();
    let (third, _) = send(&relay, altered).await;
    assert_eq!(third.outcome, Outcome::Failed);
    assert_eq!(third.failure.unwrap().kind, ErrorKind::BadRequest);
    relay.shutdown().await;
}

#[tokio::test]
async fn every_failure_scenario_maps_to_its_kind() {
    let relay = relay().await;
    let cases: &[(Scenario, Outcome, ErrorKind)] = &[
        (
            Scenario::Failure,
            Outcome::Failed,
            ErrorKind::GenerationFailed,
        ),
        (Scenario::PolicyHttp, Outcome::Failed, ErrorKind::Policy),
        (Scenario::PolicyStream, Outcome::Failed, ErrorKind::Policy),
        (Scenario::Unauthorized, Outcome::Failed, ErrorKind::Auth),
        (
            Scenario::RateLimited,
            Outcome::Failed,
            ErrorKind::RateLimited,
        ),
        (Scenario::Html502, Outcome::Failed, ErrorKind::Gateway),
        (Scenario::Html524, Outcome::Failed, ErrorKind::Gateway),
        (
            Scenario::CutStream,
            Outcome::Interrupted,
            ErrorKind::Network,
        ),
        (
            Scenario::ServerErrorFrame,
            Outcome::Failed,
            ErrorKind::Server,
        ),
    ];
    for (scenario, outcome, kind) in cases {
        let before = relay.chat_request_count();
        let (r, _) = send(
            &relay,
            vec![Message::user(format!("一只猫 {}", scenario.keyword()))],
        )
        .await;
        assert_eq!(
            relay.chat_request_count(),
            before + 1,
            "{scenario}: one request, never a retry"
        );
        assert_eq!(r.outcome, *outcome, "{scenario}: {:?}", r.failure);
        let f = r.failure.clone().unwrap();
        assert_eq!(f.kind, *kind, "{scenario}: {f:?}");
        assert!(
            !f.message.is_empty(),
            "{scenario}: the server's message is kept"
        );
        match scenario {
            Scenario::RateLimited => assert_eq!(f.retry_after_secs, Some(7)),
            Scenario::Html502 => assert!(f.message.contains("502"), "{}", f.message),
            Scenario::CutStream => {
                let s = r.summary();
                assert!(
                    s.task_id.is_some() && s.raw_data_url.is_some(),
                    "an interrupted task keeps its id and links"
                );
            }
            _ => {}
        }
    }
    for (scenario, _) in [(Scenario::Resubmit, ()), (Scenario::SlowQueue, ())] {
        let (r, _) = send(
            &relay,
            vec![Message::user(format!("cat {}", scenario.keyword()))],
        )
        .await;
        assert_eq!(r.outcome, Outcome::Succeeded, "{scenario}: {:?}", r.failure);
        if scenario == Scenario::Resubmit {
            assert_eq!(r.state.task_ids.len(), 2);
            assert_eq!(r.summary().task_id.as_ref(), r.state.task_ids.last());
        }
    }
    relay.shutdown().await;
}

#[tokio::test]
async fn cancel_during_a_stall_returns_at_once_and_keeps_the_task() {
    let relay = relay().await;
    let client = ApiClient::new().unwrap();
    let cancel = CancellationToken::new();
    let mut rec = Recorder {
        cancel_on_task: None,
        ..Default::default()
    };
    let req = request(&relay, vec![Message::user("cat [stall]")]);
    let c2 = cancel.clone();
    let fut = client.generate(&req, &cancel, &mut rec);
    let canceller = async move {
        // Wait until the relay has gone silent after the task id.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let t = Instant::now();
        c2.cancel();
        t
    };
    let (r, cancelled_at) = tokio::join!(fut, canceller);
    let took = cancelled_at.elapsed();
    eprintln!("cancel returned {took:?} after cancel()");
    assert!(
        took < Duration::from_secs(2),
        "cancel must not wait for the silent server ({took:?})"
    );
    assert_eq!(r.outcome, Outcome::Interrupted);
    assert_eq!(r.failure.as_ref().unwrap().kind, ErrorKind::Cancelled);
    assert!(
        r.summary().task_id.is_some(),
        "the task id seen before the stall is kept"
    );
    relay.shutdown().await;
}

#[tokio::test]
async fn the_idle_timeout_ends_a_silent_stream_as_interrupted() {
    let relay = relay().await;
    let client = ApiClient::new().unwrap();
    let mut req = request(&relay, vec![Message::user("cat [stall]")]);
    req.idle_timeout = Duration::from_secs(1);
    let r = client
        .generate(&req, &CancellationToken::new(), &mut Recorder::default())
        .await;
    assert_eq!(r.outcome, Outcome::Interrupted);
    assert_eq!(r.failure.as_ref().unwrap().kind, ErrorKind::Timeout);
    assert!(r.summary().task_id.is_some());
    assert_eq!(relay.chat_request_count(), 1);
    relay.shutdown().await;
}

#[tokio::test]
async fn bad_settings_fail_before_any_request_and_a_dead_port_is_network() {
    let relay = relay().await;
    let client = ApiClient::new().unwrap();
    let mut req = request(&relay, vec![Message::user("cat")]);
    req.base_url = "ftp://127.0.0.1".into();
    let r = client
        .generate(&req, &CancellationToken::new(), &mut Recorder::default())
        .await;
    assert_eq!(r.failure.unwrap().kind, ErrorKind::BadRequest);
    let mut req = request(&relay, vec![Message::user("cat")]);
    req.api_key = "  ".into();
    let r = client
        .generate(&req, &CancellationToken::new(), &mut Recorder::default())
        .await;
    assert_eq!(r.failure.unwrap().kind, ErrorKind::Auth);
    assert_eq!(relay.chat_request_count(), 0);

    // A port nobody listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut req = request(&relay, vec![Message::user("cat")]);
    req.base_url = format!("http://{dead}");
    let r = client
        .generate(&req, &CancellationToken::new(), &mut Recorder::default())
        .await;
    assert_eq!(r.failure.unwrap().kind, ErrorKind::Network);

    // The wrong key.
    let mut req = request(&relay, vec![Message::user("cat")]);
    req.api_key = "sk-wrong".into();
    let r = client
        .generate(&req, &CancellationToken::new(), &mut Recorder::default())
        .await;
    assert_eq!(r.failure.unwrap().kind, ErrorKind::Auth);

    let models = client
        .list_models(
            &format!("{}/v1/", relay.base_url()),
            KEY,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    assert!(models.contains(&"sora-2".to_string()) && models.contains(&"sora-2-pro".to_string()));
    let e = client
        .list_models(&relay.base_url(), "sk-wrong", &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Auth);
    relay.shutdown().await;
}
