//! The compiler: rules in, a [`Lexicon`] out.
//!
//! Every term is turned into symbols exactly as a text will be (see
//! `units.rs`), repeats collapsed into runs, and indexed in a double-array
//! Aho-Corasick automaton over the lexicon's own dense alphabet. A per-lexicon
//! table gives, for every BMP character, its class, its symbol and its pinyin
//! syllable in one `u32`, so the scanner does one load per character.
//!
//! When any rule asks for pinyin (the lexicon is in *syllable mode*), each
//! pinyin-enabled Han term is also indexed by its syllables, once per
//! combination of its characters' everyday readings
//! ([`qinglang_text::everyday_readings`]: 行 is xing or hang, but 是 is not
//! the classical ti; capped at [`MAX_READINGS`] combinations per term), in a
//! [`SyllableIndex`] beside the automaton. The main stream then reads each
//! character both ways: its symbol into the automaton (exact matches), its
//! syllable into the index (homophones; see `syllables.rs`). Every Han
//! character gets a symbol of its own in that mode, so telling a homophone
//! from the term's own characters compares one `u32` each.

use crate::automaton::{Automaton, Sequences};
use crate::format::{Rule, RuleOptions};
use crate::rules::{RuleRef, Rules, RulesBuilder};
use crate::syllables::SyllableIndex;
use crate::units::{is_apostrophe, is_significant, term_units};
use qinglang_model::Severity;
use qinglang_text::{
    everyday_readings, fold_char, leet_letter, syllable_id, traditional_chars, CharClass,
};
use std::collections::HashMap;

/// Combinations of heteronym readings kept per term.
pub const MAX_READINGS: usize = 16;
/// Longest term, in symbols after collapsing repeats.
pub const MAX_TERM_SYMBOLS: usize = 200;
/// Noise characters allowed between two term characters unless a rule says otherwise.
pub const DEFAULT_MAX_NOISE: u8 = 4;
/// Latin words of this many letters get masked forms (`f*ck`): shorter
/// ones are too easy to hit by chance, and the masked position must fit in
/// four bits.
const MASK_MIN: usize = 4;
const MASK_MAX: usize = 16;

/// Options that apply to a whole compilation.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Turn on pinyin and homophone matching for every Han term of two or more
    /// characters (what `lexicon match --pinyin` does).
    pub pinyin_all: bool,
}

/// A main-stream pattern, 16 bytes (the scanner reads one per candidate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) rule: u32,
    pub(crate) term: u32,
    /// Where the required run length of each symbol starts in
    /// `Lexicon::runs` when any exceeds one, else [`Pattern::NO_RUNS`].
    pub(crate) runs: u32,
    /// Symbols after collapsing repeats.
    pub(crate) len: u16,
    pub(crate) max_noise: u8,
    /// [`Pattern::WHOLE_WORD`], [`Pattern::ALLOW`], [`Pattern::VARIANT`],
    /// [`Pattern::MASKED`] in the low four bits; the high four bits hold
    /// the masked position of a [`Pattern::MASKED`] pattern.
    pub(crate) flags: u8,
}

impl Pattern {
    pub(crate) const NO_RUNS: u32 = u32::MAX;
    /// Latin or digit term: must not continue into a letter or digit.
    pub(crate) const WHOLE_WORD: u8 = 1;
    /// An allow-list phrase of `rule`, not a term.
    pub(crate) const ALLOW: u8 = 2;
    /// A traditional spelling the character fold does not reach (瞭解 for 了解).
    pub(crate) const VARIANT: u8 = 4;
    /// A Latin word with one or two adjacent inner letters left out (`fck`
    /// for `fuck`): it matches only where as many mask symbols (its
    /// `max_noise`) stand in for the letters, right before the symbol at
    /// [`Pattern::masked_at`] (`f*ck`, `f**k`).
    pub(crate) const MASKED: u8 = 8;

    #[inline]
    pub(crate) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// The symbol a mask must precede, for a [`Pattern::MASKED`] pattern.
    #[inline]
    pub(crate) fn masked_at(&self) -> Option<usize> {
        self.has(Self::MASKED)
            .then_some(usize::from(self.flags >> 4))
    }

