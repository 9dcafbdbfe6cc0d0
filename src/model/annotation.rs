//! One annotation: what was marked, where, by whom, and how sure we are of it.
//!
//! A suggestion is an annotation too: `origin` Detector, `status` Proposed, and a
//! [`Suggestion`] saying which detector proposed it, how sure it was and why. Accepting one
//! changes its status, rejecting one keeps it as Rejected so that no later run proposes it
//! again; both go through the one save path like any edit. Offsets are code points ([`CharRange`]); the quote
//! with its prefix/suffix context (the W3C TextQuoteSelector idea) lets a changed article be
//! re-anchored.

use super::units::{ByteRange, CharRange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Stable identifier of an annotation within its article. Random-ish rather than a counter
/// so two coders (or two processes) adding annotations at once never collide. Any string is a
/// valid id: files written before ids were widened hold 8 hex digits, new ones get 16.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub String);

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AnnotationId {
    /// A fresh id: 16 hex digits (64 bits) mixed from the clock, the process id and a counter.
    /// 64 bits because ids are random: with 32 a collision was expected around 65,000
    /// annotations in one file; with 64 only around four billion.
    pub fn fresh() -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let seed = nanos
            ^ (u64::from(std::process::id()) << 32)
            ^ COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Self(format!("{:016x}", splitmix(seed)))
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The id of a label of the codebook, as annotation files store it (`"Claim"`). Which ids
/// exist, and what they look like and mean, is the codebook's business (`model::codebook`):
/// an id the codebook in effect does not define is kept and shown as unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelId(pub String);

impl LabelId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LabelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for LabelId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// The value of an attribute on one annotation. The variant records the type it was coded
/// with, so a value stays what it was when the codebook changes (and `check` can say it no
/// longer fits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttrValue {
    /// One value id of a set.
    One(String),
    /// Value ids of a set, in codebook order.
    Many(Vec<String>),
    Text(String),
    /// A number as written (`3`, `-0.5`): kept as text so files and merges compare exactly.
    Number(String),
    YesNo(bool),
    /// `YYYY-MM-DD`.
    Date(String),
    Url(String),
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::One(v) | AttrValue::Text(v) | AttrValue::Number(v) | AttrValue::Date(v) | AttrValue::Url(v) => {
                f.write_str(v)
            }
            AttrValue::Many(vs) => f.write_str(&vs.join(", ")),
            AttrValue::YesNo(b) => f.write_str(if *b { "yes" } else { "no" }),
        }
    }
}

impl AttrValue {
    /// The variant's name as files write it (`One`).
    pub fn variant(&self) -> &'static str {
        match self {
            AttrValue::One(_) => "One",
            AttrValue::Many(_) => "Many",
            AttrValue::Text(_) => "Text",
            AttrValue::Number(_) => "Number",
            AttrValue::YesNo(_) => "YesNo",
            AttrValue::Date(_) => "Date",
            AttrValue::Url(_) => "Url",
        }
    }

    /// The value ids of a set value (one or several); empty for free values.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            AttrValue::One(v) => vec![v.as_str()],
            AttrValue::Many(vs) => vs.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Why this value does not fit an attribute of `kind`, if it does not.
    pub fn misfit(&self, kind: &super::codebook::AttrKind) -> Option<String> {
        use super::codebook::AttrKind as K;
        let known = |v: &str| kind.values().iter().any(|d| d.id == v);
        match (self, kind) {
            (AttrValue::One(v), K::One(_)) if !known(v) => Some(format!("value {v:?} is not in the codebook")),
            (AttrValue::Many(vs), K::Many(_)) => {
                vs.iter().find(|v| !known(v)).map(|v| format!("value {v:?} is not in the codebook"))
            }
            (AttrValue::One(_), K::One(_))
            | (AttrValue::Text(_), K::Text)
            | (AttrValue::YesNo(_), K::YesNo)
            | (AttrValue::Url(_), K::Url) => None,
            (AttrValue::Number(n), K::Number) => {
                n.trim().parse::<f64>().is_err().then(|| format!("{n:?} is not a number"))
            }
            (AttrValue::Date(d), K::Date) => (!is_date(d)).then(|| format!("{d:?} is not a date (YYYY-MM-DD)")),
            (v, k) => Some(format!("the value {v} is not of the codebook's type ({})", k.type_name())),
        }
    }

    /// Parses typed text into a value of `kind` (the prompt for free attributes).
    pub fn parse(kind: &super::codebook::AttrKind, text: &str) -> Result<Self, String> {
        use super::codebook::AttrKind as K;
        let t = text.trim();
        let v = match kind {
            K::Text => AttrValue::Text(text.to_owned()),
            K::Number => AttrValue::Number(t.to_owned()),
            K::Date => AttrValue::Date(t.to_owned()),
            K::Url => AttrValue::Url(t.to_owned()),
            K::YesNo => match t.to_lowercase().as_str() {
                "y" | "yes" | "true" | "1" => AttrValue::YesNo(true),
                "n" | "no" | "false" | "0" => AttrValue::YesNo(false),
                _ => return Err(format!("{t:?}: answer yes or no")),
            },
            K::One(_) => AttrValue::One(t.to_owned()),
            K::Many(_) => {
                AttrValue::Many(t.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
            }
        };
        match v.misfit(kind) {
            Some(why) => Err(why),
            None => Ok(v),
        }
    }
}

