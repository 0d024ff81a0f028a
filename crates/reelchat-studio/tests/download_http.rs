#![allow(clippy::unwrap_used, clippy::expect_used)]
//! download() over real loopback HTTP: a small axum server (plus raw TCP
//! servers for broken responses) that fails any request carrying an
//! Authorization header.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use futures_util::StreamExt;
use reelchat_studio::download::{client, download, DownloadErrorKind, DownloadPolicy, MediaKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

fn media(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../reelchat-mock-relay/media")
            .join(name),
    )
    .unwrap()
}

#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    with_auth: AtomicUsize,
}

struct Server {
    base: String,
    seen: Arc<Seen>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    fn requests(&self) -> usize {
        self.seen.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The server's assertion: no request ever carried credentials.
        if !std::thread::panicking() {
            assert_eq!(
                self.seen.with_auth.load(Ordering::SeqCst),
                0,
                "an Authorization header was sent"
            );
        }
    }
}

async fn guard(State(seen): State<Arc<Seen>>, req: Request, next: Next) -> Response {
    seen.requests.fetch_add(1, Ordering::SeqCst);
    if req.headers().contains_key(header::AUTHORIZATION)
        || req.headers().contains_key(header::COOKIE)
    {
        seen.with_auth.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::BAD_REQUEST, "credentials must never be sent").into_response();
    }
    next.run(req).await
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_owned())]).into_response()
}

/// A body of `total` bytes in 64 KiB chunks without a Content-Length
/// (chunked), starting with an MP4 header so the type check passes.
fn chunked_mp4(total: usize) -> Body {
    let head = media("clip_a.mp4");
    let stream = futures_util::stream::iter((0..total.div_ceil(65536)).map(move |i| {
        let mut chunk = vec![0u8; 65536];
        if i == 0 {
            chunk[..64].copy_from_slice(&head[..64]);
        }
        Ok::<Bytes, std::io::Error>(Bytes::from(chunk))
    }));
    Body::from_stream(stream)
}

async fn start() -> Server {
    let seen = Arc::new(Seen::default());
    let mp4 = media("clip_a.mp4");
    let jpg = media("clip_a.jpg");
    let app = Router::new()
        .route(
            "/clip.mp4",
            get(move || async move { ([(header::CONTENT_TYPE, "video/mp4")], mp4) }),
        )
        .route(
            "/clip.jpg",
            get(move || async move { ([(header::CONTENT_TYPE, "image/jpeg")], jpg) }),
        )
        .route(
            "/tiny.gif",
            get(|| async { ([(header::CONTENT_TYPE, "image/gif")], b"GIF89a".to_vec()) }),
        )
        .route(
            "/empty",
            get(|| async { ([(header::CONTENT_TYPE, "video/mp4")], Vec::<u8>::new()) }),
        )
        .route(
            "/page.html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "video/mp4")],
                    "<!DOCTYPE html><html><body>Login required</body></html>".repeat(50),
                )
            }),
        )
        .route("/chunked-big", get(|| async { chunked_mp4(3 << 20) }))
        .route(
            "/slow.mp4",
            get(|| async {
                let head = Bytes::from(media("clip_a.mp4")[..4096].to_vec());
                let stream =
                    futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(head) })
                        .chain(futures_util::stream::pending());
                Body::from_stream(stream)
            }),
        )
        .route("/missing", get(|| async { (StatusCode::NOT_FOUND, "no") }))
        .route("/to-clip", get(|| async { redirect("/clip.mp4") }))
        .route(
            "/to-10",
            get(|| async { redirect("http://10.0.0.1/clip.mp4") }),
        )
        .route(
            "/to-192",
            get(|| async { redirect("http://192.168.1.1:8080/clip.mp4") }),
        )
        .route(
            "/to-fe80",
            get(|| async { redirect("http://[fe80::1]/clip.mp4") }),
        )
        .route(
            "/to-metadata",
            get(|| async { redirect("http://169.254.169.254/latest/meta-data/") }),
        )
        .route("/to-file", get(|| async { redirect("file:///etc/passwd") }))
        .route("/to-js", get(|| async { redirect("javascript:alert(1)") }))
        .route(
            "/hop/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    if n == 0 {
                        redirect("/clip.mp4")
                    } else {
                        redirect(&format!("/hop/{}", n - 1))
                    }
                },
            ),
        )
        .layer(middleware::from_fn_with_state(seen.clone(), guard));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base: format!("http://{addr}"),
        seen,
    }
}

