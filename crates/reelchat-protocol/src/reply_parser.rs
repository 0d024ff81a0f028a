//! The incremental reply parser: it is fed the assistant text delta by delta,
//! keeps the accumulated text, and emits typed events as soon as each is
//! certain. Every byte is looked at a bounded number of times, so the work is
//! linear in the whole reply however it is chunked.
//!
//! A line's work is split in two: what can be known mid-line (status words,
//! progress numbers, links once their `)` arrived, ids once terminated) is
//! scanned incrementally over the new bytes only; what needs the whole line
//! (fences, the plan block, failure reasons) runs once when the line ends.

use crate::classify::classify_failure_text;
use crate::error::ErrorKind;
use crate::links::{classify, link_ending_at, LinkRole};
use crate::plan::{is_sid, parse_plan};
use crate::reply::{Completion, Failure, Phase, Plan, ReplyEvent, ReplyState, TaskInfo};

const KW_QUEUED: &str = "排队中";
const KW_GENERATING: &str = "生成中";
const KW_PROGRESS: &str = "进度";
/// Longest status keyword, in bytes: how far back an incremental search
/// must reach so a keyword split across deltas is still found.
const KW_OVERLAP: usize = 12;
/// Ids and sids longer than this are not ids.
const MAX_TOKEN: usize = 128;

/// Line beginnings that mark a failure line (compared case-insensitively).
const FAILURE_PREFIXES: &[&str] = &[
    "生成失败",
    "任务失败",
    "视频生成失败",
    "generation failed",
    "failure reason",
    "失败原因",
    "内容违规",
    "failed:",
    "error:",
    "错误",
];
const ID_PREFIXES: &[&str] = &["task id", "taskid", "task_id", "id"];
const SID_PREFIXES: &[&str] = &["sid"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Not decided yet: too few bytes of the line's body have arrived.
    Unknown,
    Id,
    Sid,
    Failure,
    Other,
}

/// Incremental state of the line being received.
#[derive(Debug, Clone)]
struct LineState {
    /// Absolute byte index up to which this line was scanned incrementally.
    scanned: usize,
    /// Where the body starts (after `>`, spaces and emoji), once known.
    body_start: Option<usize>,
    /// A ❌ was among the decorations: a failure line.
    cross: bool,
    kind: LineKind,
    token_done: bool,
    /// Position after `进度`, from where progress numbers are read.
    progress_cursor: Option<usize>,
    /// Inside the `(url)` of a link on the progress line.
    progress_in_url: bool,
}

impl LineState {
    fn new(start: usize) -> Self {
        LineState {
            scanned: start,
            body_start: None,
            cross: false,
            kind: LineKind::Unknown,
            token_done: false,
            progress_cursor: None,
            progress_in_url: false,
        }
    }
}

/// See the module docs.
#[derive(Debug, Clone)]
pub struct ReplyParser {
    text: String,
    line_start: usize,
    line: LineState,
    in_code: bool,
    /// Where the open code block's content starts, and whether it may be the plan.
    code_start: usize,
    code_may_be_plan: bool,
    plan_seen: bool,
    queued_seen: bool,
    generating_seen: bool,
    state: ReplyState,
    events: Vec<ReplyEvent>,
}

impl Default for ReplyParser {
    fn default() -> Self {
        Self::new()
    }
}

impl ReplyParser {
    pub fn new() -> Self {
        ReplyParser {
            text: String::new(),
            line_start: 0,
            line: LineState::new(0),
            in_code: false,
            code_start: 0,
            code_may_be_plan: false,
            plan_seen: false,
            queued_seen: false,
            generating_seen: false,
            state: ReplyState::default(),
            events: Vec::new(),
        }
    }

