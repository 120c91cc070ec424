//! The `impersonation` detector on constructed accounts, and an evaluation
//! over generated impostors and ordinary accounts. Run with
//! `cargo test -p qinglang-detect --release --test impersonation -- --nocapture`
//! to see the figures.

#[path = "support/plant.rs"]
mod plant;

use plant::Rng;
use qinglang_detect::impersonation::{FlaggedAuthors, ImpersonationDetector, ProtectedNames};
use qinglang_detect::{AccountContext, Detector, Signal};
use qinglang_model::{Account, Item};
use qinglang_text::{pinyin_of, traditional_chars, Normalized};
use std::collections::HashMap;
use std::path::Path;

const PROTECTED: &str = r#"{"name":"新华社","kind":"news_unit","licence":"10120170001","account":"acc-xinhua"}
{"name":"人民日报","kind":"news_unit","licence":"10120170002","account":"acc-rmrb"}
{"name":"央视新闻","kind":"news_unit","licence":"10120170003","account":"acc-cctv"}
{"name":"中国新闻网","kind":"news_unit","licence":"10120170004"}
{"name":"环球时报","kind":"news_unit","licence":"10120170005"}
{"name":"光明日报","kind":"news_unit"}
{"name":"经济日报","kind":"news_unit"}
{"name":"中国青年报","kind":"news_unit"}
{"name":"澎湃新闻","kind":"news_unit"}
{"name":"新京报","kind":"news_unit"}
{"name":"南方周末","kind":"news_unit"}
{"name":"参考消息","kind":"news_unit"}
{"name":"北京日报","kind":"news_unit"}
{"name":"解放日报","kind":"news_unit"}
{"name":"法治日报","kind":"news_unit"}
{"name":"界面新闻","kind":"news_unit"}
{"name":"中国气象局","kind":"institution"}
{"name":"国家卫生健康委员会","kind":"institution"}
{"name":"最高人民法院","kind":"institution"}
{"name":"公安部","kind":"institution"}
{"name":"国家税务总局","kind":"institution"}
{"name":"应急管理部","kind":"institution"}
{"name":"共青团中央","kind":"institution"}
{"name":"中国消费者协会","kind":"institution"}
{"name":"华为","kind":"brand","account":"acc-huawei"}
{"name":"小米公司","kind":"brand"}
{"name":"中国移动","kind":"brand"}
{"name":"中国银行","kind":"brand"}
{"name":"招商银行","kind":"brand"}
{"name":"支付宝","kind":"brand"}
"#;

fn detector() -> ImpersonationDetector {
    ImpersonationDetector::new(
        ProtectedNames::parse(PROTECTED, Path::new("protected.jsonl")).unwrap(),
    )
}

fn account(id: &str, name: &str, handle: Option<&str>) -> Account {
    let mut v = serde_json::json!({"id": id, "name": name});
    if let Some(h) = handle {
        v["handle"] = h.into();
    }
    serde_json::from_value(v).unwrap()
}

fn inspect(d: &ImpersonationDetector, acc: &Account) -> Vec<Signal> {
    let n = Normalized::new(&acc.name);
    let mut out = Vec::new();
    d.inspect_account(
        &AccountContext {
            account: acc,
            name: &n,
        },
        &mut out,
    );
    out
}

fn rule(d: &ImpersonationDetector, name: &str, handle: Option<&str>) -> Option<String> {
    inspect(d, &account("someone", name, handle))
        .first()
        .map(|s| s.rule.clone())
}

#[test]
fn every_disguise_is_flagged_with_the_name() {
    let d = detector();
    for name in [
        "新华社",
        "新華社",
        "新·华·社",
        "新华社官方",
        "官方新华社频道",
        "新华社发布",
        "新hua社",
        "新花社",
        "人民曰报",
        "人民日抱",
        "央视新闻中心",
        "中国气象局发布",
        "國家稅務總局",
        "华为官方",
        "最高人民法院官方",
        "环球时报官方账号",
        "新华社评论",
        "人民日报特稿",
        "🔥新华社🔥",
    ] {
        let sigs = inspect(&d, &account("x", name, None));
        assert_eq!(sigs.len(), 1, "{name}");
        assert_eq!(sigs[0].rule, "impersonation", "{name}");
        assert_eq!(sigs[0].category.as_str(), "news_impersonation");
        assert!(
            sigs[0].evidence.contains("imitates protected name"),
            "{name}: {}",
            sigs[0].evidence
        );
    }
    for handle in [
        "xinhuashe",
        "XinHuaShe_official",
        "xin_hua_she",
        "renminribao",
        "xinhua5he",
        "rénmínrìbào",
    ] {
        assert_eq!(
            rule(&d, "随便起个名", Some(handle)).as_deref(),
            Some("impersonation"),
            "{handle}"
        );
    }
}

