//! Pinyin, mixed pinyin/Han and homophone matching.
//!
//! Every Han character reads as its most common toneless syllable (folded
//! first, so 賭 reads as 赌); terms expand the everyday readings of common
//! heteronyms (行 xing and hang) on the lexicon side. Homophones of Han text
//! are found by the main stream in syllable mode
//! ([`Lexicon::check_homophone`] checks its candidates). Latin letters need a
//! second reading: a run of them (after folding, so `ＤＵ` and `Du` count)
//! contributes its syllables when the whole run splits into pinyin
//! (`dubo` -> du bo), and nothing otherwise. That syllable stream reads only
//! a window of the text ([`Lexicon::pinyin_window`]): from the first Latin
//! letter (or doubled Han character, see [`PinyinPattern::DOUBLE`]) to the
//! last, widened by the longest pinyin pattern less one syllable on each
//! side, so every match it can add lies inside. It reports only matches
//! that use Latin syllables, or all-Han ones of readings with a doubled
//! syllable.
//! Noise between syllables is skipped within the rule's limit; a tone
//! number right after a syllable's letters (`du3bo2`) is skipped too;
//! boundaries, other digits and other characters reset the stream.
//!
//! A match made only of the term's own characters is the exact pattern's
//! business and is dropped here. Homophone-only matches of two-character
//! terms keep at least one original character unless the rule says
//! otherwise: two syllables alone collide too often in clean text.
//! A homophone-only match that reads as ordinary language (every
//! substitute forms common character pairs with its neighbours, see
//! [`crate::bigrams`]) of a term of two or three characters is dropped
//! unless characters were skipped inside it (noise, zero-width): 小气 is not
//! 笑气, 小*气 and 堵博 are evasions.
//! Initials (`dbwz`) match only a whole Latin run, only for rules that ask
//! for them and only for terms of three or more characters.

use crate::bigrams::is_common_bigram;
use crate::compile::{Lexicon, PinyinPattern, CLASS_MASK, SYL_MASK, SYL_SHIFT, SYM_SHIFT};
use crate::matches::{Evasions, Match};
use crate::scan::{char_evasions, Cell, MainStream, Scratch, RING};
use crate::syllables::{push_history, History};
use crate::units::each_unit;
use qinglang_text::{fold_char, segment_pinyin, syllable_str, CharClass};
use std::ops::Range;

const M: usize = RING - 1;
/// Marks a syllable read from Latin letters.
const LATIN: u32 = u32::MAX;

/// The folded character starting at byte `at` of `text`.
fn folded_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next().map(|c| fold_char(c).ch)
}

/// The folded character ending at byte `at` of `text`.
fn folded_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back().map(|c| fold_char(c).ch)
}

/// Does a homophone-only match read as ordinary language? It does when
/// every substituted character forms a common pair ([`is_common_bigram`])
/// with each of its neighbours inside the match (时时才 for 时时彩: 时才 is
/// common; 甲基本丙胺: 本丙 is not). For two-character terms a common pair
/// with the text's character right outside the match also explains the
/// substitute (出兵 in 派出兵力 for 出冰): two characters alone say too
/// little. `chars` are the match's folded characters, `substituted` marks
/// those that differ from the term's, `around` gives the text's characters
/// before and after the match (asked only for two-character matches).
fn chance_homophone(
    chars: &[char],
    substituted: impl Fn(usize) -> bool,
    around: impl FnOnce() -> (Option<char>, Option<char>),
) -> bool {
    let len = chars.len();
    let common = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => is_common_bigram(a, b),
        _ => false,
    };
    let at = |k: usize| chars.get(k).copied();
    let (before, after) = if len == 2 { around() } else { (None, None) };
    (0..len).filter(|&k| substituted(k)).all(|k| {
        let c = at(k);
        let inside = (k == 0 || common(at(k - 1), c)) && (k + 1 == len || common(c, at(k + 1)));
        let outside = len == 2
            && if k == 0 {
                common(before, c)
            } else {
                common(c, after)
            };
        inside || outside
    })
}

/// A tone number right after pinyin letters (`du3bo2`), given the
/// character's class in the lexicon's table.
fn is_tone_number(class: u32, ch: char) -> bool {
    class == CharClass::Digit as u32 && matches!(fold_char(ch).ch, '1'..='5')
}

