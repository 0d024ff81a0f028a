#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Exporting a conversation made against the mock relay: a folder with the
//! transcript and the videos, relative links only, no key, no app paths,
//! never overwriting, nothing left behind on failure.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed};
use reelchat_studio::export::{ExportLanguage, ExportOptions, TRANSCRIPT};
use reelchat_studio::model::{JobUpdate, TurnStatus};
use reelchat_studio::studio::{Connection, JobObserver, Studio};

const KEY: &str = "sk-export-test-key-0123456789";

#[derive(Default)]
struct Done(Mutex<Option<JobUpdate>>);

impl JobObserver for Done {
    fn update(&self, u: &JobUpdate) {
        if u.done {
            *self.0.lock().unwrap() = Some(u.clone());
        }
    }
}

async fn relay() -> RelayHandle {
    start(RelayConfig {
        api_key: Some(KEY.into()),
        speed: Speed::Fast,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Send one message and wait for its job (and downloads) to end.
async fn say(studio: &Studio, relay: &RelayHandle, conv: &str, prompt: &str) -> JobUpdate {
    let obs = Arc::new(Done::default());
    let conn = Connection {
        base_url: relay.base_url(),
        api_key: KEY.into(),
        idle_timeout: Duration::from_secs(20),
        allow_loopback_media: true,
    };
    studio
        .send(conn, conv, prompt, "sora-2", None, obs.clone())
        .unwrap();
    for _ in 0..400 {
        if let Some(u) = obs.0.lock().unwrap().clone() {
            return u;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the job did not finish");
}

/// A conversation with v1, a failed reply, and v2 (a remix of v1).
async fn made(studio: &Studio, relay: &RelayHandle) -> String {
    let conv = studio.create().unwrap();
    let v1 = say(studio, relay, &conv.id, "牛马跳舞的视频").await;
    assert_eq!(v1.turn.version, Some(1));
    let failed = say(studio, relay, &conv.id, "this one fails [fail]").await;
    assert_eq!(failed.turn.status, TurnStatus::Failed);
    let v2 = say(studio, relay, &conv.id, "让牛的头上顶着光圈").await;
    assert_eq!(v2.turn.version, Some(2));
    studio.rename(&conv.id, "牛马: 跳舞/光圈?").unwrap();
    conv.id
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

fn en() -> ExportOptions {
    ExportOptions {
        language: ExportLanguage::En,
        utc_offset_minutes: 480,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conversation_becomes_a_self_contained_folder() {
    let relay = relay().await;
    let data = tempfile::tempdir().unwrap();
    let (studio, _) = Studio::open(data.path()).unwrap();
    let id = made(&studio, &relay).await;
    let dest = tempfile::tempdir().unwrap();

    let out = studio.export_conversation(&id, dest.path(), &en()).unwrap();
    assert_eq!(out.name, "牛马 跳舞 光圈");
    assert_eq!((out.videos, out.missing), (2, 0));
    let folder = PathBuf::from(&out.folder);
    assert_eq!(folder, dest.path().join("牛马 跳舞 光圈"));
    // Only the folder: the temporary one is gone.
    assert_eq!(files_in(dest.path()), vec!["牛马 跳舞 光圈".to_string()]);
    assert_eq!(
        files_in(&folder),
        vec![
            "conversation.md",
            "v1-preview.jpg",
            "v1.mp4",
            "v2-preview.jpg",
            "v2.mp4"
        ]
    );

    // The copies are the app's own files, byte for byte.
    let conv = studio.get(&id).unwrap();
    let v1 = conv.turns.iter().find(|t| t.version == Some(1)).unwrap();
    assert_eq!(
        std::fs::read(folder.join("v1.mp4")).unwrap(),
        std::fs::read(studio.media_dir().join(v1.media.video.as_ref().unwrap())).unwrap()
    );

    let md = std::fs::read_to_string(folder.join(TRANSCRIPT)).unwrap();
    assert!(md.starts_with("# 牛马: 跳舞/光圈?\n"), "{md}");
    for prompt in [
        "> 牛马跳舞的视频",
        "> this one fails [fail]",
        "> 让牛的头上顶着光圈",
    ] {
        assert!(md.contains(prompt), "{prompt} missing:\n{md}");
    }
    for turn in &conv.turns {
        let task = turn.reply.task.as_ref().unwrap();
        assert!(md.contains(&format!("`{}`", task.id)), "task id missing");
    }
    assert!(md.contains("### Reply — v1 (done)"));
    assert!(md.contains("### Reply (failed)"));
    assert!(md.contains("Changes: v1"), "v2 says it changes v1:\n{md}");
    assert!(md.contains("[![Preview v2](v2-preview.jpg)](v2.mp4)"));
    assert!(md.contains("[v1.mp4](v1.mp4)"));
    assert!(md.contains("(UTC+08:00)"));
    // Never the key, never the app's folders.
    assert!(!md.contains(KEY));
    assert!(!md.contains(&data.path().display().to_string()));
    // Local files are linked by their exported names, never as the app
    // stores them ("<conversation id>/<turn id>.mp4").
    assert!(
        !md.contains(&format!("{id}/")),
        "no app-relative media paths"
    );
    if let Ok(dump) = std::env::var("REELCHAT_EXPORT_SAMPLE") {
        std::fs::write(dump, &md).unwrap();
    }
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exporting_again_never_overwrites_and_speaks_chinese() {
    let relay = relay().await;
    let data = tempfile::tempdir().unwrap();
    let (studio, _) = Studio::open(data.path()).unwrap();
    let conv = studio.create().unwrap();
    say(&studio, &relay, &conv.id, "生成一段高清的视频").await;
    let dest = tempfile::tempdir().unwrap();
    let zh = ExportOptions {
        language: ExportLanguage::ZhCn,
        utc_offset_minutes: 480,
    };
    let first = studio
        .export_conversation(&conv.id, dest.path(), &zh)
        .unwrap();
    std::fs::write(PathBuf::from(&first.folder).join("notes.txt"), "mine").unwrap();
    let second = studio
        .export_conversation(&conv.id, dest.path(), &zh)
        .unwrap();
    let third = studio
        .export_conversation(&conv.id, dest.path(), &zh)
        .unwrap();
    assert_eq!(
        [
            first.name.as_str(),
            second.name.as_str(),
            third.name.as_str()
        ],
        [
            "生成一段高清的视频",
            "生成一段高清的视频 (2)",
            "生成一段高清的视频 (3)"
        ]
    );
    // The first export (and what the user added to it) is untouched.
    assert_eq!(
        std::fs::read_to_string(PathBuf::from(&first.folder).join("notes.txt")).unwrap(),
        "mine"
    );
    let md = std::fs::read_to_string(PathBuf::from(&second.folder).join(TRANSCRIPT)).unwrap();
    assert!(md.contains("## 消息 1 · 你"), "{md}");
    assert!(md.contains("### 回复 — v1 (完成)"), "{md}");
    assert!(md.contains("修改: 新视频"), "{md}");
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_local_video_is_linked_not_copied_and_a_failure_leaves_nothing() {
    let relay = relay().await;
    let data = tempfile::tempdir().unwrap();
    let (studio, _) = Studio::open(data.path()).unwrap();
    let conv = studio.create().unwrap();
    let v1 = say(&studio, &relay, &conv.id, "a video").await.turn;
    // The local copy was removed by hand: the export links the online one.
    std::fs::remove_file(studio.media_dir().join(v1.media.video.as_ref().unwrap())).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = studio
        .export_conversation(&conv.id, dest.path(), &en())
        .unwrap();
    assert_eq!((out.videos, out.missing), (0, 1));
    let md = std::fs::read_to_string(PathBuf::from(&out.folder).join(TRANSCRIPT)).unwrap();
    assert!(md.contains("The video was not saved on this computer."));
    assert!(md.contains(&format!("<{}>", v1.reply.video_url.as_ref().unwrap())));

    // A destination that is not a folder, or does not exist: refused, and
    // nothing is created.
    let file = dest.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    assert!(studio.export_conversation(&conv.id, &file, &en()).is_err());
    assert!(studio
        .export_conversation(&conv.id, &dest.path().join("nope"), &en())
        .is_err());
    assert!(studio
        .export_conversation(&conv.id, Path::new("relative"), &en())
        .is_err());
    assert!(studio
        .export_conversation("c_missing", dest.path(), &en())
        .is_err());

    // A read-only destination fails cleanly (skipped as root, who may write anyway).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dest.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), "x").is_err() {
            assert!(studio.export_conversation(&conv.id, &ro, &en()).is_err());
            assert!(files_in(&ro).is_empty());
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut names = files_in(dest.path());
    names.retain(|n| n != "ro");
    assert_eq!(names, vec!["a video".to_string(), "a-file".to_string()]);
    relay.shutdown().await;
}
