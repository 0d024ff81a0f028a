//! Building the request: the body, the headers, and the checks that must
//! pass before anything is sent.

use serde::Serialize;

use crate::base_url::BaseUrl;
use crate::conversation::{Content, Message};
use crate::error::{ErrorKind, ReelError};
use crate::reply::Failure;

/// Image types a request may carry as a data URI.
const IMAGE_DATA_PREFIXES: &[&str] = &[
    "data:image/png;base64,",
    "data:image/jpeg;base64,",
    "data:image/webp;base64,",
];

/// The JSON body of `POST /v1/chat/completions`.
#[derive(Debug, Clone, Serialize)]
pub struct ChatBody<'a> {
    pub model: &'a str,
    pub messages: &'a [Message],
    pub stream: bool,
}

/// A key as the `Authorization` header wants it. Refuses an empty key and
/// one with a newline or other control character (a pasted key often has one).
pub fn authorization(api_key: &str) -> Result<String, ReelError> {
    let key = api_key.trim();
    if key.is_empty() {
        return Err(ReelError::new(ErrorKind::Auth, "no API key is set"));
    }
    if key
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() && !key.starts_with("Bearer "))
    {
        return Err(ReelError::new(
            ErrorKind::BadRequest,
            "the API key contains a line break or space",
        ));
    }
    Ok(if key.starts_with("Bearer ") {
        key.to_string()
    } else {
        format!("Bearer {key}")
    })
}

/// Everything checked and ready to send.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub url: String,
    pub base: BaseUrl,
    pub authorization: String,
    pub body: Vec<u8>,
}

/// Check the inputs and build the request, before any network use.
pub fn prepare(
    base_url: &str,
    api_key: &str,
    model: &str,
    messages: &[Message],
) -> Result<PreparedRequest, ReelError> {
    let base = BaseUrl::parse(base_url)?;
    let authorization = authorization(api_key)?;
    let model = model.trim();
    if model.is_empty() {
        return Err(ReelError::new(ErrorKind::BadRequest, "no model is chosen"));
    }
    if messages
        .last()
        .is_none_or(|m| m.content.text().trim().is_empty())
    {
        return Err(ReelError::new(ErrorKind::BadRequest, "the prompt is empty"));
    }
    check_images(messages)?;
    let body = serde_json::to_vec(&ChatBody {
        model,
        messages,
        stream: true,
    })
    .map_err(|e| ReelError::new(ErrorKind::BadRequest, e.to_string()))?;
    Ok(PreparedRequest {
        url: base.chat_completions(),
        base,
        authorization,
        body,
    })
}

/// Every image part must be a PNG/JPEG/WebP data URI (the app never sends
/// a link the server would have to fetch).
fn check_images(messages: &[Message]) -> Result<(), ReelError> {
    let bad = messages
        .iter()
        .flat_map(|m| m.content.images())
        .any(|url| !IMAGE_DATA_PREFIXES.iter().any(|p| url.starts_with(p)) || url.len() < 30);
    if bad {
        return Err(ReelError::new(
            ErrorKind::BadRequest,
            "an attached image is not a PNG, JPEG or WebP data URI",
        ));
    }
    Ok(())
}

/// Whether any message carries an array content (text + image parts).
pub fn has_parts(messages: &[Message]) -> bool {
    messages
        .iter()
        .any(|m| matches!(m.content, Content::Parts(_)))
}

/// Words in a 4xx answer that say the server refused the array content or
/// the image itself (e.g. "content must be a string", "invalid type: sequence",
/// "image_url is not supported").
const REJECTION_WORDS: &[&str] = &[
    "array",
    "sequence",
    "content",
    "image",
    "multimodal",
    "vision",
    "must be a string",
    "invalid type",
    "payload too large",
    "too large",
    "图片",
    "图像",
    "数组",
    "不支持",
];

