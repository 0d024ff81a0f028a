//! The one error the app's commands return: a stable `kind` the UI branches
//! on (the protocol's kinds plus the app's own), the underlying message, and
//! the wait for `rate_limited`.

use reelchat_protocol::{ErrorKind, ReelError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum AppErrorKind {
    // From the API (see reelchat_protocol::ErrorKind).
    Auth,
    Quota,
    RateLimited,
    Policy,
    BadRequest,
    NotFound,
    Server,
    Gateway,
    Network,
    Timeout,
    /// The server's TLS certificate is not trusted.
    Certificate,
    Protocol,
    GenerationFailed,
    Cancelled,
    /// A message with an image was refused (the server takes text only).
    ImageRejected,
    // The app's own.
    /// Input the user can fix (empty prompt, bad URL, name too long …).
    InvalidInput,
    /// A generation is already running in this conversation.
    Busy,
    /// No API key is set.
    NoKey,
    DiskFull,
    ReadOnly,
    /// A local file could not be read or written.
    Io,
    /// A download was refused or failed.
    Download,
    /// The OS keychain failed.
    Keychain,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind:?}: {message}")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AppError {
    pub kind: AppErrorKind,
    pub message: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub retry_after_secs: Option<u64>,
}

impl AppError {
    pub fn new(kind: AppErrorKind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: message.into(),
            retry_after_secs: None,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(AppErrorKind::InvalidInput, message)
    }
}

impl From<ErrorKind> for AppErrorKind {
    fn from(k: ErrorKind) -> Self {
        match k {
            ErrorKind::Auth => AppErrorKind::Auth,
            ErrorKind::Quota => AppErrorKind::Quota,
            ErrorKind::RateLimited => AppErrorKind::RateLimited,
            ErrorKind::Policy => AppErrorKind::Policy,
            ErrorKind::BadRequest => AppErrorKind::BadRequest,
            ErrorKind::NotFound => AppErrorKind::NotFound,
            ErrorKind::Server => AppErrorKind::Server,
            ErrorKind::Gateway => AppErrorKind::Gateway,
            ErrorKind::Network => AppErrorKind::Network,
            ErrorKind::Timeout => AppErrorKind::Timeout,
            ErrorKind::Certificate => AppErrorKind::Certificate,
            ErrorKind::Protocol => AppErrorKind::Protocol,
            ErrorKind::GenerationFailed => AppErrorKind::GenerationFailed,
            ErrorKind::Cancelled => AppErrorKind::Cancelled,
            ErrorKind::ImageRejected => AppErrorKind::ImageRejected,
        }
    }
}

impl From<ReelError> for AppError {
    fn from(e: ReelError) -> Self {
        AppError {
            kind: e.kind.into(),
            message: e.message,
            retry_after_secs: e.retry_after_secs,
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreErrorKind as K;
        let kind = match e.kind {
            K::DiskFull => AppErrorKind::DiskFull,
            K::ReadOnly => AppErrorKind::ReadOnly,
            K::NotFound => AppErrorKind::InvalidInput,
            K::Corrupt | K::Io => AppErrorKind::Io,
        };
        AppError::new(kind, e.message)
    }
}

impl From<crate::download::DownloadError> for AppError {
    fn from(e: crate::download::DownloadError) -> Self {
        use crate::download::DownloadErrorKind as K;
        let kind = match e.kind {
            K::DiskFull => AppErrorKind::DiskFull,
            K::Cancelled => AppErrorKind::Cancelled,
            K::Certificate => AppErrorKind::Certificate,
            _ => AppErrorKind::Download,
        };
        AppError::new(kind, e.message)
    }
}

impl From<crate::secrets::SecretError> for AppError {
    fn from(e: crate::secrets::SecretError) -> Self {
        let kind = if e.invalid_input {
            AppErrorKind::InvalidInput
        } else {
            AppErrorKind::Keychain
        };
        AppError::new(kind, e.message)
    }
}
