//! The twelve written forms of a date that `dates::find_dates` reads, matched by hand.
//!
//! Each form is what a regular expression says (the expression is in the comment of its
//! `Form` variant; `find_all_by_regex` compiles them, and the tests hold the hand matchers to
//! them). They were only regexes until extraction had to reach 20 MB/s: run per sentence,
//! twelve searches, a set search and a capture pass cost a fifth of extraction, while a form
//! can only begin at the start of a word, and most words rule every form out at once.
//! Matching here follows the regex crate's rules: `\b` is an ASCII word boundary (as
//! `text::pattern` compiles every pattern), `\s` is any Unicode white space, the first
//! alternative that lets the rest match wins, and a search resumes where its last match ended.
//! Letters are compared caseless in ASCII and `\d` is an ASCII digit; where the regexes would
//! read a text differently (a long s, a Kelvin sign, a digit of another script:
//! `needs_regexes`), `find_dates` gives that text to the regexes instead.

use crate::text::{Span, pattern};
use regex::Regex;
use std::sync::LazyLock;

/// The forms, in the order `find_dates` tries them (an earlier form's match wins words over a
/// later one's). `(?i)` marks a caseless form; MONTHS and WEEKDAYS are the English names and
/// abbreviations of `MONTH_NAMES` and `WEEKDAY_NAMES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `\b(\d{4})-(\d{2})-(\d{2})\b`
    Iso,
    /// `\b(\d{1,2})([/.])(\d{1,2})[/.](\d{4})\b`
    Slashed,
    /// `(?i)\b(?:(WEEKDAYS),?\s+)?(MONTHS)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{4})\b`
    MonthDayYear,
    /// `(?i)\b(?:(WEEKDAYS),?\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(MONTHS)\.?,?\s+(\d{4})\b`
    DayMonthYear,
    /// `(?i)\b[Ff]rom\s+(MONTHS)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s+(?:to|until|till|through|-|–)\s+(?:(MONTHS)\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?\b`
    RangeMonthFirst,
    /// `(?i)\b(?:(WEEKDAYS),?\s+)?(MONTHS)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b`
    MonthDay,
    /// `(?i)\b(?:(WEEKDAYS),?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(MONTHS)\b\.?`
    DayMonth,
    /// `(?i)\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+of\s+(MONTHS)\b`
    OrdinalOfMonth,
    /// `(?i)\b(MONTHS)\.?\s+(\d{4})\b`
    MonthYear,
    /// `\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b` (not caseless)
    DayOnly,
    /// `(?i)\b(WEEKDAYS)\b`
    Weekday,
    /// `(?i)\b(today|tonight|this (?:morning|afternoon|evening)|yesterday|tomorrow|the (?:next|following|previous) day|the day before)\b`
    Relative,
}

impl Form {
    /// Its place in `ALL` (the variants are declared in that order).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Month names in the order the alternation lists them: a full name before its abbreviation,
/// "Sept" before "Sep".
pub const MONTH_NAMES: [&str; 24] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
];

pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const ORDINALS: [&str; 10] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

const RELATIVES: [&str; 11] = [
    "today",
    "tonight",
    "this morning",
    "this afternoon",
    "this evening",
    "yesterday",
    "tomorrow",
    "the next day",
    "the following day",
    "the previous day",
    "the day before",
];

const RANGE_WORDS: [&str; 4] = ["to", "until", "till", "through"];

/// One match of a form: its whole span and its numbered groups (`group(1)` is the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormMatch {
    pub span: Span,
    groups: [Option<Span>; 4],
}

impl FormMatch {
    /// Group `index` (from 1), if it took part in the match.
    pub fn group(&self, index: usize) -> Option<Span> {
        index
            .checked_sub(1)
            .and_then(|i| self.groups.get(i).copied().flatten())
    }
}

/// A sentence's bytes with the few tests the forms are made of.
#[derive(Clone, Copy)]
struct Text<'t> {
    text: &'t str,
    bytes: &'t [u8],
}

/// Each byte's class: not part of a word, part of a word no form begins with, part of a word
/// that may begin one (a digit, or the first letter of some month, weekday, ordinal,
/// relative-day word, "the" or "from"), or the first byte of a character outside ASCII (not
/// part of a word either, under ASCII word boundaries).
const NOT_WORD: u8 = 0;
/// (the classes of word bytes are odd: a byte is part of a word when its class has bit 0)
const WORD: u8 = 1;
const MAY_BEGIN: u8 = 3;
const LEADS_CHARACTER: u8 = 4;

