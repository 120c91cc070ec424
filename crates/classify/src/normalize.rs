//! A fast path to the shared normalised form for prediction-heavy callers.
//!
//! [`normalize_into`] produces exactly the string `qinglang_text::Normalized`
//! produces (per-character NFKC, then lower case), without the offset map,
//! and skips the Unicode tables for the characters that dominate Chinese
//! social-media text: ASCII, CJK Unified Ideographs (NFKC-stable, caseless)
//! and full-width ASCII forms (NFKC maps U+FF01..U+FF5E to U+0021..U+007E).
//! Every other character takes the general path. A test checks equality
//! with `Normalized` over whole Unicode blocks.

use unicode_normalization::UnicodeNormalization;

/// Writes the normalised form of `original` into `out` (cleared first).
pub fn normalize_into(original: &str, out: &mut String) {
    out.clear();
    out.reserve(original.len());
    for c in original.chars() {
        let code = u32::from(c);
        if code < 0x80 {
            out.push(c.to_ascii_lowercase());
        } else if (0x4e00..=0x9fff).contains(&code) {
            out.push(c);
        } else if (0xff01..=0xff5e).contains(&code) {
            let ascii = char::from_u32(code - 0xfee0).unwrap_or(c);
            out.push(ascii.to_ascii_lowercase());
        } else {
            out.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase));
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
