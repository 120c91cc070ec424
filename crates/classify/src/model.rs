//! A trained model: one or more heads, each a linear classifier over its own
//! hashed features, with calibration and an optional deployment prior.
//!
//! Invariants: a head's table has `buckets * (1 + columns)` entries (the
//! bucket's IDF, then one weight per column); `columns` is 1 for a two-label
//! multi-class head (the logit of the second label against the first) and the
//! number of labels otherwise. Prediction never allocates once its
//! [`PredictScratch`] is warm, and never panics on any text.

use crate::features::{sublinear_tf, FeatureConfig, FeatureScratch};
use serde::{Deserialize, Serialize};

/// Whether a head picks one label or scores each label independently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadKind {
    /// Exactly one label per text; scores sum to 1 (softmax, or a sigmoid for two labels).
    Multiclass,
    /// Any number of labels per text; each score is an independent probability.
    Multilabel,
}

/// What training recorded about a head, kept in the model file for the model card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadInfo {
    /// Free text naming the training data.
    pub data: String,
    /// How many training examples were used.
    pub examples: usize,
    /// The share of each label in the training data.
    pub train_prior: Vec<f32>,
    /// The share of each label expected where the model is used, if given at training time.
    pub deploy_prior: Option<Vec<f32>>,
    /// The L2 regularisation strength used.
    pub l2: f64,
    /// Whether features were weighted by naive Bayes log-count ratios
    /// (folded into the stored IDF column; prediction is unchanged).
    #[serde(default)]
    pub nb_weighting: bool,
    /// Cross-validated accuracy, if cross-validation ran.
    pub cv_accuracy: Option<f64>,
    /// Cross-validated macro-F1, if cross-validation ran.
    pub cv_macro_f1: Option<f64>,
    /// The segmentation dictionary the head was trained with ([`crate::Segmenter::id`]),
    /// when it uses word features.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word_dictionary: Option<String>,
    /// The lexicon the head was trained with ([`crate::LexiconFeatures::id`]),
    /// when it uses lexicon-hit features.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
}

/// One task of a model: labels, features, weights and calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// The task name, e.g. `offense`.
    pub name: String,
    /// Multi-class or multi-label.
    pub kind: HeadKind,
    /// Label names as in the training data (or as renamed at training time).
    pub labels: Vec<String>,
    /// How texts become features for this head.
    pub features: FeatureConfig,
    /// Training metadata.
    pub info: HeadInfo,
    pub(crate) columns: usize,
    pub(crate) table: Vec<f32>,
    pub(crate) bias: Vec<f32>,
    /// Per column: calibrated logit = `scale * raw + shift` (Platt / temperature).
    pub(crate) calib_scale: Vec<f32>,
    pub(crate) calib_shift: Vec<f32>,
    /// Per column: added after calibration to move from the training prior to the deployment prior.
    pub(crate) prior_shift: Vec<f32>,
}

/// The number of weight columns a head of this kind and label count needs.
pub(crate) fn columns_for(kind: HeadKind, labels: usize) -> usize {
    if kind == HeadKind::Multiclass && labels == 2 {
        1
    } else {
        labels
    }
}

/// Reusable buffers for prediction.
#[derive(Debug, Default, Clone)]
pub struct PredictScratch {
    features: FeatureScratch,
    acc: Vec<f32>,
    logits: Vec<f32>,
}

impl Head {
    /// The number of weight columns (see the module invariants).
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Raw (uncalibrated) logits of `text`, one per column, written to `out`.
    pub fn logits_into(&self, scratch: &mut PredictScratch, text: &str, out: &mut Vec<f32>) {
        scratch.features.extract(&self.features, text);
        linear_logits(
            &self.table,
            &self.bias,
            scratch.features.counts(),
            &mut scratch.acc,
            out,
        );
    }

    /// Calibrated scores of `text`, one per label, written to `scores`;
    /// returns the index of the predicted label (the highest score).
    pub fn predict_into(
        &self,
        scratch: &mut PredictScratch,
        text: &str,
        scores: &mut Vec<f32>,
    ) -> usize {
        scratch.features.extract(&self.features, text);
        linear_logits(
            &self.table,
            &self.bias,
            scratch.features.counts(),
            &mut scratch.acc,
            &mut scratch.logits,
        );
        self.scores_from_logits(&scratch.logits, scores);
        argmax(scores)
    }

