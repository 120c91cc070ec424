//! One module per subcommand. Each exposes a clap `Args` struct and
//! `run(args) -> anyhow::Result<ExitCode>`; `main` dispatches.

pub mod bench;
pub mod classify;
pub mod demo;
pub mod eval;
mod labels;
pub mod lexicon;
pub mod progress;
pub mod runtime;
pub mod scan;
pub mod serve;
pub mod train;

/// Exit code for usage and I/O errors (documented in README).
pub const EXIT_USAGE_OR_IO: u8 = 2;

/// The context of every error writing a command's results to standard
/// output; `main` ends quietly when such an error is a broken pipe (the
/// reader, say `head`, has gone), and only then.
pub const WRITING_STDOUT: &str = "writing standard output";

/// Exit code of a run that completed but rejected some lines.
pub const EXIT_REJECTS: u8 = 3;
