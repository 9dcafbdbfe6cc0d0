//! `brat` import: a brat collection folder (every `.ann` with its sibling `.txt`, searched
//! recursively) or one `.ann` file, brought in as newsnote annotations.
//!
//! # What is read
//!
//! * `T` text-bound spans whose type the [`LabelMap`] knows (newsnote's own `Source`, `Claim`,
//!   `Boilerplate`, PARC/PolNeAR `Content` → Claim, kinds by name, and `--map` entries).
//! * `A` `Kind` attributes on boilerplate spans (`A1\tKind T3 DonationAppeal`) set the kind.
//! * `R` relations named `AttributedTo` or `Attribution`, or named by a `--map NAME=source`
//!   entry, link their Claim argument to their Source argument, whatever the argument order.
//! * `E` events, as PolNeAR writes attributions
//!   (`E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1`): every Claim argument is linked to the
//!   event's Source argument. The trigger span and `Cue` spans have no newsnote label; they are
//!   dropped and counted in one warning (unless `--map` gives them a label).
//! * `#` `AnnotatorNotes` comments become notes (on an event: on the event's claims).
//!
//! Anything else (other attributes, relations and comment types, `N` normalisations, `*`
//! equivalences, spans of unknown types) is skipped with a warning: per line (`file:line`)
//! for spans of unknown types, counted per kind for the rest. A line brat itself could not
//! parse is an [`ImportError::Syntax`] with the file and line number; a missing `.txt` or a
//! file that is not UTF-8 (brat requires it) is an [`ImportError::Read`].
//!
//! # Offsets and repair
//!
//! Offsets are code points of the `.txt` as Python reads it (brat's unit), so the text is read
//! with universal newlines (CRLF and CR → LF) and a BOM kept as a character. Every span's
//! text in the `.ann` is checked against the `.txt` slice at its offsets (fragments joined by
//! one space, as brat writes them). A mismatch is repaired by taking the occurrence of the
//! stated text nearest the stated offsets (fragment by fragment when the lengths allow),
//! with a warning; text that is nowhere in the `.txt` skips the span.
//!
//! A discontinuous span (`0 5;7 12`) whose gaps are only whitespace (the line breaks brat
//! cuts its spans at, see `crate::export::brat`) becomes one span from the first start to
//! the last end, so a newsnote export round-trips. Gaps with text in them (PolNeAR's
//! `“…,” he said, “…”` contents) give one annotation per piece, each with the same links,
//! kind and note, and a warning.
//!
//! Annotations get fresh ids (unique in the document), origin `Imported`, status `Accepted`,
//! the given author, and now as created/modified. Fresh rather than derived ids because
//! `write_into` treats an id already in the RON file as a clash: re-importing the same folder
//! then reports plain duplicates instead of renaming every annotation.

use super::{ImportError, ImportedDoc, LabelMap, parse_label};
use crate::brat_format::{ATTRIBUTION, KIND, NOTES, is_space};
use crate::model::annotation::{Annotation, AnnotationId, LabelId, Origin, now_rfc3339};
use crate::model::codebook::Codebook;
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
    let annotations = doc.build(ann, author, now)?;
    let warnings = doc.warnings;
    Ok(ImportedDoc { name: Some(name), text, annotations, warnings })
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

/// One `T` line.
struct Span {
    id: String,
    ty: String,
    frags: Vec<(usize, usize)>,
    text: Option<String>,
    line: usize,
}

/// Every other line brat knows.
enum Rec {
    Attr { name: String, target: String, value: Option<String> },
    Rel { ty: String, args: [String; 2] },
    Event { trigger: String, args: Vec<String> },
    Note { ty: String, target: String, text: String },
    Ignored(&'static str),
}

/// One document being built.
struct Doc<'a> {
    path: &'a Path,
    text: &'a str,
    index: CharIndex,
    map: &'a LabelMap,
    cb: &'a Codebook,
    warnings: Vec<String>,
    /// Things dropped without a warning line of their own, counted by what they are.
    dropped: BTreeMap<String, usize>,
    anns: Vec<Annotation>,
    /// brat T id → indices into `anns` (several for a span split at text in its gaps).
    of: HashMap<String, Vec<usize>>,
}

impl<'a> Doc<'a> {
    fn new(path: &'a Path, text: &'a str, map: &'a LabelMap, cb: &'a Codebook) -> Self {
        let index = CharIndex::new(text);
        Self {
            path,
            text,
            index,
            map,
            cb,
            warnings: vec![],
            dropped: BTreeMap::new(),
            anns: vec![],
            of: HashMap::new(),
        }
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(format!("{}:{line}: {message}", self.path.display()));
    }

