//! Conversations on disk: one JSON file per conversation in
//! `<data_dir>/conversations`, written so that a crash, a kill or a power cut
//! at any moment leaves either the old or the new version, never a mix.
//!
//! A save writes `<id>.json.tmp-<rand>`, syncs it, keeps the current file as
//! `<id>.json.bak` (a hard link, so `<id>.json` never disappears), renames
//! the temporary file over `<id>.json` and syncs the directory. At start-up
//! [`ConversationStore::open`] removes leftover temporary files and moves any
//! file that does not parse aside (`<name>.corrupt-<millis>`), restoring its
//! backup when that one is good, and tells the caller what it did.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::ids::{is_valid_id, random_hex};
use crate::model::{now_ms, Conversation};

pub use crate::ids::new_id;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    pub kind: StoreErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreErrorKind {
    DiskFull,
    ReadOnly,
    NotFound,
    Corrupt,
    Io,
}

impl StoreError {
    fn new(kind: StoreErrorKind, message: impl Into<String>) -> Self {
        StoreError {
            kind,
            message: message.into(),
        }
    }

    fn io(what: &str, path: &Path, e: &io::Error) -> Self {
        let kind = match classify_io(e) {
            IoClass::DiskFull => StoreErrorKind::DiskFull,
            IoClass::ReadOnly => StoreErrorKind::ReadOnly,
            IoClass::NotFound => StoreErrorKind::NotFound,
            IoClass::Other => StoreErrorKind::Io,
        };
        let hint = match kind {
            StoreErrorKind::DiskFull => " (the disk is full)",
            StoreErrorKind::ReadOnly => " (the folder is read-only or not writable)",
            _ => "",
        };
        StoreError::new(
            kind,
            format!("could not {what} {}: {e}{hint}", path.display()),
        )
    }
}

/// Something the user should be told at start-up (a corrupt file moved
/// aside, a backup used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StoreNotice {
    pub file: String,
    pub message: String,
    pub recovered_from_backup: bool,
}

pub(crate) enum IoClass {
    DiskFull,
    ReadOnly,
    NotFound,
    Other,
}

/// Sorts an I/O error into the few cases the UI explains differently.
pub(crate) fn classify_io(e: &io::Error) -> IoClass {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        match code {
            libc::ENOSPC | libc::EDQUOT => return IoClass::DiskFull,
            libc::EROFS | libc::EACCES | libc::EPERM => return IoClass::ReadOnly,
            _ => {}
        }
    }
    match e.kind() {
        io::ErrorKind::StorageFull => IoClass::DiskFull,
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => IoClass::ReadOnly,
        io::ErrorKind::NotFound => IoClass::NotFound,
        _ => IoClass::Other,
    }
}

/// Syncs a directory so that renames and new names in it are durable. A
/// no-op where directories cannot be opened (Windows).
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

const JSON: &str = ".json";
const BAK: &str = ".json.bak";
const TMP_MARK: &str = ".tmp-";

pub struct ConversationStore {
    dir: PathBuf,
    /// For each id whose `<id>.json` is known to parse (checked at open or
    /// written by this store), that file's size and modification time: while
    /// they match, the file may become the backup without being re-read.
    known_good: Mutex<HashMap<String, Fingerprint>>,
}

