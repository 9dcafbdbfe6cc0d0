//! The RON annotation file: its schema, parsing with precise errors, and atomic saves.
//!
//! A person's coding lives in these files, so the rules are strict: a file that does not parse
//! or belongs to something else is reported with file:line:column and never overwritten;
//! every save goes through a temp file in the same folder, fsync and rename, so a crash
//! leaves either the old file or the new one. Annotations are written in a stable order
//! (start, end, id) so a one-tag change is a small git diff.

use super::annotation::Annotation;
use super::codebook::CodebookRef;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the file layout. Bumped only for changes an older newsnote could not read.
/// Format 2: labels are codebook ids, with fragments, attributes and links; format 1 files
/// (closed labels, `source` fields) load through `codebook::v1` and are written in the
/// current format only when they change. Format 3 adds a mention's `entity`: a format 2
/// newsnote would read such a file and drop the field on its next save, so it must refuse
/// it instead; format 2 files read as they are. Format 4 adds an editor's `reviews` of an
/// annotation, for the same reason; a file is written as format 4 only when one of its
/// annotations has a review, so coding that no editor has looked at stays readable by a
/// format 3 newsnote ([`AnnotationFile::written_format`]).
pub const FORMAT_VERSION: u32 = 4;

/// The format a file with nothing of format 4 in it is written as.
pub const PLAIN_FORMAT: u32 = 3;

/// Identifies the exact article text the offsets refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Length in code points.
    pub chars: usize,
    /// FNV-1a 64-bit hash of the UTF-8 bytes, 16 lowercase hex digits.
    pub fnv1a64: String,
}

impl Fingerprint {
    /// The hash is FNV-1a ([`content_hash`](super::fsio::content_hash)), which files on disk
    /// record and which therefore never changes.
    pub fn of(text: &str, chars: usize) -> Self {
        Self { chars, fnv1a64: format!("{:016x}", super::fsio::content_hash(text.as_bytes())) }
    }
}

/// Unit of every offset in the file; written out so no reader has to guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum OffsetUnit {
    #[default]
    CodePoint,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotationFile {
    pub format: u32,
    /// Article id: its path relative to the corpus root.
    pub article: String,
    pub fingerprint: Fingerprint,
    #[serde(default)]
    pub offset_unit: OffsetUnit,
    /// True when the article was not valid UTF-8: offsets count code points of the text as
    /// decoded with U+FFFD replacement characters, not of the raw bytes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decoded_lossily: bool,
    /// The codebook the file was last coded with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebook: Option<CodebookRef>,
    /// The extractor (and its version) that made the text from the article's file, for
    /// formats whose text is not the file itself (`"html-1"`); `None` for plain text. When
    /// it changes, so does the text and so the fingerprint: this says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// A format 1 file: the same header, annotations in the old shape.
#[derive(Deserialize)]
struct AnnotationFile1 {
    article: String,
    fingerprint: Fingerprint,
    #[serde(default)]
    offset_unit: OffsetUnit,
    #[serde(default)]
    decoded_lossily: bool,
    annotations: Vec<super::codebook::v1::Annotation1>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}:{col}: {message} (fix or move the file; newsnote will not overwrite it)")]
    Parse { path: PathBuf, line: usize, col: usize, message: String },
    #[error("{path}:{line}: {reason} (newsnote will not overwrite it)")]
    Foreign { path: PathBuf, line: usize, reason: String },
    #[error("{path}: cannot save: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path}: not valid UTF-8 (from byte {at}); newsnote will not rewrite a file it could not read exactly")]
    NotUtf8 { path: PathBuf, at: usize },
    #[error(
        "{path}: id {id} is used by more than one record (a git merge that kept both?); newsnote will not \
         overwrite it, so both copies stay: give one a new id (newsnote check shows the lines)"
    )]
    DuplicateId { path: PathBuf, id: String },
}

impl StoreError {
    /// Errors that mean the file on disk must not be written until a person fixes it, as
    /// opposed to a failure of the write itself (disk full, no permission).
    pub fn makes_read_only(&self) -> bool {
        matches!(self, Self::Parse { .. } | Self::Foreign { .. } | Self::NotUtf8 { .. } | Self::DuplicateId { .. })
    }
}

