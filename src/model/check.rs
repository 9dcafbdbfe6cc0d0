//! Validation of annotation files against their articles, for `newsnote check`.
//!
//! Lives in the core so the CLI, exports and (later) the TUI judge a file the same way. Every
//! problem carries the RON file and, where one exists, the line (and column) to look at, so a
//! person can open the file and fix it: parse errors from ron's own position, annotation-level
//! problems at the line of that annotation's `id:`.

use super::annotation::{AnchorNote, Annotation, LabelId};
use super::codebook::Codebook;
use super::corpus::Entry;
use super::document::reanchored;
use super::store::{AnnotationFile, Fingerprint, StoreError};
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong with the file.
    Warning,
    /// The file or an annotation cannot be trusted as it is.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    /// A stable short name, for scripts: `parse`, `foreign`, `unreadable-article`,
    /// `offsets-out-of-range`, `quote-mismatch` (for any piece of an annotation),
    /// `pieces-out-of-order`, `missing-link`, `link-to-rejected` (a warning: a link to a
    /// rejected suggestion, which nothing shows or exports), `link-wrong-label` (a link
    /// to an annotation the relation does not allow), `too-many-links`, `link-shared` (a
    /// target the codebook gives to one annotation only, linked from several),
    /// `not-in-codebook`, `missing-attribute` and `missing-link-required` (warnings: the
    /// codebook in effect lacks a label, attribute, value or relation the file uses, or a
    /// required one is not coded), `duplicate-id`, `duplicate-span` (a warning: two
    /// annotations with the same label and span), `article-changed`, for re-anchoring `moved`,
    /// `changed`, `uncertain`, `orphaned`, and `unresolved-conflicts`, `unreadable-conflicts`,
    /// `unreadable` (also a FIFO or other non-regular file), `read-only` (a warning: newsnote
    /// will not change the file).
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {sev}[{}]: {}", self.code, self.message)
    }
}

/// The 1-based line of the `nth` (1-based) `id: "<id>"` in the RON text, to point at an
/// annotation (duplicates point at their own copy).
fn line_of(ron: &str, a: &Annotation, nth: usize) -> Option<usize> {
    let needle = format!("id: \"{}\"", a.id);
    ron.lines().enumerate().filter(|(_, l)| l.contains(&needle)).nth(nth.saturating_sub(1)).map(|(i, _)| i + 1)
}

/// Checks one article's annotation file and its unresolved conflicts. A missing file is not a
/// problem.
pub fn check_entry(entry: &Entry, codebook: &Codebook) -> Vec<Problem> {
    let mut v = check_file(entry, codebook);
    v.extend(conflict_problems(entry));
    v
}

/// Unresolved conflicts with another writer, kept in the sidecar until a person chooses: each
/// is reported (nothing is lost, but someone must decide), or the sidecar if it is unreadable.
fn conflict_problems(entry: &Entry) -> Vec<Problem> {
    let file = super::save::conflicts_path(&entry.ron_path);
    let problem = |code, message| Problem {
        file: file.clone(),
        line: None,
        column: None,
        severity: Severity::Error,
        code,
        message,
    };
    match super::save::load_conflicts(&entry.ron_path) {
        Ok(c) if c.is_empty() => vec![],
        Ok(c) => vec![problem(
            "unresolved-conflicts",
            format!(
                "{} unresolved conflict(s) with another writer ({}); open {} in newsnote and press ! to choose",
                c.len(),
                c.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(", "),
                entry.id
            ),
        )],
        Err(e) => vec![problem("unreadable-conflicts", e.to_string())],
    }
}

