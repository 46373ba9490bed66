//! Find the people a sentence names, with the title and organisation written around them.
//!
//! Forms handled: honorifics ("H.E. Mr.", "the Hon.", "Rt Hon", "Sir"), titles before the name
//! ("NATO Secretary General Anders Fogh Rasmussen", "the Japanese Prime Minister Shinzo Abe",
//! "Rear Admiral Izumi"), titles after it ("Mr. Fumio Kishida, Minister for Foreign Affairs of
//! Japan"), post-nominals ("Bob Carr MP"), Japanese family-name-first spelling ("KISHIDA
//! Fumio" is Fumio Kishida), references by title alone ("the Secretary General") and pronouns.
//!
//! This stage only reads what is written; deciding who "Minister Kishida" or "the Prime
//! Minister" is happens in `resolve::people`.

use crate::gazetteer::{Gazetteer, OrgForm, OrgMatch, PlaceMatch, TitleCategory};
use crate::text::{Span, gate};
use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A name is written (possibly only a family name).
    Named,
    /// Only a title: "the Secretary General", "the Japanese Prime Minister".
    TitleOnly,
    /// "he", "she", "I".
    Pronoun,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMention {
    /// The whole mention, title and honorifics included.
    pub span: Span,
    pub kind: MentionKind,
    /// The name in given-name-first order, honorifics dropped ("Fumio Kishida").
    pub name: Option<String>,
    /// The family name, when it can be told ("Kishida" in "KISHIDA Fumio").
    pub family: Option<String>,
    /// Written in Japanese order with the family name in capitals.
    pub family_first: bool,
    /// Written without any title or honorific ("met with John Smith").
    pub bare: bool,
    /// The title as written, without the organisation ("Minister for Foreign Affairs").
    pub title: Option<String>,
    /// The office that title names ("Foreign Minister" -> "Minister for Foreign Affairs").
    pub office: Option<String>,
    /// Organisation (gazetteer index) written with the title: "of Japan", "NATO", "Japanese".
    pub organization: Option<usize>,
    /// Organisation implied by the title alone ("SACEUR" -> NATO).
    pub title_organization: Option<String>,
    /// The pronoun or title-only reference is plural-free and refers back ("he", "the Minister").
    pub pronoun: Option<String>,
    /// The one organisation named just before the mention, in its phrase ("the Chief of
    /// Staff, Joint Staff of the Japan Self-Defense Forces, General Yoshida"): a last resort.
    pub context_organization: Option<usize>,
}

impl PersonMention {
    fn empty(span: Span, kind: MentionKind) -> Self {
        PersonMention {
            span,
            kind,
            name: None,
            family: None,
            family_first: false,
            bare: false,
            title: None,
            office: None,
            organization: None,
            title_organization: None,
            pronoun: None,
            context_organization: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Word,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    span: Span,
    text: &'a str,
    kind: TokenKind,
}

const DOTTED_ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Hon", "Rt", "St", "Gen", "Lt", "Col", "Adm", "Maj", "Sen", "Prof",
    "Jr", "Sr", "Amb", "No", "Capt",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '.')
}

/// Whether a byte continues a word: an ASCII letter, digit, '-', '\'' or '.' does, other
/// ASCII does not, and a byte of a longer character is decoded and asked (`is_word_char`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordByte {
    Yes,
    No,
    Decode,
}

static WORD_BYTES: [WordByte; 256] = {
    let mut table = [WordByte::No; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if b >= 0x80 {
            WordByte::Decode
        } else if b.is_ascii_alphanumeric() || b == b'-' || b == b'\'' || b == b'.' {
            WordByte::Yes
        } else {
            WordByte::No
        };
        byte += 1;
    }
    table
};

/// What a byte says about the token it begins: ASCII white space is skipped, an ASCII letter
/// or digit begins a word, and any other byte is other ASCII (a punctuation mark) or begins
/// a longer character (decoded and asked). Three kinds, not four: a match of four became a
/// jump through a table, which the processor mispredicted at every other token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StartByte {
    Space,
    Word,
    Other,
}

static START_BYTES: [StartByte; 256] = {
    let mut table = [StartByte::Other; 256];
    let mut byte = 0;
    while byte < 0x80 {
        let b = byte as u8;
        table[byte] = if (b as char).is_whitespace() {
            StartByte::Space
        } else if b.is_ascii_alphanumeric() {
            StartByte::Word
        } else {
            StartByte::Other
        };
        byte += 1;
    }
    table
};

