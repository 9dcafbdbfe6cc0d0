//! The visible text of a parsed page, block by block, as a browser lays it out.
//!
//! One walk over the tree (an explicit traversal, so a deeply nested page cannot overflow
//! the stack): inline text is gathered with whitespace collapsed, and every boundary of a
//! block element ends the block being gathered, which belongs to the innermost block
//! element open at that moment.

use super::mojibake::undo_double_encoding;
use super::{Block, BlockKind};
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

/// Elements whose content is never shown as text: code, styles, inert templates, the
/// head (its title is metadata), fallback content a browser shows only when it cannot run
/// scripts or play media, drawings, and form controls whose options are not laid out.
fn not_text(name: &str) -> bool {
    // A `match` on the name, not a scan of a list: it runs for every element of the page.
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "noscript"
            | "svg"
            | "math"
            | "head"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "select"
            | "datalist"
            | "title"
    )
}

/// Elements that start and end a block of text (the HTML standard's block-level elements
/// that hold text; table cells are handled apart, as parts of their row).
fn is_block(name: &str) -> bool {
    // A `match` on the name, not a scan of a list: it runs for every element of the page.
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "ul"
            | "search"
            | "listing"
            | "plaintext"
            | "xmp"
            | "textarea"
            | "option"
            | "optgroup"
    )
}

pub(super) struct TextOut {
    pub text: String,
    pub blocks: Vec<Block>,
    /// How many `<script>` elements the page has, to explain an empty text.
    pub scripts: usize,
    /// Whether some text was encoded twice and decoded once more (`super::mojibake`).
    pub redecoded: bool,
}

/// Whether an element is hidden by its own markup: the `hidden` attribute or an inline
/// `display:none` / `visibility:hidden`. Stylesheets are not applied (that would need a
/// CSS engine), so what a class hides stays text.
fn hidden(e: &Element) -> bool {
    // One pass over the attributes (most elements have none or one), the first of a name
    // counting, as `Element::attr` would give it.
    let (mut hidden, mut role, mut labelled, mut style) = (None, None, false, None);
    for (name, value) in e.attrs() {
        match name {
            "hidden" => _ = hidden.get_or_insert(value),
            "role" => _ = role.get_or_insert(value),
            "aria-labelledby" => labelled = true,
            "style" => _ = style.get_or_insert(value),
            _ => {}
        }
    }
    // React's streamed rendering sends late parts of the page in `<div hidden id="S:0">`
    // and a script at once moves them into place, so a reader does see them.
    // `hidden="until-found"` is shown as soon as a search finds a word in it.
    if hidden.is_some_and(|h: &str| !h.trim().eq_ignore_ascii_case("until-found"))
        && !e.id().is_some_and(|id| id.starts_with("S:"))
    {
        return true;
    }
    // A collapsed panel (an accordion's answer, a tab) is one click away, like the body of a
    // closed `<details>`, so it stays text.
    if matches!(role, Some("region" | "tabpanel")) || labelled {
        return false;
    }
    style.is_some_and(|s: &str| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Whether a hidden element is the panel of a disclosure widget: the element just before it
/// holds the control that opens it (`aria-expanded`, as an accordion's header button or a
/// "Read more" toggle has). One click shows the panel, like the body of a closed
/// `<details>`, so it stays text. Only the first nodes of that element are looked at, so a
/// page of many panels costs little.
fn disclosed(node: ego_tree::NodeRef<'_, Node>) -> bool {
    let Some(before) = node.prev_siblings().find(|n| n.value().is_element()) else { return false };
    before.descendants().take(64).any(|n| n.value().as_element().is_some_and(|e| e.attr("aria-expanded").is_some()))
}

/// Embedded content a browser lays out as a box of its own in the line (an image, a video, a
/// form control…): the words on either side of it never run together on screen, so it
/// separates them like a space even when the markup has none (`2024<img …>If`).
fn embedded(name: &str) -> bool {
    // A `match` on the name, not a scan of a list: it runs for every element of the page.
    matches!(
        name,
        "img"
            | "picture"
            | "svg"
            | "math"
            | "canvas"
            | "iframe"
            | "object"
            | "embed"
            | "audio"
            | "video"
            | "input"
            | "button"
            | "select"
            | "textarea"
            | "meter"
            | "progress"
    )
}

/// Characters that take no space on screen and are not part of a word a reader sees: the
/// soft hyphen (drawn only where a line breaks, which the article's own wrapping decides),
/// the zero-width space, the word joiner and the zero-width no-break space (a stray byte
/// order mark). CMSs leave them inside words (`B\u{feff}est`), where they would split one
/// word into two for search, motions and every tool that reads the text. The joiners
/// (U+200C, U+200D) are not among them: between two characters they change how emoji and
/// several scripts are drawn ([`without_stray_joiners`] drops the others).
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Whether an element is embedded content that takes room in the line (an `<input
/// type=hidden>` takes none).
fn takes_room(e: &Element) -> bool {
    embedded(e.name()) && !(e.name() == "input" && e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("hidden")))
}

/// The text without the zero-width joiners and non-joiners that join nothing: those with a
/// space or the block's edge on one side. Page builders put one alone in an empty paragraph
/// (`<p>&zwj;</p>`) or before a paragraph's first word, where it is invisible but would be
/// a word of its own, or glue itself to the next, for search and word motions. Between two
/// characters (`👩\u{200d}💻`, Persian `می\u{200c}خواهم`) it stays.
fn without_stray_joiners(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let edge = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || matches!(c, '\u{200c}' | '\u{200d}'));
    chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            !matches!(c, '\u{200c}' | '\u{200d}')
                || !(edge(i.checked_sub(1).and_then(|j| chars.get(j))) || edge(chars.get(i + 1)))
        })
        .map(|(_, c)| *c)
        .collect()
}

