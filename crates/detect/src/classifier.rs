//! The `classifier` detector: runs the `offense` head of a classifier model
//! (by default the model embedded in `qinglang-classify`, trained on COLD)
//! over an item's normalised text, and reports `offensive` as
//! `online_violence`.
//!
//! The score is the head's calibrated probability of `offensive` (after the
//! model's deployment prior). A signal is only emitted when it reaches
//! [`ClassifierDetector::DEFAULT_FLOOR`] (0.5, i.e. when `offensive` is the
//! predicted label), so the policy layer sees the model's decisions and their
//! confidence, not a score for every item. The signal covers the whole
//! record (no spans): the model has no notion of where the offence is.

use crate::{Detector, ItemContext};
use qinglang_classify::{Head, Model, PredictScratch};
use qinglang_model::category::ONLINE_VIOLENCE;
use qinglang_model::Signal;
use std::borrow::Cow;
use std::cell::RefCell;

/// The head the detector runs and the label it reports.
pub const HEAD: &str = "offense";
/// The label of [`HEAD`] that becomes an `online_violence` signal.
pub const OFFENSIVE: &str = "offensive";

thread_local! {
    static SCRATCH: RefCell<(PredictScratch, Vec<f32>)> = RefCell::new((PredictScratch::default(), Vec::new()));
}

/// Scores items with a classifier head; see the module documentation.
#[derive(Debug, Clone)]
pub struct ClassifierDetector {
    head: Head,
    offensive: usize,
    floor: f32,
}

impl ClassifierDetector {
    /// Signals are emitted at or above this calibrated probability.
    pub const DEFAULT_FLOOR: f32 = 0.5;

    /// Uses `model`'s [`HEAD`] head, which must have an [`OFFENSIVE`] label.
    pub fn new(model: Model) -> Result<Self, String> {
        let names = model.head_names().join(", ");
        let head = model
            .heads
            .into_iter()
            .find(|h| h.name == HEAD)
            .ok_or_else(|| format!("the model has no `{HEAD}` head (heads: {names})"))?;
        let offensive = head
            .labels
            .iter()
            .position(|l| l == OFFENSIVE)
            .ok_or_else(|| {
                format!(
                    "head `{HEAD}` has no `{OFFENSIVE}` label (labels: {})",
                    head.labels.join(", ")
                )
            })?;
        Ok(ClassifierDetector {
            head,
            offensive,
            floor: Self::DEFAULT_FLOOR,
        })
    }

    /// Loads the model file at `path`, or the embedded default model when `None`.
    pub fn from_path(path: Option<&std::path::Path>) -> Result<Self, String> {
        let model = match path {
            Some(p) => Model::load(p),
            None => qinglang_classify::default_model(),
        }
        .map_err(|e| e.to_string())?;
        Self::new(model)
    }

    /// The calibrated probability that `normalized` (the shared normalised form) is offensive.
    pub fn offensive_probability(&self, normalized: &str) -> f32 {
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (scratch, scores) = &mut *guard;
            self.head.predict_into(scratch, normalized, scores);
            scores.get(self.offensive).copied().unwrap_or(0.0)
        })
    }
}

impl Detector for ClassifierDetector {
    fn name(&self) -> &'static str {
        "classifier"
    }

    fn version(&self) -> String {
        // The feature families are part of the model's identity: a model
        // retrained with word features on the same data is another model.
        let f = &self.head.features;
        format!(
            "1+{}-{}ex{}{}",
            self.head.name,
            self.head.info.examples,
            if f.han_words { "-words" } else { "" },
            if f.lexicon_hits { "-lexicon" } else { "" }
        )
    }

    fn inspect_item(&self, cx: &ItemContext<'_>, out: &mut Vec<Signal>) {
        let p = self.offensive_probability(cx.text.as_str());
        if p.is_finite() && p >= self.floor {
            out.push(Signal {
                detector: Cow::Borrowed("classifier"),
                rule: format!("{HEAD}:{OFFENSIVE}"),
                category: ONLINE_VIOLENCE,
                score: p.clamp(0.0, 1.0),
                spans: Vec::new(),
                evidence: format!("classifier head `{HEAD}`: P({OFFENSIVE}) = {p:.3}"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qinglang_classify::{train_head, Example, FeatureConfig, HeadKind, TrainConfig};
    use qinglang_model::Item;
    use qinglang_text::Normalized;

    fn small_model() -> Model {
        let data = [
            ("你这个垃圾滚出去", 1),
            ("今天天气很好", 0),
            ("垃圾东西滚", 1),
            ("我们一起去吃饭吧", 0),
        ];
        let examples: Vec<Example> = data
            .iter()
            .cycle()
            .take(80)
            .map(|&(t, l)| Example {
                text: t.to_owned(),
                labels: vec![l],
            })
            .collect();
        let config = TrainConfig {
            folds: 0,
            features: FeatureConfig {
                bucket_bits: 12,
                min_df: 1,
                ..FeatureConfig::default()
            },
            ..TrainConfig::default()
        };
        let labels = vec!["safe".to_owned(), "offensive".to_owned()];
        let (head, _) = train_head(
            HEAD,
            HeadKind::Multiclass,
            labels,
            &examples,
            &config,
            &mut |_| {},
        )
        .unwrap();
        Model { heads: vec![head] }
    }

    fn item(text: &str) -> Item {
        serde_json::from_value(serde_json::json!({
            "id": "i1", "author": "u1", "text": text, "created_at": "2024-05-01T08:00:00+08:00"
        }))
        .unwrap()
    }

    fn signals(d: &ClassifierDetector, text: &str) -> Vec<Signal> {
        let item = item(text);
        let normalized = Normalized::new(&item.text);
        let mut out = Vec::new();
        d.inspect_item(
            &ItemContext {
                item: &item,
                text: &normalized,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn offensive_text_becomes_online_violence() {
        let d = ClassifierDetector::new(small_model()).unwrap();
        let got = signals(&d, "垃圾，滚");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].category, ONLINE_VIOLENCE);
        assert!(got[0].score >= 0.5 && got[0].score <= 1.0);
        assert!(got[0].spans.is_empty());
        assert!(signals(&d, "今天一起吃饭").is_empty());
        assert!(signals(&d, "").len() <= 1);
    }

    #[test]
    fn the_version_names_the_feature_families() {
        let d = ClassifierDetector::from_path(None).unwrap();
        let v = d.version();
        assert!(
            v.starts_with("1+offense-") && v.ends_with("ex-words"),
            "{v}"
        );
        let mut model = small_model();
        model.heads[0].features.han_words = false;
        model.heads[0].features.lexicon_hits = true;
        let v = ClassifierDetector::new(model).unwrap().version();
        assert!(v.ends_with("ex-lexicon"), "{v}");
    }

    #[test]
    fn a_model_without_the_offense_head_is_refused() {
        let mut model = small_model();
        model.heads[0].name = "spam".into();
        let err = ClassifierDetector::new(model).unwrap_err();
        assert!(err.contains("no `offense` head"), "{err}");
    }

    #[test]
    fn the_embedded_default_model_loads() {
        let d = ClassifierDetector::from_path(None).unwrap();
        let p = d.offensive_probability("今天天气很好");
        assert!((0.0..=1.0).contains(&p));
    }
}
