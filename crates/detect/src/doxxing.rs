//! Doxxing: from personal information in one item to incidents across items.
//!
//! [`assess`] labels one item: it is doxxing when it exposes two or more
//! kinds of personal information, or one kind together with a target person
//! (the item's `target` or `mentions`, an @-mention, words such as 他家住,
//! 真名) or a doxxing cue (开盒, 人肉, 扒皮, 轰炸). The signal carries every
//! span and no personal data in clear.
//!
//! [`DoxxingIncidents`] is the stateful part for the scan loop: items
//! labelled doxxing that share a target (the same account, or the same
//! number by its keyed hash) within a window of *event time*
//! (`item.created_at`, never the wall clock) form one incident, so a replay
//! of a file always gives the same incident ids.

use crate::pii::cues::{self, CueHit, CueKind};
use crate::pii::{mask, PiiDetector, PiiKind, PiiMatch};
use chrono::{DateTime, FixedOffset, TimeDelta};
use qinglang_model::{category, Item, Signal};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// The rule name of the doxxing signal.
pub const DOXXING_RULE: &str = "doxxing";

/// Whether the text has an @-mention that is not part of an e-mail address.
fn has_at_mention(text: &str, matches: &[PiiMatch]) -> bool {
    memchr::memchr_iter(b'@', text.as_bytes()).any(|at| {
        !matches
            .iter()
            .any(|m| m.kind == PiiKind::Email && m.span.start <= at && at < m.span.end)
            && text[at + 1..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace())
    })
}

/// The doxxing signal of one item, given its personal information, its cue
/// words and the `pii` signals already made for it, or `None`.
pub fn assess(
    item: &Item,
    matches: &[PiiMatch],
    hits: &[CueHit],
    _pii_signals: &[Signal],
) -> Option<Signal> {
    let kinds: BTreeSet<PiiKind> = matches.iter().map(|m| m.kind).collect();
    if kinds.is_empty() {
        return None;
    }
    let dox_cue = cues::any(hits, CueKind::Doxxing);
    let target = item.target.is_some()
        || !item.mentions.is_empty()
        || cues::any(hits, CueKind::Target)
        || has_at_mention(&item.text, matches);
    if kinds.len() < 2 && !dox_cue && !target {
        return None;
    }
    let mut score: f32 = if kinds.len() >= 2 { 0.6 } else { 0.5 };
    if kinds.iter().any(|k| k.is_identifier()) {
        score += 0.15;
    }
    if kinds.len() >= 3 {
        score += 0.1;
    }
    if dox_cue {
        score += 0.2;
    }
    if target {
        score += 0.1;
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let mut evidence = format!(
        "{} kinds of personal information: {}",
        kinds.len(),
        names.join(", ")
    );
    if dox_cue {
        evidence.push_str("; doxxing cue");
    }
    if target {
        evidence.push_str("; names a target person");
    }
    Some(Signal {
        detector: Cow::Borrowed(PiiDetector::NAME),
        rule: DOXXING_RULE.to_owned(),
        category: category::DOXXING,
        score: score.min(0.95),
        spans: matches.iter().map(|m| m.span).collect(),
        evidence,
    })
}

/// How incidents are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoxxingIncidentConfig {
    /// Items further apart than this in event time do not join one incident.
    pub window: TimeDelta,
    /// How many doxxing items about one target raise an incident.
    pub min_items: usize,
}

impl Default for DoxxingIncidentConfig {
    fn default() -> Self {
        DoxxingIncidentConfig {
            window: TimeDelta::hours(72),
            min_items: 2,
        }
    }
}

#[derive(Debug)]
struct Group {
    first_item: String,
    items: usize,
    first: DateTime<FixedOffset>,
    last: DateTime<FixedOffset>,
    /// Set to itself when live; to the group it merged into otherwise.
    merged_into: usize,
}

