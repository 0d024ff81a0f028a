//! ReelChat's protocol core. Everything the app needs to talk to a
//! chat-format video API, with no Tauri dependency:
//!
//! - [`base_url`], [`request`]: checking input and building the request;
//! - [`transport`]: the HTTP client, idle timeout and cancellation;
//! - [`sse_sanitize`], [`sse`]: SSE decoding that survives broken streams;
//! - [`reply_parser`]: the incremental parser, emitting [`ReplyEvent`]s;
//! - [`pipeline`]: body → parser → outcome, shared by app, CLI and tests;
//! - [`error`], [`classify`]: the one error type and how answers map to it;
//! - [`conversation`]: messages, turns, versions and history.

pub mod base_url;
pub mod classify;
pub mod conversation;
pub mod error;
pub mod links;
pub mod pipeline;
pub mod plan;
pub mod reply;
pub mod reply_parser;
pub mod request;
pub mod sse;
pub mod sse_sanitize;
pub mod task_status;
pub mod transport;

pub use conversation::{Content, ImageUrl, Message, Part, Role, Thread, Turn};
pub use error::{ErrorKind, ReelError};
pub use pipeline::{parse_captured, NoSink, ReplyResult, ReplySink};
pub use reply::{
    Completion, Failure, Outcome, Phase, Plan, ReplyEvent, ReplyState, Summary, TaskInfo,
};
pub use reply_parser::ReplyParser;
pub use tokio_util::sync::CancellationToken;
pub use transport::{ApiClient, GenerationRequest, DEFAULT_IDLE_TIMEOUT};
