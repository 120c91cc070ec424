//! The `qinglang` command line: wires the library crates together.
//!
//! Each subcommand lives in its own module under `commands/`, with a clap
//! `Args` struct and a `run` function that returns the process exit code.

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
    /// Placeholder until the first real command lands.
    Version,
    /// Train a classifier head on labelled CSV or JSON Lines data.
    Train(commands::train::Args),
    /// Classify texts from standard input, one JSON result per line.
    Classify(commands::classify::Args),
    /// Evaluate a classifier head on labelled data.
    Eval(commands::eval::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Version => {
            println!("qinglang {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Train(args) => commands::train::run(args),
        Command::Classify(args) => commands::classify::run(args),
        Command::Eval(args) => commands::eval::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(commands::EXIT_USAGE_OR_IO)
        }
    }
}