    /// A plain reading of the text cannot confirm this pattern: it needs
    /// repeats or a mask, which only a re-read of the span shows.
    #[inline]
    pub(crate) fn needs_reread(&self) -> bool {
        self.has_runs() || self.has(Self::MASKED)
    }

    #[inline]
    pub(crate) fn has_runs(&self) -> bool {
        self.runs != Self::NO_RUNS
    }
}

/// A pinyin pattern: one reading of a Han term, 16 bytes. All readings of a
/// term share its characters in `Lexicon::pinyin_syms`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PinyinPattern {
    pub(crate) rule: u32,
    pub(crate) term: u32,
    /// Offset of the term's characters (as alphabet symbols, one per
    /// syllable) in `Lexicon::pinyin_syms`.
    pub(crate) at: u32,
    pub(crate) len: u8,
    pub(crate) max_noise: u8,
    /// [`PinyinPattern::KEEP_ONE`], [`PinyinPattern::HOMOPHONES`], [`PinyinPattern::LATIN_ONLY`].
    pub(crate) flags: u8,
}

impl PinyinPattern {
    /// A two-character homophone match keeps one of the term's characters.
    pub(crate) const KEEP_ONE: u8 = 1;
    /// All-Han homophone matches allowed (the term is long enough).
    pub(crate) const HOMOPHONES: u8 = 2;
    /// An alternative split of the spelling: matches Latin letters only.
    pub(crate) const LATIN_ONLY: u8 = 4;
    /// The reading has two equal syllables in a row (时时彩, 事实): the main
    /// stream, which merges a repeated character into one symbol, cannot
    /// follow it through a text that doubles a character (时时菜, 实实), so
    /// the syllable stream checks it there.
    pub(crate) const DOUBLE: u8 = 8;

    #[inline]
    pub(crate) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Table entry layout: class in bits 0..3, syllable in bits 3..12, a
/// "folding changed this character" bit 12, symbol in bits 13..32.
pub(crate) const CLASS_MASK: u32 = 7;
pub(crate) const SYL_SHIFT: u32 = 3;
pub(crate) const SYL_MASK: u32 = 0x1FF;
pub(crate) const FOLDED_BIT: u32 = 1 << 12;
pub(crate) const SYM_SHIFT: u32 = 13;
/// Alphabet symbols are below this (19 bits of a table entry); a term
/// alphabet leaves room for every BMP character after it.
pub(crate) const MAX_SYMBOLS: u32 = 1 << 19;

/// A compiled lexicon, ready to match. Cheap to share behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub(crate) rules: Rules,
    pub(crate) patterns: Vec<Pattern>,
    /// The run lengths [`Pattern::runs`] points into.
    pub(crate) run_lengths: Vec<u16>,
    /// The automaton of the main patterns, over alphabet symbols.
    pub(crate) main: Automaton,
    /// The pinyin patterns by their syllables (syllable mode only).
    pub(crate) syllables: SyllableIndex,
    /// The terms' characters, most frequent first; in syllable mode followed
    /// by every other Han character that has a reading.
    pub(crate) alphabet: HashMap<char, u32>,
    /// Symbols `1..=term_symbols` are the terms' characters (what a compiled
    /// file stores; the rest are derived again on loading).
    pub(crate) term_symbols: u32,
    pub(crate) table: Box<[u32; 0x1_0000]>,
    /// The character of each alphabet symbol (index 0 unused).
    pub(crate) chars: Vec<char>,
    pub(crate) leet_sym: [u32; 128],
    pub(crate) pinyin_patterns: Vec<PinyinPattern>,
    /// The pinyin terms' characters as alphabet symbols, end to end.
    pub(crate) pinyin_syms: Vec<u32>,
    /// Some pinyin pattern has [`PinyinPattern::DOUBLE`].
    pub(crate) has_double: bool,
    /// Syllables in the longest pinyin pattern.
    pub(crate) pinyin_longest: usize,
    /// Pinyin initials (`dbwz`) to (rule, term).
    pub(crate) initials: HashMap<String, Vec<(u32, u32)>>,
}

