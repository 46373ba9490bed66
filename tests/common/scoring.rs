//! Scoring a communique database against gold annotations, in Rust, by the same rules as
//! `../shared/eval/score.py` (see tests/fixtures/GUIDELINES.md): a predicted meeting matches
//! a gold meeting of the same release when they share two participants, or one and the date;
//! optional gold meetings are neither hits nor misses; fields are scored once per predicted
//! meeting against the union of the gold meetings it matched.
#![allow(dead_code)]

use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "he", "h.e", "h", "e", "sir", "madam", "hon", "prof",
];

fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The scorer's identity of a name: folded word set without honorifics or initials.
pub fn name_key(name: &str) -> BTreeSet<String> {
    let folded = fold(name);
    let cleaned: String = folded
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .filter(|t| !HONORIFICS.contains(t) && t.chars().count() > 1)
        .map(str::to_owned)
        .collect()
}

fn longest(key: &BTreeSet<String>) -> String {
    // Python's max(key, key=len) over a frozenset: any longest word; ties are rare in names
    key.iter().fold(String::new(), |best, t| {
        if t.chars().count() > best.chars().count() {
            t.clone()
        } else {
            best
        }
    })
}

fn org_key(org: Option<&str>) -> String {
    let o = org.unwrap_or("").trim().to_lowercase();
    let o = o.split_whitespace().collect::<Vec<_>>().join(" ");
    let o = o.strip_prefix("the ").unwrap_or(&o).to_owned();
    let alias = match o.as_str() {
        "north atlantic treaty organization" | "north atlantic treaty organisation" => "nato",
        "government of japan" => "japan",
        "eu" => "european union",
        "uk" => "united kingdom",
        "republic of korea" | "rok" | "korea" => "south korea",
        "usa" | "us" | "united states of america" => "united states",
        other => other,
    };
    alias.to_owned()
}

#[derive(Debug, Clone, Default)]
pub struct Prf {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl Prf {
    fn add(&mut self, tp: u64, fp: u64, fn_: u64) {
        self.tp += tp;
        self.fp += fp;
        self.fn_ += fn_;
    }

    pub fn f1(&self) -> f64 {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if tp + fp > 0.0 {
            tp / (tp + fp)
        } else if fn_ == 0.0 {
            1.0
        } else {
            0.0
        };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 1.0 };
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Accuracy {
    pub ok: u64,
    pub n: u64,
}

impl Accuracy {
    fn add(&mut self, ok: bool) {
        self.n += 1;
        self.ok += ok as u64;
    }

