//! Export a conversation as a folder anyone can open: `conversation.md`
//! (title, dates, each message and each reply's plan, task id, status and
//! result) next to copies of the local videos and previews, named by
//! version (`v1.mp4`, `v1-preview.jpg` …) and linked relatively.
//!
//! Never in it: the API key (it is not in the conversation at all), the
//! app's own paths, or the reply's raw text (links in it may be the
//! relay's private ones; the parsed result links are enough). The folder
//! is written under a hidden temporary name and renamed into place at the
//! end, so a failed export leaves nothing half-written; an existing folder
//! is never overwritten (" (2)", " (3)" … are tried instead).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppErrorKind};
use crate::ids::random_hex;
use crate::model::{Conversation, Millis, TurnRecord, TurnStatus};
use crate::store::{classify_io, sync_dir, IoClass};
use crate::studio::Studio;

/// The transcript's file name inside the exported folder.
pub const TRANSCRIPT: &str = "conversation.md";
/// Longest folder name taken from a title (characters).
const MAX_NAME_CHARS: usize = 80;

/// The language of the transcript's own words (headings, labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ExportLanguage {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

/// How to write the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportOptions {
    pub language: ExportLanguage,
    /// The user's time zone as minutes east of UTC (UTC+8 = 480), for the
    /// dates in the transcript.
    pub utc_offset_minutes: i32,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportResult {
    /// The new folder (absolute).
    pub folder: String,
    /// Its name, for messages.
    pub name: String,
    /// Videos copied.
    pub videos: u32,
    /// Versions whose video was never saved locally (only linked).
    pub missing: u32,
}

impl Studio {
    /// Write conversation `id` into a new folder inside `dest_dir` (which
    /// must exist). Blocking: run it off the async runtime's threads.
    pub fn export_conversation(
        &self,
        id: &str,
        dest_dir: &Path,
        options: &ExportOptions,
    ) -> Result<ExportResult, AppError> {
        let conversation = self.get(id)?;
        export(&conversation, self.media_dir(), dest_dir, options)
    }
}

/// See [`Studio::export_conversation`].
pub fn export(
    c: &Conversation,
    media_dir: &Path,
    dest_dir: &Path,
    options: &ExportOptions,
) -> Result<ExportResult, AppError> {
    if !dest_dir.is_absolute() {
        return Err(AppError::invalid(
            "the export folder must be an absolute path",
        ));
    }
    if !dest_dir.is_dir() {
        return Err(AppError::invalid(format!(
            "{} is not a folder",
            dest_dir.display()
        )));
    }
    let labels = Labels::for_language(options.language);
    let tmp = TempDir::create(dest_dir)?;

    // Copy the media first, so the transcript only links files that exist.
    let mut files = Vec::new();
    let mut videos = 0;
    let mut missing = 0;
    for t in &c.turns {
        let Some(v) = t.version else { continue };
        let video = copy_media(
            media_dir,
            t.media.video.as_deref(),
            &tmp.path,
            &format!("v{v}"),
        )?;
        let preview = copy_media(
            media_dir,
            t.media.preview.as_deref(),
            &tmp.path,
            &format!("v{v}-preview"),
        )?;
        if video.is_some() {
            videos += 1;
        } else {
            missing += 1;
        }
        files.push((t.id.clone(), video, preview));
    }
    let md = transcript(c, &files, &labels, options.utc_offset_minutes);
    write_synced(&tmp.path.join(TRANSCRIPT), md.as_bytes())?;
    let _ = sync_dir(&tmp.path);

    let base = folder_name(&c.title, c.created_at, &labels, options.utc_offset_minutes);
    let folder = tmp.rename_into(dest_dir, &base)?;
    let _ = sync_dir(dest_dir);
    Ok(ExportResult {
        name: folder
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        folder: folder.display().to_string(),
        videos,
        missing,
    })
}

