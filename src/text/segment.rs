//! Split a normalised body into lines and sentences, each with its byte span, and tell prose
//! (where meetings are reported) from page furniture: breadcrumbs, "Back to ..." links, photo
//! captions, headings and speaker labels. The clutter patterns come from `data/clutter.csv`.

use super::Span;
use aho_corasick::AhoCorasick;
use regex::RegexSet;

/// What a line of a release is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// Navigation, footers, photo markers: matched by a clutter pattern, ignored entirely.
    Clutter,
    /// A speaker label on its own line in a transcript ("Minister:", "Question:").
    Label,
    /// Short text without sentence punctuation: a headline, heading or photo caption.
    Short,
    /// Running text.
    Prose,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub index: usize,
    /// The line without its leading and trailing whitespace.
    pub span: Span,
    pub kind: LineKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the line it belongs to.
    pub line: usize,
}

/// Compiled line patterns that mark clutter.
///
/// The patterns are kept in three sets, which together match what one set of them all
/// would. One set of them all is searched to the end of nearly every line: a pattern such as
/// `^[A-Za-z0-9 ,]+\(PDF\)$` keeps the search going through any line of plain words. So
/// the patterns anchored at the line's start that begin with known text (`^Back to `) are a
/// set that gives up within a few bytes; those anchored at its end that end with known text
/// run only on lines that end with it; and the rest, free to match anywhere, run only on
/// lines that hold text one of them must begin with (found by one search for those texts,
/// vectorised where the processor allows: the regex crate's own search for `.jpg` stops at
/// every full stop).
#[derive(Debug, Clone)]
pub struct LineRules {
    starting: RegexSet,
    ending: RegexSet,
    /// the text each pattern of `ending` may end with
    endings: Vec<Vec<u8>>,
    /// the last bytes of `endings` (a caseless pattern's endings are every casing of its
    /// text, and most lines end with a byte none of them does)
    ending_last_bytes: [bool; 256],
    anywhere: RegexSet,
    /// the texts the patterns of `anywhere` begin with, if each has a few
    anywhere_begins: Option<Begins>,
}

impl LineRules {
    pub fn new(clutter_patterns: &[String]) -> Result<Self, regex::Error> {
        let mut starting = Vec::new();
        let mut ending = Vec::new();
        let mut endings = Vec::new();
        let mut anywhere = Vec::new();
        for pattern in clutter_patterns {
            match anchored_text(pattern) {
                Some(Anchor::Start) => starting.push(pattern),
                Some(Anchor::End(texts)) => {
                    ending.push(pattern);
                    endings.extend(texts);
                }
                None => anywhere.push(pattern),
            }
        }
        // (`anchored_text` gives no empty text, or every line would have to be asked)
        debug_assert!(endings.iter().all(|e| !e.is_empty()));
        let mut ending_last_bytes = [false; 256];
        for ending in &endings {
            if let Some(&last) = ending.last() {
                ending_last_bytes[usize::from(last)] = true;
            }
        }
        Ok(LineRules {
            starting: RegexSet::new(starting)?,
            ending: RegexSet::new(ending)?,
            endings,
            ending_last_bytes,
            anywhere_begins: begins_of(&anywhere),
            anywhere: RegexSet::new(anywhere)?,
        })
    }

    pub fn is_clutter(&self, line: &str) -> bool {
        self.starting.is_match(line)
            || (line
                .as_bytes()
                .last()
                .is_some_and(|&last| self.ending_last_bytes[usize::from(last)])
                && self.endings.iter().any(|e| line.as_bytes().ends_with(e))
                && self.ending.is_match(line))
            || (self
                .anywhere_begins
                .as_ref()
                .is_none_or(|begins| begins.is_match(line))
                && self.anywhere.is_match(line))
    }
}

