//! One annotation: what was marked, where, by whom, and how sure we are of it.
//!
//! The record already carries `origin` and `status` although this version only writes
//! `Manual`/`Accepted`: detectors and review passes will add suggestions later, and a file
//! written today must load unchanged then. Offsets are code points ([`CharRange`]); the quote
//! with its prefix/suffix context (the W3C TextQuoteSelector idea) lets a changed article be
//! re-anchored.

use super::units::{ByteRange, CharRange};
use serde::{Deserialize, Serialize};
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

/// What kind of non-article text a boilerplate span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BoilerplateKind {
    DuplicateHeadline,
    DonationAppeal,
    Copyright,
    Newsletter,
    Navigation,
    Advertisement,
    RelatedLinks,
    TemplateResidue,
    Other,
}

impl BoilerplateKind {
    pub const ALL: [BoilerplateKind; 9] = [
        Self::DuplicateHeadline,
        Self::DonationAppeal,
        Self::Copyright,
        Self::Newsletter,
        Self::Navigation,
        Self::Advertisement,
        Self::RelatedLinks,
        Self::TemplateResidue,
        Self::Other,
    ];

    /// The name files and exports use (the serde name): `DonationAppeal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DuplicateHeadline => "DuplicateHeadline",
            Self::DonationAppeal => "DonationAppeal",
            Self::Copyright => "Copyright",
            Self::Newsletter => "Newsletter",
            Self::Navigation => "Navigation",
            Self::Advertisement => "Advertisement",
            Self::RelatedLinks => "RelatedLinks",
            Self::TemplateResidue => "TemplateResidue",
            Self::Other => "Other",
        }
    }

    /// Human wording for menus and reports.
    pub fn describe(self) -> &'static str {
        match self {
            Self::DuplicateHeadline => "duplicated headline",
            Self::DonationAppeal => "donation appeal",
            Self::Copyright => "copyright footer",
            Self::Newsletter => "newsletter prompt",
            Self::Navigation => "navigation",
            Self::Advertisement => "advertisement",
            Self::RelatedLinks => "related links",
            Self::TemplateResidue => "template residue",
            Self::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Label {
    /// Who is quoted or cited.
    Source,
    /// What is put forward as fact or position.
    Claim,
    /// Text that is not the article.
    Boilerplate(BoilerplateKind),
}

impl Label {
    /// Short name for the sidebar and counts.
    pub fn short(self) -> &'static str {
        match self {
            Label::Source => "Source",
            Label::Claim => "Claim",
            Label::Boilerplate(_) => "Boilerplate",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Boilerplate(k) => write!(f, "Boilerplate ({})", k.describe()),
            other => f.write_str(other.short()),
        }
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

/// How many code points of context are stored on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub label: Label,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a claim: the id of the Source annotation that makes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<AnnotationId>,
    /// For a claim made by several sources ("Russia and Ukraine said"): the others, after
    /// `source`. Empty (and not written) for the usual one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_sources: Vec<AnnotationId>,
    pub author: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// RFC 3339, UTC.
    pub modified: String,
    #[serde(default)]
    pub origin: Origin,
    #[serde(default)]
    pub status: Status,
    /// Set when the article changed and re-anchoring needs a person's look; cleared when the
    /// person confirms, re-targets or deletes the annotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<AnchorNote>,
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
    pub fn new_manual(label: Label, text: &str, bytes: ByteRange, span: CharRange, author: &str, now: &str) -> Self {
        let (prefix, suffix) = context(text, bytes);
        Self {
            id: AnnotationId::fresh(),
            label,
            start: span.start,
            end: span.end,
            quote: text[bytes.as_range()].to_owned(),
            prefix,
            suffix,
            note: None,
            source: None,
            more_sources: Vec::new(),
            author: author.to_owned(),
            created: now.to_owned(),
            modified: now.to_owned(),
            origin: Origin::Manual,
            status: Status::Accepted,
            anchor: None,
        }
    }

    pub fn span(&self) -> CharRange {
        CharRange::new(self.start, self.end)
    }

    /// Every source of a claim: `source`, then `more_sources`.
    pub fn sources(&self) -> impl Iterator<Item = &AnnotationId> {
        self.source.iter().chain(&self.more_sources)
    }

    /// Whether `id` is one of this claim's sources.
    pub fn cites(&self, id: &AnnotationId) -> bool {
        self.sources().any(|s| s == id)
    }

    /// Drops `id` from the sources (the next one becomes the first); whether it was there.
    pub fn uncite(&mut self, id: &AnnotationId) -> bool {
        let had = self.cites(id);
        let rest: Vec<AnnotationId> = self.sources().filter(|s| *s != id).cloned().collect();
        let mut rest = rest.into_iter();
        self.source = rest.next();
        self.more_sources = rest.collect();
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
        for k in BoilerplateKind::ALL {
            assert_eq!(json(&k), k.as_str());
        }
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
            "(id: \"1a2b3c4d\", label: Source, start: 0, end: 6, quote: \"Песков\", prefix: \"\", suffix: \"\", \
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
}