/// `YYYY-MM-DD` with a month 1–12 and a day 1–31.
fn is_date(d: &str) -> bool {
    let p: Vec<&str> = d.split('-').collect();
    let num = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    p.len() == 3
        && num(p[0], 4)
        && num(p[1], 2)
        && num(p[2], 2)
        && (1..=12).contains(&p[1].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&p[2].parse::<u8>().unwrap_or(0))
}

/// One more piece of a discontinuous annotation (a quote interrupted by "he said"): its own
/// offsets, quote and context, re-anchored like the first piece.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
}

impl Fragment {
    pub fn span(&self) -> CharRange {
        CharRange::new(self.start, self.end)
    }

    /// A fragment over `bytes` of `text`, with its context.
    pub fn over(text: &str, bytes: ByteRange, span: CharRange) -> Self {
        let (prefix, suffix) = context(text, bytes);
        Self { start: span.start, end: span.end, quote: text[bytes.as_range()].to_owned(), prefix, suffix }
    }
}

/// Who or what made an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Origin {
    /// Tagged by a person.
    #[default]
    Manual,
    /// Proposed by a detector (boilerplate, quotes, attribution); the name says which.
    Detector,
    /// Brought in from another tool's file.
    Imported,
}

impl Origin {
    /// The name files and exports use (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Manual => "Manual",
            Origin::Detector => "Detector",
            Origin::Imported => "Imported",
        }
    }
}

/// Where an annotation stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Status {
    /// A suggestion waiting for a person.
    Proposed,
    /// Part of the coding: what a person tagged, or a suggestion they accepted.
    #[default]
    Accepted,
    /// A suggestion a person turned down; kept so it is not proposed again.
    Rejected,
}

impl Status {
    /// The name files and exports use (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "Proposed",
            Status::Accepted => "Accepted",
            Status::Rejected => "Rejected",
        }
    }
}

/// What a detector said about an annotation it proposed. Kept after the suggestion is
/// accepted or rejected, so `stats` can tell each detector's precision in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The detector's name (`boilerplate`, `quotes`, `outlet`).
    pub detector: String,
    /// The detector's version: a changed detector's proposals are told apart from the old one's.
    pub version: u32,
    /// How sure the detector was, 0–100.
    pub confidence: u8,
    /// Why, in words a coder can check against the text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The detector's own category (`navigation`, `direct`) before the codebook mapped it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
}

impl Suggestion {
    /// `detector-version`, as exports and `stats` name an origin.
    pub fn origin(&self) -> String {
        format!("{}-{}", self.detector, self.version)
    }