fn loopback() -> DownloadPolicy {
    DownloadPolicy {
        allow_loopback: true,
        ..Default::default()
    }
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

async fn get_kind(
    url: &str,
    dir: &Path,
    kind: MediaKind,
    policy: &DownloadPolicy,
) -> Result<String, DownloadErrorKind> {
    let c = client().unwrap();
    download(&c, url, dir, "t_1", kind, policy, &CancellationToken::new())
        .await
        .map_err(|e| {
            assert!(!e.message.is_empty());
            e.kind
        })
}

fn dir() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().to_path_buf();
    (t, p)
}

#[tokio::test]
async fn downloads_mp4_and_jpeg() {
    let server = start().await;
    let (_t, dir) = dir();
    let name = get_kind(
        &server.url("/clip.mp4"),
        &dir,
        MediaKind::Video,
        &loopback(),
    )
    .await
    .unwrap();
    assert_eq!(name, "t_1.mp4");
    assert_eq!(std::fs::read(dir.join(&name)).unwrap(), media("clip_a.mp4"));

    let c = client().unwrap();
    let name = download(
        &c,
        &server.url("/clip.jpg"),
        &dir,
        "t_1-poster",
        MediaKind::Image,
        &loopback(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(name, "t_1-poster.jpg");
    assert_eq!(std::fs::read(dir.join(&name)).unwrap(), media("clip_a.jpg"));

    let name = download(
        &c,
        &server.url("/tiny.gif"),
        &dir,
        "g",
        MediaKind::Image,
        &loopback(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(name, "g.gif");
    assert_eq!(files(&dir), ["g.gif", "t_1-poster.jpg", "t_1.mp4"]);

    // Again: replaces the file.
    let name = get_kind(
        &server.url("/clip.mp4"),
        &dir,
        MediaKind::Video,
        &loopback(),
    )
    .await
    .unwrap();
    assert_eq!(name, "t_1.mp4");
    assert_eq!(files(&dir), ["g.gif", "t_1-poster.jpg", "t_1.mp4"]);
    assert!(server.requests() >= 4);
}

#[tokio::test]
async fn a_plain_client_sends_no_credentials_either() {
    let server = start().await;
    let (_t, dir) = dir();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let name = download(
        &plain,
        &server.url("/to-clip"),
        &dir,
        "a",
        MediaKind::Video,
        &loopback(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(name, "a.mp4");
    // Credentials in the URL are refused rather than sent as Basic auth.
    let url = server
        .url("/clip.mp4")
        .replace("http://", "http://user:secret@");
    assert_eq!(
        get_kind(&url, &dir, MediaKind::Video, &loopback()).await,
        Err(DownloadErrorKind::BadUrl)
    );
    assert_eq!(files(&dir), ["a.mp4"]);
    // Server's Drop asserts no Authorization header arrived.
}

#[tokio::test]
async fn html_and_wrong_kinds_are_wrong_type_and_leave_nothing() {
    let server = start().await;
    let (_t, dir) = dir();
    assert_eq!(
        get_kind(
            &server.url("/page.html"),
            &dir,
            MediaKind::Video,
            &loopback()
        )
        .await,
        Err(DownloadErrorKind::WrongType)
    );
    assert_eq!(
        get_kind(
            &server.url("/page.html"),
            &dir,
            MediaKind::Image,
            &loopback()
        )
        .await,
        Err(DownloadErrorKind::WrongType)
    );
    assert_eq!(
        get_kind(
            &server.url("/clip.jpg"),
            &dir,
            MediaKind::Video,
            &loopback()
        )
        .await,
        Err(DownloadErrorKind::WrongType)
    );
    assert_eq!(
        get_kind(
            &server.url("/clip.mp4"),
            &dir,
            MediaKind::Image,
            &loopback()
        )
        .await,
        Err(DownloadErrorKind::WrongType)
    );
    assert_eq!(
        get_kind(&server.url("/empty"), &dir, MediaKind::Video, &loopback()).await,
        Err(DownloadErrorKind::WrongType)
    );
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
    assert_eq!(
        get_kind(&server.url("/missing"), &dir, MediaKind::Video, &loopback()).await,
        Err(DownloadErrorKind::Http)
    );
    assert!(files(&dir).is_empty());
}

#[tokio::test]
async fn too_large_by_content_length_and_by_streaming() {
    let server = start().await;
    let (_t, dir) = dir();
    let small = DownloadPolicy {
        max_video_bytes: 10_000,
        max_image_bytes: 1_000,
        ..loopback()
    };
    // Content-Length (48182) over the cap: refused before reading the body.
    assert_eq!(
        get_kind(&server.url("/clip.mp4"), &dir, MediaKind::Video, &small).await,
        Err(DownloadErrorKind::TooLarge)
    );
    assert_eq!(
        get_kind(&server.url("/clip.jpg"), &dir, MediaKind::Image, &small).await,
        Err(DownloadErrorKind::TooLarge)
    );
    assert!(files(&dir).is_empty());
    // Chunked, no length: stopped while streaming.
    let capped = DownloadPolicy {
        max_video_bytes: 1 << 20,
        ..loopback()
    };
    assert_eq!(
        get_kind(&server.url("/chunked-big"), &dir, MediaKind::Video, &capped).await,
        Err(DownloadErrorKind::TooLarge)
    );
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
    // Under a larger cap the same stream is fine, under the same name.
    let roomy = DownloadPolicy {
        max_video_bytes: 4 << 20,
        ..loopback()
    };
    assert_eq!(
        get_kind(&server.url("/chunked-big"), &dir, MediaKind::Video, &roomy).await,
        Ok("t_1.mp4".into())
    );
    assert_eq!(
        std::fs::metadata(dir.join("t_1.mp4")).unwrap().len(),
        3 << 20
    );
}

/// A raw server answering every connection with `head` then `body`, then
/// either closing the connection or keeping it open silently.
async fn raw_server(response: Vec<u8>, keep_open: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                assert!(!String::from_utf8_lossy(&req)
                    .to_ascii_lowercase()
                    .contains("authorization:"));
                let _ = sock.write_all(&response).await;
                let _ = sock.flush().await;
                if keep_open {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
            });
        }
    });
    format!("http://{addr}/x.mp4")
}

#[tokio::test]
async fn huge_content_length_is_refused_up_front() {
    let (_t, dir) = dir();
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 107374182400\r\n\r\n"
            .to_vec();
    response.extend_from_slice(&media("clip_a.mp4")[..1000]);
    let url = raw_server(response, true).await;
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        get_kind(&url, &dir, MediaKind::Video, &loopback()),
    )
    .await
    .unwrap();
    assert_eq!(result, Err(DownloadErrorKind::TooLarge));
    assert!(files(&dir).is_empty());
}

#[tokio::test]
async fn cut_connection_is_network_and_leaves_nothing() {
    let (_t, dir) = dir();
    let mp4 = media("clip_a.mp4");
    // Content-Length promises more than is sent.
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {}\r\n\r\n",
        mp4.len()
    )
    .into_bytes();
    response.extend_from_slice(&mp4[..mp4.len() / 2]);
    let url = raw_server(response, false).await;
    assert_eq!(
        get_kind(&url, &dir, MediaKind::Video, &loopback()).await,
        Err(DownloadErrorKind::Network)
    );
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));

    // Chunked, cut before the last chunk.
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    response.extend_from_slice(format!("{:x}\r\n", 8000).as_bytes());
    response.extend_from_slice(&mp4[..8000]);
    response.extend_from_slice(b"\r\n");
    let url = raw_server(response, false).await;
    assert_eq!(
        get_kind(&url, &dir, MediaKind::Video, &loopback()).await,
        Err(DownloadErrorKind::Network)
    );
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));

    // Calling again (now against a good server) works.
    let server = start().await;
    assert_eq!(
        get_kind(
            &server.url("/clip.mp4"),
            &dir,
            MediaKind::Video,
            &loopback()
        )
        .await,
        Ok("t_1.mp4".into())
    );
    assert_eq!(files(&dir), ["t_1.mp4"]);
}

