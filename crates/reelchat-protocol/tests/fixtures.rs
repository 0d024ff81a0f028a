#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every fixture stream in `fixtures/streams/` gives the summary the spec
//! requires, at every chunk size.

use reelchat_protocol::{parse_captured, ErrorKind, NoSink, Outcome, Summary};

const TASK: &str = "task_01k7e5w9z5f2d91pekrqy59rwc";
const TASK2: &str = "task_01k7e6aaaabbbbccccddddeeee";
const SRC: &str = "s_68ec8accd80c8191ae1fc957af78caaa";
const SID: &str = "s_68eca3f141808191b1fd30fea1b731bd";
const B: &str = "https://relay.example";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/streams/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(name: &str, chunk: usize) -> Summary {
    let body = fixture(name);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(parse_captured(&body, chunk, &mut NoSink))
        .summary()
}

/// The same summary whatever the chunk size.
fn parse_all_sizes(name: &str) -> Summary {
    let first = parse(name, 8192);
    for chunk in [1, 2, 3, 5, 7, 64, 1000] {
        assert_eq!(parse(name, chunk), first, "{name} at chunk size {chunk}");
    }
    first
}

fn assert_success(s: &Summary) {
    assert_eq!(s.outcome, Outcome::Succeeded);
    assert_eq!(s.task_id.as_deref(), Some(TASK));
    assert_eq!(s.result_sid.as_deref(), Some(SID));
    assert_eq!(s.source_sid.as_deref(), Some(SRC));
    let plan = s.plan.as_ref().unwrap();
    assert_eq!(
        plan.prompt.as_deref(),
        Some("让牛的头上顶着光圈,马的脚下踩着祥云")
    );
    assert_eq!(plan.orientation.as_deref(), Some("portrait"));
    assert_eq!(s.progress, Some(81));
    assert_eq!(
        s.video_url.as_deref(),
        Some(&*format!("{B}/files/video.mp4"))
    );
    assert_eq!(
        s.preview_image_url.as_deref(),
        Some(&*format!("{B}/files/preview.webp"))
    );
    assert_eq!(
        s.task_page_url.as_deref(),
        Some(&*format!("{B}/web/{TASK}"))
    );
    assert_eq!(
        s.raw_data_url.as_deref(),
        Some(&*format!("{B}/source/{TASK}"))
    );
    assert!(s.failure.is_none());
    assert!(s.content.starts_with("```json\n{"));
    assert!(s
        .content
        .ends_with(&format!("[视频文件]({B}/files/video.mp4)")));
}

#[test]
fn the_spec_stream_and_its_transport_variants() {
    let plain = parse_all_sizes("success.sse");
    assert_success(&plain);
    for name in [
        "success_crlf_bom.sse",
        "success_no_trailing_blank.sse",
        "whole_completion.json",
    ] {
        let s = parse_all_sizes(name);
        assert_success(&s);
        assert_eq!(
            s.content, plain.content,
            "{name}: content must be byte-exact"
        );
    }
}

#[test]
fn an_invalid_byte_does_not_stall_the_rest() {
    let s = parse_all_sizes("success_invalid_utf8.sse");
    assert_success(&s);
    assert!(s.content.contains('\u{fffd}'));
}

#[test]
fn markdown_variants() {
    let s = parse_all_sizes("variants.sse");
    assert_eq!(s.outcome, Outcome::Succeeded);
    assert_eq!(s.task_id.as_deref(), Some(TASK));
    assert_eq!(s.result_sid.as_deref(), Some(SID));
    assert_eq!(s.source_sid, None);
    let plan = s.plan.unwrap();
    assert_eq!(
        (plan.orientation.as_deref(), plan.duration),
        (Some("landscape"), Some(15))
    );
    assert_eq!(s.progress, Some(100));
    assert_eq!(s.video_url.as_deref(), Some(&*format!("{B}/v/{SID}.mp4")));
    assert_eq!(
        s.preview_image_url.as_deref(),
        Some(&*format!("{B}/p/cover.webp"))
    );
    assert_eq!(
        s.task_page_url.as_deref(),
        Some(&*format!("{B}/web/{TASK}?a=1&b=(2)"))
    );
}

#[test]
fn failure_text_is_a_failure_but_the_prompt_is_not() {
    let s = parse_all_sizes("failure_text.sse");
    assert_eq!(s.outcome, Outcome::Failed);
    let f = s.failure.unwrap();
    assert_eq!(
        f.kind,
        ErrorKind::GenerationFailed,
        "the prompt's 内容违规 must not make it a policy failure"
    );
    assert_eq!(f.message, "上游服务繁忙，请稍后再试");
    assert_eq!(s.task_id.as_deref(), Some(TASK));
    assert_eq!(s.progress, Some(30));

    let s = parse_all_sizes("policy_text.sse");
    assert_eq!(s.outcome, Outcome::Failed);
    let f = s.failure.unwrap();
    assert_eq!(f.kind, ErrorKind::Policy);
    assert!(f.message.contains("内容违规"), "{}", f.message);
}

#[test]
fn a_resubmitted_task_follows_the_last_id() {
    let s = parse_all_sizes("resubmit.sse");
    assert_eq!(s.outcome, Outcome::Succeeded);
    assert_eq!(s.task_id.as_deref(), Some(TASK2));
    assert_eq!(
        s.task_page_url.as_deref(),
        Some(&*format!("{B}/web/{TASK2}"))
    );
    assert_eq!(s.progress, Some(99));
    assert!(s.failure.is_none());
}

#[test]
fn a_cut_stream_is_interrupted_and_keeps_the_task() {
    let s = parse_all_sizes("cut_stream.sse");
    assert_eq!(s.outcome, Outcome::Interrupted);
    assert_eq!(s.task_id.as_deref(), Some(TASK));
    assert_eq!(
        s.raw_data_url.as_deref(),
        Some(&*format!("{B}/source/{TASK}"))
    );
    assert_eq!(s.progress, Some(36), "a number cut at the end is not taken");
    assert_eq!(s.failure.unwrap().kind, ErrorKind::Network);
}

#[test]
fn a_finished_reply_without_video_failed() {
    let s = parse_all_sizes("finished_without_video.sse");
    assert_eq!(s.outcome, Outcome::Failed);
    assert_eq!(s.failure.unwrap().kind, ErrorKind::GenerationFailed);
    assert_eq!(s.task_id.as_deref(), Some(TASK));
}

#[test]
fn error_frames_and_error_bodies() {
    let s = parse_all_sizes("error_frame.sse");
    assert_eq!(s.outcome, Outcome::Failed);
    let f = s.failure.unwrap();
    assert_eq!(
        (f.kind, f.message.as_str()),
        (ErrorKind::Server, "upstream error")
    );
    assert_eq!(s.task_id.as_deref(), Some(TASK));

    let s = parse("error_401.json", 8192);
    assert_eq!(
        (s.outcome, s.failure.unwrap().kind),
        (Outcome::Failed, ErrorKind::Auth)
    );
    let s = parse("error_policy.json", 8192);
    assert_eq!(s.failure.unwrap().kind, ErrorKind::Policy);
    let s = parse("gateway_502.html", 8192);
    let f = s.failure.unwrap();
    assert_eq!(
        (f.kind, f.message.as_str()),
        (ErrorKind::Gateway, "502 Bad Gateway")
    );
}
