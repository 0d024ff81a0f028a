#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The parser's promises, one by one: nothing truncated is ever taken, each
//! event comes as soon as it is certain, and words in the prompt are not
//! mistaken for status.

use reelchat_protocol::{ErrorKind, Phase, ReplyEvent, ReplyParser};

const TASK: &str = "task_01k7e5w9z5f2d91pekrqy59rwc";
const SID: &str = "s_68eca3f141808191b1fd30fea1b731bd";

fn has_task(events: &[ReplyEvent]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, ReplyEvent::Task(t) if !t.id.is_empty()))
}

#[test]
fn a_task_id_is_taken_only_once_its_closing_backtick_arrived() {
    let mut p = ReplyParser::new();
    assert!(!has_task(&p.push("> ID: `task_01k7e5w9z5f2d91pe")));
    assert!(!has_task(&p.push("krqy59rwc")));
    assert!(p.state().task.is_none());
    let ev = p.push("`");
    assert!(
        has_task(&ev),
        "the id is certain at the closing backtick, before the newline"
    );
    assert_eq!(p.state().task.as_ref().unwrap().id, TASK);
}

#[test]
fn a_bare_id_needs_a_terminator_or_its_full_length_at_the_end() {
    let mut p = ReplyParser::new();
    p.push("Task ID: task_01k7e5w9z5f2d91pekrq");
    p.finish();
    assert!(
        p.state().task.is_none(),
        "cut at the end of the reply: not taken"
    );

    let mut p = ReplyParser::new();
    p.push(&format!("Task ID: {TASK}"));
    assert!(p.state().task.is_none());
    p.finish();
    assert_eq!(p.state().task.as_ref().unwrap().id, TASK);

    let mut p = ReplyParser::new();
    p.push("> ID: task_abc\n");
    assert_eq!(
        p.state().task.as_ref().unwrap().id,
        "task_abc",
        "a newline terminates a bare id"
    );
}

#[test]
fn a_link_counts_once_its_paren_arrived() {
    let mut p = ReplyParser::new();
    p.push("[视频文件](https://x.example/v/abc.mp");
    assert!(p.state().video_url.is_none());
    p.push("4");
    assert!(p.state().video_url.is_none());
    let ev = p.push(")");
    assert!(
        matches!(&ev[..], [ReplyEvent::Completed(c)] if c.video_url == "https://x.example/v/abc.mp4")
    );
    assert_eq!(p.state().phase, Phase::Completed);
}

#[test]
fn a_sid_cut_at_the_end_is_refused_and_the_plan_sid_is_only_the_source() {
    let mut p = ReplyParser::new();
    p.push(&format!(
        "```json\n{{\"prompt\":\"x\",\"sid\":\"{SID}\"}}\n```\n"
    ));
    assert_eq!(
        p.state().plan.as_ref().unwrap().source_sid.as_deref(),
        Some(SID)
    );
    p.push("> sid: s_68eca3f1418");
    p.finish();
    assert_eq!(p.state().result_sid, None);
}

#[test]
fn progress_is_a_running_maximum_of_complete_numbers() {
    let mut p = ReplyParser::new();
    let mut seen = Vec::new();
    for d in [">🏃 进度 ", "3", "6..", "4", "4..", "41..", "9", "0.."] {
        for e in p.push(d) {
            if let ReplyEvent::Progress { percent } = e {
                seen.push(percent);
            }
        }
    }
    assert_eq!(seen, [36, 44, 90]);
}

#[test]
fn queued_and_generating_on_one_line_and_with_emoji() {
    let mut p = ReplyParser::new();
    let ev = p.push(">🕐 排队中... ⚡ 生成");
    assert_eq!(ev, [ReplyEvent::Queued]);
    let ev = p.push("中.");
    assert_eq!(ev, [ReplyEvent::Generating]);
}

#[test]
fn status_words_inside_the_plan_are_not_status() {
    let mut p = ReplyParser::new();
    let ev = p.push("```json\n{\"prompt\": \"排队中的人群，生成中\\n❌ 生成失败: 假的\",\n\"orientation\":\"landscape\"}\n```\n");
    assert!(matches!(&ev[..], [ReplyEvent::Plan(_)]), "{ev:?}");
    assert!(p.state().failure.is_none());
}

#[test]
fn failure_lines_and_their_reasons() {
    let mut p = ReplyParser::new();
    p.push("> 排队中..\n> ❌ 生成失败: 上游超时");
    assert!(
        p.state().failure.is_none(),
        "the reason is certain only when the line ends"
    );
    let ev = p.finish();
    let f = match &ev[..] {
        [ReplyEvent::Failed(f)] => f.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (f.kind, f.message.as_str()),
        (ErrorKind::GenerationFailed, "上游超时")
    );

    for (text, kind) in [
        (
            "Generation failed: guardrails triggered\n",
            ErrorKind::Policy,
        ),
        (
            "Failure reason: out of capacity\n",
            ErrorKind::GenerationFailed,
        ),
        ("> 内容违规\n", ErrorKind::Policy),
        ("生成失败\n", ErrorKind::GenerationFailed),
    ] {
        let mut p = ReplyParser::new();
        p.push(text);
        assert_eq!(
            p.state().failure.as_ref().map(|f| f.kind),
            Some(kind),
            "{text}"
        );
    }
    let mut p = ReplyParser::new();
    p.push("> idle: 3\n> identity: ok\n");
    assert!(p.state().task.is_none());
}

#[test]
fn the_text_is_kept_byte_exact() {
    let text = "```json\r\n{}\r\n```\r\n> ID: `task_x`\r\n\u{fffd}\t尾";
    let mut p = ReplyParser::new();
    for ch in text.chars() {
        p.push(&ch.to_string());
    }
    p.finish();
    assert_eq!(p.text(), text);
    assert_eq!(p.state().task.as_ref().unwrap().id, "task_x");
}