/// A search for a few texts. Teddy (aho-corasick's vectorised search for a few literals)
/// where the processor has it; an automaton, whose prefilter stops at every byte of a rare
/// few (a full stop, for ".jpg") otherwise.
#[derive(Debug, Clone)]
enum Begins {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl Begins {
    fn new(texts: &[Vec<u8>]) -> Option<Begins> {
        match aho_corasick::packed::Searcher::new(texts.iter()) {
            Some(searcher) => Some(Begins::Packed(searcher)),
            None => AhoCorasick::new(texts).ok().map(Begins::Automaton),
        }
    }

    fn is_match(&self, line: &str) -> bool {
        match self {
            Begins::Packed(searcher) => searcher.find(line).is_some(),
            Begins::Automaton(automaton) => automaton.is_match(line),
        }
    }
}

/// One search for the texts every match of one of `patterns` begins with, or none if a
/// pattern has no such few texts (or there are no patterns: a search that finds nothing).
fn begins_of(patterns: &[&String]) -> Option<Begins> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut begins: Vec<Vec<u8>> = Vec::new();
    for pattern in patterns {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        let literals = seq.literals()?;
        if literals.is_empty() || literals.iter().any(|l| l.is_empty()) {
            return None;
        }
        begins.extend(literals.iter().map(|l| l.as_bytes().to_vec()));
    }
    Begins::new(&begins)
}

enum Anchor {
    /// Every match starts at the line's start (with known text, where a pattern is both).
    Start,
    /// Every match ends at the line's end with one of these texts.
    End(Vec<Vec<u8>>),
}

/// How `pattern` is anchored to the line's start or (with known text) its end, if it is. (The
/// literals are those the regex crate's own prefilters use: every match begins, or ends,
/// with one of them.)
fn anchored_text(pattern: &str) -> Option<Anchor> {
    use regex_syntax::hir::Look;
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let known = |kind| {
        let seq = Extractor::new().kind(kind).extract(&hir);
        seq.literals()
            .filter(|literals| !literals.is_empty() && literals.iter().all(|l| !l.is_empty()))
            .map(|literals| {
                literals
                    .iter()
                    .map(|l| l.as_bytes().to_vec())
                    .collect::<Vec<_>>()
            })
    };
    let properties = hir.properties();
    if properties.look_set_prefix().contains(Look::Start) && known(ExtractKind::Prefix).is_some() {
        return Some(Anchor::Start);
    }
    if properties.look_set_suffix().contains(Look::End)
        && let Some(texts) = known(ExtractKind::Suffix)
    {
        return Some(Anchor::End(texts));
    }
    // anchored at the start without known text (`^\(?\*?\s*The foregoing`): it still
    // reads only as far as the line goes on fitting it
    properties
        .look_set_prefix()
        .contains(Look::Start)
        .then_some(Anchor::Start)
}

/// A segmented body.
#[derive(Debug, Clone)]
pub struct Segmented {
    pub lines: Vec<Line>,
    pub sentences: Vec<Sentence>,
}

impl Segmented {
    /// Sentences of prose lines, in order.
    pub fn prose(&self) -> impl Iterator<Item = &Sentence> {
        self.sentences
            .iter()
            .filter(move |s| self.lines[s.line].kind == LineKind::Prose)
    }
}

/// Split `body` into classified lines and the sentences of its prose lines.
pub fn segment(body: &str, rules: &LineRules) -> Segmented {
    let mut lines = Vec::new();
    let mut offset = 0;
    // (`body.split('\n')`, its line ends found by memchr)
    let line_ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain(std::iter::once(body.len()));
    let mut line_start = 0;
    for (index, line_end) in line_ends.enumerate() {
        let raw = &body[line_start..line_end];
        line_start = line_end + 1;
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        let span = Span::new(offset + lead, offset + lead + trimmed.len());
        offset += raw.len() + 1;
        let kind = classify(trimmed, rules);
        lines.push(Line { index, span, kind });
    }
    // The corpora hold releases cut off mid-sentence: a last line of running text without a
    // full stop is still prose.
    if let Some(last) = lines.iter_mut().rev().find(|l| l.kind != LineKind::Blank)
        && last.kind == LineKind::Short
        && word_count(last.span.text(body), 6) >= 6
    {
        last.kind = LineKind::Prose;
    }
    let mut sentences = Vec::new();
    for line in &lines {
        if matches!(
            line.kind,
            LineKind::Blank | LineKind::Clutter | LineKind::Label
        ) {
            continue;
        }
        for span in split_sentences(line.span.text(body)) {
            sentences.push(Sentence {
                span: span.offset(line.span.start),
                line: line.index,
            });
        }
    }
    Segmented { lines, sentences }
}