/// The syllable stream's memory of recent syllables.
struct Stream {
    /// Syllables read, and how many of the latest since the last reset.
    n: usize,
    run: usize,
    history: History,
    noise: u16,
}

impl Stream {
    fn reset(&mut self) {
        self.run = 0;
        self.history = 0;
        self.noise = 0;
    }

    /// Remembers syllable `syl` spelled by `han` (or [`LATIN`]) at `cell`.
    fn push(&mut self, sc: &mut Scratch, syl: u32, han: u32, cell: Cell) {
        sc.ring[self.n & M] = cell;
        sc.syms[self.n & M] = han;
        sc.syls[self.n & M] = syl;
        self.n += 1;
        self.run += 1;
        self.history = push_history(self.history, syl);
        self.noise = 0;
    }
}

impl Lexicon {
    /// The part of `text` the syllable stream must read to see every match
    /// that holds a Latin syllable, given the bytes from the first Latin
    /// letter to the end of the last: from as many syllables before as the
    /// longest pinyin pattern has, less one, to as many after, or to where
    /// the stream would have been reset anyway.
    pub(crate) fn pinyin_window(&self, text: &str, latin: Range<usize>) -> Range<usize> {
        let reach = self.pinyin_longest.saturating_sub(1);
        // Does `ch` end the search (Some(true): it resets the stream;
        // Some(false): it is a syllable), or is it skipped (None)?
        let step = |ch: char| -> Option<bool> {
            let e = self.entry(ch);
            match e & CLASS_MASK {
                c if c == CharClass::Noise as u32 || c == CharClass::Drop as u32 => None,
                c if c == CharClass::Latin as u32 => Some(false),
                c if c == CharClass::Han as u32 => Some((e >> SYL_SHIFT) & SYL_MASK == 0),
                _ => Some(true),
            }
        };
        let mut start = latin.start;
        let mut seen = 0usize;
        for (pos, ch) in text[..latin.start].char_indices().rev() {
            match step(ch) {
                Some(true) => break,
                Some(false) if seen >= reach => break,
                Some(false) => seen += 1,
                None => {}
            }
            start = pos;
        }
        let mut end = latin.end;
        seen = 0;
        // Only invisibles since the last letter: a digit here is a tone.
        let mut right_after = true;
        for (pos, ch) in text[latin.end..].char_indices() {
            let class = self.entry(ch) & CLASS_MASK;
            if right_after && is_tone_number(class, ch) {
                end = latin.end + pos + ch.len_utf8();
                right_after = false;
                continue;
            }
            right_after &= class == CharClass::Drop as u32;
            match step(ch) {
                Some(true) => break,
                Some(false) if seen >= reach => break,
                Some(false) => seen += 1,
                None => {}
            }
            end = latin.end + pos + ch.len_utf8();
        }
        start..end
    }

    /// The syllable stream over `window` of `text` (see the module notes).
    pub(crate) fn scan_pinyin(
        &self,
        text: &str,
        window: Range<usize>,
        sc: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let mut st = Stream {
            n: 0,
            run: 0,
            history: 0,
            noise: 0,
        };
        sc.latin.clear();
        let from = window.start;
        for (rel, ch) in text[window].char_indices() {
            let pos = from + rel;
            let e = self.entry(ch);
            let class = e & CLASS_MASK;
            let end = pos + ch.len_utf8();
            if class == CharClass::Latin as u32 {
                let l = fold_char(ch).ch;
                sc.latin.push((l as u8, pos as u32, end as u32));
                continue;
            }
            if class == CharClass::Drop as u32 {
                continue;
            }
            if !sc.latin.is_empty() {
                self.feed_latin(text, sc, &mut st, out);
                if is_tone_number(class, ch) {
                    // `du3bo2`: the tone ends the syllables before it.
                    continue;
                }
            }
            if class == CharClass::Han as u32 {
                let syl = (e >> SYL_SHIFT) & SYL_MASK;
                if syl == 0 {
                    st.reset();
                    continue;
                }
                // Hot path: Han characters, inlined; matches are checked out of line.
                let cell = Cell {
                    start: pos as u32,
                    end: end as u32,
                    noise: st.noise,
                };
                st.push(sc, syl, e >> SYM_SHIFT, cell);
                if self.syllables.may_end(st.history) {
                    self.check_pinyin(text, sc, &st, out);
                }
            } else if class == CharClass::Noise as u32 {
                st.noise = st.noise.saturating_add(1);
            } else {
                st.reset();
            }
        }
        if !sc.latin.is_empty() {
            self.feed_latin(text, sc, &mut st, out);
        }
    }

