//! Name skeletons: what is left of a display name or handle once the usual
//! disguises are undone, and how two skeletons are compared.
//!
//! A [`Skeleton`] keeps two forms of a name: `han`, its Chinese characters
//! after [`qinglang_text::fold_char`] (traditional to simplified, width,
//! look-alikes) and a small table of look-alike ideographs (曰 for 日);
//! and `sound`, the name read aloud: toneless pinyin for every Chinese
//! character followed by the Latin letters as written, with leetspeak digits
//! inside Latin words read as letters. Symbols, spaces, emoji and invisible
//! characters are dropped from both, which undoes inserted symbols.
//!
//! Decoration that impostors add (官方, 频道, 中心, 发布, official, news)
//! is stripped from the ends before comparison; see [`strip_decoration`].

use qinglang_text::{fold_char, leet_letter, pinyin_of, CharClass, Evasion};

/// Look-alike ideographs not covered by the traditional-to-simplified fold,
/// mapped to the character they imitate. Hand-written.
fn han_lookalike(c: char) -> char {
    match c {
        '曰' => '日',
        '巳' | '已' => '己',
        '末' => '未',
        '士' => '土',
        '兲' | '夭' => '天',
        '囯' | '圀' | '囻' => '国',
        '亼' => '人',
        '冂' => '门',
        '讠' => '言',
        other => other,
    }
}

/// Ideographs used as punctuation inside names (新丶华丶社): strokes and
/// radicals that read as dots and bars rather than as characters.
fn is_filler_han(c: char) -> bool {
    matches!(
        c,
        '丶' | '丿' | '乀' | '乁' | '亅' | '丨' | '亠' | '〆' | '乚' | '冫'
    )
}

/// A Latin letter with a pinyin tone mark or diaeresis, as its base letter
/// (`ü` as `v`, as pinyin input methods write it).
fn strip_tone(c: char) -> char {
    match c {
        'ā' | 'á' | 'ǎ' | 'à' | 'Ā' | 'Á' | 'Ǎ' | 'À' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'Ē' | 'É' | 'Ě' | 'È' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' | 'Ī' | 'Í' | 'Ǐ' | 'Ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' | 'Ō' | 'Ó' | 'Ǒ' | 'Ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'Ū' | 'Ú' | 'Ǔ' | 'Ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' | 'Ü' => 'v',
        'ń' | 'ň' | 'ǹ' => 'n',
        other => other,
    }
}

/// Which disguises a name used, as found while building its skeleton.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Disguises {
    pub traditional: bool,
    pub confusable: bool,
    pub symbols: bool,
}

/// A name with its disguises undone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skeleton {
    /// Folded Chinese characters only.
    pub han: String,
    /// Pinyin of the Chinese characters and the Latin letters, in order.
    pub sound: String,
    /// Latin letters and digits only (for handles such as `cctv13`).
    pub latin: String,
    pub disguises: Disguises,
}

impl Skeleton {
    /// Builds the skeleton of `name`.
    pub fn of(name: &str) -> Self {
        let mut s = Skeleton::default();
        let mut kept = 0usize;
        let mut dropped_inside = false;
        let chars: Vec<char> = name.chars().collect();
        let mut last_han: Option<char> = None;
        for (i, &c) in chars.iter().enumerate() {
            if is_filler_han(c) {
                dropped_inside |= kept > 0;
                continue;
            }
            let f = fold_char(strip_tone(c));
            match f.evasion {
                Evasion::Traditional => s.disguises.traditional = true,
                Evasion::Confusable => s.disguises.confusable = true,
                _ => {}
            }
            match f.class {
                CharClass::Han => {
                    let h = han_lookalike(f.ch);
                    if h != f.ch {
                        s.disguises.confusable = true;
                    }
                    if last_han == Some(h) {
                        // A doubled character (华华为) is read once.
                        s.disguises.symbols = true;
                        continue;
                    }
                    last_han = Some(h);
                    s.han.push(h);
                    // The sound is that of the character as written: a
                    // look-alike (末 for 未) is a different word aloud.
                    match pinyin_of(f.ch) {
                        Some(p) => s.sound.push_str(p),
                        None => s.sound.push(f.ch),
                    }
                    kept += 1;
                }
                CharClass::Latin => {
                    s.sound.push(f.ch);
                    s.latin.push(f.ch);
                    kept += 1;
                }
                CharClass::Digit => {
                    s.latin.push(f.ch);
                    // A digit between two Latin letters is leetspeak (xinhua5he).
                    let prev = i.checked_sub(1).map(|j| fold_char(chars[j]).class);
                    let next = chars.get(i + 1).map(|&n| fold_char(n).class);
                    if prev == Some(CharClass::Latin) && next == Some(CharClass::Latin) {
                        if let Some(l) = leet_letter(f.ch) {
                            s.sound.push(l);
                            s.disguises.confusable = true;
                        }
                    }
                }
                CharClass::Drop => dropped_inside |= kept > 0,
                _ => dropped_inside |= kept > 0 && i + 1 < chars.len(),
            }
        }
        s.disguises.symbols |= dropped_inside;
        s
    }
}

/// Chinese decoration impostors add around a borrowed name.
pub const HAN_DECORATION: &[&str] = &[
    "官方",
    "官博",
    "官微",
    "官号",
    "频道",
    "中心",
    "发布",
    "发布厅",
    "新闻",
    "资讯",
    "在线",
    "客户端",
    "平台",
    "认证",
    "账号",
    "总部",
    "总台",
    "独家",
    "快讯",
    "视频",
    "直播",
    "融媒",
    "新媒体",
    "网",
    "号",
    "微博",
    "正版",
    "唯一",
    "真",
    "的",
    "分社",
    "记者站",
    "编辑部",
    "服务",
    "客服",
    "热线",
    "旗舰店",
    "官网",
    "app",
    "中文网",
    "通知",
    "公告",
    "最新",
    "评论",
    "特稿",
    "视点",
    "直播间",
    "热点",
    "头条",
    "要闻",
    "速报",
    "播报",
    "电讯",
    "消息",
    "报道",
    "全媒体",
    "公众号",
    "订阅号",
    "服务号",
    "今日",
    "每日",
    "快报",
    "官方微博",
    "中文",
    "国际版",
    "发言人",
];

