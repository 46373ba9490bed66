//! Compiling the extraction patterns (built-in and users' `meeting_cues.csv`).
//!
//! Every pattern is compiled with `\b` and `\B` read as ASCII word boundaries. The regex
//! crate's fast engine (a lazy DFA) cannot decide a Unicode word boundary next to a byte
//! outside ASCII, and gives the whole search to a much slower one whenever the text holds
//! one — and releases are full of curly quotes and dashes ("the leaders’ talks"). With ASCII
//! boundaries the fast engine runs on every sentence; extraction measured 40% faster. The
//! patterns put their boundaries beside English words and digits, where the two readings
//! agree except next to a letter outside ASCII in the text ("talksé"), which English releases
//! do not put against a keyword. A boundary the pattern itself writes beside a letter outside
//! ASCII or before a Unicode class stays Unicode.

use regex::Regex;

/// `pattern` with each `\b` and `\B` outside a character class made ASCII (`(?-u:\b)`).
/// Escaped backslashes and the `\b{start}` family are left alone, and so is a boundary
/// written beside a letter outside ASCII (`\bété\b`) or before a Unicode class (`\b\w+`,
/// `\b\p{Lu}`), where only the Unicode reading means what the pattern says.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let non_ascii_letter =
        |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    let mut class_depth = 0usize;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' => {
                let Some(escaped) = rest.chars().next() else {
                    out.push('\\');
                    break;
                };
                rest = &rest[escaped.len_utf8()..];
                let boundary = matches!(escaped, 'b' | 'B') && class_depth == 0;
                let unicode_beside = non_ascii_letter(rest.chars().next())
                    || ["\\w", "\\W", "\\p", "\\P"]
                        .iter()
                        .any(|u| rest.starts_with(u))
                    || non_ascii_letter(out.chars().next_back());
                if boundary && !rest.starts_with('{') && !unicode_beside {
                    out.push_str("(?-u:\\");
                    out.push(escaped);
                    out.push(')');
                } else {
                    out.push('\\');
                    out.push(escaped);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // a `]` first in a class is a literal, not its end
                if let Some(negated) = rest.strip_prefix('^') {
                    out.push('^');
                    rest = negated;
                }
                if let Some(literal) = rest.strip_prefix(']') {
                    out.push(']');
                    rest = literal;
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Compile `pattern` with ASCII word boundaries (see the module's note).
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_word_boundaries(pattern))
}

/// `pattern` compiled as `compile` does, by the engine the regex crate is built on, for
/// searches anchored where the caller already knows a match would have to begin (the regex
/// crate offers no anchored search). Its matches are those of `compile(pattern)`: the same
/// syntax, the same leftmost-first matching, and empty matches only at character bounds.
pub fn compile_anchored(
    pattern: &str,
) -> Result<regex_automata::meta::Regex, Box<regex_automata::meta::BuildError>> {
    regex_automata::meta::Regex::new(&ascii_word_boundaries(pattern)).map_err(Box::new)
}

/// The match of `regex` (from `compile_anchored`) that begins at `start` in `text`, if any;
/// the text around it is read for look-around (`\b`).
pub fn match_at(
    regex: &regex_automata::meta::Regex,
    text: &str,
    start: usize,
) -> Option<(usize, usize)> {
    let input = regex_automata::Input::new(text)
        .range(start..)
        .anchored(regex_automata::Anchored::Yes);
    regex.search(&input).map(|m| (m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_outside_classes_become_ascii() {
        assert_eq!(
            ascii_word_boundaries(r"\btalks\b"),
            r"(?-u:\b)talks(?-u:\b)"
        );
        assert_eq!(ascii_word_boundaries(r"a\Bb"), r"a(?-u:\B)b");
        // an escaped backslash followed by a letter b, a class, and \b{start} stay as written
        assert_eq!(ascii_word_boundaries(r"\\b"), r"\\b");
        assert_eq!(ascii_word_boundaries(r"[\b\]x]\b"), r"[\b\]x](?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"[]\b]"), r"[]\b]");
        assert_eq!(ascii_word_boundaries(r"\b{start}x"), r"\b{start}x");
        assert_eq!(ascii_word_boundaries(r"\d+\.\s"), r"\d+\.\s");
        // beside a letter outside ASCII or before a Unicode class the boundary stays Unicode
        assert_eq!(ascii_word_boundaries(r"\bété\b"), r"\bété\b");
        assert_eq!(ascii_word_boundaries(r"\b\w+ met\b"), r"\b\w+ met(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"\b\p{Lu}"), r"\b\p{Lu}");
        assert_eq!(ascii_word_boundaries("\\"), "\\");
    }

    #[test]
    fn compiled_patterns_keep_their_meaning_beside_curly_quotes_and_dashes() {
        let talks = compile(r"(?i)\b(?:meeting|talks)\b").expect("compiles");
        assert!(talks.is_match("the leaders’ talks’ outcome"));
        assert!(talks.is_match("talks–and more"));
        assert!(!talks.is_match("smalltalks"));
        assert!(!talks.is_match("meetings"));
        let found: Vec<&str> = compile(r"\b\d{1,2}\b")
            .expect("compiles")
            .find_iter("on 15–16 May, not 123")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(found, ["15", "16"]);
        let summer = compile(r"(?i)\bété\b").expect("compiles");
        assert!(summer.is_match("cet été à Paris"));
        assert!(!summer.is_match("étéx"));
    }
}
