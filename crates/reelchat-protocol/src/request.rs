//! Building the request: the body, the headers, and the checks that must
//! pass before anything is sent.

use serde::Serialize;

use crate::base_url::BaseUrl;
use crate::conversation::Message;
use crate::error::{ErrorKind, ReelError};

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
    if messages.last().is_none_or(|m| m.content.trim().is_empty()) {
        return Err(ReelError::new(ErrorKind::BadRequest, "the prompt is empty"));
    }
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
}
