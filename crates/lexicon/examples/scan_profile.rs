//! One matcher at a time, for profilers, or pinyin off and on interleaved by
//! CPU time (this thread's, from /proc), for a ratio less at the mercy of a
//! shared machine than wall-clock time.
//!
//!     cargo run --release -p qinglang-lexicon --example scan_profile -- sparse|dense [rounds] [passes]
//!     ONLY=plain|pinyin|daachorse valgrind --tool=callgrind --collect-atstart=no \
//!         --toggle-collect='*find_into*' --toggle-collect='*count_daachorse*' \
//!         target/release/examples/scan_profile sparse 1 1
//!
//! Texts: COLD train (`../shared/datasets/cold/train.csv`, or
//! `QINGLANG_BENCH_TEXTS`); lexicons as in `benches/lexicon.rs`.

use daachorse::CharwiseDoubleArrayAhoCorasick;
use qinglang_lexicon::corpus::{bench_terms, read_texts};
use qinglang_lexicon::{CompileOptions, Lexicon, Rule, Scratch};

/// This thread's CPU time in seconds, if the system tells it.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

#[inline(never)]
fn count_daachorse(d: &CharwiseDoubleArrayAhoCorasick<u32>, text: &str) -> usize {
    d.find_overlapping_iter(text).count()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).map_or("sparse", String::as_str);
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let passes: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let only = std::env::var("ONLY").ok();
    let path = std::env::var("QINGLANG_BENCH_TEXTS")
        .unwrap_or_else(|_| "../shared/datasets/cold/train.csv".into());
    let Ok(src) = std::fs::read_to_string(&path) else {
        println!("skipped: no texts at {path}");
        return;
    };
    let texts = read_texts(&src, path.ends_with(".csv"));
    let terms = bench_terms(&texts, kind);
    if only.as_deref() == Some("daachorse") {
        let d = CharwiseDoubleArrayAhoCorasick::<u32>::new(&terms).expect("builds");
        let n: usize = texts.iter().map(|t| count_daachorse(&d, t)).sum();
        println!("{kind}: daachorse {n} matches");
        return;
    }
    let rules: Vec<Rule> = terms
        .iter()
        .map(|t| Rule::plain(t.as_str(), "bench"))
        .collect();
    let plain = Lexicon::compile(&rules, &CompileOptions::default()).expect("compiles");
    let pinyin = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).expect("compiles");
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    let mut speeds = (Vec::new(), Vec::new());
    let mut counts = (0, 0);
    for _ in 0..rounds {
        for (name, lex, speed, count) in [
            ("plain", &plain, &mut speeds.0, &mut counts.0),
            ("pinyin", &pinyin, &mut speeds.1, &mut counts.1),
        ] {
            if only.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            let start = cpu_seconds();
            let mut n = 0;
            for _ in 0..passes {
                for t in &texts {
                    lex.find_into(t, &mut scratch, &mut found);
                    n += found.len();
                }
            }
            if let (Some(a), Some(b)) = (start, cpu_seconds()) {
                speed.push((bytes * passes) as f64 / (b - a) / 1e6);
            }
            *count = n / passes;
        }
    }
    let (off, on) = (median(speeds.0), median(speeds.1));
    println!(
        "{kind}: pinyin off {off:.1} MB/s ({} matches), on {on:.1} MB/s ({} matches), on/off {:.3} (CPU time, median of {rounds})",
        counts.0,
        counts.1,
        on / off
    );
}
