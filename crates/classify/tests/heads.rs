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
    // Naive Bayes weighting is for two labels only.
    assert!(!head.info.nb_weighting);
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
    // Two labels: naive Bayes weighting was used, and the head still
    // separates the classes after a round trip through the file.
    assert!(plain.info.nb_weighting);
    let model = Model {
        heads: vec![plain.clone()],
    };
    let loaded = Model::from_bytes(&model.to_bytes()).unwrap();
    assert!(loaded.head("h").unwrap().info.nb_weighting);
    assert_eq!(predict(&loaded, "h", "坏 一些 2").0, 1);
    assert_eq!(predict(&loaded, "h", "好 一些 2").0, 0);
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
            supported: 2
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

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Rewrites the version field of a model file and fixes its checksum.
fn with_version(bytes: &[u8], version: u32) -> Vec<u8> {
    let mut out = bytes[..bytes.len() - 8].to_vec();
    out[8..12].copy_from_slice(&version.to_le_bytes());
    let sum = fnv1a(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// `v1-tiny.qlcm` was written by the last build of format version 1 (a tiny
/// `offense` head on 24 generated rows); the scores below are what that
/// build's `qinglang classify` printed for these texts.
#[test]
fn version_1_files_load_and_predict_as_they_did() {
    let bytes = include_bytes!("data/v1-tiny.qlcm");
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 1);
    let model = Model::from_bytes(bytes).unwrap();
    let head = model.head("offense").unwrap();
    assert!(!head.features.han_words && !head.features.lexicon_hits);
    assert!(head.resource_warnings().is_empty());
    for (text, offensive) in [
        ("你这个废物", 0.9816),
        ("今天天气很好", 0.1004),
        ("", 0.4182),
    ] {
        let (best, scores) = predict(&model, "offense", text);
        assert!((scores[1] - offensive).abs() < 1e-4, "{text}: {scores:?}");
        assert_eq!(best, usize::from(offensive > 0.5));
    }
    // Saved again it becomes a current-version file that predicts the same.
    let again = model.to_bytes();
    assert_eq!(
        u32::from_le_bytes(again[8..12].try_into().unwrap()),
        qinglang_classify::FORMAT_VERSION
    );
    let again = Model::from_bytes(&again).unwrap();
    assert_eq!(
        predict(&again, "offense", "你这个废物"),
        predict(&model, "offense", "你这个废物")
    );
    // Versions this build does not know are refused, old or new.
    for v in [0, qinglang_classify::FORMAT_VERSION + 1] {
        match Model::from_bytes(&with_version(bytes, v)) {
            Err(Error::Version { found, .. }) => assert_eq!(found, v),
            other => panic!("version {v}: {other:?}"),
        }
    }
}

#[test]
fn word_and_lexicon_features_are_stored_and_survive_a_round_trip() {
    let mut examples = topic_examples();
    // Lexicon hits only in one class, so that their features carry weight.
    for (i, e) in examples.iter_mut().enumerate() {
        if e.labels[0] == 1 && i % 2 == 0 {
            e.text.push_str("，来玩百家乐");
        }
    }
    let mut cfg = config(3);
    cfg.features.han_words = true;
    cfg.features.lexicon_hits = true;
    let (head, report) = train_head(
        "topic",
        HeadKind::Multiclass,
        names(&["sport", "finance", "film"]),
        &examples,
        &cfg,
        &mut |_| {},
    )
    .unwrap();
    assert!(report.cv.unwrap().accuracy > 0.95);
    assert!(head
        .info
        .word_dictionary
        .as_deref()
        .unwrap()
        .starts_with("words:"));
    assert!(head
        .info
        .lexicon
        .as_deref()
        .unwrap()
        .starts_with("default-pack:"));
    assert!(head.resource_warnings().is_empty());
    let model = Model { heads: vec![head] };
    let bytes = model.to_bytes();
    let loaded = Model::from_bytes(&bytes).unwrap();
    let h = loaded.head("topic").unwrap();
    assert!(h.features.han_words && h.features.lexicon_hits);
    assert_eq!(h.info, model.heads[0].info);
    for text in ["足球比赛真好看", "来玩百家乐", "", "基金"] {
        let (a, sa) = predict(&model, "topic", text);
        let (b, sb) = predict(&loaded, "topic", text);
        assert_eq!(a, b, "{text}");
        for (x, y) in sa.iter().zip(&sb) {
            assert!((x - y).abs() < 2e-3, "{text}: {sa:?} vs {sb:?}");
        }
    }
    // A head trained with another dictionary or lexicon still predicts, with warnings.
    let mut stale = loaded.heads[0].clone();
    stale.info.word_dictionary = Some("words:1:0000000000000000".into());
    stale.info.lexicon = None;
    let warnings = stale.resource_warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("word dictionary"), "{warnings:?}");
    // The version-2 header is what a version-1 reader would refuse.
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 2);
}
