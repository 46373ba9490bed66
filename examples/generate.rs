//! Benchmark corpus generator (a development tool, not a user command).
//!
//! Writes N realistic releases varied over several publishers' templates — foreign-ministry
//! meetings, courtesy calls, telephone talks, NATO news, Downing Street and State Department
//! readouts, two-session releases — with dates, times and names in their different written
//! forms, a `manifest.csv`, and the truth it used as gold JSON (the annotation format of
//! tests/fixtures/GUIDELINES.md), so throughput is measured on realistic text and accuracy
//! can be checked at scale with the scorer.
//!
//! ```sh
//! cargo run --release --example generate -- --count 100000 --out /tmp/bench/raw --gold /tmp/bench/gold
//! ```
//!
//! Output is deterministic: the same count and seed give the same files.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// A small deterministic generator (xorshift64*), so the corpus needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// given name, family name, title, organisation, the title's "of ..." phrase, Japanese order
struct Person {
    given: &'static str,
    family: &'static str,
    title: &'static str,
    org: &'static str,
    of: &'static str,
    japanese: bool,
}

const JAPAN: &[Person] = &[
    Person {
        given: "Taro",
        family: "Yamamura",
        title: "Minister for Foreign Affairs",
        org: "Japan",
        of: "of Japan",
        japanese: true,
    },
    Person {
        given: "Hanako",
        family: "Kitagawa",
        title: "Prime Minister",
        org: "Japan",
        of: "of Japan",
        japanese: true,
    },
    Person {
        given: "Kenji",
        family: "Moriyama",
        title: "Minister of Defense",
        org: "Japan",
        of: "of Japan",
        japanese: true,
    },
    Person {
        given: "Yuko",
        family: "Hoshino",
        title: "State Minister for Foreign Affairs",
        org: "Japan",
        of: "of Japan",
        japanese: true,
    },
    Person {
        given: "Ichiro",
        family: "Takeda",
        title: "Minister for Foreign Affairs",
        org: "Japan",
        of: "of Japan",
        japanese: true,
    },
];

const PARTNERS: &[Person] = &[
    Person {
        given: "Lars",
        family: "Nordberg",
        title: "Secretary General",
        org: "NATO",
        of: "of the North Atlantic Treaty Organization (NATO)",
        japanese: false,
    },
    Person {
        given: "Maria",
        family: "Castellano",
        title: "Deputy Secretary General",
        org: "NATO",
        of: "of NATO",
        japanese: false,
    },
    Person {
        given: "Oliver",
        family: "Hartley",
        title: "Foreign Secretary",
        org: "United Kingdom",
        of: "of the United Kingdom",
        japanese: false,
    },
    Person {
        given: "Claire",
        family: "Dubois",
        title: "Minister for Europe and Foreign Affairs",
        org: "France",
        of: "of the French Republic",
        japanese: false,
    },
    Person {
        given: "Stefan",
        family: "Brandt",
        title: "Federal Minister for Foreign Affairs",
        org: "Germany",
        of: "of the Federal Republic of Germany",
        japanese: false,
    },
    Person {
        given: "Emily",
        family: "Watson",
        title: "Minister for Foreign Affairs",
        org: "Australia",
        of: "of Australia",
        japanese: false,
    },
    Person {
        given: "Daniel",
        family: "Reeve",
        title: "Secretary of State",
        org: "United States",
        of: "of the United States",
        japanese: false,
    },
    Person {
        given: "Piotr",
        family: "Kowalczyk",
        title: "Minister of Foreign Affairs",
        org: "Poland",
        of: "of the Republic of Poland",
        japanese: false,
    },
    Person {
        given: "Aroha",
        family: "Parata",
        title: "Minister of Foreign Affairs",
        org: "New Zealand",
        of: "of New Zealand",
        japanese: false,
    },
    Person {
        given: "Giulia",
        family: "Ferraro",
        title: "Minister of Foreign Affairs",
        org: "Italy",
        of: "of the Italian Republic",
        japanese: false,
    },
];

