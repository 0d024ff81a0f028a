//! The hub the app's commands forward to: conversations (kept in memory,
//! each behind its own lock, saved to disk on every change) and the jobs
//! that generate into them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use reelchat_protocol::transport::NetworkOptions;
use reelchat_protocol::{ApiClient, CancellationToken, Failure, ReelError};

use crate::error::{AppError, AppErrorKind};
use crate::model::{now_ms, Conversation, ConversationSummary, JobUpdate, TurnRecord, TurnStatus};
use crate::network::NetworkClients;
use crate::store::{new_id, ConversationStore, StoreNotice};

/// Longest prompt accepted (characters).
pub const MAX_PROMPT_CHARS: usize = 8000;
/// Longest conversation title (characters).
pub const MAX_TITLE_CHARS: usize = 120;

/// Where and how to reach the API, read from settings for each request.
#[derive(Debug, Clone)]
pub struct Connection {
    pub base_url: String,
    pub api_key: String,
    pub idle_timeout: Duration,
    /// Only the built-in demo relay may serve media from loopback.
    pub allow_loopback_media: bool,
}

/// Told about jobs as they run. The Tauri shell forwards to a Channel and
/// app-wide events.
pub trait JobObserver: Send + Sync + 'static {
    /// A coalesced update (at most ~30 per second), and the final one.
    fn update(&self, update: &JobUpdate);
    /// The generation ended (before downloads): for notifications.
    fn finished(&self, _conversation_id: &str, _turn: &TurnRecord) {}
}

pub(crate) type Cell = Arc<Mutex<Conversation>>;

pub(crate) struct Inner {
    pub store: ConversationStore,
    pub cells: Mutex<HashMap<String, Cell>>,
    /// Running jobs: turn id → (conversation id, cancel token).
    pub jobs: Mutex<HashMap<String, (String, CancellationToken)>>,
    /// The API client and, for results only, the downloader (which checks
    /// every redirect hop and resolves only public addresses; the API client
    /// is never used for media). Rebuilt when the network settings change;
    /// a request already under way keeps the clients it started with.
    pub network: RwLock<NetworkClients>,
    pub media_dir: PathBuf,
    /// `GET /v1/models` answers, per base URL and key (see `models`).
    pub models: crate::models::ModelCache,
}

/// See the module docs. Cheap to clone.
#[derive(Clone)]
pub struct Studio {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock must not take the app down with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Studio {
    /// Open the data folder: load every conversation, and mark replies that
    /// were streaming when the app last stopped as interrupted (their task
    /// ids and links are kept, so "check status" can complete them).
    pub fn open(data_dir: &Path) -> Result<(Studio, Vec<StoreNotice>), AppError> {
        let (store, notices) = ConversationStore::open(data_dir)?;
        let media_dir = data_dir.join("media");
        std::fs::create_dir_all(&media_dir).map_err(|e| {
            AppError::new(AppErrorKind::Io, format!("{}: {e}", media_dir.display()))
        })?;
        crate::download::remove_partial_files(&media_dir);
        let mut cells = HashMap::new();
        for mut c in store.list()? {
            let mut changed = false;
            for t in c
                .turns
                .iter_mut()
                .filter(|t| t.status == TurnStatus::Running)
            {
                t.status = TurnStatus::Interrupted;
                t.failure = Some(Failure::from(ReelError::new(
                    reelchat_protocol::ErrorKind::Network,
                    "the app closed before the reply finished",
                )));
                changed = true;
            }
            if changed {
                // Best effort: if the disk is read-only the state is still right in memory.
                let _ = store.save(&c);
            }
            cells.insert(c.id.clone(), Arc::new(Mutex::new(c)));
        }
        let network = NetworkClients::build(&Default::default())?;
        let inner = Inner {
            store,
            cells: Mutex::new(cells),
            jobs: Mutex::new(HashMap::new()),
            network: RwLock::new(network),
            media_dir,
            models: Default::default(),
        };
        Ok((
            Studio {
                inner: Arc::new(inner),
            },
            notices,
        ))
    }

    pub fn media_dir(&self) -> &Path {
        &self.inner.media_dir
    }

    /// The API client as the network settings are now.
    pub fn client(&self) -> ApiClient {
        self.network().api
    }

