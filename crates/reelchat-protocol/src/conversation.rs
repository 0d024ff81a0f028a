//! Messages, and the conversation/version model: each successful reply is a
//! version; a follow-up modifies a version by re-sending the history that
//! leads to it, assistant text byte for byte (and a user image byte for
//! byte too: the same data URI every time).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Role {
    System,
    User,
    Assistant,
}

/// A message's content: a plain string (what every relay takes), or the
/// array of parts image-to-video relays accept:
/// `[{"type":"text","text":…},{"type":"image_url","image_url":{"url":…}}]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Content {
    Text(String),
    Parts(Vec<Part>),
}

/// One part of an array content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Part {
    Text { text: String },
    ImageUrl { image_url: ImageUrl },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImageUrl {
    /// A `data:image/…;base64,…` URI (or a link, if a caller gives one).
    pub url: String,
}

impl Content {
    /// The text: the string, or the text parts joined by newlines.
    pub fn text(&self) -> String {
        match self {
            Content::Text(s) => s.clone(),
            Content::Parts(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    Part::Text { text } => Some(text.as_str()),
                    Part::ImageUrl { .. } => None,
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The image URLs, in order.
    pub fn images(&self) -> Vec<&str> {
        match self {
            Content::Text(_) => Vec::new(),
            Content::Parts(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    Part::ImageUrl { image_url } => Some(image_url.url.as_str()),
                    Part::Text { .. } => None,
                })
                .collect(),
        }
    }

    /// Whether this is an array of parts (which plain-text servers refuse).
    pub fn is_parts(&self) -> bool {
        matches!(self, Content::Parts(_))
    }
}

impl From<String> for Content {
    fn from(s: String) -> Self {
        Content::Text(s)
    }
}

impl From<&str> for Content {
    fn from(s: &str) -> Self {
        Content::Text(s.to_string())
    }
}

/// One message as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Message {
    pub role: Role,
    pub content: Content,
}

impl Message {
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: Role::User,
            content: Content::Text(content.into()),
        }
    }

    /// A user message with an image: the text part first, then the image,
    /// as image-to-video relays document it.
    pub fn user_with_image(text: impl Into<String>, image_url: impl Into<String>) -> Self {
        Message {
            role: Role::User,
            content: Content::Parts(vec![
                Part::Text { text: text.into() },
                Part::ImageUrl {
                    image_url: ImageUrl {
                        url: image_url.into(),
                    },
                },
            ]),
        }
    }

    /// A user message with an image when there is one, plain text otherwise.
    pub fn user_maybe_image(text: impl Into<String>, image_url: Option<&str>) -> Self {
        match image_url {
            Some(url) => Message::user_with_image(text, url),
            None => Message::user(text),
        }
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        Message {
            role: Role::Assistant,
            content: Content::Text(content.into()),
        }
    }
}

/// One exchange: the user's message and the reply to it. `parent` is the
/// turn whose video this one modifies (None: a fresh generation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Turn {
    pub id: String,
    pub parent: Option<String>,
    pub user: String,
    /// The image sent with the user's text, as the data URI that was sent
    /// (None: a text-only message). Re-sent identically in later requests.
    #[serde(default)]
    pub image: Option<String>,
    /// The assistant text exactly as received (may be partial while streaming).
    pub assistant: String,
    /// 1, 2, … once the reply succeeded.
    pub version: Option<u32>,
}

/// The turns of a conversation, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Thread {
    pub turns: Vec<Turn>,
}

impl Thread {
    pub fn turn(&self, id: &str) -> Option<&Turn> {
        self.turns.iter().find(|t| t.id == id)
    }

    /// The turn that made version `n`.
    pub fn version(&self, n: u32) -> Option<&Turn> {
        self.turns.iter().find(|t| t.version == Some(n))
    }

    /// The latest version's turn: what a plain follow-up modifies.
    pub fn latest_version(&self) -> Option<&Turn> {
        self.turns
            .iter()
            .filter(|t| t.version.is_some())
            .max_by_key(|t| t.version)
    }

    /// The next version number.
    pub fn next_version(&self) -> u32 {
        self.turns
            .iter()
            .filter_map(|t| t.version)
            .max()
            .unwrap_or(0)
            + 1
    }

    /// The turns leading to `parent`, oldest first, `parent` last.
    fn chain(&self, parent: Option<&str>) -> Vec<&Turn> {
        let mut chain = Vec::new();
        let mut cur = parent.and_then(|id| self.turn(id));
        let mut guard = self.turns.len() + 1;
        while let Some(t) = cur {
            if guard == 0 {
                break; // a cycle in a corrupted file must not hang us
            }
            guard -= 1;
            chain.push(t);
            cur = t.parent.as_deref().and_then(|id| self.turn(id));
        }
        chain.reverse();
        chain
    }