    /// The suggestion an origin names (`quotes-2`, as [`Suggestion::origin`] writes it) with
    /// `confidence`; `None` when the name has no version after its last `-` or the
    /// confidence is over 100. What the importers read exports back with.
    pub fn from_origin(origin: &str, confidence: u8) -> Option<Self> {
        let (detector, version) = origin.rsplit_once('-')?;
        Some(Self {
            detector: detector.to_owned(),
            version: version.parse().ok()?,
            confidence: (confidence <= 100).then_some(confidence)?,
            reason: String::new(),
            category: String::new(),
        })
    }
}

/// How many code points of context are stored on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    /// A label id of the codebook.
    pub label: LabelId,
    /// Code-point offset of the first char of the span.
    pub start: usize,
    /// Code-point offset just past the span (half-open).
    pub end: usize,
    /// The exact text of the span.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] code points before the span.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] code points after the span.
    pub suffix: String,
    /// The other pieces of a discontinuous annotation, in text order after the first (the
    /// fields above). Empty, and not written, for one span.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Fragment>,
    /// Attribute values by attribute id (the codebook says which apply).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttrValue>,
    /// Links to other annotations of the article, by relation id (a claim's sources, its
    /// cues), each list in the order they were made.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<String, Vec<AnnotationId>>,
    /// The entity of the corpus's registry this span mentions (a Source's person): the
    /// span keeps the words the article used, the entity says who they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<super::entities::EntityId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub author: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// RFC 3339, UTC.
    pub modified: String,
    #[serde(default)]
    pub origin: Origin,
    #[serde(default)]
    pub status: Status,
    /// For an annotation a detector proposed: which one, how sure, why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
    /// Set when the article changed and re-anchoring needs a person's look; cleared when the
    /// person confirms, re-targets or deletes the annotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<AnchorNote>,
    /// An editor's review of this annotation, oldest first: each verdict or comment with who
    /// gave it and when. The last verdict is the one that stands ([`Annotation::verdict`]);
    /// the coding itself (span, label, links) is not changed by a review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<Review>,
}

/// What an editor said about one annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// The coding stands as it is.
    Approved,
    /// The coding is wrong: it stays in the file (it is the coder's work) but is marked.
    Disputed,
    /// A remark only, no verdict.
    Comment,
}

impl Verdict {
    /// The name files and exports use (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "Approved",
            Verdict::Disputed => "Disputed",
            Verdict::Comment => "Comment",
        }
    }
}

/// One entry of an annotation's review: a verdict or a comment, who gave it, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub verdict: Verdict,
    /// The reviewer's name (`--annotator`, else $USER, as for an author).
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// What re-anchoring did to an annotation after its article changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnchorNote {
    /// The same text, found elsewhere; these were the old offsets.
    Moved { from_start: usize, from_end: usize },
    /// Found with different text: the old quote and how sure the match is (0–100).
    Changed { old_quote: String, confidence: u8 },
    /// Not found; offsets and quote are the old ones.
    Orphaned,
    /// The exact quote was found, but only without its context (a short or frequent quote)
    /// or only once another annotation of the label held its first choice: offsets, quote
    /// and context are the old ones, as for an orphan, and the best place found is proposed
    /// (code points of the new text) among `candidates` places, for a person to decide.
    Uncertain {
        candidate_start: usize,
        candidate_end: usize,
        #[serde(default)]
        candidates: usize,
    },
}

impl AnchorNote {
    pub fn describe(&self) -> String {
        match self {
            AnchorNote::Moved { from_start, from_end } => format!("moved (was {from_start}–{from_end})"),
            AnchorNote::Changed { old_quote, confidence } => {
                let q: String = old_quote.chars().take(40).collect();
                format!("changed, {confidence}% sure (was “{q}”)")
            }
            AnchorNote::Orphaned => "orphaned: not found in the new text".into(),
            AnchorNote::Uncertain { candidate_start, candidate_end, candidates } => format!(
                "uncertain: found only without its context ({candidates} place(s)); proposed {candidate_start}–{candidate_end}"
            ),
        }
    }
}