static BYTE_CLASS: [u8; 256] = {
    let mut classes = [NOT_WORD; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_digit()
            || matches!(
                b.to_ascii_lowercase(),
                b'a' | b'd' | b'e' | b'f' | b'j' | b'm' | b'n' | b'o' | b's' | b't' | b'w' | b'y'
            )
        {
            classes[byte] = MAY_BEGIN;
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            classes[byte] = WORD;
        } else if b >= 0xC0 {
            classes[byte] = LEADS_CHARACTER;
        }
        byte += 1;
    }
    classes
};

fn is_word(byte: u8) -> bool {
    BYTE_CLASS[byte as usize] & WORD != 0
}

impl<'t> Text<'t> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// An ASCII word boundary at `at`.
    fn boundary(&self, at: usize) -> bool {
        let before = at > 0 && self.byte(at - 1).is_some_and(is_word);
        let after = self.byte(at).is_some_and(is_word);
        before != after
    }

    /// `word` at `at`, caseless in ASCII: where it ends.
    fn literal(&self, at: usize, word: &str) -> Option<usize> {
        let end = at + word.len();
        let here = self.bytes.get(at..end)?;
        here.eq_ignore_ascii_case(word.as_bytes()).then_some(end)
    }

    /// `byte` at `at`: where it ends.
    fn byte_is(&self, at: usize, byte: u8) -> Option<usize> {
        (self.byte(at) == Some(byte)).then_some(at + 1)
    }

    /// The length of the white-space character at `at`, 0 if there is none.
    fn space_len(&self, at: usize) -> usize {
        match self.byte(at) {
            Some(b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') => 1,
            Some(b) if b >= 0x80 => self
                .text
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
            _ => 0,
        }
    }

    /// `\s*`: what follows is never white space, so all of it is taken.
    fn spaces(&self, mut at: usize) -> usize {
        loop {
            let len = self.space_len(at);
            if len == 0 {
                return at;
            }
            at += len;
        }
    }

    /// `\s+`.
    fn spaces1(&self, at: usize) -> Option<usize> {
        let end = self.spaces(at);
        (end > at).then_some(end)
    }

    fn digits(&self, at: usize) -> usize {
        self.bytes.get(at..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    }

    /// `\d{n}`.
    fn exactly(&self, at: usize, n: usize) -> Option<usize> {
        (self.digits(at) >= n).then_some(at + n)
    }

    /// `\d{1,2}`, greedy: the ends to try, longest first.
    fn one_or_two(&self, at: usize) -> impl Iterator<Item = usize> {
        let run = self.digits(at).min(2);
        (1..=run).rev().map(move |n| at + n)
    }

    /// `(?:st|nd|rd|th)?`, caseless or not: the ends to try, with the suffix first.
    fn suffix(&self, at: usize, caseless: bool) -> impl Iterator<Item = usize> {
        let with = ["st", "nd", "rd", "th"].iter().find_map(|s| {
            if caseless {
                self.literal(at, s)
            } else {
                (self.bytes.get(at..at + 2) == Some(s.as_bytes())).then_some(at + 2)
            }
        });
        with.into_iter().chain(std::iter::once(at))
    }

    /// Where the word (a run of ASCII word characters) at `at` ends.
    fn word_end(&self, mut at: usize) -> usize {
        while at < self.bytes.len() && is_word(self.bytes[at]) {
            at += 1;
        }
        at
    }

    /// The one of `words` (caseless) that is the whole word at `at`: (end, index). Every form
    /// follows a month, weekday, ordinal or range word with something that is not a word
    /// character, so of an alternation of such words only the one spelling the whole word
    /// can lead to a match ("Jan" in "January" cannot).
    fn whole_word(&self, at: usize, words: &[&str]) -> Option<usize> {
        let end = self.word_end(at);
        let word = &self.bytes[at.min(end)..end];
        words
            .iter()
            .any(|w| w.len() == word.len() && w.as_bytes().eq_ignore_ascii_case(word))
            .then_some(end)
    }

    /// `whole_word` as the alternatives to try in turn (there is one at most); a form's loop
    /// over them reads as the regex's alternation does.
    fn alternatives(&self, at: usize, words: &[&str]) -> impl Iterator<Item = usize> + use<> {
        self.whole_word(at, words).into_iter()
    }

    /// `(?:to|until|till|through|-|–)`: where it ends.
    fn range_word(&self, at: usize) -> Option<usize> {
        match self.byte(at)? {
            b'-' => Some(at + 1),
            _ if self.bytes[at..].starts_with("–".as_bytes()) => Some(at + "–".len()),
            _ => self.whole_word(at, &RANGE_WORDS),
        }
    }

    /// The ends of those of `words` found at `at`, in their order.
    fn any_of<'w>(&'w self, at: usize, words: &'w [&'w str]) -> impl Iterator<Item = usize> + 'w {
        words.iter().filter_map(move |w| self.literal(at, w))
    }

    /// `X?` for a single byte: the ends to try, with the byte first.
    fn optional_byte(&self, at: usize, byte: u8) -> impl Iterator<Item = usize> {
        self.byte_is(at, byte)
            .into_iter()
            .chain(std::iter::once(at))
    }
}

