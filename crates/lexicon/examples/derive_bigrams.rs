//! Derives the common Han bigram table (`crates/lexicon/data/han_bigrams.bin`)
//! that tells a chance homophone (小气 for 笑气) from an evasion (堵博).
//!
//! cargo run --release -p qinglang-lexicon --example derive_bigrams -- \
//!     ../shared/datasets/cold/train.csv [--min-texts 2] [-o crates/lexicon/data/han_bigrams.bin]
//!
//! Every pair of adjacent Han characters (after folding, so 賭博 counts as
//! 赌博) is counted once per text; pairs seen in at least `--min-texts`
//! texts are kept. The output is the sorted list of their keys
//! ([`qinglang_lexicon::bigram_key`]) as varint gaps
//! ([`qinglang_lexicon::encode_keys`]): statistics of the texts, not their
//! text.

use qinglang_lexicon::corpus::read_texts;
use qinglang_lexicon::{bigram_key, encode_keys};
use qinglang_text::fold_char;
use std::collections::{HashMap, HashSet};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let Some(path) = args.get(1).filter(|a| !a.starts_with('-')) else {
        eprintln!("usage: derive_bigrams TEXTS.csv [--min-texts N] [-o FILE]");
        return ExitCode::from(2);
    };
    let min: usize = arg("--min-texts").and_then(|s| s.parse().ok()).unwrap_or(2);
    let out = arg("-o").unwrap_or_else(|| "crates/lexicon/data/han_bigrams.bin".into());
    let Ok(source) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        return ExitCode::from(2);
    };
    let texts = read_texts(&source, path.ends_with(".csv"));
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for t in &texts {
        let mut seen = HashSet::new();
        let mut prev: Option<char> = None;
        for c in t.chars() {
            let f = fold_char(c).ch;
            if let Some(key) = prev.and_then(|p| bigram_key(p, f)) {
                seen.insert(key);
            }
            prev = Some(f);
        }
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut keys: Vec<u32> = counts
        .iter()
        .filter(|&(_, &n)| n >= min)
        .map(|(&k, _)| k)
        .collect();
    keys.sort_unstable();
    let bytes = encode_keys(&keys);
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::from(2);
    }
    println!(
        "{} texts, {} distinct bigrams, {} kept (seen in {min}+ texts), {} bytes -> {out}",
        texts.len(),
        counts.len(),
        keys.len(),
        bytes.len()
    );
    ExitCode::SUCCESS
}
