//! Cue words that give a number or a token its meaning ("QQ", "微信",
//! "卡号"), and the words that turn exposed personal information into
//! doxxing ("开盒", "人肉", "他家住").
//!
//! All cues are found in one Aho-Corasick pass over the original text, and
//! only for texts that already contain a candidate, so ordinary posts never
//! pay for it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// What a cue word points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueKind {
    Qq,
    Wechat,
    Phone,
    Card,
    IdCard,
    Passport,
    HkMacao,
    Taiwan,
    /// Words of the doxxing act itself: 开盒, 人肉, 扒皮, 起底, 轰炸.
    Doxxing,
    /// Words that point at a third person's details: 他家住, 她的手机, 真名.
    Target,
    /// Words of trading personal data: 出售身份证, 四件套, 社工库.
    Trade,
    /// Labels of numbers that are not personal: 订单号, 运单号, 编号, 流水号.
    NotPersonal,
}

const CUES: &[(&str, CueKind)] = &[
    ("qq", CueKind::Qq),
    ("q号", CueKind::Qq),
    ("扣扣", CueKind::Qq),
    ("抠抠", CueKind::Qq),
    ("企鹅号", CueKind::Qq),
    ("企鹅", CueKind::Qq),
    ("微信", CueKind::Wechat),
    ("威信", CueKind::Wechat),
    ("薇信", CueKind::Wechat),
    ("徽信", CueKind::Wechat),
    ("v信", CueKind::Wechat),
    ("vx", CueKind::Wechat),
    ("wx", CueKind::Wechat),
    ("wechat", CueKind::Wechat),
    ("weixin", CueKind::Wechat),
    ("加v", CueKind::Wechat),
    ("+v", CueKind::Wechat),
    ("绿泡泡", CueKind::Wechat),
    ("电话", CueKind::Phone),
    ("手机", CueKind::Phone),
    ("座机", CueKind::Phone),
    ("号码", CueKind::Phone),
    ("联系方式", CueKind::Phone),
    ("tel", CueKind::Phone),
    ("phone", CueKind::Phone),
    ("致电", CueKind::Phone),
    ("卡号", CueKind::Card),
    ("银行卡", CueKind::Card),
    ("信用卡", CueKind::Card),
    ("储蓄卡", CueKind::Card),
    ("借记卡", CueKind::Card),
    ("开户行", CueKind::Card),
    ("账号", CueKind::Card),
    ("card", CueKind::Card),
    ("身份证", CueKind::IdCard),
    ("证件号", CueKind::IdCard),
    ("护照", CueKind::Passport),
    ("passport", CueKind::Passport),
    ("港澳通行证", CueKind::HkMacao),
    ("通行证", CueKind::HkMacao),
    ("回乡证", CueKind::HkMacao),
    ("港澳", CueKind::HkMacao),
    ("台胞证", CueKind::Taiwan),
    ("台湾通行证", CueKind::Taiwan),
    ("入台证", CueKind::Taiwan),
    ("赴台", CueKind::Taiwan),
    ("开盒", CueKind::Doxxing),
    ("盒了", CueKind::Doxxing),
    ("盒武器", CueKind::Doxxing),
    ("人肉", CueKind::Doxxing),
    ("扒皮", CueKind::Doxxing),
    ("扒出", CueKind::Doxxing),
    ("起底", CueKind::Doxxing),
    ("挂人", CueKind::Doxxing),
    ("挂出来", CueKind::Doxxing),
    ("曝光", CueKind::Doxxing),
    ("轰炸", CueKind::Doxxing),
    ("打爆", CueKind::Doxxing),
    ("上门", CueKind::Doxxing),
    ("寄花圈", CueKind::Doxxing),
    ("社死", CueKind::Doxxing),
    ("网暴", CueKind::Doxxing),
    ("冲他", CueKind::Doxxing),
    ("冲她", CueKind::Doxxing),
    ("他家", CueKind::Target),
    ("她家", CueKind::Target),
    ("他的", CueKind::Target),
    ("她的", CueKind::Target),
    ("此人", CueKind::Target),
    ("这个人", CueKind::Target),
    ("该男", CueKind::Target),
    ("该女", CueKind::Target),
    ("这男的", CueKind::Target),
    ("这女的", CueKind::Target),
    ("真名", CueKind::Target),
    ("真实姓名", CueKind::Target),
    ("本名", CueKind::Target),
    ("家住", CueKind::Target),
    ("住址", CueKind::Target),
    ("家庭地址", CueKind::Target),
    ("户籍", CueKind::Target),
    ("工作单位", CueKind::Target),
    ("父母", CueKind::Target),
    ("老婆", CueKind::Target),
    ("老公", CueKind::Target),
    ("出售", CueKind::Trade),
    ("收购", CueKind::Trade),
    ("四件套", CueKind::Trade),
    ("社工库", CueKind::Trade),
    ("查档", CueKind::Trade),
    ("开房记录", CueKind::Trade),
    ("个人信息", CueKind::Trade),
    ("订单", CueKind::NotPersonal),
    ("单号", CueKind::NotPersonal),
    ("编号", CueKind::NotPersonal),
    ("流水号", CueKind::NotPersonal),
    ("交易号", CueKind::NotPersonal),
    ("序列号", CueKind::NotPersonal),
    ("批次", CueKind::NotPersonal),
    ("型号", CueKind::NotPersonal),
    ("工单", CueKind::NotPersonal),
    ("验证码", CueKind::NotPersonal),
];