fn is_cell(name: &str) -> bool {
    name == "td" || name == "th"
}

fn kind_of(tag: &str) -> BlockKind {
    match tag.as_bytes() {
        [b'h', n @ b'1'..=b'6'] => BlockKind::Heading(n - b'0'),
        b"p" => BlockKind::Paragraph,
        b"li" => BlockKind::ListItem,
        b"blockquote" => BlockKind::Quote,
        b"tr" => BlockKind::TableRow,
        _ => BlockKind::Other,
    }
}

/// A path step: `tag`, `tag#id`, then `.class` for each class.
fn step(e: &Element) -> String {
    let mut s = e.name().to_string();
    if let Some(id) = e.id() {
        s.push('#');
        s.push_str(id);
    }
    for c in e.classes() {
        s.push('.');
        s.push_str(c);
    }
    s
}

struct Walk<'a> {
    text: String,
    blocks: Vec<Block>,
    /// The block being gathered, whitespace already collapsed.
    cur: String,
    cur_links: usize,
    /// Whitespace seen since the last character, written only if more text follows.
    pending_space: bool,
    /// Path steps of the open elements.
    path: Vec<String>,
    /// The open block elements (and cells): their depth in `path` and the element.
    open_blocks: Vec<(usize, &'a Element)>,
    links: usize,
    space_in_link: bool,
    pre: usize,
    /// The open lists: the next number of an `<ol>`, `None` for other lists.
    lists: Vec<Option<i64>>,
    /// An ordered list item's number, waiting for the item's first text: a browser draws it
    /// on the item's first line, which is often a heading or paragraph inside the item.
    marker: Option<String>,
}

impl<'a> Walk<'a> {
    fn push_text(&mut self, s: &str) {
        if self.marker.is_some() && s.chars().any(|c| !c.is_whitespace() && !invisible(c)) {
            // The item's number goes before its first text, in whichever block holds it.
            if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with(['\n', ' ']) {
                self.cur.push(' ');
            }
            self.pending_space = false;
            self.cur.push_str(&self.marker.take().unwrap_or_default());
            if self.pre == 0 {
                // What follows the number starts like a block's first word.
                let s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
                return self.push_text(s);
            }
        }
        if self.pre > 0 {
            if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                self.cur.push(' ');
            }
            self.pending_space = false;
            let before = self.cur.chars().count();
            let s: String = s.chars().filter(|&c| !invisible(c)).collect();
            self.cur.push_str(&s.replace("\r\n", "\n").replace('\r', "\n"));
            if self.links > 0 {
                self.cur_links += self.cur.chars().count() - before;
            }
            return;
        }
        for c in s.chars().filter(|&c| !invisible(c)) {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                // A space counts as a link's when it was inside the link (not the one before it).
                if !self.pending_space {
                    self.space_in_link = self.links > 0;
                }
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with(['\n', ' ']) {
                self.cur.push(' ');
                self.cur_links += usize::from(self.space_in_link && self.links > 0);
            }
            self.pending_space = false;
            self.cur.push(c);
            self.cur_links += usize::from(self.links > 0);
        }
    }

    /// Embedded content between two words: a space, written only if more text follows.
    fn boundary(&mut self) {
        if !self.pending_space {
            self.space_in_link = self.links > 0;
        }
        self.pending_space = true;
    }

    /// `<br>`: a line break in the block; two in a row end it, as they end a paragraph on
    /// screen, so that a blank line always separates blocks and never sits inside one.
    fn line_break(&mut self) {
        self.pending_space = false;
        if self.cur.ends_with('\n') {
            self.flush();
        } else if !self.cur.is_empty() {
            let kept = self.cur.trim_end_matches(' ').len();
            self.cur.truncate(kept);
            self.cur.push('\n');
        }
    }

    /// Ends the block being gathered; it belongs to the innermost open block element.
    fn flush(&mut self) {
        self.pending_space = false;
        if self.cur.contains(['\u{200c}', '\u{200d}']) {
            self.cur = without_stray_joiners(&self.cur);
        }
        let body = self.cur.trim_end().trim_start_matches('\n');
        if body.trim().is_empty() {
            self.cur.clear();
            self.cur_links = 0;
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.text.push_str(body);
        let end = self.text.len();
        let (depth, e) = match self.open_blocks.last() {
            Some(&(d, e)) => (d, Some(e)),
            None => (self.path.len().saturating_sub(1), None),
        };
        let tag = e.map_or_else(String::new, |e| e.name().to_string());
        let link_chars = self.cur_links.min(self.text[start..end].chars().count());
        self.blocks.push(Block {
            bytes: start..end,
            kind: kind_of(&tag),
            path: self.path[..(depth + 1).min(self.path.len())].join(">"),
            id: e.and_then(|e| e.id()).map(str::to_string),
            classes: e.map(|e| e.classes().map(str::to_string).collect()).unwrap_or_default(),
            tag,
            link_chars,
        });
        self.cur.clear();
        self.cur_links = 0;
    }
}

