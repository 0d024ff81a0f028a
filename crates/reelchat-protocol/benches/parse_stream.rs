#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Throughput of decoder + parser on a long realistic reply, next to the
//! floor: a plain serde_json decode of the same events.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use reelchat_protocol::{parse_captured, NoSink};

/// A reply of `dots` heartbeat dots and progress numbers, in 1–3 character
/// deltas, as SSE.
fn long_stream(dots: usize) -> Vec<u8> {
    let mut md = String::from("```json\n{\n  \"prompt\": \"生成一段高清的,牛马跳舞的视频\",\n  \"orientation\": \"portrait\"\n}\n```\n\n> ID: `task_01k7e5w9z5f2d91pekrqy59rwc`\n>[数据预览](https://r.example/web/task_01k7e5w9z5f2d91pekrqy59rwc) | [原始数据](https://r.example/source/task_01k7e5w9z5f2d91pekrqy59rwc)\n> 排队中");
    md.push_str(&".".repeat(dots));
    md.push_str("\n> 生成中");
    md.push_str(&".".repeat(dots));
    md.push_str("\n\n>🏃 进度 ");
    for i in 0..dots {
        md.push_str(&format!("{}..", i % 100));
    }
    md.push_str("\n\n> 生成完成 ✅\n> sid: s_68eca3f141808191b1fd30fea1b731bd\n\n[预览图](https://r.example/p.webp)\n[视频文件](https://r.example/v.mp4)");
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut k = 0usize;
    while i < chars.len() {
        let n = 1 + (k % 3);
        let piece: String = chars[i..(i + n).min(chars.len())].iter().collect();
        let ev = serde_json::json!({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"sora-2","choices":[{"index":0,"delta":{"content":piece},"finish_reason":null}]});
        out.push_str("data: ");
        out.push_str(&ev.to_string());
        out.push_str("\n\n");
        i += n;
        k += 1;
    }
    out.push_str("data: [DONE]\n\n");
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut g = c.benchmark_group("parse_stream");
    g.sample_size(10);
    for scale in [1usize, 4, 16] {
        let body = long_stream(20_000 * scale);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("decoder+parser", scale),
            &body,
            |b, body| b.iter(|| rt.block_on(parse_captured(body, 8192, &mut NoSink)).outcome),
        );
        g.bench_with_input(
            BenchmarkId::new("serde_json floor", scale),
            &body,
            |b, body| {
                b.iter(|| {
                    let mut n = 0usize;
                    for line in body.split(|b| *b == b'\n') {
                        if let Some(data) = line.strip_prefix(b"data: {") {
                            let _ = data;
                            let v: serde_json::Value =
                                serde_json::from_slice(&line[6..]).expect("json");
                            n += v["choices"][0]["delta"]["content"]
                                .as_str()
                                .map_or(0, str::len);
                        }
                    }
                    n
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
