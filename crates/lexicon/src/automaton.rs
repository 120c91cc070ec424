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

struct TrieNode {
    children: Vec<(u32, u32)>,
    patterns: Vec<u32>,
}

/// Smallest free slot `>= i`, with path halving; slots past the end are free.
fn find_free(next: &mut Vec<u32>, mut i: u32) -> u32 {
    while (i as usize) < next.len() && next[i as usize] != i {
        let n = next[i as usize];
        if (n as usize) < next.len() {
            next[i as usize] = next[n as usize];
        }
        i = n;
    }
    i
}

impl Automaton {
    /// Builds the automaton of `patterns` (each a non-empty symbol sequence,
    /// symbols `>= 1`); pattern ids are the indices into `patterns`.
    pub(crate) fn build(patterns: &[Vec<u32>]) -> Automaton {
        let mut trie = vec![TrieNode {
            children: Vec::new(),
            patterns: Vec::new(),
        }];
        // Sorted insertion: a node's children arrive in increasing order, so
        // only its last child can be the one we need.
        let mut ids: Vec<usize> = (0..patterns.len()).collect();
        ids.sort_unstable_by(|&x, &y| patterns[x].cmp(&patterns[y]));
        for id in ids {
            let p = &patterns[id];
            if p.is_empty() {
                continue;
            }
            let mut node = 0usize;
            for &c in p {
                let found = trie[node].children.last().filter(|x| x.0 == c).map(|x| x.1);
                node = match found {
                    Some(n) => n as usize,
                    None => {
                        let n = trie.len() as u32;
                        trie.push(TrieNode {
                            children: Vec::new(),
                            patterns: Vec::new(),
                        });
                        trie[node].children.push((c, n));
                        n as usize
                    }
                };
            }
            trie[node].patterns.push(id as u32);
        }

        // Place nodes breadth first.
        let free = Slot {
            base: 0,
            check: FREE,
            fail: 0,
            out: NO_OUTPUT,
        };
        let mut slots = vec![free];
        let mut next_free: Vec<u32> = vec![1];
        let mut slot_of = vec![0u32; trie.len()];
        let mut order = vec![0usize];
        let mut head = 0;
        while head < order.len() {
            let node = order[head];
            head += 1;
            let children = &mut trie[node].children;
            if children.is_empty() {
                continue;
            }
            children.sort_unstable_by_key(|x| x.0);
            let first = children[0].0;
            let mut pos = find_free(&mut next_free, first.max(1));
            let base = loop {
                let base = pos - first;
                let fits = children.iter().all(|&(c, _)| {
                    let t = (base + c) as usize;
                    t >= slots.len() || slots[t].check == FREE
                });
                if fits {
                    break base;
                }
                pos = find_free(&mut next_free, pos + 1);
            };
            let parent = slot_of[node];
            slots[parent as usize].base = base;
            let need = (base + children.last().map_or(0, |x| x.0)) as usize + 1;
            if need > slots.len() {
                let old = slots.len();
                slots.resize(need, free);
                next_free.extend(old as u32..need as u32);
            }
            for &(c, child) in children.iter() {
                let t = base + c;
                slots[t as usize].check = parent;
                next_free[t as usize] = t + 1;
                slot_of[child as usize] = t;
                order.push(child as usize);
            }
        }

        // Failure links and output chains, breadth first.
        let mut outputs = Vec::new();
        let mut a = Automaton {
            slots,
            outputs: Vec::new(),
        };
        for &node in &order {
            let s = slot_of[node];
            if node != 0 {
                let mut chain = a.slots[a.slots[s as usize].fail as usize].out;
                for &p in trie[node].patterns.iter().rev() {
                    outputs.push((p, chain));
                    chain = outputs.len() as u32 - 1;
                }
                a.slots[s as usize].out = chain;
            }
            for &(c, child) in &trie[node].children {
                let t = slot_of[child as usize];
                let fail = if node == 0 {
                    0
                } else {
                    a.next(a.slots[s as usize].fail, c)
                };
                a.slots[t as usize].fail = fail;
            }
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
        let a = Automaton::build(&patterns);
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
