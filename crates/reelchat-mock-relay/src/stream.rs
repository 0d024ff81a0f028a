//! The reply script of a streamed scenario: every delta, pause and task change, in order.
//! Pure: the runner plays it.

use crate::ids::{sid, task_id, Rng};
use crate::scenario::Scenario;
use crate::tasks::{media_urls, TaskUpdate};

/// One thing the runner does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `delta: {"content": text}`; `split_bytes` sends the event in two writes that cut
    /// a multi-byte character.
    Delta { text: String, split_bytes: bool },
    /// `delta: {}`.
    EmptyDelta,
    /// Wait one heartbeat.
    Tick,
    /// Change a task's state.
    Task { id: String, update: TaskUpdate },
    /// Make a result sid serve a clip.
    Media { sid: String, clip: usize },
    /// A raw `data: {"error":…}` event.
    ErrorFrame(String),
    /// `delta: {}` with `finish_reason: "stop"`.
    Finish,
    /// `data: [DONE]`.
    Done,
    /// Drop the connection abruptly; the script goes on without the client.
    Cut,
    /// Send the first half of the bytes of `delta: {"content": text}`, then drop the
    /// connection; the script goes on without the client.
    CutMidEvent(String),
    /// Send nothing more but keep the connection open; the script goes on silently.
    Detach,
    /// Note the send time of a progress value (`[stamp]`, see `crate::stamps`).
    Stamp { task: String, value: u8 },
    /// Wait until one tick after the previous pace point: a steady delta rate (`[flood]`).
    Pace,
}

/// What a script is built from.
#[derive(Debug, Clone)]
pub struct ScriptInput<'a> {
    pub base_url: &'a str,
    pub scenario: Scenario,
    pub model: &'a str,
    pub prompt: &'a str,
    /// The video being modified, on a follow-up turn.
    pub source_sid: Option<&'a str>,
    /// The clip the result will show.
    pub clip: usize,
}

/// A built script.
#[derive(Debug, Clone)]
pub struct Script {
    pub steps: Vec<Step>,
}

/// The failure reason of [`Scenario::Failure`].
pub const FAILURE_REASON: &str = "视频生成失败，请稍后重试 (generation_failed)";
/// The failure reason of [`Scenario::PolicyStream`].
pub const POLICY_REASON: &str = "内容违规 (moderation_blocked)";
/// The error frame of [`Scenario::ServerErrorFrame`].
pub const ERROR_FRAME: &str = r#"{"error":{"message":"upstream error","type":"server_error"}}"#;

/// Queue dots of [`Scenario::Heartbeat`]: 30 ticks, i.e. 10 minutes at one dot every 20 s.
pub const HEARTBEAT_BEATS: u64 = 30;

/// The text [`Scenario::HostileHtml`] puts after the plan. Run by a webview, each would set
/// `window.__pwned`.
pub const HOSTILE_HTML: &str = "<script>window.__pwned=1</script>\n<img src=x onerror=\"window.__pwned=1\">\n<iframe src=\"javascript:window.__pwned=1\"></iframe>\n<a href=\"javascript:window.__pwned=1\">点我</a>";

/// The text [`Scenario::HostileLinks`] puts after the plan: links a client must neither
/// follow nor take for the task page or the video (only http(s) links count).
pub const HOSTILE_LINKS: &str = "[点我](javascript:window.__pwned=1) | [页面](data:text/html,<script>window.__pwned=1</script>) | [密码](file:///etc/passwd) | [共享](smb://evil/share)\n>[数据预览](javascript:window.__pwned=1) | [原始数据](file:///etc/passwd)\n[视频文件](javascript:window.__pwned=1)";

/// `chat=<prompt>` for the exfiltration URLs: unreserved bytes kept, the rest `%XX`.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What [`Scenario::ExfilImage`] adds after the real links.
pub fn exfil_block(base_url: &str, prompt: &str) -> String {
    let chat = query_value(prompt);
    format!("\n\n![x]({base_url}/exfil?chat={chat})\n[查看详情]({base_url}/exfil/link?chat={chat})")
}

