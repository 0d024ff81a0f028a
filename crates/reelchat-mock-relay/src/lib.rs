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
mod ids;
mod media;
mod routes;
mod runner;
mod scenario;
mod sse;
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
pub use scenario::{Scenario, UnknownScenario};

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

    /// How many chat requests arrived (each one would be a paid generation).
    pub fn chat_request_count(&self) -> usize {
        lock(&self.state.requests).len()
    }

    /// Stops the server, ends open streams and waits (briefly) for it to finish.
    pub async fn shutdown(mut self) {
        self.state.cancel.cancel();
        if let Some(server) = self.server.take() {
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
    let state = Arc::new(AppState {
        config,
        tasks: tasks::TaskStore::new(base_url.clone()),
        base_url,
        requests: Mutex::default(),
        replies: history::ReplyStore::default(),
        media: media::MediaIndex::default(),
        cancel: cancel.clone(),
    });
    let app = routes::router(Arc::clone(&state));
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(cancel.cancelled_owned())
            .await;
    });
    Ok(RelayHandle {
        state,
        server: Some(server),
    })
}
