//! Helpers of the trust tests: a relay with a key, a data folder, an observer that waits
//! for a job to end, and the trust report.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod report;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed};
use reelchat_studio::model::{JobUpdate, TurnRecord};
use reelchat_studio::studio::{Connection, JobObserver, Studio};

/// The key the relay requires. Tests check it never reaches a hostile endpoint.
pub const KEY: &str = "sk-trust-key-0123456789";

pub async fn relay() -> RelayHandle {
    start(RelayConfig {
        api_key: Some(KEY.into()),
        speed: Speed::Fast,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// `allow_loopback_media`: true is the built-in demo relay's policy, false a remote
/// relay's (which is what a hostile server is).
pub fn conn(relay: &RelayHandle, allow_loopback_media: bool) -> Connection {
    Connection {
        base_url: relay.base_url(),
        api_key: KEY.into(),
        idle_timeout: Duration::from_secs(20),
        allow_loopback_media,
    }
}

/// Collects a job's updates.
#[derive(Default)]
pub struct Collect {
    pub updates: Mutex<Vec<JobUpdate>>,
}

impl JobObserver for Collect {
    fn update(&self, u: &JobUpdate) {
        self.updates.lock().unwrap().push(u.clone());
    }
}

impl Collect {
    /// The final turn (after downloads).
    pub async fn wait_done(&self) -> TurnRecord {
        for _ in 0..1200 {
            if let Some(u) = self.updates.lock().unwrap().iter().find(|u| u.done) {
                return u.turn.clone();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the job did not finish");
    }
}

/// A fresh data folder, removed on drop.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("reelchat-trust-")
        .tempdir()
        .unwrap()
}

/// Runs one job to its end in a new conversation; returns the studio, the conversation
/// id and the final turn.
pub async fn run_job(dir: &Path, conn: Connection, prompt: &str) -> (Studio, String, TurnRecord) {
    let (studio, _) = Studio::open(dir).unwrap();
    let conv = studio.create().unwrap();
    let obs = Arc::new(Collect::default());
    studio
        .send(conn, &conv.id, prompt, "sora-2", None, obs.clone())
        .unwrap();
    let turn = obs.wait_done().await;
    (studio, conv.id, turn)
}

/// Every file in the conversation's media folder.
pub fn media_files(dir: &Path, conversation_id: &str) -> Vec<String> {
    let folder: PathBuf = dir.join("media").join(conversation_id);
    match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}
