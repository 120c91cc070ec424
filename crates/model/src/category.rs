//! Harm categories. A [`Category`] is an interned-by-convention string code such
//! as `gambling_drugs`; the constants below are the default taxonomy.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A harm category code, for example `online_violence`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Category(pub Cow<'static, str>);

impl Category {
    /// A category from a static code (no allocation).
    pub const fn from_static(code: &'static str) -> Self {
        Category(Cow::Borrowed(code))
    }

    /// A category from a code read at run time (configuration, lexicon files).
    pub fn new(code: impl Into<String>) -> Self {
        Category(Cow::Owned(code.into()))
    }

    /// The category code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Category {
    fn from(s: &str) -> Self {
        Category::new(s)
    }
}

macro_rules! defaults {
    ($($name:ident = $code:literal),* $(,)?) => {
        $(
            #[doc = concat!("The default category `", $code, "`.")]
            pub const $name: Category = Category::from_static($code);
        )*
        /// Every category of the default taxonomy.
        pub const DEFAULTS: &[Category] = &[$($name),*];
    };
}

defaults! {
    BUSINESS_DEFAMATION = "business_defamation",
    FRAUD_COUNTERFEIT_EVENT = "fraud_counterfeit_event",
    TRAFFIC_MANIPULATION = "traffic_manipulation",
    FANDOM_DISORDER = "fandom_disorder",
    WATER_ARMY = "water_army",
    ONLINE_VIOLENCE = "online_violence",
    DOXXING = "doxxing",
    FALSE_INFORMATION = "false_information",
    VULGAR_SEXUAL = "vulgar_sexual",
    FALSE_ADVERTISING = "false_advertising",
    GAMBLING_DRUGS = "gambling_drugs",
    MINORS_HARM = "minors_harm",
    NEWS_IMPERSONATION = "news_impersonation",
    PERSONAL_INFO_ABUSE = "personal_info_abuse",
    ALGORITHM_ABUSE = "algorithm_abuse",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_distinct_snake_case_codes() {
        let mut seen = std::collections::HashSet::new();
        for c in DEFAULTS {
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{c}"
            );
            assert!(seen.insert(c.clone()), "duplicate {c}");
        }
        assert_eq!(DEFAULTS.len(), 15);
    }

    #[test]
    fn serialises_as_plain_string() {
        let json = serde_json::to_string(&ONLINE_VIOLENCE).unwrap();
        assert_eq!(json, "\"online_violence\"");
        let back: Category = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ONLINE_VIOLENCE);
    }
}
