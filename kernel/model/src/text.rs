//! Tokenisation like scikit-learn's `CountVectorizer` default (`(?u)\b\w\w+\b`, lowercase),
//! plus optional accent folding, so "anéis" and "aneis" are one word.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How text becomes tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tokenizer {
    /// Strip diacritics after lowercasing ("é" → "e").
    pub fold_accents: bool,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer { fold_accents: true }
    }
}

/// Python's `\w`: letters, digits, marks and the underscore.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        // The common case, without Unicode table lookups.
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

impl Tokenizer {
    /// Calls `each` with every token of two or more word characters. Tokens that are
    /// already lowercase ASCII are passed as slices of `text`; others are folded into `buf`,
    /// so the hot path neither allocates nor copies.
    pub fn for_each_token(&self, text: &str, buf: &mut String, mut each: impl FnMut(&str)) {
        let bytes = text.as_bytes();
        let latin_word = latin_word_table();
        let mut i = 0;
        while i < bytes.len() {
            let mut j = i;
            let mut chars = 0usize;
            // Bit 1: saw an uppercase ASCII letter; bit 2: saw a non-ASCII character.
            let mut seen = 0u8;
            while j < bytes.len() {
                let b = bytes[j];
                if b < 0x80 {
                    let class = ASCII_CLASS[b as usize];
                    if class == 0 {
                        break;
                    }
                    seen |= class & 1;
                    j += 1;
                } else if b & 0xE0 == 0xC0 && j + 1 < bytes.len() {
                    // Two-byte UTF-8 (U+0080..U+07FF, where Portuguese accents live),
                    // decoded by hand: the input is valid UTF-8, so the next byte continues it.
                    let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[j + 1] & 0x3F);
                    let word = match latin_word.get(cp - 0x80) {
                        Some(w) => *w,
                        None => char::from_u32(cp as u32).is_some_and(is_word_char),
                    };
                    if !word {
                        break;
                    }
                    seen |= 2;
                    j += 2;
                } else {
                    let c = text[j..].chars().next().expect("char boundary");
                    if !is_word_char(c) {
                        break;
                    }
                    seen |= 2;
                    j += c.len_utf8();
                }
                chars += 1;
            }
            if j == i {
                // Not a word character: step over it.
                i += if bytes[i] < 0x80 {
                    1
                } else {
                    text[i..].chars().next().map_or(1, char::len_utf8)
                };
                continue;
            }
            if chars >= 2 {
                let token = &text[i..j];
                match seen {
                    0 => each(token),
                    1 => {
                        buf.clear();
                        buf.push_str(token);
                        buf.make_ascii_lowercase();
                        each(buf);
                    }
                    _ => {
                        buf.clear();
                        self.fold_into(token, buf);
                        each(buf);
                    }
                }
            }
            i = j;
        }
    }

    /// Lowercases (and, when enabled, strips accents from) one token.
    fn fold_into(&self, token: &str, buf: &mut String) {
        let latin = latin_table(self.fold_accents);
        for c in token.chars() {
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else if let Some(folded) = latin.get(c as usize - 0x80) {
                // Latin-1 and Latin Extended-A/B: precomputed, the common non-ASCII case.
                buf.push_str(folded);
            } else {
                self.fold_char_slow(c, buf);
            }
        }
    }

    /// The slow path, also used to build the Latin table.
    fn fold_char_slow(&self, c: char, buf: &mut String) {
        if self.fold_accents {
            for lower in c.to_lowercase() {
                buf.extend(
                    std::iter::once(lower)
                        .nfd()
                        .filter(|d| !is_combining_mark(*d)),
                );
            }
        } else {
            buf.extend(c.to_lowercase());
        }
    }

    /// The accents this tokenizer strips, for engines that tokenise elsewhere (Spark's
    /// `translate(lower(token), from, to)`): each lowercase character up to U+2FFF whose
    /// folding is another single character, and the marks folding deletes (`to` empty).
    /// Empty when accents are kept.
    pub fn accent_folds(&self) -> Vec<(char, Option<char>)> {
        if !self.fold_accents {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in (0x80u32..0x3000).filter_map(char::from_u32) {
            let mut folded = String::new();
            folded.extend(std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)));
            let mut chars = folded.chars();
            match (chars.next(), chars.next()) {
                (None, _) => out.push((c, None)),
                (Some(f), None) if f != c => out.push((c, Some(f))),
                _ => {}
            }
        }
        out
    }

    /// The tokens of `text`, allocated (for tests and explanations).
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_token(text, &mut String::new(), |t| out.push(t.to_string()));
        out
    }
}

