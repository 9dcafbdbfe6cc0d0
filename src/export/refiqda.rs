//! `qdpx`: a REFI-QDA project exchange file, the format ATLAS.ti, MAXQDA, NVivo, QualCoder and
//! Taguette import and export, so a corpus coded in newsnote can be analysed in a QDA package.
//!
//! The module has its own small data model ([`QdaProject`] and the types it holds), independent
//! of newsnote's annotations: it says only what the exchange format can say, and an adapter
//! from the codebook and the annotation files fills it. [`write_qdpx`] writes it as the zip the
//! standard describes; [`project_xml`] gives the `project.qde` alone.
//!
//! # Layout
//! A `.qdpx` file is a zip holding `project.qde` (the XML of the project, namespace
//! `urn:QDA-XML:project:1.0`, checked against the standard's `Project.xsd` by
//! `tests/refiqda.rs` with `xmllint --schema`) and, for each text source, its plain text as
//! UTF-8 without a byte order mark in `sources/<GUID>.txt`, where GUID is the source's own.
//! The `TextSource` element names that file as `plainTextPath="internal://<GUID>.txt"`
//! (REFI-QDA 1.5, §8.3: internal files live in the `sources` folder, named by a GUID, and are
//! referred to with the `internal://` scheme; §9.1.2: plain text is a `.txt` file in UTF-8).
//! The elements come in the schema's order: `Users`, `CodeBook`, `Variables`, `Cases`, `Sources`, `Notes`, `Links`,
//! then the project's `Description`; a list with nothing in it is left out, since the schema
//! requires at least one member in each.
//!
//! # Offsets
//! `startPosition` and `endPosition` of a `PlainTextSelection` count Unicode code points of the
//! source's `.txt` file from 0, and the end is exclusive (half-open, as newsnote's own offsets).
//! Evidence: §10.2 says a text selection is "defined by the first and the last character
//! (Unicode codepoint) in the file. The first codepoint in the file has the number 0 (zero)".
//! "The last character" could be read as an inclusive end, but the standard's own project
//! example (Annex A.2) is exclusive: the selection named "Oh, that was great. See you tomorrow?
//! Eleven thirty. Mm." (56 code points) runs from 139 to 195, "granola" (7) from 62 to 69, and
//! "I did try the gluten free bread, but it was always so soggy," (60) from 215 to 275. So a
//! span is written exactly as newsnote stores it: an emoji counts one, not two UTF-16 units;
//! a letter with a combining mark counts two. The `.txt` is the text the offsets were made on
//! (newsnote's normalised article: BOM stripped, CRLF as LF), written unchanged.
//!
//! # GUIDs
//! Every GUID is derived from a key that names what it identifies ([`Guid::from_key`]; e.g. an
//! article's path and an annotation's id), never drawn at random, so the same corpus gives the
//! same file byte for byte (the zip entries carry a fixed modification time, 1980-01-01 00:00,
//! the zip format's earliest, and fixed Unix permissions). The key is hashed with FNV-1a 128
//! followed by a bijective mixing step, and written as an RFC 9562 version 8 (custom) UUID in
//! upper case, as ATLAS.ti writes them, which the schema's `GUIDType` pattern accepts. The
//! GUIDs of the elements the writer adds itself (a `Coding`) are derived from their parts' GUIDs.
//! Two elements with one GUID are refused ([`Invalid::DuplicateGuid`]) rather than written.
//! Keys should use the codebook's ids, not its display names, so renaming a label keeps its
//! code's GUID. (The ATLAS.ti export in `../shared/reference/refi-qda/atlas-sample.qdpx` shows
//! the same conventions in practice: upper-case GUIDs, codes nested in codes, no
//! `Description` where there is none.)
//!
//! # Strings and times
//! Every string is escaped for where it goes (`&`, `<`, `>`, and in attributes `"`, tab, line
//! feed and carriage return as character references, so a parser's attribute normalisation
//! cannot turn them into spaces; a carriage return in text too, so it is not read as a line
//! feed). Characters XML 1.0 does not allow at all (C0 controls but tab, line feed and carriage
//! return; U+FFFE, U+FFFF) become U+FFFD. The source `.txt` files are not XML and keep their
//! text exactly, so offsets stay right. A time that is not an `xsd:dateTime` (such as a
//! timestamp a person mistyped in a RON file) is left out, since the attribute is optional and
//! an invalid one would make the whole project invalid.
//!
//! # The mapping from newsnote ([`corpus_project`], in `refiqda/adapter.rs`)
//! Keys are built of ids, never of display names, so renaming a label keeps its code's GUID;
//! each id in a key has `%`, `:` and `/` percent-escaped, so no two keys coincide however the
//! ids are spelt.
//! - The codebook becomes the `CodeBook`: each label a codable `Code` (its name; its look's
//!   colour; its definition, examples and rules as the `Description`), key `label:<label id>`.
//!   A label the annotations use but the codebook lacks gets a code too, named as
//!   `Codebook::label_name` names it ("X (not in the codebook)"), so no annotation loses it.
//! - Each one-of or several-of attribute becomes a non-codable `Code` (a folder) under each label
//!   it applies to, key `label:<label id>/attribute:<attribute id>`, and each of its values a
//!   codable sub-code of it, key `…/value:<value id>`. Yes/no, text, number, date and URL
//!   attributes are not codes (REFI-QDA's variables belong to sources and cases, not to
//!   selections); their values go into the annotation's note text (`name: value` lines), as
//!   do values and attributes the codebook does not define for the label.
//! - Each article becomes a `TextSource` (name: its id, the path in the corpus; key
//!   `article:<article id>`).
//! - Each piece of an annotation (`Annotation::pieces`) becomes a `PlainTextSelection` (name:
//!   its quote on one line, cut at 80 code points; key
//!   `annotation:<article id>:<annotation id>:<piece index>`) coded with the label's code plus
//!   the code of each value the annotation has. (An annotation with a piece whose offsets no
//!   longer slice the text to its quote is not exported at all, and reported, as in every
//!   format: `export::fits`.)
//! - A suggestion's (or an imported annotation's) status, origin and confidence are every
//!   piece's selection's `Description`: `proposed by quotes-1 (87%)`, `accepted, proposed by
//!   quotes-1 (87%)`, `accepted, imported`; a person's accepted annotation has none. A QDA
//!   package shows it with the coded segment; rejected suggestions are never exported.
//! - An annotation's note becomes one `Note` (key `note:<article id>:<annotation id>`), referred
//!   to by a `NoteRef` from every piece's selection.
//! - A relation (a claim's source, a claim's cue) becomes a `Link` from the first piece's
//!   selection of one annotation to that of the other, named by the relation, direction
//!   `OneWay` (key `link:<article id>:<annotation id>:<relation id>:<target id>`). A target
//!   left out of the export (`--label`) has no selection, so its link is left out too.
//! - Each entity that exported mentions are linked to (resolved through merges) becomes a
//!   `Case` (key `entity:<entity id>`), named by its canonical name (its id when the registry
//!   lacks it), its entity attribute values and Wikidata id as the `Description`, with a
//!   `SelectionRef` to every piece of each of its mentions.
//! - An article's metadata becomes its source's values of six `Variable`s (key
//!   `variable:article:<name>`): `outlet`, `authors` (`; ` between them), `url`, `language`
//!   and `section` as `Text`, `published` as a `Date` (the day, when it is a real one), each
//!   variable declared only when some article has a value of it, so a plain text corpus's
//!   project is as before; and the source's `Description`, the metadata as `name: value`
//!   lines (with the headline and the date as given). Variables are how QDA packages group
//!   and filter documents; a `Case` would be wrong, as cases here are entities.
//! - Each distinct author becomes a `User` (key `user:<name>`), the selection's and note's
//!   `creatingUser`; `created` and `modified` become `creationDateTime` and
//!   `modifiedDateTime`.
//! - The project's creation time is the latest `modified` of the exported annotations, not the
//!   clock, so an export of an unchanged corpus is the same file; its description names the
//!   codebook (name, version, hash).