/// A request that carried an image and was refused with a 4xx naming the
/// content, the array or the image (or a 413: the body was too large) is
/// reported as [`ErrorKind::ImageRejected`], keeping the server's words.
/// Anything else (auth, quota, policy, rate limits …) is left as it is.
pub fn explain_image_rejection(failure: &mut Failure, messages: &[Message]) {
    if !has_parts(messages) {
        return;
    }
    let status = failure.status.unwrap_or(0);
    let lower = failure.message.to_lowercase();
    let refused = match failure.kind {
        ErrorKind::BadRequest => status == 413 || REJECTION_WORDS.iter().any(|w| lower.contains(w)),
        _ => false,
    };
    if refused {
        failure.kind = ErrorKind::ImageRejected;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_auth() {
        let m = [Message::user("生成一段高清的,牛马跳舞的视频")];
        let p = prepare("https://new.22codex.xyz/", " sk-1 ", "sora-2", &m).unwrap();
        assert_eq!(p.url, "https://new.22codex.xyz/v1/chat/completions");
        assert_eq!(p.authorization, "Bearer sk-1");
        let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"model":"sora-2","messages":[{"role":"user","content":"生成一段高清的,牛马跳舞的视频"}],"stream":true})
        );
        assert_eq!(
            prepare("https://h", "", "sora-2", &m).unwrap_err().kind,
            ErrorKind::Auth
        );
        assert_eq!(
            prepare("https://h", "sk-1\nx", "sora-2", &m)
                .unwrap_err()
                .kind,
            ErrorKind::BadRequest
        );
        assert_eq!(
            prepare("https://h", "k", "sora-2", &[Message::user("  ")])
                .unwrap_err()
                .kind,
            ErrorKind::BadRequest
        );
        assert_eq!(
            prepare("ftp://h", "k", "sora-2", &m).unwrap_err().kind,
            ErrorKind::BadRequest
        );
        assert_eq!(authorization("Bearer abc").unwrap(), "Bearer abc");
    }

    fn png_uri() -> String {
        format!("data:image/png;base64,{}", "A".repeat(40))
    }

    #[test]
    fn an_image_goes_as_a_content_array() {
        let m = [Message::user_with_image("让图里的猫跳舞", png_uri())];
        let p = prepare("https://h", "k", "sora-2", &m).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
        assert_eq!(v["messages"][0]["content"][0]["type"], "text");
        assert_eq!(v["messages"][0]["content"][0]["text"], "让图里的猫跳舞");
        assert_eq!(v["messages"][0]["content"][1]["type"], "image_url");
        assert_eq!(
            v["messages"][0]["content"][1]["image_url"]["url"],
            png_uri().as_str()
        );
        // A link or another type is refused before sending.
        for url in [
            "https://example.com/cat.png",
            "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        ] {
            let m = [Message::user_with_image("x", url)];
            assert_eq!(
                prepare("https://h", "k", "sora-2", &m).unwrap_err().kind,
                ErrorKind::BadRequest
            );
        }
        // The text is still required.
        let m = [Message::user_with_image(" ", png_uri())];
        assert!(prepare("https://h", "k", "sora-2", &m).is_err());
    }

    #[test]
    fn a_refused_array_becomes_image_rejected() {
        let with_image = [Message::user_with_image("x", png_uri())];
        let text_only = [Message::user("x")];
        let refusal = crate::classify::classify_http(
            400,
            None,
            Some("application/json"),
            r#"{"error":{"message":"messages[0].content must be a string: this model takes plain text, not an array of content parts","type":"invalid_request_error","code":""}}"#,
        );
        let mut f = Failure::from(refusal.clone());
        explain_image_rejection(&mut f, &with_image);
        assert_eq!(f.kind, ErrorKind::ImageRejected);
        assert!(
            f.message.contains("must be a string"),
            "keeps the server's words"
        );
        // The same answer to a text-only request stays a bad request.
        let mut f = Failure::from(refusal);
        explain_image_rejection(&mut f, &text_only);
        assert_eq!(f.kind, ErrorKind::BadRequest);
        // 413 with an image: too large for the server.
        let mut f = Failure::from(crate::classify::classify_http(413, None, None, ""));
        explain_image_rejection(&mut f, &with_image);
        assert_eq!(f.kind, ErrorKind::ImageRejected);
        // Auth, quota, policy are not about the image.
        for (status, body) in [
            (
                401,
                r#"{"error":{"message":"无效的令牌 image","type":"new_api_error"}}"#,
            ),
            (
                400,
                r#"{"error":{"message":"image blocked","code":"sentinel_block"}}"#,
            ),
        ] {
            let e = crate::classify::classify_http(status, None, None, body);
            let kind = e.kind;
            let mut f = Failure::from(e);
            explain_image_rejection(&mut f, &with_image);
            assert_eq!(f.kind, kind);
        }
    }
}
