//! What a generation request turns into, and how a prompt picks it.

use std::fmt;
use std::str::FromStr;

/// One behaviour of the relay for a chat request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// A full stream ending with a sid and video links (a remix when the history has a video).
    Success,
    /// In-stream `❌ 生成失败: …` after some progress; no video.
    Failure,
    /// HTTP 400 `sentinel_block` before any stream.
    PolicyHttp,
    /// In-stream `❌ 生成失败: 内容违规 (moderation_blocked)`.
    PolicyStream,
    /// HTTP 401 `无效的令牌`.
    Unauthorized,
    /// HTTP 429 with `Retry-After: 7` and an empty body.
    RateLimited,
    /// HTTP 502 with an nginx HTML page.
    Html502,
    /// HTTP 524 with a Cloudflare HTML page.
    Html524,
    /// The connection drops near progress 40; the task still completes on the relay.
    CutStream,
    /// Silence after the task id, connection held open; the task still completes on the relay.
    Stall,
    /// A queue phase twenty times longer than usual, then success.
    SlowQueue,
    /// `data: {"error":…}` right after the task id, then `[DONE]`.
    ServerErrorFrame,
    /// Two `> ID:` lines (the server re-submitted), then success on the second task.
    Resubmit,
    /// A healthy long stream: [`crate::stream::HEARTBEAT_BEATS`] queue dots, one per tick,
    /// then success. With `--tick-ms 20000` it is a 10-minute stream with a dot every 20 s:
    /// an idle timeout longer than a tick must not cut it.
    Heartbeat,
    /// The connection drops in the middle of an event (half of its bytes sent) near
    /// progress 40; the task still completes on the relay.
    ResetMidEvent,

    // Hostile relays. Each still streams a whole reply (plan, task id, progress, links)
    // so the card renders; the hostile part is data the app must neither run nor follow.
    // Hits on `/exfil*`, `/private/*` and `/hostile/*` are recorded, see `GET /__hits`.
    /// [`crate::stream::HOSTILE_HTML`] after the plan: `<script>`, `<img onerror>`, `<iframe>`.
    HostileHtml,
    /// [`crate::stream::HOSTILE_LINKS`] after the plan: `javascript:`, `data:`, `file:`,
    /// `smb:` links, including ones labelled like the task page and the video file.
    HostileLinks,
    /// After the real links, a markdown image and a link to `/exfil?chat=<prompt>`:
    /// rendering or prefetching them would leak the chat.
    ExfilImage,
    /// The result links point at private addresses: `http://10.0.0.1/v.mp4`,
    /// preview `http://192.168.1.5/p.jpg`.
    PrivateVideo,
    /// The result links point at the relay's own loopback address under `/private/`
    /// (a remote relay must not make the app fetch from the user's machine).
    PrivateLoopback,
    /// The video link `/hostile/page.mp4` answers an HTML page labelled `video/mp4`.
    HtmlVideo,
    /// The video link `/hostile/huge.mp4` announces 2 GiB (`Content-Length: 2147483648`)
    /// and would stream zeros lazily; nothing that large is ever held in memory.
    HugeVideo,
    /// The video link `/r/video/<sid>.mp4` redirects to another host (127.0.0.2, or
    /// `localhost` where that cannot be bound) at `/hostile/landing/<sid>.mp4`, and the
    /// raw data link `/r/source/<task>` to `/hostile/source/<task>` there: the API key
    /// must not follow.
    RedirectAuth,
}

/// Each scenario with its names. `[name]` in the last user message (case-insensitive,
/// full-width 【】 accepted) selects it; the first name is the canonical one.
const NAMES: &[(Scenario, &[&str])] = &[
    (Scenario::Success, &["success", "ok", "成功"]),
    (Scenario::Failure, &["fail", "failure", "失败"]),
    (Scenario::PolicyHttp, &["policy-http", "sentinel"]),
    (
        Scenario::PolicyStream,
        &["policy", "policy-stream", "moderation", "违规"],
    ),
    (Scenario::Unauthorized, &["401", "unauthorized"]),
    (Scenario::RateLimited, &["429", "rate-limited", "限流"]),
    (Scenario::Html502, &["502", "html502"]),
    (Scenario::Html524, &["524", "html524"]),
    (Scenario::CutStream, &["cut", "cut-stream", "断流"]),
    (Scenario::Stall, &["stall", "卡住"]),
    (Scenario::SlowQueue, &["slow", "slow-queue", "排队"]),
    (
        Scenario::ServerErrorFrame,
        &["error-frame", "server-error-frame", "server-error"],
    ),
    (Scenario::Resubmit, &["resubmit", "重新提交"]),
    (Scenario::Heartbeat, &["heartbeat", "心跳"]),
    (Scenario::ResetMidEvent, &["reset-mid-event", "reset"]),
    (Scenario::HostileHtml, &["hostile-html"]),
    (Scenario::HostileLinks, &["hostile-links"]),
    (Scenario::ExfilImage, &["exfil-image", "exfil"]),
    (Scenario::PrivateVideo, &["private-video"]),
    (Scenario::PrivateLoopback, &["private-loopback"]),
    (Scenario::HtmlVideo, &["html-video"]),
    (Scenario::HugeVideo, &["huge-video"]),
    (Scenario::RedirectAuth, &["redirect-auth"]),
];