mod adapter;

pub use adapter::{corpus_project, qdpx};

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Seek, Write};

/// A REFI-QDA project: what one `.qdpx` file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QdaProject {
    pub name: String,
    /// The software that wrote the file (e.g. `newsnote 0.1.0`).
    pub origin: String,
    /// An `xsd:dateTime` such as `2026-01-01T12:00:00Z`; left out if it is not one.
    pub created: Option<String>,
    pub creating_user: Option<Guid>,
    pub description: Option<String>,
    pub users: Vec<QdaUser>,
    /// The codebook: top-level codes, each with its sub-codes.
    pub codes: Vec<QdaCode>,
    /// Variables the sources have values of (an article's outlet, date…).
    pub variables: Vec<QdaVariable>,
    /// Cases: the registry's entities, each with the selections of its mentions.
    pub cases: Vec<QdaCase>,
    pub sources: Vec<QdaSource>,
    /// Notes (memos): free-standing ones, and those selections refer to.
    pub notes: Vec<QdaNote>,
    pub links: Vec<QdaLink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaUser {
    pub guid: Guid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaCode {
    pub guid: Guid,
    pub name: String,
    /// Whether selections may be coded with it; a folder of sub-codes is not.
    pub codable: bool,
    pub colour: Option<Rgb>,
    pub description: Option<String>,
    pub children: Vec<QdaCode>,
}

/// A text source: one article.
/// A `Case` (REFI-QDA §6): a unit of analysis, here one entity of the registry, referring
/// to the selections that mention it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaCase {
    pub guid: Guid,
    pub name: String,
    pub description: Option<String>,
    /// Selections of the project's sources.
    pub selections: Vec<Guid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaSource {
    pub guid: Guid,
    pub name: String,
    /// The plain text the selections' offsets count, written as `sources/<guid>.txt`.
    pub text: String,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    /// What the source is, for a person reading it in the QDA package (a page's metadata).
    pub description: Option<String>,
    pub selections: Vec<QdaSelection>,
    /// Its values of the project's variables.
    pub values: Vec<QdaValue>,
}

/// A variable (REFI-QDA §5): an attribute sources or cases have a value of, which QDA
/// packages filter and group documents by (here an article's outlet, date, authors…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaVariable {
    pub guid: Guid,
    pub name: String,
    pub kind: VariableKind,
    pub description: Option<String>,
}

/// The `typeOfVariable` of a variable, for the values newsnote writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind {
    Text,
    /// An `xsd:date` (`2026-11-30`).
    Date,
}

impl VariableKind {
    fn as_str(self) -> &'static str {
        match self {
            VariableKind::Text => "Text",
            VariableKind::Date => "Date",
        }
    }
}

/// A source's value of a variable; its kind must be the variable's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaValue {
    pub variable: Guid,
    pub value: VariableValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableValue {
    Text(String),
    /// `YYYY-MM-DD`, a real day (see [`is_xsd_date`]).
    Date(String),
}

