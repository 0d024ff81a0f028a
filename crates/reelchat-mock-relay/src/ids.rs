//! Randomness without a dependency: a splitmix64 generator and the id formats the server uses.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
/// Crockford base32, lower case: the alphabet of ULIDs and of `task_…` ids.
const BASE32: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const ALNUM: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn now() -> std::time::Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// A fresh random number, different on every call and every run.
pub fn random_u64() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| mix(now().as_nanos() as u64 ^ u64::from(std::process::id())));
    mix(seed ^ COUNTER.fetch_add(GOLDEN, Ordering::Relaxed))
}

/// A small deterministic generator (seed it from [`random_u64`] for variety).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| char::from(alphabet[self.below(alphabet.len() as u64) as usize]))
            .collect()
    }
}

/// `task_` + 26 lower-case base32 characters, ULID-like (10 of time, 16 random).
pub fn task_id(rng: &mut Rng) -> String {
    let mut ms = now().as_millis() as u64 & ((1 << 50) - 1);
    let mut time = [0u8; 10];
    for slot in time.iter_mut().rev() {
        *slot = BASE32[(ms & 31) as usize];
        ms >>= 5;
    }
    let time: String = time.iter().map(|b| char::from(*b)).collect();
    format!("task_{time}{}", rng.pick(BASE32, 16))
}

/// `s_` + 32 lower-case hex digits, the first 8 the unix time like the real server's.
pub fn sid(rng: &mut Rng) -> String {
    let secs = now().as_secs() as u32;
    format!(
        "s_{secs:08x}{:016x}{:08x}",
        rng.next_u64(),
        rng.next_u64() as u32
    )
}

/// `chatcmpl-` + 29 alphanumerics.
pub fn completion_id(rng: &mut Rng) -> String {
    format!("chatcmpl-{}", rng.pick(ALNUM, 29))
}

/// A request id like the ones new-api prints in error messages.
pub fn request_id(rng: &mut Rng) -> String {
    format!("{}{}", now().as_secs(), rng.pick(ALNUM, 16))
}

/// Whether `s` is `s_` + 32 lower-case hex digits.
pub fn is_sid(s: &str) -> bool {
    s.len() == 34
        && s.starts_with("s_")
        && s[2..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `s` is `task_` + 26 base32 characters.
pub fn is_task_id(s: &str) -> bool {
    s.len() == 31 && s.starts_with("task_") && s[5..].bytes().all(|b| BASE32.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_server_formats() {
        let mut rng = Rng::new(random_u64());
        for _ in 0..100 {
            assert!(is_task_id(&task_id(&mut rng)));
            assert!(is_sid(&sid(&mut rng)));
            assert_eq!(completion_id(&mut rng).len(), 9 + 29);
        }
        assert_ne!(sid(&mut rng), sid(&mut rng));
        assert!(!is_sid("s_68ec8accd80c8191ae1fc957af78caaZ"));
    }
}
