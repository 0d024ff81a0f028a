//! The smallest Tauri 2 window: an empty page that reports its first paint (see dist/ready.js)
//! through the same `perf_mark` command and log format as ReelChat.

use std::io::Write;

/// Appends `{"mark":…,"wall_ms":…,"pid":…,"detail":…}` to $REELCHAT_PERF_LOG, if set.
#[tauri::command]
fn perf_mark(name: String, wall_ms: f64, detail: Option<serde_json::Value>) -> bool {
    let Some(path) = std::env::var_os("REELCHAT_PERF_LOG") else {
        return false;
    };
    let line = serde_json::json!({
        "mark": name,
        "wall_ms": wall_ms,
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

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![perf_mark])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("minimal window: {e}");
        std::process::exit(1);
    }
}
