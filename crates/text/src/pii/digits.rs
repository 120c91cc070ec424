//! Digit-run extraction across the evasions people use to hide numbers.
//!
//! A *digit run* is a maximal stretch of digit-like characters (ASCII and
//! full-width digits, circled and other decorated digits, Chinese numerals
//! including 幺 and 两, financial numerals such as 壹贰叁) where neighbouring
//! digits may be separated by up to [`MAX_SEPARATORS`] separator characters
//! (spaces, dashes, dots, slashes, zero-width characters and the like). Each
//! digit keeps the byte range of the character it came from, so any slice of
//! the run maps back to a span of the original text on character boundaries.
//! Digits separated by separators fall into different *groups*; the
//! classifier only cuts runs at group boundaries, never inside a group, which
//! is what keeps order numbers and timestamps from yielding phone numbers.
//!
//! The scanner works on the original text (no normalisation pass) and
//! allocates nothing once its buffers have grown, which keeps it fast on
//! ordinary posts where digits are rare.

use qinglang_model::Span;
use std::ops::Range;
use std::sync::OnceLock;

/// Separator characters allowed in a row between two digits of one run.
pub const MAX_SEPARATORS: usize = 3;

/// The value of a digit-like character, if it is one.
#[inline]
pub fn digit_value(c: char) -> Option<u8> {
    let v = match c {
        '0'..='9' => c as u32 - '0' as u32,
        '０'..='９' => c as u32 - '０' as u32,
        // 洞, 幺, 两, 拐, 勾: the radio and telephone readings of 0, 1, 2, 7, 9.
        '〇' | '零' | '○' | '⓪' | '⁰' | '洞' => 0,
        '一' | '幺' | '壹' | '¹' => 1,
        '二' | '两' | '贰' | '貳' | '²' => 2,
        '三' | '叁' | '參' | '³' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' | '拐' => 7,
        '八' | '捌' => 8,
        '九' | '玖' | '勾' => 9,
        '①'..='⑨' => c as u32 - '①' as u32 + 1,
        '⑴'..='⑼' => c as u32 - '⑴' as u32 + 1,
        '⒈'..='⒐' => c as u32 - '⒈' as u32 + 1,
        '❶'..='❾' => c as u32 - '❶' as u32 + 1,
        '➀'..='➈' => c as u32 - '➀' as u32 + 1,
        '➊'..='➒' => c as u32 - '➊' as u32 + 1,
        '⁴'..='⁹' => c as u32 - '⁴' as u32 + 4,
        '₀'..='₉' => c as u32 - '₀' as u32,
        '\u{1D7CE}'..='\u{1D7FF}' => (c as u32 - 0x1D7CE) % 10,
        _ => return None,
    };
    Some(v as u8)
}

/// Whether `c` may stand between two digits of one run.
#[inline]
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '-'
            | '_'
            | '.'
            | '/'
            | '\\'
            | '|'
            | '*'
            | '~'
            | ')'
            | '·'
            | '\u{a0}'
            | '\u{3000}'
            | '－'
            | '．'
            | '／'
            | '＿'
            | '～'
            | '＊'
            | '）'
            | '—'
            | '–'
            | '‐'
            | '‑'
            | '・'
            | '•'
            | '丨'
    )
}

/// Characters that vanish between digits without making a group boundary:
/// zero-width characters, variation selectors and the keycap mark of emoji
/// digits (1️⃣).
#[inline]
pub fn is_transparent(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'
            ..='\u{200d}'
                | '\u{2060}'
                | '\u{feff}'
                | '\u{fe0e}'
                | '\u{fe0f}'
                | '\u{20e3}'
                | '\u{ad}'
    )
}

/// Whether `c` is the check character X of an identity number.
#[inline]
fn is_check_x(c: char) -> bool {
    matches!(c, 'x' | 'X' | 'Ｘ' | 'ｘ' | '×' | 'Ⅹ' | 'ⅹ')
}

/// One digit run: the digits as ASCII bytes (`b'0'..=b'9'`, or `b'X'` for a
/// trailing identity check character), where each came from, and where each
/// group of unseparated digits begins.
#[derive(Debug, Clone, Default)]
pub struct DigitRun {
    digits: Vec<u8>,
    spans: Vec<(u32, u32)>,
    group_starts: Vec<u32>,
    /// How many digits were not ASCII digits.
    pub non_ascii: u32,
}

impl DigitRun {
    fn clear(&mut self) {
        self.digits.clear();
        self.spans.clear();
        self.group_starts.clear();
        self.non_ascii = 0;
    }