    pub(crate) fn network(&self) -> NetworkClients {
        self.inner
            .network
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Use a proxy and extra trusted roots (or none) for every later request
    /// and download. On error nothing changes.
    pub fn set_network(&self, options: &NetworkOptions) -> Result<(), AppError> {
        self.use_network(NetworkClients::build(options)?);
        Ok(())
    }

    /// Swap in clients already built (see [`NetworkClients::build`]).
    pub fn use_network(&self, clients: NetworkClients) {
        *self
            .inner
            .network
            .write()
            .unwrap_or_else(|e| e.into_inner()) = clients;
    }

    pub(crate) fn cell(&self, id: &str) -> Result<Cell, AppError> {
        lock(&self.inner.cells).get(id).cloned().ok_or_else(|| {
            AppError::new(AppErrorKind::InvalidInput, format!("no conversation {id}"))
        })
    }

    /// Sidebar entries, newest first; `query` filters by text in the title,
    /// the prompts and the server's plans.
    pub fn list(&self, query: Option<&str>) -> Vec<ConversationSummary> {
        let cells: Vec<Cell> = lock(&self.inner.cells).values().cloned().collect();
        let q = query
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        let mut out: Vec<ConversationSummary> = cells
            .iter()
            .filter_map(|cell| {
                let c = lock(cell);
                let matches = q.as_ref().is_none_or(|q| {
                    c.title.to_lowercase().contains(q)
                        || c.turns.iter().any(|t| {
                            t.prompt.to_lowercase().contains(q)
                                || t.reply
                                    .plan
                                    .as_ref()
                                    .and_then(|p| p.prompt.as_ref())
                                    .is_some_and(|p| p.to_lowercase().contains(q))
                        })
                });
                matches.then(|| c.summary())
            })
            .collect();
        out.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    pub fn get(&self, id: &str) -> Result<Conversation, AppError> {
        let cell = self.cell(id)?;
        let c = lock(&cell).clone();
        Ok(c)
    }

    pub fn create(&self) -> Result<Conversation, AppError> {
        let now = now_ms();
        let c = Conversation {
            id: new_id("c_"),
            title: String::new(),
            created_at: now,
            updated_at: now,
            head: None,
            turns: Vec::new(),
        };
        self.inner.store.save(&c)?;
        lock(&self.inner.cells).insert(c.id.clone(), Arc::new(Mutex::new(c.clone())));
        Ok(c)
    }

    pub fn rename(&self, id: &str, title: &str) -> Result<Conversation, AppError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(AppError::invalid("the name is empty"));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(AppError::invalid(format!(
                "the name is longer than {MAX_TITLE_CHARS} characters"
            )));
        }
        if title.chars().any(char::is_control) {
            return Err(AppError::invalid("the name contains control characters"));
        }
        self.modify(id, |c| {
            c.title = title.to_string();
            Ok(())
        })
    }

    /// Delete a conversation, its running jobs and its downloaded files.
    pub fn delete(&self, id: &str) -> Result<(), AppError> {
        let cell = self.cell(id)?;
        for (_, (conv, token)) in lock(&self.inner.jobs).iter() {
            if conv == id {
                token.cancel();
            }
        }
        {
            // Under the conversation's lock, so a job saving right now cannot
            // write the file back after it is gone (see `save_live`).
            let _guard = lock(&cell);
            lock(&self.inner.cells).remove(id);
            self.inner.store.delete(id)?;
        }
        let dir = self.inner.media_dir.join(id);
        if dir.starts_with(&self.inner.media_dir) && dir != self.inner.media_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        Ok(())
    }

    /// Save a conversation unless it was deleted. Call with its lock held.
    pub(crate) fn save_live(&self, c: &Conversation) -> Result<(), crate::store::StoreError> {
        if lock(&self.inner.cells).contains_key(&c.id) {
            self.inner.store.save(c)
        } else {
            Ok(())
        }
    }

    /// Choose which version the next message modifies ("continue from
    /// here"), or None for a new video.
    pub fn set_head(&self, id: &str, turn_id: Option<&str>) -> Result<Conversation, AppError> {
        self.modify(id, |c| {
            if let Some(t) = turn_id {
                if c.turn(t).is_none_or(|t| t.version.is_none()) {
                    return Err(AppError::invalid(
                        "only a finished version can be continued",
                    ));
                }
            }
            c.head = turn_id.map(str::to_string);
            Ok(())
        })
    }

    /// Apply a change under the conversation's lock, save it, return it.
    pub(crate) fn modify(
        &self,
        id: &str,
        f: impl FnOnce(&mut Conversation) -> Result<(), AppError>,
    ) -> Result<Conversation, AppError> {
        let cell = self.cell(id)?;
        let mut c = lock(&cell);
        let before = c.clone();
        f(&mut c)?;
        c.updated_at = now_ms().max(c.updated_at);
        if let Err(e) = self.save_live(&c) {
            *c = before;
            return Err(e.into());
        }
        Ok(c.clone())
    }

    /// Turn ids of running jobs, with their conversation ids.
    pub fn running(&self) -> Vec<(String, String)> {
        lock(&self.inner.jobs)
            .iter()
            .map(|(turn, (conv, _))| (conv.clone(), turn.clone()))
            .collect()
    }

    /// Stop a running job; true if there was one.
    pub fn stop(&self, turn_id: &str) -> bool {
        match lock(&self.inner.jobs).get(turn_id) {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    /// Validate a prompt as the user typed it.
    pub fn check_prompt(prompt: &str) -> Result<&str, AppError> {
        let p = prompt.trim();
        if p.is_empty() {
            return Err(AppError::invalid("the message is empty"));
        }
        if p.chars().count() > MAX_PROMPT_CHARS {
            return Err(AppError::invalid(format!(
                "the message is longer than {MAX_PROMPT_CHARS} characters"
            )));
        }
        Ok(p)
    }

    pub(crate) fn new_turn(prompt: &str, model: &str, parent: Option<String>) -> TurnRecord {
        TurnRecord {
            id: new_id("t_"),
            parent,
            prompt: prompt.to_string(),
            model: model.to_string(),
            created_at: now_ms(),
            status: TurnStatus::Running,
            content: String::new(),
            reply: Default::default(),
            failure: None,
            version: None,
            steps: Default::default(),
            media: Default::default(),
            image: None,
        }
    }
}

/// A title from the first prompt: its first line, shortened.
pub(crate) fn title_from(prompt: &str) -> String {
    let line = prompt.lines().next().unwrap_or(prompt).trim();
    let t: String = line.chars().take(24).collect();
    if line.chars().count() > 24 {
        format!("{t}…")
    } else {
        t
    }
}
