//! Each evasion the lexicon claims to undo, one small case each.

use qinglang_lexicon::{parse_rules, CompileOptions, Lexicon};

const LEXICON: &str = r#"
[[rule]]
id = "gambling"
terms = ["赌博", "网络赌场"]
category = "gambling_drugs"
severity = "high"
pinyin = true
initials = true

[[rule]]
id = "cannabis"
terms = ["大麻"]
category = "gambling_drugs"
allow = ["大麻烦"]

[[rule]]
id = "abuse"
terms = ["fuck", "傻逼"]
category = "online_violence"

[[rule]]
id = "laugh"
terms = ["哈哈哈"]
category = "test"

[[rule]]
id = "tight"
terms = ["开盒"]
category = "doxxing"
max_noise = 0
"#;

fn lex() -> Lexicon {
    Lexicon::compile(&parse_rules(LEXICON).unwrap(), &CompileOptions::default()).unwrap()
}

/// (text, expected matched substring, rule id, evasion that must be reported)
const CASES: &[(&str, &str, &str, &str)] = &[
    ("这里赌博", "赌博", "gambling", ""),
    ("来賭博", "賭博", "gambling", "traditional"),
    ("赌 博", "赌 博", "gambling", "noise_skip"),
    ("赌*😀*博", "赌*😀*博", "gambling", "noise_skip"),
    ("赌🇨🇳博", "赌🇨🇳博", "gambling", "noise_skip"),
    ("赌'博〜", "赌'博", "gambling", "noise_skip"),
    ("【赌】【博】", "赌】【博", "gambling", "noise_skip"),
    ("“赌”(博)", "赌”(博", "gambling", "noise_skip"),
    ("du'bo", "du'bo", "gambling", "pinyin"),
    ("du3bo2", "du3bo", "gambling", "pinyin"),
    (
        "wang2luo4du3chang3",
        "wang2luo4du3chang",
        "gambling",
        "pinyin",
    ),
    ("网络du3chang3", "网络du3chang", "gambling", "pinyin"),
    ("赌\u{200B}博", "赌\u{200B}博", "gambling", "zero_width"),
    ("赌赌赌博博", "赌赌赌博博", "gambling", "repeat"),
    ("ＦＵＣＫ you", "ＦＵＣＫ", "abuse", "width"),
    ("FUCK", "FUCK", "abuse", "case"),
    ("Ｆ.Ｕ.Ｃ.Ｋ", "Ｆ.Ｕ.Ｃ.Ｋ", "abuse", "noise_skip"),
    ("fuсk", "fuсk", "abuse", "confusable"),
    ("ⓕⓤⓒⓚ", "ⓕⓤⓒⓚ", "abuse", "confusable"),
    ("𝐟𝐮𝐜𝐤", "𝐟𝐮𝐜𝐤", "abuse", "confusable"),
    ("fvck", "", "", ""),
    ("f@ck", "", "", ""),
    ("f@u@c@k", "f@u@c@k", "abuse", "noise_skip"),
    ("f!u!c!k", "f!u!c!k", "abuse", "noise_skip"),
    ("F!U!C!K you", "F!U!C!K", "abuse", "case"),
    ("fu!ck!", "fu!ck", "abuse", "noise_skip"),
    ("what the fu! ck", "", "", ""),
    ("赌!博", "", "", ""),
    ("f$u$c@k off", "f$u$c@k", "abuse", "noise_skip"),
    ("fuuuuck!", "fuuuuck", "abuse", "repeat"),
    ("sh1t fück", "fück", "abuse", "confusable"),
    ("ꜰᴜᴄᴋ", "ꜰᴜᴄᴋ", "abuse", "confusable"),
    ("what the f*ck", "f*ck", "abuse", "mask"),
    ("fu#k off", "fu#k", "abuse", "mask"),
    ("Ｆ＊ＣＫ", "Ｆ＊ＣＫ", "abuse", "mask"),
    ("what the f**k", "f**k", "abuse", "mask"),
    ("F＊＊K", "F＊＊K", "abuse", "mask"),
    ("f##k", "f##k", "abuse", "mask"),
    ("f*#k", "", "", ""),
    ("f..k", "", "", ""),
    ("fck", "", "", ""),
    ("fk", "", "", ""),
    ("f ck", "", "", ""),
    ("f* *k", "", "", ""),
    ("f***k", "", "", ""),
    ("f**ck", "", "", ""),
    ("*uck", "", "", ""),
    ("ƒսçk", "ƒսçk", "abuse", "confusable"),
    ("dubo", "dubo", "gambling", "pinyin"),
    ("du bo", "du bo", "gambling", "pinyin"),
    ("DuBo", "DuBo", "gambling", "pinyin"),
    ("du博", "du博", "gambling", "pinyin"),
    ("赌bo", "赌bo", "gambling", "pinyin"),
    ("堵博", "堵博", "gambling", "homophone"),
    ("堵堵博", "堵堵博", "gambling", "repeat"),
    ("堵*博", "堵*博", "gambling", "homophone"),
    ("來堵博吧", "堵博", "gambling", "homophone"),
    ("wldc", "wldc", "gambling", "initials"),
    ("db", "", "", ""),
    ("吃大麻", "大麻", "cannabis", ""),
    ("真是大麻烦", "", "", ""),
    ("哈哈", "", "", ""),
    ("哈哈哈哈", "哈哈哈哈", "laugh", "repeat"),
    ("开 盒", "", "", ""),
    ("赌。博", "", "", ""),
    ("赌\n博", "", "", ""),
    ("class", "", "", ""),
    ("oh fuck kids", "fuck", "abuse", ""),
    ("sh fuck", "fuck", "abuse", ""),
];