/// Words in `text` (as `split_whitespace` finds them), counted up to `limit`: lines are
/// only ever compared with 5, 6 and 25 words, and a long paragraph need not be counted to
/// its end.
fn word_count(text: &str, limit: usize) -> usize {
    // `split_whitespace` words, counted a byte at a time where the text is ASCII
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let (space, width) = if byte.is_ascii() {
            (
                matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'),
                1,
            )
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        if !space && !in_word {
            words += 1;
            if words == limit {
                return words;
            }
        }
        in_word = !space;
        at += width;
    }
    words
}

fn classify(line: &str, rules: &LineRules) -> LineKind {
    if line.is_empty() {
        return LineKind::Blank;
    }
    if rules.is_clutter(line) {
        return LineKind::Clutter;
    }
    if is_label(line) {
        return LineKind::Label;
    }
    // "It has been 10 Years!" is a heading; "They met." is a sentence. (The words are
    // counted only as far as the answer needs: most lines are prose that ends in a full
    // stop, and are not counted at all.)
    if ends_sentence(line) {
        let bare = line.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
        let headline = !bare.ends_with('.') && word_count(line, 6) <= 5;
        if !headline {
            return LineKind::Prose;
        }
    }
    if word_count(line, 25) >= 25 {
        LineKind::Prose
    } else {
        LineKind::Short
    }
}

/// "Question:", "Minister:", "Prime Minister Abe:" — a short capitalised line ending in ':'.
fn is_label(line: &str) -> bool {
    let Some(head) = line.strip_suffix(':') else {
        return false;
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '”', '’', '\'', ')', ']', ' ']);
    trimmed.ends_with(['.', '!', '?', '。', ':', ';'])
}

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "h.e", "st", "rt", "hon", "gen", "lt", "col", "maj", "capt", "adm",
    "prof", "sr", "jr", "no", "nos", "mt", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "e.u",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "co", "inc", "ltd", "corp", "dept", "gov", "sen", "rep", "amb", "fig", "messrs", "mme",
];

/// The bytes `split_sentences` stops at: brackets, sentence marks and the first byte of '。'.
static SENTENCE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let stops = [b'(', b'[', b')', b']', b'.', b'!', b'?', 0xE3];
    let mut k = 0;
    while k < stops.len() {
        table[stops[k] as usize] = true;
        k += 1;
    }
    table
};

