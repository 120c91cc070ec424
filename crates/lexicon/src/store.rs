//! Compiled lexicons on disk, and a handle to swap one while a server runs.
//!
//! The file format is little-endian and versioned by its magic: the rules as
//! JSON, then the automata and pattern tables as raw `u32` arrays. Loading
//! copies the arrays and rebuilds the per-character table (a few
//! milliseconds). Every length is checked, so a truncated or foreign file is
//! a [`LoadError`], never a panic.

use crate::automaton::{Automaton, Cold, Hot, Output, FREE, HAS_OUTPUT, NO_OUTPUT};
use crate::compile::{Lexicon, Parts, Pattern, PinyinPattern, MAX_SYMBOLS};
use crate::rules::RulesBuilder;
use crate::syllables::SyllableIndex;
use qinglang_model::Severity;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

/// Format 6: pinyin readings in a syllable trie of their own, the main
/// automaton over characters in every mode; format 5: a masked pattern's
/// noise limit is its number of masks (`f**k`); format 4 compiled terms
/// literally (`3p` keeps its digit); format 3 added masked patterns
/// (`f*ck`) and the diacritic fold.
const MAGIC: &[u8; 8] = b"QLLEX006";
/// Earlier format versions, recognised only to say so.
const OLD_MAGIC: &[&[u8; 8]] = &[
    b"QLLEX001",
    b"QLLEX002",
    b"QLLEX003",
    b"QLLEX004",
    b"QLLEX005",
];

/// A compiled lexicon file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("not a compiled Qinglang lexicon (bad magic or version)")]
    Magic,
    #[error("compiled by an older Qinglang (format {0}); compile the lexicon source again")]
    OldVersion(String),
    #[error("compiled lexicon is truncated or corrupt at byte {0}")]
    Corrupt(usize),
}

/// Counts the bytes written to it.
struct Count(usize);

impl Write for Count {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes through a [`W`], which keeps the first error.
struct Raw<'a, T: Write>(&'a mut W<T>);

impl<T: Write> Write for Raw<'_, T> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.raw(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The rules as a JSON array of `[id, [terms], category, severity]`,
/// serialised straight from the arena.
struct RulesJson<'a>(&'a crate::Rules);

impl serde::Serialize for RulesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.0
                .iter()
                .map(|r| (r.id(), TermsJson(r), r.category(), r.severity().as_str())),
        )
    }
}

struct TermsJson<'a>(crate::RuleRef<'a>);

impl serde::Serialize for TermsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.terms())
    }
}

/// A writer that keeps the first error, so the format code stays linear.
struct W<T: Write> {
    out: T,
    err: Option<std::io::Error>,
}

impl<T: Write> W<T> {
    fn raw(&mut self, b: &[u8]) {
        if self.err.is_none() {
            if let Err(e) = self.out.write_all(b) {
                self.err = Some(e);
            }
        }
    }
    fn u32(&mut self, v: u32) {
        self.raw(&v.to_le_bytes());
    }
    /// A counted array whose length is known before its items are made.
    fn u32s(&mut self, n: usize, v: impl Iterator<Item = u32>) {
        self.u32(n as u32);
        for x in v {
            self.u32(x);
        }
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.raw(b);
    }
}

struct R<'a> {
    b: &'a [u8],
    at: usize,
}