    /// The digits, as ASCII.
    pub fn digits(&self) -> &[u8] {
        &self.digits
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Whether the run has no digits (never true for a run handed out by the scanner).
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// Byte offset in the original text where the run starts.
    pub fn start(&self) -> usize {
        self.spans.first().map_or(0, |s| s.0 as usize)
    }

    /// Byte offset in the original text just past the run.
    pub fn end(&self) -> usize {
        self.spans.last().map_or(0, |s| s.1 as usize)
    }

    /// The digit index ranges of the groups, in order.
    pub fn groups(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.groups_overlapping(0..self.digits.len())
    }

    /// The groups that overlap the digit range `range`, in order. Found by
    /// binary search, so checking every number of a long run stays linear.
    pub fn groups_overlapping(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = Range<usize>> + '_ {
        let n = self.group_starts.len();
        // The first group that ends after range.start is the one before the
        // first group starting after it.
        let first = self
            .group_starts
            .partition_point(|&s| (s as usize) <= range.start)
            .saturating_sub(1);
        let end = self
            .group_starts
            .partition_point(|&s| (s as usize) < range.end.max(range.start + 1));
        (first..end.min(n)).map(move |g| {
            let s = self.group_starts[g] as usize;
            let e = self
                .group_starts
                .get(g + 1)
                .map_or(self.digits.len(), |&e| e as usize);
            s..e
        })
    }

    /// Digit index where group `g` starts (the run length for `g == groups`).
    pub fn group_start(&self, g: usize) -> usize {
        self.group_starts
            .get(g)
            .map_or(self.digits.len(), |&s| s as usize)
    }

    /// Number of groups.
    pub fn group_count(&self) -> usize {
        self.group_starts.len()
    }

    /// The original-text span of the digits `range` (indices into [`Self::digits`]).
    /// An empty or out-of-range request yields an empty span at the run's start.
    pub fn original_span(&self, range: Range<usize>) -> Span {
        if range.start >= range.end || range.end > self.spans.len() {
            return Span::new(self.start(), self.start());
        }
        Span::new(
            self.spans[range.start].0 as usize,
            self.spans[range.end - 1].1 as usize,
        )
    }

    /// Whether every digit of `range` is an ASCII digit (or the X check character).
    pub fn is_plain_ascii(&self, range: Range<usize>, text: &str) -> bool {
        let sp = self.original_span(range.clone());
        let len = range.end.saturating_sub(range.start);
        text.get(sp.start..sp.end)
            .is_some_and(|s| s.len() == len && s.bytes().all(|b| b.is_ascii_alphanumeric()))
    }
}

/// One bit per Basic Multilingual Plane code point: set for the digit-like
/// characters, so that the scan can skip an ordinary Chinese character with
/// one table load instead of a full match.
fn bmp_digit_table() -> &'static [u64; 1024] {
    static TABLE: OnceLock<Box<[u64; 1024]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u64; 1024]);
        for cp in 0x80u32..0x10000 {
            if char::from_u32(cp).and_then(digit_value).is_some() {
                t[(cp >> 6) as usize] |= 1 << (cp & 63);
            }
        }
        t
    })
}

/// Decodes the character starting at byte `i` of `bytes` (which must be a
/// char boundary of a valid UTF-8 string) and returns it with its length.
#[inline]
fn decode_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b0 = bytes[i] as u32;
    let (cp, len) = if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12)
                | ((bytes[i + 1] as u32 & 0x3F) << 6)
                | (bytes[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((bytes[i + 1] as u32 & 0x3F) << 12)
                | ((bytes[i + 2] as u32 & 0x3F) << 6)
                | (bytes[i + 3] as u32 & 0x3F),
            4,
        )
    };
    (char::from_u32(cp).unwrap_or('\u{fffd}'), len)
}

/// Finds the digit runs of a text one after another, reusing one buffer.
///
/// ```
/// use qinglang_text::pii::DigitRuns;
/// let text = "电话：幺三八 1234 ５６７８，谢谢";
/// let mut runs = DigitRuns::new(text, 5);
/// let run = runs.next_run().unwrap();
/// assert_eq!(run.digits(), b"13812345678");
/// let span = run.original_span(0..run.len());
/// assert_eq!(&text[span.start..span.end], "幺三八 1234 ５６７８");
/// assert!(runs.next_run().is_none());
/// ```
pub struct DigitRuns<'t> {
    text: &'t str,
    pos: usize,
    min_digits: usize,
    run: DigitRun,
}

impl<'t> DigitRuns<'t> {
    /// A scanner over `text` that hands out runs of at least `min_digits` digits.
    pub fn new(text: &'t str, min_digits: usize) -> Self {
        DigitRuns {
            text,
            pos: 0,
            min_digits: min_digits.max(1),
            run: DigitRun::default(),
        }
    }

    /// Restarts the scanner on another text, keeping its buffer.
    pub fn reset(&mut self, text: &'t str) {
        self.text = text;
        self.pos = 0;
    }