impl Scenario {
    /// All scenarios, in declaration order.
    pub const ALL: [Scenario; 23] = [
        Scenario::Success,
        Scenario::Failure,
        Scenario::PolicyHttp,
        Scenario::PolicyStream,
        Scenario::Unauthorized,
        Scenario::RateLimited,
        Scenario::Html502,
        Scenario::Html524,
        Scenario::CutStream,
        Scenario::Stall,
        Scenario::SlowQueue,
        Scenario::ServerErrorFrame,
        Scenario::Resubmit,
        Scenario::Heartbeat,
        Scenario::ResetMidEvent,
        Scenario::HostileHtml,
        Scenario::HostileLinks,
        Scenario::ExfilImage,
        Scenario::PrivateVideo,
        Scenario::PrivateLoopback,
        Scenario::HtmlVideo,
        Scenario::HugeVideo,
        Scenario::RedirectAuth,
    ];

    fn names(self) -> &'static [&'static str] {
        NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or(&[][..], |(_, names)| names)
    }

    /// The canonical name, e.g. `cut`; the prompt keyword is `[cut]`.
    pub fn name(self) -> &'static str {
        self.names().first().copied().unwrap_or("success")
    }

    /// The prompt keyword, e.g. `[cut]`.
    pub fn keyword(self) -> String {
        format!("[{}]", self.name())
    }

    /// The scenario named by a `[keyword]` in `prompt`, if any.
    pub fn from_prompt(prompt: &str) -> Option<Scenario> {
        let text = prompt.to_lowercase().replace('【', "[").replace('】', "]");
        NAMES.iter().find_map(|(scenario, names)| {
            names
                .iter()
                .any(|name| text.contains(&format!("[{name}]")))
                .then_some(*scenario)
        })
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown scenario name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScenario(pub String);

impl fmt::Display for UnknownScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
        write!(
            f,
            "unknown scenario `{}` (known: {})",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownScenario {}

impl FromStr for Scenario {
    type Err = UnknownScenario;

    /// Accepts any of a scenario's names, with or without brackets, any case,
    /// and the Rust variant name (`CutStream`, `cut_stream`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_lowercase()
            .replace('_', "-");
        let variant = |sc: Scenario| format!("{sc:?}").to_lowercase();
        Scenario::ALL
            .iter()
            .copied()
            .find(|sc| {
                sc.names().contains(&wanted.as_str()) || variant(*sc) == wanted.replace('-', "")
            })
            .ok_or_else(|| UnknownScenario(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_pick_scenarios() {
        assert_eq!(
            Scenario::from_prompt("a cat [FAIL]"),
            Some(Scenario::Failure)
        );
        assert_eq!(
            Scenario::from_prompt("x [policy-http]"),
            Some(Scenario::PolicyHttp)
        );
        assert_eq!(
            Scenario::from_prompt("x [policy]"),
            Some(Scenario::PolicyStream)
        );
        assert_eq!(
            Scenario::from_prompt("牛马【断流】"),
            Some(Scenario::CutStream)
        );
        assert_eq!(Scenario::from_prompt("a failing cat"), None);
    }

    #[test]
    fn every_scenario_round_trips_through_its_keyword_and_name() {
        for sc in Scenario::ALL {
            assert_eq!(Scenario::from_prompt(&sc.keyword()), Some(sc), "{sc:?}");
            assert_eq!(sc.name().parse::<Scenario>(), Ok(sc));
            assert_eq!(format!("{sc:?}").parse::<Scenario>(), Ok(sc));
        }
        assert!("nope".parse::<Scenario>().is_err());
    }
}
