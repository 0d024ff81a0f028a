#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The network settings over real loopback servers: API requests and
//! downloads go through the user's proxy (HTTP or SOCKS5) and skip it for
//! the no-proxy list and this machine; downloads keep their address checks
//! behind a proxy; a custom CA file makes an otherwise untrusted HTTPS
//! server work, and without it the failure says "certificate".

mod network_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use network_support::{clip, make_pki, start_tls_server, TestProxy};
use reelchat_mock_relay::{start, RelayConfig, RelayHandle, Speed};
use reelchat_protocol::transport::NetworkOptions;
use reelchat_protocol::{ApiClient, CancellationToken, ErrorKind};
use reelchat_studio::download::{
    client_with, download, DownloadErrorKind, DownloadPolicy, MediaKind,
};
use reelchat_studio::error::AppErrorKind;
use reelchat_studio::model::{DownloadState, JobUpdate, TurnStatus};
use reelchat_studio::settings::{Settings, SettingsPatch};
use reelchat_studio::studio::{Connection, JobObserver, Studio};

async fn relay() -> RelayHandle {
    start(RelayConfig {
        api_key: Some("k".into()),
        speed: Speed::Fast,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn port_of(base_url: &str) -> u16 {
    url::Url::parse(base_url).unwrap().port().unwrap()
}

/// The network options as the app builds them from saved settings.
fn options(patch: SettingsPatch) -> NetworkOptions {
    let mut s = Settings::default();
    s.apply(patch).unwrap();
    s.network_options().unwrap()
}

fn via(proxy_url: &str, no_proxy: &str) -> NetworkOptions {
    options(SettingsPatch {
        proxy_url: Some(proxy_url.into()),
        no_proxy: Some(no_proxy.into()),
        ..Default::default()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn api_requests_go_through_the_proxy_except_no_proxy_hosts_and_this_machine() {
    let relay = relay().await;
    let port = port_of(&relay.base_url());
    let proxy = TestProxy::start().await;
    let cancel = CancellationToken::new();
    // relay.test resolves only inside the proxy.
    let named = format!("http://relay.test:{port}");

    let client = ApiClient::with_network(&via(&proxy.http_url(), "")).unwrap();
    let models = client.list_models(&named, "k", &cancel).await.unwrap();
    assert!(!models.is_empty());
    assert_eq!(
        proxy.seen(),
        vec![format!("GET http://relay.test:{port}/v1/models")]
    );

    // The demo relay and the media server live on loopback: always direct.
    client
        .list_models(&relay.base_url(), "k", &cancel)
        .await
        .unwrap();
    assert_eq!(proxy.seen().len(), 1, "loopback went through the proxy");

    // A host on the no-proxy list is reached directly (and relay.test does
    // not resolve here, so the request fails without touching the proxy).
    let bypass = ApiClient::with_network(&via(&proxy.http_url(), "example.com, .test")).unwrap();
    let err = bypass.list_models(&named, "k", &cancel).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network);
    assert_eq!(
        proxy.seen().len(),
        1,
        "a no-proxy host went through the proxy"
    );

    // SOCKS5 with names resolved by the proxy.
    let socks = ApiClient::with_network(&via(&proxy.socks_url(), "")).unwrap();
    socks.list_models(&named, "k", &cancel).await.unwrap();
    assert_eq!(proxy.seen()[1], format!("SOCKS relay.test:{port}"));

    // Without a proxy setting the name cannot be reached at all.
    let direct = ApiClient::new().unwrap();
    assert!(direct.list_models(&named, "k", &cancel).await.is_err());
    assert_eq!(proxy.seen().len(), 2);
    relay.shutdown().await;
}

#[derive(Default)]
struct Done(Mutex<Option<JobUpdate>>);

impl JobObserver for Done {
    fn update(&self, u: &JobUpdate) {
        if u.done {
            *self.0.lock().unwrap() = Some(u.clone());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generation_goes_through_the_proxy_set_on_the_studio() {
    let relay = relay().await;
    let port = port_of(&relay.base_url());
    let proxy = TestProxy::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (studio, _) = Studio::open(dir.path()).unwrap();
    studio.set_network(&via(&proxy.http_url(), "")).unwrap();
    let conv = studio.create().unwrap();
    let obs = Arc::new(Done::default());
    let conn = Connection {
        base_url: format!("http://relay.test:{port}"),
        api_key: "k".into(),
        idle_timeout: Duration::from_secs(20),
        allow_loopback_media: true,
    };
    studio
        .send(conn, &conv.id, "a cat dancing", "sora-2", None, obs.clone())
        .unwrap();
    let mut done = None;
    for _ in 0..400 {
        done = obs.0.lock().unwrap().clone();
        if done.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let done = done.expect("the job finished");
    assert_eq!(done.turn.status, TurnStatus::Succeeded);
    // The relay's media links are on 127.0.0.1: fetched directly.
    assert_eq!(done.turn.media.state, DownloadState::Done);
    assert_eq!(
        proxy.seen(),
        vec![format!("POST http://relay.test:{port}/v1/chat/completions")]
    );
    assert_eq!(relay.chat_request_count(), 1);

    // Back to no proxy: the same name no longer reaches the relay.
    studio.set_network(&NetworkOptions::default()).unwrap();
    let err = studio
        .client()
        .list_models(
            &format!("http://relay.test:{port}"),
            "k",
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network);
    relay.shutdown().await;
}

/// A plain HTTP server on 127.0.0.1 with one video.
async fn media_server() -> u16 {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/video.mp4",
        get(|| async { ([("content-type", "video/mp4")], clip()) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads_go_through_the_proxy_and_keep_their_address_checks() {
    let port = media_server().await;
    let proxy = TestProxy::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let http = client_with(&via(&proxy.http_url(), "")).unwrap();
    let policy = DownloadPolicy {
        proxied: true,
        ..Default::default()
    };

    // A name only the proxy can resolve: left to the proxy.
    let url = format!("http://media.test:{port}/video.mp4");
    let name = download(
        &http,
        &url,
        dir.path(),
        "v1",
        MediaKind::Video,
        &policy,
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(name, "v1.mp4");
    assert_eq!(std::fs::read(dir.path().join("v1.mp4")).unwrap(), clip());
    assert_eq!(proxy.seen(), vec![format!("GET {url}")]);

    // Private and loopback targets are still refused before anything is sent.
    for bad in [
        "http://10.0.0.1/video.mp4",
        "http://192.168.1.10/video.mp4",
        "http://localhost/video.mp4",
        "http://[::1]/video.mp4",
    ] {
        let err = download(
            &http,
            bad,
            dir.path(),
            "x",
            MediaKind::Video,
            &policy,
            &cancel,
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind, DownloadErrorKind::Blocked, "{bad}");
    }
    assert_eq!(
        proxy.seen().len(),
        1,
        "a refused download reached the proxy"
    );

    // No-proxy hosts connect directly (through the public-only resolver).
    let bypass = client_with(&via(&proxy.http_url(), ".test")).unwrap();
    let err = download(
        &bypass,
        &url,
        dir.path(),
        "v2",
        MediaKind::Video,
        &policy,
        &cancel,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, DownloadErrorKind::Network);
    assert_eq!(proxy.seen().len(), 1);

    // SOCKS5 (names resolved by the proxy) works the same way.
    let socks = client_with(&via(&proxy.socks_url(), "")).unwrap();
    download(
        &socks,
        &url,
        dir.path(),
        "v3",
        MediaKind::Video,
        &policy,
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(proxy.seen()[1], format!("SOCKS media.test:{port}"));

    // Without a proxy an unresolvable name is an error, not a pass.
    let direct = DownloadPolicy::default();
    let plain = client_with(&NetworkOptions::default()).unwrap();
    let err = download(
        &plain,
        &url,
        dir.path(),
        "v4",
        MediaKind::Video,
        &direct,
        &cancel,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, DownloadErrorKind::Network);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_named_on_the_local_network_is_reachable() {
    // The download client's resolver refuses non-public addresses, except
    // for the proxy's own name ("localhost" here stands for a proxy on the
    // office network).
    let port = media_server().await;
    let proxy = TestProxy::start().await;
    let dir = tempfile::tempdir().unwrap();
    let named_proxy = format!("http://localhost:{}", proxy.addr.port());
    let http = client_with(&via(&named_proxy, "")).unwrap();
    let policy = DownloadPolicy {
        proxied: true,
        ..Default::default()
    };
    let url = format!("http://media.test:{port}/video.mp4");
    download(
        &http,
        &url,
        dir.path(),
        "v1",
        MediaKind::Video,
        &policy,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(proxy.seen(), vec![format!("GET {url}")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_ca_file_is_trusted_for_api_requests_and_downloads() {
    let pki = make_pki();
    let server = start_tls_server(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_path = dir.path().join("corp-ca.pem");
    std::fs::write(&ca_path, &pki.ca_pem).unwrap();
    let base = format!("https://127.0.0.1:{}", server.port);
    let video = format!("{base}/video.mp4");
    let cancel = CancellationToken::new();
    let loopback = DownloadPolicy {
        allow_loopback: true,
        ..Default::default()
    };

    // Without the CA: a certificate error, said as such.
    let err = ApiClient::new()
        .unwrap()
        .list_models(&base, "k", &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Certificate, "{}", err.message);
    assert_eq!(
        reelchat_studio::error::AppError::from(err).kind,
        AppErrorKind::Certificate
    );
    let err = download(
        &client_with(&NetworkOptions::default()).unwrap(),
        &video,
        dir.path(),
        "v0",
        MediaKind::Video,
        &loopback,
        &cancel,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, DownloadErrorKind::Certificate, "{}", err.message);

    // With the CA file saved in settings: both work.
    let with_ca = options(SettingsPatch {
        ca_cert_path: Some(ca_path.display().to_string()),
        ..Default::default()
    });
    assert_eq!(with_ca.extra_roots.len(), 1);
    let dir2 = tempfile::tempdir().unwrap();
    let (studio, _) = Studio::open(dir2.path()).unwrap();
    studio.set_network(&with_ca).unwrap();
    let models = studio
        .client()
        .list_models(&base, "k", &cancel)
        .await
        .unwrap();
    assert_eq!(models, vec!["sora-2".to_string()]);
    let name = download(
        &client_with(&with_ca).unwrap(),
        &video,
        dir.path(),
        "v1",
        MediaKind::Video,
        &loopback,
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), clip());
}

#[tokio::test(flavor = "multi_thread")]
async fn proxy_and_custom_ca_together() {
    // HTTPS through an HTTP proxy is a CONNECT tunnel; the CA still decides.
    let pki = make_pki();
    let server = start_tls_server(&pki).await;
    let proxy = TestProxy::start().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_path = dir.path().join("ca.pem");
    std::fs::write(&ca_path, &pki.ca_pem).unwrap();
    let opts = options(SettingsPatch {
        proxy_url: Some(proxy.http_url()),
        ca_cert_path: Some(ca_path.display().to_string()),
        ..Default::default()
    });
    let base = format!("https://secure.test:{}", server.port);
    let models = ApiClient::with_network(&opts)
        .unwrap()
        .list_models(&base, "k", &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(models, vec!["sora-2".to_string()]);
    assert_eq!(
        proxy.seen(),
        vec![format!("CONNECT secure.test:{}", server.port)]
    );
}

#[test]
fn a_bad_ca_file_is_refused_when_saved_with_a_clear_message() {
    let pki = make_pki();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("server.key");
    std::fs::write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let der = dir.path().join("ca.der");
    std::fs::write(&der, &pki.server_cert_der).unwrap();
    let bundle = dir.path().join("bundle.pem");
    std::fs::write(&bundle, format!("{}\n{}", pki.ca_pem, make_pki().ca_pem)).unwrap();

    let mut s = Settings::default();
    for (path, says) in [
        (&key, "private key"),
        (&der, "not a PEM"),
        (&dir.path().join("missing.pem"), "could not be read"),
    ] {
        let err = s
            .apply(SettingsPatch {
                ca_cert_path: Some(path.display().to_string()),
                ..Default::default()
            })
            .unwrap_err();
        assert!(
            err.message.contains(says),
            "{}: {}",
            path.display(),
            err.message
        );
        assert_eq!(s.ca_cert_path, None, "a refused file is not saved");
    }
    s.apply(SettingsPatch {
        ca_cert_path: Some(bundle.display().to_string()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(s.network_options().unwrap().extra_roots.len(), 2);
}
