//! The `qinglang` command line: wires the library crates together.
//!
//! Each subcommand lives in its own module under `commands/`, with a clap
//! `Args` struct and a `run` function that returns the process exit code.

mod alloc;
mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Qinglang (清朗): detect, decide and govern harmful online content.
#[derive(Parser)]
#[command(name = "qinglang", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan JSON Lines input and store verdicts (see `qinglang scan --help`).
    Scan(commands::scan::ScanArgs),
    /// Serve the HTTP API (see `qinglang serve --help`).
    Serve(commands::serve::ServeArgs),
    /// Run the whole pipeline on a built-in sample and explain the verdicts.
    Demo(commands::demo::DemoArgs),
    /// Measure throughput and memory (see `qinglang bench scan --help`).
    Bench(commands::bench::BenchArgs),
    /// Evasion-resistant lexicon matching: match, compile, explain.
    Lexicon(commands::lexicon::Args),
    /// Train a classifier head on labelled CSV or JSON Lines data.
    Train(commands::train::Args),
    /// Classify texts from standard input, one JSON result per line.
    Classify(commands::classify::Args),
    /// Evaluate a classifier head on labelled data.
    Eval(commands::eval::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("QINGLANG_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success; usage errors get code 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(commands::EXIT_USAGE_OR_IO)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Demo(args) => commands::demo::run(args),
        Command::Lexicon(args) => commands::lexicon::run(args),
        Command::Train(args) => commands::train::run(args),
        Command::Classify(args) => commands::classify::run(args),
        Command::Eval(args) => commands::eval::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`| head`): nothing is wrong
        // with the input, and nobody is left to tell.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(commands::EXIT_USAGE_OR_IO)
        }
    }
}

/// Did the error come from writing results to standard output after its
/// reader closed the pipe? A broken pipe anywhere else (a database
/// connection, say) is a real error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let writing_stdout = err
        .chain()
        .any(|e| e.to_string() == commands::WRITING_STDOUT);
    writing_stdout
        && err.chain().any(|e| {
            let broken = Some(std::io::ErrorKind::BrokenPipe);
            e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == broken
                || e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
                    == broken
        })
}
