//! `qinglang lexicon`: match texts against a lexicon, compile one, explain a match.
//!
//! `match` reads one text per line from stdin and prints one JSON object per
//! line that has matches: `{"line": N, "matches": [{"term", "category",
//! "start", "end", "evasions", ...}]}`, with `line` counting from 1 and
//! `start`/`end` byte offsets into that line (without its line ending).

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, Subcommand};
use qinglang_lexicon::{default_lexicon, load_lexicon, CompileOptions, Lexicon, Scratch};
use serde::Serialize;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `qinglang lexicon`.
#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: LexiconCommand,
}

/// Where the lexicon comes from and how it is compiled.
#[derive(ClapArgs)]
struct Source {
    /// Lexicon file: plain list, TOML, or compiled. Default: the built-in pack.
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
    /// Pinyin and homophone matching for every Chinese term of two or more characters.
    #[arg(long)]
    pinyin: bool,
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Match stdin, one text per line; print JSON Lines for lines with matches.
    #[command(after_help = "Output, one line per text with matches:\n  \
        {\"line\": N, \"matches\": [{\"term\", \"category\", \"start\", \"end\", \"evasions\", \"rule\", \"severity\", \"confidence\"}]}\n\
        `line` counts from 1; `start`/`end` are byte offsets into that line.\n\
        Evasions named: width, case, traditional, confusable, zero_width, leet, noise_skip,\n\
        repeat, mask, pinyin, homophone, initials.\n\n\
        Example:\n  printf '来賭 * 博吧\\nf*ck\\n' | qinglang lexicon match --pinyin")]
    Match {
        #[command(flatten)]
        source: Source,
    },
    /// Compile a lexicon file to a file that loads in milliseconds.
    Compile {
        #[command(flatten)]
        source: Source,
        /// Where to write the compiled lexicon.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// Load the written file again and report how long loading takes
        /// (costs the memory of a second copy).
        #[arg(long)]
        verify: bool,
    },
    /// Show the normalised text and why each match fired.
    Explain {
        #[command(flatten)]
        source: Source,
        /// The text to explain.
        text: String,
    },
}

fn load(source: &Source) -> Result<Lexicon> {
    let options = CompileOptions {
        pinyin_all: source.pinyin,
    };
    match &source.lexicon {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            load_lexicon(&bytes, &options).with_context(|| format!("loading {}", path.display()))
        }
        None => default_lexicon(&options).context("compiling the built-in lexicon pack"),
    }
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    term: &'a str,
    category: &'a str,
    start: usize,
    end: usize,
    evasions: Vec<&'static str>,
    rule: &'a str,
    severity: &'static str,
    confidence: f32,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    line: usize,
    matches: Vec<JsonMatch<'a>>,
}

fn run_match(source: &Source) -> Result<ExitCode> {
    let lex = load(source)?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match_lines(&lex, stdin.lock(), &mut out)?;
    out.flush().context(super::WRITING_STDOUT)?;
    Ok(ExitCode::SUCCESS)
}

/// Matches each line of `input` and writes one JSON object per matching line.
fn match_lines(lex: &Lexicon, mut input: impl BufRead, out: &mut impl Write) -> Result<()> {
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).context("reading stdin")? == 0 {
            break;
        }
        line_no += 1;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        // Invalid UTF-8 is replaced, which can shift offsets on that line only.
        let text = String::from_utf8_lossy(&buf);
        lex.find_into(&text, &mut scratch, &mut found);
        if found.is_empty() {
            continue;
        }
        let matches = found
            .iter()
            .filter_map(|m| {
                let rule = lex.rule(m.rule)?;
                Some(JsonMatch {
                    term: rule.term(m.term),
                    category: rule.category(),
                    start: m.start,
                    end: m.end,
                    evasions: m.evasions.names(),
                    rule: rule.id(),
                    severity: rule.severity().as_str(),
                    confidence: m.confidence,
                })
            })
            .collect();
        serde_json::to_writer(
            &mut *out,
            &JsonLine {
                line: line_no,
                matches,
            },
        )
        .context(super::WRITING_STDOUT)?;
        out.write_all(b"\n").context(super::WRITING_STDOUT)?;
    }
    Ok(())
}

