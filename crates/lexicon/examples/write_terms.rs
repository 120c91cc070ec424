//! Writes the benchmark lexicons as plain lists under `target/`:
//! `lexicon-bench-sparse.txt` and `lexicon-bench-dense.txt` (23,000 terms each,
//! see `corpus`), and `lexicon-200k.txt` (the 200,000 most frequent Han
//! substrings of 2-4 characters) for the compile-time figure.
//!
//! cargo run --release -p qinglang-lexicon --example write_terms -- ../shared/datasets/cold/train.csv

use qinglang_lexicon::corpus::{frequent_terms, read_texts, sparse_terms};
use std::path::PathBuf;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/datasets/cold/train.csv".into());
    let Ok(src) = std::fs::read_to_string(&path) else {
        println!("skipped: no texts at {path}");
        return;
    };
    let texts = read_texts(&src, path.ends_with(".csv"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    for (name, terms) in [
        ("lexicon-bench-sparse.txt", sparse_terms(&texts, 23_000)),
        (
            "lexicon-bench-dense.txt",
            frequent_terms(&texts, 2000, 23_000),
        ),
        ("lexicon-200k.txt", frequent_terms(&texts, 0, 200_000)),
    ] {
        let out = dir.join(name);
        match std::fs::write(&out, terms.join("\n") + "\n") {
            Ok(()) => println!("{}: {} terms", out.display(), terms.len()),
            Err(e) => eprintln!("error: {}: {e}", out.display()),
        }
    }
}
