//! The reply the figures are measured on: a spec-shaped SSE body (plan,
//! task id, links, queued and generating heartbeats, a long progress line,
//! CJK status text, the result) in 1–3 character deltas, deterministic so
//! every run and every machine measures the same bytes.

use bytes::Bytes;

/// Deltas in a reply of scale 1× (the default base).
pub const BASE_DELTAS: usize = 60_000;

/// One reply as the wire carries it, and what the parser must find in it.
pub struct Workload {
    pub body: Bytes,
    /// `data:` events that carry a chunk (the `[DONE]` line excluded).
    pub events: usize,
    /// Deltas with text (1–3 characters each).
    pub deltas: usize,
    /// The assistant text, in bytes.
    pub content_bytes: usize,
}

const TASK: &str = "task_01k7e5w9z5f2d91pekrqy59rwc";
const SID: &str = "s_68eca3f141808191b1fd30fea1b731bd";
const CJK_LINE: &str = "> 生成中：牛马在舞台上跳舞，灯光闪烁，镜头缓慢推进，画面细节逐渐清晰。";

/// A small deterministic generator (xorshift), so no dependency is needed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// 1, 2 or 3.
    fn len(&mut self) -> usize {
        1 + (self.next() % 3) as usize
    }
}

/// Builds the delta list, then the SSE body around it.
struct Builder {
    rng: Rng,
    deltas: Vec<String>,
}

impl Builder {
    /// Text cut into 1–3 character deltas.
    fn text(&mut self, s: &str) {
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let n = self.rng.len().min(chars.len() - i);
            self.deltas.push(chars[i..i + n].iter().collect());
            i += n;
        }
    }

    /// Heartbeat dots: each `.` is a delta of its own, as the relay sends them.
    fn dots(&mut self, n: usize) {
        for _ in 0..n {
            self.deltas.push(".".to_string());
        }
    }
}

/// A reply with about `target` deltas: a quarter queued heartbeat, a quarter
/// generating heartbeat, 30 % progress numbers on one line, 20 % CJK text.
pub fn build(target: usize) -> Workload {
    let mut b = Builder {
        rng: Rng(0x9e37_79b9_7f4a_7c15),
        deltas: Vec::with_capacity(target + 1024),
    };
    b.text(concat!(
        "```json\n{\n  \"prompt\": \"生成一段高清的,牛马跳舞的视频,让牛的头上顶着光圈,马的脚下踩着祥云\",\n",
        "  \"orientation\": \"portrait\",\n  \"sid\": \"s_68ec8accd80c8191ae1fc957af78caaa\"\n}\n```\n\n"
    ));
    b.text(&format!(
        "> ID: `{TASK}`\n>[数据预览](https://relay.example/web/{TASK}) | [原始数据](https://relay.example/source/{TASK})\n> 排队中"
    ));
    b.dots(target / 4);
    b.text("\n> 生成中");
    b.dots(target / 4);
    b.text("\n\n>🏃 进度 ");
    // Numbers that rise and fall back, each followed by dots: ~30 % of deltas.
    let progress_until = b.deltas.len() + target * 3 / 10;
    let mut k = 0u64;
    while b.deltas.len() < progress_until {
        let n = (k * 7 + b.rng.next() % 5) % 100;
        b.text(&format!("{n}.."));
        k += 1;
    }
    b.text("\n\n");
    let cjk_until = b.deltas.len() + target / 5;
    while b.deltas.len() < cjk_until {
        b.text(CJK_LINE);
        b.text("\n");
    }
    b.text(&format!(
        "\n> 生成完成 ✅\n> sid: {SID}\n\n[预览图](https://relay.example/files/preview.webp)\n[视频文件](https://relay.example/files/video.mp4)"
    ));
    sse(&b.deltas)
}

/// The deltas as `chat.completion.chunk` events, shaped like the relay's:
/// a role chunk first, an empty `delta: {}` now and then, a `finish_reason`
/// chunk and `[DONE]` at the end.
fn sse(deltas: &[String]) -> Workload {
    const HEAD: &str = r#"data: {"id":"chatcmpl-89C77NMqv7oh6ajWBZful0xBNsJN1","object":"chat.completion.chunk","created":1760338775,"model":"sora-2","choices":[{"index":0,"delta":"#;
    let mut out = String::with_capacity(deltas.len() * 200);
    let mut events = 0;
    let mut event = |out: &mut String, delta: &str, finish: &str| {
        out.push_str(HEAD);
        out.push_str(delta);
        out.push_str(r#","finish_reason":"#);
        out.push_str(finish);
        out.push_str("}]}\n\n");
        events += 1;
    };
    event(&mut out, r#"{"role":"assistant","content":""}"#, "null");
    let mut content_bytes = 0;
    for (i, d) in deltas.iter().enumerate() {
        content_bytes += d.len();
        let json = serde_json::to_string(d).unwrap_or_default();
        event(&mut out, &format!(r#"{{"content":{json}}}"#), "null");
        if i % 1000 == 999 {
            event(&mut out, "{}", "null");
        }
    }
    event(&mut out, "{}", r#""stop""#);
    out.push_str("data: [DONE]\n\n");
    Workload {
        body: Bytes::from(out),
        events,
        deltas: deltas.len(),
        content_bytes,
    }
}
