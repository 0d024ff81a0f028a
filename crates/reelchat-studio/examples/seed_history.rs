//! Writes a large history into an app data folder, for the memory and start-up measurements
//! (`scripts/perf.d`): N conversations holding V versions in all, each version a finished reply
//! (the text parsed by the real parser) with a local video and poster copied from the mock
//! relay's clips, saved through the real store.
//!
//! `cargo run -p reelchat-studio --example seed_history -- <data_dir> [conversations] [versions]`
//! (defaults 200 and 500). `<data_dir>` is the app's data folder, e.g.
//! `$XDG_DATA_HOME/app.reelchat.desktop`.

use std::path::PathBuf;

use reelchat_protocol::ReplyParser;
use reelchat_studio::ids::{new_id, random_hex};
use reelchat_studio::model::{
    Conversation, DownloadState, LocalMedia, StepTimes, TurnRecord, TurnStatus,
};
use reelchat_studio::store::ConversationStore;

const CLIPS: [(&[u8], &[u8]); 3] = [
    (
        include_bytes!("../../reelchat-mock-relay/media/clip_a.mp4"),
        include_bytes!("../../reelchat-mock-relay/media/clip_a.jpg"),
    ),
    (
        include_bytes!("../../reelchat-mock-relay/media/clip_b.mp4"),
        include_bytes!("../../reelchat-mock-relay/media/clip_b.jpg"),
    ),
    (
        include_bytes!("../../reelchat-mock-relay/media/clip_c.mp4"),
        include_bytes!("../../reelchat-mock-relay/media/clip_c.jpg"),
    ),
];

const PROMPTS: [&str; 5] = [
    "生成一段高清的,牛马跳舞的视频",
    "让牛的头上顶着光圈",
    "A paper boat drifting down a rainy street, close-up",
    "把背景换成夜晚的城市，霓虹灯闪烁",
    "Slow motion: a cat jumping onto a bookshelf",
];

/// A finished reply as the server would stream it (links on a dead loopback port: only the
/// local copies play, as for old conversations whose links expired).
fn reply_text(prompt: &str, source_sid: Option<&str>) -> (String, String) {
    let task = format!("task_{}", random_hex(16));
    let sid = format!("s_{}", random_hex(16));
    let base = "http://127.0.0.1:9";
    let source = source_sid.map_or(String::new(), |s| format!(",\n  \"sid\": \"{s}\""));
    let prompt_json = serde_json::to_string(prompt).unwrap_or_default();
    let text = format!(
        "```json\n{{\n  \"prompt\": {prompt_json},\n  \"orientation\": \"landscape\",\n  \"duration\": 10{source}\n}}\n```\n\n\
         > ID: `{task}`\n>[数据预览]({base}/web/{task}) | [原始数据]({base}/source/{task})\n> 排队中....\n\
         > 生成中..\n\n>🏃 进度 7..19..33..41..56..68..79..88..95..\n\n> 生成完成 ✅\n> sid: {sid}\n\n\
         [预览图]({base}/media/{sid}.jpg)\n[视频文件]({base}/media/{sid}.mp4)"
    );
    (text, sid)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let data_dir = PathBuf::from(
        args.next()
            .ok_or("usage: seed_history <data_dir> [n] [v]")?,
    );
    let conversations: usize = args.next().map_or(Ok(200), |s| s.parse())?;
    let versions: usize = args.next().map_or(Ok(500), |s| s.parse())?;
    if conversations == 0 || versions < conversations {
        return Err("need at least one version per conversation".into());
    }
    let (store, _) = ConversationStore::open(&data_dir)?;
    let media_dir = data_dir.join("media");
    let start = reelchat_studio::model::now_ms() - (versions as i64) * 60_000;
    let mut at = start;
    for i in 0..conversations {
        let count = versions / conversations + usize::from(i < versions % conversations);
        let id = new_id("c_");
        let dir = media_dir.join(&id);
        std::fs::create_dir_all(&dir)?;
        let mut turns: Vec<TurnRecord> = Vec::new();
        let mut source: Option<String> = None;
        for v in 0..count {
            at += 60_000;
            let prompt = PROMPTS[(i + v) % PROMPTS.len()];
            let (text, sid) = reply_text(prompt, source.as_deref());
            let mut parser = ReplyParser::new();
            parser.push(&text);
            parser.finish();
            let (content, reply) = parser.into_parts();
            let turn_id = new_id("t_");
            let (mp4, jpg) = CLIPS[(i + v) % CLIPS.len()];
            std::fs::write(dir.join(format!("{turn_id}.mp4")), mp4)?;
            std::fs::write(dir.join(format!("{turn_id}-poster.jpg")), jpg)?;
            turns.push(TurnRecord {
                id: turn_id.clone(),
                parent: turns.last().map(|t| t.id.clone()),
                prompt: prompt.to_string(),
                model: "sora-2".into(),
                created_at: at,
                status: TurnStatus::Succeeded,
                content,
                reply,
                failure: None,
                version: Some(v as u32 + 1),
                steps: StepTimes {
                    queued_at: Some(at + 2_000),
                    generating_at: Some(at + 12_000),
                    finished_at: Some(at + 55_000),
                },
                media: LocalMedia {
                    video: Some(format!("{id}/{turn_id}.mp4")),
                    preview: Some(format!("{id}/{turn_id}-poster.jpg")),
                    state: DownloadState::Done,
                    error: None,
                    error_kind: None,
                    removed_at: None,
                },
                image: None,
            });
            source = Some(sid);
        }
        let title: String = turns[0].prompt.chars().take(20).collect();
        store.save(&Conversation {
            id,
            title: format!("{title} #{}", i + 1),
            created_at: turns[0].created_at,
            updated_at: at,
            head: turns.last().map(|t| t.id.clone()),
            turns,
        })?;
    }
    println!(
        "{conversations} conversations, {versions} versions in {}",
        data_dir.display()
    );
    Ok(())
}