impl Annotation {
    /// A new manual, accepted annotation over `bytes` of `article_text`.
    pub fn new_manual(label: LabelId, text: &str, bytes: ByteRange, span: CharRange, author: &str, now: &str) -> Self {
        let (prefix, suffix) = context(text, bytes);
        Self {
            id: AnnotationId::fresh(),
            label,
            start: span.start,
            end: span.end,
            quote: text[bytes.as_range()].to_owned(),
            prefix,
            suffix,
            fragments: Vec::new(),
            attributes: BTreeMap::new(),
            links: BTreeMap::new(),
            entity: None,
            note: None,
            author: author.to_owned(),
            created: now.to_owned(),
            modified: now.to_owned(),
            origin: Origin::Manual,
            status: Status::Accepted,
            suggestion: None,
            reviews: Vec::new(),
            anchor: None,
        }
    }

    /// A new suggestion over `bytes` of `text`: origin Detector, status Proposed.
    pub fn new_proposed(
        label: LabelId,
        text: &str,
        bytes: ByteRange,
        span: CharRange,
        by: Suggestion,
        now: &str,
    ) -> Self {
        let author = by.origin();
        Self {
            origin: Origin::Detector,
            status: Status::Proposed,
            suggestion: Some(by),
            ..Self::new_manual(label, text, bytes, span, &author, now)
        }
    }

    /// A suggestion no person has accepted or rejected yet.
    pub fn is_proposed(&self) -> bool {
        self.status == Status::Proposed
    }

    /// A suggestion a person turned down: remembered, not part of the coding.
    pub fn is_rejected(&self) -> bool {
        self.status == Status::Rejected
    }

    /// The verdict that stands: the last review entry that is not a mere comment.
    pub fn verdict(&self) -> Option<&Review> {
        self.reviews.iter().rev().find(|r| r.verdict != Verdict::Comment)
    }

    /// This annotation with one more review entry. The coding and its `modified` time stay
    /// as the coder left them: a review is about the coding, not a change to it.
    pub fn reviewed(&self, verdict: Verdict, by: &str, at: &str, comment: Option<&str>) -> Self {
        let mut next = self.clone();
        let comment = comment.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        next.reviews.push(Review { verdict, by: by.to_owned(), at: at.to_owned(), comment });
        next
    }

    /// This annotation accepted (or rejected) at `now`, changing nothing else.
    pub fn with_status(&self, status: Status, now: &str) -> Self {
        Self { status, modified: now.to_owned(), ..self.clone() }
    }

    pub fn span(&self) -> CharRange {
        CharRange::new(self.start, self.end)
    }

    /// This annotation with a one-of attribute set: `kind: One("DonationAppeal")`.
    pub fn with_value(mut self, attribute: &str, value: &str) -> Self {
        self.attributes.insert(attribute.to_owned(), AttrValue::One(value.to_owned()));
        self
    }

    /// The span from the start of the first fragment to the end of the last.
    pub fn hull(&self) -> CharRange {
        let end = self.fragments.iter().map(|f| f.end).fold(self.end, usize::max);
        CharRange::new(self.start, end)
    }

    /// Every piece, the first included, in text order: (span, quote).
    pub fn pieces(&self) -> impl Iterator<Item = (CharRange, &str)> {
        std::iter::once((self.span(), self.quote.as_str()))
            .chain(self.fragments.iter().map(|f| (f.span(), f.quote.as_str())))
    }

    /// Whether `other` has the same label on the same pieces (offsets of the first piece and
    /// of every fragment), compared in place: imports and merges ask it of many pairs.
    pub fn same_span(&self, other: &Annotation) -> bool {
        self.label == other.label && self.pieces().map(|(r, _)| r).eq(other.pieces().map(|(r, _)| r))
    }

    /// The quote of every piece, joined with " … " where text was left out.
    pub fn full_quote(&self) -> String {
        if self.fragments.is_empty() {
            return self.quote.clone();
        }
        self.pieces().map(|(_, q)| q).collect::<Vec<_>>().join(" … ")
    }

