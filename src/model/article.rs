//! An article as newsnote sees it: normalised text plus the facts every view needs.
//!
//! Normalisation is deliberately minimal (BOM stripped, CRLF → LF) because annotation offsets
//! point into this exact text; anything more would make offsets disagree with the file other
//! tools read. Paragraphs are found once at load so motions and wrapping can binary-search
//! them instead of rescanning the text.

use super::load::Format;
use super::meta::ArticleMeta;
use super::units::{ByteRange, CharIndex};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How an article separates paragraphs. News text comes both ways and the reader spaces them
/// differently: blank-line blocks already carry their spacing, one-line paragraphs need it added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphStyle {
    /// Every non-empty line is a paragraph (no blank lines anywhere).
    Lines,
    /// Paragraphs are runs of lines separated by blank lines.
    Blocks,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to the corpus root, with `/` separators: stable across machines.
    pub id: String,
    pub path: PathBuf,
    pub title: String,
    pub text: String,
    pub index: CharIndex,
    pub style: ParagraphStyle,
    /// Byte ranges of paragraphs in text order, without their trailing newline.
    pub paragraphs: Vec<ByteRange>,
    /// Problems met while decoding (e.g. invalid UTF-8), for the status bar.
    pub warnings: Vec<String>,
    /// The file was not valid UTF-8 and was decoded with U+FFFD replacements: offsets count
    /// in the decoded text, and the annotation file says so.
    pub lossy: bool,
    /// What the source says about the article besides its text; empty for plain text, whose
    /// first line is already its [`title`](Self::title).
    pub meta: ArticleMeta,
    /// The format it was loaded by ([`super::load`]).
    pub format: Format,
    /// Where each block of the text came from in its page (element path, tag, class and id
    /// names, link characters), for the detectors to come; empty for plain text. Kept in
    /// memory only, never written into annotation files.
    pub blocks: Vec<super::html::Block>,
}

/// The largest article newsnote reads: 64 MiB, about 200 times the longest news article.
/// An article is held in memory two or three times over (text, index, wrapped rows), so a
/// 1 GB log file with a `.txt` name would take gigabytes; past the limit a file is refused
/// with a message instead. [`LIMIT_ENV`] raises (or lowers) it.
pub const MAX_ARTICLE_BYTES: u64 = 64 << 20;

/// The environment variable that overrides [`MAX_ARTICLE_BYTES`], in bytes.
pub const LIMIT_ENV: &str = "NEWSNOTE_MAX_ARTICLE_BYTES";

/// The size limit in force: [`LIMIT_ENV`] if it holds a number, else [`MAX_ARTICLE_BYTES`].
/// Read once per process.
pub fn max_article_bytes() -> u64 {
    static LIMIT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *LIMIT
        .get_or_init(|| std::env::var(LIMIT_ENV).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(MAX_ARTICLE_BYTES))
}

/// `bytes` for people: `1.0 GiB`, `64 MiB`, `512 B`.
fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let (mut v, mut unit) = (bytes as f64 / 1024.0, 0);
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if v.fract() == 0.0 { format!("{v} {}", UNITS[unit]) } else { format!("{v:.1} {}", UNITS[unit]) }
}

/// Why a file of `size` bytes is not read, as a message without the path.
fn too_large(size: u64, limit: u64) -> String {
    format!(
        "{} ({size} bytes) is over the {} limit for one article; {LIMIT_ENV}=BYTES raises it",
        human(size),
        human(limit)
    )
}

#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: cannot read: {}", path.display(), too_large(*size, *limit))]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
}

