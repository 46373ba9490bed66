//! Extraction: from one release's normalised text to the meetings it reports.
//!
//! Pure functions on strings: the gazetteer and what the manifest says about the file are
//! passed in, nothing is read from disk or the clock. Submodules find one kind of thing each
//! (dates, times, people, places, topics); `meetings` puts them together.

mod date_forms;
pub mod dates;
pub mod document;
pub mod meetings;
pub mod people;
pub mod places;
pub mod times;
pub mod topics;

use crate::gazetteer::{Gazetteer, Role};
use crate::text::Span;
use crate::text::segment::segment;
use chrono::NaiveDate;
use dates::DateSource;
use document::PublishedSource;
use times::ClockTime;
use topics::TopicLink;

/// Version of the extraction rules, stored with every document; a change of rules changes it.
pub const EXTRACTOR_VERSION: &str = concat!("communique-", env!("CARGO_PKG_VERSION"), "+rules.1");

/// The values of `meetings.kind`.
pub const MEETING_KINDS: &[&str] = &[
    "meeting",
    "courtesy-call",
    "working-meal",
    "telephone-talk",
    "video-conference",
    "summit-session",
    "signing",
];

/// What the manifest says about a file (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMeta {
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub published_on: Option<NaiveDate>,
}

/// A person at a meeting as one release reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub name: String,
    pub family_name: Option<String>,
    pub in_gazetteer: bool,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub role: Role,
    /// The sentence that names them for this meeting.
    pub span: Span,
}

/// A meeting as one release reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub held_on: Option<NaiveDate>,
    pub held_on_source: Option<DateSource>,
    /// The date as written ("On April 15"), with the date line when it gave the year.
    pub held_on_evidence: Option<String>,
    pub starts_at: Option<ClockTime>,
    pub duration_minutes: Option<u32>,
    pub kind: String,
    pub location: Option<String>,
    pub venue: Option<String>,
    pub timezone: Option<String>,
    /// The sentence that reports the meeting.
    pub span: Span,
    pub participants: Vec<Participant>,
    pub topics: Vec<TopicLink>,
}

/// Everything read from one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub published_on_source: Option<PublishedSource>,
    pub meetings: Vec<Meeting>,
}

/// Extract the meetings of one release from its normalised `body`.
pub fn extract(body: &str, source: &SourceMeta, gazetteer: &Gazetteer) -> Extraction {
    let segmented = segment(body, &gazetteer.line_rules);
    let meta = document::read_meta(body, &segmented, source, gazetteer);
    let meetings = meetings::assemble(body, &segmented, &meta, gazetteer);
    Extraction {
        title: meta.title.clone(),
        publisher: meta.publisher.clone(),
        published_on: meta.published_on,
        published_on_source: meta.published_source,
        meetings,
    }
}

#[cfg(test)]
mod tests_support {
    pub(super) use super::*;
    pub(super) use std::sync::LazyLock;

