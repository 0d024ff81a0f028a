#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Input a user can get wrong, through the app's API (Studio, Settings, SecretStore):
//! each is refused with a clear `invalid_input` (or `no_key`) error before anything is
//! saved or sent, never with a panic, and leaves the state as it was.
//!
//! Limits (see reelchat_studio::studio): a prompt is 1 to MAX_PROMPT_CHARS (8000)
//! characters after trimming — the API takes a chat message, and a prompt far longer than
//! a video description is a paste accident; a conversation name is 1 to MAX_TITLE_CHARS
//! (120) characters on one line, refused (not truncated) so the user sees why; a base
//! URL is http(s) with a host and no spaces; a key is one line.

mod common;

use std::sync::Arc;

use common::report::{record, Category};
use common::{conn, data_dir, relay, Collect};
use reelchat_studio::error::{AppError, AppErrorKind};
use reelchat_studio::secrets::SecretStore;
use reelchat_studio::settings::{Settings, SettingsPatch};
use reelchat_studio::studio::{Studio, MAX_PROMPT_CHARS, MAX_TITLE_CHARS};

const TEST: &str = "studio_bad_input";

/// Records the case, then asserts its kind and that the message says something.
fn expect(name: &str, got: Result<impl std::fmt::Debug, AppError>, kind: AppErrorKind) {
    let detail = format!("{got:?}");
    let ok = matches!(&got, Err(e) if e.kind == kind && !e.message.is_empty());
    // Nothing is lost by a refused input; a wrong kind is a failure, not a loss.
    record(TEST, Category::BadInput, name, false, &detail);
    assert!(ok, "{name}: expected {kind:?}, got {detail}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_prompts_urls_and_keys_are_refused_before_anything_is_sent() {
    let relay = relay().await;
    let dir = data_dir();
    let (studio, _) = Studio::open(dir.path()).unwrap();
    let conv = studio.create().unwrap();
    let obs = Arc::new(Collect::default());
    let send = |c: reelchat_studio::studio::Connection, prompt: &str| {
        studio.send(c, &conv.id, prompt, "sora-2", None, obs.clone())
    };

    expect(
        "empty prompt",
        send(conn(&relay, true), ""),
        AppErrorKind::InvalidInput,
    );
    expect(
        "whitespace-only prompt",
        send(conn(&relay, true), " \n\t\u{3000} "),
        AppErrorKind::InvalidInput,
    );
    let huge = "牛".repeat(100_000);
    expect(
        "100 000-character prompt",
        send(conn(&relay, true), &huge),
        AppErrorKind::InvalidInput,
    );
    let err = send(conn(&relay, true), &huge).unwrap_err();
    assert!(
        err.message.contains(&MAX_PROMPT_CHARS.to_string()),
        "{}",
        err.message
    );
    expect(
        "prompt one character over the limit",
        send(conn(&relay, true), &"a".repeat(MAX_PROMPT_CHARS + 1)),
        AppErrorKind::InvalidInput,
    );
    expect(
        "no model",
        studio.send(conn(&relay, true), &conv.id, "cat", "  ", None, obs.clone()),
        AppErrorKind::InvalidInput,
    );

    for url in [
        "https://exa mple.com",
        "https://example.com/ v1",
        "ftp://example.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "example.com",
        "",
    ] {
        let mut c = conn(&relay, true);
        c.base_url = url.into();
        expect(
            &format!("base URL {url:?} at send"),
            send(c, "cat"),
            AppErrorKind::InvalidInput,
        );
    }
    for key in ["sk-1\nX-Injected: yes", "sk-1\r\nX: y", "sk 1", "sk-\u{0}1"] {
        let mut c = conn(&relay, true);
        c.api_key = key.into();
        expect(
            &format!("key {key:?} at send"),
            send(c, "cat"),
            AppErrorKind::InvalidInput,
        );
    }
    // (A key pasted with a trailing newline is trimmed, not refused.)
    let mut c = conn(&relay, true);
    c.api_key = " \n ".into();
    expect("blank key at send", send(c, "cat"), AppErrorKind::NoKey);

    assert_eq!(relay.chat_request_count(), 0, "nothing was sent");
    assert!(
        studio.get(&conv.id).unwrap().turns.is_empty(),
        "nothing was saved"
    );

    // The longest prompt allowed goes through.
    let longest = "a".repeat(MAX_PROMPT_CHARS);
    let turn = send(conn(&relay, true), &format!("  {longest}  ")).unwrap();
    assert_eq!(turn.prompt, longest, "trimmed, not cut");
    let done = obs.wait_done().await;
    record(
        TEST,
        Category::BadInput,
        "prompt of exactly the limit is sent",
        false,
        &format!("{:?}", done.status),
    );
    assert_eq!(relay.chat_request_count(), 1);
}

#[test]
fn settings_refuse_bad_base_urls_and_keep_the_old_ones() {
    let mut settings = Settings::default();
    let before = settings.clone();
    for url in [
        "https://exa mple.com",
        "ftp://example.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        " ",
    ] {
        let patch = SettingsPatch {
            base_url: Some(url.into()),
            ..Default::default()
        };
        expect(
            &format!("base URL {url:?} in settings"),
            settings.apply(patch),
            AppErrorKind::InvalidInput,
        );
        assert_eq!(settings, before, "{url:?}: a refused patch changes nothing");
    }
}

#[test]
fn a_key_with_a_newline_is_refused_as_input_not_as_a_keychain_failure() {
    let dir = data_dir();
    let file = dir.path().join("api-key");
    let secrets = SecretStore::new(file.clone());
    for key in [
        "sk-1\nsk-2",
        "sk-1\r\nX: y",
        "sk-\u{7}1",
        "",
        "  ",
        &"k".repeat(5000),
    ] {
        expect(
            &format!("API key {:?}…", key.chars().take(12).collect::<String>()),
            secrets.set(key).map_err(AppError::from),
            AppErrorKind::InvalidInput,
        );
    }
    assert!(!file.exists(), "nothing was written");
}

#[test]
fn conversation_names_that_are_too_long_or_not_one_line_are_refused() {
    let dir = data_dir();
    let (studio, _) = Studio::open(dir.path()).unwrap();
    let conv = studio.create().unwrap();
    studio.rename(&conv.id, "牛马").unwrap();
    for (name, title) in [
        ("10 000-character name", "名".repeat(10_000)),
        ("name one over the limit", "x".repeat(MAX_TITLE_CHARS + 1)),
        ("blank name", " \t ".to_string()),
        ("name with a newline", "a\nb".to_string()),
        ("name with a NUL", "a\u{0}b".to_string()),
    ] {
        expect(
            name,
            studio.rename(&conv.id, &title),
            AppErrorKind::InvalidInput,
        );
    }
    expect(
        "rename an id that is a path",
        studio.rename("../../etc/passwd", "x"),
        AppErrorKind::InvalidInput,
    );
    let longest = "名".repeat(MAX_TITLE_CHARS);
    assert_eq!(studio.rename(&conv.id, &longest).unwrap().title, longest);
    // Still there after a reopen, unchanged by the refused names.
    drop(studio);
    let (again, _) = Studio::open(dir.path()).unwrap();
    assert_eq!(again.get(&conv.id).unwrap().title, longest);
}
