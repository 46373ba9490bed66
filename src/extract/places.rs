//! Where a meeting took place: a venue ("at the NATO headquarters" -> Brussels), a city ("in
//! Tokyo", "during his visit to The Hague") or, when that is all a sentence says, a country
//! ("visiting Germany"). Place names inside event names ("the G20 Osaka Summit"), titles
//! ("Ambassador to Belgium") and time-zone brackets are not locations.

use crate::gazetteer::{Gazetteer, PlaceKind, PlaceMatch};
use crate::text::Span;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// City, or country when that is all that is known.
    pub location: String,
    pub venue: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub kind: PlaceKind,
    pub span: Span,
}

const LOCATIVE: &[&str] = &[
    "in", "at", "to", "visiting", "visited", "inside", "near", "toured", "visit", "from",
];

const EVENT_WORDS: &[&str] = &[
    "Summit",
    "Conference",
    "Declaration",
    "Accord",
    "Process",
    "Initiative",
    "Statement",
    "Agreement",
    "Round",
    "Dialogue",
    "Forum",
    "Group",
    "Meeting",
    "Ministerial",
];

fn previous_word(text: &str, start: usize) -> &str {
    let before = text[..start].trim_end();
    let before = match before.strip_suffix("the") {
        Some(rest) if rest.is_empty() || rest.ends_with(char::is_whitespace) => rest.trim_end(),
        _ => before,
    };
    let begin = before.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    &before[begin..]
}

fn next_word(text: &str, end: usize) -> &str {
    let after = &text[end..];
    if after.starts_with(['\'', '’', '-']) {
        return "'"; // "Japan's", "Japan-NATO": not a place here
    }
    let after = after.trim_start();
    let stop = after
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(after.len());
    &after[..stop]
}

/// "visiting Münster, the Federal Republic of Germany": a city the gazetteer does not know,
/// named before its country.
static CITY_BEFORE_COUNTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(?:in|to|visiting|visited|at)\s+(\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+)?),\s+(?:the\s+)?$")
        .expect("pattern")
});

/// The best location one sentence gives, ignoring places inside `exclude` spans.
pub fn locate(text: &str, exclude: &[Span], gazetteer: &Gazetteer) -> Option<Location> {
    locate_among(text, &gazetteer.find_places(text), exclude, gazetteer)
}

/// `locate`, given the places `Gazetteer::find_places` finds in `text` (found already).
pub fn locate_among(
    text: &str,
    places: &[PlaceMatch],
    exclude: &[Span],
    gazetteer: &Gazetteer,
) -> Option<Location> {
    let mut best: Option<(u8, Location)> = None;
    for m in places {
        if exclude
            .iter()
            .any(|x| x.start <= m.span.start && m.span.end <= x.end)
        {
            continue;
        }
        let place = &gazetteer.places[m.place];
        let prev = previous_word(text, m.span.start);
        let next = next_word(text, m.span.end);
        if next == "'" || EVENT_WORDS.contains(&next) {
            continue;
        }
        if ["G7", "G8", "G20", "ASEAN"].contains(&prev) {
            continue;
        }
        if place.kind == PlaceKind::Country
            && let Some(c) = CITY_BEFORE_COUNTRY.captures(&text[..m.span.start])
            && let Some(city) = c.get(1)
            && gazetteer.place(city.as_str()).is_none()
            && gazetteer.organization(city.as_str()).is_none()
        {
            let candidate = Location {
                location: city.as_str().to_owned(),
                venue: None,
                country: Some(place.name.clone()),
                timezone: place.timezone.clone(),
                kind: PlaceKind::City,
                span: Span::new(city.start(), city.end()),
            };
            if best.as_ref().is_none_or(|(r, _)| 2 > *r) {
                best = Some((2, candidate));
            }
            continue;
        }
        let locative = LOCATIVE.iter().any(|l| l.eq_ignore_ascii_case(prev));
        let rank = match place.kind {
            PlaceKind::Venue => 3,
            PlaceKind::City if locative => 2,
            PlaceKind::Country if locative => 1,
            _ => continue,
        };
        let location = match place.kind {
            PlaceKind::Venue => place
                .city
                .clone()
                .or_else(|| place.country.clone())
                .unwrap_or_else(|| place.name.clone()),
            _ => place.name.clone(),
        };
        let candidate = Location {
            location,
            venue: (place.kind == PlaceKind::Venue).then(|| place.name.clone()),
            country: place.country.clone(),
            timezone: place.timezone.clone().or_else(|| {
                // a venue or city without its own zone takes its city's or country's
                let city = place.city.as_deref().and_then(|c| gazetteer.place(c));
                city.and_then(|c| gazetteer.places[c].timezone.clone())
            }),
            kind: place.kind,
            span: m.span,
        };
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, candidate));
        }
    }
    best.map(|(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static GAZETTEER: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::builtin().expect("built-in data loads"));

    fn place(text: &str) -> Option<(String, Option<String>)> {
        locate(text, &[], &GAZETTEER).map(|l| (l.location, l.venue))
    }

    #[test]
    fn venues_cities_and_countries() {
        assert_eq!(
            place("Abe received a courtesy call at the Prime Minister's Office."),
            Some(("Tokyo".into(), Some("Prime Minister's Office".into())))
        );
        assert_eq!(
            place("After their talks at the NATO headquarters, they signed"),
            Some(("Brussels".into(), Some("NATO headquarters".into())))
        );
        assert_eq!(
            place(
                "during his visit to The Hague, the Kingdom of the Netherlands on the occasion of the NATO Summit"
            ),
            Some(("The Hague".into(), None))
        );
        assert_eq!(
            place("who was visiting France to attend the G7 Summit in Biarritz."),
            Some(("Biarritz".into(), None))
        );
        assert_eq!(
            place("during his visit to Japan."),
            Some(("Japan".into(), None))
        );
    }

    #[test]
    fn a_city_unknown_to_the_gazetteer_before_its_country() {
        assert_eq!(
            place("who is visiting Münster, the Federal Republic of Germany, to attend"),
            Some(("Münster".into(), None))
        );
    }

    #[test]
    fn event_names_and_possessives_are_not_places() {
        assert_eq!(place("since the G20 Osaka Summit in June"), None);
        assert_eq!(
            place("Japan's contribution to the Tokyo Conference on Afghanistan"),
            None
        );
        assert_eq!(place("Japan-NATO relations"), None);
    }
}