impl VariableValue {
    fn kind(&self) -> VariableKind {
        match self {
            VariableValue::Text(_) => VariableKind::Text,
            VariableValue::Date(_) => VariableKind::Date,
        }
    }
}

/// Whether `d` is a day `xsd:date` accepts as `YYYY-MM-DD` (no time zone): a month of the
/// year and a day of that month, 29 February only in a leap year. One invalid value would
/// make the whole project invalid, so a date is checked before it is written as one.
pub fn is_xsd_date(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r.clone()].iter().all(u8::is_ascii_digit).then(|| &d[r]);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else { return false };
    let (y, m, day): (u32, u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0), day.parse().unwrap_or(0));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let last = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// A coded span of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaSelection {
    pub guid: Guid,
    pub name: String,
    /// Code points from the start of the source's text; `end` is exclusive.
    pub start: usize,
    pub end: usize,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    pub modified: Option<String>,
    /// What the selection's reader should know first (a suggestion's status and origin).
    pub description: Option<String>,
    /// Codes it is coded with (each must be codable); a code listed twice is coded once.
    pub codes: Vec<Guid>,
    /// Notes about it (in [`QdaProject::notes`]).
    pub notes: Vec<Guid>,
}

/// A note (memo). Its text is written in the project file itself (`PlainTextContent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaNote {
    pub guid: Guid,
    pub name: String,
    pub text: String,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
}

/// A one-way link between two elements of the project (e.g. a claim's selection and its
/// source's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdaLink {
    pub guid: Guid,
    pub name: String,
    pub origin: Guid,
    pub target: Guid,
}

/// A colour, written `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// A GUID, only ever derived from a key, so it always has the schema's form and the same key
/// always gives the same GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid([u8; 16]);

impl Guid {
    /// The GUID of whatever `key` names (e.g. `article:politics/a.txt`).
    pub fn from_key(key: &str) -> Guid {
        // FNV-1a 128 over a namespaced key, so newsnote's GUIDs do not coincide with another
        // program's hashes of the same strings.
        const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
        let mut h = OFFSET;
        for b in b"newsnote-refi-qda\0".iter().chain(key.as_bytes()) {
            h ^= u128::from(*b);
            h = h.wrapping_mul(PRIME);
        }
        // FNV spreads a change in the last bytes over few bits; xor-shifts and odd multipliers
        // are bijections, so this mixes every bit into every other without adding collisions.
        h ^= h >> 67;
        h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        h ^= h >> 61;
        h = h.wrapping_mul(0xd6e8_feb8_6659_fd93_3a5b_9d6c_2e7f_a1b5);
        h ^= h >> 64;
        let mut bytes = h.to_be_bytes();
        // RFC 9562: version 8 (custom), variant 10.
        bytes[6] = (bytes[6] & 0x0f) | 0x80;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Guid(bytes)
    }