fn run_compile(source: &Source, output: &PathBuf, verify: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let lex = load(source)?;
    let compiled = started.elapsed();
    let file =
        std::fs::File::create(output).with_context(|| format!("creating {}", output.display()))?;
    lex.write_to(std::io::BufWriter::new(file))
        .with_context(|| format!("writing {}", output.display()))?;
    let size = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    let mut summary = format!(
        "{}: {} rules, {} patterns, {} pinyin patterns, {} bytes; compiled in {:.1} ms",
        output.display(),
        lex.rules().len(),
        lex.pattern_count(),
        lex.pinyin_pattern_count(),
        size,
        compiled.as_secs_f64() * 1e3,
    );
    drop(lex);
    if verify {
        let bytes =
            std::fs::read(output).with_context(|| format!("re-reading {}", output.display()))?;
        let started = Instant::now();
        Lexicon::from_bytes(&bytes).context("re-reading the compiled lexicon")?;
        summary += &format!(", loads in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    }
    println!("{summary}");
    Ok(ExitCode::SUCCESS)
}

fn run_explain(source: &Source, text: &str) -> Result<ExitCode> {
    let lex = load(source)?;
    println!("text:       {text}");
    println!("normalised: {}", qinglang_text::fold_str(text));
    let pinyin: Vec<&str> = text
        .chars()
        .filter_map(|c| qinglang_text::pinyin_of(qinglang_text::fold_char(c).ch))
        .collect();
    if !pinyin.is_empty() {
        println!("pinyin:     {}", pinyin.join(" "));
    }
    let found = lex.find(text);
    if found.is_empty() {
        println!("no matches");
    }
    for m in found {
        let Some(rule) = lex.rule(m.rule) else {
            continue;
        };
        let ev = m.evasions.names();
        println!(
            "match: rule `{}` term `{}` category {} severity {} bytes {}..{} {:?} evasions [{}] confidence {:.2}",
            rule.id(),
            rule.term(m.term),
            rule.category(),
            rule.severity().as_str(),
            m.start,
            m.end,
            &text[m.start..m.end],
            ev.join(", "),
            m.confidence
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `qinglang lexicon`.
pub fn run(args: Args) -> Result<ExitCode> {
    match &args.command {
        LexiconCommand::Match { source } => run_match(source),
        LexiconCommand::Compile {
            source,
            output,
            verify,
        } => {
            crate::alloc::return_freed_memory_at_once();
            run_compile(source, output, *verify)
        }
        LexiconCommand::Explain { source, text } => run_explain(source, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_one_json_line_per_matching_line_with_line_offsets() {
        let lex = load_lexicon(
            "赌博\tgambling_drugs\n".as_bytes(),
            &CompileOptions { pinyin_all: true },
        )
        .unwrap();
        let mut out = Vec::new();
        match_lines(&lex, "没事\r\n来賭 博\n\ndu博\n".as_bytes(), &mut out).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["line"], 2);
        let m = &lines[0]["matches"][0];
        assert_eq!(
            (m["term"].as_str(), m["category"].as_str()),
            (Some("赌博"), Some("gambling_drugs"))
        );
        assert_eq!(
            (m["start"].as_u64(), m["end"].as_u64()),
            (Some(3), Some(10))
        );
        assert_eq!(
            m["evasions"],
            serde_json::json!(["traditional", "noise_skip"])
        );
        assert_eq!(lines[1]["line"], 4);
        assert_eq!(
            lines[1]["matches"][0]["evasions"],
            serde_json::json!(["pinyin"])
        );
    }
}