/// The preview and video links a scenario ends with.
fn result_links(input: &ScriptInput<'_>, sid: &str) -> (String, String) {
    let base = input.base_url;
    let (preview, video) = media_urls(base, sid);
    match input.scenario {
        Scenario::PrivateVideo => (
            "http://192.168.1.5/p.jpg".into(),
            "http://10.0.0.1/v.mp4".into(),
        ),
        Scenario::PrivateLoopback => (
            format!("{base}/private/p.jpg"),
            format!("{base}/private/v.mp4"),
        ),
        Scenario::HtmlVideo => (preview, format!("{base}/hostile/page.mp4")),
        Scenario::HugeVideo => (preview, format!("{base}/hostile/huge.mp4")),
        Scenario::RedirectAuth => (preview, format!("{base}/r/video/{sid}.mp4")),
        _ => (preview, video),
    }
}

/// `portrait` when the prompt asks for it (竖屏, 9:16, portrait, vertical), else `landscape`.
pub fn orientation(prompt: &str) -> &'static str {
    let lower = prompt.to_lowercase();
    let portrait = ["竖屏", "竖版", "9:16", "portrait", "vertical"]
        .iter()
        .any(|w| lower.contains(w));
    if portrait {
        "portrait"
    } else {
        "landscape"
    }
}

/// Seconds of video a model makes.
pub fn duration(model: &str) -> u32 {
    if model == "sora-2-pro" {
        15
    } else {
        10
    }
}

/// The ```` ```json ```` plan block that opens every reply.
pub fn plan_block(prompt: &str, model: &str, source_sid: Option<&str>) -> String {
    let orientation = orientation(prompt);
    let prompt = serde_json::to_string(prompt).unwrap_or_else(|_| String::from("\"\""));
    let sid_line = source_sid.map_or(String::new(), |s| format!(",\n  \"sid\": \"{s}\""));
    format!(
        "```json\n{{\n  \"prompt\": {prompt},\n  \"orientation\": \"{orientation}\",\n  \"duration\": {}{sid_line}\n}}\n```",
        duration(model)
    )
}

/// Rising progress numbers, sometimes with one lower value, like the real server.
fn progress_values(rng: &mut Rng) -> Vec<u8> {
    let mut values = Vec::new();
    let mut p = rng.range(3, 12);
    while p <= 97 {
        values.push(p as u8);
        p += rng.range(6, 15);
    }
    if values.len() > 3 && rng.chance(50) {
        let at = rng.range(2, values.len() as u64 - 1) as usize;
        let dip = values[at - 1].saturating_sub(rng.range(2, 6) as u8).max(1);
        values.insert(at, dip);
    }
    values
}

struct Builder<'r> {
    steps: Vec<Step>,
    rng: &'r mut Rng,
}

impl Builder<'_> {
    /// Adds `text` as deltas of 1–3 characters, with the odd `""` and `{}` between.
    fn text(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut at = 0;
        while at < chars.len() {
            if self.rng.chance(3) {
                self.steps.push(Step::EmptyDelta);
            } else if self.rng.chance(3) {
                self.delta(String::new(), false);
            }
            let n = (self.rng.range(1, 3) as usize).min(chars.len() - at);
            let piece: String = chars[at..at + n].iter().collect();
            let split_bytes = !piece.is_ascii() && self.rng.chance(25);
            self.delta(piece, split_bytes);
            at += n;
        }
    }

    fn delta(&mut self, text: String, split_bytes: bool) {
        self.steps.push(Step::Delta { text, split_bytes });
    }

    fn task(&mut self, id: &str, update: TaskUpdate) {
        self.steps.push(Step::Task {
            id: id.to_string(),
            update,
        });
    }

    /// `count` heartbeats, each a pause then a `.`.
    fn dots(&mut self, count: u64) {
        for _ in 0..count {
            self.steps.push(Step::Tick);
            self.text(".");
        }
    }

    /// A new task: its id line and links.
    fn submit(&mut self, input: &ScriptInput<'_>, id: &str, lead: &str) {
        self.task(
            id,
            TaskUpdate::Created {
                model: input.model.to_string(),
                prompt: input.prompt.to_string(),
            },
        );
        let base = input.base_url;
        let raw = if input.scenario == Scenario::RedirectAuth {
            format!("{base}/r/source/{id}")
        } else {
            format!("{base}/source/{id}")
        };
        self.text(&format!(
            "{lead}> ID: `{id}`\n>[数据预览]({base}/web/{id}) | [原始数据]({raw})\n> 排队中"
        ));
    }

    fn fail(&mut self, id: &str, reason: &str) {
        self.steps.push(Step::Tick);
        self.task(
            id,
            TaskUpdate::Failed {
                reason: reason.to_string(),
            },
        );
        self.text(&format!("\n\n> ❌ 生成失败: {reason}"));
        self.steps.push(Step::Finish);
        self.steps.push(Step::Done);
    }
}

