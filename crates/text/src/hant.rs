//! Traditional to simplified Chinese, from OpenCC's dictionaries.
//!
//! Data: OpenCC `TSCharacters.txt`, `TSPhrases.txt` and `STCharacters.txt`
//! (Apache-2.0, <https://github.com/BYVoid/OpenCC>), shipped unchanged in
//! `data/opencc/`. The character table takes the first candidate, as OpenCC
//! does when no phrase applies; [`to_simplified`] applies phrases first
//! (longest match) and characters after.

use std::collections::HashMap;
use std::sync::OnceLock;

const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");
const TS_PHRASES: &str = include_str!("../data/opencc/TSPhrases.txt");
const ST_CHARACTERS: &str = include_str!("../data/opencc/STCharacters.txt");

struct Tables {
    chars: HashMap<char, char>,
    phrases: HashMap<Vec<char>, Vec<char>>,
    longest_phrase: usize,
    traditional: HashMap<char, Vec<char>>,
}

fn parse_lines(data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    data.lines().filter_map(|l| {
        let (from, to) = l.split_once('\t')?;
        Some((from.trim(), to.trim()))
    })
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut chars = HashMap::new();
        for (from, to) in parse_lines(TS_CHARACTERS) {
            let (Some(f), Some(t)) = (
                from.chars().next(),
                to.split(' ').next().and_then(|t| t.chars().next()),
            ) else {
                continue;
            };
            chars.insert(f, t);
        }
        let mut phrases = HashMap::new();
        let mut longest_phrase = 0;
        for (from, to) in parse_lines(TS_PHRASES) {
            let f: Vec<char> = from.chars().collect();
            let t: Vec<char> = to.split(' ').next().unwrap_or(to).chars().collect();
            longest_phrase = longest_phrase.max(f.len());
            phrases.insert(f, t);
        }
        let mut traditional = HashMap::new();
        for (from, to) in parse_lines(ST_CHARACTERS) {
            let Some(f) = from.chars().next() else {
                continue;
            };
            let cands: Vec<char> = to.split(' ').filter_map(|t| t.chars().next()).collect();
            traditional.insert(f, cands);
        }
        Tables {
            chars,
            phrases,
            longest_phrase,
            traditional,
        }
    })
}

/// The simplified form of one traditional character, if it has one.
pub fn simplified_char(c: char) -> Option<char> {
    tables().chars.get(&c).copied()
}

/// The traditional forms OpenCC lists for a simplified character (empty if none).
pub fn traditional_chars(c: char) -> &'static [char] {
    tables()
        .traditional
        .get(&c)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Converts traditional Chinese to simplified: phrases first (longest match),
/// then characters. Other text passes through unchanged.
///
/// ```
/// assert_eq!(qinglang_text::to_simplified("賭博網站"), "赌博网站");
/// ```
pub fn to_simplified(s: &str) -> String {
    let t = tables();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        for len in (2..=t.longest_phrase.min(chars.len() - i)).rev() {
            if let Some(to) = t.phrases.get(&chars[i..i + len]) {
                out.extend(to.iter());
                i += len;
                continue 'outer;
            }
        }
        out.push(t.chars.get(&chars[i]).copied().unwrap_or(chars[i]));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_characters_and_phrases() {
        assert_eq!(to_simplified("發票"), "发票");
        assert_eq!(to_simplified("不瞭解"), "不了解");
        assert_eq!(to_simplified("abc 123"), "abc 123");
        assert!(traditional_chars('发').contains(&'發'));
    }
}