const MONTHS: &[&str] = &[
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
const SHORT_MONTHS: &[&str] = &[
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// (sentence, slug) pairs the overview draws from.
const TOPICS: &[(&str, &str)] = &[
    (
        "The two sides confirmed their cooperation on cyber defence and cyber security.",
        "cyber",
    ),
    (
        "They shared serious concerns over North Korea's nuclear and missile development.",
        "north-korea",
    ),
    (
        "The two ministers exchanged views on the situation in the East and South China Seas.",
        "china",
    ),
    (
        "They reaffirmed their support for Ukraine in the face of Russia's aggression.",
        "ukraine-russia",
    ),
    (
        "Both sides shared the view that the security of the Euro-Atlantic and the Indo-Pacific is inseparable.",
        "indo-pacific",
    ),
    (
        "They agreed to strengthen maritime security cooperation, including freedom of navigation.",
        "maritime-security",
    ),
    (
        "The two sides welcomed progress on the Individually Tailored Partnership Programme.",
        "partnership-framework",
    ),
    (
        "They confirmed cooperation in humanitarian assistance and disaster relief.",
        "hadr",
    ),
    (
        "The ministers agreed to expand joint exercises and personnel exchanges.",
        "training-exercises",
    ),
    (
        "They discussed cooperation on defence equipment and technology.",
        "defence-industry",
    ),
    (
        "The two sides discussed the situation in the Middle East, including Gaza.",
        "middle-east",
    ),
    (
        "They underlined the importance of women, peace and security.",
        "women-peace-security",
    ),
];

struct Truth {
    date: String,
    start: Option<String>,
    duration: Option<u32>,
    kind: &'static str,
    location: Option<&'static str>,
    people: Vec<(&'static Person, bool)>,
    topics: Vec<&'static str>,
}

/// Days from 2010-01-01 the corpus spreads over (2010–2024).
const DAYS: u64 = 5479;

/// The date `offset` days after 2010-01-01.
fn civil_date(offset: u64) -> (i32, usize, usize) {
    let (mut year, mut month, mut left) = (2010, 1, offset as usize);
    while left >= days_in(month, year) {
        left -= days_in(month, year);
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    (year, month, left + 1)
}

fn days_in(month: usize, year: i32) -> usize {
    match month {
        2 if year % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day of the week (0 = Monday) by Zeller's congruence.
fn weekday(year: i32, month: usize, day: usize) -> usize {
    let (y, m) = if month < 3 {
        (year - 1, month + 12)
    } else {
        (year, month)
    };
    let k = y % 100;
    let j = y / 100;
    let h = (day as i32 + 13 * (m as i32 + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;
    ((h + 5) % 7) as usize
}

fn display_name(p: &Person, rng: &mut Rng) -> String {
    if p.japanese && rng.chance(70) {
        format!("{} {}", p.family.to_uppercase(), p.given)
    } else {
        format!("{} {}", p.given, p.family)
    }
}

fn clock(rng: &mut Rng) -> (String, String) {
    let hour = 9 + rng.below(11);
    let minute = 5 * rng.below(12);
    let (h12, suffix) = if hour >= 12 {
        (if hour == 12 { 12 } else { hour - 12 }, "p.m.")
    } else {
        (hour, "a.m.")
    };
    (
        format!("{h12}:{minute:02} {suffix}"),
        format!("{hour:02}:{minute:02}"),
    )
}

fn overview(rng: &mut Rng, truth: &mut Truth, text: &mut String) {
    let count = 2 + rng.below(4);
    let mut used = Vec::new();
    for i in 0..count {
        let (sentence, slug) = *rng.pick(TOPICS);
        if used.contains(&slug) {
            continue;
        }
        used.push(slug);
        let _ = writeln!(text, "{}. {sentence}", i + 1);
    }
    truth.topics = used;
}

/// One release and its truth.
fn release(n: usize, rng: &mut Rng) -> (String, Vec<Truth>, String, &'static str) {
    // Date and pair come from a permutation of n, not from the stream: two
    // releases that drew the same pair on the same day would be one meeting
    // to the scorer but carry different times, so a corpus of up to
    // DAYS × pairs releases has every (date, pair) once.
    let pairs = JAPAN.len() * PARTNERS.len();
    let slot = (n as u64).wrapping_mul(104_729) % (DAYS * pairs as u64);
    let host = &JAPAN[slot as usize % JAPAN.len()];
    let guest = &PARTNERS[(slot as usize / JAPAN.len()) % PARTNERS.len()];
    let (year, month, day) = civil_date(slot / pairs as u64);
    let date = format!("{year}-{month:02}-{day:02}");
    let (written, hhmm) = clock(rng);
    let minutes = 15 + 5 * rng.below(18);
    let mut text = String::new();
    let mut truths = Vec::new();
    let publisher;
    let url;
    match rng.below(6) {
        // a foreign-ministry meeting, maybe with a working dinner
        0 | 1 => {
            publisher = "Ministry of Foreign Affairs of Japan";
            url = format!("https://www.mofa.go.jp/press/release/gen_{n:06}.html");
            let two = rng.chance(30);
            let _ = writeln!(
                text,
                "Japan-{} Meeting\n\n{} {day}, {year}\n",
                guest.org,
                MONTHS[month - 1]
            );
            let _ = writeln!(
                text,
                "On {} {day}, commencing at {written} for approximately {minutes} minutes, Mr. {}, {} {}, held a meeting with H.E. {} {}, {} {}, who is visiting Japan, at the Iikura Guest House. The overview of the meeting is as follows.\n",
                MONTHS[month - 1],
                display_name(host, rng),
                host.title,
                host.of,
                if rng.chance(50) { "Mr." } else { "Ms." },
                display_name(guest, rng),
                guest.title,
                guest.of,
            );
            let mut truth = Truth {
                date: date.clone(),
                start: Some(hhmm.clone()),
                duration: Some(minutes as u32),
                kind: "meeting",
                location: Some("Tokyo"),
                people: vec![(host, true), (guest, true)],
                topics: Vec::new(),
            };
            overview(rng, &mut truth, &mut text);
            truths.push(truth);
            if two {
                let hour = (hhmm[..2].parse::<usize>().unwrap_or(12) + 2).min(23);
                let (h12, suffix) = match hour {
                    0..=11 => (hour, "a.m."),
                    12 => (12, "p.m."),
                    _ => (hour - 12, "p.m."),
                };
                let _ = writeln!(
                    text,
                    "\nFollowing the meeting, a working dinner was held for about 60 minutes starting at {h12}:{} {suffix}",
                    &hhmm[3..]
                );
                truths.push(Truth {
                    date: date.clone(),
                    start: Some(format!("{hour:02}:{}", &hhmm[3..])),
                    duration: Some(60),
                    kind: "working-meal",
                    location: Some("Tokyo"),
                    people: vec![(host, true), (guest, true)],
                    topics: Vec::new(),
                });
            }
            text.push_str("\nBack to Press Releases\n");
        }
        // a courtesy call, year only in the date line
        2 => {
            publisher = "Ministry of Foreign Affairs of Japan";
            url = format!("https://www.mofa.go.jp/erp/page_{n:06}.html");
            let _ = writeln!(
                text,
                "Courtesy Call on {} {} by {} {}\n\n{} {day}, {year}\nPhoto of the courtesy call\n",
                host.title,
                host.family,
                guest.title,
                guest.family,
                MONTHS[month - 1]
            );
            let _ = writeln!(
                text,
                "On {} {day}, commencing at {written} for approximately {minutes} minutes, {} {} received a courtesy call from {} {}, {} {}. The overview is as follows.\n",
                MONTHS[month - 1],
                host.title,
                display_name(host, rng),
                if rng.chance(50) { "H.E. Mr." } else { "Dr." },
                display_name(guest, rng),
                guest.title,
                guest.of
            );
            let mut truth = Truth {
                date: date.clone(),
                start: Some(hhmm.clone()),
                duration: Some(minutes as u32),
                kind: "courtesy-call",
                location: None,
                people: vec![(host, true), (guest, true)],
                topics: Vec::new(),
            };
            overview(rng, &mut truth, &mut text);
            truths.push(truth);
        }
        // a telephone talk
        3 => {
            publisher = "Ministry of Foreign Affairs of Japan";
            url = format!("https://www.mofa.go.jp/press/release/tel_{n:06}.html");
            let _ = writeln!(
                text,
                "Japan-{} Telephone Talk\n\n{day} {} {year}\n",
                guest.org,
                SHORT_MONTHS[month - 1]
            );
            let _ = writeln!(
                text,
                "On {} {day}, commencing at {written} for approximately {minutes} minutes, Mr. {}, {}, held a telephone talk with H.E. Mr. {}, {} {}.\n",
                MONTHS[month - 1],
                display_name(host, rng),
                host.title,
                display_name(guest, rng),
                guest.title,
                guest.of
            );
            let mut truth = Truth {
                date: date.clone(),
                start: Some(hhmm.clone()),
                duration: Some(minutes as u32),
                kind: "telephone-talk",
                location: None,
                people: vec![(host, true), (guest, true)],
                topics: Vec::new(),
            };
            overview(rng, &mut truth, &mut text);
            truths.push(truth);
        }
        // NATO news with a weekday and the date in brackets
        4 => {
            publisher = "NATO";
            url = format!("https://www.nato.int/cps/en/natohq/news_{n}.htm");
            let wd = WEEKDAYS[weekday(year, month, day)];
            let _ = writeln!(
                text,
                "{} meets {} {}\n\n  • {day:02} {} {year} -\n  • |\n",
                guest.title,
                host.title,
                host.family,
                SHORT_MONTHS[month - 1]
            );
            let _ = writeln!(
                text,
                "{} {} {} met with the {} {}, {}, at NATO Headquarters in Brussels on {wd} ({day} {} {year}).\n",
                guest.org,
                guest.title,
                display_name(guest, rng),
                host.title,
                host.of,
                display_name(host, rng),
                MONTHS[month - 1]
            );
            let mut truth = Truth {
                date: date.clone(),
                start: None,
                duration: None,
                kind: "meeting",
                location: Some("Brussels"),
                people: vec![(guest, true), (host, true)],
                topics: Vec::new(),
            };
            let (sentence, slug) = *rng.pick(TOPICS);
            let _ = writeln!(text, "{sentence}");
            truth.topics = vec![slug];
            truths.push(truth);
        }
        // a readout in the United Kingdom's or the United States' style
        _ => {
            // the partner's own government publishes the readout; its URL carries the date
            publisher = match guest.org {
                "United Kingdom" => "UK Government",
                "United States" => "US Department of State",
                "NATO" => "NATO",
                "France" => "Ministry for Europe and Foreign Affairs (France)",
                "Germany" => "Federal Foreign Office (Germany)",
                "Australia" => "Department of Foreign Affairs and Trade (Australia)",
                "Italy" => "Italian Government",
                "New Zealand" => "New Zealand Government",
                _ => "Ministry of Foreign Affairs of Poland",
            };
            let slug_month = MONTHS[month - 1].to_lowercase();
            url = format!("https://example.org/news/call-{n}-{day}-{slug_month}-{year}");
            let _ = writeln!(
                text,
                "Readout: meeting with Japanese {} {}\n",
                host.title, host.family
            );
            let _ = writeln!(
                text,
                "{} {} {} spoke to Japanese {} {} {} this morning.\n",
                guest.title, guest.given, guest.family, host.title, host.given, host.family
            );
            let mut truth = Truth {
                date: date.clone(),
                start: None,
                duration: None,
                kind: "telephone-talk",
                location: None,
                people: vec![(guest, true), (host, true)],
                topics: Vec::new(),
            };
            let (sentence, slug) = *rng.pick(TOPICS);
            let _ = writeln!(text, "{sentence}");
            truth.topics = vec![slug];
            truths.push(truth);
        }
    }
    (text, truths, url, publisher)
}

fn gold_json(file: &str, truths: &[Truth]) -> String {
    let meetings: Vec<serde_json::Value> = truths
        .iter()
        .map(|t| {
            serde_json::json!({
                "date": t.date,
                "start_time": t.start,
                "duration_minutes": t.duration,
                "kind": [t.kind],
                "location": t.location.map(|l| vec![l]),
                "participants": t.people.iter().map(|(p, _)| serde_json::json!({
                    "name": format!("{} {}", p.given, p.family),
                    "organization": p.org,
                })).collect::<Vec<_>>(),
                "topics": t.topics,
            })
        })
        .collect();
    serde_json::json!({"file": file, "meetings": meetings}).to_string()
}

fn main() -> std::io::Result<()> {
    let mut count = 1000usize;
    let mut out = PathBuf::from("bench-raw");
    let mut gold: Option<PathBuf> = None;
    let mut seed = 42u64;
    let mut start = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--count" => count = args.next().and_then(|v| v.parse().ok()).unwrap_or(count),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--gold" => gold = args.next().map(PathBuf::from),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--start" => start = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            other => {
                eprintln!(
                    "unknown argument {other}; use --count N --out DIR [--gold DIR] [--seed S] [--start I]"
                );
                std::process::exit(2);
            }
        }
    }
    std::fs::create_dir_all(&out)?;
    if let Some(g) = &gold {
        std::fs::create_dir_all(g)?;
    }
    // a manifest in each folder, describing that folder's files: the layout the README
    // recommends for large archives (ingest holds one folder's manifest at a time)
    let mut manifests: BTreeMap<String, String> = BTreeMap::new();
    for n in start..start + count {
        // each release its own stream, so --start continues a corpus identically
        let mut rng = Rng(seed ^ (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        let (text, truths, url, publisher) = release(n, &mut rng);
        // spread over folders of 1000, as an archive would be
        let folder = format!("{:03}", n / 1000);
        let file_name = format!("gen{n:07}.txt");
        let name = format!("{folder}/{file_name}");
        let path = out.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        let _ = writeln!(
            manifests.entry(folder).or_default(),
            "{file_name},{url},{publisher},"
        );
        if let Some(g) = &gold {
            std::fs::write(g.join(format!("gen{n:07}.json")), gold_json(&name, &truths))?;
        }
    }
    for (folder, rows) in manifests {
        let path = out.join(folder).join("manifest.csv");
        // a later --start adds its rows to a folder's manifest
        let mut text = if path.exists() {
            std::fs::read_to_string(&path)?
        } else {
            String::from("file,url,publisher,published_on\n")
        };
        text.push_str(&rows);
        std::fs::write(path, text)?;
    }
    Ok(())
}
