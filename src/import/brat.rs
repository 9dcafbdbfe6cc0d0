//! `brat` import: a brat collection folder (every `.ann` with its sibling `.txt`, searched
//! recursively) or one `.ann` file, brought in as newsnote annotations.
//!
//! The `.ann` is read by [`crate::brat::parse`], brat's own way: a malformed line is skipped
//! with a warning naming its file and line, and the rest is imported. Then:
//!
//! * `T` spans whose type the [`LabelMap`] knows (the codebook's labels by id or name,
//!   PARC/PolNeAR `Content` → the attributed content label, `--map` entries) become one
//!   annotation each, a discontinuous span one annotation with fragments.
//! * `E` events (`E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Source2:T5`): the arguments
//!   in roles that name a codebook relation (`Source` → `source`, `Cue` → `cue`, by id or name)
//!   become links from the other arguments (the content), every one of them. A trigger over
//!   an argument's own offsets is that argument's twin and adds nothing; a trigger of its own
//!   in an event without a cue is the cue. `Attribution-no-source` events are events like any.
//! * `R` relations named after a codebook relation (or `AttributedTo`/`Attribution`, the source
//!   relation) link their arguments in the relation's direction.
//! * `A`/`M` attributes on a span, or on an event (then on its content), set the codebook's
//!   attribute of that id or name (`Kind` is the label's asked attribute), else the one
//!   attribute of the label that has that value (`Type E1 Direct` → `quote_type: direct`).
//! * `#` `AnnotatorNotes` become notes (on an event: on its content). A `Review` comment
//!   (newsnote's export: `proposed by quotes-1 (87%)`) sets the span's status and, for a
//!   detector's suggestion, its detector, version and confidence, so a suggestion comes back a
//!   suggestion (`crate::export::Review::parse`).
//! * `N` references on a mention (a span of a label that mentions an entity) to the
//!   `newsnote` or `Wikidata` database become its entity: [`super::link_entities`] finds it
//!   in the registry by id, Wikidata id or name, or adds it.
//!
//! What has no place (other comment types, `N` references to other databases, `*` equivalences, relations
//! of no codebook relation) is counted in one warning per file; a span of an unknown type, an
//! attribute the codebook lacks and a value it does not list are warnings with their line.
//! A missing `.txt` or a file that is not UTF-8 (brat requires it) is an [`ImportError::Read`].
//!
//! # Offsets and repair
//!
//! Offsets are code points of the `.txt` as Python reads it (brat's unit), so the text is read
//! with universal newlines (CRLF and CR → LF) and a BOM kept as a character. Every span's
//! text in the `.ann` is checked against the `.txt` slice at its offsets (fragments joined by
//! one space, as brat writes them). A mismatch is repaired by taking the occurrence of the
//! stated text nearest the stated offsets (fragment by fragment when the lengths allow),
//! with a warning; text that is nowhere in the `.txt` skips the span. Fragments separated by
//! whitespace only (the line breaks brat cuts its spans at, see `crate::export::brat`) join
//! into one piece, so a newsnote export round-trips.
//!
//! # Ids and duplicates
//!
//! Ids are derived from the input: the `.ann`'s folder (a coder's), its file name and the brat
//! id, hashed to 16 hex digits, so two runs give identical annotations (timestamps aside) and
//! two coders' files give different ones. Identical spans (label, offsets and fragments) in one
//! file become one annotation holding every link, attribute and note either had; `write_into`
//! does the same across files and with what the article already has.

use super::{EntityRef, ImportError, ImportedDoc, LabelMap, Target};
use crate::brat::events::{Trigger, event_links};
use crate::brat::names::{ATTRIBUTION, KIND, NOTES, REGISTRY_DB, WIKIDATA_DB, is_space};
use crate::brat::{self};
use crate::model::annotation::{Annotation, AnnotationId, AttrValue, Fragment, LabelId, Origin, context, now_rfc3339};
use crate::model::codebook::{AttrKind, AttributeDef, Codebook};
use crate::model::entities::EntityId;
use crate::model::units::{ByteRange, CharIndex, CharRange};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

