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
    /// Calls `each` with every token of two or more word characters. `buf` is reused so the
    /// hot path allocates nothing per token.
    pub fn for_each_token(&self, text: &str, buf: &mut String, mut each: impl FnMut(&str)) {
        let mut chars_in_token = 0usize;
        buf.clear();
        let mut flush = |buf: &mut String, n: &mut usize| {
            if *n >= 2 && !buf.is_empty() {
                each(buf);
            }
            buf.clear();
            *n = 0;
        };
        for c in text.chars() {
            if !is_word_char(c) {
                flush(buf, &mut chars_in_token);
                continue;
            }
            chars_in_token += 1;
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else if self.fold_accents {
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
        flush(buf, &mut chars_in_token);
    }

    /// The tokens of `text`, allocated (for tests and explanations).
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_token(text, &mut String::new(), |t| out.push(t.to_string()));
        out
    }
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
    fn single_characters_and_punctuation_are_not_tokens() {
        assert!(Tokenizer::default().tokens("a - é ; 1 . !").is_empty());
        assert!(Tokenizer::default().tokens("").is_empty());
    }
}
