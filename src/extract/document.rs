//! What a release says about itself: its headline, its date line, when it was published
//! (from the text, else its URL, else the manifest), who published it, and the "Place:" and
//! "Press Conference by ..." headers of transcripts.

use super::SourceMeta;
use super::dates::{self, DateContext, DateExpr, DateSource, UrlDate};
use crate::gazetteer::Gazetteer;
use crate::text::segment::{LineKind, Segmented};
use crate::text::{Span, gate};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Where `documents.published_on` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishedSource {
    Text,
    Url,
    Manifest,
}

impl PublishedSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PublishedSource::Text => "text",
            PublishedSource::Url => "url",
            PublishedSource::Manifest => "manifest",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub title: Option<String>,
    pub title_span: Option<Span>,
    /// The line that dates the release, and its date.
    pub dateline: Option<(NaiveDate, Span)>,
    pub published_on: Option<NaiveDate>,
    pub published_source: Option<PublishedSource>,
    /// The year for dates written without one, and where it came from.
    pub year: Option<(i32, DateSource)>,
    pub publisher: Option<String>,
    /// The state or organisation the publisher speaks for.
    pub home: Option<String>,
    /// A "Place: ..." or "Venue" header's value.
    pub place_line: Option<Span>,
    /// A "Date and time: ..." header's value.
    pub when_line: Option<Span>,
}

impl DocumentMeta {
    pub fn date_context(&self) -> DateContext {
        DateContext {
            published_on: self.published_on,
            year: self.year,
            month: self
                .dateline
                .map(|(d, _)| (d.year(), d.month()))
                .or_else(|| self.published_on.map(|d| (d.year(), d.month()))),
            previous: None,
        }
    }
}

static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:•\s*)?(?:date|dated|time\s*&\s*date|posted(?: on)?|published(?: on)?|issued(?: on)?)\s*:?\s*")
        .expect("label pattern")
});
static PLACE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d+\.\s*)?(?:place|venue|location)\s*(?::\s*(.*))?$")
        .expect("place pattern")
});
/// "1. Date and time: January 12, 2023, 10:00-10:40 (local time)", or the label alone on
/// its line with the value on the next.
static WHEN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d+\.\s*)?(?:date and time|date & time|time and date|time & date|date/time)\s*(?::\s*(.*))?$")
        .expect("when pattern")
});

/// The words each label pattern's line begins with (after a list number), for the gates
/// that spare most lines the patterns (`text::gate::may_begin_with`).
const PLACE_WORDS: &[&str] = &["place", "venue", "location"];
const WHEN_WORDS: &[&str] = &["date", "time"];
const DATE_WORDS: &[&str] = &["date", "time", "posted", "published", "issued"];