    fn drop_one(&mut self, what: String) {
        *self.dropped.entry(what).or_default() += 1;
    }

    fn build(&mut self, ann: &str, author: &str, now: &str) -> Result<Vec<Annotation>, ImportError> {
        let (spans, recs) = parse(self.path, ann)?;
        let (mut triggers, mut arguments, mut events) = (HashSet::new(), HashSet::new(), HashMap::new());
        for (_, id, rec) in &recs {
            if let Rec::Event { trigger, args } = rec {
                triggers.insert(trigger.as_str());
                arguments.extend(args.iter().map(String::as_str));
                events.insert(id.as_str(), args);
            }
        }
        let defined: HashSet<&str> =
            spans.iter().map(|s| s.id.as_str()).chain(recs.iter().map(|r| r.1.as_str())).collect();
        let mut used = HashSet::new();
        for span in &spans {
            let Some(target) = self.map.get(&span.ty).cloned() else {
                if triggers.contains(span.id.as_str()) {
                    self.drop_one(format!("{} event trigger spans", span.ty));
                } else if arguments.contains(span.id.as_str()) {
                    self.drop_one(format!("{} spans (event arguments)", span.ty));
                } else {
                    self.warn(span.line, format!("{}: type {:?} is not in the label map; skipped", span.id, span.ty));
                }
                continue;
            };
            for (start, end) in self.pieces(span) {
                let b = |c| self.index.byte_of(self.text, c).expect("pieces lie in the text");
                let (bytes, range) = (ByteRange::new(b(start), b(end)), CharRange::new(start, end));
                let mut a = Annotation::new_manual(target.label.clone(), self.text, bytes, range, author, now);
                target.apply(&mut a);
                while !used.insert(a.id.clone()) {
                    a.id = AnnotationId::fresh();
                }
                a.origin = Origin::Imported;
                self.of.entry(span.id.clone()).or_default().push(self.anns.len());
                self.anns.push(a);
            }
        }
        for &(line, _, ref rec) in &recs {
            let refs: Vec<&String> = match rec {
                Rec::Attr { target, .. } | Rec::Note { target, .. } => vec![target],
                Rec::Rel { args, .. } => args.iter().collect(),
                Rec::Event { trigger, args } => std::iter::once(trigger).chain(args).collect(),
                Rec::Ignored(_) => vec![],
            };
            if let Some(missing) = refs.iter().find(|r| !defined.contains(r.as_str())) {
                self.warn(line, format!("refers to {missing}, which is not defined; skipped"));
                continue;
            }
            match rec {
                Rec::Attr { name, target, value }
                    if name.eq_ignore_ascii_case(KIND) || self.cb.attribute(name).is_some() =>
                {
                    self.kind(line, target, value.as_deref())
                }
                Rec::Attr { name, .. } => self.drop_one(format!("{name} attributes")),
                Rec::Rel { ty, args: [a, b] } if is_attribution(self.map, self.cb, ty) => {
                    let (la, lb) = (self.label(a), self.label(b));
                    let content = |l: &Option<LabelId>| l.as_ref().is_some_and(|l| self.cb.is_content(l));
                    let source = |l: &Option<LabelId>| l.as_ref().is_some_and(|l| self.cb.is_source(l));
                    match (la, lb) {
                        (x, y) if content(&x) && source(&y) => self.link(line, a, b),
                        (x, y) if source(&x) && content(&y) => self.link(line, b, a),
                        (Some(_), Some(_)) => self.warn(line, format!("{ty} needs a Claim and a Source; skipped")),
                        _ => {} // an argument was skipped (and reported) already
                    }
                }
                Rec::Rel { ty, .. } => self.drop_one(format!("{ty} relations")),
                Rec::Event { args, .. } => {
                    let with = |f: &dyn Fn(&LabelId) -> bool| {
                        args.iter().filter(|a| self.label(a).is_some_and(|l| f(&l))).cloned().collect::<Vec<_>>()
                    };
                    let (claims, sources) = (with(&|l| self.cb.is_content(l)), with(&|l| self.cb.is_source(l)));
                    if sources.len() > 1 && !claims.is_empty() {
                        self.warn(line, format!("event has {} sources; claims linked to the first", sources.len()));
                    }
                    for c in sources.first().map_or(&[][..], |_| &claims[..]) {
                        self.link(line, c, &sources[0]);
                    }
                }
                Rec::Note { ty, target, text } if ty == NOTES => {
                    let targets = match events.get(target.as_str()) {
                        Some(args) => args
                            .iter()
                            .filter(|a| self.label(a).is_some_and(|l| self.cb.is_content(&l)))
                            .cloned()
                            .collect(),
                        None => vec![target.clone()],
                    };
                    if targets.iter().all(|t| self.label(t).is_none()) {
                        self.warn(line, format!("note on {target}, which was not imported; skipped"));
                    }
                    let pieces = targets.iter().flat_map(|t| self.of.get(t)).flatten().copied();
                    for i in pieces.filter(|_| !text.is_empty()).collect::<Vec<_>>() {
                        let note = &mut self.anns[i].note;
                        *note = Some(note.take().map_or_else(|| text.clone(), |n| format!("{n}\n{text}")));
                    }
                }
                Rec::Note { ty, .. } => self.drop_one(format!("#{ty} comments")),
                Rec::Ignored(what) => self.drop_one((*what).to_owned()),
            }
        }
        let dropped: Vec<String> = self.dropped.iter().map(|(what, n)| format!("{n} {what}")).collect();
        if !dropped.is_empty() {
            let path = self.path.display();
            self.warnings.push(format!("{path}: not imported (no newsnote equivalent): {}", dropped.join(", ")));
        }
        let mut anns = std::mem::take(&mut self.anns);
        anns.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(anns)
    }

