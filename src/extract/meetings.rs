//! Put the pieces together: find the sentences that report a meeting (the cues of
//! `data/meeting_cues.csv`), read who took part, when, for how long and where, group
//! sentences that report the same session, split trip reports into one meeting per
//! counterpart, and give each meeting the topics of its part of the release.
//!
//! Rules, in the words of the annotation guidelines: a meeting must have taken place between
//! at least two named people; each separately timed session is its own meeting; an untimed
//! signing or press occasion after a meeting belongs to it; announcements of future meetings
//! and background mentions of past ones are not meetings.

use super::dates::{self, DateContext, DateExpr, DateMention, DateSource};
use super::document::DocumentMeta;
use super::people::{MentionKind, PersonMention, find_people, find_people_and_places};
use super::places::{Location, locate, locate_among};
use super::times::{self, ClockTime};
use super::topics::topics_in;
use super::{Meeting, Participant};
use crate::gazetteer::{
    ACTIVITY_WORDS, CueShape, Gazetteer, OVERVIEW_WORDS, PLURAL_WORDS, PlaceMatch, Role,
    SentenceScan, TopicMatch,
};
use crate::resolve::people::Resolver;
use crate::text::gate::{self, Words};
use crate::text::segment::{LineKind, Segmented};
use crate::text::{Span, pattern};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Dated {
    date: NaiveDate,
    source: DateSource,
    evidence: String,
}

#[derive(Debug, Clone)]
struct Slot {
    entity: usize,
    role: Role,
    /// The mention, in body offsets.
    span: Span,
    /// An organisation the context gives ("The NATO delegation was headed by ...").
    organization: Option<String>,
}

#[derive(Debug, Clone)]
struct Draft {
    slots: Vec<Slot>,
    kind: String,
    date: Option<Dated>,
    start: Option<ClockTime>,
    duration: Option<u32>,
    location: Option<Location>,
    /// Index of the sentence that first reports it.
    sentence: usize,
    span: Span,
    /// Meetings started by the same sentence, or sessions of one meeting, share a group; the
    /// text that follows is about all of them.
    group: usize,
    /// A later session of an earlier meeting: it gets no topics of its own.
    session: bool,
    /// Sentences that report it (its first and any merged into it).
    reported_in: Vec<usize>,
}

impl Draft {
    fn entities(&self) -> BTreeSet<usize> {
        self.slots.iter().map(|s| s.entity).collect()
    }

    fn add_slot(&mut self, slot: Slot) {
        match self.slots.iter_mut().find(|s| s.entity == slot.entity) {
            Some(existing) => {
                if existing.role == Role::Participant && slot.role != Role::Participant {
                    existing.role = slot.role;
                }
                if existing.organization.is_none() {
                    existing.organization = slot.organization;
                }
            }
            None => self.slots.push(slot),
        }
    }
}

/// One prose sentence after people and dates have been read.
#[derive(Debug, Clone)]
struct SentenceInfo {
    span: Span,
    line: usize,
    /// Resolved people in order: (entity, mention span in body offsets, mention kind).
    people: Vec<(usize, Span)>,
    /// The sentence starts another activity (a speech, a visit): the meeting's text ends.
    breaks: bool,
    /// The whole sentence, speaker label and all, introduces an overview (`OVERVIEW`).
    overview: bool,
    /// Its topic cues (spans in sentence offsets), for the meeting it turns out to report.
    topics: Vec<TopicMatch>,
    /// The places the gazetteer found in it (spans in sentence offsets), found with its
    /// people and kept for `locate_among`.
    places: Vec<PlaceMatch>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CueHit {
    start: usize,
    end: usize,
    cue: usize,
}

static SUBORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\s(?:during|upon|who|which|whom|to discuss|to talk|in order to|as part of|on the occasion|at the invitation|following|after|on the sidelines|on the margins|ahead of|to exchange|for talks)\b|;")
        .expect("pattern")
});
static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:,\s*|\s)and\s|;\s*|,\s+(?:then|while)\s").expect("pattern")
});
static MULTILATERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)trilateral|quadrilateral|multilateral|leaders'?’?\s+meeting|2\s*\+\s*2|two-plus-two|joint|ministerial|summit")
        .expect("pattern")
});
// Compiled with Unicode word boundaries: the first stands before a word of any script
// ("Österreich side was led by"), where an ASCII one would cut the word.
static DELEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b([\w.-]+)\s+(?:(?:side|delegation)\s+)?(?:was|were|is)\s+)?\b(?:headed|led|co-chaired|chaired|represented)\s+by\b")
        .expect("pattern")
});
/// "Prime Minister Kishida Fumio represented Japan."
static REPRESENTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"\brepresented\s+(?:the\s+)?(\p{Lu}[\w.-]*(?:\s\p{Lu}[\w.-]*)*)")
        .expect("pattern")
});
static SESSION_ACTOR: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:statement|remarks|address|speech|opened)\s+by\s+$")
        .expect("pattern")
});
/// "The meeting was chaired by X", "... was also attended by Y": people at any meeting.
static MEETING_ACTOR: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:chaired|co-chaired|hosted|presided over|moderated|attended|joined)\s+(?:\w+\s+)?by\s+$").expect("pattern")
});
static ACTIVITY_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:gave|delivered|made)\s+(?:a\s+|an\s+)?(?:speech|lecture|address|keynote)|\b(?:then|later|afterwards|earlier)\b[^.]{0,40}\b(?:visited|toured|inspected)\b")
        .expect("pattern")
});
static OVERVIEW: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\bas follows\b|\b(?:overview|outline|summary) of (?:the|these|this)\b")
        .expect("pattern")
});
/// Gates (`text::gate`): words one of which every match of a pattern holds.
/// `HEADER_SPEAKER` and `DELEGATION` ("... by")
static BY: LazyLock<Words> = LazyLock::new(|| Words::caseless(&["by"]));
static FIRST_PERSON_WORD: LazyLock<Words> = LazyLock::new(|| Words::exact(&["I "]));
static HEADER_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:press conference|remarks|statement|speech|interview|address|briefing|press briefing)\s+by\s+(.+)$").expect("pattern")
});
static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3})\s*:\s").expect("pattern")
});
static FIRST_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(
        r"(?:^|[\s,(])I (?:met|spoke|held|had|welcomed|hosted|visited|called|received)\b",
    )
    .expect("pattern")
});
static BILATERALS: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:bilateral|separate|individual) (?:meetings|talks)\b")
        .expect("pattern")
});
static PLURAL_REF: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:the|both|all)\s+(?:two|three|four|five|six|seven|eight)?\s*(?:leaders|ministers|foreign ministers|defen[cs]e ministers|sides|parties|counterparts)\b")
        .expect("pattern")
});
static MEAL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:dinner|lunch|luncheon|breakfast|banquet|meal)\b").expect("pattern")
});
static SESSION_HEADING: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"(?i)\b(?:session|plenary|council)\b").expect("pattern"));
static MEETING_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:meeting|talks|summit|consultations?)\b").expect("pattern")
});
static EVERY_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)\b(?:both|all|each of the|in each) (?:meetings|talks|calls)\b")
        .expect("pattern")
});
/// Could `text` begin with a speaker label (`INLINE_LABEL`): a capital letter first and a
/// colon somewhere?
fn may_be_inline_label(text: &str) -> bool {
    text.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && gate::may_hold_byte(text, b':')
}

const QUESTION_LABELS: &[&str] = &[
    "q",
    "question",
    "questioner",
    "reporter",
    "journalist",
    "moderator",
    "interviewer",
    "press",
];

/// The meeting cues of `text`, where the sentence scan says they can match.
fn find_cues(text: &str, scan: &SentenceScan, gazetteer: &Gazetteer) -> Vec<CueHit> {
    let mut hits: Vec<CueHit> = Vec::new();
    for (index, cue) in gazetteer.meeting_cues.iter().enumerate() {
        if !scan.possible_cues[index] {
            continue;
        }
        if scan.cue_started[index] {
            // Every match begins at one of the cue's first words, so the leftmost match from
            // a place is the first of these that holds one: what `find_iter` finds, without
            // reading the sentence between them.
            let first = scan.cue_starts.partition_point(|&(c, _)| c < index);
            let mut resume = 0;
            for &(c, start) in &scan.cue_starts[first..] {
                if c != index {
                    break;
                }
                if start < resume {
                    continue;
                }
                if let Some((start, end)) = pattern::match_at(&cue.anchored, text, start) {
                    hits.push(CueHit {
                        start,
                        end,
                        cue: index,
                    });
                    resume = end.max(start + 1);
                }
            }
        } else {
            for m in cue.regex.find_iter(text) {
                hits.push(CueHit {
                    start: m.start(),
                    end: m.end(),
                    cue: index,
                });
            }
        }
    }
    leftmost_longest(hits)
}

