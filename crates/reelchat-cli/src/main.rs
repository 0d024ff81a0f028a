//! `reelchat-cli`: parse a captured response body, or send one request,
//! through the same core the desktop app uses. The summary JSON goes to
//! stdout; human-readable progress to stderr.

mod args;
mod progress;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use args::{Command, USAGE};
use progress::StderrProgress;
use reelchat_protocol::{
    parse_captured, ApiClient, CancellationToken, GenerationRequest, Message, Outcome, ReplyResult,
};

fn main() -> ExitCode {
    let cmd = match args::parse(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("reelchat-cli: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("reelchat-cli: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    rt.block_on(run(cmd))
}

async fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::Help => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::Parse { file, chunk_size } => {
            let body = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("reelchat-cli: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let result = parse_captured(&body, chunk_size, &mut reelchat_protocol::NoSink).await;
            print_summary(&result);
            ExitCode::SUCCESS
        }
        Command::Send {
            base_url,
            model,
            api_key,
            history,
            idle_timeout,
            prompt,
        } => {
            let mut messages = history;
            messages.push(Message::user(prompt));
            let req = GenerationRequest {
                base_url,
                api_key,
                model,
                messages,
                idle_timeout: Duration::from_secs(idle_timeout),
            };
            let client = match ApiClient::new() {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("reelchat-cli: {e}");
                    return ExitCode::from(1);
                }
            };
            let cancel = CancellationToken::new();
            let ctrl_c = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    ctrl_c.cancel();
                }
            });
            let mut progress = StderrProgress::new();
            let result = client.generate(&req, &cancel, &mut progress).await;
            progress.finish(&result);
            print_summary(&result);
            if result.outcome == Outcome::Succeeded {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn print_summary(result: &ReplyResult) {
    let json = serde_json::to_string_pretty(&result.summary())
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{json}");
    let _ = out.flush();
}
