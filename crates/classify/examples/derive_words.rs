//! Derives the segmentation dictionary `crates/classify/data/words.txt`
//! from jieba's dictionary (`dict.txt`: `word frequency [tag]` per line, as
//! shipped in the `jieba-rs` crate's source, MIT).
//!
//! Kept: words made only of Han characters (after the shared fold, which
//! also merges traditional spellings into simplified ones), one to
//! [`MAX_CHARS`] characters long, with a frequency of at least
//! [`MIN_FREQ`]. The first line records the sum of all frequencies in the
//! whole source dictionary, so that scores keep jieba's scale.
//!
//! ```sh
//! cargo run --release -p qinglang-classify --example derive_words -- \
//!     ~/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt > crates/classify/data/words.txt
//! ```

use qinglang_classify::normalize_into;
use std::collections::BTreeMap;
use std::io::Write;

const MIN_FREQ: u64 = 10;
const MAX_CHARS: usize = qinglang_classify::MAX_WORD_CHARS;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: derive_words PATH/TO/dict.txt");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 dictionary");
    let mut total = 0u64;
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    let mut folded = String::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Ok(freq) = freq.parse::<u64>() else {
            continue;
        };
        total += freq;
        normalize_into(word, &mut folded);
        let chars = folded.chars().count();
        if freq >= MIN_FREQ
            && (1..=MAX_CHARS).contains(&chars)
            && folded.chars().all(qinglang_classify::is_han)
        {
            *words.entry(folded.clone()).or_default() += freq;
        }
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    writeln!(out, "# total {total}").unwrap();
    for (word, freq) in &words {
        writeln!(out, "{word} {freq}").unwrap();
    }
    out.flush().unwrap();
    eprintln!("{} words kept, total frequency {total}", words.len());
}
