//! The network side: one shared HTTP client (rustls), a connect timeout, no
//! total timeout, an idle timeout between bytes, cancellation raced against
//! every await, and never a second request on its own.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use tokio_util::sync::CancellationToken;

use crate::base_url::BaseUrl;
use crate::classify::classify_http;
use crate::conversation::Message;
use crate::error::{ErrorKind, ReelError};
use crate::pipeline::{
    read_event_stream, read_json_body, with_idle_timeout, ReplyResult, ReplySink,
};
use crate::request::{authorization, prepare};

/// Generous by default: generation takes minutes and heartbeats can be sparse.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(600);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// Most bytes read from a body that is not a stream (an error page, a JSON).
pub const MAX_ERROR_BODY: usize = 4 * 1024 * 1024;

/// Hosts that never go through the user's proxy: this machine (the demo
/// relay and the media server live there, and a proxy elsewhere cannot
/// reach them).
pub const ALWAYS_DIRECT: &str = "localhost,127.0.0.0/8,::1";

/// How clients reach the network, from the user's settings. The default is
/// what reqwest does on its own: the `*_PROXY` environment variables if set,
/// and the built-in roots.
#[derive(Debug, Clone, Default)]
pub struct NetworkOptions {
    pub proxy: Option<ProxyOptions>,
    /// Trusted in addition to the built-in roots, never instead of them.
    pub extra_roots: Vec<reqwest::Certificate>,
}

/// One proxy for every request (http, https or socks5/socks5h), except the
/// hosts of `no_proxy` and [`ALWAYS_DIRECT`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyOptions {
    pub url: String,
    /// Comma-separated hosts, domains (`.corp` or `corp` also match
    /// subdomains), IP addresses or CIDR ranges.
    pub no_proxy: String,
}

impl NetworkOptions {
    /// Set the proxy and roots on `builder`. A proxy set here replaces the
    /// environment's (reqwest stops reading `*_PROXY` once one is added).
    pub fn apply(
        &self,
        mut builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, ReelError> {
        if let Some(p) = &self.proxy {
            let list = if p.no_proxy.trim().is_empty() {
                ALWAYS_DIRECT.to_string()
            } else {
                format!("{},{ALWAYS_DIRECT}", p.no_proxy)
            };
            let proxy = reqwest::Proxy::all(p.url.as_str())
                .map_err(|e| ReelError::new(ErrorKind::BadRequest, format!("invalid proxy: {e}")))?
                .no_proxy(reqwest::NoProxy::from_string(&list));
            builder = builder.proxy(proxy);
        }
        for cert in &self.extra_roots {
            builder = builder.add_root_certificate(cert.clone());
        }
        Ok(builder)
    }

    /// The proxy's host name, if the proxy is named rather than numbered
    /// (a resolver that filters addresses must still let this one through).
    pub fn proxy_host(&self) -> Option<String> {
        let p = self.proxy.as_ref()?;
        match url::Url::parse(&p.url).ok()?.host()? {
            url::Host::Domain(d) => Some(d.to_ascii_lowercase()),
            _ => None,
        }
    }
}

/// One generation request.
#[derive(Debug, Clone)]
pub struct GenerationRequest {
    pub base_url: String,
    pub api_key: String,
    pub model: String,
    pub messages: Vec<Message>,
    pub idle_timeout: Duration,
}

/// The shared client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
}

impl ApiClient {
    /// A client that connects directly (or through the proxy the
    /// environment names) and trusts the built-in roots only.
    pub fn new() -> Result<Self, ReelError> {
        Self::with_network(&NetworkOptions::default())
    }

    /// A client that goes through the user's proxy and also trusts the
    /// user's extra certificate authorities.
    pub fn with_network(network: &NetworkOptions) -> Result<Self, ReelError> {
        let builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("ReelChat/", env!("CARGO_PKG_VERSION")))
            // Follow a redirect only on the same host: the key must never
            // travel to another one.
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let same_host = attempt
                    .previous()
                    .last()
                    .is_some_and(|prev| prev.host_str() == attempt.url().host_str());
                if same_host && attempt.previous().len() < 5 {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }));
        let http = network
            .apply(builder)?
            .build()
            .map_err(|e| ReelError::new(ErrorKind::Network, e.to_string()))?;
        Ok(ApiClient { http })
    }

    /// The underlying HTTP client, for downloads that share its settings.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Send one generation request and read its reply to the end. Exactly
    /// one HTTP request is made; failures are returned, never retried.
    pub async fn generate(
        &self,
        req: &GenerationRequest,
        cancel: &CancellationToken,
        sink: &mut dyn ReplySink,
    ) -> ReplyResult {
        match self.generate_inner(req, cancel, sink).await {
            Ok(r) => r,
            Err(e) => ReplyResult::from_error(e),
        }
    }

    async fn generate_inner(
        &self,
        req: &GenerationRequest,
        cancel: &CancellationToken,
        sink: &mut dyn ReplySink,
    ) -> Result<ReplyResult, ReelError> {
        let prepared = prepare(&req.base_url, &req.api_key, &req.model, &req.messages)?;
        let send = self
            .http
            .post(&prepared.url)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json, text/event-stream")
            .header(AUTHORIZATION, &prepared.authorization)
            .body(prepared.body)
            .send();
        let resp = race(cancel, req.idle_timeout, send)
            .await?
            .map_err(from_reqwest)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let content_type = header(&headers, CONTENT_TYPE.as_str());
        let is_stream = content_type
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().contains("text/event-stream"));
        if resp.status().is_success() && is_stream {
            let reads = resp.bytes_stream().map(|r| r.map_err(from_reqwest));
            let reads = with_idle_timeout(reads, req.idle_timeout);
            return Ok(read_event_stream(reads, cancel, sink).await);
        }
        let body = read_capped(resp, cancel, req.idle_timeout).await?;
        let text = String::from_utf8_lossy(&body);
        let is_json = content_type.as_deref().is_some_and(|c| c.contains("json"))
            || text.trim_start().starts_with('{');
        if (200..300).contains(&status) && is_json {
            return Ok(read_json_body(&text, sink));
        }
        Err(classify_http(
            status,
            header(&headers, RETRY_AFTER.as_str()).as_deref(),
            content_type.as_deref(),
            &text,
        ))
    }

    /// `GET /v1/models`: the model ids the key can use.
    pub async fn list_models(
        &self,
        base_url: &str,
        api_key: &str,
        cancel: &CancellationToken,
    ) -> Result<Vec<String>, ReelError> {
        let base = BaseUrl::parse(base_url)?;
        let auth = authorization(api_key)?;
        let send = self
            .http
            .get(base.models())
            .header(AUTHORIZATION, auth)
            .header(ACCEPT, "application/json")
            .send();
        let v = self.get_json(send, cancel).await?;
        let ids = v
            .get("data")
            .and_then(|d| d.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.get("id").and_then(|i| i.as_str()).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Ok(ids)
    }
}

