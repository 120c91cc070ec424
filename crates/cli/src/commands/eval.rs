//! `qinglang eval`: scores a model head on labelled data and prints accuracy,
//! macro-F1, per-class precision and recall, the confusion matrix and a
//! threshold sweep (for two-label heads: over the second label's score; for
//! more labels: over the top score, as coverage against accuracy).

use super::labels::{parse_label_names, LabelNames};
use anyhow::{bail, Context};
use clap::Args as ClapArgs;
use qinglang_classify::data::{is_json_lines, read_csv, read_json_lines, ReadOptions};
use qinglang_classify::eval::{threshold_sweep, Evaluation};
use qinglang_classify::{default_model, HeadKind, Model, PredictScratch};
use qinglang_text::Normalized;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Evaluate a classifier head on labelled data.
#[derive(ClapArgs)]
pub struct Args {
    /// Model file; the embedded default model when absent.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The head to evaluate; the model's first head when absent.
    #[arg(long)]
    head: Option<String>,
    /// Labelled data: CSV/TSV with a header row, or JSON Lines.
    #[arg(long)]
    data: PathBuf,
    /// Column (or JSON key) holding the text.
    #[arg(long)]
    text_column: String,
    /// Column (or JSON key) holding the label.
    #[arg(long)]
    label_column: String,
    /// Rename raw labels to the model's, e.g. `0=safe,1=offensive`.
    #[arg(long)]
    label_names: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(path) => Model::load(path)?,
        None => default_model().context("the embedded default model")?,
    };
    let head = match &args.head {
        Some(name) => model.head(name).with_context(|| {
            format!(
                "no head `{name}`; heads are: {}",
                model.head_names().join(", ")
            )
        })?,
        None => model.heads.first().context("the model has no heads")?,
    };
    for warning in head.resource_warnings() {
        eprintln!("warning: {warning}");
    }
    if head.kind != HeadKind::Multiclass {
        bail!(
            "eval supports multi-class heads; `{}` is multi-label",
            head.name
        );
    }
    let options = ReadOptions {
        text_column: args.text_column.clone(),
        label_column: args.label_column.clone(),
        label_separator: None,
        delimiter: None,
    };
    let bytes =
        std::fs::read(&args.data).with_context(|| format!("reading {}", args.data.display()))?;
    let read = if is_json_lines(&args.data) {
        read_csv_or_json(&bytes, &options, true)
    } else {
        read_csv_or_json(&bytes, &options, false)
    }
    .with_context(|| args.data.display().to_string())?;
    let names = match &args.label_names {
        Some(spec) => parse_label_names(spec)?,
        None => LabelNames::default(),
    };
    let mut normalized = Normalized::default();
    let mut scratch = PredictScratch::default();
    let mut scores = Vec::new();
    let (mut actual, mut predicted, mut all_scores) = (Vec::new(), Vec::new(), Vec::new());
    let mut unknown = 0usize;
    for row in &read.rows {
        let gold = names.rename(row.labels.first().map_or("", String::as_str));
        let Some(gold) = head.labels.iter().position(|l| *l == gold) else {
            unknown += 1;
            continue;
        };
        normalized.reset(&row.text);
        let best = head.predict_into(&mut scratch, normalized.as_str(), &mut scores);
        actual.push(gold);
        predicted.push(best);
        all_scores.push(scores.clone());
    }
    let mut o = String::new();
    writeln!(
        o,
        "head `{}` on {}: {} rows evaluated",
        head.name,
        args.data.display(),
        actual.len()
    )?;
    if unknown + read.rejects.len() > 0 {
        writeln!(
            o,
            "skipped: {} rows with labels the head does not have, {} unreadable rows",
            unknown,
            read.rejects.len()
        )?;
    }
    let e = Evaluation::from_predictions(&head.labels, &actual, &predicted);
    writeln!(
        o,
        "accuracy  {:.4}\nmacro-F1  {:.4}\n",
        e.accuracy, e.macro_f1
    )?;
    writeln!(
        o,
        "{:<16} {:>9} {:>9} {:>9} {:>8}",
        "label", "precision", "recall", "F1", "support"
    )?;
    for (label, s) in e.labels.iter().zip(&e.per_class) {
        writeln!(
            o,
            "{label:<16} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            s.precision, s.recall, s.f1, s.support
        )?;
    }
    writeln!(o, "\nconfusion matrix (rows: gold, columns: predicted)")?;
    write!(o, "{:<16}", "")?;
    for l in &e.labels {
        write!(o, " {l:>10}")?;
    }
    writeln!(o)?;
    for (label, row) in e.labels.iter().zip(&e.confusion) {
        write!(o, "{label:<16}")?;
        for n in row {
            write!(o, " {n:>10}")?;
        }
        writeln!(o)?;
    }
    let thresholds: Vec<f32> = (1..20).map(|i| i as f32 * 0.05).collect();
    if head.labels.len() == 2 {
        let positive: Vec<bool> = actual.iter().map(|&a| a == 1).collect();
        let p: Vec<f32> = all_scores.iter().map(|s| s[1]).collect();
        writeln!(o, "\nthreshold sweep on the score of `{}`", head.labels[1])?;
        writeln!(
            o,
            "{:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "threshold", "accuracy", "macro-F1", "precision", "recall", "called"
        )?;
        for r in threshold_sweep(&p, &positive, &thresholds) {
            writeln!(
                o,
                "{:>9.2} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>9.4}",
                r.threshold,
                r.accuracy,
                r.macro_f1,
                r.positive.precision,
                r.positive.recall,
                r.positive_rate
            )?;
        }
    } else {
        writeln!(
            o,
            "\nthreshold sweep on the top score (predict only when it reaches the threshold)"
        )?;
        writeln!(o, "{:>9} {:>9} {:>9}", "threshold", "coverage", "accuracy")?;
        for &t in &thresholds {
            let kept: Vec<usize> = (0..actual.len())
                .filter(|&i| all_scores[i][predicted[i]] >= t)
                .collect();
            let right = kept.iter().filter(|&&i| actual[i] == predicted[i]).count();
            let coverage = kept.len() as f64 / actual.len().max(1) as f64;
            writeln!(
                o,
                "{t:>9.2} {coverage:>9.4} {:>9.4}",
                right as f64 / kept.len().max(1) as f64
            )?;
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(o.as_bytes())
        .and_then(|_| stdout.flush())
        .context(super::WRITING_STDOUT)?;
    Ok(ExitCode::SUCCESS)
}

fn read_csv_or_json(
    bytes: &[u8],
    options: &ReadOptions,
    json: bool,
) -> qinglang_classify::Result<qinglang_classify::data::Labelled> {
    if json {
        read_json_lines(bytes, options)
    } else {
        read_csv(bytes, options)
    }
}
