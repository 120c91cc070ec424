//! A deterministic generator of items with planted personal information in
//! every evasion form, and of ordinary items whose numbers are not personal
//! information (prices, dates, order numbers, numbers failing their check).
//! Shared by the evaluation test and the benchmark.

#![allow(dead_code)]

/// xorshift64*: small, deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// The planted kinds the acceptance test counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planted {
    IdCard,
    Mobile,
    BankCard,
}

pub fn mobile(r: &mut Rng) -> String {
    let prefixes = [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
        "152", "153", "155", "156", "157", "158", "159", "166", "170", "171", "172", "173", "175",
        "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
        "191", "193", "195", "198", "199",
    ];
    format!("{}{}", r.pick(&prefixes), r.digits(8))
}

fn id_check(first17: &str) -> char {
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = first17
        .bytes()
        .zip(w)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(s % 11) as usize] as char
}

fn birth(r: &mut Rng) -> (u32, u32, u32) {
    let y = 1945 + r.below(64) as u32;
    let m = 1 + r.below(12) as u32;
    let d = 1 + r.below(28) as u32;
    (y, m, d)
}

fn region(r: &mut Rng) -> String {
    let provinces = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 61, 62, 64, 65,
    ];
    format!(
        "{}{:02}{:02}",
        r.pick(&provinces),
        1 + r.below(20),
        1 + r.below(30)
    )
}

/// A valid 18-character identity number (upper-case X).
pub fn id_card(r: &mut Rng) -> String {
    let (y, m, d) = birth(r);
    let first17 = format!("{}{y:04}{m:02}{d:02}{}", region(r), r.digits(3));
    let c = id_check(&first17);
    format!("{first17}{c}")
}

/// A well-formed identity number with a wrong check character.
pub fn bad_id_card(r: &mut Rng) -> String {
    let good = id_card(r);
    let right = good.chars().last().unwrap_or('0');
    let wrong: Vec<char> = "0123456789X".chars().filter(|&c| c != right).collect();
    format!("{}{}", &good[..17], r.pick(&wrong))
}

