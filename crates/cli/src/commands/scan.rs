//! `qinglang scan`: stream JSON Lines through detect → decide → store.

use crate::commands::{progress::Progress, runtime, EXIT_REJECTS};
use anyhow::{bail, Context, Result};
use clap::Args;
use qinglang_engine::{Accepted, Committer, DecidedBatch, Decider, Outcome, OutcomeCounts};
use qinglang_ingest::{parse_record, Line, LineReader, Reject, DEFAULT_MAX_LINE_BYTES};
use qinglang_model::Route;
use qinglang_store::SeenKeys;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

/// Scan content, accounts and complaints (JSON Lines) and store their verdicts.
///
/// Reads each INPUT (a file, or `-` for standard input; standard input when
/// none is given), validates every line against the input contract
/// (docs/input-format.md), runs the detectors, decides a route by policy,
/// stores records and verdicts, and writes one verdict per distinct record to
/// --out in input order (docs/output-format.md). Bad lines never stop the run:
/// each goes to --rejects with its line number, the error and its exact bytes.
///
/// Exit codes: 0 every line accepted; 3 the run completed but some lines were
/// rejected; 2 usage or I/O error.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  qinglang scan posts.jsonl --out verdicts.jsonl\n  \
    cat posts.jsonl | qinglang scan - --db postgres://postgres@127.0.0.1/test\n  \
    qinglang scan big.jsonl --detectors none --out /dev/null   # ingest only"
)]
pub struct ScanArgs {
    /// Input files (JSON Lines); `-` is standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub setup: runtime::EngineArgs,

    /// Where verdicts go (JSON Lines); `-` is standard output.
    #[arg(long, short, value_name = "FILE", default_value = "-")]
    pub out: PathBuf,

    /// Where rejected lines go (JSON Lines). Created only if a line is rejected.
    #[arg(long, value_name = "FILE", default_value = "qinglang-rejects.jsonl")]
    pub rejects: PathBuf,

    /// Records stored per transaction.
    #[arg(long, value_name = "N", default_value_t = 8192, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch_size: u32,

    /// Longest line accepted, in bytes; longer lines are rejected (their first bytes are kept).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,

    /// No progress bar and no summary table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A batch also closes when its lines add up to this many bytes, so that
/// memory stays bounded when records are large (four batches can be alive:
/// one being read, two queued, one being stored).
const MAX_BATCH_BYTES: usize = 32 << 20;

/// Counts kept by the reading side of a scan.
#[derive(Debug, Default)]
struct ReadTally {
    lines: u64,
    blank: u64,
    accepted: u64,
    rejected: u64,
    bytes: u64,
}

/// Counts kept by the storing side of a scan.
#[derive(Debug, Default)]
struct WriteTally {
    outcomes: OutcomeCounts,
    by_category: BTreeMap<String, u64>,
}

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let inputs: Vec<PathBuf> = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let mut total_bytes = Some(0u64);
    for input in &inputs {
        if is_stdin(input) {
            total_bytes = None;
            continue;
        }
        let meta = std::fs::metadata(input)
            .with_context(|| format!("cannot read input {}", input.display()))?;
        if meta.is_dir() {
            bail!(
                "input {} is a directory; give JSON Lines files",
                input.display()
            );
        }
        total_bytes = total_bytes.map(|t| t + meta.len());
    }
    let (mut decider, committer) = args.setup.engine()?.split();
    let out = open_output(&args.out)?;
    // A rejects file left by an earlier run would look like this run's.
    match std::fs::remove_file(&args.rejects) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(e).with_context(|| format!("cannot replace {}", args.rejects.display()))
        }
    }
    let mut rejects = RejectSink::new(args.rejects.clone(), inputs.len() > 1);
    let mut seen = SeenKeys::default();
    let mut read = ReadTally::default();
    let progress = Progress::new(total_bytes, args.quiet);
    let started = Instant::now();

    // Detection of one batch overlaps storage of the previous one: the
    // reading thread parses and decides, the writer thread stores and writes
    // verdicts in order. Two batches in flight bound the memory.
    let (tx, rx) = mpsc::sync_channel::<DecidedBatch>(2);
    let (read_result, write_result) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_verdicts(committer, rx, out));
        let mut reader = BatchReader {
            decider: &mut decider,
            seen: &mut seen,
            tx,
            rejects: &mut rejects,
        };
        let read_result = (|| -> Result<()> {
            for input in &inputs {
                let source: Box<dyn BufRead> = if is_stdin(input) {
                    Box::new(BufReader::with_capacity(1 << 20, io::stdin().lock()))
                } else {
                    let f = File::open(input)
                        .with_context(|| format!("cannot open {}", input.display()))?;
                    Box::new(BufReader::with_capacity(1 << 20, f))
                };
                let name = input.display().to_string();
                reader.scan_one(source, &name, &args, &mut read, &progress)?;
            }
            Ok(())
        })();
        drop(reader); // closes the channel so the writer finishes
        let write_result = writer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the writer thread panicked")));
        (read_result, write_result)
    });
    progress.finish();
    // A storage failure is the root cause when both sides failed.
    let (mut committer, written) = write_result?;
    read_result?;
    rejects.finish()?;
    let elapsed = started.elapsed();
    if !args.quiet {
        let summary = committer.store().summary().ok();
        let backend = committer.store().backend();
        print_summary(
            &read,
            &written,
            elapsed,
            backend,
            &args.setup.db,
            summary.map(|s| s.records()),
            &rejects,
        );
    }
    Ok(if read.rejected > 0 {
        ExitCode::from(EXIT_REJECTS)
    } else {
        ExitCode::SUCCESS
    })
}

fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

fn open_output(path: &Path) -> Result<Box<dyn Write + Send>> {
    Ok(if is_stdin(path) {
        Box::new(BufWriter::with_capacity(1 << 20, io::stdout()))
    } else {
        let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Box::new(BufWriter::with_capacity(1 << 20, f))
    })
}

/// The writer thread: stores decided batches in order and writes their verdicts.
fn write_verdicts(
    mut committer: Committer,
    rx: mpsc::Receiver<DecidedBatch>,
    mut out: Box<dyn Write + Send>,
) -> Result<(Committer, WriteTally)> {
    let mut tally = WriteTally::default();
    for batch in rx {
        let outcomes = committer.commit(batch).context("cannot store verdicts")?;
        for o in &outcomes {
            tally.outcomes.add(o);
            if let Outcome::New(v, json) | Outcome::Stored(v, json) = o {
                out.write_all(json.as_bytes())
                    .context("cannot write verdicts")?;
                out.write_all(b"\n").context("cannot write verdicts")?;
                for l in &v.labels {
                    *tally.by_category.entry(l.category.to_string()).or_default() += 1;
                }
            }
        }
    }
    out.flush().context("cannot write verdicts")?;
    Ok((committer, tally))
}

/// The reading side: lines to records to decided batches.
struct BatchReader<'a> {
    decider: &'a mut Decider,
    seen: &'a mut SeenKeys,
    tx: mpsc::SyncSender<DecidedBatch>,
    rejects: &'a mut RejectSink,
}

impl BatchReader<'_> {
    fn scan_one(
        &mut self,
        source: Box<dyn BufRead>,
        name: &str,
        args: &ScanArgs,
        tally: &mut ReadTally,
        progress: &Progress,
    ) -> Result<()> {
        let mut lines = LineReader::new(source, args.max_line_bytes);
        let mut line = Line::default();
        let batch_size = args.batch_size as usize;
        let mut batch: Vec<Accepted> = Vec::with_capacity(batch_size);
        let mut last_consumed = 0;
        let mut batch_bytes = 0usize;
        while lines
            .next_line(&mut line)
            .with_context(|| format!("cannot read {name}"))?
        {
            tally.lines += 1;
            if line.overlong {
                tally.rejected += 1;
                let error = format!(
                    "line is {} bytes, over the limit of {} (--max-line-bytes); only its first bytes are kept",
                    line.full_len, args.max_line_bytes
                );
                self.rejects
                    .write(name, line.number, &error, &line.bytes, true)?;
                continue;
            }
            match parse_record(&line.bytes) {
                Ok(None) => tally.blank += 1,
                Ok(Some(record)) => {
                    tally.accepted += 1;
                    batch_bytes += line.bytes.len();
                    batch.push(Accepted {
                        record,
                        body: body_text(&line.bytes),
                    });
                    if batch.len() >= batch_size || batch_bytes >= MAX_BATCH_BYTES {
                        batch_bytes = 0;
                        self.send(&mut batch)?;
                        let consumed = lines.consumed();
                        progress.advance(consumed - last_consumed, tally.lines);
                        last_consumed = consumed;
                    }
                }
                Err(reason) => {
                    tally.rejected += 1;
                    self.rejects.write(
                        name,
                        line.number,
                        &reason.to_string(),
                        &line.bytes,
                        false,
                    )?;
                }
            }
        }
        self.send(&mut batch)?;
        let consumed = lines.consumed();
        progress.advance(consumed - last_consumed, tally.lines);
        tally.bytes += consumed;
        Ok(())
    }

    fn send(&mut self, batch: &mut Vec<Accepted>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let decided = self
            .decider
            .decide(std::mem::take(batch), self.seen)
            .context("cannot decide verdicts")?;
        // A closed channel means the writer stopped on an error, which run() reports.
        self.tx
            .send(decided)
            .map_err(|_| anyhow::anyhow!("the verdict writer stopped"))
    }
}