/// The RON layout of every file newsnote writes: one field per line, four-space indents,
/// strings escaped only where they must be, so each stays on one line and reads as the text
/// it holds (see [`push_readable_str`]).
pub fn to_pretty_ron<T: Serialize>(value: &T) -> String {
    let config = ron::ser::PrettyConfig::new().new_line("\n").indentor("    ").struct_names(false).escape_strings(true);
    let mut s = readable_strings(&ron::ser::to_string_pretty(value, config).expect("newsnote files always serialise"));
    s.push('\n');
    s
}

impl AnnotationFile {
    pub fn new(article: &str, fingerprint: Fingerprint, mut annotations: Vec<Annotation>) -> Self {
        annotations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Self {
            format: PLAIN_FORMAT,
            article: article.to_owned(),
            fingerprint,
            offset_unit: OffsetUnit::CodePoint,
            decoded_lossily: false,
            codebook: None,
            extraction: None,
            annotations,
        }
    }

    /// Parses `text` read from `path`, checking it is a newsnote file for `article_id`.
    pub fn parse(path: &Path, text: &str, article_id: &str) -> Result<Self, StoreError> {
        let parse_error = |e: ron::error::SpannedError| StoreError::Parse {
            path: path.into(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        };
        let line_of = |field: &str| text.lines().position(|l| l.trim_start().starts_with(field)).map_or(1, |i| i + 1);
        let declared = super::codebook::v1::declared_format(text);
        // A newer file is named as such before its fields are read: they may be anything.
        if let Some(v) = declared.filter(|&v| v > FORMAT_VERSION) {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("format:"),
                reason: format!(
                    "format {v} is newer than this newsnote understands ({FORMAT_VERSION}); upgrade newsnote"
                ),
            });
        }
        let file: AnnotationFile = if declared == Some(1) {
            let old: AnnotationFile1 = ron::from_str(text).map_err(parse_error)?;
            // In memory it is a format 2 file: written again, it is written as one.
            AnnotationFile {
                format: PLAIN_FORMAT,
                article: old.article,
                fingerprint: old.fingerprint,
                offset_unit: old.offset_unit,
                decoded_lossily: old.decoded_lossily,
                codebook: None,
                extraction: None,
                annotations: old.annotations.into_iter().map(Annotation::from).collect(),
            }
        } else {
            ron::from_str(text).map_err(parse_error)?
        };
        // The line of a top-level field (`line_of`), so the message points where to look.
        if file.format > FORMAT_VERSION {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("format:"),
                reason: format!(
                    "format {} is newer than this newsnote understands ({FORMAT_VERSION}); upgrade newsnote",
                    file.format
                ),
            });
        }
        // The same corpus opened from a parent or child folder gives other ids, so compare
        // file names only: a different name means the file belongs to another article.
        let name = |id: &str| id.rsplit('/').next().unwrap_or(id).to_owned();
        if name(&file.article) != name(article_id) {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("article:"),
                reason: format!("belongs to article {:?}, not {article_id:?}", file.article),
            });
        }
        Ok(file)
    }

    /// Reads the file for an article; `Ok(None)` when there is none yet. Anything but a regular
    /// file (a FIFO, a device, a folder) is an error, found without blocking on it.
    pub fn load(path: &Path, article_id: &str) -> Result<Option<Self>, StoreError> {
        let read = |source| StoreError::Read { path: path.into(), source };
        let Some(bytes) = super::fsio::read_regular(path).map_err(read)? else { return Ok(None) };
        let text = String::from_utf8(bytes).map_err(|_| {
            read(std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
        })?;
        Self::parse(path, &text, article_id).map(Some)
    }

    /// The first id used by more than one annotation. Edits address annotations by id, so a
    /// file with duplicates is not safe to change (a delete could hit the wrong one).
    pub fn duplicate_id(&self) -> Option<&super::annotation::AnnotationId> {
        let mut seen = std::collections::HashSet::new();
        self.annotations.iter().map(|a| &a.id).find(|id| !seen.insert(*id))
    }

    /// The file's text. The annotations, the bulk of every save, are written directly (ron's
    /// serialiser plus the readable-strings pass cost about 3 ms per 1,000 annotations, most
    /// of a save); the header, and an annotation with a re-anchoring note, go through ron. The
    /// output is exactly [`to_pretty_ron`]'s (a property test holds them equal).
    pub fn to_ron(&self) -> String {
        let header = AnnotationFile { annotations: Vec::new(), format: self.written_format(), ..self.clone_header() };
        let mut head = to_pretty_ron(&header);
        if self.annotations.is_empty() {
            return head;
        }
        let Some(at) = head.rfind("    annotations: [],\n") else { return to_pretty_ron(self) };
        let tail = head.split_off(at);
        let mut out = head;
        out.reserve(self.annotations.len() * 512);
        out.push_str("    annotations: [\n");
        for a in &self.annotations {
            write_annotation(&mut out, a);
        }
        out.push_str("    ],\n");
        out.push_str(&tail["    annotations: [],\n".len()..]);
        out
    }

    /// The oldest format that holds everything in the file: [`FORMAT_VERSION`] when an
    /// annotation has a review, else [`PLAIN_FORMAT`].
    pub fn written_format(&self) -> u32 {
        if self.annotations.iter().any(|a| !a.reviews.is_empty()) { FORMAT_VERSION } else { PLAIN_FORMAT }
    }

    fn clone_header(&self) -> AnnotationFile {
        AnnotationFile {
            format: self.format,
            article: self.article.clone(),
            fingerprint: self.fingerprint.clone(),
            offset_unit: self.offset_unit,
            decoded_lossily: self.decoded_lossily,
            codebook: self.codebook.clone(),
            extraction: self.extraction.clone(),
            annotations: Vec::new(),
        }
    }

    /// Writes atomically, without the lock or a merge. Private to the core on purpose: every
    /// writer saves through `model::save::save`; this is for tests that plant a file.
    #[cfg(test)]
    pub(crate) fn write_unmerged(&self, path: &Path) -> Result<(), StoreError> {
        super::fsio::write_atomic(path, self.to_ron().as_bytes())
            .map_err(|source| StoreError::Write { path: path.into(), source })
    }
}

