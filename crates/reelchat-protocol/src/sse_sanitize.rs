//! The bytes in front of `eventsource-stream`. Version 0.2.3 of that crate
//! panics on a leading BOM, stalls forever after an invalid UTF-8 byte (and
//! on a multi-byte character split across reads), puts no cap on one event,
//! re-scans a long unfinished line on every read, mishandles a `\r` / `\n`
//! pair split across reads, and drops a last event that has no blank line
//! after it. This sanitizer feeds it only whole, valid UTF-8 lines ending in
//! `\n`, so none of that can happen.

use crate::error::{ErrorKind, ReelError};

/// The largest single SSE event accepted.
pub const MAX_EVENT_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct Sanitizer {
    /// Bytes of a UTF-8 sequence cut at the end of the last read.
    utf8_carry: Vec<u8>,
    started: bool,
    /// The last read ended in `\r`: a `\n` first in the next read belongs to it.
    pending_cr: bool,
    /// The unfinished line (valid UTF-8, line endings normalised).
    partial: String,
    /// Bytes of the event being received (since the last blank line).
    event_bytes: usize,
    /// The last line forwarded was not blank: an event may be open.
    event_open: bool,
    max_event_bytes: usize,
}

impl Sanitizer {
    pub fn new() -> Self {
        Self::with_limit(MAX_EVENT_BYTES)
    }

    pub fn with_limit(max_event_bytes: usize) -> Self {
        Sanitizer {
            max_event_bytes,
            ..Default::default()
        }
    }

    /// Take one network read; returns the whole lines now complete.
    pub fn push(&mut self, chunk: &[u8]) -> Result<String, ReelError> {
        let text = self.decode(chunk);
        self.accept(&text)
    }

    /// The body ended: flush what is left and close the last event.
    pub fn finish(&mut self) -> Result<String, ReelError> {
        let mut tail = String::new();
        if !self.utf8_carry.is_empty() {
            self.utf8_carry.clear();
            tail.push('\u{fffd}');
        }
        let mut out = self.accept(&tail)?;
        if !self.partial.is_empty() {
            let rest = std::mem::take(&mut self.partial);
            out.push_str(&rest);
            out.push('\n');
            self.event_open = true;
        }
        if self.event_open {
            out.push('\n');
            self.event_open = false;
        }
        Ok(out)
    }

    /// Valid UTF-8 out of raw bytes: invalid bytes become U+FFFD, a sequence
    /// cut at the end waits for the next read.
    fn decode(&mut self, chunk: &[u8]) -> String {
        let joined;
        let mut bytes: &[u8] = if self.utf8_carry.is_empty() {
            chunk
        } else {
            let mut v = std::mem::take(&mut self.utf8_carry);
            v.extend_from_slice(chunk);
            joined = v;
            &joined
        };
        let mut out = String::with_capacity(bytes.len());
        loop {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    out.push_str(s);
                    break;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    // SAFETY-free: `valid_up_to` bytes are valid UTF-8.
                    out.push_str(std::str::from_utf8(&bytes[..valid]).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            out.push('\u{fffd}');
                            bytes = &bytes[valid + n..];
                        }
                        None => {
                            self.utf8_carry.extend_from_slice(&bytes[valid..]);
                            break;
                        }
                    }
                }
            }
        }
        if !self.started && !out.is_empty() {
            self.started = true;
            if let Some(rest) = out.strip_prefix('\u{feff}') {
                out = rest.to_string();
            }
        }
        out
    }

    fn accept(&mut self, text: &str) -> Result<String, ReelError> {
        let mut text = text;
        if self.pending_cr && !text.is_empty() {
            self.pending_cr = false;
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        let normalised;
        let text = if text.contains('\r') {
            self.pending_cr = text.ends_with('\r');
            normalised = text.replace("\r\n", "\n").replace('\r', "\n");
            normalised.as_str()
        } else {
            text
        };
        let Some(last_nl) = text.rfind('\n') else {
            self.partial.push_str(text);
            self.check_size(0)?;
            return Ok(String::new());
        };
        let mut out = std::mem::take(&mut self.partial);
        out.push_str(&text[..=last_nl]);
        self.partial.push_str(&text[last_nl + 1..]);
        self.count_events(&out)?;
        self.check_size(0)?;
        Ok(out)
    }

    /// Track event sizes over whole lines; a blank line ends an event.
    fn count_events(&mut self, lines: &str) -> Result<(), ReelError> {
        for line in lines.split_terminator('\n') {
            if line.is_empty() {
                self.event_bytes = 0;
                self.event_open = false;
            } else {
                self.event_bytes += line.len() + 1;
                self.event_open = true;
                self.check_size(0)?;
            }
        }
        Ok(())
    }

    fn check_size(&self, extra: usize) -> Result<(), ReelError> {
        if self.event_bytes + self.partial.len() + extra > self.max_event_bytes {
            Err(ReelError::new(
                ErrorKind::Protocol,
                format!(
                    "one stream event is larger than {} MiB",
                    self.max_event_bytes >> 20
                ),
            ))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(chunks: &[&[u8]]) -> String {
        let mut s = Sanitizer::new();
        let mut out = String::new();
        for c in chunks {
            out.push_str(&s.push(c).unwrap());
        }
        out.push_str(&s.finish().unwrap());
        out
    }

    #[test]
    fn strips_bom_and_normalises_line_ends() {
        assert_eq!(
            run(&[b"\xEF\xBB", b"\xBFdata: a\r", b"\n\r\ndata: b\rdata: c"]),
            "data: a\n\ndata: b\ndata: c\n\n"
        );
    }

    #[test]
    fn repairs_invalid_utf8_and_joins_split_characters() {
        let s = "data: 牛马".as_bytes();
        assert_eq!(
            run(&[&s[..8], &s[8..], b"\xff\n\n"]),
            "data: 牛马\u{fffd}\n\n"
        );
    }

    #[test]
    fn caps_one_event() {
        let mut s = Sanitizer::with_limit(1024);
        assert!(s.push(&[b'a'; 2000]).is_err());
        let mut s = Sanitizer::with_limit(1024);
        for _ in 0..100 {
            assert!(s.push(b"data: 0123456789\n\n").is_ok());
        }
    }
}