/// A lexicon could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("rule `{rule}`: term `{term}` has no characters to match after folding")]
    EmptyTerm { rule: String, term: String },
    #[error("rule `{rule}`: term `{term}` is longer than {MAX_TERM_SYMBOLS} characters")]
    TooLong { rule: String, term: String },
    #[error("too many rules or patterns (at most 2^31)")]
    TooMany,
}

/// A term as symbols-to-be: collapsed characters and their run lengths.
fn collapse(term: &str) -> (Vec<char>, Vec<u16>) {
    let mut chars: Vec<char> = Vec::new();
    let mut runs: Vec<u16> = Vec::new();
    for u in term_units(term) {
        // Noise inside a term is dropped (the scanner skips it in texts);
        // a boundary inside a term (`1:1`) becomes part of the term.
        if !is_significant(u.class) && u.class != CharClass::Boundary {
            continue;
        }
        if chars.last() == Some(&u.ch) {
            if let Some(r) = runs.last_mut() {
                *r = r.saturating_add(1);
            }
        } else {
            chars.push(u.ch);
            runs.push(1);
        }
    }
    (chars, runs)
}

/// Spellings of `chars` whose traditional forms fold elsewhere (瞭 stays 瞭, so
/// 了解 also gets 瞭解), at most `limit`, not counting `chars` itself.
fn traditional_variants(chars: &[char], limit: usize) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        for &t in traditional_chars(c) {
            let f = fold_char(t).ch;
            if f != c && out.len() < limit {
                let mut v = chars.to_vec();
                v[i] = f;
                out.push(v);
            }
        }
    }
    out
}

/// Syllable sequences of a Han term, one per combination of readings.
fn readings(chars: &[char]) -> Vec<Vec<u16>> {
    let mut combos: Vec<Vec<u16>> = vec![Vec::new()];
    for &c in chars {
        let rs: Vec<u16> = everyday_readings(c)
            .into_iter()
            .filter_map(syllable_id)
            .collect();
        if rs.is_empty() {
            return Vec::new();
        }
        let mut next = Vec::new();
        for combo in &combos {
            for (k, &r) in rs.iter().enumerate() {
                // Past the cap, only the most common reading extends a combination.
                if k > 0 && combos.len() * rs.len() > MAX_READINGS {
                    break;
                }
                let mut c2 = combo.clone();
                c2.push(r);
                next.push(c2);
            }
        }
        combos = next;
    }
    combos
}

impl Lexicon {
    /// Compiles rules. Fails on a term with nothing to match or one too long.
    pub fn compile(rules: &[Rule], options: &CompileOptions) -> Result<Lexicon, CompileError> {
        let mut b = RulesBuilder::with_capacity(rules.len());
        let mut extras = Vec::with_capacity(rules.len());
        for r in rules {
            b.push(&r.id, &r.terms, &r.category, r.severity)
                .map_err(|_| CompileError::TooMany)?;
            extras.push((r.options.clone(), r.allow.clone()));
        }
        let rules = b.finish();
        Self::compile_parts(extras, &rules, options).map(|parts| Lexicon::assemble(rules, parts))
    }

    /// Like [`Lexicon::compile`], taking the rules by value so that their
    /// strings are freed as they are copied into the lexicon.
    pub fn compile_owned(
        rules: Vec<Rule>,
        options: &CompileOptions,
    ) -> Result<Lexicon, CompileError> {
        let mut b = RulesBuilder::with_capacity(rules.len());
        let mut extras = Vec::with_capacity(rules.len());
        for r in rules {
            b.push(&r.id, &r.terms, &r.category, r.severity)
                .map_err(|_| CompileError::TooMany)?;
            extras.push((r.options, r.allow));
        }
        let rules = b.finish();
        Self::compile_parts(extras, &rules, options).map(|parts| Lexicon::assemble(rules, parts))
    }

    /// Compiles a plain list's (term, category) pairs (see
    /// [`crate::format`]) without making a [`Rule`] of each: big lists
    /// compile in less memory.
    pub(crate) fn compile_plain(
        entries: Vec<(&str, &str)>,
        options: &CompileOptions,
    ) -> Result<Lexicon, CompileError> {
        let mut b = RulesBuilder::with_capacity(entries.len());
        for &(term, category) in &entries {
            b.push(term, &[term], category, Severity::Medium)
                .map_err(|_| CompileError::TooMany)?;
        }
        let extras = vec![(RuleOptions::default(), Vec::new()); entries.len()];
        drop(entries);
        let rules = b.finish();
        Self::compile_parts(extras, &rules, options).map(|parts| Lexicon::assemble(rules, parts))
    }