/// ron 0.12 escapes strings with `char::escape_debug`, which writes every combining mark,
/// Arabic and Hebrew vowel sign and no-break space as `\u{…}` (`"cafe\u{301}"`) and every
/// apostrophe as `\'`, so a diff of Arabic or Vietnamese text cannot be read. Each string
/// literal of its output is decoded and written again by [`push_readable_str`]: printable
/// text as itself, hazards escaped. Anything else (char literals, a string with an escape
/// this does not know) is copied as ron wrote it; ron reads either form, so files from
/// before load unchanged.
fn readable_strings(ron: &str) -> String {
    let mut out = String::with_capacity(ron.len());
    let mut rest = ron;
    // memchr, not `str::find`: this runs on every save, over notes of any length.
    while let Some(at) = memchr::memchr2(b'"', b'\'', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let literal = &rest[at..];
        // Most strings are plain ASCII with nothing escaped: ron's text is already ours.
        let body = &literal.as_bytes()[1..];
        if let Some(k) = memchr::memchr3(b'"', b'\\', b'\'', body)
            && body[k] == literal.as_bytes()[0]
        {
            if body[..k].is_ascii() || literal.starts_with('\'') {
                out.push_str(&literal[..k + 2]);
            } else {
                // Nothing escaped, but a character ron writes raw may need an escape here.
                push_readable_str(&mut out, &literal[1..k + 1]);
            }
            rest = &literal[k + 2..];
            continue;
        }
        let (len, value) = decode_literal(literal);
        match value {
            Some(v) if literal.starts_with('"') => push_readable_str(&mut out, &v),
            _ => out.push_str(&literal[..len]),
        }
        rest = &literal[len..];
    }
    out.push_str(rest);
    out
}

