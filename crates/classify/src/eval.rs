//! Evaluation: accuracy, macro-F1, per-class precision and recall, the
//! confusion matrix, and threshold sweeps. Pure functions of predictions
//! and gold labels; nothing here knows about models.

use serde::Serialize;

/// Precision, recall and F1 of one class (0 when undefined).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassStats {
    /// Of the texts predicted as this class, the share that are.
    pub precision: f64,
    /// Of the texts of this class, the share predicted as it.
    pub recall: f64,
    /// The harmonic mean of precision and recall.
    pub f1: f64,
    /// How many gold examples of this class there are.
    pub support: usize,
}

impl ClassStats {
    fn from_counts(tp: usize, fp: usize, fn_: usize) -> ClassStats {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        ClassStats {
            precision,
            recall,
            f1,
            support: tp + fn_,
        }
    }
}

/// The evaluation of a multi-class prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Label names, indexing the other fields.
    pub labels: Vec<String>,
    /// Share of correct predictions.
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1.
    pub macro_f1: f64,
    /// Per class, in label order.
    pub per_class: Vec<ClassStats>,
    /// `confusion[gold][predicted]` counts.
    pub confusion: Vec<Vec<usize>>,
}

impl Evaluation {
    /// Evaluates `predicted` against `actual` (label indices, same length).
    pub fn from_predictions(
        labels: &[String],
        actual: &[usize],
        predicted: &[usize],
    ) -> Evaluation {
        let k = labels.len();
        let mut confusion = vec![vec![0usize; k]; k];
        for (&a, &p) in actual.iter().zip(predicted) {
            if a < k && p < k {
                confusion[a][p] += 1;
            }
        }
        let total: usize = confusion.iter().flatten().sum();
        let correct: usize = (0..k).map(|i| confusion[i][i]).sum();
        let per_class: Vec<ClassStats> = (0..k)
            .map(|c| {
                let tp = confusion[c][c];
                let fp = (0..k).map(|g| confusion[g][c]).sum::<usize>() - tp;
                let fn_ = confusion[c].iter().sum::<usize>() - tp;
                ClassStats::from_counts(tp, fp, fn_)
            })
            .collect();
        let macro_f1 = if k == 0 {
            0.0
        } else {
            per_class.iter().map(|c| c.f1).sum::<f64>() / k as f64
        };
        Evaluation {
            labels: labels.to_vec(),
            accuracy: if total == 0 {
                0.0
            } else {
                correct as f64 / total as f64
            },
            macro_f1,
            per_class,
            confusion,
        }
    }
}

/// The evaluation of a multi-label prediction (each label decided on its own).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultilabelEvaluation {
    /// Label names.
    pub labels: Vec<String>,
    /// Share of correct (text, label) decisions.
    pub accuracy: f64,
    /// Unweighted mean of the per-label F1.
    pub macro_f1: f64,
    /// Per label.
    pub per_label: Vec<ClassStats>,
}

impl MultilabelEvaluation {
    /// Evaluates `decided[i][label]` against the gold label sets.
    pub fn from_decisions(
        labels: &[String],
        gold: &[&[usize]],
        decided: &[Vec<bool>],
    ) -> MultilabelEvaluation {
        let k = labels.len();
        let mut counts = vec![(0usize, 0usize, 0usize); k];
        let mut right = 0usize;
        for (g, d) in gold.iter().zip(decided) {
            for (c, slot) in counts.iter_mut().enumerate() {
                let truth = g.contains(&c);
                let said = d.get(c).copied().unwrap_or(false);
                match (truth, said) {
                    (true, true) => slot.0 += 1,
                    (false, true) => slot.1 += 1,
                    (true, false) => slot.2 += 1,
                    (false, false) => {}
                }
                right += usize::from(truth == said);
            }
        }
        let per_label: Vec<ClassStats> = counts
            .iter()
            .map(|&(tp, fp, fn_)| ClassStats::from_counts(tp, fp, fn_))
            .collect();
        let decisions = gold.len() * k;
        MultilabelEvaluation {
            labels: labels.to_vec(),
            accuracy: if decisions == 0 {
                0.0
            } else {
                right as f64 / decisions as f64
            },
            macro_f1: if k == 0 {
                0.0
            } else {
                per_label.iter().map(|c| c.f1).sum::<f64>() / k as f64
            },
            per_label,
        }
    }
}

/// One row of a threshold sweep for a positive label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SweepRow {
    /// Texts with a positive score at or above this are called positive.
    pub threshold: f32,
    /// Accuracy of the resulting binary decision.
    pub accuracy: f64,
    /// Macro-F1 of the resulting binary decision (positive and negative class).
    pub macro_f1: f64,
    /// Precision, recall and F1 of the positive label.
    pub positive: ClassStats,
    /// Share of texts called positive.
    pub positive_rate: f64,
}

/// Sweeps thresholds over the positive label's scores.
pub fn threshold_sweep(scores: &[f32], positive: &[bool], thresholds: &[f32]) -> Vec<SweepRow> {
    let labels = ["negative".to_owned(), "positive".to_owned()];
    let actual: Vec<usize> = positive.iter().map(|&p| usize::from(p)).collect();
    thresholds
        .iter()
        .map(|&t| {
            let predicted: Vec<usize> = scores.iter().map(|&s| usize::from(s >= t)).collect();
            let e = Evaluation::from_predictions(&labels, &actual, &predicted);
            let called = predicted.iter().filter(|&&p| p == 1).count();
            SweepRow {
                threshold: t,
                accuracy: e.accuracy,
                macro_f1: e.macro_f1,
                positive: e.per_class[1],
                positive_rate: if scores.is_empty() {
                    0.0
                } else {
                    called as f64 / scores.len() as f64
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn confusion_precision_recall_and_macro_f1() {
        let e =
            Evaluation::from_predictions(&names(&["a", "b"]), &[0, 0, 1, 1, 1], &[0, 1, 1, 1, 0]);
        assert_eq!(e.confusion, vec![vec![1, 1], vec![1, 2]]);
        assert!((e.accuracy - 0.6).abs() < 1e-12);
        assert!((e.per_class[1].precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((e.per_class[1].recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((e.per_class[0].f1 - 0.5).abs() < 1e-12);
        assert!((e.macro_f1 - (0.5 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn sweep_moves_from_all_positive_to_all_negative() {
        let rows = threshold_sweep(&[0.2, 0.6, 0.9], &[false, true, true], &[0.0, 0.5, 1.0]);
        assert_eq!(rows[0].positive_rate, 1.0);
        assert!((rows[1].accuracy - 1.0).abs() < 1e-12);
        assert_eq!(rows[2].positive_rate, 0.0);
        assert_eq!(rows[2].positive.recall, 0.0);
    }

    #[test]
    fn multilabel_counts_each_decision() {
        let gold: Vec<&[usize]> = vec![&[0, 1], &[]];
        let e = MultilabelEvaluation::from_decisions(
            &names(&["x", "y"]),
            &gold,
            &[vec![true, false], vec![false, true]],
        );
        assert!((e.accuracy - 0.5).abs() < 1e-12);
        assert_eq!(e.per_label[0].recall, 1.0);
        assert_eq!(e.per_label[1].precision, 0.0);
    }
}
