//! `[stamp]` / `[flood]` prompts: the relay notes when it sends each progress value
//! (`GET /__stamps`), for the stream-to-screen latency measurement.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{gather, get, post, prompt, relay, KEY};
use reelchat_mock_relay::{start, RelayConfig, Speed};
use serde_json::Value;

async fn stamps(base_url: &str) -> Vec<Value> {
    get(&format!("{base_url}/__stamps"))
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
}

/// The progress numbers in the reply text, in order.
fn progress_in(text: &str) -> Vec<u64> {
    let tail = text.split("进度 ").nth(1).unwrap_or("");
    let tail = tail.split("\n\n").next().unwrap_or("");
    tail.split('.')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_plain_prompt_notes_nothing() {
    let relay = relay().await;
    let reply = gather(post(&relay, Some(KEY), &prompt("牛马跳舞")).await).await;
    assert!(reply.done);
    assert!(stamps(&relay.base_url()).await.is_empty());
}

#[tokio::test]
async fn stamp_notes_every_progress_value_of_the_task_in_send_order() {
    let relay = relay().await;
    let reply = gather(post(&relay, Some(KEY), &prompt("[stamp] 牛马跳舞")).await).await;
    assert!(reply.done, "{reply:?}");
    let task = reply.task_id().unwrap();
    let notes = stamps(&relay.base_url()).await;
    let values: Vec<u64> = notes.iter().map(|s| s["value"].as_u64().unwrap()).collect();
    assert_eq!(values, progress_in(&reply.text));
    assert!(notes.iter().all(|s| s["task_id"] == task.as_str()));
    let times: Vec<f64> = notes
        .iter()
        .map(|s| s["sent_ms"].as_f64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[tokio::test]
async fn flood_sends_every_value_from_1_to_99_with_filler_deltas() {
    // One delta a millisecond: the whole flood takes about a second.
    let relay = start(RelayConfig {
        speed: Speed::Custom { tick_ms: 1 },
        ..Default::default()
    })
    .await
    .unwrap();
    let reply = gather(post(&relay, Some(KEY), &prompt("[flood] 牛马跳舞")).await).await;
    assert!(reply.done, "{reply:?}");
    assert!(reply.video_url().is_some());
    assert_eq!(progress_in(&reply.text), (1..=99).collect::<Vec<u64>>());
    assert!(reply.text.contains("1.........."), "{}", reply.text);
    let notes = stamps(&relay.base_url()).await;
    assert_eq!(notes.len(), 99);
}