    pub(super) static GAZETTEER: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::builtin().expect("built-in data loads"));

    pub(super) fn source(
        published: Option<&str>,
        url: Option<&str>,
        publisher: Option<&str>,
    ) -> SourceMeta {
        SourceMeta {
            url: url.map(str::to_owned),
            publisher: publisher.map(str::to_owned),
            published_on: published.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        }
    }

    /// One line per meeting: "date time duration kind location | name (org, role); ..."
    pub(super) fn summary(body: &str, meta: &SourceMeta) -> Vec<String> {
        extract(body, meta, &GAZETTEER)
            .meetings
            .iter()
            .map(|m| {
                let people: Vec<String> = m
                    .participants
                    .iter()
                    .filter(|p| p.role != Role::Mentioned)
                    .map(|p| {
                        format!(
                            "{} ({}, {})",
                            p.name,
                            p.organization.as_deref().unwrap_or("?"),
                            p.role.as_str()
                        )
                    })
                    .collect();
                format!(
                    "{} {} {} {} {} | {}",
                    m.held_on.map_or("-".into(), |d| d.to_string()),
                    m.starts_at.map_or("-".into(), |t| t.hhmm()),
                    m.duration_minutes.map_or("-".into(), |d| d.to_string()),
                    m.kind,
                    m.location.as_deref().unwrap_or("-"),
                    people.join("; ")
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;

    #[test]
    fn a_courtesy_call_with_host_and_guest() {
        let body = "Courtesy call on the Prime Minister\nMonday, March 3, 2031\nOn March 3, commencing at 4:10 p.m. for approximately 20 minutes, Prime Minister Shinzo Abe received a courtesy call from H.E. Mr. Jens Stoltenberg, Secretary General of NATO, at the Prime Minister's Office. The two exchanged views on cyber defence.";
        assert_eq!(
            summary(
                body,
                &source(None, None, Some("Ministry of Foreign Affairs of Japan"))
            ),
            vec![
                "2031-03-03 16:10 20 courtesy-call Tokyo | Shinzo Abe (Japan, host); Jens Stoltenberg (NATO, guest)"
            ]
        );
    }

    #[test]
    fn a_telephone_talk_from_a_downing_street_readout() {
        let body = "Prime Minister Rishi Sunak spoke to Japanese Prime Minister Fumio Kishida this morning.\n\nThe leaders agreed to deepen cooperation on cyber security.";
        let meta = source(
            None,
            Some(
                "https://www.gov.uk/government/news/pm-call-with-japanese-prime-minister-kishida-4-november-2022",
            ),
            None,
        );
        assert_eq!(
            summary(body, &meta),
            vec![
                "2022-11-04 - - telephone-talk - | Rishi Sunak (United Kingdom, participant); Fumio Kishida (Japan, participant)"
            ]
        );
    }

    #[test]
    fn the_unnamed_prime_minister_of_a_readout_is_the_publishers() {
        let body = "date 2022-06-28 The Prime Minister met Japanese Prime Minister Fumio Kishida at the G7 Summit today.";
        let meta = source(None, Some("https://www.gov.uk/government/news/x"), None);
        let found = summary(body, &meta);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("Boris Johnson (United Kingdom"),
            "{found:?}"
        );
    }

    #[test]
    fn separately_timed_sessions_are_separate_meetings() {
        let body = "January 31, 2031\nOn January 31, commencing at 6:20 p.m. for approximately 25 minutes, Mr. KISHIDA Fumio, Prime Minister of Japan, held a meeting with H.E. Mr. Jens Stoltenberg, Secretary General of NATO. Following a joint press occasion after the meeting, a working dinner was held for about 55 minutes starting at 7:10 p.m.";
        assert_eq!(
            summary(body, &source(None, None, None)),
            vec![
                "2031-01-31 18:20 25 meeting - | Fumio Kishida (Japan, participant); Jens Stoltenberg (NATO, participant)",
                "2031-01-31 19:10 55 working-meal - | Fumio Kishida (Japan, participant); Jens Stoltenberg (NATO, participant)",
            ]
        );
    }

    #[test]
    fn a_trip_report_gives_one_meeting_per_minister() {
        let body = "12 Sep. 2031\nDuring his visit to Tokyo on Friday (12 September), the Secretary General Jens Stoltenberg held talks with the Minister of Foreign Affairs Yoko Kamikawa, Defence Minister Minoru Kihara and he met with members of the Japanese Diet.";
        let found = summary(body, &source(None, None, Some("NATO")));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("Yoko Kamikawa (Japan") && !found[0].contains("Kihara"));
        assert!(found[1].contains("Minoru Kihara (Japan") && !found[1].contains("Kamikawa"));
    }

    #[test]
    fn announcements_and_background_are_not_meetings() {
        let meta = source(Some("2031-05-07"), None, None);
        assert!(summary("Prime Minister Shinzo Abe will hold talks with Secretary General Jens Stoltenberg next week.", &meta).is_empty());
        assert!(summary("The declaration builds on one Prime Minister Shinzo Abe and Secretary General Jens Stoltenberg signed in Tokyo in April 2029.", &meta).is_empty());
        assert!(summary("Minister Iwaya met members of the Diet.", &meta).is_empty());
    }

    #[test]
    fn a_weekday_counts_back_from_the_release_date() {
        let body = "Wednesday, May 7, 2031\n\nAfter their talks at the NATO headquarters, Prime Minister Shinzo Abe and NATO Secretary General Jens Stoltenberg signed a roadmap on Tuesday.";
        let found = summary(body, &source(None, None, None));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("2031-05-06 - - signing Brussels"),
            "{found:?}"
        );
    }
}

/// Readouts in the styles of other publishers, written for these tests.
#[cfg(test)]
mod other_publishers {
    use super::tests_support::*;