pub fn read(src: &Path, map: &LabelMap, cb: &Codebook, author: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut anns = Vec::new();
    if src.is_dir() {
        collect(src, &mut anns)?;
        anns.sort();
    } else if src.extension().is_some_and(|e| e == "txt") {
        anns.push(src.with_extension("ann"));
    } else {
        anns.push(src.to_path_buf());
    }
    let now = now_rfc3339();
    anns.iter()
        .map(|ann| {
            let txt = ann.with_extension("txt");
            let rel = txt.strip_prefix(src).ok().filter(|p| !p.as_os_str().is_empty());
            let name = rel.map_or_else(|| txt.file_name().unwrap_or_default().into(), Path::to_path_buf);
            let name = name.to_string_lossy().replace('\\', "/");
            document(ann, name, &read_text(ann)?, read_text(&txt)?, map, cb, author, &now)
        })
        .collect()
}

/// One document from the contents of its `.ann` and `.txt` (`path` names the `.ann` in
/// messages, `name` the document), `now` stamped as created/modified.
#[allow(clippy::too_many_arguments)]
pub fn document(
    path: &Path,
    name: String,
    ann: &str,
    text: String,
    map: &LabelMap,
    cb: &Codebook,
    author: &str,
    now: &str,
) -> Result<ImportedDoc, ImportError> {
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    let mut doc = Doc::new(path, &text, map, cb);
    let annotations = doc.build(ann, author, now);
    let (warnings, entity_refs) = (doc.warnings, doc.refs);
    Ok(ImportedDoc { name: Some(name), text, annotations, warnings, entity_refs })
}

/// Every `.ann` under `dir`, not following symbolic links.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let err = |source| ImportError::Read { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let entry = entry.map_err(err)?;
        let (path, kind) = (entry.path(), entry.file_type().map_err(err)?);
        if kind.is_dir() {
            collect(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "ann") {
            out.push(path);
        }
    }
    Ok(())
}

