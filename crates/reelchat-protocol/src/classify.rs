//! Turning what a server answered (HTTP status, headers, body, error frames,
//! failure text) into an [`ErrorKind`] and a readable message.

use crate::error::{ErrorKind, ReelError};

/// Words that mean the content policy refused the request.
const POLICY_WORDS: &[&str] = &[
    "sentinel_block",
    "moderation_blocked",
    "moderation",
    "guardrail",
    "content_policy",
    "content policy",
    "policy_violation",
    "safety system",
    "违规",
    "审核",
    "敏感",
    "不合规",
];
const QUOTA_WORDS: &[&str] = &[
    "insufficient_user_quota",
    "insufficient_quota",
    "insufficient quota",
    "quota exceeded",
    "额度不足",
    "余额不足",
    "额度",
];
const AUTH_WORDS: &[&str] = &[
    "invalid api key",
    "invalid_api_key",
    "incorrect api key",
    "无效的令牌",
    "令牌已过期",
    "令牌",
    "unauthorized",
    "invalid token",
    "authentication",
];
const NOT_FOUND_WORDS: &[&str] = &[
    "model_not_found",
    "model not found",
    "无可用渠道",
    "does not exist",
];

fn contains_any(haystack_lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| haystack_lower.contains(w))
}

/// The kind implied by words in a message, if any. Order matters: a
/// moderation refusal often also says "invalid request".
pub fn kind_from_words(text: &str) -> Option<ErrorKind> {
    let lower = text.to_lowercase();
    if contains_any(&lower, POLICY_WORDS) {
        Some(ErrorKind::Policy)
    } else if contains_any(&lower, QUOTA_WORDS) {
        Some(ErrorKind::Quota)
    } else if contains_any(&lower, AUTH_WORDS) {
        Some(ErrorKind::Auth)
    } else if contains_any(&lower, NOT_FOUND_WORDS) {
        Some(ErrorKind::NotFound)
    } else {
        None
    }
}

/// Is this body an HTML page?
pub fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(256)
        .collect::<String>()
        .to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<head")
        || head.contains("<body")
        || head.contains("<title")
}

/// An HTML page reduced to its `<title>`, or else a short text snippet.
pub fn html_summary(body: &str) -> String {
    let lower = body.to_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title"), lower.find("</title>")) {
        if let Some(gt) = lower[start..].find('>') {
            let from = start + gt + 1;
            if from <= end {
                let title = collapse_ws(&body[from..end]);
                if !title.is_empty() {
                    return title;
                }
            }
        }
    }
    snippet(&strip_tags(body), 200)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(4096));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `max` characters of `s`, whitespace collapsed.
pub fn snippet(s: &str, max: usize) -> String {
    let c = collapse_ws(s);
    if c.chars().count() > max {
        let mut t: String = c.chars().take(max).collect();
        t.push('…');
        t
    } else {
        c
    }
}

/// The message inside a JSON error body: `{"error":{"message":…}}`,
/// `{"error":"…"}`, `{"detail":"…"}`, `{"message":"…"}`, plus the error
/// code/type so that words like `sentinel_block` can be classified.
pub fn json_error_parts(v: &serde_json::Value) -> Option<(String, String)> {
    let err = v.get("error");
    let (message, code) = match err {
        Some(serde_json::Value::Object(o)) => {
            let message = o.get("message").and_then(value_text).unwrap_or_default();
            let code = ["code", "type", "param"]
                .iter()
                .filter_map(|k| o.get(*k).and_then(value_text))
                .collect::<Vec<_>>()
                .join(" ");
            (message, code)
        }
        Some(serde_json::Value::String(s)) => (s.clone(), String::new()),
        _ => {
            let message = ["detail", "message", "msg", "error_msg"]
                .iter()
                .find_map(|k| v.get(*k).and_then(value_text))?;
            let code = v.get("code").and_then(value_text).unwrap_or_default();
            (message, code)
        }
    };
    if message.is_empty() && code.is_empty() {
        None
    } else {
        Some((message, code))
    }
}

fn value_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Object(_) | serde_json::Value::Array(_) => Some(v.to_string()),
        _ => None,
    }
}

/// An error frame inside a 200 stream (`data: {"error":…}`).
pub fn classify_error_frame(v: &serde_json::Value) -> ReelError {
    let (message, code) = json_error_parts(v).unwrap_or_else(|| (v.to_string(), String::new()));
    let kind = kind_from_words(&format!("{code} {message}")).unwrap_or(ErrorKind::Server);
    ReelError::new(kind, display_message(&message, &code))
}

fn display_message(message: &str, code: &str) -> String {
    match (message.is_empty(), code.trim().is_empty()) {
        (false, _) => snippet(message, 500),
        (true, false) => code.trim().to_string(),
        (true, true) => String::new(),
    }
}

