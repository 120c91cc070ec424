//! Texts and term lists for the evasion suite and the benchmarks.
//!
//! [`read_texts`] reads the formats the peer benchmarks read (one text per
//! line, or a CSV with a `TEXT` column such as COLD). [`frequent_terms`] is
//! the documented, deterministic way the benchmark lexicon is built from
//! texts: count every Han-only substring of 2 to 4 characters once per text,
//! keep those seen in at least two texts, order by count (descending) and
//! then by the substring (ascending), skip the `skip` most frequent (they are
//! function words, not lexicon terms), and take the next `n`.
//! [`sparse_terms`] is the second benchmark lexicon: the most frequent
//! 3-4-character substrings, each reversed (so the character mix is that of
//! the texts but few terms occur in them: about one text in seven matches,
//! as with a real moderation lexicon).

use qinglang_text::is_han;
use std::collections::{HashMap, HashSet};

/// Splits one CSV record (RFC 4180 quoting) into fields.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = fields.last_mut() {
                    f.push('"');
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => {
                if let Some(f) = fields.last_mut() {
                    f.push(c)
                }
            }
        }
    }
    fields
}

/// Reads texts: a `.csv` file with a `TEXT` column, or one text per line.
/// Records spanning several lines (quoted newlines) are joined.
pub fn read_texts(source: &str, csv: bool) -> Vec<String> {
    let source = source.trim_start_matches('\u{FEFF}');
    if !csv {
        return source
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let mut lines = source.lines();
    let header = csv_fields(lines.next().unwrap_or(""));
    let Some(col) = header.iter().position(|h| h.trim() == "TEXT") else {
        return Vec::new();
    };
    let mut texts = Vec::new();
    let mut record = String::new();
    for line in lines {
        if !record.is_empty() {
            record.push('\n');
        }
        record.push_str(line);
        if record.chars().filter(|&c| c == '"').count() % 2 == 1 {
            continue;
        }
        if let Some(t) = csv_fields(&record).get(col) {
            if !t.is_empty() {
                texts.push(t.clone());
            }
        }
        record.clear();
    }
    texts
}

/// The benchmark lexicon procedure described in the module docs.
pub fn frequent_terms(texts: &[String], skip: usize, n: usize) -> Vec<String> {
    ranked_substrings(texts, 2)
        .into_iter()
        .skip(skip)
        .take(n)
        .collect()
}

/// The sparse benchmark lexicon described in the module docs.
pub fn sparse_terms(texts: &[String], n: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    ranked_substrings(texts, 3)
        .into_iter()
        .map(|s| s.chars().rev().collect::<String>())
        .filter(|s| seen.insert(s.clone()))
        .take(n)
        .collect()
}

/// The 23,000-term benchmark lexicon of `kind`: `"dense"` for
/// [`frequent_terms`] past the 2,000 most frequent, anything else for
/// [`sparse_terms`].
pub fn bench_terms(texts: &[String], kind: &str) -> Vec<String> {
    if kind == "dense" {
        frequent_terms(texts, 2000, 23_000)
    } else {
        sparse_terms(texts, 23_000)
    }
}

/// Han-only substrings of `min_len..=4` characters seen in two or more texts,
/// most frequent first, ties in string order.
fn ranked_substrings(texts: &[String], min_len: usize) -> Vec<String> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut seen = HashSet::new();
    for t in texts {
        seen.clear();
        let chars: Vec<char> = t.chars().collect();
        for i in 0..chars.len() {
            for len in 2..=4 {
                if i + len > chars.len() || !chars[i..i + len].iter().all(|&c| is_han(c)) {
                    break;
                }
                if len < min_len {
                    continue;
                }
                let s: String = chars[i..i + len].iter().collect();
                if seen.insert(s.clone()) {
                    *counts.entry(s).or_default() += 1;
                }
            }
        }
    }
    let mut all: Vec<(String, u32)> = counts.into_iter().filter(|x| x.1 >= 2).collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.into_iter().map(|x| x.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_with_quotes_and_builds_terms() {
        let csv = "\u{FEFF},split,TEXT\n1,train,\"你好,世界\"\n2,train,\"说\"\"赌博\"\"\n不好\"\n3,train,赌博不好\n";
        let texts = read_texts(csv, true);
        assert_eq!(texts, vec!["你好,世界", "说\"赌博\"\n不好", "赌博不好"]);
        let terms = frequent_terms(&texts, 0, 10);
        assert_eq!(terms, vec!["不好", "赌博"]);
    }
}