/// Read the release's own metadata.
pub fn read_meta(
    body: &str,
    segmented: &Segmented,
    source: &SourceMeta,
    gazetteer: &Gazetteer,
) -> DocumentMeta {
    let mut dateline = None;
    let mut title = None;
    let mut place_line = None;
    let mut when_line = None;
    let mut seen = 0;
    for line in &segmented.lines {
        if matches!(line.kind, LineKind::Blank | LineKind::Clutter) {
            continue;
        }
        seen += 1;
        let text = line.span.text(body);
        if place_line.is_none()
            && gate::may_begin_with(text, PLACE_WORDS)
            && let Some(c) = PLACE_LABEL.captures(text)
        {
            place_line = labelled_value(segmented, line.index, line.span.start, c.get(1));
        }
        if when_line.is_none()
            && gate::may_begin_with(text, WHEN_WORDS)
            && let Some(c) = WHEN_LABEL.captures(text)
        {
            when_line = labelled_value(segmented, line.index, line.span.start, c.get(1));
        }
        if seen > 12 {
            continue;
        }
        let labelled = gate::may_begin_with(text, DATE_WORDS)
            .then(|| DATE_LABEL.find(text).map(|m| m.end()))
            .flatten();
        if dateline.is_none() && (line.kind != LineKind::Prose || labelled.is_some()) {
            let found = dates::find_dates(text);
            if let Some(full) = found.iter().find_map(|m| match m.expr {
                DateExpr::Full(d) => Some((d, m.span)),
                _ => None,
            }) {
                let span = full.1.offset(line.span.start);
                dateline = Some((full.0, span));
                // a line that is only a date is not the headline
                let rest = text.replace(full.1.text(text), "");
                let rest = rest.trim_matches(|c: char| !c.is_alphanumeric());
                if rest.split_whitespace().count() <= 2 {
                    continue;
                }
            }
        }
        if title.is_none() && text.split_whitespace().count() >= 2 && line.kind != LineKind::Label {
            let mut start = labelled.unwrap_or(0);
            if labelled.is_some()
                && let Some((_, span)) = dateline
                && line.span.contains(span)
            {
                start = span.end - line.span.start;
            }
            let raw = &text[start..];
            let lead = raw.len() - raw.trim_start().len();
            let t = raw.trim();
            if !t.is_empty() {
                let offset = line.span.start + start + lead;
                // its first 300 characters, copied at once
                let end = t.char_indices().nth(300).map_or(t.len(), |(at, _)| at);
                title = Some((t[..end].to_owned(), Span::new(offset, offset + t.len())));
            }
        }
    }
    let url_date = source.url.as_deref().and_then(dates::url_date);
    let (published_on, published_source) = if let Some((d, _)) = dateline {
        (Some(d), Some(PublishedSource::Text))
    } else if let Some(UrlDate::Full(d)) = url_date {
        (Some(d), Some(PublishedSource::Url))
    } else if let Some(d) = source.published_on {
        (Some(d), Some(PublishedSource::Manifest))
    } else {
        (None, None)
    };
    let year = if let Some((d, _)) = dateline {
        Some((d.year(), DateSource::DatelineYear))
    } else {
        match url_date {
            Some(UrlDate::Full(d)) => Some((d.year(), DateSource::UrlYear)),
            Some(UrlDate::YearMonth(y, _)) | Some(UrlDate::Year(y)) => {
                Some((y, DateSource::UrlYear))
            }
            None => source
                .published_on
                .map(|d| (d.year(), DateSource::ManifestYear)),
        }
    };
    let publisher_entry = gazetteer.publisher(source.publisher.as_deref(), source.url.as_deref());
    let publisher = source
        .publisher
        .clone()
        .or_else(|| publisher_entry.map(|p| p.name.clone()));
    let home = publisher_entry.map(|p| p.organization.clone()).or_else(|| {
        // a publisher not in publishers.csv may still name its state: "Ministry of Foreign
        // Affairs of Japan"
        let name = source.publisher.as_deref()?;
        let found = gazetteer.find_organizations(name);
        found
            .last()
            .map(|m| gazetteer.organizations[m.org].name.clone())
    });
    DocumentMeta {
        title: title.as_ref().map(|(t, _)| t.clone()),
        title_span: title.map(|(_, s)| s),
        dateline,
        published_on,
        published_source,
        year,
        publisher,
        home,
        place_line,
        when_line,
    }
}

