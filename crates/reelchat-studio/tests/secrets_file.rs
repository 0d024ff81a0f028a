#![allow(clippy::unwrap_used, clippy::expect_used)]
//! SecretStore with the keychain off (REELCHAT_KEYRING=off): the fallback
//! file, its mode, input checks, and key_hint.

use std::path::Path;
use std::sync::Once;

use reelchat_studio::secrets::{key_hint, KeyStorage, SecretStore};

static INIT: Once = Once::new();

/// Every test calls this before anything reads the environment, so the one
/// `set_var` never races a read.
fn store(file: &Path) -> SecretStore {
    INIT.call_once(|| {
        std::env::set_var("REELCHAT_KEYRING", "off");
        // Files must get their mode from the code, not from the umask.
        #[cfg(unix)]
        // SAFETY: umask has no preconditions.
        unsafe {
            libc::umask(0);
        }
    });
    let s = SecretStore::new(file.to_path_buf());
    assert!(!s.keychain_enabled());
    s
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn set_get_clear() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("config/app.reelchat.desktop/api-key");
    let s = store(&file);
    assert_eq!(s.get().unwrap(), None);
    assert_eq!(s.storage(), KeyStorage::None);

    assert_eq!(s.set("  sk-abc123xyz789\n").unwrap(), KeyStorage::File);
    assert_eq!(s.get().unwrap().as_deref(), Some("sk-abc123xyz789"));
    assert_eq!(s.storage(), KeyStorage::File);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim(),
        "sk-abc123xyz789"
    );

    // Replacing it.
    assert_eq!(s.set("sk-second-key-0000").unwrap(), KeyStorage::File);
    assert_eq!(s.get().unwrap().as_deref(), Some("sk-second-key-0000"));
    // A new store (next start) sees it.
    assert_eq!(
        store(&file).get().unwrap().as_deref(),
        Some("sk-second-key-0000")
    );

    s.clear().unwrap();
    assert_eq!(s.get().unwrap(), None);
    assert_eq!(s.storage(), KeyStorage::None);
    assert!(!file.exists());
    s.clear().unwrap();

    // No temporary files left next to it.
    let left: Vec<_> = std::fs::read_dir(file.parent().unwrap()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[cfg(unix)]
#[test]
fn the_file_is_0600_and_its_new_folder_0700() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cfg/api-key");
    let s = store(&file);
    s.set("sk-mode-check-123456").unwrap();
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);

    // A world-readable file from elsewhere is replaced by a private one.
    std::fs::write(&file, "sk-old\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    s.set("sk-mode-check-654321").unwrap();
    assert_eq!(mode(&file), 0o600);
    assert_eq!(s.get().unwrap().as_deref(), Some("sk-mode-check-654321"));
}

#[test]
fn keys_with_newlines_or_control_characters_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("api-key");
    let s = store(&file);
    s.set("sk-good-key-123456").unwrap();
    for bad in [
        "sk-abc\ndef",
        "sk-abc\r\ndef",
        "sk-abc\tdef",
        "sk-\u{7f}abc",
        "sk-\u{0}abc",
        "sk-\u{1b}[31m",
        "",
        "   ",
        "\n",
    ] {
        let err = s.set(bad).unwrap_err();
        let secret_part = bad.trim().get(3..).unwrap_or("");
        if secret_part.len() > 2 {
            assert!(
                !err.message.contains(secret_part),
                "the error repeats the key: {}",
                err.message
            );
        }
        assert_eq!(
            s.get().unwrap().as_deref(),
            Some("sk-good-key-123456"),
            "unchanged after refusing {bad:?}"
        );
    }
    assert!(s.set(&"k".repeat(5000)).is_err());
}

#[test]
fn a_hand_written_file_is_read_trimmed() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("api-key");
    std::fs::write(&file, "  sk-by-hand-999  \n\n").unwrap();
    let s = store(&file);
    assert_eq!(s.get().unwrap().as_deref(), Some("sk-by-hand-999"));
    assert_eq!(s.storage(), KeyStorage::File);
    std::fs::write(&file, "\n").unwrap();
    assert_eq!(s.get().unwrap(), None);
    assert_eq!(s.storage(), KeyStorage::None);
}

#[test]
fn debug_output_never_shows_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let s = store(&tmp.path().join("api-key"));
    s.set("sk-very-secret-value-42").unwrap();
    assert!(!format!("{s:?}").contains("very-secret"));
}

#[test]
fn key_hint_masks_the_middle() {
    assert_eq!(key_hint("sk-abcdefghijklmnop1a2b"), "sk-…1a2b");
    assert_eq!(key_hint("  sk-abcdefghijklmnop1a2b \n"), "sk-…1a2b");
    assert_eq!(key_hint("0123456789"), "012…6789");
    for short in ["", "a", "sk-", "sk-123456", "123456789"] {
        assert_eq!(key_hint(short), "••••", "{short:?}");
    }
    assert_eq!(key_hint("密钥密钥密钥密钥密钥密钥"), "密钥密…密钥密钥");
    let keys = [
        "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "0123456789",
        "sk-1234567890abcdef",
        "abcdefghijklmnopqrstuvwxyz",
    ];
    for key in keys {
        let hint = key_hint(key);
        let chars: Vec<char> = key.chars().collect();
        let middle: String = chars[3..chars.len() - 4].iter().collect();
        assert!(!hint.contains(&middle), "{hint} shows the middle of {key}");
        // At most 7 characters of the key are shown.
        assert!(hint.chars().filter(|c| *c != '…').count() <= 7, "{hint}");
        // None of the middle characters appear (each is distinct in these keys, at its position).
        let shown: String = hint.chars().filter(|c| *c != '…').collect();
        assert_eq!(shown, format!("{}{}", &key[..3], &key[key.len() - 4..]));
    }
}