    fn feed_latin(&self, text: &str, sc: &mut Scratch, st: &mut Stream, out: &mut Vec<Match>) {
        let mut letters = std::mem::take(&mut sc.letters);
        letters.clear();
        letters.extend(sc.latin.iter().map(|x| x.0 as char));
        let (run_start, run_end) = (sc.latin[0].1, sc.latin[sc.latin.len() - 1].2);
        if let Some(list) = self.initials.get(&letters) {
            for &(rule, term) in list {
                let ev = Evasions(
                    Evasions::INITIALS
                        | char_evasions(&text[run_start as usize..run_end as usize]).0,
                );
                out.push(Match {
                    rule: rule as usize,
                    term: term as usize,
                    start: run_start as usize,
                    end: run_end as usize,
                    evasions: ev,
                    confidence: ev.confidence(),
                });
            }
        }
        let syllables = segment_pinyin(&letters);
        sc.letters = letters;
        match syllables {
            Some(syls) if !self.pinyin_patterns.is_empty() => {
                let mut at = 0usize;
                let latin = std::mem::take(&mut sc.latin);
                for s in syls {
                    let len = syllable_str(s).len();
                    let (start, end) = (latin[at].1, latin[at + len - 1].2);
                    at += len;
                    self.push_syllable(text, sc, st, u32::from(s), LATIN, start, end, out);
                }
                sc.latin = latin;
            }
            _ => st.reset(),
        }
        sc.latin.clear();
    }

    #[allow(clippy::too_many_arguments)]
    fn push_syllable(
        &self,
        text: &str,
        sc: &mut Scratch,
        st: &mut Stream,
        syl: u32,
        han: u32,
        start: u32,
        end: u32,
        out: &mut Vec<Match>,
    ) {
        let cell = Cell {
            start,
            end,
            noise: st.noise,
        };
        st.push(sc, syl, han, cell);
        if self.syllables.may_end(st.history) {
            self.check_pinyin(text, sc, st, out);
        }
    }

    /// Checks the pinyin patterns ending at the latest syllable of the
    /// syllable stream, for matches that read Latin letters as pinyin.
    #[inline(never)]
    fn check_pinyin(&self, text: &str, sc: &Scratch, st: &Stream, out: &mut Vec<Match>) {
        let latest = st.n.wrapping_sub(1);
        let run = st.run.min(RING - 1);
        self.syllables.each_ending(
            run,
            |k| sc.syls[latest.wrapping_sub(k) & M],
            |q| {
                self.check_pinyin_pattern(text, sc, st, q as usize, out);
            },
        );
    }

