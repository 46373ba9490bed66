//! Dates as releases write them, and how each is turned into a calendar day.
//!
//! `find_dates` reads date expressions out of a string ("Monday, April 15, 2013",
//! "15 Apr. 2013", "(06 May 2014)", "On April 15", "16/01/2017", "2022-06-28", "the 5th",
//! "Tuesday", "today", "the next day"); `resolve` turns one into a date given what the release
//! itself says about when it was published. Nothing here reads the machine's clock.

use super::date_forms::{self, Form, FormMatch, Words};
use crate::text::Span;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;
use std::sync::LazyLock;

/// A date expression before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateExpr {
    /// Day, month and year all written.
    Full(NaiveDate),
    /// "April 15", "15 April": the year must come from elsewhere.
    MonthDay {
        month: u32,
        day: u32,
    },
    /// "the 5th": month and year from the surrounding text.
    DayOfMonth {
        day: u32,
    },
    /// "April 2013": not a day; marks background events.
    MonthYear {
        month: u32,
        year: i32,
    },
    /// "Tuesday", resolved against the publication date.
    Weekday(Weekday),
    Relative(Relative),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    Today,
    Yesterday,
    Tomorrow,
    /// "the next day", "the following day": the day after the previous event.
    NextDay,
    /// "the previous day", "the day before".
    PreviousDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub span: Span,
    pub expr: DateExpr,
    /// A weekday written with the date ("Monday, April 15"), used to check or pick the year.
    pub weekday: Option<Weekday>,
}

/// Where a resolved date came from; stored in `meetings.held_on_source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateSource {
    /// Day, month and year in the sentence.
    Stated,
    /// Year from the release's own date line.
    DatelineYear,
    /// Year from the release's URL.
    UrlYear,
    /// Year from the manifest's `published_on`.
    ManifestYear,
    /// A weekday counted back from the publication date.
    Weekday,
    /// "today", "yesterday", "the next day".
    Relative,
    /// No date in the sentence: taken from the release's other dates.
    Context,
    /// No date at all: the release's publication date.
    PublicationDate,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Stated => "stated",
            DateSource::DatelineYear => "dateline-year",
            DateSource::UrlYear => "url-year",
            DateSource::ManifestYear => "manifest-year",
            DateSource::Weekday => "weekday",
            DateSource::Relative => "relative",
            DateSource::Context => "context",
            DateSource::PublicationDate => "publication-date",
        }
    }

    /// Is the year written in the sentence itself?
    pub fn is_stated(self) -> bool {
        self == DateSource::Stated
    }
}

/// What the release says about its own date, for resolving partial dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateContext {
    /// The release's publication date, if known.
    pub published_on: Option<NaiveDate>,
    /// A year (and where it came from) when only the year is known.
    pub year: Option<(i32, DateSource)>,
    /// The month of the most recent date in the text before this point (year, month).
    pub month: Option<(i32, u32)>,
    /// The date of the previous event in the release ("the next day").
    pub previous: Option<NaiveDate>,
}

/// The month number of an English month name or abbreviation.
pub fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let key = lower.get(..3)?;
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months.iter().position(|m| *m == key).map(|i| i as u32 + 1)
}

fn weekday_of(name: &str) -> Option<Weekday> {
    name.to_ascii_lowercase().parse::<Weekday>().ok()
}

fn ordinal_word(word: &str) -> Option<u32> {
    let words = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    words
        .iter()
        .position(|w| w.eq_ignore_ascii_case(word))
        .map(|i| i as u32 + 1)
}

fn overlaps(taken: &[Span], span: Span) -> bool {
    taken
        .iter()
        .any(|t| span.start < t.end && t.start < span.end)
}