impl R<'_> {
    fn u32(&mut self) -> Result<u32, LoadError> {
        let s = self
            .b
            .get(self.at..self.at + 4)
            .ok_or(LoadError::Corrupt(self.at))?;
        self.at += 4;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u32s(&mut self) -> Result<Vec<u32>, LoadError> {
        let n = self.u32()? as usize;
        if n > (self.b.len() - self.at) / 4 {
            return Err(LoadError::Corrupt(self.at));
        }
        let bytes = &self.b[self.at..self.at + n * 4];
        self.at += n * 4;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
    fn bytes(&mut self) -> Result<&[u8], LoadError> {
        let n = self.u32()? as usize;
        let s = self
            .b
            .get(self.at..self.at + n)
            .ok_or(LoadError::Corrupt(self.at))?;
        self.at += n;
        Ok(s)
    }
}

fn put_automaton<T: Write>(w: &mut W<T>, a: &Automaton) {
    w.u32((a.hot.len() * 4) as u32);
    for (h, c) in a.hot.iter().zip(&a.cold) {
        for v in [h.base, h.check, c.fail, c.out] {
            w.u32(v);
        }
    }
    w.u32((a.outputs.len() * 2) as u32);
    for o in &a.outputs {
        w.u32(o.id);
        w.u32(o.next);
    }
}

fn get_automaton(r: &mut R<'_>) -> Result<Automaton, LoadError> {
    let at = r.at;
    let s = r.u32s()?;
    let o = r.u32s()?;
    if s.len() % 4 != 0 || o.len() % 2 != 0 {
        return Err(LoadError::Corrupt(at));
    }
    let hot: Vec<Hot> = s
        .chunks_exact(4)
        .map(|c| Hot {
            base: c[0],
            check: c[1],
        })
        .collect();
    let cold: Vec<Cold> = s
        .chunks_exact(4)
        .map(|c| Cold {
            fail: c[2],
            out: c[3],
        })
        .collect();
    let outputs: Vec<Output> = o
        .chunks_exact(2)
        .map(|c| Output {
            id: c[0],
            next: c[1],
        })
        .collect();
    let n = hot.len() as u32;
    let bad_slot = cold
        .iter()
        .any(|x| x.fail >= n.max(1) || (x.out != u32::MAX && x.out as usize >= outputs.len()));
    // The builder links each output to an earlier one, so chains end.
    let bad_out = outputs
        .iter()
        .enumerate()
        .any(|(k, x)| x.next != NO_OUTPUT && x.next as usize >= k);
    if hot.is_empty()
        || hot.len() >= (1 << 31) - 1
        || bad_slot
        || bad_out
        || !links_terminate(&hot, &cold)
    {
        return Err(LoadError::Corrupt(at));
    }
    Ok(Automaton { hot, cold, outputs })
}

/// Does every state's parent chain reach the root, and every failure link
/// lead to a strictly shallower state? Then following failure links always
/// ends at the root, whatever the file says.
fn links_terminate(hot: &[Hot], cold: &[Cold]) -> bool {
    const UNKNOWN: u16 = u16::MAX;
    /// Deeper than any pattern can make a trie.
    const MAX_DEPTH: usize = 256;
    let mut depth = vec![UNKNOWN; hot.len()];
    depth[0] = 0;
    let mut path = Vec::new();
    for s in 1..hot.len() {
        if hot[s].check == FREE || depth[s] != UNKNOWN {
            continue;
        }
        path.clear();
        let mut t = s;
        let mut d = loop {
            if depth[t] != UNKNOWN {
                break depth[t];
            }
            let parent = (hot[t].check & !HAS_OUTPUT) as usize;
            if hot[t].check == FREE || parent >= hot.len() || path.len() > MAX_DEPTH {
                return false;
            }
            path.push(t);
            t = parent;
        };
        for &p in path.iter().rev() {
            d += 1;
            depth[p] = d;
        }
    }
    (1..hot.len()).all(|s| {
        let f = cold[s].fail as usize;
        hot[s].check == FREE || depth.get(f).is_some_and(|&df| df < depth[s])
    })
}

impl Lexicon {
    /// The compiled lexicon as bytes (see [`Lexicon::write_to`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a `Vec` cannot fail.
        let _ = self.write_to(&mut out);
        out
    }

    /// Writes the compiled lexicon, streaming: only the rule list is
    /// gathered in memory first (its length leads it).
    pub fn write_to(&self, out: impl Write) -> std::io::Result<()> {
        let mut w = W { out, err: None };
        w.raw(MAGIC);
        // The rule list as JSON, streamed twice: once to count its bytes
        // (its length leads it), once to write them.
        let rules = RulesJson(&self.rules);
        let mut count = Count(0);
        let _ = serde_json::to_writer(&mut count, &rules);
        w.u32(count.0 as u32);
        let _ = serde_json::to_writer(&mut Raw(&mut w), &rules);
        // Sorted, so that one source always compiles to the same bytes.
        let mut inits: Vec<(&String, &Vec<(u32, u32)>)> = self.initials.iter().collect();
        inits.sort_unstable();
        w.bytes(serde_json::to_string(&inits).unwrap_or_default().as_bytes());
        put_automaton(&mut w, &self.main);
        let runs = |p: &Pattern| self.runs_of(p).unwrap_or(&[]);
        let n: usize = self.patterns.iter().map(|p| 6 + runs(p).len()).sum();
        w.u32s(
            n,
            self.patterns.iter().flat_map(|p| {
                // Flag bits: whole word, allow, variant, masked, and the
                // masked position in the high four.
                let head = [
                    p.rule,
                    p.term,
                    u32::from(p.len),
                    u32::from(p.max_noise),
                    u32::from(p.flags),
                    runs(p).len() as u32,
                ];
                head.into_iter()
                    .chain(runs(p).iter().map(|&r| u32::from(r)))
            }),
        );
        w.u32s(
            self.pinyin_patterns.len() * 6,
            self.pinyin_patterns.iter().flat_map(|p| {
                let flags = u32::from(p.flags);
                [
                    p.rule,
                    p.term,
                    p.at,
                    u32::from(p.len),
                    u32::from(p.max_noise),
                    flags,
                ]
            }),
        );
        w.u32s(self.pinyin_syms.len(), self.pinyin_syms.iter().copied());
        put_automaton(&mut w, &self.syllables.trie);
        let letters: Vec<(char, u32)> = self
            .alphabet
            .iter()
            .filter(|(_, &s)| s <= self.term_symbols)
            .map(|(&c, &s)| (c, s))
            .collect();
        let mut letters = letters;
        letters.sort_unstable_by_key(|&(_, s)| s);
        w.u32s(
            letters.len() * 2,
            letters.iter().flat_map(|&(c, s)| [c as u32, s]),
        );
        match w.err {
            Some(e) => Err(e),
            None => w.out.flush(),
        }
    }

    /// Loads a lexicon written by [`Lexicon::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Lexicon, LoadError> {
        if b.get(..8) != Some(&MAGIC[..]) {
            return Err(
                match OLD_MAGIC.iter().find(|m| b.get(..8) == Some(&m[..])) {
                    Some(m) => LoadError::OldVersion(String::from_utf8_lossy(&m[5..]).into_owned()),
                    None => LoadError::Magic,
                },
            );
        }
        let mut r = R { b, at: 8 };
        let at = r.at;
        type RuleRow = (String, Vec<String>, String, String);
        let rows: Vec<RuleRow> =
            serde_json::from_slice(r.bytes()?).map_err(|_| LoadError::Corrupt(at))?;
        let mut builder = RulesBuilder::with_capacity(rows.len());
        for (id, terms, category, sev) in rows {
            let severity = Severity::parse(&sev).unwrap_or_default();
            builder
                .push(&id, &terms, &category, severity)
                .map_err(|_| LoadError::Corrupt(at))?;
        }
        let rules = builder.finish();
        let at = r.at;
        let initials: Vec<(String, Vec<(u32, u32)>)> =
            serde_json::from_slice(r.bytes()?).map_err(|_| LoadError::Corrupt(at))?;
        let initials: HashMap<String, Vec<(u32, u32)>> = initials.into_iter().collect();
        let main = get_automaton(&mut r)?;
        let at = r.at;
        let corrupt = LoadError::Corrupt(at);
        let raw = r.u32s()?;
        let mut patterns = Vec::new();
        let mut run_lengths: Vec<u16> = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let h = raw.get(i..i + 6).ok_or(LoadError::Corrupt(at))?;
            let nr = h[5] as usize;
            let runs = raw.get(i + 6..i + 6 + nr).ok_or(LoadError::Corrupt(at))?;
            // Repeat counts come one per symbol, or not at all; flags
            // fit a byte, and a mask stands inside the pattern.
            if nr != 0 && nr != h[2] as usize {
                return Err(LoadError::Corrupt(at));
            }
            let flags = u8::try_from(h[4]).map_err(|_| LoadError::Corrupt(at))?;
            let mask_at = u32::from(flags >> 4);
            if flags & Pattern::MASKED != 0 && (mask_at == 0 || mask_at >= h[2]) {
                return Err(LoadError::Corrupt(at));
            }
            let at = if nr > 0 {
                let at = run_lengths.len() as u32;
                run_lengths.extend(runs.iter().map(|&x| x as u16));
                at
            } else {
                Pattern::NO_RUNS
            };
            patterns.push(Pattern {
                rule: h[0],
                term: h[1],
                runs: at,
                len: h[2] as u16,
                max_noise: h[3] as u8,
                flags,
            });
            i += 6 + nr;
        }
        let raw = r.u32s()?;
        if raw.len() % 6 != 0 {
            return Err(LoadError::Corrupt(at));
        }
        let pinyin_patterns: Vec<PinyinPattern> = raw
            .chunks_exact(6)
            .map(|h| PinyinPattern {
                rule: h[0],
                term: h[1],
                at: h[2],
                len: h[3].min(255) as u8,
                max_noise: h[4].min(255) as u8,
                flags: (h[5] & 0xF) as u8,
            })
            .collect();
        let pinyin_syms = r.u32s()?;
        let trie = get_automaton(&mut r)?;
        let raw = r.u32s()?;
        let alphabet: HashMap<char, u32> = raw
            .chunks_exact(2)
            .filter_map(|c| Some((char::from_u32(c[0])?, c[1])))
            .collect();
        if alphabet
            .values()
            .any(|&s| s == 0 || s >= MAX_SYMBOLS - 0x1_0000)
        {
            return Err(corrupt);
        }
        let rule_ok = |x: u32| (x as usize) < rules.len();
        let outs_ok = main
            .outputs
            .iter()
            .all(|o| (o.id as usize) < patterns.len())
            && trie
                .outputs
                .iter()
                .all(|o| (o.id as usize) < pinyin_patterns.len());
        let syms_ok = patterns.iter().all(|p| p.len > 0)
            && pinyin_patterns
                .iter()
                .all(|p| p.len > 0 && p.at as usize + usize::from(p.len) <= pinyin_syms.len());
        let rules_ok = patterns.iter().all(|p| rule_ok(p.rule))
            && pinyin_patterns.iter().all(|p| rule_ok(p.rule))
            && initials.values().flatten().all(|&(rl, _)| rule_ok(rl));
        if !outs_ok || !rules_ok || !syms_ok {
            return Err(corrupt);
        }
        Ok(Lexicon::assemble(
            rules,
            Parts {
                patterns,
                run_lengths,
                main,
                syllables: SyllableIndex::from_trie(trie),
                alphabet,
                pinyin_patterns,
                pinyin_syms,
                initials,
            },
        ))
    }
}

