//! A double-array Aho-Corasick automaton over dense `u32` symbols.
//!
//! Symbols are small integers `>= 1` chosen by the compiler (characters of the
//! lexicon's alphabet, most frequent first, or pinyin syllable ids), so the
//! double array stays dense. A transition from slot `s` on symbol `c` is slot
//! `t = base[s] + c` when `check[t] == s`; otherwise the failure link is
//! followed. Slot 0 is the root. Each slot's `out` heads a chain of pattern
//! ids ending there or at a suffix (dictionary links folded in at build time),
//! so reporting never walks failure links.
//!
//! Invariants: `check` of a free slot is [`FREE`]; `base + c` never
//! overflows `u32` for symbols below the alphabet size given at build time.

/// `check` value of a free slot.
pub(crate) const FREE: u32 = u32::MAX;
/// Chain terminator in `out` and in output `next` links.
pub(crate) const NO_OUTPUT: u32 = u32::MAX;

/// One double-array slot: 16 bytes, one cache line holds four.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) base: u32,
    pub(crate) check: u32,
    pub(crate) fail: u32,
    pub(crate) out: u32,
}

/// The compiled automaton.
#[derive(Debug, Clone, Default)]
pub(crate) struct Automaton {
    pub(crate) slots: Vec<Slot>,
    /// Output chain links: (pattern id, next index or [`NO_OUTPUT`]).
    pub(crate) outputs: Vec<(u32, u32)>,
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

/// After this many failed tries, nodes with several children stop looking
/// below the failing position: keeps placement near linear on big lexicons.
const MAX_TRIES: u32 = 32;

impl Automaton {
    /// Builds the automaton of `patterns` (each a non-empty symbol sequence,
    /// symbols `>= 1`); pattern ids are the indices into `patterns`.
    ///
    /// The double array is filled breadth first straight from the sorted
    /// patterns (a node's children are the distinct symbols at its depth in
    /// its range), so no intermediate trie is built.
    pub(crate) fn build(patterns: &Sequences) -> Automaton {
        let mut ids: Vec<u32> = (0..patterns.len() as u32)
            .filter(|&i| !patterns.get(i as usize).is_empty())
            .collect();
        ids.sort_unstable_by(|&x, &y| patterns.get(x as usize).cmp(patterns.get(y as usize)));
        let sym_at = |id: u32, d: u32| patterns.get(id as usize).get(d as usize).copied();

        let free = Slot {
            base: 0,
            check: FREE,
            fail: 0,
            out: NO_OUTPUT,
        };
        // Nodes are at most the symbols plus the root; reserving that (and a
        // margin for gaps) avoids doubling reallocations on big lexicons.
        let max_sym = patterns.data.iter().copied().max().unwrap_or(0) as usize;
        let estimate = patterns.data.len() + patterns.data.len() / 8 + max_sym + 2;
        let mut slots = Vec::with_capacity(estimate);
        slots.push(free);
        let mut next_free: Vec<u32> = Vec::with_capacity(estimate);
        next_free.push(1);
        let mut multi_cursor = 1u32;
        // Breadth-first order of placed nodes (parent and symbol follow from
        // `check` and `base`), and the sorted ids ending at each node.
        let mut order: Vec<u32> = vec![0];
        let mut ending: Vec<(u32, u32, u32)> = Vec::new();
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
            if lo > node.lo {
                ending.push((node.slot, node.lo, lo));
            }
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
                order.push(t);
                queue.push_back(Pending {
                    slot: t,
                    depth: node.depth + 1,
                    lo: clo,
                    hi: chi,
                });
            }
        }

        // Failure links and output chains, breadth first (parents first).
        drop(next_free);
        ending.sort_unstable();
        let mut a = Automaton {
            slots,
            outputs: Vec::new(),
        };
        let mut outputs = Vec::new();
        for &s in &order[1..] {
            let parent = a.slots[s as usize].check;
            let c = s - a.slots[parent as usize].base;
            let fail = if parent == 0 {
                0
            } else {
                a.next(a.slots[parent as usize].fail, c)
            };
            a.slots[s as usize].fail = fail;
            let mut chain = a.slots[fail as usize].out;
            if let Ok(k) = ending.binary_search_by_key(&s, |e| e.0) {
                let (_, end_lo, end_hi) = ending[k];
                for k in (end_lo..end_hi).rev() {
                    outputs.push((ids[k as usize], chain));
                    chain = outputs.len() as u32 - 1;
                }
            }
            a.slots[s as usize].out = chain;
        }
        a.outputs = outputs;
        a
    }

    /// The state after reading `c` in state `s` (failure links followed).
    #[inline(always)]
    pub(crate) fn next(&self, mut s: u32, c: u32) -> u32 {
        loop {
            let slot = self.slots[s as usize];
            let t = slot.base.wrapping_add(c);
            if let Some(n) = self.slots.get(t as usize) {
                if n.check == s {
                    return t;
                }
            }
            if s == 0 {
                return 0;
            }
            s = slot.fail;
        }
    }

    /// The first output link of state `s`, or [`NO_OUTPUT`].
    #[inline(always)]
    pub(crate) fn out(&self, s: u32) -> u32 {
        self.slots[s as usize].out
    }

    /// Bytes held by the automaton.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>() + self.outputs.len() * 8
    }
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
                let (p, n) = a.outputs[o as usize];
                found.push((p, i));
                o = n;
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
        let mut naive = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            for end in 0..text.len() {
                if end + 1 >= p.len() && text[end + 1 - p.len()..=end] == p[..] {
                    naive.push((id as u32, end));
                }
            }
        }
        naive.sort_unstable();
        assert_eq!(find_all(&a, &text), naive);
    }
}
