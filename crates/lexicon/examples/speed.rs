//! Quick side-by-side throughput (median of rounds), for tuning; the figures
//! in the README come from the criterion bench `benches/lexicon.rs`.
//!
//! cargo run --release -p qinglang-lexicon --example speed -- [TEXTS.csv] [sparse|dense] [rounds]

use daachorse::CharwiseDoubleArrayAhoCorasick;
use qinglang_lexicon::corpus::{bench_terms, read_texts};
use qinglang_lexicon::{CompileOptions, Lexicon, Rule, Scratch};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/datasets/cold/train.csv".into());
    let kind = args.get(2).cloned().unwrap_or_else(|| "sparse".into());
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(7);
    let Ok(src) = std::fs::read_to_string(&path) else {
        println!("skipped: no texts at {path}");
        return;
    };
    let texts = read_texts(&src, path.ends_with(".csv"));
    let terms = bench_terms(&texts, &kind);
    let bytes: usize = texts.iter().map(String::len).sum();
    let rules: Vec<Rule> = terms
        .iter()
        .map(|t| Rule::plain(t.as_str(), "bench"))
        .collect();
    let daac = CharwiseDoubleArrayAhoCorasick::<u32>::new(&terms).expect("builds");
    let plain = Lexicon::compile(&rules, &CompileOptions::default()).expect("compiles");
    let pinyin = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).expect("compiles");
    println!(
        "heap: daachorse {} B, qinglang {} B",
        daac.heap_bytes(),
        plain.heap_bytes()
    );
    let (mut d, mut q, mut p) = (Vec::new(), Vec::new(), Vec::new());
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    let mut counts = (0, 0, 0);
    for _ in 0..rounds {
        let t = Instant::now();
        counts.0 = texts
            .iter()
            .map(|t| daac.find_overlapping_iter(t).count())
            .sum::<usize>();
        d.push(bytes as f64 / t.elapsed().as_secs_f64() / 1e6);
        for (lex, v, c) in [
            (&plain, &mut q, &mut counts.1),
            (&pinyin, &mut p, &mut counts.2),
        ] {
            let t = Instant::now();
            *c = 0;
            for text in &texts {
                lex.find_into(text, &mut scratch, &mut found);
                *c += found.len();
            }
            v.push(bytes as f64 / t.elapsed().as_secs_f64() / 1e6);
        }
    }
    let mut b = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let n: usize = texts.iter().map(|t| plain.bare_count(t)).sum();
        b.push(bytes as f64 / t.elapsed().as_secs_f64() / 1e6);
        std::hint::black_box(n);
    }
    let b = median(b);
    let mut bp = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let n: usize = texts.iter().map(|t| pinyin.bare_count(t)).sum();
        bp.push(bytes as f64 / t.elapsed().as_secs_f64() / 1e6);
        std::hint::black_box(n);
    }
    println!("{kind}: bare walk, syllable mode {:.1} MB/s", median(bp));
    let (d, q, p) = (median(d), median(q), median(p));
    println!("{kind}: bare walk {b:.1} MB/s ratio {:.2}", b / d);
    println!("{kind}: daachorse {d:.1} MB/s ({} matches)", counts.0);
    println!(
        "{kind}: qinglang  {q:.1} MB/s ({} matches) ratio {:.2}",
        counts.1,
        q / d
    );
    println!(
        "{kind}: +pinyin   {p:.1} MB/s ({} matches) ratio {:.2}",
        counts.2,
        p / d
    );
}
