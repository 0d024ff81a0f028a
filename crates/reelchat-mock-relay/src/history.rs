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

/// Every complete reply the relay streamed, by content hash, and every
/// image a user message carried (so a follow-up must re-send it byte for byte).
#[derive(Debug, Default)]
pub struct ReplyStore {
    sent: Mutex<HashMap<u64, Vec<String>>>,
    images: Mutex<HashMap<u64, Vec<String>>>,
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

    /// Remembers an image (data URI) a user message carried.
    pub fn remember_image(&self, uri: &str) {
        let mut images = lock(&self.images);
        let same_hash = images.entry(hash(uri)).or_default();
        if !same_hash.iter().any(|u| u == uri) {
            same_hash.push(uri.to_string());
        }
    }

    /// Whether `uri` is byte-identical to an image the relay received before.
    pub fn image_seen(&self, uri: &str) -> bool {
        lock(&self.images)
            .get(&hash(uri))
            .is_some_and(|images| images.iter().any(|u| u == uri))
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
    check_history_images(request, replies)?;
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

/// An image in an earlier user message must be one this relay received,
/// byte for byte (a client that re-encodes the image for each request, or
/// drops it, changes the history). The last message's images are remembered.
fn check_history_images(request: &ChatRequest, replies: &ReplyStore) -> Result<(), ApiError> {
    let Some((last, earlier)) = request.messages.split_last() else {
        return Ok(());
    };
    for (i, m) in earlier.iter().enumerate() {
        if m.images.iter().any(|uri| !replies.image_seen(uri)) {
            return Err(ApiError::bad_request(format!(
                "history does not match: the image in messages[{i}] is not the one this server received"
            )));
        }
    }
    for uri in &last.images {
        replies.remember_image(uri);
    }
    Ok(())
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

    #[test]
    fn history_images_must_be_ones_received() {
        use crate::validate::Message;
        let store = ReplyStore::default();
        let user = |images: Vec<String>| Message {
            role: "user".into(),
            content: "u".into(),
            images,
            parts: true,
        };
        let first = ChatRequest {
            model: "sora-2".into(),
            messages: vec![user(vec!["data:image/png;base64,AAAA".into()])],
        };
        assert!(check_history_images(&first, &store).is_ok());
        let follow_up = |uri: &str| ChatRequest {
            model: "sora-2".into(),
            messages: vec![
                user(vec![uri.into()]),
                Message {
                    role: "assistant".into(),
                    content: "a".into(),
                    images: vec![],
                    parts: false,
                },
                user(vec![]),
            ],
        };
        assert!(check_history_images(&follow_up("data:image/png;base64,AAAA"), &store).is_ok());
        assert!(check_history_images(&follow_up("data:image/png;base64,AAAB"), &store).is_err());
    }
}