/// Await `fut` unless the user cancels or nothing happens for `idle`.
async fn race<F: std::future::Future>(
    cancel: &CancellationToken,
    idle: Duration,
    fut: F,
) -> Result<F::Output, ReelError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(ReelError::new(ErrorKind::Cancelled, "stopped by the user")),
        r = tokio::time::timeout(idle, fut) => r.map_err(|_| ReelError::new(ErrorKind::Timeout, format!("no answer from the server for {} s", idle.as_secs()))),
    }
}

/// Read a non-stream body, at most [`MAX_ERROR_BODY`] bytes.
async fn read_capped(
    resp: reqwest::Response,
    cancel: &CancellationToken,
    idle: Duration,
) -> Result<Vec<u8>, ReelError> {
    let mut reads = resp.bytes_stream();
    let mut body = Vec::new();
    while let Some(chunk) = race(cancel, idle, reads.next()).await? {
        let chunk = chunk.map_err(from_reqwest)?;
        let room = MAX_ERROR_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    Ok(body)
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A transport error, with its causes, as `network` or `timeout`.
pub fn from_reqwest(e: reqwest::Error) -> ReelError {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else if is_certificate_error(&msg) {
        ErrorKind::Certificate
    } else {
        ErrorKind::Network
    };
    ReelError::new(kind, msg)
}

/// Whether a transport error's text (with its causes) says the server's
/// certificate was refused. rustls words it "invalid peer certificate: …"
/// (UnknownIssuer, Expired, NotValidForName …); the error types themselves
/// are behind reqwest's boxed sources, so the text is what is stable.
pub fn is_certificate_error(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("invalid peer certificate")
        || t.contains("unknownissuer")
        || t.contains("certificate verify failed")
        || t.contains("self signed certificate")
        || t.contains("self-signed certificate")
}

impl ApiClient {
    /// Fetch a task's raw data (原始数据) to learn its fate. The API key is
    /// sent only when the link is on the API's own origin.
    pub async fn fetch_task_status(
        &self,
        raw_data_url: &str,
        api: Option<(&str, &str)>,
        cancel: &CancellationToken,
    ) -> Result<crate::task_status::TaskStatus, ReelError> {
        let url = url::Url::parse(raw_data_url)
            .map_err(|e| ReelError::new(ErrorKind::BadRequest, format!("bad task link: {e}")))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(ReelError::new(
                ErrorKind::BadRequest,
                "the task link is not http(s)",
            ));
        }
        let mut req = self
            .http
            .get(url.clone())
            .header(ACCEPT, "application/json");
        if let Some((base_url, key)) = api {
            if BaseUrl::parse(base_url).is_ok_and(|b| b.origin() == url.origin()) {
                req = req.header(AUTHORIZATION, authorization(key)?);
            }
        }
        let v = self.get_json(req.send(), cancel).await?;
        Ok(crate::task_status::parse_task_status(&v))
    }

    /// A short GET whose answer is JSON: a non-2xx or non-JSON answer is
    /// classified like any other error body.
    async fn get_json(
        &self,
        send: impl std::future::Future<Output = Result<reqwest::Response, reqwest::Error>>,
        cancel: &CancellationToken,
    ) -> Result<serde_json::Value, ReelError> {
        let resp = race(cancel, CONNECT_TIMEOUT * 3, send)
            .await?
            .map_err(from_reqwest)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = read_capped(resp, cancel, CONNECT_TIMEOUT * 3).await?;
        let text = String::from_utf8_lossy(&body);
        let classify = || {
            classify_http(
                status,
                header(&headers, RETRY_AFTER.as_str()).as_deref(),
                header(&headers, CONTENT_TYPE.as_str()).as_deref(),
                &text,
            )
        };
        if !(200..300).contains(&status) {
            return Err(classify());
        }
        serde_json::from_str(&text).map_err(|_| classify())
    }
}