    /// The label a T was imported with, if it was.
    fn label(&self, t: &str) -> Option<LabelId> {
        self.of.get(t).map(|ix| self.anns[ix[0]].label.clone())
    }

    fn kind(&mut self, line: usize, target: &str, value: Option<&str>) {
        let Some(label) = self.label(target) else { return };
        let kind = value.and_then(|v| parse_label(self.cb, &format!("{label}:{v}")));
        match kind {
            Some(k) if k.label == label => self.of[target].clone().into_iter().for_each(|i| k.apply(&mut self.anns[i])),
            _ if self.cb.asked_on_tag(label.as_str()).is_some() => {
                self.warn(line, format!("unknown {KIND} {value:?}; left as is"))
            }
            _ => self.warn(line, format!("{KIND} on {target}, a {label}, which has no such attribute; ignored")),
        }
    }

    /// Links every piece of claim `c` to (the first piece of) source `s`; a claim keeps its
    /// first source.
    fn link(&mut self, line: usize, c: &str, s: &str) {
        let source = self.anns[self.of[s][0]].id.clone();
        let Some(rel) = self.cb.source_relation().map(|r| r.id.clone()) else { return };
        for i in self.of[c].clone() {
            match self.anns[i].linked(&rel).first() {
                None => {
                    self.anns[i].link(&rel, source.clone());
                }
                Some(old) if *old == source => {}
                Some(_) => self.warn(line, format!("{c} already has a source; {s} ignored")),
            }
        }
    }