/// The bytes of an article file, refusing one over [`max_article_bytes`] before reading it
/// (the size is checked on the open file, and the read is cut at the limit in case the file
/// grows meanwhile). Formats read their files through this ([`super::load`]).
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ArticleError> {
    let io = |source| ArticleError::Io { path: path.into(), source };
    let limit = max_article_bytes();
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let too_large = |size| ArticleError::TooLarge { path: path.into(), size, limit };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

impl Article {
    pub fn from_bytes(id: String, path: PathBuf, bytes: &[u8]) -> Self {
        let mut warnings = Vec::new();
        let lossy = std::str::from_utf8(bytes).is_err();
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => normalise(s),
            Err(e) => {
                warnings.push(format!(
                    "{}: invalid UTF-8 at byte {}; decoded with U+FFFD replacements",
                    path.display(),
                    e.valid_up_to()
                ));
                normalise(&String::from_utf8_lossy(bytes))
            }
        };
        Self { lossy, ..Self::from_text(id, path, text, warnings) }
    }

    pub fn from_text(id: String, path: PathBuf, text: String, warnings: Vec<String>) -> Self {
        let title = title_of(&text).unwrap_or_else(|| file_name(&path));
        let style = paragraph_style(&text);
        let paragraphs = find_paragraphs(&text, style);
        let index = CharIndex::new(&text);
        let (meta, format) = (ArticleMeta::default(), Format::Text);
        Self {
            id,
            path,
            title,
            text,
            index,
            style,
            paragraphs,
            warnings,
            lossy: false,
            meta,
            format,
            blocks: Vec::new(),
        }
    }

    /// The paragraph containing `pos`, or the nearest one after it.
    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.end < pos);
        (i < self.paragraphs.len()).then_some(i)
    }

    /// The paragraph `ip` and `ap` act on: the one at `pos`, else the next, else the last.
    fn object_paragraph(&self, pos: usize) -> Option<usize> {
        self.paragraph_at(pos).or(self.paragraphs.len().checked_sub(1))
    }

    /// `ip`: the paragraph at `pos` without its final line break (the next paragraph when
    /// `pos` is between two, the last one past the end); `None` in an article without text.
    /// A paragraph is a blank-line block or a line, as the article's [`ParagraphStyle`] says;
    /// it starts and ends at line breaks, so never inside a grapheme.
    pub fn inner_paragraph(&self, pos: usize) -> Option<ByteRange> {
        self.object_paragraph(pos)
            .map(|i| ByteRange::new(self.paragraphs[i].start, self.before_cr(self.paragraphs[i].end)))
    }

    /// `end`, or one byte less when a CR ends the paragraph there and an LF follows: CR LF is
    /// one grapheme, and normalising leaves one where the file had CR CR LF.
    fn before_cr(&self, end: usize) -> usize {
        if self.text[..end].ends_with('\r') && self.text[end..].starts_with('\n') { end - 1 } else { end }
    }

    /// `ap`: the paragraph of [`Article::inner_paragraph`] with what separates it from the
    /// next one (the blank lines after a block, the line break after a one-line paragraph),
    /// or, for the last paragraph, from the one before it.
    pub fn around_paragraph(&self, pos: usize) -> Option<ByteRange> {
        let i = self.object_paragraph(pos)?;
        let p = self.paragraphs[i];
        Some(match (i.checked_sub(1), self.paragraphs.get(i + 1)) {
            (_, Some(next)) => ByteRange::new(p.start, next.start),
            (Some(before), None) => ByteRange::new(self.before_cr(self.paragraphs[before].end), self.before_cr(p.end)),
            (None, None) => ByteRange::new(p.start, self.before_cr(p.end)),
        })
    }
}

fn normalise(s: &str) -> String {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    if s.contains("\r\n") { s.replace("\r\n", "\n") } else { s.to_owned() }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// First non-empty line, trimmed.
pub fn title_of(text: &str) -> Option<String> {
    text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_owned)
}

/// Title of an article file from its first few KB only, so listing a corpus never reads
/// whole articles.
///
/// This is where listing a corpus first opens an article, so a file over the size limit is
/// reported here (an error of kind `FileTooLarge`), in the TUI's list and every subcommand,
/// before anything tries to read it whole.
pub fn read_title(path: &Path) -> std::io::Result<String> {
    let mut head = Vec::with_capacity(4096);
    let file = std::fs::File::open(path)?;
    let (size, limit) = (file.metadata()?.len(), max_article_bytes());
    if size > limit {
        return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, too_large(size, limit)));
    }
    file.take(4096).read_to_end(&mut head)?;
    // The cut may split a char; lossy decoding only affects the unfinished last line.
    let text = String::from_utf8_lossy(&head);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let complete = if head.len() == 4096 { text.rsplit_once('\n').map_or("", |(a, _)| a) } else { text };
    Ok(title_of(complete).unwrap_or_else(|| file_name(path)))
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Blocks when some blank line sits between two non-blank lines; a trailing newline or
/// leading blank lines do not count.
pub fn paragraph_style(text: &str) -> ParagraphStyle {
    let mut seen_content = false;
    let mut blank_after_content = false;
    for line in text.split('\n') {
        if is_blank(line) {
            blank_after_content |= seen_content;
        } else if blank_after_content {
            return ParagraphStyle::Blocks;
        } else {
            seen_content = true;
        }
    }
    ParagraphStyle::Lines
}

