//! The default lexicon pack, embedded in the binary, and one loader for
//! every kind of lexicon file (plain list, TOML, or compiled).

use crate::format::{is_toml, plain_entries};
use crate::{parse_rules, CompileError, CompileOptions, FormatError, Lexicon, LoadError};

/// The default pack (`lexicons/default.toml`): gambling and drugs, illegal
/// services, counterfeit goods, absolute and medical ad claims, fraud
/// scripts, doxxing cues, sexual solicitation, abuse. No political speech.
pub const DEFAULT_PACK: &str = include_str!("../../../lexicons/default.toml");

/// A lexicon could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Compile(#[from] CompileError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("lexicon file is neither UTF-8 text nor a compiled lexicon")]
    Encoding,
}

/// Loads a lexicon from file contents: a compiled lexicon (see
/// [`Lexicon::to_bytes`]) is loaded as it is; text is parsed and compiled.
pub fn load_lexicon(bytes: &[u8], options: &CompileOptions) -> Result<Lexicon, LexiconError> {
    if bytes.starts_with(b"QLLEX") {
        return Ok(Lexicon::from_bytes(bytes)?);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| LexiconError::Encoding)?;
    if is_toml(text) {
        Ok(Lexicon::compile_owned(parse_rules(text)?, options)?)
    } else {
        Ok(Lexicon::compile_plain(plain_entries(text)?, options)?)
    }
}

/// The compiled default pack.
pub fn default_lexicon(options: &CompileOptions) -> Result<Lexicon, LexiconError> {
    load_lexicon(DEFAULT_PACK.as_bytes(), options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pack_compiles_and_catches_its_own_harms() {
        let lex = default_lexicon(&CompileOptions::default()).unwrap();
        assert!(lex.rules().len() >= 15);
        for (text, category) in [
            ("加我带你玩百家乐", "gambling_drugs"),
            ("代开 发 票，联系我", "gambling_drugs"),
            ("这个人被开盒了", "doxxing"),
            ("莆田鞋一比一复刻", "false_advertising"),
            ("你个傻*逼", "online_violence"),
        ] {
            let found = lex.find(text);
            assert!(
                found
                    .iter()
                    .any(|m| lex.rule(m.rule).is_some_and(|r| r.category() == category)),
                "{text}: {found:?}"
            );
        }
        assert!(lex.find("今天真是个大麻烦").is_empty());
        assert!(lex.find("今天天气很好，我们去公园").is_empty());
    }

    #[test]
    fn loads_text_and_compiled_forms_and_rejects_garbage() {
        let lex = load_lexicon(
            "赌博\tgambling_drugs\n".as_bytes(),
            &CompileOptions::default(),
        )
        .unwrap();
        let again = load_lexicon(&lex.to_bytes(), &CompileOptions::default()).unwrap();
        assert_eq!(again.find("賭博").len(), 1);
        assert!(matches!(
            load_lexicon(&[0xff, 0xfe, 0x00], &CompileOptions::default()),
            Err(LexiconError::Encoding)
        ));
        assert!(matches!(
            load_lexicon(b"QLLEX999", &CompileOptions::default()),
            Err(LexiconError::Load(_))
        ));
    }
}
