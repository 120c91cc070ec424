//! Throughput of the `pii` detector on ordinary Chinese posts.
//!
//! Texts are COLD's training comments (`QINGLANG_COLD`, default
//! `/work/shared/datasets/cold/train.csv`) or, without the data set,
//! generated posts. One text per call, as the pipeline calls it. The
//! baseline in the same run is a plain `regex` crate pattern for mobiles,
//! identity numbers and card-length digit runs (no evasion handling, no
//! check digits): the cheapest thing one could write instead.
//!
//! `cargo bench -p qinglang-detect --bench pii`

#[path = "../tests/support/plant.rs"]
mod plant;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use qinglang_detect::pii::{PiiDetector, PiiKey};
use qinglang_detect::{Detector, ItemContext};
use qinglang_model::Item;
use qinglang_text::Normalized;

fn texts() -> (Vec<String>, &'static str) {
    if let Some(t) = plant::cold_texts(usize::MAX) {
        if !t.is_empty() {
            return (t, "COLD train");
        }
    }
    let mut r = plant::Rng::new(7);
    let base = [
        "我觉得这个说法有问题，大家理性讨论",
        "今天天气不错，出去走走",
        "这件事情的来龙去脉还不清楚",
        "价格1380元，下单前看清楚",
    ];
    let t = (0..20_000)
        .map(|i| format!("{}{}", base[i % 4], plant::ordinary(&mut r, None).0))
        .collect();
    (t, "generated")
}

fn item(text: &str) -> Item {
    Item {
        id: "b".into(),
        author: "a".into(),
        text: text.into(),
        created_at: chrono::DateTime::parse_from_rfc3339("2024-05-01T08:00:00+08:00").unwrap(),
        title: None,
        kind: Default::default(),
        platform: None,
        reply_to: None,
        repost_of: None,
        target: None,
        mentions: vec![],
        urls: vec![],
        hashtags: vec![],
        group: None,
        region: None,
        lang: None,
        extra: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let (texts, source) = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let items: Vec<Item> = texts.iter().map(|t| item(t)).collect();
    let normalized: Vec<Normalized> = texts.iter().map(|t| Normalized::new(t)).collect();
    let detector = PiiDetector::new(PiiKey::new("bench"));
    let mut g = c.benchmark_group(format!("pii/{source}/{} texts", texts.len()));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("qinglang pii detector (inspect_item)", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for (it, n) in items.iter().zip(&normalized) {
                out.clear();
                detector.inspect_item(&ItemContext { item: it, text: n }, &mut out);
                black_box(out.len());
            }
        })
    });
    let re = regex::Regex::new(r"1[3-9]\d{9}|\d{17}[\dXx]|\d{16,19}").unwrap();
    g.bench_function("baseline: regex crate, plain digits only", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(re.find_iter(t).count());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
