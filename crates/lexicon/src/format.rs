//! Lexicon files: a plain list or a TOML file of rules.
//!
//! Plain list: one term per line, `#` starts a comment line, an optional tab
//! followed by a category. TOML: `[[rule]]` tables with `id`, `terms`,
//! `category`, `severity` and per-rule options (see [`RuleOptions`]), plus an
//! optional `[defaults]` table whose options apply to every rule that does not
//! set its own. A file is TOML when its first meaningful line starts with `[`.
//! Invariant: every parsed rule has at least one non-empty term and a unique id.

use qinglang_model::Severity;
use serde::Deserialize;
use std::collections::HashSet;

/// Per-rule matching options. `None` means "the lexicon default".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleOptions {
    /// Match toneless pinyin, mixed pinyin/Han and homophones of Han terms of two or more characters.
    pub pinyin: Option<bool>,
    /// Also match pinyin initials (`dbwz` for 赌博网站) for terms of at least three characters.
    pub initials: Option<bool>,
    /// How many noise characters (spaces, symbols, emoji) may sit between two term characters.
    pub max_noise: Option<u8>,
    /// Latin and digit terms only match whole words. Defaults to true for such terms.
    pub whole_word: Option<bool>,
    /// Homophone-only matches of two-character terms need one original character (default true).
    pub homophone_keep_one: Option<bool>,
    /// Shortest term (in characters) whose all-Han homophones match (default 2).
    pub homophone_min_chars: Option<u8>,
    /// Latin words of 4 to 16 letters also match with one inner letter, or
    /// two adjacent ones, masked by symbols (`f*ck`, `sh#t`, `f**k`;
    /// default true).
    pub mask: Option<bool>,
}

impl RuleOptions {
    fn or(&self, d: &RuleOptions) -> RuleOptions {
        RuleOptions {
            pinyin: self.pinyin.or(d.pinyin),
            initials: self.initials.or(d.initials),
            max_noise: self.max_noise.or(d.max_noise),
            whole_word: self.whole_word.or(d.whole_word),
            homophone_keep_one: self.homophone_keep_one.or(d.homophone_keep_one),
            homophone_min_chars: self.homophone_min_chars.or(d.homophone_min_chars),
            mask: self.mask.or(d.mask),
        }
    }
}

/// One rule: terms that mean the same harm, with how to match them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub terms: Vec<String>,
    pub category: String,
    pub severity: Severity,
    pub options: RuleOptions,
    /// Phrases that suppress a match of this rule lying inside them (`大麻烦` for `大麻`).
    pub allow: Vec<String>,
}

