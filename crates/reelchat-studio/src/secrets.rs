//! The API key's storage: the OS keychain (service `app.reelchat.desktop`,
//! user `api-key`) through the keyring crate; where no keychain can be
//! reached (no Secret Service on D-Bus, e.g. headless CI), a file readable
//! only by the user (mode 0600 from its creation) in the app's config dir.
//! `REELCHAT_KEYRING=off` forces the file.
//!
//! The key never appears in a log, an error message or `Debug` output.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::ids::random_hex;

pub const KEYRING_SERVICE: &str = "app.reelchat.desktop";
pub const KEYRING_USER: &str = "api-key";

/// Where the key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum KeyStorage {
    Keychain,
    File,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct SecretError {
    pub message: String,
    /// The key itself was refused (empty, several lines, too long): the user can fix it,
    /// the keychain is fine.
    #[serde(default)]
    pub invalid_input: bool,
}

impl SecretError {
    fn new(message: impl Into<String>) -> Self {
        SecretError {
            message: message.into(),
            invalid_input: false,
        }
    }

    fn invalid(message: impl Into<String>) -> Self {
        SecretError {
            message: message.into(),
            invalid_input: true,
        }
    }
}

/// How long a keychain call may take before the keychain is considered
/// unreachable (Linux only: a broken D-Bus can hang; on macOS and Windows
/// the OS may be waiting for the user to answer a prompt).
const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(10);

pub struct SecretStore {
    fallback_file: PathBuf,
    /// Still worth trying the keychain (false once it failed to answer).
    keychain: AtomicBool,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretStore")
            .field("fallback_file", &self.fallback_file)
            .field("keychain", &self.keychain.load(Ordering::Relaxed))
            .finish()
    }
}

/// The keychain's answer, without the crate's error type crossing threads.
enum Kc<T> {
    Ok(T),
    NoEntry,
    /// Unreachable, locked, timed out…
    Failed(String),
}

impl SecretStore {
    /// `fallback_file`: where the key goes when there is no keychain (e.g.
    /// `<config_dir>/api-key`). The keychain is skipped entirely when
    /// `REELCHAT_KEYRING=off`, or on Linux and the BSDs when
    /// `DBUS_SESSION_BUS_ADDRESS` is unset.
    pub fn new(fallback_file: PathBuf) -> Self {
        SecretStore {
            fallback_file,
            keychain: AtomicBool::new(keychain_possible()),
        }
    }

    /// The file used when there is no keychain.
    pub fn fallback_file(&self) -> &Path {
        &self.fallback_file
    }

    /// The key: from the keychain first, then the file.
    pub fn get(&self) -> Result<Option<String>, SecretError> {
        if let Kc::Ok(key) = self.keychain_call(|e| e.get_password()) {
            let key = key.trim().to_owned();
            if !key.is_empty() {
                return Ok(Some(key));
            }
        }
        self.read_file()
    }

