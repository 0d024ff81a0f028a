//! Strict request checks: the key, then the JSON body of a chat request.

use serde_json::Value;

use crate::errors::ApiError;
use crate::images::{array_refused, parse_parts, REJECT_ARRAY};

/// The models the relay serves.
pub const MODELS: &[&str] = &["sora-2", "sora-2-pro", "sora-2-hd"];

/// One `{role, content}` of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub role: String,
    /// The string content, or the text parts of an array content.
    pub content: String,
    /// The image data URIs of an array content, exactly as sent.
    pub images: Vec<String>,
    /// The content was an array of parts.
    pub parts: bool,
}

/// A chat request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
}

impl ChatRequest {
    /// The last user message: the prompt of this turn (validation guarantees it exists).
    pub fn prompt(&self) -> &str {
        self.messages
            .iter()
            .rev()
            .find(|m| m.role == "user")
            .map_or("", |m| m.content.as_str())
    }

    /// The content of the last assistant message, if the history has one.
    pub fn last_assistant(&self) -> Option<&str> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.role == "assistant")
            .map(|m| m.content.as_str())
    }
}

/// Whether an `Authorization` header value carries an acceptable key.
/// `expected: None` accepts any non-empty key; `Bearer ` is optional.
pub fn authorized(header: Option<&str>, expected: Option<&str>) -> bool {
    let Some(raw) = header else {
        return false;
    };
    let raw = raw.trim();
    let key = match (raw.get(..6), raw.get(6..)) {
        (Some(scheme), Some(rest))
            if scheme.eq_ignore_ascii_case("bearer")
                && (rest.is_empty() || rest.starts_with(char::is_whitespace)) =>
        {
            rest.trim()
        }
        _ => raw,
    };
    match expected {
        _ if key.is_empty() => false,
        None => true,
        Some(expected) => key == expected,
    }
}

fn message_at(index: usize, value: &Value) -> Result<Message, ApiError> {
    let Some(object) = value.as_object() else {
        return Err(ApiError::bad_request(format!(
            "messages[{index}] must be an object with `role` and `content`"
        )));
    };
    let role = match object.get("role") {
        Some(Value::String(role)) if ["system", "user", "assistant"].contains(&role.as_str()) => {
            role.clone()
        }
        Some(Value::String(role)) => {
            return Err(ApiError::bad_request(format!(
                "messages[{index}].role `{role}` is not one of system, user, assistant"
            )))
        }
        _ => {
            return Err(ApiError::bad_request(format!(
                "messages[{index}].role is required and must be a string"
            )))
        }
    };
    let (content, images, parts) = match object.get("content") {
        Some(Value::String(content)) => (content.clone(), Vec::new(), false),
        Some(Value::Array(items)) if role == "user" => {
            let parts = parse_parts(index, items)?;
            (parts.text, parts.images, true)
        }
        Some(Value::Array(_)) => {
            return Err(ApiError::bad_request(format!(
                "messages[{index}].content must be a string: only user messages may carry content parts"
            )))
        }
        _ => {
            return Err(ApiError::bad_request(format!(
                "messages[{index}].content is required and must be a string"
            )))
        }
    };
    Ok(Message {
        role,
        content,
        images,
        parts,
    })
}

/// Parses and checks a chat request body.
pub fn parse_chat_request(body: &[u8]) -> Result<ChatRequest, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(ApiError::bad_request(
            "the request body must be a JSON object",
        ));
    };
    let Some(model) = object.get("model").and_then(Value::as_str) else {
        return Err(ApiError::bad_request(
            "`model` is required and must be a string",
        ));
    };
    let messages = match object.get("messages") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| message_at(i, item))
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::Array(_)) => {
            return Err(ApiError::bad_request("`messages` must not be empty"));
        }
        _ => {
            return Err(ApiError::bad_request(
                "`messages` is required and must be an array",
            ))
        }
    };
    match object.get("stream") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) | None => {
            return Err(ApiError::bad_request(
                "`stream` must be true: this model only answers as a stream",
            ))
        }
        Some(_) => return Err(ApiError::bad_request("`stream` must be a boolean")),
    }
    match messages.last() {
        Some(last) if last.role == "user" && !last.content.trim().is_empty() => {}
        Some(last) if last.role == "user" => {
            return Err(ApiError::bad_request("the last user message is empty"));
        }
        _ => {
            return Err(ApiError::bad_request(
                "the last message must be the user's prompt (role `user`)",
            ))
        }
    }
    // `[reject-array]`: answer like a relay that takes plain text only.
    if let Some(index) = messages.iter().position(|m| m.parts) {
        let prompt = messages.last().map_or("", |m| m.content.as_str());
        if prompt.to_lowercase().contains(REJECT_ARRAY) {
            return Err(array_refused(index));
        }
    }
    if !MODELS.contains(&model) {
        return Err(ApiError::model_not_found(model));
    }
    Ok(ChatRequest {
        model: model.to_string(),
        messages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn status(body: &str) -> StatusCode {
        match parse_chat_request(body.as_bytes()) {
            Ok(_) => StatusCode::OK,
            Err(e) => e.status(),
        }
    }

    #[test]
    fn keys() {
        assert!(authorized(Some("Bearer sk-1"), None));
        assert!(authorized(Some("sk-1"), Some("sk-1")));
        assert!(authorized(Some("bearer sk-1"), Some("sk-1")));
        assert!(!authorized(Some("Bearer sk-2"), Some("sk-1")));
        assert!(!authorized(Some("Bearer "), None));
        assert!(!authorized(None, None));
    }

    #[test]
    fn bodies() {
        let ok =
            r#"{"model":"sora-2","messages":[{"role":"user","content":"a cat"}],"stream":true}"#;
        assert_eq!(status(ok), StatusCode::OK);
        assert_eq!(status("{"), StatusCode::BAD_REQUEST);
        // Array contents are taken (text + image parts), unless the prompt
        // asks for a text-only relay.
        assert_eq!(
            status(
                r#"{"model":"sora-2","messages":[{"role":"user","content":[{"type":"text","text":"a"}]}],"stream":true}"#
            ),
            StatusCode::OK
        );
        assert_eq!(
            status(
                r#"{"model":"sora-2","messages":[{"role":"user","content":[{"type":"text","text":"a [reject-array]"}]}],"stream":true}"#
            ),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(
                r#"{"model":"sora-2","messages":[{"role":"assistant","content":[{"type":"text","text":"a"}]},{"role":"user","content":"b"}],"stream":true}"#
            ),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(
                r#"{"model":"sora-2","messages":[{"role":"user","content":"a"}],"stream":false}"#
            ),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(r#"{"model":"sora-2","messages":[{"role":"user","content":"a"}]}"#),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(r#"{"model":"sora-2","messages":[],"stream":true}"#),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(
                r#"{"model":"sora-3","messages":[{"role":"user","content":"a"}],"stream":true}"#
            ),
            StatusCode::NOT_FOUND
        );
    }
}