/// Groups doxxing items about one target into incidents, by event time.
///
/// Feed it every item with the signals the pipeline made for it; it returns
/// the incident id once `min_items` doxxing items about one target (same
/// `target` account, same mentioned account, or the same number by keyed
/// hash) fall within the window, and for every later item of that incident.
/// Items observed before the incident was raised keep no id; the first
/// item's id is part of the incident id (`doxxing-<item id>`).
#[derive(Debug, Default)]
pub struct DoxxingIncidents {
    config: DoxxingIncidentConfig,
    groups: Vec<Group>,
    by_key: HashMap<String, usize>,
    latest: Option<DateTime<FixedOffset>>,
    observed: u64,
}

impl DoxxingIncidents {
    /// A tracker with `config`.
    pub fn new(config: DoxxingIncidentConfig) -> Self {
        DoxxingIncidents {
            config,
            ..Default::default()
        }
    }

    fn root(&self, mut g: usize) -> usize {
        while self.groups[g].merged_into != g {
            g = self.groups[g].merged_into;
        }
        g
    }

    /// The keys that identify the item's target.
    fn keys(item: &Item, signals: &[Signal]) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(t) = &item.target {
            keys.push(format!("account:{t}"));
        }
        keys.extend(item.mentions.iter().map(|m| format!("account:{m}")));
        for s in signals
            .iter()
            .filter(|s| s.detector == PiiDetector::NAME && s.rule != DOXXING_RULE)
        {
            if let Some(h) = mask::hash_of_evidence(&s.evidence) {
                keys.push(format!("{}:{h}", s.rule));
            }
        }
        keys
    }

    /// Records one item and returns the incident it belongs to, if any.
    pub fn observe(&mut self, item: &Item, signals: &[Signal]) -> Option<String> {
        if !signals
            .iter()
            .any(|s| s.detector == PiiDetector::NAME && s.rule == DOXXING_RULE)
        {
            return None;
        }
        let t = item.created_at;
        self.observed += 1;
        self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        if self.observed % 4096 == 0 {
            self.prune();
        }
        let window = self.config.window;
        let keys = Self::keys(item, signals);
        let mut found: Option<usize> = None;
        for k in &keys {
            let Some(&g) = self.by_key.get(k) else {
                continue;
            };
            let g = self.root(g);
            let grp = &self.groups[g];
            if t - grp.last > window || grp.first - t > window {
                continue;
            }
            found = Some(match found {
                None => g,
                Some(f) if f == g => f,
                Some(f) => {
                    let (keep, gone) = (f.min(g), f.max(g));
                    let (items, first, last) = (
                        self.groups[gone].items,
                        self.groups[gone].first,
                        self.groups[gone].last,
                    );
                    self.groups[gone].merged_into = keep;
                    let k = &mut self.groups[keep];
                    k.items += items;
                    k.first = k.first.min(first);
                    k.last = k.last.max(last);
                    keep
                }
            });
        }
        let g = match found {
            Some(g) => g,
            None => {
                let g = self.groups.len();
                self.groups.push(Group {
                    first_item: item.id.clone(),
                    items: 0,
                    first: t,
                    last: t,
                    merged_into: g,
                });
                g
            }
        };
        let grp = &mut self.groups[g];
        grp.items += 1;
        grp.first = grp.first.min(t);
        grp.last = grp.last.max(t);
        for k in keys {
            self.by_key.insert(k, g);
        }
        let grp = &self.groups[g];
        (grp.items >= self.config.min_items.max(1)).then(|| format!("doxxing-{}", grp.first_item))
    }

    /// Forgets keys whose incidents ended more than a window before the
    /// latest event seen, so memory stays bounded on long streams.
    fn prune(&mut self) {
        let Some(latest) = self.latest else { return };
        let horizon = latest - self.config.window - self.config.window;
        let groups = &self.groups;
        self.by_key.retain(|_, g| {
            let mut r = *g;
            while groups[r].merged_into != r {
                r = groups[r].merged_into;
            }
            groups[r].last >= horizon
        });
    }
}