/// Classify a non-2xx HTTP answer (or a 2xx one that is not a stream).
pub fn classify_http(
    status: u16,
    retry_after: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> ReelError {
    let is_html = content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html"))
        || looks_like_html(body);
    let json: Option<serde_json::Value> =
        serde_json::from_str(body.trim_start_matches('\u{feff}').trim()).ok();
    let (message, words) = if let Some((m, c)) = json.as_ref().and_then(json_error_parts) {
        (display_message(&m, &c), format!("{c} {m}"))
    } else if is_html {
        let s = html_summary(body);
        (s.clone(), s)
    } else {
        let s = snippet(body, 300);
        (s.clone(), s)
    };
    let retry_after_secs = retry_after.and_then(|v| v.trim().parse::<u64>().ok());
    let by_words = if is_html {
        None
    } else {
        kind_from_words(&words)
    };
    let kind = match (status, by_words) {
        (_, Some(ErrorKind::Policy)) => ErrorKind::Policy,
        (_, Some(ErrorKind::Quota)) => ErrorKind::Quota,
        (401, _) => ErrorKind::Auth,
        (429, _) => ErrorKind::RateLimited,
        (403, _) => ErrorKind::Auth,
        (404, _) => ErrorKind::NotFound,
        (_, Some(ErrorKind::NotFound)) => ErrorKind::NotFound,
        (400..=499, Some(ErrorKind::Auth)) => ErrorKind::Auth,
        (400..=499, _) => ErrorKind::BadRequest,
        (520..=530, _) => ErrorKind::Gateway,
        (500..=599, _) if is_html || body.trim().is_empty() || json.is_none() => ErrorKind::Gateway,
        (500..=599, _) => ErrorKind::Server,
        // A 2xx/3xx that is not a stream: an HTML page means the base URL
        // points at a website rather than the API.
        _ => ErrorKind::Protocol,
    };
    let message = if message.is_empty() {
        format!("HTTP {status}")
    } else {
        message
    };
    ReelError {
        kind,
        message,
        status: Some(status),
        retry_after_secs: if kind == ErrorKind::RateLimited {
            retry_after_secs
        } else {
            None
        },
    }
}

/// The kind of a failure stated in the reply text.
pub fn classify_failure_text(text: &str) -> ErrorKind {
    match kind_from_words(text) {
        Some(ErrorKind::Policy) => ErrorKind::Policy,
        Some(ErrorKind::Quota) => ErrorKind::Quota,
        _ => ErrorKind::GenerationFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_bodies_seen_in_the_wild() {
        let e = classify_http(
            401,
            None,
            Some("application/json"),
            r#"{"error":{"message":"无效的令牌 (request id: 1)","type":"new_api_error","code":""}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(e.message.contains("无效的令牌"));
        let e = classify_http(
            403,
            None,
            None,
            r#"{"error":{"message":"user quota is not enough","type":"new_api_error","code":"insufficient_user_quota"}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Quota);
        let e = classify_http(429, Some("7"), None, "");
        assert_eq!(
            (e.kind, e.retry_after_secs),
            (ErrorKind::RateLimited, Some(7))
        );
        let e = classify_http(401, None, None, r#"{"detail":"Invalid API key"}"#);
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Auth, "Invalid API key")
        );
        let e = classify_http(
            400,
            None,
            None,
            r#"{"error":{"code":"sentinel_block","message":"blocked"}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Policy);
        let e = classify_http(
            400,
            None,
            None,
            r#"{"error":{"code":"moderation_blocked","message":""}}"#,
        );
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Policy, "moderation_blocked")
        );
        let e = classify_http(502, None, Some("text/html"), "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Gateway, "502 Bad Gateway")
        );
        let e = classify_http(524, None, Some("text/html"), "<!DOCTYPE html><html><head><title>example.com | 524: A timeout occurred</title></head></html>");
        assert_eq!(e.kind, ErrorKind::Gateway);
        assert!(e.message.contains("524"));
        assert_eq!(classify_http(503, None, None, "").kind, ErrorKind::Gateway);
        assert_eq!(
            classify_http(
                500,
                None,
                None,
                r#"{"error":{"message":"boom","type":"server_error"}}"#
            )
            .kind,
            ErrorKind::Server
        );
        assert_eq!(classify_http(404, None, None, "").kind, ErrorKind::NotFound);
        assert_eq!(classify_http(503, None, None, r#"{"error":{"message":"当前分组 default 下对于模型 sora-3 无可用渠道","type":"new_api_error"}}"#).kind, ErrorKind::NotFound);
        assert_eq!(
            classify_http(422, None, None, r#"{"error":{"message":"bad"}}"#).kind,
            ErrorKind::BadRequest
        );
        assert_eq!(
            classify_http(
                200,
                None,
                Some("text/html"),
                "<html><title>Console</title></html>"
            )
            .kind,
            ErrorKind::Protocol
        );
    }

    #[test]
    fn error_frames_and_failure_text() {
        let v = serde_json::json!({"error":{"message":"upstream error","type":"server_error"}});
        assert_eq!(classify_error_frame(&v).kind, ErrorKind::Server);
        let v = serde_json::json!({"error":{"message":"Your request was rejected by the safety system","type":"invalid_request_error"}});
        assert_eq!(classify_error_frame(&v).kind, ErrorKind::Policy);
        assert_eq!(classify_failure_text("内容违规"), ErrorKind::Policy);
        assert_eq!(
            classify_failure_text("upstream timeout"),
            ErrorKind::GenerationFailed
        );
    }

    #[test]
    fn every_kind_has_both_texts() {
        for k in ErrorKind::ALL {
            assert_ne!(k.user_text("zh-CN"), k.user_text("en"));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.as_str().into())
            );
        }
    }
}