    /// Checks pinyin pattern `q`, whose syllables are the latest ones of the
    /// syllable stream (see [`Lexicon::check_pinyin`]).
    fn check_pinyin_pattern(
        &self,
        text: &str,
        sc: &Scratch,
        st: &Stream,
        q: usize,
        out: &mut Vec<Match>,
    ) {
        let Some(pat) = self.pinyin_patterns.get(q) else {
            return;
        };
        let len = usize::from(pat.len);
        if len > st.n || len >= RING {
            return;
        }
        let first = st.n - len;
        let cell = |k: usize| sc.ring[(first + k) & M];
        if (1..len).any(|k| cell(k).noise > u16::from(pat.max_noise)) {
            return;
        }
        let syms = &self.pinyin_syms[pat.at as usize..pat.at as usize + len];
        let (mut latin, mut homophone) = (0, 0);
        for (k, &want) in syms.iter().enumerate() {
            match sc.syms[(first + k) & M] {
                LATIN => latin += 1,
                s if s == want => {}
                _ => homophone += 1,
            }
        }
        // An alternative split of a spelling is for Latin text, with
        // only the term's own characters around it (甲基苯bingan).
        if pat.has(PinyinPattern::LATIN_ONLY) && (latin == 0 || homophone > 0) {
            return;
        }
        let (s, e) = (cell(0).start as usize, cell(len - 1).end as usize);
        if latin == 0 {
            // All-Han matches are the main stream's, except those of a
            // reading with a doubled syllable, which it cannot follow
            // where the text doubles a character; they pass its checks.
            let same = len - homophone;
            if !pat.has(PinyinPattern::DOUBLE)
                || homophone == 0
                || !pat.has(PinyinPattern::HOMOPHONES)
                || (pat.has(PinyinPattern::KEEP_ONE) && len == 2 && same == 0)
            {
                return;
            }
            let skipped = (1..len).any(|k| cell(k).start != cell(k - 1).end);
            if !skipped && len < 4 {
                let chars: Vec<char> = (0..len)
                    .map(|k| folded_at(text, cell(k).start as usize).unwrap_or('\0'))
                    .collect();
                let substituted = |k: usize| sc.syms[(first + k) & M] != syms[k];
                if chance_homophone(&chars, substituted, || {
                    (folded_before(text, s), folded_at(text, e))
                }) {
                    return;
                }
            }
        }
        let mut bits = char_evasions(&text[s..e]).0;
        if latin > 0 {
            // This stream reads no leet: a digit here is a tone (`du3bo`),
            // a symbol is noise (`du@bo`).
            if bits & Evasions::LEET != 0 {
                bits &= !Evasions::LEET;
                if text[s..e]
                    .chars()
                    .any(|c| fold_char(c).class == CharClass::Noise)
                {
                    bits |= Evasions::NOISE;
                }
            }
            bits |= Evasions::PINYIN;
        }
        if homophone > 0 {
            bits |= Evasions::HOMOPHONE;
        }
        let ev = Evasions(bits);
        out.push(Match {
            rule: pat.rule as usize,
            term: pat.term as usize,
            start: s,
            end: e,
            evasions: ev,
            confidence: ev.confidence(),
        });
    }

    /// The checks of a homophone candidate that the latest symbols settle
    /// at once, before [`Lexicon::check_homophone`] waits for the latest
    /// symbol's run to end: the rule allows homophones and pattern `q` is
    /// no Latin-only split, some character is not the term's own (else the
    /// automaton's exact match has it), and a two-character term keeps one
    /// of its own where the rule says so.
    #[inline]
    pub(crate) fn homophone_may_hold(&self, m: &MainStream, q: usize) -> bool {
        let Some(pat) = self.pinyin_patterns.get(q) else {
            return false;
        };
        let len = usize::from(pat.len);
        if !pat.has(PinyinPattern::HOMOPHONES)
            || pat.has(PinyinPattern::LATIN_ONLY)
            || len > m.n
            || len >= RING
        {
            return false;
        }
        let Some(syms) = self.pinyin_syms.get(pat.at as usize..pat.at as usize + len) else {
            return false;
        };
        let first = m.n - len;
        let swapped = (0..len)
            .filter(|&k| m.ids[(first + k) & M] != syms[k])
            .count();
        swapped > 0 && !(pat.has(PinyinPattern::KEEP_ONE) && len == 2 && swapped == len)
    }

