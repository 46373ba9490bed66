//! The dictionaries extraction runs on, loaded from the CSV files in `data/` (embedded at
//! build time) plus, optionally, a user's folder of extra rows in files of the same names.
//!
//! This module parses and indexes; it does not extract. Matching helpers here answer "which
//! organisation, place, title or topic cue occurs where in this text", with word boundaries.

use crate::text::fold::{fold, name_key, name_tokens};
use crate::text::segment::LineRules;
use crate::text::{Span, gate, pattern};
use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, StartKind};
use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use thiserror::Error;

/// The automaton of names (organisations, titles, places), walked anchored from word
/// starts. A contiguous NFA: for the built-in gazetteer it takes 0.3 MB where a full DFA
/// took 5.7 MB, more than a core's second-level cache, and a walk from a word start
/// follows no failure transitions, so it costs few more instructions than the DFA's.
/// Passes over the fixtures ran faster with it.
type NameAutomaton = aho_corasick::nfa::contiguous::NFA;

/// The data files, in the order they are fingerprinted, with their built-in contents.
const BUILTIN: &[(&str, &str)] = &[
    ("people.csv", include_str!("../../data/people.csv")),
    (
        "organizations.csv",
        include_str!("../../data/organizations.csv"),
    ),
    ("places.csv", include_str!("../../data/places.csv")),
    ("titles.csv", include_str!("../../data/titles.csv")),
    ("publishers.csv", include_str!("../../data/publishers.csv")),
    ("topics.csv", include_str!("../../data/topics.csv")),
    ("topic_cues.csv", include_str!("../../data/topic_cues.csv")),
    (
        "meeting_cues.csv",
        include_str!("../../data/meeting_cues.csv"),
    ),
    ("clutter.csv", include_str!("../../data/clutter.csv")),
    ("not_names.csv", include_str!("../../data/not_names.csv")),
];