/// brat reads its files as strict UTF-8, and so does this.
fn read_text(path: &Path) -> Result<String, ImportError> {
    let err = |source| ImportError::Read { path: path.to_path_buf(), source };
    let bytes = std::fs::read(path).map_err(err)?;
    String::from_utf8(bytes).map_err(|e| err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// One document being built.
struct Doc<'a> {
    path: &'a Path,
    /// What ids are derived from: the `.ann`'s folder (the coder's) and file name.
    seed: String,
    text: &'a str,
    index: CharIndex,
    map: &'a LabelMap,
    cb: &'a Codebook,
    warnings: Vec<String>,
    /// Things dropped without a warning line of their own, counted by what they are.
    dropped: BTreeMap<String, usize>,
    anns: Vec<Annotation>,
    /// brat T id → index into `anns`.
    of: HashMap<String, usize>,
    /// The entity references of the kept annotations (after `build`).
    refs: Vec<EntityRef>,
}

/// A value or name compared loosely: case, `_`, `-` and spaces aside (`Direct` is `direct`,
/// `Quote type` is `quote_type`).
fn loose(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

/// The id of brat annotation `brat_id` of the document `seed` names: the same input gives the
/// same id on every run, and two coders' folders give different ids.
fn derived_id(seed: &str, brat_id: &str) -> AnnotationId {
    let hash = crate::model::fsio::content_hash(format!("{seed}\u{1f}{brat_id}").as_bytes());
    AnnotationId(format!("{hash:016x}"))
}

impl<'a> Doc<'a> {
    fn new(path: &'a Path, text: &'a str, map: &'a LabelMap, cb: &'a Codebook) -> Self {
        let index = CharIndex::new(text);
        let folder = path.parent().and_then(Path::file_name).map(|f| f.to_string_lossy().into_owned());
        let file = path.file_name().map_or_else(|| path.to_string_lossy(), |f| f.to_string_lossy()).into_owned();
        let seed = folder.map_or_else(|| file.clone(), |f| format!("{f}/{file}"));
        Self {
            path,
            seed,
            text,
            index,
            map,
            cb,
            warnings: vec![],
            dropped: BTreeMap::new(),
            anns: vec![],
            of: HashMap::new(),
            refs: vec![],
        }
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(format!("{}:{line}: {message}", self.path.display()));
    }

    fn drop_one(&mut self, what: String) {
        *self.dropped.entry(what).or_default() += 1;
    }

    /// The relation a role or relation type names (by id or name, loosely).
    fn relation_named(&self, name: &str) -> Option<String> {
        self.cb
            .relations
            .iter()
            .find(|r| loose(&r.id) == loose(name) || loose(&r.name) == loose(name))
            .map(|r| r.id.clone())
    }

    fn build(&mut self, ann: &str, author: &str, now: &str) -> Vec<Annotation> {
        let (doc, warnings) = brat::parse(self.path, ann);
        self.warnings.extend(warnings.iter().map(ToString::to_string));
        let events = event_links(&doc, |role| self.relation_named(role));
        let arguments: HashSet<&str> = doc.events.iter().flat_map(|e| e.args.iter().map(|a| a.id.as_str())).collect();
        let cue = self.cb.cue_relation().cloned();
        // A trigger of its own in an event without a cue argument is the event's cue.
        let mut trigger_cues: HashMap<&str, LabelId> = HashMap::new();
        for e in &events {
            if let (Trigger::Own(t), Some(cue)) = (&e.trigger, &cue)
                && !e.links.iter().any(|(r, _)| *r == cue.id)
                && let Some(label) = cue.to.first()
            {
                trigger_cues.insert(t, LabelId::new(label.clone()));
            }
        }
        let triggers: HashSet<&str> = doc.events.iter().map(|e| e.trigger.as_str()).collect();
        for t in &doc.entities {
            let target = match (self.map.get(&t.ty), trigger_cues.get(t.id.as_str())) {
                (Some(target), _) => target.clone(),
                (None, Some(label)) => Target { label: label.clone(), attributes: BTreeMap::new() },
                // A trigger over an argument's own offsets (PolNeAR's cue twins) holds nothing more.
                (None, None) if triggers.contains(t.id.as_str()) && !arguments.contains(t.id.as_str()) => {
                    if !events.iter().any(|e| e.event.trigger == t.id && matches!(e.trigger, Trigger::TwinOf(_))) {
                        self.drop_one(format!("{} event trigger spans", t.ty));
                    }
                    continue;
                }
                (None, None) => {
                    self.warn(t.line, format!("{}: type {:?} is not in the label map; skipped", t.id, t.ty));
                    continue;
                }
            };
            let Some(pieces) = self.pieces(t) else { continue };
            let b = |c| self.index.byte_of(self.text, c).expect("pieces lie in the text");
            let piece = |(s, e): (usize, usize)| (ByteRange::new(b(s), b(e)), CharRange::new(s, e));
            let (bytes, range) = piece(pieces[0]);
            let mut a = Annotation::new_manual(target.label.clone(), self.text, bytes, range, author, now);
            for &p in &pieces[1..] {
                let (bytes, range) = piece(p);
                let (prefix, suffix) = context(self.text, bytes);
                let quote = self.text[bytes.start..bytes.end].to_owned();
                a.fragments.push(Fragment { start: range.start, end: range.end, quote, prefix, suffix });
            }
            target.apply(&mut a);
            a.id = derived_id(&self.seed, &t.id);
            a.origin = Origin::Imported;
            self.of.insert(t.id.clone(), self.anns.len());
            self.anns.push(a);
        }
        // What each event's links start from: its heads that were imported.
        let mut heads_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for e in &events {
            let heads: Vec<usize> = e.heads.iter().filter_map(|h| self.of.get(*h).copied()).collect();
            if heads.is_empty() {
                let roles: Vec<&str> = e.event.args.iter().map(|a| a.role.as_str()).collect();
                self.warn(
                    e.event.line,
                    format!(
                        "{}: no imported argument to link from (roles {}); links skipped",
                        e.event.id,
                        roles.join(", ")
                    ),
                );
                continue;
            }
            let mut links: Vec<(String, &str)> = e.links.iter().map(|(r, t)| (r.clone(), *t)).collect();
            if let (Trigger::Own(t), Some(cue)) = (&e.trigger, &cue)
                && trigger_cues.contains_key(t)
            {
                links.push((cue.id.clone(), t));
            }
            for (rel, target) in links {
                let Some(&j) = self.of.get(target) else { continue }; // skipped and reported already
                let id = self.anns[j].id.clone();
                for &h in &heads {
                    self.anns[h].link(&rel, id.clone());
                }
            }
            for n in &e.nested {
                self.warn(
                    e.event.line,
                    format!("{}: the event {n} as an argument has no newsnote equivalent; skipped", e.event.id),
                );
            }
            heads_of.insert(e.event.id.as_str(), heads);
        }
        for r in &doc.relations {
            let rel = self.relation_named(&r.ty).or_else(|| {
                [ATTRIBUTION, "Attribution"]
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&r.ty))
                    .then(|| self.cb.source_relation().map(|s| s.id.clone()))
                    .flatten()
            });
            let Some(rel) = rel.and_then(|id| self.cb.relation(&id).cloned()) else {
                self.drop_one(format!("{} relations", r.ty));
                continue;
            };
            let [(_, a), (_, b)] = &r.args;
            let (Some(&i), Some(&j)) = (self.of.get(a), self.of.get(b)) else { continue }; // reported already
            let fits =
                |x: usize, y: usize| rel.from.contains(&self.anns[x].label.0) && rel.to.contains(&self.anns[y].label.0);
            let (from, to) = if fits(i, j) {
                (i, j)
            } else if fits(j, i) {
                (j, i)
            } else {
                self.warn(
                    r.line,
                    format!("{}: {} links {} to {}; skipped", r.id, rel.id, rel.from.join("/"), rel.to.join("/")),
                );
                continue;
            };
            let id = self.anns[to].id.clone();
            self.anns[from].link(&rel.id, id);
        }
        let targets = |this: &Self, id: &str| -> Vec<usize> {
            heads_of.get(id).cloned().or_else(|| this.of.get(id).map(|&i| vec![i])).unwrap_or_default()
        };
        for x in &doc.attributes {
            let found = targets(self, &x.target);
            if found.is_empty() {
                self.warn(x.line, format!("{}: {} on {}, which was not imported; skipped", x.id, x.name, x.target));
            }
            for i in found {
                if let Err(why) = self.attribute(i, &x.name, x.value.as_deref()) {
                    self.warn(x.line, format!("{}: {why}; skipped", x.id));
                }
            }
        }
        for n in &doc.notes {
            // newsnote's own export says where a suggestion stands: it comes back a suggestion
            // (with its detector), never silently part of the coding.
            if n.ty == crate::export::brat::REVIEW {
                let found = targets(self, &n.target);
                match crate::export::Review::parse(&n.text) {
                    Some((status, by)) => {
                        for i in found {
                            self.anns[i].status = status;
                            if by.is_some() {
                                self.anns[i].suggestion = by.clone();
                            }
                        }
                    }
                    None => self.warn(
                        n.line,
                        format!("{}: a Review comment newsnote does not write ({:?}); skipped", n.id, n.text),
                    ),
                }
                continue;
            }
            if n.ty != NOTES {
                self.drop_one(format!("#{} comments", n.ty));
                continue;
            }
            let found = targets(self, &n.target);
            if found.is_empty() {
                self.warn(n.line, format!("{}: note on {}, which was not imported; skipped", n.id, n.target));
            }
            for i in found.into_iter().filter(|_| !n.text.is_empty()) {
                let note = &mut self.anns[i].note;
                *note = Some(note.take().map_or_else(|| n.text.clone(), |old| format!("{old}\n{}", n.text)));
            }
        }
        // Entity references, one per mention (its newsnote and Wikidata lines together);
        // references to other databases have no place in the registry.
        let mut refs: Vec<(usize, EntityRef)> = Vec::new();
        for n in &doc.normalizations {
            let db = n.db.to_lowercase();
            if db != REGISTRY_DB.to_lowercase() && db != WIKIDATA_DB.to_lowercase() {
                self.drop_one(format!("normalizations (N) to {}", n.db));
                continue;
            }
            let Some(&i) = self.of.get(&n.target) else {
                self.warn(n.line, format!("{}: reference on {}, which was not imported; skipped", n.id, n.target));
                continue;
            };
            if !self.cb.mentions_entity(&self.anns[i].label) {
                self.warn(
                    n.line,
                    format!("{}: {} does not mention an entity in the codebook; skipped", n.id, n.target),
                );
                continue;
            }
            let at = match refs.iter().position(|(j, _)| *j == i) {
                Some(at) => at,
                None => {
                    refs.push((
                        i,
                        EntityRef { annotation: self.anns[i].id.clone(), id: None, wikidata: None, name: None },
                    ));
                    refs.len() - 1
                }
            };
            let r = &mut refs[at].1;
            if db == WIKIDATA_DB.to_lowercase() {
                r.wikidata.get_or_insert_with(|| n.db_id.clone());
            } else {
                r.id.get_or_insert_with(|| EntityId::new(n.db_id.clone()));
            }
            if let Some(t) = n.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                r.name.get_or_insert_with(|| t.to_owned());
            }
        }
        for _ in &doc.equivalences {
            self.drop_one("equivalences (*)".into());
        }
        let dropped: Vec<String> = self.dropped.iter().map(|(what, n)| format!("{n} {what}")).collect();
        if !dropped.is_empty() {
            let path = self.path.display();
            self.warnings.push(format!("{path}: not imported (no newsnote equivalent): {}", dropped.join(", ")));
        }
        let (mut anns, merged) = merge_identical(std::mem::take(&mut self.anns));
        // A reference on a span folded into an identical one belongs to the one kept.
        for (_, mut r) in refs {
            if let Some(to) = merged.get(&r.annotation) {
                r.annotation = to.clone();
            }
            if !self.refs.iter().any(|x| x.annotation == r.annotation) {
                self.refs.push(r);
            }
        }
        anns.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        anns
    }

    /// Sets attribute `name` (an id or name of the codebook's, `Kind` for the label's asked
    /// attribute, else the one attribute of the label that has `value`) on annotation `i`.
    fn attribute(&mut self, i: usize, name: &str, value: Option<&str>) -> Result<(), String> {
        let label = self.anns[i].label.0.clone();
        let defs: Vec<&AttributeDef> = self.cb.attributes_for(&label).collect();
        let value_of = |d: &AttributeDef, v: &str| {
            d.kind
                .values()
                .iter()
                .find(|x| loose(&x.id) == loose(v) || loose(&x.name) == loose(v))
                .map(|x| x.id.clone())
        };
        let def = defs
            .iter()
            .find(|d| loose(&d.id) == loose(name) || loose(&d.name) == loose(name))
            .copied()
            .or_else(|| name.eq_ignore_ascii_case(KIND).then(|| self.cb.asked_on_tag(&label)).flatten())
            .or_else(|| {
                let v = value?;
                let with: Vec<&&AttributeDef> = defs.iter().filter(|d| value_of(d, v).is_some()).collect();
                if let [d] = with[..] { Some(*d) } else { None }
            })
            .ok_or_else(|| format!("the codebook has no attribute {name:?} for {label}"))?;
        let unknown = || format!("{:?} is not a value of {} in the codebook", value.unwrap_or(""), def.id);
        let v = value.map(str::to_owned);
        let new = match (&def.kind, v) {
            (AttrKind::One(_), Some(v)) => AttrValue::One(value_of(def, &v).ok_or_else(unknown)?),
            (AttrKind::Many(_), Some(v)) => {
                let id = value_of(def, &v).ok_or_else(unknown)?;
                let mut all = match self.anns[i].attributes.get(&def.id) {
                    Some(AttrValue::Many(old)) => old.clone(),
                    _ => vec![],
                };
                if !all.contains(&id) {
                    all.push(id);
                }
                let order: Vec<&str> = def.kind.values().iter().map(|x| x.id.as_str()).collect();
                all.sort_by_key(|x| order.iter().position(|o| o == x));
                AttrValue::Many(all)
            }
            (AttrKind::YesNo, None) => AttrValue::YesNo(true),
            (AttrKind::YesNo, Some(v)) => match loose(&v).as_str() {
                "yes" | "true" | "1" => AttrValue::YesNo(true),
                "no" | "false" | "0" => AttrValue::YesNo(false),
                _ => return Err(unknown()),
            },
            (AttrKind::Text, Some(v)) => AttrValue::Text(v),
            (AttrKind::Number, Some(v)) => AttrValue::Number(v),
            (AttrKind::Date, Some(v)) => AttrValue::Date(v),
            (AttrKind::Url, Some(v)) => AttrValue::Url(v),
            (_, None) => return Err(format!("{} needs a value", def.id)),
        };
        self.anns[i].attributes.insert(def.id.clone(), new);
        Ok(())
    }

    /// The span's fragments, checked against the text (repaired or dropped with a warning), in
    /// text order, joined across whitespace-only gaps (the line breaks brat cuts spans at).
    fn pieces(&mut self, span: &brat::Entity) -> Option<Vec<(usize, usize)>> {
        let mut frags = self.locate(span)?;
        frags.sort_unstable();
        let mut out: Vec<(usize, usize)> = vec![frags[0]];
        for (s, e) in frags.into_iter().skip(1) {
            let last = out.last_mut().expect("one at least");
            if s <= last.1 || self.slice(last.1, s).is_some_and(|gap| gap.chars().all(is_space)) {
                last.1 = last.1.max(e);
            } else {
                out.push((s, e));
            }
        }
        Some(out)
    }

    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let (s, e) = (self.index.byte_of(self.text, start)?, self.index.byte_of(self.text, end)?);
        Some(&self.text[s..e])
    }

    fn locate(&mut self, span: &brat::Entity) -> Option<Vec<(usize, usize)>> {
        let frags: Vec<(usize, usize)> = span.fragments.iter().map(|f| (f.start, f.end)).collect();
        let found: Option<Vec<&str>> = frags.iter().map(|&(s, e)| self.slice(s, e)).collect();
        let at = found.map(|f| f.join(" "));
        let Some(stated) = span.text.as_deref().filter(|t| !t.trim().is_empty()) else {
            if at.is_none() {
                self.warn(span.line, format!("{}: offsets past the end of the text; skipped", span.id));
            }
            return at.map(|_| frags);
        };
        // brat allows a comment after the text, separated by whitespace.
        let fits = |at: &str| stated.strip_prefix(at).is_some_and(|rest| rest.chars().next().is_none_or(is_space));
        if at.as_deref().is_some_and(fits) {
            return Some(frags);
        }
        let lens: Vec<usize> = frags.iter().map(|(s, e)| e - s).collect();
        let mut repaired = None;
        if lens.len() > 1 && stated.chars().count() == lens.iter().sum::<usize>() + lens.len() - 1 {
            let mut rest = stated;
            let mut found = Vec::new();
            for (&(s, _), &n) in frags.iter().zip(&lens) {
                let cut = rest.char_indices().nth(n).map_or(rest.len(), |(b, _)| b);
                found.push(self.nearest(&rest[..cut], s));
                rest = rest.get(cut + 1..).unwrap_or("");
            }
            repaired = found.into_iter().collect();
        }
        let repaired = repaired.or_else(|| self.nearest(stated, frags[0].0).map(|f| vec![f]));
        let what = format!("{}: text {stated:?} is not at {}", span.id, offsets(&frags));
        match &repaired {
            Some(f) => self.warn(span.line, format!("{what}; moved to {}", offsets(f))),
            None => self.warn(span.line, format!("{what} nor anywhere in the .txt; skipped")),
        }
        repaired
    }

    /// The occurrence of `needle` whose start is nearest code point `near`.
    fn nearest(&self, needle: &str, near: usize) -> Option<(usize, usize)> {
        let n = needle.chars().count();
        (n > 0).then_some(())?;
        let starts = self.text.match_indices(needle).map(|(b, _)| self.index.char_of(self.text, b));
        starts.min_by_key(|c| c.abs_diff(near)).map(|c| (c, c + n))
    }
}

