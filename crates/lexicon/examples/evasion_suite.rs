//! The evasion suite: recall per perturbation strategy and false matches on
//! clean texts, for a lexicon file and for a sample of the benchmark lexicon.
//!
//! cargo run --release -p qinglang-lexicon --example evasion_suite -- \
//!     [--lexicon FILE] [--texts ../shared/datasets/cold/dev.csv] [--sample 2000] [--seed 1]
//!     [--english ../shared/datasets/sms_spam/SMSSpamCollection]
//!
//! Three lexicons: the file (default: the built-in pack), a seeded sample of
//! the Chinese benchmark terms, and the 300 most frequent English words of 4+
//! letters of the SMS ham messages (clean texts for that one: the ham messages).
//!
//! Each applicable (term, strategy) pair becomes one text: the perturbed term
//! inserted at a random point of a random clean text. It counts as found when
//! a match of the term's rule overlaps the inserted bytes. A clean text is a
//! false match when some rule matches it although none of that rule's terms
//! occurs in the raw text.

use qinglang_lexicon::corpus::{frequent_terms, read_texts};
use qinglang_lexicon::perturb::{is_safe_cut, perturb, Rng, Strategy};
use qinglang_lexicon::{parse_rules, CompileOptions, Lexicon, Rule};
use std::process::ExitCode;

const DEFAULT_PACK: &str = include_str!("../../../lexicons/default.toml");

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Inserts `term` at a random character boundary of `context`, with a space
/// on a side where it would otherwise glue onto a Latin word or number.
fn insert_at(context: &str, term: &str, rng: &mut Rng) -> (String, usize, usize) {
    let cuts: Vec<usize> = context
        .char_indices()
        .map(|(i, _)| i)
        .chain([context.len()])
        .collect();
    let at = *rng.pick(&cuts);
    let (left, right) = (&context[..at], &context[at..]);
    let pad_left = if is_safe_cut(left.chars().next_back(), None) {
        ""
    } else {
        " "
    };
    let pad_right = if is_safe_cut(None, right.chars().next()) {
        ""
    } else {
        " "
    };
    let text = format!("{left}{pad_left}{term}{pad_right}{right}");
    let start = left.len() + pad_left.len();
    (text, start, start + term.len())
}

fn evaluate(name: &str, rules: &[Rule], texts: &[String], seed: u64) {
    let plain = Lexicon::compile(rules, &CompileOptions::default()).expect("lexicon compiles");
    let pinyin =
        Lexicon::compile(rules, &CompileOptions { pinyin_all: true }).expect("lexicon compiles");
    println!(
        "\n== {name}: {} rules, {} terms",
        rules.len(),
        rules.iter().map(|r| r.terms.len()).sum::<usize>()
    );
    println!(
        "{:<12} {:>8} {:>8} {:>8}",
        "strategy", "applied", "found", "recall"
    );
    let mut rng = Rng::new(seed);
    for s in Strategy::ALL {
        let lex = if s.needs_pinyin() { &pinyin } else { &plain };
        let (mut applied, mut found) = (0usize, 0usize);
        let mut misses = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            for term in &rule.terms {
                let Some(p) = perturb(term, s, &mut rng) else {
                    continue;
                };
                let context = rng.pick(texts).clone();
                let (text, a, b) = insert_at(&context, &p, &mut rng);
                applied += 1;
                if lex
                    .find(&text)
                    .iter()
                    .any(|m| m.rule == ri && m.start < b && a < m.end)
                {
                    found += 1;
                } else if misses.len() < 4 {
                    misses.push(format!("{term} -> {p}"));
                }
            }
        }
        let recall = found as f64 / applied.max(1) as f64;
        println!(
            "{:<12} {:>8} {:>8} {:>8.4}  missed e.g. {:?}",
            s.as_str(),
            applied,
            found,
            recall,
            misses
        );
    }
    for (label, lex) in [("off", &plain), ("on", &pinyin)] {
        let mut fp = 0usize;
        let mut examples = Vec::new();
        let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
        for t in texts {
            let raw_hit = |ri: usize| rules[ri].terms.iter().any(|term| t.contains(term.as_str()));
            if let Some(m) = lex.find(t).into_iter().find(|m| !raw_hit(m.rule)) {
                fp += 1;
                for k in m.evasions.names() {
                    *kinds.entry(k).or_default() += 1;
                }
                if examples.len() < 8 {
                    examples.push(format!(
                        "{} <- {:?}",
                        rules[m.rule].terms[m.term],
                        &t[m.start..m.end]
                    ));
                }
            }
        }
        println!(
            "false matches on {} clean texts, pinyin {label}: {} ({:.3}%) by evasion {:?}\n  e.g. {:?}",
            texts.len(),
            fp,
            100.0 * fp as f64 / texts.len().max(1) as f64,
            kinds,
            examples
        );
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let texts_path =
        arg(&args, "--texts").unwrap_or_else(|| "../shared/datasets/cold/dev.csv".into());
    let seed: u64 = arg(&args, "--seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let sample: usize = arg(&args, "--sample")
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let Ok(source) = std::fs::read_to_string(&texts_path) else {
        println!("skipped: texts not found at {texts_path} (pass --texts FILE)");
        return ExitCode::SUCCESS;
    };
    let texts = read_texts(&source, texts_path.ends_with(".csv"));
    println!("texts: {} from {texts_path}", texts.len());
    let pack = match arg(&args, "--lexicon") {
        Some(p) => std::fs::read_to_string(&p).unwrap_or_default(),
        None => DEFAULT_PACK.to_owned(),
    };
    match parse_rules(&pack) {
        Ok(rules) => evaluate("lexicon", &rules, &texts, seed),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    // A held-out-like Chinese lexicon: a seeded sample of the benchmark terms,
    // one rule per term, no per-rule options.
    let terms = frequent_terms(&texts, 2000, 23_000);
    let mut rng = Rng::new(seed ^ 0x5EED);
    let mut picked: Vec<String> = (0..sample.min(terms.len()))
        .map(|_| rng.pick(&terms).clone())
        .collect();
    picked.sort();
    picked.dedup();
    let rules: Vec<Rule> = picked
        .into_iter()
        .map(|t| Rule::plain(t, "sample"))
        .collect();
    evaluate("benchmark-term sample", &rules, &texts, seed);

    let sms_path = arg(&args, "--english")
        .unwrap_or_else(|| "../shared/datasets/sms_spam/SMSSpamCollection".into());
    let Ok(sms) = std::fs::read_to_string(&sms_path) else {
        println!("skipped English: no texts at {sms_path}");
        return ExitCode::SUCCESS;
    };
    let ham: Vec<String> = sms
        .lines()
        .filter_map(|l| l.strip_prefix("ham\t"))
        .map(str::to_owned)
        .collect();
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for t in &ham {
        for w in t.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 4 {
                *counts.entry(w.to_ascii_lowercase()).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rules: Vec<Rule> = words
        .into_iter()
        .take(300)
        .map(|(w, _)| Rule::plain(w, "english"))
        .collect();
    evaluate("English word sample (SMS ham)", &rules, &ham, seed);
    ExitCode::SUCCESS
}
