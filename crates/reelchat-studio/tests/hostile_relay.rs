#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Real jobs against a hostile relay (the mock relay's hostile scenarios): the reply is
//! kept as data with its task id, a refused download leaves no file and is recorded on the
//! turn, nothing of the Rust side reaches the exfiltration endpoint, and the API key never
//! reaches an endpoint outside the API's origin.

mod common;

use common::report::{record, Category};
use common::{conn, data_dir, media_files, relay, run_job, KEY};
use reelchat_mock_relay::{sha256_hex, Hit, RelayHandle, HOSTILE_HTML, HOSTILE_LINKS};
use reelchat_protocol::CancellationToken;
use reelchat_studio::model::{DownloadState, TurnRecord, TurnStatus};

const TEST: &str = "studio_hostile_relay";

fn key_hash() -> String {
    sha256_hex(format!("Bearer {KEY}").as_bytes())
}

/// Hits that carried any Authorization or Cookie (the key or anything else).
fn credentialed(hits: &[Hit]) -> Vec<&Hit> {
    hits.iter()
        .filter(|h| h.authorization || h.cookie)
        .collect()
}

fn exfil_hits(hits: &[Hit]) -> usize {
    hits.iter().filter(|h| h.path.starts_with("/exfil")).count()
}

/// What a hostile case must keep: the reply, its task id and links, a finished card.
fn kept(turn: &TurnRecord) -> bool {
    turn.status == TurnStatus::Succeeded
        && turn.reply.task.is_some()
        && turn.reply.video_url.is_some()
        && turn.content.contains("> ID: `task_")
}

/// A refused video: no video file and no partial file, the failure recorded.
fn refused_cleanly(turn: &TurnRecord, files: &[String]) -> bool {
    turn.media.state == DownloadState::Failed
        && turn.media.video.is_none()
        && turn.media.error.is_some()
        && !files
            .iter()
            .any(|f| f.contains(".part") || (f.starts_with(&turn.id) && !f.contains("-poster")))
}

