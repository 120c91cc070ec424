//! `qinglang bench`: measurements that back the figures in the README.
//!
//! `bench scan` generates a deterministic file of short items, runs the real
//! `scan` code path over it (parse, validate, detect, decide, store in
//! batches, write verdicts) and reports throughput by wall clock and by CPU
//! time, with the peak resident memory. Run it under `taskset -c 0` to hold
//! it to one core.

use crate::commands::{progress::thousands, runtime::EngineArgs, scan};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchWhat,
}

#[derive(Subcommand, Debug)]
pub enum BenchWhat {
    /// End-to-end scan throughput and memory on generated short items.
    Scan(ScanBench),
}

#[derive(Args, Debug)]
pub struct ScanBench {
    /// How many items to generate.
    #[arg(long, default_value_t = 1_000_000)]
    pub items: u64,
    /// Average text length in characters (Chinese).
    #[arg(long, default_value_t = 24)]
    pub text_chars: usize,
    /// Detectors to run (`none` measures ingest alone).
    #[arg(long, default_value = "none")]
    pub detectors: String,
    /// Database URL; a fresh SQLite file in the work directory when not given.
    #[arg(long)]
    pub db: Option<String>,
    /// Work directory for the generated input, database and verdicts (a temporary one when not given; kept when given).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    match args.what {
        BenchWhat::Scan(b) => scan_bench(b),
    }
}

fn scan_bench(b: ScanBench) -> Result<ExitCode> {
    let tmp;
    let dir = match &b.dir {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
            d.clone()
        }
        None => {
            tmp = tempfile::tempdir().context("cannot create a temporary directory")?;
            tmp.path().to_path_buf()
        }
    };
    let input = dir.join("bench-input.jsonl");
    let t = Instant::now();
    let bytes = generate(&input, b.items, b.text_chars)?;
    eprintln!(
        "generated {} items, {:.1} MB in {:.1} s: {}",
        thousands(b.items),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        input.display()
    );
    let db = match &b.db {
        Some(db) => db.clone(),
        None => {
            let p = dir.join("bench.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
            p.display().to_string()
        }
    };
    let args = scan::ScanArgs {
        inputs: vec![input.clone()],
        setup: EngineArgs {
            db: db.clone(),
            detectors: b.detectors.clone(),
            policy: None,
            lexicon: None,
            protected: None,
            model: None,
        },
        out: dir.join("bench-verdicts.jsonl"),
        rejects: dir.join("bench-rejects.jsonl"),
        batch_size: 8192,
        max_line_bytes: qinglang_ingest::DEFAULT_MAX_LINE_BYTES,
        quiet: true,
    };
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let code = scan::run(args)?;
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let n = b.items as f64;
    println!(
        "bench scan: {} items, {:.1} MB, detectors {}",
        thousands(b.items),
        bytes as f64 / 1e6,
        b.detectors
    );
    println!(
        "  wall  {wall:8.2} s  {:>10} items/s  {:7.1} MB/s",
        thousands((n / wall) as u64),
        bytes as f64 / wall / 1e6
    );
    println!(
        "  cpu   {cpu:8.2} s  {:>10} items/s  (user+system time of this process)",
        thousands((n / cpu.max(1e-9)) as u64)
    );
    if let Some(kb) = peak_rss_kb() {
        println!("  peak resident memory {:.1} MB", kb as f64 / 1024.0);
    }
    println!("  database {}", crate::commands::runtime::redact_url(&db));
    Ok(code)
}

/// Writes `items` deterministic short items; returns the bytes written.
fn generate(path: &std::path::Path, items: u64, text_chars: usize) -> Result<u64> {
    const WORDS: &[&str] = &[
        "今天", "天气", "真好", "我们", "一起", "去", "吃饭", "这个", "产品", "不错", "推荐",
        "大家", "购买", "视频", "主播", "直播", "评论", "转发", "哈哈", "支持", "关注", "点赞",
        "城市", "新闻", "消息", "朋友", "工作", "学习",
    ];
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut text = String::new();
    let mut written = 0u64;
    for i in 0..items {
        text.clear();
        let target = text_chars / 2 + (next() as usize % text_chars.max(1));
        while text.chars().count() < target {
            text.push_str(WORDS[next() as usize % WORDS.len()]);
        }
        let line = format!(
            "{{\"id\":\"b{i}\",\"author\":\"u{}\",\"text\":\"{text}\",\"created_at\":\"2024-05-01T08:{:02}:{:02}+08:00\",\"platform\":\"weibo\"}}\n",
            next() % 50_000,
            (i / 60) % 60,
            i % 60
        );
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    w.flush()?;
    Ok(written)
}

fn cpu_seconds() -> f64 {
    // /proc/self/stat fields 14 and 15: user and system time in clock ticks.
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some(after) = stat.rsplit_once(") ").map(|(_, a)| a) else {
        return 0.0;
    };
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields after the command name start at field 3, so 14 and 15 are at 11 and 12.
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