/// The record's JSON as stored: the line without BOM and CR. The line has
/// already been validated as UTF-8 JSON.
fn body_text(bytes: &[u8]) -> String {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let b = b.strip_suffix(b"\r").unwrap_or(b);
    String::from_utf8_lossy(b).trim().to_owned()
}

/// Writes rejects to their file, creating it at the first reject only.
struct RejectSink {
    path: PathBuf,
    with_source: bool,
    file: Option<BufWriter<File>>,
    count: u64,
}

impl RejectSink {
    fn new(path: PathBuf, with_source: bool) -> Self {
        RejectSink {
            path,
            with_source,
            file: None,
            count: 0,
        }
    }

    fn write(
        &mut self,
        source: &str,
        line: u64,
        error: &str,
        raw: &[u8],
        truncated: bool,
    ) -> Result<()> {
        if self.file.is_none() {
            let f = File::create(&self.path).with_context(|| {
                format!("cannot create the rejects file {}", self.path.display())
            })?;
            self.file = Some(BufWriter::new(f));
        }
        let mut r = Reject::new(line, error, raw);
        r.truncated = truncated;
        if self.with_source {
            r.source = Some(source.to_owned());
        }
        let f = self.file.as_mut().context("rejects file is not open")?;
        serde_json::to_writer(&mut *f, &r).context("cannot write rejects")?;
        f.write_all(b"\n").context("cannot write rejects")?;
        self.count += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(f) = &mut self.file {
            f.flush()
                .with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        Ok(())
    }
}

fn print_summary(
    t: &ReadTally,
    w: &WriteTally,
    elapsed: std::time::Duration,
    backend: &str,
    db: &str,
    stored: Option<u64>,
    rejects: &RejectSink,
) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let n = crate::commands::progress::thousands;
    let mut s = String::new();
    let mut row = |k: &str, v: String| s.push_str(&format!("  {k:<16} {v}\n"));
    row("lines read", n(t.lines));
    row("blank (skipped)", n(t.blank));
    row("accepted", n(t.accepted));
    let where_ = if rejects.count > 0 {
        format!("  -> {}", rejects.path.display())
    } else {
        String::new()
    };
    row("rejected", format!("{}{where_}", n(t.rejected)));
    row(
        "duplicates",
        format!(
            "{}  (same id earlier in this run: no second verdict)",
            n(w.outcomes.duplicates)
        ),
    );
    row(
        "already stored",
        format!("{}  (stored verdict written)", n(w.outcomes.stored)),
    );
    row("newly stored", n(w.outcomes.new));
    let verdicts = w.outcomes.new + w.outcomes.stored;
    row(
        "verdicts",
        format!(
            "{}  (pass {} · review {} · action {})",
            n(verdicts),
            n(w.outcomes.route(Route::Pass)),
            n(w.outcomes.route(Route::Review)),
            n(w.outcomes.route(Route::Action))
        ),
    );
    if !w.by_category.is_empty() {
        let mut cats: Vec<_> = w.by_category.iter().collect();
        cats.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = cats
            .iter()
            .map(|(c, k)| format!("{c} {}", n(**k)))
            .collect();
        row("labels", list.join(" · "));
    }
    row(
        "throughput",
        format!(
            "{} records/s, {:.1} MB/s ({:.2} s)",
            n((t.accepted as f64 / secs) as u64),
            t.bytes as f64 / secs / 1e6,
            secs
        ),
    );
    let stored = stored
        .map(|k| format!(": {} records in all", n(k)))
        .unwrap_or_default();
    row(
        "database",
        format!(
            "{backend} {}{stored}",
            crate::commands::runtime::redact_url(db)
        ),
    );
    eprint!("qinglang scan\n{s}");
}
