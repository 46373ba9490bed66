//! Clock times and durations as releases write them: "6:15 p.m.", "19:10 p.m.",
//! "10:05.p.m.", "07:21-07:30 P.M.", "12:30 local time (same day, 7:30 p.m. JST)",
//! "for around one hour and 40 minutes", "for just under 30 minutes", "from 10:05 to 10:50".
//!
//! `start_and_duration` picks the venue-local start and the length of a meeting from one
//! sentence: times in brackets that give another zone ("(on 25 June at 0:35 p.m. JST)") are
//! conversions, not the local time.

use crate::text::{Span, pattern};
use regex::Regex;
use std::sync::LazyLock;

/// A clock time, 24-hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime {
    pub hour: u32,
    pub minute: u32,
}

impl ClockTime {
    pub fn new(hour: u32, minute: u32) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(ClockTime { hour, minute })
    }

    /// `HH:MM`, as stored in `meetings.starts_at`.
    pub fn hhmm(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// Minutes after midnight.
    pub fn minutes(&self) -> u32 {
        self.hour * 60 + self.minute
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeMention {
    pub span: Span,
    pub time: ClockTime,
    /// End of a range ("07:21-07:30 P.M.", "from 10:05 to 10:50").
    pub until: Option<ClockTime>,
    /// In brackets naming another time zone, or followed by one: a conversion.
    pub converted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationMention {
    pub span: Span,
    pub minutes: u32,
}

const NUMBER: &str = r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty-five|fifty|sixty|seventy|eighty|ninety|(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine))";
const HEDGE: &str = r"(?:(?:around|approximately|approx\.|about|some|roughly|nearly|almost|just under|just over|over|more than|less than|under|a little (?:over|under|more than|less than)|an estimated)\s+)?";

struct Patterns {
    clock: Regex,
    dash_range: Regex,
    meridiem_after: Regex,
    range_24h: Regex,
    zone_after: Regex,
    zone_bracket: Regex,
    hours_minutes: Regex,
    minutes_only: Regex,
    half_hour: Regex,
    adjective: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let re = |p: String| pattern::compile(&p).expect("time pattern compiles");
    Patterns {
        // 6:15 p.m. | 19:10 p.m. | 10:05.p.m. | 07:21-07:30 P.M. | 6 p.m. | 12:30 | noon
        clock: re(r"(?i)\b(\d{1,2})(?:[:.](\d{2}))?(?:\s*[-–]\s*(\d{1,2})[:.](\d{2}))?(?:\s*\.?\s*([ap])\.?\s?m\b\.?)|\b(\d{1,2}):(\d{2})\b|\b(noon|midday|midnight)\b".into()),
        dash_range: re(r"\b(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\b".into()),
        meridiem_after: re(r"(?i)^\s*\.?\s*[ap]\.?\s?m\b".into()),
        range_24h: re(r"(?i)\bfrom\s+(?:just\s+(?:after|before)\s+)?(\d{1,2})[:.](\d{2})\s*(?:([ap])\.?\s?m\b\.?)?\s*(?:to|until|till|-|–)\s*(\d{1,2})[:.](\d{2})\s*(?:([ap])\.?\s?m\b\.?)?".into()),
        zone_after: re(r"^\s*\(?\s*(?:JST|GMT|UTC|CET|CEST|BST|EST|EDT|PST|PDT|KST|AEST|AEDT|Japan time|Japan Standard Time|Tokyo time)\b".into()),
        zone_bracket: re(r"(?i)\b(?:JST|GMT|UTC|CET|CEST|BST|EST|EDT|PST|PDT|KST|AEST|AEDT|Japan time|Japan Standard Time|Tokyo time)\b".into()),
        hours_minutes: re(format!(
            r"(?i)\b(?:for|lasted|lasting|lasts|took)\s+{HEDGE}(?:(one and a half|an hour and a half|one hour and a half|half an hour)|({NUMBER})\s*(?:-\s*)?hours?(?:\s+(?:and\s+)?({NUMBER})\s*(?:-\s*)?(?:minutes?|mins?))?)\b"
        )),
        minutes_only: re(format!(
            r"(?i)\b(?:for|lasted|lasting|lasts|took)\s+{HEDGE}({NUMBER})\s*(?:-\s*)?(?:minutes?|mins?)\b"
        )),
        half_hour: re(r"(?i)\b(?:for|lasted|lasting)\s+(?:about\s+|around\s+|approximately\s+)?half an hour\b".into()),
        adjective: re(format!(
            r"(?i)\b({NUMBER})-(minute|hour)(?:-long)?\b|\b({NUMBER})\s+(minute|hour)-long\b"
        )),
    }
});

/// The value of a number written in digits or words ("forty-five", "an").
pub fn number_value(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    if let Ok(n) = lower.parse::<f64>() {
        return Some(n);
    }
    let unit = |w: &str| -> Option<f64> {
        let words = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ];
        words.iter().position(|x| *x == w).map(|i| i as f64)
    };
    let tens = |w: &str| -> Option<f64> {
        let words = [
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        ];
        words
            .iter()
            .position(|x| *x == w)
            .map(|i| (i as f64 + 2.0) * 10.0)
    };
    match lower.as_str() {
        "a" | "an" => Some(1.0),
        w => {
            if let Some((t, u)) = w.split_once('-') {
                Some(tens(t)? + unit(u)?)
            } else {
                unit(w).or_else(|| tens(w))
            }
        }
    }
}

