//! The one place an article is loaded, for every caller.
//!
//! The TUI (open, reload), the exports, imports, `check`, `tag`, `show` and `search` all get
//! their [`Article`] here, and the corpus scan asks [`Format::of`] which files are articles,
//! so the formats newsnote reads are one table ([`FORMATS`]): a new format is one module
//! and one line there. Each format turns what the file holds into the article's text and
//! its [`ArticleMeta`]; the rest of the crate sees only that.
//!
//! A source is a value ([`Source`]) rather than a bare path because a container format
//! (JSON Lines, JSON, CSV; `model::container`) holds many articles in one file: each record
//! is a source of its own (the file, its index, the record), while a `.txt` file is one.

use super::article::{self, Article, ArticleError};
use super::container::{self, Index, Kind};
use super::corpus::Entry;
use super::meta::ArticleMeta;
use std::path::Path;

/// How an article's file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (`.txt`, `.md`): the file is the text, BOM stripped and CRLF → LF.
    Text,
    /// A saved web page (`.html`, `.htm`, gzip-compressed `.html.gz`): the text is all its
    /// visible text, its blocks kept (`model::html`), with the page's metadata.
    Html,
    /// JSON Lines (`.jsonl`, `.ndjson`): a record per line, each an article
    /// (`model::container`).
    JsonLines,
    /// JSON (`.json`): an array of records, or one record.
    Json,
    /// A table with a text column (`.csv`, `.tsv`).
    Csv,
    /// A web archive (`.warc`, `.warc.gz`): each HTML record is a page, read as `Html` is.
    Warc,
}

/// Every extension newsnote reads, with the format that reads it. The corpus scan, the
/// single-file check and the error for a file of another kind all take it from here.
pub const FORMATS: &[(&str, Format)] = &[
    ("txt", Format::Text),
    ("md", Format::Text),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("html.gz", Format::Html),
    ("htm.gz", Format::Html),
    ("jsonl", Format::JsonLines),
    ("ndjson", Format::JsonLines),
    ("json", Format::Json),
    ("csv", Format::Csv),
    ("tsv", Format::Csv),
    ("warc", Format::Warc),
    ("warc.gz", Format::Warc),
];

impl Format {
    /// The format of a file, from its extension (case-sensitive, as the scan always was), or
    /// `None` when newsnote does not read files of that kind.
    pub fn of(path: &Path) -> Option<Format> {
        // By the name's end, so a two-part extension (`.html.gz`) is one entry of the table.
        // Bytes, not text: a name that is not UTF-8 still ends in `.txt`.
        let name = path.file_name()?.as_encoded_bytes();
        FORMATS
            .iter()
            .find(|(e, _)| {
                let e = e.as_bytes();
                name.len() > e.len() + 1 && name.ends_with(e) && name[name.len() - e.len() - 1] == b'.'
            })
            .map(|&(_, f)| f)
    }

    /// The name scripts see (`list --json`'s `format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::JsonLines => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Warc => "warc",
        }
    }

    /// How a container's records are laid out, for a format whose file holds many
    /// articles; `None` for a file that is one article.
    pub fn container(self) -> Option<Kind> {
        match self {
            Format::Text | Format::Html => None,
            Format::JsonLines => Some(Kind::JsonLines),
            Format::Json => Some(Kind::Json),
            Format::Csv => Some(Kind::Csv),
            Format::Warc => Some(Kind::Warc),
        }
    }

    /// The extractor and its version, recorded in annotation files, when the text is made
    /// from the file rather than being the file: a changed extractor changes the text, and
    /// the record says why the annotations were re-anchored. `None` for plain text, whose
    /// text is the file itself, so its annotation files stay as they were.
    pub fn extraction(self) -> Option<&'static str> {
        match self {
            Format::Text | Format::JsonLines | Format::Json | Format::Csv => None,
            Format::Html | Format::Warc => Some(super::html::EXTRACTOR_VERSION),
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

/// Where an article comes from: a whole file, or a record of a container file.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    File(&'a Path),
    /// Record `n` of the container `file`, as its index found it.
    Record {
        file: &'a Path,
        index: &'a Index,
        n: usize,
    },
}

