//! The embedded clips, which sid shows which clip, and byte-range serving.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::lock;

/// One small real H.264 clip and its JPEG preview.
#[derive(Debug)]
pub struct Clip {
    pub mp4: &'static [u8],
    pub jpg: &'static [u8],
}

/// The clips, rotated through by version (a remix shows the next one).
pub static CLIPS: [Clip; 3] = [
    Clip {
        mp4: include_bytes!("../media/clip_a.mp4"),
        jpg: include_bytes!("../media/clip_a.jpg"),
    },
    Clip {
        mp4: include_bytes!("../media/clip_b.mp4"),
        jpg: include_bytes!("../media/clip_b.jpg"),
    },
    Clip {
        mp4: include_bytes!("../media/clip_c.mp4"),
        jpg: include_bytes!("../media/clip_c.jpg"),
    },
];

/// The clip of a first generation: a stable function of the prompt (FNV-1a).
pub fn clip_for_prompt(prompt: &str) -> usize {
    let hash = prompt.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % CLIPS.len() as u64) as usize
}

/// The clip of a remix: the one after its source's.
pub fn clip_after(source: usize) -> usize {
    (source + 1) % CLIPS.len()
}

/// Which clip each result sid shows.
#[derive(Debug, Default)]
pub struct MediaIndex {
    by_sid: Mutex<HashMap<String, usize>>,
}

impl MediaIndex {
    pub fn register(&self, sid: &str, clip: usize) {
        lock(&self.by_sid).insert(sid.to_string(), clip % CLIPS.len());
    }

    pub fn clip_of(&self, sid: &str) -> Option<usize> {
        lock(&self.by_sid).get(sid).copied()
    }
}

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// No usable range (absent, malformed, several ranges): send everything.
    Full,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// A well-formed range outside the body.
    Unsatisfiable,
}

/// Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range.
pub fn parse_range(header: Option<&str>, len: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        return match last.parse::<u64>() {
            Ok(0) => RangeRequest::Unsatisfiable,
            Ok(_) if len == 0 => RangeRequest::Unsatisfiable,
            Ok(n) => RangeRequest::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            Err(_) => RangeRequest::Full,
        };
    }
    let Ok(start) = first.parse::<u64>() else {
        return RangeRequest::Full;
    };
    let end = if last.is_empty() {
        u64::MAX
    } else {
        match last.parse::<u64>() {
            Ok(end) if end >= start => end,
            _ => return RangeRequest::Full,
        }
    };
    if start >= len {
        return RangeRequest::Unsatisfiable;
    }
    RangeRequest::Part {
        start,
        end: end.min(len - 1),
    }
}

/// Serves embedded bytes with `Accept-Ranges`, answering a range with 206 or 416.
pub fn serve_bytes(
    bytes: &'static [u8],
    content_type: &'static str,
    range: Option<&str>,
) -> Response {
    let len = bytes.len() as u64;
    let (status, body, content_range) = match parse_range(range, len) {
        RangeRequest::Full => (StatusCode::OK, bytes, None),
        RangeRequest::Part { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            &bytes[start as usize..=end as usize],
            Some(format!("bytes {start}-{end}/{len}")),
        ),
        RangeRequest::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            &[][..],
            Some(format!("bytes */{len}")),
        ),
    };
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_RANGE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use RangeRequest::*;
        assert_eq!(parse_range(None, 10), Full);
        assert_eq!(
            parse_range(Some("bytes=0-3"), 10),
            Part { start: 0, end: 3 }
        );
        assert_eq!(parse_range(Some("bytes=4-"), 10), Part { start: 4, end: 9 });
        assert_eq!(parse_range(Some("bytes=-3"), 10), Part { start: 7, end: 9 });
        assert_eq!(
            parse_range(Some("bytes=-30"), 10),
            Part { start: 0, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=5-100"), 10),
            Part { start: 5, end: 9 }
        );
        assert_eq!(parse_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=5-2"), 10), Full);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Full);
    }

    #[test]
    fn clips_are_real_distinct_mp4s() {
        for (i, clip) in CLIPS.iter().enumerate() {
            assert_eq!(&clip.mp4[4..8], b"ftyp", "clip {i}");
            assert_eq!(&clip.jpg[..2], &[0xFF, 0xD8], "clip {i}");
        }
        assert_ne!(CLIPS[0].mp4, CLIPS[1].mp4);
        assert_ne!(CLIPS[1].mp4, CLIPS[2].mp4);
        for source in 0..CLIPS.len() {
            assert_ne!(clip_after(source), source);
        }
    }
}
