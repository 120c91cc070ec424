//! Training a head: hashed TF-IDF features, an L2-regularised logistic
//! (sigmoid per column) or softmax loss minimised with L-BFGS, k-fold
//! cross-validation whose out-of-fold logits fit the calibration, and an
//! optional shift from the training prior to a deployment prior.
//!
//! IDF is recomputed on each fold's training part, so cross-validated figures
//! never see the held-out fold. Only buckets with non-zero IDF are optimised.

use crate::calibrate::{fit_platt, fit_temperature};
use crate::error::{Error, Result};
use crate::eval::{Evaluation, MultilabelEvaluation};
use crate::features::{idf, sublinear_tf, FeatureConfig, FeatureScratch};
use crate::lbfgs::{minimize, LbfgsConfig};
use crate::model::{columns_for, linear_logits, Head, HeadInfo, HeadKind};

/// One training example: normalised text and the indices of its labels
/// (exactly one for a multi-class head).
#[derive(Debug, Clone)]
pub struct Example {
    /// The text, already normalised as the pipeline does (`qinglang_text::Normalized`).
    pub text: String,
    /// Indices into the head's label list.
    pub labels: Vec<usize>,
}

/// Settings for [`train_head`].
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Feature extraction settings, stored with the head.
    pub features: FeatureConfig,
    /// L2 regularisation strength on the summed loss (1/C in LIBLINEAR terms).
    pub l2: f64,
    /// L-BFGS iteration limit per fit.
    pub max_iter: usize,
    /// L-BFGS relative improvement tolerance.
    pub tol: f64,
    /// Cross-validation folds; below 2 means no cross-validation and no calibration.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Expected label shares where the model is used (same order as the labels).
    pub deploy_prior: Option<Vec<f64>>,
    /// A description of the data, stored in the model.
    pub data_name: String,
    /// Weigh features by naive Bayes log-count ratios before fitting
    /// (two-label heads only; see `nb_weights`).
    pub nb_weighting: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            features: FeatureConfig::default(),
            l2: 0.15,
            max_iter: 300,
            tol: 1e-8,
            folds: 5,
            seed: 42,
            deploy_prior: None,
            data_name: String::new(),
            nb_weighting: true,
        }
    }
}

/// Progress reports from [`train_head`], for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum TrainProgress {
    /// A fit starts: `fit` of `fits` (the last one is on all data).
    FitStarted {
        /// This fit's number, from 1.
        fit: usize,
        /// How many fits there are.
        fits: usize,
    },
    /// One optimiser iteration finished.
    Iteration {
        /// Iterations done in this fit.
        iteration: usize,
        /// The iteration limit of this fit.
        max_iter: usize,
        /// The regularised training loss.
        loss: f64,
    },
}

/// What training measured.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Out-of-fold evaluation (raw decision, before calibration and prior shift), for multi-class heads.
    pub cv: Option<Evaluation>,
    /// Out-of-fold evaluation for multi-label heads.
    pub cv_multilabel: Option<MultilabelEvaluation>,
    /// Iterations of the final fit.
    pub iterations: usize,
    /// Buckets with non-zero weight in the final fit.
    pub active_buckets: usize,
}

/// Distinct buckets and counts of every example, in CSR form.
struct Corpus {
    offsets: Vec<usize>,
    entries: Vec<(u32, u32)>,
}

impl Corpus {
    fn build(config: &FeatureConfig, examples: &[Example]) -> Corpus {
        let mut scratch = FeatureScratch::default();
        let mut offsets = Vec::with_capacity(examples.len() + 1);
        let mut entries = Vec::new();
        offsets.push(0);
        for ex in examples {
            scratch.extract(config, &ex.text);
            entries.extend_from_slice(scratch.counts());
            offsets.push(entries.len());
        }
        Corpus { offsets, entries }
    }