/// What the first letters of a word say it could be, as bits.
const DIGIT: u8 = 1;
const MONTH: u8 = 2;
const WEEKDAY: u8 = 4;
const THE: u8 = 8;
const FROM: u8 = 16;
const ORDINAL: u8 = 32;
const RELATIVE: u8 = 64;

/// The kinds of the whole word `word` (ASCII word characters). Every form begins with one of
/// these, and most words of a sentence are none of them. "the" and "this" count only before a
/// word that can follow them in some form.
fn kinds(t: Text, word_start: usize, word_end: usize) -> u8 {
    let word = &t.bytes[word_start..word_end];
    match word.first() {
        Some(first) if first.is_ascii_digit() => return DIGIT,
        // no word of a date is shorter than "the" or longer than "September"
        _ if !(3..=9).contains(&word.len()) => return 0,
        _ => {}
    }
    let mut buffer = [0u8; 9];
    for (lower, byte) in buffer.iter_mut().zip(word) {
        *lower = byte.to_ascii_lowercase();
    }
    match &buffer[..word.len()] {
        b"january" | b"february" | b"march" | b"april" | b"may" | b"june" | b"july" | b"august"
        | b"september" | b"october" | b"november" | b"december" | b"jan" | b"feb" | b"mar"
        | b"apr" | b"jun" | b"jul" | b"aug" | b"sept" | b"sep" | b"oct" | b"nov" | b"dec" => MONTH,
        b"monday" | b"tuesday" | b"wednesday" | b"thursday" | b"friday" | b"saturday"
        | b"sunday" => WEEKDAY,
        b"first" | b"second" | b"third" | b"fourth" | b"fifth" | b"sixth" | b"seventh"
        | b"eighth" | b"ninth" | b"tenth" => ORDINAL,
        b"from" => FROM,
        b"today" | b"tonight" | b"yesterday" | b"tomorrow" => RELATIVE,
        b"the" | b"this" => {
            let next_start = t.spaces(word_end);
            if next_start == word_end {
                return 0;
            }
            let next_end = t.word_end(next_start);
            let next = &t.bytes[next_start..next_end];
            // the next word in lower case, as the main match has the word (no word it is
            // compared with is longer than nine letters)
            let mut next_buffer = [0u8; 9];
            let next_lower: &[u8] = if next.len() <= next_buffer.len() {
                for (lower, byte) in next_buffer.iter_mut().zip(next) {
                    *lower = byte.to_ascii_lowercase();
                }
                &next_buffer[..next.len()]
            } else {
                &[]
            };
            if word.len() == 4 {
                return match next_lower {
                    b"morning" | b"afternoon" | b"evening" => RELATIVE,
                    _ => 0,
                };
            }
            if next.first().is_some_and(u8::is_ascii_digit) {
                return THE;
            }
            match next_lower {
                b"first" | b"second" | b"third" | b"fourth" | b"fifth" | b"sixth" | b"seventh"
                | b"eighth" | b"ninth" | b"tenth" => THE,
                b"next" | b"following" | b"previous" | b"day" => RELATIVE,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// The kinds of word a form can begin with.
fn begins(form: Form) -> u8 {
    match form {
        Form::Iso | Form::Slashed => DIGIT,
        Form::MonthDayYear | Form::MonthDay => MONTH | WEEKDAY,
        Form::DayMonthYear => DIGIT | WEEKDAY | THE,
        Form::DayMonth => DIGIT | WEEKDAY,
        Form::RangeMonthFirst => FROM,
        Form::OrdinalOfMonth => THE | ORDINAL,
        Form::MonthYear => MONTH,
        Form::DayOnly => THE,
        Form::Weekday => WEEKDAY,
        Form::Relative => RELATIVE,
    }
}

/// A sentence's words that could begin a date, found once for all twelve forms.
pub struct Words<'t> {
    text: Text<'t>,
    /// (where the word starts, its kinds)
    starts: Vec<(usize, u8)>,
    /// The text has a character the regexes read otherwise (see `needs_regexes`).
    pub needs_regexes: bool,
}

impl<'t> Words<'t> {
    pub fn of(text: &'t str) -> Words<'t> {
        let t = Text {
            text,
            bytes: text.as_bytes(),
        };
        let mut starts = Vec::new();
        let mut needs_regexes = false;
        let mut at = 0;
        while at < t.bytes.len() {
            let class = BYTE_CLASS[t.bytes[at] as usize];
            if class == NOT_WORD {
                at += 1;
                continue;
            }
            if class == LEADS_CHARACTER {
                needs_regexes |= text[at..].chars().next().is_some_and(misread);
                at += 1;
                continue;
            }
            let end = t.word_end(at + 1);
            if class == MAY_BEGIN {
                let kinds = kinds(t, at, end);
                if kinds != 0 {
                    starts.push((at, kinds));
                }
            }
            at = end;
        }
        Words {
            text: t,
            starts,
            needs_regexes,
        }
    }

    /// No word could begin a date.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The matches of every form (in the order of `ALL`), each left to right, as the regex
    /// crate's `find_iter` and `captures_at` would give them: a form's search resumes where
    /// its last match ended.
    pub fn find_all(&self) -> [Vec<FormMatch>; 12] {
        let mut found: [Vec<FormMatch>; 12] = Default::default();
        let mut resume = [0usize; 12];
        for &(at, kinds) in &self.starts {
            for (index, form) in ALL.iter().enumerate() {
                if at < resume[index] || kinds & begins(*form) == 0 {
                    continue;
                }
                if let Some(m) = match_at(*form, self.text, at, kinds) {
                    resume[index] = m.span.end;
                    found[index].push(m);
                }
            }
        }
        found
    }
}

/// The matches of `form` in `text` (see `Words::find_all`).
#[cfg(test)]
pub fn find(form: Form, text: &str) -> Vec<FormMatch> {
    let mut found = Words::of(text).find_all();
    std::mem::take(&mut found[form.index()])
}

/// Every form, in `find_dates`'s order.
pub const ALL: [Form; 12] = [
    Form::Iso,
    Form::Slashed,
    Form::MonthDayYear,
    Form::DayMonthYear,
    Form::RangeMonthFirst,
    Form::MonthDay,
    Form::DayMonth,
    Form::OrdinalOfMonth,
    Form::MonthYear,
    Form::DayOnly,
    Form::Weekday,
    Form::Relative,
];

fn span(start: usize, end: usize) -> Option<Span> {
    Some(Span::new(start, end))
}

fn done(start: usize, end: usize, groups: [Option<Span>; 4]) -> Option<FormMatch> {
    Some(FormMatch {
        span: Span::new(start, end),
        groups,
    })
}

/// `(WEEKDAYS),?\s+` at `at`: the weekday's span and where the spaces end.
fn weekday_prefix(t: Text, at: usize) -> Option<(Span, usize)> {
    let end = t.whole_word(at, &WEEKDAY_NAMES)?;
    // `,?` then `\s+`: a comma is never white space, so taking it is the only way
    let after_comma = t.byte_is(end, b',').unwrap_or(end);
    let rest = t.spaces1(after_comma)?;
    Some((Span::new(at, end), rest))
}

/// The match of `form` that starts at `start`, a word start of the `kinds` given (which
/// decide at once whether a weekday or "the" may come first).
fn match_at(form: Form, t: Text, start: usize, kinds: u8) -> Option<FormMatch> {
    let weekday_first = |t: Text, start: usize| {
        if kinds & WEEKDAY == 0 {
            None
        } else {
            weekday_prefix(t, start)
        }
    };
    match form {
        Form::Iso => {
            let y = t.exactly(start, 4)?;
            let m0 = t.byte_is(y, b'-')?;
            let m = t.exactly(m0, 2)?;
            let d0 = t.byte_is(m, b'-')?;
            let d = t.exactly(d0, 2)?;
            t.boundary(d).then_some(())?;
            done(start, d, [span(start, y), span(m0, m), span(d0, d), None])
        }
        Form::Slashed => {
            for a in t.one_or_two(start) {
                if !matches!(t.byte(a), Some(b'/' | b'.')) {
                    continue;
                }
                for b in t.one_or_two(a + 1) {
                    if !matches!(t.byte(b), Some(b'/' | b'.')) {
                        continue;
                    }
                    if let Some(y) = t.exactly(b + 1, 4)
                        && t.boundary(y)
                    {
                        return done(
                            start,
                            y,
                            [
                                span(start, a),
                                span(a, a + 1),
                                span(a + 1, b),
                                span(b + 1, y),
                            ],
                        );
                    }
                }
            }
            None
        }
        Form::MonthDayYear | Form::MonthDay => {
            let rest = |at: usize| -> Option<(Span, Span, Option<Span>, usize)> {
                for month_end in t.alternatives(at, &MONTH_NAMES) {
                    for dot in t.optional_byte(month_end, b'.') {
                        let Some(day_start) = t.spaces1(dot) else {
                            continue;
                        };
                        for day_end in t.one_or_two(day_start) {
                            for after_day in t.suffix(day_end, true) {
                                let month = Span::new(at, month_end);
                                let day = Span::new(day_start, day_end);
                                if form == Form::MonthDay {
                                    if t.boundary(after_day) {
                                        return Some((month, day, None, after_day));
                                    }
                                    continue;
                                }
                                // `(?:,\s*|\s+)(\d{4})\b`
                                let year_start = match t.byte_is(after_day, b',') {
                                    Some(comma) => Some(t.spaces(comma)),
                                    None => t.spaces1(after_day),
                                };
                                if let Some(year_start) = year_start
                                    && let Some(year_end) = t.exactly(year_start, 4)
                                    && t.boundary(year_end)
                                {
                                    let year = Span::new(year_start, year_end);
                                    return Some((month, day, Some(year), year_end));
                                }
                            }
                        }
                    }
                }
                None
            };
            if let Some((weekday, at)) = weekday_first(t, start)
                && let Some((month, day, year, end)) = rest(at)
            {
                return done(start, end, [Some(weekday), Some(month), Some(day), year]);
            }
            let (month, day, year, end) = rest(start)?;
            done(start, end, [None, Some(month), Some(day), year])
        }
        Form::DayMonthYear | Form::DayMonth => {
            let rest = |at: usize| -> Option<(Span, Span, Option<Span>, usize)> {
                let the = t
                    .literal(at, "the")
                    .and_then(|end| t.spaces1(end))
                    .into_iter();
                for day_start in the.chain(std::iter::once(at)) {
                    if form == Form::DayMonth && day_start != at {
                        continue; // day_month has no "the"
                    }
                    for day_end in t.one_or_two(day_start) {
                        for after_day in t.suffix(day_end, true) {
                            let Some(after_spaces) = t.spaces1(after_day) else {
                                continue;
                            };
                            let of = t
                                .literal(after_spaces, "of")
                                .and_then(|end| t.spaces1(end))
                                .into_iter();
                            for month_start in of.chain(std::iter::once(after_spaces)) {
                                for month_end in t.alternatives(month_start, &MONTH_NAMES) {
                                    let day = Span::new(day_start, day_end);
                                    let month = Span::new(month_start, month_end);
                                    if form == Form::DayMonth {
                                        // `\b\.?`
                                        if t.boundary(month_end) {
                                            let end =
                                                t.byte_is(month_end, b'.').unwrap_or(month_end);
                                            return Some((day, month, None, end));
                                        }
                                        continue;
                                    }
                                    for dot in t.optional_byte(month_end, b'.') {
                                        for comma in t.optional_byte(dot, b',') {
                                            if let Some(year_start) = t.spaces1(comma)
                                                && let Some(year_end) = t.exactly(year_start, 4)
                                                && t.boundary(year_end)
                                            {
                                                let year = Span::new(year_start, year_end);
                                                return Some((day, month, Some(year), year_end));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                None
            };
            if let Some((weekday, at)) = weekday_first(t, start)
                && let Some((day, month, year, end)) = rest(at)
            {
                return done(start, end, [Some(weekday), Some(day), Some(month), year]);
            }
            let (day, month, year, end) = rest(start)?;
            done(start, end, [None, Some(day), Some(month), year])
        }
        Form::RangeMonthFirst => {
            let from = t.literal(start, "from")?;
            let first_month_start = t.spaces1(from)?;
            for first_month_end in t.alternatives(first_month_start, &MONTH_NAMES) {
                for dot in t.optional_byte(first_month_end, b'.') {
                    let Some(day_start) = t.spaces1(dot) else {
                        continue;
                    };
                    for day_end in t.one_or_two(day_start) {
                        for after_day in t.suffix(day_end, true) {
                            let Some(word_start) = t.spaces1(after_day) else {
                                continue;
                            };
                            if let Some(word_end) = t.range_word(word_start) {
                                let Some(second) = t.spaces1(word_end) else {
                                    continue;
                                };
                                // `(?:(MONTHS)\.?\s+)?`, with the month first
                                let mut seconds: Vec<(Option<Span>, usize)> = Vec::new();
                                for month_end in t.alternatives(second, &MONTH_NAMES) {
                                    for dot in t.optional_byte(month_end, b'.') {
                                        if let Some(day_at) = t.spaces1(dot) {
                                            seconds.push((span(second, month_end), day_at));
                                        }
                                    }
                                }
                                seconds.push((None, second));
                                for (second_month, second_day_start) in seconds {
                                    for second_day_end in t.one_or_two(second_day_start) {
                                        for end in t.suffix(second_day_end, true) {
                                            if t.boundary(end) {
                                                return done(
                                                    start,
                                                    end,
                                                    [
                                                        span(first_month_start, first_month_end),
                                                        span(day_start, day_end),
                                                        second_month,
                                                        span(second_day_start, second_day_end),
                                                    ],
                                                );
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            None
        }
        Form::OrdinalOfMonth => {
            let the = t
                .literal(start, "the")
                .and_then(|end| t.spaces1(end))
                .into_iter();
            for ordinal_start in the.chain(std::iter::once(start)) {
                for ordinal_end in t.alternatives(ordinal_start, &ORDINALS) {
                    let Some(of) = t.spaces1(ordinal_end) else {
                        continue;
                    };
                    let Some(of_end) = t.literal(of, "of") else {
                        continue;
                    };
                    let Some(month_start) = t.spaces1(of_end) else {
                        continue;
                    };
                    for month_end in t.alternatives(month_start, &MONTH_NAMES) {
                        if t.boundary(month_end) {
                            return done(
                                start,
                                month_end,
                                [
                                    span(ordinal_start, ordinal_end),
                                    span(month_start, month_end),
                                    None,
                                    None,
                                ],
                            );
                        }
                    }
                }
            }
            None
        }
        Form::MonthYear => {
            for month_end in t.alternatives(start, &MONTH_NAMES) {
                for dot in t.optional_byte(month_end, b'.') {
                    if let Some(year_start) = t.spaces1(dot)
                        && let Some(year_end) = t.exactly(year_start, 4)
                        && t.boundary(year_end)
                    {
                        return done(
                            start,
                            year_end,
                            [
                                span(start, month_end),
                                span(year_start, year_end),
                                None,
                                None,
                            ],
                        );
                    }
                }
            }
            None
        }
        Form::DayOnly => {
            let the = t.bytes.get(start..start + 3).filter(|w| *w == b"the")?;
            let day_start = t.spaces1(start + the.len())?;
            for day_end in t.one_or_two(day_start) {
                for end in t.suffix(day_end, false) {
                    if end > day_end && t.boundary(end) {
                        return done(start, end, [span(day_start, day_end), None, None, None]);
                    }
                }
            }
            None
        }
        Form::Weekday => {
            let end = t
                .whole_word(start, &WEEKDAY_NAMES)
                .filter(|end| t.boundary(*end))?;
            done(start, end, [span(start, end), None, None, None])
        }
        Form::Relative => {
            let end = t.any_of(start, &RELATIVES).find(|end| t.boundary(*end))?;
            done(start, end, [span(start, end), None, None, None])
        }
    }
}

/// Does `text` need the regexes? (`Words::of` finds out on its way through the text; this is
/// the same test alone.) The hand matchers read letters caseless in ASCII and digits
/// in ASCII, where the regexes (`(?i)`, `\d`) read Unicode: the long s is an s to them, the
/// Kelvin sign a k, and a digit of another script a digit (so a match ran over it, and then
/// failed to parse). A text with any of these (rare in a release) is read by the regexes the
/// forms were, `find_all_by_regex`, so that nothing changes meaning.
#[cfg(test)]
pub fn needs_regexes(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(misread)
}

/// A character the regexes read as something the hand matchers do not (see `needs_regexes`).
fn misread(c: char) -> bool {
    c == '\u{17F}' || c == '\u{212A}' || (!c.is_ascii() && c.is_numeric())
}

const MONTHS: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";
const WEEKDAYS: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

/// The forms as regexes (in the order of `ALL`), compiled with ASCII word boundaries as every
/// extraction pattern is; compiled the first time a text needs them.
static REGEXES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let sources: [String; 12] = [
        r"\b(\d{4})-(\d{2})-(\d{2})\b".into(),
        r"\b(\d{1,2})([/.])(\d{1,2})[/.](\d{4})\b".into(),
        format!(
            r"(?i)\b(?:({WEEKDAYS}),?\s+)?({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{{4}})\b"
        ),
        format!(
            r"(?i)\b(?:({WEEKDAYS}),?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\.?,?\s+(\d{{4}})\b"
        ),
        format!(
            r"(?i)\b[Ff]rom\s+({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:to|until|till|through|-|–)\s+(?:({MONTHS})\.?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\b"
        ),
        format!(r"(?i)\b(?:({WEEKDAYS}),?\s+)?({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"),
        format!(
            r"(?i)\b(?:({WEEKDAYS}),?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\b\.?"
        ),
        format!(
            r"(?i)\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+of\s+({MONTHS})\b"
        ),
        format!(r"(?i)\b({MONTHS})\.?\s+(\d{{4}})\b"),
        r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b".into(),
        format!(r"(?i)\b({WEEKDAYS})\b"),
        r"(?i)\b(today|tonight|this (?:morning|afternoon|evening)|yesterday|tomorrow|the (?:next|following|previous) day|the day before)\b"
            .into(),
    ];
    sources
        .iter()
        .map(|source| pattern::compile(source).expect("date pattern compiles"))
        .collect()
});

/// The matches of every form (in the order of `ALL`), found by the regexes: each regex's
/// matches left to right, with their groups.
pub fn find_all_by_regex(text: &str) -> [Vec<FormMatch>; 12] {
    let mut found: [Vec<FormMatch>; 12] = Default::default();
    for (matches, regex) in found.iter_mut().zip(REGEXES.iter()) {
        *matches = regex
            .find_iter(text)
            .filter_map(|m| regex.captures_at(text, m.start()))
            .map(|c| {
                let group = |i: usize| c.get(i).map(|g| Span::new(g.start(), g.end()));
                FormMatch {
                    span: group(0).unwrap_or_default(),
                    groups: [group(1), group(2), group(3), group(4)],
                }
            })
            .collect();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// "the" and "this" are a kind of word only before the words a form follows them with,
    /// in any case: an ordinal or a number after "the", "next", "following", "previous" or
    /// "day" after it, a part of the day after "this".
    #[test]
    fn the_and_this_have_kinds_only_before_what_forms_follow_them_with() {
        let kinds_of = |text: &str| {
            let t = Text {
                text,
                bytes: text.as_bytes(),
            };
            let end = t.word_end(0);
            kinds(t, 0, end)
        };
        for ordinal in ORDINALS {
            for next in [ordinal.to_owned(), ordinal.to_uppercase()] {
                assert_eq!(kinds_of(&format!("the {next} of May")), THE, "{next}");
                assert_eq!(kinds_of(&format!("The  {next}")), THE, "{next}");
                assert_eq!(kinds_of(&format!("this {next}")), 0, "{next}");
            }
        }
        assert_eq!(kinds_of("the 3rd"), THE);
        for next in ["next", "Following", "PREVIOUS", "day"] {
            assert_eq!(kinds_of(&format!("the {next}")), RELATIVE, "{next}");
            assert_eq!(kinds_of(&format!("this {next}")), 0, "{next}");
        }
        for next in ["morning", "Afternoon", "EVENING"] {
            assert_eq!(kinds_of(&format!("this {next}")), RELATIVE, "{next}");
            assert_eq!(kinds_of(&format!("the {next}")), 0, "{next}");
        }
        for text in [
            "the firsts",
            "the fir",
            "the",
            "the ",
            "the meeting",
            "the afternoons",
            "this morningtide",
            "thenext",
        ] {
            assert_eq!(kinds_of(text), 0, "{text}");
        }
    }

    /// The hand matchers and the regexes find the same matches of every form in `text`.
    fn agree(text: &str) -> Result<(), TestCaseError> {
        let by_regex = find_all_by_regex(text);
        for (index, form) in ALL.iter().enumerate() {
            prop_assert_eq!(
                &find(*form, text),
                &by_regex[index],
                "{:?} in {:?}",
                form,
                text
            );
        }
        Ok(())
    }

    #[test]
    fn forms_are_numbered_in_the_order_they_are_tried() {
        for (index, form) in ALL.iter().enumerate() {
            assert_eq!(form.index(), index, "{form:?}");
        }
    }

    #[test]
    fn every_written_form_is_found_as_the_regexes_found_it() {
        for text in [
            "On Monday, April 15, 2013, the ministers met.",
            "Tuesday 15 April 2013; (06 May 2014) and 15th of Sept. 2014",
            "From January 30 to February 2nd, and from May 5 - 7 and from June 3 – July 4",
            "on the 5th, the first of May, the 14th Japan-NATO talks, May 2014",
            "2022-06-28 and 16/01/2017 or 1.2.2020, 123/4/2020, 12/34/20201",
            "today, this morning, yesterday, tomorrow, the next day, the day before, Mondays",
            "MAY 5TH, 2020 may 5 2020 Sept 5 sep. 5 Septe 5 Jan.5",
            "Monday\u{a0}15\u{2003}May\u{3000}2023 and Friday,  3 June",
        ] {
            agree(text).expect("forms agree with the regexes");
        }
    }

    fn one_of(choices: &[&'static str]) -> impl Strategy<Value = &'static str> + use<> {
        proptest::sample::select(choices.to_vec())
    }

    /// Pieces of dates put together the ways the forms write them, each piece sometimes
    /// missing, misspelt or in another case, with any separator between: text on which a
    /// small difference from the regexes shows.
    fn date_like() -> impl Strategy<Value = String> {
        let weekday = || one_of(&["", "Monday", "tuesday", "Mondays", "SUNDAY", "Fri"]);
        let month = || {
            one_of(&[
                "January", "jan", "Jan", "Sept", "SEP", "Septe", "May", "may", "Mayo", "December",
                "oct", "Augusta", "",
            ])
        };
        let day = || one_of(&["5", "15", "05", "123", "32", "1", "", "x5"]);
        let suffix = || one_of(&["", "", "st", "nd", "rd", "th", "TH", "St", "thx"]);
        let year = || one_of(&["2013", "20134", "201", "2020", "2020x", ""]);
        let sep = || {
            one_of(&[
                " ", " ", " ", "  ", ",", ", ", ". ", ".", "", "\u{a0}", "\n", "/", "-",
                "\u{3000}", "_",
            ])
        };
        let maybe =
            |word: &'static str| proptest::bool::ANY.prop_map(move |b| if b { word } else { "" });
        let month_first = (
            weekday(),
            sep(),
            month(),
            sep(),
            day(),
            suffix(),
            sep(),
            year(),
        )
            .prop_map(|p| [p.0, p.1, p.2, p.3, p.4, p.5, p.6, p.7].concat());
        let day_first = (
            (weekday(), sep(), maybe("the "), day(), suffix(), sep()),
            (maybe("of "), month(), sep(), sep(), year()),
        )
            .prop_map(|(a, b)| [a.0, a.1, a.2, a.3, a.4, a.5, b.0, b.1, b.2, b.3, b.4].concat());
        let range = (
            (
                one_of(&["from", "From", "FROM", "fro"]),
                sep(),
                month(),
                sep(),
                day(),
                suffix(),
            ),
            (
                sep(),
                one_of(&["to", "until", "till", "through", "-", "–", "and"]),
                sep(),
            ),
            (month(), sep(), day(), suffix(), sep()),
        )
            .prop_map(|(a, b, c)| {
                [
                    a.0, a.1, a.2, a.3, a.4, a.5, b.0, b.1, b.2, c.0, c.1, c.2, c.3, c.4,
                ]
                .concat()
            });
        let ordinal = (
            maybe("the"),
            sep(),
            one_of(&["first", "Second", "tenth", "fifth", "eleventh", "firsts"]),
            sep(),
            one_of(&["of", "Of", "off"]),
            sep(),
            month(),
        )
            .prop_map(|p| [p.0, p.1, p.2, p.3, p.4, p.5, p.6].concat());
        let numeric = (
            day(),
            one_of(&["/", ".", "-", "-0"]),
            day(),
            one_of(&["/", ".", "-"]),
            year(),
        )
            .prop_map(|p| [p.0, p.1, p.2, p.3, p.4].concat());
        let relative = one_of(&[
            "today",
            "Tonight",
            "this morning",
            "this  evening",
            "THIS AFTERNOON",
            "yesterday",
            "tomorrow",
            "the next day",
            "the following day",
            "The previous day",
            "the day before",
            "the day",
            "todays",
            "the 5th",
            "the 15th",
            "The 5th",
            "the 5 th",
            "the 123rd",
        ])
        .prop_map(str::to_owned);
        let filler = one_of(&[
            " ", " on ", ", ", ". ", " the ", "talks", " (", ") ", "é", "’", "x", "5",
        ])
        .prop_map(str::to_owned);
        proptest::collection::vec(
            prop_oneof![
                month_first,
                day_first,
                range,
                ordinal,
                numeric,
                relative,
                filler
            ],
            1..6,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]
        #[test]
        fn forms_agree_with_the_regexes_on_built_dates(text in date_like()) {
            agree(&text)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]
        #[test]
        fn forms_agree_with_the_regexes_on_date_like_text(
            pieces in proptest::collection::vec(
                prop_oneof![
                    // words of dates, in several cases and some near misses
                    Just("January"), Just("jan"), Just("Jan."), Just("Sept"), Just("SEP"),
                    Just("Septe"), Just("May"), Just("may"), Just("Mayo"), Just("December"),
                    Just("Monday"), Just("tuesday"), Just("Mondays"), Just("Sunday,"),
                    Just("the"), Just("The"), Just("of"), Just("Of"), Just("from"), Just("From"),
                    Just("FROM"), Just("to"), Just("until"), Just("till"), Just("through"),
                    Just("-"), Just("–"), Just("first"), Just("Tenth"), Just("third"),
                    Just("today"), Just("Tonight"), Just("this"), Just("morning"),
                    Just("evening"), Just("yesterday"), Just("tomorrow"), Just("next"),
                    Just("following"), Just("previous"), Just("day"), Just("before"),
                    Just("st"), Just("nd"), Just("TH"), Just("rd"),
                    // digits of every length the forms care about
                    Just("5"), Just("15"), Just("05"), Just("123"), Just("2013"), Just("20134"),
                    Just("32"), Just("06"), Just("12"),
                    // what sits between
                    Just(" "), Just(" "), Just(" "), Just("  "), Just(","), Just(", "),
                    Just("."), Just(". "), Just("/"), Just("-"), Just("\u{a0}"), Just("\n"),
                    Just("\u{3000}"), Just("("), Just(")"), Just("_"), Just("x"), Just("é"),
                    Just("’"), Just("talks"),
                ],
                1..14,
            )
        ) {
            agree(&pieces.concat())?;
        }
    }
}
