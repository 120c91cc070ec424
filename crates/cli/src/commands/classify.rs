//! `qinglang classify`: reads texts from standard input, one per line, and
//! prints one JSON object per line:
//! `{"label": "<label>", "scores": {"<label>": p, ...}}`.
//!
//! Built for throughput: buffered I/O, one reused line buffer, the fast
//! normaliser (same output as the pipeline's), one prediction
//! scratch, label JSON escaped once, and scores written with a small
//! fixed-point formatter (4 decimals) instead of general float formatting.

use anyhow::{bail, Context};
use clap::Args as ClapArgs;
use qinglang_classify::{default_model, normalize_into, Model, PredictScratch};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Classify texts from standard input, one per line.
#[derive(ClapArgs)]
pub struct Args {
    /// Model file; the embedded default model when absent.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The head to use; the model's first head when absent (`offense` in the default model).
    #[arg(long)]
    head: Option<String>,
    /// Print the number of texts and texts per second to standard error at the end.
    #[arg(long)]
    report_throughput: bool,
}

/// Appends `p` (clamped to [0, 1]) with four decimals.
fn push_score(out: &mut Vec<u8>, p: f32) {
    let q = (p.clamp(0.0, 1.0) * 10_000.0).round() as u32;
    if q >= 10_000 {
        out.extend_from_slice(b"1.0");
        return;
    }
    out.extend_from_slice(b"0.");
    out.extend_from_slice(&[
        b'0' + (q / 1000) as u8,
        b'0' + (q / 100 % 10) as u8,
        b'0' + (q / 10 % 10) as u8,
        b'0' + (q % 10) as u8,
    ]);
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(path) => Model::load(path)?,
        None => default_model().context("the embedded default model")?,
    };
    let head = match &args.head {
        Some(name) => match model.head(name) {
            Some(h) => h,
            None => bail!(
                "no head `{name}` in the model; heads are: {}",
                model.head_names().join(", ")
            ),
        },
        None => model.heads.first().context("the model has no heads")?,
    };
    for warning in head.resource_warnings() {
        eprintln!("warning: {warning}");
    }
    let quoted: Vec<String> = head
        .labels
        .iter()
        .map(|l| serde_json::to_string(l).expect("a string serialises"))
        .collect();
    let prefixes: Vec<Vec<u8>> = quoted
        .iter()
        .map(|q| format!("{{\"label\": {q}, \"scores\": {{").into_bytes())
        .collect();
    let keys: Vec<Vec<u8>> = quoted
        .iter()
        .enumerate()
        .map(|(i, q)| format!("{}{q}: ", if i == 0 { "" } else { ", " }).into_bytes())
        .collect();

    let started = Instant::now();
    let stdin = std::io::stdin();
    let mut input = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
    let stdout = std::io::stdout();
    let mut output = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = Vec::new();
    let mut normalized = String::new();
    let mut scratch = PredictScratch::default();
    let mut scores = Vec::new();
    let mut out = Vec::with_capacity(256);
    let mut count = 0u64;
    loop {
        line.clear();
        if input
            .read_until(b'\n', &mut line)
            .context("reading standard input")?
            == 0
        {
            break;
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        // Valid UTF-8 is the rule; only invalid lines pay for the lossy copy.
        let text = match std::str::from_utf8(&line) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(&line),
        };
        normalize_into(&text, &mut normalized);
        let best = head.predict_into(&mut scratch, &normalized, &mut scores);
        out.clear();
        out.extend_from_slice(&prefixes[best]);
        for (key, &p) in keys.iter().zip(&scores) {
            out.extend_from_slice(key);
            push_score(&mut out, p);
        }
        out.extend_from_slice(b"}}\n");
        output.write_all(&out).context(super::WRITING_STDOUT)?;
        count += 1;
    }
    output.flush().context(super::WRITING_STDOUT)?;
    if args.report_throughput {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{count} texts in {secs:.3} s: {:.0} texts/s",
            count as f64 / secs.max(1e-9)
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::push_score;

    #[test]
    fn scores_have_four_decimals() {
        for (p, want) in [
            (0.0, "0.0000"),
            (0.12345, "0.1235"),
            (0.99996, "1.0"),
            (1.5, "1.0"),
            (-1.0, "0.0000"),
            (0.05, "0.0500"),
        ] {
            let mut out = Vec::new();
            push_score(&mut out, p);
            assert_eq!(String::from_utf8(out).unwrap(), want, "p = {p}");
        }
    }
}