    /// Compiles from each rule's options and allow phrases (`extras`) and
    /// its id and terms (`infos`), in the same order.
    fn compile_parts(
        extras: Vec<(RuleOptions, Vec<String>)>,
        infos: &Rules,
        options: &CompileOptions,
    ) -> Result<Parts, CompileError> {
        let mut pending_chars = Sequences::default();
        let mut pending: Vec<Pattern> = Vec::new();
        // Required run lengths of the patterns that have any (`Pattern::runs`).
        let mut run_lengths: Vec<u16> = Vec::new();
        let mut pinyin_patterns: Vec<PinyinPattern> = Vec::new();
        let mut pinyin_seqs = Sequences::default();
        // The pinyin terms' characters, shared by their readings.
        let mut pinyin_chars: Vec<char> = Vec::new();
        let mut initials: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        if infos.len() >= (1 << 31) {
            return Err(CompileError::TooMany);
        }
        for (ri, ((o, allow), info)) in extras.iter().zip(infos.iter()).enumerate() {
            let max_noise = o.max_noise.unwrap_or(DEFAULT_MAX_NOISE);
            let pinyin = o.pinyin.unwrap_or(options.pinyin_all);
            let keep_one = o.homophone_keep_one.unwrap_or(true);
            for (ti, term) in info.terms().enumerate() {
                let (chars, runs) = collapse(term);
                if chars.is_empty() {
                    return Err(CompileError::EmptyTerm {
                        rule: info.id().to_owned(),
                        term: term.to_owned(),
                    });
                }
                if chars.len() > MAX_TERM_SYMBOLS {
                    return Err(CompileError::TooLong {
                        rule: info.id().to_owned(),
                        term: term.to_owned(),
                    });
                }
                let wordy = chars.iter().all(|c| c.is_ascii_alphanumeric());
                let pattern = Pattern {
                    rule: ri as u32,
                    term: ti as u32,
                    runs: Pattern::NO_RUNS,
                    len: chars.len() as u16,
                    max_noise,
                    flags: u8::from(o.whole_word.unwrap_or(wordy)) * Pattern::WHOLE_WORD,
                };
                for v in traditional_variants(&chars, 8) {
                    let p = Pattern {
                        flags: pattern.flags | Pattern::VARIANT,
                        ..pattern.clone()
                    };
                    pending_chars.push(v.iter().map(|&c| c as u32));
                    pending.push(with_runs(p, &runs, &mut run_lengths));
                }
                // The syllable stream does not collapse repeats: use every character.
                let full: Vec<char> = term_units(term)
                    .into_iter()
                    .filter(|u| is_significant(u.class))
                    .map(|u| u.ch)
                    .collect();
                let all_han = full.iter().all(|&c| qinglang_text::is_han(c));
                if pinyin && all_han && full.len() >= 2 {
                    let min = o.homophone_min_chars.unwrap_or(2);
                    let min = if options.pinyin_all { min.min(2) } else { min };
                    let homophones = full.len() >= usize::from(min);
                    let mut seqs = readings(&full);
                    // A Latin run is split one way only (`bingan` -> bin gan); a
                    // term read the other way (丙胺 bing an) also gets the split
                    // its spelling takes, for Latin text only. So does `ü`
                    // written `u` (`nuren` for 女人: the fold strips `ǚ` to `u`).
                    let mut alternatives = Vec::new();
                    for seq in &seqs {
                        let spelled: String = seq
                            .iter()
                            .map(|&x| qinglang_text::syllable_str(x))
                            .collect();
                        let with_u = spelled.contains('v').then(|| spelled.replace('v', "u"));
                        for spelling in std::iter::once(spelled).chain(with_u) {
                            if let Some(alt) = qinglang_text::segment_pinyin(&spelling) {
                                if &alt != seq && !alternatives.contains(&alt) {
                                    alternatives.push(alt);
                                }
                            }
                        }
                    }
                    let n_readings = seqs.len();
                    seqs.extend(alternatives);
                    if full.len() > usize::from(u8::MAX) {
                        // Longer than a pinyin pattern can be: exact matching only.
                        seqs.clear();
                    }
                    let at = pinyin_chars.len() as u32;
                    if !seqs.is_empty() {
                        pinyin_chars.extend_from_slice(&full);
                    }
                    for (k, seq) in seqs.into_iter().enumerate() {
                        let latin_only = k >= n_readings;
                        if latin_only && seq.len() != full.len() {
                            // Characters and syllables no longer align one to one.
                            continue;
                        }
                        if !latin_only && o.initials.unwrap_or(false) && full.len() >= 3 {
                            let init: String = seq
                                .iter()
                                .filter_map(|&s| qinglang_text::syllable_str(s).chars().next())
                                .collect();
                            let list = initials.entry(init).or_default();
                            if !list.contains(&(ri as u32, ti as u32)) {
                                list.push((ri as u32, ti as u32));
                            }
                        }
                        pinyin_patterns.push(PinyinPattern {
                            rule: ri as u32,
                            term: ti as u32,
                            at,
                            len: full.len() as u8,
                            max_noise,
                            flags: (u8::from(keep_one) * PinyinPattern::KEEP_ONE)
                                | (u8::from(homophones) * PinyinPattern::HOMOPHONES)
                                | (u8::from(latin_only) * PinyinPattern::LATIN_ONLY)
                                | (u8::from(seq.windows(2).any(|w| w[0] == w[1]))
                                    * PinyinPattern::DOUBLE),
                        });
                        pinyin_seqs.push(seq.into_iter().map(u32::from));
                    }
                }
                if o.mask.unwrap_or(true) {
                    push_masked(
                        &pattern,
                        term,
                        &mut pending_chars,
                        &mut pending,
                        &mut run_lengths,
                    );
                }
                pending_chars.push(chars.iter().map(|&c| c as u32));
                pending.push(with_runs(pattern, &runs, &mut run_lengths));
            }
            for phrase in allow {
                let (chars, runs) = collapse(phrase);
                if chars.is_empty() || chars.len() > MAX_TERM_SYMBOLS {
                    continue;
                }
                let p = Pattern {
                    rule: ri as u32,
                    term: 0,
                    runs: Pattern::NO_RUNS,
                    len: chars.len() as u16,
                    max_noise,
                    flags: Pattern::ALLOW,
                };
                // A masked phrase still allows what it holds (`sc*nthorpe`).
                if o.mask.unwrap_or(true) {
                    push_masked(
                        &p,
                        phrase,
                        &mut pending_chars,
                        &mut pending,
                        &mut run_lengths,
                    );
                }
                pending_chars.push(chars.iter().map(|&c| c as u32));
                pending.push(with_runs(p, &runs, &mut run_lengths));
            }
        }

        drop(extras);
        // Growth by doubling leaves up to half of each list unused.
        pending.shrink_to_fit();
        pending_chars.shrink_to_fit();
        pinyin_patterns.shrink_to_fit();
        pinyin_seqs.shrink_to_fit();
        pinyin_chars.shrink_to_fit();

        // Dense alphabet, most frequent characters first.
        let mut freq: HashMap<char, u32> = HashMap::new();
        for &c in pending_chars.symbols_mut().iter() {
            if let Some(c) = char::from_u32(c) {
                *freq.entry(c).or_default() += 1;
            }
        }
        let mut by_freq: Vec<(char, u32)> = freq.into_iter().collect();
        by_freq.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let alphabet: HashMap<char, u32> = by_freq
            .iter()
            .enumerate()
            .map(|(i, &(c, _))| (c, i as u32 + 1))
            .collect();
        if alphabet.len() as u32 >= MAX_SYMBOLS - 0x1_0000 {
            return Err(CompileError::TooMany);
        }

        for c in pending_chars.symbols_mut() {
            *c = char::from_u32(*c)
                .and_then(|c| alphabet.get(&c).copied())
                .unwrap_or(0);
        }
        let pinyin_syms: Vec<u32> = pinyin_chars
            .iter()
            .map(|c| alphabet.get(c).copied().unwrap_or(u32::MAX - 1))
            .collect();
        drop(pinyin_chars);
        let main = Automaton::build_owned(pending_chars);
        let syllables = SyllableIndex::build(&pinyin_seqs);
        drop(pinyin_seqs);
        Ok(Parts {
            patterns: pending,
            run_lengths,
            main,
            syllables,
            alphabet,
            pinyin_patterns,
            pinyin_syms,
            initials,
        })
    }
}

