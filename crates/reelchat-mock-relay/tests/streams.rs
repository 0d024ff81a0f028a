//! Streamed scenarios, remixes, raw data and media, over real loopback HTTP.

mod common;

use std::time::{Duration, Instant};

use common::{body, gather, gather_until, get, post, prompt, relay, wait_for_final_status, KEY};
use futures_util::StreamExt;
use reelchat_mock_relay::{start, RelayConfig, Scenario, Speed};
use serde_json::{json, Value};

#[tokio::test]
async fn success_stream_reaches_done_with_a_sid_and_an_mp4_link() {
    let relay = relay().await;
    let started = Instant::now();
    let response = post(&relay, Some(KEY), &prompt("生成一段高清的,牛马跳舞的视频")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let reply = gather(response).await;
    assert!(started.elapsed() < Duration::from_secs(30));

    assert!(reply.done, "{reply:?}");
    assert_eq!(reply.events.last().map(String::as_str), Some("[DONE]"));
    assert_eq!(reply.finish_reason.as_deref(), Some("stop"));
    let first: Value = serde_json::from_str(&reply.events[0]).unwrap();
    assert_eq!(first["object"], "chat.completion.chunk");
    assert_eq!(first["choices"][0]["delta"]["role"], "assistant");
    assert_eq!(first["choices"][0]["delta"]["content"], "");
    for event in &reply.events[..reply.events.len() - 1] {
        let value: Value = serde_json::from_str(event).unwrap();
        if let Some(content) = value["choices"][0]["delta"]["content"].as_str() {
            assert!(content.chars().count() <= 3, "{content:?}");
        }
    }

    let text = &reply.text;
    assert!(text.starts_with("```json\n{\n  \"prompt\": \"生成一段高清的,牛马跳舞的视频\",\n  \"orientation\": \"landscape\",\n  \"duration\": 10\n}\n```\n\n> ID: `task_"));
    assert!(text.contains("> 排队中."));
    assert!(text.contains("\n> 生成中."));
    assert!(text.contains(">🏃 进度 "));
    assert!(text.contains("\n\n> 生成完成 ✅\n> sid: s_"));
    let sid = reply.sid().unwrap();
    let video = reply.video_url().unwrap();
    assert_eq!(video, format!("{}/media/{sid}.mp4", relay.base_url()));
    assert!(text.ends_with(&format!("[视频文件]({video})")));

    let task = reply.task_id().unwrap();
    assert_eq!(task.len(), "task_".len() + 26);
    let raw = wait_for_final_status(&relay, &task).await;
    assert_eq!(raw["status"], "completed");
    assert_eq!(raw["progress"], 100);
    assert_eq!(raw["sid"], sid.as_str());
    assert_eq!(raw["video_url"], video.as_str());

    let page = get(&format!("{}/web/{task}", relay.base_url())).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&video));
    relay.shutdown().await;
}

#[tokio::test]
async fn media_supports_range_requests() {
    let relay = relay().await;
    let reply = gather(post(&relay, Some(KEY), &prompt("a red fox")).await).await;
    let video = reply.video_url().unwrap();

    let full = get(&video).await;
    assert_eq!(full.status(), 200);
    assert_eq!(full.headers()["accept-ranges"], "bytes");
    assert_eq!(full.headers()["content-type"], "video/mp4");
    let full = full.bytes().await.unwrap();
    assert!(full.len() > 1000);
    assert_eq!(&full[4..8], b"ftyp");

    let part = common::client()
        .get(&video)
        .header("Range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"].to_str().unwrap(),
        format!("bytes 100-199/{}", full.len())
    );
    assert_eq!(part.bytes().await.unwrap(), full.slice(100..200));

    let tail = common::client()
        .get(&video)
        .header("Range", format!("bytes={}-", full.len() - 10))
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(tail.bytes().await.unwrap(), full.slice(full.len() - 10..));

    let beyond = common::client()
        .get(&video)
        .header("Range", format!("bytes={}-", full.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    let preview = get(&video.replace(".mp4", ".jpg")).await;
    assert_eq!(preview.status(), 200);
    assert_eq!(preview.headers()["content-type"], "image/jpeg");
    relay.shutdown().await;
}

#[tokio::test]
async fn remix_checks_the_history_byte_for_byte() {
    let relay = relay().await;
    let first_prompt = "生成一段高清的,牛马跳舞的视频";
    let first = gather(post(&relay, Some(KEY), &prompt(first_prompt)).await).await;
    let source_sid = first.sid().unwrap();
    let change = "让牛的头上顶着光圈,马的脚下踩着祥云";
    let history = |assistant: &str| {
        body(json!([
            {"role": "user", "content": first_prompt},
            {"role": "assistant", "content": assistant},
            {"role": "user", "content": change},
        ]))
    };

    // Altered: trailing newline added, as a careless client might.
    let altered = post(&relay, Some(KEY), &history(&format!("{}\n", first.text))).await;
    assert_eq!(altered.status(), 400);
    let error: Value = altered.json().await.unwrap();
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("history does not match a reply from this server"));

    // Exact: a remix that names its source and returns a different video.
    let remix = gather(post(&relay, Some(KEY), &history(&first.text)).await).await;
    assert!(remix.done);
    assert!(remix
        .text
        .contains(&format!("  \"sid\": \"{source_sid}\"\n}}\n```")));
    let new_sid = remix.sid().unwrap();
    assert_ne!(new_sid, source_sid);
    let old_video = get(&first.video_url().unwrap())
        .await
        .bytes()
        .await
        .unwrap();
    let new_video = get(&remix.video_url().unwrap())
        .await
        .bytes()
        .await
        .unwrap();
    assert_ne!(old_video, new_video);

    let statuses: Vec<u16> = relay.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 400, 200]);
    relay.shutdown().await;
}