/// One cue word found in a text, as a byte range of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueHit {
    pub kind: CueKind,
    pub start: usize,
    pub end: usize,
}

/// The compiled cue words.
#[derive(Debug, Clone)]
pub struct CueIndex {
    ac: AhoCorasick,
    /// The WeChat cues alone, small enough for a SIMD prefilter: texts
    /// without any candidate number only need the full scan when a WeChat
    /// id may follow one of these.
    wechat: AhoCorasick,
}

impl CueIndex {
    /// Compiles the built-in cue words (ASCII ones match in any case).
    pub fn new() -> Self {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(CUES.iter().map(|(w, _)| w))
            .or_else(|_| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(CUES.iter().map(|(w, _)| w))
            })
            .expect("the built-in cue list is small and valid");
        let wechat_words = CUES
            .iter()
            .filter(|(_, k)| *k == CueKind::Wechat)
            .map(|(w, _)| w);
        let wechat = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(wechat_words)
            .expect("the built-in WeChat cue list is small and valid");
        CueIndex { ac, wechat }
    }

    /// Whether `text` may hold a WeChat id behind a cue word. An id starts
    /// with a Latin letter, so texts without one are answered by a plain
    /// byte scan; only the others pay for the cue search.
    pub fn may_have_wechat_cue(&self, text: &str) -> bool {
        has_ascii_letter(text.as_bytes()) && self.wechat.is_match(text)
    }

    /// Appends every cue of `text` to `out`, left to right.
    pub fn find(&self, text: &str, out: &mut Vec<CueHit>) {
        for m in self.ac.find_iter(text) {
            out.push(CueHit {
                kind: CUES[m.pattern().as_usize()].1,
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

impl Default for CueIndex {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `bytes` holds an ASCII letter. Written without an early exit
/// inside each block so that the compiler vectorises it.
fn has_ascii_letter(bytes: &[u8]) -> bool {
    let is_letter = |b: u8| u8::from((b | 0x20).wrapping_sub(b'a') < 26);
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(0u8, |acc, &b| acc | is_letter(b)) != 0 {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| is_letter(b) != 0)
}

/// Whether a cue of `kind` ends at most `before` bytes before `start`, or
/// begins at most `after` bytes after `end`.
pub fn near(
    hits: &[CueHit],
    kind: CueKind,
    start: usize,
    end: usize,
    before: usize,
    after: usize,
) -> bool {
    hits.iter().any(|h| {
        h.kind == kind
            && ((h.end <= start && start - h.end <= before)
                || (h.start >= end && h.start - end <= after))
    })
}

/// Whether any cue of `kind` occurs in the text.
pub fn any(hits: &[CueHit], kind: CueKind) -> bool {
    hits.iter().any(|h| h.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_letter_test_matches_the_plain_one() {
        for s in [
            "",
            "中文",
            "中文a",
            "@[`{",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十Z",
            "123",
        ] {
            assert_eq!(
                has_ascii_letter(s.as_bytes()),
                s.bytes().any(|b| b.is_ascii_alphabetic()),
                "{s}"
            );
        }
    }

    #[test]
    fn finds_cues_in_any_ascii_case() {
        let idx = CueIndex::new();
        let mut hits = Vec::new();
        idx.find("加我QQ，或者Vx，开盒了", &mut hits);
        let kinds: Vec<CueKind> = hits.iter().map(|h| h.kind).collect();
        assert_eq!(kinds, vec![CueKind::Qq, CueKind::Wechat, CueKind::Doxxing]);
        assert!(
            idx.may_have_wechat_cue("vx: abc")
                && !idx.may_have_wechat_cue("微信")
                && !idx.may_have_wechat_cue("abc")
        );
    }
}