/// Copy a local result (relative to the media folder) to `dir/<stem>.<ext>`.
/// None when there is no local copy; an error when it exists but cannot be
/// copied. A path that leaves the media folder is ignored.
fn copy_media(
    media_dir: &Path,
    rel: Option<&str>,
    dir: &Path,
    stem: &str,
) -> Result<Option<String>, AppError> {
    let Some(rel) = rel else { return Ok(None) };
    let src = media_dir.join(rel);
    let (Ok(canon), Ok(root)) = (src.canonicalize(), media_dir.canonicalize()) else {
        return Ok(None); // the file is gone (deleted by hand): link only
    };
    if !canon.starts_with(&root) || !canon.is_file() {
        return Ok(None);
    }
    let ext = canon
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 5 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or("bin")
        .to_ascii_lowercase();
    let name = format!("{stem}.{ext}");
    let dest = dir.join(&name);
    std::fs::copy(&canon, &dest).map_err(|e| io_error("copy", &dest, &e))?;
    std::fs::File::open(&dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error("write", &dest, &e))?;
    Ok(Some(name))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    use std::io::Write;
    let mut f = std::fs::File::create(path).map_err(|e| io_error("create", path, &e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| io_error("write", path, &e))
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> AppError {
    let kind = match classify_io(e) {
        IoClass::DiskFull => AppErrorKind::DiskFull,
        IoClass::ReadOnly => AppErrorKind::ReadOnly,
        _ => AppErrorKind::Io,
    };
    AppError::new(kind, format!("could not {what} {}: {e}", path.display()))
}

/// The hidden folder an export is written into; removed unless renamed.
struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    fn create(dest_dir: &Path) -> Result<TempDir, AppError> {
        let path = dest_dir.join(format!(".reelchat-export-{}.part", random_hex(8)));
        std::fs::create_dir(&path).map_err(|e| io_error("create", &path, &e))?;
        Ok(TempDir { path, keep: false })
    }

    /// Rename to `dest_dir/<base>`, or `<base> (2)` … when taken.
    fn rename_into(mut self, dest_dir: &Path, base: &str) -> Result<PathBuf, AppError> {
        for n in 1..=999 {
            let name = if n == 1 {
                base.to_string()
            } else {
                format!("{base} ({n})")
            };
            let target = dest_dir.join(&name);
            if target.exists() || target.is_symlink() {
                continue;
            }
            match std::fs::rename(&self.path, &target) {
                Ok(()) => {
                    self.keep = true;
                    return Ok(target);
                }
                // Someone took the name in between: try the next one.
                Err(_) if target.exists() => continue,
                Err(e) => return Err(io_error("create", &target, &e)),
            }
        }
        Err(AppError::new(
            AppErrorKind::Io,
            format!("too many folders named “{base}” already"),
        ))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A folder name from the title that every common file system accepts:
/// no separators or reserved characters, no control characters, no
/// leading dot, no trailing dot or space, not a Windows device name, at
/// most [`MAX_NAME_CHARS`] characters. An empty result becomes
/// "ReelChat <date>".
pub fn folder_name(title: &str, created_at: Millis, labels: &Labels, offset_min: i32) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut name: String = collapsed
        .trim_start_matches(['.', ' '])
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    name = name.trim_end_matches(['.', ' ']).to_string();
    if name.is_empty() {
        let date = format_date(created_at, offset_min);
        name = format!("{} {}", labels.untitled, date.replace(':', "-"));
    }
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        name.insert(0, '_');
    }
    name
}

/// The transcript's own words.
pub struct Labels {
    pub untitled: &'static str,
    exported: &'static str,
    created: &'static str,
    versions: &'static str,
    message: &'static str,
    you: &'static str,
    model: &'static str,
    modifies: &'static str,
    new_video: &'static str,
    reply: &'static str,
    plan: &'static str,
    plan_prompt: &'static str,
    orientation: &'static str,
    duration: &'static str,
    seconds: &'static str,
    task_id: &'static str,
    status: &'static str,
    progress: &'static str,
    result: &'static str,
    video: &'static str,
    preview: &'static str,
    online: &'static str,
    not_saved: &'static str,
    failure: &'static str,
    succeeded: &'static str,
    failed: &'static str,
    interrupted: &'static str,
    running: &'static str,
    no_messages: &'static str,
}

impl Labels {
    pub fn for_language(lang: ExportLanguage) -> Labels {
        match lang {
            ExportLanguage::En => Labels {
                untitled: "ReelChat conversation",
                exported: "Exported from ReelChat",
                created: "Started",
                versions: "Versions",
                message: "Message",
                you: "You",
                model: "Model",
                modifies: "Changes",
                new_video: "a new video",
                reply: "Reply",
                plan: "Plan",
                plan_prompt: "Prompt",
                orientation: "Orientation",
                duration: "Duration",
                seconds: "s",
                task_id: "Task id",
                status: "Status",
                progress: "Progress",
                result: "Result",
                video: "Video",
                preview: "Preview",
                online: "Online link (may expire)",
                not_saved: "The video was not saved on this computer.",
                failure: "Why",
                succeeded: "done",
                failed: "failed",
                interrupted: "interrupted",
                running: "still generating when exported",
                no_messages: "No messages yet.",
            },
            ExportLanguage::ZhCn => Labels {
                untitled: "ReelChat 对话",
                exported: "导出自 ReelChat",
                created: "开始于",
                versions: "版本数",
                message: "消息",
                you: "你",
                model: "模型",
                modifies: "修改",
                new_video: "新视频",
                reply: "回复",
                plan: "方案",
                plan_prompt: "提示词",
                orientation: "画面方向",
                duration: "时长",
                seconds: "秒",
                task_id: "任务 ID",
                status: "状态",
                progress: "进度",
                result: "结果",
                video: "视频",
                preview: "预览图",
                online: "在线链接（可能会过期）",
                not_saved: "视频没有保存到这台电脑上。",
                failure: "原因",
                succeeded: "完成",
                failed: "失败",
                interrupted: "已中断",
                running: "导出时仍在生成",
                no_messages: "还没有消息。",
            },
        }
    }

    fn status(&self, s: TurnStatus) -> &'static str {
        match s {
            TurnStatus::Succeeded => self.succeeded,
            TurnStatus::Failed => self.failed,
            TurnStatus::Interrupted => self.interrupted,
            TurnStatus::Running => self.running,
        }
    }
}

