//! Downloads of results (videos and preview images) into the app's media
//! folder, treating every URL as hostile: http and https only, no private or
//! loopback addresses (unless the policy allows loopback, for the built-in
//! demo relay), redirects followed by hand and re-checked at every hop, a
//! size cap enforced while streaming, the file type taken from its first
//! bytes, and nothing left behind on failure or cancel.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::LOCATION;
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

use reelchat_protocol::transport::NetworkOptions;

use crate::ids::random_hex;
use crate::store::{classify_io, sync_dir, IoClass};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Video,
    Image,
}

#[derive(Debug, Clone)]
pub struct DownloadPolicy {
    /// Default 1 GiB.
    pub max_video_bytes: u64,
    /// Default 20 MiB.
    pub max_image_bytes: u64,
    /// Allow 127.0.0.0/8 and ::1 (only for the built-in demo relay). Other
    /// private addresses stay refused.
    pub allow_loopback: bool,
    /// The client goes through the user's proxy: a host this machine cannot
    /// resolve is left to the proxy instead of refused (see `check_url`).
    pub proxied: bool,
}

impl Default for DownloadPolicy {
    fn default() -> Self {
        DownloadPolicy {
            max_video_bytes: 1 << 30,
            max_image_bytes: 20 << 20,
            allow_loopback: false,
            proxied: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct DownloadError {
    pub kind: DownloadErrorKind,
    pub message: String,
}

/// Why a download failed, for a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DownloadErrorKind {
    BadUrl,
    /// A private, loopback, link-local or otherwise non-public address.
    Blocked,
    Http,
    TooLarge,
    WrongType,
    Network,
    /// The server's TLS certificate is not trusted.
    Certificate,
    DiskFull,
    Io,
    Cancelled,
}

impl DownloadError {
    fn new(kind: DownloadErrorKind, message: impl Into<String>) -> Self {
        DownloadError {
            kind,
            message: message.into(),
        }
    }

    fn io(what: &str, path: &Path, e: &std::io::Error) -> Self {
        let kind = match classify_io(e) {
            IoClass::DiskFull => DownloadErrorKind::DiskFull,
            _ => DownloadErrorKind::Io,
        };
        DownloadError::new(kind, format!("could not {what} {}: {e}", path.display()))
    }
}

/// How many redirects are followed.
pub const MAX_REDIRECTS: usize = 5;

/// A client suited to [`download`]: no automatic redirects (download follows
/// them itself, checking each hop), no default headers, connect and read
/// timeouts, and a DNS resolver that never returns a non-public address (so
/// a name cannot be re-pointed at a private address between the check and the
/// connection). Literal IP addresses do not go through the resolver; they
/// are checked by [`download`] against the policy.
pub fn client() -> Result<reqwest::Client, DownloadError> {
    client_with(&NetworkOptions::default())
}

/// [`client`] with the user's proxy and extra roots. The resolver still
/// refuses non-public addresses for every name but the proxy's own (a
/// proxy on the local network is the user's choice). Through an HTTP proxy
/// the proxy resolves the target; through `socks5://` this resolver does;
/// either way [`download`] has checked the target's addresses first.
pub fn client_with(network: &NetworkOptions) -> Result<reqwest::Client, DownloadError> {
    let builder = reqwest::Client::builder()
        .use_rustls_tls()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(20))
        .read_timeout(Duration::from_secs(120))
        .user_agent(concat!("ReelChat/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(PublicOnlyResolver {
            trusted: network.proxy_host(),
        }));
    let builder = network
        .apply(builder)
        .map_err(|e| DownloadError::new(DownloadErrorKind::BadUrl, e.message))?;
    builder.build().map_err(|e| {
        DownloadError::new(
            DownloadErrorKind::Io,
            format!("could not create the HTTP client: {e}"),
        )
    })
}

