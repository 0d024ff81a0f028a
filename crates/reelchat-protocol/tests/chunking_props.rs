#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Property tests: however a stream is cut into reads (inside multi-byte
//! characters, between `\r` and `\n`), and however a reply is cut into
//! deltas, the parser says the same thing.

use proptest::prelude::*;
use reelchat_protocol::{parse_captured, NoSink, ReplyEvent, ReplyParser, Summary};

const NAMES: &[&str] = &[
    "success.sse",
    "success_crlf_bom.sse",
    "success_no_trailing_blank.sse",
    "success_invalid_utf8.sse",
    "variants.sse",
    "failure_text.sse",
    "policy_text.sse",
    "resubmit.sse",
    "cut_stream.sse",
    "finished_without_video.sse",
    "error_frame.sse",
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/streams/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn summary_with_cuts(body: &[u8], cuts: &[usize]) -> Summary {
    use bytes::Bytes;
    use futures_util::stream;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    points.sort_unstable();
    points.dedup();
    let mut chunks = Vec::new();
    let mut prev = 0;
    for p in points.into_iter().chain([body.len()]) {
        if p > prev {
            chunks.push(Ok(Bytes::copy_from_slice(&body[prev..p])));
            prev = p;
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(reelchat_protocol::pipeline::read_event_stream(
        stream::iter(chunks),
        &Default::default(),
        &mut NoSink,
    ))
    .summary()
}

fn whole(body: &[u8]) -> Summary {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(parse_captured(body, usize::MAX, &mut NoSink))
        .summary()
}

/// Replay a reply's text through the parser cut at `cuts` (char-aligned),
/// returning every event and the final state.
fn events_with_cuts(
    text: &str,
    cuts: &[usize],
) -> (Vec<ReplyEvent>, reelchat_protocol::ReplyState) {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| {
            let mut p = c % (text.len() + 1);
            while !text.is_char_boundary(p) {
                p -= 1;
            }
            p
        })
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut parser = ReplyParser::new();
    let mut events = Vec::new();
    let mut prev = 0;
    for p in points.into_iter().chain([text.len()]) {
        if p > prev {
            events.extend(parser.push(&text[prev..p]));
            prev = p;
        }
    }
    events.extend(parser.finish());
    (events, parser.state().clone())
}

/// Events compared across chunkings: a coarse chunking legitimately skips
/// intermediate progress values (it only learns the maximum), so progress
/// events are checked to rise strictly and end at the state's value, and
/// every other event must be identical and in the same order.
fn normalised(events: Vec<ReplyEvent>, final_progress: Option<u32>) -> Vec<ReplyEvent> {
    let progress: Vec<u32> = events
        .iter()
        .filter_map(|e| {
            if let ReplyEvent::Progress { percent } = e {
                Some(*percent)
            } else {
                None
            }
        })
        .collect();
    assert!(
        progress.windows(2).all(|w| w[0] < w[1]),
        "progress must only rise: {progress:?}"
    );
    assert_eq!(progress.last().copied(), final_progress);
    events
        .into_iter()
        .filter(|e| !matches!(e, ReplyEvent::Progress { .. }))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_read_chunking_gives_the_same_summary(idx in 0..NAMES.len(), cuts in proptest::collection::vec(any::<usize>(), 0..400)) {
        let body = fixture(NAMES[idx]);
        prop_assert_eq!(summary_with_cuts(&body, &cuts), whole(&body), "{}", NAMES[idx]);
    }

    #[test]
    fn cuts_inside_characters_and_line_ends(idx in 0..NAMES.len(), seed in any::<u64>()) {
        // Cut right after every lead byte of a multi-byte character and
        // every `\r`, plus some pseudo-random cuts.
        let body = fixture(NAMES[idx]);
        let mut cuts: Vec<usize> = body.iter().enumerate().filter(|(_, b)| **b == b'\r' || **b >= 0xC0).map(|(i, _)| i + 1).collect();
        let mut x = seed | 1;
        for _ in 0..200 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; cuts.push((x as usize) % body.len()); }
        prop_assert_eq!(summary_with_cuts(&body, &cuts), whole(&body));
    }

    #[test]
    fn any_delta_chunking_gives_the_same_events(idx in 0..NAMES.len(), cuts in proptest::collection::vec(any::<usize>(), 0..300)) {
        let text = whole(&fixture(NAMES[idx])).content;
        let (events_one, state_one) = events_with_cuts(&text, &[]);
        let (events, state) = events_with_cuts(&text, &cuts);
        prop_assert_eq!(normalised(events, state.progress), normalised(events_one, state_one.progress));
        prop_assert_eq!(state, state_one);
    }

    #[test]
    fn every_single_byte_delta(idx in 0..NAMES.len()) {
        let text = whole(&fixture(NAMES[idx])).content;
        let all: Vec<usize> = (0..text.len()).collect();
        let (events, state) = events_with_cuts(&text, &all);
        let (events_one, state_one) = events_with_cuts(&text, &[]);
        prop_assert_eq!(normalised(events, state.progress), normalised(events_one, state_one.progress));
        prop_assert_eq!(state, state_one);
    }
}
