//! Parser throughput figures: a long realistic reply through ReelChat's
//! decoder + incremental parser, next to `eventsource-stream` + serde_json
//! alone and a plain serde_json decode of the same events, at 1× to 16× the
//! length (the time must grow linearly). Prints a table and one JSON line.
//!
//! `cargo run --release -p reelchat-protocol --example parser_perf -- [--quick]
//!  [--base-deltas N] [--read-bytes N] [--reps N] [--scales 1,2,4,8,16]`
//!
//! Figures only: nothing here asserts a speed. It does refuse to print
//! figures for a run whose result is wrong.

mod measure;
mod workload;

use std::process::ExitCode;
use std::time::Duration;

use measure::Run;

struct Options {
    scales: Vec<usize>,
    base_deltas: usize,
    read_bytes: usize,
    reps: usize,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        scales: vec![1, 2, 4, 8, 16],
        base_deltas: workload::BASE_DELTAS,
        // A typical size of one read from a TLS connection.
        read_bytes: 8192,
        reps: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .ok_or(format!("{name} needs a positive number"))
        };
        match a.as_str() {
            "--quick" => {
                o.base_deltas = 10_000;
                o.reps = 1;
            }
            "--base-deltas" => o.base_deltas = num(&a)?,
            "--read-bytes" => o.read_bytes = num(&a)?,
            "--reps" => o.reps = num(&a)?,
            "--scales" => {
                o.scales = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|s| s.trim().parse::<usize>().ok().filter(|n| *n > 0))
                    .collect::<Option<Vec<_>>>()
                    .filter(|v| !v.is_empty())
                    .ok_or("--scales needs numbers like 1,2,4")?;
            }
            "-h" | "--help" => {
                return Err(
                    "usage: parser_perf [--quick] [--base-deltas N] [--read-bytes N] [--reps N] [--scales 1,2,4,8,16]"
                        .into(),
                )
            }
            _ => return Err(format!("unknown option {a}")),
        }
    }
    Ok(o)
}

/// The fastest of `reps` runs (the others were disturbed by something else).
fn best(reps: usize, mut f: impl FnMut() -> Result<Run, String>) -> Result<Run, String> {
    let mut best: Option<Run> = None;
    for _ in 0..reps {
        let r = f()?;
        if best.as_ref().is_none_or(|b| r.time < b.time) {
            best = Some(r);
        }
    }
    best.ok_or_else(|| "no run".to_string())
}

struct Row {
    scale: usize,
    deltas: usize,
    bytes: usize,
    /// decoder+parser, stack, floor
    times: [Duration; 3],
}

const COLUMNS: [&str; 3] = [
    "decoder+parser",
    "eventsource+serde_json",
    "serde_json floor",
];
const KEYS: [&str; 3] = ["parser", "stack", "floor"];

fn mb_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

fn measure(o: &Options) -> Result<Vec<Row>, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for &scale in &o.scales {
        let w = workload::build(o.base_deltas * scale);
        let reads = measure::reads(&w.body, o.read_bytes);
        let runs = [
            best(o.reps, || measure::parser(&rt, &reads))?,
            best(o.reps, || Ok(measure::stack(&rt, &reads)))?,
            best(o.reps, || Ok(measure::floor(&w.body)))?,
        ];
        for (r, name) in runs.iter().zip(COLUMNS) {
            if r.content_bytes != w.content_bytes {
                return Err(format!(
                    "{name} at {scale}×: {} content bytes, expected {}",
                    r.content_bytes, w.content_bytes
                ));
            }
        }
        eprintln!(
            "  {scale:>2}× done ({} events, {:.1} MB)",
            w.events,
            w.body.len() as f64 / 1e6
        );
        rows.push(Row {
            scale,
            deltas: w.deltas,
            bytes: w.body.len(),
            times: runs.map(|r| r.time),
        });
    }
    Ok(rows)
}

/// Time at `row` divided by (scale × time at 1×): 1.00 is perfectly linear.
fn growth(rows: &[Row], row: &Row, col: usize) -> f64 {
    let base = rows[0].times[col].as_secs_f64() / rows[0].bytes as f64;
    row.times[col].as_secs_f64() / (base * row.bytes as f64)
}

fn print_table(o: &Options, rows: &[Row]) {
    println!(
        "Parser throughput: one reply in 1–3 character deltas, fed in {} B reads; best of {} by {}; MB = 10^6 bytes",
        o.read_bytes,
        o.reps,
        measure::clock_name()
    );
    println!(
        "{:>5} {:>9} {:>8} | {:>28} | {:>28} | {:>28}",
        "scale", "deltas", "MB", COLUMNS[0], COLUMNS[1], COLUMNS[2]
    );
    println!(
        "{:>5} {:>9} {:>8} | {:>28} | {:>28} | {:>28}",
        "",
        "",
        "",
        "ms  MB/s  Mdelta/s  growth",
        "ms  MB/s  Mdelta/s  growth",
        "ms  MB/s  Mdelta/s  growth"
    );
    for row in rows {
        let cells: Vec<String> = (0..3)
            .map(|c| {
                let t = row.times[c];
                format!(
                    "{:>7.1} {:>5.0} {:>8.2} {:>6.2}",
                    t.as_secs_f64() * 1e3,
                    mb_s(row.bytes, t),
                    row.deltas as f64 / 1e6 / t.as_secs_f64(),
                    growth(rows, row, c)
                )
            })
            .collect();
        println!(
            "{:>4}× {:>9} {:>8.1} | {:>28} | {:>28} | {:>28}",
            row.scale,
            row.deltas,
            row.bytes as f64 / 1e6,
            cells[0],
            cells[1],
            cells[2]
        );
    }
    println!("growth = time ÷ (size ratio × time at the first scale): 1.00 is linear.");
}

fn json_line(o: &Options, rows: &[Row]) -> String {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let mut v = serde_json::json!({
                "scale": row.scale,
                "deltas": row.deltas,
                "bytes": row.bytes,
            });
            for (c, key) in KEYS.iter().enumerate() {
                let t = row.times[c];
                v[*key] = serde_json::json!({
                    "ms": (t.as_secs_f64() * 1e4).round() / 10.0,
                    "mb_s": (mb_s(row.bytes, t) * 10.0).round() / 10.0,
                    "deltas_s": (row.deltas as f64 / t.as_secs_f64()).round(),
                    "growth": (growth(rows, row, c) * 100.0).round() / 100.0,
                });
            }
            v
        })
        .collect();
    serde_json::json!({
        "bench": "parser",
        "read_bytes": o.read_bytes,
        "reps": o.reps,
        "clock": measure::clock_name(),
        "rows": items,
    })
    .to_string()
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match measure(&o) {
        Ok(rows) => {
            print_table(&o, &rows);
            println!("{}", json_line(&o, &rows));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parser_perf: {e}");
            ExitCode::FAILURE
        }
    }
}
