//! Time and peak memory to read, parse and compile a lexicon file, in a fresh
//! process (peak = the process's VmHWM, so it includes everything alive).
//!
//! cargo run --release -p qinglang-lexicon --example compile_cost -- target/lexicon-200k.txt [--pinyin]

use qinglang_lexicon::{load_lexicon, CompileOptions};
use std::time::Instant;

fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: compile_cost FILE [--pinyin]");
        std::process::exit(2);
    };
    let pinyin_all = args.iter().any(|a| a == "--pinyin");
    let before = peak_kb();
    let started = Instant::now();
    let Ok(source) = std::fs::read(path) else {
        println!("skipped: cannot read {path} (run the write_terms example first)");
        return;
    };
    // The path `qinglang lexicon compile` takes: plain lists and TOML alike.
    let lex = match load_lexicon(&source, &CompileOptions { pinyin_all }) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    drop(source);
    let n = lex.rules().len();
    let took = started.elapsed();
    println!(
        "{n} terms (pinyin {}): read+parse+compile {:.0} ms; process peak {} MB (at start {} MB); lexicon holds about {} MB",
        if pinyin_all { "on" } else { "off" },
        took.as_secs_f64() * 1e3,
        peak_kb().unwrap_or(0) / 1024,
        before.unwrap_or(0) / 1024,
        lex.heap_bytes() / (1 << 20)
    );
}
