//! Test servers for the network settings: a small forwarding proxy (HTTP
//! absolute-form, CONNECT and SOCKS5 on one port) that records what it was
//! asked for, and an HTTPS server whose certificate comes from a test CA.
//! Everything listens on 127.0.0.1 only.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The mp4 the servers hand out.
pub fn clip() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../reelchat-mock-relay/media/clip_a.mp4"),
    )
    .unwrap()
}

/// A forwarding proxy. Names under `.test` resolve to 127.0.0.1 here (and
/// only here: the machine running the test cannot resolve them, so a
/// request that reaches them went through this proxy).
pub struct TestProxy {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
}

impl TestProxy {
    pub async fn start() -> TestProxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(conn, log).await;
                });
            }
        });
        TestProxy { addr, seen }
    }

    pub fn http_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn socks_url(&self) -> String {
        format!("socks5h://{}", self.addr)
    }

    /// What it was asked for: "GET http://host:port/path", "CONNECT
    /// host:port" or "SOCKS host:port".
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

async fn resolve(host: &str, port: u16) -> std::io::Result<SocketAddr> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.ends_with(".test") {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    tokio::net::lookup_host((host, port))
        .await?
        .next()
        .ok_or_else(|| std::io::Error::other("no address"))
}

async fn serve(mut conn: TcpStream, log: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let mut first = [0u8; 1];
    conn.peek(&mut first).await?;
    if first[0] == 5 {
        return serve_socks(conn, log).await;
    }
    let (head, rest) = read_head(&mut conn).await?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    if method == "CONNECT" {
        log.lock().unwrap().push(format!("CONNECT {target}"));
        let (host, port) = target.rsplit_once(':').unwrap();
        let mut upstream = TcpStream::connect(resolve(host, port.parse().unwrap()).await?).await?;
        conn.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        tokio::io::copy_bidirectional(&mut conn, &mut upstream).await?;
        return Ok(());
    }
    log.lock().unwrap().push(format!("{method} {target}"));
    let url = url::Url::parse(&target).unwrap();
    let port = url.port_or_known_default().unwrap();
    let mut upstream = TcpStream::connect(resolve(url.host_str().unwrap(), port).await?).await?;
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path = format!("{path}?{q}");
    }
    let mut out = format!("{method} {path} HTTP/1.1\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if name != "connection" && name != "proxy-connection" {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    // One request per connection keeps the forwarder simple.
    out.push_str("Connection: close\r\n\r\n");
    upstream.write_all(out.as_bytes()).await?;
    upstream.write_all(&rest).await?;
    tokio::io::copy_bidirectional(&mut conn, &mut upstream).await?;
    Ok(())
}

async fn read_head(conn: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("closed before the head"));
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            return Ok((head, buf[end + 4..].to_vec()));
        }
        if buf.len() > 64 * 1024 {
            return Err(std::io::Error::other("head too long"));
        }
    }
}

/// SOCKS5, no authentication, CONNECT only (RFC 1928).
async fn serve_socks(mut conn: TcpStream, log: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let mut hello = [0u8; 2];
    conn.read_exact(&mut hello).await?;
    let mut methods = vec![0u8; usize::from(hello[1])];
    conn.read_exact(&mut methods).await?;
    conn.write_all(&[5, 0]).await?;
    let mut req = [0u8; 4];
    conn.read_exact(&mut req).await?;
    let host = match req[3] {
        1 => {
            let mut a = [0u8; 4];
            conn.read_exact(&mut a).await?;
            Ipv4Addr::from(a).to_string()
        }
        3 => {
            let mut len = [0u8; 1];
            conn.read_exact(&mut len).await?;
            let mut name = vec![0u8; usize::from(len[0])];
            conn.read_exact(&mut name).await?;
            String::from_utf8_lossy(&name).to_string()
        }
        _ => return Err(std::io::Error::other("address type not supported")),
    };
    let mut port = [0u8; 2];
    conn.read_exact(&mut port).await?;
    let port = u16::from_be_bytes(port);
    log.lock().unwrap().push(format!("SOCKS {host}:{port}"));
    let mut upstream = TcpStream::connect(resolve(&host, port).await?).await?;
    conn.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).await?;
    tokio::io::copy_bidirectional(&mut conn, &mut upstream).await?;
    Ok(())
}

/// A test certificate authority and a server certificate it signed for
/// `localhost`, `127.0.0.1` and `secure.test`.
pub struct TestPki {
    pub ca_pem: String,
    pub server_cert_der: Vec<u8>,
    pub server_key_der: Vec<u8>,
}

pub fn make_pki() -> TestPki {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "ReelChat test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let issuer = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "secure.test".to_string(),
    ])
    .unwrap()
    .signed_by(&key, &issuer)
    .unwrap();
    TestPki {
        ca_pem: issuer.pem(),
        server_cert_der: server.der().to_vec(),
        server_key_der: key.serialize_der(),
    }
}

/// An HTTPS server on 127.0.0.1 answering `GET /v1/models` with one model
/// and `GET /video.mp4` with a real clip; one request per connection.
pub struct TlsServer {
    pub port: u16,
}

pub async fn start_tls_server(pki: &TestPki) -> TlsServer {
    use tokio_rustls::rustls;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![rustls::pki_types::CertificateDer::from(
                pki.server_cert_der.clone(),
            )],
            rustls::pki_types::PrivateKeyDer::Pkcs8(pki.server_key_der.clone().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake.
                if let Ok(tls) = acceptor.accept(conn).await {
                    let _ = answer(tls).await;
                }
            });
        }
    });
    TlsServer { port }
}

async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut s: S) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let path = head.split(' ').nth(1).unwrap_or_default();
    let (ctype, body): (&str, Vec<u8>) = match path {
        "/v1/models" => (
            "application/json",
            br#"{"object":"list","data":[{"id":"sora-2"}]}"#.to_vec(),
        ),
        "/video.mp4" => ("video/mp4", clip()),
        _ => ("text/plain", b"not found".to_vec()),
    };
    let status = if ctype == "text/plain" {
        "404 Not Found"
    } else {
        "200 OK"
    };
    s.write_all(
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await?;
    s.write_all(&body).await?;
    s.shutdown().await?;
    Ok(())
}