/// The value of a labelled header: after the colon, or the next non-blank line.
fn labelled_value(
    segmented: &Segmented,
    line: usize,
    line_start: usize,
    inline: Option<regex::Match>,
) -> Option<Span> {
    if let Some(m) = inline
        && !m.as_str().trim().is_empty()
    {
        return Some(Span::new(line_start + m.start(), line_start + m.end()));
    }
    segmented.lines[line + 1..]
        .iter()
        .find(|l| l.kind != LineKind::Blank)
        .map(|l| l.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment::segment;
    use proptest::prelude::*;

    /// A headline is cut to its first 300 characters, whatever their width in bytes.
    #[test]
    fn a_long_headline_is_cut_to_300_characters() {
        let gazetteer = Gazetteer::builtin().expect("built-in data loads");
        for (headline, expected) in [
            (
                "Ministerial Meeting ".repeat(4),
                "Ministerial Meeting ".repeat(4).trim_end().to_owned(),
            ),
            ("Ré ".repeat(150), "Ré ".repeat(100)),
            ("Tōkyō—Kyōto ".repeat(30), "Tōkyō—Kyōto ".repeat(25)),
        ] {
            let body = format!("{headline}\n\nThe Minister met the Secretary General.");
            let meta = read_meta(
                &body,
                &segment(&body, &gazetteer.line_rules),
                &SourceMeta::default(),
                &gazetteer,
            );
            let title = meta.title.expect("a title");
            assert_eq!(title, expected, "{headline}");
            assert!(title.chars().count() <= 300);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// The label patterns match only lines whose first words the gates let through.
        #[test]
        fn label_patterns_match_only_lines_their_gates_pass(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    // numbered labels with each kind of white space, so matches are common
                    "1.\u{0B}Place: ", "2.\tDate and time: ", "3.\u{0C}Venue", "4. Location",
                    "1.", "12. ", "١.", "•", "• ", " ", "\u{3000}", "\u{0B}", "\t", "\u{0C}",
                    "Place", "place", "PLACE",
                    "Venue", "Location", "Date", "date and time", "Date & Time", "time and date",
                    "time & date", "date/time", "Dated", "posted on", "Posted", "Published on",
                    "issued", "iſſued", "Time", "&", ":", ": ", "Tokyo", "Prime Minister", "Pl",
                    "D", "da", "é",
                ]),
                1..8,
            ),
        ) {
            let line = pieces.concat();
            prop_assert!(
                !PLACE_LABEL.is_match(&line) || gate::may_begin_with(&line, PLACE_WORDS),
                "{:?}", line
            );
            prop_assert!(
                !WHEN_LABEL.is_match(&line) || gate::may_begin_with(&line, WHEN_WORDS),
                "{:?}", line
            );
            prop_assert!(
                !DATE_LABEL.is_match(&line)
                    || gate::may_begin_with(&line, DATE_WORDS),
                "{:?}", line
            );
        }
    }

    fn meta(body: &str, url: Option<&str>, published: Option<NaiveDate>) -> DocumentMeta {
        let g = Gazetteer::builtin().unwrap();
        let seg = segment(body, &g.line_rules);
        let source = SourceMeta {
            url: url.map(str::to_owned),
            publisher: None,
            published_on: published,
        };
        read_meta(body, &seg, &source, &g)
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_line_gives_publication_and_year() {
        let m = meta(
            "Home > News > April 2013 > Courtesy call\nCourtesy call on Prime Minister Abe\nMonday, April 15, 2013\nOn April 15, they met.",
            None,
            Some(d(2000, 1, 1)),
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Courtesy call on Prime Minister Abe")
        );
        assert_eq!(m.published_on, Some(d(2013, 4, 15)));
        assert_eq!(m.published_source, Some(PublishedSource::Text));
        assert_eq!(m.year, Some((2013, DateSource::DatelineYear)));
    }

    #[test]
    fn url_then_manifest() {
        let m = meta(
            "Prime Minister Rishi Sunak spoke to Japanese Prime Minister Fumio Kishida this morning.",
            Some(
                "https://www.gov.uk/government/news/pm-call-with-japanese-prime-minister-kishida-4-november-2022",
            ),
            None,
        );
        assert_eq!(m.published_on, Some(d(2022, 11, 4)));
        assert_eq!(m.published_source, Some(PublishedSource::Url));
        assert_eq!(m.home.as_deref(), Some("United Kingdom"));
        let m = meta(
            "Meeting\nOn April 15, they met.",
            None,
            Some(d(2013, 4, 15)),
        );
        assert_eq!(m.published_source, Some(PublishedSource::Manifest));
        assert_eq!(m.year, Some((2013, DateSource::ManifestYear)));
        let m = meta("Meeting\nOn April 15, they met.", None, None);
        assert_eq!(m.published_on, None);
        assert_eq!(m.year, None);
    }

    #[test]
    fn labelled_and_transcript_headers() {
        let m = meta(
            "date 2022-06-28 The Prime Minister met X today.",
            None,
            None,
        );
        assert_eq!(m.published_on, Some(d(2022, 6, 28)));
        let body = "Press Conference by the Defense Minister\nTime & Date: 07:21-07:30 P.M. January 5, 2017(Japan Time)\nPlace: Press Area, NATO headquarters\nText.";
        let m = meta(body, None, None);
        assert_eq!(m.published_on, Some(d(2017, 1, 5)));
        assert_eq!(
            m.place_line.map(|s| s.text(body)),
            Some("Press Area, NATO headquarters")
        );
    }
}
