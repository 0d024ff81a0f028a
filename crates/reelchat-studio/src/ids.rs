//! Identifiers and random names: time-sortable ids for conversations and
//! turns, random suffixes for temporary files, and the check that an id
//! coming from the webview is safe to put in a path.

/// `true` when `id` is 1 to 64 characters of `[A-Za-z0-9_-]`: safe as a file
/// name on every platform (no separators, no dots, no reserved characters).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `n` random bytes as lowercase hex (`2 * n` characters). Falls back to a
/// mix of the clock, a counter and the process id if the OS has no
/// randomness to give (it always has on supported platforms).
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    if getrandom::fill(&mut buf).is_err() {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let mut x = nanos
            ^ (u64::from(std::process::id()) << 32)
            ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        for b in buf.iter_mut() {
            // splitmix64
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            *b = (z ^ (z >> 31)) as u8;
        }
    }
    let mut s = String::with_capacity(n * 2);
    for b in buf {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A new id: `prefix` (only its `[A-Za-z0-9_-]` characters are kept), the
/// current time in milliseconds as 9 base-36 digits (so ids sort by creation
/// time until the year 5138), then 8 random hex digits. Example:
/// `c_mg3k2x1a07f3c9e2b`.
pub fn new_id(prefix: &str) -> String {
    let prefix: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(32)
        .collect();
    let millis = u64::try_from(crate::model::now_ms()).unwrap_or(0);
    format!("{prefix}{}{}", base36(millis, 9), random_hex(4))
}

fn base36(mut n: u64, width: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::with_capacity(width.max(13));
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_sortable_and_unique() {
        let a = new_id("c_");
        assert!(a.starts_with("c_"));
        assert_eq!(a.len(), 2 + 9 + 8);
        assert!(is_valid_id(&a));
        let b = new_id("c_");
        assert_ne!(a, b);
        assert!(a[..11] <= b[..11]);
        assert!(new_id("../x/").starts_with("x"));
        assert_eq!(base36(0, 3), "000");
        assert_eq!(base36(35, 1), "z");
        assert_eq!(base36(36, 1), "10");
    }

    #[test]
    fn id_validation() {
        assert!(is_valid_id("c_abc-DEF_123"));
        assert!(is_valid_id(&"a".repeat(64)));
        for bad in [
            "",
            "..",
            "a/b",
            "a\\b",
            "a.b",
            "a b",
            "é",
            "a\0",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        assert_eq!(random_hex(16).len(), 32);
    }
}
