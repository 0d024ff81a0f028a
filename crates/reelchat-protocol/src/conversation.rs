//! Messages, and the conversation/version model: each successful reply is a
//! version; a follow-up modifies a version by re-sending the history that
//! leads to it, assistant text byte for byte.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One message as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Message {
            role: Role::Assistant,
            content: content.into(),
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

    /// The history to send before a new prompt that modifies `parent`: the
    /// chain of turns leading to it (cut right after its reply), oldest
    /// first, each as user + assistant. Only turns that made a version are in
    /// a chain, so a failed attempt is never re-sent.
    pub fn history_for(&self, parent: Option<&str>) -> Vec<Message> {
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
        chain
            .into_iter()
            .rev()
            .flat_map(|t| {
                [
                    Message::user(t.user.clone()),
                    Message::assistant(t.assistant.clone()),
                ]
            })
            .collect()
    }

    /// The whole request for a new prompt modifying `parent`.
    pub fn messages_for(&self, parent: Option<&str>, prompt: &str) -> Vec<Message> {
        let mut m = self.history_for(parent);
        m.push(Message::user(prompt));
        m
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
        assert_eq!(h[1].content, "a-1\r\n> sid: s_1 ");
        let h = th.history_for(Some("4"));
        let users: Vec<_> = h
            .iter()
            .filter(|m| m.role == Role::User)
            .map(|m| m.content.as_str())
            .collect();
        assert_eq!(users, ["u-1", "u-2", "u-4"]);
        assert_eq!(th.latest_version().unwrap().id, "5");
        assert_eq!(th.next_version(), 5);
        assert!(th.history_for(None).is_empty());
    }
}
