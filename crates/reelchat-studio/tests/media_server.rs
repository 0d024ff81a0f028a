#![allow(clippy::unwrap_used, clippy::expect_used)]
//! MediaServer: Range requests, the token, traversal and symlink escapes,
//! and the loopback-only binding.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use reelchat_studio::media_server::MediaServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-ROOT";

struct Fixture {
    _tmp: tempfile::TempDir,
    clip: Vec<u8>,
    server: MediaServer,
}

async fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("media");
    std::fs::create_dir_all(root.join("c_1")).unwrap();
    let clip = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../reelchat-mock-relay/media/clip_a.mp4"),
    )
    .unwrap();
    std::fs::write(root.join("c_1/t_1.mp4"), &clip).unwrap();
    std::fs::write(root.join("c_1/with space 空#?.txt"), b"spaced").unwrap();
    std::fs::write(tmp.path().join("outside.txt"), SECRET).unwrap();
    std::fs::write(tmp.path().join("media-evil.txt"), SECRET).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("outside.txt"), root.join("escape.txt"))
            .unwrap();
        std::os::unix::fs::symlink(tmp.path(), root.join("escape-dir")).unwrap();
        std::os::unix::fs::symlink("c_1/t_1.mp4", root.join("inner-link.mp4")).unwrap();
    }
    let server = MediaServer::start(root).await.unwrap();
    Fixture {
        _tmp: tmp,
        clip,
        server,
    }
}

/// One raw HTTP/1.1 request, so that paths reach the server exactly as
/// written (HTTP clients normalize `..`). Returns (status, headers, body).
async fn raw(addr: SocketAddr, path: &str, extra: &str) -> (u16, String, Vec<u8>) {
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    sock.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), sock.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), out[split + 4..].to_vec())
}

fn path_of(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    rest[rest.find('/').unwrap()..].to_owned()
}

#[tokio::test]
async fn serves_files_with_ranges() {
    let f = fixture().await;
    let base = f.server.base_url().to_owned();
    let port = f.server.local_addr().port();
    let token = base.rsplit('/').next().unwrap();
    assert_eq!(base, format!("http://127.0.0.1:{port}/{token}"));
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));

    let http = reqwest::Client::new();
    let url = f.server.url_for("c_1/t_1.mp4");
    assert_eq!(url, format!("{base}/c_1/t_1.mp4"));
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "video/mp4");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["accept-ranges"], "bytes");
    assert_eq!(r.bytes().await.unwrap().as_ref(), f.clip.as_slice());

    let r = http
        .get(&url)
        .header("Range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 100-199/{}", f.clip.len()).as_str()
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &f.clip[100..200]);

    // Seeking to the end, as a video element does.
    let r = http
        .get(&url)
        .header("Range", format!("bytes={}-", f.clip.len() - 10))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        &f.clip[f.clip.len() - 10..]
    );
    let r = http
        .get(&url)
        .header("Range", "bytes=-16")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        &f.clip[f.clip.len() - 16..]
    );
    let r = http
        .get(&url)
        .header("Range", format!("bytes={}-", f.clip.len() + 5))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 416);

    let r = http.head(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-length"],
        f.clip.len().to_string().as_str()
    );

    // Names that need encoding.
    let url = f.server.url_for("c_1/with space 空#?.txt");
    assert!(
        url.ends_with("/c_1/with%20space%20%E7%A9%BA%23%3F.txt"),
        "{url}"
    );
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"spaced");

    // A symlink that stays inside the root is fine.
    #[cfg(unix)]
    {
        let r = http
            .get(f.server.url_for("inner-link.mp4"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap().len(), f.clip.len());
    }
    f.server.shutdown().await;
}

