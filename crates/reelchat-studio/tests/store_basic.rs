#![allow(clippy::unwrap_used, clippy::expect_used)]
//! ConversationStore: round trip, atomic replace with backup, recovery at
//! open, id validation, and the errors of a read-only or full disk.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use reelchat_protocol::ReplyState;
use reelchat_studio::model::{Conversation, LocalMedia, StepTimes, TurnRecord, TurnStatus};
use reelchat_studio::store::{new_id, ConversationStore, StoreErrorKind};

fn turn(id: &str, prompt: &str) -> TurnRecord {
    TurnRecord {
        id: id.to_owned(),
        parent: None,
        prompt: prompt.to_owned(),
        model: "sora-2".into(),
        created_at: 1,
        status: TurnStatus::Succeeded,
        content: format!("reply to {prompt}"),
        reply: ReplyState::default(),
        failure: None,
        version: Some(1),
        steps: StepTimes::default(),
        media: LocalMedia::default(),
        image: None,
    }
}

fn conversation(id: &str, updated_at: i64, turns: usize) -> Conversation {
    Conversation {
        id: id.to_owned(),
        title: format!("title of {id} 牛马跳舞"),
        created_at: 1,
        updated_at,
        head: None,
        turns: (0..turns)
            .map(|i| turn(&format!("t_{i}"), &format!("prompt {i}")))
            .collect(),
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn round_trip_list_and_delete() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert!(notices.is_empty());
    assert_eq!(store.dir(), tmp.path().join("conversations"));
    assert!(store.list().unwrap().is_empty());

    let a = conversation("c_a", 100, 2);
    let b = conversation("c_b", 300, 0);
    let c = conversation("c_c", 200, 5);
    for x in [&a, &b, &c] {
        store.save(x).unwrap();
    }
    assert_eq!(store.load("c_a").unwrap(), a);
    let ids: Vec<String> = store.list().unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["c_b", "c_c", "c_a"], "newest updated_at first");

    // A second save keeps the first version as the backup.
    let mut a2 = a.clone();
    a2.turns.push(turn("t_new", "more"));
    a2.updated_at = 400;
    store.save(&a2).unwrap();
    assert_eq!(store.load("c_a").unwrap(), a2);
    let bak: Conversation =
        serde_json::from_slice(&fs::read(store.dir().join("c_a.json.bak")).unwrap()).unwrap();
    assert_eq!(bak, a);
    assert!(
        names(store.dir()).iter().all(|n| !n.contains(".tmp-")),
        "{:?}",
        names(store.dir())
    );

    // Reopening finds everything, with no notice.
    drop(store);
    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(store.list().unwrap().len(), 3);

    store.delete("c_a").unwrap();
    assert_eq!(
        store.load("c_a").unwrap_err().kind,
        StoreErrorKind::NotFound
    );
    assert!(!store.dir().join("c_a.json.bak").exists());
    assert_eq!(store.list().unwrap().len(), 2);
    // Deleting again is harmless.
    store.delete("c_a").unwrap();
    // A reopen does not bring it back.
    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert!(notices.is_empty());
    assert_eq!(store.list().unwrap().len(), 2);
}

#[test]
fn new_ids_are_unique_sortable_and_path_safe() {
    let mut prev = String::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..1000 {
        let id = new_id("c_");
        assert!(id.starts_with("c_"));
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "{id}"
        );
        assert!(id.len() <= 64);
        // The time part never goes backwards.
        assert!(id[..11] >= *prev, "{id} < {prev}");
        prev = id[..11].to_owned();
        assert!(seen.insert(id));
    }
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = ConversationStore::open(tmp.path()).unwrap();
    store.save(&conversation(&new_id("c_"), 1, 0)).unwrap();
    // The folder removed behind the store's back is created again.
    fs::remove_dir_all(store.dir()).unwrap();
    store.save(&conversation(&new_id("c_"), 1, 0)).unwrap();
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn crash_leftovers_are_cleaned_and_truncated_file_restored_from_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = ConversationStore::open(tmp.path()).unwrap();
    let v1 = conversation("c_x", 1, 1);
    let v2 = conversation("c_x", 2, 2);
    store.save(&v1).unwrap();
    store.save(&v2).unwrap();
    let other = conversation("c_other", 5, 3);
    store.save(&other).unwrap();
    let dir = store.dir().to_path_buf();
    drop(store);

    // What a crash in the middle of a save (on a file system without
    // ordering guarantees) could leave: a temporary file and a main file cut
    // short.
    let full = fs::read(dir.join("c_x.json")).unwrap();
    fs::write(dir.join("c_x.json"), &full[..full.len() / 2]).unwrap();
    fs::write(dir.join("c_x.json.tmp-0123abcd"), &full[..10]).unwrap();
    fs::write(dir.join("c_x.json.bak.tmp-0123abcd"), b"").unwrap();

    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].file, "c_x.json");
    assert!(notices[0].recovered_from_backup);
    assert_eq!(
        store.load("c_x").unwrap(),
        v1,
        "the backup is the previous good version"
    );
    assert_eq!(store.load("c_other").unwrap(), other);
    let files = names(&dir);
    assert!(files.iter().all(|n| !n.contains(".tmp-")), "{files:?}");
    let aside: Vec<&String> = files
        .iter()
        .filter(|n| n.starts_with("c_x.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{files:?}");
    assert_eq!(
        fs::read(dir.join(aside[0])).unwrap(),
        &full[..full.len() / 2],
        "the damaged file is kept"
    );
    assert!(notices[0].message.contains(aside[0].as_str()));

    // Saving after a recovery works and the next open is quiet.
    store.save(&v2).unwrap();
    drop(store);
    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(store.load("c_x").unwrap(), v2);
    assert_eq!(store.list().unwrap().len(), 2);
}