    #[test]
    fn state_department_readout() {
        let body = "Secretary Blinken's Meeting with Japanese Foreign Minister Hayashi\nMarch 16, 2023\nThe below is attributable to Spokesperson Ned Price:\nSecretary of State Antony J. Blinken met today with Japanese Foreign Minister Yoshimasa Hayashi in Washington. The Secretary and the Foreign Minister discussed North Korea's ballistic missile launches and cooperation in the Indo-Pacific.";
        let found = summary(
            body,
            &source(
                None,
                Some(
                    "https://www.state.gov/secretary-blinkens-meeting-with-japanese-foreign-minister-hayashi",
                ),
                None,
            ),
        );
        assert_eq!(
            found,
            vec![
                "2023-03-16 - - meeting Washington | Antony Blinken (United States, host); Yoshimasa Hayashi (Japan, guest)"
            ]
        );
    }

    #[test]
    fn state_department_call() {
        let body = "Secretary Blinken's Call with Ukrainian Foreign Minister Kuleba\nJune 2, 2022\nSecretary Blinken spoke today with Ukrainian Foreign Minister Dmytro Kuleba about Russia's war.";
        let found = summary(body, &source(None, None, Some("US Department of State")));
        assert_eq!(
            found,
            vec![
                "2022-06-02 - - telephone-talk - | Antony Blinken (United States, participant); Dmytro Kuleba (Ukraine, participant)"
            ]
        );
    }

    #[test]
    fn united_nations_readout() {
        let body = "Readout of the Secretary-General's meeting with the Foreign Minister of Japan\n12 September 2019\nThe Secretary-General met today with H.E. Mr. Toshimitsu Motegi, Minister for Foreign Affairs of Japan. They discussed climate change and the situation on the Korean Peninsula.";
        let found = summary(
            body,
            &source(
                None,
                Some("https://www.un.org/sg/en/content/sg/readout/2019-09-12/x"),
                None,
            ),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("2019-09-12 - - meeting"), "{found:?}");
        assert!(
            found[0].contains("António Guterres (United Nations"),
            "{found:?}"
        );
        assert!(found[0].contains("Toshimitsu Motegi (Japan"), "{found:?}");
    }

    #[test]
    fn european_union_video_conference() {
        let body = "Press release\n4 May 2021\nPresident von der Leyen held a video conference with Prime Minister Yoshihide Suga of Japan on Tuesday to prepare the EU-Japan summit.";
        let found = summary(body, &source(None, None, Some("European Commission")));
        assert_eq!(
            found,
            vec![
                "2021-05-04 - - video-conference - | Ursula von der Leyen (European Union, participant); Yoshihide Suga (Japan, participant)"
            ]
        );
    }

    #[test]
    fn downing_street_call_with_an_unnamed_prime_minister() {
        let body = "PM call with President Zelenskyy: 12 March 2023\nThe Prime Minister spoke to President Zelenskyy this afternoon.\nThe leaders discussed the situation in Ukraine.";
        let found = summary(
            body,
            &source(
                None,
                Some(
                    "https://www.gov.uk/government/news/pm-call-with-president-zelenskyy-12-march-2023",
                ),
                None,
            ),
        );
        assert_eq!(
            found,
            vec![
                "2023-03-12 - - telephone-talk - | Rishi Sunak (United Kingdom, participant); Volodymyr Zelenskyy (Ukraine, participant)"
            ]
        );
    }

    #[test]
    fn a_release_without_a_meeting_invents_none() {
        let body = "Statement by the Press Secretary\nJuly 4, 2022\nJapan strongly condemns the missile launch by North Korea. Prime Minister Kishida instructed ministers to gather information.";
        assert!(summary(body, &source(None, None, None)).is_empty());
    }
}

/// Less common ways of reporting a meeting, one rule each.
#[cfg(test)]
mod more_forms {
    use super::tests_support::*;

    fn one(body: &str) -> String {
        let found = summary(
            body,
            &source(
                Some("2030-03-12"),
                None,
                Some("Ministry of Foreign Affairs of Japan"),
            ),
        );
        assert_eq!(found.len(), 1, "{body}\n{found:?}");
        found[0].clone()
    }

    #[test]
    fn two_people_joined_by_and_met() {
        let m = one(
            "Prime Minister Taro Yamada and President John Carter met on the sidelines of the G20 Summit on March 11.",
        );
        assert!(m.starts_with("2030-03-11 - - meeting"), "{m}");
        assert!(
            m.contains("Taro Yamada") && m.contains("John Carter"),
            "{m}"
        );
    }

