//! One module per subcommand. Each exposes `Args` (clap) and
//! `run(args) -> anyhow::Result<ExitCode>`; `main` dispatches.

pub mod classify;
pub mod eval;
mod labels;
pub mod train;

/// Exit code for usage and I/O errors (documented in README).
pub const EXIT_USAGE_OR_IO: u8 = 2;