fn to_24h(hour: u32, minute: u32, meridiem: Option<char>) -> Option<ClockTime> {
    let hour = match meridiem {
        // "19:10 p.m." is already on the 24-hour clock; "0:35 p.m." means 12:35.
        Some('p') if hour == 0 => 12,
        Some('p') if hour < 12 => hour + 12,
        Some('a') if hour == 12 => 0,
        _ => hour,
    };
    ClockTime::new(hour, minute)
}

/// Which of the patterns could match `text`, by the words each one needs (caseless in ASCII;
/// the only letter of these words that Unicode case folding shares with a letter outside
/// ASCII is the s of "mins"/"minutes", the long s, and `minute_unit` needs no s). A pattern that cannot match
/// is not run: most clauses lack most of these words, and each search costs as much as
/// reading the clause several times.
#[derive(Default)]
struct Needs {
    /// An ASCII digit: every clock time but "noon" has one (a time written in other digits
    /// never parsed as one).
    digit: bool,
    from: bool,
    colon_and_dash: bool,
    noon: bool,
    hour: bool,
    one_and_a_half: bool,
    half_an_hour: bool,
    minute_unit: bool,
    unit_adjective: bool,
}

/// The bytes `Needs::of` looks at.
static NEEDS_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"0123456789:-fFnNmMhHoO\xE2";
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
};

impl Needs {
    /// One pass over the bytes, looking further only at the letters the words begin with.
    fn of(text: &str) -> Needs {
        let bytes = text.as_bytes();
        // `word` at `i`, caseless; its first letter is known to match, so the second is
        // compared before the rest (most letters start no word here)
        let at = |i: usize, word: &str| {
            let word = word.as_bytes();
            bytes
                .get(i + 1)
                .is_some_and(|b| b.to_ascii_lowercase() == word[1])
                && bytes
                    .get(i..i + word.len())
                    .is_some_and(|here| here.eq_ignore_ascii_case(word))
        };
        let mut needs = Needs::default();
        let (mut colon, mut dash) = (false, false);
        for (i, &byte) in bytes.iter().enumerate() {
            // most bytes are none of those below: one look-up passes them, where the match
            // alone was a jump through a table at every byte, often mispredicted
            if !NEEDS_BYTES[usize::from(byte)] {
                continue;
            }
            match byte {
                b'0'..=b'9' => needs.digit = true,
                b':' => colon = true,
                b'-' => {
                    dash = true;
                    needs.unit_adjective |= at(i, "-minute") || at(i, "-hour");
                }
                0xE2 => dash |= bytes[i..].starts_with("–".as_bytes()),
                b'f' | b'F' => needs.from |= at(i, "from"),
                b'n' | b'N' => needs.noon |= at(i, "noon"),
                b'm' | b'M' if at(i, "mi") => {
                    needs.noon |= at(i, "midday") || at(i, "midnight");
                    needs.minute_unit |= minute_unit(&bytes[i..]);
                    needs.unit_adjective |= at(i, "minute-long");
                }
                b'h' | b'H' => {
                    needs.hour |= at(i, "hour");
                    needs.unit_adjective |= at(i, "hour-long");
                    needs.half_an_hour |= at(i, "half an hour");
                }
                b'o' | b'O' => needs.one_and_a_half |= at(i, "one and a half"),
                _ => {}
            }
        }
        needs.colon_and_dash = colon && dash;
        needs
    }
}