impl Source<'_> {
    /// The file that holds the article.
    pub fn file(&self) -> &Path {
        match self {
            Source::File(p) | Source::Record { file: p, .. } => p,
        }
    }
}

/// Reads a container's record, its error as the article's (file named, what is wrong).
fn record_of(file: &Path, index: &Index, n: usize) -> Result<container::Record, ArticleError> {
    container::read(file, index, n).map_err(|e| ArticleError::Io { path: file.to_path_buf(), source: e.into_io() })
}

/// The title a record is listed under: its title field, else its text's first line.
fn record_title(r: &container::Record) -> String {
    r.meta.title.clone().or_else(|| article::title_of(&r.text)).unwrap_or_default()
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
    let path = match source {
        Source::File(path) => path,
        Source::Record { file, index, n } => {
            let r = record_of(file, index, n)?;
            let title = record_title(&r);
            let mut a = Article::from_text(id, file.to_path_buf(), r.text, r.warnings);
            if !title.is_empty() {
                a.title = title;
            }
            a.meta = r.meta;
            a.blocks = r.blocks;
            a.lossy = r.lossy;
            a.format = Format::of(file).unwrap_or(Format::Text);
            return Ok(a);
        }
    };
    match Format::of(path).unwrap_or(Format::Text) {
        // A container named alone is read as the text it is; the corpus lists its records.
        Format::Text | Format::JsonLines | Format::Json | Format::Csv | Format::Warc => {
            let bytes = article::read_limited(path)?;
            Ok(Article::from_bytes(id, path.to_path_buf(), &bytes))
        }
        Format::Html => {
            let bytes = article::read_limited(path)?;
            let page = page_of(path, &bytes)?;
            let mut a = Article::from_text(id, path.to_path_buf(), page.text, page.warnings);
            // The page's own headline names the article better than its first block, which
            // is often navigation.
            if let Some(t) = page.meta.title.as_ref().filter(|t| !t.trim().is_empty()) {
                a.title = t.trim().to_owned();
            }
            a.meta = page.meta;
            a.format = Format::Html;
            a.blocks = page.blocks;
            Ok(a)
        }
    }
}

/// A page read by `model::html`, its error as the article's (file named, what is wrong).
fn page_of(path: &Path, bytes: &[u8]) -> Result<super::html::Page, ArticleError> {
    super::html::read_page(bytes).map_err(|e| ArticleError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
    })
}

/// What the corpus search looks through for the article at `source`, into `buf` (cleared
/// first, and reused across files so a search allocates per thread, not per file): for plain
/// text the file's bytes as they are, since the search reads a BOM and CRLF as the article
/// does; a format whose text is made from the file will put that text here, so markup is
/// never searched. A file over the size limit is an error of kind `FileTooLarge`.
pub fn read_searchable(source: Source<'_>, buf: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    buf.clear();
    let path = match source {
        Source::File(path) => path,
        Source::Record { file, index, n } => {
            let r = record_of(file, index, n).map_err(|e| std::io::Error::other(e.to_string()))?;
            buf.extend_from_slice(r.text.as_bytes());
            return Ok(());
        }
    };
    match Format::of(path).unwrap_or(Format::Text) {
        Format::Text | Format::JsonLines | Format::Json | Format::Csv | Format::Warc => {
            let limit = article::max_article_bytes();
            let f = std::fs::File::open(path)?;
            let size = f.metadata()?.len();
            if size > limit {
                let why = ArticleError::TooLarge { path: path.to_path_buf(), size, limit };
                return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, why.to_string()));
            }
            f.take(limit).read_to_end(buf).map(|_| ())
        }
        // The page's text, not its markup: a search for a word finds what the coder reads.
        // (The extraction alone: the search needs no paragraphs or index of the article.)
        Format::Html => {
            let io = |e: ArticleError| std::io::Error::other(e.to_string());
            let page = page_of(path, &article::read_limited(path).map_err(io)?).map_err(io)?;
            buf.extend_from_slice(page.text.as_bytes());
            Ok(())
        }
    }
}

