//! Send times of progress values, for the stream-to-screen latency measurement
//! (`scripts/perf.d/40-latency`): the relay notes the wall-clock time just before it sends
//! each progress number, the app notes when the card shows it, a script joins the two.
//!
//! Two prompt modifiers, combinable with any streamed scenario:
//! - `[stamp]`: each progress value goes out as one delta (`37..`) and its send time is noted;
//! - `[flood]`: `[stamp]`, and progress runs 1…99 with [`FLOOD_FILL`] one-dot deltas after each
//!   value, every delta paced one tick apart (`--tick-ms 1`: 1000 deltas a second).
//!
//! `GET /__stamps` lists the notes. Nothing is noted without a modifier, so the demo relay
//! inside the app never accumulates them.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::stream::Step;
use crate::{lock, AppState};

/// One-dot deltas after each progress value of a `[flood]` stream.
pub const FLOOD_FILL: usize = 9;

/// At most this many notes are kept (a measurement needs a few thousand).
const MAX_STAMPS: usize = 200_000;

/// The modifiers found in a prompt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamping {
    pub stamp: bool,
    pub flood: bool,
}

impl Stamping {
    pub fn from_prompt(prompt: &str) -> Self {
        let text = prompt.to_lowercase();
        let flood = text.contains("[flood]");
        Stamping {
            stamp: flood || text.contains("[stamp]"),
            flood,
        }
    }

    /// The progress values to send: the scenario's own, or 1…99 for a flood.
    pub fn values(self, scripted: Vec<u8>) -> Vec<u8> {
        if self.flood {
            (1..=99).collect()
        } else {
            scripted
        }
    }

    /// The pause before a progress value.
    pub fn pause(self) -> Step {
        if self.flood {
            Step::Pace
        } else {
            Step::Tick
        }
    }

    /// A stamped progress value: the note, then the value as one delta (so the note is taken
    /// just before the number is complete on the wire), then a flood's filler.
    pub fn push_value(self, steps: &mut Vec<Step>, task: &str, value: u8) {
        steps.push(Step::Stamp {
            task: task.to_string(),
            value,
        });
        steps.push(Step::Delta {
            text: format!("{value}.."),
            split_bytes: false,
        });
        if self.flood {
            for _ in 0..FLOOD_FILL {
                steps.push(Step::Pace);
                steps.push(Step::Delta {
                    text: ".".into(),
                    split_bytes: false,
                });
            }
        }
    }
}

/// One note: progress `value` of task `task_id` was sent at `sent_ms` (Unix epoch, ms).
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    pub task_id: String,
    pub value: u8,
    pub sent_ms: f64,
}

/// The notes of one relay.
#[derive(Debug, Default)]
pub struct StampStore {
    stamps: Mutex<Vec<Stamp>>,
}

impl StampStore {
    pub fn record(&self, task_id: &str, value: u8) {
        let sent_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        let mut stamps = lock(&self.stamps);
        if stamps.len() < MAX_STAMPS {
            stamps.push(Stamp {
                task_id: task_id.to_string(),
                value,
                sent_ms,
            });
        }
    }

    pub fn all(&self) -> Vec<Stamp> {
        lock(&self.stamps).clone()
    }
}

/// `GET /__stamps`.
pub async fn list_stamps(State(state): State<Arc<AppState>>) -> Json<Vec<Stamp>> {
    Json(state.stamps.all())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_come_from_the_prompt() {
        assert_eq!(Stamping::from_prompt("a cat"), Stamping::default());
        let stamp = Stamping::from_prompt("a cat [STAMP]");
        assert!(stamp.stamp && !stamp.flood);
        let flood = Stamping::from_prompt("[flood] a cat");
        assert!(flood.stamp && flood.flood);
        assert_eq!(flood.values(vec![5, 20]).len(), 99);
        assert_eq!(stamp.values(vec![5, 20]), vec![5, 20]);
    }

    #[test]
    fn a_flood_value_is_one_note_and_ten_deltas() {
        let mut steps = Vec::new();
        Stamping::from_prompt("[flood]").push_value(&mut steps, "task_1", 7);
        assert_eq!(
            steps[0],
            Step::Stamp {
                task: "task_1".into(),
                value: 7
            }
        );
        let deltas = steps
            .iter()
            .filter(|s| matches!(s, Step::Delta { .. }))
            .count();
        assert_eq!(deltas, 1 + FLOOD_FILL);
        assert_eq!(
            steps.iter().filter(|s| **s == Step::Pace).count(),
            FLOOD_FILL
        );
    }
}
