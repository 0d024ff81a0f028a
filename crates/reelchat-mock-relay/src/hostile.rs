//! The endpoints the hostile scenarios point at, and the record of who reached them.
//!
//! Every request to `/exfil*`, `/private/*` or `/hostile/*` (on either listener) is recorded
//! as a [`Hit`]: its path, query, host, and whether it carried an `Authorization` or
//! `Cookie` header — the header's SHA-256 only, never its value. `GET /__hits` answers
//! `{"hits":[Hit, …]}` and `DELETE /__hits` clears them, so a test can assert that nothing
//! reached the exfiltration endpoint and that the API key never reached a hostile one.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use futures_util::StreamExt as _;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::media::{serve_bytes, CLIPS};
use crate::{lock, AppState};

/// One recorded request to a hostile endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub method: String,
    /// E.g. `/exfil`, `/hostile/landing/s_….mp4`.
    pub path: String,
    /// The raw query string, if any (`chat=…` for the exfiltration URLs).
    pub query: Option<String>,
    /// The `Host` header: tells the redirect target (`127.0.0.2:…`) from the relay.
    pub host: Option<String>,
    /// An `Authorization` header arrived.
    pub authorization: bool,
    /// Lowercase hex SHA-256 of that header's value (e.g. of `Bearer sk-…`), to compare
    /// with a known key's without ever printing it.
    pub authorization_sha256: Option<String>,
    /// A `Cookie` header arrived.
    pub cookie: bool,
}

/// The hits of one relay.
#[derive(Debug, Default)]
pub struct Hits(Mutex<Vec<Hit>>);

impl Hits {
    pub fn all(&self) -> Vec<Hit> {
        lock(&self.0).clone()
    }

    pub fn clear(&self) {
        lock(&self.0).clear();
    }
}

/// Lowercase hex SHA-256 of `value`: how a hit reports an `Authorization` header.
pub fn sha256_hex(value: &[u8]) -> String {
    Sha256::digest(value)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn watched(path: &str) -> bool {
    path.starts_with("/exfil") || path.starts_with("/private/") || path.starts_with("/hostile/")
}

/// Middleware: records requests to the watched paths, then answers them as usual.
pub async fn record(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if watched(&path) {
        let headers = request.headers();
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let authorization = headers.get(header::AUTHORIZATION);
        lock(&state.hits.0).push(Hit {
            method: request.method().to_string(),
            query: request.uri().query().map(str::to_string),
            host: text(header::HOST),
            authorization: authorization.is_some(),
            authorization_sha256: authorization.map(|v| sha256_hex(v.as_bytes())),
            cookie: headers.contains_key(header::COOKIE),
            path,
        });
    }
    next.run(request).await
}

/// `GET /__hits`.
pub async fn list_hits(State(state): State<Arc<AppState>>) -> Response {
    Json(json!({ "hits": state.hits.all() })).into_response()
}

/// `DELETE /__hits`.
pub async fn clear_hits(State(state): State<Arc<AppState>>) -> StatusCode {
    state.hits.clear();
    StatusCode::NO_CONTENT
}

/// The smallest GIF: what `/exfil` answers, so a client that loads it "succeeds".
const PIXEL_GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

/// `/exfil` and `/exfil/{*rest}`: a pixel; its only purpose is the recorded hit.
pub async fn exfil() -> Response {
    serve_bytes(PIXEL_GIF, "image/gif", None)
}

/// `/private/{*rest}`: a real clip, so a client that wrongly fetches it succeeds visibly.
pub async fn private(Path(rest): Path<String>) -> Response {
    if rest.ends_with(".jpg") {
        serve_bytes(CLIPS[0].jpg, "image/jpeg", None)
    } else {
        serve_bytes(CLIPS[0].mp4, "video/mp4", None)
    }
}

/// `/hostile/page.mp4`: a login page labelled as a video.
pub async fn html_video() -> Response {
    let page = "<!DOCTYPE html><html><head><title>Login</title></head><body><form>Login required</form><script>window.__pwned=1</script></body></html>";
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("video/mp4"))],
        page,
    )
        .into_response()
}

/// The size `/hostile/huge.mp4` announces: 2 GiB.
pub const HUGE_VIDEO_BYTES: u64 = 2 << 30;

/// `/hostile/huge.mp4`: `Content-Length: 2147483648`, an MP4 header then zeros, made
/// 64 KiB at a time as the client reads (never held whole).
pub async fn huge_video() -> Response {
    const CHUNK: u64 = 64 * 1024;
    let head = &CLIPS[0].mp4[..64];
    let chunks = futures_util::stream::iter(0..HUGE_VIDEO_BYTES / CHUNK).map(move |i| {
        let mut chunk = vec![0u8; CHUNK as usize];
        if i == 0 {
            chunk[..head.len()].copy_from_slice(head);
        }
        Ok::<Bytes, std::io::Error>(Bytes::from(chunk))
    });
    let mut response = Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("video/mp4"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(HUGE_VIDEO_BYTES));
    response
}

fn found(location: String) -> Response {
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `/r/video/{file}`: redirects to the other host's `/hostile/landing/{file}`.
pub async fn redirect_video(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
) -> Response {
    found(format!("{}/hostile/landing/{file}", state.alt_base_url()))
}

/// `/r/source/{task}`: redirects to the other host's `/hostile/source/{task}`.
pub async fn redirect_source(
    State(state): State<Arc<AppState>>,
    Path(task): Path<String>,
) -> Response {
    found(format!("{}/hostile/source/{task}", state.alt_base_url()))
}

/// `/hostile/landing/{sid}.mp4`: the clip of that result, reached only by a redirect.
pub async fn landing(State(state): State<Arc<AppState>>, Path(file): Path<String>) -> Response {
    let clip = file
        .strip_suffix(".mp4")
        .and_then(|sid| state.media.clip_of(sid))
        .and_then(|i| CLIPS.get(i));
    match clip {
        Some(clip) => serve_bytes(clip.mp4, "video/mp4", None),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/hostile/source/{task}`: the task's raw data, reached only by a redirect.
pub async fn landing_source(
    State(state): State<Arc<AppState>>,
    Path(task): Path<String>,
) -> Response {
    match state.tasks.get(&task) {
        Some(task) => Json(task).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watched_paths_and_hash() {
        for p in [
            "/exfil",
            "/exfil/link",
            "/private/v.mp4",
            "/hostile/page.mp4",
        ] {
            assert!(watched(p), "{p}");
        }
        for p in [
            "/media/s.mp4",
            "/r/video/s.mp4",
            "/v1/chat/completions",
            "/__hits",
        ] {
            assert!(!watched(p), "{p}");
        }
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(&PIXEL_GIF[..6], b"GIF89a");
    }
}
