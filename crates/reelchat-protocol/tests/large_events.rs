#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A single huge event, and a huge reply in tiny deltas, go through the same
//! decoder and parser as everything else (a quadratic step would make these
//! tests take minutes instead of moments).

use reelchat_protocol::{parse_captured, NoSink, Outcome, ReplyParser};

const TAIL: &str = "\n> ID: `task_01k7e5w9z5f2d91pekrqy59rwc`\n> 排队中..\n> 生成完成 ✅\n> sid: s_68eca3f141808191b1fd30fea1b731bd\n[视频文件](https://r.example/v.mp4)";

#[test]
fn an_8_mib_single_event_is_delivered_whole() {
    let filler = "牛".repeat(8 * 1024 * 1024 / 3);
    let content = format!("{filler}{TAIL}");
    let event = serde_json::json!({"choices":[{"index":0,"delta":{"content":content},"finish_reason":null}]});
    let body = format!("data: {event}\n\ndata: [DONE]\n\n");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let r = rt.block_on(parse_captured(body.as_bytes(), 8192, &mut NoSink));
    assert_eq!(r.outcome, Outcome::Succeeded);
    assert_eq!(r.content.len(), content.len());
    assert_eq!(
        r.summary().task_id.as_deref(),
        Some("task_01k7e5w9z5f2d91pekrqy59rwc")
    );
}

#[test]
fn a_long_line_fed_one_character_at_a_time() {
    // 2 MB of heartbeat dots on one line, one delta each, then the result.
    let mut p = ReplyParser::new();
    p.push("> ID: `task_01k7e5w9z5f2d91pekrqy59rwc`\n> 排队中");
    for _ in 0..2_000_000 {
        p.push(".");
    }
    p.push("\n>🏃 进度 ");
    for i in 0..200_000u32 {
        p.push(&format!("{}..", i % 100));
    }
    for ch in TAIL.chars() {
        p.push(&ch.to_string());
    }
    p.finish();
    assert_eq!(p.state().progress, Some(99));
    assert_eq!(
        p.state().video_url.as_deref(),
        Some("https://r.example/v.mp4")
    );
}
