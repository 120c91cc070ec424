//! Toneless pinyin readings of Han characters, as small integer syllable ids.
//!
//! Readings come from the `pinyin` crate (MIT; data from pinyin-data, MIT).
//! Every reading is toneless and ASCII: `ü` is written `v` (as typed on
//! keyboards: `lv` for 绿). Syllables are interned once into ids
//! `1..=syllable_count()` so matchers can run an automaton over them; id 0 is
//! never used. Invariant: every id names a non-empty lower-case ASCII string.

use pinyin::{ToPinyin, ToPinyinMulti};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A toneless pinyin syllable, interned (`1..=syllable_count()`).
pub type SyllableId = u16;

struct Syllables {
    names: Vec<String>,
    ids: HashMap<String, SyllableId>,
    /// The spellings as a letter trie: per node, the child for each of
    /// `a..=z` (0: none; node 0 is the root) and the syllable the node
    /// spells (0: none).
    trie: Vec<([u16; 26], SyllableId)>,
}

/// The letter trie of `names` (index = syllable id; index 0 unused).
fn letter_trie(names: &[String]) -> Vec<([u16; 26], SyllableId)> {
    let mut trie = vec![([0u16; 26], 0)];
    for (id, name) in names.iter().enumerate().skip(1) {
        let mut node = 0usize;
        for b in name.bytes() {
            let l = usize::from(b - b'a');
            if trie[node].0[l] == 0 {
                trie[node].0[l] = trie.len() as u16;
                trie.push(([0; 26], 0));
            }
            node = usize::from(trie[node].0[l]);
        }
        trie[node].1 = id as SyllableId;
    }
    trie
}

fn toneless(plain: &str) -> String {
    plain.replace('ü', "v")
}

fn han_ranges() -> impl Iterator<Item = char> {
    (0x3400u32..=0x4DBF)
        .chain(0x4E00..=0x9FFF)
        .filter_map(char::from_u32)
}

fn syllables() -> &'static Syllables {
    static S: OnceLock<Syllables> = OnceLock::new();
    S.get_or_init(|| {
        let mut names = vec![String::new()];
        let mut ids = HashMap::new();
        for c in han_ranges() {
            if let Some(multi) = c.to_pinyin_multi() {
                for p in multi {
                    let s = toneless(p.plain());
                    let letters = !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
                    if letters && !ids.contains_key(&s) {
                        ids.insert(s.clone(), names.len() as SyllableId);
                        names.push(s);
                    }
                }
            }
        }
        let trie = letter_trie(&names);
        Syllables { names, ids, trie }
    })
}

/// The number of distinct toneless syllables (ids run from 1 to this).
pub fn syllable_count() -> usize {
    syllables().names.len() - 1
}

/// The id of a toneless syllable spelled in lower-case ASCII (`"du"`).
pub fn syllable_id(s: &str) -> Option<SyllableId> {
    syllables().ids.get(s).copied()
}

/// The spelling of a syllable id (empty for an unknown id).
pub fn syllable_str(id: SyllableId) -> &'static str {
    syllables()
        .names
        .get(id as usize)
        .map(String::as_str)
        .unwrap_or("")
}

/// The most common toneless reading of a Han character (`'赌'` -> `"du"`).
pub fn pinyin_of(c: char) -> Option<&'static str> {
    let p = c.to_pinyin()?;
    syllable_id(&toneless(p.plain())).map(syllable_str)
}

/// The syllable id of [`pinyin_of`].
pub fn syllable_of(c: char) -> Option<SyllableId> {
    let p = c.to_pinyin()?;
    syllable_id(&toneless(p.plain()))
}

