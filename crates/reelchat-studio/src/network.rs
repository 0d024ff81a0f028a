//! How the app reaches the network: the user's proxy (with its no-proxy
//! list) and extra trusted certificate authorities, validated when saved
//! and turned into the clients for API requests and downloads.
//!
//! Tauri apps on Linux do not follow the desktop's proxy setting, so the
//! proxy is a setting of its own. Without one, reqwest's default stays: the
//! `HTTP_PROXY` / `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` variables.
//!
//! Downloads through a proxy keep their address checks (see
//! `download::check_url`): the target's name is still resolved here and
//! refused if it is or resolves to a non-public address; only when this
//! machine cannot resolve it at all (networks where only the proxy can) is
//! the request left to the proxy, which then resolves it. Literal addresses
//! and `localhost` are always checked; hosts on the no-proxy list connect
//! directly, through the public-only resolver, as without a proxy.

use reelchat_protocol::transport::{NetworkOptions, ProxyOptions};
use reelchat_protocol::ApiClient;

use crate::error::{AppError, AppErrorKind};

/// Longest proxy URL or no-proxy list accepted.
const MAX_LEN: usize = 2000;
/// Largest CA file read (a bundle of a few hundred certificates fits).
const MAX_CA_FILE_BYTES: u64 = 4 << 20;

/// The clients built from the network settings, swapped together.
#[derive(Debug, Clone)]
pub struct NetworkClients {
    pub api: ApiClient,
    /// For results only (see `download::client_with`).
    pub downloader: reqwest::Client,
    /// A proxy is set: downloads whose host this machine cannot resolve are
    /// left to the proxy (see the module docs).
    pub proxied: bool,
}

impl NetworkClients {
    pub fn build(options: &NetworkOptions) -> Result<NetworkClients, AppError> {
        Ok(NetworkClients {
            api: ApiClient::with_network(options)?,
            downloader: crate::download::client_with(options)?,
            proxied: options.proxy.is_some(),
        })
    }
}

