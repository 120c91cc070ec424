//! The `lexicon` detector: evasion-resistant keyword and phrase rules.
//!
//! Runs a compiled [`Lexicon`] over an item's original text (and an
//! account's display name). The lexicon folds text itself, so spans are
//! byte offsets into the original text by construction. One signal per rule
//! that fired: category from the rule, every matched span, and the terms,
//! evasions and severity as evidence. The score is the best match's
//! confidence times the rule's severity weight (low 0.5, medium 0.7, high
//! 0.9, critical 1.0), so that the policy can tell an absolute-claim word in
//! an ad from a drug name: with the default policy a lone low-severity hit is
//! a label, a medium one goes to review, a high one is acted on.

use crate::{AccountContext, Detector, ItemContext};
use qinglang_lexicon::{
    default_lexicon, load_lexicon, CompileOptions, Lexicon, LexiconError, Match,
};
use qinglang_model::{Category, Signal, Span};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// The `lexicon` detector.
pub struct LexiconDetector {
    lexicon: Arc<Lexicon>,
}

impl LexiconDetector {
    /// Wraps a compiled lexicon.
    pub fn new(lexicon: Arc<Lexicon>) -> Self {
        LexiconDetector { lexicon }
    }

    /// The embedded default pack.
    pub fn default_pack() -> Result<Self, LexiconError> {
        Ok(Self::new(Arc::new(default_lexicon(
            &CompileOptions::default(),
        )?)))
    }

    /// A lexicon file: plain list, TOML or compiled.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let lex = load_lexicon(&bytes, &CompileOptions::default())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self::new(Arc::new(lex)))
    }

    fn signals(&self, text: &str, out: &mut Vec<Signal>) {
        let found = self.lexicon.find(text);
        if found.is_empty() {
            return;
        }
        let mut by_rule: Vec<(usize, Vec<&Match>)> = Vec::new();
        for m in &found {
            match by_rule.iter_mut().find(|(r, _)| *r == m.rule) {
                Some((_, list)) => list.push(m),
                None => by_rule.push((m.rule, vec![m])),
            }
        }
        for (rule, matches) in by_rule {
            let Some(info) = self.lexicon.rule(rule) else {
                continue;
            };
            let confidence = matches.iter().map(|m| m.confidence).fold(0.0f32, f32::max);
            let score = confidence * severity_weight(info.severity().as_str());
            let mut evidence = format!("severity={};", info.severity().as_str());
            for m in &matches {
                let term = info.term(m.term);
                let ev = m.evasions.names();
                if ev.is_empty() {
                    evidence.push_str(&format!(" `{term}`"));
                } else {
                    evidence.push_str(&format!(" `{term}` ({})", ev.join(", ")));
                }
            }
            out.push(Signal {
                detector: Cow::Borrowed("lexicon"),
                rule: info.id().to_owned(),
                category: Category::new(info.category().to_owned()),
                score,
                spans: matches.iter().map(|m| Span::new(m.start, m.end)).collect(),
                evidence,
            });
        }
    }
}

/// How much a rule's severity lets one of its matches count.
fn severity_weight(severity: &str) -> f32 {
    match severity {
        "low" => 0.5,
        "medium" => 0.7,
        "high" => 0.9,
        _ => 1.0,
    }
}

impl Detector for LexiconDetector {
    fn name(&self) -> &'static str {
        "lexicon"
    }

    fn inspect_item(&self, cx: &ItemContext<'_>, out: &mut Vec<Signal>) {
        self.signals(&cx.item.text, out);
    }

    fn inspect_account(&self, cx: &AccountContext<'_>, out: &mut Vec<Signal>) {
        self.signals(&cx.account.name, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qinglang_lexicon::parse_rules;
    use qinglang_model::Item;
    use qinglang_text::Normalized;

    fn item(text: &str) -> Item {
        serde_json::from_value(serde_json::json!({
            "id": "i1", "author": "a1", "text": text, "created_at": "2026-01-01T00:00:00+08:00"
        }))
        .unwrap()
    }

    #[test]
    fn reports_one_signal_per_rule_with_original_spans() {
        let rules = parse_rules("[[rule]]\nid = \"g\"\nterms = [\"赌博\"]\ncategory = \"gambling_drugs\"\nseverity = \"high\"\n").unwrap();
        let det = LexiconDetector::new(Arc::new(
            Lexicon::compile(&rules, &CompileOptions::default()).unwrap(),
        ));
        let it = item("来賭 博，再来赌博");
        let norm = Normalized::new(&it.text);
        let mut out = Vec::new();
        det.inspect_item(
            &ItemContext {
                item: &it,
                text: &norm,
            },
            &mut out,
        );
        assert_eq!(out.len(), 1);
        let s = &out[0];
        assert_eq!(
            (s.rule.as_str(), s.category.as_str()),
            ("g", "gambling_drugs")
        );
        let texts: Vec<&str> = s
            .spans
            .iter()
            .map(|sp| &it.text[sp.start..sp.end])
            .collect();
        assert_eq!(texts, ["賭 博", "赌博"]);
        // An exact match of a high-severity rule: confidence 1.0 times weight 0.9.
        assert_eq!(s.score, 0.9);
        assert!(s.evidence.contains("severity=high") && s.evidence.contains("traditional"));
    }

    #[test]
    fn default_pack_builds_and_stays_quiet_on_clean_text() {
        let det = LexiconDetector::default_pack().unwrap();
        let it = item("今天天气不错，一起去图书馆看书吧");
        let norm = Normalized::new(&it.text);
        let mut out = Vec::new();
        det.inspect_item(
            &ItemContext {
                item: &it,
                text: &norm,
            },
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
    }
}
