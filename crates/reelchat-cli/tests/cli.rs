#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The CLI's contract: one JSON summary on stdout with every key, exit codes
//! 0 / 1 / 2, progress on stderr, one request per send.

use std::process::{Command, Output};

use reelchat_mock_relay::{start, RelayConfig, Speed};

const KEYS: &[&str] = &[
    "outcome",
    "task_id",
    "result_sid",
    "source_sid",
    "plan",
    "progress",
    "video_url",
    "preview_image_url",
    "task_page_url",
    "raw_data_url",
    "failure",
    "content",
];

fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reelchat-cli"));
    c.args(args).env_remove("REELCHAT_API_KEY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../../fixtures/streams/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn summary(out: &Output) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let o = v.as_object().unwrap();
    for k in KEYS {
        assert!(o.contains_key(*k), "missing key {k}");
    }
    assert_eq!(
        o.len(),
        KEYS.len(),
        "no extra keys: {:?}",
        o.keys().collect::<Vec<_>>()
    );
    v
}

#[test]
fn parse_prints_one_summary_and_exits_0() {
    let out = cli(&["parse", &fixture("success.sse")], &[]);
    assert_eq!(out.status.code(), Some(0));
    let v = summary(&out);
    assert_eq!(v["outcome"], "succeeded");
    assert_eq!(v["task_id"], "task_01k7e5w9z5f2d91pekrqy59rwc");
    assert_eq!(v["result_sid"], "s_68eca3f141808191b1fd30fea1b731bd");
    assert_eq!(v["source_sid"], "s_68ec8accd80c8191ae1fc957af78caaa");
    assert_eq!(v["plan"]["orientation"], "portrait");
    assert_eq!(v["plan"]["duration"], serde_json::Value::Null);
    assert_eq!(v["progress"], 81);
    assert_eq!(v["failure"], serde_json::Value::Null);
    let one_byte = cli(
        &["parse", "--chunk-size", "1", &fixture("success.sse")],
        &[],
    );
    assert_eq!(
        summary(&one_byte),
        v,
        "chunk size does not change the result"
    );
    let eq_form = cli(&["parse", "--chunk-size=3", &fixture("success.sse")], &[]);
    assert_eq!(summary(&eq_form), v);

    // A failed reply still exits 0: the file could be read.
    let out = cli(&["parse", &fixture("policy_text.sse")], &[]);
    assert_eq!(out.status.code(), Some(0));
    let v = summary(&out);
    assert_eq!(v["outcome"], "failed");
    assert_eq!(v["failure"]["kind"], "policy");
    let out = cli(&["parse", &fixture("error_401.json")], &[]);
    assert_eq!(summary(&out)["failure"]["kind"], "auth");
    let out = cli(&["parse", &fixture("cut_stream.sse")], &[]);
    assert_eq!(summary(&out)["outcome"], "interrupted");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["parse"],
        vec!["parse", "--chunk-size", "0", "x"],
        vec!["parse", "--chunk-size"],
        vec!["parse", "--bogus", "x"],
        vec!["send", "--model", "sora-2", "--api-key", "k", "hi"],
        vec![
            "send",
            "--base-url",
            "http://127.0.0.1:9",
            "--api-key",
            "k",
            "hi",
        ],
        vec![
            "send",
            "--base-url",
            "http://127.0.0.1:9",
            "--model",
            "sora-2",
            "hi",
        ],
        vec![
            "send",
            "--base-url",
            "http://127.0.0.1:9",
            "--model",
            "sora-2",
            "--api-key",
            "k",
        ],
        vec![
            "send",
            "--base-url",
            "ftp://x",
            "--model",
            "sora-2",
            "--api-key",
            "k",
            "hi",
        ],
        vec![
            "send",
            "--base-url",
            "http://127.0.0.1:9",
            "--model",
            "sora-2",
            "--api-key",
            "k",
            "--idle-timeout",
            "soon",
            "hi",
        ],
        vec![
            "send",
            "--base-url",
            "http://127.0.0.1:9",
            "--model",
            "sora-2",
            "--api-key",
            "k",
            "--history",
            "/nonexistent.json",
            "hi",
        ],
    ] {
        let out = cli(&args, &[]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        assert!(!out.stderr.is_empty());
    }
    let out = cli(&["parse", "/nonexistent/file.sse"], &[]);
    assert_ne!(
        out.status.code(),
        Some(0),
        "an unreadable file is not a summary"
    );
}

#[test]
fn send_against_the_relay() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let relay = rt
        .block_on(start(RelayConfig {
            api_key: Some("sk-cli".into()),
            speed: Speed::Fast,
            ..Default::default()
        }))
        .unwrap();
    let base = relay.base_url();

    // Key from the environment; progress on stderr; exit 0.
    let out = cli(
        &[
            "send",
            "--base-url",
            &base,
            "--model",
            "sora-2",
            "生成一段高清的,牛马跳舞的视频",
        ],
        &[("REELCHAT_API_KEY", "sk-cli")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("queued") && err.contains("progress") && err.contains('%'),
        "{err}"
    );
    let first = summary(&out);
    assert_eq!(first["outcome"], "succeeded");

    // --history: a follow-up that remixes the first video.
    let dir = std::env::temp_dir().join(format!("reelchat-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hist = dir.join("history.json");
    let history = serde_json::json!([{"role":"user","content":"生成一段高清的,牛马跳舞的视频"},{"role":"assistant","content":first["content"]}]);
    std::fs::write(&hist, history.to_string()).unwrap();
    let out = cli(
        &[
            "send",
            "--base-url",
            &format!("{base}/v1"),
            "--model",
            "sora-2",
            "--api-key",
            "sk-cli",
            "--history",
            hist.to_str().unwrap(),
            "让牛的头上顶着光圈",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = summary(&out);
    assert_eq!(second["source_sid"], first["result_sid"]);

    // Failures exit 1 with the kind in the summary.
    let out = cli(
        &[
            "send",
            "--base-url",
            &base,
            "--model",
            "sora-2",
            "--api-key",
            "sk-wrong",
            "cat",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(summary(&out)["failure"]["kind"], "auth");
    let out = cli(
        &[
            "send",
            "--base-url",
            &base,
            "--model",
            "sora-2",
            "--api-key",
            "sk-cli",
            "--idle-timeout",
            "1",
            "cat [stall]",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = summary(&out);
    assert_eq!(
        (v["outcome"].as_str(), v["failure"]["kind"].as_str()),
        (Some("interrupted"), Some("timeout"))
    );
    assert!(v["task_id"].is_string());

    assert_eq!(
        relay.chat_request_count(),
        4,
        "one request per send, never a retry"
    );
    rt.block_on(relay.shutdown());
    let _ = std::fs::remove_dir_all(dir);
}
