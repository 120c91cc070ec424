//! Label naming shared by `train` and `eval`: `--label-names 0=safe,1=offensive`
//! renames raw labels and fixes their order; `--prior safe=0.6,...` gives
//! deployment shares by label name.

use anyhow::{bail, Context};
use std::collections::BTreeSet;

/// Renames of raw labels, in the order given.
#[derive(Debug, Default)]
pub struct LabelNames {
    pairs: Vec<(String, String)>,
}

/// Parses `raw=name,raw=name`.
pub fn parse_label_names(spec: &str) -> anyhow::Result<LabelNames> {
    let mut pairs = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((raw, name)) = part.split_once('=') else {
            bail!("--label-names: `{part}` is not RAW=NAME")
        };
        pairs.push((raw.trim().to_owned(), name.trim().to_owned()));
    }
    if pairs.is_empty() {
        bail!("--label-names is empty");
    }
    Ok(LabelNames { pairs })
}

impl LabelNames {
    /// The name of raw label `raw`.
    pub fn rename(&self, raw: &str) -> String {
        self.pairs
            .iter()
            .find(|(r, _)| r == raw)
            .map_or_else(|| raw.to_owned(), |(_, n)| n.clone())
    }

    /// The label list: renamed labels in `--label-names` order, then any
    /// others in numeric (if all numeric) or alphabetical order.
    pub fn label_order<'a>(&self, raw: impl Iterator<Item = &'a str>) -> Vec<String> {
        let seen: BTreeSet<String> = raw.map(|r| self.rename(r)).collect();
        let mut labels: Vec<String> = self
            .pairs
            .iter()
            .map(|(_, n)| n.clone())
            .filter(|n| seen.contains(n))
            .collect();
        let mut rest: Vec<String> = seen.into_iter().filter(|n| !labels.contains(n)).collect();
        if rest.iter().all(|l| l.parse::<f64>().is_ok()) {
            rest.sort_by(|a, b| {
                a.parse::<f64>()
                    .unwrap_or(0.0)
                    .total_cmp(&b.parse::<f64>().unwrap_or(0.0))
            });
        }
        labels.extend(rest);
        labels
    }
}

/// Parses `label=share,...` into shares in `labels` order; every label needs one.
pub fn parse_prior(spec: &str, labels: &[String]) -> anyhow::Result<Vec<f64>> {
    let mut shares = vec![None; labels.len()];
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, share)) = part.split_once('=') else {
            bail!("--prior: `{part}` is not LABEL=SHARE")
        };
        let Some(i) = labels.iter().position(|l| l == name.trim()) else {
            bail!(
                "--prior: unknown label `{}`; labels are {}",
                name.trim(),
                labels.join(", ")
            )
        };
        shares[i] = Some(
            share
                .trim()
                .parse::<f64>()
                .with_context(|| format!("--prior: share of `{name}`"))?,
        );
    }
    shares
        .into_iter()
        .zip(labels)
        .map(|(s, l)| s.with_context(|| format!("--prior: no share for label `{l}`")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_and_orders_labels() {
        let names = parse_label_names("0=safe, 1=offensive").unwrap();
        assert_eq!(
            names.label_order(["1", "0", "1"].into_iter()),
            vec!["safe", "offensive"]
        );
        let none = LabelNames::default();
        assert_eq!(
            none.label_order(["10", "9", "2"].into_iter()),
            vec!["2", "9", "10"]
        );
        assert_eq!(
            none.label_order(["spam", "ham"].into_iter()),
            vec!["ham", "spam"]
        );
        assert!(parse_label_names("0:safe").is_err());
    }

    #[test]
    fn prior_needs_every_label() {
        let labels = vec!["safe".to_owned(), "offensive".to_owned()];
        assert_eq!(
            parse_prior("offensive=0.4,safe=0.6", &labels).unwrap(),
            vec![0.6, 0.4]
        );
        assert!(parse_prior("safe=0.6", &labels).is_err());
        assert!(parse_prior("nice=0.6,safe=0.4", &labels).is_err());
    }
}
