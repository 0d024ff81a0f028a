//! Relay configuration: who may call it, how fast it generates, what it does by default.

use std::time::Duration;

use crate::scenario::Scenario;

/// How fast a generation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speed {
    /// Whole generation in about 1–2 s: for tests.
    #[default]
    Fast,
    /// Whole generation in about 60 s: looks like the real server, for the app's demo mode.
    Demo,
    /// One heartbeat tick (a queue dot, a progress number) every `tick_ms` milliseconds.
    Custom { tick_ms: u64 },
}

impl Speed {
    /// The pause before each heartbeat: a queue or generation dot, a progress number.
    pub fn tick(self) -> Duration {
        Duration::from_millis(match self {
            Speed::Fast => 60,
            Speed::Demo => 2_800,
            Speed::Custom { tick_ms } => tick_ms,
        })
    }

    /// The pause between two small text deltas (the plan block, the links).
    pub fn text_gap(self) -> Duration {
        Duration::from_millis(match self {
            Speed::Fast => 0,
            Speed::Demo => 20,
            Speed::Custom { tick_ms } => tick_ms / 100,
        })
    }
}

/// How a relay started by [`crate::start`] behaves.
#[derive(Debug, Clone, Default)]
pub struct RelayConfig {
    /// `None`: accept any non-empty key. `Some(k)`: require exactly `k`
    /// (as `Bearer k` or as the bare key).
    pub api_key: Option<String>,
    pub speed: Speed,
    /// The scenario used when the last user message holds no scenario keyword.
    /// `None` means [`Scenario::Success`].
    pub default_scenario: Option<Scenario>,
    /// The port to bind on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}