#[test]
fn owners_and_ordinary_accounts_are_not_flagged() {
    let d = detector();
    assert!(inspect(&d, &account("acc-xinhua", "新华社", Some("xinhuashe"))).is_empty());
    assert!(inspect(&d, &account("acc-huawei", "华为", None)).is_empty());
    for name in [
        "小明同学",
        "新华书店",
        "人民日报读者",
        "快乐每一天",
        "华为手机用户",
        "Lucy_2020",
        "张三的日常",
        "北京吃货",
    ] {
        assert_eq!(rule(&d, name, None), None, "{name}");
    }
}

#[test]
fn news_outlet_self_presentation_without_licence() {
    let d = detector();
    let sigs = inspect(&d, &account("x", "东城晚报", None));
    assert_eq!(sigs[0].rule, "unlicensed_news_outlet");
    assert!(sigs[0].score < 0.5);
    assert_eq!(rule(&d, "体育新闻迷", None), None);
    assert_eq!(
        rule(&d, "随便", Some("dongcheng_news")).as_deref(),
        Some("unlicensed_news_outlet")
    );
    // Without a registry only the self-presentation is flagged.
    let empty = ImpersonationDetector::new(ProtectedNames::default());
    assert_eq!(inspect(&empty, &account("x", "新華社", None)).len(), 0);
    assert_eq!(
        inspect(&empty, &account("x", "东城晚报", None))[0].score,
        0.3
    );
}

#[test]
fn items_of_flagged_authors_carry_the_signal() {
    let d = detector();
    let mut flagged = FlaggedAuthors::new();
    let fake = account("fake", "新華社", None);
    assert!(flagged.record(&fake.id, &inspect(&d, &fake)));
    let ok = account("ok", "小明", None);
    assert!(!flagged.record(&ok.id, &inspect(&d, &ok)));
    let item: Item = serde_json::from_value(serde_json::json!({
        "id": "i1", "author": "fake", "text": "突发消息", "created_at": "2024-05-01T08:00:00+08:00"
    }))
    .unwrap();
    let mut out = Vec::new();
    flagged.signals_for_item(&item, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].rule, "impersonation");
    assert!(out[0].spans.is_empty() && out[0].evidence.starts_with("author fake"));
}

// ---- evaluation over generated accounts ----

const DECOR_BEFORE: &[&str] = &["", "", "", "官方", "【官方】", "正版"];
const DECOR_AFTER: &[&str] = &[
    "",
    "官方",
    "频道",
    "中心",
    "发布",
    "官方账号",
    "官博",
    "新闻中心",
    "资讯",
    "官方发布",
];
const SYMBOLS: &[&str] = &["·", "*", ".", "_", "-", " ", "|", "★", "丶", "\u{200b}"];
const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";

fn homophone_pool() -> HashMap<&'static str, Vec<char>> {
    let mut m: HashMap<&'static str, Vec<char>> = HashMap::new();
    for c in COMMON.chars() {
        if let Some(p) = pinyin_of(c) {
            m.entry(p).or_default().push(c);
        }
    }
    m
}

