//! Which field of a record is its text, title, id, outlet, …: the mapping of a container's
//! field names onto an article.
//!
//! Scrapers and news databases each name their fields their own way (news-please writes
//! `maintext` and `date_publish`, trafilatura `text` and `date`, a database export
//! `body` and `pub_date`), so a record is read through a [`Fields`] mapping. Every role has
//! a list of the names known tools use, tried in order, so news-please and trafilatura
//! output opens with no setting; a corpus names its own fields once, in `corpus.ron` at its
//! root (for every container, or per file), and the command line can override the three that
//! matter most (`--text-field`, `--title-field`, `--id-field`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The corpus's settings file, at its root.
pub const CONFIG_FILE: &str = "corpus.ron";

/// Field names for each role; a name given here is the only one tried for that role (a
/// corpus that says its text is `body` never takes a `text` field for it). A name may be a
/// dotted path into nested objects (`source.name`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fields {
    pub text: Option<String>,
    pub title: Option<String>,
    /// The record's stable id: annotations are keyed by it.
    pub id: Option<String>,
    pub outlet: Option<String>,
    pub authors: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub section: Option<String>,
}

/// What `corpus.ron` holds: the field mapping for every container, and per container file
/// (by its path relative to the root) where one differs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorpusConfig {
    pub fields: Fields,
    pub files: BTreeMap<String, Fields>,
    /// Who codes the corpus and where their folders are (`model::team`).
    pub team: crate::model::team::Team,
}

/// The roles a record's fields can play, each with the names tried when the corpus names
/// none, in order: news-please's, trafilatura's, then names news databases use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Text,
    Title,
    Id,
    Outlet,
    Authors,
    Published,
    Url,
    Language,
    Section,
}

impl Role {
    /// The names tried when the mapping gives none.
    pub fn known_names(self) -> &'static [&'static str] {
        match self {
            Role::Text => &[
                "maintext",
                "text",
                "body",
                "content",
                "full_text",
                "fulltext",
                "article_text",
                "article",
                "raw_text",
                "story",
            ],
            Role::Title => &["title", "headline", "heading"],
            Role::Id => &["id", "_id", "uuid", "doc_id", "docid", "article_id", "guid", "record_id"],
            Role::Outlet => &[
                "outlet",
                "sitename",
                "site_name",
                "publisher",
                "publication",
                "source_domain",
                "source",
                "hostname",
                "domain",
                "media",
            ],
            Role::Authors => &["authors", "author", "byline", "creator", "creators"],
            Role::Published => {
                &["date_publish", "published", "date_published", "pub_date", "publish_date", "date", "datetime"]
            }
            Role::Url => &["url", "link", "canonical_url", "source_url", "uri"],
            Role::Language => &["language", "lang", "locale"],
            Role::Section => &["section", "category", "categories", "rubric"],
        }
    }

    /// The option or `corpus.ron` field that names it, for messages.
    pub fn setting(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Title => "title",
            Role::Id => "id",
            Role::Outlet => "outlet",
            Role::Authors => "authors",
            Role::Published => "published",
            Role::Url => "url",
            Role::Language => "language",
            Role::Section => "section",
        }
    }
}

impl Fields {
    /// The field this mapping names for `role`, if it names one.
    pub fn named(&self, role: Role) -> Option<&str> {
        match role {
            Role::Text => self.text.as_deref(),
            Role::Title => self.title.as_deref(),
            Role::Id => self.id.as_deref(),
            Role::Outlet => self.outlet.as_deref(),
            Role::Authors => self.authors.as_deref(),
            Role::Published => self.published.as_deref(),
            Role::Url => self.url.as_deref(),
            Role::Language => self.language.as_deref(),
            Role::Section => self.section.as_deref(),
        }
    }

    /// The names to try for `role`, in order: the one named, else the known ones.
    pub fn candidates(&self, role: Role) -> Candidates<'_> {
        match self.named(role) {
            Some(n) => Candidates::One(Some(n)),
            None => Candidates::Known(role.known_names().iter()),
        }
    }

    /// This mapping with every role `over` names taken from it.
    pub fn overridden_by(&self, over: &Fields) -> Fields {
        let pick = |a: &Option<String>, b: &Option<String>| b.clone().or_else(|| a.clone());
        Fields {
            text: pick(&self.text, &over.text),
            title: pick(&self.title, &over.title),
            id: pick(&self.id, &over.id),
            outlet: pick(&self.outlet, &over.outlet),
            authors: pick(&self.authors, &over.authors),
            published: pick(&self.published, &over.published),
            url: pick(&self.url, &over.url),
            language: pick(&self.language, &over.language),
            section: pick(&self.section, &over.section),
        }
    }

    /// What to tell someone whose records have no field for `role`.
    pub fn missing(&self, role: Role) -> String {
        match self.named(role) {
            Some(n) => format!(
                "no {0} (its `{n}` field, the {0} field named by the mapping, is missing or empty)",
                role.setting()
            ),
            None => format!(
                "no {} (no field {} holds any); name its field with --{}-field NAME or in {CONFIG_FILE}",
                role.setting(),
                role.known_names().join(" or "),
                role.setting()
            ),
        }
    }
}