/// Folds `dropped` into `kept`: every link, the attributes `kept` lacks, a different note.
pub(super) fn absorb(kept: &mut Annotation, dropped: &Annotation) {
    for (rel, ids) in &dropped.links {
        for id in ids {
            kept.link(rel, id.clone());
        }
    }
    for (k, v) in &dropped.attributes {
        kept.attributes.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if let Some(n) = &dropped.note
        && kept.note.as_deref() != Some(n)
    {
        kept.note = Some(kept.note.take().map_or_else(|| n.clone(), |old| format!("{old}\n{n}")));
    }
}

/// Points every link at `to[id]` instead of `id`, without repeating a target.
pub(super) fn relink(a: &mut Annotation, to: &HashMap<AnnotationId, AnnotationId>) {
    for ids in a.links.values_mut() {
        let mut seen = HashSet::new();
        *ids = ids.iter().map(|id| to.get(id).unwrap_or(id).clone()).filter(|id| seen.insert(id.clone())).collect();
    }
}

/// One annotation per identical span (the first), holding every link either had; and the id
/// each dropped one was folded into.
fn merge_identical(anns: Vec<Annotation>) -> (Vec<Annotation>, HashMap<AnnotationId, AnnotationId>) {
    let mut kept: Vec<Annotation> = Vec::with_capacity(anns.len());
    let mut to = HashMap::new();
    for a in anns {
        match kept.iter_mut().find(|k| k.same_span(&a)) {
            Some(k) => {
                absorb(k, &a);
                to.insert(a.id.clone(), k.id.clone());
            }
            None => kept.push(a),
        }
    }
    for a in &mut kept {
        relink(a, &to);
        let id = a.id.clone();
        a.links.values_mut().for_each(|ids| ids.retain(|x| *x != id));
        a.links.retain(|_, ids| !ids.is_empty());
    }
    (kept, to)
}

fn offsets(frags: &[(usize, usize)]) -> String {
    frags.iter().map(|(s, e)| format!("{s} {e}")).collect::<Vec<_>>().join(";")
}

#[cfg(test)]
#[path = "brat_tests.rs"]
mod tests;
