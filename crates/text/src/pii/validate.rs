//! Validators for the numbers that identify a person: mainland resident
//! identity numbers (GB 11643-1999), mobile and landline numbers, and bank
//! cards (ISO/IEC 7812 Luhn check and issuer prefixes).
//!
//! Every function takes ASCII digits (`b'0'..=b'9'`, plus `b'X'` as the last
//! character of an identity number) and never panics on other input: any
//! unexpected byte simply fails validation.

/// The latest birth year accepted in an identity number. Fixed rather than
/// read from the clock so that a replay of old data gives the same answer.
pub const MAX_BIRTH_YEAR: u32 = 2030;
/// The earliest birth year accepted in an identity number.
pub const MIN_BIRTH_YEAR: u32 = 1900;

/// GB 11643 weights of the first 17 digits (2^(17-i) mod 11).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each weighted sum mod 11.
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Province-level codes of GB/T 2260 (the first two digits of an identity
/// number), plus 81/82/83 used by residence permits for people from Hong
/// Kong, Macao and Taiwan.
const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

fn all_digits(d: &[u8]) -> bool {
    d.iter().all(u8::is_ascii_digit)
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |acc, &b| {
        acc.wrapping_mul(10)
            .wrapping_add((b.wrapping_sub(b'0')) as u32)
    })
}

/// Whether the first six digits are a plausible administrative division code:
/// a known province, and a prefecture part other than `00` inside the mainland.
pub fn plausible_region(d: &[u8]) -> bool {
    if d.len() < 6 || !all_digits(&d[..6]) {
        return false;
    }
    let province = num(&d[..2]) as u8;
    if !PROVINCES.contains(&province) {
        return false;
    }
    matches!(province, 71 | 81 | 82 | 83) || &d[2..4] != b"00"
}

