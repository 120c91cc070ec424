//! A double-array Aho-Corasick automaton over dense `u32` symbols.
//!
//! Symbols are small integers `>= 1` chosen by the compiler (characters of the
//! lexicon's alphabet, most frequent first, or pinyin syllable ids), so the
//! double array stays dense. A transition from slot `s` on symbol `c` is slot
//! `t = base[s] + c` when `check[t] == s`; otherwise the failure link is
//! followed. Slot 0 is the root. Each slot's `out` heads a chain of pattern
//! ids ending there or at a suffix (dictionary links folded in at build time),
//! so reporting never walks failure links. The same array also holds plain
//! tries ([`Automaton::build_trie`]: no failure links, and each chain only
//! the patterns that end exactly at its slot).
//!
//! A slot is split in two 8-byte halves: `base` and `check` (read on every
//! step, so twice as many fit in cache) and `fail` and `out` (read on a
//! failure, or when the top bit of `check`, [`HAS_OUTPUT`], says the state
//! reports something).
//!
//! Invariants: `check` of a free slot is [`FREE`]; `base + c` never
//! overflows `u32` for symbols below the alphabet size given at build time;
//! there are fewer than `2^31 - 1` slots, so a parent never looks like `FREE`
//! with the output bit masked off.

/// `check` value of a free slot.
pub(crate) const FREE: u32 = u32::MAX;
/// Chain terminator in `out` and in output `next` links.
pub(crate) const NO_OUTPUT: u32 = u32::MAX;

/// Set in `check` of a state whose `out` chain is not empty.
pub(crate) const HAS_OUTPUT: u32 = 1 << 31;

/// The half of a slot read on every step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    pub(crate) base: u32,
    /// Parent slot, with [`HAS_OUTPUT`]; [`FREE`] for a free slot.
    pub(crate) check: u32,
}

/// The half of a slot read on a failure or an output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cold {
    pub(crate) fail: u32,
    pub(crate) out: u32,
}

/// A link of an output chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Output {
    /// The pattern id.
    pub(crate) id: u32,
    /// The next link, or [`NO_OUTPUT`].
    pub(crate) next: u32,
}

/// The compiled automaton.
#[derive(Debug, Clone, Default)]
pub(crate) struct Automaton {
    pub(crate) hot: Vec<Hot>,
    pub(crate) cold: Vec<Cold>,
    /// Output chain links.
    pub(crate) outputs: Vec<Output>,
}

/// Smallest free slot `>= i`, with path halving; slots past the end are free.
fn find_free(next: &mut [u32], mut i: u32) -> u32 {
    while (i as usize) < next.len() && next[i as usize] != i {
        let n = next[i as usize];
        if (n as usize) < next.len() {
            next[i as usize] = next[n as usize];
        }
        i = n;
    }
    i
}

/// Many symbol sequences in one buffer (no allocation per pattern).
#[derive(Debug, Clone, Default)]
pub(crate) struct Sequences {
    data: Vec<u32>,
    ends: Vec<u32>,
}

impl Sequences {
    /// Room for `n` sequences of `symbols` symbols in all.
    pub(crate) fn with_capacity(n: usize, symbols: usize) -> Sequences {
        Sequences {
            data: Vec::with_capacity(symbols),
            ends: Vec::with_capacity(n),
        }
    }

    /// Gives back unused room.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Appends one sequence; its id is the number of sequences before it.
    pub(crate) fn push(&mut self, seq: impl IntoIterator<Item = u32>) {
        self.data.extend(seq);
        self.ends.push(self.data.len() as u32);
    }

    /// The number of sequences.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Sequence `i`.
    pub(crate) fn get(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.data[start..self.ends[i] as usize]
    }

    /// All symbols, end to end.
    pub(crate) fn data(&self) -> &[u32] {
        &self.data
    }

    /// Every symbol, to rewrite in place.
    pub(crate) fn symbols_mut(&mut self) -> &mut [u32] {
        &mut self.data
    }
}

/// A node waiting to be placed: its slot, depth, and the range of sorted
/// pattern ids that pass through it.
struct Pending {
    slot: u32,
    depth: u32,
    lo: u32,
    hi: u32,
}

/// The trie placed in the double array, before failure links.
struct Placed {
    slots: Vec<Hot>,
    /// Pattern ids, sorted by their symbols.
    ids: Vec<u32>,
    /// Placed nodes breadth first: slot, and the range of `ids` ending there.
    order: Vec<(u32, u32, u32)>,
}

/// After this many failed tries, nodes with several children stop looking
/// below the failing position: keeps placement near linear on big lexicons.
const MAX_TRIES: u32 = 32;

impl Automaton {
    /// [`Automaton::build_owned`] of borrowed patterns.
    #[cfg(test)]
    pub(crate) fn build(patterns: &Sequences) -> Automaton {
        Self::link(Self::place(patterns))
    }