fn impostor(
    r: &mut Rng,
    name: &str,
    pool: &HashMap<&'static str, Vec<char>>,
) -> (String, Option<String>) {
    let chars: Vec<char> = name.chars().collect();
    let pinyin = |sep: &str, cap: bool| -> String {
        chars
            .iter()
            .filter_map(|&c| pinyin_of(c))
            .map(|p| {
                if cap {
                    format!("{}{}", &p[..1].to_uppercase(), &p[1..])
                } else {
                    p.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    let decorate =
        |r: &mut Rng, s: String| format!("{}{s}{}", r.pick(DECOR_BEFORE), r.pick(DECOR_AFTER));
    match r.below(9) {
        0 => {
            let s: String = chars
                .iter()
                .map(|&c| traditional_chars(c).first().copied().unwrap_or(c))
                .collect();
            (decorate(r, s), None)
        }
        1 => {
            let sep = *r.pick(SYMBOLS);
            let s = chars
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(sep);
            (decorate(r, s), None)
        }
        2 => {
            let s = format!("{name}{}", r.pick(&DECOR_AFTER[1..]));
            (s, None)
        }
        3 => {
            let sep = *r.pick(&["", "_", "."]);
            let suffix = *r.pick(&[
                "",
                "_official",
                "official",
                "_news",
                "2024",
                "_cn",
                "guanfang",
            ]);
            (
                "随便叫啥".into(),
                Some(format!("{}{suffix}", pinyin(sep, r.chance(0.5)))),
            )
        }
        4 => {
            // One character replaced by a homophone.
            let i = r.below(chars.len());
            let p = pinyin_of(chars[i]).unwrap_or("");
            let alts: Vec<char> = pool
                .get(p)
                .map(|v| v.iter().copied().filter(|&c| c != chars[i]).collect())
                .unwrap_or_default();
            let mut s = chars.clone();
            if let Some(&c) = alts.first() {
                s[i] = alts[r.below(alts.len())];
                let _ = c;
            } else {
                s[i] = traditional_chars(chars[i])
                    .first()
                    .copied()
                    .unwrap_or(chars[i]);
            }
            (decorate(r, s.into_iter().collect()), None)
        }
        5 => {
            // Mixed: one character written in pinyin.
            let i = r.below(chars.len());
            let s: String = chars
                .iter()
                .enumerate()
                .map(|(j, &c)| {
                    if j == i {
                        pinyin_of(c).unwrap_or("").to_owned()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            (s, None)
        }
        6 => {
            // Near spelling: a character dropped, doubled or swapped for a look-alike.
            let mut s = chars.clone();
            let i = r.below(s.len());
            match r.below(3) {
                0 if s.len() >= 4 => {
                    s.remove(i);
                }
                1 => s.insert(i, s[i]),
                _ => {
                    s = s
                        .into_iter()
                        .map(|c| if c == '日' { '曰' } else { c })
                        .collect();
                    if !s.contains(&'曰') {
                        s.insert(i, *r.pick(&['丶', '·', '_']));
                    }
                }
            }
            (s.into_iter().collect(), None)
        }
        7 => (
            "官方".to_owned() + &format!("{name}{}", r.pick(DECOR_AFTER)),
            None,
        ),
        _ => {
            // Same name, another account.
            (name.to_owned(), None)
        }
    }
}

fn ordinary_accounts(r: &mut Rng, n: usize) -> Vec<(String, Option<String>)> {
    let texts = plant::cold_texts(20_000).unwrap_or_default();
    let templates = [
        "小{}",
        "{}同学",
        "爱吃{}的猫",
        "{}的日常",
        "{}君",
        "一只{}",
        "{}不加糖",
        "{}_",
        "{}酱",
    ];
    let seeds = [
        "明",
        "红",
        "鱼",
        "月亮",
        "草莓",
        "星星",
        "阿花",
        "老王",
        "木子",
        "糖果",
        "西瓜",
        "柠檬",
        "风",
        "北极熊",
        "晴天",
    ];
    let mut out = Vec::new();
    for i in 0..n {
        let name: String = if !texts.is_empty() && r.chance(0.6) {
            let t: Vec<char> = texts[r.below(texts.len())]
                .chars()
                .filter(|c| !c.is_ascii_punctuation())
                .collect();
            let len = 2 + r.below(7);
            let start = r.below(t.len().saturating_sub(len).max(1));
            t[start..(start + len).min(t.len())].iter().collect()
        } else {
            let t = *r.pick(&templates);
            let seed = *r.pick(&seeds);
            t.replace("{}", seed)
        };
        let handle = r.chance(0.5).then(|| {
            let base: String = name
                .chars()
                .filter_map(pinyin_of)
                .take(4)
                .collect::<Vec<_>>()
                .concat();
            format!(
                "{}{}",
                if base.is_empty() { "user" } else { &base },
                i % 997
            )
        });
        out.push((name, handle));
    }
    out
}

#[test]
fn impostor_recall_and_ordinary_false_flags() {
    let d = detector();
    let names = ProtectedNames::parse(PROTECTED, Path::new("p")).unwrap();
    let pool = homophone_pool();
    let mut r = Rng::new(42);
    let mut caught = 0;
    let mut total = 0;
    let mut missed = Vec::new();
    for _ in 0..100 {
        for p in &names.names {
            let (name, handle) = impostor(&mut r, &p.name, &pool);
            total += 1;
            let sigs = inspect(&d, &account("imp", &name, handle.as_deref()));
            if sigs.iter().any(|s| s.rule == "impersonation") {
                caught += 1;
            } else if missed.len() < 15 {
                missed.push(format!("{} -> {name} / {handle:?}", p.name));
            }
        }
    }
    let ordinary = ordinary_accounts(&mut r, 5000);
    let mut flagged = Vec::new();
    for (i, (name, handle)) in ordinary.iter().enumerate() {
        let sigs = inspect(&d, &account(&format!("u{i}"), name, handle.as_deref()));
        if !sigs.is_empty() {
            flagged.push(format!(
                "{name} / {handle:?}: {} {}",
                sigs[0].rule, sigs[0].evidence
            ));
        }
    }
    // Hard ordinary names: real words that share characters or sounds with
    // the protected names. Reported, and at most one may be flagged.
    let hard = [
        "新华书店",
        "人民医院",
        "人民公园",
        "日报读者",
        "华为粉丝团",
        "小米粥铺",
        "中国移动用户",
        "招商银行信用卡还款提醒",
        "王新华",
        "新华",
        "光明乳业",
        "经济学人读书会",
        "南方人在北方",
        "参考答案",
        "公安部门路过",
        "气象爱好者",
        "支付宝用户",
        "北京日报亭",
        "解放军迷",
        "青年报刊亭",
        "法治观察员",
        "界面设计师",
        "中国银行业观察",
        "新华社区服务",
        "公安部长说",
        "人民日报社区",
    ];
    let hard_flagged: Vec<String> = hard
        .iter()
        .filter_map(|n| rule(&d, n, None).map(|r| format!("{n}: {r}")))
        .collect();
    println!(
        "hard ordinary names flagged: {}/{} {hard_flagged:?}",
        hard_flagged.len(),
        hard.len()
    );
    assert!(hard_flagged.len() <= 1, "{hard_flagged:?}");
    // Decoration that is in no list of the detector: how far recall holds.
    let unseen = [
        "小编", "速递", "视线", "说", "君", "精选", "日常", "大全", "在此", "来了",
    ];
    let mut unseen_caught = 0;
    let mut unseen_missed = Vec::new();
    for p in &names.names {
        for u in unseen {
            let name = format!("{}{u}", p.name);
            if rule(&d, &name, None).as_deref() == Some("impersonation") {
                unseen_caught += 1;
            } else if unseen_missed.len() < 10 {
                unseen_missed.push(name);
            }
        }
    }
    let unseen_total = names.names.len() * unseen.len();
    println!(
        "impostors with unseen decoration: {unseen_caught}/{unseen_total} flagged, recall {:.4}; missed e.g. {unseen_missed:?}",
        unseen_caught as f64 / unseen_total as f64
    );
    let recall = caught as f64 / total as f64;
    let fp = flagged.len() as f64 / ordinary.len() as f64;
    println!("impostors: {caught}/{total} flagged, recall {recall:.4}");
    println!(
        "ordinary accounts: {}/{} flagged, rate {fp:.4}",
        flagged.len(),
        ordinary.len()
    );
    println!("missed (first 15): {missed:#?}");
    println!(
        "ordinary flagged (first 20): {:#?}",
        &flagged[..flagged.len().min(20)]
    );
    assert!(recall >= 0.90, "{missed:#?}");
    assert!(fp <= 0.01, "{flagged:#?}");
}

#[test]
fn random_names_never_panic() {
    let d = detector();
    let pieces = [
        "新", "華", "社", "·", "官方", "x", "1", "5", "😀", "\u{200b}", "丶", "é", "ǚ", "人民",
        "曰", " ", "_", "Х",
    ];
    let mut r = Rng::new(9);
    for _ in 0..3000 {
        let n = r.below(12);
        let name: String = (0..n).map(|_| *r.pick(&pieces)).collect();
        let handle: String = (0..r.below(6)).map(|_| *r.pick(&pieces)).collect();
        for s in inspect(&d, &account("r", &name, Some(&handle))) {
            assert!(s.score > 0.0 && s.score <= 1.0);
            assert!(s.spans.iter().all(|sp| sp.end <= name.len()));
        }
    }
}

#[test]
fn registry_builds_both_detectors_from_the_protected_file() {
    use qinglang_detect::{build_detectors, BuildError, DetectorConfig, DetectorSelection};
    let dir = std::env::temp_dir().join(format!("qinglang-protected-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("protected.jsonl");
    std::fs::write(&good, PROTECTED).unwrap();
    let config = DetectorConfig {
        protected: Some(good),
        ..Default::default()
    };
    let built = build_detectors(&config, &DetectorSelection::parse("pii,impersonation")).unwrap();
    let names: Vec<&str> = built.iter().map(|d| d.name()).collect();
    assert_eq!(names, vec!["pii", "impersonation"]);
    let fake = account("x", "新華社", None);
    let n = Normalized::new(&fake.name);
    let mut out = Vec::new();
    built[1].inspect_account(
        &AccountContext {
            account: &fake,
            name: &n,
        },
        &mut out,
    );
    assert_eq!(out.len(), 1);

    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "新华社\n{not json\n").unwrap();
    let config = DetectorConfig {
        protected: Some(bad),
        ..Default::default()
    };
    match build_detectors(&config, &DetectorSelection::All) {
        Err(BuildError::Detector { detector, message }) => {
            assert_eq!(detector, "impersonation");
            assert!(message.contains("bad.jsonl:2:"), "{message}");
        }
        other => panic!(
            "expected a build error, got {}",
            other.map(|d| d.len()).unwrap_or(0)
        ),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
