//! End-to-end behaviour of training, model files and prediction on small
//! generated data sets (no external data needed).

use qinglang_classify::{
    train_head, Error, Example, FeatureConfig, HeadKind, Model, PredictScratch, TrainConfig,
};

fn config(folds: usize) -> TrainConfig {
    TrainConfig {
        folds,
        features: FeatureConfig {
            bucket_bits: 14,
            min_df: 1,
            ..FeatureConfig::default()
        },
        ..TrainConfig::default()
    }
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

/// Texts built from a topic word and filler, labelled by topic.
fn topic_examples() -> Vec<Example> {
    let topics = [("足球比赛", 0), ("股票基金", 1), ("电影明星", 2)];
    let fillers = [
        "今天", "我们", "看看", "真的", "还是", "大家", "觉得", "那个",
    ];
    let mut out = Vec::new();
    for i in 0..150 {
        let (topic, label) = topics[i % 3];
        let text = format!(
            "{}{}{}{}",
            fillers[i % 8],
            topic,
            fillers[(i / 3) % 8],
            fillers[(i / 7) % 8]
        );
        out.push(Example {
            text,
            labels: vec![label],
        });
    }
    out
}

fn predict(model: &Model, head: &str, text: &str) -> (usize, Vec<f32>) {
    let mut scratch = PredictScratch::default();
    let mut scores = Vec::new();
    let best = model
        .head(head)
        .unwrap()
        .predict_into(&mut scratch, text, &mut scores);
    (best, scores)
}

#[test]
fn multiclass_head_learns_and_survives_a_round_trip() {
    let labels = names(&["sport", "finance", "film"]);
    let (head, report) = train_head(
        "topic",
        HeadKind::Multiclass,
        labels,
        &topic_examples(),
        &config(3),
        &mut |_| {},
    )
    .unwrap();
    let cv = report.cv.expect("cross-validation ran");
    assert!(cv.accuracy > 0.95, "cv accuracy {}", cv.accuracy);
    let model = Model { heads: vec![head] };
    let loaded = Model::from_bytes(&model.to_bytes()).unwrap();
    for text in ["足球", "基金涨了", "明星电影", "完全无关的话"] {
        let (a, sa) = predict(&model, "topic", text);
        let (b, sb) = predict(&loaded, "topic", text);
        assert_eq!(a, b, "{text}");
        assert!((sa.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        for (x, y) in sa.iter().zip(&sb) {
            assert!((x - y).abs() < 2e-3, "{text}: {sa:?} vs {sb:?}");
        }
    }
    assert_eq!(predict(&loaded, "topic", "股票").0, 1);
}

#[test]
fn multilabel_head_scores_each_label_independently() {
    let mut examples = Vec::new();
    for i in 0..120 {
        let (text, labels) = match i % 4 {
            0 => ("red apple", vec![0]),
            1 => ("blue sky", vec![1]),
            2 => ("red and blue flag", vec![0, 1]),
            _ => ("green grass", vec![]),
        };
        examples.push(Example {
            text: format!("{text} {}", i % 5),
            labels,
        });
    }
    let labels = names(&["red", "blue"]);
    let (head, report) = train_head(
        "colour",
        HeadKind::Multilabel,
        labels,
        &examples,
        &config(3),
        &mut |_| {},
    )
    .unwrap();
    assert!(report.cv_multilabel.unwrap().accuracy > 0.9);
    let model = Model { heads: vec![head] };
    let (_, both) = predict(&model, "colour", "red and blue flag");
    assert!(both[0] > 0.5 && both[1] > 0.5, "{both:?}");
    let (_, none) = predict(&model, "colour", "green grass");
    assert!(none[0] < 0.5 && none[1] < 0.5, "{none:?}");
}

#[test]
fn deployment_prior_moves_scores_towards_the_rarer_label() {
    let examples: Vec<Example> = (0..100)
        .map(|i| Example {
            text: format!("{} 一些 {}", if i % 2 == 0 { "好" } else { "坏" }, i % 3),
            labels: vec![i % 2],
        })
        .collect();
    let labels = names(&["safe", "offensive"]);
    let (plain, _) = train_head(
        "h",
        HeadKind::Multiclass,
        labels.clone(),
        &examples,
        &config(0),
        &mut |_| {},
    )
    .unwrap();
    let shifted_config = TrainConfig {
        deploy_prior: Some(vec![0.9, 0.1]),
        ..config(0)
    };
    let (shifted, _) = train_head(
        "h",
        HeadKind::Multiclass,
        labels,
        &examples,
        &shifted_config,
        &mut |_| {},
    )
    .unwrap();
    let p = |head| predict(&Model { heads: vec![head] }, "h", "一些 1").1[1];
    assert!(p(shifted) < p(plain));
}

#[test]
fn several_heads_share_one_file() {
    let (a, _) = train_head(
        "topic",
        HeadKind::Multiclass,
        names(&["sport", "finance", "film"]),
        &topic_examples(),
        &config(0),
        &mut |_| {},
    )
    .unwrap();
    let mut b = a.clone();
    b.name = "other".into();
    let mut model = Model::default();
    model.insert(a);
    model.insert(b);
    model.insert(model.heads[0].clone());
    let loaded = Model::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(loaded.head_names(), vec!["topic", "other"]);
}

#[test]
fn damaged_or_foreign_files_are_refused() {
    assert!(matches!(Model::from_bytes(b"hello"), Err(Error::Format(_))));
    let bytes = Model::default().to_bytes();
    let mut future = bytes.clone();
    future[8] = 9;
    assert!(matches!(
        Model::from_bytes(&future),
        Err(Error::Version {
            found: 9,
            supported: 1
        })
    ));
    let mut damaged = bytes.clone();
    let last = damaged.len() - 9;
    damaged[last] ^= 0x55;
    assert!(matches!(Model::from_bytes(&damaged), Err(Error::Format(m)) if m.contains("checksum")));
    assert_eq!(Model::from_bytes(&bytes).unwrap(), Model::default());
}

#[test]
fn training_refuses_unusable_input() {
    let err = train_head(
        "h",
        HeadKind::Multiclass,
        names(&["only"]),
        &topic_examples(),
        &config(0),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("at least two labels"), "{err}");
    let err = train_head(
        "h",
        HeadKind::Multiclass,
        names(&["a", "b"]),
        &[],
        &config(0),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("no training examples"), "{err}");
    let err = train_head(
        "h",
        HeadKind::Multiclass,
        names(&["a", "b"]),
        &topic_examples(),
        &config(0),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");
}