    /// The GUID of a part of this element (e.g. a selection's coding with one code).
    pub fn derive(self, part: &str) -> Guid {
        Guid::from_key(&format!("{self}/{part}"))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

/// Why a project cannot be written: it would refer to something it does not hold, or break a
/// rule of the standard. Elements are named by GUID, since names may hold anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("two elements of the project have the GUID {0}")]
    DuplicateGuid(Guid),
    #[error("selection {selection} is coded with {code}, which is not a code of the codebook")]
    UnknownCode { selection: Guid, code: Guid },
    #[error("selection {selection} is coded with {code}, which is a folder, not a codable code")]
    UncodableCode { selection: Guid, code: Guid },
    #[error("selection {selection} refers to note {note}, which is not in the project")]
    UnknownNote { selection: Guid, note: Guid },
    #[error("{element} names {user} as its user, who is not in the project")]
    UnknownUser { element: Guid, user: Guid },
    #[error("the project names {0} as its user, who is not in the project")]
    UnknownProjectUser(Guid),
    #[error("case {case} refers to selection {selection}, which is not in the project")]
    UnknownCaseSelection { case: Guid, selection: Guid },
    #[error("link {link} refers to {end}, which is not in the project")]
    UnknownLinkEnd { link: Guid, end: Guid },
    #[error("selection {selection} spans {start}..{end}, outside its source's {len} code points")]
    SpanOutOfRange { selection: Guid, start: usize, end: usize, len: usize },
    #[error("{element} has a value of variable {variable}, which is not in the project or of another type")]
    UnknownVariable { element: Guid, variable: Guid },
    #[error("{element} has the date {date:?}, which is not an xsd:date")]
    BadDate { element: Guid, date: String },
    #[error("source {guid} is {bytes} bytes; REFI-QDA allows at most 2,147,483,647 per file")]
    SourceTooLarge { guid: Guid, bytes: usize },
}

/// The largest internal file REFI-QDA allows (§8.5: 2^31 − 1 bytes).
const MAX_INTERNAL_FILE: usize = i32::MAX as usize;

/// Writes `project` as a `.qdpx` zip: `project.qde` first, then `sources/<GUID>.txt` for each
/// source in order. A project that is not self-consistent (see [`Invalid`]) is an
/// [`io::ErrorKind::InvalidInput`] error wrapping the [`Invalid`], and nothing is written.
pub fn write_qdpx(project: &QdaProject, out: impl Write + Seek) -> io::Result<()> {
    let xml = project_xml(project).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    // Fixed time, permissions and host system: the bytes depend on the project only.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(out);
    zip.start_file("project.qde", options)?;
    zip.write_all(xml.as_bytes())?;
    if !project.sources.is_empty() {
        zip.add_directory("sources/", options.unix_permissions(0o755))?;
    }
    for s in &project.sources {
        zip.start_file(format!("sources/{}.txt", s.guid), options)?;
        zip.write_all(s.text.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

/// The `.qdpx` file of `project`, in memory, with [`write_qdpx`]'s errors.
pub fn qdpx_bytes(project: &QdaProject) -> io::Result<Vec<u8>> {
    let mut out = io::Cursor::new(Vec::new());
    write_qdpx(project, &mut out)?;
    Ok(out.into_inner())
}

/// The `project.qde` document for `project`, after checking that it is self-consistent.
pub fn project_xml(project: &QdaProject) -> Result<String, Invalid> {
    check(project)?;
    let mut x = Xml::default();
    x.s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open("Project");
    x.attr("xmlns", "urn:QDA-XML:project:1.0");
    x.attr("name", &project.name);
    x.attr("origin", &project.origin);
    x.opt_guid("creatingUserGUID", project.creating_user);
    x.time("creationDateTime", &project.created);
    x.children();
    if !project.users.is_empty() {
        x.open("Users");
        x.children();
        for u in &project.users {
            x.open("User");
            x.attr("guid", &u.guid.to_string());
            x.attr("name", &u.name);
            x.empty();
        }
        x.close();
    }
    if !project.codes.is_empty() {
        x.open("CodeBook");
        x.children();
        x.open("Codes");
        x.children();
        for c in &project.codes {
            code(&mut x, c);
        }
        x.close();
        x.close();
    }
    if !project.variables.is_empty() {
        x.open("Variables");
        x.children();
        for v in &project.variables {
            x.open("Variable");
            x.attr("guid", &v.guid.to_string());
            x.attr("name", &v.name);
            x.attr("typeOfVariable", v.kind.as_str());
            match &v.description {
                Some(d) => {
                    x.children();
                    x.text_element("Description", d);
                    x.close();
                }
                None => x.empty(),
            }
        }
        x.close();
    }
    if !project.cases.is_empty() {
        x.open("Cases");
        x.children();
        for c in &project.cases {
            x.open("Case");
            x.attr("guid", &c.guid.to_string());
            x.attr("name", &c.name);
            x.children();
            if let Some(d) = &c.description {
                x.text_element("Description", d);
            }
            for sel in distinct(&c.selections) {
                x.open("SelectionRef");
                x.attr("targetGUID", &sel.to_string());
                x.empty();
            }
            x.close();
        }
        x.close();
    }
    if !project.sources.is_empty() {
        x.open("Sources");
        x.children();
        for s in &project.sources {
            source(&mut x, s);
        }
        x.close();
    }
    if !project.notes.is_empty() {
        x.open("Notes");
        x.children();
        for n in &project.notes {
            x.open("Note");
            x.attr("guid", &n.guid.to_string());
            x.attr("name", &n.name);
            x.opt_guid("creatingUser", n.creating_user);
            x.time("creationDateTime", &n.created);
            x.children();
            x.text_element("PlainTextContent", &n.text);
            x.close();
        }
        x.close();
    }
    if !project.links.is_empty() {
        x.open("Links");
        x.children();
        for l in &project.links {
            x.open("Link");
            x.attr("guid", &l.guid.to_string());
            x.attr("name", &l.name);
            x.attr("direction", "OneWay");
            x.attr("originGUID", &l.origin.to_string());
            x.attr("targetGUID", &l.target.to_string());
            x.empty();
        }
        x.close();
    }
    if let Some(d) = &project.description {
        x.text_element("Description", d);
    }
    x.close();
    Ok(x.s)
}

fn code(x: &mut Xml, c: &QdaCode) {
    x.open("Code");
    x.attr("guid", &c.guid.to_string());
    x.attr("name", &c.name);
    x.attr("isCodable", if c.codable { "true" } else { "false" });
    if let Some(rgb) = c.colour {
        x.attr("color", &rgb.to_string());
    }
    if c.description.is_none() && c.children.is_empty() {
        x.empty();
        return;
    }
    x.children();
    if let Some(d) = &c.description {
        x.text_element("Description", d);
    }
    for child in &c.children {
        code(x, child);
    }
    x.close();
}

fn source(x: &mut Xml, s: &QdaSource) {
    x.open("TextSource");
    x.attr("guid", &s.guid.to_string());
    x.attr("name", &s.name);
    x.attr("plainTextPath", &format!("internal://{}.txt", s.guid));
    x.opt_guid("creatingUser", s.creating_user);
    x.time("creationDateTime", &s.created);
    if s.selections.is_empty() && s.description.is_none() && s.values.is_empty() {
        x.empty();
        return;
    }
    x.children();
    // The schema's order: Description, the selections, then the variable values.
    if let Some(d) = &s.description {
        x.text_element("Description", d);
    }
    for sel in &s.selections {
        x.open("PlainTextSelection");
        x.attr("guid", &sel.guid.to_string());
        x.attr("name", &sel.name);
        x.attr("startPosition", &sel.start.to_string());
        x.attr("endPosition", &sel.end.to_string());
        x.opt_guid("creatingUser", sel.creating_user);
        x.time("creationDateTime", &sel.created);
        x.time("modifiedDateTime", &sel.modified);
        let codes = distinct(&sel.codes);
        if codes.is_empty() && sel.notes.is_empty() && sel.description.is_none() {
            x.empty();
            continue;
        }
        x.children();
        // The schema's order: Description, the codings, then the note references.
        if let Some(d) = &sel.description {
            x.text_element("Description", d);
        }
        for c in codes {
            x.open("Coding");
            x.attr("guid", &coding_guid(sel.guid, c).to_string());
            x.opt_guid("creatingUser", sel.creating_user);
            x.time("creationDateTime", &sel.created);
            x.children();
            x.open("CodeRef");
            x.attr("targetGUID", &c.to_string());
            x.empty();
            x.close();
        }
        for n in &sel.notes {
            x.open("NoteRef");
            x.attr("targetGUID", &n.to_string());
            x.empty();
        }
        x.close();
    }
    for v in &s.values {
        x.open("VariableValue");
        x.children();
        x.open("VariableRef");
        x.attr("targetGUID", &v.variable.to_string());
        x.empty();
        match &v.value {
            VariableValue::Text(t) => x.text_element("TextValue", t),
            VariableValue::Date(d) => x.text_element("DateValue", d),
        }
        x.close();
    }
    x.close();
}

fn coding_guid(selection: Guid, code: Guid) -> Guid {
    selection.derive(&format!("coding:{code}"))
}

/// The GUIDs in order, each once.
fn distinct(guids: &[Guid]) -> Vec<Guid> {
    let mut seen = HashSet::new();
    guids.iter().copied().filter(|g| seen.insert(*g)).collect()
}

/// Everything the schema cannot check but an importer relies on: unique GUIDs, references that
/// resolve, spans inside their text.
fn check(p: &QdaProject) -> Result<(), Invalid> {
    let mut defined = HashSet::new();
    let mut define = |g: Guid| if defined.insert(g) { Ok(()) } else { Err(Invalid::DuplicateGuid(g)) };
    let users: HashSet<Guid> = p.users.iter().map(|u| u.guid).collect();
    let user_ok = |element: Guid, user: Option<Guid>| match user {
        Some(user) if !users.contains(&user) => Err(Invalid::UnknownUser { element, user }),
        _ => Ok(()),
    };
    for u in &p.users {
        define(u.guid)?;
    }
    let mut codable = std::collections::HashMap::new();
    let mut stack: Vec<&QdaCode> = p.codes.iter().collect();
    while let Some(c) = stack.pop() {
        define(c.guid)?;
        codable.insert(c.guid, c.codable);
        stack.extend(&c.children);
    }
    let variables: std::collections::HashMap<Guid, VariableKind> =
        p.variables.iter().map(|v| (v.guid, v.kind)).collect();
    for v in &p.variables {
        define(v.guid)?;
    }
    let notes: HashSet<Guid> = p.notes.iter().map(|n| n.guid).collect();
    for n in &p.notes {
        define(n.guid)?;
        user_ok(n.guid, n.creating_user)?;
    }
    for s in &p.sources {
        define(s.guid)?;
        user_ok(s.guid, s.creating_user)?;
        if s.text.len() > MAX_INTERNAL_FILE {
            return Err(Invalid::SourceTooLarge { guid: s.guid, bytes: s.text.len() });
        }
        for v in &s.values {
            if variables.get(&v.variable) != Some(&v.value.kind()) {
                return Err(Invalid::UnknownVariable { element: s.guid, variable: v.variable });
            }
            if let VariableValue::Date(d) = &v.value
                && !is_xsd_date(d)
            {
                return Err(Invalid::BadDate { element: s.guid, date: d.clone() });
            }
        }
        let len = s.text.chars().count();
        for sel in &s.selections {
            define(sel.guid)?;
            user_ok(sel.guid, sel.creating_user)?;
            if sel.start > sel.end || sel.end > len {
                return Err(Invalid::SpanOutOfRange { selection: sel.guid, start: sel.start, end: sel.end, len });
            }
            for c in distinct(&sel.codes) {
                match codable.get(&c) {
                    None => return Err(Invalid::UnknownCode { selection: sel.guid, code: c }),
                    Some(false) => return Err(Invalid::UncodableCode { selection: sel.guid, code: c }),
                    Some(true) => define(coding_guid(sel.guid, c))?,
                }
            }
            if let Some(&note) = sel.notes.iter().find(|n| !notes.contains(n)) {
                return Err(Invalid::UnknownNote { selection: sel.guid, note });
            }
        }
    }
    if let Some(user) = p.creating_user.filter(|u| !users.contains(u)) {
        return Err(Invalid::UnknownProjectUser(user));
    }
    for l in &p.links {
        define(l.guid)?;
    }
    for c in &p.cases {
        define(c.guid)?;
    }
    for c in &p.cases {
        if let Some(&selection) = c.selections.iter().find(|g| !defined.contains(g)) {
            return Err(Invalid::UnknownCaseSelection { case: c.guid, selection });
        }
    }
    for l in &p.links {
        if let Some(&end) = [l.origin, l.target].iter().find(|g| !defined.contains(g)) {
            return Err(Invalid::UnknownLinkEnd { link: l.guid, end });
        }
    }
    Ok(())
}

/// A minimal XML writer: two-space indentation, every string escaped on the way in.
#[derive(Default)]
struct Xml {
    s: String,
    /// Open elements, innermost last.
    open: Vec<&'static str>,
}

impl Xml {
    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.s.push_str("  ");
        }
    }

    /// Starts a tag; attributes follow, then [`Xml::children`] or [`Xml::empty`].
    fn open(&mut self, name: &'static str) {
        self.indent();
        self.s.push('<');
        self.s.push_str(name);
        self.open.push(name);
    }

    fn attr(&mut self, name: &str, value: &str) {
        self.s.push(' ');
        self.s.push_str(name);
        self.s.push_str("=\"");
        escape(&mut self.s, value, true);
        self.s.push('"');
    }

    fn opt_guid(&mut self, name: &str, g: Option<Guid>) {
        if let Some(g) = g {
            self.attr(name, &g.to_string());
        }
    }

    fn time(&mut self, name: &str, t: &Option<String>) {
        if let Some(t) = t.as_deref().filter(|t| is_xsd_datetime(t)) {
            self.attr(name, t);
        }
    }

    fn children(&mut self) {
        self.s.push_str(">\n");
    }

    fn empty(&mut self) {
        self.open.pop();
        self.s.push_str("/>\n");
    }

    fn close(&mut self) {
        let name = self.open.pop().expect("close matches an open element");
        self.indent();
        self.s.push_str("</");
        self.s.push_str(name);
        self.s.push_str(">\n");
    }

    fn text_element(&mut self, name: &str, text: &str) {
        self.indent();
        self.s.push('<');
        self.s.push_str(name);
        self.s.push('>');
        escape(&mut self.s, text, false);
        self.s.push_str("</");
        self.s.push_str(name);
        self.s.push_str(">\n");
    }
}

/// Whether XML 1.0 allows `c` in a document at all (its `Char` production); Rust's `char`
/// already excludes surrogates.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` escaped for element content, or for a double-quoted attribute value.
fn escape(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            // Always, so `]]>` can never appear.
            '>' => out.push_str("&gt;"),
            // A parser reads a raw CR (or CR LF) as LF, in content and attributes alike.
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            // Attribute-value normalisation turns raw tabs and line feeds into spaces.
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            c if !xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Whether `s` is in the lexical space of `xsd:dateTime`:
/// `YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`, with a real day of its month.
fn is_xsd_datetime(s: &str) -> bool {
    fn num(s: &str) -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    }
    let Some((date, time)) = s.split_once('T') else { return false };
    let mut d = date.split('-');
    let (Some(y), Some(m), Some(day), None) = (d.next(), d.next(), d.next(), d.next()) else { return false };
    let (Some(year), Some(month), Some(day)) = (num(y), num(m), num(day)) else { return false };
    if y.len() != 4 || m.len() != 2 || day < 1 || year == 0 {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if date.len() != 10 || day > days {
        return false;
    }
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let zone_ok = match zone {
        "" | "Z" => true,
        z => {
            let (h, m) = (z.get(1..3).and_then(num), z.get(4..6).and_then(num));
            z.len() == 6
                && &z[3..4] == ":"
                && matches!((h, m), (Some(h), Some(m)) if h <= 14 && m <= 59 && (h < 14 || m == 0))
        }
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (clock, None),
    };
    let mut t = hms.split(':');
    let (Some(h), Some(mi), Some(se), None) = (t.next(), t.next(), t.next(), t.next()) else { return false };
    let two = |p: &str, max: u32| p.len() == 2 && num(p).is_some_and(|v| v <= max);
    zone_ok && two(h, 23) && two(mi, 59) && two(se, 59) && fraction.is_none_or(|f| num(f).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(key: &str) -> Guid {
        Guid::from_key(key)
    }

    /// A project with a Cyrillic, emoji, CJK and combining-mark text, codes with a folder and
    /// values, a note and a link.
    fn sample() -> QdaProject {
        let text = "Пресс-секретарь 🇷🇺 Песков заявил: «мир» 和平 — cafe\u{301} noir.";
        let span = |quote: &str| {
            let byte = text.find(quote).unwrap();
            let start = text[..byte].chars().count();
            (start, start + quote.chars().count())
        };
        let (s0, e0) = span("Песков");
        let (s1, e1) = span("«мир» 和平");
        let (s2, e2) = span("cafe\u{301}");
        let user = g("user:ана");
        let selection =
            |key: &str, name: &str, (start, end): (usize, usize), codes: Vec<Guid>, notes: Vec<Guid>| QdaSelection {
                description: None,
                guid: g(key),
                name: name.into(),
                start,
                end,
                creating_user: Some(user),
                created: Some("2026-01-02T03:04:05Z".into()),
                modified: Some("2026-01-02T03:04:06+03:00".into()),
                codes,
                notes,
            };
        QdaProject {
            cases: vec![],
            variables: vec![],
            name: "Корпус «новости» 📰".into(),
            origin: "newsnote test".into(),
            created: Some("2026-01-02T03:04:05Z".into()),
            creating_user: Some(user),
            description: Some("описание & <описание>".into()),
            users: vec![QdaUser { guid: user, name: "ана \"А\"".into() }],
            codes: vec![
                QdaCode {
                    guid: g("label:Источник"),
                    name: "Источник".into(),
                    codable: true,
                    colour: Some(Rgb(0x1f, 0x77, 0xb4)),
                    description: Some("Кто говорит 🗣".into()),
                    children: vec![],
                },
                QdaCode {
                    guid: g("label:Утверждение"),
                    name: "Утверждение".into(),
                    codable: true,
                    colour: None,
                    description: None,
                    children: vec![QdaCode {
                        guid: g("label:Утверждение/attribute:тип"),
                        name: "тип".into(),
                        codable: false,
                        colour: None,
                        description: None,
                        children: vec![QdaCode {
                            guid: g("label:Утверждение/attribute:тип/value:прямая"),
                            name: "прямая".into(),
                            codable: true,
                            colour: None,
                            description: None,
                            children: vec![],
                        }],
                    }],
                },
            ],
            sources: vec![QdaSource {
                guid: g("article:статья.txt"),
                name: "статья.txt".into(),
                text: text.into(),
                creating_user: None,
                created: None,
                description: None,
                values: vec![],
                selections: vec![
                    selection("annotation:a:0", "Песков", (s0, e0), vec![g("label:Источник")], vec![]),
                    selection(
                        "annotation:b:0",
                        "«мир» 和平",
                        (s1, e1),
                        vec![g("label:Утверждение"), g("label:Утверждение/attribute:тип/value:прямая")],
                        vec![g("note:b")],
                    ),
                    selection("annotation:c:0", "cafe\u{301}", (s2, e2), vec![g("label:Источник")], vec![]),
                ],
            }],
            notes: vec![QdaNote {
                guid: g("note:b"),
                name: "«мир» 和平".into(),
                text: "заметка\r\nвторая строка 👍".into(),
                creating_user: Some(user),
                created: None,
            }],
            links: vec![QdaLink {
                guid: g("link:b:source"),
                name: "source".into(),
                origin: g("annotation:b:0"),
                target: g("annotation:a:0"),
            }],
        }
    }

    fn guid_pattern(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()))
    }

    #[test]
    fn guids_are_upper_case_uuids_derived_only_from_their_key() {
        for key in ["article:новости/статья.txt", "annotation:日本.txt:1", "user:🦀", ""] {
            let a = Guid::from_key(key).to_string();
            assert!(guid_pattern(&a), "{a}");
            assert_eq!(a, Guid::from_key(key).to_string(), "the same key gives the same GUID");
            assert_eq!(&a[14..15], "8", "version 8");
            assert!("89AB".contains(&a[19..20]), "RFC 9562 variant");
        }
        // The value is fixed by the key alone, on every machine and build: a change here would
        // change every exported file.
        assert_eq!(Guid::from_key("article:статья.txt").to_string(), "F55F4020-1DEE-80C4-8836-226346C572DF");
        let a = Guid::from_key("annotation:a.txt:0");
        let b = Guid::from_key("annotation:a.txt:1");
        assert_ne!(a, b);
        // Keys one character apart still differ in most of their hex digits (the mixing step).
        let same = a.to_string().chars().zip(b.to_string().chars()).filter(|(x, y)| x == y).count();
        assert!(same < 20, "{a} vs {b}");
    }

    #[test]
    fn guids_of_many_similar_keys_never_collide() {
        let mut seen = HashSet::new();
        for i in 0..20_000 {
            assert!(seen.insert(Guid::from_key(&format!("annotation:статья.txt:{i}"))));
        }
    }

    #[test]
    fn every_string_is_escaped_and_xml_forbidden_characters_are_replaced() {
        let mut out = String::new();
        escape(&mut out, "a&b<c>d\"e\tf\ng\rh\u{0}i\u{1b}[31mj\u{FFFE}k\u{FFFF}l]]>м🇷🇺e\u{301}\u{85}", true);
        assert_eq!(
            out,
            "a&amp;b&lt;c&gt;d&quot;e&#9;f&#10;g&#13;h\u{FFFD}i\u{FFFD}[31mj\u{FFFD}k\u{FFFD}l]]&gt;м🇷🇺e\u{301}\u{85}"
        );
        let mut text = String::new();
        escape(&mut text, "\"кавычки\"\tи\nстроки\r\u{7}", false);
        assert_eq!(text, "\"кавычки\"\tи\nстроки&#13;\u{FFFD}");
    }

    #[test]
    fn hostile_names_never_break_the_document() {
        let mut p = sample();
        p.name = "</Project><!-- \u{0}\u{8}\u{b}\u{c} ]]> & \"'".into();
        p.codes[0].name = "<Code guid=\"x\"/>".into();
        p.sources[0].selections[0].name = "\u{1}\u{1f}\u{7f}\u{9b}".into();
        let xml = project_xml(&p).unwrap();
        assert_eq!(xml.matches("<Project ").count(), 1);
        assert_eq!(xml.matches("</Project>").count(), 1);
        assert!(!xml.contains("<!--"));
        assert!(!xml.contains("<Code guid=\"x\""));
        assert!(xml.chars().all(xml_char), "only characters XML 1.0 allows");
        // C1 controls are allowed by XML 1.0 and kept; C0 ones are replaced.
        assert!(xml.contains("name=\"\u{FFFD}\u{FFFD}\u{7f}\u{9b}\""));
    }

    #[test]
    fn selections_count_code_points_and_slice_to_their_quotes() {
        let p = sample();
        let s = &p.sources[0];
        for sel in &s.selections {
            let quote: String = s.text.chars().skip(sel.start).take(sel.end - sel.start).collect();
            assert_eq!(quote, sel.name);
        }
        let xml = project_xml(&p).unwrap();
        // "Песков" starts after 19 code points, two of them the flag's regional indicators (21
        // UTF-16 units, 39 bytes).
        assert!(xml.contains("name=\"Песков\" startPosition=\"19\" endPosition=\"25\""), "{xml}");
    }

    #[test]
    fn the_document_has_the_schemas_element_order_and_required_attributes() {
        let xml = project_xml(&sample()).unwrap();
        // The project's children, at the first level of indentation.
        let order = ["Users>", "CodeBook>", "Sources>", "Notes>", "Links>", "Description>"];
        let at: Vec<usize> =
            order.iter().map(|t| xml.find(&format!("\n  <{t}")).unwrap_or_else(|| panic!("{t} missing"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{xml}");
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\"")
        );
        let folder = g("label:Утверждение/attribute:тип");
        assert!(xml.contains(&format!("<Code guid=\"{folder}\" name=\"тип\" isCodable=\"false\">")));
        assert!(xml.contains("color=\"#1F77B4\""));
        let src = g("article:статья.txt");
        assert!(xml.contains(&format!("plainTextPath=\"internal://{src}.txt\"")));
        assert!(xml.contains(&format!("<NoteRef targetGUID=\"{}\"/>", g("note:b"))));
        assert!(xml.contains("<PlainTextContent>заметка&#13;\nвторая строка 👍</PlainTextContent>"));
    }

    #[test]
    fn empty_lists_are_left_out_since_the_schema_requires_a_member() {
        let p = QdaProject { name: "пусто".into(), origin: "t".into(), ..Default::default() };
        let xml = project_xml(&p).unwrap();
        for t in ["<Users", "<CodeBook", "<Sources", "<Notes", "<Links", "<Description"] {
            assert!(!xml.contains(t), "{t} in {xml}");
        }
    }

    #[test]
    fn a_time_that_is_not_an_xsd_datetime_is_left_out() {
        for ok in [
            "2026-01-02T03:04:05Z",
            "2024-02-29T23:59:59.123+14:00",
            "1999-12-31T00:00:00",
            "2026-06-30T12:00:00-05:30",
        ] {
            assert!(is_xsd_datetime(ok), "{ok}");
        }
        for bad in [
            "",
            "вчера",
            "2026-01-02",
            "2026-1-02T03:04:05Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-02T24:00:00Z",
            "2026-01-02T03:04:05.Z",
            "2026-01-02T03:04:05+15:00",
            "2026-01-02T03:04:05+0300",
            "2026-01-02 03:04:05Z",
            "0000-01-01T00:00:00Z",
            "２０２６-01-02T03:04:05Z",
        ] {
            assert!(!is_xsd_datetime(bad), "{bad}");
        }
        let mut p = sample();
        p.created = Some("позавчера\"".into());
        p.sources[0].selections[0].created = Some("2026-02-30T00:00:00Z".into());
        let xml = project_xml(&p).unwrap();
        assert!(!xml.contains("позавчера"));
        assert!(!xml.contains("2026-02-30"));
    }

    #[test]
    fn an_inconsistent_project_is_refused_naming_the_element() {
        let mut p = sample();
        p.sources[0].selections[1].codes.push(g("label:нет"));
        assert_eq!(project_xml(&p), Err(Invalid::UnknownCode { selection: g("annotation:b:0"), code: g("label:нет") }));

        let mut p = sample();
        p.sources[0].selections[0].codes = vec![g("label:Утверждение/attribute:тип")];
        assert!(matches!(project_xml(&p), Err(Invalid::UncodableCode { .. })));

        let mut p = sample();
        let len = p.sources[0].text.chars().count();
        p.sources[0].selections[0].end = len + 1;
        assert!(matches!(project_xml(&p), Err(Invalid::SpanOutOfRange { len: l, .. }) if l == len));

        let mut p = sample();
        p.sources[0].selections[2].guid = g("annotation:a:0");
        assert_eq!(project_xml(&p), Err(Invalid::DuplicateGuid(g("annotation:a:0"))));

        let mut p = sample();
        p.notes.clear();
        assert!(matches!(project_xml(&p), Err(Invalid::UnknownNote { .. })));

        let mut p = sample();
        p.users.clear();
        assert!(matches!(project_xml(&p), Err(Invalid::UnknownUser { .. })));

        let mut p = sample();
        p.creating_user = Some(g("user:никто"));
        assert_eq!(project_xml(&p), Err(Invalid::UnknownProjectUser(g("user:никто"))));

        let mut p = sample();
        p.links[0].target = g("annotation:нет:0");
        assert!(matches!(project_xml(&p), Err(Invalid::UnknownLinkEnd { .. })));

        let mut out = io::Cursor::new(Vec::new());
        let err = write_qdpx(&p, &mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains(&g("annotation:нет:0").to_string()));
        assert!(out.into_inner().is_empty(), "nothing is written");
    }

    #[test]
    fn a_code_listed_twice_on_a_selection_is_coded_once() {
        let mut p = sample();
        let c = p.sources[0].selections[0].codes[0];
        p.sources[0].selections[0].codes.push(c);
        let xml = project_xml(&p).unwrap();
        assert_eq!(
            xml.matches(&format!("<CodeRef targetGUID=\"{c}\"/>")).count(),
            2,
            "two selections use it once each"
        );
    }

    #[test]
    fn the_same_project_gives_the_same_bytes() {
        let p = sample();
        let mut a = io::Cursor::new(Vec::new());
        let mut b = io::Cursor::new(Vec::new());
        write_qdpx(&p, &mut a).unwrap();
        write_qdpx(&p, &mut b).unwrap();
        assert_eq!(a.into_inner(), b.into_inner());
    }

    #[test]
    fn the_zip_holds_the_project_and_each_sources_text_under_its_guid() {
        let p = sample();
        let mut out = io::Cursor::new(Vec::new());
        write_qdpx(&p, &mut out).unwrap();
        let mut zip = zip::ZipArchive::new(out).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        let txt = format!("sources/{}.txt", p.sources[0].guid);
        assert_eq!(names, ["project.qde", "sources/", txt.as_str()]);
        let mut text = String::new();
        io::Read::read_to_string(&mut zip.by_name(&txt).unwrap(), &mut text).unwrap();
        assert_eq!(text, p.sources[0].text);
        let entry = zip.by_name("project.qde").unwrap();
        assert_eq!(entry.last_modified(), Some(zip::DateTime::DEFAULT));
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
    }
}
