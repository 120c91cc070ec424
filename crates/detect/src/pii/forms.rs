//! Small parsers for the kinds that are not plain numbers: licence plates,
//! e-mail addresses, WeChat ids after a cue, and street addresses. Each
//! takes the original text and a byte position found by the caller (the
//! start of a digit run, an `@`, the end of a cue word) and returns a match
//! whose span lies on character boundaries of the original text.

use super::find::PiiMatch;
use super::PiiKind;
use qinglang_model::Span;

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

const PROVINCE_ABBR: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// A licence plate whose number part starts at byte `digits_at`:
/// province abbreviation, a letter, an optional separator and five or six
/// letters and digits (at least three digits).
pub(super) fn plate_at(text: &str, digits_at: usize) -> Option<PiiMatch> {
    let head = &text[..digits_at];
    let mut start = None;
    let mut chars = head.char_indices().rev();
    for _ in 0..5 {
        let (i, c) = chars.next()?;
        if PROVINCE_ABBR.contains(c) && c.len_utf8() == 3 {
            start = Some(i);
            break;
        }
        if !(c.is_ascii_alphabetic() || matches!(c, '·' | '•' | '.' | ' ' | '-')) {
            return None;
        }
    }
    let start = start?;
    let mut it = text[start..].char_indices().skip(1).peekable();
    let (_, letter) = it.next()?;
    if !letter.is_ascii_alphabetic() {
        return None;
    }
    let mut canonical = String::new();
    canonical.push_str(&text[start..start + 3]);
    canonical.push(letter.to_ascii_uppercase());
    if let Some((_, c)) = it.peek() {
        if matches!(c, '·' | '•' | '.' | ' ' | '-') {
            it.next();
        }
    }
    let mut count = 0;
    let mut digits = 0;
    let mut end = start;
    for (i, c) in it {
        if c.is_ascii_alphanumeric() && !matches!(c.to_ascii_uppercase(), 'I' | 'O') {
            count += 1;
            digits += usize::from(c.is_ascii_digit());
            canonical.push(c.to_ascii_uppercase());
            end = start + i + 1;
            if count > 6 {
                return None;
            }
        } else {
            break;
        }
    }
    ((5..=6).contains(&count) && digits >= 3).then(|| PiiMatch {
        kind: PiiKind::LicensePlate,
        span: Span::new(start, end),
        canonical,
    })
}

/// An e-mail address around the `@` at byte `at`.
pub(super) fn email_at(text: &str, at: usize) -> Option<PiiMatch> {
    let b = text.as_bytes();
    let local_ok =
        |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut s = at;
    while s > 0 && at - s < 64 && local_ok(b[s - 1]) {
        s -= 1;
    }
    while s < at && !b[s].is_ascii_alphanumeric() {
        s += 1;
    }
    let mut e = at + 1;
    while e < b.len()
        && e - at < 255
        && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'.' | b'-'))
    {
        e += 1;
    }
    while e > at + 1 && !b[e - 1].is_ascii_alphanumeric() {
        e -= 1;
    }
    let domain = &text[at + 1..e];
    let tld = domain.rsplit('.').next().unwrap_or("");
    if s == at
        || !domain.contains('.')
        || tld.len() < 2
        || !tld.bytes().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    Some(PiiMatch {
        kind: PiiKind::Email,
        span: Span::new(s, e),
        canonical: text[s..e].to_ascii_lowercase(),
    })
}

/// A WeChat id right after a WeChat cue ("微信：zhang_san88", "vx abc123").
pub(super) fn wechat_id_after(text: &str, cue_end: usize) -> Option<PiiMatch> {
    let rest = text.get(cue_end..)?;
    let mut skip = 0;
    for (i, c) in rest.char_indices() {
        if i > 12 {
            return None;
        }
        if matches!(
            c,
            ':' | '：' | ' ' | '号' | '是' | '=' | '-' | '\u{3000}' | '同' | '加' | '为'
        ) {
            continue;
        }
        skip = i;
        break;
    }
    let s = cue_end + skip;
    let b = text.as_bytes();
    if s >= b.len() || !b[s].is_ascii_alphabetic() {
        return None;
    }
    let mut e = s;
    while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'_' || b[e] == b'-') {
        e += 1;
    }
    let n = e - s;
    let id = &text[s..e];
    let common = ["wechat", "weixin", "http", "https", "qq"];
    ((6..=20).contains(&n) && !common.contains(&id.to_ascii_lowercase().as_str())).then(|| {
        PiiMatch {
            kind: PiiKind::Wechat,
            span: Span::new(s, e),
            canonical: id.to_ascii_lowercase(),
        }
    })
}

/// Province-level divisions by their short names.
pub(crate) const PROVINCE_NAMES: &[&str] = &[
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
];

/// A street address ending in the number at `rs..re`: the Chinese stretch
/// before it must name an administrative unit (市/区/县/省/镇/乡) and then a
/// street or estate (路/街/道/巷/弄/村/小区/花园/大厦…), and the number must
/// be followed by 号/栋/幢/单元/室.
pub(super) fn address_at(text: &str, rs: usize, re: usize) -> Option<PiiMatch> {
    let after = text.get(re..)?;
    let unit = after.chars().next()?;
    if !matches!(unit, '号' | '栋' | '幢' | '单' | '室') {
        return None;
    }
    if unit == '单' && !after.starts_with("单元") {
        return None;
    }
    // The Chinese stretch before the number, at most 32 characters.
    let head = &text[..rs];
    let mut st = rs;
    for (i, c) in head.char_indices().rev().take(32) {
        if !is_cjk(c) {
            break;
        }
        st = i;
    }
    let stretch = &text[st..rs];
    let mut admin = None;
    for (i, c) in stretch.char_indices() {
        if matches!(c, '省' | '市' | '区' | '县' | '镇' | '乡') {
            let prev = stretch[..i].chars().next_back();
            if c == '区'
                && matches!(
                    prev,
                    Some('小' | '社' | '园' | '景' | '城' | '地' | '郊' | '山')
                )
            {
                continue;
            }
            if c == '市' && matches!(prev, Some('超' | '城' | '股' | '上' | '夜' | '菜' | '门'))
            {
                continue;
            }
            admin = Some(i);
            break;
        }
    }
    let admin = admin?;
    let tail = &stretch[admin..];
    let markers = [
        "路", "街", "道", "巷", "弄", "村", "里", "小区", "花园", "苑", "大厦", "公寓", "院",
        "胡同",
    ];
    if !markers.iter().any(|m| tail[3..].contains(m)) {
        return None;
    }
    let start = PROVINCE_NAMES
        .iter()
        .filter_map(|p| stretch[..admin].find(p).map(|i| st + i))
        .min()
        .unwrap_or_else(|| {
            let before: Vec<(usize, char)> = stretch[..admin].char_indices().collect();
            st + before.len().checked_sub(2).map_or(0, |k| before[k].0)
        });
    let mut end = re;
    for (i, c) in after.char_indices().take(24) {
        let unit_char = matches!(
            c,
            '号' | '栋' | '幢' | '楼' | '单' | '元' | '室' | '层' | '-' | '#'
        );
        if c.is_ascii_digit() || ('０'..='９').contains(&c) || unit_char {
            if !c.is_ascii_digit() && c != '-' {
                end = re + i + c.len_utf8();
            }
        } else {
            break;
        }
    }
    let canonical: String = text[start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(PiiMatch {
        kind: PiiKind::Address,
        span: Span::new(start, end),
        canonical,
    })
}
