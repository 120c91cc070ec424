//! Throughput of the lexicon matcher against exact matchers, in one run.
//!
//!     cargo bench -p qinglang-lexicon --bench lexicon
//!
//! Texts: COLD train (`QINGLANG_BENCH_TEXTS`, default
//! `../shared/datasets/cold/train.csv` from the workspace root). Lexicon: the
//! 23,000 terms of `corpus::frequent_terms(texts, 2000, 23000)`, written to
//! `target/lexicon-bench-terms.txt` for the Python peers. Every matcher is
//! called once per text and counts overlapping matches:
//! daachorse (charwise, exact), aho-corasick (exact, default builder), and
//! Qinglang with full normalisation and evasion handling, pinyin off and on.
//! Skips with a message when the texts are absent.

use aho_corasick::{AhoCorasick, MatchKind};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use qinglang_lexicon::corpus::{frequent_terms, read_texts, sparse_terms};
use qinglang_lexicon::{CompileOptions, Lexicon, Rule, Scratch};
use std::path::PathBuf;

fn texts_path() -> PathBuf {
    match std::env::var_os("QINGLANG_BENCH_TEXTS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/datasets/cold/train.csv"),
    }
}

fn rules(terms: &[String]) -> Vec<Rule> {
    terms
        .iter()
        .map(|t| Rule::plain(t.as_str(), "bench"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let path = texts_path();
    let Ok(source) = std::fs::read_to_string(&path) else {
        println!(
            "skipped: no texts at {} (set QINGLANG_BENCH_TEXTS)",
            path.display()
        );
        return;
    };
    let texts = read_texts(&source, path.extension().is_some_and(|e| e == "csv"));
    let bytes: usize = texts.iter().map(String::len).sum();
    for (name, terms) in [
        ("sparse", sparse_terms(&texts, 23_000)),
        ("dense", frequent_terms(&texts, 2000, 23_000)),
    ] {
        let out = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../target/lexicon-bench-{name}.txt"));
        let _ = std::fs::write(&out, terms.join("\n") + "\n");
        println!(
            "{name}: texts={} bytes={bytes} terms={} (written to {})",
            texts.len(),
            terms.len(),
            out.display()
        );
        run(c, name, &texts, bytes, &terms);
    }
}

fn run(c: &mut Criterion, name: &str, texts: &[String], bytes: usize, terms: &[String]) {
    let daac = CharwiseDoubleArrayAhoCorasick::<u32>::new(terms).expect("daachorse builds");
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(terms)
        .expect("aho-corasick builds");
    let rules = rules(terms);
    let plain = Lexicon::compile(&rules, &CompileOptions::default()).expect("compiles");
    let pinyin = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).expect("compiles");

    let mut g = c.benchmark_group(format!("lexicon-23k-{name}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("daachorse-charwise-exact", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| daac.find_overlapping_iter(t).count())
                .sum::<usize>()
        })
    });
    g.bench_function("aho-corasick-exact", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| ac.find_overlapping_iter(t).count())
                .sum::<usize>()
        })
    });
    for (name, lex) in [
        ("qinglang-evasion", &plain),
        ("qinglang-evasion-pinyin", &pinyin),
    ] {
        g.bench_function(name, |b| {
            let mut scratch = Scratch::default();
            let mut found = Vec::new();
            b.iter(|| {
                let mut n = 0;
                for t in texts {
                    lex.find_into(black_box(t), &mut scratch, &mut found);
                    n += found.len();
                }
                n
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