#[tokio::test]
async fn a_cut_stream_still_completes_on_the_relay() {
    let relay = relay().await;
    let reply = gather(post(&relay, Some(KEY), &prompt("a cat [cut]")).await).await;
    assert!(!reply.done);
    assert!(reply.finish_reason.is_none());
    assert!(
        reply.error.is_some(),
        "the connection was dropped: {reply:?}"
    );
    assert!(reply.text.contains(">🏃 进度 "));
    assert!(!reply.text.contains("生成完成"));

    let task = reply.task_id().unwrap();
    let raw = wait_for_final_status(&relay, &task).await;
    assert_eq!(raw["status"], "completed");
    let video = raw["video_url"].as_str().unwrap();
    let file = get(video).await;
    assert_eq!(file.status(), 200);
    relay.shutdown().await;
}

#[tokio::test]
async fn a_stalled_stream_goes_silent_after_the_task_id() {
    let relay = relay().await;
    let response = post(&relay, Some(KEY), &prompt("a cat [stall]")).await;
    let (reply, rest) = gather_until(response, |g| g.text.contains("> 排队中")).await;
    let task = reply.task_id().unwrap();
    let mut rest = Box::pin(rest.expect("the stream is still open"));
    let next = tokio::time::timeout(Duration::from_secs(2), rest.next()).await;
    assert!(next.is_err(), "nothing more arrives");

    // The task itself still finishes on the relay.
    let raw = wait_for_final_status(&relay, &task).await;
    assert_eq!(raw["status"], "completed");
    drop(rest);
    tokio::time::timeout(Duration::from_secs(10), relay.shutdown())
        .await
        .expect("shutdown does not hang on a stalled stream");
}

#[tokio::test]
async fn failures_in_the_stream() {
    let relay = relay().await;

    let failed = gather(post(&relay, Some(KEY), &prompt("a cat [fail]")).await).await;
    assert!(failed.done);
    assert!(failed.text.contains("> ❌ 生成失败: "));
    assert!(failed.video_url().is_none());
    let raw = wait_for_final_status(&relay, &failed.task_id().unwrap()).await;
    assert_eq!(raw["status"], "failed");
    assert!(raw["failure_reason"].is_string());
    assert!(raw["video_url"].is_null());

    let policy = gather(post(&relay, Some(KEY), &prompt("a cat [policy]")).await).await;
    assert!(policy.done);
    assert!(policy.text.contains("内容违规"));
    assert!(policy.video_url().is_none());

    let frame = gather(post(&relay, Some(KEY), &prompt("a cat [error-frame]")).await).await;
    assert!(frame.done);
    assert!(frame.task_id().is_some());
    let error_event = &frame.events[frame.events.len() - 2];
    let error: Value = serde_json::from_str(error_event).unwrap();
    assert_eq!(error["error"]["type"], "server_error");
    assert_eq!(error["error"]["message"], "upstream error");
    relay.shutdown().await;
}

#[tokio::test]
async fn a_resubmitted_task_follows_the_last_id() {
    let relay = relay().await;
    let reply = gather(post(&relay, Some(KEY), &prompt("a cat [resubmit]")).await).await;
    assert!(reply.done);
    assert_eq!(reply.text.matches("> ID: `task_").count(), 2);
    let first_at = reply.text.find("> ID: `").unwrap() + "> ID: `".len();
    let first_task = &reply.text[first_at..first_at + 31];
    let last_task = reply.task_id().unwrap();
    assert_ne!(first_task, last_task);
    let raw = wait_for_final_status(&relay, &last_task).await;
    assert_eq!(raw["status"], "completed");
    assert_eq!(raw["sid"], reply.sid().unwrap().as_str());
    let first_raw = wait_for_final_status(&relay, first_task).await;
    assert_eq!(first_raw["status"], "failed");
    relay.shutdown().await;
}

#[tokio::test]
async fn slow_queue_and_default_scenario() {
    let relay = start(RelayConfig {
        speed: Speed::Custom { tick_ms: 2 },
        default_scenario: Some(Scenario::Failure),
        ..RelayConfig::default()
    })
    .await
    .unwrap();

    let slow = gather(post(&relay, Some(KEY), &prompt("竖屏 a cat [slow]")).await).await;
    assert!(slow.done);
    assert!(slow.text.contains("\"orientation\": \"portrait\""));
    let queue =
        &slow.text[slow.text.find("> 排队中").unwrap()..slow.text.find("> 生成中").unwrap()];
    assert!(queue.matches('.').count() >= 60, "{queue}");
    assert!(slow.sid().is_some());

    let defaulted = gather(post(&relay, Some(KEY), &prompt("a cat")).await).await;
    assert!(defaulted.text.contains("❌ 生成失败"));
    let overridden = gather(post(&relay, Some(KEY), &prompt("a cat [ok]")).await).await;
    assert!(overridden.sid().is_some());
    relay.shutdown().await;
}

#[tokio::test]
async fn pro_model_plans_fifteen_seconds() {
    let relay = relay().await;
    let request = json!({"model": "sora-2-pro", "messages": [{"role": "user", "content": "a cat"}], "stream": true});
    let reply = gather(post(&relay, Some(KEY), &request).await).await;
    assert!(reply.text.contains("\"duration\": 15"));
    let first: Value = serde_json::from_str(&reply.events[0]).unwrap();
    assert_eq!(first["model"], "sora-2-pro");
    relay.shutdown().await;
}