/// The words and punctuation marks of `text`, white space dropped. Bytes are read a byte at
/// a time while they are ASCII (most of a release) and a character at a time otherwise.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    // about one token in five bytes of English; room for them all at once spares the
    // reallocations of growing a token at a time
    let mut tokens = Vec::with_capacity(text.len() / 4 + 4);
    let char_at = |at: usize| text[at..].chars().next().unwrap_or(' ');
    let mut at = 0;
    while let Some(&first) = bytes.get(at) {
        // (one table look-up decides an ASCII byte: most of a release)
        // (the first character's length, and whether it begins a word)
        let (len, begins_word) = match START_BYTES[usize::from(first)] {
            StartByte::Space => {
                at += 1;
                continue;
            }
            StartByte::Word => (1, true),
            StartByte::Other if first < 0x80 => (1, false),
            StartByte::Other => {
                let c = char_at(at);
                if c.is_whitespace() {
                    at += c.len_utf8();
                    continue;
                }
                (c.len_utf8(), c.is_alphanumeric())
            }
        };
        if !begins_word {
            tokens.push(Token {
                span: Span::new(at, at + len),
                text: &text[at..at + len],
                kind: TokenKind::Punct,
            });
            at += len;
            continue;
        }
        let start = at;
        let mut end = at + len;
        loop {
            // a run of ASCII word bytes (counted by a slice iterator, whose loop keeps its
            // place in registers inside this large function), then a character outside
            // ASCII that may go on with the word
            end += bytes[end..]
                .iter()
                .take_while(|&&byte| WORD_BYTES[usize::from(byte)] == WordByte::Yes)
                .count();
            match bytes.get(end) {
                Some(&byte) if WORD_BYTES[usize::from(byte)] == WordByte::Decode => {
                    let ch = char_at(end);
                    if !is_word_char(ch) {
                        break;
                    }
                    end += ch.len_utf8();
                }
                _ => break,
            }
        }
        let word = trim_word(&text[start..end]);
        tokens.push(Token {
            span: Span::new(start, start + word.len()),
            text: word,
            kind: TokenKind::Word,
        });
        // anything trimmed off becomes punctuation tokens
        let mut rest = start + word.len();
        while rest < end {
            let ch = char_at(rest);
            tokens.push(Token {
                span: Span::new(rest, rest + ch.len_utf8()),
                text: &text[rest..rest + ch.len_utf8()],
                kind: TokenKind::Punct,
            });
            rest += ch.len_utf8();
        }
        at = end;
    }
    tokens
}

/// `word` without trailing punctuation that is not part of it: "Cavoli." "Abe'" (but
/// "U.S." and "Mr." keep their dot).
fn trim_word(mut word: &str) -> &str {
    // most words end in a letter or digit, and nothing is trimmed
    if word
        .as_bytes()
        .last()
        .is_some_and(u8::is_ascii_alphanumeric)
    {
        return word;
    }
    loop {
        let trimmed = word.trim_end_matches(['-', '\'', '’']);
        let trimmed = if let Some(stem) = trimmed.strip_suffix('.') {
            let keep = stem.contains('.')
                || stem.chars().count() == 1
                || DOTTED_ABBREVIATIONS.contains(&stem);
            if keep { trimmed } else { stem }
        } else {
            trimmed
        };
        if trimmed.len() == word.len() {
            return word;
        }
        word = trimmed;
    }
}

const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "del", "della", "du", "dos", "das", "bin", "al",
    "le", "la", "ter", "ten", "op", "zu",
];

fn strip_possessive(word: &str) -> (&str, bool) {
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (stem, true);
        }
    }
    (word, false)
}

fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