/// One annotation as ron's pretty printer lays it out inside the file's list (eight spaces in,
/// one field per line), with strings written by [`push_readable_str`].
fn write_annotation(out: &mut String, a: &Annotation) {
    use super::annotation::AttrValue;
    use std::fmt::Write;
    // Rare shapes (an unconfirmed re-anchoring, fragments, a several-of value, a review): ron lays
    // them out. A detector's suggestion is common, and written below.
    let many = a.attributes.values().any(|v| matches!(v, AttrValue::Many(_)));
    if a.anchor.is_some() || !a.fragments.is_empty() || many || !a.reviews.is_empty() {
        for line in to_pretty_ron(a).trim_end().lines() {
            out.push_str("        ");
            out.push_str(line);
            out.push('\n');
        }
        out.pop();
        out.push_str(",\n");
        return;
    }
    let field = |out: &mut String, name: &str| {
        out.push_str("            ");
        out.push_str(name);
        out.push_str(": ");
    };
    out.push_str("        (\n");
    field(out, "id");
    push_readable_str(out, &a.id.0);
    out.push_str(",\n");
    field(out, "label");
    push_readable_str(out, a.label.as_str());
    out.push_str(",\n");
    let _ = write!(out, "            start: {},\n            end: {},\n", a.start, a.end);
    for (name, value) in [("quote", &a.quote), ("prefix", &a.prefix), ("suffix", &a.suffix)] {
        field(out, name);
        push_readable_str(out, value);
        out.push_str(",\n");
    }
    if !a.attributes.is_empty() {
        field(out, "attributes");
        out.push_str("{\n");
        for (id, value) in &a.attributes {
            out.push_str("                ");
            push_readable_str(out, id);
            out.push_str(": ");
            match value {
                AttrValue::YesNo(b) => {
                    let _ = write!(out, "YesNo({b})");
                }
                AttrValue::One(v)
                | AttrValue::Text(v)
                | AttrValue::Number(v)
                | AttrValue::Date(v)
                | AttrValue::Url(v) => {
                    out.push_str(value.variant());
                    out.push('(');
                    push_readable_str(out, v);
                    out.push(')');
                }
                AttrValue::Many(_) => unreachable!("annotations with several-of values are written by ron"),
            }
            out.push_str(",\n");
        }
        out.push_str("            },\n");
    }
    if !a.links.is_empty() {
        field(out, "links");
        out.push_str("{\n");
        for (rel, ids) in &a.links {
            out.push_str("                ");
            push_readable_str(out, rel);
            out.push_str(": [\n");
            for id in ids {
                out.push_str("                    ");
                push_readable_str(out, &id.0);
                out.push_str(",\n");
            }
            out.push_str("                ],\n");
        }
        out.push_str("            },\n");
    }
    if let Some(entity) = &a.entity {
        field(out, "entity");
        out.push_str("Some(");
        push_readable_str(out, entity.as_str());
        out.push_str("),\n");
    }
    if let Some(note) = &a.note {
        field(out, "note");
        out.push_str("Some(");
        push_readable_str(out, note);
        out.push_str("),\n");
    }
    for (name, value) in [("author", &a.author), ("created", &a.created), ("modified", &a.modified)] {
        field(out, name);
        push_readable_str(out, value);
        out.push_str(",\n");
    }
    let _ = write!(out, "            origin: {},\n            status: {},\n", a.origin.as_str(), a.status.as_str());
    // A detector's suggestion: `suggest` writes tens of them per file, so not through ron.
    if let Some(s) = &a.suggestion {
        out.push_str("            suggestion: Some((\n                detector: ");
        push_readable_str(out, &s.detector);
        let _ =
            write!(out, ",\n                version: {},\n                confidence: {},\n", s.version, s.confidence);
        for (name, value) in [("reason", &s.reason), ("category", &s.category)] {
            if !value.is_empty() {
                out.push_str("                ");
                out.push_str(name);
                out.push_str(": ");
                push_readable_str(out, value);
                out.push_str(",\n");
            }
        }
        out.push_str("            )),\n");
    }
    out.push_str("        ),\n");
}

/// The length of the literal `literal` starts with (its delimiter, `"` or `'`, included)
/// and its value, decoded from the escapes `escape_debug` writes; `None` for any other.
fn decode_literal(literal: &str) -> (usize, Option<String>) {
    let mut chars = literal.char_indices();
    let delimiter = chars.next().map_or('"', |(_, c)| c);
    let mut value = Some(String::new());
    while let Some((i, c)) = chars.next() {
        let decoded = match c {
            _ if c == delimiter => return (i + 1, value),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('n') => Some('\n'),
                Some('t') => Some('\t'),
                Some('r') => Some('\r'),
                Some('0') => Some('\0'),
                Some(e @ ('\\' | '"' | '\'')) => Some(e),
                Some('u') => {
                    let hex: String = chars.by_ref().map(|(_, h)| h).take_while(|&h| h != '}').collect();
                    hex.strip_prefix('{').and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32)
                }
                _ => None,
            },
            c => Some(c),
        };
        match (decoded, value.as_mut()) {
            (Some(d), Some(v)) => v.push(d),
            _ => value = None,
        }
    }
    // Unterminated: cannot come from ron; copy it as it is.
    (literal.len(), None)
}

/// Characters that show as nothing, or as a plain space, in an editor although the reader
/// draws them: a soft hyphen, the Hangul fillers and the Mongolian vowel separator. Written
/// as themselves they would make a file say something other than what it looks like.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{180e}')
}

