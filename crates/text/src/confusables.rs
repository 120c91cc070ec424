//! Look-alike letters from other scripts that fold to Latin.
//!
//! A small, hand-written table of Cyrillic and Greek lower-case letters whose
//! glyphs are read as Latin letters in abuse ("fuсk" with a Cyrillic `с`).
//! Upper-case forms reach this table already lower-cased by [`crate::fold_char`].
//! Only unambiguous shapes are listed: a letter that looks like two different
//! Latin letters is left out rather than guessed.

/// The Latin letter that `c` imitates, if `c` is a known look-alike.
pub fn confusable_to_latin(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic
        'а' => 'a',
        'в' => 'b',
        'с' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' | 'э' => 'e',
        'һ' | 'н' => 'h',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'п' => 'n',
        'о' => 'o',
        'р' => 'p',
        'ԛ' => 'q',
        'г' => 'r',
        'ѕ' => 's',
        'т' => 't',
        'ц' | 'џ' => 'u',
        'ѵ' => 'v',
        'ԝ' | 'ш' | 'щ' => 'w',
        'х' => 'x',
        'у' | 'ү' => 'y',
        'з' => '3',
        // Greek
        'α' | 'ά' => 'a',
        'β' => 'b',
        'ϲ' => 'c',
        'δ' => 'd',
        'ε' | 'έ' => 'e',
        'η' | 'ή' => 'n',
        'ι' | 'ί' | 'ϊ' => 'i',
        'κ' => 'k',
        'μ' => 'u',
        'ν' => 'v',
        'ο' | 'ό' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' | 'ύ' => 'u',
        'χ' => 'x',
        'γ' => 'y',
        'ω' | 'ώ' => 'w',
        'ϳ' => 'j',
        // Latin look-alikes outside ASCII
        'ı' => 'i',
        'ɑ' => 'a',
        'ɡ' => 'g',
        'ʋ' => 'u',
        'ƅ' => 'b',
        'ɩ' => 'i',
        'ɪ' => 'i',
        'ᴄ' => 'c',
        'ᴏ' => 'o',
        'ꜱ' => 's',
        'ᴜ' => 'u',
        'ᴋ' => 'k',
        _ => return None,
    })
}
