//! The wire form of a reply: `data: <compact chat.completion.chunk JSON>\n\n` events.

use serde::Serialize;

/// Writes the events of one completion (one id, one `created`, one model).
#[derive(Debug, Clone)]
pub struct ChunkWriter {
    pub id: String,
    pub created: u64,
    pub model: String,
}

#[derive(Serialize)]
struct Chunk<'a> {
    id: &'a str,
    object: &'static str,
    created: u64,
    model: &'a str,
    choices: [Choice<'a>; 1],
}

#[derive(Serialize)]
struct Choice<'a> {
    index: u32,
    delta: Delta<'a>,
    finish_reason: Option<&'static str>,
}

#[derive(Serialize)]
struct Delta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
}

/// An SSE event carrying `data`.
pub fn event(data: &str) -> String {
    format!("data: {data}\n\n")
}

/// The stream's end marker.
pub const DONE: &str = "data: [DONE]\n\n";

impl ChunkWriter {
    fn chunk(&self, delta: Delta<'_>, finish_reason: Option<&'static str>) -> String {
        let chunk = Chunk {
            id: &self.id,
            object: "chat.completion.chunk",
            created: self.created,
            model: &self.model,
            choices: [Choice {
                index: 0,
                delta,
                finish_reason,
            }],
        };
        event(&serde_json::to_string(&chunk).unwrap_or_default())
    }

    /// The first event: `delta: {"role":"assistant","content":""}`.
    pub fn role(&self) -> String {
        self.chunk(
            Delta {
                role: Some("assistant"),
                content: Some(""),
            },
            None,
        )
    }

    /// `delta: {"content": text}`.
    pub fn content(&self, text: &str) -> String {
        self.chunk(
            Delta {
                role: None,
                content: Some(text),
            },
            None,
        )
    }

    /// `delta: {}`, optionally with `finish_reason: "stop"`.
    pub fn empty(&self, finish: bool) -> String {
        self.chunk(
            Delta {
                role: None,
                content: None,
            },
            finish.then_some("stop"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_look_like_the_api_page() {
        let w = ChunkWriter {
            id: "chatcmpl-x".into(),
            created: 1760338775,
            model: "sora-2".into(),
        };
        assert_eq!(
            w.role(),
            "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1760338775,\"model\":\"sora-2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
        );
        assert!(w.content("牛").contains("\"delta\":{\"content\":\"牛\"}"));
        assert!(w
            .empty(true)
            .contains("\"delta\":{},\"finish_reason\":\"stop\""));
    }
}
