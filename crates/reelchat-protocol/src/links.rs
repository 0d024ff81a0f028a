//! Markdown links in a reply: finding a complete `[label](url)` that ends at
//! a given `)`, and deciding what the link points at.

/// What a link in the reply is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRole {
    /// 数据预览: the task's web page.
    TaskPage,
    /// 原始数据: the task's raw data.
    RawData,
    PreviewImage,
    Video,
    Other,
}

/// A link found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    pub label: &'a str,
    pub url: &'a str,
    pub is_image: bool,
}

/// How far back from a `)` we look for the `](` and `[` of its link: a bound
/// on the work per `)`, so parsing stays linear whatever the server sends.
const MAX_LINK_BYTES: usize = 16 * 1024;

/// The link whose `)` is at `close` in `line` (an index into `line`), if the
/// text before it forms one. Only http(s) URLs count.
pub fn link_ending_at(line: &str, close: usize) -> Option<Link<'_>> {
    let mut window_start = close.saturating_sub(MAX_LINK_BYTES);
    while !line.is_char_boundary(window_start) {
        window_start += 1;
    }
    let before = &line[window_start..close];
    let open_rel = before.rfind("](")?;
    let url = before[open_rel + 2..].trim();
    if url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c == '[' || c == ']' || c == '<' || c == '>')
    {
        return None;
    }
    // Parentheses inside a URL must balance: `…?b=(2)` ends at the second `)`.
    if url.matches('(').count() != url.matches(')').count() {
        return None;
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let label_area = &before[..open_rel];
    let lb = label_area.rfind('[')?;
    let label = &label_area[lb + 1..];
    let is_image = label_area[..lb].ends_with('!');
    Some(Link {
        label,
        url,
        is_image,
    })
}

const TASK_PAGE_WORDS: &[&str] = &["数据预览", "任务详情", "task page", "task preview"];
const RAW_DATA_WORDS: &[&str] = &["原始数据", "raw data", "raw", "source data"];
const PREVIEW_WORDS: &[&str] = &[
    "预览图",
    "封面",
    "缩略图",
    "preview",
    "cover",
    "thumbnail",
    "poster",
];
const VIDEO_WORDS: &[&str] = &[
    "视频", "播放", "下载", "video", "play", "download", "watch", "mp4",
];
const VIDEO_EXTS: &[&str] = &[".mp4", ".webm", ".mov", ".m4v", ".m3u8", ".mkv"];
const IMAGE_EXTS: &[&str] = &[".webp", ".png", ".jpg", ".jpeg", ".gif", ".avif"];

/// The extension of the URL's path (query and fragment ignored), lowercased.
fn url_ext(url: &str) -> String {
    let no_frag = url.split('#').next().unwrap_or(url);
    let path = no_frag.split('?').next().unwrap_or(no_frag);
    let last = path.rsplit('/').next().unwrap_or(path);
    match last.rfind('.') {
        Some(i) => last[i..].to_ascii_lowercase(),
        None => String::new(),
    }
}

/// Classify by label keywords and by the URL's extension, never by an exact label.
pub fn classify(link: &Link<'_>) -> LinkRole {
    let label = link.label.to_lowercase();
    let ext = url_ext(link.url);
    let has = |words: &[&str]| words.iter().any(|w| label.contains(w));
    if has(TASK_PAGE_WORDS) {
        LinkRole::TaskPage
    } else if has(RAW_DATA_WORDS) {
        LinkRole::RawData
    } else if VIDEO_EXTS.contains(&ext.as_str()) {
        LinkRole::Video
    } else if link.is_image || IMAGE_EXTS.contains(&ext.as_str()) || has(PREVIEW_WORDS) {
        LinkRole::PreviewImage
    } else if has(VIDEO_WORDS) {
        LinkRole::Video
    } else {
        LinkRole::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(line: &str) -> Option<(LinkRole, String)> {
        let close = line.rfind(')')?;
        link_ending_at(line, close).map(|l| (classify(&l), l.url.to_string()))
    }

    #[test]
    fn classifies_the_spec_labels_and_variants() {
        assert_eq!(
            role("[预览图(示例)](https://example.com/?video-preview=2)")
                .unwrap()
                .0,
            LinkRole::PreviewImage
        );
        assert_eq!(
            role("[视频文件(示例)](https://example.com/?video-file=2)")
                .unwrap()
                .0,
            LinkRole::Video
        );
        assert_eq!(
            role(">[数据预览(示例)](https://example.com/?task-preview=2)")
                .unwrap()
                .0,
            LinkRole::TaskPage
        );
        assert_eq!(
            role("[原始数据](https://x/source/task_1)").unwrap().0,
            LinkRole::RawData
        );
        assert_eq!(
            role("[在线播放▶️](https://x/a.mp4)").unwrap().0,
            LinkRole::Video
        );
        assert_eq!(
            role("[点击下载](https://x/dl?id=3)").unwrap().0,
            LinkRole::Video
        );
        assert_eq!(
            role("[Play online▶️](https://x/v)").unwrap().0,
            LinkRole::Video
        );
        assert_eq!(
            role("![https://x/p.webp](https://x/p.webp)").unwrap().0,
            LinkRole::PreviewImage
        );
        assert_eq!(
            role("![img](https://x/p)").unwrap().0,
            LinkRole::PreviewImage
        );
    }

    #[test]
    fn refuses_non_http_and_broken_links() {
        assert!(role("[视频](javascript:alert(1))").is_none());
        assert!(role("[视频](file:///etc/passwd)").is_none());
        assert!(role("[a](https://x/1) | [b(示例)]").is_none());
        assert!(role("[视频]()").is_none());
        assert!(role("[a](https://x/1)|[b(c)").is_none());
        assert_eq!(
            link_ending_at("[v](https://x/a_(1).mp4)", 23).unwrap().url,
            "https://x/a_(1).mp4"
        );
        assert!(link_ending_at("[v](https://x/a_(1).mp4)", 18).is_none());
    }
}