/// Of overlapping cue matches, the one that begins first, then the longest, then the cue
/// listed first.
fn leftmost_longest(mut hits: Vec<CueHit>) -> Vec<CueHit> {
    hits.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.cue.cmp(&b.cue))
    });
    let mut kept: Vec<CueHit> = Vec::new();
    for hit in hits {
        if kept.last().is_none_or(|k| hit.start >= k.end) {
            kept.push(hit);
        }
    }
    kept
}

fn inside(spans: &[Span], span: Span) -> bool {
    spans
        .iter()
        .any(|s| s.start <= span.start && span.end <= s.end)
}

/// Resolve the date mentions of a sentence (sentence offsets) in order.
fn resolve_dates(
    text: &str,
    mentions: &[DateMention],
    ctx: &DateContext,
    skip: &[Span],
) -> Vec<(DateMention, Option<(NaiveDate, DateSource)>)> {
    mentions
        .iter()
        .filter(|m| !inside(skip, m.span))
        .map(|m| {
            let _ = text;
            (*m, dates::resolve(m.expr, m.weekday, ctx))
        })
        .collect()
}

fn evidence(
    text: &str,
    m: &DateMention,
    source: DateSource,
    meta: &DocumentMeta,
    body: &str,
) -> String {
    let written = m.span.text(text).to_owned();
    match source {
        DateSource::DatelineYear => match meta.dateline {
            Some((_, span)) => format!("{written} ({})", span.text(body)),
            None => written,
        },
        _ => written,
    }
}

/// A prose sentence as `Assembler::sentence` reads it.
struct PlannedSentence {
    /// The text read: the sentence without an inline speaker label.
    span: Span,
    /// The whole sentence.
    whole: Span,
    line: usize,
    /// The inline speaker label read before it ("Minister" of "Minister: ...").
    label: Option<Span>,
}

/// What a sentence's words alone give: what `Assembler::sentence` reads of it before it
/// asks who and when.
struct SentenceFinds {
    mentions: Vec<PersonMention>,
    places: Vec<PlaceMatch>,
    topics: Vec<TopicMatch>,
    /// Converted figures in brackets (`times::converted_brackets`).
    skip: Vec<Span>,
    /// The sentence moves on to another activity (`ACTIVITY_BREAK`).
    breaks: bool,
    /// The sentence sums up the visit (`OVERVIEW`).
    overview: bool,
    /// Its meeting cues, left to right.
    cues: Vec<CueClause>,
}

impl SentenceFinds {
    /// Every sentence's finds, one stage at a time: a stage's code and tables stay in the
    /// processor's caches from one sentence to the next, where reading each sentence
    /// through every stage evicted them. (The stages read nothing but the sentence.)
    fn of_each(planned: &[PlannedSentence], body: &str, gazetteer: &Gazetteer) -> Vec<Self> {
        let people: Vec<_> = planned
            .iter()
            .map(|p| find_people_and_places(p.span.text(body), gazetteer))
            .collect();
        let scans: Vec<SentenceScan> = planned
            .iter()
            .map(|p| gazetteer.scan_sentence(p.span.text(body)))
            .collect();
        planned
            .iter()
            .zip(people)
            .zip(scans)
            .map(|((p, (mentions, places)), mut scan)| {
                let text = p.span.text(body);
                let whole = Span::new(0, text.len());
                let breaks = scan.may_hold(ACTIVITY_WORDS, whole) && ACTIVITY_BREAK.is_match(text);
                // (the scan did not read a speaker label cut off the sentence)
                let overview = (p.whole != p.span || scan.may_hold(OVERVIEW_WORDS, whole))
                    && OVERVIEW.is_match(p.whole.text(body));
                SentenceFinds {
                    mentions,
                    places,
                    skip: times::converted_brackets(text),
                    breaks,
                    overview,
                    cues: cue_clauses(text, &scan, gazetteer),
                    topics: std::mem::take(&mut scan.topics),
                }
            })
            .collect()
    }
}

/// A meeting cue of a sentence and the clause it governs.
struct CueClause {
    hit: CueHit,
    /// The clause starts after the last "and"/";" since the previous cue.
    start: usize,
    /// Where the next cue's clause starts (the sentence's end after the last cue).
    next_start: usize,
    /// `None` when a blocker before the cue rules it out ("plans to meet").
    reach: Option<CueReach>,
}

/// What an unblocked cue's clause holds.
struct CueReach {
    /// The cue's object ends where a subordinate phrase starts ("during", "to discuss").
    object_end: usize,
    /// A plural reference before the cue ("the two leaders").
    plural_ref: bool,
}

/// The meeting cues of `text` (scanned as `scan`) and their clauses.
fn cue_clauses(text: &str, scan: &SentenceScan, gazetteer: &Gazetteer) -> Vec<CueClause> {
    let hits = find_cues(text, scan, gazetteer);
    let mut sentence_blocked = None;
    let mut clauses = Vec::with_capacity(hits.len());
    for (k, hit) in hits.iter().enumerate() {
        let prev_end = if k == 0 { 0 } else { hits[k - 1].end };
        let clause_start = if k == 0 {
            0
        } else {
            CLAUSE_BREAK
                .find_iter(&text[prev_end..hit.start])
                .last()
                .map_or(prev_end, |m| prev_end + m.end())
        };
        let next_start = hits.get(k + 1).map_or(text.len(), |h| {
            CLAUSE_BREAK
                .find_iter(&text[hit.end..h.start])
                .last()
                .map_or(h.start, |m| hit.end + m.start())
        });
        let blocked = gazetteer.blocks(&text[clause_start..hit.start], text, &mut sentence_blocked);
        let reach = (!blocked).then(|| {
            let before_cue = Span::new(clause_start, hit.start);
            CueReach {
                object_end: SUBORDINATE
                    .find(&text[hit.end..next_start])
                    .map_or(next_start, |m| hit.end + m.start()),
                plural_ref: scan.may_hold(PLURAL_WORDS, before_cue)
                    && PLURAL_REF.is_match(before_cue.text(text)),
            }
        });
        clauses.push(CueClause {
            hit: *hit,
            start: clause_start,
            next_start,
            reach,
        });
    }
    clauses
}

struct Assembler<'a> {
    body: &'a str,
    segmented: &'a Segmented,
    meta: &'a DocumentMeta,
    gazetteer: &'a Gazetteer,
    resolver: Resolver<'a>,
    sentences: Vec<SentenceInfo>,
    drafts: Vec<Draft>,
    groups: usize,
    /// The first day the prose reports (used for meetings that give no date).
    event_date: Option<Dated>,
    month: Option<(i32, u32)>,
    doc_speaker: Option<usize>,
    /// The dates of every prose sentence, found by `find_event_date` before it looks for the
    /// first, by sentence span, so that `sentence` does not look for them again.
    read_ahead: Vec<(Span, Vec<dates::DateMention>)>,
    /// The first entry of `read_ahead` not yet passed.
    read_ahead_next: usize,
}

impl<'a> Assembler<'a> {
    fn context(&self) -> DateContext {
        let mut ctx = self.meta.date_context();
        if self.month.is_some() {
            ctx.month = self.month;
        }
        ctx.previous = self
            .drafts
            .last()
            .and_then(|d| d.date.as_ref())
            .map(|d| d.date);
        ctx
    }

    fn reference_date(&self) -> Option<NaiveDate> {
        self.drafts
            .last()
            .and_then(|d| d.date.as_ref().map(|d| d.date))
            .or(self.event_date.as_ref().map(|d| d.date))
            .or(self.meta.published_on)
    }

    /// The first day-level date of the prose, read ahead so that a meeting reported before
    /// its date is written ("... signed. ... on Monday (15 April)") still gets it.
    fn find_event_date(&mut self) {
        let mut ctx = self.meta.date_context();
        // every sentence's dates at once (a stage, as in `SentenceFinds::of_each`); `sentence`
        // takes them from here
        self.read_ahead = self
            .segmented
            .prose()
            .map(|s| (s.span, dates::find_dates(s.span.text(self.body))))
            .collect();
        for (sentence, found) in &self.read_ahead {
            let text = sentence.text(self.body);
            let skip = times::converted_brackets(text);
            let dated = resolve_dates(text, found, &ctx, &skip);
            for (m, resolved) in dated {
                if let Some((_, span)) = self.meta.dateline
                    && sentence.start + m.span.start == span.start
                {
                    continue;
                }
                if let Some((date, source)) = resolved {
                    if matches!(m.expr, DateExpr::Full(_) | DateExpr::MonthDay { .. }) {
                        ctx.month = Some((date.year(), date.month()));
                    }
                    if matches!(
                        m.expr,
                        DateExpr::Relative(dates::Relative::NextDay | dates::Relative::PreviousDay)
                    ) {
                        continue;
                    }
                    self.event_date = Some(Dated {
                        date,
                        source,
                        evidence: evidence(text, &m, source, self.meta, self.body),
                    });
                    return;
                }
            }
        }
    }