    /// The history to send before a new prompt that modifies `parent`: the
    /// chain of turns leading to it (cut right after its reply), oldest
    /// first, each as user + assistant. Only turns that made a version are in
    /// a chain, so a failed attempt is never re-sent. A user message that
    /// carried an image is re-sent with the same image.
    pub fn history_for(&self, parent: Option<&str>) -> Vec<Message> {
        self.chain(parent)
            .into_iter()
            .flat_map(|t| {
                [
                    Message::user_maybe_image(t.user.clone(), t.image.as_deref()),
                    Message::assistant(t.assistant.clone()),
                ]
            })
            .collect()
    }

    /// The whole request for a new prompt modifying `parent`.
    pub fn messages_for(&self, parent: Option<&str>, prompt: &str) -> Vec<Message> {
        self.messages_with_image(parent, prompt, None)
    }

    /// The whole request for a new prompt (with an image, as a data URI)
    /// modifying `parent`.
    pub fn messages_with_image(
        &self,
        parent: Option<&str>,
        prompt: &str,
        image: Option<&str>,
    ) -> Vec<Message> {
        let mut m = self.history_for(parent);
        m.push(Message::user_maybe_image(prompt, image));
        m
    }

    /// The ids of the turns `history_for(parent)` re-sends, oldest first.
    pub fn chain_ids(&self, parent: Option<&str>) -> Vec<String> {
        self.chain(parent)
            .into_iter()
            .map(|t| t.id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(id: &str, parent: Option<&str>, version: Option<u32>) -> Turn {
        Turn {
            id: id.into(),
            parent: parent.map(Into::into),
            user: format!("u-{id}"),
            image: None,
            assistant: format!("a-{id}\r\n> sid: s_1 "),
            version,
        }
    }

    #[test]
    fn history_is_the_chain_cut_after_the_version() {
        let th = Thread {
            turns: vec![
                turn("1", None, Some(1)),
                turn("2", Some("1"), Some(2)),
                turn("3", Some("2"), None), // failed attempt
                turn("4", Some("2"), Some(3)),
                turn("5", Some("1"), Some(4)), // branch: continue from v1
            ],
        };
        let h = th.messages_for(th.version(1).map(|t| t.id.as_str()), "change");
        assert_eq!(h.len(), 3);
        assert_eq!(h[1].content.text(), "a-1\r\n> sid: s_1 ");
        let h = th.history_for(Some("4"));
        let users: Vec<_> = h
            .iter()
            .filter(|m| m.role == Role::User)
            .map(|m| m.content.text())
            .collect();
        assert_eq!(users, ["u-1", "u-2", "u-4"]);
        assert_eq!(th.latest_version().unwrap().id, "5");
        assert_eq!(th.next_version(), 5);
        assert!(th.history_for(None).is_empty());
    }

    #[test]
    fn an_image_is_sent_as_parts_and_resent_identically() {
        let uri = "data:image/png;base64,iVBORw0KGgo=";
        let mut th = Thread {
            turns: vec![turn("1", None, Some(1))],
        };
        th.turns[0].image = Some(uri.into());
        let first = Message::user_with_image("u-1", uri);
        assert_eq!(
            serde_json::to_value(&first).unwrap(),
            serde_json::json!({"role":"user","content":[
                {"type":"text","text":"u-1"},
                {"type":"image_url","image_url":{"url":uri}}
            ]})
        );
        // The follow-up re-sends the first user message exactly as sent.
        let h = th.messages_with_image(Some("1"), "change", None);
        assert_eq!(h[0], first);
        assert_eq!(h[2], Message::user("change"));
        assert_eq!(
            serde_json::to_vec(&h[0]).unwrap(),
            serde_json::to_vec(&first).unwrap()
        );
        assert_eq!(h[0].content.text(), "u-1");
        assert_eq!(h[0].content.images(), [uri]);
        assert!(h[0].content.is_parts() && !h[2].content.is_parts());
        assert_eq!(th.chain_ids(Some("1")), ["1"]);
    }

    #[test]
    fn plain_and_array_contents_read_back() {
        let m: Message = serde_json::from_str(r#"{"role":"user","content":"hi"}"#).unwrap();
        assert_eq!(m, Message::user("hi"));
        let m: Message = serde_json::from_str(
            r#"{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:x"}}]}"#,
        )
        .unwrap();
        assert_eq!(m, Message::user_with_image("a", "data:x"));
        // An old stored turn has no image field.
        let t: Turn = serde_json::from_str(
            r#"{"id":"1","parent":null,"user":"u","assistant":"a","version":1}"#,
        )
        .unwrap();
        assert_eq!(t.image, None);
    }
}
