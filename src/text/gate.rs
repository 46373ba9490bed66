//! Cheap tests that a pattern cannot match a text, run before the pattern.
//!
//! A regex search costs hundreds of instructions even when it finds nothing: a pattern
//! written without case (`(?i)`) has no literal the regex crate can look for first, so its
//! engine reads every byte. Most of the extraction patterns need one of a few words to
//! match ("as follows", "... by"), and a search for a word's rarest letter runs through
//! text many bytes at a time. Each gate is a necessary condition only: when it says a text
//! may match, the pattern decides.
//!
//! Without case, the regex crate reads two characters outside ASCII as ASCII letters: the
//! Kelvin sign as `k` and the long s as `s` (no other letter has such a partner). A text
//! with either passes every caseless gate.

use memchr::{memchr, memchr2_iter};

/// English letters from the most to the least common: a word is looked for by its letter
/// that comes latest here, which stops the search least often.
const BY_FREQUENCY: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";

/// Words one of which every match of a pattern holds.
#[derive(Debug, Clone)]
pub struct Words {
    words: Vec<Word>,
    caseless: bool,
}

#[derive(Debug, Clone)]
struct Word {
    text: Vec<u8>,
    /// where in the word the byte searched for stands
    anchor: usize,
}

impl Words {
    /// Words matched without case (ASCII letters, as `(?i)` reads them). Pass a pattern's
    /// words in lower case.
    pub fn caseless(words: &[&str]) -> Words {
        Words::new(words, true)
    }

    /// Words matched only as written.
    pub fn exact(words: &[&str]) -> Words {
        Words::new(words, false)
    }

    fn new(words: &[&str], caseless: bool) -> Words {
        let words = words
            .iter()
            .map(|word| {
                let text: Vec<u8> = if caseless {
                    word.bytes().map(|b| b.to_ascii_lowercase()).collect()
                } else {
                    word.as_bytes().to_vec()
                };
                let rank = |b: u8| {
                    BY_FREQUENCY
                        .iter()
                        .position(|&f| f == b.to_ascii_lowercase())
                        // a letter outside the list is rare; a space or a mark is not
                        .unwrap_or(if b.is_ascii_alphabetic() {
                            BY_FREQUENCY.len()
                        } else {
                            0
                        })
                };
                let anchor = (0..text.len()).max_by_key(|&i| rank(text[i])).unwrap_or(0);
                Word { text, anchor }
            })
            .collect();
        Words { words, caseless }
    }

    /// Could `text` hold one of the words?
    pub fn may_match(&self, text: &str) -> bool {
        (self.caseless && folds_to_ascii(text))
            || self
                .words
                .iter()
                .any(|word| self.holds(text.as_bytes(), word))
    }

    fn holds(&self, haystack: &[u8], word: &Word) -> bool {
        let Some(&anchor) = word.text.get(word.anchor) else {
            return true;
        };
        let found_at = |at: usize| {
            at >= word.anchor
                && haystack
                    .get(at - word.anchor..at - word.anchor + word.text.len())
                    .is_some_and(|there| {
                        if self.caseless {
                            there.eq_ignore_ascii_case(&word.text)
                        } else {
                            there == word.text.as_slice()
                        }
                    })
        };
        if self.caseless && anchor.is_ascii_alphabetic() {
            memchr2_iter(anchor, anchor.to_ascii_uppercase(), haystack).any(found_at)
        } else {
            let mut from = 0;
            while let Some(i) = memchr(anchor, &haystack[from..]) {
                if found_at(from + i) {
                    return true;
                }
                from += i + 1;
            }
            false
        }
    }
}

/// Does `text` hold the Kelvin sign or the long s, which caseless patterns read as `k` and
/// `s`? (Searched for by their last bytes, which few characters share.)
pub fn folds_to_ascii(text: &str) -> bool {
    const KELVIN: &[u8] = "\u{212A}".as_bytes();
    const LONG_S: &[u8] = "\u{17F}".as_bytes();
    let bytes = text.as_bytes();
    memchr2_iter(KELVIN[KELVIN.len() - 1], LONG_S[LONG_S.len() - 1], bytes)
        .any(|at| bytes[..=at].ends_with(KELVIN) || bytes[..=at].ends_with(LONG_S))
}

/// Could `line` begin (after a list number such as "1." and white space) with one of
/// `words`? Compares the first three letters, without case; a character outside ASCII there
/// passes, since a pattern may read it as a letter, a digit or a space.
pub fn may_begin_with(line: &str, words: &[&str]) -> bool {
    let bytes = line.as_bytes();
    // (the ASCII white space of the patterns' `\s`: `is_ascii_whitespace` leaves out the
    // vertical tab)
    let start = bytes
        .iter()
        .position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b' ' | b'\t'..=b'\r')))
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    words.iter().any(|word| {
        let n = word.len().min(3);
        rest.get(..n).is_some_and(|head| {
            !head.is_ascii() || head.eq_ignore_ascii_case(&word.as_bytes()[..n])
        })
    })
}

