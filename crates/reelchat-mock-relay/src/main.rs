//! `reelchat-mock-relay [--port N] [--speed fast|demo] [--tick-ms MS] [--api-key KEY] [--scenario NAME]`
//! Prints `listening on http://127.0.0.1:PORT` and serves until killed.

use std::io::Write;

use clap::{Parser, ValueEnum};
use reelchat_mock_relay::{start, RelayConfig, Scenario, Speed};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SpeedArg {
    /// Whole generation in about 1–2 s.
    Fast,
    /// Whole generation in about 60 s.
    Demo,
}

/// A local mock of the chat-format video API, on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Generation speed.
    #[arg(long, value_enum, default_value_t = SpeedArg::Fast)]
    speed: SpeedArg,
    /// Heartbeat interval in milliseconds; overrides --speed.
    #[arg(long)]
    tick_ms: Option<u64>,
    /// Require exactly this key (default: accept any non-empty key).
    #[arg(long)]
    api_key: Option<String>,
    /// Scenario for prompts without a [keyword]: success, fail, policy, policy-http, 401,
    /// 429, 502, 524, cut, stall, slow, error-frame, resubmit, heartbeat, reset-mid-event,
    /// hostile-html, hostile-links, exfil-image, private-video, private-loopback, html-video,
    /// huge-video, redirect-auth.
    #[arg(long)]
    scenario: Option<Scenario>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let speed = match (args.tick_ms, args.speed) {
        (Some(tick_ms), _) => Speed::Custom { tick_ms },
        (None, SpeedArg::Fast) => Speed::Fast,
        (None, SpeedArg::Demo) => Speed::Demo,
    };
    let relay = start(RelayConfig {
        api_key: args.api_key,
        speed,
        default_scenario: args.scenario,
        port: args.port,
    })
    .await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {}", relay.base_url())?;
    stdout.flush()?;
    wait_for_signal().await;
    relay.shutdown().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