/// Every toneless reading of a character (heteronyms), most common first, without repeats.
pub fn pinyin_readings(c: char) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            if let Some(id) = syllable_id(&toneless(p.plain())) {
                let s = syllable_str(id);
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// The common heteronyms list (`data/heteronyms.txt`): character to the
/// readings it has in everyday use.
fn heteronyms() -> &'static HashMap<char, Vec<&'static str>> {
    static H: OnceLock<HashMap<char, Vec<&'static str>>> = OnceLock::new();
    H.get_or_init(|| {
        let mut map: HashMap<char, Vec<&'static str>> = HashMap::new();
        for line in include_str!("../data/heteronyms.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(c) = parts.next().and_then(|p| p.chars().next()) else {
                continue;
            };
            let readings = map.entry(c).or_default();
            for r in parts {
                if !readings.contains(&r) {
                    readings.push(r);
                }
            }
        }
        map
    })
}

/// The readings of a character that people say today, most common first:
/// its most common reading, then those of the others in [`pinyin_readings`]
/// that the common heteronyms list names for it. A character outside that
/// list has one reading. Lexicons expand terms over these, so that 银行 is
/// also indexed as `yin hang` but 是 is not indexed as the classical `ti`.
pub fn everyday_readings(c: char) -> Vec<&'static str> {
    let all = pinyin_readings(c);
    let Some(listed) = heteronyms().get(&c) else {
        return all.into_iter().take(1).collect();
    };
    all.iter()
        .enumerate()
        .filter(|&(k, r)| k == 0 || listed.contains(r))
        .map(|(_, &r)| r)
        .collect()
}

/// Splits a run of lower-case ASCII letters into pinyin syllables, with as
/// few syllables as possible (ties go to the longer first syllable), or
/// `None` when the run is not entirely pinyin. `"dubo"` -> `[du, bo]`.
pub fn segment_pinyin(letters: &str) -> Option<Vec<SyllableId>> {
    let s = syllables();
    let b = letters.as_bytes();
    let n = b.len();
    if n == 0 || n > 64 || !letters.bytes().all(|x| x.is_ascii_lowercase()) {
        return None;
    }
    // best[i]: (syllable count, syllable id, previous index) for prefix of length i.
    let mut best: [Option<(u16, SyllableId, usize)>; 65] = [None; 65];
    best[0] = Some((0, 0, 0));
    for i in 0..n {
        let Some((count, _, _)) = best[i] else {
            continue;
        };
        // Every syllable spelled from `i` on, by walking the letter trie.
        let mut node = 0usize;
        for (j, &letter) in b.iter().enumerate().skip(i) {
            node = usize::from(s.trie[node].0[usize::from(letter - b'a')]);
            if node == 0 {
                break;
            }
            let id = s.trie[node].1;
            if id != 0 {
                let cand = (count + 1, id, i);
                match best[j + 1] {
                    Some((c, _, _)) if c <= cand.0 => {}
                    _ => best[j + 1] = Some(cand),
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut at = n;
    while at > 0 {
        let (_, id, prev) = best[at]?;
        out.push(id);
        at = prev;
    }
    out.reverse();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_segments_pinyin() {
        assert_eq!(pinyin_of('赌'), Some("du"));
        assert_eq!(pinyin_of('堵'), Some("du"));
        assert_eq!(pinyin_of('绿'), Some("lv"));
        assert!(pinyin_readings('重').contains(&"chong"));
        assert!(pinyin_readings('重').contains(&"zhong"));
        assert_eq!(everyday_readings('重'), ["zhong", "chong"]);
        assert_eq!(everyday_readings('行'), ["xing", "hang"]);
        assert_eq!(everyday_readings('是'), ["shi"]);
        assert!(pinyin_readings('是').len() > 1);
        assert_eq!(everyday_readings('赌'), ["du"]);
        assert!(everyday_readings('a').is_empty());
        let ids = |s: &[&str]| {
            s.iter()
                .map(|x| syllable_id(x).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(segment_pinyin("dubo"), Some(ids(&["du", "bo"])));
        assert_eq!(segment_pinyin("zhongguo"), Some(ids(&["zhong", "guo"])));
        assert_eq!(segment_pinyin("the"), None);
        assert!(
            syllable_count() > 380 && syllable_count() < 450,
            "{}",
            syllable_count()
        );
    }
}
