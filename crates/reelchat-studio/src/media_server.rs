//! A tiny HTTP server on 127.0.0.1 that serves the media folder to the
//! webview. WebKitGTK cannot play video from a custom URI scheme, but plays
//! and seeks H.264 from `http://127.0.0.1` with Range requests.
//!
//! Only files inside the root are served, under a random per-run token
//! (`/<token>/<path>`): any other path, a wrong token, a `..` segment (raw
//! or percent-encoded) or a symlink leading outside the root is a 404.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::ids::random_hex;

/// Everything but RFC 3986 unreserved characters is encoded in a segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub struct MediaServer {
    base_url: String,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

struct Shared {
    /// The root, canonicalized.
    root: PathBuf,
    token: String,
}

impl MediaServer {
    /// Binds 127.0.0.1 on a free port and serves `root` (created if missing)
    /// under a fresh random token.
    pub async fn start(root: PathBuf) -> std::io::Result<MediaServer> {
        tokio::fs::create_dir_all(&root).await?;
        let root = tokio::fs::canonicalize(&root).await?;
        let token = random_hex(16);
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            root,
            token: token.clone(),
        });
        let app = axum::Router::new().fallback(handle).with_state(shared);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(MediaServer {
            base_url: format!("http://{addr}/{token}"),
            addr,
            shutdown: Some(tx),
            task,
        })
    }

    /// `http://127.0.0.1:PORT/<token>`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on (always 127.0.0.1).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of `relative` (a path inside the root, `/`-separated), each
    /// segment percent-encoded.
    pub fn url_for(&self, relative: &str) -> String {
        let mut url = self.base_url.clone();
        for segment in relative.split(['/', '\\']).filter(|s| !s.is_empty()) {
            url.push('/');
            url.extend(utf8_percent_encode(segment, SEGMENT));
        }
        url
    }

    /// Stops accepting connections and waits (at most 2 s) for open ones.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let abort = self.task.abort_handle();
        if tokio::time::timeout(Duration::from_secs(2), &mut self.task)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
}

impl Drop for MediaServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let mut response = match resolve(&shared, req.uri().path()).await {
        Some(file) => match ServeFile::new(file).oneshot(req).await {
            Ok(r) => r.map(Body::new),
            Err(never) => match never {},
        },
        None => not_found(),
    };
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

/// The file a request path names, if it is a regular file inside the root.
async fn resolve(shared: &Shared, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix('/')?;
    let (token, rest) = rest.split_once('/')?;
    if !constant_time_eq(token.as_bytes(), shared.token.as_bytes()) {
        return None;
    }
    let mut relative = PathBuf::new();
    for raw in rest.split('/') {
        let segment = percent_decode_str(raw).decode_utf8().ok()?;
        if segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0', ':'])
        {
            return None;
        }
        relative.push(segment.as_ref());
    }
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let canonical = tokio::fs::canonicalize(shared.root.join(&relative))
        .await
        .ok()?;
    if !is_inside(&canonical, &shared.root) {
        return None;
    }
    let meta = tokio::fs::metadata(&canonical).await.ok()?;
    meta.is_file().then_some(canonical)
}

fn is_inside(path: &Path, root: &Path) -> bool {
    path.starts_with(root) && path != root
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