    pub fn value(&self) -> f64 {
        if self.n == 0 {
            1.0
        } else {
            self.ok as f64 / self.n as f64
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub missing_documents: usize,
    pub meeting: Prf,
    pub participant: Prf,
    pub topic: Prf,
    pub date: Accuracy,
    pub start_time: Accuracy,
    pub duration: Accuracy,
    pub kind: Accuracy,
    pub location: Accuracy,
    pub organization: Accuracy,
    pub merge: Accuracy,
    pub errors: Vec<String>,
}

impl Scores {
    pub fn summary(&self) -> String {
        format!(
            "meeting_f1={:.3} participant_f1={:.3} topic_f1={:.3} date_acc={:.3} start_acc={:.3} duration_acc={:.3} merge_acc={:.3} kind_acc={:.3} location_acc={:.3} organization_acc={:.3}",
            self.meeting.f1(),
            self.participant.f1(),
            self.topic.f1(),
            self.date.value(),
            self.start_time.value(),
            self.duration.value(),
            self.merge.value(),
            self.kind.value(),
            self.location.value(),
            self.organization.value()
        )
    }
}

#[derive(Debug, Clone)]
struct Person {
    name: String,
    organization: Option<String>,
}

#[derive(Debug, Clone)]
struct Predicted {
    id: i64,
    date: Option<String>,
    start: Option<String>,
    duration: Option<i64>,
    kind: Option<String>,
    location: Option<String>,
    people: Vec<Person>,
    topics: BTreeSet<String>,
}

fn str_field(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned)
}

fn list_field(v: &Value, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn gold_people(g: &Value) -> Vec<Person> {
    g.get("participants")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| Person {
                    name: str_field(p, "name").unwrap_or_default(),
                    organization: str_field(p, "organization"),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_optional(g: &Value) -> bool {
    g.get("optional").and_then(Value::as_bool).unwrap_or(false)
}

fn load_predicted(conn: &Connection, file: &str) -> Option<Vec<Predicted>> {
    let docs: Vec<(i64, String)> = conn
        .prepare("SELECT id, path FROM documents")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<i64> = docs
        .iter()
        .filter(|(_, p)| p == file || Path::new(p).file_name().is_some_and(|n| n == file))
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        return None;
    }
    let mut out: BTreeMap<i64, Predicted> = BTreeMap::new();
    for doc in ids {
        let mut stmt = conn
            .prepare(
                "SELECT m.id, m.held_on, m.starts_at, m.duration_minutes, m.kind, m.location
                 FROM meetings m JOIN meeting_documents md ON md.meeting_id = m.id
                 WHERE md.document_id = ?1",
            )
            .unwrap();
        let rows: Vec<Predicted> = stmt
            .query_map([doc], |r| {
                Ok(Predicted {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    start: r.get(2)?,
                    duration: r.get(3)?,
                    kind: r.get(4)?,
                    location: r.get(5)?,
                    people: Vec::new(),
                    topics: BTreeSet::new(),
                })
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for mut p in rows {
            p.people = conn
                .prepare(
                    "SELECT p.name, mp.organization FROM meeting_participants mp
                     JOIN participants p ON p.id = mp.participant_id
                     WHERE mp.meeting_id = ?1 AND coalesce(mp.role, '') <> 'mentioned'",
                )
                .unwrap()
                .query_map([p.id], |r| {
                    Ok(Person {
                        name: r.get(0)?,
                        organization: r.get(1)?,
                    })
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            p.topics = conn
                .prepare(
                    "SELECT t.slug FROM meeting_topics mt JOIN topics t ON t.id = mt.topic_id
                     WHERE mt.meeting_id = ?1",
                )
                .unwrap()
                .query_map([p.id], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            out.insert(p.id, p);
        }
    }
    Some(out.into_values().collect())
}

fn overlap(g: &[Person], p: &[Person]) -> usize {
    let gk: BTreeSet<_> = g.iter().map(|x| name_key(&x.name)).collect();
    let pk: BTreeSet<_> = p.iter().map(|x| name_key(&x.name)).collect();
    gk.intersection(&pk).count()
}

fn lenient_overlap(g: &[Person], p: &[Person]) -> usize {
    let gk: BTreeSet<String> = g.iter().map(|x| longest(&name_key(&x.name))).collect();
    let pk: BTreeSet<String> = p.iter().flat_map(|x| name_key(&x.name)).collect();
    gk.iter().filter(|k| pk.contains(*k)).count()
}

fn match_meetings(gold: &[Value], pred: &[Predicted]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let gp = gold_people(g);
        for (pi, p) in pred.iter().enumerate() {
            let ov = overlap(&gp, &p.people).max(lenient_overlap(&gp, &p.people));
            let gd = str_field(g, "date");
            let same_date = gd.is_some() && gd == p.date;
            let ok = ov >= 2 || (ov >= 1 && (same_date || gp.len() == 1));
            if ok {
                pairs.push((ov as f64 + if same_date { 1.5 } else { 0.0 }, gi, pi));
            }
        }
    }
    // Python sorts tuples in reverse: score, then gold index, then predicted index, descending
    pairs.sort_by(|a, b| b.partial_cmp(a).unwrap());
    let (mut used_g, mut used_p, mut out) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    for (_, gi, pi) in pairs {
        if used_g.contains(&gi) || used_p.contains(&pi) {
            continue;
        }
        used_g.insert(gi);
        used_p.insert(pi);
        out.push((gi, pi));
    }
    out
}

/// A gold meeting's identity across releases: its date and its people.
type EventKey = (String, BTreeSet<BTreeSet<String>>);

/// Score the database at `db` against the gold JSON files in `gold_dir`.
pub fn score(db: &Path, gold_dir: &Path) -> Scores {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut s = Scores::default();
    let mut files: Vec<_> = std::fs::read_dir(gold_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    // predicted meeting id -> (prediction, [(doc, gold meeting)])
    let mut by_pred: BTreeMap<i64, (Predicted, Vec<(String, Value)>)> = BTreeMap::new();
    // gold event key -> [(doc, matched prediction id)]
    let mut events: HashMap<EventKey, Vec<(String, Option<i64>)>> = HashMap::new();
    for path in files {
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let doc = str_field(&gold, "file").unwrap();
        let gms: Vec<Value> = gold["meetings"].as_array().cloned().unwrap_or_default();
        let Some(pred) = load_predicted(&conn, &doc) else {
            s.missing_documents += 1;
            for g in gms.iter().filter(|g| !is_optional(g)) {
                s.meeting.add(0, 0, 1);
                let n = gold_people(g).len() as u64;
                s.participant.add(0, 0, n);
                s.topic.add(0, 0, list_field(g, "topics").len() as u64);
            }
            s.errors.push(format!("{doc}: document not in database"));
            continue;
        };
        let pairs = match_meetings(&gms, &pred);
        let matched_g: BTreeSet<usize> = pairs.iter().map(|(g, _)| *g).collect();
        let matched_p: BTreeSet<usize> = pairs.iter().map(|(_, p)| *p).collect();
        for (gi, g) in gms.iter().enumerate() {
            if !matched_g.contains(&gi) && !is_optional(g) {
                s.meeting.add(0, 0, 1);
                s.participant.add(0, 0, gold_people(g).len() as u64);
                s.topic.add(0, 0, list_field(g, "topics").len() as u64);
                let names: Vec<String> = gold_people(g).into_iter().map(|p| p.name).collect();
                s.errors.push(format!(
                    "{doc}: missed meeting {:?} {names:?}",
                    str_field(g, "date")
                ));
            }
        }
        for (pi, p) in pred.iter().enumerate() {
            if !matched_p.contains(&pi) {
                s.meeting.add(0, 1, 0);
                let names: Vec<&str> = p.people.iter().map(|x| x.name.as_str()).collect();
                s.errors.push(format!(
                    "{doc}: extra meeting #{} {:?} {names:?}",
                    p.id, p.date
                ));
            }
        }
        for (gi, g) in gms.iter().enumerate() {
            let Some(date) = str_field(g, "date") else {
                continue;
            };
            if is_optional(g) {
                continue;
            }
            let key = (
                date,
                gold_people(g).iter().map(|x| name_key(&x.name)).collect(),
            );
            let pid = pairs
                .iter()
                .find(|(gj, _)| *gj == gi)
                .map(|(_, pi)| pred[*pi].id);
            events.entry(key).or_default().push((doc.clone(), pid));
        }
        for (gi, pi) in pairs {
            let g = &gms[gi];
            if is_optional(g) {
                continue;
            }
            s.meeting.add(1, 0, 0);
            let p = pred[pi].clone();
            by_pred
                .entry(p.id)
                .or_insert_with(|| (p, Vec::new()))
                .1
                .push((doc.clone(), g.clone()));
        }
    }
    for (p, golds) in by_pred.values() {
        let where_ = golds
            .iter()
            .map(|(d, _)| d.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", ");
        let values = |field: &str| -> BTreeSet<String> {
            golds
                .iter()
                .filter_map(|(_, g)| match g.get(field) {
                    Some(Value::String(v)) => Some(v.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        };
        for (field, acc, predicted) in [
            ("date", &mut s.date, p.date.clone()),
            ("start_time", &mut s.start_time, p.start.clone()),
            (
                "duration_minutes",
                &mut s.duration,
                p.duration.map(|d| d.to_string()),
            ),
        ] {
            let wanted = values(field);
            if !wanted.is_empty() {
                let ok = predicted.as_ref().is_some_and(|v| wanted.contains(v));
                acc.add(ok);
                if !ok {
                    s.errors
                        .push(format!("{where_}: {field} {predicted:?} != {wanted:?}"));
                }
            }
        }
        let kinds: Vec<String> = golds
            .iter()
            .flat_map(|(_, g)| list_field(g, "kind"))
            .map(|k| k.to_lowercase())
            .collect();
        if !kinds.is_empty() {
            let ok = kinds.contains(&p.kind.clone().unwrap_or_default().to_lowercase());
            s.kind.add(ok);
            if !ok {
                s.errors
                    .push(format!("{where_}: kind {:?} not in {kinds:?}", p.kind));
            }
        }
        let places: Vec<String> = golds
            .iter()
            .flat_map(|(_, g)| list_field(g, "location"))
            .map(|k| k.to_lowercase())
            .collect();
        if !places.is_empty() {
            let pl = p.location.clone().unwrap_or_default().to_lowercase();
            let ok = !pl.is_empty() && places.iter().any(|x| pl.contains(x.as_str()));
            s.location.add(ok);
            if !ok {
                s.errors.push(format!(
                    "{where_}: location {:?} not in {places:?}",
                    p.location
                ));
            }
        }
        let mut gpk: BTreeMap<BTreeSet<String>, Person> = BTreeMap::new();
        for (_, g) in golds {
            for x in gold_people(g) {
                gpk.entry(name_key(&x.name)).or_insert(x);
            }
        }
        let ppk: BTreeMap<BTreeSet<String>, Person> = p
            .people
            .iter()
            .map(|x| (name_key(&x.name), x.clone()))
            .collect();
        let tp = gpk.keys().filter(|k| ppk.contains_key(*k)).count() as u64;
        s.participant
            .add(tp, ppk.len() as u64 - tp, gpk.len() as u64 - tp);
        for (k, g) in &gpk {
            match ppk.get(k) {
                None => s
                    .errors
                    .push(format!("{where_}: missed participant {:?}", g.name)),
                Some(pp) => {
                    if g.organization.is_some() {
                        let ok = org_key(pp.organization.as_deref())
                            == org_key(g.organization.as_deref());
                        s.organization.add(ok);
                        if !ok {
                            s.errors.push(format!(
                                "{where_}: organization of {:?} {:?} != {:?}",
                                g.name, pp.organization, g.organization
                            ));
                        }
                    }
                }
            }
        }
        for (k, pp) in &ppk {
            if !gpk.contains_key(k) {
                s.errors
                    .push(format!("{where_}: extra participant {:?}", pp.name));
            }
        }
        let gt: BTreeSet<String> = golds
            .iter()
            .flat_map(|(_, g)| list_field(g, "topics"))
            .collect();
        let go: BTreeSet<String> = golds
            .iter()
            .flat_map(|(_, g)| list_field(g, "topics_optional"))
            .filter(|t| !gt.contains(t))
            .collect();
        let pt = &p.topics;
        let hit = gt.intersection(pt).count() as u64;
        let extra = pt
            .iter()
            .filter(|t| !gt.contains(*t) && !go.contains(*t))
            .count() as u64;
        s.topic.add(hit, extra, gt.len() as u64 - hit);
        let missed: Vec<_> = gt.difference(pt).collect();
        if !missed.is_empty() {
            s.errors.push(format!("{where_}: missed topics {missed:?}"));
        }
        let extras: Vec<_> = pt
            .iter()
            .filter(|t| !gt.contains(*t) && !go.contains(*t))
            .collect();
        if !extras.is_empty() {
            s.errors.push(format!("{where_}: extra topics {extras:?}"));
        }
    }
    for ((date, _), seen) in &events {
        let docs: BTreeSet<&String> = seen.iter().map(|(d, _)| d).collect();
        if docs.len() < 2 || docs.len() < seen.len() {
            continue;
        }
        let ids: BTreeSet<Option<i64>> = seen.iter().map(|(_, id)| *id).collect();
        let ok = ids.len() == 1 && !ids.contains(&None);
        s.merge.add(ok);
        if !ok {
            s.errors
                .push(format!("not merged: {date} in {docs:?} -> {ids:?}"));
        }
    }
    s
}
