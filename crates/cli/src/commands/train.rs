//! `qinglang train`: trains one head of a classifier model from a labelled
//! CSV/TSV or JSON Lines file and writes the model file.
//!
//! Bad rows are reported as JSON lines `{"line", "error", "raw_base64"}`
//! (to `--rejects FILE`, or standard error) and skipped. Texts are normalised
//! exactly as the detection pipeline normalises them.

use super::labels::{parse_label_names, parse_prior, LabelNames};
use anyhow::{bail, Context};
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressStyle};
use qinglang_classify::data::{is_json_lines, read_csv, read_json_lines, ReadOptions, Reject};
use qinglang_classify::{
    train_head, Example, FeatureConfig, HeadKind, Model, TrainConfig, TrainProgress,
};
use qinglang_text::Normalized;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Train a classifier head on labelled data.
#[derive(ClapArgs)]
pub struct Args {
    /// Training data: CSV/TSV with a header row, or JSON Lines (.jsonl, .ndjson, .json).
    #[arg(long)]
    data: PathBuf,
    /// Column (or JSON key) holding the text.
    #[arg(long)]
    text_column: String,
    /// Column (or JSON key) holding the label.
    #[arg(long)]
    label_column: String,
    /// Where to write the model file.
    #[arg(long)]
    out: PathBuf,
    /// The head (task) name.
    #[arg(long, default_value = "default")]
    head: String,
    /// Add the head to this existing model file (a head of the same name is replaced).
    #[arg(long)]
    base: Option<PathBuf>,
    /// Rename labels and fix their order, e.g. `0=safe,1=offensive`.
    /// Without it labels keep their names, in numeric or else alphabetical order.
    #[arg(long)]
    label_names: Option<String>,
    /// Multi-label data: each row may carry several labels (JSON arrays, or CSV cells split by --label-separator).
    #[arg(long)]
    multilabel: bool,
    /// Separator of several labels in one CSV cell (with --multilabel).
    #[arg(long)]
    label_separator: Option<char>,
    /// The share of each label where the model will be used, e.g. `safe=0.6,offensive=0.4`.
    /// Scores are shifted from the training data's shares to these.
    #[arg(long)]
    prior: Option<String>,
    /// L2 regularisation strength (larger = simpler model).
    #[arg(long, default_value_t = 0.15)]
    l2: f64,
    /// Cross-validation folds (for the reported figures and calibration); 0 to skip.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Character n-gram lengths, `MIN-MAX`.
    #[arg(long, default_value = "1-3")]
    char_ngrams: String,
    /// log2 of the number of hash buckets.
    #[arg(long, default_value_t = 20)]
    bucket_bits: u8,
    /// Ignore features seen in fewer training texts than this.
    #[arg(long, default_value_t = 2)]
    min_df: u32,
    /// Also cut runs of Chinese (Han) characters into words with the built-in
    /// segmenter (a dictionary derived from jieba's) and use every word of two
    /// or more characters as a feature. On by default.
    #[arg(long, overrides_with = "no_words")]
    words: bool,
    /// Character n-grams and ASCII words only; no Chinese words.
    #[arg(long, overrides_with = "words")]
    no_words: bool,
    /// For a head with two labels, weigh each feature by how well it tells
    /// the labels apart in the training data (the square root of its naive
    /// Bayes log-count ratio) before fitting the logistic regression. On by
    /// default (the flag exists to undo an earlier --no-nb); no effect on
    /// heads with more labels or on --multilabel. Prediction costs the same.
    #[arg(long, overrides_with = "no_nb")]
    nb: bool,
    /// Plain TF-IDF features, without naive Bayes weighting.
    #[arg(long, overrides_with = "nb")]
    no_nb: bool,
    /// Also match the built-in lexicon pack on each text and use its hits
    /// (rule id, category, and category when an evasion was needed) as
    /// features. Off by default: costs about 0.4-0.8 µs per short text.
    #[arg(long, overrides_with = "no_lexicon_hits")]
    lexicon_hits: bool,
    /// No lexicon-hit features (the default).
    #[arg(long, overrides_with = "lexicon_hits")]
    no_lexicon_hits: bool,
    /// Optimiser iteration limit per fit.
    #[arg(long, default_value_t = 300)]
    max_iter: usize,
    /// Optimiser stopping tolerance (relative improvement per iteration).
    #[arg(long, default_value_t = 1e-8)]
    tol: f64,
    /// Write rejected rows here (JSON Lines) instead of standard error.
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Also use this file as training data (same columns), e.g. a dev split.
    #[arg(long = "also")]
    also: Vec<PathBuf>,
}