fn find_paragraphs(text: &str, style: ParagraphStyle) -> Vec<ByteRange> {
    let mut out = Vec::new();
    let mut open: Option<ByteRange> = None;
    let mut pos = 0;
    for line in text.split('\n') {
        let r = ByteRange::new(pos, pos + line.len());
        pos = r.end + 1;
        if is_blank(line) {
            out.extend(open.take());
            continue;
        }
        match (style, open.as_mut()) {
            (ParagraphStyle::Blocks, Some(p)) => p.end = r.end,
            (ParagraphStyle::Lines, Some(_)) => out.extend(open.replace(r)),
            (_, None) => open = Some(r),
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Article {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles").join(name);
        super::super::load::load_source(super::super::load::Source::File(&path), name.into()).unwrap()
    }

    #[test]
    fn one_line_paragraph_sample_has_nine_paragraphs() {
        let a = sample("000_e37f52fc02921a26.txt");
        assert_eq!(a.style, ParagraphStyle::Lines);
        assert_eq!(a.paragraphs.len(), 9);
        assert!(a.title.starts_with("Russian President Vladimir Putin’s peace proposal"));
        let first = &a.text[a.paragraphs[2].as_range()];
        assert!(first.starts_with("According to local health authorities"));
        assert!(first.ends_with("were injured."));
    }

    #[test]
    fn blank_line_sample_groups_blocks_and_keeps_footer_lines_together() {
        let a = sample("002_915808095f53d4db.txt");
        assert_eq!(a.style, ParagraphStyle::Blocks);
        assert_eq!(a.title, "The Kremlin's latest peace offering to Ukraine is probably a non-starter");
        let texts: Vec<&str> = a.paragraphs.iter().map(|p| &a.text[p.as_range()]).collect();
        assert_eq!(texts[0], texts[1], "the headline is duplicated");
        let last = texts.last().unwrap();
        assert!(last.starts_with("DonateDonate by credit card\nDonate by Paypal\n{{ }}\n@2022"));
        assert_eq!(texts.len(), 22);
    }

    #[test]
    fn bom_and_crlf_are_normalised_but_nothing_else() {
        let a = Article::from_bytes("x".into(), "x.txt".into(), b"\xEF\xBB\xBFHead\r\n\r\n  body \tline\r\n");
        assert_eq!(a.text, "Head\n\n  body \tline\n");
        assert_eq!(a.title, "Head");
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_a_warning() {
        let a = Article::from_bytes("x".into(), "x.txt".into(), b"ok \xFF bad");
        assert_eq!(a.text, "ok \u{FFFD} bad");
        assert_eq!(a.warnings.len(), 1);
        assert!(a.warnings[0].contains("byte 3"));
        assert!(a.lossy);
    }

    #[test]
    fn trailing_or_leading_blank_lines_do_not_make_blocks() {
        assert_eq!(paragraph_style("One.\nTwo.\n"), ParagraphStyle::Lines);
        assert_eq!(paragraph_style("\n\nOne.\nTwo.\n\n"), ParagraphStyle::Lines);
        assert_eq!(paragraph_style("One.\n\nTwo."), ParagraphStyle::Blocks);
    }

    #[test]
    fn title_falls_back_to_the_file_name() {
        let a = Article::from_bytes("d/empty.txt".into(), "d/empty.txt".into(), b"\n  \n");
        assert_eq!(a.title, "empty.txt");
        assert!(a.paragraphs.is_empty());
    }

    #[test]
    fn read_title_reads_only_the_head() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, format!("\n\n  Big story  \n{}", "x".repeat(1 << 20))).unwrap();
        assert_eq!(read_title(&p).unwrap(), "Big story");
    }

    /// A sparse file: its size is `len`, but nothing is written, so the test costs no disk.
    fn sparse(dir: &Path, name: &str, len: u64) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, "Заголовок\n").unwrap();
        std::fs::OpenOptions::new().write(true).open(&p).unwrap().set_len(len).unwrap();
        p
    }

    #[test]
    fn an_article_over_the_size_limit_is_refused_with_its_name_size_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = sparse(dir.path(), "огромный.txt", MAX_ARTICLE_BYTES + 1);
        let e =
            super::super::load::load_source(super::super::load::Source::File(&p), "огромный.txt".into()).unwrap_err();
        assert!(
            matches!(e, ArticleError::TooLarge { size, limit, .. } if size == MAX_ARTICLE_BYTES + 1 && limit == MAX_ARTICLE_BYTES)
        );
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("{}: cannot read: 64.0 MiB (67108865 bytes)", p.display())), "{shown}");
        assert!(shown.contains("over the 64 MiB limit") && shown.contains(LIMIT_ENV), "{shown}");
        let e = read_title(&p).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
        assert!(e.to_string().contains("64 MiB limit"), "{e}");
    }

    #[test]
    fn an_article_at_the_size_limit_is_still_listed() {
        let dir = tempfile::tempdir().unwrap();
        let p = sparse(dir.path(), "большой.txt", MAX_ARTICLE_BYTES);
        assert_eq!(read_title(&p).unwrap(), "Заголовок");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(512), "512 B");
        assert_eq!(human(64 << 20), "64 MiB");
        assert_eq!(human(3 << 29), "1.5 GiB");
    }

    fn paragraph(marked: &str, around: bool) -> Option<String> {
        let (text, pos) = crate::model::motion::tests::parse(marked);
        let a = Article::from_text("x".into(), "x".into(), text, vec![]);
        let r = if around { a.around_paragraph(pos) } else { a.inner_paragraph(pos) };
        r.map(|r| a.text[r.as_range()].to_owned())
    }

    #[test]
    fn ip_and_ap_take_a_block_and_the_blank_lines_after_it() {
        let t = "Заголовок\n\nПервый аб|зац,\nвторая строка.\n\n\nВторой.\n";
        assert_eq!(paragraph(t, false).as_deref(), Some("Первый абзац,\nвторая строка."));
        assert_eq!(paragraph(t, true).as_deref(), Some("Первый абзац,\nвторая строка.\n\n\n"));
        let last = "Заголовок\n\nПервый.\n\nВто|рой.\n";
        assert_eq!(paragraph(last, true).as_deref(), Some("\n\nВторой."), "the last takes the blank lines before it");
        let between = "Заголовок\n\n|\nПервый.";
        assert_eq!(paragraph(between, false).as_deref(), Some("Первый."), "between blocks: the next one");
        assert_eq!(paragraph("Один абзац|", true).as_deref(), Some("Один абзац"));
        assert_eq!(paragraph("|\n \n", false), None);
    }

    #[test]
    fn ip_and_ap_take_a_one_line_paragraph_and_its_line_break() {
        let t = "外交部發言人\n王文斌|表示。\nשלום.";
        assert_eq!(paragraph(t, false).as_deref(), Some("王文斌表示。"));
        assert_eq!(paragraph(t, true).as_deref(), Some("王文斌表示。\n"));
        assert_eq!(paragraph("外交部\nשל|ום.", true).as_deref(), Some("\nשלום."));
    }

    #[test]
    fn a_paragraph_object_never_ends_inside_a_cr_lf_left_by_normalising() {
        // CR CR LF normalises to CR LF, one grapheme: the paragraph ends before its CR.
        let a = Article::from_bytes("x".into(), "x.txt".into(), "Один\r\r\nДва\r\r\n".as_bytes());
        assert_eq!(a.text, "Один\r\nДва\r\n");
        let ip = a.inner_paragraph(0).unwrap();
        assert_eq!(&a.text[ip.as_range()], "Один");
        let ap = a.around_paragraph(a.text.find("Два").unwrap()).unwrap();
        assert_eq!(&a.text[ap.as_range()], "\r\nДва");
    }

    #[test]
    fn paragraph_at_finds_the_enclosing_or_next_paragraph() {
        let a = Article::from_text("x".into(), "x".into(), "ab\n\ncd\n".into(), vec![]);
        assert_eq!(a.paragraph_at(0), Some(0));
        assert_eq!(a.paragraph_at(3), Some(1));
        assert_eq!(a.paragraph_at(7), None);
    }
}