struct PublicOnlyResolver {
    /// The proxy's host name: resolved without the filter.
    trusted: Option<String>,
}

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let trusted = self
            .trusted
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(host.trim_end_matches('.')));
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| trusted || is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Downloads `url` into `dir` as `<base_name>.<ext>` (ext from the magic
/// bytes: mp4/mov/webm for video; jpg/png/webp/gif for images). Returns the
/// file name. On failure or cancel nothing is left in `dir`.
///
/// `base_name` must be 1 to 128 characters of `[A-Za-z0-9_-]`. The client
/// should come from [`client`]; with another one, make sure it sends no
/// credentials by default and does not follow redirects to other hosts.
pub async fn download(
    client: &reqwest::Client,
    url: &str,
    dir: &Path,
    base_name: &str,
    kind: MediaKind,
    policy: &DownloadPolicy,
    cancel: &CancellationToken,
) -> Result<String, DownloadError> {
    if !(1..=128).contains(&base_name.len())
        || !base_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(DownloadError::new(
            DownloadErrorKind::Io,
            format!("invalid file name {base_name:?}"),
        ));
    }
    let max = match kind {
        MediaKind::Video => policy.max_video_bytes,
        MediaKind::Image => policy.max_image_bytes,
    };
    let response = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(cancelled()),
        r = fetch(client, url, policy) => r?,
    };
    if let Some(len) = response.content_length() {
        if len > max {
            return Err(too_large(max));
        }
    }

    let part = PartFile::create(dir, base_name).await?;
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(cancelled()),
        r = stream_to(response, part, dir, base_name, kind, max) => r,
    }
}

/// Requests `url`, following up to [`MAX_REDIRECTS`] redirects by hand and
/// checking every URL before connecting.
async fn fetch(
    client: &reqwest::Client,
    url: &str,
    policy: &DownloadPolicy,
) -> Result<reqwest::Response, DownloadError> {
    let mut url = Url::parse(url.trim()).map_err(|e| {
        DownloadError::new(DownloadErrorKind::BadUrl, format!("not a valid URL: {e}"))
    })?;
    let mut hops = 0;
    loop {
        check_url(&url, policy).await?;
        // A plain request: no Authorization, no cookies.
        let response = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| network(&e))?;
        // A client that follows redirects itself may have ended elsewhere.
        if response.url() != &url {
            check_url(response.url(), policy).await?;
        }
        let status = response.status();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    DownloadError::new(
                        DownloadErrorKind::Http,
                        format!("HTTP {status} without a Location"),
                    )
                })?;
            let next = url.join(location).map_err(|e| {
                DownloadError::new(
                    DownloadErrorKind::BadUrl,
                    format!("bad redirect location: {e}"),
                )
            })?;
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(DownloadError::new(
                    DownloadErrorKind::Http,
                    format!("more than {MAX_REDIRECTS} redirects"),
                ));
            }
            url = next;
            continue;
        }
        if !status.is_success() {
            return Err(DownloadError::new(
                DownloadErrorKind::Http,
                format!("the server answered HTTP {status}"),
            ));
        }
        return Ok(response);
    }
}

/// Checks the scheme, and every address the host is or resolves to.
async fn check_url(url: &Url, policy: &DownloadPolicy) -> Result<(), DownloadError> {
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(DownloadError::new(
                DownloadErrorKind::BadUrl,
                format!("only http and https links can be downloaded (not {other}:)"),
            ))
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(DownloadError::new(
            DownloadErrorKind::BadUrl,
            "links with a user name or password are not downloaded",
        ));
    }
    let port = url.port_or_known_default().unwrap_or(80);
    let addrs: Vec<IpAddr> = match url.host() {
        None => {
            return Err(DownloadError::new(
                DownloadErrorKind::BadUrl,
                "the link has no host",
            ))
        }
        Some(url::Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
        Some(url::Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            if name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost")
            {
                // Refused by name too: some resolvers send these elsewhere.
                if !policy.allow_loopback {
                    return Err(blocked(name));
                }
            }
            match tokio::net::lookup_host((name, port)).await {
                Ok(found) => found.map(|a| a.ip()).collect(),
                // Behind a proxy, names this machine cannot resolve are the
                // proxy's to resolve (a direct connection to a host on the
                // no-proxy list still fails in the public-only resolver).
                Err(_) if policy.proxied => return Ok(()),
                Err(e) => {
                    return Err(DownloadError::new(
                        DownloadErrorKind::Network,
                        format!("could not resolve {name}: {e}"),
                    ))
                }
            }
        }
    };
    if addrs.is_empty() {
        return Err(DownloadError::new(
            DownloadErrorKind::Network,
            "the host has no address",
        ));
    }
    for ip in addrs {
        let allowed = is_public(ip) || (policy.allow_loopback && is_loopback(ip));
        if !allowed {
            return Err(blocked(&ip.to_string()));
        }
    }
    Ok(())
}