fn char_range(spec: &str) -> anyhow::Result<(u8, u8)> {
    let (a, b) = spec.split_once('-').unwrap_or((spec, spec));
    Ok((
        a.trim().parse().context("--char-ngrams MIN-MAX")?,
        b.trim().parse().context("--char-ngrams MIN-MAX")?,
    ))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (char_min, char_max) = char_range(&args.char_ngrams)?;
    let defaults = FeatureConfig::default();
    let features = FeatureConfig {
        char_min,
        char_max,
        ascii_words: true,
        bucket_bits: args.bucket_bits,
        min_df: args.min_df,
        han_words: if args.words || args.no_words {
            args.words
        } else {
            defaults.han_words
        },
        lexicon_hits: if args.lexicon_hits || args.no_lexicon_hits {
            args.lexicon_hits
        } else {
            defaults.lexicon_hits
        },
    };
    if let Err(e) = features.validate() {
        bail!("{e}");
    }
    let options = ReadOptions {
        text_column: args.text_column.clone(),
        label_column: args.label_column.clone(),
        label_separator: args.label_separator,
        delimiter: None,
    };
    let mut rows = Vec::new();
    let mut rejects: Vec<(PathBuf, Reject)> = Vec::new();
    for path in std::iter::once(&args.data).chain(&args.also) {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let read = if is_json_lines(path) {
            read_json_lines(&bytes, &options)
        } else {
            read_csv(&bytes, &options)
        };
        let read = read.with_context(|| path.display().to_string())?;
        rows.extend(read.rows);
        rejects.extend(read.rejects.into_iter().map(|r| (path.clone(), r)));
    }
    report_rejects(&rejects, args.rejects.as_ref())?;

    let names = match &args.label_names {
        Some(spec) => parse_label_names(spec)?,
        None => LabelNames::default(),
    };
    let labels = names.label_order(
        rows.iter()
            .flat_map(|r| r.labels.iter().map(String::as_str)),
    );
    if labels.len() < 2 && !args.multilabel {
        bail!("need at least two distinct labels, found {:?}", labels);
    }
    let mut normalized = Normalized::default();
    let examples: Vec<Example> = rows
        .iter()
        .map(|r| {
            normalized.reset(&r.text);
            let labels = r
                .labels
                .iter()
                .filter_map(|l| labels.iter().position(|x| *x == names.rename(l)))
                .collect();
            Example {
                text: normalized.as_str().to_owned(),
                labels,
            }
        })
        .collect();
    let kind = if args.multilabel {
        HeadKind::Multilabel
    } else {
        HeadKind::Multiclass
    };
    let deploy_prior = args
        .prior
        .as_deref()
        .map(|p| parse_prior(p, &labels))
        .transpose()?;
    let config = TrainConfig {
        features,
        l2: args.l2,
        max_iter: args.max_iter,
        tol: args.tol,
        folds: args.folds,
        seed: 42,
        deploy_prior,
        nb_weighting: !args.no_nb,
        data_name: std::iter::once(&args.data)
            .chain(&args.also)
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
    };
    eprintln!(
        "training head `{}` on {} rows ({} rejected), labels: {}",
        args.head,
        examples.len(),
        rejects.len(),
        labels.join(", ")
    );
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} fit {prefix} [{bar:30}] {pos}/{len} iterations, loss {msg} ({elapsed})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let mut fit_base = 0u64;
    let max_iter = args.max_iter as u64;
    let (head, report) = train_head(
        &args.head,
        kind,
        labels,
        &examples,
        &config,
        &mut |p| match p {
            TrainProgress::FitStarted { fit, fits } => {
                bar.set_length(fits as u64 * max_iter);
                fit_base = (fit as u64 - 1) * max_iter;
                bar.set_position(fit_base);
                bar.set_prefix(format!("{fit}/{fits}"));
            }
            TrainProgress::Iteration {
                iteration, loss, ..
            } => {
                bar.set_position(fit_base + iteration as u64);
                bar.set_message(format!("{loss:.1}"));
            }
        },
    )?;
    bar.finish_and_clear();

    let mut model = match &args.base {
        Some(path) => Model::load(path)?,
        None => Model::default(),
    };
    let weighting = if head.info.nb_weighting {
        "TF-IDF weighted by naive Bayes log-count ratios"
    } else {
        "TF-IDF"
    };
    model.insert(head);
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    if let Some(cv) = &report.cv {
        eprintln!(
            "{}-fold cross-validation: accuracy {:.4}, macro-F1 {:.4}",
            config.folds, cv.accuracy, cv.macro_f1
        );
        for (label, stats) in cv.labels.iter().zip(&cv.per_class) {
            eprintln!(
                "  {label}: precision {:.4}, recall {:.4}, support {}",
                stats.precision, stats.recall, stats.support
            );
        }
    }
    if let Some(cv) = &report.cv_multilabel {
        eprintln!(
            "{}-fold cross-validation: per-label accuracy {:.4}, macro-F1 {:.4}",
            config.folds, cv.accuracy, cv.macro_f1
        );
    }
    eprintln!(
        "final fit: {} iterations, {} active buckets, {weighting}, l2 {}; wrote {} ({} bytes, heads: {})",
        report.iterations,
        report.active_buckets,
        config.l2,
        args.out.display(),
        bytes.len(),
        model.head_names().join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

fn report_rejects(rejects: &[(PathBuf, Reject)], to: Option<&PathBuf>) -> anyhow::Result<()> {
    let mut out: Box<dyn Write> = match to {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::stderr().lock()),
    };
    // The same shape as `scan`'s rejects; the file is named only when
    // several files were read, since line numbers are per file.
    let several = rejects
        .iter()
        .any(|(p, _)| Some(p) != rejects.first().map(|(p, _)| p));
    for (path, r) in rejects {
        let mut line =
            serde_json::json!({"line": r.line, "error": r.error, "raw_base64": r.raw_base64});
        if several {
            line["file"] = serde_json::Value::from(path.display().to_string());
        }
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}