/// The title and metadata of the article at `source` from the head of its file only (the
/// first 4 KiB for text), so listing a corpus never reads whole articles. A file over the
/// size limit is an error of kind `FileTooLarge`.
pub fn head(source: Source<'_>) -> std::io::Result<Head> {
    let path = match source {
        Source::File(path) => path,
        // A record is read whole: it is one line or row, and its metadata are fields.
        Source::Record { file, index, n } => {
            let r = container::read(file, index, n).map_err(container::ContainerError::into_io)?;
            return Ok(Head { title: record_title(&r), meta: r.meta });
        }
    };
    match Format::of(path).unwrap_or(Format::Text) {
        // A text file's only metadata is its first line, which is its title already.
        Format::Text | Format::JsonLines | Format::Json | Format::Csv | Format::Warc => {
            Ok(Head { title: article::read_title(path)?, meta: ArticleMeta::default() })
        }
        // The metadata is in the page's head: the first 64 KiB (decompressed) hold it on
        // nearly every page, so a list row costs that parse, not the whole page's.
        Format::Html => {
            let page = page_head(path)?;
            let title = page
                .meta
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| article::title_of(&page.text).unwrap_or_default());
            Ok(Head { title, meta: page.meta })
        }
    }
}

/// How much of a page the list reads for its title and metadata.
const HEAD_BYTES: u64 = 64 << 10;

/// The first [`HEAD_BYTES`] of a page (decompressed as far as that takes, for `.gz`), read
/// as a page: enough for its head's metadata and title.
fn page_head(path: &Path) -> std::io::Result<super::html::Page> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    let mut head = magic[..n].to_vec();
    if head == [0x1f, 0x8b] {
        head.clear();
        let whole = std::io::Cursor::new(magic).chain(f);
        // A cut stream is expected here: what was decompressed so far is the head.
        let _ = flate2::read::MultiGzDecoder::new(whole).take(HEAD_BYTES).read_to_end(&mut head);
    } else {
        f.take(HEAD_BYTES - n as u64).read_to_end(&mut head)?;
    }
    super::html::read_page(&head).map_err(std::io::Error::other)
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
        assert_eq!(
            extensions_for_people(),
            ".txt, .md, .html, .htm, .html.gz, .htm.gz, .jsonl, .ndjson, .json, .csv, .tsv, .warc or .warc.gz"
        );
        assert_eq!(Format::of(Path::new("страница.html.gz")), Some(Format::Html));
        assert_eq!(Format::of(Path::new(".gz")), None);
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

    #[test]
    fn a_saved_page_gzipped_or_not_is_an_article_with_its_visible_text_and_metadata() {
        use std::io::Write;
        let d = tempfile::tempdir().unwrap();
        let page = "<html lang=\"uk\"><head><title>Київ: новини</title>\
            <meta property=\"og:site_name\" content=\"Українська правда\">\
            <meta property=\"article:published_time\" content=\"2026-11-30T08:15:00+02:00\"></head>\
            <body><nav>Головна</nav><h1>Переговори тривають</h1><p>«Ми готові», — сказав Песков.</p>\
            <script>var hidden = 'не текст';</script></body></html>";
        let plain = d.path().join("стаття.html");
        std::fs::write(&plain, page).unwrap();
        let gz = d.path().join("стаття2.html.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(page.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let corpus =
            super::super::corpus::Corpus::open(d.path(), super::super::corpus::AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(corpus.entries.len(), 2, "the gzipped page is not taken for a binary file");
        for e in &corpus.entries {
            assert_eq!(e.title, "Переговори тривають", "the page's one headline, {}", e.id);
            assert_eq!(e.meta.outlet.as_deref(), Some("Українська правда"));
            assert_eq!(e.meta.day(), Some("2026-11-30"));
            let a = load(e).unwrap();
            assert_eq!(a.format, Format::Html);
            assert!(a.text.contains("Головна") && a.text.contains("«Ми готові», — сказав Песков."), "{}", a.text);
            assert!(!a.text.contains("не текст"), "a script is not text: {}", a.text);
            assert!(!a.blocks.is_empty());
            let mut buf = Vec::new();
            read_searchable(e.source(), &mut buf).unwrap();
            assert_eq!(buf, a.text.as_bytes(), "the search reads the page's text, not its markup");
        }
        assert_eq!(Format::Html.extraction(), Some(super::super::html::EXTRACTOR_VERSION));
    }
}
