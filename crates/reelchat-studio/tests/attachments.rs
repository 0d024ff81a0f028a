#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Image to video and the model list, end to end against the mock relay:
//! an attached image goes as a content array, later requests re-send it byte
//! for byte (the relay refuses a history whose image it did not receive),
//! also after the app restarts; a text-only relay's refusal is reported as
//! `image_rejected`; `GET /v1/models` fills the picker, with a fallback.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed};
use reelchat_protocol::ErrorKind;
use reelchat_studio::attachment;
use reelchat_studio::error::{AppError, AppErrorKind};
use reelchat_studio::model::{JobUpdate, TurnStatus};
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

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "reelchat-attach-{}-{}",
        std::process::id(),
        reelchat_studio::store::new_id("")
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A 3000×1500 photo-like PNG: larger than the 2048 px limit.
fn big_png(dir: &Path) -> PathBuf {
    let img = DynamicImage::ImageRgb8(ImageBuffer::from_fn(3000, 1500, |x, y| {
        Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    }));
    let path = dir.join("photo.png");
    img.save_with_format(&path, ImageFormat::Png).unwrap();
    path
}

async fn send(
    studio: &Studio,
    relay: &RelayHandle,
    conv: &str,
    prompt: &str,
    image: Option<&str>,
) -> JobUpdate {
    let obs = Arc::new(Collect::default());
    studio
        .send_with_image(
            conn(relay),
            conv,
            prompt,
            "sora-2",
            None,
            image,
            obs.clone(),
        )
        .unwrap();
    obs.wait_done().await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_is_sent_as_parts_and_resent_identically_even_after_a_restart() {
    let relay = relay().await;
    let dir = tempdir();
    let src = big_png(&dir);
    let data = dir.join("data");
    let (studio, _) = Studio::open(&data).unwrap();
    let conv = studio.create().unwrap();

    let staged = attachment::stage(studio.media_dir(), &src).unwrap();
    assert_eq!((staged.width, staged.height), (2048, 1024));
    assert!(staged.downscaled);
    let first = send(
        &studio,
        &relay,
        &conv.id,
        "让图里的猫跳舞",
        Some(&staged.file),
    )
    .await;
    assert_eq!(first.turn.status, TurnStatus::Succeeded, "{first:?}");
    let image = first.turn.image.clone().unwrap();
    assert_eq!(
        image.file,
        format!("{}/{}-input.jpg", conv.id, first.turn.id)
    );
    assert!(studio.media_dir().join(&image.file).is_file());
    assert!(
        !studio.media_dir().join(&staged.file).exists(),
        "the staged copy is gone once sent"
    );

    let sent = relay.requests().last().unwrap().body.clone();
    let user = sent["messages"][0].clone();
    assert_eq!(
        user["content"][0],
        serde_json::json!({"type":"text","text":"让图里的猫跳舞"})
    );
    assert_eq!(user["content"][1]["type"], "image_url");
    assert!(user["content"][1]["image_url"]["url"]
        .as_str()
        .unwrap()
        .starts_with("data:image/jpeg;base64,/9j/"));

    // A text follow-up re-sends the first message, image and all.
    let second = send(&studio, &relay, &conv.id, "让猫戴上帽子", None).await;
    assert_eq!(second.turn.status, TurnStatus::Succeeded, "{second:?}");
    let body = relay.requests().last().unwrap().body.clone();
    assert_eq!(body["messages"][0], user);
    assert_eq!(body["messages"][2]["content"], "让猫戴上帽子");
    drop(studio);

    // After a restart, the history is rebuilt from the stored file: same bytes.
    let (studio, _) = Studio::open(&data).unwrap();
    let third = send(&studio, &relay, &conv.id, "再加一点雪", None).await;
    assert_eq!(third.turn.status, TurnStatus::Succeeded, "{third:?}");
    let body = relay.requests().last().unwrap().body.clone();
    assert_eq!(body["messages"][0], user);
    let statuses: Vec<u16> = relay.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 200, 200], "one request per send");

    // A history whose stored image changed on disk is refused by the server.
    std::fs::write(studio.media_dir().join(&image.file), {
        let mut b = std::fs::read(studio.media_dir().join(&image.file)).unwrap();
        let n = b.len();
        b[n - 3] ^= 0x55;
        b
    })
    .unwrap();
    let altered = send(&studio, &relay, &conv.id, "换成夜景", None).await;
    assert_eq!(altered.turn.status, TurnStatus::Failed);
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_text_only_server_refusing_the_array_is_image_rejected_and_retry_keeps_the_image() {
    let relay = relay().await;
    let dir = tempdir();
    let src = big_png(&dir);
    let (studio, _) = Studio::open(&dir.join("data")).unwrap();
    let conv = studio.create().unwrap();
    let staged = attachment::stage(studio.media_dir(), &src).unwrap();
    let refused = send(
        &studio,
        &relay,
        &conv.id,
        "cat [reject-array]",
        Some(&staged.file),
    )
    .await;
    assert_eq!(refused.turn.status, TurnStatus::Failed);
    let failure = refused.turn.failure.clone().unwrap();
    assert_eq!(failure.kind, ErrorKind::ImageRejected);
    assert!(failure.message.contains("must be a string"), "{failure:?}");
    assert_eq!(
        refused.turn.reply.failure.as_ref().map(|f| f.kind),
        Some(ErrorKind::ImageRejected)
    );

    // A retry re-sends the failed turn's image.
    let image = refused.turn.image.clone().unwrap();
    let retried = send(&studio, &relay, &conv.id, "cat", Some(&image.file)).await;
    assert_eq!(retried.turn.status, TurnStatus::Succeeded, "{retried:?}");
    let body = relay.requests().last().unwrap().body.clone();
    assert_eq!(
        body["messages"][0]["content"][1],
        relay.requests()[0].body["messages"][0]["content"][1]
    );

    // Names the webview might pass that are not images of this app.
    let obs = Arc::new(Collect::default());
    for bad in [
        "staged/../../secret.jpg",
        "/etc/passwd",
        "other/t_1-input.jpg",
    ] {
        let e = studio
            .send_with_image(
                conn(&relay),
                &conv.id,
                "x",
                "sora-2",
                None,
                Some(bad),
                obs.clone(),
            )
            .unwrap_err();
        assert_eq!(e.kind, AppErrorKind::InvalidInput, "{bad}");
    }
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_model_list_comes_from_the_server_with_a_fallback() {
    let relay = relay().await;
    let dir = tempdir();
    let (studio, _) = Studio::open(&dir).unwrap();
    let c = conn(&relay);
    let list = studio.models(Ok(&c), false).await;
    assert!(!list.fallback, "{list:?}");
    let ids: Vec<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["sora-2", "sora-2-pro", "sora-2-hd"]);

    // Cached per base URL and key: the relay going away does not matter…
    relay.shutdown().await;
    assert_eq!(studio.models(Ok(&c), false).await, list);
    // …until a refresh, which falls back and says why.
    let fresh = studio.models(Ok(&c), true).await;
    assert!(fresh.fallback);
    assert_eq!(
        fresh.error.as_ref().map(|e| e.kind),
        Some(AppErrorKind::Network)
    );
    let ids: Vec<&str> = fresh.models.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["sora-2", "sora-2-pro"]);

    // No key: the fallback, without a request.
    let none = studio
        .models(
            Err(AppError::new(AppErrorKind::NoKey, "no API key is set")),
            false,
        )
        .await;
    assert!(none.fallback);
    assert_eq!(none.error.map(|e| e.kind), Some(AppErrorKind::NoKey));
}