#[test]
fn corrupt_file_without_backup_is_moved_aside_and_others_load() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = ConversationStore::open(tmp.path()).unwrap();
    store.save(&conversation("c_good", 1, 2)).unwrap();
    let dir = store.dir().to_path_buf();
    drop(store);
    fs::write(dir.join("c_bad.json"), b"{\"id\": \"c_bad\", \"title\": ").unwrap();
    fs::write(dir.join("c_zero.json"), b"").unwrap();
    fs::write(dir.join("c_wrongshape.json"), b"[1,2,3]").unwrap();
    fs::write(dir.join("notes.txt"), b"not ours").unwrap();

    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    let mut files: Vec<&str> = notices.iter().map(|n| n.file.as_str()).collect();
    files.sort();
    assert_eq!(files, ["c_bad.json", "c_wrongshape.json", "c_zero.json"]);
    assert!(notices
        .iter()
        .all(|n| !n.recovered_from_backup && n.message.contains("moved aside")));
    let listed: Vec<String> = store.list().unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(listed, ["c_good"]);
    assert_eq!(
        store.load("c_bad").unwrap_err().kind,
        StoreErrorKind::NotFound
    );
    let all = names(&dir);
    assert_eq!(
        all.iter().filter(|n| n.contains(".corrupt-")).count(),
        3,
        "{all:?}"
    );
    assert!(
        all.contains(&"notes.txt".to_owned()),
        "files that are not ours are left alone"
    );

    // Next start: nothing more to say.
    drop(store);
    let (_, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
}

#[test]
fn damaged_after_open_is_reported_as_corrupt_on_load() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = ConversationStore::open(tmp.path()).unwrap();
    store.save(&conversation("c_a", 1, 1)).unwrap();
    let bak_before = fs::read(store.dir().join("c_a.json.bak")).ok();
    fs::write(store.dir().join("c_a.json"), b"{").unwrap();
    assert_eq!(store.load("c_a").unwrap_err().kind, StoreErrorKind::Corrupt);
    assert!(
        store.list().unwrap().is_empty(),
        "an unreadable file is skipped by list"
    );
    // A save does not make the damaged file the backup.
    let good = conversation("c_a", 2, 2);
    store.save(&good).unwrap();
    assert_eq!(store.load("c_a").unwrap(), good);
    assert_eq!(fs::read(store.dir().join("c_a.json.bak")).ok(), bak_before);
}

#[test]
fn missing_main_file_is_restored_from_its_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = ConversationStore::open(tmp.path()).unwrap();
    let v1 = conversation("c_a", 1, 1);
    store.save(&v1).unwrap();
    store.save(&conversation("c_a", 2, 2)).unwrap();
    fs::remove_file(store.dir().join("c_a.json")).unwrap();
    drop(store);
    let (store, notices) = ConversationStore::open(tmp.path()).unwrap();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].recovered_from_backup);
    assert_eq!(store.load("c_a").unwrap(), v1);
}