/// (turn id, copied video, copied preview) for each version.
type Copied = (String, Option<String>, Option<String>);

/// The markdown transcript.
pub fn transcript(c: &Conversation, files: &[Copied], l: &Labels, offset_min: i32) -> String {
    let mut md = String::new();
    let title = one_line(&c.title);
    let title = if title.is_empty() {
        l.untitled.to_string()
    } else {
        title
    };
    let _ = writeln!(md, "# {}\n", escape_inline(&title));
    let _ = writeln!(
        md,
        "- {}: {}",
        l.created,
        format_date(c.created_at, offset_min)
    );
    let versions = c.turns.iter().filter(|t| t.version.is_some()).count();
    let _ = writeln!(md, "- {}: {versions}", l.versions);
    let _ = writeln!(
        md,
        "- {}: {}\n",
        l.exported,
        format_date(crate::model::now_ms(), offset_min)
    );
    if c.turns.is_empty() {
        let _ = writeln!(md, "{}", l.no_messages);
    }
    for (i, t) in c.turns.iter().enumerate() {
        md.push_str("---\n\n");
        turn_section(&mut md, c, t, i + 1, files, l, offset_min);
    }
    md
}

fn turn_section(
    md: &mut String,
    c: &Conversation,
    t: &TurnRecord,
    n: usize,
    files: &[Copied],
    l: &Labels,
    offset_min: i32,
) {
    let _ = writeln!(md, "## {} {n} · {}\n", l.message, l.you);
    quote(md, &t.prompt);
    let target = t
        .parent
        .as_deref()
        .and_then(|p| c.turn(p))
        .and_then(|p| p.version)
        .map_or_else(|| l.new_video.to_string(), |v| format!("v{v}"));
    let _ = writeln!(
        md,
        "{}: `{}` · {} · {}: {target}\n",
        l.model,
        code(&t.model),
        format_date(t.created_at, offset_min),
        l.modifies
    );

    let heading = match t.version {
        Some(v) => format!("### {} — v{v} ({})", l.reply, l.status(t.status)),
        None => format!("### {} ({})", l.reply, l.status(t.status)),
    };
    let _ = writeln!(md, "{heading}\n");
    if let Some(plan) = &t.reply.plan {
        let _ = writeln!(md, "**{}**\n", l.plan);
        if let Some(p) = &plan.prompt {
            let _ = writeln!(md, "{}:\n", l.plan_prompt);
            quote(md, p);
        }
        if let Some(o) = &plan.orientation {
            let _ = writeln!(md, "- {}: {}", l.orientation, escape_inline(&one_line(o)));
        }
        if let Some(d) = plan.duration {
            let _ = writeln!(md, "- {}: {d} {}", l.duration, l.seconds);
        }
        md.push('\n');
    }
    if let Some(task) = &t.reply.task {
        let _ = writeln!(md, "- {}: `{}`", l.task_id, code(&task.id));
    }
    let _ = writeln!(md, "- {}: {}", l.status, l.status(t.status));
    if let (Some(p), false) = (t.reply.progress, t.status == TurnStatus::Succeeded) {
        let _ = writeln!(md, "- {}: {p}%", l.progress);
    }
    if let Some(f) = &t.failure {
        let _ = writeln!(
            md,
            "- {}: {}",
            l.failure,
            escape_inline(&one_line(&f.message))
        );
    }
    md.push('\n');

    let Some(v) = t.version else { return };
    let (video, preview) = files
        .iter()
        .find(|(id, _, _)| id == &t.id)
        .map(|(_, v, p)| (v.clone(), p.clone()))
        .unwrap_or_default();
    let _ = writeln!(md, "**{}**\n", l.result);
    match (&video, &preview) {
        (Some(video), Some(preview)) => {
            let _ = writeln!(md, "[![{} v{v}]({preview})]({video})\n", l.preview);
        }
        (None, Some(preview)) => {
            let _ = writeln!(md, "![{} v{v}]({preview})\n", l.preview);
        }
        _ => {}
    }
    match &video {
        Some(video) => {
            let _ = writeln!(md, "- {} v{v}: [{video}]({video})", l.video);
        }
        None => {
            let _ = writeln!(md, "- {}", l.not_saved);
        }
    }
    if let Some(url) = t.reply.video_url.as_deref().and_then(safe_link) {
        let _ = writeln!(md, "- {}: <{url}>", l.online);
    }
    md.push('\n');
}

