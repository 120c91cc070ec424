//! The shared normalised form without the offset map.
//!
//! [`normalize_into`] produces exactly the string `qinglang_text::Normalized`
//! produces (the table-driven [`fold_char`] on each character: NFKC, width,
//! case, traditional to simplified, confusables; invisible characters
//! dropped), for prediction-heavy callers that need no spans. A test checks
//! equality with `Normalized` over whole Unicode blocks. Models are trained
//! on this form, so training and every prediction path see the same text.

use qinglang_text::{fold_char, CharClass};

/// Writes the normalised form of `original` into `out` (cleared first).
pub fn normalize_into(original: &str, out: &mut String) {
    out.clear();
    out.reserve(original.len());
    for c in original.chars() {
        let f = fold_char(c);
        if f.class != CharClass::Drop {
            out.push(f.ch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qinglang_text::Normalized;

    #[test]
    fn matches_the_shared_normaliser() {
        let mut sample = String::new();
        for range in [
            0x20u32..0x3000,
            0x3000..0x3100,
            0x4dff..0x4f00,
            0x9f00..0xa100,
            0xf900..0xfb00,
            0xfe00..0x10000,
            0x1d400..0x1d500,
        ] {
            sample.extend(range.filter_map(char::from_u32));
        }
        sample.push_str("ＡＢＣ，你好！Hello WORLD ｈｔｔｐ：／／ｘ ① ㈱ ﬁ");
        let mut fast = String::new();
        normalize_into(&sample, &mut fast);
        assert_eq!(fast, Normalized::new(&sample).as_str());
    }
}