/// Could `text` hold `byte`? (A gate for a pattern that needs an ASCII mark, such as a colon.)
pub fn may_hold_byte(text: &str, byte: u8) -> bool {
    memchr(byte, text.as_bytes()).is_some()
}

/// Does `haystack` hold `word` as written, searched from its end? The last place it does.
pub fn rfind(haystack: &str, word: &str) -> Option<usize> {
    memchr::memmem::rfind(haystack.as_bytes(), word.as_bytes())
}

/// Where the first byte of `bytes` that `wanted` marks is: `iter().position` over a table,
/// eight bytes to a branch. The scan for sentence marks and brackets passes over tens of
/// bytes between stops, and a branch at every byte was most of its cost. (The search for
/// the first letters of names stops every few bytes, and kept its byte loop: eight at a
/// time cost it more.)
pub fn position_in(wanted: &[bool; 256], bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in chunks.by_ref() {
        // `|` on bools, not `||`: every look-up is made, and one branch decides
        let any = chunk
            .iter()
            .fold(false, |any, &byte| any | wanted[usize::from(byte)]);
        if any {
            return chunk
                .iter()
                .position(|&byte| wanted[usize::from(byte)])
                .map(|at| offset + at);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&byte| wanted[usize::from(byte)])
        .map(|at| offset + at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_are_found_without_case_by_their_rarest_letter() {
        let words = Words::caseless(&["follows", "summary", "by"]);
        assert_eq!(words.words[0].anchor, 0); // the f of follows
        assert_eq!(words.words[1].anchor, 6); // the y of summary
        assert!(words.may_match("The outcome was AS FOLLOWS:"));
        assert!(words.may_match("Hosted By the Minister"));
        assert!(words.may_match("a summary"));
        assert!(!words.may_match("The leaders met in Tokyo."));
        assert!(!words.may_match(""));
        // the long s and the Kelvin sign pass every caseless gate
        assert!(words.may_match("Nothing here but ſ"));
        assert!(words.may_match("\u{212A}"));
        let exact = Words::exact(&["I "]);
        assert!(exact.may_match("Today I met the Secretary General."));
        assert!(!exact.may_match("today i met him. ISHIBA"));
        assert!(!exact.may_match("ſ I"));
    }

    #[test]
    fn lines_may_begin_with_a_word_after_a_list_number() {
        let labels = ["place", "venue", "location"];
        assert!(may_begin_with("Place: Tokyo", &labels));
        assert!(may_begin_with("2. VENUE", &labels));
        assert!(may_begin_with("3.\u{3000}Place", &labels));
        assert!(may_begin_with("1.\u{0B}Place: Tokyo", &labels));
        assert!(may_begin_with("١. Place", &labels));
        assert!(!may_begin_with("Prime Minister Kishida met", &labels));
        assert!(!may_begin_with("Pl", &labels));
        assert!(!may_begin_with("", &labels));
    }

    #[test]
    fn the_helpers_find_bytes_and_words() {
        assert!(may_hold_byte("Minister: Yes", b':'));
        assert!(!may_hold_byte("Minister Yes", b':'));
        assert_eq!(rfind("met with A, with B", " with "), Some(11));
        assert_eq!(rfind("met A", " with "), None);
        assert!(folds_to_ascii("a \u{212A}"));
        assert!(!folds_to_ascii("Tokyo – Brussels ’"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// `position_in` finds what `iter().position` finds, whatever the table and wherever
        /// in or after the runs of eight the byte is.
        #[test]
        fn position_in_finds_the_first_wanted_byte(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', b'.', b'(', 0xE3, b' ']), 0..40),
            wanted_bytes in proptest::collection::vec(any::<u8>(), 0..4),
        ) {
            let mut wanted = [false; 256];
            for byte in wanted_bytes.iter().chain([b'.', b'(']
                .iter()
                .take(wanted_bytes.len() % 3))
            {
                wanted[usize::from(*byte)] = true;
            }
            prop_assert_eq!(
                position_in(&wanted, &bytes),
                bytes.iter().position(|&b| wanted[usize::from(b)])
            );
        }

        /// A caseless gate passes every text in which `(?i)` finds one of its words.
        #[test]
        fn a_caseless_gate_passes_whatever_the_regex_finds(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "follows", "FOLLOWS", "Follow", "ollows", "by", "By", "bY", "b", "y",
                    "summary", "ſummary", "\u{212A}", "k", "s", " ", "a", "é", "’", "w", "W",
                ]),
                0..12,
            )
        ) {
            let text = pieces.concat();
            let words = ["follows", "by", "summary", "k"];
            let gate = Words::caseless(&words);
            let regex = regex::Regex::new(&format!("(?i){}", words.join("|"))).expect("compiles");
            prop_assert_eq!(
                gate.may_match(&text),
                regex.is_match(&text) || folds_to_ascii(&text),
                "{:?}", text
            );
            let exact = Words::exact(&["I ", "By"]);
            let regex = regex::Regex::new("I |By").expect("compiles");
            prop_assert_eq!(regex.is_match(&text), exact.may_match(&text), "{:?}", text);
        }
    }
}
