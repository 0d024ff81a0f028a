//! Human-readable progress on stderr while a request runs.

use std::io::Write;

use reelchat_protocol::{Outcome, ReplyEvent, ReplyParser, ReplyResult, ReplySink};

pub struct StderrProgress {
    started: std::time::Instant,
}

impl StderrProgress {
    pub fn new() -> Self {
        StderrProgress {
            started: std::time::Instant::now(),
        }
    }

    fn line(&self, text: &str) {
        let secs = self.started.elapsed().as_secs();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "[{:>3}:{:02}] {text}", secs / 60, secs % 60);
    }

    pub fn finish(&self, result: &ReplyResult) {
        let outcome = match result.outcome {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Interrupted => "interrupted",
        };
        match &result.failure {
            Some(f) => self.line(&format!(
                "{outcome}: {} — {} ({})",
                f.kind,
                f.message,
                f.kind.user_text("en")
            )),
            None => self.line(outcome),
        }
    }
}

impl ReplySink for StderrProgress {
    fn on_events(&mut self, events: &[ReplyEvent], _parser: &ReplyParser) {
        for e in events {
            let text = match e {
                ReplyEvent::Plan(p) => format!("plan: {}", p.prompt.as_deref().unwrap_or("")),
                ReplyEvent::Task(t) => format!("task {}", t.id),
                ReplyEvent::Queued => "queued".to_string(),
                ReplyEvent::Generating => "generating".to_string(),
                ReplyEvent::Progress { percent } => format!("progress {percent}%"),
                ReplyEvent::Completed(c) => format!("completed: {}", c.video_url),
                ReplyEvent::Failed(f) => format!("failed ({}): {}", f.kind, f.message),
            };
            self.line(&text);
        }
    }
}
