//! A trainable text classifier: hashed character n-gram, word (ASCII runs
//! and Chinese words from a dictionary segmenter) and lexicon-hit features
//! with sublinear TF-IDF, linear heads trained with L-BFGS,
//! calibration on cross-validated logits, and a versioned model file that
//! holds several heads (task name -> labels -> weights).
//!
//! Texts are expected in the shared normalised form (`qinglang_text::Normalized`),
//! the same at training and prediction time. Prediction is a few hundred hash
//! look-ups per short text and does not allocate once its scratch is warm.
//!
//! ```
//! use qinglang_classify::{train_head, Example, HeadKind, Model, PredictScratch, TrainConfig};
//!
//! let texts = [("buy cheap pills now", 1), ("see you at lunch", 0), ("cheap pills online", 1), ("lunch at noon", 0)];
//! let examples: Vec<Example> =
//!     texts.iter().cycle().take(40).map(|&(t, l)| Example { text: t.to_owned(), labels: vec![l] }).collect();
//! let config = TrainConfig { folds: 0, features: qinglang_classify::FeatureConfig { bucket_bits: 12, min_df: 1, ..Default::default() }, ..Default::default() };
//! let labels = vec!["ham".to_owned(), "spam".to_owned()];
//! let (head, _report) = train_head("spam", HeadKind::Multiclass, labels, &examples, &config, &mut |_| {}).unwrap();
//! let model = Model { heads: vec![head] };
//! let model = Model::from_bytes(&model.to_bytes()).unwrap();
//! let mut scratch = PredictScratch::default();
//! let mut scores = Vec::new();
//! let best = model.head("spam").unwrap().predict_into(&mut scratch, "cheap pills", &mut scores);
//! assert_eq!(best, 1);
//! ```

pub mod calibrate;
pub mod data;
mod error;
pub mod eval;
mod features;
mod format;
mod lbfgs;
pub mod lexfeat;
mod model;
mod normalize;
pub mod segment;
mod train;

pub use error::{Error, Result};
pub use features::{FeatureConfig, FeatureScratch};
pub use format::FORMAT_VERSION;
pub use lexfeat::{default_lexicon_features, LexiconFeatures};
pub use model::{argmax, Head, HeadInfo, HeadKind, Model, PredictScratch};
pub use normalize::normalize_into;
pub use segment::{default_segmenter, is_han, Segmenter, MAX_WORD_CHARS};
pub use train::{train_head, Example, TrainConfig, TrainProgress, TrainReport};

/// The default model shipped in the repository (`models/default.qlcm`): head
/// `offense` (labels `safe`, `offensive`, trained on COLD) and head `spam`
/// (labels `ham`, `spam`, trained on the SMS Spam Collection). See `models/MODEL_CARD.md`.
pub const DEFAULT_MODEL_BYTES: &[u8] = include_bytes!("../../../models/default.qlcm");

/// Parses [`DEFAULT_MODEL_BYTES`].
pub fn default_model() -> Result<Model> {
    Model::from_bytes(DEFAULT_MODEL_BYTES)
}