/// A character's syllable id when it is read as a syllable in syllable mode
/// (a Han character with a known reading), else 0. The scanner reads the
/// same value from the character table.
pub(crate) fn syllable_symbol(c: char) -> u32 {
    let f = fold_char(c);
    if f.class == CharClass::Han {
        qinglang_text::syllable_of(f.ch).map_or(0, u32::from) & SYL_MASK
    } else {
        0
    }
}

/// Everything a lexicon holds but its rules and the tables derived at assembly.
pub(crate) struct Parts {
    pub(crate) patterns: Vec<Pattern>,
    pub(crate) run_lengths: Vec<u16>,
    pub(crate) main: Automaton,
    pub(crate) syllables: SyllableIndex,
    pub(crate) alphabet: HashMap<char, u32>,
    pub(crate) pinyin_patterns: Vec<PinyinPattern>,
    pub(crate) pinyin_syms: Vec<u32>,
    pub(crate) initials: HashMap<String, Vec<(u32, u32)>>,
}

/// The forms of a Latin word of [`MASK_MIN`]..=[`MASK_MAX`] letters with one
/// inner letter, or two adjacent inner letters, left out, for masks (`f*ck`,
/// `w-ll`, `f**k`, `a**hole`): per form, its collapsed symbols, their run
/// lengths, the symbol the masks precede and how many masks stand there.
/// Letters whose neighbours are equal are left alone: masked, they would sit
/// inside a run (`a*a`), where the scanner does not look for them.
fn masked_forms(term: &str) -> Vec<MaskedForm> {
    let units = term_units(term);
    // One word of letters: nothing else, not even a space or an apostrophe.
    let letters: Vec<char> = units.iter().map(|u| u.ch).collect();
    let word = (MASK_MIN..=MASK_MAX).contains(&letters.len())
        && units.iter().all(|u| u.class == CharClass::Latin && !u.leet);
    if !word {
        return Vec::new();
    }
    let mut forms = Vec::new();
    for masks in 1..=2 {
        // Letters `k..k + masks` are left out; the last letter never is.
        for k in 1..letters.len().saturating_sub(masks) {
            if letters[k - 1] == letters[k + masks] {
                continue;
            }
            let rest: String = letters
                .iter()
                .enumerate()
                .filter(|&(i, _)| !(k..k + masks).contains(&i))
                .map(|(_, &c)| c)
                .collect();
            let (chars, runs) = collapse(&rest);
            let at = collapse(&rest[..k]).0.len();
            let form = MaskedForm {
                chars,
                runs,
                at,
                masks: masks as u8,
            };
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    forms
}

/// A Latin word with letters left out for masks ([`masked_forms`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MaskedForm {
    chars: Vec<char>,
    runs: Vec<u16>,
    /// The symbol the masks precede.
    at: usize,
    /// How many mask symbols stand for the letters left out.
    masks: u8,
}

/// Adds the masked forms of `text` ([`masked_forms`]) as patterns like
/// `base`, flagged [`Pattern::MASKED`] with where the masks stand and, as
/// their noise limit, how many there are: the masks must be the only
/// symbols skipped.
fn push_masked(
    base: &Pattern,
    text: &str,
    chars: &mut Sequences,
    patterns: &mut Vec<Pattern>,
    run_lengths: &mut Vec<u16>,
) {
    for form in masked_forms(text) {
        let p = Pattern {
            len: form.chars.len() as u16,
            max_noise: form.masks,
            flags: base.flags | Pattern::MASKED | (form.at as u8) << 4,
            ..base.clone()
        };
        chars.push(form.chars.iter().map(|&c| c as u32));
        patterns.push(with_runs(p, &form.runs, run_lengths));
    }
}

/// `p` with its run lengths appended to `arena` when any exceeds one.
fn with_runs(mut p: Pattern, runs: &[u16], arena: &mut Vec<u16>) -> Pattern {
    if runs.iter().any(|&r| r > 1) {
        p.runs = arena.len() as u32;
        arena.extend_from_slice(runs);
    }
    p
}

impl Lexicon {
    /// A lexicon from its compiled parts, with the tables derived from them
    /// (character table, leet symbols) filled in. Both compiling and loading
    /// a compiled file end here.
    pub(crate) fn assemble(rules: Rules, parts: Parts) -> Lexicon {
        let Parts {
            patterns,
            run_lengths,
            main,
            syllables,
            mut alphabet,
            pinyin_patterns,
            pinyin_syms,
            initials,
        } = parts;
        let term_symbols = alphabet.values().copied().max().unwrap_or(0);
        if !pinyin_patterns.is_empty() {
            extend_with_han(&mut alphabet);
        }
        let table = build_table(&alphabet);
        let size = alphabet
            .values()
            .copied()
            .max()
            .map_or(1, |m| m as usize + 1);
        let mut chars = vec!['\0'; size];
        for (&c, &s) in &alphabet {
            chars[s as usize] = c;
        }
        let mut lex = Lexicon {
            rules,
            patterns,
            run_lengths,
            main,
            syllables,
            alphabet,
            term_symbols,
            table,
            chars,
            leet_sym: [0; 128],
            has_double: pinyin_patterns.iter().any(|p| p.has(PinyinPattern::DOUBLE)),
            pinyin_longest: pinyin_patterns
                .iter()
                .map(|p| usize::from(p.len))
                .max()
                .unwrap_or(0),
            pinyin_patterns,
            pinyin_syms,
            initials,
        };
        lex.fill_leet();
        lex
    }

    /// The required run length of each symbol of `p`, if any exceeds one.
    #[inline]
    pub(crate) fn runs_of(&self, p: &Pattern) -> Option<&[u16]> {
        if !p.has_runs() {
            return None;
        }
        let at = p.runs as usize;
        self.run_lengths.get(at..at + usize::from(p.len))
    }

    /// Whether Han characters are also read as syllables (some rule has
    /// pinyin).
    #[inline(always)]
    pub(crate) fn syllable_mode(&self) -> bool {
        !self.pinyin_patterns.is_empty()
    }

    /// Whether some pinyin reading has two equal syllables in a row.
    pub(crate) fn has_double(&self) -> bool {
        self.has_double
    }

    pub(crate) fn fill_leet(&mut self) {
        for (b, slot) in self.leet_sym.iter_mut().enumerate() {
            if let Some(l) = leet_letter(b as u8 as char) {
                *slot = self.alphabet.get(&l).copied().unwrap_or(0);
            }
        }
    }

    /// The compiled rules, indexed by [`crate::Match::rule`].
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Rule `i` ([`crate::Match::rule`]), if there is one.
    pub fn rule(&self, i: usize) -> Option<RuleRef<'_>> {
        self.rules.get(i)
    }

    /// Main-stream patterns (terms, their variants and allow phrases).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Pinyin-stream patterns (one per reading of a pinyin-enabled term).
    pub fn pinyin_pattern_count(&self) -> usize {
        self.pinyin_patterns.len()
    }

    /// Approximate heap bytes held by the compiled lexicon.
    pub fn heap_bytes(&self) -> usize {
        self.main.heap_bytes()
            + self.rules.heap_bytes()
            + self.table.len() * 4
            + self.chars.len() * 4
            + self.patterns.len() * std::mem::size_of::<Pattern>()
            + self.run_lengths.len() * 2
            + self.pinyin_patterns.len() * std::mem::size_of::<PinyinPattern>()
            + self.syllables.heap_bytes()
            + self.pinyin_syms.len() * 4
            + self.alphabet.len() * 16
    }

    /// The packed table entry of a character.
    #[inline(always)]
    pub(crate) fn entry(&self, c: char) -> u32 {
        let u = c as u32;
        if u < 0x1_0000 {
            self.table[(u & 0xFFFF) as usize]
        } else {
            entry_of(&self.alphabet, c)
        }
    }
}