    /// Turns raw logits (as from [`Head::logits_into`]) into calibrated scores per label.
    pub fn scores_from_logits(&self, logits: &[f32], scores: &mut Vec<f32>) {
        scores.clear();
        let adjusted =
            |c: usize| logits[c] * self.calib_scale[c] + self.calib_shift[c] + self.prior_shift[c];
        match (self.kind, self.columns) {
            (HeadKind::Multiclass, 1) => {
                let p = sigmoid(adjusted(0));
                scores.push(1.0 - p);
                scores.push(p);
            }
            (HeadKind::Multiclass, _) => {
                let max = (0..self.columns)
                    .map(adjusted)
                    .fold(f32::NEG_INFINITY, f32::max);
                scores.extend((0..self.columns).map(|c| (adjusted(c) - max).exp()));
                let sum: f32 = scores.iter().sum();
                scores.iter_mut().for_each(|s| *s /= sum);
            }
            (HeadKind::Multilabel, _) => {
                scores.extend((0..self.columns).map(|c| sigmoid(adjusted(c))))
            }
        }
    }

    /// Warnings for features computed from built-in data other than what the
    /// head was trained with (a changed dictionary or lexicon pack): the head
    /// still works, but its scores may have drifted. Empty when all is as trained.
    pub fn resource_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.features.han_words {
            let now = crate::default_segmenter().id();
            if self.info.word_dictionary.as_deref() != Some(now) {
                out.push(format!(
                    "head `{}` was trained with word dictionary {:?}; this build has {now:?}",
                    self.name,
                    self.info.word_dictionary.as_deref().unwrap_or("(unknown)")
                ));
            }
        }
        if self.features.lexicon_hits {
            let now = crate::default_lexicon_features().map(|l| l.id());
            if self.info.lexicon.as_deref() != now {
                out.push(format!(
                    "head `{}` was trained with lexicon {:?}; this build has {:?}",
                    self.name,
                    self.info.lexicon.as_deref().unwrap_or("(unknown)"),
                    now.unwrap_or("(none: the built-in pack did not compile)")
                ));
            }
        }
        out
    }

    /// Size in bytes of the in-memory weight table.
    pub fn table_bytes(&self) -> usize {
        self.table.len() * std::mem::size_of::<f32>()
    }
}

/// The linear part of a head: sublinear TF-IDF weighted, L2-normalised
/// features dotted with each column's weights, plus the bias. `table` rows
/// are `[idf, w_0 .. w_{columns-1}]`; `counts` are (bucket, count) pairs.
pub(crate) fn linear_logits(
    table: &[f32],
    bias: &[f32],
    counts: &[(u32, u32)],
    acc: &mut Vec<f32>,
    out: &mut Vec<f32>,
) {
    let columns = bias.len();
    let stride = 1 + columns;
    acc.clear();
    acc.resize(columns, 0.0);
    // The rows are scattered over a table of megabytes: ask for all of them
    // first so that the cache misses overlap instead of queueing.
    #[cfg(target_arch = "x86_64")]
    for &(id, _) in counts {
        if let Some(row) = table.get(id as usize * stride) {
            // SAFETY: a prefetch is only a hint; the pointer comes from a valid reference.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    (row as *const f32).cast(),
                )
            };
        }
    }
    // Inactive buckets have IDF 0 and weight 0 and so add nothing: no branch
    // on them, since a mispredicted branch would serialise the cache misses.
    let mut norm2 = 0.0f32;
    if columns == 1 {
        let mut dot = 0.0f32;
        for &(id, count) in counts {
            if let Some(&[idf, w]) = table.get(id as usize * 2..id as usize * 2 + 2) {
                let v = sublinear_tf(count) * idf;
                norm2 += v * v;
                dot += v * w;
            }
        }
        acc[0] = dot;
    } else {
        for &(id, count) in counts {
            let Some(row) = table.get(id as usize * stride..(id as usize + 1) * stride) else {
                continue;
            };
            let v = sublinear_tf(count) * row[0];
            norm2 += v * v;
            for (a, w) in acc.iter_mut().zip(&row[1..]) {
                *a += v * w;
            }
        }
    }
    let inv = if norm2 > 0.0 {
        norm2.sqrt().recip()
    } else {
        0.0
    };
    out.clear();
    out.extend(acc.iter().zip(bias).map(|(a, b)| a * inv + b));
}

/// The index of the largest value (the first on ties); 0 for an empty slice.
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

#[inline]
pub(crate) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// A set of heads, as stored in one model file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// The heads, in file order.
    pub heads: Vec<Head>,
}

impl Model {
    /// The head called `name`.
    pub fn head(&self, name: &str) -> Option<&Head> {
        self.heads.iter().find(|h| h.name == name)
    }

    /// Adds `head`, replacing any head of the same name.
    pub fn insert(&mut self, head: Head) {
        match self.heads.iter_mut().find(|h| h.name == head.name) {
            Some(slot) => *slot = head,
            None => self.heads.push(head),
        }
    }

    /// The head names, in file order.
    pub fn head_names(&self) -> Vec<&str> {
        self.heads.iter().map(|h| h.name.as_str()).collect()
    }
}