/// Could `text` hold a date at all? Every form has a digit or one of these words, and most
/// sentences of a release have neither. (A sentence whose only date word is "tomorrow", or
/// an ordinal date with two spaces before "of", fails this test and so reads as dateless;
/// kept as it was, since what `find_dates` returns is what the gold annotations were checked
/// against.)
fn may_hold_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.iter().any(u8::is_ascii_digit) {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    [
        "day",
        "night",
        "morning",
        "afternoon",
        "evening",
        "first of",
        "second of",
        "third of",
        "th of",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The matches of `form` in `text` that do not overlap a date already taken. Every form's
/// mention spans its whole match, so a match over a taken date could only be refused.
fn captures<'t>(
    found: &mut [Vec<FormMatch>; 12],
    form: Form,
    text: &'t str,
    taken: &[Span],
) -> Vec<Groups<'t>> {
    std::mem::take(&mut found[form.index()])
        .into_iter()
        .filter(|m| !overlaps(taken, m.span))
        .map(|m| Groups { text, m })
        .collect()
}

/// A form's match with its text, read like a regex's captures.
struct Groups<'t> {
    text: &'t str,
    m: FormMatch,
}

impl<'t> Groups<'t> {
    /// Group `index`; 0 is the whole match.
    fn get(&self, index: usize) -> Option<Piece<'t>> {
        let span = if index == 0 {
            Some(self.m.span)
        } else {
            self.m.group(index)
        };
        span.map(|span| Piece {
            text: self.text,
            span,
        })
    }
}

#[derive(Clone, Copy)]
struct Piece<'t> {
    text: &'t str,
    span: Span,
}

impl<'t> Piece<'t> {
    fn as_str(&self) -> &'t str {
        self.span.text(self.text)
    }
    fn start(&self) -> usize {
        self.span.start
    }
    fn end(&self) -> usize {
        self.span.end
    }
}