#[test]
fn each_evasion_is_found_and_named() {
    let lex = lex();
    for &(text, want, rule, evasion) in CASES {
        let found = lex.find(text);
        if want.is_empty() {
            assert!(found.is_empty(), "{text:?}: unexpected {found:?}");
            continue;
        }
        let m = found
            .iter()
            .find(|m| lex.rule(m.rule).is_some_and(|r| r.id() == rule))
            .unwrap_or_else(|| panic!("{text:?}: no match of {rule} in {found:?}"));
        assert_eq!(&text[m.start..m.end], want, "{text:?}");
        if !evasion.is_empty() {
            assert!(
                m.evasions.names().contains(&evasion),
                "{text:?}: {:?}",
                m.evasions.names()
            );
        }
        assert!(m.confidence > 0.0 && m.confidence <= 1.0);
    }
}

/// The matched parts of `text`, in order.
fn spans(lex: &Lexicon, text: &str) -> Vec<String> {
    lex.find(text)
        .iter()
        .map(|m| text[m.start..m.end].to_owned())
        .collect()
}

#[test]
fn homophones_survive_doubled_characters_and_latin_splits_stay_latin() {
    let rules = parse_rules("时时彩\tg\n事实真相\tx\n丙胺\td\n抗癌神药\tm\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let found = |text: &str| spans(&lex, text);
    // The term doubles a character; the text doubles another.
    assert_eq!(found("买时时菜吗"), ["时时菜"]);
    // (是实实 also reads as 事实 with 实 repeated: a second, longer match.)
    assert!(found("这是实实真相").contains(&"实实真相".to_owned()));
    // `bingan` is split for Latin text only: a Han homophone beside it
    // does not count, the term's own characters do.
    assert_eq!(found("bingan"), ["bingan"]);
    assert!(found("bin甘").is_empty());
    assert_eq!(found("kangai神yao"), ["kangai神yao"]);
    assert_eq!(found("kangai神药"), ["kangai神药"]);
    assert!(found("kangai审药").is_empty());
}

#[test]
fn terms_are_indexed_by_the_readings_people_say() {
    let rules = parse_rules("银行卡\tfraud\n重庆火锅\tx\n是非\ty\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let found = |text: &str| spans(&lex, text);
    // 行 reads hang in 银行, 重 chong in 重庆: a second reading of a
    // common heteronym, in pinyin and in homophones.
    assert_eq!(found("办yinhangka"), ["yinhangka"]);
    assert_eq!(found("银航卡"), ["银航卡"]);
    assert_eq!(found("chongqing火锅"), ["chongqing火锅"]);
    // The default reading still works.
    assert_eq!(found("银xing卡"), ["银xing卡"]);
    // 是 has a classical reading ti that nobody types: not indexed.
    assert!(found("tifei").is_empty());
    assert_eq!(found("shifei"), ["shifei"]);
}

#[test]
fn pinyin_is_off_unless_asked() {
    let rules = parse_rules("赌博\tgambling_drugs\n").unwrap();
    let plain = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    assert!(plain.find("dubo 堵博").is_empty());
    let on = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    assert_eq!(on.find("dubo 堵博").len(), 2);
}

#[test]
fn compiled_lexicon_round_trips_and_rejects_garbage() {
    let lex = lex();
    let bytes = lex.to_bytes();
    let back = Lexicon::from_bytes(&bytes).unwrap();
    for &(text, ..) in CASES {
        assert_eq!(lex.find(text), back.find(text), "{text:?}");
    }
    assert!(Lexicon::from_bytes(b"nonsense").is_err());
    for cut in [9, 20, bytes.len() / 2, bytes.len() - 1] {
        assert!(Lexicon::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn an_older_format_is_named_and_damaged_files_never_panic() {
    let lex = lex();
    let mut bytes = lex.to_bytes();
    for magic in [
        b"QLLEX001",
        b"QLLEX002",
        b"QLLEX003",
        b"QLLEX004",
        b"QLLEX005",
    ] {
        let mut old = bytes.clone();
        old[..8].copy_from_slice(magic);
        let err = Lexicon::from_bytes(&old).unwrap_err().to_string();
        assert!(err.contains("older"), "{err}");
    }
    // Flip bytes all over the file: loading fails or gives a lexicon that
    // still scans every test text without panicking.
    let mut loaded = 0;
    for at in (8..bytes.len()).step_by(bytes.len() / 400 + 1) {
        let keep = bytes[at];
        bytes[at] = keep.wrapping_add(0x5B);
        if let Ok(bad) = Lexicon::from_bytes(&bytes) {
            loaded += 1;
            for &(text, ..) in CASES {
                let _ = bad.find(text);
            }
        }
        bytes[at] = keep;
    }
    assert!(
        loaded > 0,
        "some damage (in rule text, say) should still load"
    );
}

#[test]
fn spans_fall_on_char_boundaries_for_odd_inputs() {
    let lex = lex();
    let inputs = [
        "",
        "\u{200B}",
        "赌",
        "博赌",
        "ｆ\u{0336}ｕ\u{0336}ｃｋ",
        "🇫🇺🇨🇰",
        "a\u{FE0F}",
        "赌博",
    ];
    for t in inputs {
        for m in lex.find(t) {
            assert!(
                t.is_char_boundary(m.start) && t.is_char_boundary(m.end) && m.start < m.end,
                "{t:?}"
            );
        }
    }
}

#[test]
fn punctuation_inside_a_term_is_part_of_it() {
    let rules = parse_rules("1:1复刻\tfalse_advertising\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    for text in ["卖1:1复刻包", "１：１复刻", "1 : 1 复刻"] {
        assert_eq!(lex.find(text).len(), 1, "{text}");
    }
}

#[test]
fn a_handle_swaps_lexicons_while_readers_keep_theirs() {
    use qinglang_lexicon::LexiconHandle;
    let first = Lexicon::compile(
        &parse_rules("赌博\tg\n").unwrap(),
        &CompileOptions::default(),
    )
    .unwrap();
    let second = Lexicon::compile(
        &parse_rules("开盒\td\n").unwrap(),
        &CompileOptions::default(),
    )
    .unwrap();
    let handle = LexiconHandle::new(first);
    let reader = handle.current();
    handle.swap(second);
    assert_eq!(reader.find("赌博 开盒").len(), 1);
    assert_eq!(handle.current().rule(0).map(|r| r.id()), Some("开盒"));
}

/// Random texts built from the pieces that steer the scanner into its rare
/// paths (homophones re-read across noise, invisibles and repeats, Latin
/// runs read as pinyin next to Han, boundaries, astral characters): every
/// match must be a non-empty span on character boundaries, sorted by start,
/// and scanning must never panic.
#[test]
fn random_mixtures_scan_without_panics_and_keep_spans_sound() {
    let rules =
        parse_rules("赌博\tg\n甲基苯丙胺\td\n时时彩\tg\n出冰\td\nfuck\ta\n代开发票\tf\n宝宝\tx\nguess\tx\ndon't\tx\n")
            .unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let pieces = [
        "赌", "堵", "博", "搏", "du", "bo", "DU", "ｂｏ", "甲", "基", "本", "苯", "丙", "胺", "时",
        "才", "彩", "出", "冰", "兵", "宝", "饱", "报", "f", "u", "c", "k", "ｆ", "@", "4", "0",
        " ", "*", "😀", "\u{200B}", "\u{202E}", "。", "\n", "賭", "𠀀", "a", "e", "代", "开", "发",
        "票", "dai", "kai", "fa", "piao", "\u{0301}", "ⓕ", "'", "’", "3", "#", "-", "ǔ", "ü",
        "f*ck", "fu-k", "!", "f**k", "s", "ss", "gue", "don", "t", "＇", "..",
    ];
    let mut rng = qinglang_lexicon::perturb::Rng::new(0x2545_F491_4F6C_DD1D);
    let mut scratch = qinglang_lexicon::Scratch::default();
    let mut found = Vec::new();
    let mut matched = 0;
    for _ in 0..5_000 {
        let n = rng.below(24);
        let text: String = (0..n).map(|_| *rng.pick(&pieces)).collect();
        lex.find_into(&text, &mut scratch, &mut found);
        for w in found.windows(2) {
            assert!(w[0].start <= w[1].start, "{text:?}: unsorted");
        }
        for m in &found {
            assert!(
                m.start < m.end && text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
                "{text:?}: {m:?}"
            );
            assert!(m.confidence > 0.0 && m.confidence <= 1.0);
        }
        matched += usize::from(!found.is_empty());
    }
    // The pieces are the terms' own characters and sounds: many texts match.
    assert!(matched > 200, "only {matched} texts matched");
}

#[test]
fn an_apostrophe_joins_a_latin_word_but_is_noise_between_han() {
    let rules = parse_rules("hell\nwell\n赌博\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let found = |text: &str| spans(&lex, text);
    assert!(found("he'll come, we’ll see").is_empty());
    assert_eq!(found("go to hell"), ["hell"]);
    assert_eq!(found("赌'博"), ["赌'博"]);
    assert_eq!(found("du'bo"), ["du'bo"]);
    // A typographic apostrophe reads as a plain one, in terms and in texts.
    for term in ["don't", "don’t"] {
        let rules = parse_rules(&format!("{term}\tx\n")).unwrap();
        let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
        let loaded = Lexicon::from_bytes(&lex.to_bytes()).unwrap();
        for l in [&lex, &loaded] {
            for text in ["I don't", "I don’t", "I DON＇T"] {
                assert_eq!(spans(l, text).len(), 1, "{term} in {text}");
            }
            assert!(spans(l, "I dont").is_empty(), "{term}");
        }
    }
}

#[test]
fn a_compiled_file_keeps_doubled_readings_masks_and_apostrophes() {
    let rules = parse_rules("时时彩\tg\nfuck\ta\ndon't\tx\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let loaded = Lexicon::from_bytes(&lex.to_bytes()).unwrap();
    for l in [&lex, &loaded] {
        // The doubled syllable of 时时 survives the file (`DOUBLE` flag).
        assert_eq!(spans(l, "买时时菜吗"), ["时时菜"]);
        assert_eq!(spans(l, "f*ck"), ["f*ck"]);
        assert_eq!(spans(l, "I don't"), ["don't"]);
        // A mask must be the only symbol skipped between letters; a
        // repeat across a space is still a repeat.
        assert!(spans(l, "f.c.k").is_empty());
        assert_eq!(spans(l, "f f*ck"), ["f f*ck"]);
    }
    let masked = lex.find("f*ck");
    assert_eq!(masked[0].evasions.names(), ["mask"]);
}

#[test]
fn a_doubled_letter_next_to_the_same_letter_of_another_word_still_matches() {
    let rules = parse_rules("guess\tx\nllama\tx\nmiss\tx\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    assert_eq!(spans(&lex, "I guess so"), ["guess"]);
    assert_eq!(spans(&lex, "a tall llama"), ["llama"]);
    assert_eq!(spans(&lex, "miss sally, miss  sam"), ["miss", "miss"]);
    // The repeat the term needs must still be there, unbroken, when the
    // run runs on into the next word; split at the word's end it is noise
    // skipped (`g u e s s`).
    assert!(spans(&lex, "I gues so").is_empty());
    assert_eq!(spans(&lex, "I gues s."), ["gues s"]);
    // A longer run is a repeat, whole, at either end of the word.
    assert_eq!(spans(&lex, "I guesss so"), ["guesss"]);
    let rules = parse_rules("home\tx\ntown\tx\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    assert_eq!(spans(&lex, "at homee every day"), ["homee"]);
    assert_eq!(spans(&lex, "at tttown"), ["tttown"]);
}

#[test]
fn flags_stay_noise_even_in_a_row() {
    let rules = parse_rules("shit\ta\nsex\tb\n赌博\tg\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    // China, US, Saint Helena, Italy, Japan: 🇸🇭🇮🇹 must not read `shit`.
    for text in ["Flags: 🇨🇳🇺🇸🇸🇭🇮🇹🇯🇵", "🇸🇪x", "🇺🇸🇪x"] {
        assert!(lex.find(text).is_empty(), "{text}");
    }
    assert_eq!(spans(&lex, "赌🇨🇳🇨🇳博"), ["赌🇨🇳🇨🇳博"]);
}

#[test]
fn a_masked_allow_phrase_still_allows() {
    let toml = r#"
[[rule]]
id = "c"
terms = ["cunt"]
whole_word = false
allow = ["scunthorpe"]
"#;
    let lex = Lexicon::compile(&parse_rules(toml).unwrap(), &CompileOptions::default()).unwrap();
    assert_eq!(spans(&lex, "c*nt"), ["c*nt"]);
    assert!(spans(&lex, "scunthorpe").is_empty());
    assert!(spans(&lex, "sc*nthorpe").is_empty());
    // The pinyin stream names a symbol between syllables as noise, not leet.
    let rules = parse_rules("赌博\tg\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let m = lex.find("du@bo");
    assert_eq!(m[0].evasions.names(), ["noise_skip", "pinyin"]);
}

#[test]
fn a_space_ends_a_word_for_leet_but_symbols_do_not() {
    let rules = parse_rules("1:1复刻\nshit\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    assert_eq!(spans(&lex, "bi 1:1復刻 ao子"), ["1:1復刻"]);
    assert_eq!(spans(&lex, "s.h.1.t"), ["s.h.1.t"]);
    assert_eq!(spans(&lex, "sh1t"), ["sh1t"]);
}

#[test]
fn terms_are_literal_and_texts_are_read_with_and_without_leet() {
    let rules = parse_rules("3p\nshit\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions::default()).unwrap();
    let names = |text: &str| {
        let found = lex.find(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        (
            text[found[0].start..found[0].end].to_owned(),
            found[0].evasions.names(),
        )
    };
    // A digit in a term is a digit, whatever the text's width, case,
    // noise or repeats.
    assert_eq!(names("3P"), ("3P".into(), vec!["case"]));
    assert_eq!(names("３ｐ"), ("３ｐ".into(), vec!["width"]));
    assert_eq!(names("3*p"), ("3*p".into(), vec!["noise_skip"]));
    assert_eq!(names("33p"), ("33p".into(), vec!["repeat"]));
    // A digit in a text's word is also read as the letter it imitates.
    assert_eq!(names("sh1t"), ("sh1t".into(), vec!["leet"]));
    assert_eq!(
        names("s.h.1.t"),
        ("s.h.1.t".into(), vec!["leet", "noise_skip"])
    );
}

#[test]
fn a_terms_apostrophe_or_leet_symbol_does_not_change_other_texts() {
    let rules = parse_rules("don't\n赌博\nb@stard\n").unwrap();
    let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
    let found = |text: &str| spans(&lex, text);
    assert_eq!(found("I don't"), ["don't"]);
    // Still noise between Han characters and pinyin syllables.
    assert_eq!(found("赌'博"), ["赌'博"]);
    assert_eq!(found("du'bo"), ["du'bo"]);
    assert!(found("he'll").is_empty());
    // A term's own boundary is a character, not noise skipped.
    assert_eq!(lex.find("DON'T")[0].evasions.names(), ["case"]);
    // `@` in a term reads as the letter it imitates.
    assert_eq!(found("you bastard"), ["bastard"]);
    assert_eq!(found("b@stard"), ["b@stard"]);
}