#[tokio::test]
async fn cancel_mid_body_leaves_nothing() {
    let server = start().await;
    let (_t, dir) = dir();
    let c = client().unwrap();
    let token = CancellationToken::new();
    let t2 = token.clone();
    let dir2 = dir.clone();
    let watcher = tokio::spawn(async move {
        // Cancel once the partial file exists (the body has started).
        for _ in 0..500 {
            if !files(&dir2).is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        t2.cancel();
    });
    let err = download(
        &c,
        &server.url("/slow.mp4"),
        &dir,
        "t_1",
        MediaKind::Video,
        &loopback(),
        &token,
    )
    .await
    .unwrap_err();
    watcher.await.unwrap();
    assert_eq!(err.kind, DownloadErrorKind::Cancelled);
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));

    // Dropping the future (instead of cancelling) also cleans up.
    let (url, policy, never) = (
        server.url("/slow.mp4"),
        loopback(),
        CancellationToken::new(),
    );
    let fut = download(&c, &url, &dir, "t_2", MediaKind::Video, &policy, &never);
    assert!(tokio::time::timeout(Duration::from_millis(500), fut)
        .await
        .is_err());
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));

    // An already-cancelled token: nothing is requested.
    let before = server.requests();
    let done = CancellationToken::new();
    done.cancel();
    let err = download(
        &c,
        &server.url("/clip.mp4"),
        &dir,
        "t_3",
        MediaKind::Video,
        &loopback(),
        &done,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, DownloadErrorKind::Cancelled);
    assert_eq!(server.requests(), before);
}

