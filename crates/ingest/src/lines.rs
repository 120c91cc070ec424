//! Physical line splitting that keeps exact bytes and bounds memory.
//!
//! Lines end at `\n`. The bytes handed out include everything between two
//! `\n` (so a CRLF line keeps its `\r`): that is what a reject must carry.
//! A line longer than the limit is not buffered whole: its first `max` bytes
//! are kept, the rest is read and discarded, and the line is flagged so the
//! caller can reject it. Memory use is therefore bounded by the limit.

use std::io::{self, BufRead};

/// Default longest line accepted: 16 MiB (a 10 MB text fits).
pub const DEFAULT_MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// One physical line.
#[derive(Debug, Default)]
pub struct Line {
    /// 1-based line number in the input.
    pub number: u64,
    /// The line's bytes without the final `\n` (truncated to the limit if `overlong`).
    pub bytes: Vec<u8>,
    /// The whole line was longer than the limit; `bytes` holds its beginning.
    pub overlong: bool,
    /// The line's full length in bytes, without the final `\n`.
    pub full_len: u64,
}

/// Splits a byte stream into [`Line`]s.
pub struct LineReader<R> {
    inner: R,
    max: usize,
    number: u64,
    consumed: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max_line_bytes: usize) -> Self {
        LineReader {
            inner,
            max: max_line_bytes.max(1),
            number: 0,
            consumed: 0,
        }
    }

    /// Bytes consumed from the input so far (for progress reporting).
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Reads the next line into `line`, reusing its buffer. Returns `false` at end of input.
    pub fn next_line(&mut self, line: &mut Line) -> io::Result<bool> {
        line.bytes.clear();
        line.overlong = false;
        line.full_len = 0;
        let mut saw_any = false;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                if !saw_any {
                    return Ok(false);
                }
                break;
            }
            saw_any = true;
            let (chunk, found) = match memchr_newline(buf) {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            let room = self.max.saturating_sub(line.bytes.len());
            if chunk.len() > room {
                line.overlong = true;
            }
            line.bytes
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
            line.full_len += chunk.len() as u64;
            let used = chunk.len() + usize::from(found);
            self.inner.consume(used);
            self.consumed += used as u64;
            if found {
                break;
            }
        }
        self.number += 1;
        line.number = self.number;
        Ok(true)
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(u64, Vec<u8>, bool, u64)> {
        // A tiny buffer exercises lines that span many fill_buf calls.
        let mut r = LineReader::new(io::BufReader::with_capacity(3, input), max);
        let mut line = Line::default();
        let mut out = vec![];
        while r.next_line(&mut line).unwrap() {
            out.push((
                line.number,
                line.bytes.clone(),
                line.overlong,
                line.full_len,
            ));
        }
        out
    }

    #[test]
    fn keeps_exact_bytes_including_cr_and_last_line_without_newline() {
        let got = lines(b"a\r\n\nbc\xff\nlast", 100);
        assert_eq!(
            got,
            vec![
                (1, b"a\r".to_vec(), false, 2),
                (2, b"".to_vec(), false, 0),
                (3, b"bc\xff".to_vec(), false, 3),
                (4, b"last".to_vec(), false, 4),
            ]
        );
    }

    #[test]
    fn empty_input_and_trailing_newline_give_no_phantom_line() {
        assert!(lines(b"", 10).is_empty());
        assert_eq!(lines(b"x\n", 10).len(), 1);
    }

    #[test]
    fn overlong_lines_are_truncated_flagged_and_do_not_swallow_the_next() {
        let got = lines(b"0123456789\nok\n", 4);
        assert_eq!(got[0], (1, b"0123".to_vec(), true, 10));
        assert_eq!(got[1], (2, b"ok".to_vec(), false, 2));
    }
}