/// Tag characters (U+E0000–E007F) after anything but a black flag: invisible text riding on
/// a visible character. In a flag sequence (🏴 + tags, the flag of Scotland) they are the flag.
fn hides_text(g: &str) -> bool {
    !g.starts_with('\u{1f3f4}') && g.chars().any(is_tag)
}

fn is_tag(c: char) -> bool {
    ('\u{e0000}'..='\u{e007f}').contains(&c)
}

/// Writes `s` as a RON string that keeps one line and shows in an editor what it holds:
/// `"` and `\` escaped, line breaks and tabs as `\n`, `\r`, `\t`, and every grapheme the
/// reader would draw as a placeholder (`display::shown`: controls, bidi controls, U+2028 and
/// U+2029, characters without width such as U+200B or a combining mark with no letter to sit
/// on), or that [`is_invisible`] or [`hides_text`], with its hazardous characters as `\u{…}`
/// escapes (the letter under hidden tags stays a letter). Everything else,
/// combining marks on their letters, vowel signs, ZWJ emoji, no-break and ideographic spaces
/// and apostrophes, is written as itself.
fn push_readable_str(out: &mut String, s: &str) {
    use std::fmt::Write;
    use unicode_segmentation::UnicodeSegmentation;
    out.push('"');
    let escaped = |c: char| matches!(c, '"' | '\\' | '\n' | '\r' | '\t' | '\0');
    let hazard = |c: char| !escaped(c) && (super::display::is_unsafe_char(c) || is_invisible(c) || is_tag(c));
    if !s.chars().any(|c| escaped(c) || hazard(c)) {
        out.push_str(s);
        out.push('"');
        return;
    }
    // Quotes and line breaks are escaped whatever surrounds them: only a hazardous character
    // needs the graphemes (which are most of the cost of writing a file of quotes).
    if !s.chars().any(hazard) {
        for c in s.chars() {
            push_escaped(out, c);
        }
        out.push('"');
        return;
    }
    for g in s.graphemes(true) {
        let plain = super::display::shown(g) == g && !g.chars().any(is_invisible) && !hides_text(g);
        for c in g.chars() {
            if escaped(c) || plain || !hazard(c) {
                push_escaped(out, c);
            } else {
                write!(out, "\\u{{{:x}}}", c as u32).expect("writing to a String never fails");
            }
        }
    }
    out.push('"');
}

