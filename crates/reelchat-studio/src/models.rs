//! The models the picker offers: what `GET /v1/models` lists for the
//! current base URL and key, cached per (base URL, key) in memory, with
//! `sora-2` and `sora-2-pro` as the fallback when the list is unavailable.
//!
//! Relays often list chat and image models too (`gpt-4o`, `dall-e-3` …).
//! Video models come first — the known ones in their usual order, then any
//! other id that names a video family — and every other id follows as
//! "other": the user can still pick one (a relay may route it to video),
//! but it is not in the way. A list with no video model at all also gets
//! the fallback pair in front, flagged as such.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reelchat_protocol::CancellationToken;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::studio::{lock, Connection, Studio};

/// Offered when the server's list cannot be had.
pub const FALLBACK_MODELS: [&str; 2] = ["sora-2", "sora-2-pro"];
/// How long a fetched list is reused.
const TTL: Duration = Duration::from_secs(30 * 60);
/// Most ids kept from one list, and the longest id (a hostile server must
/// not fill the picker with junk).
const MAX_MODELS: usize = 200;
const MAX_ID_CHARS: usize = 100;
/// Words that mark an id as a video model.
const VIDEO_WORDS: &[&str] = &[
    "sora",
    "video",
    "veo",
    "kling",
    "hailuo",
    "seedance",
    "vidu",
    "runway",
    "pika",
    "luma",
    "wan2",
    "wanx",
    "hunyuan-video",
    "cogvideo",
    "minimax-video",
];

/// One entry of the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ModelEntry {
    pub id: String,
    /// A video model (shown first); otherwise listed under "other".
    pub video: bool,
}

/// What the picker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ModelList {
    pub models: Vec<ModelEntry>,
    /// The server's list was unavailable (or had no video model): the
    /// known models are offered instead (in front of its others).
    pub fallback: bool,
    /// Why the list was unavailable.
    pub error: Option<AppError>,
}

impl ModelList {
    /// Only the known models, because of `error`.
    pub fn fallback(error: Option<AppError>) -> ModelList {
        ModelList {
            models: FALLBACK_MODELS
                .iter()
                .map(|id| ModelEntry {
                    id: (*id).to_string(),
                    video: true,
                })
                .collect(),
            fallback: true,
            error,
        }
    }
}

/// Whether an id names a video model.
pub fn is_video_model(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    VIDEO_WORDS.iter().any(|w| lower.contains(w))
}

/// Clean, group and order a server's ids (see the module docs).
pub fn arrange(ids: &[String]) -> ModelList {
    let mut seen = HashSet::new();
    let ids: Vec<&str> = ids
        .iter()
        .map(|s| s.trim())
        .filter(|s| {
            !s.is_empty() && s.chars().count() <= MAX_ID_CHARS && !s.chars().any(char::is_control)
        })
        .filter(|s| seen.insert(*s))
        .take(MAX_MODELS)
        .collect();
    let rank = |id: &str| FALLBACK_MODELS.iter().position(|k| *k == id);
    let mut video: Vec<&str> = ids.iter().copied().filter(|s| is_video_model(s)).collect();
    video.sort_by(|a, b| match (rank(a), rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    });
    let mut other: Vec<&str> = ids.iter().copied().filter(|s| !is_video_model(s)).collect();
    other.sort_unstable();
    let entry = |id: &str, video: bool| ModelEntry {
        id: id.to_string(),
        video,
    };
    if video.is_empty() {
        let mut list = ModelList::fallback(None);
        list.models
            .extend(other.into_iter().map(|s| entry(s, false)));
        return list;
    }
    ModelList {
        models: video
            .into_iter()
            .map(|s| entry(s, true))
            .chain(other.into_iter().map(|s| entry(s, false)))
            .collect(),
        fallback: false,
        error: None,
    }
}

/// Lists fetched per (base URL, key), for [`TTL`]. The key itself is not
/// kept: only a hash of it, in memory.
#[derive(Default)]
pub struct ModelCache {
    entries: Mutex<HashMap<(String, u64), (Instant, ModelList)>>,
}

fn cache_key(conn: &Connection) -> (String, u64) {
    let mut h = DefaultHasher::new();
    conn.api_key.hash(&mut h);
    (
        conn.base_url.trim().trim_end_matches('/').to_string(),
        h.finish(),
    )
}

impl ModelCache {
    fn get(&self, key: &(String, u64)) -> Option<ModelList> {
        lock(&self.entries)
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, list)| list.clone())
    }

    fn put(&self, key: (String, u64), list: ModelList) {
        let mut entries = lock(&self.entries);
        entries.retain(|_, (at, _)| at.elapsed() < TTL);
        entries.insert(key, (Instant::now(), list));
    }
}

impl Studio {
    /// The picker's models for `conn` (None: no key and no demo — the
    /// fallback with `why`). Fetched once per base URL and key, again after
    /// [`TTL`] or when `refresh`. A failed fetch is not cached: the next
    /// call tries again.
    pub async fn models(&self, conn: Result<&Connection, AppError>, refresh: bool) -> ModelList {
        let conn = match conn {
            Ok(c) => c,
            Err(why) => return ModelList::fallback(Some(why)),
        };
        let key = cache_key(conn);
        if !refresh {
            if let Some(list) = self.inner.models.get(&key) {
                return list;
            }
        }
        match self
            .client()
            .list_models(&conn.base_url, &conn.api_key, &CancellationToken::new())
            .await
        {
            Ok(ids) if !ids.is_empty() => {
                let list = arrange(&ids);
                self.inner.models.put(key, list.clone());
                list
            }
            Ok(_) => ModelList::fallback(None),
            Err(e) => ModelList::fallback(Some(e.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &ModelList) -> Vec<(&str, bool)> {
        list.models
            .iter()
            .map(|m| (m.id.as_str(), m.video))
            .collect()
    }

    #[test]
    fn video_models_first_known_ones_leading_others_after() {
        let server: Vec<String> = [
            "gpt-4o",
            "sora-2-hd",
            "sora-2-pro",
            "dall-e-3",
            "veo-3",
            "sora-2",
            "sora-2",
            "",
            "bad\nid",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let list = arrange(&server);
        assert!(!list.fallback);
        assert_eq!(
            ids(&list),
            [
                ("sora-2", true),
                ("sora-2-pro", true),
                ("sora-2-hd", true),
                ("veo-3", true),
                ("dall-e-3", false),
                ("gpt-4o", false),
            ]
        );
    }

    #[test]
    fn no_video_model_listed_means_the_known_ones_in_front() {
        let list = arrange(&["gpt-4o".to_string(), "claude-3".to_string()]);
        assert!(list.fallback);
        assert_eq!(
            ids(&list),
            [
                ("sora-2", true),
                ("sora-2-pro", true),
                ("claude-3", false),
                ("gpt-4o", false)
            ]
        );
    }

    #[test]
    fn a_flood_of_ids_is_capped() {
        let many: Vec<String> = (0..1000).map(|i| format!("sora-{i}")).collect();
        assert_eq!(arrange(&many).models.len(), MAX_MODELS);
        let long = "sora-".to_string() + &"x".repeat(200);
        assert!(arrange(&[long]).fallback);
    }
}