    fn find_speaker(&mut self) {
        let date = self.meta.published_on;
        for line in &self.segmented.lines {
            if line.kind != LineKind::Short {
                continue;
            }
            let text = line.span.text(self.body);
            if BY.may_match(text)
                && let Some(c) = HEADER_SPEAKER.captures(text)
                && let Some(who) = c.get(1)
            {
                let mentions = find_people(who.as_str(), self.gazetteer);
                for m in mentions.iter().filter(|m| m.kind != MentionKind::Pronoun) {
                    if let Some(e) = self.resolver.resolve(m, date) {
                        self.doc_speaker = Some(e);
                        self.resolver.speaker = Some(e);
                        return;
                    }
                }
            }
        }
        // A minister's own media release speaks in the first person ("Today I met ..."): the
        // speaker is the person its header names with a title ("Senator the Hon Penny Wong,
        // Minister for Foreign Affairs").
        let first_person = self
            .segmented
            .prose()
            .map(|s| s.span.text(self.body))
            .any(|s| FIRST_PERSON_WORD.may_match(s) && FIRST_PERSON.is_match(s));
        if !first_person {
            return;
        }
        let first_prose = self.segmented.prose().next().map_or(usize::MAX, |s| s.line);
        for line in self
            .segmented
            .lines
            .iter()
            .take(first_prose.min(self.segmented.lines.len()))
        {
            if line.kind != LineKind::Short {
                continue;
            }
            // a byline starts with the person: "Senator the Hon Penny Wong, Minister for ..."
            let text = line.span.text(self.body);
            let mentions = find_people(text, self.gazetteer);
            let leading = |m: &&PersonMention| text[..m.span.start].split_whitespace().count() <= 1;
            for m in mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Named && m.title.is_some())
                .filter(leading)
            {
                if let Some(e) = self.resolver.resolve(m, date) {
                    self.doc_speaker = Some(e);
                    self.resolver.speaker = Some(e);
                    return;
                }
            }
        }
    }

    /// A speaker label ("Minister:", "ASO:") sets who "I" is.
    fn read_label(&mut self, label: &str) {
        let lower = label.trim().trim_end_matches(':').to_lowercase();
        if QUESTION_LABELS.contains(&lower.as_str()) {
            self.resolver.speaker = None;
            return;
        }
        let date = self.reference_date();
        let mentions = find_people(label.trim().trim_end_matches(':'), self.gazetteer);
        let resolved = mentions
            .iter()
            .filter(|m| m.kind != MentionKind::Pronoun)
            .find_map(|m| self.resolver.resolve(m, date));
        self.resolver.speaker = resolved.or(self.doc_speaker);
    }

    fn run(mut self) -> Vec<Meeting> {
        self.month = self.meta.date_context().month;
        self.find_event_date();
        self.find_speaker();
        // The headline names the parties: read it first so later short forms resolve.
        if let Some(span) = self.meta.title_span {
            let date = self.meta.published_on;
            for m in find_people(span.text(self.body), self.gazetteer) {
                if m.kind == MentionKind::Named {
                    self.resolver.resolve(&m, date);
                }
            }
        }
        // Each prose sentence as `sentence` reads it: without an inline speaker label
        // ("Minister: ..."), which sets who "I" is first.
        let mut planned: Vec<PlannedSentence> = Vec::new();
        let mut last_line = usize::MAX;
        for s in self.segmented.prose() {
            let (span, line) = (s.span, s.line);
            let mut text_start = span.start;
            let mut label = None;
            if line != last_line {
                let text = span.text(self.body);
                if may_be_inline_label(text)
                    && let Some(c) = INLINE_LABEL.captures(text)
                    && let (Some(found), Some(whole)) = (c.get(1), c.get(0))
                    && !found.as_str().contains("Date")
                    && !["Place", "Venue", "Note", "Time", "Location"].contains(&found.as_str())
                {
                    label = Some(Span::new(
                        span.start + found.start(),
                        span.start + found.end(),
                    ));
                    text_start = span.start + whole.end();
                }
            }
            last_line = line;
            planned.push(PlannedSentence {
                span: Span::new(text_start, span.end),
                whole: span,
                line,
                label,
            });
        }
        let found = SentenceFinds::of_each(&planned, self.body, self.gazetteer);
        let mut next_line = 0;
        for (p, finds) in planned.into_iter().zip(found) {
            while next_line < p.line {
                let l = &self.segmented.lines[next_line];
                if l.kind == LineKind::Label {
                    self.read_label(l.span.text(self.body));
                }
                next_line += 1;
            }
            if let Some(label) = p.label {
                self.read_label(label.text(self.body));
            }
            self.sentence(p.span, p.line, finds);
        }
        self.finish()
    }

    /// Read prose sentence `span` (after any speaker label) with what its words alone gave
    /// (`finds`).
    fn sentence(&mut self, span: Span, line: usize, finds: SentenceFinds) {
        let body = self.body;
        let text = span.text(body);
        let index = self.sentences.len();
        let SentenceFinds {
            mentions,
            places,
            topics,
            skip,
            breaks,
            overview,
            cues,
        } = finds;
        // the read-ahead went through the same sentences in the same order: entries before
        // this sentence are passed for good (one whose sentence lost an inline label to
        // `run` has another span, and its dates are looked for again)
        while self
            .read_ahead
            .get(self.read_ahead_next)
            .is_some_and(|(read, _)| read.end <= span.start && *read != span)
        {
            self.read_ahead_next += 1;
        }
        let date_mentions = match self.read_ahead.get_mut(self.read_ahead_next) {
            Some((read, found)) if *read == span => {
                self.read_ahead_next += 1;
                std::mem::take(found)
            }
            _ => dates::find_dates(text),
        };
        let ctx = self.context();
        let resolved = resolve_dates(text, &date_mentions, &ctx, &skip);
        let sentence_date = resolved.iter().find_map(|(_, r)| *r).map(|(d, _)| d);
        let reference = sentence_date.or_else(|| self.reference_date());
        let mut people = Vec::new();
        let mut first = None;
        for m in &mentions {
            if let Some(e) = self.resolver.resolve(m, reference) {
                if first.is_none() {
                    first = Some(e);
                }
                people.push((e, m.span.offset(span.start)));
            }
        }
        self.resolver.set_subject(first);
        for (m, r) in &resolved {
            if let Some((d, _)) = r
                && matches!(m.expr, DateExpr::Full(_) | DateExpr::MonthDay { .. })
            {
                self.month = Some((d.year(), d.month()));
            }
        }
        self.sentences.push(SentenceInfo {
            span,
            line,
            people,
            breaks,
            overview,
            topics,
            places,
        });
        let mut handled_any = false;
        let mut previous_subject: Vec<(usize, Span)> = Vec::new();
        for (k, clause) in cues.iter().enumerate() {
            let Some(CueReach {
                object_end,
                plural_ref,
            }) = clause.reach
            else {
                continue;
            };
            let (hit, clause_start, next_start) = (&clause.hit, clause.start, clause.next_start);
            let cue = &self.gazetteer.meeting_cues[hit.cue];
            let people_here = self.sentences[index].people.clone();
            let in_region = |from: usize, to: usize| -> Vec<(usize, Span)> {
                let mut out: Vec<(usize, Span)> = Vec::new();
                for (e, s) in &people_here {
                    if s.start >= span.start + from
                        && s.end <= span.start + to
                        && !out.iter().any(|(x, _)| x == e)
                    {
                        out.push((*e, *s));
                    }
                }
                out
            };
            let mut subject = in_region(clause_start, hit.start);
            // "I visited NATO and held a meeting with ...": the subject is shared
            if subject.is_empty() && k > 0 {
                subject = previous_subject.clone();
            }
            previous_subject = subject.clone();
            let object = in_region(hit.end, object_end);
            // "A held talks with B": without a B this cue reports a meeting only when its
            // subject is two people joined by "and" ("A and B met on the sidelines");
            // "Speaking alongside A, B called on North Korea" is not one.
            let coordinated = plural_ref || coordinated_pair(text, &subject, span.start);
            let mut shape = cue.shape;
            if shape == CueShape::Direct {
                // the person must be what the verb takes: "visited Prime Minister B"
                let next = text[hit.end..].trim_start();
                let next = next.strip_prefix("the ").unwrap_or(next);
                let at = span.start + text.len() - next.len();
                if !object
                    .first()
                    .is_some_and(|(_, s)| s.start <= at + 4 && s.start + 4 >= at)
                {
                    continue;
                }
                shape = CueShape::With;
            }
            if shape == CueShape::With && object.is_empty() {
                if !coordinated {
                    continue;
                }
                shape = CueShape::Plural;
            }
            if shape == CueShape::Plural && !coordinated {
                continue;
            }
            // "A attended the Summit": the attendee is the one just before the cue.
            if cue.shape == CueShape::Attend && subject.len() > 1 {
                subject = subject.split_off(subject.len() - 1);
            }
            // "Prime Minister Kishida and the three leaders attended": the people of the
            // meeting before
            if plural_ref
                && let Some(previous) = self.drafts.iter().rev().find(|d| d.entities().len() >= 2)
            {
                for slot in &previous.slots {
                    if !subject.iter().any(|(e, _)| *e == slot.entity) {
                        subject.push((slot.entity, slot.span));
                    }
                }
            }
            // date: the first after the cue in its clause, else the last before it
            let after = resolved
                .iter()
                .find(|(m, r)| r.is_some() && m.span.start >= hit.end && m.span.end <= next_start);
            let before = resolved
                .iter()
                .rev()
                .find(|(m, r)| r.is_some() && m.span.end <= hit.start);
            let chosen = after.or(before);
            let background_month = resolved.iter().any(|(m, r)| {
                r.is_none()
                    && matches!(m.expr, DateExpr::MonthYear { year, month }
                        if self.meta.published_on.is_none_or(|p| (p.year(), p.month()) != (year, month)))
            });
            let date = chosen.and_then(|(m, r)| {
                r.map(|(d, source)| Dated {
                    date: d,
                    source,
                    evidence: evidence(text, m, source, self.meta, body),
                })
            });
            if date.is_none() && background_month {
                continue; // "signed in Tokyo in April 2013": background
            }
            if let (Some(d), Some(p)) = (&date, self.meta.published_on)
                && d.date < p - chrono::Days::new(31)
            {
                continue; // a meeting long before the release is background
            }
            let clause = &text[clause_start..next_start];
            let (start, duration) = times::start_and_duration(clause);
            let mut exclude: Vec<Span> = mentions.iter().map(|m| m.span).collect();
            exclude.extend(skip.iter().copied());
            let location = locate_among(
                text,
                &self.sentences[index].places,
                &exclude,
                self.gazetteer,
            );
            let cue_span = Span::new(span.start + hit.start, span.start + hit.end);
            let _ = cue_span;
            let handled = match shape {
                CueShape::Session => {
                    self.session(
                        index,
                        span,
                        &cue.kind,
                        date,
                        start.map(|s| s.0),
                        duration.map(|d| d.0),
                        location,
                    );
                    true
                }
                CueShape::Delegation => {
                    self.delegation(index, span, text, &cue.kind, date, location)
                }
                CueShape::Attend => {
                    // The attendee alone here; those who opened or chaired the session are
                    // added from the sentences that follow (`attach_session_actors`).
                    let slots: Vec<Slot> = subject
                        .iter()
                        .map(|(e, s)| Slot {
                            entity: *e,
                            role: Role::Participant,
                            span: *s,
                            organization: None,
                        })
                        .collect();
                    self.add(
                        index,
                        span,
                        &cue.kind,
                        slots,
                        date,
                        start.map(|s| s.0),
                        duration.map(|d| d.0),
                        location,
                    )
                }
                CueShape::Plural | CueShape::Passive | CueShape::With | CueShape::Direct => {
                    let mut slots: Vec<Slot> = Vec::new();
                    if shape != CueShape::Passive {
                        for (e, s) in &subject {
                            slots.push(Slot {
                                entity: *e,
                                role: cue.subject_role,
                                span: *s,
                                organization: None,
                            });
                        }
                    }
                    if shape != CueShape::Plural {
                        for (e, s) in &object {
                            if !slots.iter().any(|x| x.entity == *e) {
                                slots.push(Slot {
                                    entity: *e,
                                    role: cue.object_role,
                                    span: *s,
                                    organization: None,
                                });
                            }
                        }
                    }
                    let cue_text = &text[hit.start..hit.end];
                    // "held bilateral meetings with A and B": one meeting each
                    let separately = BILATERALS.is_match(cue_text);
                    let government = if separately {
                        Some(None)
                    } else {
                        self.is_trip_list(&object, reference)
                    };
                    let split = shape == CueShape::With
                        && subject.len() == 1
                        && object.len() >= 2
                        && government.is_some()
                        && (separately || !MULTILATERAL.is_match(cue_text));
                    let shared_org = government.flatten();
                    if split {
                        let group = self.new_group();
                        let mut any = false;
                        for (e, s) in &object {
                            let pair = vec![
                                Slot {
                                    entity: subject[0].0,
                                    role: cue.subject_role,
                                    span: subject[0].1,
                                    organization: None,
                                },
                                Slot {
                                    entity: *e,
                                    role: cue.object_role,
                                    span: *s,
                                    organization: shared_org.clone(),
                                },
                            ];
                            any |= self.add_in_group(
                                index,
                                span,
                                &cue.kind,
                                pair,
                                date.clone(),
                                start.map(|s| s.0),
                                duration.map(|d| d.0),
                                location.clone(),
                                Some(group),
                            );
                        }
                        any
                    } else {
                        self.add(
                            index,
                            span,
                            &cue.kind,
                            slots,
                            date,
                            start.map(|s| s.0),
                            duration.map(|d| d.0),
                            location,
                        )
                    }
                }
            };
            handled_any |= handled;
        }
        let _ = handled_any;
    }

    /// Several ministers of one government listed after a single visitor ("held talks with
    /// the Minister of Foreign Affairs Fumio Kishida, Defence Minister Itsunori Onodera"):
    /// each is a meeting of their own.
    fn is_trip_list(
        &self,
        object: &[(usize, Span)],
        date: Option<NaiveDate>,
    ) -> Option<Option<String>> {
        if object.len() < 2 {
            return None;
        }
        let orgs: BTreeSet<String> = object
            .iter()
            .filter_map(|(e, _)| self.resolver.entities()[*e].organization_at(self.gazetteer, date))
            .collect();
        let ministers = object.iter().all(|(e, _)| {
            self.resolver.entities()[*e]
                .title_at(self.gazetteer, date)
                .is_some_and(|t| t.contains("Minister") || t.contains("Secretary of"))
        });
        // one government's ministers (those whose government is not written belong to the
        // one the others name: "Japan's State Minister for Foreign Affairs, A, and State
        // Minister of Defense, B")
        (orgs.len() == 1 && ministers).then(|| orgs.into_iter().next())
    }

    fn new_group(&mut self) -> usize {
        self.groups += 1;
        self.groups - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        index: usize,
        span: Span,
        kind: &str,
        slots: Vec<Slot>,
        date: Option<Dated>,
        start: Option<ClockTime>,
        duration: Option<u32>,
        location: Option<Location>,
    ) -> bool {
        self.add_in_group(
            index, span, kind, slots, date, start, duration, location, None,
        )
    }

    /// Add what one cue reports: merged into a meeting of this release it continues, or a
    /// new meeting.
    #[allow(clippy::too_many_arguments)]
    fn add_in_group(
        &mut self,
        index: usize,
        span: Span,
        kind: &str,
        slots: Vec<Slot>,
        date: Option<Dated>,
        start: Option<ClockTime>,
        duration: Option<u32>,
        location: Option<Location>,
        group: Option<usize>,
    ) -> bool {
        let entities: BTreeSet<usize> = slots.iter().map(|s| s.entity).collect();
        if entities.is_empty() {
            return false;
        }
        if entities.len() < 2 {
            // "The North Atlantic Council met with X. The meeting was chaired by Y.": kept
            // until `finish`, which drops it unless someone else is named at it.
            if self
                .drafts
                .iter()
                .any(|d| d.entities().is_superset(&entities))
            {
                return false;
            }
            let group = group.unwrap_or_else(|| self.new_group());
            self.drafts.push(Draft {
                slots,
                kind: kind.to_owned(),
                date,
                start,
                duration,
                location,
                sentence: index,
                span,
                group,
                session: false,
                reported_in: vec![index],
            });
            return true;
        }
        // Is this a sentence about a meeting already reported?
        let same = self.drafts.iter().rposition(|d| {
            let overlap = d.entities().intersection(&entities).count();
            let dates_agree = match (&d.date, &date) {
                (Some(a), Some(b)) => a.date == b.date,
                _ => true,
            };
            let times_agree = match (d.start, start) {
                (Some(a), Some(b)) => a == b,
                (Some(_), None) | (None, None) => true,
                (None, Some(_)) => d.sentence == index || !d.session,
            };
            overlap >= 2.min(entities.len()) && dates_agree && times_agree
        });
        if let Some(i) = same {
            let draft = &mut self.drafts[i];
            if !draft.reported_in.contains(&index) {
                draft.reported_in.push(index);
            }
            for slot in slots {
                draft.add_slot(slot);
            }
            if draft.date.is_none() {
                draft.date = date;
            }
            if draft.start.is_none() {
                draft.start = start;
            }
            if draft.duration.is_none() {
                draft.duration = duration;
            }
            if draft.location.is_none() {
                draft.location = location;
            }
            if draft.kind == "signing" && kind != "signing"
                || draft.kind == "meeting" && is_specific(kind)
            {
                draft.kind = kind.to_owned();
            }
            return true;
        }
        // The same people again at another time: a further session of that meeting
        // ("Subsequently, Minister Kono hosted a working dinner for Foreign Secretary Hunt").
        let earlier = self
            .drafts
            .iter()
            .rposition(|d| d.entities() == entities && !d.session)
            .filter(|_| group.is_none());
        let (group, session) = match earlier {
            Some(e) => (self.drafts[e].group, true),
            None => (group.unwrap_or_else(|| self.new_group()), false),
        };
        self.drafts.push(Draft {
            slots,
            kind: kind.to_owned(),
            date,
            start,
            duration,
            location,
            sentence: index,
            span,
            group,
            session,
            reported_in: vec![index],
        });
        true
    }

    /// "a working dinner was held for about 55 minutes starting at 7:10 p.m.": a further
    /// session of the meeting before it, when separately timed.
    #[allow(clippy::too_many_arguments)]
    fn session(
        &mut self,
        index: usize,
        span: Span,
        kind: &str,
        date: Option<Dated>,
        start: Option<ClockTime>,
        duration: Option<u32>,
        location: Option<Location>,
    ) {
        let Some(previous) = self.drafts.last().cloned() else {
            return;
        };
        if start.is_none() || previous.start == start {
            return; // not separately timed: part of the meeting before
        }
        self.drafts.push(Draft {
            slots: previous.slots.clone(),
            kind: kind.to_owned(),
            date: date.or(previous.date.clone()),
            start,
            duration,
            location: location.or(previous.location.clone()),
            sentence: index,
            span,
            group: previous.group,
            session: true,
            reported_in: vec![index],
        });
    }

    /// "Consultations were held": the heads of delegation named in the next sentences.
    fn delegation(
        &mut self,
        index: usize,
        span: Span,
        text: &str,
        kind: &str,
        date: Option<Dated>,
        location: Option<Location>,
    ) -> bool {
        let _ = text;
        let mut slots = Vec::new();
        // the sentence itself ("... were co-chaired by A and B") and the next few
        let nearby: Vec<Span> = self
            .segmented
            .prose()
            .map(|s| s.span)
            .filter(|s| s.start >= span.start)
            .take(5)
            .collect();
        let date_ref = date.as_ref().map(|d| d.date).or(self.meta.published_on);
        for s in nearby {
            let t = s.text(self.body);
            if let Some(c) = REPRESENTED.captures(t)
                && let (Some(whole), Some(side)) = (c.get(0), c.get(1))
                && let Some(org) = self
                    .gazetteer
                    .organization(side.as_str().trim_end_matches('.'))
            {
                let organization = Some(self.gazetteer.organizations[org].name.clone());
                for m in find_people(&t[..whole.start()], self.gazetteer) {
                    if m.kind == MentionKind::Named
                        && let Some(e) = self.resolver.resolve(&m, date_ref)
                    {
                        slots.push(Slot {
                            entity: e,
                            role: Role::Participant,
                            span: m.span.offset(s.start),
                            organization: organization.clone(),
                        });
                    }
                }
                continue;
            }
            let Some(c) = BY.may_match(t).then(|| DELEGATION.captures(t)).flatten() else {
                continue;
            };
            let Some(whole) = c.get(0) else { continue };
            // "The Japanese delegation was headed by": that side's organisation
            let organization = c.get(1).and_then(|side| {
                self.gazetteer
                    .find_organizations(side.as_str())
                    .first()
                    .map(|m| self.gazetteer.organizations[m.org].name.clone())
            });
            let lower = whole.as_str().to_lowercase();
            let co_chaired = lower.contains("chaired") || lower.contains("represented");
            for m in find_people(&t[whole.end()..], self.gazetteer) {
                if m.kind != MentionKind::Named {
                    continue;
                }
                if let Some(e) = self.resolver.resolve(&m, date_ref) {
                    slots.push(Slot {
                        entity: e,
                        role: Role::Participant,
                        span: m.span.offset(s.start + whole.end()),
                        organization: organization.clone(),
                    });
                    if !co_chaired {
                        break; // one head per delegation
                    }
                }
            }
        }
        self.add(index, span, kind, slots, date, None, None, location)
    }

    fn finish(mut self) -> Vec<Meeting> {
        self.attach_session_actors();
        // A meeting needs two named people, representing two parties.
        self.drafts.retain(|d| d.entities().len() >= 2);
        let date = self.meta.published_on;
        let parties = |d: &Draft| -> BTreeSet<Option<String>> {
            d.slots
                .iter()
                .map(|s| {
                    self.resolver.entities()[s.entity]
                        .organization_at(self.gazetteer, d.date.as_ref().map(|x| x.date).or(date))
                        .or(s.organization.clone())
                })
                .collect()
        };
        // only a meeting of people all known to represent one party is dropped
        let keep: Vec<bool> = self
            .drafts
            .iter()
            .map(|d| {
                let p = parties(d);
                p.len() >= 2 || p.contains(&None)
            })
            .collect();
        let mut keep = keep.into_iter();
        self.drafts.retain(|_| keep.next().unwrap_or(true));
        // (every prose sentence was read into one of `sentences`)
        let has_overview = self.sentences.iter().any(|s| s.overview);
        let group_text = self.group_sentences(has_overview);
        let mut mentioned: Vec<(usize, Span, usize)> = Vec::new(); // entity, span, draft
        let participants: BTreeSet<usize> = self.drafts.iter().flat_map(|d| d.entities()).collect();
        for (si, s) in self.sentences.iter().enumerate() {
            for (e, span) in &s.people {
                if participants.contains(e) || mentioned.iter().any(|(m, _, _)| m == e) {
                    continue;
                }
                let entity = &self.resolver.entities()[*e];
                if entity.bare && entity.person.is_none() {
                    continue;
                }
                let draft = self
                    .drafts
                    .iter()
                    .rposition(|d| d.sentence <= si)
                    .unwrap_or(0);
                mentioned.push((*e, *span, draft));
            }
        }
        let mut out = Vec::new();
        for (i, draft) in self.drafts.iter().enumerate() {
            let mut draft = draft.clone();
            if draft.date.is_none() {
                // No date in the sentence: the release's other dates, else its own date.
                let earlier = self.drafts[..i].iter().rev().find_map(|d| d.date.clone());
                draft.date = earlier.or_else(|| self.event_date.clone()).or_else(|| {
                    self.meta.published_on.map(|p| Dated {
                        date: p,
                        source: DateSource::PublicationDate,
                        evidence: self
                            .meta
                            .dateline
                            .map_or_else(|| p.to_string(), |(_, s)| s.text(self.body).to_owned()),
                    })
                });
            }
            let vague = draft
                .location
                .as_ref()
                .is_none_or(|l| l.kind == crate::gazetteer::PlaceKind::Country);
            if vague
                && let Some(found) = self.location_from_text(&draft, &group_text)
                && draft.location.as_ref().is_none_or(|l| {
                    found.kind != crate::gazetteer::PlaceKind::Country
                        && found.country.as_deref() == Some(l.location.as_str())
                })
            {
                // "during his visit to Japan ... a face-to-face meeting in Tokyo"
                draft.location = Some(found);
            }
            let date = draft.date.as_ref().map(|d| d.date);
            // the sentences assigned to this meeting (and the headline, to the first one)
            let mut spans: Vec<(Span, Cow<[TopicMatch]>)> = group_text
                .iter()
                .filter(|(owner, _)| *owner == i)
                .map(|(_, s)| (*s, self.topics_of(*s)))
                .collect();
            if i == 0
                && !draft.session
                && let Some(t) = self.meta.title_span
            {
                let found = self.gazetteer.find_topic_cues(t.text(self.body));
                spans.insert(0, (t, Cow::Owned(found)));
            }
            let topics = topics_in(self.body, &spans, self.gazetteer);
            self.organization_from_heading(&mut draft, date);
            // "1. Date and time: January 12, 2023, 10:00-10:40 (local time)": the header of
            // a one-meeting release (not of a press conference, whose header times the
            // conference itself)
            if i == 0
                && draft.start.is_none()
                && let Some(when) = self.meta.when_line
                && !self
                    .meta
                    .title
                    .as_deref()
                    .is_some_and(|t| HEADER_SPEAKER.is_match(t))
            {
                let (start, duration) = times::start_and_duration(when.text(self.body));
                draft.start = start.map(|s| s.0);
                if draft.duration.is_none() {
                    draft.duration = duration.map(|d| d.0);
                }
            }
            if draft.duration.is_none() {
                // "Today I met ... in Tokyo. We spoke for about an hour about ..."
                let next = draft.sentence + 1;
                if let Some(s) = self.sentences.get(next)
                    && s.line == self.sentences[draft.sentence].line
                    && self.drafts.iter().all(|d| d.sentence != next)
                {
                    draft.duration = times::find_durations(s.span.text(self.body))
                        .first()
                        .map(|d| d.minutes);
                }
            }
            let mut people: Vec<Participant> = draft
                .slots
                .iter()
                .map(|slot| {
                    self.participant(
                        slot.entity,
                        slot.role,
                        slot.span,
                        slot.organization.clone(),
                        date,
                    )
                })
                .collect();
            assign_roles(&mut people, &draft, self.gazetteer);
            for (e, span, d) in &mentioned {
                if *d == i {
                    people.push(self.participant(*e, Role::Mentioned, *span, None, date));
                }
            }
            out.push(Meeting {
                held_on: date,
                held_on_source: draft.date.as_ref().map(|d| d.source),
                held_on_evidence: draft.date.as_ref().map(|d| d.evidence.clone()),
                starts_at: draft.start,
                duration_minutes: draft.duration,
                kind: draft.kind.clone(),
                location: draft.location.as_ref().map(|l| l.location.clone()),
                venue: draft.location.as_ref().and_then(|l| l.venue.clone()),
                timezone: draft.location.as_ref().and_then(|l| l.timezone.clone()),
                span: draft.span,
                participants: people,
                topics,
            });
        }
        out
    }

    fn participant(
        &self,
        entity: usize,
        role: Role,
        span: Span,
        organization: Option<String>,
        date: Option<NaiveDate>,
    ) -> Participant {
        let e = &self.resolver.entities()[entity];
        Participant {
            name: e.name.clone(),
            family_name: e.family.clone(),
            in_gazetteer: e.person.is_some(),
            title: e
                .title_at(self.gazetteer, date)
                .map(|t| self.gazetteer.canonical_title(&t)),
            organization: e
                .organization_at(self.gazetteer, date)
                .or(organization)
                .or_else(|| self.meta.home.clone()),
            role,
            span,
        }
    }

    /// For a summit session, the people the following sentences name as opening or chairing
    /// it ("Following the opening statement by NATO Secretary General Stoltenberg").
    fn attach_session_actors(&mut self) {
        for d in 0..self.drafts.len() {
            let summit = self.drafts[d].kind == "summit-session";
            let from = self.drafts[d].sentence;
            let to = self
                .drafts
                .iter()
                .filter(|x| x.sentence > from)
                .map(|x| x.sentence)
                .min()
                .unwrap_or(self.sentences.len());
            let mut extra = Vec::new();
            for s in &self.sentences[from..to] {
                let text = s.span.text(self.body);
                for (e, span) in &s.people {
                    let before = &text[..span.start - s.span.start];
                    if MEETING_ACTOR.is_match(before) || (summit && SESSION_ACTOR.is_match(before))
                    {
                        extra.push(Slot {
                            entity: *e,
                            role: Role::Participant,
                            span: *span,
                            organization: None,
                        });
                    }
                }
            }
            for slot in extra {
                self.drafts[d].add_slot(slot);
            }
        }
    }

    /// The topic cues of a sentence: as found when it was read (any other span is read now).
    fn topics_of(&self, span: Span) -> Cow<'_, [TopicMatch]> {
        match self
            .sentences
            .binary_search_by_key(&span.start, |s| s.span.start)
        {
            Ok(k) if self.sentences[k].span == span => Cow::Borrowed(&self.sentences[k].topics),
            _ => Cow::Owned(self.gazetteer.find_topic_cues(span.text(self.body))),
        }
    }

    /// Which sentences speak for which group of meetings: from a group's first sentence to the
    /// next group's, stopping at page furniture, at a heading (unless the release lays out
    /// an overview under headings) and at a new activity such as a speech.
    fn group_sentences(&self, has_overview: bool) -> Vec<(usize, Span)> {
        let mut out = Vec::new();
        let Some(first_sentence) = self.drafts.iter().map(|d| d.sentence).min() else {
            return out;
        };
        let mains: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| !self.drafts[i].session)
            .collect();
        // people who tell one meeting from another (not the visitor present at all of them)
        let common: BTreeSet<usize> = mains
            .iter()
            .map(|&i| self.drafts[i].entities())
            .reduce(|a, b| a.intersection(&b).copied().collect())
            .unwrap_or_default();
        let distinctive: Vec<(usize, BTreeSet<usize>)> = mains
            .iter()
            .map(|&i| {
                (
                    i,
                    self.drafts[i]
                        .entities()
                        .difference(&common)
                        .copied()
                        .collect(),
                )
            })
            .collect();
        // a section heading names the kind of meeting its text is about
        let by_heading = |heading: &str| -> Option<usize> {
            let kind = if MEAL_HEADING.is_match(heading) {
                "working-meal"
            } else if SESSION_HEADING.is_match(heading) {
                "summit-session"
            } else if MEETING_HEADING.is_match(heading) {
                "meeting"
            } else {
                return None;
            };
            (0..self.drafts.len()).find(|&i| self.drafts[i].kind == kind)
        };
        let mut owners: Vec<usize> = mains
            .iter()
            .copied()
            .filter(|&i| self.drafts[i].sentence == first_sentence)
            .collect();
        let mut previous_line: Option<usize> = None;
        for (si, s) in self.sentences.iter().enumerate() {
            let starting: Vec<usize> = mains
                .iter()
                .copied()
                .filter(|&i| self.drafts[i].sentence == si)
                .collect();
            let reporting: Vec<usize> = mains
                .iter()
                .copied()
                .filter(|&i| self.drafts[i].reported_in.contains(&si))
                .collect();
            if !starting.is_empty() {
                owners = starting;
            } else if !reporting.is_empty() {
                owners = reporting;
            } else if si > first_sentence {
                // what lies between the previous sentence and this one
                if let Some(prev) = previous_line
                    && s.line > prev + 1
                {
                    let between = &self.segmented.lines[prev + 1..s.line];
                    let furniture = between.iter().any(|l| l.kind == LineKind::Clutter);
                    // (a date line, "Published 1 May 2014", is not a heading)
                    let headings: Vec<&str> = between
                        .iter()
                        .filter(|l| l.kind == LineKind::Short)
                        .map(|l| l.span.text(self.body))
                        .filter(|t| {
                            !dates::find_dates(t)
                                .iter()
                                .any(|d| matches!(d.expr, DateExpr::Full(_)))
                        })
                        .collect();
                    // a heading, but not a photo caption naming people
                    let heading = headings.iter().any(|h| {
                        find_people(h, self.gazetteer)
                            .iter()
                            .all(|m| m.kind == MentionKind::Pronoun || m.bare)
                    });
                    if furniture || (heading && !has_overview) {
                        owners.clear();
                    } else if let Some(d) = headings.iter().rev().find_map(|h| by_heading(h)) {
                        // "2. Working Dinner": what follows is about the dinner
                        owners = vec![d];
                    }
                }
                if s.breaks {
                    owners.clear();
                }
            }
            previous_line = Some(s.line);
            // In a release with several meetings, a sentence that names the counterpart of
            // one of them is about that one ("With Minister Yun, ..."), and so is what
            // follows; "in both meetings" is about all of them.
            if mains.len() > 1 {
                let text = s.span.text(self.body);
                if EVERY_MEETING.is_match(text) {
                    out.extend(mains.iter().map(|&i| (i, s.span)));
                    continue;
                }
                let named: Vec<usize> = distinctive
                    .iter()
                    .filter(|(_, people)| s.people.iter().any(|(e, _)| people.contains(e)))
                    .map(|(i, _)| *i)
                    .collect();
                if !named.is_empty() && named != owners {
                    owners = named;
                }
            }
            out.extend(owners.iter().map(|&i| (i, s.span)));
        }
        out
    }

    /// A trip report lists its meetings under headings naming the counterpart's country
    /// ("2. Republic of Korea"): that is the organisation of the one participant nothing
    /// else places.
    fn organization_from_heading(&self, draft: &mut Draft, date: Option<NaiveDate>) {
        let line = self.sentences[draft.sentence].line;
        let heading = self.segmented.lines[..line]
            .iter()
            .rev()
            .find(|l| l.kind != LineKind::Blank)
            .filter(|l| l.kind == LineKind::Short);
        let Some(heading) = heading else { return };
        let text = heading.span.text(self.body).trim_start_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, '.' | '(' | ')' | ' ' | '-')
        });
        let Some(org) = self.gazetteer.organization(text) else {
            return;
        };
        let unplaced: Vec<usize> = draft
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.organization.is_none()
                    && self.resolver.entities()[s.entity]
                        .organization_at(self.gazetteer, date)
                        .is_none()
            })
            .map(|(i, _)| i)
            .collect();
        // the visitor at every meeting of the trip is not the one the heading names
        let everywhere = |e: usize| {
            self.drafts.len() > 1 && self.drafts.iter().all(|d| d.entities().contains(&e))
        };
        let counterparts: Vec<usize> = unplaced
            .iter()
            .copied()
            .filter(|&i| !everywhere(draft.slots[i].entity))
            .collect();
        if let [only] = counterparts[..] {
            draft.slots[only].organization = Some(self.gazetteer.organizations[org].name.clone());
        }
    }

    /// A meeting whose sentence names no place: the place its other sentences give.
    fn location_from_text(&self, draft: &Draft, group_text: &[(usize, Span)]) -> Option<Location> {
        let exclude_people = |s: &SentenceInfo| -> Vec<Span> {
            let mut x: Vec<Span> = s
                .people
                .iter()
                .map(|(_, sp)| Span::new(sp.start - s.span.start, sp.end - s.span.start))
                .collect();
            x.extend(times::converted_brackets(s.span.text(self.body)));
            x
        };
        // the sentence just before, on the same line ("... visited the Joint Staff College.
        // He met with ...")
        if draft.sentence > 0 {
            let prev = &self.sentences[draft.sentence - 1];
            // ... unless it reports another meeting on another day
            let other = self
                .drafts
                .iter()
                .find(|d| d.sentence == draft.sentence - 1);
            let same_day = other.is_none_or(|d| {
                d.date.as_ref().map(|x| x.date) == draft.date.as_ref().map(|x| x.date)
                    || draft.date.is_none()
            });
            if prev.line == self.sentences[draft.sentence].line
                && same_day
                && let Some(l) = locate_among(
                    prev.span.text(self.body),
                    &prev.places,
                    &exclude_people(prev),
                    self.gazetteer,
                )
            {
                return Some(l);
            }
        }
        // a trip report's lead ("visited Johannesburg ... to attend the G20") places the
        // meetings it lists
        let first_meeting = self.drafts.iter().map(|d| d.sentence).min().unwrap_or(0);
        for s in &self.sentences[..first_meeting.min(draft.sentence)] {
            if let Some(l) = locate_among(
                s.span.text(self.body),
                &s.places,
                &exclude_people(s),
                self.gazetteer,
            ) && l.kind != crate::gazetteer::PlaceKind::Country
            {
                return Some(l);
            }
        }
        for (owner, span) in group_text {
            if self.drafts[*owner].group != draft.group {
                continue;
            }
            if let Some(s) = self.sentences.iter().find(|s| s.span == *span)
                && let Some(l) = locate_among(
                    s.span.text(self.body),
                    &s.places,
                    &exclude_people(s),
                    self.gazetteer,
                )
                && l.kind != crate::gazetteer::PlaceKind::Country
            {
                return Some(l);
            }
        }
        if self.drafts.first().is_some_and(|d| d.group == draft.group)
            && let Some(span) = self.meta.place_line
        {
            let text = format!("at {}", span.text(self.body));
            if let Some(mut l) = locate(&text, &[], self.gazetteer) {
                l.span = span;
                return Some(l);
            }
        }
        None
    }
}