#[tokio::test]
async fn loopback_refused_unless_allowed() {
    let server = start().await;
    let (_t, dir) = dir();
    let strict = DownloadPolicy::default();
    assert!(!strict.allow_loopback);
    assert_eq!(strict.max_video_bytes, 1 << 30);
    assert_eq!(strict.max_image_bytes, 20 << 20);
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    for url in [
        server.url("/clip.mp4"),
        format!("http://localhost:{port}/clip.mp4"),
        format!("http://[::1]:{port}/clip.mp4"),
        format!("http://[::ffff:127.0.0.1]:{port}/clip.mp4"),
        format!("http://127.1:{port}/clip.mp4"),
        format!("http://2130706433:{port}/clip.mp4"),
        format!("http://0x7f000001:{port}/clip.mp4"),
        format!("http://0.0.0.0:{port}/clip.mp4"),
    ] {
        assert_eq!(
            get_kind(&url, &dir, MediaKind::Video, &strict).await,
            Err(DownloadErrorKind::Blocked),
            "{url}"
        );
    }
    assert_eq!(server.requests(), 0, "nothing reached the server");
    assert!(files(&dir).is_empty());
}

#[tokio::test]
async fn private_and_special_literals_are_blocked_even_with_loopback_allowed() {
    let (_t, dir) = dir();
    for policy in [DownloadPolicy::default(), loopback()] {
        for url in [
            "http://10.0.0.1/clip.mp4",
            "http://10.255.1.2:8080/clip.mp4",
            "https://192.168.1.1/clip.mp4",
            "http://172.16.5.4/clip.mp4",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/clip.mp4",
            "http://[fe80::1]/clip.mp4",
            "http://[fd00::1]/clip.mp4",
            "http://[fc00::1]/clip.mp4",
            "http://[ff02::1]/clip.mp4",
            "http://[::]/clip.mp4",
            "http://[::ffff:10.0.0.1]/clip.mp4",
            "http://[::ffff:192.168.0.1]/clip.mp4",
            "http://224.0.0.1/clip.mp4",
            "http://255.255.255.255/clip.mp4",
        ] {
            assert_eq!(
                get_kind(url, &dir, MediaKind::Video, &policy).await,
                Err(DownloadErrorKind::Blocked),
                "{url}"
            );
        }
    }
    assert!(files(&dir).is_empty());
}

