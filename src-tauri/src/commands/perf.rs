//! Performance marks for `scripts/perf.d` (start-up, stream-to-screen latency). The command
//! always exists but does nothing unless the app was started with `REELCHAT_PERF_LOG=<file>`:
//! then each mark is appended to that file as one JSON line
//! `{"mark":…,"wall_ms":…,"t_ms":…,"pid":…,"detail":…}`. `wall_ms` is the webview's wall clock
//! when it painted (Unix epoch, ms), `t_ms` the same since the app's first line of `run()`.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The log file, read once from the environment.
fn log_path() -> Option<&'static std::path::Path> {
    static PATH: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| std::env::var_os("REELCHAT_PERF_LOG").map(Into::into))
        .as_deref()
}

/// The wall clock (ms) when `run()` started; set by [`started`].
static STARTED_MS: OnceLock<f64> = OnceLock::new();

fn wall_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Called first thing in `run()`: the origin of `t_ms`, and a `main` mark.
pub fn started() {
    let now = *STARTED_MS.get_or_init(wall_ms);
    append("main", now, None);
}

/// A mark from the backend itself, now (e.g. `setup`: the data folder is open and the window
/// can be created).
pub fn mark_now(name: &str) {
    append(name, wall_ms(), None);
}

/// True when marks are logged (the app was started with `REELCHAT_PERF_LOG`).
pub fn enabled() -> bool {
    log_path().is_some()
}

/// A mark from the backend with a detail, now.
pub fn mark_now_with(name: &str, detail: serde_json::Value) {
    append(name, wall_ms(), Some(detail));
}

fn append(name: &str, wall_ms: f64, detail: Option<serde_json::Value>) -> bool {
    let Some(path) = log_path() else {
        return false;
    };
    let t_ms = STARTED_MS.get().map(|s| wall_ms - s);
    let line = serde_json::json!({
        "mark": name,
        "wall_ms": wall_ms,
        "t_ms": t_ms,
        "pid": std::process::id(),
        "detail": detail,
    });
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| writeln!(f, "{line}"))
        .is_ok()
}

/// Notes that the webview reached `name` (painted) at `wall_ms`. Returns whether marks are
/// logged at all, so the webview stops calling when they are not.
#[tauri::command]
pub fn perf_mark(name: String, wall_ms: f64, detail: Option<serde_json::Value>) -> bool {
    if log_path().is_none() || name.is_empty() || name.len() > 64 {
        return log_path().is_some();
    }
    append(&name, wall_ms, detail)
}
