//! Progress for long work: a bar on a terminal, plain periodic lines otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often plain progress lines are printed when stderr is not a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

pub enum Progress {
    Hidden,
    Bar(ProgressBar),
    Plain {
        started: Instant,
        state: Mutex<(Instant, u64, u64)>,
    },
}

impl Progress {
    /// Progress over `total` bytes (unknown for standard input).
    pub fn new(total: Option<u64>, quiet: bool) -> Progress {
        if quiet {
            return Progress::Hidden;
        }
        if std::io::stderr().is_terminal() {
            let bar = match total {
                Some(t) => {
                    let b = ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr());
                    b.set_style(
                        ProgressStyle::with_template(
                            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    b
                }
                None => {
                    let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                    b.set_style(
                        ProgressStyle::with_template(
                            "{spinner} [{elapsed_precise}] {bytes} ({bytes_per_sec}) {msg}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    b
                }
            };
            bar.enable_steady_tick(Duration::from_millis(200));
            Progress::Bar(bar)
        } else {
            let now = Instant::now();
            Progress::Plain {
                started: now,
                state: Mutex::new((now, 0, 0)),
            }
        }
    }

    /// Records `bytes` more input consumed and `lines` read so far.
    pub fn advance(&self, bytes: u64, lines: u64) {
        match self {
            Progress::Hidden => {}
            Progress::Bar(b) => {
                b.inc(bytes);
                b.set_message(format!("{} lines", thousands(lines)));
            }
            Progress::Plain { started, state } => {
                let Ok(mut s) = state.lock() else { return };
                s.1 += bytes;
                s.2 = lines;
                if s.0.elapsed() >= PLAIN_EVERY {
                    s.0 = Instant::now();
                    let secs = started.elapsed().as_secs_f64().max(1e-9);
                    eprintln!(
                        "progress: {} lines, {:.1} MB read, {} lines/s",
                        thousands(s.2),
                        s.1 as f64 / 1e6,
                        thousands((s.2 as f64 / secs) as u64)
                    );
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(super::thousands(n), s);
        }
    }
}