/// Byte spans of the sentences in one line.
pub fn split_sentences(line: &str) -> Vec<Span> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut depth: i32 = 0;
    // Only brackets and sentence marks matter, and all but '。' are ASCII: the line is
    // scanned by bytes, eight to a branch (a multi-byte character's bytes are never ASCII),
    // and '。' is recognised by its first byte and then compared whole.
    let mut i = 0;
    while i < bytes.len() {
        // run past the bytes that are none of these
        match super::gate::position_in(&SENTENCE_BYTES, &bytes[i..]) {
            Some(offset) => i += offset,
            None => break,
        }
        let c = match bytes[i] {
            b'(' | b'[' => {
                depth += 1;
                i += 1;
                continue;
            }
            b')' | b']' => {
                depth = (depth - 1).max(0);
                i += 1;
                continue;
            }
            b'.' => '.',
            b'!' => '!',
            b'?' => '?',
            0xE3 if line[i..].starts_with('。') => '。',
            _ => {
                i += 1;
                continue;
            }
        };
        let mark = i;
        let mut end = i + c.len_utf8();
        // closing quotes and brackets belong to the sentence they close
        for q in line[end..].chars() {
            if matches!(q, '"' | '”' | '’' | '\'') || (q == ')' && depth > 0) {
                if q == ')' {
                    depth -= 1;
                }
                end += q.len_utf8();
            } else {
                break;
            }
        }
        i = end;
        if depth > 0 || !is_boundary(line, mark, c, end) {
            continue;
        }
        let text = &line[start..end];
        if !text.trim().is_empty() {
            let lead = text.len() - text.trim_start().len();
            spans.push(Span::new(start + lead, end));
        }
        start = end;
    }
    if start < bytes.len() {
        let text = &line[start..];
        if !text.trim().is_empty() {
            let lead = text.len() - text.trim_start().len();
            spans.push(Span::new(start + lead, start + lead + text.trim().len()));
        }
    }
    spans
}

/// Does the mark `c` at byte `i` (its sentence running to `end`) end a sentence?
fn is_boundary(line: &str, i: usize, c: char, end: usize) -> bool {
    let rest = &line[end..];
    let next_word = rest.trim_start();
    if next_word.is_empty() {
        return true;
    }
    if !rest.starts_with(char::is_whitespace) {
        return false; // "10:05.p.m.", "U.S.", "1.5"
    }
    let next = next_word.chars().next().unwrap_or(' ');
    let opens = next.is_uppercase()
        || next.is_ascii_digit()
        || matches!(next, '"' | '“' | '‘' | '(' | '[' | '•' | '*' | '-');
    if !opens {
        return false;
    }
    if c != '.' {
        return true;
    }
    let word = preceding_word(&line[..i]);
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // An initial ("Christopher G. Cavoli") or list number at the start of a line ("1. ").
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return false;
    }
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) && line[..i].trim() == word {
        return false;
    }
    // "at 7:10 p.m. JST": a time zone after a.m./p.m. continues the sentence.
    if matches!(lower.as_str(), "a.m" | "p.m") {
        let zone: String = next_word
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        if zone.len() <= 4 && zone.chars().all(|c| c.is_ascii_uppercase()) {
            return false;
        }
    }
    true
}

