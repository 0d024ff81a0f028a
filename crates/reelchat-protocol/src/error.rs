//! The one error type: a stable `kind` the UI branches on, the server's own
//! message, and a short user-facing text in zh-CN and en.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorKind {
    /// 401 or an invalid key.
    Auth,
    /// Insufficient quota / balance.
    Quota,
    /// 429.
    RateLimited,
    /// Content policy (sentinel_block, moderation_blocked, 违规 …).
    Policy,
    /// Another 4xx, or a bad setting caught before sending.
    BadRequest,
    /// 404 or an unknown model.
    NotFound,
    /// A 5xx JSON answer or an error frame in the stream.
    Server,
    /// An HTML or empty 5xx/52x page from a proxy.
    Gateway,
    /// Connection failed or was lost.
    Network,
    /// No bytes for longer than the idle timeout.
    Timeout,
    /// The server's TLS certificate is not trusted (unknown authority,
    /// expired, wrong name): a network with its own CA needs it in settings.
    Certificate,
    /// The server answered something that is not this protocol.
    Protocol,
    /// The server says generation failed, or finished with no video.
    GenerationFailed,
    /// The user stopped it.
    Cancelled,
    /// A message with an image was refused: the server takes plain text
    /// only (or the image was too large for it).
    ImageRejected,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::Auth,
        ErrorKind::Quota,
        ErrorKind::RateLimited,
        ErrorKind::Policy,
        ErrorKind::BadRequest,
        ErrorKind::NotFound,
        ErrorKind::Server,
        ErrorKind::Gateway,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Certificate,
        ErrorKind::Protocol,
        ErrorKind::GenerationFailed,
        ErrorKind::Cancelled,
        ErrorKind::ImageRejected,
    ];

    /// The stable string form (`"rate_limited"` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Auth => "auth",
            ErrorKind::Quota => "quota",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Policy => "policy",
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Server => "server",
            ErrorKind::Gateway => "gateway",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Certificate => "certificate",
            ErrorKind::Protocol => "protocol",
            ErrorKind::GenerationFailed => "generation_failed",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::ImageRejected => "image_rejected",
        }
    }

    /// A short text for the user. `lang` starting with "zh" gives Chinese.
    pub fn user_text(self, lang: &str) -> &'static str {
        let zh = lang.to_ascii_lowercase().starts_with("zh");
        let (zh_text, en_text) = match self {
            ErrorKind::Auth => ("API 密钥无效或已过期，请在设置中检查。", "The API key is invalid or expired. Check it in Settings."),
            ErrorKind::Quota => ("账户额度不足，请充值后再试。", "Your account is out of quota. Top it up and try again."),
            ErrorKind::RateLimited => ("请求太频繁，请稍等片刻再试。", "Too many requests. Wait a moment and try again."),
            ErrorKind::Policy => ("内容未通过审核，请修改描述后再试。", "The request was blocked by the content policy. Change the description and try again."),
            ErrorKind::BadRequest => ("请求被服务器拒绝，请检查设置和输入。", "The server rejected the request. Check your settings and input."),
            ErrorKind::NotFound => ("找不到接口或模型，请检查服务地址和模型。", "The API or model was not found. Check the base URL and model."),
            ErrorKind::Server => ("服务器出错了，请稍后再试。", "The server had an error. Try again later."),
            ErrorKind::Gateway => ("服务器的网关暂时不可用，请稍后再试。", "The server's gateway is unavailable. Try again later."),
            ErrorKind::Network => ("网络连接失败或中断。", "The network connection failed or was lost."),
            ErrorKind::Timeout => ("服务器长时间没有响应。", "The server stopped responding for too long."),
            ErrorKind::Certificate => ("服务器的证书不受信任。如果你的网络使用自己的证书颁发机构，请在设置 → 网络中添加它。", "The server's certificate is not trusted. If your network uses its own certificate authority, add it in Settings → Network."),
            ErrorKind::Protocol => ("服务器的回复格式无法识别，请检查服务地址。", "The server's reply was not understood. Check the base URL."),
            ErrorKind::GenerationFailed => ("视频生成失败。", "The video could not be generated."),
            ErrorKind::Cancelled => ("已停止。", "Stopped."),
            ErrorKind::ImageRejected => ("服务器不接受带图片的消息，请移除图片后再发送，或换用支持图生视频的服务。", "The server does not accept messages with an image. Remove the image and send again, or use a service that supports image to video."),
        };
        if zh {
            zh_text
        } else {
            en_text
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with its kind and the server's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind}: {message}")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReelError {
    pub kind: ErrorKind,
    /// The server's own words (an HTML page reduced to its title or a short
    /// snippet), or a plain description for local errors.
    pub message: String,
    pub status: Option<u16>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub retry_after_secs: Option<u64>,
}

impl ReelError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ReelError {
            kind,
            message: message.into(),
            status: None,
            retry_after_secs: None,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The user-facing text for this error, in zh-CN or en.
    pub fn user_text(&self, lang: &str) -> &'static str {
        self.kind.user_text(lang)
    }
}