/// ASCII byte classes: 0 not a word character, 1 uppercase letter, 2 other word character.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            2
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Whether each of U+0080..U+024F is a word character.
fn latin_word_table() -> &'static [bool] {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80u32..0x250)
            .map(|cp| char::from_u32(cp).is_some_and(is_word_char))
            .collect()
    })
}

/// Folded forms of U+0080..U+024F, for both settings of accent folding.
fn latin_table(fold_accents: bool) -> &'static [String] {
    static TABLES: std::sync::OnceLock<[Vec<String>; 2]> = std::sync::OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        let build = |fold_accents: bool| {
            let t = Tokenizer { fold_accents };
            (0x80u32..0x250)
                .map(|cp| {
                    let mut s = String::new();
                    if let Some(c) = char::from_u32(cp) {
                        t.fold_char_slow(c, &mut s);
                    }
                    s
                })
                .collect()
        };
        [build(false), build(true)]
    });
    &tables[usize::from(fold_accents)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_countvectorizer_default_pattern() {
        let plain = Tokenizer {
            fold_accents: false,
        };
        assert_eq!(
            plain.tokens("Figura Transformers Prime - E9687 - Hasbro, a 1 x_y"),
            ["figura", "transformers", "prime", "e9687", "hasbro", "x_y"]
        );
        assert_eq!(plain.tokens("Senhor dos anéis"), ["senhor", "dos", "anéis"]);
    }

    #[test]
    fn folds_accents_by_default() {
        let t = Tokenizer::default();
        assert_eq!(t.tokens("Senhor dos ANÉIS"), t.tokens("senhor dos aneis"));
        assert_eq!(t.tokens("Ação, coração"), ["acao", "coracao"]);
    }

    #[test]
    fn accent_folds_map_accented_letters_and_delete_marks() {
        let folds = Tokenizer { fold_accents: true }.accent_folds();
        assert!(folds.contains(&('é', Some('e'))));
        assert!(folds.contains(&('ç', Some('c'))));
        assert!(
            folds.contains(&('\u{301}', None)),
            "a combining acute is deleted"
        );
        assert!(!folds.iter().any(|(c, _)| *c == 'ª'), "NFD leaves ª alone");
        // Applying the table char by char folds as the tokenizer does.
        let t = Tokenizer { fold_accents: true };
        for word in ["anéis", "coração", "pãozinho", "ü\u{301}"] {
            let folded: String = word
                .chars()
                .filter_map(|c| match folds.iter().find(|(f, _)| *f == c) {
                    Some((_, to)) => *to,
                    None => Some(c),
                })
                .collect();
            assert_eq!(t.tokens(word), vec![folded], "{word}");
        }
        assert!(
            Tokenizer {
                fold_accents: false
            }
            .accent_folds()
            .is_empty()
        );
    }

    #[test]
    fn latin_table_matches_the_slow_path() {
        for fold_accents in [false, true] {
            let t = Tokenizer { fold_accents };
            for cp in 0x80u32..0x300 {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let mut fast = String::new();
                t.fold_into(&c.to_string(), &mut fast);
                let mut slow = String::new();
                t.fold_char_slow(c, &mut slow);
                assert_eq!(fast, slow, "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn single_characters_and_punctuation_are_not_tokens() {
        assert!(Tokenizer::default().tokens("a - é ; 1 . !").is_empty());
        assert!(Tokenizer::default().tokens("").is_empty());
    }

    /// The straightforward tokenizer the fast one must agree with.
    fn reference(t: Tokenizer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current: Vec<char> = Vec::new();
        let flush = |current: &mut Vec<char>, out: &mut Vec<String>| {
            if current.len() >= 2 {
                let mut s = String::new();
                for c in current.iter() {
                    t.fold_char_slow(*c, &mut s);
                }
                out.push(s);
            }
            current.clear();
        };
        for c in text.chars() {
            if c.is_alphanumeric() || c == '_' || is_combining_mark(c) {
                current.push(c);
            } else {
                flush(&mut current, &mut out);
            }
        }
        flush(&mut current, &mut out);
        out
    }

    proptest::proptest! {
        #[test]
        fn fast_tokenizer_agrees_with_the_reference(
            text in "[a-zA-Z0-9_ .,;:!?()\\-éÉãÃçÇõôâêíóúüñßÆøŁ©®°ªº€中文\u{0301}\u{00A0}]{0,60}",
            fold_accents in proptest::bool::ANY,
        ) {
            let t = Tokenizer { fold_accents };
            proptest::prop_assert_eq!(t.tokens(&text), reference(t, &text));
        }
    }
}