    /// The span's fragments, checked against the text (repaired or dropped with a warning), and
    /// joined across whitespace-only gaps.
    fn pieces(&mut self, span: &Span) -> Vec<(usize, usize)> {
        let Some(mut frags) = self.locate(span) else { return vec![] };
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
        if out.len() > 1 {
            let n = out.len();
            self.warn(span.line, format!("{} has text between its fragments; imported as {n} separate spans", span.id));
        }
        out
    }

    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let (s, e) = (self.index.byte_of(self.text, start)?, self.index.byte_of(self.text, end)?);
        Some(&self.text[s..e])
    }

    fn locate(&mut self, span: &Span) -> Option<Vec<(usize, usize)>> {
        let found: Option<Vec<&str>> = span.frags.iter().map(|&(s, e)| self.slice(s, e)).collect();
        let at = found.map(|f| f.join(" "));
        let Some(stated) = &span.text else {
            if at.is_none() {
                self.warn(span.line, format!("{}: offsets past the end of the text; skipped", span.id));
            }
            return at.map(|_| span.frags.clone());
        };
        // brat allows a comment after the text, separated by whitespace.
        let fits = |at: &str| stated.strip_prefix(at).is_some_and(|rest| rest.chars().next().is_none_or(is_space));
        if at.as_deref().is_some_and(fits) {
            return Some(span.frags.clone());
        }
        let lens: Vec<usize> = span.frags.iter().map(|(s, e)| e - s).collect();
        let mut repaired = None;
        if lens.len() > 1 && stated.chars().count() == lens.iter().sum::<usize>() + lens.len() - 1 {
            let mut rest = stated.as_str();
            let mut frags = Vec::new();
            for (&(s, _), &n) in span.frags.iter().zip(&lens) {
                let cut = rest.char_indices().nth(n).map_or(rest.len(), |(b, _)| b);
                frags.push(self.nearest(&rest[..cut], s));
                rest = rest.get(cut + 1..).unwrap_or("");
            }
            repaired = frags.into_iter().collect();
        }
        let repaired = repaired.or_else(|| self.nearest(stated, span.frags[0].0).map(|f| vec![f]));
        let what = format!("{}: text {stated:?} is not at {}", span.id, offsets(&span.frags));
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

fn offsets(frags: &[(usize, usize)]) -> String {
    frags.iter().map(|(s, e)| format!("{s} {e}")).collect::<Vec<_>>().join(";")
}

fn is_attribution(map: &LabelMap, cb: &Codebook, ty: &str) -> bool {
    [ATTRIBUTION, "Attribution"].iter().any(|a| a.eq_ignore_ascii_case(ty))
        || cb.source_relation().is_some_and(|r| r.id.eq_ignore_ascii_case(ty))
        || map.get(ty).is_some_and(|t| cb.is_source(&t.label))
}

/// brat's id syntax: letters (or `#` and letters), digits, then anything; or `*`.
fn valid_id(id: &str) -> bool {
    let rest = id.strip_prefix('#').unwrap_or(id);
    let letters = rest.chars().take_while(char::is_ascii_alphabetic).count();
    (letters > 0 || rest.len() < id.len()) && rest[letters..].starts_with(|c: char| c.is_ascii_digit())
}

/// Splits the `.ann` into T spans and other records (with their line numbers and ids),
/// failing on lines brat could not parse.
#[allow(clippy::type_complexity)]
fn parse(path: &Path, ann: &str) -> Result<(Vec<Span>, Vec<(usize, String, Rec)>), ImportError> {
    let (mut spans, mut recs, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (i, raw) in ann.split('\n').enumerate() {
        let (line, n) = (raw.strip_suffix('\r').unwrap_or(raw), i + 1);
        if line.trim().is_empty() {
            continue;
        }
        let err = |m: String| ImportError::Syntax { path: path.to_path_buf(), line: n, message: m };
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(err(format!("expected ID, a tab and an annotation; found {line:?}")));
        };
        if id != "*" && !valid_id(id) {
            return Err(err(format!("{id:?} is not a brat id (T1, R1, E1, A1, #1, …)")));
        }
        if id != "*" && !seen.insert(id) {
            return Err(err(format!("{id} is defined twice")));
        }
        let (data, tail) = rest.split_once('\t').map_or((rest, None), |(d, t)| (d, Some(t)));
        let words: Vec<&str> = data.split_whitespace().collect();
        let bad = || err(format!("malformed {id} line: {data:?}"));
        let rec = match id.chars().next() {
            Some('T') => {
                let (ty, offs) = data.split_once(' ').ok_or_else(bad)?;
                let frag = |f: &str| -> Option<(usize, usize)> {
                    let (s, e) = f.trim().split_once(' ')?;
                    Some((s.parse().ok()?, e.parse().ok()?))
                };
                let frags = offs.split(';').map(frag).collect::<Option<Vec<_>>>().ok_or_else(bad)?;
                if let Some((s, e)) = frags.iter().find(|(s, e)| s > e) {
                    return Err(err(format!("{id}: start {s} after end {e}")));
                }
                spans.push(Span { id: id.into(), ty: ty.into(), frags, text: tail.map(Into::into), line: n });
                continue;
            }
            Some('A' | 'M') => match words[..] {
                [name, target] | [name, target, _] => {
                    let value = words.get(2).map(|v| v.to_string());
                    Rec::Attr { name: name.into(), target: target.into(), value }
                }
                _ => return Err(bad()),
            },
            Some('R') => match words[..] {
                [ty, a, b] => match (a.split_once(':'), b.split_once(':')) {
                    (Some((ra, a)), Some((rb, b))) if ra != rb => {
                        Rec::Rel { ty: ty.into(), args: [a.into(), b.into()] }
                    }
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
            Some('E') => {
                let mut parts = words.iter().map(|w| w.split_once(':').ok_or_else(bad));
                let (_, trigger) = parts.next().ok_or_else(bad)??;
                let args = parts.map(|p| p.map(|(_, a)| a.to_string())).collect::<Result<_, _>>()?;
                Rec::Event { trigger: trigger.into(), args }
            }
            Some('#') => match words[..] {
                [ty, target] => {
                    Rec::Note { ty: ty.into(), target: target.into(), text: tail.unwrap_or("").trim().into() }
                }
                _ => return Err(bad()),
            },
            Some('N') => Rec::Ignored("normalizations (N)"),
            Some('*') => Rec::Ignored("equivalences (*)"),
            _ => return Err(err(format!("{id}: unknown annotation kind"))),
        };
        recs.push((n, id.to_owned(), rec));
    }
    Ok((spans, recs))
}

#[cfg(test)]
#[path = "brat_tests.rs"]
mod tests;
