//! Who each person mention in one release refers to.
//!
//! A release names a person once in full ("Mr. KISHIDA Fumio, Minister for Foreign Affairs")
//! and then by family name ("Minister Kishida"), by title ("the Minister"), or by pronoun.
//! `Resolver` keeps the people of one release as entities and maps every mention onto one,
//! using the gazetteer to give known people their canonical name ("Anders Rasmussen" and
//! "Secretary General Rasmussen" are Anders Fogh Rasmussen) and to find office holders ("The
//! Prime Minister" in a Downing Street readout of 28 June 2022 is Boris Johnson).

use crate::extract::people::{MentionKind, PersonMention};
use crate::gazetteer::Gazetteer;
use crate::text::fold::{fold, name_tokens};
use chrono::NaiveDate;
use std::rc::Rc;

/// One person of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Canonical name, given name first.
    pub name: String,
    pub family: Option<String>,
    /// Index into `Gazetteer::people` when the person is known.
    pub person: Option<usize>,
    /// The first office title the release gives ("Minister for Foreign Affairs"), as written.
    pub title: Option<String>,
    /// The office that title names.
    pub office: Option<String>,
    /// The organisation the release ties to the person ("of Japan", "NATO Secretary General").
    pub organization: Option<String>,
    /// Organisation implied by the title ("SACEUR" -> NATO).
    pub title_organization: Option<String>,
    /// Organisation named in the phrase that introduces the person: a last resort.
    pub context_organization: Option<String>,
    /// Named only bare ("John Smith met ..."), never with a title or honorific.
    pub bare: bool,
}

impl Entity {
    /// The organisation the person represented on `date`: as written, else from the
    /// gazetteer, else as the title implies.
    pub fn organization_at(
        &self,
        gazetteer: &Gazetteer,
        date: Option<NaiveDate>,
    ) -> Option<String> {
        self.organization
            .clone()
            .or_else(|| {
                let person = &gazetteer.people[self.person?];
                person.term_at(date).map(|t| t.organization.clone())
            })
            .or_else(|| self.title_organization.clone())
            .or_else(|| self.context_organization.clone())
    }

    /// The title the person held on `date`: as written, else their office in the gazetteer.
    pub fn title_at(&self, gazetteer: &Gazetteer, date: Option<NaiveDate>) -> Option<String> {
        self.title.clone().or_else(|| {
            let person = &gazetteer.people[self.person?];
            person.term_at(date).map(|t| t.office.clone())
        })
    }
}

/// The people of one release.
#[derive(Debug, Clone)]
pub struct Resolver<'a> {
    gazetteer: &'a Gazetteer,
    /// The organisation of the release's publisher: "the Prime Minister" in its releases is
    /// its own prime minister.
    home: Option<String>,
    /// Private, with `folded` kept in step: read them through `entities()`.
    entities: Vec<Entity>,
    /// The entity the last sentence was about, for "he" and "she".
    last_subject: Option<usize>,
    /// The speaker of a transcript, for "I".
    pub speaker: Option<usize>,
    /// Entities in order of their latest mention.
    recent: Vec<usize>,
    /// The folded forms of each entity's name, in step with `entities`: every mention is
    /// compared with every entity, and folding anew at each comparison was a tenth of
    /// extraction.
    folded: Vec<FoldedName>,
    /// The folded forms of every spelling of a name met in the release. A release names the
    /// same people again and again, and folding a name's spelling anew at each mention (its
    /// tokens, key and folded form: a few allocations each) was a twentieth of extraction.
    /// (A release names few spellings, and searching them cost less than hashing: 35.07
    /// against 35.56 M instructions a pass over the fixtures. A release naming thousands of
    /// people would search longer, in proportion to their number at each mention.)
    forms: Vec<Rc<NameForms>>,
}

/// One spelling of a name as comparisons need it.
#[derive(Debug, PartialEq, Eq)]
struct NameForms {
    /// The spelling.
    name: String,
    /// `name_tokens` of the name.
    tokens: Vec<String>,
    /// `name_key` of the name.
    key: String,
    /// `fold` of the name.
    folded: String,
}