fn check_file(entry: &Entry, codebook: &Codebook) -> Vec<Problem> {
    let file = entry.ron_path.clone();
    let problem = |line, column, severity, code, message: String| Problem {
        file: file.clone(),
        line,
        column,
        severity,
        code,
        message,
    };
    // A FIFO or device here is refused without blocking, so `check` never hangs on one.
    let ron = match super::fsio::read_regular(&entry.ron_path).and_then(|b| {
        b.map(String::from_utf8)
            .transpose()
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
    }) {
        Ok(Some(t)) => t,
        Ok(None) => return vec![],
        Err(e) => return vec![problem(None, None, Severity::Error, "unreadable", format!("cannot read: {e}"))],
    };
    let parsed = match AnnotationFile::parse(&entry.ron_path, &ron, &entry.id) {
        Ok(f) => f,
        Err(StoreError::Parse { line, col, message, .. }) => {
            return vec![problem(
                Some(line),
                Some(col),
                Severity::Error,
                "parse",
                format!("{message} (fix the file by hand; newsnote will not overwrite it)"),
            )];
        }
        Err(StoreError::Foreign { line, reason, .. }) => {
            return vec![problem(
                Some(line),
                None,
                Severity::Error,
                "foreign",
                format!("{reason} (newsnote will not overwrite it)"),
            )];
        }
        Err(e) => return vec![problem(None, None, Severity::Error, "unreadable", e.to_string())],
    };
    let article = match super::load::load(entry) {
        Ok(a) => a,
        Err(e) => return vec![problem(None, None, Severity::Error, "unreadable-article", e.to_string())],
    };
    let mut out = Vec::new();
    if let Some(why) = super::fsio::read_only_reason(&entry.ron_path) {
        // The file's own name already leads the line.
        let why = why.strip_prefix(&format!("{} ", entry.ron_path.display())).unwrap_or(&why).to_owned();
        out.push(problem(None, None, Severity::Warning, "read-only", why));
    }
    let chars = article.index.total_chars();
    let changed = parsed.fingerprint != Fingerprint::of(&article.text, chars);
    if changed {
        let line = ron.lines().position(|l| l.contains("fingerprint:")).map(|i| i + 1);
        // A rejected suggestion is memory, not coding: where it went needs nobody's look.
        let live: Vec<Annotation> = parsed.annotations.iter().filter(|a| !a.is_rejected()).cloned().collect();
        let (anns, tally) = reanchored(&article, live.clone());
        out.push(problem(
            line,
            None,
            Severity::Warning,
            "article-changed",
            format!(
                "{} changed since it was annotated: {tally}; `newsnote check --fix` applies the confident re-anchors",
                entry.id
            ),
        ));
        for (old, a) in live.iter().zip(&anns) {
            if let Some(note) = a.anchor.as_ref().filter(|_| a != old) {
                out.push(anchor_problem(
                    problem(line_of(&ron, old, 1), None, Severity::Warning, "moved", String::new()),
                    a,
                    note,
                ));
            }
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // The first annotation of each label and span, to name it when another repeats it.
    // The value of the attribute asked on tagging is part of what an annotation is (a copyright
    // footer and a navigation bar on one span are two annotations, as two labels were).
    type Key<'a> = (&'a LabelId, Option<&'a super::annotation::AttrValue>, Vec<(usize, usize)>);
    let mut spans: HashMap<Key, (&Annotation, Option<usize>)> = HashMap::new();
    // Which annotation links to each target of a relation a target may have only once.
    let mut owner: HashMap<(&str, &super::annotation::AnnotationId), &Annotation> = HashMap::new();
    for a in &parsed.annotations {
        *seen.entry(a.id.0.as_str()).or_default() += 1;
        let line = line_of(&ron, a, seen[a.id.0.as_str()]);
        if seen[a.id.0.as_str()] == 2 {
            out.push(problem(
                line,
                None,
                Severity::Error,
                "duplicate-id",
                format!("id {} is used more than once", a.id),
            ));
        }
        // A rejected suggestion is kept only so that no detector proposes it again: it is not
        // coding, so nothing below (offsets, codebook, links, duplicates) applies to it. Its
        // id still counts above, since a duplicate id makes the file unsafe to write.
        if a.is_rejected() {
            continue;
        }
        // Not an error (nothing is lost or wrong in the file), but a re-run tagging script
        // doubles every count, so both are named for a person to delete one.
        let pieces: Vec<(usize, usize)> = a.pieces().map(|(r, _)| (r.start, r.end)).collect();
        let asked = codebook.asked_on_tag(a.label.as_str()).and_then(|d| a.attributes.get(&d.id));
        match spans.get(&(&a.label, asked, pieces.clone())) {
            Some((first, first_line)) => {
                let at = first_line.map_or_else(String::new, |l| format!(" (line {l})"));
                out.push(problem(
                    line,
                    None,
                    Severity::Warning,
                    "duplicate-span",
                    format!(
                        "{} is identical to {}{at}: the same label ({}) and span ({}..{}); delete one",
                        a.id, first.id, a.label, a.start, a.end
                    ),
                ));
            }
            None => {
                spans.insert((&a.label, asked, pieces), (a, line));
            }
        }
        if let Some(note) = a.anchor.as_ref().filter(|_| !changed) {
            out.push(anchor_problem(problem(line, None, Severity::Warning, "moved", String::new()), a, note));
            if matches!(note, AnchorNote::Orphaned | AnchorNote::Uncertain { .. }) {
                continue; // offsets and quote are the old ones, kept for a person to decide
            }
        }
        if changed {
            // Offsets refer to the old text; the re-anchoring above says where they went.
        } else {
            // Every piece is checked, each named by its place when there are several.
            let n = a.fragments.len() + 1;
            for (k, (span, quote)) in a.pieces().enumerate() {
                let which = if n > 1 { format!(" (piece {} of {n})", k + 1) } else { String::new() };
                if span.start > span.end || span.end > chars {
                    // Either way newsnote keeps the annotation untouched and does not show it.
                    let why = if span.start > span.end {
                        format!("starts after it ends ({}..{})", span.start, span.end)
                    } else {
                        format!("{}..{} is outside the article ({chars} code points)", span.start, span.end)
                    };
                    out.push(problem(
                        line,
                        None,
                        Severity::Error,
                        "offsets-out-of-range",
                        format!("{}{which} {why}; it is kept as it is but not shown", a.id),
                    ));
                    continue;
                }
                let actual = article.index.to_bytes(&article.text, span).map(|r| &article.text[r.as_range()]);
                if actual != Some(quote) {
                    out.push(problem(
                        line,
                        None,
                        Severity::Error,
                        "quote-mismatch",
                        format!(
                            "{}{which} quotes {:?} but the text at {}..{} is {:?}",
                            a.id,
                            quote,
                            span.start,
                            span.end,
                            actual.unwrap_or("")
                        ),
                    ));
                }
            }
            // Pieces are kept in text order, apart: anything else was written by hand or by
            // another tool, and every export would cut the quote wrongly.
            let spans: Vec<_> = a.pieces().map(|(r, _)| r).collect();
            if let Some(w) = spans.windows(2).find(|w| w[1].start < w[0].end) {
                out.push(problem(
                    line,
                    None,
                    Severity::Error,
                    "pieces-out-of-order",
                    format!(
                        "{}: its piece {}..{} does not come after {}..{}; pieces must be in text order and not overlap",
                        a.id, w[1].start, w[1].end, w[0].start, w[0].end
                    ),
                ));
            }
        }
        for misfit in codebook.misfits(a) {
            out.push(problem(
                line,
                None,
                Severity::Warning,
                "not-in-codebook",
                format!("{}: {misfit}; kept as it is", a.id),
            ));
        }
        for def in codebook.attributes_for(a.label.as_str()).filter(|d| d.required && !a.attributes.contains_key(&d.id))
        {
            out.push(problem(
                line,
                None,
                Severity::Warning,
                "missing-attribute",
                format!("{} {} has no {} (the codebook requires one)", a.id, codebook.describe(a), def.name),
            ));
        }
        for rel in codebook.relations_from(a.label.as_str()).filter(|r| r.required && a.linked(&r.id).is_empty()) {
            out.push(problem(
                line,
                None,
                Severity::Warning,
                "missing-link-required",
                format!("{} {} has no {} (the codebook requires one)", a.id, codebook.describe(a), rel.name),
            ));
        }
        for (rel, targets) in &a.links {
            let def = codebook.relation(rel);
            if let Some(d) = def.filter(|d| !d.many && targets.len() > 1) {
                out.push(problem(
                    line,
                    None,
                    Severity::Error,
                    "too-many-links",
                    format!("{} has {} {} links; the codebook allows one", a.id, targets.len(), d.name),
                ));
            }
            for t in targets {
                match parsed.annotations.iter().find(|s| &s.id == t) {
                    None => out.push(problem(
                        line,
                        None,
                        Severity::Error,
                        "missing-link",
                        format!("{} links ({rel}) to {t}, which does not exist", a.id),
                    )),
                    Some(s) if s.is_rejected() => out.push(problem(
                        line,
                        None,
                        Severity::Warning,
                        "link-to-rejected",
                        format!(
                            "{} links ({rel}) to {t}, a rejected suggestion; the link is not shown or exported",
                            a.id
                        ),
                    )),
                    Some(s) if def.is_some_and(|d| !d.to.iter().any(|l| l == s.label.as_str())) => out.push(problem(
                        line,
                        None,
                        Severity::Error,
                        "link-wrong-label",
                        format!(
                            "{} links ({rel}) to {t}, a {}; the codebook's {rel} links to {}",
                            a.id,
                            codebook.label_name(&s.label),
                            def.map(|d| d.to.join(" or ")).unwrap_or_default()
                        ),
                    )),
                    Some(_) => {}
                }
                if def.is_some_and(|d| !d.shared) {
                    match owner.get(&(rel.as_str(), t)) {
                        Some(first) if first.id != a.id => out.push(problem(
                            line,
                            None,
                            Severity::Error,
                            "link-shared",
                            format!("{t} is the {rel} of both {} and {}; the codebook gives it to one", first.id, a.id),
                        )),
                        _ => {
                            owner.insert((rel.as_str(), t), a);
                        }
                    }
                }
            }
        }
    }
    out
}

/// A re-anchoring note as a problem: moved and changed need a look; orphaned and uncertain
/// are errors, since neither annotation is on its text until a person places it.
fn anchor_problem(mut p: Problem, a: &Annotation, note: &AnchorNote) -> Problem {
    let (sev, code) = match note {
        AnchorNote::Moved { .. } => (Severity::Warning, "moved"),
        AnchorNote::Changed { .. } => (Severity::Warning, "changed"),
        AnchorNote::Uncertain { .. } => (Severity::Error, "uncertain"),
        AnchorNote::Orphaned => (Severity::Error, "orphaned"),
    };
    p.severity = sev;
    p.code = code;
    p.message = format!("{} {} {:?}: {}; confirm it in newsnote (!)", a.id, a.label, a.quote, note.describe());
    p
}

/// Applies the confident re-anchors of one article's file: moved annotations and changed
/// ones at or above `min_confidence` percent take their new place without a flag; the others
/// (uncertain and orphaned ones at their old offsets) keep their flag for a person. Writes the file (with the new fingerprint) when the article
/// changed. Returns how many were fixed.
pub fn fix_entry(entry: &Entry, min_confidence: u8) -> Result<usize, String> {
    let bytes = match super::fsio::read_regular(&entry.ron_path) {
        Ok(Some(b)) => b,
        Ok(None) => return Ok(0),
        Err(e) => return Err(e.to_string()),
    };
    let text = String::from_utf8_lossy(&bytes);
    let file = AnnotationFile::parse(&entry.ron_path, &text, &entry.id).map_err(|e| e.to_string())?;
    let article = super::load::load(entry).map_err(|e| e.to_string())?;
    let fingerprint = Fingerprint::of(&article.text, article.index.total_chars());
    if file.fingerprint == fingerprint {
        return Ok(0);
    }
    let (mut anns, _) = reanchored(&article, file.annotations.clone());
    let mut fixed = 0;
    for a in &mut anns {
        let confident = match &a.anchor {
            Some(AnchorNote::Moved { .. }) => true,
            Some(AnchorNote::Changed { confidence, .. }) => *confidence >= min_confidence,
            _ => false,
        };
        if confident {
            a.anchor = None;
            fixed += 1;
        }
    }
    let mut out = AnnotationFile::new(&entry.id, fingerprint, anns);
    out.decoded_lossily = article.lossy;
    let hash = super::fsio::file_hash(&bytes);
    let req = super::save::SaveRequest::new(&entry.ron_path, out, file.annotations.clone(), Some(hash));
    super::save::save(req).map_err(|e| e.to_string())?;
    Ok(fixed)
}

/// The 1-based line of the `nth` (1-based) `id: "<id>"` in a RON text.
fn line_of_id(ron: &str, id: &str, nth: usize) -> Option<usize> {
    let needle = format!("id: \"{id}\"");
    ron.lines().enumerate().filter(|(_, l)| l.contains(&needle)).nth(nth.saturating_sub(1)).map(|(i, _)| i + 1)
}

/// Problems of a corpus's entity registry (the file at `path`) and of the mentions that name
/// its entities: the file itself (parse errors with line and column, another kind of file,
/// duplicate ids, unresolved conflicts), merges that lead nowhere or in a circle, values the
/// codebook does not have, mentions naming an entity the registry lacks (`entity-missing`),
/// live entities no mention uses (`entity-unused`, a warning) and, once a corpus has a
/// registry file, mentions that name no entity yet (`mention-unlinked`, a warning per
/// article). Reads annotation files only; their own problems are [`check_entry`]'s.
pub fn check_entities(path: &std::path::Path, corpus: &super::corpus::Corpus, codebook: &Codebook) -> Vec<Problem> {
    use super::entities::{EntityId, Registry};
    let problem = |file: &std::path::Path, line, column, severity, code, message: String| Problem {
        file: file.to_owned(),
        line,
        column,
        severity,
        code,
        message,
    };
    let text = match super::fsio::read_regular(path) {
        Ok(b) => b.map(|b| String::from_utf8_lossy(&b).into_owned()),
        Err(e) => return vec![problem(path, None, None, Severity::Error, "unreadable", format!("cannot read: {e}"))],
    };
    let keep = "(fix the file by hand; newsnote will not overwrite it)";
    let registry = match Registry::open(path) {
        Ok(r) => r,
        Err(StoreError::Parse { line, col, message, .. }) => {
            return vec![problem(path, Some(line), Some(col), Severity::Error, "parse", format!("{message} {keep}"))];
        }
        Err(StoreError::Foreign { line, reason, .. }) => {
            return vec![problem(path, Some(line), None, Severity::Error, "foreign", format!("{reason} {keep}"))];
        }
        Err(StoreError::DuplicateId { id, .. }) => {
            let line = text.as_deref().and_then(|t| line_of_id(t, &id, 2));
            return vec![problem(
                path,
                line,
                None,
                Severity::Error,
                "duplicate-id",
                format!("entity id {id:?} is used twice; give one of them another id or merge them by hand {keep}"),
            )];
        }
        Err(e) => return vec![problem(path, None, None, Severity::Error, "unreadable", e.to_string())],
    };
    let text = text.unwrap_or_default();
    let line = |id: &EntityId| line_of_id(&text, id.as_str(), 1);
    let mut out = Vec::new();
    if !registry.pending.is_empty() {
        let side = super::save::conflicts_path(path);
        let ids: Vec<String> = registry.pending.iter().map(|c| c.id.to_string()).collect();
        out.push(problem(
            &side,
            None,
            None,
            Severity::Error,
            "unresolved-conflicts",
            format!("{} unresolved conflict(s) with another writer on entities ({})", ids.len(), ids.join(", ")),
        ));
    }
    for e in registry.all() {
        if let Some(to) = &e.merged_into {
            // Walk the chain: it must end at a live entity without coming back.
            let mut seen = vec![&e.id];
            let mut at = to;
            loop {
                match registry.get(at) {
                    None => {
                        out.push(problem(
                            path,
                            line(&e.id),
                            None,
                            Severity::Error,
                            "merged-into-missing",
                            format!("{} is merged into {at:?}, which the registry does not have", e.id),
                        ));
                        break;
                    }
                    Some(_) if seen.contains(&at) => {
                        out.push(problem(
                            path,
                            line(&e.id),
                            None,
                            Severity::Error,
                            "merge-cycle",
                            format!(
                                "{} is merged in a circle ({} → {at}); set merged_into on one of them to nothing",
                                e.id,
                                seen.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" → ")
                            ),
                        ));
                        break;
                    }
                    Some(next) => match &next.merged_into {
                        Some(further) => {
                            seen.push(at);
                            at = further;
                        }
                        None => break,
                    },
                }
            }
        }
        for def in codebook.entity_attributes().iter().filter(|d| d.required && e.merged_into.is_none()) {
            if !e.attributes.contains_key(&def.id) {
                out.push(problem(
                    path,
                    line(&e.id),
                    None,
                    Severity::Warning,
                    "missing-attribute",
                    format!("{} ({}) has no {} (the codebook requires one)", e.id, e.name, def.name),
                ));
            }
        }
        for (attr, value) in &e.attributes {
            let why = match codebook.entity_attribute(attr) {
                None => Some(format!("attribute {attr:?} is not an entity attribute of codebook {:?}", codebook.name)),
                Some(def) => value.misfit(&def.kind).map(|w| format!("{}: {w}", def.name)),
            };
            if let Some(why) = why {
                out.push(problem(
                    path,
                    line(&e.id),
                    None,
                    Severity::Warning,
                    "not-in-codebook",
                    format!("{}: {why}", e.id),
                ));
            }
        }
    }
    let index = super::entities::index::MentionIndex::build(corpus, codebook);
    let ron_of: std::collections::HashMap<&str, &Entry> = corpus.entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut texts: HashMap<&str, String> = HashMap::new();
    // Annotation files copied without their registry: one problem that says so, not one
    // per mention.
    if text.is_empty() && !index.mentions.is_empty() {
        let articles: std::collections::BTreeSet<&str> = index.mentions.iter().map(|m| m.article.as_str()).collect();
        out.push(problem(
            path,
            None,
            None,
            Severity::Error,
            "entity-missing",
            format!(
                "{} mention(s) in {} article(s) name entities, but there is no registry here; copy the corpus's \
                 registry to this place or give it with --entities FILE",
                index.mentions.len(),
                articles.len()
            ),
        ));
        return out;
    }
    for m in index.mentions.iter().filter(|m| registry.get(&m.entity).is_none()) {
        let Some(entry) = ron_of.get(m.article.as_str()) else { continue };
        let ron =
            texts.entry(&entry.id).or_insert_with(|| std::fs::read_to_string(&entry.ron_path).unwrap_or_default());
        out.push(problem(
            &entry.ron_path,
            line_of_id(ron, &m.annotation.0, 1),
            None,
            Severity::Error,
            "entity-missing",
            format!(
                "{} {:?} names entity {:?}, which {} does not have; add it (newsnote entities add) or link the mention to another",
                m.annotation,
                m.quote,
                m.entity.as_str(),
                path.display()
            ),
        ));
    }
    let usage = index.usage(&registry);
    for e in registry.live().filter(|e| !usage.contains_key(&e.id)) {
        out.push(problem(
            path,
            line(&e.id),
            None,
            Severity::Warning,
            "entity-unused",
            format!("{} ({}) is named by no mention", e.id, e.name),
        ));
    }
    if !text.is_empty() {
        let mut by_article: Vec<(&str, Vec<&str>)> = Vec::new();
        for (article, id) in &index.unlinked {
            match by_article.last_mut() {
                Some((a, ids)) if a == article => ids.push(&id.0),
                _ => by_article.push((article, vec![&id.0])),
            }
        }
        for (article, ids) in by_article {
            let Some(entry) = ron_of.get(article) else { continue };
            out.push(problem(
                &entry.ron_path,
                None,
                None,
                Severity::Warning,
                "mention-unlinked",
                format!("{} mention(s) name no entity yet: {}", ids.len(), ids.join(", ")),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::corpus::{AnnotationRoot, Corpus};

    /// The default codebook, which these tests code with.
    fn cb() -> &'static crate::model::codebook::Codebook {
        crate::model::codebook::Codebook::default_scheme()
    }

    fn entry(text: &str, ron: &str) -> (tempfile::TempDir, Entry) {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), text).unwrap();
        std::fs::write(d.path().join("a.ron"), ron).unwrap();
        let e = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap().entries[0].clone();
        (d, e)
    }

    fn ron(fp: &str, anns: &str) -> String {
        format!("(format: 1, article: \"a.txt\", fingerprint: {fp}, annotations: [\n{anns}])")
    }

    const ANN: &str = "(id: \"{id}\", label: {label}, start: {s}, end: {e}, quote: \"{q}\", prefix: \"\", suffix: \"\", {extra} author: \"t\", created: \"x\", modified: \"x\"),\n";

    fn ann(id: &str, label: &str, s: usize, e: usize, q: &str, extra: &str) -> String {
        ANN.replace("{id}", id)
            .replace("{label}", label)
            .replace("{s}", &s.to_string())
            .replace("{e}", &e.to_string())
            .replace("{q}", q)
            .replace("{extra}", extra)
    }

    #[test]
    fn every_piece_of_a_fragmented_annotation_is_checked_against_the_text() {
        use crate::model::annotation::Fragment;
        use crate::model::units::{ByteRange, CharIndex};
        let text = "«Мы не сдадимся», — сказал он, — «никогда». 😀";
        let idx = CharIndex::new(text);
        let piece = |q: &str| {
            let s = text.find(q).unwrap();
            let b = ByteRange::new(s, s + q.len());
            (b, idx.to_chars(text, b))
        };
        let (b1, c1) = piece("Мы не сдадимся");
        let (b2, c2) = piece("никогда");
        let mut claim = Annotation::new_manual(LabelId::new("Claim"), text, b1, c1, "т", "2026-01-01T00:00:00Z");
        claim.fragments.push(Fragment::over(text, b2, c2));
        claim.attributes.insert("quote_type".into(), crate::model::annotation::AttrValue::One("direct".into()));
        let codes = |claim: &Annotation| {
            let d = tempfile::tempdir().unwrap();
            std::fs::write(d.path().join("a.txt"), text).unwrap();
            let fp = Fingerprint::of(text, idx.total_chars());
            AnnotationFile::new("a.txt", fp, vec![claim.clone()]).write_unmerged(&d.path().join("a.ron")).unwrap();
            let e = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap().entries[0].clone();
            let problems = check_entry(&e, cb());
            problems
                .into_iter()
                .filter(|p| p.code != "missing-link-required")
                .map(|p| (p.code, p.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&claim), vec![], "both pieces hold their quotes");
        let mut wrong = claim.clone();
        wrong.fragments[0].quote = "всегда".into();
        let found = codes(&wrong);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "quote-mismatch");
        assert!(found[0].1.contains("(piece 2 of 2) quotes \"всегда\""), "{}", found[0].1);
        let mut outside = claim.clone();
        (outside.fragments[0].start, outside.fragments[0].end) = (90, 95);
        assert_eq!(codes(&outside).iter().map(|p| p.0).collect::<Vec<_>>(), ["offsets-out-of-range"]);
        let mut swapped = claim.clone();
        swapped.fragments[0] = Fragment::over(text, b1, c1);
        (swapped.start, swapped.end, swapped.quote) = (c2.start, c2.end, "никогда".into());
        let found = codes(&swapped);
        assert_eq!(found.iter().map(|p| p.0).collect::<Vec<_>>(), ["pieces-out-of-order"], "{found:?}");
    }

    #[test]
    fn a_good_file_has_no_problems() {
        let text = "Peskov said no.";
        let fp = Fingerprint::of(text, 15);
        let f = ron(
            &format!("(chars: 15, fnv1a64: \"{}\")", fp.fnv1a64),
            &(ann("s", "Source", 0, 6, "Peskov", "") + &ann("c", "Claim", 12, 14, "no", "source: Some(\"s\"),")),
        );
        let (_d, e) = entry(text, &f);
        assert_eq!(check_entry(&e, cb()), vec![]);
    }

    #[test]
    fn each_kind_of_problem_is_reported_at_its_annotation_line() {
        let text = "Peskov said no.";
        let anns = ann("s", "Claim", 0, 6, "Peskov", "")
            + &ann("c", "Claim", 12, 14, "NO", "source: Some(\"s\"),")
            + &ann("d", "Source", 3, 99, "x", "source: Some(\"zz\"),")
            + &ann("d", "Claim", 0, 1, "P", "");
        let fp = format!("(chars: 15, fnv1a64: \"{}\")", Fingerprint::of(text, 15).fnv1a64);
        let (_d, e) = entry(text, &ron(&fp, &anns));
        let codes: Vec<(&str, Option<usize>)> = check_entry(&e, cb()).iter().map(|p| (p.code, p.line)).collect();
        assert_eq!(
            codes,
            [
                ("missing-link-required", Some(2)),
                ("quote-mismatch", Some(3)),
                ("link-wrong-label", Some(3)),
                ("offsets-out-of-range", Some(4)),
                ("not-in-codebook", Some(4)),
                ("missing-link", Some(4)),
                ("duplicate-id", Some(5)),
                ("missing-link-required", Some(5)),
            ]
        );
    }

    #[test]
    fn identical_annotations_are_a_warning_naming_both_lines() {
        let text = "Песков сказал «нет».";
        let fp = format!("(chars: 20, fnv1a64: \"{}\")", Fingerprint::of(text, 20).fnv1a64);
        let anns = ann("a1", "Source", 0, 6, "Песков", "")
            + &ann("a2", "Claim", 0, 6, "Песков", "")
            + &ann("a3", "Source", 0, 6, "Песков", "note: Some(\"again\"),")
            + &ann("b1", "Boilerplate(Copyright)", 14, 19, "«нет»", "")
            + &ann("b2", "Boilerplate(Other)", 14, 19, "«нет»", "");
        let (_d, e) = entry(text, &ron(&fp, &anns));
        let found: Vec<Problem> =
            check_entry(&e, cb()).into_iter().filter(|p| p.code != "missing-link-required").collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let p = &found[0];
        assert_eq!((p.code, p.severity, p.line), ("duplicate-span", Severity::Warning, Some(4)));
        assert!(p.message.contains("a3 is identical to a1 (line 2)"), "{}", p.message);
    }

    #[test]
    fn an_annotation_that_starts_after_it_ends_is_reported_at_its_line() {
        let text = "Песков сказал: нет.";
        let fp = format!("(chars: 19, fnv1a64: \"{}\")", Fingerprint::of(text, 19).fnv1a64);
        let anns = ann("s", "Source", 0, 6, "Песков", "") + &ann("r", "Claim", 15, 3, "нет", "source: Some(\"s\"),");
        let (_d, e) = entry(text, &ron(&fp, &anns));
        let problems = check_entry(&e, cb());
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert_eq!((p.code, p.line, p.severity), ("offsets-out-of-range", Some(3), Severity::Error));
        assert!(p.message.contains("r starts after it ends (15..3)"), "{}", p.message);
        assert!(p.to_string().contains("a.ron:3: error"), "{p}");
    }

    #[test]
    fn a_changed_article_reports_reanchoring_and_fix_applies_the_confident_ones() {
        let old = "Peskov said no. Lavrov said yes.";
        let fp = |t: &str| {
            format!("(chars: {}, fnv1a64: \"{}\")", t.chars().count(), Fingerprint::of(t, t.chars().count()).fnv1a64)
        };
        // "Lavrov" is a short quote: it moves confidently only with its context beside it.
        let lavrov = ann("l", "Source", 16, 22, "Lavrov", "")
            .replace("prefix: \"\", suffix: \"\"", "prefix: \"Peskov said no. \", suffix: \" said yes.\"");
        let anns = lavrov + &ann("g", "Claim", 28, 31, "yes", "source: Some(\"l\"),");
        let (d, e) = entry(old, &ron(&fp(old), &anns));
        assert_eq!(check_entry(&e, cb()), vec![]);
        std::fs::write(d.path().join("a.txt"), "Intro.\nPeskov said no. Lavrov said nothing.").unwrap();
        let codes: Vec<_> = check_entry(&e, cb()).iter().map(|p| (p.code, p.severity)).collect();
        assert_eq!(
            codes,
            [("article-changed", Severity::Warning), ("moved", Severity::Warning), ("orphaned", Severity::Error)]
        );
        assert_eq!(fix_entry(&e, 80), Ok(1));
        // The moved one is settled; the orphan keeps its flag and stays an error.
        let codes: Vec<_> = check_entry(&e, cb()).iter().map(|p| p.code).collect();
        assert_eq!(codes, ["orphaned"]);
        let f = AnnotationFile::load(&e.ron_path, "a.txt").unwrap().unwrap();
        assert_eq!((f.annotations[0].start, f.annotations[0].anchor.is_none()), (23, true));
        assert_eq!(f.annotations[1].anchor, Some(AnchorNote::Orphaned));
        assert_eq!(fix_entry(&e, 80), Ok(0), "nothing left to fix once the fingerprint matches");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_a_warning_that_says_what_to_do() {
        use std::os::unix::fs::PermissionsExt;
        let text = "Песков сказал нет.";
        let fp = Fingerprint::of(text, 18);
        let (_d, e) = entry(text, &ron(&format!("(chars: 18, fnv1a64: \"{}\")", fp.fnv1a64), ""));
        assert_eq!(check_entry(&e, cb()), vec![]);
        std::fs::set_permissions(&e.ron_path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let problems = check_entry(&e, cb());
        assert_eq!(
            problems.iter().map(|p| (p.code, p.severity)).collect::<Vec<_>>(),
            [("read-only", Severity::Warning)]
        );
        let shown = problems[0].to_string();
        assert!(shown.contains("a.ron: warning[read-only]: is read-only (mode 444)"), "{shown}");
        assert!(shown.contains("chmod u+w") && shown.contains("--annotations DIR"), "{shown}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_at_the_annotation_path_is_reported_not_waited_on() {
        let (d, e) = entry("Песков", "");
        std::fs::remove_file(&e.ron_path).unwrap();
        let c = std::ffi::CString::new(e.ron_path.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let problems = check_entry(&e, cb());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "unreadable");
        assert!(problems[0].message.contains("is a FIFO (named pipe)"), "{}", problems[0]);
        assert!(fix_entry(&e, 80).unwrap_err().contains("is a FIFO"));
        drop(d);
    }

    #[test]
    fn an_uncertain_reanchor_is_an_error_that_fix_leaves_flagged_at_the_old_offsets() {
        let old = "Песков сказал «нет». Потом Песков молчал.";
        let fp = |t: &str| {
            format!("(chars: {}, fnv1a64: \"{}\")", t.chars().count(), Fingerprint::of(t, t.chars().count()).fnv1a64)
        };
        let s = ann("s", "Source", 27, 33, "Песков", "")
            .replace("prefix: \"\", suffix: \"\"", "prefix: \"Песков сказал «нет». Потом \", suffix: \" молчал.\"");
        let (d, e) = entry(old, &ron(&fp(old), &s));
        assert_eq!(check_entry(&e, cb()), vec![]);
        // Its sentence is gone; the name left belongs to another sentence.
        std::fs::write(d.path().join("a.txt"), "Песков сказал «нет».").unwrap();
        let found: Vec<_> = check_entry(&e, cb()).iter().map(|p| (p.code, p.severity)).collect();
        assert_eq!(found, [("article-changed", Severity::Warning), ("uncertain", Severity::Error)]);
        assert_eq!(fix_entry(&e, 80), Ok(0));
        let f = AnnotationFile::load(&e.ron_path, "a.txt").unwrap().unwrap();
        let a = &f.annotations[0];
        assert_eq!((a.start, a.end), (27, 33), "not moved onto the other mention");
        assert_eq!(a.anchor, Some(AnchorNote::Uncertain { candidate_start: 0, candidate_end: 6, candidates: 1 }));
        let codes: Vec<_> = check_entry(&e, cb()).iter().map(|p| p.code).collect();
        assert_eq!(codes, ["uncertain"], "still for a person, and no quote mismatch on top");
    }

    #[test]
    fn a_merge_chain_that_ends_at_an_entity_is_fine_and_one_into_an_absent_entity_is_reported_at_its_line() {
        use crate::model::entities::{Entity, EntityFile, EntityId};
        let d = tempfile::tempdir().unwrap();
        let e = |id: &str, into: Option<&str>| {
            let mut e = Entity::new(EntityId::new(id), id, "т");
            e.merged_into = into.map(EntityId::new);
            e
        };
        let file = EntityFile::new(vec![e("а", Some("б")), e("б", Some("в")), e("в", None), e("г", Some("нет"))]);
        let path = d.path().join("sources.ron");
        std::fs::write(&path, file.to_ron()).unwrap();
        let corpus = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let problems = check_entities(&path, &corpus, cb());
        let codes: Vec<(&str, &str)> =
            problems.iter().map(|p| (p.code, p.message.split(' ').next().unwrap())).collect();
        assert_eq!(
            codes,
            [("missing-attribute", "в"), ("merged-into-missing", "г"), ("entity-unused", "в")],
            "{problems:#?}"
        );
        let text = file.to_ron();
        let at = problems[1].line.unwrap();
        assert_eq!(text.lines().nth(at - 1).unwrap().trim(), "id: \"г\",");
    }

    #[test]
    fn parse_errors_and_unknown_labels_carry_line_and_column() {
        let (_d, e) = entry("x", &ron("(chars: 1, fnv1a64: \"0\")", &ann("s", "Speaker", 0, 1, "x", "")));
        let p = &check_entry(&e, cb())[0];
        assert_eq!((p.code, p.line), ("parse", Some(2)));
        assert!(p.message.contains("Speaker"), "{}", p.message);
        assert!(p.to_string().contains("a.ron:2:"), "{p}");
    }
}
