//! Prediction throughput of one head on one core: short Chinese texts,
//! scored one at a time as `qinglang classify` does (features, linear part,
//! calibration). Uses the embedded default model's `offense` head.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qinglang_classify::{default_model, PredictScratch};

fn texts() -> Vec<String> {
    // Generated texts of COLD-like length (about 48 characters).
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
            (0..12)
                .map(|k| pieces[(i * 7 + k * 3 + i / 5) % pieces.len()])
                .collect::<String>()
        })
        .collect()
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
    let texts = texts();
    let mut scratch = PredictScratch::default();
    let mut scores = Vec::new();
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("offense_head_1000_texts", |b| {
        b.iter(|| {
            let mut positives = 0usize;
            for t in &texts {
                positives += head.predict_into(&mut scratch, t, &mut scores);
            }
            positives
        })
    });
    group.finish();
}

criterion_group!(benches, bench_predict);
criterion_main!(benches);