/// The word (letters, digits, inner dots) just before byte `end` of `text`.
fn preceding_word(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `split_sentences` as it was written before it scanned bytes: a character at a time.
    fn split_by_chars(line: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut start = 0;
        let mut depth: i32 = 0;
        let mut iter = line.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = (depth - 1).max(0),
                '.' | '!' | '?' | '。' => {
                    let mut end = i + c.len_utf8();
                    while let Some(&(j, q)) = iter.peek() {
                        if matches!(q, '"' | '”' | '’' | '\'') || (q == ')' && depth > 0) {
                            if q == ')' {
                                depth -= 1;
                            }
                            end = j + q.len_utf8();
                            iter.next();
                        } else {
                            break;
                        }
                    }
                    if depth > 0 || !is_boundary(line, i, c, end) {
                        continue;
                    }
                    let text = &line[start..end];
                    if !text.trim().is_empty() {
                        let lead = text.len() - text.trim_start().len();
                        spans.push(Span::new(start + lead, end));
                    }
                    start = end;
                }
                _ => {}
            }
        }
        if start < line.len() {
            let text = &line[start..];
            if !text.trim().is_empty() {
                let lead = text.len() - text.trim_start().len();
                spans.push(Span::new(start + lead, start + lead + text.trim().len()));
            }
        }
        spans
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn lines_are_classified_as_by_counting_every_word(
            line in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just("word"), Just("Word"), Just("."), Just("!"), Just("?"),
                    Just(":"), Just("\""), Just("”"), Just(")"), Just("\u{3000}"), Just("10"),
                ],
                1..40,
            )
        ) {
            let line = line.concat();
            let line = line.trim();
            let rules = LineRules::new(&[]).expect("no patterns");
            // the rule as first written: every word counted (up to 25), then compared
            let words = line.split_whitespace().take(25).count();
            let bare = line.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
            let headline = words <= 5 && !bare.ends_with('.');
            let expected = if line.is_empty() {
                LineKind::Blank
            } else if is_label(line) {
                LineKind::Label
            } else if (ends_sentence(line) && !headline) || words >= 25 {
                LineKind::Prose
            } else {
                LineKind::Short
            };
            prop_assert_eq!(classify(line, &rules), expected, "{:?}", line);
        }

        #[test]
        fn lines_are_the_pieces_between_line_feeds(
            body in proptest::collection::vec(
                proptest::sample::select(vec!["\n", "\n", " ", "word", ".", "\r", "é", "\u{3000}"]),
                0..30,
            )
        ) {
            let body = body.concat();
            let rules = LineRules::new(&[]).expect("no patterns");
            // the lines as `str::split` gives them, trimmed, with their spans
            let mut expected = Vec::new();
            let mut offset = 0;
            for raw in body.split('\n') {
                let lead = raw.len() - raw.trim_start().len();
                let trimmed = raw.trim();
                expected.push(Span::new(offset + lead, offset + lead + trimmed.len()));
                offset += raw.len() + 1;
            }
            let lines = segment(&body, &rules).lines;
            prop_assert_eq!(lines.iter().map(|l| l.span).collect::<Vec<_>>(), expected);
            prop_assert!(lines.iter().enumerate().all(|(i, l)| l.index == i));
        }

        #[test]
        fn words_are_counted_as_split_whitespace_counts_them(
            text in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just("\t"), Just("\n"), Just("\u{0B}"), Just("\u{0C}"),
                    Just("\r"), Just("\u{85}"), Just("\u{A0}"), Just("\u{3000}"),
                    Just("\u{2009}"), Just("word"), Just("é"), Just("会談"), Just("."),
                ],
                0..60,
            )
        ) {
            let text = text.concat();
            for limit in [6, 25] {
                prop_assert_eq!(word_count(&text, limit), text.split_whitespace().take(limit).count());
            }
        }

        #[test]
        fn the_byte_scan_splits_as_a_character_scan_does(
            line in proptest::collection::vec(
                prop_oneof![
                    Just("."), Just("!"), Just("?"), Just("。"), Just("("), Just(")"),
                    Just("["), Just("]"), Just("\""), Just("”"), Just("’"), Just("'"),
                    Just(" "), Just("  "), Just("Mr"), Just("p.m"), Just("JST"), Just("1"),
                    Just("Abe"), Just("met"), Just("会談"), Just("ã"), Just("Ё"), Just("“"),
                    // '、' starts with the same byte as '。'
                    Just("、"),
                ],
                0..40,
            )
        ) {
            let line = line.concat();
            prop_assert_eq!(split_sentences(&line), split_by_chars(&line), "{:?}", line);
        }
    }

    /// The built-in clutter patterns, as `data/clutter.csv` lists them.
    fn builtin_clutter() -> Vec<String> {
        csv::Reader::from_reader(include_str!("../../data/clutter.csv").as_bytes())
            .records()
            .map(|r| r.expect("a row")[0].to_owned())
            .collect()
    }

    /// Pieces of lines: the words and marks the built-in patterns are written with, and
    /// some prose.
    const CLUTTER_PIECES: &[&str] = &[
        "Home",
        "Top",
        ">",
        "<<",
        "Back",
        "to",
        "List",
        "Archive",
        "(",
        ")",
        "Related",
        "Links",
        "Page",
        "Video",
        "Photo",
        "Photos",
        ":",
        "Group",
        "photo",
        "No",
        "comments",
        "Press",
        "Releases",
        "Conference",
        "Share",
        "this",
        "Print",
        "Last",
        "updated",
        "•",
        "|",
        "[",
        "]",
        "Provisional",
        "translation",
        "*",
        "The foregoing is a provisional translation",
        "別ウィンドウで開く",
        "ウィンドウ",
        ".jpg",
        ".png",
        "jpeg",
        ".",
        "Japanese",
        "English",
        "PDF",
        "(PDF)",
        "From",
        "Tags",
        "Editorial",
        "Sections",
        " ",
        " ",
        " ",
        "\t",
        "The",
        "Minister",
        "met",
        "NATO",
        "2023",
        ",",
        "&",
        "-",
        "é",
    ];

    #[test]
    fn clutter_rules_match_the_lines_one_set_of_them_all_matches() {
        let patterns = builtin_clutter();
        let rules = LineRules::new(&patterns).expect("the built-in patterns compile");
        let all = RegexSet::new(&patterns).expect("compiles");
        let mut lines = 0;
        let mut clutter = 0;
        for line in crate::text::fixture_lines() {
            let line = line.trim();
            let expected = all.is_match(line);
            assert_eq!(rules.is_clutter(line), expected, "{line}");
            lines += 1;
            clutter += usize::from(expected);
        }
        assert!(
            lines > 1000 && clutter > 10,
            "{lines} lines, {clutter} of them clutter"
        );
    }

    #[test]
    fn clutter_patterns_are_split_by_how_they_are_anchored() {
        let kind = |pattern: &str| match anchored_text(pattern) {
            Some(Anchor::Start) => "start".to_owned(),
            Some(Anchor::End(texts)) => format!(
                "end {}",
                texts
                    .iter()
                    .map(|t| String::from_utf8_lossy(t).into_owned())
                    .collect::<Vec<_>>()
                    .join("|")
            ),
            None => "anywhere".to_owned(),
        };
        assert_eq!(kind("^Back to "), "start");
        assert_eq!(kind("^Japanese$|^English$"), "start");
        assert_eq!(kind(r"^\(?\*?\s*The foregoing"), "start");
        assert_eq!(kind(r"^[A-Za-z0-9 ,]+\(PDF\)$"), "end (PDF)");
        assert_eq!(kind(r"\(Photo:.*\)$"), "end )");
        assert_eq!(kind(r"\.(jpg|png)(\s|$)"), "anywhere");
        assert_eq!(kind("^Japanese$|English"), "anywhere");
        assert!(begins_of(&[&r"\.(jpg|png)(\s|$)".to_owned()]).is_some());
        // a pattern with no text it must begin with leaves every line to the set
        assert!(begins_of(&[&r"\d{4}-\d{2}".to_owned()]).is_none());
        let rules = LineRules::new(&[r"\d{4}-\d{2}".to_owned(), "(?i)photo:".to_owned()])
            .expect("compiles");
        assert!(rules.is_clutter("Updated 2023-07"));
        assert!(rules.is_clutter("(PHOTO: MOFA)"));
        assert!(!rules.is_clutter("The Minister met the Secretary General."));
    }

    /// Teddy and the automaton find the same lines, and no patterns find none.
    #[test]
    fn both_searches_for_the_first_texts_agree() {
        let texts: Vec<Vec<u8>> = [".jpg", ".jpeg", ".png", ".gif", "別ウィンドウで開く"]
            .iter()
            .map(|t| t.as_bytes().to_vec())
            .collect();
        let packed = Begins::new(&texts).expect("builds");
        let automaton = Begins::Automaton(AhoCorasick::new(&texts).expect("builds"));
        let mut lines = crate::text::fixture_lines();
        lines.extend(
            [
                "photo.jpg",
                "a.gif b",
                "x.JPG",
                "(別ウィンドウで開く)",
                ".pn",
                "",
            ]
            .map(str::to_owned),
        );
        let mut found = 0;
        for line in &lines {
            let expected = texts
                .iter()
                .any(|t| memchr::memmem::find(line.as_bytes(), t).is_some());
            assert_eq!(packed.is_match(line), expected, "{line:?}");
            assert_eq!(automaton.is_match(line), expected, "{line:?}");
            found += usize::from(expected);
        }
        assert!(found >= 3, "{found}");
        let none = Begins::new(&[]).expect("builds");
        assert!(lines.iter().all(|line| !none.is_match(line)));
        // where the processor has Teddy, it is what the built-in clutter patterns get (or
        // the comparison above would be of the automaton with itself)
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            assert!(matches!(packed, Begins::Packed(_)));
            let gazetteer = crate::gazetteer::Gazetteer::builtin().expect("built-in data loads");
            assert!(matches!(
                gazetteer.line_rules.anywhere_begins,
                Some(Begins::Packed(_))
            ));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn clutter_rules_match_what_one_set_of_them_all_matches(
            line in proptest::collection::vec(proptest::sample::select(CLUTTER_PIECES), 1..12)
        ) {
            let line = line.concat();
            static RULES: std::sync::LazyLock<(LineRules, RegexSet)> = std::sync::LazyLock::new(|| {
                let patterns = builtin_clutter();
                (
                    LineRules::new(&patterns).expect("compiles"),
                    RegexSet::new(&patterns).expect("compiles"),
                )
            });
            prop_assert_eq!(RULES.0.is_clutter(&line), RULES.1.is_match(&line), "{:?}", line);
        }
    }

    fn sentences(line: &str) -> Vec<&str> {
        split_sentences(line)
            .into_iter()
            .map(|s| s.text(line))
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        assert_eq!(
            sentences("H.E. Mr. Jens Stoltenberg met Gen. Christopher G. Cavoli. They talked."),
            vec![
                "H.E. Mr. Jens Stoltenberg met Gen. Christopher G. Cavoli.",
                "They talked."
            ]
        );
    }

    #[test]
    fn times_split_only_before_a_new_sentence() {
        assert_eq!(
            sentences("At 7:10 p.m. JST the talks began at 6 p.m. The overview is as follows."),
            vec![
                "At 7:10 p.m. JST the talks began at 6 p.m.",
                "The overview is as follows."
            ]
        );
    }

    #[test]
    fn parentheses_and_quotes_stay_whole() {
        assert_eq!(
            sentences("He said \"We agree.\" Then (on 25 June. JST) they met."),
            vec!["He said \"We agree.\"", "Then (on 25 June. JST) they met."]
        );
    }

    #[test]
    fn list_numbers_are_not_sentences() {
        assert_eq!(
            sentences("1. On April 4th, X met Y."),
            vec!["1. On April 4th, X met Y."]
        );
    }

    #[test]
    fn lines_are_classified() {
        let rules = LineRules::new(&["^Back to ".to_string()]).unwrap();
        let body = "Japan-NATO Meeting\n\nBack to Press Releases\nMinister:\nThe two met. They talked.\nPhoto of the leaders";
        let seg = segment(body, &rules);
        let kinds: Vec<LineKind> = seg.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LineKind::Short,
                LineKind::Blank,
                LineKind::Clutter,
                LineKind::Label,
                LineKind::Prose,
                LineKind::Short
            ]
        );
        let prose: Vec<&str> = seg.prose().map(|s| s.span.text(body)).collect();
        assert_eq!(prose, vec!["The two met.", "They talked."]);
    }

    #[test]
    fn a_cut_off_last_line_is_prose() {
        let rules = LineRules::new(&[]).unwrap();
        let body = "Title\nBoth sides exchanged views on regional si";
        let seg = segment(body, &rules);
        assert_eq!(seg.lines[1].kind, LineKind::Prose);
    }
}