    /// The targets of relation `rel`.
    pub fn linked(&self, rel: &str) -> &[AnnotationId] {
        self.links.get(rel).map_or(&[], Vec::as_slice)
    }

    /// Whether any relation of this annotation points at `id`.
    pub fn links_to(&self, id: &AnnotationId) -> bool {
        self.links.values().any(|v| v.contains(id))
    }

    /// Adds `id` to relation `rel` (after the others); false when it was there already.
    pub fn link(&mut self, rel: &str, id: AnnotationId) -> bool {
        let v = self.links.entry(rel.to_owned()).or_default();
        if v.contains(&id) {
            return false;
        }
        v.push(id);
        true
    }

    /// Drops `id` from every relation (a relation left empty goes); whether it was there.
    pub fn unlink(&mut self, id: &AnnotationId) -> bool {
        let had = self.links_to(id);
        for v in self.links.values_mut() {
            v.retain(|t| t != id);
        }
        self.links.retain(|_, v| !v.is_empty());
        had
    }

    /// Stable file order: start, end, then id.
    pub fn sort_key(&self) -> (usize, usize, &AnnotationId) {
        (self.start, self.end, &self.id)
    }
}

/// Up to [`CONTEXT_CHARS`] code points on each side of `bytes`, scanning only that far.
pub fn context(text: &str, bytes: ByteRange) -> (String, String) {
    let before = &text[..bytes.start];
    let start = before.char_indices().rev().take(CONTEXT_CHARS).last().map_or(bytes.start, |(b, _)| b);
    let after = &text[bytes.end..];
    let end = after.char_indices().nth(CONTEXT_CHARS).map_or(text.len(), |(b, _)| bytes.end + b);
    (text[start..bytes.start].to_owned(), text[bytes.end..end].to_owned())
}

/// `s` on one line (each run of whitespace one space), cut to `max` code points with `…`:
/// how reports and messages quote an annotation.
pub fn excerpt(s: &str, max: usize) -> String {
    let one = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &one[..i]),
        None => one,
    }
}

/// Now, as RFC 3339 UTC to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The annotator's name: `--annotator`, else $USER, else the account's name, else "unknown".
pub fn default_author(flag: Option<&str>) -> String {
    author_from(flag, std::env::var("USER").ok().as_deref(), account_name)
}

/// [`default_author`] with its sources given, so tests need not change the environment. The
/// account is asked only when nothing else names the coder: $USER is unset in cron jobs,
/// containers and `env -i`, and "unknown" in a shared corpus says nothing about who coded.
fn author_from(flag: Option<&str>, user: Option<&str>, account: impl FnOnce() -> Option<String>) -> String {
    let given = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    given(flag).or_else(|| given(user)).or_else(account).unwrap_or_else(|| "unknown".into())
}