impl ConversationStore {
    /// Opens (creating it if needed) `<data_dir>/conversations` and checks
    /// every file in it: leftover temporary files are removed; a file that
    /// does not parse is moved aside to `<name>.corrupt-<millis>` and its
    /// backup, if present and valid, put in its place; a backup whose main
    /// file is missing is restored. Each such repair yields a notice.
    pub fn open(data_dir: &Path) -> Result<(Self, Vec<StoreNotice>), StoreError> {
        let dir = data_dir.join("conversations");
        fs::create_dir_all(&dir).map_err(|e| StoreError::io("create", &dir, &e))?;
        let store = ConversationStore {
            dir,
            known_good: Mutex::new(HashMap::new()),
        };
        let notices = store.check_all()?;
        Ok((store, notices))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every conversation, the most recently updated first. A file that has
    /// become unreadable since [`open`](Self::open) is skipped.
    pub fn list(&self) -> Result<Vec<Conversation>, StoreError> {
        let mut out = Vec::new();
        for name in self.file_names()? {
            let Some(id) = name.strip_suffix(JSON) else {
                continue;
            };
            if !is_valid_id(id) {
                continue;
            }
            if let Ok(c) = self.load(id) {
                out.push(c);
            }
        }
        out.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then_with(|| b.id.cmp(&a.id))
        });
        Ok(out)
    }

    pub fn load(&self, id: &str) -> Result<Conversation, StoreError> {
        let path = self.path_for(id)?;
        let bytes = fs::read(&path).map_err(|e| StoreError::io("read", &path, &e))?;
        parse(&bytes).map_err(|e| {
            StoreError::new(
                StoreErrorKind::Corrupt,
                format!("{} is damaged: {e}", path.display()),
            )
        })
    }

    /// Writes `c` atomically and durably (see the module docs). The previous
    /// good file is kept as `<id>.json.bak`.
    pub fn save(&self, c: &Conversation) -> Result<(), StoreError> {
        let path = self.path_for(&c.id)?;
        let bytes = serde_json::to_vec(c).map_err(|e| {
            StoreError::new(
                StoreErrorKind::Io,
                format!("could not encode conversation {}: {e}", c.id),
            )
        })?;
        let tmp = self
            .dir
            .join(format!("{}{JSON}{TMP_MARK}{}", c.id, random_hex(8)));
        let result = self.save_via(&tmp, &path, &c.id, &bytes);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    fn save_via(&self, tmp: &Path, path: &Path, id: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let create = || OpenOptions::new().write(true).create_new(true).open(tmp);
        let mut f = match create() {
            // The folder was removed while the app ran: make it again.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(&self.dir)
                    .map_err(|e| StoreError::io("create", &self.dir, &e))?;
                create()
            }
            other => other,
        }
        .map_err(|e| StoreError::io("create", tmp, &e))?;
        f.write_all(bytes)
            .map_err(|e| StoreError::io("write", tmp, &e))?;
        f.sync_all().map_err(|e| StoreError::io("sync", tmp, &e))?;
        drop(f);

        // Keep the current file (if it is good) as the backup. Hard-linking
        // it means `<id>.json` exists at every moment.
        if path.exists() && self.current_is_good(id, path) {
            let bak = self.dir.join(format!("{id}{BAK}"));
            let bak_tmp = self
                .dir
                .join(format!("{id}{BAK}{TMP_MARK}{}", random_hex(8)));
            let linked =
                fs::hard_link(path, &bak_tmp).or_else(|_| fs::copy(path, &bak_tmp).map(|_| ()));
            match linked {
                Ok(()) => {
                    if let Err(e) = fs::rename(&bak_tmp, &bak) {
                        let _ = fs::remove_file(&bak_tmp);
                        return Err(StoreError::io("back up", path, &e));
                    }
                }
                Err(e) => return Err(StoreError::io("back up", path, &e)),
            }
        }

        fs::rename(tmp, path).map_err(|e| StoreError::io("replace", path, &e))?;
        self.mark_good(id, path);
        sync_dir(&self.dir).map_err(|e| StoreError::io("sync", &self.dir, &e))?;
        Ok(())
    }

    /// Removes the conversation's file and its backup (the backup first, so
    /// that an interrupted delete cannot bring an old version back).
    /// Deleting a conversation that is not there is not an error.
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        let path = self.path_for(id)?;
        let bak = self.dir.join(format!("{id}{BAK}"));
        remove_if_exists(&bak)?;
        remove_if_exists(&path)?;
        if let Ok(mut set) = self.known_good.lock() {
            set.remove(id);
        }
        sync_dir(&self.dir).map_err(|e| StoreError::io("sync", &self.dir, &e))
    }

    fn path_for(&self, id: &str) -> Result<PathBuf, StoreError> {
        if !is_valid_id(id) {
            return Err(StoreError::new(
                StoreErrorKind::NotFound,
                "no such conversation (invalid id)",
            ));
        }
        Ok(self.dir.join(format!("{id}{JSON}")))
    }

    fn mark_good(&self, id: &str, path: &Path) {
        if let Ok(mut map) = self.known_good.lock() {
            match fingerprint(path) {
                Some(fp) => map.insert(id.to_owned(), fp),
                None => map.remove(id),
            };
        }
    }

    fn current_is_good(&self, id: &str, path: &Path) -> bool {
        let known = self.known_good.lock().ok().and_then(|m| m.get(id).copied());
        if known.is_some() && known == fingerprint(path) {
            return true;
        }
        let good = fs::read(path).ok().is_some_and(|b| parse(&b).is_ok());
        if good {
            self.mark_good(id, path);
        }
        good
    }

    fn file_names(&self) -> Result<Vec<String>, StoreError> {
        let rd = fs::read_dir(&self.dir).map_err(|e| StoreError::io("read", &self.dir, &e))?;
        let mut names = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| StoreError::io("read", &self.dir, &e))?;
            if let Ok(name) = entry.file_name().into_string() {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    fn check_all(&self) -> Result<Vec<StoreNotice>, StoreError> {
        let mut notices = Vec::new();
        let names = self.file_names()?;
        // Leftovers of interrupted saves.
        for name in names.iter().filter(|n| n.contains(TMP_MARK)) {
            let p = self.dir.join(name);
            if p.is_file() {
                fs::remove_file(&p).map_err(|e| StoreError::io("remove", &p, &e))?;
            }
        }
        let names: HashSet<&String> = names.iter().filter(|n| !n.contains(TMP_MARK)).collect();
        let mut ids: Vec<&str> = names
            .iter()
            .filter_map(|n| n.strip_suffix(JSON).or_else(|| n.strip_suffix(BAK)))
            .filter(|id| is_valid_id(id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut changed = false;
        for id in ids {
            let file = format!("{id}{JSON}");
            let path = self.dir.join(&file);
            let bak = self.dir.join(format!("{id}{BAK}"));
            let main_state = if names.contains(&file) {
                Some(check_file(&path))
            } else {
                None
            };
            match main_state {
                Some(Ok(())) => self.mark_good(id, &path),
                Some(Err(why)) => {
                    let aside = self.dir.join(format!("{file}.corrupt-{}", now_ms()));
                    fs::rename(&path, &aside)
                        .map_err(|e| StoreError::io("move aside", &path, &e))?;
                    changed = true;
                    let aside_name = aside
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let restored = bak.is_file()
                        && check_file(&bak).is_ok()
                        && restore_backup(&bak, &path).is_ok();
                    if restored {
                        self.mark_good(id, &path);
                    }
                    notices.push(StoreNotice {
                        file: file.clone(),
                        message: if restored {
                            format!("Conversation file {file} was damaged ({why}); the previous saved version was restored (the damaged file was kept as {aside_name}).")
                        } else {
                            format!("Conversation file {file} was damaged ({why}) and could not be recovered; it was moved aside as {aside_name}.")
                        },
                        recovered_from_backup: restored,
                    });
                }
                None => {
                    // Only a backup: the main file was lost (deleted by hand,
                    // or a file system that lost the rename). Bring it back.
                    if check_file(&bak).is_ok() && restore_backup(&bak, &path).is_ok() {
                        changed = true;
                        self.mark_good(id, &path);
                        notices.push(StoreNotice {
                            file: file.clone(),
                            message: format!("Conversation file {file} was missing; its last backup was restored."),
                            recovered_from_backup: true,
                        });
                    }
                }
            }
        }
        if changed {
            sync_dir(&self.dir).map_err(|e| StoreError::io("sync", &self.dir, &e))?;
        }
        Ok(notices)
    }
}

type Fingerprint = (u64, Option<std::time::SystemTime>);

fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let meta = fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

fn parse(bytes: &[u8]) -> Result<Conversation, serde_json::Error> {
    serde_json::from_slice(bytes)
}

fn check_file(path: &Path) -> Result<(), String> {
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    parse(&bytes).map(|_| ()).map_err(|e| e.to_string())
}

/// Puts the backup in place of the main file, keeping the backup (a copy
/// written to a temporary name, synced, then renamed).
fn restore_backup(bak: &Path, path: &Path) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!("{name}{TMP_MARK}{}", random_hex(8)));
    let result = (|| {
        fs::copy(bak, &tmp)?;
        OpenOptions::new().write(true).open(&tmp)?.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn remove_if_exists(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io("remove", path, &e)),
    }
}