fn is_roman_numeral(word: &str) -> bool {
    matches!(word, "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII")
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// What the gazetteer found at one token, and what the parser has learnt of it.
#[derive(Clone, Default)]
struct TokenFacts {
    /// An organisation's name starting here: (end token index exclusive, org index, form).
    org: Option<(usize, usize, OrgForm)>,
    /// A title starting here: (end token index exclusive, title index).
    title: Option<(usize, usize)>,
    /// Inside a known place name ("Tokyo", "The Hague").
    place: bool,
    /// Inside an organisation's name ("North Atlantic Treaty Organization").
    in_org: bool,
    /// `Parser::starts_name` once asked: a name's parse asks of the words after it, and the
    /// next parse asks again.
    starts_name: Cell<Option<bool>>,
}

/// What the gazetteer found, keyed by token position.
struct Spans {
    /// One for each token (one vector, where four a sentence were four allocations).
    facts: Vec<TokenFacts>,
    /// every organisation the gazetteer found in the text
    organizations: Vec<OrgMatch>,
    /// every place the gazetteer found in the text
    place_matches: Vec<PlaceMatch>,
}

fn token_spans(tokens: &[Token], text: &str, gazetteer: &Gazetteer) -> Spans {
    // Tokens do not overlap and are in order, so a byte offset is looked up by bisection.
    let start_of = |byte: usize| {
        let i = tokens.partition_point(|t| t.span.start < byte);
        tokens.get(i).filter(|t| t.span.start == byte).map(|_| i)
    };
    // "Australia's Deputy Prime Minister": a possessive ends the token, not the name. The
    // only token that can end at `byte` or hold it is the first that does not end before it.
    let end_of = |byte: usize| {
        let i = tokens.partition_point(|t| t.span.end < byte);
        tokens
            .get(i)
            .filter(|t| {
                t.span.end == byte
                    || (t.span.start < byte
                        && byte < t.span.end
                        && matches!(text.get(byte..t.span.end), Some("'s" | "’s" | "'" | "’")))
            })
            .map(|_| i + 1)
    };
    let mut facts = vec![TokenFacts::default(); tokens.len()];
    let names = gazetteer.find_names(text);
    let organizations = names.organizations;
    for m in &organizations {
        if let (Some(s), Some(e)) = (start_of(m.span.start), end_of(m.span.end)) {
            facts[s].org = Some((e, m.org, m.form));
            for token in &mut facts[s..e] {
                token.in_org = true;
            }
        }
    }
    for m in names.titles {
        if let (Some(s), Some(e)) = (start_of(m.span.start), end_of(m.span.end)) {
            facts[s].title = Some((e, m.title));
        }
    }
    for m in &names.places {
        let first = tokens.partition_point(|t| t.span.start < m.span.start);
        for (token, t) in facts[first..].iter_mut().zip(&tokens[first..]) {
            if t.span.end > m.span.end {
                break;
            }
            token.place = true;
        }
    }
    Spans {
        facts,
        organizations,
        place_matches: names.places,
    }
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    spans: Spans,
    gazetteer: &'a Gazetteer,
}

/// A title phrase: "NATO Secretary General", "Minister for Foreign Affairs of Japan",
/// "Secretary General of the North Atlantic Treaty Organization (NATO)".
#[derive(Debug, Default)]
struct TitlePhrase {
    title: Option<String>,
    office: Option<String>,
    category: Option<TitleCategory>,
    organization: Option<usize>,
    title_organization: Option<String>,
}

impl<'a> Parser<'a> {
    fn word(&self, i: usize) -> Option<&'a str> {
        self.tokens
            .get(i)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text)
    }

    fn punct(&self, i: usize, p: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.text == p)
    }

    fn is_capitalised(&self, i: usize) -> bool {
        self.word(i)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    }

    fn honorific_at(&self, i: usize) -> Option<usize> {
        match self.spans.facts.get(i).and_then(|f| f.title) {
            Some((end, t)) if self.gazetteer.titles[t].category == TitleCategory::Honorific => {
                Some(end)
            }
            _ => None,
        }
    }

    fn postnominal_at(&self, i: usize) -> Option<usize> {
        match self.spans.facts.get(i).and_then(|f| f.title) {
            Some((end, t)) if self.gazetteer.titles[t].category == TitleCategory::Postnominal => {
                Some(end)
            }
            _ => None,
        }
    }

    /// Office or rank title starting at token `i`.
    fn office_at(&self, i: usize) -> Option<(usize, usize)> {
        match self.spans.facts.get(i).and_then(|f| f.title) {
            Some((end, t))
                if matches!(
                    self.gazetteer.titles[t].category,
                    TitleCategory::Office | TitleCategory::Rank
                ) =>
            {
                Some((end, t))
            }
            _ => None,
        }
    }

    fn org_at(&self, i: usize) -> Option<(usize, usize, OrgForm)> {
        self.spans.facts.get(i).and_then(|f| f.org)
    }

    fn starts_name(&self, i: usize) -> bool {
        let Some(facts) = self.spans.facts.get(i) else {
            return false;
        };
        if let Some(answer) = facts.starts_name.get() {
            return answer;
        }
        let answer = self.may_be_name(i, facts);
        facts.starts_name.set(Some(answer));
        answer
    }

    /// `starts_name`, asked for the first time.
    fn may_be_name(&self, i: usize, facts: &TokenFacts) -> bool {
        let Some(word) = self.word(i) else {
            return false;
        };
        let (stem, _) = strip_possessive(word);
        // the tests that read what is already known about the token come first, then the
        // look-ups (all are pure, so their order changes nothing but the time)
        stem.chars().next().is_some_and(char::is_uppercase)
            && !facts.in_org
            && !facts.place
            && facts.title.is_none_or(|(_, t)| {
                !matches!(
                    self.gazetteer.titles[t].category,
                    TitleCategory::Office
                        | TitleCategory::Rank
                        | TitleCategory::Honorific
                        | TitleCategory::Postnominal
                )
            })
            // (a digit or a hyphen is a byte of its own in UTF-8)
            && !stem.bytes().any(|b| b.is_ascii_digit())
            && !self.gazetteer.not_names.contains(stem)
            && !is_month_word(stem)
            && stem.parse::<chrono::Weekday>().is_err()
            && !(stem.as_bytes().contains(&b'-')
                && stem
                    .split('-')
                    .any(|part| self.gazetteer.organization(part).is_some()))
    }

    /// Parse a name at `i`: returns (name, family, family_first, end token).
    fn parse_name(&self, i: usize) -> Option<(String, Option<String>, bool, usize)> {
        if !self.starts_name(i) {
            return self.parse_particle_name(i);
        }
        let first = self.word(i)?;
        // Japanese order: "KISHIDA Fumio".
        if is_all_caps(first) && !first.contains('.') {
            if let Some(given) = self.word(i + 1)
                && self.starts_name(i + 1)
                && !is_all_caps(given)
            {
                let family = title_case(first);
                // "YOON Suk Yeol": a two-part given name is a Korean or Chinese name, whose
                // family name stays first in English too; "KISHIDA Fumio" is Fumio Kishida.
                if let Some(second) = self.word(i + 2)
                    && self.starts_name(i + 2)
                    && !is_all_caps(second)
                    && self
                        .word(i + 3)
                        .is_none_or(|w| !self.starts_name(i + 3) || w.is_empty())
                {
                    let (second, _) = strip_possessive(second);
                    return Some((
                        format!("{family} {given} {second}"),
                        Some(family),
                        true,
                        i + 3,
                    ));
                }
                let (given, _) = strip_possessive(given);
                // "CHO Tae-yul": a Korean given name, written after the family name
                let korean = given
                    .split_once('-')
                    .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_lowercase()));
                let name = if korean {
                    format!("{family} {given}")
                } else {
                    format!("{given} {family}")
                };
                return Some((name, Some(family), true, i + 2));
            }
            // A lone capitalised family name ("Mr. ASO").
            let (stem, _) = strip_possessive(first);
            let family = title_case(stem);
            return Some((family.clone(), Some(family), true, i + 1));
        }
        let mut words: Vec<&str> = Vec::new();
        let mut j = i;
        while j < self.tokens.len() && words.len() < 6 {
            let Some(word) = self.word(j) else { break };
            let (stem, possessive) = strip_possessive(word);
            let ok = if words.is_empty() {
                true
            } else if PARTICLES.contains(&stem) {
                // "Ursula von der Leyen": particles, then a capitalised name
                let mut k = j + 1;
                while self.word(k).is_some_and(|w| PARTICLES.contains(&w)) {
                    k += 1;
                }
                self.starts_name(k)
            } else if is_roman_numeral(stem) {
                true
            } else {
                // "Paulo Lima": a later word of a name may also be a place
                self.starts_name(j)
                    || (self.spans.facts[j].place && {
                        let (w, _) = strip_possessive(word);
                        w.chars().next().is_some_and(char::is_uppercase)
                            && !self.gazetteer.not_names.contains(w)
                            && self.office_at(j).is_none()
                            && !self.spans.facts[j].in_org
                    })
            };
            if !ok {
                break;
            }
            words.push(stem);
            j += 1;
            if possessive {
                break;
            }
        }
        if words.is_empty() || words.iter().all(|w| w.ends_with('.') && w.len() <= 2) {
            return None;
        }
        let name = words.join(" ");
        let family = words
            .iter()
            .rev()
            .find(|w| !is_roman_numeral(w) && !w.ends_with('.'))
            .map(|w| (*w).to_owned());
        Some((name, family, false, j))
    }

    /// "von der Leyen", "de Hoop Scheffer": a family name that starts with a particle,
    /// accepted only right after a title or honorific (see `parse_at`).
    fn parse_particle_name(&self, i: usize) -> Option<(String, Option<String>, bool, usize)> {
        // the particle first: it is one comparison, the title before it a look back
        if !self.word(i).is_some_and(|w| PARTICLES.contains(&w)) {
            return None;
        }
        let after_title = i > 0 && (self.honorific_at_end(i) || self.office_ends_at(i));
        if !after_title {
            return None;
        }
        let mut j = i;
        let mut words = Vec::new();
        while let Some(w) = self.word(j) {
            if PARTICLES.contains(&w) {
                words.push(w);
                j += 1;
            } else {
                break;
            }
        }
        if words.is_empty() || !self.starts_name(j) {
            return None;
        }
        let (rest, _, _, end) = self.parse_name(j)?;
        let name = format!("{} {rest}", words.join(" "));
        Some((name.clone(), Some(name), false, end))
    }

    fn honorific_at_end(&self, i: usize) -> bool {
        (0..i).any(|s| self.honorific_at(s) == Some(i))
    }

    fn office_ends_at(&self, i: usize) -> bool {
        (0..i).any(|s| self.office_at(s).is_some_and(|(end, _)| end == i))
    }

    /// Parse a title phrase at `i`; returns it and the end token.
    fn parse_title_phrase(&self, i: usize) -> Option<(TitlePhrase, usize)> {
        let mut phrase = TitlePhrase::default();
        let mut j = i;
        // organisation or demonym before the title: "NATO Secretary General", "Japanese PM"
        if let Some((end, org, _)) = self.org_at(j)
            && self.office_at(end).is_some()
        {
            phrase.organization = Some(org);
            j = end;
        }
        let (end, t) = self.office_at(j)?;
        let title = &self.gazetteer.titles[t];
        phrase.category = Some(title.category);
        phrase.office = Some(title.canonical.clone());
        phrase.title_organization = title.organization.clone();
        let title_start = self.tokens[j].span.start;
        let mut title_end = self.tokens[end - 1].span.end;
        j = end;
        // "of Japan", "of the North Atlantic Treaty Organization (NATO)", "for Political
        // Affairs and Security Policy", "to Belgium", ", Germany"
        loop {
            let connector = self.word(j);
            if matches!(connector, Some("of" | "for" | "to")) {
                let mut k = j + 1;
                if matches!(self.word(k), Some("the")) {
                    k += 1;
                }
                if let Some((org_end, org, OrgForm::Name)) = self.org_at(k) {
                    if phrase.organization.is_none() || connector != Some("to") {
                        phrase.organization = Some(org);
                    }
                    j = org_end;
                    if connector == Some("to") {
                        // "Ambassador to Belgium": where they serve, not whom they represent
                        title_end = self.tokens[org_end - 1].span.end;
                    }
                    continue;
                }
                // a portfolio or institution in capitals: "for Political Affairs", "of the
                // Joint Staff College"
                let mut m = k;
                // the run ends at its last word that cannot be a name ("of National Defense
                // Lee Sang-hee": the portfolio is "National Defense")
                let mut last_portfolio_word = None;
                while m < self.tokens.len() {
                    let cap = self.is_capitalised(m) && self.org_at(m).is_none();
                    // "of the Joint Chiefs of Staff of the Republic of Korea": stop before
                    // "of the <organisation>", which the loop reads as the organisation
                    let org_follows = self.org_at(m + 1).is_some()
                        || (matches!(self.word(m + 1), Some("the"))
                            && self.org_at(m + 2).is_some());
                    let joiner = matches!(self.word(m), Some("and" | "of" | "the" | "&"))
                        && self.is_capitalised(m + 1)
                        && m > k
                        && !(matches!(self.word(m), Some("of")) && org_follows);
                    if cap || joiner {
                        if cap
                            && self
                                .word(m)
                                .is_some_and(|w| self.gazetteer.not_names.contains(w))
                        {
                            last_portfolio_word = Some(m);
                        }
                        m += 1;
                    } else {
                        break;
                    }
                }
                if let Some(last) = last_portfolio_word {
                    m = m.min(last + 1);
                } else {
                    m = k;
                }
                if m > k && self.org_at(k).is_none() {
                    title_end = self.tokens[m - 1].span.end;
                    j = m;
                    continue;
                }
                break;
            }
            // "(NATO)", "(SACEUR)": an acronym repeating what was said
            if self.punct(j, "(")
                && self.word(j + 1).is_some_and(is_all_caps)
                && self.punct(j + 2, ")")
            {
                if phrase.organization.is_none()
                    && let Some((_, org, _)) = self.org_at(j + 1)
                {
                    phrase.organization = Some(org);
                }
                j += 3;
                continue;
            }
            // ", Germany" closing an appositive title
            if self.punct(j, ",")
                && let Some((org_end, org, OrgForm::Name)) = self.org_at(j + 1)
                && (org_end >= self.tokens.len()
                    || self.punct(org_end, ",")
                    || self.punct(org_end, ".")
                    || self.punct(org_end, ")")
                    || matches!(self.word(org_end), Some("who" | "during" | "on" | "in")))
                && phrase.organization.is_none()
            {
                phrase.organization = Some(org);
                j = org_end;
                continue;
            }
            break;
        }
        // "Deputy Prime Minister and Minister for Defence, Richard Marles": two offices of
        // one person, named after a comma
        if matches!(self.word(j), Some("and"))
            && let Some((second, e2)) = self.parse_title_phrase(j + 1)
            && self.punct(e2, ",")
            && self.parse_name(e2 + 1).is_some()
        {
            let _ = second;
            title_end = self.tokens[e2 - 1].span.end;
            j = e2;
        }
        phrase.title = Some(self.text[title_start..title_end].to_owned());
        Some((phrase, j))
    }

    fn pronoun_at(&self, i: usize) -> Option<&'a str> {
        let word = self.word(i)?;
        matches!(word, "he" | "He" | "she" | "She" | "I").then_some(word)
    }

    /// Whether `parse_at(i)` can find anything: a mention starts with a capital ("Mr.",
    /// "Prime Minister", a name, "I"), "the", "he" or "she", a particle ("von der Leyen"),
    /// or a title or organisation the gazetteer found. Most words of a sentence are none of
    /// these, and are passed over without trying every rule.
    fn may_start_mention(&self, i: usize) -> bool {
        if self.spans.facts[i].title.is_some() || self.spans.facts[i].org.is_some() {
            return true;
        }
        let Some(word) = self.word(i) else {
            return false;
        };
        word.chars().next().is_some_and(char::is_uppercase)
            || matches!(word, "the" | "he" | "she")
            || PARTICLES.contains(&word)
    }

    /// Parse a mention starting at token `i`.
    fn parse_at(&self, i: usize) -> Option<(PersonMention, usize)> {
        if let Some(p) = self.pronoun_at(i) {
            let mut m = PersonMention::empty(self.tokens[i].span, MentionKind::Pronoun);
            m.pronoun = Some(p.to_lowercase());
            return Some((m, i + 1));
        }
        let start = i;
        let mut j = i;
        let mut after_the = false;
        if matches!(self.word(j), Some("the" | "The")) {
            j += 1;
            after_the = true;
            if matches!(self.word(j), Some("then")) {
                j += 1;
            }
        }
        let mut phrase = None;
        let mut honorific = false;
        // honorifics may come before a title ("H.E. General ...") or after it
        while let Some(end) = self.honorific_at(j) {
            honorific = true;
            j = end;
        }
        if let Some((p, end)) = self.parse_title_phrase(j) {
            phrase = Some(p);
            j = end;
        }
        while let Some(end) = self.honorific_at(j) {
            honorific = true;
            j = end;
        }
        let mut name = self.parse_name(j);
        // "the Secretary General of NATO, H.E. Mr. Jens Stoltenberg"
        if name.is_none() && phrase.is_some() && self.punct(j, ",") {
            let mut k = j + 1;
            let mut hon = false;
            while let Some(end) = self.honorific_at(k) {
                hon = true;
                k = end;
            }
            // "..., Admiral Kim Myung-soo": a rank before the name counts as an honorific
            if let Some((end, t)) = self.office_at(k)
                && self.gazetteer.titles[t].category == TitleCategory::Rank
            {
                hon = true;
                k = end;
            }
            if hon && let Some(n) = self.parse_name(k) {
                name = Some(n);
                honorific = true;
            } else if phrase
                .as_ref()
                .is_some_and(|p| p.category == Some(TitleCategory::Office))
                && let Some(n) = self.parse_name(k)
                && n.0.contains(' ')
            {
                // "Australia's Deputy Prime Minister and Minister for Defence, Richard Marles"
                name = Some(n);
            }
        }
        let has_title = phrase.as_ref().is_some_and(|p| p.category.is_some());
        let Some((name_text, family, family_first, mut end)) = name else {
            // Title alone: "the Secretary General", "the Japanese Prime Minister".
            let phrase = phrase?;
            if phrase.category != Some(TitleCategory::Office) {
                return None;
            }
            let at_start = start == 0 || self.punct(start - 1, "(");
            if !(after_the || at_start || phrase.organization.is_some()) {
                return None;
            }
            let span = Span::new(self.tokens[start].span.start, self.tokens[j - 1].span.end);
            let mut m = PersonMention::empty(span, MentionKind::TitleOnly);
            m.title = phrase.title;
            m.office = phrase.office;
            m.organization = phrase.organization;
            m.title_organization = phrase.title_organization;
            return Some((m, j));
        };
        if !has_title && !honorific && after_the {
            return None; // "the Hague", "the Kremlin"
        }
        let mut m = PersonMention::empty(Span::default(), MentionKind::Named);
        m.bare = !has_title && !honorific;
        m.name = Some(name_text);
        m.family = family;
        m.family_first = family_first;
        if let Some(p) = phrase {
            m.title = p.title;
            m.office = p.office;
            m.organization = p.organization;
            m.title_organization = p.title_organization;
        }
        // post-nominals: "Bob Carr MP", "Anthony Albanese, MP"
        loop {
            if let Some(e) = self.postnominal_at(end) {
                end = e;
            } else if self.punct(end, ",")
                && let Some(e) = self.postnominal_at(end + 1)
            {
                end = e;
            } else {
                break;
            }
        }
        // "President Joko Widodo of Indonesia", "Foreign Minister Penny Wong of Australia"
        if m.organization.is_none()
            && matches!(self.word(end), Some("of"))
            && (m.title.is_some() || honorific)
        {
            let k = if matches!(self.word(end + 1), Some("the")) {
                end + 2
            } else {
                end + 1
            };
            if let Some((org_end, org, OrgForm::Name)) = self.org_at(k) {
                m.organization = Some(org);
                end = org_end;
            }
        }
        // appositive title: "Mr. Fumio Kishida, Minister for Foreign Affairs of Japan" —
        // not for a lone capitalised word ("the South China Sea, Prime Minister Abe"), and
        // not when the title is followed by its own holder's name.
        let lone_bare = m.bare && m.name.as_deref().is_some_and(|n| !n.contains(' '));
        if self.punct(end, ",") && !lone_bare {
            let mut k = end + 1;
            if matches!(self.word(k), Some("the")) {
                k += 1;
            }
            if let Some((p, e)) = self.parse_title_phrase(k)
                && self.parse_name(e).is_none()
                && self.honorific_at(e).is_none()
            {
                let better = m.title.is_none()
                    || p.organization.is_some() && m.organization.is_none()
                    || p.category == Some(TitleCategory::Office)
                        && self.office_category_of(&m) != Some(TitleCategory::Office);
                if better {
                    if m.title.is_none() || p.category == Some(TitleCategory::Office) {
                        m.title = p.title;
                        m.office = p.office;
                        m.title_organization = p.title_organization.or(m.title_organization);
                    }
                    m.organization = p.organization.or(m.organization);
                    m.bare = false;
                    end = e;
                }
            }
        }
        m.span = Span::new(self.tokens[start].span.start, self.tokens[end - 1].span.end);
        Some((m, end))
    }

    fn office_category_of(&self, m: &PersonMention) -> Option<TitleCategory> {
        let office = m.office.as_deref()?;
        self.gazetteer
            .titles
            .iter()
            .find(|t| t.canonical == office)
            .map(|t| t.category)
    }
}

