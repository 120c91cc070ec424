//! What a match reports: rule, term, span, evasions and confidence.

use serde::Serialize;

/// A set of evasions a match needed, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Evasions(pub u16);

impl Evasions {
    pub const WIDTH: u16 = 1 << 0;
    pub const CASE: u16 = 1 << 1;
    pub const TRADITIONAL: u16 = 1 << 2;
    pub const CONFUSABLE: u16 = 1 << 3;
    pub const ZERO_WIDTH: u16 = 1 << 4;
    pub const LEET: u16 = 1 << 5;
    pub const NOISE: u16 = 1 << 6;
    pub const REPEAT: u16 = 1 << 7;
    pub const PINYIN: u16 = 1 << 8;
    pub const HOMOPHONE: u16 = 1 << 9;
    pub const INITIALS: u16 = 1 << 10;
    pub const MASK: u16 = 1 << 11;

    const NAMES: [(u16, &'static str, f32); 12] = [
        (Self::WIDTH, "width", 0.02),
        (Self::CASE, "case", 0.0),
        (Self::TRADITIONAL, "traditional", 0.03),
        (Self::CONFUSABLE, "confusable", 0.10),
        (Self::ZERO_WIDTH, "zero_width", 0.05),
        (Self::LEET, "leet", 0.10),
        (Self::NOISE, "noise_skip", 0.08),
        (Self::REPEAT, "repeat", 0.05),
        (Self::PINYIN, "pinyin", 0.20),
        (Self::HOMOPHONE, "homophone", 0.30),
        (Self::INITIALS, "initials", 0.40),
        (Self::MASK, "mask", 0.15),
    ];

    /// Does the set contain `bit`?
    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    /// The evasion names, in a fixed order.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(b, _, _)| self.has(*b))
            .map(|(_, n, _)| *n)
            .collect()
    }

    /// Confidence in `[0.2, 1]`: one minus a penalty per evasion used.
    pub fn confidence(self) -> f32 {
        if self.0 == 0 {
            return 1.0;
        }
        let penalty: f32 = Self::NAMES
            .iter()
            .filter(|(b, _, _)| self.has(*b))
            .map(|(_, _, p)| p)
            .sum();
        (1.0 - penalty).max(0.2)
    }
}

/// One match of one rule in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// Index into [`crate::Lexicon::rules`].
    pub rule: usize,
    /// Index into that rule's terms.
    pub term: usize,
    /// Byte span in the original text, on character boundaries.
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    pub evasions: Evasions,
    pub confidence: f32,
}