    /// Stores `key` (trimmed) in the keychain, or in the file when there is
    /// no keychain, and removes the copy from the other storage. Refuses an
    /// empty key and one containing control characters (newlines…).
    pub fn set(&self, key: &str) -> Result<KeyStorage, SecretError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(SecretError::invalid("the API key is empty"));
        }
        if key.chars().any(char::is_control) {
            return Err(SecretError::invalid(
                "the API key must be on one line, without control characters",
            ));
        }
        if key.len() > 4096 {
            return Err(SecretError::invalid("the API key is too long"));
        }
        let owned = key.to_owned();
        match self.keychain_call(move |e| e.set_password(&owned)) {
            Kc::Ok(()) => {
                remove_file_if_exists(&self.fallback_file).map_err(|e| {
                    SecretError::new(format!(
                        "the key was saved in the keychain, but an older copy in {} could not be removed: {e}",
                        self.fallback_file.display()
                    ))
                })?;
                Ok(KeyStorage::Keychain)
            }
            Kc::NoEntry | Kc::Failed(_) => {
                write_private_file(&self.fallback_file, key).map_err(|e| {
                    SecretError::new(format!(
                        "could not save the API key in {}: {e}",
                        self.fallback_file.display()
                    ))
                })?;
                // A stale key left in the keychain would win over the file.
                let _ = self.keychain_call(|e| e.delete_credential());
                Ok(KeyStorage::File)
            }
        }
    }

    /// Removes the key from both storages.
    pub fn clear(&self) -> Result<(), SecretError> {
        let tried = self.keychain_enabled();
        let keychain = match self.keychain_call(|e| e.delete_credential()) {
            Kc::Ok(()) | Kc::NoEntry => Ok(()),
            Kc::Failed(why) if tried => Err(SecretError::new(format!(
                "could not remove the API key from the keychain: {why}"
            ))),
            Kc::Failed(_) => Ok(()),
        };
        remove_file_if_exists(&self.fallback_file).map_err(|e| {
            SecretError::new(format!(
                "could not remove {}: {e}",
                self.fallback_file.display()
            ))
        })?;
        keychain
    }

    /// Where the current key lives ([`KeyStorage::None`] when there is none).
    pub fn storage(&self) -> KeyStorage {
        if let Kc::Ok(key) = self.keychain_call(|e| e.get_password()) {
            if !key.trim().is_empty() {
                return KeyStorage::Keychain;
            }
        }
        match self.read_file() {
            Ok(Some(_)) => KeyStorage::File,
            _ => KeyStorage::None,
        }
    }

    /// `true` while the keychain is used (not disabled, not found broken).
    pub fn keychain_enabled(&self) -> bool {
        self.keychain.load(Ordering::Relaxed)
    }

    fn read_file(&self) -> Result<Option<String>, SecretError> {
        match fs::read_to_string(&self.fallback_file) {
            Ok(s) => {
                let key = s.trim();
                Ok((!key.is_empty()).then(|| key.to_owned()))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SecretError::new(format!(
                "could not read {}: {e}",
                self.fallback_file.display()
            ))),
        }
    }

    /// Runs `f` on the keychain entry, in a thread with a time limit on
    /// Linux. A failure other than "no entry" disables the keychain for the
    /// rest of the run, so a missing Secret Service costs one attempt only.
    fn keychain_call<T, F>(&self, f: F) -> Kc<T>
    where
        T: Send + 'static,
        F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    {
        if !self.keychain.load(Ordering::Relaxed) {
            return Kc::Failed("keychain not used".into());
        }
        let run = move || -> Kc<T> {
            let entry = match keyring::Entry::new(KEYRING_SERVICE, KEYRING_USER) {
                Ok(e) => e,
                Err(e) => return Kc::Failed(e.to_string()),
            };
            match f(&entry) {
                Ok(v) => Kc::Ok(v),
                Err(keyring::Error::NoEntry) => Kc::NoEntry,
                Err(e) => Kc::Failed(e.to_string()),
            }
        };
        let result = if cfg!(any(
            target_os = "macos",
            target_os = "ios",
            target_os = "windows"
        )) {
            run()
        } else {
            let (tx, rx) = mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("keychain".into())
                .spawn(move || {
                    let _ = tx.send(run());
                });
            match spawned {
                Ok(_) => rx
                    .recv_timeout(KEYCHAIN_TIMEOUT)
                    .unwrap_or_else(|_| Kc::Failed("the keychain did not answer".into())),
                Err(e) => Kc::Failed(e.to_string()),
            }
        };
        if let Kc::Failed(_) = result {
            self.keychain.store(false, Ordering::Relaxed);
        }
        result
    }
}

/// Whether trying the keychain makes sense at all.
fn keychain_possible() -> bool {
    if std::env::var("REELCHAT_KEYRING").is_ok_and(|v| v.trim().eq_ignore_ascii_case("off")) {
        return false;
    }
    if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "windows"
    )) {
        return true;
    }
    // Secret Service lives on the session bus.
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// Writes `contents` to `path` through a temporary file that is created
/// with mode 0600 (never readable by others, not even for a moment), synced
/// and renamed into place.
fn write_private_file(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "api-key".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", random_hex(8)));
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        crate::store::sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn remove_file_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A masked form safe to show: `sk-…a1b2` (the first 3 and last 4
/// characters at most); `••••` when the key is shorter than 10 characters.
pub fn key_hint(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    if chars.len() < 10 {
        return "••••".to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}