async fn hostile_job(
    relay: &RelayHandle,
    keyword: &str,
    demo_policy: bool,
) -> (TurnRecord, Vec<String>) {
    let dir = data_dir();
    let (studio, conv, turn) = run_job(
        dir.path(),
        conn(relay, demo_policy),
        &format!("牛马跳舞 {keyword}"),
    )
    .await;
    let files = media_files(dir.path(), &conv);
    // What is on disk matches what the job reported.
    let saved = studio.get(&conv).unwrap();
    assert_eq!(
        saved.turn(&turn.id),
        Some(&turn),
        "{keyword}: saved as reported"
    );
    (turn, files)
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_text_is_kept_as_data_and_nothing_is_fetched_from_it() {
    let relay = relay().await;
    for (keyword, needle) in [
        ("[hostile-html]", HOSTILE_HTML),
        ("[hostile-links]", HOSTILE_LINKS),
        ("[exfil-image]", "/exfil?chat="),
    ] {
        // The demo policy (loopback allowed) is the most permissive: if anything in the
        // text were fetched, it would reach the relay's recorder.
        let (turn, _) = hostile_job(&relay, keyword, true).await;
        let hits = relay.hits();
        let links_safe = [
            turn.reply.video_url.as_deref(),
            turn.reply.preview_image_url.as_deref(),
            turn.reply
                .task
                .as_ref()
                .and_then(|t| t.task_page_url.as_deref()),
            turn.reply
                .task
                .as_ref()
                .and_then(|t| t.raw_data_url.as_deref()),
        ]
        .into_iter()
        .flatten()
        .all(|u| u.starts_with(&relay.base_url()) && !u.contains("/exfil"));
        let lost = !kept(&turn)
            || !turn.content.contains(needle)
            || !links_safe
            || exfil_hits(&hits) > 0
            || !credentialed(&hits).is_empty();
        record(
            TEST,
            Category::Attack,
            &format!("{keyword}: reply kept as text, no link followed"),
            lost,
            &format!(
                "status {:?}, media {:?}, {} hostile hits",
                turn.status,
                turn.media.state,
                hits.len()
            ),
        );
        assert!(kept(&turn), "{keyword}: {turn:?}");
        assert!(turn.content.contains(needle), "{keyword}: verbatim");
        assert!(
            links_safe,
            "{keyword}: only the relay's own links are taken: {:?}",
            turn.reply
        );
        assert_eq!(
            turn.media.state,
            DownloadState::Done,
            "{keyword}: {:?}",
            turn.media.error
        );
        assert_eq!(exfil_hits(&hits), 0, "{keyword}: {hits:?}");
        assert!(
            hits.is_empty(),
            "{keyword}: nothing hostile was requested: {hits:?}"
        );
    }
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn private_addresses_are_never_fetched() {
    let relay = relay().await;
    // 10.0.0.1 and 192.168.1.5 are refused even under the demo policy; the relay's own
    // loopback address is refused for a remote relay.
    for (keyword, demo_policy) in [("[private-video]", true), ("[private-loopback]", false)] {
        let (turn, files) = hostile_job(&relay, keyword, demo_policy).await;
        let hits = relay.hits();
        let error = turn.media.error.clone().unwrap_or_default();
        let lost = !kept(&turn) || !refused_cleanly(&turn, &files) || !hits.is_empty();
        record(
            TEST,
            Category::Attack,
            &format!("{keyword}: private address refused"),
            lost,
            &format!("{:?}: {error}; files {files:?}", turn.media.state),
        );
        assert!(kept(&turn), "{keyword}: {turn:?}");
        assert!(
            refused_cleanly(&turn, &files),
            "{keyword}: {turn:?} {files:?}"
        );
        assert!(
            turn.media.preview.is_none(),
            "{keyword}: the preview is private too"
        );
        assert!(error.contains("not a public address"), "{keyword}: {error}");
        assert!(hits.is_empty(), "{keyword}: {hits:?}");
    }
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_page_or_a_2_gib_video_is_refused_and_leaves_nothing() {
    let relay = relay().await;
    for (keyword, path, why) in [
        ("[html-video]", "/hostile/page.mp4", "expected a video"),
        ("[huge-video]", "/hostile/huge.mp4", "larger than the limit"),
    ] {
        relay.clear_hits();
        let (turn, files) = hostile_job(&relay, keyword, true).await;
        let hits = relay.hits();
        let error = turn.media.error.clone().unwrap_or_default();
        let lost =
            !kept(&turn) || !refused_cleanly(&turn, &files) || !credentialed(&hits).is_empty();
        record(
            TEST,
            Category::Attack,
            &format!("{keyword}: refused, nothing left behind"),
            lost,
            &format!("{:?}: {error}; files {files:?}", turn.media.state),
        );
        assert!(kept(&turn), "{keyword}: {turn:?}");
        assert!(
            refused_cleanly(&turn, &files),
            "{keyword}: {turn:?} {files:?}"
        );
        assert!(error.contains(why), "{keyword}: {error}");
        assert!(
            turn.media.preview.is_some(),
            "{keyword}: the relay's real preview is still kept"
        );
        assert_eq!(
            hits.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(),
            [path],
            "{keyword}: fetched once, never retried"
        );
        assert!(credentialed(&hits).is_empty(), "{keyword}: {hits:?}");
    }
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_never_follows_a_redirect_to_another_host() {
    let relay = relay().await;
    let (turn, files) = hostile_job(&relay, "[redirect-auth]", true).await;

    // The video redirects to another loopback host: allowed under the demo policy, but
    // without the key.
    let video_hits = relay.hits();
    // "Check status" asks the raw data link, on the API's origin, which redirects away.
    let raw = turn
        .reply
        .task
        .as_ref()
        .and_then(|t| t.raw_data_url.clone())
        .unwrap();
    assert!(raw.contains("/r/source/"), "{raw}");
    let dir = data_dir();
    let (studio, _) = reelchat_studio::studio::Studio::open(dir.path()).unwrap();
    let status = studio
        .client()
        .fetch_task_status(
            &raw,
            Some((&relay.base_url(), KEY)),
            &CancellationToken::new(),
        )
        .await;
    let hits = relay.hits();
    let leaked: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.authorization_sha256.as_deref() == Some(key_hash().as_str()))
        .collect();
    let lost = !kept(&turn) || !leaked.is_empty() || !credentialed(&hits).is_empty();
    record(
        TEST,
        Category::Attack,
        "[redirect-auth]: the key never follows a cross-host redirect",
        lost,
        &format!(
            "video {:?}, check status {:?}, {} hits on the other host, {} with the key",
            turn.media.state,
            status.as_ref().map(|s| s.status).map_err(|e| e.kind),
            hits.len(),
            leaked.len()
        ),
    );
    assert!(kept(&turn), "{turn:?}");
    assert!(
        video_hits
            .iter()
            .any(|h| h.path.starts_with("/hostile/landing/")),
        "the video was fetched through the redirect: {video_hits:?} {:?}",
        turn.media
    );
    assert_eq!(
        turn.media.state,
        DownloadState::Done,
        "{:?} {files:?}",
        turn.media.error
    );
    assert!(leaked.is_empty(), "the key reached {leaked:?}");
    assert!(credentialed(&hits).is_empty(), "{hits:?}");
    relay.shutdown().await;
}
