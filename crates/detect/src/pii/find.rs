//! Finds every kind of personal information in one original text.
//!
//! Numbers come from [`qinglang_text::pii`] digit runs; identity numbers,
//! mobiles, separated landlines and cards with a strong issuer prefix are
//! reported on their own. Weaker candidates (a bare 5-11 digit number, an
//! unseparated landline, a card in the 2221-2720 range, a permit number) are
//! kept pending and reported only when a cue word ("QQ", "座机", "卡号",
//! "通行证") stands close by. E-mail addresses, licence plates and street
//! addresses have their own small parsers. Every span is a byte range of the
//! original text on character boundaries.

use super::cues::{self, CueHit, CueIndex, CueKind};
use super::forms::{address_at, email_at, plate_at, wechat_id_after};
use super::PiiKind;
use qinglang_model::Span;
use qinglang_text::pii::{segment, DigitRun, DigitRuns, IssuerConfidence, NumberKind, NumberMatch};

/// One piece of personal information found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    /// Where it is in the original text.
    pub span: Span,
    /// The canonical value (digits without country prefix, upper-case X,
    /// lower-case e-mail, plate without separators). Used for the keyed
    /// hash; never put into a signal in clear.
    pub canonical: String,
}

/// How far (in bytes) a cue may stand before a candidate: about ten
/// Chinese characters.
const CUE_BEFORE: usize = 30;
/// How far before a number a label such as 订单号 may stand: the label,
/// a colon and a space.
const NOT_PERSONAL_BEFORE: usize = 9;
/// How far a cue may follow a candidate ("13812345678（微信同号）").
const CUE_AFTER: usize = 12;

struct Pending {
    kind: PiiKind,
    needs: CueKind,
    span: Span,
    canonical: String,
}

/// Finds all personal information in `text`, appending it to `out` in text
/// order, and the cue words of the text to `hits` (only computed when there
/// is a candidate, since only then do they matter).
pub fn find(text: &str, index: &CueIndex, out: &mut Vec<PiiMatch>, hits: &mut Vec<CueHit>) {
    let bytes = text.as_bytes();
    let mut pending: Vec<Pending> = Vec::new();
    let mut numbers: Vec<NumberMatch> = Vec::new();
    let mut plate_end = 0usize;
    let mut runs = DigitRuns::new(text, 1);
    while let Some(run) = runs.next_run() {
        let (rs, re) = (run.start(), run.end());
        if rs < plate_end {
            continue;
        }
        if let Some(m) = address_at(text, rs, re) {
            out.push(m);
        }
        if bytes[rs].is_ascii_digit() {
            if let Some(m) = plate_at(text, rs) {
                plate_end = m.span.end;
                out.push(m);
                continue;
            }
        }
        if run.len() < 5 {
            continue;
        }
        if let Some((m, needs)) = letter_code(text, run) {
            match needs {
                None => out.push(m),
                Some(needs) => pending.push(Pending {
                    kind: m.kind,
                    needs,
                    span: m.span,
                    canonical: m.canonical,
                }),
            }
            continue;
        }
        if embedded_in_token(bytes, rs, re) {
            continue;
        }
        if looks_like_ip_or_version(text, run) || is_quantity(text, rs, re) {
            continue;
        }
        numbers.clear();
        segment(run, &mut numbers);
        for (i, nm) in numbers.iter().enumerate() {
            let whole = nm.digits.start == 0 && nm.digits.end == run.len();
            if !whole
                && nm.kind != NumberKind::Other
                && !(natural_grouping(run, nm) && fits_in_run(run, &numbers, i))
            {
                continue;
            }
            let span = run.original_span(nm.digits.clone());
            let canonical =
                String::from_utf8_lossy(&run.digits()[nm.national_start..nm.digits.end])
                    .into_owned();
            let (kind, needs) = match nm.kind {
                NumberKind::IdCard if canonical.len() == 15 => {
                    (PiiKind::IdCard, Some(CueKind::IdCard))
                }
                NumberKind::IdCard => (PiiKind::IdCard, None),
                NumberKind::Mobile => (PiiKind::Mobile, None),
                NumberKind::BankCard(IssuerConfidence::Strong) => (PiiKind::BankCard, None),
                NumberKind::BankCard(IssuerConfidence::NeedsCue) => {
                    (PiiKind::BankCard, Some(CueKind::Card))
                }
                NumberKind::Landline { separated: true } => (PiiKind::Landline, None),
                NumberKind::Landline { separated: false } => {
                    (PiiKind::Landline, Some(CueKind::Phone))
                }
                NumberKind::Other => {
                    let n = canonical.len();
                    if n == 8 || n == 10 {
                        let c = canonical.clone();
                        pending.push(Pending {
                            kind: PiiKind::TaiwanPermit,
                            needs: CueKind::Taiwan,
                            span,
                            canonical: c,
                        });
                    }
                    if canonical.starts_with('0') || !(5..=11).contains(&n) {
                        continue;
                    }
                    let c = canonical.clone();
                    pending.push(Pending {
                        kind: PiiKind::Qq,
                        needs: CueKind::Qq,
                        span,
                        canonical: c,
                    });
                    (PiiKind::Wechat, Some(CueKind::Wechat))
                }
            };
            match needs {
                None => out.push(PiiMatch {
                    kind,
                    span,
                    canonical,
                }),
                Some(needs) => pending.push(Pending {
                    kind,
                    needs,
                    span,
                    canonical,
                }),
            }
        }
    }
    for at in memchr::memchr_iter(b'@', bytes) {
        if let Some(m) = email_at(text, at) {
            out.push(m);
        }
    }
    if out.is_empty() && pending.is_empty() && !index.may_have_wechat_cue(text) {
        return;
    }
    index.find(text, hits);
    if hits.is_empty() {
        return;
    }
    // A card-length number labelled as an order, waybill or serial number
    // is that, even when its Luhn digit happens to fit.
    out.retain(|m| {
        m.kind != PiiKind::BankCard
            || !cues::near(
                hits,
                CueKind::NotPersonal,
                m.span.start,
                m.span.end,
                NOT_PERSONAL_BEFORE,
                0,
            )
            || cues::near(
                hits,
                CueKind::Card,
                m.span.start,
                m.span.end,
                CUE_BEFORE,
                CUE_AFTER,
            )
    });
    let mut taken: std::collections::HashSet<Span> = std::collections::HashSet::new();
    for p in pending {
        if taken.contains(&p.span) {
            continue;
        }
        if cues::near(
            hits,
            p.needs,
            p.span.start,
            p.span.end,
            CUE_BEFORE,
            CUE_AFTER,
        ) {
            taken.insert(p.span);
            out.push(PiiMatch {
                kind: p.kind,
                span: p.span,
                canonical: p.canonical,
            });
        }
    }
    for h in hits.iter().filter(|h| h.kind == CueKind::Wechat) {
        if let Some(m) = wechat_id_after(text, h.end) {
            out.push(m);
        }
    }
    // Text order; a match inside a longer one (the digits of a WeChat id,
    // a number inside an address) gives way to it.
    out.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    let mut reach = 0;
    out.retain(|m| {
        let keep = m.span.end > reach || m.span.start >= reach;
        reach = reach.max(m.span.end);
        keep
    });
}

