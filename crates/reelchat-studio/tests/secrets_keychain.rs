#![allow(clippy::unwrap_used, clippy::expect_used)]
//! SecretStore against a real Secret Service: a private D-Bus session with
//! its own gnome-keyring-daemon (and a temporary HOME, so no real keyring
//! is touched), running this binary's ignored `keychain_child` entry. Skipped
//! with a note where dbus-run-session or gnome-keyring-daemon is missing.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reelchat_studio::secrets::{KeyStorage, SecretStore};

const CHILD_ENV: &str = "REELCHAT_KEYCHAIN_CHILD";

#[test]
#[ignore = "helper run inside a private D-Bus session by keychain_round_trip"]
fn keychain_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let file = PathBuf::from(dir).join("api-key");
    let s = SecretStore::new(file.clone());
    assert!(
        s.keychain_enabled(),
        "DBUS_SESSION_BUS_ADDRESS is set: the keychain is tried"
    );
    s.clear().unwrap();
    assert_eq!(s.storage(), KeyStorage::None);
    assert!(s.keychain_enabled(), "the keychain answered");

    // A key left in the file from a start without keychain is still found…
    std::fs::write(&file, "sk-from-the-file-1\n").unwrap();
    assert_eq!(s.get().unwrap().as_deref(), Some("sk-from-the-file-1"));
    assert_eq!(s.storage(), KeyStorage::File);
    // …and moving to the keychain removes the file copy.
    assert_eq!(
        s.set(" sk-in-the-keychain-2 ").unwrap(),
        KeyStorage::Keychain
    );
    assert!(!file.exists(), "the file copy is removed");
    assert_eq!(s.get().unwrap().as_deref(), Some("sk-in-the-keychain-2"));
    assert_eq!(s.storage(), KeyStorage::Keychain);
    assert_eq!(
        SecretStore::new(file.clone()).get().unwrap().as_deref(),
        Some("sk-in-the-keychain-2")
    );

    s.clear().unwrap();
    assert_eq!(s.get().unwrap(), None);
    assert_eq!(s.storage(), KeyStorage::None);
    println!("\nKEYCHAIN OK");
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn keychain_round_trip() {
    if !cfg!(target_os = "linux") || !have("dbus-run-session") || !have("gnome-keyring-daemon") {
        println!("NOTE: keychain_round_trip skipped: needs dbus-run-session and gnome-keyring-daemon (Linux)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let runtime = tmp.path().join("run");
    for d in [&home, &runtime] {
        std::fs::create_dir_all(d).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let exe = std::env::current_exe().unwrap();
    let script = r#"printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 && echo DAEMON-OK && exec "$0" keychain_child --exact --ignored --nocapture --test-threads=1"#;
    let mut child = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .arg(&exe)
        .env(CHILD_ENV, tmp.path())
        .env_remove("REELCHAT_KEYRING")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the keychain child did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    if !out.contains("DAEMON-OK") {
        println!("NOTE: keychain_round_trip skipped: could not start a private gnome-keyring-daemon ({status}): {err}");
        return;
    }
    assert!(
        status.success() && out.contains("KEYCHAIN OK"),
        "keychain child failed ({status}):\n{out}\n{err}"
    );
}
