//! Reading a codebook file and refusing one that cannot work, with the place to fix.
//!
//! A codebook is checked whole before anything uses it: two labels with one key would make a
//! key tag at random, a relation to a label that does not exist could never be made. Each
//! problem is reported as `FILE:LINE: what is wrong (what to do)`, the line being where the
//! offending id or key is written.

use super::{AttrKind, Codebook};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The codebook's file name at the root of a corpus.
pub const FILE_NAME: &str = "codebook.ron";

#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("{path}: cannot read the codebook: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}:{col}: {message} (fix the codebook; `newsnote codebook` prints the default to start from)")]
    Parse { path: PathBuf, line: usize, col: usize, message: String },
    #[error("{path}:{line}: {message}")]
    Invalid { path: PathBuf, line: usize, message: String },
}

/// The codebook for a corpus: `flag` (`--codebook FILE`) if given, else `codebook.ron` in
/// `root` or, failing that, in `annotations` (a coder's own folder), else the default.
pub fn find_for(flag: Option<&Path>, root: &Path, annotations: Option<&Path>) -> Result<Codebook, CodebookError> {
    if let Some(path) = flag {
        return load_file(path);
    }
    for dir in std::iter::once(root).chain(annotations) {
        let path = dir.join(FILE_NAME);
        if path.is_file() {
            return load_file(&path);
        }
    }
    Ok(Codebook::default_scheme().clone())
}

