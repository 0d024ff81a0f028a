#![allow(clippy::unwrap_used, clippy::expect_used)]
//! kill -9 while replies stream and save: a child process (this test binary, running the
//! ignored `crash_child` entry) opens the data folder as the app does and keeps three
//! conversations generating against a fast relay (run by the parent, so it outlives the
//! child). Each task id the child's observer is shown — the app shows it only once it is
//! saved — goes to a side file, fsync'd. The parent kills the child with SIGKILL at a
//! random moment, 100 times. After every kill each conversation file must load, and every
//! task id in the side file must be in its turn.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use common::report::{record, Category};
use reelchat_mock_relay::{start, RelayConfig, Speed};
use reelchat_studio::model::JobUpdate;
use reelchat_studio::store::ConversationStore;
use reelchat_studio::studio::{Connection, JobObserver, Studio};

const TEST: &str = "studio_crash_100";
const CHILD_DIR: &str = "REELCHAT_CRASH100_DIR";
const CHILD_BASE_URL: &str = "REELCHAT_CRASH100_BASE_URL";
const KEY: &str = "sk-crash";
const ROUNDS: usize = 100;
/// Conversations generating at once in the child.
const SLOTS: usize = 3;
/// The longest a child lives before the kill: a few whole replies at the relay's speed.
const MAX_LIFE_MS: u64 = 600;
/// Prompts the child cycles through: plain successes, a cut stream, a re-submitted task
/// (two ids), a failure.
const PROMPTS: [&str; 5] = ["牛马跳舞", "猫 [cut]", "狗 [resubmit]", "鱼", "鸟 [fail]"];

fn seen_file(dir: &Path) -> PathBuf {
    dir.join("seen-task-ids.log")
}

/// Writes each task id it is shown, once, fsync'd before returning.
struct SeenLog {
    file: Mutex<std::fs::File>,
    written: Mutex<HashSet<String>>,
}

impl JobObserver for SeenLog {
    fn update(&self, u: &JobUpdate) {
        if u.save_error.is_some() {
            return; // shown with a save error: not claimed as saved
        }
        for task in &u.turn.reply.task_ids {
            if self.written.lock().unwrap().insert(task.clone()) {
                // One write per record: `writeln!` on a File writes each piece separately,
                // and a kill between them leaves a torn line that the next child continues.
                let line = format!("{} {} {task}\n", u.conversation_id, u.turn.id);
                let mut f = self.file.lock().unwrap();
                f.write_all(line.as_bytes()).unwrap();
                f.sync_data().unwrap();
            }
        }
    }
}

/// The child's side; does nothing unless started by the parent.
#[test]
#[ignore = "helper run as a child process by kill9_while_streaming_and_saving_never_loses_a_seen_task_id"]
fn crash_child() {
    let (Ok(dir), Ok(base_url)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_BASE_URL)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async move {
        let (studio, _) = Studio::open(&dir).unwrap();
        let mut ids: Vec<String> = studio.list(None).into_iter().map(|c| c.id).collect();
        while ids.len() < SLOTS {
            ids.push(studio.create().unwrap().id);
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(seen_file(&dir))
            .unwrap();
        // Should a kill still have torn the last record, end it so ours start on a new line
        // (the torn one then has too few fields and is not read).
        let before = std::fs::read(seen_file(&dir)).unwrap();
        if before.last().is_some_and(|b| *b != b'\n') {
            file.write_all(b"\n").unwrap();
        }
        let log = Arc::new(SeenLog {
            file: Mutex::new(file),
            written: Mutex::default(),
        });
        println!("\nREADY");
        std::io::stdout().flush().unwrap();
        let conn = Connection {
            base_url,
            api_key: KEY.into(),
            idle_timeout: Duration::from_secs(10),
            allow_loopback_media: true,
        };
        let mut slots = Vec::new();
        for (slot, id) in ids.into_iter().take(SLOTS).enumerate() {
            let (studio, conn, log) = (studio.clone(), conn.clone(), log.clone());
            slots.push(tokio::spawn(async move {
                for n in slot.. {
                    // Always a new video: a follow-up's history is checked by the relay,
                    // and a killed reply is not a version to modify.
                    studio.set_head(&id, None).unwrap();
                    let prompt = PROMPTS[n % PROMPTS.len()];
                    let turn = studio
                        .send(conn.clone(), &id, prompt, "sora-2", None, log.clone())
                        .unwrap();
                    // Tells the parent a reply is streaming (saving as it goes).
                    println!("\nSENT {}", turn.id);
                    while studio.running().iter().any(|(_, t)| *t == turn.id) {
                        tokio::time::sleep(Duration::from_millis(3)).await;
                    }
                }
            }));
        }
        for slot in slots {
            slot.await.unwrap();
        }
    });
}