    #[test]
    fn organisation_after_the_name() {
        let m = one(
            "On March 11, Foreign Minister Taro Yamada held talks with President Joko Widodo of Indonesia.",
        );
        assert!(m.contains("Joko Widodo (Indonesia"), "{m}");
    }

    #[test]
    fn consultations_co_chaired() {
        let m = one(
            "On March 10, the 3rd Japan-EU Consultations were held in Tokyo, co-chaired by Mr. Taro Yamada, Deputy Minister for Foreign Affairs, and Ms. Anna Berg, Deputy Secretary General of the European External Action Service.",
        );
        assert!(m.starts_with("2030-03-10 - - meeting Tokyo"), "{m}");
        assert!(m.contains("Taro Yamada") && m.contains("Anna Berg"), "{m}");
    }

    #[test]
    fn hosted_dinner_video_and_phone() {
        assert!(
            one(
                "On March 11, Prime Minister Taro Yamada hosted a dinner for President John Carter."
            )
            .contains("working-meal")
        );
        assert!(one("On March 11, Minister Taro Yamada held a video conference meeting with Minister John Carter.").contains("video-conference"));
        assert!(one("On March 11, Minister Taro Yamada received a telephone call from Minister John Carter.").contains("telephone-talk"));
    }

    #[test]
    fn a_shared_subject_across_and() {
        let m = one(
            "On March 11, Minister Taro Yamada visited Brussels and held a meeting with Mr. John Carter.",
        );
        assert!(
            m.contains("Taro Yamada") && m.contains("John Carter"),
            "{m}"
        );
    }

    #[test]
    fn someone_standing_beside_is_not_someone_met() {
        let found = summary(
            "Speaking alongside Prime Minister Taro Yamada, the Secretary General called on North Korea to stop.",
            &source(Some("2030-03-12"), None, Some("NATO")),
        );
        assert!(found.is_empty(), "{found:?}");
    }
}

#[cfg(test)]
mod not_meetings {
    use super::tests_support::*;

    #[test]
    fn people_of_one_government_meeting_each_other_is_not_diplomacy() {
        let body = "December 1, 2022\nOn December 1, Prime Minister Fumio Kishida held a meeting with Foreign Minister Yoshimasa Hayashi.";
        assert!(summary(body, &source(None, None, None)).is_empty());
    }

    #[test]
    fn visiting_a_place_is_not_meeting_the_person_named_after_it() {
        let body = "January 16, 2017\nIt was only the second time a Minister of Defense of Japan visited NATO since the very first visit by Minister of Defense Kyuma.";
        assert!(summary(body, &source(None, None, None)).is_empty());
    }
}

/// Rules learnt from releases in other publishers' styles, each on sentences written here.
#[cfg(test)]
mod trip_reports_and_sessions {
    use super::tests_support::*;

    #[test]
    fn headings_name_the_counterparts_country() {
        let body = "March 3, 2030\nFrom March 2 to 3, Mr. YAMADA Taro, Minister for Foreign Affairs, visited Lisbon, the Portuguese Republic, and held the following meetings.\n1. Brazil\nOn March 2, Minister Yamada met with H.E. Mr. Paulo Lima, Minister of External Relations.\n2. Ghana\nOn March 3, Minister Yamada met with H.E. Ms. Ama Owusu, Minister for Foreign Affairs.";
        let found = summary(
            body,
            &source(None, None, Some("Ministry of Foreign Affairs of Japan")),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("Paulo Lima (Brazil") && found[0].contains("Lisbon"),
            "{found:?}"
        );
        assert!(found[1].contains("Ama Owusu (Ghana"), "{found:?}");
    }

