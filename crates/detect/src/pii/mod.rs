//! The `pii` detector: personal information in an item's text.
//!
//! Each finding becomes one signal whose `rule` is the kind (`id_card`,
//! `mobile`, `landline`, `bank_card`, `email`, `qq`, `wechat`,
//! `license_plate`, `address`, `passport`, `hk_macao_permit`,
//! `taiwan_permit`), with category `personal_info_abuse`, a score by how
//! sensitive the kind is, the span in the original text, and evidence that
//! is masked and carries a keyed hash ([`mask`]). When the item exposes two
//! kinds or more, or one kind next to a target person or a doxxing cue, one
//! more signal with rule `doxxing` and category `doxxing` carries all spans
//! (see [`crate::doxxing`]).
//!
//! The detector reads `item.text` directly, not the normalised text: the
//! digit runs see through full-width digits and other folds themselves, and
//! spans are original offsets without a map. Numbers that fail their check
//! (a wrong identity check character, a non-Luhn card) are never reported as
//! that kind.

pub mod cues;
mod find;
pub(crate) mod forms;
pub mod mask;

pub use find::PiiMatch;
pub use mask::{unmask, DenyAllUnmasking, PiiKey, UnmaskAuthority, UnmaskError, UnmaskRequest};

use crate::{Detector, ItemContext};
use cues::{CueHit, CueIndex};
use qinglang_model::{category, Signal};
use std::borrow::Cow;

/// A kind of personal information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    IdCard,
    Mobile,
    Landline,
    BankCard,
    Email,
    Qq,
    Wechat,
    LicensePlate,
    Address,
    Passport,
    HkMacaoPermit,
    TaiwanPermit,
}

impl PiiKind {
    /// Every kind.
    pub const ALL: [PiiKind; 12] = [
        PiiKind::IdCard,
        PiiKind::Mobile,
        PiiKind::Landline,
        PiiKind::BankCard,
        PiiKind::Email,
        PiiKind::Qq,
        PiiKind::Wechat,
        PiiKind::LicensePlate,
        PiiKind::Address,
        PiiKind::Passport,
        PiiKind::HkMacaoPermit,
        PiiKind::TaiwanPermit,
    ];

    /// The signal rule name.
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::IdCard => "id_card",
            PiiKind::Mobile => "mobile",
            PiiKind::Landline => "landline",
            PiiKind::BankCard => "bank_card",
            PiiKind::Email => "email",
            PiiKind::Qq => "qq",
            PiiKind::Wechat => "wechat",
            PiiKind::LicensePlate => "license_plate",
            PiiKind::Address => "address",
            PiiKind::Passport => "passport",
            PiiKind::HkMacaoPermit => "hk_macao_permit",
            PiiKind::TaiwanPermit => "taiwan_permit",
        }
    }

    /// Parses a rule name.
    pub fn parse(s: &str) -> Option<PiiKind> {
        PiiKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the kind identifies a person on its own (an identity or
    /// travel document, a bank card), as opposed to a way to reach them.
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            PiiKind::IdCard
                | PiiKind::BankCard
                | PiiKind::Passport
                | PiiKind::HkMacaoPermit
                | PiiKind::TaiwanPermit
        )
    }

    /// The score of a single finding of this kind: how much harm its
    /// exposure alone can do.
    pub fn score(self) -> f32 {
        match self {
            PiiKind::IdCard | PiiKind::BankCard => 0.5,
            PiiKind::Passport | PiiKind::HkMacaoPermit | PiiKind::TaiwanPermit => 0.45,
            PiiKind::Mobile | PiiKind::Address => 0.3,
            PiiKind::Landline | PiiKind::Qq | PiiKind::Wechat | PiiKind::LicensePlate => 0.2,
            PiiKind::Email => 0.15,
        }
    }
}

/// The `pii` detector.
#[derive(Debug, Clone)]
pub struct PiiDetector {
    key: PiiKey,
    cues: CueIndex,
}

impl PiiDetector {
    /// The detector's name in signals and `--detectors`.
    pub const NAME: &'static str = "pii";

    /// A detector hashing evidence with `key`.
    pub fn new(key: PiiKey) -> Self {
        PiiDetector {
            key,
            cues: CueIndex::new(),
        }
    }

    /// A detector with the key from `QINGLANG_PII_KEY` (or the development key).
    pub fn from_env() -> Self {
        Self::new(PiiKey::from_env())
    }

    /// The hashing key.
    pub fn key(&self) -> &PiiKey {
        &self.key
    }

    /// All personal information in `text`, in text order, with the cue words
    /// found around it. For evaluation and for callers outside the pipeline.
    pub fn find(&self, text: &str, hits: &mut Vec<CueHit>) -> Vec<PiiMatch> {
        let mut out = Vec::new();
        find::find(text, &self.cues, &mut out, hits);
        out
    }

    /// The signal of one finding: masked evidence with its keyed hash.
    pub fn signal(&self, m: &PiiMatch) -> Signal {
        let hash = self.key.evidence_hash(m.kind, &m.canonical);
        Signal {
            detector: Cow::Borrowed(Self::NAME),
            rule: m.kind.as_str().to_owned(),
            category: category::PERSONAL_INFO_ABUSE,
            score: m.kind.score(),
            spans: vec![m.span],
            evidence: mask::evidence(&mask::mask(m.kind, &m.canonical), &hash),
        }
    }
}

impl Default for PiiDetector {
    fn default() -> Self {
        Self::from_env()
    }
}

impl Detector for PiiDetector {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn version(&self) -> String {
        "1".to_owned()
    }

    fn inspect_item(&self, cx: &ItemContext<'_>, out: &mut Vec<Signal>) {
        const MAX_SIGNALS_PER_TEXT: usize = 200;
        let mut hits = Vec::new();
        let matches = self.find(&cx.item.text, &mut hits);
        if matches.is_empty() {
            return;
        }
        let first = out.len();
        // A post listing more numbers than this is a dump: the first ones make
        // the case, and the cap keeps a hostile 10 MB text cheap to report.
        out.extend(
            matches
                .iter()
                .take(MAX_SIGNALS_PER_TEXT)
                .map(|m| self.signal(m)),
        );
        if let Some(s) = crate::doxxing::assess(cx.item, &matches, &hits, &out[first..]) {
            out.push(s);
        }
    }
}