fn blocked(what: &str) -> DownloadError {
    DownloadError::new(
        DownloadErrorKind::Blocked,
        format!("refused to download from {what}: not a public address"),
    )
}

fn cancelled() -> DownloadError {
    DownloadError::new(DownloadErrorKind::Cancelled, "download cancelled")
}

fn too_large(max: u64) -> DownloadError {
    DownloadError::new(
        DownloadErrorKind::TooLarge,
        format!("the file is larger than the limit of {} MiB", max >> 20),
    )
}

fn network(e: &reqwest::Error) -> DownloadError {
    // reqwest's Display hides the cause (e.g. "connection reset").
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let kind = if reelchat_protocol::transport::is_certificate_error(&message) {
        DownloadErrorKind::Certificate
    } else {
        DownloadErrorKind::Network
    };
    DownloadError::new(kind, message)
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// `true` for addresses reachable on the public internet; `false` for
/// loopback, private, shared (CGNAT), link-local, unique-local, site-local,
/// unspecified, multicast, broadcast, documentation, benchmarking and
/// reserved ranges, and IPv6 forms that embed such an IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let embedded_v4 =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0 {
        // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
        return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b {
        // NAT64
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        // 6to4
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    !((s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0) // Teredo
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0)) // discard-only
}

/// The temporary file a download streams into; removed when dropped unless
/// it was renamed into place.
struct PartFile {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    keep: bool,
}

impl PartFile {
    async fn create(dir: &Path, base_name: &str) -> Result<PartFile, DownloadError> {
        let path = dir.join(format!("{base_name}.part-{}", random_hex(8)));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(|e| DownloadError::io("create", &path, &e))?;
        Ok(PartFile {
            path,
            file: Some(file),
            keep: false,
        })
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.keep {
            // Close before removing (needed on Windows).
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

async fn stream_to(
    mut response: reqwest::Response,
    mut part: PartFile,
    dir: &Path,
    base_name: &str,
    kind: MediaKind,
    max: u64,
) -> Result<String, DownloadError> {
    const SNIFF: usize = 16;
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF);
    let mut ext: Option<&'static str> = None;
    let mut total: u64 = 0;
    let path = part.path.clone();
    let Some(file) = part.file.as_mut() else {
        return Err(DownloadError::new(
            DownloadErrorKind::Io,
            "internal error: file closed",
        ));
    };
    while let Some(chunk) = response.chunk().await.map_err(|e| network(&e))? {
        total += chunk.len() as u64;
        if total > max {
            return Err(too_large(max));
        }
        if ext.is_none() {
            let need = SNIFF - head.len();
            head.extend_from_slice(&chunk[..chunk.len().min(need)]);
            if head.len() >= SNIFF {
                ext = Some(sniff(&head, kind)?);
            }
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| DownloadError::io("write", &path, &e))?;
    }
    let ext = match ext {
        Some(ext) => ext,
        None => sniff(&head, kind)?,
    };
    file.flush()
        .await
        .map_err(|e| DownloadError::io("write", &path, &e))?;
    file.sync_all()
        .await
        .map_err(|e| DownloadError::io("sync", &path, &e))?;
    drop(part.file.take());
    let name = format!("{base_name}.{ext}");
    let target = dir.join(&name);
    tokio::fs::rename(&path, &target)
        .await
        .map_err(|e| DownloadError::io("rename", &path, &e))?;
    part.keep = true;
    let _ = sync_dir(dir);
    Ok(name)
}

/// The file type from the first bytes, if it is one `kind` accepts.
fn sniff(head: &[u8], kind: MediaKind) -> Result<&'static str, DownloadError> {
    let found: Option<(&'static str, MediaKind)> = if head.len() >= 12 && &head[4..8] == b"ftyp" {
        Some((
            if &head[8..12] == b"qt  " {
                "mov"
            } else {
                "mp4"
            },
            MediaKind::Video,
        ))
    } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some(("webm", MediaKind::Video))
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", MediaKind::Image))
    } else if head.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some(("png", MediaKind::Image))
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some(("webp", MediaKind::Image))
    } else if head.starts_with(b"GIF8") {
        Some(("gif", MediaKind::Image))
    } else {
        None
    };
    let wanted = match kind {
        MediaKind::Video => "a video (MP4, MOV or WebM)",
        MediaKind::Image => "an image (JPEG, PNG, WebP or GIF)",
    };
    match found {
        Some((ext, k)) if k == kind => Ok(ext),
        Some((ext, _)) => Err(DownloadError::new(
            DownloadErrorKind::WrongType,
            format!("expected {wanted}, got a {ext} file"),
        )),
        None => {
            let what = if head.is_empty() {
                "an empty file"
            } else {
                "something else (a web page or an error?)"
            };
            Err(DownloadError::new(
                DownloadErrorKind::WrongType,
                format!("expected {wanted}, got {what}"),
            ))
        }
    }
}

