#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The library against real versions: made through the mock relay over
//! loopback into a real data folder, listed, and deleted.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed};
use reelchat_studio::error::AppErrorKind;
use reelchat_studio::library::LibraryItem;
use reelchat_studio::model::{DownloadState, JobUpdate, TurnRecord, TurnStatus};
use reelchat_studio::studio::{Connection, JobObserver, Studio};

#[derive(Default)]
struct Collect {
    updates: Mutex<Vec<JobUpdate>>,
}

impl JobObserver for Collect {
    fn update(&self, u: &JobUpdate) {
        self.updates.lock().unwrap().push(u.clone());
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

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "reelchat-library-{}-{}",
        std::process::id(),
        reelchat_studio::store::new_id("")
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Sends `prompt` (modifying the head) and waits for the job's last update.
async fn make(
    studio: &Studio,
    relay: &RelayHandle,
    conversation: &str,
    prompt: &str,
    model: &str,
) -> TurnRecord {
    let obs = Arc::new(Collect::default());
    studio
        .send(conn(relay), conversation, prompt, model, None, obs.clone())
        .unwrap();
    for _ in 0..400 {
        if let Some(u) = obs.updates.lock().unwrap().iter().find(|u| u.done) {
            return u.turn.clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the job for {prompt:?} did not finish");
}

fn find<'a>(items: &'a [LibraryItem], turn_id: &str) -> Option<&'a LibraryItem> {
    items.iter().find(|i| i.turn_id == turn_id)
}

fn media(dir: &Path, rel: &str) -> PathBuf {
    dir.join("media").join(rel)
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_every_version_of_every_conversation() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    assert!(studio.library().is_empty());

    let a = studio.create().unwrap();
    let a1 = make(&studio, &relay, &a.id, "生成一段牛马跳舞的视频", "sora-2").await;
    let a2 = make(&studio, &relay, &a.id, "让牛的头上顶着光圈", "sora-2-pro").await;
    let b = studio.create().unwrap();
    let failed = make(&studio, &relay, &b.id, "猫 [fail]", "sora-2").await;
    assert_eq!(failed.status, TurnStatus::Failed);
    let b1 = make(&studio, &relay, &b.id, "a cat astronaut", "sora-2").await;
    studio.create().unwrap(); // an empty conversation adds nothing

    let items = studio.library();
    let ids: Vec<&str> = items.iter().map(|i| i.turn_id.as_str()).collect();
    assert_eq!(
        ids,
        [b1.id.as_str(), a2.id.as_str(), a1.id.as_str()],
        "the versions, newest first; the failed attempt is not one"
    );

    let item = find(&items, &a2.id).unwrap();
    assert_eq!(item.conversation_id, a.id);
    assert_eq!(item.conversation_title, "生成一段牛马跳舞的视频");
    assert_eq!(
        (item.version, item.parent_version),
        (2, Some(1)),
        "v2 changed v1"
    );
    assert_eq!(item.prompt, "让牛的头上顶着光圈");
    assert_eq!(item.model, "sora-2-pro");
    assert_eq!(item.created_at, a2.created_at);
    assert!(item.finished_at.unwrap() >= item.created_at);
    assert_eq!(item.media_state, DownloadState::Done);
    assert_eq!(item.video_url, a2.reply.video_url);
    assert!(item.video_url.is_some() && item.preview_image_url.is_some());
    assert!(item.task_page_url.is_some());
    for rel in [item.video.as_ref().unwrap(), item.poster.as_ref().unwrap()] {
        assert!(rel.starts_with(&format!("{}/", a.id)), "{rel}");
        assert!(media(&dir, rel).is_file(), "{rel} is on disk");
    }

    let b_item = find(&items, &b1.id).unwrap();
    assert_eq!(
        (b_item.version, b_item.parent_version),
        (1, None),
        "the first version after a failed attempt is v1, a new video"
    );
    assert_eq!(find(&items, &a1.id).unwrap().parent_version, None);

    // A fresh start reads the same library from disk.
    drop(studio);
    let (again, _) = Studio::open(&dir).unwrap();
    assert_eq!(again.library(), items);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_removes_the_files_and_hides_the_version_but_keeps_the_history() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let v1 = make(
        &studio,
        &relay,
        &conv.id,
        "生成一段牛马跳舞的视频",
        "sora-2",
    )
    .await;
    let v2 = make(&studio, &relay, &conv.id, "让牛的头上顶着光圈", "sora-2").await;
    let before = studio.get(&conv.id).unwrap();
    let item = find(&studio.library(), &v1.id).unwrap().clone();
    let video = media(&dir, item.video.as_ref().unwrap());
    let poster = media(&dir, item.poster.as_ref().unwrap());
    assert!(video.is_file() && poster.is_file());
    let v2_video = media(&dir, v2.media.video.as_ref().unwrap());

    studio.delete_library_item(&conv.id, &v1.id).unwrap();

    assert!(!video.exists(), "the local video is gone");
    assert!(!poster.exists(), "the local poster is gone");
    assert!(v2_video.is_file(), "the other version's files stay");
    let items = studio.library();
    assert!(find(&items, &v1.id).is_none(), "hidden from the library");
    assert!(find(&items, &v2.id).is_some());

    // The conversation keeps the turn as it was, without its local files.
    let after = studio.get(&conv.id).unwrap();
    let t = after.turn(&v1.id).unwrap();
    let old = before.turn(&v1.id).unwrap();
    assert_eq!(
        (&t.prompt, &t.content, t.version, t.status, &t.reply),
        (
            &old.prompt,
            &old.content,
            old.version,
            old.status,
            &old.reply
        )
    );
    assert_eq!(
        (t.media.video.as_ref(), t.media.preview.as_ref()),
        (None, None)
    );
    assert!(t.media.removed_at.is_some());
    assert_eq!(after.head, before.head);

    // Deleting it again is not an error and changes nothing.
    studio.delete_library_item(&conv.id, &v1.id).unwrap();
    assert_eq!(
        studio.get(&conv.id).unwrap().turn(&v1.id),
        after.turn(&v1.id)
    );

    // The history through v1 is still byte-exact: the relay refuses anything else.
    let v3 = make(&studio, &relay, &conv.id, "换成夜景", "sora-2").await;
    assert_eq!((v3.status, v3.version), (TurnStatus::Succeeded, Some(3)));
    let body = relay.requests().last().unwrap().body.clone();
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5, "v1 and v2 are both in the history");
    assert_eq!(messages[1]["content"].as_str().unwrap(), old.content);

    // Saved before anything else: a fresh start still hides it.
    drop(studio);
    let (again, _) = Studio::open(&dir).unwrap();
    let ids: Vec<String> = again.library().into_iter().map(|i| i.turn_id).collect();
    assert_eq!(ids, [v3.id.clone(), v2.id.clone()]);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn refuses_what_is_not_a_finished_version() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let failed = make(&studio, &relay, &conv.id, "猫 [fail]", "sora-2").await;
    let v1 = make(&studio, &relay, &conv.id, "a cat", "sora-2").await;
    let before = studio.get(&conv.id).unwrap();
    for (c, t) in [
        (conv.id.as_str(), failed.id.as_str()),
        (conv.id.as_str(), "t_nope"),
        ("c_nope", v1.id.as_str()),
        ("../../etc", v1.id.as_str()),
    ] {
        assert_eq!(
            studio.delete_library_item(c, t).unwrap_err().kind,
            AppErrorKind::InvalidInput,
            "{c} {t}"
        );
    }
    assert_eq!(studio.get(&conv.id).unwrap(), before);
    assert!(media(&dir, v1.media.video.as_ref().unwrap()).is_file());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_deleted_when_the_change_cannot_be_saved() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let conv = studio.create().unwrap();
    let v1 = make(&studio, &relay, &conv.id, "a cat", "sora-2").await;
    let video = media(&dir, v1.media.video.as_ref().unwrap());

    // A plain file where the conversations folder was: every save fails
    // (this works as root too, unlike a read-only folder).
    let convs = dir.join("conversations");
    let aside = dir.join("conversations-aside");
    std::fs::rename(&convs, &aside).unwrap();
    std::fs::write(&convs, b"not a folder").unwrap();

    let err = studio.delete_library_item(&conv.id, &v1.id).unwrap_err();
    assert_ne!(err.kind, AppErrorKind::InvalidInput, "{err:?}");
    assert!(
        video.is_file(),
        "the file stays when the change was not saved"
    );
    assert!(find(&studio.library(), &v1.id).is_some(), "still listed");
    assert!(studio
        .get(&conv.id)
        .unwrap()
        .turn(&v1.id)
        .unwrap()
        .media
        .removed_at
        .is_none());

    std::fs::remove_file(&convs).unwrap();
    std::fs::rename(&aside, &convs).unwrap();
    studio.delete_library_item(&conv.id, &v1.id).unwrap();
    assert!(!video.exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn stored_paths_outside_the_conversations_folder_are_never_removed() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let a = studio.create().unwrap();
    let a1 = make(&studio, &relay, &a.id, "a cat", "sora-2").await;
    let b = studio.create().unwrap();
    let b1 = make(&studio, &relay, &b.id, "a dog", "sora-2").await;
    drop(studio);

    // Someone edited the stored file: v1 of `a` now names b's video and a
    // file outside the media folder.
    let outside = dir.join("precious.txt");
    std::fs::write(&outside, b"keep me").unwrap();
    let file = dir.join("conversations").join(format!("{}.json", a.id));
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let turn = json["turns"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["id"] == a1.id.as_str())
        .unwrap();
    turn["media"]["video"] = b1.media.video.clone().unwrap().into();
    turn["media"]["preview"] = format!("{}/../../precious.txt", a.id).into();
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();

    let (studio, _) = Studio::open(&dir).unwrap();
    studio.delete_library_item(&a.id, &a1.id).unwrap();
    assert!(find(&studio.library(), &a1.id).is_none());
    assert!(outside.is_file(), "a file outside the media folder stays");
    assert!(
        media(&dir, b1.media.video.as_ref().unwrap()).is_file(),
        "another conversation's video stays"
    );
    let _ = std::fs::remove_dir_all(dir);
}