/// A lexicon file could not be read.
impl Rule {
    /// The rule a plain-list line makes: its id is its one term, medium
    /// severity, default options.
    pub fn plain(term: impl Into<String>, category: impl Into<String>) -> Rule {
        let term = term.into();
        Rule {
            id: term.clone(),
            terms: vec![term],
            category: category.into(),
            severity: Severity::Medium,
            options: RuleOptions::default(),
            allow: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
    #[error("TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("rule `{id}`: {message}")]
    Rule { id: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    defaults: TomlDefaults,
    #[serde(default)]
    rule: Vec<TomlRule>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TomlDefaults {
    category: Option<String>,
    severity: Option<String>,
    pinyin: Option<bool>,
    initials: Option<bool>,
    max_noise: Option<u8>,
    whole_word: Option<bool>,
    homophone_keep_one: Option<bool>,
    homophone_min_chars: Option<u8>,
    mask: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlRule {
    id: String,
    terms: Vec<String>,
    category: Option<String>,
    severity: Option<String>,
    #[serde(default)]
    allow: Vec<String>,
    pinyin: Option<bool>,
    initials: Option<bool>,
    max_noise: Option<u8>,
    whole_word: Option<bool>,
    homophone_keep_one: Option<bool>,
    homophone_min_chars: Option<u8>,
    mask: Option<bool>,
}

macro_rules! options {
    ($r:expr) => {
        RuleOptions {
            pinyin: $r.pinyin,
            initials: $r.initials,
            max_noise: $r.max_noise,
            whole_word: $r.whole_word,
            homophone_keep_one: $r.homophone_keep_one,
            homophone_min_chars: $r.homophone_min_chars,
            mask: $r.mask,
        }
    };
}

/// The category given to plain-list terms without one.
pub const DEFAULT_CATEGORY: &str = "lexicon";

/// Parses a lexicon file, plain or TOML.
pub fn parse_rules(source: &str) -> Result<Vec<Rule>, FormatError> {
    if is_toml(source) {
        parse_toml(source)
    } else {
        parse_plain(source)
    }
}

/// Is the source TOML (its first meaningful line starts with `[`)?
pub(crate) fn is_toml(source: &str) -> bool {
    let first = source
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    first.is_some_and(|l| l.starts_with('['))
}

fn parse_severity(id: &str, s: Option<&str>, default: Severity) -> Result<Severity, FormatError> {
    match s {
        None => Ok(default),
        Some(s) => Severity::parse(s).ok_or_else(|| FormatError::Rule {
            id: id.to_owned(),
            message: format!("unknown severity `{s}` (low, medium, high, critical)"),
        }),
    }
}

fn parse_toml(source: &str) -> Result<Vec<Rule>, FormatError> {
    let file: TomlFile = toml::from_str(source)?;
    let d = &file.defaults;
    let d_options = options!(d);
    let default_severity = parse_severity("defaults", d.severity.as_deref(), Severity::Medium)?;
    let mut seen = HashSet::new();
    let mut rules = Vec::with_capacity(file.rule.len());
    for r in file.rule {
        let terms: Vec<String> = r
            .terms
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Err(FormatError::Rule {
                id: r.id,
                message: "no terms".into(),
            });
        }
        if !seen.insert(r.id.clone()) {
            return Err(FormatError::Rule {
                id: r.id,
                message: "duplicate id".into(),
            });
        }
        let severity = parse_severity(&r.id, r.severity.as_deref(), default_severity)?;
        rules.push(Rule {
            category: r
                .category
                .or_else(|| d.category.clone())
                .unwrap_or_else(|| DEFAULT_CATEGORY.to_owned()),
            severity,
            options: options!(r).or(&d_options),
            allow: r.allow,
            terms,
            id: r.id,
        });
    }
    Ok(rules)
}

fn parse_plain(source: &str) -> Result<Vec<Rule>, FormatError> {
    Ok(plain_entries(source)?
        .into_iter()
        .map(|(term, category)| Rule::plain(term, category))
        .collect())
}

/// A plain list's (term, category) pairs, borrowed from the source, first
/// occurrence of each term only. Each becomes a rule whose id is its term,
/// of medium severity with default options.
pub(crate) fn plain_entries(source: &str) -> Result<Vec<(&str, &str)>, FormatError> {
    let mut entries = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (i, line) in source.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (term, category) = match line.split_once('\t') {
            Some((t, c)) => (t.trim(), c.trim()),
            None => (line.trim(), ""),
        };
        if term.is_empty() {
            return Err(FormatError::Line {
                line: i + 1,
                message: "empty term before tab".into(),
            });
        }
        let category = if category.is_empty() {
            DEFAULT_CATEGORY
        } else {
            category
        };
        if seen.insert(term) {
            entries.push((term, category));
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_lists_with_comments_and_categories() {
        let rules = parse_rules("# gambling\n赌博\tgambling_drugs\n\nfuck\n赌博\n").unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].terms, vec!["赌博"]);
        assert_eq!(rules[0].category, "gambling_drugs");
        assert_eq!(rules[1].category, DEFAULT_CATEGORY);
    }

    #[test]
    fn parses_toml_rules_with_defaults() {
        let src = r#"
[defaults]
pinyin = true
max_noise = 2

[[rule]]
id = "drugs.cannabis"
terms = ["大麻"]
category = "gambling_drugs"
severity = "high"
allow = ["大麻烦"]
max_noise = 0
"#;
        let rules = parse_rules(src).unwrap();
        assert_eq!(rules[0].severity, Severity::High);
        assert_eq!(rules[0].options.pinyin, Some(true));
        assert_eq!(rules[0].options.max_noise, Some(0));
        assert_eq!(rules[0].allow, vec!["大麻烦"]);
    }

    #[test]
    fn rejects_bad_toml_rules() {
        let bad = "[[rule]]\nid = \"a\"\nterms = []\n";
        assert!(matches!(parse_rules(bad), Err(FormatError::Rule { .. })));
        let bad = "[[rule]]\nid = \"a\"\nterms = [\"x\"]\nseverity = \"huge\"\n";
        assert!(matches!(parse_rules(bad), Err(FormatError::Rule { .. })));
        let bad = "[[rule]]\nid = \"a\"\nterms = [\"x\"]\nbogus = 1\n";
        assert!(matches!(parse_rules(bad), Err(FormatError::Toml(_))));
    }
}