/// Are the last two people before a cue joined by "and" ("Prime Minister Abe and the
/// Secretary General signed")?
fn coordinated_pair(text: &str, subject: &[(usize, Span)], offset: usize) -> bool {
    let [.., (_, a), (_, b)] = subject else {
        return false;
    };
    let between = a
        .end
        .checked_sub(offset)
        .zip(b.start.checked_sub(offset))
        .and_then(|(from, to)| text.get(from..to))
        .map(str::trim);
    matches!(between, Some("and" | ", and" | "&"))
}

fn is_specific(kind: &str) -> bool {
    matches!(
        kind,
        "courtesy-call" | "telephone-talk" | "video-conference" | "working-meal"
    )
}

/// Host and guest, as in CAMEO and PLOVER: whoever is in their own country (or at their own
/// organisation's seat) hosts; the others are guests. A call, or a meeting on third ground,
/// has participants only.
fn assign_roles(people: &mut [Participant], draft: &Draft, gazetteer: &Gazetteer) {
    if people
        .iter()
        .any(|p| matches!(p.role, Role::Host | Role::Guest))
    {
        let hosts: Vec<Option<String>> = people
            .iter()
            .filter(|p| p.role == Role::Host)
            .map(|p| p.organization.clone())
            .collect();
        for p in people.iter_mut().filter(|p| p.role == Role::Participant) {
            p.role = if hosts.contains(&p.organization) {
                Role::Host
            } else {
                Role::Guest
            };
        }
        return;
    }
    if matches!(draft.kind.as_str(), "telephone-talk" | "video-conference") {
        return;
    }
    let Some(location) = &draft.location else {
        return;
    };
    let seat = location.venue.as_deref().and_then(|v| {
        gazetteer
            .organizations
            .iter()
            .filter(|o| !o.is_state)
            .find(|o| v.contains(o.name.as_str()))
            .map(|o| o.name.clone())
    });
    // an organisation meeting in its own seat ("NATO" in Brussels) hosts, else the country
    let seat_city = people.iter().find_map(|p| {
        let org = gazetteer.organization(p.organization.as_deref()?)?;
        let org = &gazetteer.organizations[org];
        (!org.is_state && org.capital.as_deref() == Some(location.location.as_str()))
            .then(|| org.name.clone())
    });
    let host_org = seat
        .or(seat_city)
        .or_else(|| location.country.clone())
        .or_else(|| {
            (location.kind == crate::gazetteer::PlaceKind::Country)
                .then(|| location.location.clone())
        });
    let Some(host_org) = host_org else { return };
    let hosts = people
        .iter()
        .filter(|p| p.organization.as_deref() == Some(host_org.as_str()))
        .count();
    if hosts == 0 || hosts == people.len() {
        return;
    }
    for p in people.iter_mut() {
        p.role = if p.organization.as_deref() == Some(host_org.as_str()) {
            Role::Host
        } else {
            Role::Guest
        };
    }
}