/// A proxy URL as typed: trimmed; empty means none. Only `http://`,
/// `https://`, `socks5://` and `socks5h://` (names resolved by the proxy),
/// with a host, optionally a port and credentials, and no path or query.
pub fn normalize_proxy_url(input: &str) -> Result<Option<String>, AppError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > MAX_LEN || s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(AppError::invalid("the proxy address is not valid"));
    }
    let url = url::Url::parse(s).map_err(|e| {
        AppError::invalid(format!(
            "the proxy address is not valid ({e}); use e.g. http://127.0.0.1:8080 or socks5h://127.0.0.1:1080"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(AppError::invalid(format!(
            "the proxy must start with http://, https://, socks5:// or socks5h:// (not {}://)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(AppError::invalid("the proxy address has no host"));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(AppError::invalid(
            "the proxy address must be only scheme, host and port",
        ));
    }
    reqwest::Proxy::all(url.as_str())
        .map_err(|e| AppError::invalid(format!("the proxy address is not valid ({e})")))?;
    // Url adds a trailing "/" to http(s) URLs; keep what the user sees short.
    Ok(Some(url.as_str().trim_end_matches('/').to_string()))
}

/// A no-proxy list as typed: comma- (or space-, or newline-) separated host
/// names, `.domain` suffixes, IP addresses or CIDR ranges, lower-cased and
/// joined with ", ". `*` means no host uses the proxy.
pub fn normalize_no_proxy(input: &str) -> Result<String, AppError> {
    if input.len() > MAX_LEN {
        return Err(AppError::invalid("the no-proxy list is too long"));
    }
    let mut out: Vec<String> = Vec::new();
    for part in input
        .split([',', ' ', '\n', '\t', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let ok = part == "*"
            || part.parse::<std::net::IpAddr>().is_ok()
            || is_cidr(part)
            || is_host_pattern(part);
        if !ok {
            return Err(AppError::invalid(format!(
                "“{part}” is not a host name, domain, IP address or range (e.g. example.com, .corp, 10.0.0.0/8)"
            )));
        }
        let part = part.to_ascii_lowercase();
        if !out.contains(&part) {
            out.push(part);
        }
    }
    Ok(out.join(", "))
}

fn is_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => bits <= 32,
        Ok(std::net::IpAddr::V6(_)) => bits <= 128,
        Err(_) => false,
    }
}

/// `example.com`, `.example.com`, `localhost`, `host-1.corp` (no ports,
/// no wildcards inside).
fn is_host_pattern(s: &str) -> bool {
    let name = s.strip_prefix('.').unwrap_or(s);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A CA path as typed: trimmed; empty means none. Must be absolute.
pub fn normalize_ca_path(input: &str) -> Result<Option<String>, AppError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if !std::path::Path::new(s).is_absolute() {
        return Err(AppError::invalid(
            "the certificate file must be an absolute path",
        ));
    }
    Ok(Some(s.to_string()))
}

/// Read a PEM file of one or more certificates (`-----BEGIN CERTIFICATE-----`)
/// and check that each one can be trusted as a root. A private key, a DER
/// file or anything else is refused with a message that says so.
pub fn load_ca_file(path: &str) -> Result<Vec<reqwest::Certificate>, AppError> {
    let p = std::path::Path::new(path);
    let meta = std::fs::metadata(p).map_err(|e| ca_io(path, &e))?;
    if !meta.is_file() {
        return Err(AppError::invalid(format!("{path} is not a file")));
    }
    if meta.len() > MAX_CA_FILE_BYTES {
        return Err(AppError::invalid(format!(
            "{path} is too large for a certificate file"
        )));
    }
    let bytes = std::fs::read(p).map_err(|e| ca_io(path, &e))?;
    parse_ca_pem(&bytes).map_err(|e| AppError::invalid(format!("{path}: {e}")))
}

/// See [`load_ca_file`].
pub fn parse_ca_pem(bytes: &[u8]) -> Result<Vec<reqwest::Certificate>, String> {
    let text = String::from_utf8_lossy(bytes);
    let blocks = text.matches("-----BEGIN CERTIFICATE-----").count();
    if blocks == 0 {
        return Err(if text.contains("PRIVATE KEY-----") {
            "this is a private key, not a certificate (choose the CA's .pem or .crt file)".into()
        } else if text.contains("-----BEGIN ") {
            "no certificate in this PEM file (expected -----BEGIN CERTIFICATE-----)".into()
        } else {
            "not a PEM certificate file (expected -----BEGIN CERTIFICATE-----; convert a DER file with `openssl x509 -inform der`)".into()
        });
    }
    let certs = reqwest::Certificate::from_pem_bundle(bytes)
        .map_err(|e| format!("a certificate could not be read: {e}"))?;
    if certs.len() != blocks {
        return Err(format!(
            "{} of {blocks} certificates could not be read",
            blocks.saturating_sub(certs.len())
        ));
    }
    // reqwest checks each certificate's encoding only when a client is
    // built with it: do it now, so a bad file is refused when saved.
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .no_proxy();
    for c in &certs {
        builder = builder.add_root_certificate(c.clone());
    }
    builder.build().map_err(|e| {
        let mut msg = e.to_string();
        if let Some(s) = std::error::Error::source(&e) {
            msg = format!("{msg}: {s}");
        }
        format!("not a valid certificate ({msg})")
    })?;
    Ok(certs)
}

fn ca_io(path: &str, e: &std::io::Error) -> AppError {
    AppError::new(
        AppErrorKind::Io,
        format!("the certificate file {path} could not be read: {e}"),
    )
}

/// The options for the given settings. Reads the CA file again (it may
/// have been renewed since it was saved).
pub fn options_for(
    proxy_url: Option<&str>,
    no_proxy: &str,
    ca_cert_path: Option<&str>,
) -> Result<NetworkOptions, AppError> {
    let proxy = proxy_url.map(|url| ProxyOptions {
        url: url.to_string(),
        no_proxy: no_proxy.to_string(),
    });
    let extra_roots = match ca_cert_path {
        Some(p) => load_ca_file(p)?,
        None => Vec::new(),
    };
    Ok(NetworkOptions { proxy, extra_roots })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls() {
        assert_eq!(normalize_proxy_url("  ").unwrap(), None);
        for (input, want) in [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            (" http://proxy.corp:3128/ ", "http://proxy.corp:3128"),
            ("https://proxy.corp", "https://proxy.corp"),
            ("socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080"),
            (
                "SOCKS5H://u:p@127.0.0.1:1080",
                "socks5h://u:p@127.0.0.1:1080",
            ),
        ] {
            assert_eq!(
                normalize_proxy_url(input).unwrap().as_deref(),
                Some(want),
                "{input}"
            );
        }
        for bad in [
            "127.0.0.1:8080",
            "ftp://proxy:21",
            "socks4://proxy:1080",
            "http://",
            "http://proxy:8080/path",
            "http://proxy:8080/?q=1",
            "http://pro xy:8080",
            "javascript:alert(1)",
        ] {
            assert!(normalize_proxy_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_proxy_lists() {
        assert_eq!(normalize_no_proxy("").unwrap(), "");
        assert_eq!(
            normalize_no_proxy(" Example.com,.corp ; 10.0.0.0/8\n192.168.1.5, ::1, *,example.com")
                .unwrap(),
            "example.com, .corp, 10.0.0.0/8, 192.168.1.5, ::1, *"
        );
        for bad in [
            "http://example.com",
            "example.com:8080",
            "a..b",
            "10.0.0.0/99",
            "-x.com",
        ] {
            assert!(normalize_no_proxy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ca_files_must_be_pem_certificates() {
        let key = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
        assert!(parse_ca_pem(key.as_bytes())
            .unwrap_err()
            .contains("private key"));
        assert!(parse_ca_pem(b"\x30\x82\x01\x0a binary der")
            .unwrap_err()
            .contains("not a PEM"));
        let garbage = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n";
        assert!(parse_ca_pem(garbage.as_bytes()).is_err());
        assert!(normalize_ca_path("relative/ca.pem").is_err());
        assert_eq!(normalize_ca_path(" ").unwrap(), None);
    }
}
