//! The bytes in front of `eventsource-stream`. Version 0.2.3 of that crate
//! panics on a leading BOM (even a second one after the one it strips), stalls forever after an invalid UTF-8 byte (and
//! on a multi-byte character split across reads), puts no cap on one event,
//! re-scans a long unfinished line on every read, mishandles a `\r` / `\n`
//! pair split across reads, and drops a last event that has no blank line
//! after it. This sanitizer feeds it only whole, valid UTF-8 lines ending in
//! `\n`, so none of that can happen.
//!
//! It also decides how the lines are handed over, because that crate copies
//! the rest of its buffer after every line it parses (`String::split_off`):
//! given a whole network read it would do work quadratic in the read's
//! length. So the lines go out as short pieces, each one line plus the blank
//! line that usually ends its event, cut out of the read without copying
//! when the read needs no repair.

use std::collections::VecDeque;

use bytes::Bytes;
use memchr::{memchr, memrchr};

use crate::error::{ErrorKind, ReelError};

/// The largest single SSE event accepted.
pub const MAX_EVENT_BYTES: usize = 32 * 1024 * 1024;

const BOM: &[u8] = "\u{feff}".as_bytes();

#[derive(Debug, Default)]
pub struct Sanitizer {
    /// Bytes of a UTF-8 sequence cut at the end of the last read.
    utf8_carry: Vec<u8>,
    started: bool,
    /// The last read ended in `\r`: a `\n` first in the next read belongs to it.
    pending_cr: bool,
    /// The unfinished line (valid UTF-8, line endings normalised).
    partial: Vec<u8>,
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
        let mut out = VecDeque::new();
        self.push_bytes(&Bytes::copy_from_slice(chunk), &mut out)?;
        Ok(joined(out))
    }

    /// The body ended: flush what is left and close the last event.
    pub fn finish(&mut self) -> Result<String, ReelError> {
        let mut out = VecDeque::new();
        self.finish_into(&mut out)?;
        Ok(joined(out))
    }

    /// Take one network read; the lines it completed are appended to `out`
    /// (see the module docs for how they are cut). On an error nothing of
    /// this read is appended.
    pub fn push_bytes(
        &mut self,
        chunk: &Bytes,
        out: &mut VecDeque<Bytes>,
    ) -> Result<(), ReelError> {
        let mark = out.len();
        let text = self.decode(chunk);
        let result = self.accept(text, out);
        if result.is_err() {
            out.truncate(mark);
        }
        result
    }

    /// The body ended: flush what is left and close the last event.
    pub fn finish_into(&mut self, out: &mut VecDeque<Bytes>) -> Result<(), ReelError> {
        if !self.utf8_carry.is_empty() {
            self.utf8_carry.clear();
            let mark = out.len();
            if let Err(e) = self.accept(Bytes::from_static("\u{fffd}".as_bytes()), out) {
                out.truncate(mark);
                return Err(e);
            }
        }
        let mut last = std::mem::take(&mut self.partial);
        if !last.is_empty() {
            last.push(b'\n');
            self.event_open = true;
        }
        if self.event_open {
            last.push(b'\n');
            self.event_open = false;
        }
        if !last.is_empty() {
            out.push_back(Bytes::from(last));
        }
        Ok(())
    }

    /// Valid UTF-8 out of raw bytes: invalid bytes become U+FFFD, a sequence
    /// cut at the end waits for the next read. A read that is valid as it
    /// stands (the usual case) is passed on without a copy.
    fn decode(&mut self, chunk: &Bytes) -> Bytes {
        let mut out = if self.utf8_carry.is_empty() && std::str::from_utf8(chunk).is_ok() {
            chunk.clone()
        } else {
            Bytes::from(self.repair(chunk).into_bytes())
        };
        // Every BOM before the first character goes: `eventsource-stream`
        // would cut the 3-byte BOM one byte in, and panic, if it saw one.
        while !self.started && out.starts_with(BOM) {
            out = out.slice(BOM.len()..);
        }
        if !out.is_empty() {
            self.started = true;
        }
        out
    }

    fn repair(&mut self, chunk: &[u8]) -> String {
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
        out
    }

    /// `text` is valid UTF-8. Normalise its line ends, keep the unfinished
    /// line, hand over the whole ones.
    fn accept(&mut self, mut text: Bytes, out: &mut VecDeque<Bytes>) -> Result<(), ReelError> {
        if self.pending_cr && !text.is_empty() {
            self.pending_cr = false;
            if text.first() == Some(&b'\n') {
                text = text.slice(1..);
            }
        }
        if memchr(b'\r', &text).is_some() {
            self.pending_cr = text.last() == Some(&b'\r');
            text = Bytes::from(normalise_line_ends(&text));
        }
        let Some(last_nl) = memrchr(b'\n', &text) else {
            self.partial.extend_from_slice(&text);
            return self.check_size();
        };
        let head = std::mem::replace(&mut self.partial, text[last_nl + 1..].to_vec());
        self.hand_over(head, text.slice(..=last_nl), out)?;
        self.check_size()
    }

    /// Cut `head` (the line left unfinished by earlier reads) followed by
    /// `lines` (whole lines) into pieces of one line and, when a blank line
    /// follows it, that blank line. Tracks event sizes as it goes: a blank
    /// line ends an event.
    fn hand_over(
        &mut self,
        mut head: Vec<u8>,
        lines: Bytes,
        out: &mut VecDeque<Bytes>,
    ) -> Result<(), ReelError> {
        let mut pos = 0;
        while pos < lines.len() {
            let nl = pos + memchr(b'\n', &lines[pos..]).unwrap_or(lines.len() - 1 - pos);
            let line_len = head.len() + nl - pos;
            let mut end = nl + 1;
            if line_len == 0 {
                self.event_bytes = 0;
                self.event_open = false;
            } else {
                self.event_bytes += line_len + 1;
                self.event_open = true;
                self.check_size()?;
                if lines.get(end) == Some(&b'\n') {
                    end += 1;
                    self.event_bytes = 0;
                    self.event_open = false;
                }
            }
            if head.is_empty() {
                out.push_back(lines.slice(pos..end));
            } else {
                head.extend_from_slice(&lines[pos..end]);
                out.push_back(Bytes::from(std::mem::take(&mut head)));
            }
            pos = end;
        }
        Ok(())
    }

    fn check_size(&self) -> Result<(), ReelError> {
        if self.event_bytes + self.partial.len() > self.max_event_bytes {
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

/// `\r\n` and a lone `\r` both become `\n`.
fn normalise_line_ends(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(cr) = memchr(b'\r', &text[i..]) {
        out.extend_from_slice(&text[i..i + cr]);
        out.push(b'\n');
        i += cr + 1;
        if text.get(i) == Some(&b'\n') {
            i += 1;
        }
    }
    out.extend_from_slice(&text[i..]);
    out
}

fn joined(pieces: VecDeque<Bytes>) -> String {
    let bytes: Vec<u8> = pieces.iter().flat_map(|b| b.iter().copied()).collect();
    // Every piece is valid UTF-8 cut at line ends.
    String::from_utf8(bytes).unwrap_or_default()
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
    fn strips_every_bom_before_the_first_character() {
        assert_eq!(
            run(&[
                b"\xEF\xBB\xBF",
                b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBF"
            ]),
            "data: a\n\n\u{feff}\n\n"
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
