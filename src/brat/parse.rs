//! Reading an `.ann` file into a [`BratDoc`], line by line as brat's own reader does
//! (`annotation.py`): a line it cannot parse is skipped and reported, and the rest of the file
//! is read. One bad line among thousands must not cost a corpus its import.
//!
//! Where brat would refuse the whole document (a duplicate id, a reference to an id that is not
//! defined, an event without its trigger), this skips the one record instead and says so. Where
//! brat is stricter than the data needs (a BOM before the first id, an event whose trigger's type
//! is not the event's), the record is kept. Lines end at `\n`, `\r\n` or `\r` (Python's universal
//! newlines, as brat opens the file); a blank line is no record.

use super::doc::{Attribute, BratDoc, CharSpan, Entity, Equivalence, Event, Normalization, Note, Relation, Role};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// A line that was skipped, or a record dropped for what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

/// The records of `ann` (the contents of `file`, which names it in warnings) and the lines
/// that were skipped, in line order.
pub fn parse(file: &Path, ann: &str) -> (BratDoc, Vec<Warning>) {
    let mut p = Parser { file, doc: BratDoc::default(), warnings: vec![], first_line: HashMap::new() };
    let ann = ann.strip_prefix('\u{feff}').unwrap_or(ann);
    for (i, line) in lines(ann).enumerate() {
        let n = i + 1;
        if let Err(reason) = p.line(n, line.trim_end_matches('\t')) {
            p.warn(n, reason);
        }
    }
    p.resolve();
    p.warnings.sort_by_key(|w| w.line);
    (p.doc, p.warnings)
}

/// Lines split as Python's universal newlines do.
fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\n', '\r']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]).filter(|r| !r.is_empty());
                Some(&s[..i])
            }
            None => {
                rest = None;
                Some(s)
            }
        }
    })
}

struct Parser<'a> {
    file: &'a Path,
    doc: BratDoc,
    warnings: Vec<Warning>,
    /// Each id read so far and its line.
    first_line: HashMap<String, usize>,
}

/// brat's id syntax (`annotation.py`): letters, or `#` and letters, then digits, then
/// anything; or a lone `*`.
fn valid_id(id: &str) -> bool {
    let rest = id.strip_prefix('#').unwrap_or(id);
    let letters = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len();
    (letters > 0 || rest.len() < id.len()) && rest[letters..].starts_with(|c: char| c.is_ascii_digit())
}

/// A role without its number (`Source2` → `Source`), as brat's `split_role` cuts it: the
/// longest run of digits at the end, keeping at least one character.
fn plain_role(role: &str) -> &str {
    let cut = role.trim_end_matches(|c: char| c.is_ascii_digit());
    if cut.is_empty() { &role[..1] } else { cut }
}

/// `ROLE:ID`, with exactly one colon and both sides non-empty.
fn role_arg(arg: &str) -> Option<(&str, &str)> {
    let (role, id) = arg.split_once(':')?;
    (!role.is_empty() && !id.is_empty() && !id.contains(':')).then_some((role, id))
}

/// A shortened, quoted copy of the line for a warning.
fn shown(line: &str) -> String {
    const MAX: usize = 80;
    match line.char_indices().nth(MAX) {
        Some((b, _)) => format!("{:?}…", &line[..b]),
        None => format!("{line:?}"),
    }
}