/// Whether the number at `rs..re` is an amount or a count: preceded by a
/// currency sign or followed by a unit (15000000000元, 13800000000人次).
fn is_quantity(text: &str, rs: usize, re: usize) -> bool {
    let before = text[..rs].chars().next_back();
    let after = text[re..].chars().next();
    matches!(before, Some('¥' | '￥' | '$' | '＄' | '€' | '£'))
        || matches!(
            after,
            Some(
                '元' | '块'
                    | '万'
                    | '亿'
                    | '人'
                    | '次'
                    | '个'
                    | '件'
                    | '倍'
                    | '%'
                    | '％'
                    | '岁'
                    | '年'
                    | '米'
                    | '克'
                    | '吨'
                    | '股'
                    | '份'
                    | '台'
                    | '辆'
                    | '户'
                    | '条'
                    | '篇'
                    | '页'
                    | '字'
                    | '秒'
                    | '镑'
            )
        )
}

/// Whether a run is a dotted IPv4 address or version number (`192.168.1.10`,
/// `3.10.12`): ASCII digits in groups of at most three joined by dots.
fn looks_like_ip_or_version(text: &str, run: &DigitRun) -> bool {
    let sp = run.original_span(0..run.len());
    let s = &text[sp.start..sp.end];
    s.contains('.')
        && s.split('.').count() <= 4
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.split('.').all(|g| !g.is_empty() && g.len() <= 3)
}

