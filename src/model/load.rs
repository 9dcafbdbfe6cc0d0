//! The one place an article is loaded, for every caller.
//!
//! The TUI (open, reload), the exports, imports, `check`, `tag`, `show` and `search` all get
//! their [`Article`] here, and the corpus scan asks [`Format::of`] which files are articles,
//! so the formats newsnote reads are one table ([`FORMATS`]): a new format is one module
//! and one line there. Each format turns what the file holds into the article's text and
//! its [`ArticleMeta`]; the rest of the crate sees only that.
//!
//! A source is a value ([`Source`]) rather than a bare path because a container format
//! (JSON Lines, CSV, WARC) will hold many articles in one file: its records will be sources
//! of their own (the file plus a record key), while a `.txt` file is one source.

use super::article::{self, Article, ArticleError};
use super::corpus::Entry;
use super::meta::ArticleMeta;
use std::path::Path;

/// How an article's file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (`.txt`, `.md`): the file is the text, BOM stripped and CRLF → LF.
    Text,
}

/// Every extension newsnote reads, with the format that reads it. The corpus scan, the
/// single-file check and the error for a file of another kind all take it from here.
pub const FORMATS: &[(&str, Format)] = &[("txt", Format::Text), ("md", Format::Text)];

impl Format {
    /// The format of a file, from its extension (case-sensitive, as the scan always was), or
    /// `None` when newsnote does not read files of that kind.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        FORMATS.iter().find(|(e, _)| *e == ext).map(|&(_, f)| f)
    }

    /// The name scripts see (`list --json`'s `format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
        }
    }

    /// The extractor and its version, recorded in annotation files, when the text is made
    /// from the file rather than being the file: a changed extractor changes the text, and
    /// the record says why the annotations were re-anchored. `None` for plain text, whose
    /// text is the file itself, so its annotation files stay as they were.
    pub fn extraction(self) -> Option<&'static str> {
        match self {
            Format::Text => None,
        }
    }
}

/// The extensions newsnote reads, for messages: `.txt or .md`.
pub fn extensions_for_people() -> String {
    let names: Vec<String> = FORMATS.iter().map(|(e, _)| format!(".{e}")).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Where an article comes from. Today every article is a whole file; a container format
/// will add a variant naming a record in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    File(&'a Path),
}

impl Source<'_> {
    /// The file that holds the article.
    pub fn file(&self) -> &Path {
        match self {
            Source::File(p) => p,
        }
    }
}

/// What the list needs of an article without reading it whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    pub title: String,
    pub meta: ArticleMeta,
}

/// Loads a corpus entry's article.
pub fn load(entry: &Entry) -> Result<Article, ArticleError> {
    load_source(entry.source(), entry.id.clone())
}

/// Loads the article at `source`, giving it `id`. A file whose extension names no format is
/// read as text: a caller that names a file explicitly (a test, a single-file corpus already
/// checked by the scan) gets what it asked for.
pub fn load_source(source: Source<'_>, id: String) -> Result<Article, ArticleError> {
    let Source::File(path) = source;
    match Format::of(path).unwrap_or(Format::Text) {
        Format::Text => {
            let bytes = article::read_limited(path)?;
            Ok(Article::from_bytes(id, path.to_path_buf(), &bytes))
        }
    }
}

/// What the corpus search looks through for the article at `source`, into `buf` (cleared
/// first, and reused across files so a search allocates per thread, not per file): for plain
/// text the file's bytes as they are, since the search reads a BOM and CRLF as the article
/// does; a format whose text is made from the file will put that text here, so markup is
/// never searched. A file over the size limit is an error of kind `FileTooLarge`.
pub fn read_searchable(source: Source<'_>, buf: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    let Source::File(path) = source;
    buf.clear();
    match Format::of(path).unwrap_or(Format::Text) {
        Format::Text => {
            let limit = article::max_article_bytes();
            let f = std::fs::File::open(path)?;
            let size = f.metadata()?.len();
            if size > limit {
                let why = ArticleError::TooLarge { path: path.to_path_buf(), size, limit };
                return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, why.to_string()));
            }
            f.take(limit).read_to_end(buf).map(|_| ())
        }
    }
}

/// The title and metadata of the article at `source` from the head of its file only (the
/// first 4 KiB for text), so listing a corpus never reads whole articles. A file over the
/// size limit is an error of kind `FileTooLarge`.
pub fn head(source: Source<'_>) -> std::io::Result<Head> {
    let Source::File(path) = source;
    match Format::of(path).unwrap_or(Format::Text) {
        // A text file's only metadata is its first line, which is its title already.
        Format::Text => Ok(Head { title: article::read_title(path)?, meta: ArticleMeta::default() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_extension_has_its_format_and_others_none() {
        for (ext, f) in FORMATS {
            assert_eq!(Format::of(Path::new(&format!("статья.{ext}"))), Some(*f));
        }
        assert_eq!(Format::of(Path::new("статья.pdf")), None);
        assert_eq!(Format::of(Path::new("без-расширения")), None);
        assert_eq!(extensions_for_people(), ".txt or .md");
    }

    #[test]
    fn a_text_article_loads_with_the_text_format_and_no_metadata() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("новости.md");
        std::fs::write(&p, "\u{feff}Заголовок\r\nТекст статьи.\r\n").unwrap();
        let a = load_source(Source::File(&p), "новости.md".into()).unwrap();
        assert_eq!(a.text, "Заголовок\nТекст статьи.\n");
        assert_eq!(a.title, "Заголовок");
        assert_eq!(a.format, Format::Text);
        assert!(a.meta.is_empty());
        let h = head(Source::File(&p)).unwrap();
        assert_eq!(h, Head { title: "Заголовок".into(), meta: ArticleMeta::default() });
    }
}