impl Parser<'_> {
    fn warn(&mut self, line: usize, reason: String) {
        self.warnings.push(Warning { file: self.file.to_path_buf(), line, reason });
    }

    fn line(&mut self, n: usize, line: &str) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(format!("no tab after the id; skipped: {}", shown(line)));
        };
        if id != "*" && !valid_id(id) {
            return Err(format!("{id:?} is not a brat id (T1, E1, R1, A1, M1, N1, #1, *); skipped"));
        }
        if id != "*"
            && let Some(first) = self.first_line.get(id)
        {
            return Err(format!("{id} is defined twice (first on line {first}); skipped"));
        }
        let (data, tail) = rest.split_once('\t').map_or((rest, None), |(d, t)| (d, Some(t)));
        let bad = |what: &str| format!("malformed {what} line; skipped: {}", shown(line));
        let kind = id.chars().next().expect("a valid id is not empty");
        match kind {
            'T' => {
                let (ty, offsets) = data.split_once(' ').filter(|(ty, _)| !ty.is_empty()).ok_or_else(|| bad("T"))?;
                let mut fragments: Vec<CharSpan> = Vec::new();
                for piece in offsets.split(';') {
                    let (s, e) = piece.split_once(' ').ok_or_else(|| bad("T"))?;
                    let (Ok(start), Ok(end)) = (s.parse::<usize>(), e.trim_end().parse::<usize>()) else {
                        return Err(bad("T"));
                    };
                    if start > end {
                        return Err(format!("{id}: a fragment starts at {start}, after its end {end}; skipped"));
                    }
                    // brat's test, touching ends included.
                    if fragments.iter().any(|f| end >= f.start && start < f.end) {
                        return Err(format!("{id}: fragment {start} {end} overlaps another of the span; skipped"));
                    }
                    fragments.push(CharSpan::new(start, end));
                }
                let text = tail.map(str::to_owned);
                self.doc.entities.push(Entity { id: id.into(), ty: ty.into(), fragments, text, line: n });
            }
            'A' | 'M' => {
                let (name, rest) = data.split_once(' ').ok_or_else(|| bad("attribute"))?;
                let (target, value) = rest.split_once(' ').map_or((rest, None), |(t, v)| (t, Some(v)));
                let value = value.map(str::trim_end).filter(|v| !v.is_empty());
                if name.is_empty() || !valid_id(target) {
                    return Err(bad("attribute"));
                }
                let (id, name, target, value) = (id.into(), name.into(), target.into(), value.map(Into::into));
                self.doc.attributes.push(Attribute { id, name, target, value, line: n });
            }
            'N' => {
                let words: Vec<&str> = data.split(' ').collect();
                let [ty, target, reference, ..] = words[..] else { return Err(bad("N")) };
                let (db, db_id) = reference.split_once(':').ok_or_else(|| bad("N"))?;
                if [ty, target, db, db_id].iter().any(|w| w.is_empty()) {
                    return Err(bad("N"));
                }
                let text = tail.map(|t| t.to_owned()).filter(|t| !t.is_empty());
                let (id, ty, target, db, db_id) = (id.into(), ty.into(), target.into(), db.into(), db_id.into());
                self.doc.normalizations.push(Normalization { id, ty, target, db, db_id, text, line: n });
            }
            'R' => {
                let (ty, args) = data.split_once(' ').ok_or_else(|| bad("R"))?;
                let args: Vec<(&str, &str)> =
                    args.split_whitespace().map(role_arg).collect::<Option<_>>().ok_or_else(|| bad("R"))?;
                let [(r1, a1), (r2, a2)] = args[..] else { return Err(bad("R (it needs two arguments)")) };
                if ty.is_empty() || r1 == r2 {
                    return Err(bad("R"));
                }
                let args = [(r1.into(), a1.into()), (r2.into(), a2.into())];
                self.doc.relations.push(Relation { id: id.into(), ty: ty.into(), args, line: n });
            }
            'E' => {
                let (head, args) = data.split_once(' ').unwrap_or((data, ""));
                let (ty, trigger) = role_arg(head).ok_or_else(|| bad("E"))?;
                let args = args.split_whitespace().map(role_arg).collect::<Option<Vec<_>>>().ok_or_else(|| bad("E"))?;
                let args = args.into_iter().map(|(r, id)| Role { role: plain_role(r).into(), id: id.into() }).collect();
                let (id, ty, trigger) = (id.into(), ty.into(), trigger.into());
                self.doc.events.push(Event { id, ty, trigger, args, line: n });
            }
            '#' => {
                let words: Vec<&str> = data.split_whitespace().collect();
                let [ty, target] = words[..] else { return Err(bad("#")) };
                let text = tail.unwrap_or("").trim().to_owned();
                self.doc.notes.push(Note { id: id.into(), ty: ty.into(), target: target.into(), text, line: n });
            }
            '*' => {
                let mut words = data.split_whitespace();
                let ty = words.next().ok_or_else(|| bad("*"))?;
                let ids: Vec<String> = words.map(Into::into).collect();
                if ids.is_empty() {
                    return Err(bad("*"));
                }
                self.doc.equivalences.push(Equivalence { ty: ty.into(), ids, line: n });
            }
            other => {
                return Err(format!(
                    "{id}: unknown kind of line {other:?} (brat knows T, E, R, A, M, N, #, *); skipped"
                ));
            }
        }
        if id != "*" {
            self.first_line.insert(id.to_owned(), n);
        }
        Ok(())
    }

    /// Drops every record that refers to an id no kept record defines, and every event whose
    /// trigger is not a `T`, until none is left: dropping an event can leave its attributes
    /// and notes pointing at nothing.
    fn resolve(&mut self) {
        loop {
            let doc = &self.doc;
            let entities: HashSet<&str> = doc.entities.iter().map(|t| t.id.as_str()).collect();
            let defined: HashSet<&str> = entities
                .iter()
                .copied()
                .chain(doc.events.iter().map(|e| e.id.as_str()))
                .chain(doc.relations.iter().map(|r| r.id.as_str()))
                .collect();
            // Why a record must go, if it must.
            let gone = |id: &str, refs: &mut dyn Iterator<Item = &str>| -> Option<String> {
                let gone: Vec<&str> = refs.filter(|r| !defined.contains(r)).collect();
                (!gone.is_empty()).then(|| format!("{id} refers to {}, which is not defined; skipped", gone.join(", ")))
            };
            let mut dropped: Vec<(usize, String)> = Vec::new();
            let mut keep = |line: usize, why: Option<String>| match why {
                Some(why) => {
                    dropped.push((line, why));
                    false
                }
                None => true,
            };
            let mut events = doc.events.clone();
            events.retain(|e| {
                let why = if !entities.contains(e.trigger.as_str()) && defined.contains(e.trigger.as_str()) {
                    Some(format!("{}: its trigger {} is not a text span; skipped", e.id, e.trigger))
                } else {
                    gone(&e.id, &mut std::iter::once(e.trigger.as_str()).chain(e.args.iter().map(|a| a.id.as_str())))
                };
                keep(e.line, why)
            });
            let mut relations = doc.relations.clone();
            relations.retain(|r| keep(r.line, gone(&r.id, &mut r.args.iter().map(|a| a.1.as_str()))));
            let mut attributes = doc.attributes.clone();
            attributes.retain(|a| keep(a.line, gone(&a.id, &mut std::iter::once(a.target.as_str()))));
            let mut normalizations = doc.normalizations.clone();
            normalizations.retain(|x| keep(x.line, gone(&x.id, &mut std::iter::once(x.target.as_str()))));
            let mut notes = doc.notes.clone();
            notes.retain(|x| keep(x.line, gone(&x.id, &mut std::iter::once(x.target.as_str()))));
            let mut equivalences = doc.equivalences.clone();
            equivalences.retain(|x| keep(x.line, gone("*", &mut x.ids.iter().map(String::as_str))));
            if dropped.is_empty() {
                return;
            }
            for (line, reason) in dropped {
                self.warn(line, reason);
            }
            let doc = &mut self.doc;
            (doc.events, doc.relations, doc.attributes) = (events, relations, attributes);
            (doc.normalizations, doc.notes, doc.equivalences) = (normalizations, notes, equivalences);
        }
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