    /// Checks pinyin pattern `q`, a candidate of the main stream in syllable
    /// mode that passed [`Lexicon::homophone_may_hold`]: the latest symbols
    /// read as its syllables and some characters are not the term's.
    /// Reports it when the rule's limits hold and it does not read as
    /// ordinary language.
    #[inline(never)]
    pub(crate) fn check_homophone(
        &self,
        text: &str,
        m: &MainStream,
        q: usize,
        out: &mut Vec<Match>,
    ) {
        let Some(pat) = self.pinyin_patterns.get(q) else {
            return;
        };
        let len = usize::from(pat.len);
        if len > m.n || len >= RING {
            return;
        }
        let Some(syms) = self.pinyin_syms.get(pat.at as usize..pat.at as usize + len) else {
            return;
        };
        let first = m.n - len;
        let substituted = |k: usize| m.ids[(first + k) & M] != syms[k];
        let (start, end) = (m.starts[first & M] as usize, m.last_end as usize);
        let span = &text[start..end];
        // The match's characters matter only to the common-pair check,
        // which looks at matches of fewer than four.
        let mut chars = ['\0'; 4];
        let mut n = 0usize;
        let (mut skipped, mut repeat) = (false, false);
        if len < 64 && m.anomalies & ((1u64 << len) - 1) == 0 {
            // Read plainly: each symbol one unfolded character, nothing in between.
            for (k, c) in chars.iter_mut().enumerate().take(len) {
                let id = m.ids[(first + k) & M] as usize;
                *c = self.chars.get(id).copied().unwrap_or('\0');
            }
            n = len;
        } else {
            // Re-read the span: its runs of one character, the noise before
            // each, and whether anything was skipped inside it.
            let mut noise = 0u16;
            let mut prev_end = None;
            let mut last = None;
            for u in each_unit(span) {
                if prev_end.is_some_and(|e| e != u.start) {
                    skipped = true;
                }
                prev_end = Some(u.end);
                match u.class {
                    CharClass::Noise | CharClass::Boundary => {
                        noise = noise.saturating_add(1);
                        skipped = true;
                    }
                    _ if last == Some(u.ch) => repeat = true,
                    _ => {
                        if n > 0 && noise > u16::from(pat.max_noise) {
                            return;
                        }
                        if let Some(c) = chars.get_mut(n) {
                            *c = u.ch;
                        }
                        n += 1;
                        last = Some(u.ch);
                        noise = 0;
                    }
                }
            }
        }
        if n != len {
            return;
        }
        // Characters skipped inside the match (noise, zero-width) show
        // intent; without them a homophone must not read as ordinary text.
        // Four or more characters in order, one of them only sounding
        // right, are evidence enough (百分之百有小 for 百分之百有效).
        if !skipped
            && len < 4
            && chance_homophone(&chars[..len], substituted, || {
                (folded_before(text, start), folded_at(text, end))
            })
        {
            return;
        }
        let mut bits = char_evasions(span).0 | Evasions::HOMOPHONE;
        if repeat {
            bits |= Evasions::REPEAT;
        }
        let ev = Evasions(bits);
        out.push(Match {
            rule: pat.rule as usize,
            term: pat.term as usize,
            start,
            end,
            evasions: ev,
            confidence: ev.confidence(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::scan::Scratch;
    use crate::{parse_rules, CompileOptions, Lexicon, Match};
    use qinglang_text::{fold_char, CharClass};

    fn found(lex: &Lexicon, text: &str) -> Vec<String> {
        lex.find(text)
            .iter()
            .map(|m| text[m.start..m.end].to_owned())
            .collect()
    }

    /// The syllable stream's matches over `window`, sorted.
    fn pinyin_walk(lex: &Lexicon, text: &str, window: std::ops::Range<usize>) -> Vec<Match> {
        let mut out = Vec::new();
        lex.scan_pinyin(text, window, &mut Scratch::default(), &mut out);
        out.sort_by_key(|m| (m.start, m.end, m.rule, m.term));
        out
    }

    #[test]
    fn pinyin_with_tone_marks_or_u_for_v_still_matches() {
        let rules = parse_rules("赌博\n绿茶婊\n女主播\n").unwrap();
        let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
        for (text, want) in [
            ("来dǔbó吧", "dǔbó"),
            ("DǓ BÓ", "DǓ BÓ"),
            ("lǜchábiǎo", "lǜchábiǎo"),
            ("lvchabiao", "lvchabiao"),
            ("luchabiao", "luchabiao"),
            ("nǚzhǔbō", "nǚzhǔbō"),
            ("nuzhubo", "nuzhubo"),
        ] {
            let m = lex.find(text);
            assert_eq!(found(&lex, text), vec![want], "{text}");
            assert!(m[0].evasions.has(crate::Evasions::PINYIN), "{text}");
        }
        // Only Latin text reads `u` for `ü`: 奴 nu is no homophone of 女 nv.
        assert_eq!(found(&lex, "奴主播"), Vec::<String>::new());
    }

    #[test]
    fn the_latin_window_sees_what_the_whole_text_shows() {
        let rules = parse_rules("赌博网站\n甲基苯丙胺\n时时彩\n银行卡\nfuck\n").unwrap();
        let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
        let texts = [
            "dubo网站",
            "这是一个很长很长的句子，然后说赌bo网站，后面还有很多很多的字",
            "前面的话很多很多很多很多很多赌 博 wang zhan后面很多很多很多",
            "甲基ben丙胺和shishicai，还有yinhangka，最后是赌博wangzhan",
            "hhh 赌博网站 lol du博网站 ok",
            "中间 *** 赌 · bo · 网 · 站 *** 结束",
            "yinhang卡卡卡卡卡",
            "银行kaaaa",
            "ＤＵＢＯ网站。ＤＵＢＯ网站",
            "du",
            "站dubowang",
        ];
        for text in texts {
            let latin: Vec<usize> = text
                .char_indices()
                .filter(|&(_, c)| fold_char(c).class == CharClass::Latin)
                .map(|(i, _)| i)
                .collect();
            let (Some(&first), Some(&last)) = (latin.first(), latin.last()) else {
                continue;
            };
            let last_end = last + text[last..].chars().next().map_or(0, char::len_utf8);
            let window = lex.pinyin_window(text, first..last_end);
            assert!(window.start <= first && last_end <= window.end, "{text}");
            assert_eq!(
                pinyin_walk(&lex, text, window.clone()),
                pinyin_walk(&lex, text, 0..text.len()),
                "{text}: window {window:?}"
            );
            let negative = ["du", "站dubowang"].contains(&text);
            assert_eq!(
                pinyin_walk(&lex, text, 0..text.len()).is_empty(),
                negative,
                "{text}"
            );
        }
    }

    #[test]
    fn the_syllable_window_agrees_with_a_whole_walk_on_random_mixtures() {
        let rules = parse_rules("赌博网站\n甲基苯丙胺\n时时彩\n银行卡\n出售\n事实真相\n").unwrap();
        let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
        let pool: Vec<&str> = vec![
            "赌", "博", "网", "站", "堵", "甲", "基", "苯", "本", "丙", "胺", "时", "彩", "银",
            "行", "卡", "出", "售", "的", "了", "du", "bo", "wang", "zhan", "shi", "cai", "yin",
            "hang", "ka", "chu", "shou", "hhh", "ok", " ", "*", "。", "，", "1", "Ｄ", "ｕ",
            "\u{200b}", "😀", "𠀀", "赌博", "dubo", "网站", "wangzhan", "银行", "yinhang", "时时",
            "shishi", "甲基", "benbing", "实实", "真相", "菜", "是", "3", "2", "'", "ǔ", "dǔ",
        ];
        let mut rng = crate::perturb::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut with_matches = 0;
        for _ in 0..20_000 {
            let len = 1 + rng.below(16);
            let text: String = (0..len).map(|_| *rng.pick(&pool)).collect();
            // Reference: the main stream, then the syllable stream over the whole text.
            let mut sc = Scratch::default();
            let mut reference = Vec::new();
            let need = lex.scan_main::<true>(&text, &mut sc, &mut reference);
            let whole = pinyin_walk(&lex, &text, 0..text.len());
            let key = |m: &Match| (m.start, m.end, m.rule, m.term);
            if need.is_none() {
                // Whatever the syllable stream finds, the main stream found.
                for m in &whole {
                    assert!(
                        reference.iter().any(|r| key(r) == key(m)),
                        "{text:?}: {m:?}"
                    );
                }
            }
            reference.extend(whole);
            let mut reference: Vec<_> = reference.iter().map(key).collect();
            reference.sort_unstable();
            reference.dedup();
            let mut found: Vec<_> = lex.find(&text).iter().map(key).collect();
            found.sort_unstable();
            with_matches += usize::from(!found.is_empty());
            assert_eq!(found, reference, "{text:?}");
        }
        // The mixtures do hold matches to compare.
        assert!(with_matches > 300, "{with_matches}");
    }

    #[test]
    fn homophones_that_read_as_ordinary_language_are_dropped() {
        let rules = parse_rules("笑气\n贱人\n赌博\n时时彩\n甲基苯丙胺\n百分之百有效\n").unwrap();
        let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
        // Ordinary words that sound like terms.
        for text in ["你真小气", "不要见人就说", "我要消气了", "这时时才想起"]
        {
            assert_eq!(found(&lex, text), Vec::<String>::new(), "{text}");
        }
        // Evasions: the substitute forms no common pair with its neighbours,
        // or the text shows other tricks.
        assert_eq!(found(&lex, "来堵博吧"), ["堵博"]);
        assert_eq!(found(&lex, "出售甲基本丙胺"), ["甲基本丙胺"]);
        // Four or more characters: one sound-alike is evidence enough.
        assert_eq!(found(&lex, "保证百分之百有小"), ["百分之百有小"]);
        assert_eq!(found(&lex, "你真小*气"), ["小*气"]);
        assert_eq!(found(&lex, "dubo网站"), ["dubo"]);
    }
}