/// Gives every BMP Han character with a reading a symbol, after the terms'
/// own characters, in code point order.
fn extend_with_han(alphabet: &mut HashMap<char, u32>) {
    let mut next = alphabet.values().copied().max().unwrap_or(0) + 1;
    for c in (0x3400u32..0x1_0000).filter_map(char::from_u32) {
        let f = fold_char(c);
        if next >= MAX_SYMBOLS {
            break;
        }
        if f.class == CharClass::Han && !alphabet.contains_key(&f.ch) && syllable_symbol(f.ch) != 0
        {
            alphabet.insert(f.ch, next);
            next += 1;
        }
    }
}

fn entry_of(alphabet: &HashMap<char, u32>, c: char) -> u32 {
    let mut f = fold_char(c);
    // A boundary inside a term (`1:1`) is one of its characters. So is an
    // apostrophe (`don't`), but only inside a Latin word: it stays noise
    // and carries its symbol for the scanner to use there (`赌'博`).
    if f.class == CharClass::Boundary && alphabet.contains_key(&f.ch) {
        f.class = CharClass::Other;
    }
    let sym = if is_apostrophe(f.ch) {
        // Every apostrophe reads as `'` (`don’t` is `don't`).
        alphabet.get(&'\'').copied().unwrap_or(0)
    } else if is_significant(f.class) {
        alphabet.get(&f.ch).copied().unwrap_or(0)
    } else {
        0
    };
    let syl = syllable_symbol(f.ch);
    let folded = if f.evasion == qinglang_text::Evasion::None {
        0
    } else {
        FOLDED_BIT
    };
    f.class as u32 | syl << SYL_SHIFT | folded | sym << SYM_SHIFT
}