/// A small xorshift generator seeded from the OS, printed so a failure can be replayed
/// with REELCHAT_CRASH_SEED.
fn seed() -> u64 {
    if let Some(s) = std::env::var("REELCHAT_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return s;
    }
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    u64::from_le_bytes(b) | 1
}

fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// (conversation, turn, task) of every whole line of the side file.
fn seen(dir: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(seen_file(dir)).unwrap_or_default();
    let whole = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
    whole
        .lines()
        .filter_map(|l| match l.split(' ').collect::<Vec<_>>()[..] {
            [conversation, turn, task] => Some((conversation.into(), turn.into(), task.into())),
            _ => None, // a torn record
        })
        .collect()
}

/// What is missing after a kill: files that do not load, seen task ids not on disk.
fn check(dir: &Path) -> Result<usize, String> {
    let (store, notices) = ConversationStore::open(dir).map_err(|e| format!("open: {e:?}"))?;
    if !notices.is_empty() {
        return Err(format!("a kill damaged a file: {notices:?}"));
    }
    // Every conversation file loads (list() alone would skip a bad one).
    let mut all = Vec::new();
    for entry in std::fs::read_dir(store.dir()).map_err(|e| e.to_string())? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name.strip_suffix(".json") {
            all.push(
                store
                    .load(id)
                    .map_err(|e| format!("{name} does not load: {e:?}"))?,
            );
        }
    }
    let seen = seen(dir);
    for (conv, turn, task) in &seen {
        let c = all
            .iter()
            .find(|c| &c.id == conv)
            .ok_or_else(|| format!("conversation {conv} is gone"))?;
        let t = c
            .turn(turn)
            .ok_or_else(|| format!("turn {turn} of {conv} is gone"))?;
        if !t.reply.task_ids.contains(task) {
            return Err(format!(
                "task {task} was shown but is not saved in {turn}: {:?}",
                t.reply.task_ids
            ));
        }
    }
    Ok(seen.len())
}

fn part_files(dir: &Path) -> usize {
    let Ok(convs) = std::fs::read_dir(dir.join("media")) else {
        return 0;
    };
    convs
        .filter_map(Result::ok)
        .filter_map(|c| std::fs::read_dir(c.path()).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter(|f| f.file_name().to_string_lossy().contains(".part-"))
        .count()
}

#[test]
fn kill9_while_streaming_and_saving_never_loses_a_seen_task_id() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Fast enough that a child lifetime spans whole replies: streaming, saving and
    // downloading all get killed at some point.
    let relay = rt
        .block_on(start(RelayConfig {
            api_key: Some(KEY.into()),
            speed: Speed::Custom { tick_ms: 6 },
            ..Default::default()
        }))
        .unwrap();
    let tmp = common::data_dir();
    let exe = std::env::current_exe().unwrap();
    let mut rng = seed();
    println!("seed {rng}");
    let started = Instant::now();
    let mut rounds_with_new_ids = 0;
    let mut kills_during_jobs = 0;
    let mut total_seen = 0;
    let mut failure = None;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "crash_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, tmp.path())
            .env(CHILD_BASE_URL, relay.base_url())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("the child did not start");
            if line.contains("READY") {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(next(&mut rng) % MAX_LIFE_MS));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        reader.join().unwrap();
        if rx.try_iter().any(|l| l.contains("SENT ")) {
            kills_during_jobs += 1;
        }
        assert!(
            !status.success(),
            "round {round}: the child ended by itself"
        );

        match check(tmp.path()) {
            Ok(n) => {
                if n > total_seen {
                    rounds_with_new_ids += 1;
                }
                total_seen = n;
            }
            Err(e) => {
                failure = Some(format!("round {round}: {e}"));
                break;
            }
        }
    }
    let took = started.elapsed();
    let detail = match &failure {
        Some(e) => e.clone(),
        None => format!(
            "{ROUNDS} kills in {took:?}, {kills_during_jobs} while replies streamed, \
             {rounds_with_new_ids} after new task ids were shown; \
             {total_seen} task ids shown, all on disk; {} partial downloads left in media/",
            part_files(tmp.path())
        ),
    };
    println!("{detail}");
    record(
        TEST,
        Category::Fault,
        "100 kill -9 while streaming and saving",
        failure.is_some(),
        &detail,
    );
    assert!(failure.is_none(), "{detail}");
    assert!(
        kills_during_jobs >= ROUNDS / 2 && rounds_with_new_ids > 0,
        "most kills should land while replies stream: {detail}"
    );
    rt.block_on(relay.shutdown());
}