#[tokio::test]
async fn non_http_urls_are_bad() {
    let (_t, dir) = dir();
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:video/mp4;base64,AAAAIGZ0eXBpc29t",
        "ftp://example.com/clip.mp4",
        "ws://example.com/clip.mp4",
        "blob:https://example.com/1234",
        "about:blank",
        "not a url",
        "/relative/path.mp4",
        "",
        "http://",
    ] {
        assert_eq!(
            get_kind(url, &dir, MediaKind::Video, &loopback()).await,
            Err(DownloadErrorKind::BadUrl),
            "{url:?}"
        );
    }
    assert!(files(&dir).is_empty());
}

#[tokio::test]
async fn redirects_are_followed_and_every_hop_checked() {
    let server = start().await;
    let (_t, dir) = dir();
    assert_eq!(
        get_kind(&server.url("/to-clip"), &dir, MediaKind::Video, &loopback()).await,
        Ok("t_1.mp4".into())
    );
    // 5 redirects are followed, 6 are not.
    assert_eq!(
        get_kind(&server.url("/hop/4"), &dir, MediaKind::Video, &loopback()).await,
        Ok("t_1.mp4".into())
    );
    assert_eq!(
        get_kind(&server.url("/hop/5"), &dir, MediaKind::Video, &loopback()).await,
        Err(DownloadErrorKind::Http)
    );
    for path in ["/to-10", "/to-192", "/to-fe80", "/to-metadata"] {
        assert_eq!(
            get_kind(&server.url(path), &dir, MediaKind::Video, &loopback()).await,
            Err(DownloadErrorKind::Blocked),
            "{path}"
        );
    }
    for path in ["/to-file", "/to-js"] {
        assert_eq!(
            get_kind(&server.url(path), &dir, MediaKind::Video, &loopback()).await,
            Err(DownloadErrorKind::BadUrl),
            "{path}"
        );
    }
    assert_eq!(files(&dir), ["t_1.mp4"]);
}

#[tokio::test]
async fn unsafe_base_names_are_refused() {
    let server = start().await;
    let (_t, dir) = dir();
    let c = client().unwrap();
    for name in ["", "../x", "a/b", "a.b", "a b", &"a".repeat(129)] {
        let err = download(
            &c,
            &server.url("/clip.mp4"),
            &dir,
            name,
            MediaKind::Video,
            &loopback(),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind, DownloadErrorKind::Io, "{name:?}");
    }
    assert!(files(&dir).is_empty());
    assert!(!dir.parent().unwrap().join("x.mp4").exists());
}

#[tokio::test]
async fn the_server_check_for_credentials_works() {
    // The guard that the other tests rely on does notice a header: a client
    // built with a default Authorization header (which callers must not
    // pass) is refused by the test server.
    let server = start().await;
    let (_t, dir) = dir();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_static("Bearer sk-test"),
    );
    let leaky = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let err = download(
        &leaky,
        &server.url("/clip.mp4"),
        &dir,
        "a",
        MediaKind::Video,
        &loopback(),
        &CancellationToken::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, DownloadErrorKind::Http);
    assert_eq!(server.seen.with_auth.swap(0, Ordering::SeqCst), 1);
    assert!(files(&dir).is_empty());
}
