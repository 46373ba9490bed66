//! Properties of the date, time and duration parsers (issue 8): on any text they return
//! without panicking and with spans on character boundaries; and what a release prints —
//! a date, a clock time, a duration, in the forms releases use — they read back exactly.

use chrono::{Datelike, NaiveDate};
use communique::extract::dates::{DateExpr, find_dates};
use communique::extract::times::{find_durations, find_times};
use proptest::prelude::*;

const MONTHS: [&str; 12] = [
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
];

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1950-01-01 .. 2099-12-31
    (0i64..54_785).prop_map(|days| {
        NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days)
    })
}

/// Text that looks like releases: words, numbers, punctuation, month names, odd Unicode.
fn release_like_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[A-Za-z]{1,12}",
        "[0-9]{1,5}",
        Just("p.m.".to_string()),
        Just("a.m.".to_string()),
        Just(":".to_string()),
        Just("-".to_string()),
        Just("–".to_string()),
        Just("/".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just("the".to_string()),
        Just("of".to_string()),
        Just("for".to_string()),
        Just("hours".to_string()),
        Just("minutes".to_string()),
        Just("approximately".to_string()),
        Just("local time".to_string()),
        Just("JST".to_string()),
        prop::sample::select(vec![
            "held a meeting with",
            "met",
            "met with",
            "held talks with",
            "paid a courtesy call on",
            "received",
            "spoke by telephone with",
            "HELD A VIDEO CONFERENCE WITH",
            "signed",
            "hosted",
            "working dinner",
            "will hold",
            "the then",
        ])
        .prop_map(str::to_string),
        prop::sample::select(MONTHS.to_vec()).prop_map(str::to_string),
        "\\PC{1,3}",
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.join(" "))
}

fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    start <= end && text.get(start..end).is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsers_never_panic_and_spans_are_sound(text in prop_oneof!["\\PC{0,200}", release_like_text()]) {
        for m in find_dates(&text) {
            prop_assert!(on_boundaries(&text, m.span.start, m.span.end));
        }
        for t in find_times(&text) {
            prop_assert!(on_boundaries(&text, t.span.start, t.span.end));
            prop_assert!(t.time.hour < 24 && t.time.minute < 60);
        }
        for d in find_durations(&text) {
            prop_assert!(on_boundaries(&text, d.span.start, d.span.end));
        }
    }

    #[test]
    fn a_printed_date_is_read_back(date in any_date(), style in 0usize..5) {
        let month = MONTHS[date.month0() as usize];
        let printed = match style {
            0 => format!("{month} {}, {}", date.day(), date.year()),
            1 => format!("{} {month} {}", date.day(), date.year()),
            2 => date.format("%Y-%m-%d").to_string(),
            3 => format!("{} {}, {}", &month[..3], date.day(), date.year()),
            _ => format!("{}, {month} {}, {}", date.format("%A"), date.day(), date.year()),
        };
        let sentence = format!("The meeting was held on {printed} in Brussels.");
        let found = find_dates(&sentence);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(&found[0].expr, &DateExpr::Full(date));
        prop_assert_eq!(&sentence[found[0].span.start..found[0].span.end], printed.as_str());
    }

    #[test]
    fn a_printed_clock_time_is_read_back(hour in 0u32..24, minute in 0u32..60, twelve in any::<bool>()) {
        let printed = if twelve {
            let (h12, meridiem) = match hour {
                0 => (12, "a.m."),
                1..=11 => (hour, "a.m."),
                12 => (12, "p.m."),
                _ => (hour - 12, "p.m."),
            };
            format!("{h12}:{minute:02} {meridiem}")
        } else {
            format!("{hour:02}:{minute:02}")
        };
        let sentence = format!("Commencing at {printed}, the two ministers held talks.");
        let found = find_times(&sentence);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(found[0].time.hhmm(), format!("{hour:02}:{minute:02}"));
    }

    #[test]
    fn a_printed_duration_is_read_back(minutes in 1u32..600, style in 0usize..3) {
        let printed = match style {
            0 => format!("for approximately {minutes} minutes"),
            1 if minutes >= 60 && minutes % 60 == 0 => format!("for {} hours", minutes / 60),
            _ if minutes > 60 && minutes % 60 != 0 => {
                format!("for {} hours and {} minutes", minutes / 60, minutes % 60)
            }
            _ => format!("for about {minutes} minutes"),
        };
        let sentence = format!("The leaders met {printed} at the Kantei.");
        let found = find_durations(&sentence);
        prop_assert_eq!(found.len(), 1, "{}: {:?}", sentence, found);
        prop_assert_eq!(found[0].minutes, minutes, "{}", sentence);
    }
}

/// The meeting-cue prefilter only skips cues that cannot match: on every line of every
/// fixture release, and on generated text, each cue whose pattern matches was let through.
#[test]
fn the_cue_prefilter_never_skips_a_cue_that_matches() {
    let gazetteer = communique::gazetteer::Gazetteer::load(None).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut lines = Vec::new();
    for dir in ["corpus", "written", "written2", "hostile"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap())
                .into_owned();
            lines.extend(text.lines().map(str::to_owned));
        }
    }
    let mut matched = 0;
    for line in &lines {
        let possible = gazetteer.scan_sentence(line).possible_cues;
        for (index, cue) in gazetteer.meeting_cues.iter().enumerate() {
            if cue.regex.is_match(line) {
                matched += 1;
                assert!(possible[index], "cue {index} skipped on: {line}");
            }
        }
    }
    assert!(
        matched > 100,
        "the fixtures exercise the cues ({matched} matches)"
    );
    // and it does skip: most cues cannot match a sentence about something else
    let possible = gazetteer
        .scan_sentence("The two sides confirmed cooperation on cyber defence.")
        .possible_cues;
    assert!(possible.iter().filter(|p| !**p).count() > gazetteer.meeting_cues.len() / 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_cue_prefilter_is_sound_on_any_text(text in release_like_text()) {
        let gazetteer = &*GAZETTEER;
        let possible = gazetteer.scan_sentence(&text).possible_cues;
        for (index, cue) in gazetteer.meeting_cues.iter().enumerate() {
            if cue.regex.is_match(&text) {
                prop_assert!(possible[index], "cue {} skipped on: {}", index, text);
            }
        }
    }
}

static GAZETTEER: std::sync::LazyLock<communique::gazetteer::Gazetteer> =
    std::sync::LazyLock::new(|| communique::gazetteer::Gazetteer::load(None).unwrap());