/// Builds the script of a streamed scenario (HTTP-error scenarios never get here).
pub fn build(input: &ScriptInput<'_>, rng: &mut Rng) -> Script {
    let first_task = task_id(rng);
    let result_sid = sid(rng);
    let mut b = Builder {
        steps: Vec::new(),
        rng,
    };
    b.text(&plan_block(input.prompt, input.model, input.source_sid));
    match input.scenario {
        Scenario::HostileHtml => b.text(&format!("\n\n{HOSTILE_HTML}")),
        Scenario::HostileLinks => b.text(&format!("\n\n{HOSTILE_LINKS}")),
        _ => {}
    }
    b.submit(input, &first_task, "\n\n");

    match input.scenario {
        Scenario::Stall => b.steps.push(Step::Detach),
        Scenario::ServerErrorFrame => {
            b.dots(2);
            b.steps.push(Step::Tick);
            b.task(
                &first_task,
                TaskUpdate::Failed {
                    reason: "upstream error".into(),
                },
            );
            b.steps.push(Step::ErrorFrame(ERROR_FRAME.to_string()));
            b.steps.push(Step::Done);
            return Script { steps: b.steps };
        }
        _ => {}
    }

    let queue = b.rng.range(3, 6);
    b.dots(match input.scenario {
        Scenario::SlowQueue => queue * 20,
        Scenario::Heartbeat => HEARTBEAT_BEATS,
        _ => queue,
    });
    let mut current = first_task;
    if input.scenario == Scenario::Resubmit {
        b.task(
            &current,
            TaskUpdate::Failed {
                reason: "resubmitted".into(),
            },
        );
        let second = task_id(b.rng);
        b.submit(input, &second, "\n");
        let more = b.rng.range(2, 4);
        b.dots(more);
        current = second;
    }

    b.steps.push(Step::Tick);
    b.task(&current, TaskUpdate::Running);
    b.text("\n> 生成中");
    let generating = b.rng.range(1, 3);
    b.dots(generating);

    if input.scenario == Scenario::PolicyStream {
        b.fail(&current, POLICY_REASON);
        return Script { steps: b.steps };
    }

    b.text("\n\n>🏃 进度 ");
    let fail_above = b.rng.range(30, 70) as u8;
    let mut cut = matches!(
        input.scenario,
        Scenario::CutStream | Scenario::ResetMidEvent
    );
    let mut highest = 0;
    let stamping = crate::stamps::Stamping::from_prompt(input.prompt);
    for value in stamping.values(progress_values(b.rng)) {
        if input.scenario == Scenario::Failure && highest >= fail_above {
            break;
        }
        b.steps.push(stamping.pause());
        b.task(&current, TaskUpdate::Progress(value));
        highest = highest.max(value);
        if cut && highest >= 38 {
            if input.scenario == Scenario::ResetMidEvent {
                b.steps.push(Step::CutMidEvent(format!("{value}..")));
                b.text(&format!("{value}.."));
            } else {
                b.text(&format!("{value}.."));
                b.steps.push(Step::Cut);
            }
            cut = false;
        } else if stamping.stamp {
            stamping.push_value(&mut b.steps, &current, value);
        } else {
            b.text(&format!("{value}.."));
        }
    }
    if input.scenario == Scenario::Failure {
        b.fail(&current, FAILURE_REASON);
        return Script { steps: b.steps };
    }

    b.steps.push(Step::Tick);
    b.steps.push(Step::Media {
        sid: result_sid.clone(),
        clip: input.clip,
    });
    b.task(
        &current,
        TaskUpdate::Completed {
            sid: result_sid.clone(),
        },
    );
    let (preview, video) = result_links(input, &result_sid);
    b.text(&format!(
        "\n\n> 生成完成 ✅\n> sid: {result_sid}\n\n[预览图]({preview})\n[视频文件]({video})"
    ));
    if input.scenario == Scenario::ExfilImage {
        b.text(&exfil_block(input.base_url, input.prompt));
    }
    b.steps.push(Step::Finish);
    b.steps.push(Step::Done);
    Script { steps: b.steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::random_u64;

    fn full_text(steps: &[Step]) -> String {
        steps
            .iter()
            .filter_map(|s| match s {
                Step::Delta { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn task_ids(script: &Script) -> Vec<String> {
        script
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Task {
                    id,
                    update: TaskUpdate::Created { .. },
                } => Some(id.clone()),
                _ => None,
            })
            .collect()
    }

    fn result_sid(script: &Script) -> Option<String> {
        script.steps.iter().find_map(|s| match s {
            Step::Media { sid, .. } => Some(sid.clone()),
            _ => None,
        })
    }

    fn input(scenario: Scenario) -> ScriptInput<'static> {
        ScriptInput {
            base_url: "http://127.0.0.1:9",
            scenario,
            model: "sora-2",
            prompt: "竖屏，牛马跳舞",
            source_sid: Some("s_68ec8accd80c8191ae1fc957af78caaa"),
            clip: 1,
        }
    }

    #[test]
    fn success_text_has_every_part_in_order() {
        let mut rng = Rng::new(random_u64());
        let script = build(&input(Scenario::Success), &mut rng);
        let text = full_text(&script.steps);
        let sid = result_sid(&script).unwrap_or_default();
        let task = &task_ids(&script)[0];
        let parts = [
            "```json\n{\n  \"prompt\": \"竖屏，牛马跳舞\",\n  \"orientation\": \"portrait\",\n  \"duration\": 10,\n  \"sid\": \"s_68ec8accd80c8191ae1fc957af78caaa\"\n}\n```\n\n> ID: `",
            task.as_str(),
            "/web/",
            "/source/",
            "> 排队中.",
            "\n> 生成中.",
            "\n\n>🏃 进度 ",
            "..\n\n> 生成完成 ✅\n> sid: ",
            sid.as_str(),
            "\n\n[预览图](http://127.0.0.1:9/media/",
            ".mp4)",
        ];
        let mut from = 0;
        for part in parts {
            let at = text[from..].find(part).map(|i| i + from);
            assert!(at.is_some(), "missing {part:?} after {from} in {text}");
            from = at.unwrap_or(0) + part.len();
        }
        assert!(text.ends_with(".mp4)"));
        assert_eq!(script.steps.last(), Some(&Step::Done));
        for step in &script.steps {
            if let Step::Delta { text, .. } = step {
                assert!(text.chars().count() <= 3);
            }
        }
    }

    #[test]
    fn scenarios_shape_the_script() {
        let mut rng = Rng::new(random_u64());
        let cut = build(&input(Scenario::CutStream), &mut rng);
        assert!(cut.steps.contains(&Step::Cut));
        assert!(result_sid(&cut).is_some());
        let resubmit = build(&input(Scenario::Resubmit), &mut rng);
        assert_eq!(task_ids(&resubmit).len(), 2);
        assert_eq!(full_text(&resubmit.steps).matches("> ID: `").count(), 2);
        let fail = build(&input(Scenario::Failure), &mut rng);
        assert!(full_text(&fail.steps).contains("❌ 生成失败"));
        assert!(result_sid(&fail).is_none());
        let frame = build(&input(Scenario::ServerErrorFrame), &mut rng);
        assert!(frame.steps.contains(&Step::ErrorFrame(ERROR_FRAME.into())));
        assert!(!frame.steps.contains(&Step::Finish));
    }
}