    /// Builds the automaton of `patterns` (each a non-empty symbol sequence,
    /// symbols `>= 1`); pattern ids are the indices into `patterns`. The
    /// patterns are freed before the failure links are computed (the peak
    /// of a big build).
    ///
    /// The double array is filled breadth first straight from the sorted
    /// patterns (a node's children are the distinct symbols at its depth in
    /// its range), so no intermediate trie is built.
    pub(crate) fn build_owned(patterns: Sequences) -> Automaton {
        let placed = Self::place(&patterns);
        drop(patterns);
        Self::link(placed)
    }

    /// Places the trie of `patterns` in the double array.
    fn place(patterns: &Sequences) -> Placed {
        let mut ids: Vec<u32> = (0..patterns.len() as u32)
            .filter(|&i| !patterns.get(i as usize).is_empty())
            .collect();
        ids.sort_unstable_by(|&x, &y| patterns.get(x as usize).cmp(patterns.get(y as usize)));
        let sym_at = |id: u32, d: u32| patterns.get(id as usize).get(d as usize).copied();

        let free = Hot {
            base: 0,
            check: FREE,
        };
        // Nodes of the trie: each sorted pattern adds the symbols past its
        // common prefix with the one before. Reserving about twice that (the
        // array is rarely more than half full) plus the alphabet avoids
        // doubling reallocations on big lexicons.
        let mut nodes = 1usize;
        for w in 0..ids.len() {
            let cur = patterns.get(ids[w] as usize);
            let common = match w.checked_sub(1) {
                Some(v) => {
                    let prev = patterns.get(ids[v] as usize);
                    prev.iter().zip(cur).take_while(|(a, b)| a == b).count()
                }
                None => 0,
            };
            nodes += cur.len() - common;
        }
        let max_sym = patterns.data.iter().copied().max().unwrap_or(0) as usize;
        let estimate = nodes * 2 + max_sym + 2;
        let mut slots = Vec::with_capacity(estimate);
        slots.push(free);
        let mut next_free: Vec<u32> = Vec::with_capacity(estimate);
        next_free.push(1);
        let mut multi_cursor = 1u32;
        // Breadth-first order of placed nodes (parent and symbol follow from
        // `check` and `base`), each with the range of sorted ids ending there.
        let mut order: Vec<(u32, u32, u32)> = Vec::with_capacity(nodes);
        let mut queue = std::collections::VecDeque::new();
        queue.push_back(Pending {
            slot: 0,
            depth: 0,
            lo: 0,
            hi: ids.len() as u32,
        });
        let mut children: Vec<(u32, u32, u32)> = Vec::new();
        while let Some(node) = queue.pop_front() {
            // Patterns ending here sort first in the range.
            let mut lo = node.lo;
            while lo < node.hi && sym_at(ids[lo as usize], node.depth).is_none() {
                lo += 1;
            }
            order.push((node.slot, node.lo, lo));
            children.clear();
            let mut i = lo;
            while i < node.hi {
                let c = sym_at(ids[i as usize], node.depth).unwrap_or(0);
                let start = i;
                while i < node.hi && sym_at(ids[i as usize], node.depth) == Some(c) {
                    i += 1;
                }
                children.push((c, start, i));
            }
            if children.is_empty() {
                continue;
            }
            let first = children[0].0;
            let from = if children.len() > 1 {
                multi_cursor.max(first.max(1))
            } else {
                first.max(1)
            };
            let mut pos = find_free(&mut next_free, from);
            let mut tries = 0u32;
            let base = loop {
                let base = pos - first;
                let fits = children.iter().all(|&(c, _, _)| {
                    let t = (base + c) as usize;
                    t >= slots.len() || slots[t].check == FREE
                });
                if fits {
                    break base;
                }
                tries += 1;
                if tries > MAX_TRIES && children.len() > 1 {
                    multi_cursor = multi_cursor.max(pos);
                }
                pos = find_free(&mut next_free, pos + 1);
            };
            slots[node.slot as usize].base = base;
            let need = (base + children.last().map_or(0, |x| x.0)) as usize + 1;
            if need > slots.len() {
                let old = slots.len();
                slots.resize(need, free);
                next_free.extend(old as u32..need as u32);
            }
            for &(c, clo, chi) in &children {
                let t = base + c;
                slots[t as usize].check = node.slot;
                next_free[t as usize] = t + 1;
                queue.push_back(Pending {
                    slot: t,
                    depth: node.depth + 1,
                    lo: clo,
                    hi: chi,
                });
            }
        }

        drop(next_free);
        drop(queue);
        drop(children);
        slots.shrink_to_fit();
        Placed { slots, ids, order }
    }