    fn row(&self, i: usize) -> &[(u32, u32)] {
        &self.entries[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// A fitted linear part: the table (`[idf, weights..]` per bucket) and biases.
struct Fitted {
    table: Vec<f32>,
    bias: Vec<f32>,
    iterations: usize,
    active: usize,
}

struct Problem<'a> {
    kind: HeadKind,
    columns: usize,
    examples: &'a [Example],
    config: &'a TrainConfig,
}

/// Naive Bayes feature weights for a two-label head, from `rows` only (so
/// cross-validation sees none of its held-out fold): per bucket, the square
/// root of the absolute log ratio of the shares of positive and of negative
/// texts that hold it (add-one smoothed), scaled so the largest weight is 1.
/// Logistic regression on features weighted this way (NB-LR, after Wang and
/// Manning's NBSVM, 2012) starts from what each n-gram says on its own; the
/// square root keeps a few extreme buckets from dominating. A bucket as
/// common in both classes weighs about 0, whatever their sizes.
fn nb_weights(problem: &Problem<'_>, corpus: &Corpus, rows: &[usize], buckets: usize) -> Vec<f32> {
    const ALPHA: f64 = 1.0;
    let mut counts = [vec![0u32; buckets], vec![0u32; buckets]];
    let mut texts = [0usize; 2];
    for &r in rows {
        let class = usize::from(problem.examples[r].labels.first() == Some(&1));
        texts[class] += 1;
        for &(id, _) in corpus.row(r) {
            counts[class][id as usize] += 1;
        }
    }
    let share = |n: u32, of: usize| (f64::from(n) + ALPHA) / (of as f64 + 2.0 * ALPHA);
    let raw: Vec<f64> = counts[1]
        .iter()
        .zip(&counts[0])
        .map(|(&p, &q)| (share(p, texts[1]) / share(q, texts[0])).ln().abs().sqrt())
        .collect();
    let max = raw.iter().copied().fold(0.0, f64::max);
    if max <= 0.0 {
        return vec![1.0; buckets];
    }
    raw.iter().map(|&w| (w / max) as f32).collect()
}

fn fit(
    problem: &Problem<'_>,
    corpus: &Corpus,
    rows: &[usize],
    progress: &mut dyn FnMut(TrainProgress),
) -> Fitted {
    let fc = &problem.config.features;
    let buckets = fc.buckets();
    let columns = problem.columns;
    let mut df = vec![0u32; buckets];
    for &r in rows {
        for &(id, _) in corpus.row(r) {
            df[id as usize] += 1;
        }
    }
    let mut idfs: Vec<f32> = df.iter().map(|&d| idf(d, rows.len(), fc.min_df)).collect();
    if problem.config.nb_weighting && problem.kind == HeadKind::Multiclass && columns == 1 {
        let weights = nb_weights(problem, corpus, rows, buckets);
        for (v, w) in idfs.iter_mut().zip(weights) {
            *v *= w;
        }
    }
    let mut compact = vec![u32::MAX; buckets];
    let mut active = Vec::new();
    for (b, &v) in idfs.iter().enumerate() {
        if v > 0.0 {
            compact[b] = active.len() as u32;
            active.push(b);
        }
    }
    // The design matrix of this fit: compact feature index and normalised value.
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    let mut cells: Vec<(u32, f32)> = Vec::new();
    offsets.push(0);
    for &r in rows {
        let start = cells.len();
        let mut norm2 = 0.0f32;
        for &(id, count) in corpus.row(r) {
            let c = compact[id as usize];
            if c != u32::MAX {
                let v = sublinear_tf(count) * idfs[id as usize];
                norm2 += v * v;
                cells.push((c, v));
            }
        }
        if norm2 > 0.0 {
            let inv = norm2.sqrt().recip();
            cells[start..].iter_mut().for_each(|(_, v)| *v *= inv);
        }
        offsets.push(cells.len());
    }
    let targets: Vec<&[usize]> = rows
        .iter()
        .map(|&r| problem.examples[r].labels.as_slice())
        .collect();
    let n_weights = active.len() * columns;
    let l2 = problem.config.l2;
    let kind = problem.kind;
    let mut z = vec![0f64; columns];
    let mut objective = |x: &[f64], grad: &mut [f64]| -> f64 {
        let (w, b) = x.split_at(n_weights);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (i, labels) in targets.iter().enumerate() {
            let row = &cells[offsets[i]..offsets[i + 1]];
            z.copy_from_slice(b);
            for &(j, v) in row {
                let wj = &w[j as usize * columns..][..columns];
                for (zc, wc) in z.iter_mut().zip(wj) {
                    *zc += f64::from(v) * wc;
                }
            }
            loss += residuals(kind, columns, labels, &mut z);
            // z now holds d loss / d z.
            let (gw, gb) = grad.split_at_mut(n_weights);
            for &(j, v) in row {
                let gj = &mut gw[j as usize * columns..][..columns];
                for (gc, rc) in gj.iter_mut().zip(&z) {
                    *gc += f64::from(v) * rc;
                }
            }
            gb.iter_mut().zip(&z).for_each(|(g, r)| *g += r);
        }
        let mut reg = 0.0;
        for (g, wv) in grad[..n_weights].iter_mut().zip(w) {
            reg += wv * wv;
            *g += l2 * wv;
        }
        loss + 0.5 * l2 * reg
    };
    let mut x = vec![0f64; n_weights + columns];
    let max_iter = problem.config.max_iter;
    let lconf = LbfgsConfig {
        max_iter,
        tol: problem.config.tol,
        memory: 10,
    };
    let (iterations, _) = minimize(&mut x, lconf, &mut objective, &mut |iteration, loss| {
        progress(TrainProgress::Iteration {
            iteration,
            max_iter,
            loss,
        })
    });
    let stride = 1 + columns;
    let mut table = vec![0f32; buckets * stride];
    for (k, &b) in active.iter().enumerate() {
        table[b * stride] = idfs[b];
        for c in 0..columns {
            table[b * stride + 1 + c] = x[k * columns + c] as f32;
        }
    }
    let bias = x[n_weights..].iter().map(|&v| v as f32).collect();
    Fitted {
        table,
        bias,
        iterations,
        active: active.len(),
    }
}

/// Adds the loss of one example given logits `z`, and replaces `z` by the
/// gradient of the loss with respect to the logits.
fn residuals(kind: HeadKind, columns: usize, labels: &[usize], z: &mut [f64]) -> f64 {
    match (kind, columns) {
        (HeadKind::Multiclass, 1) => {
            let y = if labels.first() == Some(&1) { 1.0 } else { 0.0 };
            let loss = softplus(z[0]) - y * z[0];
            z[0] = sigmoid(z[0]) - y;
            loss
        }
        (HeadKind::Multiclass, _) => {
            let y = labels.first().copied().unwrap_or(0);
            let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
            let loss = max + sum.ln() - z[y];
            for (c, v) in z.iter_mut().enumerate() {
                *v = (*v - max).exp() / sum - if c == y { 1.0 } else { 0.0 };
            }
            loss
        }
        (HeadKind::Multilabel, _) => {
            let mut loss = 0.0;
            for (c, v) in z.iter_mut().enumerate() {
                let y = if labels.contains(&c) { 1.0 } else { 0.0 };
                loss += softplus(*v) - y * *v;
                *v = sigmoid(*v) - y;
            }
            loss
        }
    }
}

fn softplus(z: f64) -> f64 {
    if z > 30.0 {
        z
    } else {
        z.exp().ln_1p()
    }
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// A deterministic shuffle (SplitMix64 driving Fisher-Yates).
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Trains a head called `name` on `examples`.
pub fn train_head(
    name: &str,
    kind: HeadKind,
    labels: Vec<String>,
    examples: &[Example],
    config: &TrainConfig,
    progress: &mut dyn FnMut(TrainProgress),
) -> Result<(Head, TrainReport)> {
    config.features.validate().map_err(Error::Train)?;
    if labels.len() < 2 && kind == HeadKind::Multiclass || labels.is_empty() {
        return Err(Error::Train(format!(
            "a {kind:?} head needs at least two labels, got {}",
            labels.len()
        )));
    }
    if examples.is_empty() {
        return Err(Error::Train("no training examples".into()));
    }
    if let Some(bad) = examples
        .iter()
        .find(|e| e.labels.iter().any(|&l| l >= labels.len()))
    {
        return Err(Error::Train(format!(
            "label index out of range in example {:?}",
            bad.text
        )));
    }
    if config.features.lexicon_hits && crate::default_lexicon_features().is_none() {
        return Err(Error::Train(
            "lexicon-hit features need the built-in lexicon pack, which did not compile".into(),
        ));
    }
    if config.l2.is_nan() || config.l2 <= 0.0 {
        return Err(Error::Train("l2 must be positive".into()));
    }
    let columns = columns_for(kind, labels.len());
    let problem = Problem {
        kind,
        columns,
        examples,
        config,
    };
    let corpus = Corpus::build(&config.features, examples);
    let folds = if config.folds >= 2 && examples.len() >= config.folds * 2 {
        config.folds
    } else {
        0
    };
    let fits = folds + 1;

    let mut train_prior = vec![0f32; labels.len()];
    for e in examples {
        for &l in &e.labels {
            train_prior[l] += 1.0;
        }
    }
    train_prior
        .iter_mut()
        .for_each(|p| *p /= examples.len() as f32);

    // Cross-validation: out-of-fold logits for evaluation and calibration.
    let mut oof: Vec<Vec<f32>> = vec![Vec::new(); examples.len()];
    if folds > 0 {
        let order = shuffled(examples.len(), config.seed);
        let mut acc = Vec::new();
        for fold in 0..folds {
            progress(TrainProgress::FitStarted {
                fit: fold + 1,
                fits,
            });
            let (mut held, mut kept) = (Vec::new(), Vec::new());
            for (k, &i) in order.iter().enumerate() {
                if k % folds == fold {
                    held.push(i);
                } else {
                    kept.push(i);
                }
            }
            let fitted = fit(&problem, &corpus, &kept, progress);
            for &i in &held {
                linear_logits(
                    &fitted.table,
                    &fitted.bias,
                    corpus.row(i),
                    &mut acc,
                    &mut oof[i],
                );
            }
        }
    }
    progress(TrainProgress::FitStarted { fit: fits, fits });
    let fitted = fit(
        &problem,
        &corpus,
        &(0..examples.len()).collect::<Vec<_>>(),
        progress,
    );

    let (mut calib_scale, mut calib_shift) = (vec![1f32; columns], vec![0f32; columns]);
    let mut report = TrainReport {
        cv: None,
        cv_multilabel: None,
        iterations: fitted.iterations,
        active_buckets: fitted.active,
    };
    if folds > 0 {
        let gold: Vec<&[usize]> = examples.iter().map(|e| e.labels.as_slice()).collect();
        match (kind, columns) {
            (HeadKind::Multiclass, 1) | (HeadKind::Multilabel, _) => {
                for c in 0..columns {
                    let pairs: Vec<(f64, bool)> = oof
                        .iter()
                        .zip(&gold)
                        .map(|(z, g)| {
                            let positive = if kind == HeadKind::Multiclass {
                                g.first() == Some(&1)
                            } else {
                                g.contains(&c)
                            };
                            (f64::from(z[c]), positive)
                        })
                        .collect();
                    let (a, b) = fit_platt(&pairs);
                    calib_scale[c] = a as f32;
                    calib_shift[c] = b as f32;
                }
            }
            (HeadKind::Multiclass, _) => {
                let t = fit_temperature(&oof, &gold);
                calib_scale.iter_mut().for_each(|s| *s = t as f32);
            }
        }
        if kind == HeadKind::Multiclass {
            let predicted: Vec<usize> = oof
                .iter()
                .map(|z| {
                    if columns == 1 {
                        usize::from(z[0] > 0.0)
                    } else {
                        crate::model::argmax(z)
                    }
                })
                .collect();
            let actual: Vec<usize> = gold
                .iter()
                .map(|g| g.first().copied().unwrap_or(0))
                .collect();
            report.cv = Some(Evaluation::from_predictions(&labels, &actual, &predicted));
        } else {
            let decided: Vec<Vec<bool>> = oof
                .iter()
                .map(|z| z.iter().map(|&v| v > 0.0).collect())
                .collect();
            report.cv_multilabel = Some(MultilabelEvaluation::from_decisions(
                &labels, &gold, &decided,
            ));
        }
    }

    let prior_shift = prior_shift(kind, columns, &train_prior, config.deploy_prior.as_deref())?;
    let info = HeadInfo {
        data: config.data_name.clone(),
        examples: examples.len(),
        train_prior,
        deploy_prior: config
            .deploy_prior
            .as_ref()
            .map(|p| p.iter().map(|&v| v as f32).collect()),
        l2: config.l2,
        nb_weighting: config.nb_weighting && kind == HeadKind::Multiclass && columns == 1,
        cv_accuracy: report
            .cv
            .as_ref()
            .map(|e| e.accuracy)
            .or(report.cv_multilabel.as_ref().map(|e| e.accuracy)),
        cv_macro_f1: report
            .cv
            .as_ref()
            .map(|e| e.macro_f1)
            .or(report.cv_multilabel.as_ref().map(|e| e.macro_f1)),
        word_dictionary: config
            .features
            .han_words
            .then(|| crate::default_segmenter().id().to_owned()),
        lexicon: if config.features.lexicon_hits {
            crate::default_lexicon_features().map(|l| l.id().to_owned())
        } else {
            None
        },
    };
    let head = Head {
        name: name.to_owned(),
        kind,
        labels,
        features: config.features.clone(),
        info,
        columns,
        table: fitted.table,
        bias: fitted.bias,
        calib_scale,
        calib_shift,
        prior_shift,
    };
    Ok((head, report))
}

/// Logit offsets that move calibrated scores from the training prior to `deploy`.
fn prior_shift(
    kind: HeadKind,
    columns: usize,
    train: &[f32],
    deploy: Option<&[f64]>,
) -> Result<Vec<f32>> {
    let Some(deploy) = deploy else {
        return Ok(vec![0.0; columns]);
    };
    if deploy.len() != train.len() || deploy.iter().any(|&p| p.is_nan() || p <= 0.0 || p >= 1.0) {
        return Err(Error::Train(format!(
            "the deployment prior needs one share in (0, 1) per label ({} labels)",
            train.len()
        )));
    }
    let odds = |p: f64| (p / (1.0 - p)).ln();
    let t = |i: usize| f64::from(train[i]).clamp(1e-6, 1.0 - 1e-6);
    Ok(match (kind, columns) {
        (HeadKind::Multiclass, 1) => {
            vec![((deploy[1] / deploy[0]).ln() - (t(1) / t(0)).ln()) as f32]
        }
        (HeadKind::Multiclass, _) => (0..columns)
            .map(|c| (deploy[c] / t(c)).ln() as f32)
            .collect(),
        (HeadKind::Multilabel, _) => (0..columns)
            .map(|c| (odds(deploy[c]) - odds(t(c))) as f32)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus of `examples` and its naive Bayes weights, as a two-label
    /// head would fit them on every row.
    fn weighed(examples: &[Example]) -> (Corpus, Vec<f32>) {
        let config = TrainConfig {
            features: FeatureConfig {
                bucket_bits: 16,
                min_df: 1,
                ..FeatureConfig::default()
            },
            ..TrainConfig::default()
        };
        let corpus = Corpus::build(&config.features, examples);
        let problem = Problem {
            kind: HeadKind::Multiclass,
            columns: 1,
            examples,
            config: &config,
        };
        let rows: Vec<usize> = (0..examples.len()).collect();
        let w = nb_weights(&problem, &corpus, &rows, config.features.buckets());
        (corpus, w)
    }

    /// The distinct buckets of the rows `rows` picks.
    fn buckets_of(corpus: &Corpus, rows: impl Iterator<Item = usize>) -> Vec<u32> {
        let mut ids: Vec<u32> = rows
            .flat_map(|r| corpus.row(r).iter().map(|&(id, _)| id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// How many of the first `n` rows hold bucket `id`.
    fn rows_holding(corpus: &Corpus, n: usize, id: u32) -> usize {
        (0..n)
            .filter(|&r| corpus.row(r).iter().any(|&(b, _)| b == id))
            .count()
    }

    #[test]
    fn nb_weights_favour_features_that_tell_the_labels_apart() {
        // Every text shares 共同; only positives hold 甲, only negatives 乙.
        let examples: Vec<Example> = (0..40)
            .map(|i| Example {
                text: if i % 2 == 0 { "共同甲" } else { "共同乙" }.to_owned(),
                labels: vec![usize::from(i % 2 == 0)],
            })
            .collect();
        let (corpus, w) = weighed(&examples);
        let pos = buckets_of(&corpus, (0..40).filter(|r| r % 2 == 0));
        let neg = buckets_of(&corpus, (0..40).filter(|r| r % 2 == 1));
        let shared: Vec<u32> = pos.iter().copied().filter(|b| neg.contains(b)).collect();
        let only_pos: Vec<u32> = pos.iter().copied().filter(|b| !neg.contains(b)).collect();
        assert!(!shared.is_empty() && !only_pos.is_empty());
        let weight = |b: u32| w[b as usize];
        let top = only_pos.iter().map(|&b| weight(b)).fold(0.0, f32::max);
        assert!((top - 1.0).abs() < 1e-6, "largest weight is 1, got {top}");
        for &s in &shared {
            for &p in &only_pos {
                assert!(
                    weight(s) < weight(p) / 4.0,
                    "{} vs {}",
                    weight(s),
                    weight(p)
                );
            }
        }
        assert!(w.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
    }

    #[test]
    fn nb_weights_do_not_follow_class_sizes() {
        // 10 positives, 90 negatives: 共同 in every text says nothing; 甲 in
        // five positives only says a lot.
        let examples: Vec<Example> = (0..100)
            .map(|i| Example {
                text: if i < 5 { "共同甲" } else { "共同乙" }.to_owned(),
                labels: vec![usize::from(i < 10)],
            })
            .collect();
        let (corpus, w) = weighed(&examples);
        let first = buckets_of(&corpus, 0..1);
        let every: Vec<u32> = first
            .iter()
            .copied()
            .filter(|&id| rows_holding(&corpus, 100, id) == 100)
            .collect();
        let rare: Vec<u32> = first
            .iter()
            .copied()
            .filter(|&id| rows_holding(&corpus, 100, id) == 5)
            .collect();
        assert!(!every.is_empty() && !rare.is_empty());
        for &e in &every {
            for &r in &rare {
                let (e, r) = (w[e as usize], w[r as usize]);
                assert!(e < r / 5.0, "shared bucket {e}, telling bucket {r}");
            }
        }
    }
}
