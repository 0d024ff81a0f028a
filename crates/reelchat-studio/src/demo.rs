//! Demo mode: the mock relay started inside the app on loopback, so a user
//! without a key can try everything.

use reelchat_mock_relay::{RelayConfig, RelayHandle, Speed};

/// The key the demo relay expects (it is not a secret: the relay is local).
pub const DEMO_KEY: &str = "demo-key";

/// Start the demo relay. `REELCHAT_DEMO_SPEED=fast` makes generations take
/// about a second (end-to-end tests); the default takes about a minute.
pub async fn start_demo_relay() -> std::io::Result<RelayHandle> {
    let speed = match std::env::var("REELCHAT_DEMO_SPEED").as_deref() {
        Ok("fast") => Speed::Fast,
        Ok(ms) if ms.parse::<u64>().is_ok() => Speed::Custom {
            tick_ms: ms.parse().unwrap_or(100),
        },
        _ => Speed::Demo,
    };
    reelchat_mock_relay::start(RelayConfig {
        api_key: Some(DEMO_KEY.into()),
        speed,
        ..Default::default()
    })
    .await
}