#[derive(Debug, Error)]
pub enum GazetteerError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn invalid(file: &str, message: impl Into<String>) -> GazetteerError {
    GazetteerError::Invalid {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// One term of office of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub organization: String,
    pub office: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Term {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub family_names: Vec<String>,
    pub aliases: Vec<String>,
    pub terms: Vec<Term>,
}

impl Person {
    /// The term that covers `date`, else the nearest one (or the only one without a date).
    pub fn term_at(&self, date: Option<NaiveDate>) -> Option<&Term> {
        match date {
            Some(d) => self.terms.iter().find(|t| t.covers(d)).or_else(|| {
                self.terms.iter().min_by_key(|t| {
                    let start = t.start.map_or(0, |s| (s - d).num_days().abs());
                    let end = t.end.map_or(0, |e| (e - d).num_days().abs());
                    start.min(end)
                })
            }),
            None => self.terms.last(),
        }
    }

    pub fn held_office(&self, office: &str, date: Option<NaiveDate>) -> bool {
        self.terms
            .iter()
            .any(|t| t.office == office && date.is_none_or(|d| t.covers(d)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub name: String,
    pub is_state: bool,
    pub capital: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgForm {
    Name,
    Demonym,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgMatch {
    pub span: Span,
    pub org: usize,
    pub form: OrgForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    City,
    Country,
    Venue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    pub city: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMatch {
    pub span: Span,
    pub place: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleCategory {
    Honorific,
    Postnominal,
    Rank,
    Office,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub text: String,
    pub category: TitleCategory,
    /// The office this form names ("Foreign Minister" -> "Minister for Foreign Affairs").
    pub canonical: String,
    /// The organisation the title implies when nothing else does ("SACEUR" -> NATO).
    pub organization: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TitleMatch {
    pub span: Span,
    pub title: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    pub domains: Vec<String>,
    pub organization: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub slug: String,
    pub label: String,
    pub scope: String,
}

#[derive(Debug, Clone)]
pub struct TopicCue {
    pub topic: usize,
    pub cue: String,
    /// The cue matches a word prefix ("cyber*" matches "cybersecurity").
    pub prefix: bool,
    /// Ignore the cue in a sentence that also names this topic.
    pub unless: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicMatch {
    pub span: Span,
    pub cue: usize,
}

/// How a meeting cue's sentence names the participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueShape {
    /// "A held a meeting with B": people before and after the cue.
    With,
    /// "A visited Prime Minister B": like `With`, but B must follow the cue directly.
    Direct,
    /// "A and B met": two or more people before the cue.
    Plural,
    /// "talks were held between A and B": people after the cue.
    Passive,
    /// "a working dinner was held": a new session of the meeting before it.
    Session,
    /// "consultations were held": the heads of delegations are named in the next sentences.
    Delegation,
    /// "A attended the Summit": a session of a multilateral meeting.
    Attend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Host,
    Guest,
    Participant,
    Mentioned,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Guest => "guest",
            Role::Participant => "participant",
            Role::Mentioned => "mentioned",
        }
    }

    fn parse(text: &str) -> Option<Role> {
        match text {
            "host" => Some(Role::Host),
            "guest" => Some(Role::Guest),
            "participant" | "" => Some(Role::Participant),
            "mentioned" => Some(Role::Mentioned),
            _ => None,
        }
    }
}

/// The words each meeting cue must begin with, found for all cues in one scan of a sentence,
/// so that only the cues that can match are run. A cue whose beginning is not a small set of
/// words (or has letters outside ASCII) is always run.
#[derive(Debug, Clone)]
struct CuePrefilter {
    /// the words, lower-cased (searched by `SentenceScanner`, without case)
    words: Vec<String>,
    /// the cue of each word
    cue_of: Vec<usize>,
    /// cues always run
    always: Vec<bool>,
}

impl CuePrefilter {
    fn new(patterns: &[String]) -> Result<CuePrefilter, String> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let mut words = Vec::new();
        let mut cue_of = Vec::new();
        let mut always = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            // the case-sensitive pattern: its literals, lower-cased, searched without case
            let hir = regex_syntax::Parser::new()
                .parse(pattern)
                .map_err(|e| format!("{pattern}: {e}"))?;
            let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
            let literals: Option<Vec<String>> = seq.literals().and_then(|literals| {
                literals
                    .iter()
                    .map(|l| {
                        let text = std::str::from_utf8(l.as_bytes()).ok()?;
                        // only words whose case folding ASCII search gets right
                        let ascii = text
                            .chars()
                            .all(|c| c.is_ascii() || c.to_lowercase().eq(c.to_uppercase()));
                        (!text.trim().is_empty() && ascii).then(|| text.to_ascii_lowercase())
                    })
                    .collect()
            });
            match literals {
                Some(literals) if !literals.is_empty() => {
                    always.push(false);
                    for literal in literals {
                        words.push(literal);
                        cue_of.push(index);
                    }
                }
                _ => always.push(true),
            }
        }
        Ok(CuePrefilter {
            words,
            cue_of,
            always,
        })
    }
}

/// What a sentence holds for the rest of extraction: which meeting cues can match in it,
/// and the topic cues it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceScan {
    /// For each meeting cue: can it match somewhere in the sentence?
    pub possible_cues: Vec<bool>,
    /// For each meeting cue found by its first words (not one always run, and not in a
    /// sentence that `folds`), where those words begin: every match of the cue begins at one
    /// of them. Sorted by cue, then place, without repeats.
    pub cue_starts: Vec<(usize, usize)>,
    /// For each meeting cue: is every place it can begin in `cue_starts`?
    pub cue_started: Vec<bool>,
    /// Topic cues, by position (see `Gazetteer::find_topic_cues`).
    pub topics: Vec<TopicMatch>,
    /// The words of `SCANNED_GROUPS` found (caseless, anywhere, even
    /// inside a longer word), with their spans in the sentence.
    pub words: Vec<(&'static str, Span)>,
    /// The sentence has a letter outside ASCII that caseless patterns read as an ASCII one
    /// (the Kelvin sign, the long s): a word may be there without being found.
    pub folds: bool,
}

impl SentenceScan {
    /// Could a caseless pattern that needs one of `words` (a group of `SCANNED_GROUPS`)
    /// match within `within` of the sentence?
    pub fn may_hold(&self, words: &[&str], within: Span) -> bool {
        self.folds
            || self
                .words
                .iter()
                .any(|(word, span)| within.contains(*span) && words.contains(word))
    }
}

/// Words the sentence scanner also notes, for the extraction patterns that need one of them
/// to match (`extract::meetings` runs such a pattern only on a sentence that has one): a
/// regex search costs thousands of instructions even when it finds nothing, and the scanner
/// reads every sentence anyway. Every match of `ACTIVITY_BREAK` (a new activity: "gave a
/// speech", "later visited") holds one of these:
pub const ACTIVITY_WORDS: &[&str] = &[
    "speech",
    "lecture",
    "address",
    "keynote",
    "visited",
    "toured",
    "inspected",
];

/// Every match of `PLURAL_REF` (the people of a meeting: "the two leaders") holds one of these.
pub const PLURAL_WORDS: &[&str] = &["leaders", "ministers", "sides", "parties", "counterparts"];

/// Every match of `OVERVIEW` (a sentence that introduces a list: "as follows", "an outline
/// of the talks") holds one of these.
pub const OVERVIEW_WORDS: &[&str] = &["follows", "overview", "outline", "summary"];

/// Every word the sentence scanner notes, by the pattern it serves.
const SCANNED_GROUPS: [&[&str]; 3] = [ACTIVITY_WORDS, PLURAL_WORDS, OVERVIEW_WORDS];

/// A hasher for the gazetteer's look-ups by word: every token of every sentence is looked up
/// (`not_names`, the people, organisations and places by key), and the standard hasher,
/// built to resist chosen collisions, cost more than the look-ups themselves. The keys come
/// from the data files, so nothing a release says can crowd one bucket; this one mixes eight
/// bytes at a time (the multiply-and-rotate of Firefox's hash).
#[derive(Default, Clone, Copy)]
pub struct WordHasher {
    hash: u64,
}

impl WordHasher {
    fn mix(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        // the length first, so that "a" and "a\0" (the same padded chunk) differ
        self.mix(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.mix(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type WordHash = BuildHasherDefault<WordHasher>;
type WordMap<V> = HashMap<String, V, WordHash>;

/// The words every sentence is searched for, in one automaton walked once: the words the
/// meeting cues begin with and the topic cues. (Three walks, one of them over every prose
/// sentence, were a twelfth of extraction.)
#[derive(Debug, Clone)]
struct SentenceScanner {
    /// Without case: a topic cue written with capitals is checked as written after.
    dfa: aho_corasick::dfa::DFA,
    words: Vec<ScanWord>,
}

#[derive(Debug, Clone, Copy)]
enum ScanWord {
    /// A word meeting cue `cue` begins with (index into `Gazetteer::meeting_cues`).
    CueWord(usize),
    /// A word of `SCANNED_GROUPS`.
    Scanned(&'static str),
    /// Topic cue `cue` (index into `Gazetteer::topic_cues`).
    Topic {
        cue: usize,
        /// it matches a word prefix
        prefix: bool,
        /// it matches only as written (it has capitals)
        as_written: bool,
    },
}

impl SentenceScanner {
    fn new(prefilter: &CuePrefilter, topic_cues: &[TopicCue]) -> Result<Self, String> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut words = Vec::new();
        for (word, &cue) in prefilter.words.iter().zip(&prefilter.cue_of) {
            patterns.push(word);
            words.push(ScanWord::CueWord(cue));
        }
        for word in SCANNED_GROUPS.concat() {
            patterns.push(word);
            words.push(ScanWord::Scanned(word));
        }
        for (index, cue) in topic_cues.iter().enumerate() {
            patterns.push(&cue.cue);
            words.push(ScanWord::Topic {
                cue: index,
                prefix: cue.prefix,
                as_written: cue.cue.chars().any(char::is_uppercase),
            });
        }
        Ok(SentenceScanner {
            dfa: overlapping_dfa(&patterns, true)?,
            words,
        })
    }
}

#[derive(Debug, Clone)]
pub struct MeetingCue {
    pub regex: Regex,
    /// The same pattern, for searches anchored where one of its first words stands
    /// (`SentenceScan::cue_starts`).
    pub anchored: regex_automata::meta::Regex,
    pub kind: String,
    pub shape: CueShape,
    pub subject_role: Role,
    pub object_role: Role,
}

/// Where a blocking pattern applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockerScope {
    /// The text just before the cue ("will hold talks with").
    Before,
    /// Anywhere in the sentence ("the then Prime Minister").
    Sentence,
    /// Anywhere in the cue's clause before it ("Recalling his visit to Tokyo, where he met").
    Clause,
}

#[derive(Debug, Clone)]
pub struct Blocker {
    pub regex: Regex,
    pub scope: BlockerScope,
}

/// What the patterns of a matcher stand for, and the word-boundary rule they share.
#[derive(Debug, Clone)]
struct PatternInfo {
    /// What each pattern stands for.
    values: Vec<usize>,
    /// Patterns that match a word prefix only.
    prefix: Vec<bool>,
}

impl PatternInfo {
    fn of(patterns: &[(String, usize, bool)]) -> Self {
        PatternInfo {
            values: patterns.iter().map(|(_, v, _)| *v).collect(),
            prefix: patterns.iter().map(|(_, _, p)| *p).collect(),
        }
    }

    fn starts_word(text: &str, at: usize) -> bool {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    }

    fn accept(&self, text: &str, start: usize, end: usize, pattern: usize) -> bool {
        at_word_boundaries(text, start, end, self.prefix[pattern])
    }
}

/// Names (organisations, places, titles): non-overlapping, longest first, at word
/// boundaries. Searched in every sentence; a name can only start where a word does and with
/// one of a few bytes (mostly capitals), so the automaton is walked, anchored, from those
/// places alone, a fraction of the text an unanchored scan reads.
#[derive(Debug, Clone)]
struct NameMatcher {
    automaton: NameAutomaton,
    /// The bytes a pattern can start with.
    first_bytes: Box<[bool; 256]>,
    info: PatternInfo,
    /// The patterns, for the tests that compare with an unanchored search.
    #[cfg(test)]
    patterns: Vec<String>,
}

impl NameMatcher {
    fn new(patterns: &[(String, usize, bool)]) -> Result<Self, String> {
        let mut first_bytes = Box::new([false; 256]);
        for (pattern, _, _) in patterns {
            if let Some(&b) = pattern.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        // (see `NameAutomaton`)
        let automaton = aho_corasick::nfa::contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            // walked by `walk_names`, which reads no prefilter
            .prefilter(false)
            .build(patterns.iter().map(|(p, _, _)| p.as_str()))
            .map_err(|e| e.to_string())?;
        Ok(NameMatcher {
            automaton,
            first_bytes,
            info: PatternInfo::of(patterns),
            #[cfg(test)]
            patterns: patterns.iter().map(|(p, _, _)| p.clone()).collect(),
        })
    }

    /// Matches at word boundaries, left to right: (span, value, pattern). At each word start
    /// the longest name that starts there; a name that runs on into a word ("Japan" in
    /// "Japanese") is passed over whole, as an unanchored leftmost-longest search passes over
    /// it. (Unlike that search, a name found inside a word, and refused, no longer hides one
    /// that starts at a later word start within it.)
    fn find(&self, text: &str) -> Vec<(Span, usize, usize)> {
        let mut scan = NameScan::default();
        for at in 0..text.len() {
            // a pattern's first byte is never a UTF-8 continuation byte, so `at` is on a
            // character boundary whenever it is tried
            if self.first_bytes[usize::from(text.as_bytes()[at])]
                && PatternInfo::starts_word(text, at)
            {
                self.step(text, at, &mut scan);
            }
        }
        scan.found
    }

    /// One step of `find` at word start `at` (whose first byte is one of `first_bytes`): the
    /// longest name that starts there, unless the last name found runs past `at`.
    fn step(&self, text: &str, at: usize, scan: &mut NameScan) {
        if at < scan.next {
            return;
        }
        // the longest pattern that starts at `at`: the first as long as the walk at the last
        // match state passed
        let mut longest = None;
        walk_names(&self.automaton, text.as_bytes(), at, |end, starting_at| {
            if let Some(pattern) = starting_at.next() {
                longest = Some((pattern.as_usize(), end));
            }
        });
        if let Some((pattern, end)) = longest {
            if self.info.accept(text, at, end, pattern) {
                scan.found
                    .push((Span::new(at, end), self.info.values[pattern], pattern));
            }
            scan.next = end;
        }
    }
}

/// The organisation, title and place patterns in one anchored automaton, for `find_names`:
/// from a word start one walk finds, for each kind, the longest name of that kind starting
/// there, where three walks did (each of which read the same bytes).
#[derive(Debug, Clone)]
struct NamesMatcher {
    automaton: NameAutomaton,
    /// Each pattern's kind (0 organisations, 1 titles, 2 places) and its index among the
    /// patterns of that kind's `NameMatcher`.
    kind_of: Vec<(u8, u32)>,
}

impl NamesMatcher {
    fn new(kinds: [&[(String, usize, bool)]; 3]) -> Result<Self, String> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut kind_of = Vec::new();
        for (kind, list) in kinds.iter().enumerate() {
            for (index, (pattern, _, _)) in list.iter().enumerate() {
                patterns.push(pattern);
                kind_of.push((kind as u8, u32::try_from(index).map_err(|e| e.to_string())?));
            }
        }
        let automaton = aho_corasick::nfa::contiguous::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            // walked by `walk_names`, which reads no prefilter
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(NamesMatcher { automaton, kind_of })
    }

    /// For each kind in `wanted`, the longest pattern of that kind that starts at `at`:
    /// (its index among that kind's patterns, where it ends). As `NameMatcher::step` finds
    /// it: the first pattern of the kind, in a match state's order, as long as the walk.
    fn longest_at(
        &self,
        bytes: &[u8],
        at: usize,
        wanted: [bool; 3],
    ) -> [Option<(usize, usize)>; 3] {
        let mut longest = [None; 3];
        walk_names(&self.automaton, bytes, at, |end, starting_at| {
            let mut taken = [false; 3];
            for pattern in starting_at {
                let (kind, index) = self.kind_of[pattern.as_usize()];
                let kind = usize::from(kind);
                if wanted[kind] && !taken[kind] {
                    taken[kind] = true;
                    longest[kind] = Some((index as usize, end));
                }
            }
        });
        longest
    }
}

/// Walk the anchored name `automaton` from `at` until it is dead; at each match state
/// passed, `each(end, patterns)` with the patterns, in the state's order, that are as long as
/// the walk. (A match state also carries the names that end there but start later — "Hon" at
/// the end of "The Hon…", on the way to "The Honourable" — and only a name as long as the
/// walk starts at `at`.)
fn walk_names(
    automaton: &NameAutomaton,
    bytes: &[u8],
    at: usize,
    mut each: impl FnMut(usize, &mut dyn Iterator<Item = aho_corasick::PatternID>),
) {
    let Ok(mut state) = automaton.start_state(Anchored::Yes) else {
        return;
    };
    for (end, &byte) in bytes.iter().enumerate().skip(at) {
        state = automaton.next_state(Anchored::Yes, state, byte);
        if automaton.is_special(state) {
            if automaton.is_dead(state) {
                break;
            }
            let walked = end + 1 - at;
            let mut starting_at = (0..automaton.match_len(state))
                .map(|i| automaton.match_pattern(state, i))
                .filter(|&p| automaton.pattern_len(p) == walked);
            each(end + 1, &mut starting_at);
        }
    }
}

/// A `NameMatcher` search under way: what it found, and where it may look next.
#[derive(Debug, Default)]
struct NameScan {
    found: Vec<(Span, usize, usize)>,
    next: usize,
}

/// The organisations, titles and places of a text (see `Gazetteer::find_names`).
#[derive(Debug, Default)]
pub struct Names {
    pub organizations: Vec<OrgMatch>,
    pub titles: Vec<TitleMatch>,
    pub places: Vec<PlaceMatch>,
}

/// Whether `text[start..end]` starts a word and, unless it is a `prefix`, ends one.
fn at_word_boundaries(text: &str, start: usize, end: usize, prefix: bool) -> bool {
    let after_ok = prefix
        || text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
    PatternInfo::starts_word(text, start) && after_ok
}

/// A full unanchored DFA for overlapping search: every byte of every sentence is walked,
/// and an unanchored NFA walk follows failure transitions a DFA does not have. (A contiguous
/// NFA here, 0.15 MB against the DFA's 2.8 MB, cost 12% more instructions and 19% more
/// mispredicted branches, and paired passes over the fixtures were 1–3% slower.)
fn overlapping_dfa<P: AsRef<[u8]>>(
    words: &[P],
    case_insensitive: bool,
) -> Result<aho_corasick::dfa::DFA, String> {
    aho_corasick::dfa::Builder::new()
        .start_kind(StartKind::Unanchored)
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(case_insensitive)
        // the walk below steps every byte itself; a prefilter only pays for rare words
        .prefilter(false)
        .build(words)
        .map_err(|e| e.to_string())
}

/// Every match of `dfa` in `text`, overlapping ones included, as (start, end, pattern), in
/// the order the crate's overlapping iterator gives them (by end, then by the state's match
/// order). The automaton is walked here, a byte at a time, because the iterator's
/// bookkeeping between matches cost more than the walk itself.
fn overlapping_matches(
    dfa: &aho_corasick::dfa::DFA,
    text: &str,
    mut each: impl FnMut(usize, usize, usize),
) {
    let Ok(mut state) = dfa.start_state(Anchored::No) else {
        return;
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some((special_at, special)) = walk_to_special(dfa, bytes, at, state) {
        state = special;
        if dfa.is_dead(state) {
            return;
        }
        // (a start state is special too when a prefilter is on: only a match state has
        // matches to read)
        if dfa.is_match(state) {
            let end = special_at + 1;
            for index in 0..dfa.match_len(state) {
                let pattern = dfa.match_pattern(state, index);
                each(end - dfa.pattern_len(pattern), end, pattern.as_usize());
            }
        }
        at = special_at + 1;
    }
}

/// Where in `bytes[from..]` the next byte that `wanted` marks is. Kept out of line like
/// `walk_to_special`: the loop reads every byte of every sentence.
#[inline(never)]
fn next_of(wanted: &[bool; 256], bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter()
        .position(|&byte| wanted[usize::from(byte)])
        .map(|offset| from + offset)
}

/// Walk `dfa` from `state` over `bytes[at..]` to the first special state (a match, or
/// dead): where it is entered and the state. Kept out of line, so that the loop every byte
/// of every sentence goes through keeps its few values in registers (inlined into its
/// callers, it kept them on the stack and cost three times as many instructions a byte).
#[inline(never)]
fn walk_to_special(
    dfa: &aho_corasick::dfa::DFA,
    bytes: &[u8],
    at: usize,
    mut state: aho_corasick::automaton::StateID,
) -> Option<(usize, aho_corasick::automaton::StateID)> {
    for (offset, &byte) in bytes.get(at..)?.iter().enumerate() {
        state = dfa.next_state(Anchored::No, state, byte);
        if dfa.is_special(state) {
            return Some((at + offset, state));
        }
    }
    None
}

/// All dictionaries, indexed for extraction.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub people: Vec<Person>,
    /// Each person's family names, folded, in `Person::family_names` order.
    folded_families: Vec<Vec<String>>,
    /// Each person's full name and aliases as name tokens (`name_tokens`), for
    /// `person_within_tokens`, which compares them with every long name a release gives.
    form_tokens: Vec<Vec<Vec<String>>>,
    person_by_key: WordMap<usize>,
    people_by_family: WordMap<Vec<usize>>,
    pub organizations: Vec<Organization>,
    org_by_key: WordMap<usize>,
    org_matcher: NameMatcher,
    org_forms: Vec<OrgForm>,
    pub places: Vec<Place>,
    place_by_key: WordMap<usize>,
    place_matcher: NameMatcher,
    pub titles: Vec<Title>,
    title_matcher: NameMatcher,
    /// The first office title of each text, by its ASCII lower case (`canonical_title`).
    office_title_by_text: WordMap<usize>,
    /// The people who held each office, by office and then organisation, in `people`
    /// order (`office_holder`; a look-up through every person's terms missed the caches).
    holders_by_office: WordMap<WordMap<Vec<usize>>>,
    /// The bytes an organisation, title or place name can start with.
    name_first_bytes: Box<[bool; 256]>,
    /// All three kinds of name in one automaton (`find_names`).
    names_matcher: NamesMatcher,
    pub publishers: Vec<Publisher>,
    pub topics: Vec<Topic>,
    pub topic_cues: Vec<TopicCue>,
    sentence_scanner: SentenceScanner,
    pub meeting_cues: Vec<MeetingCue>,
    /// The words each meeting cue must begin with (searched by `sentence_scanner`).
    cue_prefilter: CuePrefilter,
    pub blockers: Vec<Blocker>,
    pub line_rules: LineRules,
    /// Capitalised words that never start or continue a person's name.
    pub not_names: HashSet<String, WordHash>,
    /// sha256 over every data file's name and contents, as used.
    pub fingerprint: String,
}

fn split_list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn non_empty(field: &str) -> Option<String> {
    let t = field.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn parse_rows<T: for<'de> Deserialize<'de>>(
    file: &str,
    content: &str,
) -> Result<Vec<T>, GazetteerError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(content.as_bytes());
    let mut rows = Vec::new();
    for (i, row) in reader.deserialize().enumerate() {
        let row: T = row.map_err(|e| invalid(file, format!("row {}: {e}", i + 2)))?;
        rows.push(row);
    }
    Ok(rows)
}

fn parse_date(file: &str, text: &str) -> Result<Option<NaiveDate>, GazetteerError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| invalid(file, format!("'{t}' is not a YYYY-MM-DD date")))
}

#[derive(Deserialize)]
struct PersonRow {
    name: String,
    family_name: String,
    aliases: String,
    organization: String,
    office: String,
    term_start: String,
    term_end: String,
}

#[derive(Deserialize)]
struct OrgRow {
    name: String,
    kind: String,
    aliases: String,
    demonyms: String,
    capital: String,
}

#[derive(Deserialize)]
struct PlaceRow {
    name: String,
    kind: String,
    aliases: String,
    city: String,
    country: String,
    timezone: String,
}

#[derive(Deserialize)]
struct TitleRow {
    title: String,
    category: String,
    canonical: String,
    organization: String,
}

#[derive(Deserialize)]
struct PublisherRow {
    publisher: String,
    domains: String,
    organization: String,
}

#[derive(Deserialize)]
struct TopicRow {
    slug: String,
    label: String,
    scope: String,
}

#[derive(Deserialize)]
struct TopicCueRow {
    topic: String,
    cue: String,
    unless: String,
}

#[derive(Deserialize)]
struct MeetingCueRow {
    pattern: String,
    kind: String,
    shape: String,
    subject_role: String,
    object_role: String,
}

#[derive(Deserialize)]
struct NotNameRow {
    word: String,
}

#[derive(Deserialize)]
struct ClutterRow {
    pattern: String,
}

/// A data file's text: the built-in rows, then the user's rows (without their header).
fn combined(name: &str, builtin: &str, extra_dir: Option<&Path>) -> Result<String, GazetteerError> {
    let mut text = builtin.to_owned();
    if let Some(dir) = extra_dir {
        let path = dir.join(name);
        if path.exists() {
            let extra = std::fs::read_to_string(&path).map_err(|source| GazetteerError::Io {
                path: path.display().to_string(),
                source,
            })?;
            let mut lines = extra.lines();
            let header = lines.next().unwrap_or("").trim_start_matches('\u{FEFF}');
            let builtin_header = builtin.lines().next().unwrap_or("");
            if header.trim() != builtin_header.trim() {
                return Err(invalid(
                    &path.display().to_string(),
                    format!("header must be '{builtin_header}'"),
                ));
            }
            if !text.ends_with('\n') {
                text.push('\n');
            }
            for line in lines {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Ok(text)
}

impl Gazetteer {
    /// The built-in dictionaries only.
    pub fn builtin() -> Result<Self, GazetteerError> {
        Self::load(None)
    }

    /// The built-in dictionaries extended by the files in `extra_dir`, if given.
    pub fn load(extra_dir: Option<&Path>) -> Result<Self, GazetteerError> {
        let mut files = HashMap::new();
        let mut hasher = Sha256::new();
        for (name, builtin) in BUILTIN {
            let text = combined(name, builtin, extra_dir)?;
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
            files.insert(*name, text);
        }
        let fingerprint = crate::text::hex(&hasher.finalize());
        Self::build(&files, fingerprint)
    }

    fn build(files: &HashMap<&str, String>, fingerprint: String) -> Result<Self, GazetteerError> {
        fn text<'f>(files: &'f HashMap<&str, String>, name: &str) -> &'f str {
            files.get(name).map(String::as_str).unwrap_or("")
        }
        let file = |name: &str| text(files, name);
        // Organisations first: people, places and publishers refer to them.
        let mut organizations = Vec::new();
        let mut org_by_key = WordMap::default();
        let mut org_patterns = Vec::new();
        let mut org_forms = Vec::new();
        for row in parse_rows::<OrgRow>("organizations.csv", file("organizations.csv"))? {
            let index = organizations.len();
            let is_state = match row.kind.as_str() {
                "state" => true,
                "organization" => false,
                other => {
                    return Err(invalid(
                        "organizations.csv",
                        format!("{}: kind '{other}' is not state or organization", row.name),
                    ));
                }
            };
            organizations.push(Organization {
                name: row.name.clone(),
                is_state,
                capital: non_empty(&row.capital),
            });
            for form in std::iter::once(row.name.clone()).chain(split_list(&row.aliases)) {
                org_by_key.entry(fold(&form)).or_insert(index);
                org_patterns.push((form, index, false));
                org_forms.push(OrgForm::Name);
            }
            for demonym in split_list(&row.demonyms) {
                org_patterns.push((demonym, index, false));
                org_forms.push(OrgForm::Demonym);
            }
        }
        let org_matcher =
            NameMatcher::new(&org_patterns).map_err(|e| invalid("organizations.csv", e))?;
        let known_org = |file_name: &str, org: &str| -> Result<String, GazetteerError> {
            match org_by_key.get(&fold(org)) {
                Some(&i) => Ok(organizations[i].name.clone()),
                None => Err(invalid(
                    file_name,
                    format!("organisation '{org}' is not in organizations.csv"),
                )),
            }
        };

        let mut people: Vec<Person> = Vec::new();
        let mut person_index: HashMap<String, usize> = HashMap::new();
        for row in parse_rows::<PersonRow>("people.csv", file("people.csv"))? {
            let organization = known_org("people.csv", &row.organization)?;
            let term = Term {
                organization,
                office: row.office.clone(),
                start: parse_date("people.csv", &row.term_start)?,
                end: parse_date("people.csv", &row.term_end)?,
            };
            let index = *person_index.entry(row.name.clone()).or_insert_with(|| {
                people.push(Person {
                    name: row.name.clone(),
                    family_names: Vec::new(),
                    aliases: Vec::new(),
                    terms: Vec::new(),
                });
                people.len() - 1
            });
            let person = &mut people[index];
            for family in split_list(&row.family_name) {
                if !person.family_names.contains(&family) {
                    person.family_names.push(family);
                }
            }
            for alias in split_list(&row.aliases) {
                if !person.aliases.contains(&alias) {
                    person.aliases.push(alias);
                }
            }
            person.terms.push(term);
        }
        let mut person_by_key = WordMap::default();
        let mut people_by_family: WordMap<Vec<usize>> = WordMap::default();
        for (index, person) in people.iter_mut().enumerate() {
            person.terms.sort_by_key(|t| t.start);
            if person.family_names.is_empty()
                && let Some(last) = person.name.split_whitespace().last()
            {
                person.family_names.push(last.to_owned());
            }
            for form in std::iter::once(&person.name).chain(person.aliases.iter()) {
                person_by_key.entry(name_key(form)).or_insert(index);
            }
            for family in &person.family_names {
                people_by_family
                    .entry(fold(family))
                    .or_default()
                    .push(index);
            }
        }
        let folded_families = people
            .iter()
            .map(|p| p.family_names.iter().map(|f| fold(f)).collect())
            .collect();
        let form_tokens = people
            .iter()
            .map(|p| {
                std::iter::once(&p.name)
                    .chain(&p.aliases)
                    .map(|form| name_tokens(form))
                    .collect()
            })
            .collect();

        let mut places = Vec::new();
        let mut place_by_key = WordMap::default();
        let mut place_patterns = Vec::new();
        for row in parse_rows::<PlaceRow>("places.csv", file("places.csv"))? {
            let kind = match row.kind.as_str() {
                "city" => PlaceKind::City,
                "country" => PlaceKind::Country,
                "venue" => PlaceKind::Venue,
                other => {
                    return Err(invalid(
                        "places.csv",
                        format!("{}: kind '{other}' is not city, country or venue", row.name),
                    ));
                }
            };
            let country = match non_empty(&row.country) {
                Some(c) => Some(known_org("places.csv", &c)?),
                None => None,
            };
            let index = places.len();
            places.push(Place {
                name: row.name.clone(),
                kind,
                city: non_empty(&row.city),
                country,
                timezone: non_empty(&row.timezone),
            });
            for form in std::iter::once(row.name.clone()).chain(split_list(&row.aliases)) {
                place_by_key.entry(fold(&form)).or_insert(index);
                place_patterns.push((form, index, false));
            }
        }
        let place_matcher =
            NameMatcher::new(&place_patterns).map_err(|e| invalid("places.csv", e))?;

        let mut titles = Vec::new();
        let mut title_patterns = Vec::new();
        for row in parse_rows::<TitleRow>("titles.csv", file("titles.csv"))? {
            let category = match row.category.as_str() {
                "honorific" => TitleCategory::Honorific,
                "postnominal" => TitleCategory::Postnominal,
                "rank" => TitleCategory::Rank,
                "office" => TitleCategory::Office,
                other => {
                    return Err(invalid(
                        "titles.csv",
                        format!("{}: category '{other}' is unknown", row.title),
                    ));
                }
            };
            let organization = match non_empty(&row.organization) {
                Some(o) => Some(known_org("titles.csv", &o)?),
                None => None,
            };
            let index = titles.len();
            title_patterns.push((row.title.clone(), index, false));
            titles.push(Title {
                canonical: non_empty(&row.canonical).unwrap_or_else(|| row.title.clone()),
                text: row.title,
                category,
                organization,
            });
        }
        let title_matcher =
            NameMatcher::new(&title_patterns).map_err(|e| invalid("titles.csv", e))?;
        let names_matcher = NamesMatcher::new([&org_patterns, &title_patterns, &place_patterns])
            .map_err(|e| invalid("organizations.csv, titles.csv and places.csv", e))?;
        let mut name_first_bytes = Box::new([false; 256]);
        for (byte, wanted) in name_first_bytes.iter_mut().enumerate() {
            *wanted = [&org_matcher, &title_matcher, &place_matcher]
                .iter()
                .any(|m| m.first_bytes[byte]);
        }

        let mut publishers = Vec::new();
        for row in parse_rows::<PublisherRow>("publishers.csv", file("publishers.csv"))? {
            publishers.push(Publisher {
                organization: known_org("publishers.csv", &row.organization)?,
                name: row.publisher,
                domains: split_list(&row.domains)
                    .into_iter()
                    .map(|d| d.to_lowercase())
                    .collect(),
            });
        }

        let mut topics: Vec<Topic> = Vec::new();
        for row in parse_rows::<TopicRow>("topics.csv", file("topics.csv"))? {
            if row.slug.is_empty() || row.label.is_empty() {
                return Err(invalid(
                    "topics.csv",
                    "every topic needs a slug and a label",
                ));
            }
            match topics.iter_mut().find(|t| t.slug == row.slug) {
                // a user's row for an existing slug updates its label and scope
                Some(t) => {
                    t.label = row.label;
                    t.scope = row.scope;
                }
                None => topics.push(Topic {
                    slug: row.slug,
                    label: row.label,
                    scope: row.scope,
                }),
            }
        }
        let topic_index = |slug: &str| -> Result<usize, GazetteerError> {
            topics.iter().position(|t| t.slug == slug).ok_or_else(|| {
                invalid(
                    "topic_cues.csv",
                    format!("topic '{slug}' is not in topics.csv"),
                )
            })
        };
        let mut topic_cues = Vec::new();
        for row in parse_rows::<TopicCueRow>("topic_cues.csv", file("topic_cues.csv"))? {
            let topic = topic_index(&row.topic)?;
            let unless = match non_empty(&row.unless) {
                Some(u) => Some(topic_index(&u)?),
                None => None,
            };
            let prefix = row.cue.ends_with('*');
            let cue = row.cue.trim_end_matches('*').to_owned();
            if cue.is_empty() {
                return Err(invalid("topic_cues.csv", "empty cue"));
            }
            // A cue written in lower case matches any case; one with capitals matches as
            // written (see `SentenceScanner`).
            topic_cues.push(TopicCue {
                topic,
                cue,
                prefix,
                unless,
            });
        }

        let mut meeting_cues = Vec::new();
        let mut meeting_cue_patterns = Vec::new();
        let mut blockers = Vec::new();
        for row in parse_rows::<MeetingCueRow>("meeting_cues.csv", file("meeting_cues.csv"))? {
            let regex = pattern::compile(&format!("(?i){}", row.pattern))
                .map_err(|e| invalid("meeting_cues.csv", format!("{}: {e}", row.pattern)))?;
            if row.kind == "not-a-meeting" {
                let scope = match row.shape.as_str() {
                    "before" => BlockerScope::Before,
                    "sentence" => BlockerScope::Sentence,
                    "clause" => BlockerScope::Clause,
                    other => {
                        return Err(invalid(
                            "meeting_cues.csv",
                            format!("blocker scope '{other}' is not before, clause or sentence"),
                        ));
                    }
                };
                blockers.push(Blocker { regex, scope });
                continue;
            }
            if !crate::extract::MEETING_KINDS.contains(&row.kind.as_str()) {
                return Err(invalid(
                    "meeting_cues.csv",
                    format!("kind '{}' is not a meeting kind", row.kind),
                ));
            }
            let shape = match row.shape.as_str() {
                "with" => CueShape::With,
                "direct" => CueShape::Direct,
                "plural" => CueShape::Plural,
                "passive" => CueShape::Passive,
                "session" => CueShape::Session,
                "delegation" => CueShape::Delegation,
                "attend" => CueShape::Attend,
                other => {
                    return Err(invalid(
                        "meeting_cues.csv",
                        format!("shape '{other}' is unknown"),
                    ));
                }
            };
            let role = |text: &str| {
                Role::parse(text)
                    .ok_or_else(|| invalid("meeting_cues.csv", format!("role '{text}' is unknown")))
            };
            let anchored = pattern::compile_anchored(&format!("(?i){}", row.pattern))
                .map_err(|e| invalid("meeting_cues.csv", format!("{}: {e}", row.pattern)))?;
            meeting_cue_patterns.push(row.pattern.clone());
            meeting_cues.push(MeetingCue {
                regex,
                anchored,
                kind: row.kind,
                shape,
                subject_role: role(&row.subject_role)?,
                object_role: role(&row.object_role)?,
            });
        }

        let clutter: Vec<String> = parse_rows::<ClutterRow>("clutter.csv", file("clutter.csv"))?
            .into_iter()
            .map(|r| r.pattern)
            .collect();
        let line_rules =
            LineRules::new(&clutter).map_err(|e| invalid("clutter.csv", e.to_string()))?;

        let cue_prefilter =
            CuePrefilter::new(&meeting_cue_patterns).map_err(|e| invalid("meeting_cues.csv", e))?;
        let sentence_scanner = SentenceScanner::new(&cue_prefilter, &topic_cues)
            .map_err(|e| invalid("topic_cues.csv", e))?;
        let not_names = parse_rows::<NotNameRow>("not_names.csv", file("not_names.csv"))?
            .into_iter()
            .map(|r| r.word)
            .collect();

        let mut office_title_by_text: WordMap<usize> = WordMap::default();
        for (index, title) in titles.iter().enumerate() {
            if title.category == TitleCategory::Office {
                office_title_by_text
                    .entry(title.text.to_ascii_lowercase())
                    .or_insert(index);
            }
        }
        let mut holders_by_office: WordMap<WordMap<Vec<usize>>> = WordMap::default();
        for (index, person) in people.iter().enumerate() {
            for term in &person.terms {
                let holders = holders_by_office
                    .entry(term.office.clone())
                    .or_default()
                    .entry(term.organization.clone())
                    .or_default();
                if holders.last() != Some(&index) {
                    holders.push(index);
                }
            }
        }
        Ok(Gazetteer {
            cue_prefilter,
            not_names,
            people,
            folded_families,
            form_tokens,
            person_by_key,
            people_by_family,
            organizations,
            org_by_key,
            org_matcher,
            org_forms,
            places,
            place_by_key,
            place_matcher,
            office_title_by_text,
            holders_by_office,
            titles,
            title_matcher,
            name_first_bytes,
            names_matcher,
            publishers,
            topics,
            topic_cues,
            sentence_scanner,
            meeting_cues,
            blockers,
            line_rules,
            fingerprint,
        })
    }

    /// Whether a blocker says that a cue reports no meeting: one of `Before` or `Clause`
    /// scope matches `before_cue` (its clause up to the cue), or one of `Sentence` scope
    /// matches `sentence`. A sentence's answer is kept in `sentence_blocked` once asked, for
    /// its other cues: the caller gives each sentence a `None` of its own.
    pub fn blocks(
        &self,
        before_cue: &str,
        sentence: &str,
        sentence_blocked: &mut Option<bool>,
    ) -> bool {
        self.blockers.iter().any(|b| {
            matches!(b.scope, BlockerScope::Before | BlockerScope::Clause)
                && b.regex.is_match(before_cue)
        }) || *sentence_blocked.get_or_insert_with(|| {
            self.blockers
                .iter()
                .any(|b| b.scope == BlockerScope::Sentence && b.regex.is_match(sentence))
        })
    }

    /// The person a full name (or alias) names, if known.
    pub fn person_by_name(&self, name: &str) -> Option<usize> {
        self.person_by_key.get(&name_key(name)).copied()
    }

    /// The person a name key (`name_key`) identifies, if known.
    pub fn person_by_key(&self, key: &str) -> Option<usize> {
        self.person_by_key.get(key).copied()
    }

    /// Whether `folded` (a `fold`ed name) is one of the person's family names.
    pub fn has_family_name(&self, person: usize, folded: &str) -> bool {
        self.folded_families
            .get(person)
            .is_some_and(|families| families.iter().any(|f| f == folded))
    }

    /// A known person whose full name is contained in a longer written form, same first
    /// name: "José Manuel Albares Bueno" is José Manuel Albares. `None` unless exactly one.
    /// The name is given as `name_tokens` splits it.
    pub fn person_within_tokens(&self, tokens: &[String]) -> Option<usize> {
        if tokens.len() < 3 {
            return None;
        }
        let mut found: Vec<usize> = Vec::new();
        for token in tokens {
            for &p in self.people_by_family(token) {
                let fits = self.form_tokens[p].iter().any(|form_tokens| {
                    form_tokens.len() >= 2
                        && form_tokens.first() == tokens.first()
                        && form_tokens.iter().all(|t| tokens.contains(t))
                });
                if fits && !found.contains(&p) {
                    found.push(p);
                }
            }
        }
        (found.len() == 1).then(|| found[0])
    }

    /// People known under a family name.
    pub fn people_by_family(&self, family: &str) -> &[usize] {
        self.people_by_family
            .get(&fold(family))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Who held `office` for `organization` on `date`.
    pub fn office_holder(
        &self,
        office: &str,
        organization: &str,
        date: NaiveDate,
    ) -> Option<usize> {
        let holders = self.holders_by_office.get(office)?.get(organization)?;
        holders.iter().copied().find(|&p| {
            self.people[p]
                .terms
                .iter()
                .any(|t| t.office == office && t.organization == organization && t.covers(date))
        })
    }

    /// The canonical name of an organisation written in any of its forms.
    pub fn organization(&self, text: &str) -> Option<usize> {
        self.org_by_key.get(&fold(text.trim())).copied()
    }

    pub fn find_organizations(&self, text: &str) -> Vec<OrgMatch> {
        self.organizations_of(self.org_matcher.find(text))
    }

    fn organizations_of(&self, found: Vec<(Span, usize, usize)>) -> Vec<OrgMatch> {
        found
            .into_iter()
            .map(|(span, org, pattern)| OrgMatch {
                span,
                org,
                form: self.org_forms[pattern],
            })
            .collect()
    }

    pub fn place(&self, text: &str) -> Option<usize> {
        self.place_by_key.get(&fold(text.trim())).copied()
    }

    pub fn find_places(&self, text: &str) -> Vec<PlaceMatch> {
        places_of(self.place_matcher.find(text))
    }

    /// Titles, honorifics and ranks, longest first; a title must start with a capital.
    pub fn find_titles(&self, text: &str) -> Vec<TitleMatch> {
        self.titles_of(text, self.title_matcher.find(text))
    }

    fn titles_of(&self, text: &str, found: Vec<(Span, usize, usize)>) -> Vec<TitleMatch> {
        found
            .into_iter()
            .filter(|(span, _, _)| {
                text[span.start..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            })
            .map(|(span, title, _)| TitleMatch { span, title })
            .collect()
    }

    /// `find_organizations`, `find_titles` and `find_places` in one scan of `text` (each
    /// scan checked every byte for a word start a name could begin at).
    pub fn find_names(&self, text: &str) -> Names {
        let matchers = [&self.org_matcher, &self.title_matcher, &self.place_matcher];
        let mut scans: [NameScan; 3] = Default::default();
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = next_of(&self.name_first_bytes, bytes, from) {
            from = at + 1;
            let byte = usize::from(bytes[at]);
            if !PatternInfo::starts_word(text, at) {
                continue;
            }
            // the kinds `NameMatcher::step` would walk for here
            let wanted = [0, 1, 2].map(|k| matchers[k].first_bytes[byte] && at >= scans[k].next);
            if wanted == [false; 3] {
                continue;
            }
            let longest = self.names_matcher.longest_at(bytes, at, wanted);
            for (kind, found) in longest.into_iter().enumerate() {
                if let Some((pattern, end)) = found {
                    let matcher = matchers[kind];
                    let scan = &mut scans[kind];
                    if matcher.info.accept(text, at, end, pattern) {
                        scan.found.push((
                            Span::new(at, end),
                            matcher.info.values[pattern],
                            pattern,
                        ));
                    }
                    scan.next = end;
                }
            }
        }
        let [orgs, titles, places] = scans;
        Names {
            organizations: self.organizations_of(orgs.found),
            titles: self.titles_of(text, titles.found),
            places: places_of(places.found),
        }
    }

    /// A title as users query it: a known form becomes the office it names ("Foreign
    /// Minister" -> "Minister for Foreign Affairs"); anything longer stays as written.
    pub fn canonical_title(&self, title: &str) -> String {
        self.office_title_by_text
            .get(&title.to_ascii_lowercase())
            .map_or_else(|| title.to_owned(), |&t| self.titles[t].canonical.clone())
    }

    /// The publisher a manifest name or a URL points to.
    pub fn publisher(&self, name: Option<&str>, url: Option<&str>) -> Option<&Publisher> {
        if let Some(name) = name {
            let folded = fold(name);
            if let Some(p) = self.publishers.iter().find(|p| fold(&p.name) == folded) {
                return Some(p);
            }
        }
        let host = url.and_then(url_host)?;
        self.publishers
            .iter()
            .filter_map(|p| {
                p.domains
                    .iter()
                    .filter(|d| host == **d || host.ends_with(&format!(".{d}")))
                    .map(|d| d.len())
                    .max()
                    .map(|len| (len, p))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, p)| p)
    }

    /// Topic cues in `text`, each at most once per (cue, place), `unless` rules applied.
    pub fn find_topic_cues(&self, text: &str) -> Vec<TopicMatch> {
        self.scan_sentence(text).topics
    }

    /// Which meeting cues can match in `text`, and its topic cues, in one walk.
    pub fn scan_sentence(&self, text: &str) -> SentenceScan {
        // Unicode case folding maps the Kelvin sign to k and the long s to s; a sentence
        // with either runs every cue (each searched alone: a search for one character looks
        // for its bytes, a search for either decodes every character)
        let folds = gate::folds_to_ascii(text);
        let mut possible_cues = if folds {
            vec![true; self.cue_prefilter.always.len()]
        } else {
            self.cue_prefilter.always.clone()
        };
        let mut found: Vec<TopicMatch> = Vec::new();
        let mut words: Vec<(&'static str, Span)> = Vec::new();
        let mut cue_starts: Vec<(usize, usize)> = Vec::new();
        let scanner = &self.sentence_scanner;
        overlapping_matches(&scanner.dfa, text, |start, end, pattern| {
            match scanner.words[pattern] {
                ScanWord::CueWord(cue) => {
                    possible_cues[cue] = true;
                    cue_starts.push((cue, start));
                }
                ScanWord::Scanned(word) => words.push((word, Span::new(start, end))),
                ScanWord::Topic {
                    cue,
                    prefix,
                    as_written,
                } => {
                    let written = !as_written
                        || text.as_bytes()[start..end] == *self.topic_cues[cue].cue.as_bytes();
                    if written && at_word_boundaries(text, start, end, prefix) {
                        found.push(TopicMatch {
                            span: Span::new(start, end),
                            cue,
                        });
                    }
                }
            }
        });
        // (a cue matches once at a place: the order is the same however they were found)
        found.sort_by_key(|m| (m.span.start, m.cue));
        let topics: Vec<usize> = found.iter().map(|m| self.topic_cues[m.cue].topic).collect();
        found.retain(|m| {
            self.topic_cues[m.cue]
                .unless
                .is_none_or(|u| !topics.contains(&u))
        });
        // a cue always run, or any cue where the scan cannot see every first word, is
        // searched for everywhere
        let cue_started: Vec<bool> = self
            .cue_prefilter
            .always
            .iter()
            .map(|&always| !always && !folds)
            .collect();
        cue_starts.retain(|&(cue, _)| cue_started[cue]);
        cue_starts.sort_unstable();
        cue_starts.dedup();
        SentenceScan {
            possible_cues,
            cue_starts,
            cue_started,
            topics: found,
            words,
            folds,
        }
    }
}

fn places_of(found: Vec<(Span, usize, usize)>) -> Vec<PlaceMatch> {
    found
        .into_iter()
        .map(|(span, place, _)| PlaceMatch { span, place })
        .collect()
}

/// The lower-case host of a URL ("https://www.mofa.go.jp/a/b" -> "www.mofa.go.jp").
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

    fn gazetteer() -> Gazetteer {
        Gazetteer::builtin().expect("built-in data files load")
    }

    #[test]
    fn builtin_files_load_and_fingerprint_is_stable() {
        let a = gazetteer();
        let b = gazetteer();
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_eq!(a.fingerprint.len(), 64);
        assert!(a.topics.iter().any(|t| t.slug == "north-korea"));
    }

    /// `blocks` says what each blocker asked alone says, on every line of the fixtures cut
    /// before each word, and on sentences written to trip each scope.
    #[test]
    fn blocks_says_what_each_blocker_says() {
        let g = gazetteer();
        let one_by_one = |before: &str, sentence: &str| {
            g.blockers.iter().any(|b| match b.scope {
                BlockerScope::Before | BlockerScope::Clause => b.regex.is_match(before),
                BlockerScope::Sentence => b.regex.is_match(sentence),
            })
        };
        let mut lines = crate::text::fixture_lines();
        lines.extend(
            [
                "He said he will hold talks with the Minister",
                "The then Prime Minister met the Secretary General",
                "Recalling his visit to Tokyo, where he met Mr Abe",
                "At their last meeting the two leaders agreed",
            ]
            .map(str::to_owned),
        );
        let mut blocked = [0usize; 2];
        for line in &lines {
            let mut sentence_blocked = None;
            for (at, _) in line.match_indices(' ') {
                let before = &line[..at];
                let expected = one_by_one(before, line);
                assert_eq!(
                    g.blocks(before, line, &mut sentence_blocked),
                    expected,
                    "{before:?} in {line:?}"
                );
                blocked[usize::from(expected)] += 1;
            }
        }
        // both answers were asked for, many times
        assert!(blocked.iter().all(|&n| n > 100), "{blocked:?}");
    }

    #[test]
    fn people_are_found_by_alias_and_family_name() {
        let g = gazetteer();
        let abe = g
            .person_by_name("Shinzo Abe")
            .expect("Abe is in the gazetteer");
        assert_eq!(g.people[abe].name, "Shinzo Abe");
        assert!(g.people_by_family("abe").contains(&abe));
        let afr = g.person_by_name("Anders Rasmussen").expect("alias");
        assert_eq!(g.people[afr].name, "Anders Fogh Rasmussen");
    }

    #[test]
    fn office_holders_follow_terms() {
        let g = gazetteer();
        let d = NaiveDate::from_ymd_opt(2022, 6, 28).unwrap();
        let pm = g
            .office_holder("Prime Minister", "United Kingdom", d)
            .unwrap();
        assert_eq!(g.people[pm].name, "Boris Johnson");
        let d = NaiveDate::from_ymd_opt(2022, 11, 4).unwrap();
        let pm = g
            .office_holder("Prime Minister", "United Kingdom", d)
            .unwrap();
        assert_eq!(g.people[pm].name, "Rishi Sunak");
    }

    /// The indexes answer as a search through every person's terms and every title did.
    #[test]
    fn office_holders_and_canonical_titles_are_those_a_full_search_finds() {
        let g = gazetteer();
        let mut offices: Vec<(&str, &str)> = g
            .people
            .iter()
            .flat_map(|p| p.terms.iter())
            .map(|t| (t.office.as_str(), t.organization.as_str()))
            .collect();
        offices.extend([("Prime Minister", "Atlantis"), ("Emperor", "Japan")]);
        let mut checked = 0;
        for (office, organization) in offices {
            for year in 1990..=2030 {
                for (month, day) in [(1, 1), (4, 15), (7, 31), (12, 31)] {
                    let date = NaiveDate::from_ymd_opt(year, month, day).expect("a date");
                    let searched = g.people.iter().position(|p| {
                        p.terms.iter().any(|t| {
                            t.office == office && t.organization == organization && t.covers(date)
                        })
                    });
                    assert_eq!(
                        g.office_holder(office, organization, date),
                        searched,
                        "{office} of {organization} on {date}"
                    );
                    checked += usize::from(searched.is_some());
                }
            }
        }
        assert!(checked > 100, "only {checked} dates had a holder");
        for title in g.titles.iter().map(|t| t.text.clone()).chain([
            "FOREIGN MINISTER".to_owned(),
            "foreign minister".to_owned(),
            "Minister of Silly Walks".to_owned(),
        ]) {
            let searched = g
                .titles
                .iter()
                .find(|t| {
                    t.category == TitleCategory::Office && t.text.eq_ignore_ascii_case(&title)
                })
                .map_or_else(|| title.clone(), |t| t.canonical.clone());
            assert_eq!(g.canonical_title(&title), searched, "{title}");
        }
    }

    #[test]
    fn organisations_match_whole_words_in_their_case() {
        let g = gazetteer();
        let text = "the Japanese Prime Minister and the US told us about NATO.";
        let found: Vec<(&str, OrgForm)> = g
            .find_organizations(text)
            .iter()
            .map(|m| (g.organizations[m.org].name.as_str(), m.form))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Japan", OrgForm::Demonym),
                ("United States", OrgForm::Name),
                ("NATO", OrgForm::Name)
            ]
        );
    }

    #[test]
    fn names_are_the_longest_at_each_word_start() {
        let patterns: Vec<(String, usize, bool)> = [
            ("Japan", 0, false),
            ("Japan Coast Guard", 1, false),
            ("Coast", 2, false),
            ("São Paulo", 3, false),
            ("The Hague", 4, false),
            ("Euro", 5, true),
            ("Hon", 6, false),
            ("The Honourable", 7, false),
        ]
        .iter()
        .map(|(p, v, prefix)| ((*p).to_owned(), *v, *prefix))
        .collect();
        let matcher = NameMatcher::new(&patterns).expect("builds");
        let found = |text: &str| -> Vec<(String, usize)> {
            matcher
                .find(text)
                .into_iter()
                .map(|(span, value, _)| (text[span.start..span.end].to_owned(), value))
                .collect()
        };
        let expect = |pairs: &[(&str, usize)]| -> Vec<(String, usize)> {
            pairs.iter().map(|(t, v)| ((*t).to_owned(), *v)).collect()
        };
        // the longest name at a word start wins over a shorter one and over one inside it
        assert_eq!(
            found("the Japan Coast Guard’s ship"),
            expect(&[("Japan Coast Guard", 1)])
        );
        // a name that runs on into a word is passed over whole, not cut to a shorter one
        assert_eq!(found("Japanese and Coastal waters"), expect(&[]));
        // never inside a word; after quotes and dashes it may start
        assert_eq!(
            found("NonJapan «Japan»–Coast"),
            expect(&[("Japan", 0), ("Coast", 2)])
        );
        assert_eq!(
            found("São Paulo and The Hague"),
            expect(&[("São Paulo", 3), ("The Hague", 4)])
        );
        assert_eq!(found("éJapan"), expect(&[]));
        // a prefix pattern needs a word start but no word end
        assert_eq!(
            found("Europe and Eurozone, not NeuroEuro"),
            expect(&[("Euro", 5), ("Euro", 5)])
        );
        assert_eq!(found(""), expect(&[]));
        // a shorter name that ends where a longer one was going is found where it starts,
        // not from the longer one's start ("The Hon" is not the name "Hon")
        assert_eq!(found("The Hon Richard Marles"), expect(&[("Hon", 6)]));
        assert_eq!(
            found("The Honourable Member"),
            expect(&[("The Honourable", 7)])
        );
    }

    #[test]
    fn overlapping_walk_agrees_with_the_crates_overlapping_search() {
        let g = gazetteer();
        let words: Vec<&str> = g.topic_cues.iter().map(|c| c.cue.as_str()).collect();
        for case_insensitive in [false, true] {
            let dfa = overlapping_dfa(&words, case_insensitive).expect("builds");
            let reference = AhoCorasickBuilder::new()
                .ascii_case_insensitive(case_insensitive)
                .build(&words)
                .expect("builds");
            // every cue alone, run together with the next one, in capitals, and cut short
            let mut texts = vec![String::new(), "nothing to see".to_owned()];
            for pair in words.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                texts.push(format!("{a} and {b}{b}, “{}”", a.to_uppercase()));
                let half: String = b.chars().take(b.chars().count() / 2).collect();
                texts.push(format!("{half}{a}{}", b.to_lowercase()));
            }
            for text in &texts {
                let mut walked = Vec::new();
                overlapping_matches(&dfa, text, |start, end, pattern| {
                    walked.push((start, end, pattern));
                });
                let expected: Vec<(usize, usize, usize)> = reference
                    .find_overlapping_iter(text.as_str())
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                    .collect();
                assert_eq!(walked, expected, "{text}");
            }
        }
    }

    /// The sentence scan as separate searches: meeting-cue words without case, topic cues
    /// written in lower case without case, those with capitals as written.
    fn scan_by_separate_searches(g: &Gazetteer, text: &str) -> SentenceScan {
        let mut possible_cues = g.cue_prefilter.always.clone();
        let words = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&g.cue_prefilter.words)
            .expect("builds");
        let folds = text.contains('\u{212A}') || text.contains('\u{17F}');
        let cue_started: Vec<bool> = g
            .cue_prefilter
            .always
            .iter()
            .map(|&always| !always && !folds)
            .collect();
        let mut cue_starts = Vec::new();
        for m in words.find_overlapping_iter(text) {
            let cue = g.cue_prefilter.cue_of[m.pattern().as_usize()];
            possible_cues[cue] = true;
            if cue_started[cue] {
                cue_starts.push((cue, m.start()));
            }
        }
        cue_starts.sort_unstable();
        cue_starts.dedup();
        let mut topics = Vec::new();
        for as_written in [true, false] {
            let cues: Vec<(usize, &TopicCue)> = g
                .topic_cues
                .iter()
                .enumerate()
                .filter(|(_, c)| c.cue.chars().any(char::is_uppercase) == as_written)
                .collect();
            let search = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!as_written)
                .build(cues.iter().map(|(_, c)| c.cue.as_str()))
                .expect("builds");
            for m in search.find_overlapping_iter(text) {
                let (index, cue) = cues[m.pattern().as_usize()];
                if at_word_boundaries(text, m.start(), m.end(), cue.prefix) {
                    topics.push(TopicMatch {
                        span: Span::new(m.start(), m.end()),
                        cue: index,
                    });
                }
            }
        }
        topics.sort_by_key(|m| (m.span.start, m.cue));
        let named: Vec<usize> = topics.iter().map(|m| g.topic_cues[m.cue].topic).collect();
        topics.retain(|m| {
            g.topic_cues[m.cue]
                .unless
                .is_none_or(|u| !named.contains(&u))
        });
        let all_scanned = SCANNED_GROUPS.concat();
        let scanned = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&all_scanned)
            .expect("builds");
        let mut words: Vec<(&'static str, Span)> = scanned
            .find_overlapping_iter(text)
            .map(|m| {
                (
                    all_scanned[m.pattern().as_usize()],
                    Span::new(m.start(), m.end()),
                )
            })
            .collect();
        // (no scanned word ends another, so the walk gives them by where they end)
        words.sort_by_key(|(_, span)| span.end);
        SentenceScan {
            possible_cues,
            cue_starts,
            cue_started,
            topics,
            words,
            folds,
        }
    }

    #[test]
    fn the_word_hasher_tells_near_words_apart() {
        use std::hash::BuildHasher;
        let hash = |word: &str| WordHash::default().hash_one(word);
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "Abe",
            "abe",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "Prime Minister",
            "Prime Ministers",
        ];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(hash(a), hash(b), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn one_scan_finds_what_separate_searches_find() {
        let g = gazetteer();
        let mut texts = vec![
            String::new(),
            "The Prime Minister held talks with the Secretary General.".to_owned(),
            "They discussed NATO, nato and Nato; cyber-defence and CYBERSECURITY.".to_owned(),
        ];
        // every topic cue and meeting-cue word in its own case, in capitals, run into the
        // next one and after a letter
        let cues: Vec<&str> = g.topic_cues.iter().map(|c| c.cue.as_str()).collect();
        let words: Vec<&str> = g.cue_prefilter.words.iter().map(String::as_str).collect();
        let all_scanned = SCANNED_GROUPS.concat();
        for pair in cues
            .windows(2)
            .chain(words.windows(2))
            .chain(all_scanned.windows(2))
        {
            let (a, b) = (pair[0], pair[1]);
            texts.push(format!(
                "On {a}, {} and x{b}; ({b}s) {a}{b}.",
                a.to_uppercase()
            ));
        }
        for text in &texts {
            assert_eq!(
                g.scan_sentence(text),
                scan_by_separate_searches(&g, text),
                "{text}"
            );
        }
    }

    #[test]
    fn one_scan_for_names_finds_what_three_scans_find() {
        let g = gazetteer();
        let names: Vec<&String> = g
            .org_matcher
            .patterns
            .iter()
            .chain(&g.title_matcher.patterns)
            .chain(&g.place_matcher.patterns)
            .collect();
        // names of every kind next to each other, overlapping ("Prime Minister of Japan"),
        // run on and cut short
        for pair in names.windows(3) {
            let (a, b, c) = (pair[0], pair[1], pair[2]);
            let text = format!(
                "{a} {b} of {c}, the {c}’s {a}{b} ({}) and {}",
                b.to_uppercase(),
                &c[..c.char_indices().last().map_or(0, |(i, _)| i)]
            );
            let together = g.find_names(&text);
            assert_eq!(
                together.organizations,
                g.find_organizations(&text),
                "{text}"
            );
            assert_eq!(together.titles, g.find_titles(&text), "{text}");
            assert_eq!(together.places, g.find_places(&text), "{text}");
        }
    }

    /// What the name matchers did before they were anchored: an unanchored leftmost-longest
    /// search, matches kept at word boundaries.
    fn unanchored(
        automaton: &AhoCorasick,
        matcher: &NameMatcher,
        text: &str,
    ) -> Vec<(Span, usize, usize)> {
        automaton
            .find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .filter(|&(start, end, pattern)| matcher.info.accept(text, start, end, pattern))
            .map(|(start, end, pattern)| {
                (Span::new(start, end), matcher.info.values[pattern], pattern)
            })
            .collect()
    }

    #[test]
    fn anchored_names_agree_with_an_unanchored_search_on_every_built_in_name() {
        let g = gazetteer();
        for (what, matcher) in [
            ("organisations", &g.org_matcher),
            ("places", &g.place_matcher),
            ("titles", &g.title_matcher),
        ] {
            let automaton = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&matcher.patterns)
                .expect("builds");
            for name in &matcher.patterns {
                // each name after the words names begin with, cut short, run on and whole
                let short: String = name
                    .chars()
                    .take(name.chars().count().saturating_sub(1))
                    .collect();
                for text in [
                    format!("{name} met"),
                    format!("The {name}’s visit"),
                    format!("Kingdom of {name}, Republic of {short}"),
                    format!("the Hon {name}s and {short}"),
                    format!("({name}) Prime {name} Minister"),
                ] {
                    assert_eq!(
                        matcher.find(&text),
                        unanchored(&automaton, matcher, &text),
                        "{what}: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn topic_cues_respect_case_prefix_and_unless() {
        let g = gazetteer();
        let slugs = |text: &str| -> Vec<String> {
            let mut s: Vec<String> = g
                .find_topic_cues(text)
                .iter()
                .map(|m| g.topics[g.topic_cues[m.cue].topic].slug.clone())
                .collect();
            s.dedup();
            s
        };
        assert_eq!(
            slugs("cybersecurity and Cyber defence"),
            vec!["cyber", "cyber"][..1].to_vec()
        );
        assert_eq!(slugs("North Korea's nuclear weapons"), vec!["north-korea"]);
        assert_eq!(slugs("nuclear weapons"), vec!["non-proliferation"]);
        assert!(slugs("in accordance with china policy").is_empty());
    }

    #[test]
    fn publishers_resolve_from_name_or_url() {
        let g = gazetteer();
        let p = g
            .publisher(None, Some("https://www.mofa.go.jp/press/release/x.html"))
            .unwrap();
        assert_eq!(p.organization, "Japan");
        let p = g
            .publisher(None, Some("https://www.be.emb-japan.go.jp/english/a.html"))
            .unwrap();
        assert_eq!(p.organization, "Japan");
        let p = g.publisher(Some("NATO"), None).unwrap();
        assert_eq!(p.organization, "NATO");
    }
}
