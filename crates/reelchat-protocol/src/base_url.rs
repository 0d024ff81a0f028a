//! The API's base URL as a user types it, turned into endpoint URLs.

use crate::error::{ErrorKind, ReelError};

/// A checked base URL: http(s), with a host, without a trailing `/` or `/v1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(url::Url);

impl BaseUrl {
    /// Accepts `https://host`, `https://host/`, `https://host/v1`,
    /// `https://host/api` (a path prefix) and even a pasted
    /// `…/v1/chat/completions`. Refuses empty and non-http(s) input.
    pub fn parse(input: &str) -> Result<Self, ReelError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ReelError::new(
                ErrorKind::BadRequest,
                "the base URL is empty",
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ReelError::new(
                ErrorKind::BadRequest,
                format!("the base URL contains spaces: {s:?}"),
            ));
        }
        let mut url = url::Url::parse(s).map_err(|e| {
            ReelError::new(
                ErrorKind::BadRequest,
                format!("the base URL is not a valid URL ({e}): {s}"),
            )
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(ReelError::new(
                ErrorKind::BadRequest,
                format!(
                    "the base URL must start with http:// or https://, not {}:",
                    url.scheme()
                ),
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ReelError::new(
                ErrorKind::BadRequest,
                "the base URL has no host",
            ));
        }
        url.set_query(None);
        url.set_fragment(None);
        let mut path = url.path().trim_end_matches('/').to_string();
        for suffix in ["/chat/completions", "/models"] {
            if let Some(p) = path.strip_suffix(suffix) {
                path = p.to_string();
            }
        }
        if let Some(p) = path.strip_suffix("/v1") {
            path = p.to_string();
        }
        url.set_path(path.trim_end_matches('/'));
        Ok(BaseUrl(url))
    }

    fn join(&self, tail: &str) -> String {
        let base = self.0.as_str().trim_end_matches('/');
        format!("{base}{tail}")
    }

    /// `{base}/v1/chat/completions`
    pub fn chat_completions(&self) -> String {
        self.join("/v1/chat/completions")
    }

    /// `{base}/v1/models`
    pub fn models(&self) -> String {
        self.join("/v1/models")
    }

    /// The origin (scheme, host, port) the API key may be sent to.
    pub fn origin(&self) -> url::Origin {
        self.0.origin()
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_forms_users_type() {
        for (input, want) in [
            (
                "https://new.22codex.xyz",
                "https://new.22codex.xyz/v1/chat/completions",
            ),
            (
                "https://new.22codex.xyz/",
                "https://new.22codex.xyz/v1/chat/completions",
            ),
            (
                "https://new.22codex.xyz/v1",
                "https://new.22codex.xyz/v1/chat/completions",
            ),
            (
                "https://new.22codex.xyz/v1/",
                "https://new.22codex.xyz/v1/chat/completions",
            ),
            (" https://host/api ", "https://host/api/v1/chat/completions"),
            (
                "https://host/api/v1/",
                "https://host/api/v1/chat/completions",
            ),
            (
                "https://host/v1/chat/completions",
                "https://host/v1/chat/completions",
            ),
            (
                "http://127.0.0.1:8080",
                "http://127.0.0.1:8080/v1/chat/completions",
            ),
            (
                "HTTPS://Host.example",
                "https://host.example/v1/chat/completions",
            ),
        ] {
            assert_eq!(
                BaseUrl::parse(input).unwrap().chat_completions(),
                want,
                "{input}"
            );
        }
        assert_eq!(
            BaseUrl::parse("https://host/api/").unwrap().models(),
            "https://host/api/v1/models"
        );
    }

    #[test]
    fn refuses_what_cannot_be_an_api() {
        for bad in [
            "",
            "   ",
            "ftp://host",
            "host.example",
            "file:///etc",
            "https://ho st",
            "javascript:alert(1)",
            "https://",
        ] {
            let e = BaseUrl::parse(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadRequest, "{bad}");
        }
    }
}