/// Does `rest` begin with `(?:minutes?|mins?)\b`, caseless (not the "min" of "minister")?
fn minute_unit(rest: &[u8]) -> bool {
    let Some(after) = rest
        .get(..3)
        .filter(|w| w.eq_ignore_ascii_case(b"min"))
        .map(|_| &rest[3..])
    else {
        return false;
    };
    if after
        .get(..3)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"ute"))
    {
        return true;
    }
    let after = match after.first() {
        Some(b's' | b'S') => &after[1..],
        _ => after,
    };
    after
        .first()
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// The matches of `regex` in `text`, or none without a search when it `may_match` not.
fn searched<'t>(
    regex: &Regex,
    text: &'t str,
    may_match: bool,
) -> impl Iterator<Item = regex::Captures<'t>> {
    may_match
        .then(|| regex.captures_iter(text))
        .into_iter()
        .flatten()
}

/// Every clock time in `text`, ranges included.
pub fn find_times(text: &str) -> Vec<TimeMention> {
    find_times_with(text, &Needs::of(text))
}

fn find_times_with(text: &str, needs: &Needs) -> Vec<TimeMention> {
    let p = &*PATTERNS;
    let mut found: Vec<TimeMention> = Vec::new();
    if !needs.digit && !needs.noon {
        return found;
    }
    let num = |m: Option<regex::Match>| m.and_then(|m| m.as_str().parse::<u32>().ok());
    let meridiem = |m: Option<regex::Match>| {
        m.and_then(|m| m.as_str().chars().next())
            .map(|c| c.to_ascii_lowercase())
    };
    let ranges = needs.digit && needs.from;
    for c in searched(&p.range_24h, text, ranges) {
        let Some(whole) = c.get(0) else { continue };
        let end_meridiem = meridiem(c.get(6));
        let start_meridiem = meridiem(c.get(3)).or(end_meridiem);
        let (Some(h1), Some(m1), Some(h2), Some(m2)) =
            (num(c.get(1)), num(c.get(2)), num(c.get(4)), num(c.get(5)))
        else {
            continue;
        };
        if let (Some(start), Some(end)) =
            (to_24h(h1, m1, start_meridiem), to_24h(h2, m2, end_meridiem))
        {
            found.push(TimeMention {
                span: Span::new(whole.start(), whole.end()),
                time: start,
                until: Some(end),
                converted: false,
            });
        }
    }
    // "10:10-10:55": a range on the 24-hour clock
    let dashes = needs.digit && needs.colon_and_dash;
    for c in searched(&p.dash_range, text, dashes) {
        let Some(whole) = c.get(0) else { continue };
        if p.meridiem_after.is_match(&text[whole.end()..]) {
            continue; // "07:21-07:30 P.M." is read below
        }
        let span = Span::new(whole.start(), whole.end());
        if found
            .iter()
            .any(|f| f.span.start < span.end && span.start < f.span.end)
        {
            continue;
        }
        if let (Some(h1), Some(m1), Some(h2), Some(m2)) =
            (num(c.get(1)), num(c.get(2)), num(c.get(3)), num(c.get(4)))
            && let (Some(start), Some(end)) = (ClockTime::new(h1, m1), ClockTime::new(h2, m2))
        {
            found.push(TimeMention {
                span,
                time: start,
                until: Some(end),
                converted: false,
            });
        }
    }
    for c in p.clock.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let span = Span::new(whole.start(), whole.end());
        if found
            .iter()
            .any(|f| f.span.start < span.end && span.start < f.span.end)
        {
            continue;
        }
        let mention = if let Some(word) = c.get(8) {
            let time = match word.as_str().to_ascii_lowercase().as_str() {
                "midnight" => ClockTime::new(0, 0),
                _ => ClockTime::new(12, 0),
            };
            time.map(|time| TimeMention {
                span,
                time,
                until: None,
                converted: false,
            })
        } else if let (Some(h), Some(m)) = (num(c.get(6)), num(c.get(7))) {
            ClockTime::new(h, m).map(|time| TimeMention {
                span,
                time,
                until: None,
                converted: false,
            })
        } else {
            let m = meridiem(c.get(5));
            let hour = num(c.get(1));
            let minute = num(c.get(2)).unwrap_or(0);
            let until = match (num(c.get(3)), num(c.get(4))) {
                (Some(h2), Some(m2)) => to_24h(h2, m2, m),
                _ => None,
            };
            hour.and_then(|h| to_24h(h, minute, m))
                .map(|time| TimeMention {
                    span,
                    time,
                    until,
                    converted: false,
                })
        };
        if let Some(mention) = mention {
            found.push(mention);
        }
    }
    found.sort_by_key(|m| m.span.start);
    // Mark conversions: inside brackets that name a zone, or directly followed by a zone.
    for mention in &mut found {
        if p.zone_after.is_match(&text[mention.span.end..]) {
            mention.converted = true;
        }
        if let Some(bracket) = enclosing_brackets(text, mention.span)
            && p.zone_bracket.is_match(bracket.text(text))
        {
            mention.converted = true;
        }
    }
    found
}