/// The field names tried for a role.
pub enum Candidates<'a> {
    One(Option<&'a str>),
    Known(std::slice::Iter<'static, &'static str>),
}

impl<'a> Iterator for Candidates<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        match self {
            Candidates::One(n) => n.take(),
            Candidates::Known(it) => it.next().copied(),
        }
    }
}

/// Why `corpus.ron` could not be used: its path, and the line and column from RON.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl CorpusConfig {
    /// Reads `root/corpus.ron`; the default when there is none.
    pub fn load(root: &Path) -> Result<CorpusConfig, ConfigError> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CorpusConfig::default()),
            Err(e) => return Err(ConfigError { path, message: format!("cannot read: {e}") }),
        };
        let config = parse(&text).map_err(|e| ConfigError {
            message: format!(
                "{}:{}: {}; it holds `(fields: (text: \"body\", id: \"doc_id\", …), files: {{\"x.csv\": (…)}}, \
                 team: (coders: [\"alice\", \"bob\"]))`",
                e.span.start.line, e.span.start.col, e.code
            ),
            path: path.clone(),
        })?;
        // A coder's name is a folder name: one that is not is an error here, with its line,
        // not a column that silently never fills.
        config
            .team
            .check(&path, &text)
            .map_err(|e| ConfigError { message: format!("{}: team: {}", e.line, e.why), path })?;
        Ok(config)
    }

    /// The mapping for the container at `rel` (relative to the root, `/`-separated), with
    /// the command line's `over` on top.
    pub fn fields_for(&self, rel: &str, over: &Fields) -> Fields {
        let base = self.files.get(rel).map_or_else(|| self.fields.clone(), |f| self.fields.overridden_by(f));
        base.overridden_by(over)
    }
}

/// Parses `corpus.ron`, with `text: "body"` meaning `Some("body")`: nobody should have to
/// write `Some` to name a field.
fn parse(text: &str) -> Result<CorpusConfig, ron::error::SpannedError> {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME).from_str(text)
}

/// A record key as a file name: letters and digits (of any script), `-`, `_` and `.` (not
/// leading) kept,
/// anything else `_`, at most 80 bytes; when anything was changed, a hash of the key is
/// appended so two keys never share a file (`https://a.b/x?y` → `https_a.b_x_y~1f3a9c0e`).
pub fn file_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len().min(96));
    let mut changed = false;
    for (i, c) in key.chars().enumerate() {
        let keep = c.is_alphanumeric() || c == '-' || c == '_' || (c == '.' && i > 0);
        if out.len() + c.len_utf8() > 80 {
            changed = true;
            break;
        }
        if keep {
            out.push(c);
        } else {
            changed = true;
            if !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    if out.is_empty() || changed {
        out.push_str(&format!("~{:08x}", fnv32(key)));
    }
    out
}

/// FNV-1a, 32 bits: stable across versions and platforms, unlike std's hasher.
fn fnv32(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_that_is_a_safe_name_is_its_own_file_name_and_others_get_a_hash() {
        assert_eq!(file_key("a-17_b.2"), "a-17_b.2");
        let url = file_key("https://lenta.ru/news/2026/11/30/песков/");
        assert!(url.starts_with("https_lenta.ru_news_2026_11_30_"), "{url}");
        assert!(url.contains('~'));
        assert_ne!(file_key("a/b"), file_key("a?b"), "keys that sanitise alike still differ");
        assert_eq!(file_key("статья-7"), "статья-7", "letters of any script are kept");
        assert_ne!(file_key("статья/1"), file_key("статья?1"));
        assert!(file_key(&"x".repeat(300)).len() < 100);
        assert!(!file_key(".hidden").starts_with('.'));
    }

    #[test]
    fn a_named_field_is_the_only_candidate_and_the_command_line_wins() {
        let cfg = parse("(fields: (text: \"тело\"), files: {\"база.csv\": (id: \"код\")})").unwrap();
        let f = cfg.fields_for("база.csv", &Fields { title: Some("заголовок".into()), ..Default::default() });
        assert_eq!(f.candidates(Role::Text).collect::<Vec<_>>(), ["тело"]);
        assert_eq!(f.candidates(Role::Id).collect::<Vec<_>>(), ["код"]);
        assert_eq!(f.candidates(Role::Title).collect::<Vec<_>>(), ["заголовок"]);
        assert_eq!(f.candidates(Role::Url).next(), Some("url"));
        assert!(cfg.fields_for("другой.csv", &Fields::default()).id.is_none());
        assert!(f.missing(Role::Text).contains("`тело`"));
        assert!(Fields::default().missing(Role::Text).contains("--text-field"));
    }

    #[test]
    fn a_broken_config_names_its_file_line_and_column() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(CONFIG_FILE), "(\n  fields: (текст: \"x\"),\n)").unwrap();
        let e = CorpusConfig::load(d.path()).unwrap_err().to_string();
        assert!(e.contains("corpus.ron: 2:"), "{e}");
        assert_eq!(CorpusConfig::load(&d.path().join("нет")).unwrap(), CorpusConfig::default());
    }
}
