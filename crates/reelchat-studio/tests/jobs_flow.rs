#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Generation jobs end to end without the GUI: against the mock relay over
//! loopback, into a real data folder.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed};
use reelchat_protocol::task_status::RemoteStatus;
use reelchat_studio::error::AppErrorKind;
use reelchat_studio::model::{DownloadState, JobUpdate, TurnRecord, TurnStatus};
use reelchat_studio::studio::{Connection, JobObserver, Studio};

#[derive(Default)]
struct Collect {
    updates: Mutex<Vec<JobUpdate>>,
    finished: Mutex<Vec<TurnRecord>>,
}

impl JobObserver for Collect {
    fn update(&self, u: &JobUpdate) {
        self.updates.lock().unwrap().push(u.clone());
    }
    fn finished(&self, _c: &str, t: &TurnRecord) {
        self.finished.lock().unwrap().push(t.clone());
    }
}

impl Collect {
    async fn wait_done(&self) -> JobUpdate {
        for _ in 0..400 {
            if let Some(u) = self.updates.lock().unwrap().iter().find(|u| u.done) {
                return u.clone();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the job did not finish");
    }
}

fn conn(relay: &RelayHandle) -> Connection {
    Connection {
        base_url: relay.base_url(),
        api_key: "k".into(),
        idle_timeout: Duration::from_secs(20),
        allow_loopback_media: true,
    }
}

async fn relay() -> RelayHandle {
    start(RelayConfig {
        api_key: Some("k".into()),
        speed: Speed::Fast,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "reelchat-jobs-{}-{}",
        std::process::id(),
        reelchat_studio::store::new_id("")
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread")]
async fn generate_remix_branch_and_reopen() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();

    let obs = Arc::new(Collect::default());
    let t1 = studio
        .send(
            conn(&relay),
            &conv.id,
            "生成一段高清的,牛马跳舞的视频",
            "sora-2",
            None,
            obs.clone(),
        )
        .unwrap();
    assert_eq!(t1.status, TurnStatus::Running);
    // A second send while one runs is refused, not queued.
    let busy = studio
        .send(conn(&relay), &conv.id, "again", "sora-2", None, obs.clone())
        .unwrap_err();
    assert_eq!(busy.kind, AppErrorKind::Busy);
    let done = obs.wait_done().await;
    let updates = obs.updates.lock().unwrap().clone();
    assert!(updates.len() >= 3, "live updates while streaming");
    let progress: Vec<u32> = updates
        .iter()
        .filter_map(|u| u.turn.reply.progress)
        .collect();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {progress:?}"
    );
    assert!(
        updates
            .iter()
            .any(|u| !u.done && u.turn.reply.task.is_some()),
        "the task id is shown before the end"
    );
    let v1 = done.turn;
    assert_eq!((v1.status, v1.version), (TurnStatus::Succeeded, Some(1)));
    assert_eq!(v1.media.state, DownloadState::Done, "{:?}", v1.media.error);
    let local = dir.join("media").join(v1.media.video.as_ref().unwrap());
    assert!(
        std::fs::metadata(&local).unwrap().len() > 1000,
        "the video was downloaded"
    );
    assert!(v1.media.preview.is_some());
    assert_eq!(obs.finished.lock().unwrap().len(), 1);
    assert_eq!(
        studio.get(&conv.id).unwrap().title,
        "生成一段高清的,牛马跳舞的视频"
    );

    // Follow-up modifies v1 (the head): the relay checks the history is byte-exact.
    let obs2 = Arc::new(Collect::default());
    studio
        .send(
            conn(&relay),
            &conv.id,
            "让牛的头上顶着光圈",
            "sora-2",
            None,
            obs2.clone(),
        )
        .unwrap();
    let v2 = obs2.wait_done().await.turn;
    assert_eq!(
        (v2.status, v2.version, v2.parent.as_deref()),
        (TurnStatus::Succeeded, Some(2), Some(v1.id.as_str()))
    );
    assert_eq!(
        v2.reply.plan.as_ref().unwrap().source_sid,
        v1.reply.result_sid
    );
    let body = relay.requests().last().unwrap().body.clone();
    assert_eq!(body["messages"].as_array().unwrap().len(), 3);
    assert_eq!(body["messages"][1]["content"].as_str().unwrap(), v1.content);

    // Continue from v1: the history is cut after v1's reply.
    studio.set_head(&conv.id, Some(&v1.id)).unwrap();
    let obs3 = Arc::new(Collect::default());
    studio
        .send(
            conn(&relay),
            &conv.id,
            "换成夜景",
            "sora-2",
            None,
            obs3.clone(),
        )
        .unwrap();
    let v3 = obs3.wait_done().await.turn;
    assert_eq!(
        (v3.version, v3.parent.as_deref()),
        (Some(3), Some(v1.id.as_str()))
    );
    assert_eq!(
        relay.requests().last().unwrap().body["messages"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(relay.chat_request_count(), 3, "one request per send");

    // Everything is on disk: a new Studio sees the same conversation.
    drop(studio);
    let (again, notices) = Studio::open(&dir).unwrap();
    assert!(notices.is_empty());
    let c = again.get(&conv.id).unwrap();
    assert_eq!(c.turns.len(), 3);
    assert_eq!(c.turns[0].content, v1.content);
    assert_eq!(c.head.as_deref(), Some(v3.id.as_str()));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_then_check_status_completes_an_interrupted_task() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let obs = Arc::new(Collect::default());
    let t = studio
        .send(
            conn(&relay),
            &conv.id,
            "猫 [stall]",
            "sora-2",
            None,
            obs.clone(),
        )
        .unwrap();
    // Wait for the task id, then stop.
    for _ in 0..200 {
        if studio
            .get(&conv.id)
            .unwrap()
            .turn(&t.id)
            .unwrap()
            .reply
            .task
            .as_ref()
            .is_some_and(|t| t.raw_data_url.is_some())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(studio.stop(&t.id));
    let stopped = obs.wait_done().await.turn;
    assert_eq!(stopped.status, TurnStatus::Interrupted);
    assert_eq!(
        stopped.failure.as_ref().unwrap().kind,
        reelchat_protocol::ErrorKind::Cancelled
    );
    assert!(
        stopped.reply.task.as_ref().unwrap().raw_data_url.is_some(),
        "the task id and links are kept"
    );

    // The relay finishes the task in the background; check status completes the card.
    let mut last = RemoteStatus::Unknown;
    for _ in 0..100 {
        let (turn, remote) = studio
            .check_status(&conn(&relay), &conv.id, &t.id)
            .await
            .unwrap();
        last = remote;
        if turn.status == TurnStatus::Succeeded {
            assert_eq!(turn.version, Some(1));
            assert!(turn.media.video.is_some());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last, RemoteStatus::Completed);
    assert_eq!(
        relay.chat_request_count(),
        1,
        "check status never re-sends the generation"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_anything_is_sent() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let obs: Arc<Collect> = Arc::default();
    for (prompt, kind) in [
        ("   ", AppErrorKind::InvalidInput),
        (&"长".repeat(8001)[..], AppErrorKind::InvalidInput),
    ] {
        assert_eq!(
            studio
                .send(conn(&relay), &conv.id, prompt, "sora-2", None, obs.clone())
                .unwrap_err()
                .kind,
            kind
        );
    }
    let mut c = conn(&relay);
    c.api_key = String::new();
    assert_eq!(
        studio
            .send(c, &conv.id, "cat", "sora-2", None, obs.clone())
            .unwrap_err()
            .kind,
        AppErrorKind::NoKey
    );
    let mut c = conn(&relay);
    c.base_url = "ftp://x".into();
    assert_eq!(
        studio
            .send(c, &conv.id, "cat", "sora-2", None, obs.clone())
            .unwrap_err()
            .kind,
        AppErrorKind::InvalidInput
    );
    assert_eq!(
        studio
            .rename(&conv.id, &"名".repeat(10_000))
            .unwrap_err()
            .kind,
        AppErrorKind::InvalidInput
    );
    assert_eq!(
        studio.rename(&conv.id, "  ").unwrap_err().kind,
        AppErrorKind::InvalidInput
    );
    assert_eq!(
        studio.rename("../../etc", "x").unwrap_err().kind,
        AppErrorKind::InvalidInput
    );
    assert!(studio.get(&conv.id).unwrap().turns.is_empty());
    assert_eq!(relay.chat_request_count(), 0);
    // Search finds by prompt text.
    assert_eq!(studio.list(Some("nothing-like-this")).len(), 0);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_streaming_when_the_app_died_is_interrupted_on_reopen() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let obs: Arc<Collect> = Arc::default();
    let t = studio
        .send(
            conn(&relay),
            &conv.id,
            "猫 [stall]",
            "sora-2",
            None,
            obs.clone(),
        )
        .unwrap();
    for _ in 0..200 {
        if studio
            .get(&conv.id)
            .unwrap()
            .turn(&t.id)
            .unwrap()
            .reply
            .task
            .as_ref()
            .is_some_and(|t| t.raw_data_url.is_some())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Open the same folder as if after a crash (the running job's state on disk).
    let (reopened, _) = Studio::open(&dir).unwrap();
    let turn = reopened
        .get(&conv.id)
        .unwrap()
        .turn(&t.id)
        .cloned()
        .unwrap();
    assert_eq!(turn.status, TurnStatus::Interrupted);
    assert!(
        turn.reply.task.is_some(),
        "the task id was saved while streaming"
    );
    studio.stop(&t.id);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_conversation_while_it_generates_stops_the_job_and_stays_deleted() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let obs: Arc<Collect> = Arc::default();
    studio
        .send(
            conn(&relay),
            &conv.id,
            "猫 [slow]",
            "sora-2",
            None,
            obs.clone(),
        )
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    studio.delete(&conv.id).unwrap();
    obs.wait_done().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(studio.get(&conv.id).is_err());
    let files: Vec<_> = std::fs::read_dir(dir.join("conversations"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| !f.to_string_lossy().starts_with(&conv.id)),
        "the deleted conversation came back: {files:?}"
    );
    assert!(studio.running().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}
