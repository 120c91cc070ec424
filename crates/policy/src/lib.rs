//! Declarative routing policy.
//!
//! A [`Policy`] is read from TOML (the default pack is
//! `policies/default.toml`, built into the binary). It turns the signals of one
//! record into [`Label`]s and a [`Route`], in the spirit of Rspamd: every
//! signal has a score, scores add up per category, and thresholds from the
//! configuration decide. Each signal's score is first multiplied by the
//! weight the policy gives its detector or rule. The verdict keeps every
//! signal verbatim so that a reviewer can see exactly why.

mod config;

pub use config::{CategoryRule, ComplaintRule, PolicyError, SeverityBands};

use qinglang_model::{Category, Label, Route, Signal, Subject, Verdict};
use std::collections::{BTreeMap, HashMap};

/// The default policy pack, as shipped.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../policies/default.toml");

/// A compiled routing policy.
#[derive(Debug, Clone)]
pub struct Policy {
    version: String,
    defaults: CategoryRule,
    categories: HashMap<String, CategoryRule>,
    complaints: ComplaintRule,
    /// Weights by `detector/rule` or `detector`; 1 when not listed.
    weights: HashMap<String, f32>,
}

impl Policy {
    /// The built-in default policy.
    pub fn default_pack() -> Policy {
        // The shipped file is checked by a unit test; failing here would be a build defect.
        Policy::from_toml(DEFAULT_POLICY_TOML)
            .unwrap_or_else(|e| panic!("built-in policy is invalid: {e}"))
    }

    /// Reads a policy from TOML text.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        config::parse(text)
    }

    /// The version string recorded in every verdict.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The categories the policy names explicitly.
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.keys().map(String::as_str)
    }

    fn rule(&self, category: &Category) -> &CategoryRule {
        self.categories
            .get(category.as_str())
            .unwrap_or(&self.defaults)
    }

    /// The weight of a signal: that of `detector/rule` if listed, else that
    /// of `detector`, else 1.
    pub fn weight(&self, s: &Signal) -> f32 {
        if self.weights.is_empty() {
            return 1.0;
        }
        self.weights
            .get(&format!("{}/{}", s.detector, s.rule))
            .or_else(|| self.weights.get(s.detector.as_ref()))
            .copied()
            .unwrap_or(1.0)
    }

    /// Decides the verdict for one record from its signals.
    pub fn decide(&self, subject: Subject, signals: Vec<Signal>) -> Verdict {
        let mut scores: BTreeMap<&Category, f32> = BTreeMap::new();
        for s in &signals {
            let p = (s.score * self.weight(s)).clamp(0.0, 1.0);
            let e = scores.entry(&s.category).or_insert(0.0);
            *e = 1.0 - (1.0 - *e) * (1.0 - p);
        }
        let mut route = Route::Pass;
        let mut labels = Vec::new();
        for (category, score) in scores {
            let rule = self.rule(category);
            if score >= rule.review {
                route = route.max(Route::Review);
            }
            if rule.auto_action && score >= rule.action {
                route = Route::Action;
            }
            if score >= rule.label {
                labels.push(Label {
                    category: category.clone(),
                    score,
                    severity: rule.severity.of(score),
                });
            }
        }
        labels.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.category.cmp(&b.category))
        });
        if let Subject::Complaint(_) = subject {
            route = route.max(self.complaints.route);
        }
        Verdict {
            subject,
            route,
            labels,
            signals,
            campaign_id: None,
            incident_id: None,
            policy_version: self.version.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