/// The login name of the account this process runs as, from the password database.
#[cfg(unix)]
fn account_name() -> Option<String> {
    // getpwuid_r with a buffer we own: getpwuid's static result is not thread-safe.
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: every pointer is to memory we own and that outlives the call; the result, when
    // not null, points into `pw` and `buf`.
    let rc = unsafe { libc::getpwuid_r(libc::getuid(), &mut pw, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pw.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name is a NUL-terminated string inside `buf`, alive here.
    let name = unsafe { std::ffi::CStr::from_ptr(pw.pw_name) }.to_string_lossy().trim().to_owned();
    (!name.is_empty()).then_some(name)
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_written_to_exports_are_the_serde_names() {
        let json = |v: &dyn erased::Name| v.serde_name();
        for o in [Origin::Manual, Origin::Detector, Origin::Imported] {
            assert_eq!(json(&o), o.as_str());
        }
        for st in [Status::Proposed, Status::Accepted, Status::Rejected] {
            assert_eq!(json(&st), st.as_str());
        }
    }

    mod erased {
        /// The serde name of a unit variant, through serde_json (a dependency of the crate).
        pub trait Name {
            fn serde_name(&self) -> String;
        }
        impl<T: serde::Serialize> Name for T {
            fn serde_name(&self) -> String {
                serde_json::to_value(self).unwrap().as_str().unwrap().to_owned()
            }
        }
    }

    #[test]
    fn context_takes_32_code_points_each_side_even_with_emoji() {
        let text = format!("{}[x]{}", "😀".repeat(40), "中".repeat(40));
        let s = text.find("[x]").unwrap();
        let (p, q) = context(&text, ByteRange::new(s, s + 3));
        assert_eq!(p, "😀".repeat(32));
        assert_eq!(q, "中".repeat(32));
    }

    #[test]
    fn context_is_shorter_near_the_edges() {
        let (p, q) = context("ab", ByteRange::new(1, 2));
        assert_eq!((p.as_str(), q.as_str()), ("a", ""));
    }

    #[test]
    fn excerpts_fold_whitespace_and_cut_by_code_point() {
        assert_eq!(excerpt(" a\n\n b ", 10), "a b");
        assert_eq!(excerpt("👍🏽 Peskov", 3), "👍🏽 …");
    }

    #[test]
    fn fresh_ids_are_64_bits_as_16_hex_digits() {
        for _ in 0..100 {
            let id = AnnotationId::fresh();
            assert_eq!(id.0.len(), 16, "{id}");
            assert!(id.0.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
        }
        // Ids from files written with 8 digits stay what they were: ids are plain strings.
        let old: Annotation = ron::from_str(
            "(id: \"1a2b3c4d\", label: \"Source\", start: 0, end: 6, quote: \"Песков\", prefix: \"\", suffix: \"\", \
             author: \"т\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\")",
        )
        .unwrap();
        assert_eq!(old.id, AnnotationId("1a2b3c4d".into()));
    }

    #[test]
    fn without_user_the_author_is_the_account_name_then_unknown() {
        let account = || Some("ольга".to_owned());
        assert_eq!(author_from(Some("Зоя"), Some("x"), account), "Зоя", "--annotator first");
        assert_eq!(author_from(None, Some("łukasz"), account), "łukasz", "then $USER");
        assert_eq!(author_from(None, None, account), "ольга", "then the account");
        assert_eq!(author_from(None, Some(" "), account), "ольга", "a blank $USER is no name");
        assert_eq!(author_from(None, None, || None), "unknown");
        #[cfg(unix)]
        {
            // The real account: root here, or whoever runs the tests; never empty.
            let me = account_name().expect("the account running the tests has a name");
            assert!(!me.is_empty() && me != "unknown", "{me}");
        }
    }

    #[test]
    fn fresh_ids_differ() {
        let ids: std::collections::HashSet<_> = (0..1000).map(|_| AnnotationId::fresh()).collect();
        assert_eq!(ids.len(), 1000);
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T');
    }
    #[test]
    fn a_review_records_who_and_when_and_the_last_verdict_stands() {
        let text = "«Мы не согласны», — сказал Песков.";
        let span = CharRange::new(1, 15);
        let bytes = crate::model::units::CharIndex::new(text).to_bytes(text, span).expect("in the text");
        let a = Annotation::new_manual(LabelId::new("Claim"), text, bytes, span, "coder", "2026-12-01T10:00:00Z");
        assert_eq!(a.verdict(), None);
        let r = a.reviewed(Verdict::Disputed, "Редактор", "2026-12-01T11:00:00Z", Some("  не утверждение "));
        let r = r.reviewed(Verdict::Comment, "Редактор", "2026-12-01T11:01:00Z", Some("см. абзац 2"));
        let v = r.verdict().expect("a verdict");
        assert_eq!(
            (v.verdict, v.by.as_str(), v.comment.as_deref()),
            (Verdict::Disputed, "Редактор", Some("не утверждение"))
        );
        assert_eq!(r.modified, a.modified, "a review is not a change to the coding");
        let r = r.reviewed(Verdict::Approved, "Главред", "2026-12-01T12:00:00Z", None);
        assert_eq!(r.verdict().map(|v| v.verdict), Some(Verdict::Approved));
        assert_eq!(r.reviews.len(), 3, "the history stays");
    }
}
