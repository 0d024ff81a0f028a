//! A local mock of the chat-format video API (see `/work/shared/api/PROTOCOL.md`):
//! a real HTTP server on 127.0.0.1 that streams `chat.completion.chunk` replies with
//! task ids, progress, sids and media links, serves the task pages, the raw data and
//! small real MP4 clips with Range support. Used by integration tests, end-to-end tests
//! and the app's demo mode.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let relay = reelchat_mock_relay::start(Default::default()).await?;
//! println!("{}", relay.base_url());
//! relay.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod config;
mod errors;
mod history;
mod hostile;
mod ids;
mod images;
mod media;
mod routes;
mod runner;
mod scenario;
mod sse;
mod stamps;
mod stream;
mod tasks;
mod validate;

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use config::{RelayConfig, Speed};
pub use hostile::{sha256_hex, Hit, HUGE_VIDEO_BYTES};
pub use scenario::{Scenario, UnknownScenario};
pub use stream::{exfil_block, HEARTBEAT_BEATS, HOSTILE_HTML, HOSTILE_LINKS};

/// One `POST /v1/chat/completions` the relay received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// The `Authorization` header as sent.
    pub authorization: Option<String>,
    /// The JSON body (a JSON string holding the raw text when it was not JSON).
    pub body: serde_json::Value,
    /// The HTTP status the relay answered.
    pub status: u16,
}

/// State shared by the handlers and the generation runners.
#[derive(Debug)]
struct AppState {
    config: RelayConfig,
    base_url: String,
    /// The same server on another host (127.0.0.2, or `localhost`), for cross-host redirects.
    alt_base_url: String,
    hits: hostile::Hits,
    /// Progress send times of `[stamp]` / `[flood]` streams (see `GET /__stamps`).
    stamps: stamps::StampStore,
    requests: Mutex<Vec<RecordedRequest>>,
    tasks: tasks::TaskStore,
    replies: history::ReplyStore,
    media: media::MediaIndex,
    cancel: CancellationToken,
}

impl AppState {
    fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
    }

    fn alt_base_url(&self) -> String {
        self.alt_base_url.clone()
    }
}

/// Locks a mutex, ignoring poisoning (the data stays usable for a mock).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running relay. Dropping it stops the server too; [`RelayHandle::shutdown`] waits for it.
#[derive(Debug)]
pub struct RelayHandle {
    state: Arc<AppState>,
    server: Option<JoinHandle<()>>,
    alt_server: Option<JoinHandle<()>>,
}

impl RelayHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// Every `POST /v1/chat/completions` received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// The same server on another host: `http://127.0.0.2:PORT2`, or
    /// `http://localhost:PORT` where 127.0.0.2 cannot be bound. Redirect targets of
    /// `[redirect-auth]`.
    pub fn alt_base_url(&self) -> String {
        self.state.alt_base_url()
    }

    /// Requests to `/exfil*`, `/private/*` and `/hostile/*` so far (see `GET /__hits`).
    pub fn hits(&self) -> Vec<Hit> {
        self.state.hits.all()
    }

    /// Forgets the recorded hits.
    pub fn clear_hits(&self) {
        self.state.hits.clear();
    }

    /// How many chat requests arrived (each one would be a paid generation).
    pub fn chat_request_count(&self) -> usize {
        lock(&self.state.requests).len()
    }

    /// Stops the server, ends open streams and waits (briefly) for it to finish.
    pub async fn shutdown(mut self) {
        self.state.cancel.cancel();
        for server in [self.server.take(), self.alt_server.take()]
            .into_iter()
            .flatten()
        {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for RelayHandle {
    fn drop(&mut self) {
        self.state.cancel.cancel();
    }
}

/// Binds 127.0.0.1:`config.port` and serves the API on the current tokio runtime.
pub async fn start(config: RelayConfig) -> std::io::Result<RelayHandle> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let addr = listener.local_addr()?;
    let cancel = CancellationToken::new();
    let base_url = format!("http://{addr}");
    // Another loopback host for cross-host redirects; 127.0.0.2 is not bindable everywhere
    // (macOS), and then `localhost` is a different host name for the same server.
    let alt_listener = TcpListener::bind((Ipv4Addr::new(127, 0, 0, 2), 0))
        .await
        .ok();
    let alt_base_url = match alt_listener.as_ref().and_then(|l| l.local_addr().ok()) {
        Some(alt) => format!("http://{alt}"),
        None => format!("http://localhost:{}", addr.port()),
    };
    let state = Arc::new(AppState {
        config,
        tasks: tasks::TaskStore::new(base_url.clone()),
        base_url,
        alt_base_url,
        hits: hostile::Hits::default(),
        stamps: stamps::StampStore::default(),
        requests: Mutex::default(),
        replies: history::ReplyStore::default(),
        media: media::MediaIndex::default(),
        cancel: cancel.clone(),
    });
    let app = routes::router(Arc::clone(&state));
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let alt_server = alt_listener.map(|alt| {
        let app = app.clone();
        let cancel = cancel.clone();
        tokio::spawn(async move {
            let _ = axum::serve(alt, app)
                .with_graceful_shutdown(cancel.cancelled_owned())
                .await;
        })
    });
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(cancel.cancelled_owned())
            .await;
    });
    Ok(RelayHandle {
        state,
        server: Some(server),
        alt_server,
    })
}
