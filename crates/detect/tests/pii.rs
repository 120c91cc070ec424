//! The `pii` detector on constructed vectors: every evasion form, valid and
//! invalid check characters, and ordinary posts whose numbers are not
//! personal information.

use qinglang_detect::pii::cues::CueHit;
use qinglang_detect::pii::{PiiDetector, PiiKey, PiiKind};

fn detector() -> PiiDetector {
    PiiDetector::new(PiiKey::new("test-key"))
}

/// The kinds and clear spans found in `text`.
fn found(text: &str) -> Vec<(PiiKind, String)> {
    let mut hits: Vec<CueHit> = Vec::new();
    detector()
        .find(text, &mut hits)
        .into_iter()
        .map(|m| {
            assert!(
                text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end),
                "{text}"
            );
            (m.kind, text[m.span.start..m.span.end].to_owned())
        })
        .collect()
}

fn kinds(text: &str) -> Vec<PiiKind> {
    found(text).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn mobile_in_every_evasion_form() {
    for (text, span) in [
        ("电话13812345678", "13812345678"),
        ("电话 138 1234 5678 谢谢", "138 1234 5678"),
        ("打138-1234-5678", "138-1234-5678"),
        ("1.3.8.1.2.3.4.5.6.7.8找他", "1.3.8.1.2.3.4.5.6.7.8"),
        ("号码１３８１２３４５６７８", "１３８１２３４５６７８"),
        ("号码一三八一二三四五六七八", "一三八一二三四五六七八"),
        ("打幺三八幺二三四五六七八", "幺三八幺二三四五六七八"),
        ("壹叁捌壹贰叁肆伍陆柒捌", "壹叁捌壹贰叁肆伍陆柒捌"),
        ("混着写1三8 一2３4 5六7８就行", "1三8 一2３4 5六7８"),
        ("+86 138 1234 5678", "86 138 1234 5678"),
        ("0086-13812345678", "0086-13812345678"),
        ("（+86）13812345678", "86）13812345678"),
        (
            "电话：138\u{200b}1234\u{200b}5678",
            "138\u{200b}1234\u{200b}5678",
        ),
        ("①③⑧①②③④⑤⑥⑦⑧", "①③⑧①②③④⑤⑥⑦⑧"),
        (
            "报个号：幺三八 幺两三四 五六拐八",
            "幺三八 幺两三四 五六拐八",
        ),
    ] {
        assert_eq!(
            found(text),
            vec![(PiiKind::Mobile, span.to_owned())],
            "{text}"
        );
    }
}

#[test]
fn identity_numbers_only_with_a_valid_check_character() {
    assert_eq!(kinds("身份证11010519491231002X"), vec![PiiKind::IdCard]);
    assert_eq!(kinds("身份证11010519491231002x。"), vec![PiiKind::IdCard]);
    assert_eq!(kinds("身份证 110105 19491231 002X"), vec![PiiKind::IdCard]);
    assert_eq!(kinds("身份证11010519491231002Ⅹ"), vec![PiiKind::IdCard]);
    assert_eq!(
        kinds("幺幺〇幺〇五幺九四九幺二三幺〇〇二X"),
        vec![PiiKind::IdCard]
    );
    // The old 15-digit form has no check character: only next to a cue word.
    assert_eq!(kinds("旧身份证110105491231002"), vec![PiiKind::IdCard]);
    assert_eq!(kinds("编号110105491231002"), vec![]);
    for bad in [
        "110105194912310020",
        "110105194912310021",
        "11010519491231002９",
        "440301199003071231",
    ] {
        assert_eq!(kinds(bad), vec![], "{bad}");
    }
}

#[test]
fn bank_cards_only_when_luhn_valid() {
    assert_eq!(kinds("卡号6222021234567890128"), vec![PiiKind::BankCard]);
    assert_eq!(
        kinds("订单付款卡号6222021234567890128"),
        vec![PiiKind::BankCard]
    );
    assert_eq!(kinds("6222 0212 3456 7890 128"), vec![PiiKind::BankCard]);
    assert_eq!(kinds("4111-1111-1111-1111"), vec![PiiKind::BankCard]);
    assert_eq!(kinds("6222021234567890127"), vec![]);
    assert_eq!(kinds("4111111111111112"), vec![]);
    // The 2221-2720 range only with a cue word.
    assert_eq!(kinds("2223000048400011"), vec![]);
    assert_eq!(kinds("信用卡2223000048400011"), vec![PiiKind::BankCard]);
}

#[test]
fn numbers_that_are_not_personal_information() {
    for text in [
        "今天买了个手机，花了1380元，2024-11-28到货，订单号202411281234567890123",
        "快递单号SF1234567890123已签收",
        "13:45开会，会议室1208，预算12,345,678元",
        "一二三四五六七八九十，小朋友数数",
        "圆周率3.14159265358979",
        "这是哈希a13812345678b",
        "https://example.com/item?id=13812345678",
        "2024年11月28日 星期四 气温12度",
        "版本号 v1.2.3.4567",
        "IP 192.168.100.200",
        "15412345678 不是号码段",
        "营收15000000000元，同比增长",
        "累计服务13800000000人次",
        "成交额￥13812345678",
        "订单号：6222021234567890128",
        "运单号 4111 1111 1111 1111",
    ] {
        assert_eq!(found(text), vec![], "{text}");
    }
}

#[test]
fn cue_dependent_kinds() {
    assert_eq!(kinds("加我QQ：123456789"), vec![PiiKind::Qq]);
    assert_eq!(kinds("扣扣 1234 5678 9"), vec![PiiKind::Qq]);
    assert_eq!(kinds("房间123456789"), vec![]);
    assert_eq!(
        found("微信号：zhang_san88 欢迎"),
        vec![(PiiKind::Wechat, "zhang_san88".into())]
    );
    assert_eq!(kinds("vx abc123456"), vec![PiiKind::Wechat]);
    assert_eq!(kinds("我叫zhang_san88"), vec![]);
    assert_eq!(kinds("座机01062345678"), vec![PiiKind::Landline]);
    assert_eq!(kinds("01062345678"), vec![]);
    assert_eq!(kinds("010-62345678"), vec![PiiKind::Landline]);
    assert_eq!(kinds("(0755)2345 6789"), vec![PiiKind::Landline]);
}

#[test]
fn documents_plates_emails_addresses() {
    assert_eq!(kinds("护照号E12345678"), vec![PiiKind::Passport]);
    assert_eq!(kinds("E12345678"), vec![PiiKind::Passport]);
    assert_eq!(kinds("G12345678"), vec![]);
    assert_eq!(kinds("护照G12345678"), vec![PiiKind::Passport]);
    assert_eq!(kinds("港澳通行证C12345678"), vec![PiiKind::HkMacaoPermit]);
    assert_eq!(kinds("台湾通行证L12345678"), vec![PiiKind::TaiwanPermit]);
    assert_eq!(kinds("台胞证12345678"), vec![PiiKind::TaiwanPermit]);
    assert_eq!(
        found("车牌京A12345停在楼下"),
        vec![(PiiKind::LicensePlate, "京A12345".into())]
    );
    assert_eq!(
        found("粤B·D12345"),
        vec![(PiiKind::LicensePlate, "粤B·D12345".into())]
    );
    assert_eq!(
        found("邮箱 zhang.san@example.com。"),
        vec![(PiiKind::Email, "zhang.san@example.com".into())]
    );
    assert_eq!(kinds("@张三 你好"), vec![]);
    assert_eq!(
        found("他家住在广东省深圳市南山区科技路12号3栋501室，快去"),
        vec![(
            PiiKind::Address,
            "广东省深圳市南山区科技路12号3栋501室".into()
        )]
    );
    assert_eq!(
        found("住深圳市南山区科技园路8号"),
        vec![(PiiKind::Address, "深圳市南山区科技园路8号".into())]
    );
    assert_eq!(kinds("去超市买了3号电池"), vec![]);
}

#[test]
fn signals_are_masked_and_hashed_consistently() {
    use qinglang_detect::{Detector, ItemContext};
    use qinglang_model::Item;
    let d = detector();
    let item = |id: &str, text: &str| -> Item {
        serde_json::from_value(serde_json::json!({
            "id": id, "author": "a", "text": text, "created_at": "2024-05-01T08:00:00+08:00"
        }))
        .unwrap()
    };
    let mut sigs = Vec::new();
    for (id, text) in [
        ("1", "电话13812345678"),
        ("2", "电话 幺三八 一二三四 ５６７８"),
    ] {
        let it = item(id, text);
        let n = qinglang_text::Normalized::new(&it.text);
        d.inspect_item(
            &ItemContext {
                item: &it,
                text: &n,
            },
            &mut sigs,
        );
    }
    assert_eq!(sigs.len(), 2);
    assert!(sigs
        .iter()
        .all(|s| s.rule == "mobile" && s.evidence.starts_with("138****5678 hmac:")));
    assert_eq!(sigs[0].evidence, sigs[1].evidence);
    assert!(!sigs[0].evidence.contains("13812345678"));
}

#[test]
fn random_texts_never_panic_and_spans_are_char_boundaries() {
    // A deterministic stream of texts mixing digits, separators, numerals,
    // letters, cue words and multi-byte symbols.
    let pieces = [
        "1",
        "3",
        "8",
        "0",
        "9",
        "X",
        "x",
        " ",
        "-",
        ".",
        "@",
        "qq",
        "微信",
        "vx",
        "一",
        "幺",
        "两",
        "〇",
        "１",
        "①",
        "号",
        "路",
        "市",
        "区",
        "京",
        "A",
        "E",
        "C",
        "护照",
        "通行证",
        "卡号",
        "\u{200b}",
        "\u{fe0f}",
        "\u{20e3}",
        "😀",
        "é",
        "a",
        "_",
        "/",
        "=",
        "http://",
        "元",
        "¥",
        "开盒",
        "他家",
        "：",
        "，",
        "\n",
        "𝟏",
    ];
    let d = detector();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hits: Vec<CueHit> = Vec::new();
    for _ in 0..3000 {
        let mut text = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 60) as usize;
        for k in 0..len {
            let x = state
                .rotate_left(k as u32 * 7)
                .wrapping_mul(0x2545_f491_4f6c_dd1d);
            text.push_str(pieces[(x >> 33) as usize % pieces.len()]);
        }
        hits.clear();
        for m in d.find(&text, &mut hits) {
            assert!(
                m.span.start < m.span.end && m.span.end <= text.len(),
                "{text:?}"
            );
            assert!(
                text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end),
                "{text:?}"
            );
        }
    }
}
