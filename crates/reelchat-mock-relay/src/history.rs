//! Replies the relay has sent, so a follow-up turn can be checked byte for byte,
//! and the search for the source video's sid in the history.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use crate::errors::ApiError;
use crate::ids::is_sid;
use crate::lock;
use crate::validate::ChatRequest;

/// Every complete reply the relay streamed, by content hash.
#[derive(Debug, Default)]
pub struct ReplyStore {
    sent: Mutex<HashMap<u64, Vec<String>>>,
}

fn hash(content: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    hasher.finish()
}

impl ReplyStore {
    /// Remembers a reply the relay sent in full.
    pub fn remember(&self, content: String) {
        let mut sent = lock(&self.sent);
        let same_hash = sent.entry(hash(&content)).or_default();
        if !same_hash.contains(&content) {
            same_hash.push(content);
        }
    }

    /// Whether `content` is byte-identical to a reply the relay sent.
    pub fn was_sent(&self, content: &str) -> bool {
        lock(&self.sent)
            .get(&hash(content))
            .is_some_and(|replies| replies.iter().any(|r| r == content))
    }
}

/// The last `sid: s_<32 hex>` in a reply (the `> sid:` line; the json block's
/// `"sid": "s_…"` has quotes and never matches).
pub fn last_sid(text: &str) -> Option<&str> {
    text.match_indices("sid: ")
        .filter_map(|(at, m)| {
            let rest = &text[at + m.len()..];
            let rest = rest.strip_prefix('`').unwrap_or(rest);
            rest.get(..34).filter(|candidate| is_sid(candidate))
        })
        .last()
}

/// For a follow-up turn, the source sid found in the last assistant message; `None` for a
/// first turn. Fails when that message holds no sid or is not a reply this relay sent.
pub fn source_sid(request: &ChatRequest, replies: &ReplyStore) -> Result<Option<String>, ApiError> {
    let Some(previous) = request.last_assistant() else {
        return Ok(None);
    };
    let Some(sid) = last_sid(previous) else {
        return Err(ApiError::bad_request(
            "the last assistant message holds no `sid: s_…` line: there is no video to modify",
        ));
    };
    if !replies.was_sent(previous) {
        return Err(ApiError::bad_request(
            "history does not match a reply from this server",
        ));
    }
    Ok(Some(sid.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sid_line_not_the_plan_sid() {
        let text = "```json\n{\n  \"sid\": \"s_68ec8accd80c8191ae1fc957af78caaa\"\n}\n```\n> 生成完成 ✅\n> sid: s_68eca3f141808191b1fd30fea1b731bd\n\n[视频文件](x)";
        assert_eq!(last_sid(text), Some("s_68eca3f141808191b1fd30fea1b731bd"));
        assert_eq!(last_sid("> sid: s_123"), None);
    }

    #[test]
    fn remembers_exact_bytes() {
        let store = ReplyStore::default();
        store.remember("a\nsid: s_68eca3f141808191b1fd30fea1b731bd".into());
        assert!(store.was_sent("a\nsid: s_68eca3f141808191b1fd30fea1b731bd"));
        assert!(!store.was_sent("a\r\nsid: s_68eca3f141808191b1fd30fea1b731bd"));
    }
}
