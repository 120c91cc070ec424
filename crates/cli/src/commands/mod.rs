//! One module per subcommand. Each exposes `Args` (clap) and
//! `run(args) -> anyhow::Result<ExitCode>`; `main` dispatches.

pub mod lexicon;

/// Exit code for usage and I/O errors (documented in README).
pub const EXIT_USAGE_OR_IO: u8 = 2;