/// Whether a number found *inside* a longer run is written in a grouping
/// people use for that kind (3-4-4 for a mobile, 6-8-4 for an identity
/// number, fours for a card) or unseparated. A stretch cut out of a run of
/// single digits or odd groups is more likely part of something else (an
/// invalid identity number, a mistyped card) than a number of its own.
fn natural_grouping(run: &DigitRun, nm: &NumberMatch) -> bool {
    let mut lens: Vec<usize> = Vec::new();
    for g in run.groups_overlapping(nm.national_start.min(nm.digits.start)..nm.digits.end) {
        if g.start >= nm.national_start && g.end <= nm.digits.end {
            lens.push(g.len());
        } else if g.start < nm.national_start && g.end > nm.national_start {
            // The prefix is glued to the number (8613812345678): count the
            // national part as one group.
            lens.push(g.end - nm.national_start);
        }
    }
    let n: usize = lens.iter().sum();
    match (nm.kind, lens.as_slice()) {
        (_, [_]) => true,
        (NumberKind::Mobile, [3, 4, 4] | [3, 8] | [7, 4] | [3, 4, 4, ..]) => true,
        (
            NumberKind::IdCard,
            [6, 8, 4] | [6, 12] | [17, 1] | [6, 8, 3, 1] | [6, 6, 3] | [6, 4, 4, 4],
        ) => true,
        (NumberKind::BankCard(_), [6, _]) => true,
        (NumberKind::BankCard(_), [init @ .., last]) => {
            init.iter().all(|&l| l == 4) && (3..=4).contains(last) && n >= 15
        }
        (NumberKind::Landline { .. }, [3 | 4, 7 | 8]) => true,
        _ => false,
    }
}

/// Whether a number found inside a longer run stands apart from the digits
/// around it. A card or identity number must be flush with the run's ends or
/// with other numbers: a valid 16-digit prefix of an invalid 19-digit card
/// is still an invalid card. A phone may sit next to a one- or two-digit
/// number ("13812345678 2号楼").
fn fits_in_run(run: &DigitRun, numbers: &[NumberMatch], i: usize) -> bool {
    let nm = &numbers[i];
    let classified = |m: &&NumberMatch| m.kind != NumberKind::Other;
    let prev_end = numbers[..i]
        .iter()
        .rev()
        .find(classified)
        .map_or(0, |m| m.digits.end);
    let next_start = numbers[i + 1..]
        .iter()
        .find(classified)
        .map_or(run.len(), |m| m.digits.start);
    let gaps = (nm.digits.start - prev_end, next_start - nm.digits.end);
    match nm.kind {
        NumberKind::IdCard | NumberKind::BankCard(_) => gaps == (0, 0),
        _ => gaps.0 <= 2 && gaps.1 <= 2,
    }
}

/// Whether the digits at `s..e` sit inside an ASCII token such as a hash or
/// a URL, where they are not a number anyone wrote down.
fn embedded_in_token(bytes: &[u8], s: usize, e: usize) -> bool {
    let before = s > 0 && bytes[s - 1].is_ascii_alphabetic();
    let after = e < bytes.len() && bytes[e].is_ascii_alphabetic();
    if before && after {
        return true;
    }
    let mut i = s;
    while i > 0 && s - i < 96 {
        let b = bytes[i - 1];
        if b.is_ascii_whitespace() || b >= 0x80 {
            break;
        }
        if matches!(b, b'/' | b'=' | b'?' | b'&' | b'%' | b'#') {
            return true;
        }
        i -= 1;
    }
    false
}

/// Passport and permit numbers: one or two letters right before the digits.
/// Returns the match and the cue it needs, if any (an upper-case `E` with
/// eight digits is the ordinary passport form and needs none).
fn letter_code(text: &str, run: &DigitRun) -> Option<(PiiMatch, Option<CueKind>)> {
    let bytes = text.as_bytes();
    let rs = run.start();
    if run.group_count() != 1
        || !run.is_plain_ascii(0..run.len(), text)
        || run.digits().last() == Some(&b'X')
    {
        return None;
    }
    let mut ls = rs;
    while ls > 0 && rs - ls < 2 && bytes[ls - 1].is_ascii_alphabetic() {
        ls -= 1;
    }
    if ls == rs || (ls > 0 && bytes[ls - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let letters = &text[ls..rs];
    let first = letters.as_bytes()[0].to_ascii_uppercase();
    let n = run.len();
    let eight = (letters.len() == 1 && n == 8) || (letters.len() == 2 && n == 7);
    let (kind, needs) = match first {
        b'E' if eight && letters.as_bytes()[0] == b'E' => (PiiKind::Passport, None),
        b'E' | b'G' | b'P' | b'S' | b'D' if eight => (PiiKind::Passport, Some(CueKind::Passport)),
        b'C' | b'W' if eight => (PiiKind::HkMacaoPermit, Some(CueKind::HkMacao)),
        b'H' | b'M' if letters.len() == 1 && (n == 8 || n == 10) => {
            (PiiKind::HkMacaoPermit, Some(CueKind::HkMacao))
        }
        b'L' | b'T' if eight => (PiiKind::TaiwanPermit, Some(CueKind::Taiwan)),
        _ => return None,
    };
    let span = Span::new(ls, run.end());
    let canonical = text[span.start..span.end].to_ascii_uppercase();
    Some((
        PiiMatch {
            kind,
            span,
            canonical,
        },
        needs,
    ))
}