    #[test]
    fn a_headed_working_dinner_gets_its_own_topics() {
        let body = "May 1, 2030\nOn May 1, commencing at 5:00 p.m. for approximately 40 minutes, Mr. YAMADA Taro, Minister for Foreign Affairs, held a meeting with the Rt Hon John Smith MP, Foreign Secretary of the United Kingdom. Subsequently, Minister Yamada hosted a working dinner for Foreign Secretary Smith, commencing at 6:00 p.m. for approximately one hour. The outline is as follows.\n1. Meeting\nThe two ministers discussed North Korea.\n2. Working Dinner\nOver dinner, they exchanged views on the South China Sea.";
        let meetings = extract(
            body,
            &source(None, None, Some("Ministry of Foreign Affairs of Japan")),
            &GAZETTEER,
        )
        .meetings;
        let slugs = |i: usize| {
            meetings[i]
                .topics
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(meetings.len(), 2);
        assert_eq!(slugs(0), vec!["north-korea"]);
        assert_eq!(slugs(1), vec!["china"]);
        assert_eq!(meetings[1].kind, "working-meal");
    }

    #[test]
    fn a_sentence_naming_one_counterpart_belongs_to_that_meeting() {
        let body = "12 Apr. 2030\nNATO Secretary General Jens Stoltenberg held talks with the Foreign Minister of the Republic of Korea, Kim Min-su, in Seoul on Friday (12 April 2030). Earlier in the day, he was received by President Lee Jun-ho.\nWith Minister Kim, Mr Stoltenberg discussed cyber defence. They also agreed on a partnership programme.";
        let meetings = extract(body, &source(None, None, Some("NATO")), &GAZETTEER).meetings;
        assert_eq!(meetings.len(), 2, "{meetings:?}");
        assert_eq!(meetings[1].kind, "courtesy-call");
        let kim = meetings
            .iter()
            .find(|m| m.participants.iter().any(|p| p.name == "Kim Min-su"))
            .unwrap();
        let slugs: Vec<&str> = kim.topics.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, vec!["partnership-framework", "cyber"]);
    }

    #[test]
    fn a_ministers_own_release_speaks_in_the_first_person() {
        let body = "Meeting with the Foreign Minister of Japan\nMedia release\n9 May 2030\nSenator the Hon Jane Citizen, Minister for Foreign Affairs\nToday I met my counterpart, Japanese Minister for Foreign Affairs Taro Yamada, in Tokyo. We spoke for about an hour.";
        let found = summary(
            body,
            &source(
                None,
                None,
                Some("Department of Foreign Affairs and Trade (Australia)"),
            ),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("2030-05-09 - 60 meeting Tokyo"),
            "{found:?}"
        );
        assert!(
            found[0].contains("Jane Citizen (Australia") && found[0].contains("Taro Yamada (Japan"),
            "{found:?}"
        );
    }

    #[test]
    fn an_institution_meets_a_person_and_the_chair_is_named_later() {
        let body = "29 Feb. 2030\nThe North Atlantic Council met with Australia's Deputy Prime Minister and Minister for Defence, Richard Marles, at NATO Headquarters on Thursday (28 February 2030). The meeting was chaired by NATO Secretary General Jens Stoltenberg.";
        let found = summary(body, &source(None, None, Some("NATO")));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("Richard Marles (Australia, guest)")
                && found[0].contains("Jens Stoltenberg (NATO, host)"),
            "{found:?}"
        );
    }
}

#[cfg(test)]
mod structured_releases {
    use super::tests_support::*;

    #[test]
    fn header_fields_give_time_and_venue() {
        let body = "Japan-X Defense Ministerial Meeting\n1. Date and time\nApril 9, 2030, 10:10-10:55\n2. Venue\nMinistry of Defense (Ichigaya, Tokyo)\n3. Summary\n(1) Minister of Defense Taro Yamada welcomed Secretary General Mark Rutte to Japan.";
        let found = summary(
            body,
            &source(None, None, Some("Ministry of Defense of Japan")),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("2030-04-09 10:10 45 meeting Tokyo"),
            "{found:?}"
        );
    }

    #[test]
    fn bilateral_meetings_with_two_counterparts_are_two_meetings() {
        let body = "18 Jan. 2030\nOn Thursday (18 January 2030), the Chair of the NATO Military Committee, Admiral Rob Bauer, held bilateral meetings with the Chief of Staff of Japan, General Taro Yamada, and the Chairman of the Joint Chiefs of Staff of the Republic of Korea, Admiral Kim Min-su.";
        let found = summary(body, &source(None, None, Some("NATO")));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|m| m.contains("Kim Min-su (South Korea")),
            "{found:?}"
        );
    }

    #[test]
    fn a_summit_whose_sides_were_represented() {
        let body = "EU-Japan summit, Brussels, 13 July 2030\nThe 35th EU-Japan summit took place in Brussels on 13 July 2030. The EU was represented by Ana Costa, President of the European Council. Prime Minister Taro Yamada represented Japan.";
        let found = summary(body, &source(None, None, Some("European Council")));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("Ana Costa (European Union")
                && found[0].contains("Taro Yamada (Japan"),
            "{found:?}"
        );
    }
}
