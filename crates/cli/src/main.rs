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
    /// Evasion-resistant lexicon matching: match, compile, explain.
    Lexicon(commands::lexicon::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Version => {
            println!("qinglang {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Lexicon(args) => commands::lexicon::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(commands::EXIT_USAGE_OR_IO)
        }
    }
}