fn luhn_digit(body: &str) -> char {
    let mut sum = 0;
    for (i, b) in body.bytes().rev().enumerate() {
        let mut v = (b - b'0') as u32;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

const BINS: &[&str] = &[
    "622202", "622848", "621700", "436742", "622588", "622700", "625967", "403391", "512425",
    "621226", "622609", "356833", "955880",
];

/// A Luhn-valid card number of 16 or 19 digits with a real issuer prefix.
pub fn bank_card(r: &mut Rng) -> String {
    let bin = *r.pick(BINS);
    let len = if bin.starts_with('9') || r.chance(0.5) {
        19
    } else {
        16
    };
    let body = format!("{bin}{}", r.digits(len - 1 - bin.len()));
    let c = luhn_digit(&body);
    format!("{body}{c}")
}

/// A card number with the same prefixes whose Luhn check fails.
pub fn bad_bank_card(r: &mut Rng) -> String {
    let good = bank_card(r);
    let last = good.as_bytes()[good.len() - 1] - b'0';
    let wrong = (last + 1 + r.below(9) as u8) % 10;
    format!("{}{}", &good[..good.len() - 1], char::from(b'0' + wrong))
}

const CN: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const CN_ALT: [&str; 10] = ["零", "幺", "两", "三", "四", "五", "六", "七", "八", "九"];
const CAPITAL: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
const SEPS: &[&str] = &[
    " ", "-", ".", "*", "/", "_", "·", "\u{200b}", "  ", " - ", "　", "~", "|",
];

fn glyph(r: &mut Rng, c: char, style: usize) -> String {
    let Some(v) = c.to_digit(10) else {
        return c.to_string();
    };
    let v = v as usize;
    match style {
        0 => c.to_string(),
        1 => char::from_u32('０' as u32 + v as u32).map_or(c.to_string(), String::from),
        2 => CN[v].to_owned(),
        3 => CN_ALT[v].to_owned(),
        4 => CAPITAL[v].to_owned(),
        _ => {
            let s = r.below(4);
            glyph(r, c, s)
        }
    }
}

/// Writes `digits` in one of the evasion forms; `groups` are the natural
/// group lengths of the kind (3-4-4 for a mobile, 6-8-4 for an identity
/// number, fours for a card).
pub fn evade(r: &mut Rng, digits: &str, groups: &[usize]) -> String {
    let form = r.below(12);
    let style = match form {
        0..=3 => 0,
        4 => 1,
        5 => 2,
        6 => 3,
        7 => 4,
        _ => 5,
    };
    let mut out = String::new();
    let cuts: Vec<usize> = groups
        .iter()
        .scan(0, |acc, g| {
            *acc += g;
            Some(*acc)
        })
        .collect();
    let sep_mode = r.below(5); // 0 none, 1 natural groups, 2 every digit, 3 random, 4 natural with random separator
    let fixed_sep = *r.pick(SEPS);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 {
            let sep = match sep_mode {
                1 if cuts.contains(&i) => Some(fixed_sep),
                2 => Some(fixed_sep),
                3 if r.chance(0.3) => Some(*r.pick(SEPS)),
                4 if cuts.contains(&i) => Some(*r.pick(SEPS)),
                _ => None,
            };
            if let Some(s) = sep {
                out.push_str(s);
            }
        }
        out.push_str(&glyph(r, c, style));
    }
    out
}

const PLANT_CONTEXTS: &[&str] = &[
    "这个人的手机号是{}，大家去问问他",
    "扒出来了，{} 就是她",
    "联系电话：{}",
    "有事打{}找我",
    "身份证号{}，家住隔壁",
    "卡号{}，户名张三",
    "{}",
    "开盒了 {} 冲",
    "他的号码{}，别说是我说的",
    "实名举报：{}。",
    "V我 {} 备注来意",
    "老板电话 {} 打过去骂他",
];

const ORDINARY: &[&str] = &[
    "今天买了个手机，花了1380元，{}",
    "订单号：{}，请核对",
    "快递单号SF{}已签收",
    "会议在2024-11-28 13:45，会议室1208",
    "价格¥2,399.00，原价3,099",
    "第三季度营收同比增长12.5%，达到4,321,000,000元",
    "一二三四五六七八九十，小朋友数数",
    "我等了三五天才到货",
    "看了{}这个数字，想起了小时候",
    "编号 {} 的商品已下架",
    "版本号 v3.10.12 更新说明",
    "IP 地址 192.168.10.254 无法访问",
];

fn wrap(r: &mut Rng, contexts: &[&str], carrier: Option<&str>, body: &str) -> (String, usize) {
    let ctx = *r.pick(contexts);
    let mut text = String::new();
    if let Some(c) = carrier {
        text.push_str(c);
        text.push('，');
    }
    let at = ctx.find("{}").unwrap_or(ctx.len());
    text.push_str(&ctx[..at]);
    if at == ctx.len() {
        text.push('，');
    }
    let start = text.len();
    text.push_str(body);
    if at < ctx.len() {
        text.push_str(&ctx[at + 2..]);
    }
    (text, start)
}

/// One planted item: text, the kind and the byte range of the planted value.
pub fn planted(
    r: &mut Rng,
    kind: Planted,
    carrier: Option<&str>,
) -> (String, Planted, std::ops::Range<usize>) {
    let (value, groups): (String, &[usize]) = match kind {
        Planted::Mobile => (mobile(r), &[3, 4, 4]),
        Planted::IdCard => (id_card(r), &[6, 8, 4]),
        Planted::BankCard => (bank_card(r), &[4, 4, 4, 4, 3]),
    };
    let mut body = evade(r, &value, groups);
    if kind == Planted::IdCard && r.chance(0.2) {
        body = body.replace('X', "x");
    }
    if kind == Planted::Mobile && r.chance(0.25) {
        let prefix = *r.pick(&["+86", "+86 ", "0086", "0086-", "86 ", "+86-"]);
        body = format!("{prefix}{body}");
    }
    let (text, start) = wrap(r, PLANT_CONTEXTS, carrier, &body);
    let end = start + body.len();
    (text, kind, start..end)
}

/// One ordinary item, possibly carrying a number that fails its check
/// (returned as `Some(range)` so the evaluation can tell it was a trap).
pub fn ordinary(r: &mut Rng, carrier: Option<&str>) -> (String, Option<std::ops::Range<usize>>) {
    let trap = r.below(4);
    let (body, is_trap) = match trap {
        0 => {
            let v = bad_id_card(r);
            (evade(r, &v, &[6, 8, 4]), true)
        }
        1 => {
            let v = bad_bank_card(r);
            (evade(r, &v, &[4, 4, 4, 4, 3]), true)
        }
        2 => (format!("2024{}", r.digits(14)), false),
        _ => {
            let n = 6 + r.below(4);
            (r.digits(n), false)
        }
    };
    let (text, start) = wrap(r, ORDINARY, carrier, &body);
    let range = is_trap.then(|| start..start + body.len());
    (text, range)
}

/// Texts from COLD's training file, if it is present (column TEXT, last).
pub fn cold_texts(limit: usize) -> Option<Vec<String>> {
    let path = std::env::var("QINGLANG_COLD")
        .unwrap_or_else(|_| "/work/shared/datasets/cold/train.csv".to_owned());
    let raw = std::fs::read_to_string(path).ok()?;
    let mut out = Vec::new();
    for line in raw.lines().skip(1) {
        // index,split,topic,label,TEXT - the text may contain commas.
        let mut parts = line.splitn(5, ',');
        if let Some(text) = parts.nth(4) {
            out.push(text.trim_matches('"').to_owned());
        }
        if out.len() >= limit {
            break;
        }
    }
    Some(out)
}