fn is_month_word(word: &str) -> bool {
    super::date_forms::MONTH_NAMES.contains(&word.trim_end_matches('.'))
}

/// Every person mention in `text`, left to right.
pub fn find_people(text: &str, gazetteer: &Gazetteer) -> Vec<PersonMention> {
    find_people_and_places(text, gazetteer).0
}

/// `find_people`, and the places the gazetteer found in `text` on the way (as
/// `Gazetteer::find_places` finds them), for a caller that wants both.
pub fn find_people_and_places(
    text: &str,
    gazetteer: &Gazetteer,
) -> (Vec<PersonMention>, Vec<PlaceMatch>) {
    let tokens = tokenize(text);
    let spans = token_spans(&tokens, text, gazetteer);
    let parser = Parser {
        text,
        tokens,
        spans,
        gazetteer,
    };
    let mut found: Vec<PersonMention> = Vec::new();
    let mut i = 0;
    while i < parser.tokens.len() {
        if !parser.may_start_mention(i) {
            i += 1;
            continue;
        }
        match parser.parse_at(i) {
            Some((mention, end)) if end > i => {
                // A bare capitalised word after "the", or before another capitalised word
                // that cannot be a name, names a thing: "the Hague Convention".
                let after_the = i > 0 && matches!(parser.word(i - 1), Some("the" | "The"));
                let before_noun = parser.word(end).is_some_and(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && parser.gazetteer.not_names.contains(w)
                });
                if !(mention.bare && (after_the || before_noun)) {
                    found.push(mention);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    // the organisation of the phrase that introduces a person (after "with", "and" or a
    // comma-less run since the previous person), when only one is named there
    let orgs = &parser.spans.organizations;
    let mut previous_end = 0;
    for m in &mut found {
        let start = m.span.start;
        if m.kind == MentionKind::Named
            && m.organization.is_none()
            && m.title_organization.is_none()
        {
            let stretch = &text[previous_end.min(start)..start];
            let from =
                gate::rfind(stretch, " with ").map_or(previous_end, |i| previous_end + i + 6);
            // one organisation, named once or more
            let mut named = orgs
                .iter()
                .filter(|o| o.span.start >= from && o.span.end <= start)
                .map(|o| o.org);
            if let Some(first) = named.next()
                && named.all(|org| org == first)
            {
                m.context_organization = Some(first);
            }
        }
        previous_end = m.span.end;
    }
    (found, parser.spans.place_matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    /// The tokenizer as first written, a character at a time: the oracle for `tokenize`.
    fn tokenize_by_chars(text: &str) -> Vec<Token<'_>> {
        let mut tokens = Vec::new();
        let mut iter = text.char_indices().peekable();
        while let Some(&(start, c)) = iter.peek() {
            if c.is_whitespace() {
                iter.next();
                continue;
            }
            if c.is_alphanumeric() {
                let mut end = start;
                while let Some(&(i, ch)) = iter.peek() {
                    if is_word_char(ch) {
                        end = i + ch.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                let mut word = &text[start..end];
                // Trailing punctuation that is not part of the word: "Cavoli." "Abe'"
                loop {
                    let trimmed = word.trim_end_matches(['-', '\'', '’']);
                    let trimmed = if let Some(stem) = trimmed.strip_suffix('.') {
                        let keep = stem.contains('.')
                            || stem.chars().count() == 1
                            || DOTTED_ABBREVIATIONS.contains(&stem);
                        if keep { trimmed } else { stem }
                    } else {
                        trimmed
                    };
                    if trimmed.len() == word.len() {
                        break;
                    }
                    word = trimmed;
                }
                tokens.push(Token {
                    span: Span::new(start, start + word.len()),
                    text: word,
                    kind: TokenKind::Word,
                });
                // anything trimmed off becomes punctuation tokens
                let mut rest = start + word.len();
                while rest < end {
                    let ch = text[rest..].chars().next().unwrap_or('.');
                    tokens.push(Token {
                        span: Span::new(rest, rest + ch.len_utf8()),
                        text: &text[rest..rest + ch.len_utf8()],
                        kind: TokenKind::Punct,
                    });
                    rest += ch.len_utf8();
                }
            } else {
                iter.next();
                tokens.push(Token {
                    span: Span::new(start, start + c.len_utf8()),
                    text: &text[start..start + c.len_utf8()],
                    kind: TokenKind::Punct,
                });
            }
        }
        tokens
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        /// Reading ASCII a byte at a time gives the tokens a character at a time gave.
        #[test]
        fn tokens_are_those_read_a_character_at_a_time(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Abe", "U.S.", "Mr.", "Mr", "St.", "a.", "Cavoli.", "Abe'", "Abe’s", "Abe's",
                    "x-", "-", "'", "’", ".", "..", ",", ";", "(", ")", "\"", " ", " ", "  ",
                    "\n", "\t", "\u{a0}", "\u{3000}", "é", "Élysée", "李", "日本", "1", "2023",
                    "4.5", "co-chair", "—", "–", "ß", "\u{212A}", "O'Brien", "e.g.", "_", "x",
                ]),
                0..20,
            )
        ) {
            let text = pieces.concat();
            let view = |tokens: Vec<Token>| -> Vec<(Span, String, TokenKind)> {
                tokens.into_iter().map(|t| (t.span, t.text.to_owned(), t.kind)).collect()
            };
            proptest::prop_assert_eq!(
                view(tokenize(&text)),
                view(tokenize_by_chars(&text)),
                "{:?}", text
            );
        }
    }

    static GAZETTEER: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::builtin().expect("built-in data loads"));

    /// `view` of each named mention in `text`.
    fn named_as<T>(text: &str, view: impl Fn(PersonMention) -> T) -> Vec<T> {
        find_people(text, &GAZETTEER)
            .into_iter()
            .filter(|m| m.kind == MentionKind::Named)
            .map(view)
            .collect()
    }

    /// The name of an organisation found in the gazetteer.
    fn org_name(org: usize) -> String {
        GAZETTEER.organizations[org].name.clone()
    }

    /// (name, title, organisation) of each named mention.
    fn named(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
        named_as(text, |m| {
            let org = m.organization.map(org_name).or(m.title_organization);
            (m.name.unwrap_or_default(), m.title, org)
        })
    }

    fn one(
        name: &str,
        title: Option<&str>,
        org: Option<&str>,
    ) -> (String, Option<String>, Option<String>) {
        (name.into(), title.map(Into::into), org.map(Into::into))
    }

    /// The organisation named in the phrase that introduces a person, when only one is.
    #[test]
    fn a_persons_context_organisation_is_the_one_organisation_named_before() {
        let context = |text: &str| {
            named_as(text, |m| {
                (
                    m.name.unwrap_or_default(),
                    m.context_organization.map(org_name),
                )
            })
        };
        let nato = Some("NATO".to_owned());
        // named twice, still one organisation
        assert_eq!(
            context("He met officials of NATO, the NATO delegation and Zorvan Quellick."),
            vec![("Zorvan Quellick".to_owned(), nato.clone())]
        );
        // two organisations: neither
        assert_eq!(
            context("He met officials of NATO and the European Union and Zorvan Quellick."),
            vec![("Zorvan Quellick".to_owned(), None)]
        );
        // only what follows "with" counts
        assert_eq!(
            context("At NATO, he held talks with Zorvan Quellick."),
            vec![("Zorvan Quellick".to_owned(), None)]
        );
    }

    /// The places found on the way to the people are those a search for places finds: checked
    /// on every line of the fixture releases.
    #[test]
    fn places_found_with_people_are_those_found_alone() {
        let g = &*GAZETTEER;
        let mut with_places = 0;
        for line in crate::text::fixture_lines() {
            let (_, places) = find_people_and_places(&line, g);
            assert_eq!(places, g.find_places(&line), "{line}");
            with_places += usize::from(!places.is_empty());
        }
        assert!(with_places > 50, "only {with_places} lines name a place");
    }

    /// `may_start_mention` only passes over tokens where `parse_at` finds nothing: checked
    /// at every token of every line of the fixture releases.
    #[test]
    fn tokens_passed_over_start_no_mention() {
        let g = &*GAZETTEER;
        let mut tried = 0;
        for line in crate::text::fixture_lines() {
            let line = line.as_str();
            let tokens = tokenize(line);
            let spans = token_spans(&tokens, line, g);
            let parser = Parser {
                text: line,
                tokens,
                spans,
                gazetteer: g,
            };
            for i in 0..parser.tokens.len() {
                if parser.parse_at(i).is_some() {
                    tried += 1;
                    assert!(parser.may_start_mention(i), "token {i} of: {line}");
                }
            }
        }
        assert!(tried > 1000, "the fixtures hold mentions ({tried})");
    }

    #[test]
    fn honorifics_and_appositive_titles() {
        assert_eq!(
            named(
                "H.E. Mr. Fumio Kishida, Minister for Foreign Affairs of Japan held a meeting with H.E. Mr. Anders Fogh Rasmussen, NATO Secretary General, during his visit"
            ),
            vec![
                one(
                    "Fumio Kishida",
                    Some("Minister for Foreign Affairs"),
                    Some("Japan")
                ),
                one(
                    "Anders Fogh Rasmussen",
                    Some("Secretary General"),
                    Some("NATO")
                ),
            ]
        );
    }

    #[test]
    fn japanese_family_name_first() {
        assert_eq!(
            named("Mr. KISHIDA Fumio, Prime Minister of Japan, held talks"),
            vec![one("Fumio Kishida", Some("Prime Minister"), Some("Japan"))]
        );
        assert_eq!(
            named("Ms. KAMIKAWA Yoko, Minister for Foreign Affairs of Japan, received"),
            vec![one(
                "Yoko Kamikawa",
                Some("Minister for Foreign Affairs"),
                Some("Japan")
            )]
        );
    }

    #[test]
    fn titles_before_names_with_organisations() {
        assert_eq!(
            named(
                "NATO Secretary General Jens Stoltenberg met with Japanese Prime Minister Shinzo Abe in Tokyo"
            ),
            vec![
                one("Jens Stoltenberg", Some("Secretary General"), Some("NATO")),
                one("Shinzo Abe", Some("Prime Minister"), Some("Japan")),
            ]
        );
        assert_eq!(
            named(
                "the Secretary General of the North Atlantic Treaty Organization, H.E. Mr. Jens Stoltenberg."
            ),
            vec![one(
                "Jens Stoltenberg",
                Some("Secretary General of the North Atlantic Treaty Organization"),
                Some("NATO")
            )][..1]
                .iter()
                .map(|(n, _, o)| (n.clone(), Some("Secretary General".to_string()), o.clone()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn parliamentary_styles() {
        assert_eq!(
            named(
                "with the Hon. Anthony Albanese, MP, Prime Minister of the Commonwealth of Australia, Rt Hon Chris Hipkins, Prime Minister of New Zealand and H.E. Mr. Yoon Suk Yeol, President of the Republic of Korea."
            ),
            vec![
                one(
                    "Anthony Albanese",
                    Some("Prime Minister"),
                    Some("Australia")
                ),
                one("Chris Hipkins", Some("Prime Minister"), Some("New Zealand")),
                one("Yoon Suk Yeol", Some("President"), Some("South Korea")),
            ]
        );
        assert_eq!(
            named(
                "a telephone talk with Hon. Bob Carr MP, Minister for Foreign Affairs of Australia."
            ),
            vec![one(
                "Bob Carr",
                Some("Minister for Foreign Affairs"),
                Some("Australia")
            )]
        );
        assert_eq!(
            named(
                "H.E. Dr. Frank-Walter Steinmeier, Federal Minister for Foreign Affairs, Germany."
            ),
            vec![one(
                "Frank-Walter Steinmeier",
                Some("Federal Minister for Foreign Affairs"),
                Some("Germany")
            )]
        );
    }

    #[test]
    fn ranks_and_institutions() {
        assert_eq!(
            named(
                "Air Chief Marshal Sir Stuart Peach, Chairman of the NATO Military Committee visited"
            ),
            vec![one(
                "Stuart Peach",
                Some("Chairman of the NATO Military Committee"),
                Some("NATO")
            )]
        );
        assert_eq!(
            named(
                "He met with Rear Admiral Izumi, Vice Commandant of the Joint Staff College, Major General Toriumi, Commandant"
            ),
            vec![
                one(
                    "Izumi",
                    Some("Vice Commandant of the Joint Staff College"),
                    None
                ),
                one("Toriumi", Some("Commandant"), None),
            ]
        );
        assert_eq!(
            named(
                "from General Christopher G. Cavoli, NATO Supreme Allied Commander Europe (SACEUR), during"
            ),
            vec![one(
                "Christopher G. Cavoli",
                Some("Supreme Allied Commander Europe"),
                Some("NATO")
            )]
        );
    }

    #[test]
    fn references_by_title_and_pronoun() {
        let g = &*GAZETTEER;
        let found = find_people(
            "The Prime Minister met Japanese Prime Minister Fumio Kishida. He said",
            g,
        );
        let kinds: Vec<MentionKind> = found.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            vec![
                MentionKind::TitleOnly,
                MentionKind::Named,
                MentionKind::Pronoun
            ]
        );
        assert_eq!(found[0].office.as_deref(), Some("Prime Minister"));
        assert_eq!(found[0].organization, None);
    }

    #[test]
    fn possessives_and_surnames() {
        assert_eq!(
            named("welcomed Prime Minister Abe's proposal and Mr Fogh Rasmussen said"),
            vec![
                one("Abe", Some("Prime Minister"), None),
                one("Fogh Rasmussen", None, None),
            ]
        );
    }

    #[test]
    fn places_and_organisations_are_not_people() {
        assert!(
            named("Japan and NATO met in The Hague with the Kingdom of the Netherlands.")
                .is_empty()
        );
    }
}
