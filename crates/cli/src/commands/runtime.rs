//! Options shared by every command that runs the engine (scan, serve, demo).

use anyhow::{Context, Result};
use clap::Args;
use qinglang_detect::{
    build_detectors, DetectorConfig, DetectorSelection, Pipeline, KNOWN_DETECTORS,
};
use qinglang_engine::Engine;
use qinglang_policy::Policy;
use std::path::PathBuf;

/// Database, policy and detector options.
#[derive(Args, Debug, Clone)]
pub struct EngineArgs {
    /// Database: a SQLite file path or `sqlite:PATH`, or a `postgres://` URL.
    #[arg(
        long,
        value_name = "URL",
        env = "QINGLANG_DB",
        default_value = "qinglang.db"
    )]
    pub db: String,

    /// Detectors to run: `all`, `none`, or a comma-separated list of names.
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub detectors: String,

    /// Routing policy (TOML); the built-in default pack when not given.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Lexicon for the `lexicon` detector (plain list or TOML); the built-in pack when not given.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,

    /// Protected names for the `impersonation` detector (JSON Lines or one name per line).
    #[arg(long, value_name = "FILE")]
    pub protected: Option<PathBuf>,

    /// Classifier model for the `classifier` detector; the built-in model when not given.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

impl EngineArgs {
    /// The policy these options name.
    pub fn policy(&self) -> Result<Policy> {
        match &self.policy {
            None => Ok(Policy::default_pack()),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read policy {}", path.display()))?;
                Policy::from_toml(&text).with_context(|| format!("in policy {}", path.display()))
            }
        }
    }

    /// The detector pipeline these options name.
    pub fn pipeline(&self) -> Result<Pipeline> {
        let selection = DetectorSelection::parse(&self.detectors);
        let config = DetectorConfig {
            lexicon: self.lexicon.clone(),
            protected: self.protected.clone(),
            model: self.model.clone(),
        };
        let detectors = build_detectors(&config, &selection).with_context(|| {
            format!(
                "cannot set up detectors (known: {})",
                KNOWN_DETECTORS.join(", ")
            )
        })?;
        Ok(Pipeline::new(detectors))
    }

    /// Opens the store and builds the engine.
    pub fn engine(&self) -> Result<Engine> {
        let policy = self.policy()?;
        let pipeline = self.pipeline()?;
        let store = qinglang_store::open(&self.db)
            .with_context(|| format!("cannot open database {}", redact_url(&self.db)))?;
        Ok(Engine::new(pipeline, policy, store))
    }
}

/// A database URL with any password replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((u, q)) => (u, Some(q)),
        None => (url, None),
    };
    let query = query.map(|q| {
        let parts: Vec<String> = q
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => kv.to_owned(),
            })
            .collect();
        format!("?{}", parts.join("&"))
    });
    format!("{}{}", redact_authority(base), query.unwrap_or_default())
}

fn redact_authority(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((auth, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("qinglang.db"), "qinglang.db");
        assert_eq!(
            redact_url("postgres://u@h/db?password=x&sslmode=disable"),
            "postgres://u@h/db?password=***&sslmode=disable"
        );
    }
}