/// Reads and checks one codebook file.
pub fn load_file(path: &Path) -> Result<Codebook, CodebookError> {
    let read = |source| CodebookError::Read { path: path.into(), source };
    let bytes = super::super::fsio::read_regular(path)
        .map_err(read)?
        .ok_or_else(|| read(std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| read(std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-8")))?;
    parse(path, &text)
}

/// Parses and checks codebook text read from `path` (named in errors).
pub fn parse(path: &Path, text: &str) -> Result<Codebook, CodebookError> {
    let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let book: Codebook = options.from_str(text).map_err(|e| CodebookError::Parse {
        path: path.into(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    })?;
    check(path, text, &book)?;
    Ok(book.indexed())
}

/// The first problem that makes the codebook unusable.
fn check(path: &Path, text: &str, b: &Codebook) -> Result<(), CodebookError> {
    // The line where `needle` (an id or key as written, quoted) first appears after `from`.
    let line_of = |needle: &str| {
        let quoted = format!("\"{needle}\"");
        text.lines().position(|l| l.contains(&quoted)).map_or(1, |i| i + 1)
    };
    let bad = |needle: &str, message: String| {
        Err(CodebookError::Invalid { path: path.into(), line: line_of(needle), message })
    };
    // The line of `needle` at or after the line where `id` is defined: a repeated key is
    // reported where it repeats, not where it was first used.
    let line_after = |id: &str, needle: &str| {
        let from = line_of(id) - 1;
        let quoted = format!("\"{needle}\"");
        text.lines().skip(from).position(|l| l.contains(&quoted)).map_or(from + 1, |i| from + i + 1)
    };
    let bad_at = |line: usize, message: String| Err(CodebookError::Invalid { path: path.into(), line, message });
    if b.name.trim().is_empty() || b.version.trim().is_empty() {
        return Err(CodebookError::Invalid {
            path: path.into(),
            line: 1,
            message: "a codebook needs a name and a version (annotation files record both)".into(),
        });
    }
    if b.labels.is_empty() {
        return bad("labels", "a codebook needs at least one label".into());
    }
    let one_char = |k: &str| k.chars().count() == 1 && !k.chars().any(char::is_whitespace);
    let mut ids = HashSet::new();
    let mut keys = HashSet::new();
    for l in &b.labels {
        if !valid_id(&l.id) {
            return bad(&l.id, format!("label id {:?}: use letters, digits, '_' or '-' (files store it)", l.id));
        }
        if !ids.insert(l.id.as_str()) {
            return bad(&l.id, format!("two labels have the id {:?}; ids must be unique", l.id));
        }
        if !one_char(&l.key) {
            return bad_at(
                line_after(&l.id, &l.key),
                format!("label {:?}: key {:?} must be one character", l.id, l.key),
            );
        }
        if !keys.insert(l.key.as_str()) {
            return bad_at(
                line_after(&l.id, &l.key),
                format!("label {:?}: key {:?} is already another label's; give each label its own", l.id, l.key),
            );
        }
    }
    let mut letters = HashSet::new();
    for l in b.labels.iter().filter(|l| l.letter.is_some()) {
        let letter = l.letter.as_deref().unwrap_or_default();
        if letter.chars().count() != 1 || !letters.insert(letter) {
            return bad_at(
                line_after(&l.id, letter),
                format!("label {:?}: letter {letter:?} must be one character, not another label's", l.id),
            );
        }
    }
    let label_ids = ids;
    // What every attribute needs, of a mention or of an entity: values with their own keys.
    let check_kind = |a: &super::AttributeDef| -> Result<(), CodebookError> {
        if let AttrKind::One(values) | AttrKind::Many(values) = &a.kind {
            if values.is_empty() {
                return bad(&a.id, format!("attribute {:?} has no values to choose from", a.id));
            }
            let (mut vids, mut vkeys) = (HashSet::new(), HashSet::new());
            for v in values {
                if v.id.trim().is_empty() || !vids.insert(v.id.as_str()) {
                    return bad(&v.id, format!("attribute {:?}: value id {:?} is empty or used twice", a.id, v.id));
                }
                if !one_char(&v.key) || !vkeys.insert(v.key.as_str()) {
                    return bad_at(
                        line_after(&a.id, &v.id),
                        format!("attribute {:?}: value {:?} needs its own one-character key", a.id, v.id),
                    );
                }
            }
        }
        if let Some(k) = &a.key
            && !one_char(k)
        {
            return bad(k, format!("attribute {:?}: key {k:?} must be one character", a.id));
        }
        Ok(())
    };
    let mut attr_ids = HashSet::new();
    for a in &b.attributes {
        if !valid_id(&a.id) || !attr_ids.insert(a.id.as_str()) {
            return bad(&a.id, format!("attribute id {:?} is empty, has spaces or is used twice", a.id));
        }
        if a.labels.is_empty() {
            return bad(&a.id, format!("attribute {:?} applies to no label; list its labels", a.id));
        }
        if let Some(l) = a.labels.iter().find(|l| !label_ids.contains(l.as_str())) {
            return bad(
                &a.id,
                format!("attribute {:?} applies to label {l:?}, which the codebook does not define", a.id),
            );
        }
        check_kind(a)?;
    }
    if let Some(e) = &b.entities {
        if e.mentions.is_empty() {
            return bad("mentions", "entities: list the labels whose spans mention an entity (`mentions`)".into());
        }
        if let Some(l) = e.mentions.iter().find(|l| !label_ids.contains(l.as_str())) {
            return bad(l, format!("entities: mention label {l:?} is not in the codebook"));
        }
        let file = std::path::Path::new(&e.file);
        let plain = file.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain || e.file.is_empty() || !e.file.ends_with(".ron") {
            return bad(
                &e.file,
                format!("entities: file {:?} must be a .ron path inside the corpus (like \"sources.ron\")", e.file),
            );
        }
        let (mut eids, mut ekeys) = (HashSet::new(), HashSet::new());
        for a in &e.attributes {
            if !valid_id(&a.id) || !eids.insert(a.id.as_str()) {
                return bad(&a.id, format!("entity attribute id {:?} is empty, has spaces or is used twice", a.id));
            }
            if let Some(k) = &a.key
                && !ekeys.insert(k.as_str())
            {
                return bad(k, format!("entity attribute {:?}: key {k:?} is another attribute's", a.id));
            }
            check_kind(a)?;
        }
    }
    let mut rel_ids = HashSet::new();
    for r in &b.relations {
        if !valid_id(&r.id) || !rel_ids.insert(r.id.as_str()) {
            return bad(&r.id, format!("relation id {:?} is empty, has spaces or is used twice", r.id));
        }
        for l in r.from.iter().chain(&r.to) {
            if !label_ids.contains(l.as_str()) {
                return bad(
                    &r.id,
                    format!("relation {:?} names label {l:?}, which the codebook does not define", r.id),
                );
            }
        }
        if r.from.is_empty() || r.to.is_empty() {
            return bad(&r.id, format!("relation {:?} needs `from` and `to` labels", r.id));
        }
    }
    if let Some(at) = &b.attribution {
        if !label_ids.contains(at.content.as_str()) {
            return bad(&at.content, format!("attribution: content label {:?} is not in the codebook", at.content));
        }
        for rel in std::iter::once(&at.source).chain(&at.cue) {
            match b.relations.iter().find(|r| &r.id == rel) {
                None => return bad(rel, format!("attribution: relation {rel:?} is not in the codebook")),
                Some(r) if !r.from.contains(&at.content) => {
                    return bad(rel, format!("attribution: relation {rel:?} does not start at {:?}", at.content));
                }
                Some(_) => {}
            }
        }
    }
    if let Some(sg) = &b.suggestions {
        for (what, map) in [("boilerplate", &sg.boilerplate), ("quotes", &sg.quotes)] {
            let Some(map) = map else { continue };
            if !label_ids.contains(map.label.as_str()) {
                return bad(&map.label, format!("suggestions: {what}: label {:?} is not in the codebook", map.label));
            }
            if what == "quotes" && b.attribution.as_ref().is_none_or(|a| a.content != map.label) {
                return bad(
                    &map.label,
                    format!(
                        "suggestions: quotes: label {:?} must be the attribution's content label, so that sources and cues link to it",
                        map.label
                    ),
                );
            }
            let Some(attr) = &map.attribute else { continue };
            let Some(def) = b.attributes.iter().find(|a| &a.id == attr) else {
                return bad(attr, format!("suggestions: {what}: attribute {attr:?} is not in the codebook"));
            };
            if !def.labels.contains(&map.label) {
                return bad(attr, format!("suggestions: {what}: attribute {attr:?} does not apply to {:?}", map.label));
            }
            for v in map.values.values().chain(&map.otherwise) {
                if !def.kind.values().iter().any(|d| &d.id == v) {
                    return bad(v, format!("suggestions: {what}: {v:?} is not a value of attribute {attr:?}"));
                }
            }
        }
    }
    Ok(())
}

/// Ids go into files, CSV headers, brat type names and XML: letters, digits, `_` and `-`.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}