    /// The accumulated assistant text, byte for byte as received.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn state(&self) -> &ReplyState {
        &self.state
    }

    pub fn into_parts(self) -> (String, ReplyState) {
        (self.text, self.state)
    }

    /// Feed one delta; returns the events it made certain.
    pub fn push(&mut self, delta: &str) -> Vec<ReplyEvent> {
        if delta.is_empty() {
            return Vec::new();
        }
        let mut pos = self.text.len();
        self.text.push_str(delta);
        while let Some(nl) = self.text[pos..].find('\n') {
            let end = pos + nl;
            self.scan(end);
            self.complete_line(end, false);
            self.line_start = end + 1;
            self.line = LineState::new(self.line_start);
            pos = end + 1;
        }
        self.scan(self.text.len());
        std::mem::take(&mut self.events)
    }

    /// The reply ended: the last line (which often has no newline) is
    /// complete now. Tokens without their closing mark are still refused.
    pub fn finish(&mut self) -> Vec<ReplyEvent> {
        let end = self.text.len();
        if self.line_start < end {
            self.scan(end);
            self.complete_line(end, true);
            self.line_start = end;
            self.line = LineState::new(end);
        }
        std::mem::take(&mut self.events)
    }

    /// Record a failure that came from outside the text (an error frame).
    pub fn fail(&mut self, failure: Failure) -> Vec<ReplyEvent> {
        self.set_failure(failure);
        std::mem::take(&mut self.events)
    }

    // ---- incremental, mid-line -------------------------------------------

    fn scan(&mut self, end: usize) {
        let from = self.line.scanned;
        if from >= end {
            return;
        }
        self.line.scanned = end;
        if self.in_code {
            return;
        }
        self.find_body_start(from, end);
        self.decide_kind(end, false);
        self.scan_keywords(from, end);
        self.scan_progress(end);
        self.scan_links(from, end);
        if matches!(self.line.kind, LineKind::Id | LineKind::Sid) && !self.line.token_done {
            self.try_token(end, false, false);
        }
    }

    fn find_body_start(&mut self, from: usize, end: usize) {
        if self.line.body_start.is_some() {
            return;
        }
        for (i, c) in self.text[from..end].char_indices() {
            if c == '❌' || c == '✖' || c == '🚫' || c == '⛔' {
                self.line.cross = true;
            }
            if !is_decoration(c) {
                self.line.body_start = Some(from + i);
                return;
            }
        }
    }

    fn decide_kind(&mut self, end: usize, complete: bool) {
        if self.line.kind != LineKind::Unknown {
            return;
        }
        if self.line.cross {
            self.line.kind = LineKind::Failure;
            return;
        }
        let Some(bs) = self.line.body_start else {
            if complete {
                self.line.kind = LineKind::Other;
            }
            return;
        };
        // Only the first few bytes of the body decide the kind.
        let mut upto = end.min(bs + 32);
        while !self.text.is_char_boundary(upto) {
            upto -= 1;
        }
        let body = self.text[bs..upto].to_lowercase();
        if let Some(kind) = kind_of_prefix(&body, complete || upto < end) {
            self.line.kind = kind;
        }
    }

    fn scan_keywords(&mut self, from: usize, end: usize) {
        let mut start = from.saturating_sub(KW_OVERLAP).max(self.line_start);
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        let region = &self.text.as_bytes()[start..end];
        let queued = !self.queued_seen && find(region, KW_QUEUED).is_some();
        let generating = !self.generating_seen && find(region, KW_GENERATING).is_some();
        let progress_at = if self.line.progress_cursor.is_none() {
            find(region, KW_PROGRESS)
        } else {
            None
        };
        if queued {
            self.queued_seen = true;
            self.advance_phase(Phase::Queued);
            self.events.push(ReplyEvent::Queued);
        }
        if generating {
            self.generating_seen = true;
            self.advance_phase(Phase::Generating);
            self.events.push(ReplyEvent::Generating);
        }
        if let Some(i) = progress_at {
            self.line.progress_cursor = Some(start + i + KW_PROGRESS.len());
        }
    }

    /// Numbers after `进度`, each certain once a non-digit follows it.
    fn scan_progress(&mut self, end: usize) {
        let Some(mut cur) = self.line.progress_cursor else {
            return;
        };
        let bytes = self.text.as_bytes();
        let mut run_start: Option<usize> = None;
        let mut best: Option<u32> = None;
        while cur < end {
            let b = bytes[cur];
            if self.line.progress_in_url {
                if b == b')' {
                    self.line.progress_in_url = false;
                }
            } else if b.is_ascii_digit() {
                run_start.get_or_insert(cur);
            } else {
                if let Some(s) = run_start.take() {
                    if let Ok(n) = self.text[s..cur].parse::<u32>() {
                        if n <= 100 {
                            best = Some(best.map_or(n, |m| m.max(n)));
                        }
                    }
                }
                if b == b'(' && cur > 0 && bytes[cur - 1] == b']' {
                    self.line.progress_in_url = true;
                }
            }
            cur += 1;
        }
        // A number still running at the end may be cut: read it again later.
        self.line.progress_cursor = Some(run_start.unwrap_or(end));
        if let Some(n) = best {
            self.set_progress(n);
        }
    }

    fn scan_links(&mut self, from: usize, end: usize) {
        let mut at = from;
        while let Some(rel) = self.text[at..end].find(')') {
            let close = at + rel;
            self.try_link(close);
            at = close + 1;
        }
    }

    fn try_link(&mut self, close: usize) {
        let line = &self.text[self.line_start..];
        let Some(link) = link_ending_at(line, close - self.line_start) else {
            return;
        };
        let role = classify(&link);
        let url = link.url.to_string();
        match role {
            LinkRole::TaskPage | LinkRole::RawData => {
                let task = self.state.task.get_or_insert_with(TaskInfo::default);
                let slot = if role == LinkRole::TaskPage {
                    &mut task.task_page_url
                } else {
                    &mut task.raw_data_url
                };
                if slot.as_deref() != Some(url.as_str()) {
                    *slot = Some(url);
                    if !task.id.is_empty() {
                        self.events.push(ReplyEvent::Task(task.clone()));
                    }
                }
            }
            LinkRole::PreviewImage if self.state.preview_image_url.is_none() => {
                self.state.preview_image_url = Some(url);
                self.emit_completion();
            }
            LinkRole::Video if self.state.video_url.is_none() => {
                self.state.video_url = Some(url);
                self.advance_phase(Phase::Completed);
                self.emit_completion();
            }
            _ => {}
        }
    }

    /// The id after `ID:` or the sid after `sid:`, once it is terminated.
    /// `line_done`: the line ended (a newline, or the end of the reply when
    /// `at_eof`), which terminates a bare token.
    fn try_token(&mut self, end: usize, line_done: bool, at_eof: bool) {
        let Some(bs) = self.line.body_start else {
            return;
        };
        let body = &self.text[bs..end];
        let Some(colon) = body.find([':', '：']) else {
            if body.len() > MAX_TOKEN {
                self.line.token_done = true;
            }
            return;
        };
        let after = body[colon..].trim_start_matches([':', '：']).trim_start();
        let (quoted, rest) = match after.strip_prefix('`') {
            Some(r) => (true, r),
            None => (false, after),
        };
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let token = &rest[..len];
        let terminator = rest[len..].chars().next();
        if len > MAX_TOKEN || (terminator.is_some() && token.is_empty()) {
            self.line.token_done = true;
            return;
        }
        let is_id = self.line.kind == LineKind::Id;
        let certain = match (quoted, terminator) {
            (true, Some('`')) => true,
            (true, _) => false,
            (false, Some(_)) => true,
            // At the very end of the reply only a token of the full, fixed
            // length is taken: a shorter one may have been cut.
            (false, None) if at_eof => full_length(token, is_id),
            (false, None) => line_done,
        };
        if !certain {
            if terminator.is_some() {
                self.line.token_done = true;
            }
            return;
        }
        self.line.token_done = true;
        if is_id {
            self.set_task_id(token.to_string());
        } else if is_sid(token) {
            self.set_result_sid(token.to_string());
        }
    }

    // ---- whole lines -------------------------------------------------------

    fn complete_line(&mut self, end: usize, at_eof: bool) {
        let raw = &self.text[self.line_start..end];
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim_start();
        if let Some(fence_rest) = trimmed.strip_prefix("```") {
            if self.in_code {
                self.in_code = false;
                self.close_code_block(self.line_start);
            } else {
                self.in_code = true;
                self.code_start = end + 1;
                let lang = fence_rest.trim().to_ascii_lowercase();
                self.code_may_be_plan = !self.plan_seen && (lang.is_empty() || lang == "json");
            }
            return;
        }
        if self.in_code {
            if at_eof {
                // An unclosed block at the very end: not certain, not taken.
            }
            return;
        }
        let line_end = self.line_start + line.len();
        self.decide_kind(line_end, true);
        match self.line.kind {
            LineKind::Id | LineKind::Sid if !self.line.token_done => {
                self.try_token(line_end, true, at_eof)
            }
            LineKind::Failure => self.failure_line(line_end),
            _ => {}
        }
    }

    fn close_code_block(&mut self, fence_line_start: usize) {
        if !self.code_may_be_plan || self.code_start > fence_line_start {
            return;
        }
        let block = &self.text[self.code_start..fence_line_start];
        if !block.trim_start().starts_with('{') {
            return;
        }
        if let Some(plan) = parse_plan(block) {
            self.plan_seen = true;
            self.set_plan(plan);
        }
    }

    fn failure_line(&mut self, line_end: usize) {
        let bs = self.line.body_start.unwrap_or(line_end).min(line_end);
        let body = self.text[bs..line_end].trim();
        let reason = failure_reason(body);
        let kind = classify_failure_text(body);
        let message = if reason.is_empty() {
            body.to_string()
        } else {
            reason.to_string()
        };
        let failure = match &self.state.failure {
            // A second failure line usually adds the reason: keep the most
            // specific message and the most specific kind.
            Some(prev) => Failure {
                kind: if kind == ErrorKind::GenerationFailed {
                    prev.kind
                } else {
                    kind
                },
                message: if reason.is_empty() {
                    prev.message.clone()
                } else {
                    message
                },
                retry_after_secs: None,
                status: None,
            },
            None => Failure {
                kind,
                message,
                retry_after_secs: None,
                status: None,
            },
        };
        self.set_failure(failure);
    }

    // ---- state changes -----------------------------------------------------

    fn advance_phase(&mut self, to: Phase) {
        if self.state.phase != Phase::Failed && phase_rank(to) > phase_rank(self.state.phase) {
            self.state.phase = to;
        }
    }

    fn set_plan(&mut self, plan: Plan) {
        self.state.plan = Some(plan.clone());
        self.advance_phase(Phase::Planned);
        self.events.push(ReplyEvent::Plan(plan));
    }

    fn set_task_id(&mut self, id: String) {
        if self.state.task.as_ref().is_some_and(|t| t.id == id) {
            return;
        }
        // A new id after the first: the server re-submitted the task, and
        // the links and any failure belong to the old one.
        let resubmitted = self.state.task.as_ref().is_some_and(|t| !t.id.is_empty());
        let task = match self.state.task.take() {
            Some(t) if !resubmitted => TaskInfo {
                id: id.clone(),
                ..t
            },
            _ => TaskInfo {
                id: id.clone(),
                task_page_url: None,
                raw_data_url: None,
            },
        };
        if resubmitted {
            self.queued_seen = false;
            self.generating_seen = false;
            if self.state.failure.take().is_some() {
                self.state.phase = Phase::Planned;
            }
        }
        self.state.task_ids.push(id);
        self.state.task = Some(task.clone());
        self.events.push(ReplyEvent::Task(task));
    }

    fn set_progress(&mut self, n: u32) {
        if self.state.progress.is_none_or(|p| n > p) {
            self.state.progress = Some(n);
            self.events.push(ReplyEvent::Progress { percent: n });
        }
    }

    fn set_result_sid(&mut self, sid: String) {
        if self.state.result_sid.as_deref() != Some(sid.as_str()) {
            self.state.result_sid = Some(sid);
            self.emit_completion();
        }
    }

    fn emit_completion(&mut self) {
        if let Some(video_url) = &self.state.video_url {
            self.events.push(ReplyEvent::Completed(Completion {
                result_sid: self.state.result_sid.clone(),
                preview_image_url: self.state.preview_image_url.clone(),
                video_url: video_url.clone(),
            }));
        }
    }

    fn set_failure(&mut self, failure: Failure) {
        if self.state.failure.as_ref() == Some(&failure) {
            return;
        }
        self.state.phase = Phase::Failed;
        self.state.failure = Some(failure.clone());
        self.events.push(ReplyEvent::Failed(failure));
    }
}