#[test]
fn invalid_ids_never_touch_a_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = ConversationStore::open(tmp.path()).unwrap();
    // A file outside the store that a traversal would reach.
    fs::write(
        tmp.path().join("secret.json"),
        serde_json::to_vec(&conversation("secret", 1, 0)).unwrap(),
    )
    .unwrap();
    let long = "a".repeat(65);
    for bad in [
        "",
        "../secret",
        "..",
        "a/b",
        "a\\b",
        "c_a.json",
        "c a",
        "c_\0",
        "/etc/passwd",
        "c_é",
        long.as_str(),
    ] {
        assert_eq!(
            store.load(bad).unwrap_err().kind,
            StoreErrorKind::NotFound,
            "{bad:?}"
        );
        assert_eq!(
            store.delete(bad).unwrap_err().kind,
            StoreErrorKind::NotFound,
            "{bad:?}"
        );
        assert_eq!(
            store.save(&conversation(bad, 1, 0)).unwrap_err().kind,
            StoreErrorKind::NotFound,
            "{bad:?}"
        );
    }
    assert!(tmp.path().join("secret.json").exists());
    assert!(names(store.dir()).is_empty(), "{:?}", names(store.dir()));
    // 64 characters is the longest id accepted.
    store.save(&conversation(&"a".repeat(64), 1, 0)).unwrap();
}

/// A tmpfs mounted on a temporary directory (root only), unmounted on drop.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(dir.to_path_buf()))
    }
    fn remount(&self, opts: &str) -> bool {
        Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[test]
fn read_only_directory_gives_read_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir(&data).unwrap();
    let c = conversation("c_ro", 1, 1);

    // 1. A read-only file system (needs root to mount).
    if let Some(mount) = Mount::tmpfs(&data, "4m") {
        let (store, _) = ConversationStore::open(&data).unwrap();
        store.save(&c).unwrap();
        assert!(mount.remount("ro"), "remount read-only");
        let err = store.save(&conversation("c_ro", 2, 2)).unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::ReadOnly, "{err:?}");
        assert!(err.message.contains("read-only"), "{}", err.message);
        assert_eq!(
            store.load("c_ro").unwrap(),
            c,
            "the old version is intact and readable"
        );
        let err = store.delete("c_ro").unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::ReadOnly);
        // Opening a store there also reports it (the directory cannot be created).
        let err = ConversationStore::open(&data.join("sub")).err().unwrap();
        assert_eq!(err.kind, StoreErrorKind::ReadOnly);
        drop(mount);
        return;
    }

    // 2. Without root: a directory without write permission.
    let (store, _) = ConversationStore::open(&data).unwrap();
    store.save(&c).unwrap();
    if is_root() {
        // Permission bits do not stop root; an immutable directory does.
        let immutable = Command::new("chattr")
            .arg("+i")
            .arg(store.dir())
            .status()
            .is_ok_and(|s| s.success());
        if !immutable {
            println!(
                "NOTE: read_only_directory_gives_read_only skipped: root without mount or chattr"
            );
            return;
        }
        let err = store.save(&conversation("c_ro", 2, 2)).unwrap_err();
        let _ = Command::new("chattr").arg("-i").arg(store.dir()).status();
        assert_eq!(err.kind, StoreErrorKind::ReadOnly, "{err:?}");
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o555)).unwrap();
            let err = store.save(&conversation("c_ro", 2, 2)).unwrap_err();
            fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o755)).unwrap();
            assert_eq!(err.kind, StoreErrorKind::ReadOnly, "{err:?}");
        }
    }
    assert_eq!(store.load("c_ro").unwrap(), c);
}

#[test]
fn full_disk_gives_disk_full_and_keeps_the_old_version() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir(&data).unwrap();
    let Some(mount) = Mount::tmpfs(&data, "256k") else {
        println!("NOTE: full_disk_gives_disk_full_and_keeps_the_old_version skipped: cannot mount a small tmpfs (not root)");
        return;
    };
    let (store, _) = ConversationStore::open(&data).unwrap();
    let small = conversation("c_full", 1, 2);
    store.save(&small).unwrap();
    let mut big = conversation("c_full", 2, 0);
    big.turns.push(turn("t_big", &"x".repeat(400 * 1024)));
    let err = store.save(&big).unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::DiskFull, "{err:?}");
    assert_eq!(store.load("c_full").unwrap(), small);
    assert!(
        names(store.dir()).iter().all(|n| !n.contains(".tmp-")),
        "{:?}",
        names(store.dir())
    );
    drop(store);
    drop(mount);
}

#[test]
fn opening_removes_the_temp_files_of_downloads_a_kill_left_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let conv_media = tmp.path().join("media").join("c_1");
    fs::create_dir_all(&conv_media).unwrap();
    fs::write(conv_media.join("t_1.mp4.part-0a1b2c3d"), b"half a video").unwrap();
    fs::write(conv_media.join("t_1.mp4"), b"a finished video").unwrap();
    let (_studio, _) = reelchat_studio::studio::Studio::open(tmp.path()).unwrap();
    assert_eq!(names(&conv_media), vec!["t_1.mp4".to_string()]);
}