/// Words that say an account is *about* a name rather than *of* it
/// (新华社读者, 华为粉丝团).
const NOT_AFFILIATED: &[&str] = &[
    "粉丝",
    "读者",
    "爱好者",
    "迷",
    "观众",
    "用户",
    "后援",
    "学习",
    "研究",
    "吐槽",
    "评测",
    "代购",
    "二手",
    "回收",
    "维修",
    "配件",
    "员工",
    "书店",
    "门店",
    "手机",
    "产品",
    "的",
];

/// Characters that, after the last character of a name, usually make a
/// new word with it (公安部 + 门 = 部门, 中国银行 + 业 = 银行业), so that the
/// name is not really there. Keyed by the name's last character.
fn continues_word(last: char, next: char) -> bool {
    let after: &str = match last {
        '部' => "门分长队落件位署",
        '行' => "业长为动人政李情",
        '报' => "告道名纸刊亭警表复社",
        '社' => "会区团交长员",
        '局' => "长面势部限",
        '院' => "长士子校线",
        '网' => "友络站红球页民店",
        '台' => "湾风阶词长球",
        '会' => "长员议计场",
        '闻' => "名",
        '动' => "力车作物态画漫",
        '米' => "饭粥粉酒",
        '宝' => "贝宝石藏",
        '司' => "机令长法",
        '央' => "视行企",
        '中' => "心国学",
        '委' => "员托屈",
        '馆' => "长",
        '为' => "了什止",
        '所' => "长有以",
        '厅' => "长",
        _ => "",
    };
    after.contains(next)
}

/// Whether `added` (the characters after a protected name in an account
/// name) is a short addition of the impostor's own (新华社视线, 人民日报小编):
/// one to three characters, not a word that says the account is only about
/// the name, and not a continuation of the name's last word.
pub fn short_addition(name: &str, added: &str) -> bool {
    let n = added.chars().count();
    if n == 0
        || n > 3
        || name.chars().count() < 3
        || NOT_AFFILIATED.iter().any(|w| added.contains(w))
    {
        return false;
    }
    match (name.chars().next_back(), added.chars().next()) {
        (Some(last), Some(next)) => !continues_word(last, next),
        _ => false,
    }
}

/// Latin (and pinyin) decoration, compared on the `sound` form.
pub const SOUND_DECORATION: &[&str] = &[
    "official", "offical", "news", "media", "channel", "online", "app", "tv", "cn", "china",
    "live", "daily", "real", "the", "hq", "service", "guanfang", "guanbo", "guanwei", "pindao",
    "zhongxin", "fabu", "xinwen", "zixun", "zaixian", "kuaixun", "shipin", "zhibo", "wang", "hao",
    "zhanghao", "renzheng", "weibo", "fenshe", "kefu",
];

/// Strips decoration words from both ends of `s`, as often as they occur.
pub fn strip_decoration<'a>(mut s: &'a str, words: &[&str]) -> &'a str {
    loop {
        let before = s.len();
        for w in words {
            if s.len() > w.len() {
                if let Some(rest) = s.strip_suffix(w) {
                    s = rest;
                }
            }
            if s.len() > w.len() {
                if let Some(rest) = s.strip_prefix(w) {
                    s = rest;
                }
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Whether `s` is made of decoration words only (or is empty).
pub fn only_decoration(s: &str, words: &[&str]) -> bool {
    // Longest-first greedy is enough for these short lists.
    let mut rest = s;
    'outer: while !rest.is_empty() {
        let mut best: Option<usize> = None;
        for w in words {
            if rest.starts_with(w) && best.map_or(true, |b| w.len() > b) {
                best = Some(w.len());
            }
        }
        match best {
            Some(n) => {
                rest = &rest[n..];
                continue 'outer;
            }
            None => return false,
        }
    }
    true
}

/// Levenshtein distance over characters, giving up above `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_undo_disguises() {
        let s = Skeleton::of("新華社");
        assert_eq!(s.han, "新华社");
        assert!(s.disguises.traditional);
        let s = Skeleton::of("新·华*社");
        assert_eq!(s.han, "新华社");
        assert!(s.disguises.symbols);
        assert_eq!(Skeleton::of("人民曰报").han, "人民日报");
        assert_eq!(Skeleton::of("XinHuaShe").sound, "xinhuashe");
        assert_eq!(Skeleton::of("xinhua5he").sound, "xinhuashe");
        assert_eq!(Skeleton::of("新hua社").sound, "xinhuashe");
        assert_eq!(Skeleton::of("ｘｉｎｈｕａ").sound, "xinhua");
    }

    #[test]
    fn decoration_and_distance() {
        assert_eq!(strip_decoration("官方新华社频道", HAN_DECORATION), "新华社");
        assert_eq!(
            strip_decoration("xinhuasheofficial", SOUND_DECORATION),
            "xinhuashe"
        );
        assert!(only_decoration("官方发布", HAN_DECORATION));
        assert!(!only_decoration("粉丝团", HAN_DECORATION));
        assert_eq!(edit_distance("人民日报", "人民日抱", 2), 1);
        assert_eq!(edit_distance("新华书店", "新华社", 1), 2);
    }
}