fn phase_rank(p: Phase) -> u8 {
    match p {
        Phase::Sending => 0,
        Phase::Planned => 1,
        Phase::Queued => 2,
        Phase::Generating => 3,
        Phase::Completed => 4,
        Phase::Failed => 5,
    }
}

/// Where `needle` first occurs in `hay`. Called once per delta on a region
/// of a few bytes, where setting up a substring searcher would cost more
/// than the search; long regions (a large delta) get a real one.
fn find(hay: &[u8], needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if hay.len() < 64 {
        hay.windows(needle.len()).position(|w| w == needle)
    } else {
        memchr::memmem::find(hay, needle)
    }
}

/// Quote marks, spaces, emoji and markdown emphasis before a line's words.
fn is_decoration(c: char) -> bool {
    c == '>'
        || c == '*'
        || c == '#'
        || c == '\u{feff}'
        || c.is_whitespace()
        || (c as u32 >= 0x2000 && !is_word_char(c))
}

/// Letters of scripts a status line may be written in (CJK included).
fn is_word_char(c: char) -> bool {
    let u = c as u32;
    (0x3040..=0x30ff).contains(&u) // kana
        || (0x3400..=0x9fff).contains(&u)
        || (0xac00..=0xd7af).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0x20000..=0x3ffff).contains(&u)
        || (c.is_alphanumeric() && u < 0x2000)
}

