//! Recall and precision of `id_card`, `mobile` and `bank_card` on generated
//! items with planted numbers in every evasion form, mixed with ordinary
//! items whose numbers are not personal information (and numbers that fail
//! their check, which must never be reported as that kind).
//!
//! Carriers are COLD training texts when the data set is present (set
//! `QINGLANG_COLD` to its path), built-in sentences otherwise. Run with
//! `cargo test -p qinglang-detect --release --test pii_eval -- --nocapture`
//! to see the figures.

#[path = "support/plant.rs"]
mod plant;

use plant::{Planted, Rng};
use qinglang_detect::pii::{PiiDetector, PiiKey, PiiKind};

const PER_KIND: usize = 3000;
const ORDINARY: usize = 6000;

fn kind_of(p: Planted) -> PiiKind {
    match p {
        Planted::IdCard => PiiKind::IdCard,
        Planted::Mobile => PiiKind::Mobile,
        Planted::BankCard => PiiKind::BankCard,
    }
}

#[test]
fn planted_numbers_are_found_and_nothing_else() {
    let d = PiiDetector::new(PiiKey::new("eval"));
    let d0 = PiiDetector::new(PiiKey::new("eval"));
    // Carriers must not hold numbers of their own; those that do are real
    // personal information in COLD and are counted apart.
    let mut real = 0usize;
    let cold = plant::cold_texts(PER_KIND * 3 + ORDINARY).map(|texts| {
        texts
            .into_iter()
            .filter(|t| {
                let mut h = Vec::new();
                let clean = d0.find(t, &mut h).iter().all(|m| {
                    !matches!(
                        m.kind,
                        PiiKind::IdCard | PiiKind::Mobile | PiiKind::BankCard
                    )
                });
                real += usize::from(!clean);
                clean
            })
            .collect::<Vec<_>>()
    });
    println!("COLD texts holding an id_card/mobile/bank_card of their own (not used as carriers): {real}");
    match &cold {
        Some(c) => println!("carriers: {} COLD training texts", c.len()),
        None => println!("notice: COLD not found; carriers are built-in sentences only"),
    }
    let carrier = |i: usize| {
        cold.as_ref()
            .and_then(|c| c.get(i % c.len().max(1)))
            .map(String::as_str)
    };
    let mut r = Rng::new(0x5eed_9a11);
    let kinds = [Planted::IdCard, Planted::Mobile, Planted::BankCard];
    // planted[k], found[k] (true positives), reported[k] (all reports of that kind)
    let mut planted = [0usize; 3];
    let mut tp = [0usize; 3];
    let mut reported = [0usize; 3];
    let mut trap_reports = 0usize;
    let mut misses: Vec<String> = Vec::new();
    let mut false_reports: Vec<String> = Vec::new();
    let mut hits = Vec::new();
    let mut n = 0;
    for (ki, &k) in kinds.iter().enumerate() {
        for _ in 0..PER_KIND {
            n += 1;
            let c = if r.chance(0.5) { carrier(n) } else { None };
            let (text, _, range) = plant::planted(&mut r, k, c);
            hits.clear();
            let found = d.find(&text, &mut hits);
            planted[ki] += 1;
            let want = kind_of(k);
            if found
                .iter()
                .any(|m| m.kind == want && m.span.start < range.end && range.start < m.span.end)
            {
                tp[ki] += 1;
            } else if misses.len() < 10 {
                misses.push(text.clone());
            }
            for m in &found {
                if let Some(j) = kinds.iter().position(|&p| kind_of(p) == m.kind) {
                    reported[j] += 1;
                    let ok = j == ki && m.span.start < range.end && range.start < m.span.end;
                    if !ok && false_reports.len() < 30 {
                        false_reports.push(format!(
                            "{:?} ({}) in {text}",
                            m.kind,
                            &text[m.span.start..m.span.end]
                        ));
                    }
                }
            }
        }
    }
    for _ in 0..ORDINARY {
        n += 1;
        let c = if r.chance(0.7) { carrier(n) } else { None };
        let (text, trap) = plant::ordinary(&mut r, c);
        hits.clear();
        for m in d.find(&text, &mut hits) {
            if let Some(j) = kinds.iter().position(|&p| kind_of(p) == m.kind) {
                reported[j] += 1;
                if false_reports.len() < 30 {
                    false_reports.push(format!(
                        "{:?} ({}) in {text}",
                        m.kind,
                        &text[m.span.start..m.span.end]
                    ));
                }
                if let Some(t) = &trap {
                    if m.span.start < t.end
                        && t.start < m.span.end
                        && matches!(m.kind, PiiKind::IdCard | PiiKind::BankCard)
                    {
                        trap_reports += 1;
                    }
                }
            }
        }
    }
    println!("kind       planted  found  reported  recall   precision");
    for (ki, k) in kinds.iter().enumerate() {
        let recall = tp[ki] as f64 / planted[ki] as f64;
        let precision = if reported[ki] == 0 {
            1.0
        } else {
            tp[ki] as f64 / reported[ki] as f64
        };
        println!(
            "{:<10} {:>7} {:>6} {:>9}  {recall:.4}   {precision:.4}",
            kind_of(*k).as_str(),
            planted[ki],
            tp[ki],
            reported[ki]
        );
        assert!(recall >= 0.98, "{k:?} recall {recall}; misses: {misses:#?}");
        assert!(
            precision >= 0.99,
            "{k:?} precision {precision}; false reports: {false_reports:#?}"
        );
    }
    println!("ordinary items: {ORDINARY}; invalid-check numbers reported as id_card/bank_card: {trap_reports}");
    println!("first misses: {misses:#?}");
    println!("first false reports: {false_reports:#?}");
    assert_eq!(trap_reports, 0, "{false_reports:#?}");
}

/// Findings on real texts with nothing planted: COLD training comments and
/// the English SMS Spam Collection (`QINGLANG_SMS`, default under
/// `/work/shared/datasets/sms_spam/`). Skipped with a notice when absent.
#[test]
fn findings_on_real_texts() {
    let d = PiiDetector::new(PiiKey::new("eval"));
    let sms_path = std::env::var("QINGLANG_SMS")
        .unwrap_or_else(|_| "/work/shared/datasets/sms_spam/SMSSpamCollection".into());
    let sources: Vec<(&str, Option<Vec<String>>)> = vec![
        ("COLD train", plant::cold_texts(usize::MAX)),
        (
            "SMS Spam",
            std::fs::read_to_string(&sms_path)
                .ok()
                .map(|t| t.lines().map(str::to_owned).collect()),
        ),
    ];
    for (name, texts) in sources {
        let Some(texts) = texts else {
            println!("notice: {name} not found; skipped");
            continue;
        };
        let mut counts = std::collections::BTreeMap::new();
        let mut hits = Vec::new();
        for t in &texts {
            hits.clear();
            for m in d.find(t, &mut hits) {
                *counts.entry(m.kind.as_str()).or_insert(0usize) += 1;
            }
        }
        println!(
            "{name}: {} texts, findings by kind: {counts:?}",
            texts.len()
        );
        // Neither corpus holds an identity number or a bank card.
        assert_eq!(
            counts.get("id_card").copied().unwrap_or(0)
                + counts.get("bank_card").copied().unwrap_or(0),
            0
        );
    }
}
