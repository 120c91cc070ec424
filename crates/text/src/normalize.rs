//! The base fold shared by every detector: [`fold_char`] on each character
//! (NFKC, width, case, traditional to simplified, confusables), invisible
//! characters removed, with a per-byte map back into the original text.

use crate::fold::{fold_char, CharClass};
use qinglang_model::Span;

/// A normalised text and its map back to the original bytes.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    text: String,
    /// For each byte of `text`, the original byte offset of the character it came from.
    starts: Vec<u32>,
    /// For each byte of `text`, the original byte offset just past that character.
    ends: Vec<u32>,
}

impl Normalized {
    /// Normalises `original`.
    pub fn new(original: &str) -> Self {
        let mut n = Normalized::default();
        n.reset(original);
        n
    }

    /// Normalises `original` into `self`, reusing its buffers.
    pub fn reset(&mut self, original: &str) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        let mut buf = [0u8; 4];
        for (pos, ch) in original.char_indices() {
            let end = (pos + ch.len_utf8()) as u32;
            let pos = pos as u32;
            let folded = fold_char(ch);
            if folded.class == CharClass::Drop {
                continue;
            }
            let s = folded.ch.encode_utf8(&mut buf);
            self.text.push_str(s);
            for _ in 0..s.len() {
                self.starts.push(pos);
                self.ends.push(end);
            }
        }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of the normalised text back to the original text.
    /// `start < end <= self.as_str().len()` is expected; an empty or
    /// out-of-range span maps to an empty span at the nearest valid position.
    pub fn original_span(&self, start: usize, end: usize) -> Span {
        if self.starts.is_empty() {
            return Span::new(0, 0);
        }
        let last = self.starts.len() - 1;
        let s = self.starts[start.min(last)] as usize;
        if end <= start {
            return Span::new(s, s);
        }
        let e = self.ends[(end - 1).min(last)] as usize;
        Span::new(s, e.max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_case_and_maps_back() {
        let original = "买ＡＢＣ赌博";
        let n = Normalized::new(original);
        assert_eq!(n.as_str(), "买abc赌博");
        let at = n.as_str().find("赌博").unwrap();
        let span = n.original_span(at, at + "赌博".len());
        assert_eq!(&original[span.start..span.end], "赌博");
        let at = n.as_str().find("abc").unwrap();
        let span = n.original_span(at, at + 3);
        assert_eq!(&original[span.start..span.end], "ＡＢＣ");
    }

    #[test]
    fn folds_traditional_confusables_and_drops_invisibles() {
        let original = "賭\u{200B}博 fuсk";
        let n = Normalized::new(original);
        assert_eq!(n.as_str(), "赌博 fuck");
        let span = n.original_span(0, "赌博".len());
        assert_eq!(&original[span.start..span.end], "賭\u{200B}博");
    }

    #[test]
    fn empty_and_out_of_range_spans_do_not_panic() {
        let n = Normalized::new("");
        assert_eq!(n.original_span(0, 5), Span::new(0, 0));
        let n = Normalized::new("ab");
        assert_eq!(n.original_span(9, 12), Span::new(1, 2));
        assert_eq!(n.original_span(1, 0), Span::new(1, 1));
    }
}
