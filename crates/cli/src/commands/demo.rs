//! `qinglang demo`: the main job on a built-in sample, end to end.
//!
//! Writes a small synthetic sample (content, accounts, complaints and a few
//! malformed lines) to a work directory, scans it with every detector into a
//! fresh database, and prints what was decided and why.

use crate::commands::{runtime::EngineArgs, scan};
use anyhow::{Context, Result};
use clap::Args;
use qinglang_model::{Route, Verdict};
use std::path::PathBuf;
use std::process::ExitCode;

const SAMPLE: &str = include_str!("../../demo/sample.jsonl");
const PROTECTED: &str = include_str!("../../demo/protected.jsonl");

/// Run the whole pipeline on a built-in sample and explain the verdicts.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Work directory for the sample, the database and the outputs.
    #[arg(long, value_name = "DIR", default_value = "qinglang-demo")]
    pub dir: PathBuf,

    /// Database URL; a fresh SQLite file in the work directory when not given.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

pub fn run(args: DemoArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let sample = dir.join("sample.jsonl");
    let protected = dir.join("protected.jsonl");
    std::fs::write(&sample, SAMPLE)
        .with_context(|| format!("cannot write {}", sample.display()))?;
    std::fs::write(&protected, PROTECTED)
        .with_context(|| format!("cannot write {}", protected.display()))?;
    let db = match &args.db {
        Some(db) => db.clone(),
        None => {
            let p = dir.join("demo.db");
            // A fresh database each time, so the demo shows first-time verdicts.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
            p.display().to_string()
        }
    };
    let verdicts = dir.join("verdicts.jsonl");
    let rejects = dir.join("rejects.jsonl");
    let _ = std::fs::remove_file(&rejects);
    eprintln!(
        "qinglang demo: scanning {} (synthetic sample) into {db}\n",
        sample.display()
    );
    // The sample holds malformed lines on purpose, so scan's exit code 3 is
    // the expected outcome here; the demo itself succeeded.
    let _code = scan::run(scan::ScanArgs {
        inputs: vec![sample.clone()],
        setup: EngineArgs {
            db,
            detectors: "all".into(),
            policy: None,
            lexicon: None,
            protected: Some(protected),
            model: None,
        },
        out: verdicts.clone(),
        rejects: rejects.clone(),
        batch_size: 512,
        max_line_bytes: qinglang_ingest::DEFAULT_MAX_LINE_BYTES,
        quiet: false,
    })?;

    let text = std::fs::read_to_string(&verdicts)
        .with_context(|| format!("cannot read {}", verdicts.display()))?;
    let mut shown = 0;
    println!("\nWhat was flagged, and why:");
    for line in text.lines() {
        let v: Verdict = serde_json::from_str(line).context("demo verdicts are readable")?;
        if v.route == Route::Pass {
            continue;
        }
        shown += 1;
        let kind = match v.subject.record_type() {
            qinglang_model::RecordType::Item => "item",
            qinglang_model::RecordType::Account => "account",
            qinglang_model::RecordType::Complaint => "complaint",
        };
        let labels: Vec<String> = v
            .labels
            .iter()
            .map(|l| format!("{} {:.2} ({})", l.category, l.score, l.severity.as_str()))
            .collect();
        println!(
            "\n  {kind} {}  →  {}   {}",
            v.subject.id(),
            v.route.as_str().to_uppercase(),
            labels.join(", ")
        );
        for s in &v.signals {
            println!(
                "      {}/{} [{}] {:.2}  {}",
                s.detector, s.rule, s.category, s.score, s.evidence
            );
        }
    }
    if shown == 0 {
        println!("  (nothing: every record passed)");
    }
    println!(
        "\nFiles: {} (verdicts), {} (rejected lines, with their exact bytes).",
        verdicts.display(),
        rejects.display()
    );
    println!("The sample's malformed lines were rejected on purpose: nothing is lost, each is in the rejects file.");
    println!("Next: `qinglang scan YOUR.jsonl --out verdicts.jsonl`, or `qinglang serve` for the HTTP API.");
    Ok(ExitCode::SUCCESS)
}
