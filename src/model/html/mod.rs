//! A saved web page as an article: all its visible text in reading order, where each block
//! of it came from, and what the page says about itself (title, outlet, authors, date…).
//!
//! Coders flag boilerplate themselves, so nothing a reader sees is dropped: navigation,
//! banners and footers are text like the story. What is never seen (scripts, styles, hidden
//! elements) is not text. The extraction is pure (bytes in, [`Page`] out, no I/O) and
//! deterministic, so the same page always gives the same offsets; [`EXTRACTOR_VERSION`]
//! says when the rules change, so annotations made on an older text are re-anchored.
//! The rules and the figures measured on real pages are in docs/html.md.

mod decode;
mod light;
mod meta;
mod mojibake;
mod text;

pub use decode::{HtmlError, MAX_PAGE_BYTES};
pub(crate) use meta::{host, iso_date};

use super::meta::ArticleMeta;
use std::ops::Range;

/// The version of the page-to-text rules. Bump it whenever the text of the same page
/// changes, so annotations made on the old text are re-anchored instead of trusted.
pub const EXTRACTOR_VERSION: &str = "html-2";

/// A page read: its text, the blocks of that text with their provenance, its metadata,
/// and what went wrong on the way (lossy decoding, no visible text).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The visible text: blocks separated by a blank line, lines within a block (`<br>`,
    /// `<pre>`) by a line break, ending with a line break when not empty.
    pub text: String,
    /// One per block of `text`, in text order.
    pub blocks: Vec<Block>,
    pub meta: ArticleMeta,
    pub warnings: Vec<String>,
}

/// What kind of element a block of text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `h1`…`h6`.
    Heading(u8),
    Paragraph,
    ListItem,
    Quote,
    TableRow,
    /// Anything else: `div`, `section`, `td` on its own, text straight in `body`…
    Other,
}

/// One block of a page's text and where in the page it came from, for the detectors that
/// will pre-flag boilerplate. Kept in memory only: annotation files never hold it, since
/// it is derived from the page again whenever the page is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Where the block is in [`Page::text`] (UTF-8 bytes, without the separator after it).
    pub bytes: Range<usize>,
    /// The tag of the block element that holds the text (`p`, `li`, `div`…).
    pub tag: String,
    /// The element path from the root, each step `tag`, `tag#id` or `tag.class.class`
    /// (`html>body>div.main>article>p`).
    pub path: String,
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// How many characters (code points) of the block are inside links.
    pub link_chars: usize,
    pub kind: BlockKind,
}

impl Block {
    /// The share of the block's characters inside links (0 for an empty block).
    pub fn link_density(&self, text: &str) -> f64 {
        let chars = text.get(self.bytes.clone()).map_or(0, |s| s.chars().count());
        if chars == 0 { 0.0 } else { self.link_chars as f64 / chars as f64 }
    }
}

/// Reads a page as saved: gzip undone (by its magic bytes), the character set found (byte
/// order mark, `<meta charset>`, `http-equiv`, else UTF-8), then [`extract`]. Invalid bytes
/// are replaced with a warning; a page over [`MAX_PAGE_BYTES`] or a truncated gzip stream
/// is an error.
pub fn read_page(bytes: &[u8]) -> Result<Page, HtmlError> {
    let (html, mut warnings) = decode::decode(bytes)?;
    let mut page = extract(&html);
    warnings.append(&mut page.warnings);
    page.warnings = warnings;
    Ok(page)
}

/// The text, blocks and metadata of a page already decoded.
pub fn extract(html: &str) -> Page {
    page_of(scraper::Html::parse_document(&light::without_scripts_and_styles(html)))
}

/// [`read_page`] with every script and style sheet parsed, for the test that cutting them
/// out first changes nothing.
#[doc(hidden)]
pub fn read_page_uncut(bytes: &[u8]) -> Result<Page, HtmlError> {
    let (html, mut warnings) = decode::decode(bytes)?;
    let mut page = page_of(scraper::Html::parse_document(&html));
    warnings.append(&mut page.warnings);
    page.warnings = warnings;
    Ok(page)
}

fn page_of(doc: scraper::Html) -> Page {
    let out = text::extract_text(&doc);
    let mut meta = meta::extract_meta(&doc);
    let mut warnings = Vec::new();
    let mut redecoded = out.redecoded;
    for field in [&mut meta.title, &mut meta.outlet, &mut meta.section].into_iter().flatten().chain(&mut meta.authors) {
        if let Some(repaired) = mojibake::undo_double_encoding(field) {
            *field = repaired;
            redecoded = true;
        }
    }
    if redecoded {
        warnings.push(
            "some of the page's text was UTF-8 encoded twice (`Ã©` for `é`, `â€™` for `’`): it was decoded once more"
                .to_string(),
        );
    }
    if out.text.is_empty() {
        warnings.push(if out.scripts > 0 {
            format!(
                "the page has no visible text, only {} script(s): its text is probably put there by a script when a browser runs it",
                out.scripts
            )
        } else {
            "the page has no visible text".to_string()
        });
    }
    Page { text: out.text, blocks: out.blocks, meta, warnings }
}

#[cfg(test)]
mod tests;