/// Whether `y`-`m`-`d` is a real calendar date within the accepted birth years.
pub fn valid_birth_date(y: u32, m: u32, d: u32) -> bool {
    if !(MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d <= days
}

/// The GB 11643 check character for the first 17 digits, or `None` if they
/// are not 17 ASCII digits.
pub fn id_check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 || !all_digits(first17) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(&b, w)| (b - b'0') as u32 * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

/// Whether an 18-character identity number has a plausible region and a real
/// birth date, *ignoring* the check character. Used to keep identity numbers
/// with a wrong check character from being taken for bank cards.
pub fn looks_like_id18(d: &[u8]) -> bool {
    d.len() == 18
        && all_digits(&d[..17])
        && plausible_region(d)
        && valid_birth_date(num(&d[6..10]), num(&d[10..12]), num(&d[12..14]))
}

/// A valid 18-character mainland identity number: plausible region, real
/// birth date and the right check character (`X` in upper case).
pub fn valid_id18(d: &[u8]) -> bool {
    looks_like_id18(d) && id_check_char(&d[..17]) == Some(d[17])
}

/// A valid old-form 15-digit identity number (issued before 1999): region,
/// a 19YY birth date and a three-digit sequence. It has no check character.
pub fn valid_id15(d: &[u8]) -> bool {
    d.len() == 15
        && all_digits(d)
        && plausible_region(d)
        && valid_birth_date(1900 + num(&d[6..8]), num(&d[8..10]), num(&d[10..12]))
}

/// The Luhn (mod 10) check used by payment cards.
pub fn luhn_valid(d: &[u8]) -> bool {
    if d.len() < 2 || !all_digits(d) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in d.iter().rev().enumerate() {
        let mut v = (b - b'0') as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// How sure an issuer prefix makes us that a Luhn-valid number is a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerConfidence {
    /// UnionPay (62), Visa (4), Mastercard (51-55), JCB (3528-3589),
    /// American Express (34, 37), Discover (6011, 65) and the old domestic
    /// 9558/9559 ranges: reported on their own.
    Strong,
    /// Mastercard's 2221-2720 range overlaps dates and order numbers that
    /// start with a year (2024...), and the smaller domestic 6x/9x ranges
    /// overlap order numbers: reported only with a cue word.
    NeedsCue,
}

/// Whether `d` is a Luhn-valid card number of a plausible length for its
/// issuer prefix, and how much the prefix alone can be trusted.
pub fn bank_card(d: &[u8]) -> Option<IssuerConfidence> {
    let n = d.len();
    if !(15..=19).contains(&n) || !luhn_valid(d) {
        return None;
    }
    let p2 = num(&d[..2]);
    let p4 = num(&d[..4]);
    let conf = match d[0] {
        b'3' if (p2 == 34 || p2 == 37) && n == 15 => IssuerConfidence::Strong,
        b'3' if (3528..=3589).contains(&p4) && n >= 16 => IssuerConfidence::Strong,
        b'4' if n >= 16 => IssuerConfidence::Strong,
        b'5' if (51..=55).contains(&p2) && n >= 16 => IssuerConfidence::Strong,
        b'6' if (p2 == 62 || p2 == 65 || p4 == 6011 || p4 == 6013) && n >= 16 => {
            IssuerConfidence::Strong
        }
        b'9' if (p4 == 9558 || p4 == 9559) && n >= 16 => IssuerConfidence::Strong,
        b'2' if (2221..=2720).contains(&p4) && n == 16 => IssuerConfidence::NeedsCue,
        // Smaller domestic ranges (603xxx city banks, 690755, 940xxx) share
        // their first digits with too many order numbers to stand alone.
        b'6' | b'9' if n >= 16 => IssuerConfidence::NeedsCue,
        _ => return None,
    };
    Some(conf)
}

/// Whether `d` is an 11-digit mainland mobile number in an allocated range.
pub fn valid_mobile(d: &[u8]) -> bool {
    if d.len() != 11 || !all_digits(d) || d[0] != b'1' {
        return false;
    }
    match (d[1], d[2]) {
        (b'3' | b'8', _) => true,
        (b'4', b'5'..=b'9') => true,
        (b'5', c) => c != b'4',
        (b'6', b'2' | b'5' | b'6' | b'7') => true,
        (b'7', b'0'..=b'8') => true,
        (b'9', c) => c != b'4',
        _ => false,
    }
}

/// If `d` is a mobile number with a country prefix (86 or 0086), the length
/// of that prefix.
pub fn mobile_prefix_len(d: &[u8]) -> Option<usize> {
    if d.len() == 13 && d.starts_with(b"86") && valid_mobile(&d[2..]) {
        Some(2)
    } else if d.len() == 15 && d.starts_with(b"0086") && valid_mobile(&d[4..]) {
        Some(4)
    } else {
        None
    }
}

/// The length of the mainland area code `d` starts with (010 and 02x are
/// three digits, 03xx-09xx four), if any.
pub fn area_code_len(d: &[u8]) -> Option<usize> {
    if d.len() < 3 || d[0] != b'0' || !all_digits(&d[..3]) {
        return None;
    }
    match d[1] {
        b'1' if d[2] == b'0' => Some(3),
        b'2' if d[2] != b'6' => Some(3),
        b'3'..=b'9' if d.len() >= 4 && d[3].is_ascii_digit() => Some(4),
        _ => None,
    }
}

/// Whether `d` is an area code followed by a 7- or 8-digit subscriber number
/// that does not start with 0 or 1.
pub fn valid_landline(d: &[u8]) -> bool {
    let Some(a) = area_code_len(d) else {
        return false;
    };
    let rest = &d[a..];
    (rest.len() == 7 || rest.len() == 8) && all_digits(rest) && rest[0] >= b'2'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the right check character to 17 digits.
    fn with_check(first17: &str) -> String {
        let c = id_check_char(first17.as_bytes()).unwrap();
        format!("{first17}{}", c as char)
    }

    #[test]
    fn id18_check_character_follows_gb11643() {
        // Published GB 11643 example.
        assert!(valid_id18(b"11010519491231002X"));
        assert!(!valid_id18(b"110105194912310021"));
        let good = with_check("44030119900307123");
        assert!(valid_id18(good.as_bytes()));
        for wrong in b"0123456789X" {
            if *wrong != good.as_bytes()[17] {
                let mut bad = good.clone().into_bytes();
                bad[17] = *wrong;
                assert!(!valid_id18(&bad), "{}", String::from_utf8_lossy(&bad));
                assert!(looks_like_id18(&bad));
            }
        }
    }

    #[test]
    fn id18_rejects_bad_regions_and_dates() {
        for first17 in [
            "99030119900307123", // no province 99
            "44000019900307123", // prefecture 00
            "44030119900230123", // 30 February
            "44030118991231123", // before 1900
            "44030120991231123", // in the future
            "44030119901301123", // month 13
        ] {
            assert!(!valid_id18(with_check(first17).as_bytes()), "{first17}");
        }
        assert!(valid_id18(with_check("81000019880229123").as_bytes()));
        assert!(valid_id18(with_check("32010220000229123").as_bytes()));
        assert!(!valid_id18(with_check("32010219000229123").as_bytes()));
    }

    #[test]
    fn id15_validates_region_and_date() {
        assert!(valid_id15(b"110105491231002"));
        assert!(!valid_id15(b"110105491331002"));
        assert!(!valid_id15(b"990105491231002"));
    }

    #[test]
    fn luhn_and_issuers() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(!luhn_valid(b"4111111111111112"));
        assert_eq!(
            bank_card(b"4111111111111111"),
            Some(IssuerConfidence::Strong)
        );
        assert_eq!(
            bank_card(b"6222021234567890128"),
            Some(IssuerConfidence::Strong)
        );
        assert_eq!(bank_card(b"6222021234567890127"), None);
        assert_eq!(
            bank_card(b"378282246310005"),
            Some(IssuerConfidence::Strong)
        );
        assert_eq!(
            bank_card(b"2223000048400011"),
            Some(IssuerConfidence::NeedsCue)
        );
        assert_eq!(
            bank_card(b"6033670000000008"),
            Some(IssuerConfidence::NeedsCue)
        );
        // Luhn-valid but no issuer starts with 1.
        assert_eq!(bank_card(b"1234567812345670"), None);
        assert_eq!(bank_card(b"41111111"), None);
    }

    #[test]
    fn phones() {
        for m in [
            "13812345678",
            "14712345678",
            "16612345678",
            "19912345678",
            "17012345678",
        ] {
            assert!(valid_mobile(m.as_bytes()), "{m}");
        }
        for m in [
            "12812345678",
            "15412345678",
            "1381234567",
            "16012345678",
            "19412345678",
        ] {
            assert!(!valid_mobile(m.as_bytes()), "{m}");
        }
        assert_eq!(mobile_prefix_len(b"8613812345678"), Some(2));
        assert_eq!(mobile_prefix_len(b"008613812345678"), Some(4));
        assert_eq!(mobile_prefix_len(b"8612812345678"), None);
        assert!(valid_landline(b"01062345678"));
        assert!(valid_landline(b"075523456789"));
        assert!(valid_landline(b"05712345678"));
        assert!(!valid_landline(b"01012345678"));
        assert!(!valid_landline(b"02612345678"));
        assert!(!valid_landline(b"0755234"));
    }
}
