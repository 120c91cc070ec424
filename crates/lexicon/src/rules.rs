//! The compiled rules, what a match reports: ids, terms, categories and
//! severities, kept in one text arena.
//!
//! A lexicon of 200,000 rules held as `String`s costs four small allocations
//! per rule (id, term list, term, category); here it costs one 24-byte record
//! and the characters themselves. A plain list's id is its term, so the two
//! share their bytes, and each distinct category is stored once.
//!
//! Invariant: every span lies inside `text` on character boundaries, since
//! spans are only ever made by [`RulesBuilder::push`] from whole strings.

use qinglang_model::Severity;
use std::collections::HashMap;

/// A byte range of the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    id: Span,
    /// Index into `Rules::categories`.
    category: u32,
    /// The rule's terms are `terms[first..first + count]`.
    first: u32,
    count: u32,
    severity: Severity,
}

/// The rules of a compiled lexicon, indexed by [`crate::Match::rule`].
#[derive(Debug, Clone, Default)]
pub struct Rules {
    text: String,
    records: Vec<Record>,
    terms: Vec<Span>,
    categories: Vec<Span>,
}

/// One rule, borrowed from [`Rules`].
#[derive(Debug, Clone, Copy)]
pub struct RuleRef<'a> {
    rules: &'a Rules,
    record: Record,
}

impl<'a> RuleRef<'a> {
    /// The rule's id (a plain list's id is its term).
    pub fn id(&self) -> &'a str {
        self.rules.str(self.record.id)
    }

    /// The rule's category code.
    pub fn category(&self) -> &'a str {
        self.rules
            .categories
            .get(self.record.category as usize)
            .map_or("", |&s| self.rules.str(s))
    }

    pub fn severity(&self) -> Severity {
        self.record.severity
    }

    /// Term `k` of the rule, as written in the lexicon ([`crate::Match::term`]);
    /// empty when out of range.
    pub fn term(&self, k: usize) -> &'a str {
        if k >= self.record.count as usize {
            return "";
        }
        self.rules
            .terms
            .get(self.record.first as usize + k)
            .map_or("", |&s| self.rules.str(s))
    }

    /// The rule's terms, in order.
    pub fn terms(&self) -> impl Iterator<Item = &'a str> + 'a {
        let this = *self;
        (0..self.record.count as usize).map(move |k| this.term(k))
    }

    /// How many terms the rule has.
    pub fn term_count(&self) -> usize {
        self.record.count as usize
    }
}

impl Rules {
    fn str(&self, s: Span) -> &str {
        self.text
            .get(s.start as usize..s.end as usize)
            .unwrap_or("")
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Rule `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<RuleRef<'_>> {
        self.records.get(i).map(|&record| RuleRef {
            rules: self,
            record,
        })
    }

    /// Every rule, in order.
    pub fn iter(&self) -> impl Iterator<Item = RuleRef<'_>> + '_ {
        self.records.iter().map(move |&record| RuleRef {
            rules: self,
            record,
        })
    }

    /// Approximate heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.records.capacity() * std::mem::size_of::<Record>()
            + (self.terms.capacity() + self.categories.capacity()) * 8
    }
}

/// Builds [`Rules`]; fails only when the arena would pass 4 GiB.
#[derive(Default)]
pub(crate) struct RulesBuilder {
    rules: Rules,
    categories: HashMap<String, u32>,
}

/// The rules' text passed 4 GiB.
#[derive(Debug)]
pub(crate) struct TooLarge;

impl RulesBuilder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut b = RulesBuilder::default();
        b.rules.records.reserve_exact(n);
        b.rules.terms.reserve_exact(n);
        b
    }

    fn add(&mut self, s: &str) -> Result<Span, TooLarge> {
        let start = self.rules.text.len();
        let end = start + s.len();
        if end > u32::MAX as usize {
            return Err(TooLarge);
        }
        self.rules.text.push_str(s);
        Ok(Span {
            start: start as u32,
            end: end as u32,
        })
    }

    /// Appends a rule.
    pub(crate) fn push<T: AsRef<str>>(
        &mut self,
        id: &str,
        terms: &[T],
        category: &str,
        severity: Severity,
    ) -> Result<(), TooLarge> {
        let id_span = self.add(id)?;
        let first = self.rules.terms.len() as u32;
        for t in terms {
            let t = t.as_ref();
            let span = if t == id { id_span } else { self.add(t)? };
            self.rules.terms.push(span);
        }
        let category = match self.categories.get(category) {
            Some(&c) => c,
            None => {
                let span = self.add(category)?;
                let c = self.rules.categories.len() as u32;
                self.rules.categories.push(span);
                self.categories.insert(category.to_owned(), c);
                c
            }
        };
        self.rules.records.push(Record {
            id: id_span,
            category,
            first,
            count: terms.len() as u32,
            severity,
        });
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Rules {
        self.rules.text.shrink_to_fit();
        self.rules.terms.shrink_to_fit();
        self.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_back_as_written_and_share_ids_and_categories() {
        let mut b = RulesBuilder::with_capacity(2);
        b.push("赌博", &["赌博"], "gambling_drugs", Severity::High)
            .unwrap();
        b.push(
            "weed",
            &["大麻", "weed"],
            "gambling_drugs",
            Severity::Medium,
        )
        .unwrap();
        let rules = b.finish();
        assert_eq!(rules.len(), 2);
        let r = rules.get(1).unwrap();
        assert_eq!(r.id(), "weed");
        assert_eq!(r.category(), "gambling_drugs");
        assert_eq!(r.terms().collect::<Vec<_>>(), ["大麻", "weed"]);
        assert_eq!(r.term(5), "");
        assert_eq!(rules.get(0).unwrap().severity(), Severity::High);
        assert!(rules.get(2).is_none());
        // "赌博" once, "gambling_drugs" once, "weed" once, "大麻" once.
        assert_eq!(rules.text.len(), "赌博gambling_drugsweed大麻".len());
    }
}
