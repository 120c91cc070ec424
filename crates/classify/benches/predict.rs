//! Prediction throughput of one head on one core, one text at a time as
//! `qinglang classify` does it: normalise, extract features, linear part,
//! calibration. Uses the embedded default model's `offense` head.
//!
//! Texts: COLD's dev split when it is found (`QINGLANG_BENCH_TEXTS`, or
//! `../shared/datasets/cold/dev.csv` from the repository root), otherwise
//! generated texts of the same length (about 48 characters).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qinglang_classify::data::{read_csv, ReadOptions};
use qinglang_classify::{default_model, normalize_into, PredictScratch};
use std::path::PathBuf;

fn generated() -> Vec<String> {
    let pieces = [
        "这个地区的人",
        "真的是太",
        "离谱了吧",
        "我觉得",
        "黑人",
        "女性",
        "都是",
        "好人",
        "垃圾",
        "谈毒性",
        "没有问题",
        "哈哈哈",
        "支持",
        "歧视",
    ];
    (0..1000)
        .map(|i| {
            (0..8)
                .map(|k| pieces[(i * 7 + k * 3 + i / 5) % pieces.len()])
                .collect::<String>()
        })
        .collect()
}

fn texts() -> (Vec<String>, &'static str) {
    let path = std::env::var_os("QINGLANG_BENCH_TEXTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets/cold/dev.csv")
        });
    let options = ReadOptions {
        text_column: "TEXT".into(),
        label_column: "label".into(),
        label_separator: None,
        delimiter: None,
    };
    match std::fs::read(&path)
        .ok()
        .and_then(|b| read_csv(&b, &options).ok())
    {
        Some(data) if !data.rows.is_empty() => {
            (data.rows.into_iter().map(|r| r.text).collect(), "cold_dev")
        }
        _ => {
            eprintln!(
                "note: {} not found; benchmarking generated texts",
                path.display()
            );
            (generated(), "generated")
        }
    }
}

fn bench_predict(c: &mut Criterion) {
    let model = match default_model() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("skipping: the default model does not load: {e}");
            return;
        }
    };
    let Some(head) = model.head("offense") else {
        eprintln!("skipping: the default model has no `offense` head");
        return;
    };
    let (texts, source) = texts();
    let mut normalized = String::new();
    let mut scratch = PredictScratch::default();
    let mut scores = Vec::new();
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function(
        format!("offense_one_at_a_time/{source}/{}_texts", texts.len()),
        |b| {
            b.iter(|| {
                let mut positives = 0usize;
                for t in &texts {
                    normalize_into(t, &mut normalized);
                    positives += head.predict_into(&mut scratch, &normalized, &mut scores);
                }
                positives
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench_predict);
criterion_main!(benches);