/// `c` as it is written inside a RON string: quotes, backslashes, line breaks, tabs and NUL
/// escaped, anything else as itself.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::LabelId;
    use crate::model::units::{ByteRange, CharRange};

    fn readable(s: &str) -> String {
        let mut out = String::new();
        push_readable_str(&mut out, s);
        out
    }

    #[test]
    fn quotes_and_line_breaks_are_escaped_with_or_without_hazards_beside_them() {
        assert_eq!(readable("Он сказал: \"нет\"\n\tи ушёл"), r#""Он сказал: \"нет\"\n\tи ушёл""#);
        // A zero-width space is a hazard: written as an escape, while the quote, the combining
        // accent on its letter and the emoji sequence stay as they are.
        assert_eq!(readable("\"e\u{301}\u{200b}👍🏽\""), "\"\\\"e\u{301}\\u{200b}👍🏽\\\"\"");
        for s in ["«Да»", "a\\b", "\"\u{202e}\"", "\r\0"] {
            let back: String = ron::from_str(&readable(s)).unwrap();
            assert_eq!(back, s, "{s:?} reads back as itself");
        }
    }

    fn ann(label: LabelId, text: &str, s: usize, e: usize) -> Annotation {
        let mut a = Annotation::new_manual(
            label,
            text,
            ByteRange::new(s, e),
            CharRange::new(s, e),
            "tester",
            "2026-11-21T12:00:00Z",
        );
        a.id = crate::model::annotation::AnnotationId(format!("id{s}"));
        a
    }

    #[test]
    fn ron_round_trip_keeps_every_field_and_sorts_stably() {
        let text = "Peskov's aide said \"no\" — Reuters \\' ok";
        let mut claim = ann(LabelId::new("Claim"), text, 12, 16);
        claim.note = Some("a \"quoted\" note\nwith newline".into());
        claim.links.insert("source".into(), vec![crate::model::annotation::AnnotationId("id0".into())]);
        let anns = vec![
            claim,
            ann(LabelId::new("Boilerplate"), text, 0, 6).with_value("kind", "Copyright"),
            ann(LabelId::new("Source"), text, 0, 6),
        ];
        let file = AnnotationFile::new("a.txt", Fingerprint::of(text, text.chars().count()), anns);
        let ids: Vec<_> = file.annotations.iter().map(|a| a.id.0.as_str()).collect();
        assert_eq!(ids, ["id0", "id0", "id12"]);
        let ron = file.to_ron();
        assert!(ron.contains("label: \"Boilerplate\"") && ron.contains("\"kind\": One(\"Copyright\")"), "{ron}");
        assert!(ron.contains("quote: \"Peskov\""), "{ron}");
        assert!(ron.contains("\"'s aide") && !ron.contains("\\'s"), "apostrophes stay unescaped: {ron}");
        assert!(ron.contains("—"), "non-ASCII stays readable: {ron}");
        assert!(ron.contains(r#"note\nwith newline"#), "newlines are escaped so each field stays on one line: {ron}");
        let back = AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap();
        assert_eq!(back, file);
    }

    #[test]
    fn a_suggestion_is_written_with_its_detector_and_read_back() {
        let text = "«Мы не уйдём», — сказал Песков.";
        let by = crate::model::annotation::Suggestion {
            detector: "quotes".into(),
            version: 1,
            confidence: 60,
            reason: "«…» перед глаголом".into(),
            category: "direct".into(),
        };
        let mut a = Annotation::new_proposed(
            LabelId::new("Claim"),
            text,
            ByteRange::new(2, 22),
            CharRange::new(1, 12),
            by,
            "2026-12-01T00:00:00Z",
        );
        a.id = crate::model::annotation::AnnotationId("s1".into());
        // Without a reason and a category, with a control character in the detector's name.
        let mut bare = a.clone();
        bare.id = crate::model::annotation::AnnotationId("s2".into());
        bare.suggestion = Some(crate::model::annotation::Suggestion {
            detector: "out\u{1b}let".into(),
            reason: String::new(),
            category: String::new(),
            ..a.suggestion.clone().unwrap()
        });
        let file = AnnotationFile::new("a.txt", Fingerprint::of(text, text.chars().count()), vec![a, bare]);
        let ron = file.to_ron();
        assert!(ron.contains("detector: \"quotes\"") && ron.contains("«…» перед глаголом"), "{ron}");
        assert_eq!(ron, to_pretty_ron(&file), "the fast writer lays it out as ron does");
        assert_eq!(AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap(), file);
    }

    #[test]
    fn the_extraction_is_recorded_when_set_and_absent_from_plain_text_files() {
        let mut file = file_with("«нет»", "заметка");
        let plain = file.to_ron();
        assert!(!plain.contains("extraction"), "a plain text file's header is as before: {plain}");
        file.extraction = Some("html-1".into());
        let ron = file.to_ron();
        assert!(ron.contains("extraction: Some(\"html-1\")"), "{ron}");
        assert_eq!(AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap(), file);
        let before = AnnotationFile::parse(Path::new("a.ron"), &plain, "a.txt").unwrap();
        assert_eq!(before.extraction, None);
    }

    fn file_with(quote: &str, note: &str) -> AnnotationFile {
        let mut a = ann(LabelId::new("Claim"), "x", 0, 1);
        a.quote = quote.into();
        a.note = Some(note.into());
        AnnotationFile::new("a.txt", Fingerprint::of("x", 1), vec![a])
    }

    fn field<'r>(ron: &'r str, name: &str) -> &'r str {
        ron.lines().find_map(|l| l.trim_start().strip_prefix(name)).unwrap_or_else(|| panic!("{name} in {ron}"))
    }

    #[test]
    fn printable_text_is_written_as_itself_in_the_ron_file() {
        let quote = "cafe\u{301} — قَالَ — שָׁלוֹם — नमस्ते — Tiếng Việt — 👩\u{200d}👩\u{200d}👧 — 🇺🇦 — 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} — می\u{200c}خواهم — 10\u{a0}km\u{3000}外交部 — Putin’s it's";
        let ron = file_with(quote, "").to_ron();
        assert_eq!(field(&ron, "quote: "), format!("\"{quote}\","), "nothing escaped: {ron}");
        let back = AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap();
        assert_eq!(back.annotations[0].quote, quote);
    }

    #[test]
    fn controls_bidi_separators_and_invisible_characters_are_escaped_in_the_ron_file() {
        let note = "\u{301}lone mark, \"q\" \\ back\tslash\r\n\u{1b}[2J \u{85}\u{202e}evil\u{2066} a\u{2028}b\u{2029} zero\u{200b}width\u{feff} soft\u{ad}hyphen \u{3164} hidden a\u{e0041}\u{e0042}";
        let ron = file_with("x", note).to_ron();
        assert_eq!(
            field(&ron, "note: "),
            r#"Some("\u{301}lone mark, \"q\" \\ back\tslash\r\n\u{1b}[2J \u{85}\u{202e}evil\u{2066} a\u{2028}b\u{2029} zero\u{200b}width\u{feff} soft\u{ad}hyphen \u{3164} hidden a\u{e0041}\u{e0042}"),"#
        );
        let back = AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap();
        assert_eq!(back.annotations[0].note.as_deref(), Some(note));
        // ron writes a Hangul filler raw (it is a letter): the string has no escape at all.
        let ron = file_with("Пес\u{3164}ков", "").to_ron();
        assert_eq!(field(&ron, "quote: "), r#""Пес\u{3164}ков","#);
    }

    #[test]
    fn files_with_escaped_marks_and_apostrophes_load_unchanged_and_are_rewritten_readable() {
        let written = file_with("café", "").to_ron();
        // As newsnote wrote it before: marks, vowel signs and apostrophes escaped.
        let old =
            written.replace("quote: \"café\"", r#"quote: "cafe\u{301} \u{642}\u{64e}\u{627}\u{644}\u{64e} Russia\'s""#);
        assert_ne!(old, written);
        let back = AnnotationFile::parse(Path::new("a.ron"), &old, "a.txt").unwrap();
        assert_eq!(back.annotations[0].quote, "cafe\u{301} قَالَ Russia's");
        assert!(back.to_ron().contains("quote: \"cafe\u{301} قَالَ Russia's\","), "{}", back.to_ron());
    }

    #[test]
    fn a_format_1_file_is_written_back_in_the_current_format_and_reads_the_same() {
        let v1 = "(\n    format: 1,\n    article: \"a.txt\",\n    fingerprint: (chars: 6, fnv1a64: \"0\"),\n    annotations: [\n        (id: \"b\", label: Boilerplate(Copyright), start: 0, end: 6, quote: \"Песков\", prefix: \"\", suffix: \"\", author: \"т\", created: \"x\", modified: \"x\"),\n        (id: \"c\", label: Claim, start: 0, end: 6, quote: \"Песков\", prefix: \"\", suffix: \"\", source: Some(\"s\"), more_sources: [\"t\"], author: \"т\", created: \"x\", modified: \"x\"),\n    ],\n)";
        let old = AnnotationFile::parse(Path::new("a.ron"), v1, "a.txt").unwrap();
        assert_eq!(old.format, PLAIN_FORMAT);
        let again = old.to_ron();
        assert!(again.starts_with(&format!("(\n    format: {PLAIN_FORMAT},")), "{again}");
        assert_eq!(AnnotationFile::parse(Path::new("a.ron"), &again, "a.txt").unwrap(), old);
        assert_eq!(old.annotations[1].linked("source").len(), 2);
    }

    #[test]
    fn a_format_2_file_reads_as_it_is_and_a_mention_s_entity_is_written_in_format_3() {
        let f = AnnotationFile::new("a.txt", Fingerprint::of("Песков", 6), vec![]);
        let v2 = f.to_ron().replace(&format!("format: {PLAIN_FORMAT}"), "format: 2");
        let text = "Песков said";
        let mut a = Annotation::new_manual(
            crate::model::annotation::LabelId::new("Source"),
            text,
            crate::model::units::ByteRange::new(0, "Песков".len()),
            crate::model::units::CharRange::new(0, 6),
            "т",
            "x",
        );
        let old = AnnotationFile::parse(Path::new("a.ron"), &v2, "a.txt").unwrap();
        assert!(old.annotations.is_empty());
        a.entity = Some(crate::model::entities::EntityId::new("дмитрий-песков"));
        let with = AnnotationFile::new("a.txt", Fingerprint::of(text, 11), vec![a]);
        let written = with.to_ron();
        assert!(written.starts_with("(\n    format: 3,"), "{written}");
        assert!(written.contains("entity: Some(\"дмитрий-песков\"),"), "{written}");
        assert_eq!(written, to_pretty_ron(&with), "the direct writer writes the entity as ron does");
        assert_eq!(AnnotationFile::parse(Path::new("a.ron"), &written, "a.txt").unwrap(), with);
    }

    #[test]
    fn parse_error_names_file_line_and_column() {
        let bad = "(\n    format: 1,\n    article: \"a.txt\",\n    fingerprint: oops,\n)";
        let err = AnnotationFile::parse(Path::new("dir/a.ron"), bad, "a.txt").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("dir/a.ron:4:"), "{msg}");
        assert!(msg.contains("will not overwrite"), "{msg}");
    }

    #[test]
    fn a_file_for_another_article_or_a_newer_format_is_foreign() {
        let f = AnnotationFile::new("b.txt", Fingerprint::of("", 0), vec![]);
        let err = AnnotationFile::parse(Path::new("a.ron"), &f.to_ron(), "a.txt").unwrap_err();
        assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
        let newer = f.to_ron().replace(&format!("format: {PLAIN_FORMAT}"), "format: 99");
        let err = AnnotationFile::parse(Path::new("b.ron"), &newer, "b.txt").unwrap_err();
        assert!(err.to_string().starts_with("b.ron:2: format 99 is newer"), "{err}");
        // Same file name under another root is the same article.
        assert!(AnnotationFile::parse(Path::new("b.ron"), &f.to_ron(), "x/b.txt").is_ok());
    }

    #[test]
    fn atomic_save_creates_folders_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/tree/a.ron");
        let f = AnnotationFile::new("a.txt", Fingerprint::of("x", 1), vec![]);
        f.write_unmerged(&path).unwrap();
        f.write_unmerged(&path).unwrap();
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.ron")]);
        assert_eq!(AnnotationFile::load(&path, "a.txt").unwrap(), Some(f));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_at_the_annotation_path_is_an_error_naming_it_not_a_hang() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("статья.ron");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = AnnotationFile::load(&fifo, "статья.txt").unwrap_err().to_string();
        assert!(err.contains("статья.ron is a FIFO (named pipe), not a regular file"), "{err}");
    }

    #[test]
    fn missing_file_loads_as_none() {
        assert_eq!(AnnotationFile::load(Path::new("/nonexistent/x.ron"), "x.txt").unwrap(), None);
    }

    #[test]
    fn fingerprint_is_stable_and_sensitive() {
        assert_eq!(Fingerprint::of("", 0).fnv1a64, "cbf29ce484222325");
        assert_ne!(Fingerprint::of("a", 1), Fingerprint::of("b", 1));
        // The published FNV-1a 64 value of "a", and the file hash agrees with the fingerprint.
        assert_eq!(Fingerprint::of("a", 1).fnv1a64, "af63dc4c8601ec8c");
        let text = "Песков сказал";
        let fp = Fingerprint::of(text, text.chars().count());
        assert_eq!(fp.fnv1a64, format!("{:016x}", crate::model::fsio::content_hash(text.as_bytes())));
    }

    #[test]
    fn a_reviewed_annotation_is_written_in_format_4_and_unreviewed_coding_stays_format_3() {
        use crate::model::annotation::{LabelId, Verdict};
        let text = "Песков сказал";
        let a = Annotation::new_manual(
            LabelId::new("Source"),
            text,
            crate::model::units::ByteRange::new(0, "Песков".len()),
            crate::model::units::CharRange::new(0, 6),
            "т",
            "2026-12-01T00:00:00Z",
        );
        let plain = AnnotationFile::new("a.txt", Fingerprint::of(text, 13), vec![a.clone()]);
        assert!(plain.to_ron().starts_with("(\n    format: 3,"), "{}", plain.to_ron());
        let r = a.reviewed(Verdict::Disputed, "Редактор", "2026-12-01T01:00:00Z", Some("не источник"));
        let file = AnnotationFile::new("a.txt", Fingerprint::of(text, 13), vec![r]);
        let written = file.to_ron();
        assert!(written.starts_with("(\n    format: 4,"), "{written}");
        let back = AnnotationFile::parse(Path::new("a.ron"), &written, "a.txt").unwrap();
        assert_eq!(back.annotations, file.annotations, "the review survives the round trip");
        assert_eq!(back.annotations[0].verdict().and_then(|v| v.comment.as_deref()), Some("не источник"));
    }
}