/// Removes the temp files of downloads that never finished (`<name>.part-<hex>` in each
/// conversation's media folder): the app was killed mid-download. Best effort; the download
/// itself can be retried by checking the task's status.
pub fn remove_partial_files(media_dir: &Path) {
    let Ok(conversations) = std::fs::read_dir(media_dir) else {
        return;
    };
    for dir in conversations.flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            if file.file_name().to_string_lossy().contains(".part-") {
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn public_and_private_addresses() {
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "2002:0808:0808::1",
        ] {
            assert!(is_public(ip(s)), "{s}");
        }
        for s in [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "0.1.2.3",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "fec0::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::10.0.0.1",
            "2002:0a00:0001::1",
            "2001:db8::1",
            "2001:0:1::1",
        ] {
            assert!(!is_public(ip(s)), "{s}");
        }
        assert!(is_loopback(ip("::ffff:127.0.0.1")));
        assert!(!is_loopback(ip("10.0.0.1")));
    }

    #[test]
    fn magic_bytes() {
        let mp4 = b"\0\0\0\x20ftypisom\0\0\x02\0";
        assert_eq!(sniff(mp4, MediaKind::Video).ok(), Some("mp4"));
        assert_eq!(
            sniff(b"\0\0\0\x14ftypqt  \0\0\0\0", MediaKind::Video).ok(),
            Some("mov")
        );
        assert_eq!(
            sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1, 2, 3, 4], MediaKind::Video).ok(),
            Some("webm")
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0], MediaKind::Image).ok(),
            Some("jpg")
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n", MediaKind::Image).ok(),
            Some("png")
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 ", MediaKind::Image).ok(),
            Some("webp")
        );
        assert_eq!(sniff(b"GIF89a", MediaKind::Image).ok(), Some("gif"));
        assert_eq!(
            sniff(mp4, MediaKind::Image).map_err(|e| e.kind),
            Err(DownloadErrorKind::WrongType)
        );
        assert_eq!(
            sniff(b"<!doctype html>", MediaKind::Video).map_err(|e| e.kind),
            Err(DownloadErrorKind::WrongType)
        );
        assert_eq!(
            sniff(b"", MediaKind::Image).map_err(|e| e.kind),
            Err(DownloadErrorKind::WrongType)
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0AVI ", MediaKind::Image).map_err(|e| e.kind),
            Err(DownloadErrorKind::WrongType)
        );
    }
}