/// A lexicon that can be replaced while readers keep using the old one.
/// Readers take an `Arc` snapshot; [`LexiconHandle::swap`] publishes a new one.
#[derive(Debug, Clone)]
pub struct LexiconHandle(Arc<RwLock<Arc<Lexicon>>>);

impl LexiconHandle {
    /// Wraps a lexicon.
    pub fn new(lex: Lexicon) -> Self {
        LexiconHandle(Arc::new(RwLock::new(Arc::new(lex))))
    }

    /// The current lexicon.
    pub fn current(&self) -> Arc<Lexicon> {
        match self.0.read() {
            Ok(g) => Arc::clone(&g),
            Err(p) => Arc::clone(&p.into_inner()),
        }
    }

    /// Replaces the lexicon; readers holding the old one finish with it.
    pub fn swap(&self, lex: Lexicon) {
        let new = Arc::new(lex);
        match self.0.write() {
            Ok(mut g) => *g = new,
            Err(p) => *p.into_inner() = new,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse_rules, CompileOptions, Lexicon};

    fn lex() -> Lexicon {
        let rules = parse_rules("sooo\tx\n赌博\tg\n时时彩\tg\n").unwrap();
        Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap()
    }

    #[test]
    fn links_that_never_end_are_refused() {
        // A failure link to itself would make the scanner loop forever.
        let mut l = lex();
        let s = (1..l.main.hot.len())
            .find(|&s| l.main.hot[s].check != crate::automaton::FREE)
            .unwrap();
        l.main.cold[s].fail = s as u32;
        assert!(Lexicon::from_bytes(&l.to_bytes()).is_err());
        // An output chain that loops would fill memory.
        let mut l = lex();
        l.main.outputs[0].next = 0;
        assert!(Lexicon::from_bytes(&l.to_bytes()).is_err());
    }

    #[test]
    fn repeat_counts_must_cover_the_pattern() {
        // A file whose pattern claims one symbol more than it has repeat
        // counts for: its stored header is rule, term, len, noise, flags,
        // number of counts.
        let l = lex();
        let p = l.patterns.iter().find(|p| p.has_runs()).unwrap();
        let n = l.runs_of(p).unwrap().len() as u32;
        let header: Vec<u8> = [p.rule, p.term, u32::from(p.len), u32::from(p.max_noise)]
            .iter()
            .chain(&[u32::from(p.flags), n])
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let mut bytes = l.to_bytes();
        assert!(Lexicon::from_bytes(&bytes).is_ok());
        let at = bytes
            .windows(header.len())
            .position(|w| w == header)
            .expect("the header is stored");
        bytes[at + 8..at + 12].copy_from_slice(&(u32::from(p.len) + 1).to_le_bytes());
        assert!(Lexicon::from_bytes(&bytes).is_err());
    }

    #[test]
    fn one_source_compiles_to_the_same_bytes() {
        let rules = parse_rules(
            "[[rule]]\nid = \"a\"\nterms = [\"网络赌博\", \"时时彩\"]\ninitials = true\npinyin = true\n\
             [[rule]]\nid = \"b\"\nterms = [\"代开发票\", \"fuck\"]\ninitials = true\npinyin = true\n",
        )
        .unwrap();
        let options = CompileOptions { pinyin_all: true };
        let first = Lexicon::compile(&rules, &options).unwrap().to_bytes();
        for _ in 0..5 {
            assert_eq!(
                Lexicon::compile(&rules, &options).unwrap().to_bytes(),
                first
            );
        }
    }
}
