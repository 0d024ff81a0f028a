//! The trust report: each trust test appends one JSON line per case to
//! `${REELCHAT_TRUST_REPORT_DIR:-$CARGO_TARGET_DIR/trust-report}/<test-name>.jsonl`:
//! `{"layer":"rust","category":"attack"|"fault"|"bad_input","name":…,"lost":bool,"detail":…}`.
//! `scripts/trust-summary` counts them. A case is written before it is asserted, so a
//! failing case still shows up as lost. Clearing the folder is the caller's job.
//! (Also used by reelchat-protocol's tests through `#[path]`.)
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy)]
pub enum Category {
    /// A hostile server or input tries to run code, leak data or the key.
    Attack,
    /// A crash, a cut connection, a full disk: something breaks.
    Fault,
    /// Input the user can get wrong.
    BadInput,
}

impl Category {
    fn as_str(self) -> &'static str {
        match self {
            Category::Attack => "attack",
            Category::Fault => "fault",
            Category::BadInput => "bad_input",
        }
    }
}

/// The report folder: `REELCHAT_TRUST_REPORT_DIR`, else `$CARGO_TARGET_DIR/trust-report`,
/// else `trust-report` in the target folder this test binary was built in.
pub fn report_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("REELCHAT_TRUST_REPORT_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("trust-report");
    }
    // <target>/debug/deps/<test binary>
    let exe = std::env::current_exe().unwrap_or_default();
    exe.ancestors()
        .nth(3)
        .map(|t| t.join("trust-report"))
        .unwrap_or_else(|| PathBuf::from("trust-report"))
}

/// Appends one case to `<report_dir>/<test>.jsonl`. Never fails the test: the report is
/// a summary, the assertions are the verdict.
pub fn record(test: &str, category: Category, name: &str, lost: bool, detail: &str) {
    let line = serde_json::json!({
        "layer": "rust",
        "category": category.as_str(),
        "name": name,
        "lost": lost,
        "detail": detail,
    });
    let dir = report_dir();
    let _ = std::fs::create_dir_all(&dir);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{test}.jsonl")));
    if let Ok(mut file) = file {
        // One write per line: concurrent tests append whole lines.
        let _ = file.write_all(format!("{line}\n").as_bytes());
    }
}