/// Assemble the meetings of one release.
pub fn assemble(
    body: &str,
    segmented: &Segmented,
    meta: &DocumentMeta,
    gazetteer: &Gazetteer,
) -> Vec<Meeting> {
    let assembler = Assembler {
        body,
        segmented,
        meta,
        gazetteer,
        resolver: Resolver::new(gazetteer, meta.home.clone()),
        sentences: Vec::new(),
        drafts: Vec::new(),
        groups: 0,
        event_date: None,
        month: None,
        doc_speaker: None,
        read_ahead: Vec::new(),
        read_ahead_next: 0,
    };
    assembler.run()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    static GAZETTEER: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::builtin().expect("built-in data loads"));

    #[test]
    fn the_words_the_patterns_need_are_scanned() {
        let g = &*GAZETTEER;
        for words in [ACTIVITY_WORDS, PLURAL_WORDS, OVERVIEW_WORDS] {
            for word in words {
                let text = format!("They spoke of {} then.", word.to_uppercase());
                let scan = g.scan_sentence(&text);
                assert!(scan.may_hold(words, Span::new(0, text.len())), "{word}");
                assert!(!scan.may_hold(words, Span::new(0, 13)), "{word} before it");
            }
        }
    }

    #[test]
    fn cue_clauses_split_at_and_and_stop_at_blockers() {
        /// (cue, clause, (object, plural reference) unless blocked)
        type Clause<'t> = (&'t str, &'t str, Option<(&'t str, bool)>);
        fn clauses(text: &str) -> Vec<Clause<'_>> {
            let g = &*GAZETTEER;
            let scan = g.scan_sentence(text);
            cue_clauses(text, &scan, g)
                .into_iter()
                .map(|c| {
                    (
                        text[c.hit.start..c.hit.end].trim(),
                        &text[c.start..c.next_start],
                        c.reach
                            .map(|r| (text[c.hit.end..r.object_end].trim(), r.plural_ref)),
                    )
                })
                .collect()
        }
        let text = "The Minister met Ms. Lee during the visit, and the two leaders held talks with Mr. Park.";
        let found = clauses(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "met");
        // the first clause runs to the "and" before the second cue, whose clause starts after it
        assert_eq!(found[0].1, "The Minister met Ms. Lee during the visit");
        assert_eq!(found[1].1, "the two leaders held talks with Mr. Park.");
        // "during" ends the first cue's object; "the two leaders" is a plural reference
        assert_eq!(found[0].2, Some(("Ms. Lee", false)));
        assert_eq!(found[1].2.map(|r| r.1), Some(true));
        // a cue after "plans to" is blocked; a clause before it is not
        let found = clauses("The Minister plans to meet Mr. Park.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, None);
    }

    #[test]
    fn patterns_run_on_sentences_with_their_words() {
        let g = &*GAZETTEER;
        for (text, breaks, plural) in [
            ("He later visited the base.", true, false),
            ("She gave a ſpeech.", true, false),
            ("He gave a \u{212A}eynote.", true, false),
            ("The two leaders met.", false, true),
            ("Both \u{17F}ides agreed.", false, true),
            ("He gave a present to the ministries.", false, false),
        ] {
            let scan = g.scan_sentence(text);
            let whole = Span::new(0, text.len());
            let gated_breaks =
                scan.may_hold(ACTIVITY_WORDS, whole) && ACTIVITY_BREAK.is_match(text);
            let gated_plural = scan.may_hold(PLURAL_WORDS, whole) && PLURAL_REF.is_match(text);
            assert_eq!((gated_breaks, gated_plural), (breaks, plural), "{text}");
        }
    }

    /// Every cue searched for everywhere, as `find_cues` did before the scan told it where:
    /// the oracle for `find_cues`.
    fn cues_searched_everywhere(text: &str, g: &Gazetteer) -> Vec<CueHit> {
        let mut hits = Vec::new();
        for (index, cue) in g.meeting_cues.iter().enumerate() {
            for m in cue.regex.find_iter(text) {
                hits.push(CueHit {
                    start: m.start(),
                    end: m.end(),
                    cue: index,
                });
            }
        }
        leftmost_longest(hits)
    }

    /// The words the built-in meeting cues are written with, a few of them in capitals.
    static CUE_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let data = include_str!("../../data/meeting_cues.csv");
        let mut words: Vec<String> = Regex::new(r"[A-Za-z]+")
            .expect("pattern")
            .find_iter(data)
            .map(|m| m.as_str().to_owned())
            .filter(|w| w.len() > 1)
            .collect();
        words.sort();
        words.dedup();
        let capitals: Vec<String> = words.iter().step_by(7).map(|w| w.to_uppercase()).collect();
        words.extend(capitals);
        words
    });

    #[test]
    fn cues_found_where_the_scan_saw_their_words_are_those_found_everywhere() {
        let g = &*GAZETTEER;
        let lines = crate::text::fixture_lines();
        for line in &lines {
            let scan = g.scan_sentence(line);
            assert_eq!(
                find_cues(line, &scan, g),
                cues_searched_everywhere(line, g),
                "{line}"
            );
        }
        let lines = lines.len();
        assert!(lines > 1000, "only {lines} lines read");
        // a sentence with the long s runs every cue everywhere
        let text =
            "The Miniſter held talks with the Secretary General and paid a courteſy call on him.";
        let scan = g.scan_sentence(text);
        assert!(scan.cue_started.iter().all(|started| !started));
        assert_eq!(find_cues(text, &scan, g), cues_searched_everywhere(text, g));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// Each pattern run behind a gate (`text::gate`) matches only texts its gate passes.
        #[test]
        fn gated_patterns_match_only_where_their_gates_pass(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    // whole phrases the patterns are for, so that matches are common
                    "summary of the ", "Overview of these", "outline of this", "as follows:",
                    "Remarks by ", "press briefing by ", "delegation was led by ", "headed by",
                    " I met ", "I spoke", "Minister Hayashi: ",
                    "as follows", "AS FOLLOWS", "as", "follows", "overview", "Outline",
                    "summary", "ſummary", "of", "the", "these", "this", "press conference",
                    "Remarks", "statement", "speech", "interview", "address", "briefing",
                    "by", "By", "BY", "Minister", "Kishida", "I", "I ", "met", "spoke", "held",
                    "called", "Japanese", "side", "delegation", "was", "were", "is", "headed",
                    "led", "co-chaired", "Chaired", "represented", "repreſented", "Q", ":",
                    ": ", " ", " ", " ", ",", "(", ".", "’", "é", "\u{212A}",
                ]),
                1..14,
            ),
        ) {
            let text = pieces.concat();
            let scan = GAZETTEER.scan_sentence(&text);
            let whole = Span::new(0, text.len());
            prop_assert!(
                !OVERVIEW.is_match(&text) || scan.may_hold(OVERVIEW_WORDS, whole),
                "{:?}", text
            );
            prop_assert!(!HEADER_SPEAKER.is_match(&text) || BY.may_match(&text), "{:?}", text);
            prop_assert!(!DELEGATION.is_match(&text) || BY.may_match(&text), "{:?}", text);
            prop_assert!(!FIRST_PERSON.is_match(&text) || FIRST_PERSON_WORD.may_match(&text), "{:?}", text);
            prop_assert!(!INLINE_LABEL.is_match(&text) || may_be_inline_label(&text), "{:?}", text);
        }
    }

    #[test]
    fn gates_pass_the_sentences_their_patterns_are_for() {
        for (text, overview, by, first_person, label) in [
            (
                "The outline of the meeting is as follows.",
                true,
                false,
                false,
                false,
            ),
            (
                "Press Conference by Foreign Minister Kamikawa",
                false,
                true,
                false,
                false,
            ),
            (
                "The Japanese side was headed by Mr. Suzuki.",
                false,
                true,
                false,
                false,
            ),
            (
                "Today I met the Secretary General.",
                false,
                false,
                true,
                false,
            ),
            ("Minister Hayashi: Thank you.", false, false, false, true),
            (
                "The two leaders held talks in Tokyo.",
                false,
                false,
                false,
                false,
            ),
        ] {
            let scan = GAZETTEER.scan_sentence(text);
            let whole = Span::new(0, text.len());
            assert_eq!(scan.may_hold(OVERVIEW_WORDS, whole), overview, "{text}");
            assert_eq!(OVERVIEW.is_match(text), overview, "{text}");
            assert_eq!(BY.may_match(text), by, "{text}");
            assert_eq!(FIRST_PERSON_WORD.may_match(text), first_person, "{text}");
            assert_eq!(FIRST_PERSON.is_match(text), first_person, "{text}");
            assert_eq!(may_be_inline_label(text), label, "{text}");
            assert_eq!(INLINE_LABEL.is_match(text), label, "{text}");
        }
    }

    /// Meeting cues a user might add, of shapes the built-in ones lack (repeats before the
    /// first word, a case-sensitive word, overlapping alternatives, a boundary inside a
    /// word, anchors, quotes, a letter outside ASCII), on top of the built-in ones.
    static USER_CUES: LazyLock<(tempfile::TempDir, Gazetteer)> = LazyLock::new(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let rows = [
            r"x*met with",
            r"(?-i:Met)(?:s|ing)? at",
            r"talks?|talk(?:ed)? with",
            r"(?:ab){2,}c?",
            r"\Bet",
            r"(?m)^(?:held|had) talks",
            r"met$",
            r"(?:tt|t)(?:tt|t)a",
            r"[’']s talks with",
            r"été reçu par",
        ];
        let mut csv = String::from("pattern,kind,shape,subject_role,object_role\n");
        for row in rows {
            csv.push_str(&format!("\"{row}\",meeting,with,participant,participant\n"));
        }
        std::fs::write(dir.path().join("meeting_cues.csv"), csv).expect("written");
        let g = Gazetteer::load(Some(dir.path())).expect("the made-up cues load");
        (dir, g)
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The same with cues a user might add.
        #[test]
        fn user_cues_found_where_their_words_begin_are_those_found_everywhere(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "x", "xx", "met", "Met", "MET", "with", "Mets", "Meting", "at", "talk",
                    "talks", "talked", "ab", "abab", "c", "et", "Bet", "held", "had", "tt",
                    "ta", "’s", "'s", "été", "reçu", "par", "\n", " ", " ", ", ", ".",
                ]),
                1..14,
            ),
        ) {
            let text = pieces.concat();
            let g = &USER_CUES.1;
            let scan = g.scan_sentence(&text);
            prop_assert_eq!(find_cues(&text, &scan, g), cues_searched_everywhere(&text, g), "{:?}", text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// `find_cues`, which tries each cue only where the sentence scan saw its first
        /// words, finds what searching for every cue everywhere finds.
        #[test]
        fn cues_found_where_their_words_begin_are_those_found_everywhere(
            pieces in proptest::collection::vec(
                (proptest::sample::select(CUE_WORDS.clone()),
                 proptest::sample::select(vec![" ", " ", " ", "  ", ", ", ". ", "-", "", "’s ", " the ", " a "])),
                1..14,
            ),
        ) {
            let text: String = pieces.iter().map(|(w, sep)| format!("{w}{sep}")).collect();
            let g = &*GAZETTEER;
            let scan = g.scan_sentence(&text);
            prop_assert_eq!(find_cues(&text, &scan, g), cues_searched_everywhere(&text, g), "{:?}", text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// Running the patterns only where the scanner saw one of their words changes
        /// nothing, over the whole sentence and over any stretch of it.
        #[test]
        fn patterns_run_where_their_words_are_find_what_they_found(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "The", "the", "both", "all", "two", "three", "leaders", "Ministers",
                    "foreign ministers", "defence ministers", "SIDES", "parties", "counterparts",
                    "gave", "delivered", "made", "a", "an", "speech", "Lecture", "address",
                    "keynote", "then", "later", "afterwards", "earlier", "visited", "toured",
                    "inspected", "met", "talks", "with", ".", ",", " ", " ", " ", "  ", "x",
                    "ſpeech", "\u{212A}eynote", "é",
                ]),
                1..18,
            ),
            cut in (0usize..200, 0usize..200),
        ) {
            let text = pieces.concat();
            let g = &*GAZETTEER;
            let scan = g.scan_sentence(&text);
            let whole = Span::new(0, text.len());
            prop_assert_eq!(
                scan.may_hold(ACTIVITY_WORDS, whole) && ACTIVITY_BREAK.is_match(&text),
                ACTIVITY_BREAK.is_match(&text),
                "{:?}", text
            );
            let mut a = cut.0.min(text.len());
            let mut b = cut.1.min(text.len());
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            let stretch = Span::new(a.min(b), a.max(b));
            prop_assert_eq!(
                scan.may_hold(PLURAL_WORDS, stretch) && PLURAL_REF.is_match(stretch.text(&text)),
                PLURAL_REF.is_match(stretch.text(&text)),
                "{:?} in {:?}", stretch, text
            );
        }
    }
}