impl NameForms {
    fn of(name: &str) -> Self {
        let tokens = name_tokens(name);
        NameForms {
            name: name.to_owned(),
            key: key_of(&tokens),
            tokens,
            folded: fold(name),
        }
    }
}

/// An entity's name as comparisons need it.
#[derive(Debug, Clone)]
struct FoldedName {
    /// The forms of the name.
    forms: Rc<NameForms>,
    /// `fold` of the family name, if any.
    family: Option<String>,
}

/// `name_key` from a name's tokens.
fn key_of(tokens: &[String]) -> String {
    let mut sorted: Vec<&str> = tokens.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.join(" ")
}

impl<'a> Resolver<'a> {
    pub fn new(gazetteer: &'a Gazetteer, home: Option<String>) -> Self {
        Resolver {
            gazetteer,
            home,
            entities: Vec::new(),
            last_subject: None,
            speaker: None,
            recent: Vec::new(),
            folded: Vec::new(),
            forms: Vec::new(),
        }
    }

    /// The people of the release so far; a mention's entity indexes into this.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    fn touch(&mut self, entity: usize) {
        self.recent.retain(|&e| e != entity);
        self.recent.push(entity);
    }

    /// Remember which entity a sentence was about (its first person), for pronouns.
    pub fn set_subject(&mut self, entity: Option<usize>) {
        if entity.is_some() {
            self.last_subject = entity;
        }
    }

    fn org_name(&self, mention: &PersonMention) -> Option<String> {
        mention
            .organization
            .map(|o| self.gazetteer.organizations[o].name.clone())
    }

    /// Pick the gazetteer person a family name refers to on `date`, if one fits.
    fn person_by_family(
        &self,
        family: &str,
        mention: &PersonMention,
        date: Option<NaiveDate>,
    ) -> Option<usize> {
        let candidates = self.gazetteer.people_by_family(family);
        if candidates.is_empty() {
            return None;
        }
        let org = self
            .org_name(mention)
            .or_else(|| mention.title_organization.clone());
        let score = |&p: &usize| -> i32 {
            let person = &self.gazetteer.people[p];
            let mut s = 0;
            if let Some(d) = date
                && person.terms.iter().any(|t| t.covers(d))
            {
                s += 4;
            }
            if let Some(office) = &mention.office
                && person.held_office(office, date)
            {
                s += 2;
            }
            if let Some(o) = &org
                && person.terms.iter().any(|t| &t.organization == o)
            {
                s += 2;
            }
            s
        };
        let best = candidates.iter().map(score).max()?;
        let top: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|c| score(c) == best)
            .collect();
        // Without a date in office, a family name alone is not enough to name someone.
        (top.len() == 1 && best >= 4).then(|| top[0])
    }

    fn find_entity_by_person(&self, person: usize) -> Option<usize> {
        self.entities.iter().position(|e| e.person == Some(person))
    }

    /// The forms of one spelling of a name, folded at its first mention in the release.
    fn forms_of(&mut self, name: &str) -> Rc<NameForms> {
        if let Some(forms) = self.forms.iter().find(|f| f.name == name) {
            return Rc::clone(forms);
        }
        let forms = Rc::new(NameForms::of(name));
        self.forms.push(Rc::clone(&forms));
        forms
    }

    fn folded_name(&mut self, name: &str, family: Option<&str>) -> FoldedName {
        FoldedName {
            forms: self.forms_of(name),
            family: family.map(fold),
        }
    }

    fn new_entity(&mut self, entity: Entity) -> usize {
        let folded = self.folded_name(&entity.name, entity.family.as_deref());
        self.folded.push(folded);
        self.entities.push(entity);
        self.entities.len() - 1
    }

    /// Rename an entity, keeping its folded forms in step.
    fn rename(&mut self, index: usize, name: String, family: Option<String>) {
        self.folded[index] = self.folded_name(&name, family.as_deref());
        let entity = &mut self.entities[index];
        entity.name = name;
        entity.family = family;
    }

    /// Whether `folded_name` (folded) is the entity's family name, as written in the release
    /// or known to the gazetteer.
    fn is_family_of(&self, index: usize, folded_name: &str) -> bool {
        self.folded[index].family.as_deref() == Some(folded_name)
            || self.entities[index]
                .person
                .is_some_and(|p| self.gazetteer.has_family_name(p, folded_name))
    }

    /// The entity of a gazetteer person, created on first reference.
    fn entity_for_person(&mut self, person: usize, family: Option<String>, bare: bool) -> usize {
        if let Some(e) = self.find_entity_by_person(person) {
            return e;
        }
        let p = &self.gazetteer.people[person];
        let family = family.or_else(|| p.family_names.first().cloned());
        self.new_entity(Entity {
            name: p.name.clone(),
            family,
            person: Some(person),
            title: None,
            office: None,
            organization: None,
            title_organization: None,
            context_organization: None,
            bare,
        })
    }

    /// Add what this mention says (title, organisation) to an entity.
    fn enrich(&mut self, index: usize, mention: &PersonMention) {
        let org = self.org_name(mention);
        let context = mention
            .context_organization
            .map(|o| self.gazetteer.organizations[o].name.clone());
        let entity = &mut self.entities[index];
        if entity.title.is_none() && mention.title.is_some() {
            entity.title = mention.title.clone();
            entity.office = mention.office.clone();
        }
        if entity.organization.is_none() {
            entity.organization = org;
        }
        if entity.title_organization.is_none() {
            entity.title_organization = mention.title_organization.clone();
        }
        if entity.context_organization.is_none() {
            entity.context_organization = context;
        }
        if !mention.bare {
            entity.bare = false;
        }
    }

    /// The entity a mention refers to, creating one for a new name. `None` when a pronoun or
    /// title has nobody to refer to. `date` is the day the sentence is about, if known.
    pub fn resolve(&mut self, mention: &PersonMention, date: Option<NaiveDate>) -> Option<usize> {
        let found = match mention.kind {
            MentionKind::Named => self.resolve_named(mention, date),
            MentionKind::TitleOnly => self.resolve_title(mention, date),
            MentionKind::Pronoun => match mention.pronoun.as_deref() {
                Some("i") => self.speaker,
                _ => self.last_subject,
            },
        };
        if let Some(e) = found {
            self.enrich(e, mention);
            self.touch(e);
        }
        found
    }

    fn resolve_named(&mut self, mention: &PersonMention, date: Option<NaiveDate>) -> Option<usize> {
        let name = mention.name.as_deref()?;
        let forms = self.forms_of(name);
        let tokens = &forms.tokens;
        if tokens.is_empty() {
            return None;
        }
        let key = &forms.key;
        // A known full name or alias, or a longer form of one.
        if tokens.len() >= 2
            && let Some(person) = self
                .gazetteer
                .person_by_key(key)
                .or_else(|| self.gazetteer.person_within_tokens(tokens))
        {
            if let Some(e) = self.find_entity_by_person(person) {
                return Some(e);
            }
            // A family-name-only entity of this release may be this person.
            let canonical = self.gazetteer.people[person].name.clone();
            let family = mention
                .family
                .clone()
                .or_else(|| self.gazetteer.people[person].family_names.first().cloned());
            if let Some(e) = (0..self.entities.len()).find(|&e| {
                self.entities[e].person.is_none()
                    && self.folded[e].forms.tokens.len() == 1
                    && tokens.contains(&self.folded[e].forms.folded)
            }) {
                self.rename(e, canonical, family);
                self.entities[e].person = Some(person);
                return Some(e);
            }
            return Some(self.entity_for_person(person, family, mention.bare));
        }
        let folded_name = &forms.folded;
        if tokens.len() >= 2 {
            // "Fogh Rasmussen", "von der Leyen": a family name of several words.
            if let Some(&e) = self
                .recent
                .iter()
                .rev()
                .find(|&&e| self.is_family_of(e, folded_name))
            {
                return Some(e);
            }
            if let Some(person) = self.person_by_family(name, mention, date) {
                return Some(self.entity_for_person(person, Some(name.to_owned()), mention.bare));
            }
            // The same full name, or a fuller form of a family name seen before.
            if let Some(e) = self.folded.iter().position(|f| f.forms.key == *key) {
                return Some(e);
            }
            if let Some(e) = (0..self.entities.len()).find(|&e| {
                let etoks = &self.folded[e].forms.tokens;
                self.entities[e].person.is_none() && etoks.len() == 1 && tokens.contains(&etoks[0])
            }) {
                self.rename(e, name.to_owned(), mention.family.clone());
                return Some(e);
            }
            // "Anders Rasmussen" after "Anders Fogh Rasmussen": a shorter form of a name seen.
            if let Some(e) = self.folded.iter().position(|f| {
                let etoks = &f.forms.tokens;
                etoks.len() > tokens.len()
                    && tokens.iter().all(|t| etoks.contains(t))
                    && etoks.last() == tokens.last()
            }) {
                return Some(e);
            }
            return Some(self.new_entity(Entity {
                name: name.to_owned(),
                family: mention.family.clone(),
                person: None,
                title: None,
                office: None,
                organization: None,
                title_organization: None,
                context_organization: None,
                bare: mention.bare,
            }));
        }
        // A family name alone ("Minister Kishida", "Rasmussen", "Mr Fogh Rasmussen").
        let matches_entity = |e: usize| -> bool {
            let etoks = &self.folded[e].forms.tokens;
            tokens.iter().all(|t| etoks.contains(t)) || self.is_family_of(e, folded_name)
        };
        if let Some(&e) = self.recent.iter().rev().find(|&&e| matches_entity(e)) {
            return Some(e);
        }
        if let Some(person) = self.person_by_family(name, mention, date) {
            return Some(self.entity_for_person(person, Some(name.to_owned()), mention.bare));
        }
        if mention.bare {
            // A lone capitalised word is not enough to add a person.
            return None;
        }
        Some(self.new_entity(Entity {
            name: name.to_owned(),
            family: Some(name.to_owned()),
            person: None,
            title: None,
            office: None,
            organization: None,
            title_organization: None,
            context_organization: None,
            bare: false,
        }))
    }

    fn resolve_title(&mut self, mention: &PersonMention, date: Option<NaiveDate>) -> Option<usize> {
        let office = mention.office.as_deref()?;
        let written_org = self.org_name(mention);
        let same_office = |e: &Entity| {
            e.office.as_deref() == Some(office)
                || e.person
                    .is_some_and(|p| self.gazetteer.people[p].held_office(office, date))
        };
        let org_of = |e: &Entity| e.organization_at(self.gazetteer, date);
        // 1. A person of this release with that office (and that organisation, if written;
        //    the publisher's own, if not).
        let wanted_org = written_org.clone().or_else(|| self.home.clone());
        if let Some(&e) = self.recent.iter().rev().find(|&&e| {
            let entity = &self.entities[e];
            same_office(entity) && (wanted_org.is_none() || org_of(entity) == wanted_org)
        }) {
            return Some(e);
        }
        // 2. Whoever held that office on that day.
        if let (Some(org), Some(d)) = (wanted_org.as_deref(), date)
            && let Some(person) = self.gazetteer.office_holder(office, org, d)
        {
            let e = self.entity_for_person(person, None, false);
            if self.entities[e].office.is_none() {
                self.entities[e].office = Some(office.to_owned());
            }
            return Some(e);
        }
        // 3. Anyone of this release with that office.
        if written_org.is_none()
            && let Some(&e) = self
                .recent
                .iter()
                .rev()
                .find(|&&e| same_office(&self.entities[e]))
        {
            return Some(e);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::people::find_people;
    use std::sync::LazyLock;

    static GAZETTEER: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::builtin().expect("built-in data loads"));

    fn resolve_all(sentences: &[&str], home: Option<&str>, date: Option<NaiveDate>) -> Vec<String> {
        let g = &*GAZETTEER;
        let mut r = Resolver::new(g, home.map(str::to_owned));
        let mut out = Vec::new();
        for s in sentences {
            let mentions = find_people(s, g);
            let mut first = None;
            for m in &mentions {
                let e = r.resolve(m, date);
                if first.is_none() {
                    first = e;
                }
                out.push(e.map_or("?".to_owned(), |e| r.entities[e].name.clone()));
            }
            r.set_subject(first);
        }
        out
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn folded_names_stay_in_step_with_renamed_entities() {
        let g = &*GAZETTEER;
        let mut r = Resolver::new(g, None);
        let sentences = [
            // a family name alone, then the full name it was short for (renamed), then the
            // family name of a known person before the person (renamed to the canonical name)
            "Minister Okonkwo-Bauer welcomed Ambassador Tremblay.",
            "Dr. Ngozi Okonkwo-Bauer and Mr. Luc Tremblay then met.",
            "Secretary General Stoltenberg spoke.",
            "Mr. Jens Stoltenberg, NATO Secretary General, then met Ms. Okonkwo-Bauer.",
        ];
        let mut names = Vec::new();
        for s in sentences {
            for m in find_people(s, g) {
                let e = r.resolve(&m, day(2019, 5, 1));
                names.push(e.map(|e| r.entities[e].name.clone()));
            }
        }
        assert_eq!(
            names,
            [
                "Okonkwo-Bauer",
                "Tremblay",
                "Ngozi Okonkwo-Bauer",
                "Luc Tremblay",
                "Jens Stoltenberg",
                "Jens Stoltenberg",
                "Ngozi Okonkwo-Bauer",
            ]
            .map(|n| Some(n.to_owned()))
        );
        assert_eq!(r.folded.len(), r.entities.len());
        for (folded, entity) in r.folded.iter().zip(&r.entities) {
            let fresh = NameForms::of(&entity.name);
            let fresh_family = entity.family.as_deref().map(fold);
            assert_eq!(
                (&*folded.forms, &folded.family),
                (&fresh, &fresh_family),
                "{entity:?}"
            );
        }
        // and every spelling's forms are those of the spelling
        for forms in &r.forms {
            assert_eq!(**forms, NameForms::of(&forms.name));
        }
    }

    #[test]
    fn one_person_across_spellings() {
        let names = resolve_all(
            &[
                "H.E. Mr. Anders Fogh Rasmussen, NATO Secretary General, met Prime Minister Shinzo Abe.",
                "Secretary General Rasmussen and Mr Fogh Rasmussen and Anders Rasmussen agreed.",
                "The Secretary General said he welcomed it.",
            ],
            Some("Japan"),
            day(2013, 4, 15),
        );
        assert_eq!(
            names,
            vec![
                "Anders Fogh Rasmussen",
                "Shinzo Abe",
                "Anders Fogh Rasmussen",
                "Anders Fogh Rasmussen",
                "Anders Fogh Rasmussen",
                "Anders Fogh Rasmussen",
                "Anders Fogh Rasmussen",
            ]
        );
    }

    #[test]
    fn family_name_first_and_surname_reference() {
        let names = resolve_all(
            &[
                "Mr. KISHIDA Fumio, Prime Minister of Japan, met him.",
                "Prime Minister Kishida said.",
            ],
            Some("Japan"),
            day(2023, 1, 31),
        );
        assert_eq!(names, vec!["Fumio Kishida", "Fumio Kishida"]);
    }

    #[test]
    fn office_holders_from_the_gazetteer() {
        let names = resolve_all(
            &["The Prime Minister met Japanese Prime Minister Fumio Kishida at the G7 Summit."],
            Some("United Kingdom"),
            day(2022, 6, 28),
        );
        assert_eq!(names, vec!["Boris Johnson", "Fumio Kishida"]);
        let names = resolve_all(
            &["Foreign Minister Gemba held a meeting with Secretary of State Clinton."],
            Some("Japan"),
            day(2012, 5, 21),
        );
        assert_eq!(names, vec!["Koichiro Gemba", "Hillary Clinton"]);
    }

    #[test]
    fn unknown_people_keep_their_written_name() {
        let names = resolve_all(
            &["He met with Rear Admiral Izumi, Vice Commandant of the Joint Staff College."],
            Some("Japan"),
            day(2019, 6, 3),
        );
        assert_eq!(names, vec!["?", "Izumi"]);
    }
}