    /// The next run, or `None` at the end of the text.
    pub fn next_run(&mut self) -> Option<&DigitRun> {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        let table = bmp_digit_table();
        loop {
            // Skip to the next digit-like character. ASCII non-digits are
            // the common case in mixed text and are skipped byte by byte;
            // everything else is decoded once.
            let mut i = self.pos;
            let mut first = None;
            while i < n {
                let b = bytes[i];
                if b < 0x80 {
                    if b.is_ascii_digit() {
                        first = Some((b - b'0', 1));
                        break;
                    }
                    i += 1;
                    continue;
                }
                if (0xE0..0xF0).contains(&b) && i + 2 < n {
                    // Three-byte characters (all of CJK): test the bitmap first.
                    let cp = ((b as u32 & 0x0F) << 12)
                        | ((bytes[i + 1] as u32 & 0x3F) << 6)
                        | (bytes[i + 2] as u32 & 0x3F);
                    if table[(cp >> 6) as usize] & (1 << (cp & 63)) == 0 {
                        i += 3;
                        continue;
                    }
                }
                let (c, len) = decode_at(bytes, i);
                if let Some(v) = digit_value(c) {
                    first = Some((v, len));
                    break;
                }
                i += len;
            }
            let (v, len) = first?;
            self.run.clear();
            self.push(v, i, len, true);
            i += len;
            let mut seps = 0usize;
            while i < n {
                let (c, len) = decode_at(bytes, i);
                if let Some(v) = digit_value(c) {
                    let new_group = seps > 0;
                    self.push(v, i, len, new_group);
                    seps = 0;
                } else if is_transparent(c) {
                    // Neither a digit nor a boundary.
                } else if is_separator(c) {
                    seps += 1;
                    if seps > MAX_SEPARATORS {
                        break;
                    }
                } else if is_check_x(c) && self.run.digits.len() >= 14 {
                    // An identity number's check character ends the run,
                    // unless the X is the start of a longer word.
                    let next = bytes.get(i + len).copied().unwrap_or(b' ');
                    if !next.is_ascii_alphanumeric() {
                        self.push(b'X' - b'0', i, len, seps > 0);
                        i += len;
                    }
                    break;
                } else {
                    break;
                }
                i += len;
            }
            self.pos = i;
            if self.run.digits.len() >= self.min_digits {
                return Some(&self.run);
            }
        }
    }

    fn push(&mut self, value: u8, at: usize, len: usize, new_group: bool) {
        if new_group {
            self.run.group_starts.push(self.run.digits.len() as u32);
        }
        if len > 1 {
            self.run.non_ascii += 1;
        }
        self.run.digits.push(b'0' + value);
        self.run.spans.push((at as u32, (at + len) as u32));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut r = DigitRuns::new(text, 1);
        while let Some(run) = r.next_run() {
            out.push((
                String::from_utf8(run.digits().to_vec()).unwrap(),
                run.group_count(),
            ));
        }
        out
    }

    #[test]
    fn every_evasion_form_yields_the_same_digits() {
        for text in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "1.3.8.1.2.3.4.5.6.7.8",
            "１３８１２３４５６７８",
            "一三八一二三四五六七八",
            "幺三八幺二三四五六七八",
            "壹叁捌壹贰叁肆伍陆柒捌",
            "①③⑧①②③④⑤⑥⑦⑧",
            "1三8 一2３4 5六7８",
            "138\u{200b}1234\u{200b}5678",
            "138 - 1234 - 5678",
            "1\u{fe0f}\u{20e3}3\u{fe0f}\u{20e3}8\u{fe0f}\u{20e3}1\u{fe0f}\u{20e3}2\u{fe0f}\u{20e3}3\u{fe0f}\u{20e3}4\u{fe0f}\u{20e3}5\u{fe0f}\u{20e3}6\u{fe0f}\u{20e3}7\u{fe0f}\u{20e3}8\u{fe0f}\u{20e3}",
        ] {
            let got = runs(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            let d = &got[0].0;
            assert!(d == "13812345678", "{text}: {d}");
        }
    }

    #[test]
    fn groups_split_at_separators_and_runs_end_at_other_text() {
        assert_eq!(runs("138 1234 5678"), vec![("13812345678".into(), 3)]);
        assert_eq!(
            runs("共12元，电话13800000000。"),
            vec![("12".into(), 1), ("13800000000".into(), 1)]
        );
        // Too many separators end the run.
        assert_eq!(runs("12    34").len(), 2);
    }

    #[test]
    fn check_x_only_after_enough_digits_and_not_inside_words() {
        assert_eq!(runs("11010519491231002X号")[0].0, "11010519491231002X");
        assert_eq!(runs("11010519491231002xyz")[0].0, "11010519491231002");
        assert_eq!(runs("12x")[0].0, "12");
    }

    #[test]
    fn spans_map_back_to_the_original_characters() {
        let text = "号码：１３８-幺二三四-5678！";
        let mut r = DigitRuns::new(text, 5);
        let run = r.next_run().unwrap();
        let sp = run.original_span(3..7);
        assert_eq!(&text[sp.start..sp.end], "幺二三四");
        let sp = run.original_span(0..11);
        assert_eq!(&text[sp.start..sp.end], "１３８-幺二三四-5678");
        assert_eq!(
            run.original_span(Range { start: 5, end: 2 }),
            Span::new(run.start(), run.start())
        );
    }
}