pub(super) fn extract_text(doc: &Html) -> TextOut {
    let mut w = Walk {
        text: String::new(),
        blocks: Vec::new(),
        cur: String::new(),
        cur_links: 0,
        pending_space: false,
        path: Vec::new(),
        open_blocks: Vec::new(),
        links: 0,
        space_in_link: false,
        pre: 0,
        lists: Vec::new(),
        marker: None,
    };
    let mut scripts = 0;
    let mut redecoded = false;
    let mut skip = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Node::Element(e) = node.value()
                    && e.name() == "script"
                {
                    scripts += 1;
                }
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => match undo_double_encoding(t) {
                        Some(t) => {
                            redecoded = true;
                            w.push_text(&t);
                        }
                        None => w.push_text(t),
                    },
                    Node::Element(e) => {
                        let name = e.name();
                        let is_hidden = hidden(e) && !disclosed(node);
                        if w.pre == 0 && !is_hidden && takes_room(e) {
                            w.boundary();
                        }
                        if not_text(name) || is_hidden {
                            skip = Some(node.id());
                            continue;
                        }
                        w.path.push(step(e));
                        let depth = w.path.len() - 1;
                        if name == "br" {
                            w.line_break();
                        } else if is_cell(name) {
                            // Cells of one row share a line, " | " between them.
                            if !w.cur.trim().is_empty() {
                                w.cur.push_str(" | ");
                                w.pending_space = false;
                            }
                            w.open_blocks.push((depth, e));
                        } else if is_block(name) {
                            w.flush();
                            w.open_blocks.push((depth, e));
                        }
                        match name {
                            "ol" => {
                                w.lists.push(Some(e.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1)))
                            }
                            "ul" | "menu" | "dir" => w.lists.push(None),
                            // An ordered list's numbers are on screen, drawn by the browser.
                            "li" => {
                                if let Some(Some(n)) = w.lists.last_mut() {
                                    if let Some(v) = e.attr("value").and_then(|v| v.trim().parse().ok()) {
                                        *n = v;
                                    }
                                    // An item with no text of its own before a nested item still
                                    // shows its number.
                                    if let Some(m) = w.marker.take() {
                                        w.cur.push_str(&m);
                                    }
                                    w.marker = Some(format!("{n}. "));
                                    *n += 1;
                                }
                            }
                            _ => {}
                        }
                        if name == "a" && e.attr("href").is_some() {
                            w.links += 1;
                        }
                        if matches!(name, "pre" | "listing" | "plaintext" | "xmp" | "textarea") {
                            w.pre += 1;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                let Node::Element(e) = node.value() else { continue };
                let name = e.name();
                if w.pre == 0 && takes_room(e) {
                    w.boundary();
                }
                if name == "li"
                    && let Some(m) = w.marker.take()
                {
                    // An item without text (an image alone) still shows its number.
                    w.cur.push_str(&m);
                }
                if is_cell(name) {
                    w.open_blocks.pop();
                } else if is_block(name) {
                    w.flush();
                    w.open_blocks.pop();
                }
                if name == "a" && e.attr("href").is_some() {
                    w.links -= 1;
                }
                if matches!(name, "ol" | "ul" | "menu" | "dir") {
                    w.lists.pop();
                }
                if matches!(name, "pre" | "listing" | "plaintext" | "xmp" | "textarea") {
                    w.pre -= 1;
                }
                w.path.pop();
            }
        }
    }
    w.flush();
    if !w.text.is_empty() {
        w.text.push('\n');
    }
    TextOut { text: w.text, blocks: w.blocks, scripts, redecoded }
}