/// The kind of a line from the first bytes of its (lowercased) body; `None`
/// while the bytes seen so far could still start more than one kind.
fn kind_of_prefix(body: &str, complete: bool) -> Option<LineKind> {
    let candidates: [(&[&str], LineKind); 3] = [
        (FAILURE_PREFIXES, LineKind::Failure),
        (ID_PREFIXES, LineKind::Id),
        (SID_PREFIXES, LineKind::Sid),
    ];
    let mut undecided = false;
    for (prefixes, kind) in candidates {
        for p in prefixes {
            if let Some(rest) = body.strip_prefix(p) {
                // "id" must be a word of its own ("ID:", "ID `…`"), not "idle".
                let next = rest.chars().next();
                let word_ends = !p.is_ascii() || next.is_none_or(|c| !c.is_ascii_alphanumeric());
                if next.is_none() && !complete && p.is_ascii() {
                    undecided = true;
                } else if word_ends {
                    return Some(kind);
                }
            } else if p.starts_with(body) && !complete {
                undecided = true;
            }
        }
    }
    if undecided {
        None
    } else {
        Some(LineKind::Other)
    }
}

/// The reason after a failure keyword: `❌ 生成失败: 内容违规` → `内容违规`.
fn failure_reason(body: &str) -> &str {
    match body.find([':', '：']) {
        Some(i) => body[i..].trim_start_matches([':', '：']).trim(),
        None => "",
    }
}

/// A token at the very end of the reply with no terminator is taken only if
/// it has the protocol's full length (`task_` + 26, `s_` + 32 hex).
fn full_length(token: &str, is_id: bool) -> bool {
    if is_id {
        token.strip_prefix("task_").is_some_and(|r| r.len() == 26)
    } else {
        token.strip_prefix("s_").is_some_and(|r| r.len() == 32)
    }
}