/// A remote link fit for `<…>`: http(s), no credentials, no spaces or `>`.
fn safe_link(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") || !u.username().is_empty() || u.password().is_some()
    {
        return None;
    }
    Some(u.to_string()).filter(|s| !s.contains(['<', '>', ' ']))
}

/// Text as a markdown block quote, every line quoted.
fn quote(md: &mut String, text: &str) {
    let text = text.trim();
    for line in text.lines() {
        let _ = writeln!(md, "> {}", line.trim_end());
    }
    md.push('\n');
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keep text from turning into markup inside a line.
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for inside a `code span` (backticks would end it).
fn code(s: &str) -> String {
    one_line(s).replace('`', "'")
}

/// `YYYY-MM-DD HH:MM (UTC+hh:mm)` in the given offset.
pub fn format_date(ms: Millis, offset_min: i32) -> String {
    let offset_min = offset_min.clamp(-14 * 60, 14 * 60);
    let secs = ms.div_euclid(1000) + i64::from(offset_min) * 60;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} (UTC{sign}{:02}:{:02})",
        rem / 3600,
        (rem % 3600) / 60,
        off / 60,
        off % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_users_zone() {
        assert_eq!(format_date(0, 0), "1970-01-01 00:00 (UTC+00:00)");
        // 2024-02-29 23:30 UTC is already March 1st in Shanghai.
        let ms = 1_709_249_400_000;
        assert_eq!(format_date(ms, 0), "2024-02-29 23:30 (UTC+00:00)");
        assert_eq!(format_date(ms, 480), "2024-03-01 07:30 (UTC+08:00)");
        assert_eq!(format_date(ms, -330), "2024-02-29 18:00 (UTC-05:30)");
    }

    #[test]
    fn folder_names_are_safe_everywhere() {
        let l = Labels::for_language(ExportLanguage::En);
        assert_eq!(folder_name("牛马跳舞", 0, &l, 0), "牛马跳舞");
        assert_eq!(
            folder_name(" a/b\\c:d*e?f\"g<h>i|j\n ", 0, &l, 0),
            "a b c d e f g h i j"
        );
        assert_eq!(
            folder_name("../..", 0, &l, 0),
            "ReelChat conversation 1970-01-01 00-00 (UTC+00-00)"
        );
        assert_eq!(folder_name("..hidden.", 0, &l, 0), "hidden");
        assert_eq!(folder_name("CON", 0, &l, 0), "_CON");
        assert_eq!(folder_name("com1.txt", 0, &l, 0), "_com1.txt");
        assert_eq!(
            folder_name(&"长".repeat(200), 0, &l, 0).chars().count(),
            MAX_NAME_CHARS
        );
        let zh = Labels::for_language(ExportLanguage::ZhCn);
        assert!(folder_name("", 0, &zh, 480).starts_with("ReelChat 对话 1970-01-01 08-00"));
    }

    #[test]
    fn an_unfinished_export_leaves_nothing_and_names_are_not_reused() {
        let dest = tempfile::tempdir().unwrap();
        {
            let t = TempDir::create(dest.path()).unwrap();
            std::fs::write(t.path.join("v1.mp4"), "partial").unwrap();
        } // dropped before the rename, as on an error
        assert!(std::fs::read_dir(dest.path()).unwrap().next().is_none());
        std::fs::create_dir(dest.path().join("x")).unwrap();
        std::fs::write(dest.path().join("x (2)"), "a file").unwrap();
        let t = TempDir::create(dest.path()).unwrap();
        let made = t.rename_into(dest.path(), "x").unwrap();
        assert_eq!(made, dest.path().join("x (3)"));
    }

    #[test]
    fn inline_text_cannot_become_markup() {
        assert_eq!(
            escape_inline("*a* [x](y) <b>"),
            "\\*a\\* \\[x\\](y) \\<b\\>"
        );
        assert_eq!(code("a`b"), "a'b");
        assert_eq!(safe_link("https://u:p@host/v.mp4"), None);
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(
            safe_link(" https://cdn.example/v 1.mp4").as_deref(),
            Some("https://cdn.example/v%201.mp4")
        );
    }
}