/// Every date expression in `text`, in order of position.
pub fn find_dates(text: &str) -> Vec<DateMention> {
    // both tests must pass; the words are found first, since a sentence with no word that
    // could begin a date (most of them) needs no lower-case copy for the other
    let words = Words::of(text);
    let mut by_form = if words.needs_regexes {
        if !may_hold_date(text) {
            return Vec::new();
        }
        date_forms::find_all_by_regex(text)
    } else {
        if words.is_empty() || !may_hold_date(text) {
            return Vec::new();
        }
        words.find_all()
    };
    let mut found: Vec<DateMention> = Vec::new();
    let mut taken: Vec<Span> = Vec::new();
    let push = |found: &mut Vec<DateMention>, taken: &mut Vec<Span>, m: DateMention| {
        if !overlaps(taken, m.span) {
            taken.push(m.span);
            found.push(m);
        }
    };
    let num = |s: Option<Piece>| s.and_then(|m| m.as_str().parse::<u32>().ok());

    for c in captures(&mut by_form, Form::Iso, text, &taken) {
        let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3))) else {
            continue;
        };
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr: DateExpr::Full(date),
                    weekday: None,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::Slashed, text, &taken) {
        let (Some(a), Some(b), Some(y)) = (num(c.get(1)), num(c.get(3)), num(c.get(4))) else {
            continue;
        };
        // Day first, as in most of the world, unless that cannot be ("01/16/2017").
        let (day, month) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, month, day) {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr: DateExpr::Full(date),
                    weekday: None,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::MonthDayYear, text, &taken) {
        let weekday = c.get(1).and_then(|m| weekday_of(m.as_str()));
        let (Some(m), Some(d), Some(y)) = (
            c.get(2).and_then(|m| month_number(m.as_str())),
            num(c.get(3)),
            num(c.get(4)),
        ) else {
            continue;
        };
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr: DateExpr::Full(date),
                    weekday,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::DayMonthYear, text, &taken) {
        let weekday = c.get(1).and_then(|m| weekday_of(m.as_str()));
        let (Some(d), Some(m), Some(y)) = (
            num(c.get(2)),
            c.get(3).and_then(|m| month_number(m.as_str())),
            num(c.get(4)),
        ) else {
            continue;
        };
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr: DateExpr::Full(date),
                    weekday,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::RangeMonthFirst, text, &taken) {
        let (Some(m), Some(d)) = (
            c.get(1).and_then(|m| month_number(m.as_str())),
            num(c.get(2)),
        ) else {
            continue;
        };
        if NaiveDate::from_ymd_opt(2000, m, d).is_some() {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            let expr = DateExpr::MonthDay { month: m, day: d };
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr,
                    weekday: None,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::MonthDay, text, &taken) {
        let weekday = c.get(1).and_then(|m| weekday_of(m.as_str()));
        let (Some(m), Some(d)) = (
            c.get(2).and_then(|m| month_number(m.as_str())),
            num(c.get(3)),
        ) else {
            continue;
        };
        // "May 2014" is a month and year, not the 20th of May.
        let after = c.get(3).map_or("", |x| &text[x.end()..]);
        if after.starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        if NaiveDate::from_ymd_opt(2000, m, d).is_some() {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            let expr = DateExpr::MonthDay { month: m, day: d };
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr,
                    weekday,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::DayMonth, text, &taken) {
        let weekday = c.get(1).and_then(|m| weekday_of(m.as_str()));
        let (Some(d), Some(m)) = (
            num(c.get(2)),
            c.get(3).and_then(|m| month_number(m.as_str())),
        ) else {
            continue;
        };
        if NaiveDate::from_ymd_opt(2000, m, d).is_some() {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            let expr = DateExpr::MonthDay { month: m, day: d };
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr,
                    weekday,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::OrdinalOfMonth, text, &taken) {
        let (Some(d), Some(m)) = (
            c.get(1).and_then(|m| ordinal_word(m.as_str())),
            c.get(2).and_then(|m| month_number(m.as_str())),
        ) else {
            continue;
        };
        let span = c
            .get(0)
            .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
        let expr = DateExpr::MonthDay { month: m, day: d };
        push(
            &mut found,
            &mut taken,
            DateMention {
                span,
                expr,
                weekday: None,
            },
        );
    }
    for c in captures(&mut by_form, Form::MonthYear, text, &taken) {
        let (Some(m), Some(y)) = (
            c.get(1).and_then(|m| month_number(m.as_str())),
            num(c.get(2)),
        ) else {
            continue;
        };
        let span = c
            .get(0)
            .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
        let expr = DateExpr::MonthYear {
            month: m,
            year: y as i32,
        };
        push(
            &mut found,
            &mut taken,
            DateMention {
                span,
                expr,
                weekday: None,
            },
        );
    }
    for c in captures(&mut by_form, Form::DayOnly, text, &taken) {
        let Some(d) = num(c.get(1)) else { continue };
        let Some(whole) = c.get(0) else { continue };
        // "on the 5th", "the evening of the 4th and": not "the 14th Japan-NATO Consultations".
        let before = text[..whole.start()].trim_end();
        let after = text[whole.end()..].trim_start();
        let lower_before = before.to_lowercase();
        let introduced = ["on", "of", "by", "until", "till", "from", "since", "to"]
            .iter()
            .any(|w| {
                lower_before.ends_with(w)
                    && lower_before[..lower_before.len() - w.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
            });
        let next_word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
        let ends = next_word.is_empty()
            || ["in", "and", "at", "of", "when", "before", "after"].contains(&next_word.as_str());
        if introduced && ends && (1..=31).contains(&d) {
            let span = c
                .get(0)
                .map_or(Span::default(), |m| Span::new(m.start(), m.end()));
            let expr = DateExpr::DayOfMonth { day: d };
            push(
                &mut found,
                &mut taken,
                DateMention {
                    span,
                    expr,
                    weekday: None,
                },
            );
        }
    }
    for c in captures(&mut by_form, Form::Weekday, text, &taken) {
        let Some(m) = c.get(1) else { continue };
        let Some(weekday) = weekday_of(m.as_str()) else {
            continue;
        };
        let span = Span::new(m.start(), m.end());
        // "on Monday (15 April)": the date in brackets says it better.
        let rest = text[m.end()..].trim_start();
        if rest.starts_with('(')
            && found
                .iter()
                .any(|f| f.span.start > m.end() && f.span.start <= m.end() + 3)
        {
            continue;
        }
        push(
            &mut found,
            &mut taken,
            DateMention {
                span,
                expr: DateExpr::Weekday(weekday),
                weekday: None,
            },
        );
    }
    for c in captures(&mut by_form, Form::Relative, text, &taken) {
        let Some(m) = c.get(1) else { continue };
        let lower = m.as_str().to_ascii_lowercase();
        let relative = match lower.as_str() {
            "yesterday" => Relative::Yesterday,
            "tomorrow" => Relative::Tomorrow,
            "the next day" | "the following day" => Relative::NextDay,
            "the previous day" | "the day before" => Relative::PreviousDay,
            _ => Relative::Today,
        };
        let span = Span::new(m.start(), m.end());
        push(
            &mut found,
            &mut taken,
            DateMention {
                span,
                expr: DateExpr::Relative(relative),
                weekday: None,
            },
        );
    }
    found.sort_by_key(|m| m.span.start);
    found
}

/// The month-day in the year that puts it closest before (or just after) the publication
/// date: a release of 3 January that says "On December 30" means last year.
fn place_in_year(
    month: u32,
    day: u32,
    year: i32,
    published_on: Option<NaiveDate>,
    weekday: Option<Weekday>,
) -> Option<NaiveDate> {
    let candidates: Vec<NaiveDate> = [year, year - 1]
        .iter()
        .filter_map(|&y| NaiveDate::from_ymd_opt(y, month, day))
        .collect();
    if let Some(w) = weekday
        && let Some(d) = candidates.iter().find(|d| d.weekday() == w)
    {
        return Some(*d);
    }
    let first = *candidates.first()?;
    match published_on {
        Some(p) if first > p + Days::new(7) => candidates.get(1).copied().or(Some(first)),
        _ => Some(first),
    }
}

/// Turn a date expression into a day, with where it came from. `None` when the release
/// does not give enough to know.
pub fn resolve(
    expr: DateExpr,
    weekday: Option<Weekday>,
    ctx: &DateContext,
) -> Option<(NaiveDate, DateSource)> {
    match expr {
        DateExpr::Full(date) => Some((date, DateSource::Stated)),
        DateExpr::MonthDay { month, day } => {
            let (year, source) = ctx.year.or_else(|| {
                ctx.published_on
                    .map(|p| (p.year(), DateSource::DatelineYear))
            })?;
            let date = place_in_year(month, day, year, ctx.published_on, weekday)?;
            Some((date, source))
        }
        DateExpr::DayOfMonth { day } => {
            let (year, month) = ctx
                .month
                .or_else(|| ctx.published_on.map(|p| (p.year(), p.month())))?;
            NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, DateSource::Context))
        }
        DateExpr::MonthYear { .. } => None,
        DateExpr::Weekday(w) => {
            let published = ctx.published_on?;
            let back =
                (7 + published.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7;
            published
                .checked_sub_days(Days::new(back as u64))
                .map(|d| (d, DateSource::Weekday))
        }
        DateExpr::Relative(r) => {
            let (base, delta): (NaiveDate, i64) = match r {
                Relative::Today => (ctx.published_on?, 0),
                Relative::Yesterday => (ctx.published_on?, -1),
                Relative::Tomorrow => (ctx.published_on?, 1),
                Relative::NextDay => (ctx.previous?, 1),
                Relative::PreviousDay => (ctx.previous?, -1),
            };
            let date = if delta >= 0 {
                base.checked_add_days(Days::new(delta as u64))
            } else {
                base.checked_sub_days(Days::new((-delta) as u64))
            }?;
            Some((date, DateSource::Relative))
        }
    }
}

/// A date carried by a URL: a full date ("...-4-november-2022", "/2017/01/05.html") or a
/// year and month ("/201304/", "/2014/05/").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlDate {
    Full(NaiveDate),
    YearMonth(i32, u32),
    Year(i32),
}

static URL_PATTERNS: LazyLock<[Regex; 5]> = LazyLock::new(|| {
    [
        Regex::new(r"(\d{4})-(\d{2})-(\d{2})").expect("url pattern"),
        Regex::new(r"(?i)(?:^|[-_/])(\d{1,2})-(january|february|march|april|may|june|july|august|september|october|november|december)-(\d{4})(?:$|[-_/.])").expect("url pattern"),
        Regex::new(r"/(\d{4})/(\d{1,2})/(\d{1,2})(?:\.html?|/|$)").expect("url pattern"),
        Regex::new(r"/(\d{4})(\d{2})/|/(\d{4})/(\d{1,2})/").expect("url pattern"),
        Regex::new(r"/((?:19|20)\d{2})/").expect("url pattern"),
    ]
});

fn plausible_year(y: i32) -> bool {
    (1945..=2100).contains(&y)
}

/// The most precise date a URL carries.
pub fn url_date(url: &str) -> Option<UrlDate> {
    let p = &*URL_PATTERNS;
    let num = |m: Option<regex::Match>| m.and_then(|m| m.as_str().parse::<i64>().ok());
    if let Some(c) = p[0].captures(url)
        && let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3)))
        && plausible_year(y as i32)
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
    {
        return Some(UrlDate::Full(date));
    }
    if let Some(c) = p[1].captures(url)
        && let (Some(d), Some(m), Some(y)) = (
            num(c.get(1)),
            c.get(2).and_then(|m| month_number(m.as_str())),
            num(c.get(3)),
        )
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d as u32)
    {
        return Some(UrlDate::Full(date));
    }
    if let Some(c) = p[2].captures(url)
        && let (Some(y), Some(m), Some(d)) = (num(c.get(1)), num(c.get(2)), num(c.get(3)))
        && plausible_year(y as i32)
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
    {
        return Some(UrlDate::Full(date));
    }
    if let Some(c) = p[3].captures(url) {
        let (y, m) = match (num(c.get(1)), num(c.get(2))) {
            (Some(y), Some(m)) => (y, m),
            _ => (num(c.get(3)).unwrap_or(0), num(c.get(4)).unwrap_or(0)),
        };
        if plausible_year(y as i32) && (1..=12).contains(&m) {
            return Some(UrlDate::YearMonth(y as i32, m as u32));
        }
    }
    if let Some(c) = p[4].captures(url)
        && let Some(y) = num(c.get(1))
        && plausible_year(y as i32)
    {
        return Some(UrlDate::Year(y as i32));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn exprs(text: &str) -> Vec<(String, DateExpr)> {
        find_dates(text)
            .into_iter()
            .map(|m| (m.span.text(text).to_owned(), m.expr))
            .collect()
    }

    #[test]
    fn full_dates_in_every_written_form() {
        let cases = [
            ("Monday, April 15, 2013", d(2013, 4, 15)),
            ("15 Apr. 2013 -", d(2013, 4, 15)),
            ("on Tuesday (06 May 2014) signed", d(2014, 5, 6)),
            ("date 2022-06-28 The", d(2022, 6, 28)),
            ("16/01/2017", d(2017, 1, 16)),
            ("01/16/2017", d(2017, 1, 16)),
            ("15.12.2020", d(2020, 12, 15)),
            ("NOVEMBER 7, 2023", d(2023, 11, 7)),
            ("On December 11, 2023, commencing", d(2023, 12, 11)),
            ("07:30 P.M. January 5, 2017(Japan Time)", d(2017, 1, 5)),
            ("3 June 2019", d(2019, 6, 3)),
            ("on the 1st of March 2020", d(2020, 3, 1)),
        ];
        for (text, want) in cases {
            let found = find_dates(text);
            assert!(
                found.iter().any(|m| m.expr == DateExpr::Full(want)),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn partial_dates_are_kept_partial() {
        assert_eq!(
            exprs("On April 15, commencing from 6:15 p.m."),
            vec![("April 15".into(), DateExpr::MonthDay { month: 4, day: 15 })]
        );
        assert_eq!(
            exprs("On February 26th, at 3:25"),
            vec![(
                "February 26th".into(),
                DateExpr::MonthDay { month: 2, day: 26 }
            )]
        );
        assert_eq!(
            exprs("(on 25 June at 0:35 p.m. JST)"),
            vec![("25 June".into(), DateExpr::MonthDay { month: 6, day: 25 })]
        );
        assert_eq!(
            exprs("February 20, 1:00 a.m. JST"),
            vec![(
                "February 20".into(),
                DateExpr::MonthDay { month: 2, day: 20 }
            )]
        );
        assert_eq!(
            exprs("signed in Tokyo in April 2013"),
            vec![(
                "April 2013".into(),
                DateExpr::MonthYear {
                    month: 4,
                    year: 2013
                }
            )]
        );
        assert_eq!(
            exprs("arrived on the 4th and met on the 5th"),
            vec![
                ("the 4th".into(), DateExpr::DayOfMonth { day: 4 }),
                ("the 5th".into(), DateExpr::DayOfMonth { day: 5 })
            ]
        );
        assert_eq!(
            exprs("on the first of January"),
            vec![(
                "the first of January".into(),
                DateExpr::MonthDay { month: 1, day: 1 }
            )]
        );
        // every ordinal word passes the digit-free prefilter, not only the first three
        for (word, day) in [("fifth", 5), ("seventh", 7), ("tenth", 10)] {
            assert_eq!(
                exprs(&format!("They met on the {word} of March in Rome.")),
                vec![(
                    format!("the {word} of March"),
                    DateExpr::MonthDay { month: 3, day }
                )]
            );
        }
        assert_eq!(
            exprs("From April 3 to 5, he attended"),
            vec![(
                "From April 3 to 5".into(),
                DateExpr::MonthDay { month: 4, day: 3 }
            )]
        );
        assert_eq!(
            exprs("On Thursday February 18, the talks"),
            vec![(
                "Thursday February 18".into(),
                DateExpr::MonthDay { month: 2, day: 18 }
            )]
        );
    }

    /// A letter outside ASCII that Unicode case folding reads as an ASCII one, or a digit of
    /// another script, sends the text to the regexes, which read it as they always did.
    #[test]
    fn texts_the_hand_matchers_would_misread_go_to_the_regexes() {
        // the long s is an s to a caseless regex
        assert_eq!(
            exprs("Auguſt 15, 2023"),
            vec![("Auguſt 15, 2023".into(), DateExpr::Full(d(2023, 8, 15)))]
        );
        let found = find_dates("Tueſday, May 5 and the 1ſt of May");
        assert_eq!(found.first().map(|m| m.span.start), Some(0));
        // the Kelvin sign is a k; "wee\u{212A}" is no date word, but the text still goes the
        // regexes' way and finds what they find
        assert_eq!(
            exprs("On 5 May 2021 (wee\u{212A} 18)"),
            vec![("5 May 2021".into(), DateExpr::Full(d(2021, 5, 5)))]
        );
        // an Arabic-Indic digit is a digit to `\d`: "May 1٥th" was one match that did not
        // parse, not "May 1"
        assert_eq!(exprs("On May 1٥th, 2023"), vec![]);
        for text in ["Auguſt 15, 2023", "wee\u{212A}", "May 1٥th", "½ day"] {
            assert!(date_forms::needs_regexes(text), "{text}");
            assert!(Words::of(text).needs_regexes, "{text}");
        }
        for text in [
            "August 15, 2023",
            "the leaders’ talks — “in Brussels”",
            "Élysée",
        ] {
            assert!(!date_forms::needs_regexes(text), "{text}");
            assert!(!Words::of(text).needs_regexes, "{text}");
        }
    }

    #[test]
    fn weekdays_and_relative_days() {
        assert_eq!(
            exprs("agreed Tuesday in Brussels"),
            vec![("Tuesday".into(), DateExpr::Weekday(Weekday::Tue))]
        );
        assert_eq!(
            exprs("on Monday (15 April)"),
            vec![("15 April".into(), DateExpr::MonthDay { month: 4, day: 15 })]
        );
        assert_eq!(
            exprs("spoke to him this morning"),
            vec![("this morning".into(), DateExpr::Relative(Relative::Today))]
        );
        assert_eq!(
            exprs("The next day, they met"),
            vec![("The next day".into(), DateExpr::Relative(Relative::NextDay))]
        );
    }

    #[test]
    fn resolution_uses_the_release_not_the_clock() {
        let ctx = DateContext {
            published_on: Some(d(2014, 5, 7)), // a Wednesday
            year: Some((2014, DateSource::DatelineYear)),
            ..Default::default()
        };
        assert_eq!(
            resolve(DateExpr::Weekday(Weekday::Tue), None, &ctx),
            Some((d(2014, 5, 6), DateSource::Weekday))
        );
        assert_eq!(
            resolve(DateExpr::Weekday(Weekday::Wed), None, &ctx),
            Some((d(2014, 5, 7), DateSource::Weekday))
        );
        assert_eq!(
            resolve(DateExpr::MonthDay { month: 5, day: 6 }, None, &ctx),
            Some((d(2014, 5, 6), DateSource::DatelineYear))
        );
        assert_eq!(
            resolve(DateExpr::Relative(Relative::Yesterday), None, &ctx),
            Some((d(2014, 5, 6), DateSource::Relative))
        );
        let january = DateContext {
            published_on: Some(d(2014, 1, 3)),
            year: Some((2014, DateSource::ManifestYear)),
            ..Default::default()
        };
        assert_eq!(
            resolve(DateExpr::MonthDay { month: 12, day: 30 }, None, &january),
            Some((d(2013, 12, 30), DateSource::ManifestYear))
        );
        let no_context = DateContext::default();
        assert_eq!(
            resolve(DateExpr::MonthDay { month: 4, day: 15 }, None, &no_context),
            None
        );
        assert_eq!(
            resolve(DateExpr::Weekday(Weekday::Tue), None, &no_context),
            None
        );
    }

    #[test]
    fn day_of_month_takes_month_from_context() {
        let ctx = DateContext {
            published_on: Some(d(2017, 1, 16)),
            month: Some((2017, 1)),
            ..Default::default()
        };
        assert_eq!(
            resolve(DateExpr::DayOfMonth { day: 5 }, None, &ctx),
            Some((d(2017, 1, 5), DateSource::Context))
        );
    }

    #[test]
    fn urls_carry_dates() {
        assert_eq!(
            url_date(
                "https://www.gov.uk/government/news/pm-call-with-japanese-prime-minister-kishida-4-november-2022"
            ),
            Some(UrlDate::Full(d(2022, 11, 4)))
        );
        assert_eq!(
            url_date("https://japan.kantei.go.jp/96_abe/diplomatic/201304/15nato_e.html"),
            Some(UrlDate::YearMonth(2013, 4))
        );
        assert_eq!(
            url_date("http://mongoliaeconomy.blogspot.com/2014/05/japan-nato.html"),
            Some(UrlDate::YearMonth(2014, 5))
        );
        assert_eq!(
            url_date("https://www.mod.go.jp/e/press/conference/2017/01/05.html"),
            Some(UrlDate::Full(d(2017, 1, 5)))
        );
        assert_eq!(
            url_date("https://www.mofa.go.jp/press/release/press6e_000037.html"),
            None
        );
    }
}