#[tokio::test]
async fn wrong_token_and_other_paths_are_404() {
    let f = fixture().await;
    let addr = f.server.local_addr();
    let base_path = path_of(f.server.base_url());
    let token = base_path.trim_start_matches('/').to_owned();
    let mut wrong = token.clone().into_bytes();
    wrong[0] = if wrong[0] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    for path in [
        format!("/{wrong}/c_1/t_1.mp4"),
        format!("/{}/c_1/t_1.mp4", token.to_uppercase()),
        format!("/{}/c_1/t_1.mp4", &token[..31]),
        format!("/{token}x/c_1/t_1.mp4"),
        "/c_1/t_1.mp4".to_owned(),
        "/".to_owned(),
        "/favicon.ico".to_owned(),
        format!("/{token}"),
        format!("/{token}/"),
        format!("/{token}/c_1"),
        format!("/{token}/c_1/"),
        format!("/{token}/c_1/missing.mp4"),
        format!("/{token}/c_1//t_1.mp4"),
    ] {
        let (status, head, body) = raw(addr, &path, "").await;
        assert_eq!(status, 404, "{path}");
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{path}: {head}"
        );
        assert!(body.len() < 100, "{path}");
    }
    // The right token, raw, for contrast.
    let (status, _, body) = raw(
        addr,
        &format!("/{token}/c_1/t_1.mp4"),
        "Range: bytes=0-9\r\n",
    )
    .await;
    assert_eq!(status, 206);
    assert_eq!(body, &f.clip[..10]);
}

#[tokio::test]
async fn traversal_and_symlink_escapes_are_404() {
    let f = fixture().await;
    let addr = f.server.local_addr();
    let t = path_of(f.server.base_url());
    let mut paths = vec![
        format!("{t}/../outside.txt"),
        format!("{t}/c_1/../../outside.txt"),
        format!("{t}/%2e%2e/outside.txt"),
        format!("{t}/%2E%2E/outside.txt"),
        format!("{t}/%2e%2e%2foutside.txt"),
        format!("{t}/c_1/..%2f..%2foutside.txt"),
        format!("{t}/c_1/%2e%2e%2f%2e%2e%2foutside.txt"),
        format!("{t}/..%5coutside.txt"),
        format!("{t}/..\\outside.txt"),
        format!("{t}/./c_1/t_1.mp4"),
        format!("{t}/%2e/c_1/t_1.mp4"),
        format!("{t}/%2fetc%2fpasswd"),
        format!("{t}//etc/passwd"),
        format!("{t}/%00"),
        format!("{t}/c_1/t_1.mp4%00.txt"),
        format!("{t}/../media-evil.txt"),
        format!("{t}%2f..%2foutside.txt"),
    ];
    if cfg!(unix) {
        paths.push(format!("{t}/escape.txt"));
        paths.push(format!("{t}/escape-dir/outside.txt"));
    }
    for path in &paths {
        let (status, _, body) = raw(addr, path, "").await;
        assert_eq!(status, 404, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains(SECRET), "{path}");
    }
    // Through an HTTP client too (which normalizes what it can).
    let http = reqwest::Client::new();
    for rel in ["../outside.txt", "escape.txt"] {
        let r = http
            .get(format!("{}/{rel}", f.server.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{rel}");
    }
    // url_for never produces a path that climbs out.
    let url = f.server.url_for("../outside.txt");
    assert!(url.contains("/%2E%2E/") || url.contains("/../"), "{url}");
    assert_eq!(http.get(&url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn bound_to_127_0_0_1_only() {
    let f = fixture().await;
    let addr = f.server.local_addr();
    assert_eq!(addr.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    assert!(f
        .server
        .base_url()
        .starts_with(&format!("http://127.0.0.1:{}/", addr.port())));
    // The same port on another loopback address or on IPv6 is not served: a
    // server bound to 0.0.0.0 or :: would answer there.
    for other in [
        SocketAddr::from(([127, 0, 0, 2], addr.port())),
        SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port())),
    ] {
        let r = tokio::time::timeout(
            Duration::from_secs(5),
            tokio::net::TcpStream::connect(other),
        )
        .await;
        assert!(!matches!(r, Ok(Ok(_))), "{other} accepted a connection");
    }
    // Each server has its own token.
    let tmp = tempfile::tempdir().unwrap();
    let other = MediaServer::start(tmp.path().to_path_buf()).await.unwrap();
    assert_ne!(path_of(other.base_url()), path_of(f.server.base_url()));
    other.shutdown().await;

    f.server.shutdown().await;
    let r =
        tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr)).await;
    assert!(!matches!(r, Ok(Ok(_))), "still listening after shutdown");
}
