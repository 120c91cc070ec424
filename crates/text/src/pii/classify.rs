//! Cuts a digit run into the personal numbers it contains.
//!
//! A run may hold one number written with separators (`138 1234 5678`),
//! several numbers one after another (`13812345678 13987654321`), or a number
//! with a country prefix (`+86 138…`). [`segment`] tries the longest stretch
//! of whole groups first and moves on group by group; it never cuts inside a
//! group, so a long unseparated order number yields nothing rather than a
//! phone number found somewhere inside it.

use super::digits::DigitRun;
use super::validate::{self, IssuerConfidence};
use std::ops::Range;

/// What a stretch of digits is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// An 18-character identity number with a valid check character, or a
    /// valid 15-digit old-form number.
    IdCard,
    /// A mainland mobile number, possibly behind a country prefix.
    Mobile,
    /// A landline number with area code. `separated` tells whether the area
    /// code stood apart from the subscriber number (`010-6234…`, `(0755)…`);
    /// an unseparated one is reported only with a cue word.
    Landline { separated: bool },
    /// A Luhn-valid card number with a plausible issuer prefix.
    BankCard(IssuerConfidence),
    /// Digits that are none of the above (a QQ number needs a cue word).
    Other,
}

/// One number found in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberMatch {
    pub kind: NumberKind,
    /// Digit indices of the whole match in the run, country prefix included.
    pub digits: Range<usize>,
    /// Digit index where the national number starts (after `86`/`0086`).
    pub national_start: usize,
}

/// The longest stretch [`classify`] looks at (a 0086-prefixed mobile is 15,
/// the longest card 19).
const MAX_LEN: usize = 19;
/// The shortest stretch that can be any kind but [`NumberKind::Other`].
const MIN_LEN: usize = 10;

/// Classifies one stretch of digits. Returns the kind and the length of any
/// country prefix. An 18-character number that looks like an identity number
/// but fails its check is deliberately *not* offered as a bank card.
pub fn classify(d: &[u8]) -> Option<(NumberKind, usize)> {
    match d.len() {
        11 if validate::valid_mobile(d) => Some((NumberKind::Mobile, 0)),
        13 | 15 => {
            if let Some(p) = validate::mobile_prefix_len(d) {
                Some((NumberKind::Mobile, p))
            } else if d.len() == 15 && validate::valid_id15(d) {
                Some((NumberKind::IdCard, 0))
            } else {
                validate::bank_card(d).map(|c| (NumberKind::BankCard(c), 0))
            }
        }
        18 if validate::valid_id18(d) => Some((NumberKind::IdCard, 0)),
        18 if validate::looks_like_id18(d) => None,
        16..=19 => validate::bank_card(d).map(|c| (NumberKind::BankCard(c), 0)),
        10..=12 if validate::valid_landline(d) => {
            Some((NumberKind::Landline { separated: false }, 0))
        }
        _ => None,
    }
}

/// Appends the numbers of `run` to `out`, left to right.
pub fn segment(run: &DigitRun, out: &mut Vec<NumberMatch>) {
    let d = run.digits();
    let groups = run.group_count();
    let mut g = 0;
    let mut other_from: Option<usize> = None;
    while g < groups {
        let s = run.group_start(g);
        let mut found = None;
        // Start from the last group end within MAX_LEN of `s` (binary
        // search: group starts rise), so a long run costs linear time.
        let (mut lo, mut hi) = (g + 1, groups);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if run.group_start(mid) - s <= MAX_LEN {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let mut h = lo.min(groups);
        while h > g {
            let e = run.group_start(h);
            let len = e - s;
            if len < MIN_LEN {
                break;
            }
            if len <= MAX_LEN {
                if let Some((kind, prefix)) = classify(&d[s..e]) {
                    found = Some((kind, prefix, e, h));
                    break;
                }
            }
            h -= 1;
        }
        match found {
            Some((mut kind, prefix, e, h)) => {
                if let Some(from) = other_from.take() {
                    push_other(from, s, out);
                }
                if let NumberKind::Landline { .. } = kind {
                    let area = validate::area_code_len(&d[s..e]).unwrap_or(0);
                    let separated = (g + 1..h).any(|k| run.group_start(k) == s + area);
                    kind = NumberKind::Landline { separated };
                }
                out.push(NumberMatch {
                    kind,
                    digits: s..e,
                    national_start: s + prefix,
                });
                g = h;
            }
            None => {
                other_from.get_or_insert(s);
                g += 1;
            }
        }
    }
    if let Some(from) = other_from {
        push_other(from, d.len(), out);
    }
}

fn push_other(from: usize, to: usize, out: &mut Vec<NumberMatch>) {
    if (5..=12).contains(&(to - from)) {
        out.push(NumberMatch {
            kind: NumberKind::Other,
            digits: from..to,
            national_start: from,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::DigitRuns;

    fn kinds(text: &str) -> Vec<(NumberKind, String)> {
        let mut out = Vec::new();
        let mut runs = DigitRuns::new(text, 5);
        while let Some(run) = runs.next_run() {
            let mut m = Vec::new();
            segment(run, &mut m);
            for x in m {
                let digits =
                    String::from_utf8(run.digits()[x.national_start..x.digits.end].to_vec())
                        .unwrap();
                out.push((x.kind, digits));
            }
        }
        out
    }

    #[test]
    fn one_run_with_several_numbers() {
        let got = kinds("13812345678 13987654321");
        assert_eq!(
            got,
            vec![
                (NumberKind::Mobile, "13812345678".into()),
                (NumberKind::Mobile, "13987654321".into())
            ]
        );
    }

    #[test]
    fn country_prefixes_are_stripped() {
        for t in [
            "+86 138 1234 5678",
            "0086-13812345678",
            "+8613812345678",
            "（+86）138-1234-5678",
        ] {
            assert_eq!(
                kinds(t),
                vec![(NumberKind::Mobile, "13812345678".into())],
                "{t}"
            );
        }
    }

    #[test]
    fn unseparated_long_numbers_yield_no_phone() {
        assert_eq!(kinds("订单号2024112813812345678"), vec![]);
        assert_eq!(
            kinds("订单 20241128 1234"),
            vec![(NumberKind::Other, "202411281234".into())]
        );
    }

    #[test]
    fn landline_separation_is_recorded() {
        assert_eq!(
            kinds("010-62345678"),
            vec![(
                NumberKind::Landline { separated: true },
                "01062345678".into()
            )]
        );
        assert_eq!(
            kinds("01062345678"),
            vec![(
                NumberKind::Landline { separated: false },
                "01062345678".into()
            )]
        );
    }

    #[test]
    fn id_with_wrong_check_is_neither_id_nor_card() {
        // 44030119900307123 + every wrong check character.
        let good = "440301199003071230";
        assert!(validate::valid_id18(good.as_bytes()), "fixture");
        for c in "0123456789X".chars().filter(|&c| c != '0') {
            let bad = format!("44030119900307123{c}");
            assert!(
                kinds(&bad).iter().all(|(k, _)| *k == NumberKind::Other),
                "{bad}"
            );
        }
        assert_eq!(kinds(good), vec![(NumberKind::IdCard, good.into())]);
    }
}