/// The innermost round brackets around `span`, if any.
fn enclosing_brackets(text: &str, span: Span) -> Option<Span> {
    let open = text[..span.start].rfind('(')?;
    if text[open..span.start].contains(')') {
        return None;
    }
    let close = text[span.end..]
        .find(')')
        .map_or(text.len(), |i| span.end + i + 1);
    Some(Span::new(open, close))
}

/// Spans of the brackets in `text` that name another time zone ("(on 25 June at 0:35 p.m.
/// JST)"): what is inside is a conversion, not the venue's own date or time.
pub fn converted_brackets(text: &str) -> Vec<Span> {
    let p = &*PATTERNS;
    let mut out = Vec::new();
    // most sentences have no brackets: one vectorised search says so
    if !text.contains('(') {
        return out;
    }
    let mut depth_start: Vec<usize> = Vec::new();
    // brackets are ASCII, and a byte of a longer character never is
    let bytes = text.as_bytes();
    for i in memchr::memchr2_iter(b'(', b')', bytes) {
        match bytes[i] {
            b'(' => depth_start.push(i),
            b')' => {
                if let Some(open) = depth_start.pop() {
                    let span = Span::new(open, i + 1);
                    if p.zone_bracket.is_match(span.text(text)) {
                        out.push(span);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every stated duration in `text` ("for around 30 minutes", "lasted an hour").
pub fn find_durations(text: &str) -> Vec<DurationMention> {
    find_durations_with(text, &Needs::of(text))
}

fn find_durations_with(text: &str, needs: &Needs) -> Vec<DurationMention> {
    let p = &*PATTERNS;
    let mut found: Vec<DurationMention> = Vec::new();
    let overlaps = |found: &[DurationMention], span: Span| {
        found
            .iter()
            .any(|f| f.span.start < span.end && span.start < f.span.end)
    };
    let hours = needs.hour || needs.one_and_a_half;
    for c in searched(&p.hours_minutes, text, hours) {
        let Some(whole) = c.get(0) else { continue };
        let minutes = if c.get(1).is_some() {
            let phrase = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
            if phrase == "half an hour" { 30.0 } else { 90.0 }
        } else {
            let hours = c
                .get(2)
                .and_then(|m| number_value(m.as_str()))
                .unwrap_or(0.0);
            let extra = c
                .get(3)
                .and_then(|m| number_value(m.as_str()))
                .unwrap_or(0.0);
            hours * 60.0 + extra
        };
        let span = Span::new(whole.start(), whole.end());
        if minutes > 0.0 && !overlaps(&found, span) {
            found.push(DurationMention {
                span,
                minutes: minutes.round() as u32,
            });
        }
    }
    for c in searched(&p.minutes_only, text, needs.minute_unit) {
        let Some(whole) = c.get(0) else { continue };
        let span = Span::new(whole.start(), whole.end());
        if let Some(n) = c.get(1).and_then(|m| number_value(m.as_str()))
            && n > 0.0
            && !overlaps(&found, span)
        {
            found.push(DurationMention {
                span,
                minutes: n.round() as u32,
            });
        }
    }
    for c in searched(&p.half_hour, text, needs.half_an_hour) {
        let Some(whole) = c.get(0) else { continue };
        let span = Span::new(whole.start(), whole.end());
        if !overlaps(&found, span) {
            found.push(DurationMention { span, minutes: 30 });
        }
    }
    for c in searched(&p.adjective, text, needs.unit_adjective) {
        let Some(whole) = c.get(0) else { continue };
        let span = Span::new(whole.start(), whole.end());
        let (n, unit) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(n), Some(u), _, _) | (_, _, Some(n), Some(u)) => (n.as_str(), u.as_str()),
            _ => continue,
        };
        if let Some(n) = number_value(n)
            && n > 0.0
            && !overlaps(&found, span)
        {
            let minutes = if unit.eq_ignore_ascii_case("hour") {
                n * 60.0
            } else {
                n
            };
            found.push(DurationMention {
                span,
                minutes: minutes.round() as u32,
            });
        }
    }
    found.sort_by_key(|m| m.span.start);
    found
}

/// A start time or a duration, with the words that gave it.
pub type Found<T> = Option<(T, Span)>;

/// The local start time and the duration a sentence gives for a meeting, each with its span.
pub fn start_and_duration(text: &str) -> (Found<ClockTime>, Found<u32>) {
    let needs = Needs::of(text);
    let times = find_times_with(text, &needs);
    let local = times
        .iter()
        .find(|t| !t.converted)
        .or_else(|| times.first());
    let start = local.map(|t| (t.time, t.span));
    let duration = find_durations_with(text, &needs)
        .first()
        .map(|d| (d.minutes, d.span))
        .or_else(|| {
            let t = local?;
            let until = t.until?;
            let mut minutes = until.minutes() as i64 - t.time.minutes() as i64;
            if minutes < 0 {
                minutes += 24 * 60;
            }
            (minutes > 0).then_some((minutes as u32, t.span))
        });
    (start, duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(text: &str) -> Option<String> {
        start_and_duration(text).0.map(|(t, _)| t.hhmm())
    }

    fn minutes(text: &str) -> Option<u32> {
        start_and_duration(text).1.map(|(m, _)| m)
    }

    #[test]
    fn start_times_in_every_written_form() {
        let cases = [
            ("commencing from 6:15 p.m. for around 30 minutes", "18:15"),
            (
                "commencing at 10:45 p.m. for approximately 35 minutes",
                "22:45",
            ),
            (
                "at 5:35 p.m. local time (on 25 June at 0:35 p.m. JST)",
                "17:35",
            ),
            (
                "commencing at 5:00 p.m. (local time; February 20, 1:00 a.m. JST)",
                "17:00",
            ),
            (
                "commencing at 12:30 local time (same day, 7:30 p.m. JST)",
                "12:30",
            ),
            ("commencing at 7:45 a.m. (at 1:45 p.m. JST)", "07:45"),
            ("from just after 12:10 p.m. (local time)", "12:10"),
            ("at 19:10 p.m.", "19:10"),
            ("at 10:05.p.m.", "22:05"),
            ("07:21-07:30 P.M. January 5", "19:21"),
            ("at 12:05 a.m.", "00:05"),
            ("at 6 p.m.", "18:00"),
            ("at noon", "12:00"),
            ("at 10:00 p.m. JST", "22:00"),
            (
                "at 3:10 p.m. local time (at 4:10 a.m. on September 24, JST)",
                "15:10",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(start(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(start("for around 30 minutes"), None);
    }

    #[test]
    fn durations_in_every_written_form() {
        let cases = [
            ("commencing from 6:15 p.m. for around 30 minutes", 30),
            ("for around one hour and 40 minutes", 100),
            ("for approximately 1 hour 30 minutes", 90),
            ("for about an hour", 60),
            ("for one and a half hours", 90),
            ("for approximately 95 minutes", 95),
            ("for just under 30 minutes from just after 12:10 p.m.", 30),
            ("lasted about half an hour", 30),
            ("a 45-minute meeting", 45),
            ("for two hours", 120),
            ("from 10:05 to 10:50", 45),
            ("April 9, 2025, 10:10-10:55", 45),
            ("07:21-07:30 P.M.", 9),
            ("for about fifty-five minutes", 55),
        ];
        for (text, want) in cases {
            assert_eq!(minutes(text), Some(want), "{text}");
        }
        assert_eq!(
            minutes("Approximately the first 20 minutes of the meeting"),
            None
        );
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number_value("forty-five"), Some(45.0));
        assert_eq!(number_value("an"), Some(1.0));
        assert_eq!(number_value("1.5"), Some(1.5));
        assert_eq!(number_value("lots"), None);
    }

    /// Every pattern allowed to run, as before the words were checked.
    fn every_pattern() -> Needs {
        Needs {
            digit: true,
            from: true,
            colon_and_dash: true,
            noon: true,
            hour: true,
            one_and_a_half: true,
            half_an_hour: true,
            minute_unit: true,
            unit_adjective: true,
        }
    }

    #[test]
    fn the_minute_unit_is_not_the_min_of_minister() {
        assert!(minute_unit(b"minutes"));
        assert!(minute_unit(b"MIN."));
        assert!(minute_unit(b"mins"));
        assert!(minute_unit(b"min"));
        assert!(!minute_unit(b"minister"));
        assert!(!minute_unit(b"minsk"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        /// Skipping the patterns whose words are missing changes nothing.
        #[test]
        fn skipping_patterns_by_their_words_changes_nothing(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "6", "30", "10:05", "19:10", "07:21", "0:35", ":", ".", "-", "–", " ", " ",
                    "  ", "p.m.", "P.M.", "am", "a.m", "pm", "noon", "Midnight", "midday",
                    "from", "From", "to", "until", "just after", "JST", "(", ")", "for",
                    "lasted", "lasting", "took", "about", "around", "just under", "an", "one",
                    "forty-five", "half an hour", "Half An Hour", "one and a half", "One and a half",
                    "hour", "hours", "Hour", "FROM", "Noon",
                    "minutes", "minute", "min", "mins", "MINS", "minister", "-minute",
                    "-hour", "-long", "minute-long", "hour-long", "and", "x", "s", "ute",
                    "for One and a half", "lasted half an hour", "for about 30 mins", "for 45",
                    "from 10:05 to 10:50", "a 30-minute", "an hour-long", "10:10-10:55",
                ]),
                1..16,
            )
        ) {
            let text = pieces.concat();
            let needs = Needs::of(&text);
            proptest::prop_assert_eq!(
                find_times_with(&text, &needs),
                find_times_with(&text, &every_pattern()),
                "{:?}", text
            );
            proptest::prop_assert_eq!(
                find_durations_with(&text, &needs),
                find_durations_with(&text, &every_pattern()),
                "{:?}", text
            );
        }
    }
}
