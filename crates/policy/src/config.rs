//! The TOML form of a policy and its validation.

use crate::Policy;
use qinglang_model::{Route, Severity};
use serde::Deserialize;
use std::collections::HashMap;

/// A policy file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("policy is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("policy: {0}")]
    Invalid(String),
}

/// Thresholds for one category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRule {
    pub label: f32,
    pub review: f32,
    pub action: f32,
    pub auto_action: bool,
    pub severity: SeverityBands,
}

/// Lower bounds of the severity bands; below `medium` is low.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityBands {
    pub medium: f32,
    pub high: f32,
    pub critical: f32,
}

impl SeverityBands {
    /// The severity of a label score.
    pub fn of(&self, score: f32) -> Severity {
        if score >= self.critical {
            Severity::Critical
        } else if score >= self.high {
            Severity::High
        } else if score >= self.medium {
            Severity::Medium
        } else {
            Severity::Low
        }
    }
}

/// How complaints are routed.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintRule {
    pub route: Route,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: String,
    defaults: Defaults,
    #[serde(default)]
    complaints: Option<Complaints>,
    #[serde(default)]
    categories: HashMap<String, Partial>,
    #[serde(default)]
    weights: HashMap<String, f32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    label: f32,
    review: f32,
    action: f32,
    #[serde(default = "yes")]
    auto_action: bool,
    severity: SeverityBands,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Complaints {
    route: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Partial {
    label: Option<f32>,
    review: Option<f32>,
    action: Option<f32>,
    auto_action: Option<bool>,
    severity: Option<SeverityBands>,
}

fn yes() -> bool {
    true
}

pub(crate) fn parse(text: &str) -> Result<Policy, PolicyError> {
    let file: File = toml::from_str(text)?;
    if file.version.trim().is_empty() {
        return Err(PolicyError::Invalid("`version` must not be empty".into()));
    }
    let d = file.defaults;
    let defaults = CategoryRule {
        label: d.label,
        review: d.review,
        action: d.action,
        auto_action: d.auto_action,
        severity: d.severity,
    };
    check("defaults", &defaults)?;
    let mut categories = HashMap::new();
    for (name, p) in file.categories {
        let rule = CategoryRule {
            label: p.label.unwrap_or(defaults.label),
            review: p.review.unwrap_or(defaults.review),
            action: p.action.unwrap_or(defaults.action),
            auto_action: p.auto_action.unwrap_or(defaults.auto_action),
            severity: p.severity.unwrap_or_else(|| defaults.severity.clone()),
        };
        check(&format!("categories.{name}"), &rule)?;
        categories.insert(name, rule);
    }
    let complaints = match file.complaints {
        None => ComplaintRule {
            route: Route::Review,
        },
        Some(c) => ComplaintRule {
            route: Route::parse(&c.route).ok_or_else(|| {
                PolicyError::Invalid(format!(
                    "complaints.route `{}` must be pass, review or action",
                    c.route
                ))
            })?,
        },
    };
    for (signal, w) in &file.weights {
        if !(0.0..=1.0).contains(w) {
            return Err(PolicyError::Invalid(format!(
                "weights.\"{signal}\" = {w} must be between 0 and 1"
            )));
        }
    }
    Ok(Policy {
        weights: file.weights,
        version: file.version,
        defaults,
        categories,
        complaints,
    })
}

fn check(at: &str, r: &CategoryRule) -> Result<(), PolicyError> {
    let unit = |name: &str, v: f32| {
        if (0.0..=1.0).contains(&v) {
            Ok(())
        } else {
            Err(PolicyError::Invalid(format!(
                "{at}.{name} = {v} must be between 0 and 1"
            )))
        }
    };
    unit("label", r.label)?;
    unit("review", r.review)?;
    unit("action", r.action)?;
    unit("severity.medium", r.severity.medium)?;
    unit("severity.high", r.severity.high)?;
    unit("severity.critical", r.severity.critical)?;
    if r.review > r.action {
        return Err(PolicyError::Invalid(format!(
            "{at}: review threshold {} is above the action threshold {}",
            r.review, r.action
        )));
    }
    if !(r.severity.medium <= r.severity.high && r.severity.high <= r.severity.critical) {
        return Err(PolicyError::Invalid(format!(
            "{at}.severity: bands must rise: medium <= high <= critical"
        )));
    }
    Ok(())
}