pub(crate) fn build_table(alphabet: &HashMap<char, u32>) -> Box<[u32; 0x1_0000]> {
    let v: Vec<u32> = (0u32..0x1_0000)
        .map(|u| match char::from_u32(u) {
            Some(c) => entry_of(alphabet, c),
            None => CharClass::Noise as u32,
        })
        .collect();
    v.try_into()
        .unwrap_or_else(|_| Box::new([CharClass::Noise as u32; 0x1_0000]))
}

#[cfg(test)]
mod tests {
    use super::masked_forms;

    #[test]
    fn masked_forms_leave_one_or_two_inner_letters_out() {
        let form = |s: &str, runs: &[u16], at: usize, masks: u8| super::MaskedForm {
            chars: s.chars().collect(),
            runs: runs.to_vec(),
            at,
            masks,
        };
        assert_eq!(
            masked_forms("Will"),
            vec![
                form("wl", &[1, 2], 1, 1),
                form("wil", &[1, 1, 1], 2, 1),
                form("wl", &[1, 1], 1, 2)
            ]
        );
        assert_eq!(
            masked_forms("fuck"),
            vec![
                form("fck", &[1, 1, 1], 1, 1),
                form("fuk", &[1, 1, 1], 2, 1),
                form("fk", &[1, 1], 1, 2)
            ]
        );
        // `a**hole`, `as**le`, ...; not `a s*s hole` as one run.
        let forms = masked_forms("asshole");
        assert!(forms.contains(&form("ahole", &[1, 1, 1, 1, 1], 1, 2)));
        assert!(forms.contains(&form("asle", &[1, 2, 1, 1], 2, 2)));
        assert!(forms.contains(&form("ashole", &[1, 1, 1, 1, 1, 1], 1, 1)));
        // A mask between two equal letters would sit inside a run; two
        // masks between other letters do not.
        assert_eq!(masked_forms("abab"), vec![form("ab", &[1, 1], 1, 2)]);
        assert_eq!(masked_forms("sex"), vec![]);
        assert_eq!(masked_forms("赌博网站"), vec![]);
        assert_eq!(masked_forms("ab2cd"), vec![]);
        // One word only: not phrases, contractions or leet spellings.
        assert_eq!(masked_forms("go to hell"), vec![]);
        assert_eq!(masked_forms("don't"), vec![]);
        assert_eq!(masked_forms("sh1te"), vec![]);
        assert_eq!(masked_forms(&"a".repeat(17)), vec![]);
    }
}