    /// Failure links and output chains, breadth first (parents first).
    fn link(placed: Placed) -> Automaton {
        let Placed { slots, ids, order } = placed;
        let cold = vec![
            Cold {
                fail: 0,
                out: NO_OUTPUT,
            };
            slots.len()
        ];
        let mut a = Automaton {
            hot: slots,
            cold,
            outputs: Vec::new(),
        };
        let mut outputs = Vec::with_capacity(ids.len());
        for &(s, end_lo, end_hi) in &order[1..] {
            let parent = a.hot[s as usize].check;
            let c = s - a.hot[parent as usize].base;
            let fail = if parent == 0 {
                0
            } else {
                a.next(a.cold[parent as usize].fail, c)
            };
            a.cold[s as usize].fail = fail;
            let mut chain = a.cold[fail as usize].out;
            for k in (end_lo..end_hi).rev() {
                outputs.push(Output {
                    id: ids[k as usize],
                    next: chain,
                });
                chain = outputs.len() as u32 - 1;
            }
            a.cold[s as usize].out = chain;
            if chain != NO_OUTPUT {
                a.hot[s as usize].check |= HAS_OUTPUT;
            }
        }
        outputs.shrink_to_fit();
        a.outputs = outputs;
        a
    }

    /// A plain trie of `patterns`: no failure links (every `fail` is the
    /// root), and each slot's output chain holds only the patterns that end
    /// exactly there. Walked with [`Automaton::child`].
    pub(crate) fn build_trie(patterns: &Sequences) -> Automaton {
        let Placed {
            slots: mut hot,
            ids,
            order,
        } = Self::place(patterns);
        let mut cold = vec![
            Cold {
                fail: 0,
                out: NO_OUTPUT,
            };
            hot.len()
        ];
        let mut outputs = Vec::with_capacity(ids.len());
        for &(s, lo, hi) in order.iter().skip(1) {
            let mut chain = NO_OUTPUT;
            for k in (lo..hi).rev() {
                outputs.push(Output {
                    id: ids[k as usize],
                    next: chain,
                });
                chain = outputs.len() as u32 - 1;
            }
            cold[s as usize].out = chain;
            if chain != NO_OUTPUT {
                hot[s as usize].check |= HAS_OUTPUT;
            }
        }
        Automaton { hot, cold, outputs }
    }

    /// The child of slot `s` on symbol `c`, if it has one (no failure links).
    #[inline(always)]
    pub(crate) fn child(&self, s: u32, c: u32) -> Option<u32> {
        let t = self.hot[s as usize].base.wrapping_add(c);
        match self.hot.get(t as usize) {
            Some(n) if n.check & !HAS_OUTPUT == s => Some(t),
            _ => None,
        }
    }

    /// The state after reading `c` in state `s` (failure links followed).
    #[inline(always)]
    pub(crate) fn next(&self, mut s: u32, c: u32) -> u32 {
        loop {
            let t = self.hot[s as usize].base.wrapping_add(c);
            if let Some(n) = self.hot.get(t as usize) {
                if n.check & !HAS_OUTPUT == s {
                    return t;
                }
            }
            if s == 0 {
                return 0;
            }
            s = self.cold[s as usize].fail;
        }
    }

    /// The first output link of state `s`, or [`NO_OUTPUT`].
    #[inline(always)]
    pub(crate) fn out(&self, s: u32) -> u32 {
        if self.hot[s as usize].check & HAS_OUTPUT != 0 {
            self.cold[s as usize].out
        } else {
            NO_OUTPUT
        }
    }

    /// Bytes held by the automaton.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.hot.len() * 16 + self.outputs.len() * std::mem::size_of::<Output>()
    }
}

/// Every (pattern id, index of its last symbol) where one of `patterns`
/// occurs in `text`, sorted: what the matchers' tests compare with.
#[cfg(test)]
pub(crate) fn naive_ends<P: AsRef<[u32]>>(patterns: &[P], text: &[u32]) -> Vec<(u32, usize)> {
    let mut found = Vec::new();
    for (id, p) in patterns.iter().enumerate() {
        let p = p.as_ref();
        for end in 0..text.len() {
            if end + 1 >= p.len() && text[end + 1 - p.len()..=end] == *p {
                found.push((id as u32, end));
            }
        }
    }
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_all(a: &Automaton, text: &[u32]) -> Vec<(u32, usize)> {
        let mut s = 0;
        let mut found = Vec::new();
        for (i, &c) in text.iter().enumerate() {
            s = a.next(s, c);
            let mut o = a.out(s);
            while o != NO_OUTPUT {
                let x = a.outputs[o as usize];
                found.push((x.id, i));
                o = x.next;
            }
        }
        found.sort_unstable();
        found
    }

    #[test]
    fn finds_overlapping_patterns_like_a_naive_search() {
        let patterns = vec![
            vec![1, 2],
            vec![2, 3, 4],
            vec![2],
            vec![5, 1, 2, 3],
            vec![700, 2],
        ];
        let mut seqs = Sequences::default();
        for p in &patterns {
            seqs.push(p.iter().copied());
        }
        let a = Automaton::build(&seqs);
        let text = [5, 1, 2, 3, 4, 700, 2, 9, 2];
        let naive = naive_ends(&patterns, &text);
        assert_eq!(find_all(&a, &text), naive);
    }
}
