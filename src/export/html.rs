//! `html`: one self-contained review page (inline CSS, a few lines of optional JS, no network).
//!
//! Design decisions:
//! - **Same content as `md`.** Header totals, then per article the painted text beside the
//!   lists the Markdown report has: sources with claim counts (counted over `all`), claims each
//!   with its source (no source is flagged), boilerplate grouped by kind.
//! - **One CSS channel per label,** so spans that overlap stay readable: Claim = background
//!   tint (translucent, so a claim inside a claim is darker), Source = blue text with an
//!   underline, Boilerplate = grey italic text on a hatched edge. A claim with no source also
//!   gets a dotted red edge.
//! - **Proper nesting from overlapping ranges.** The text is cut at every span boundary and
//!   line break; each piece is covered by a set of spans, ordered outermost first (start, then
//!   longest). A stack of open `<mark>`s is kept; between pieces only the marks past the common
//!   prefix are closed and reopened, so nested spans never split and crossing ones split into
//!   fragments. Paragraphs are `<p>`, so a span over a line break splits there too.
//! - **Fragments.** The first fragment of a span carries the anchor id (`a{article}-{id}`),
//!   `tabindex="0"` and a tooltip (`role="tooltip"`, shown by CSS on `:hover` and
//!   `:focus-within`, with a link back to the list item `l{article}-{id}`). Later fragments
//!   have `data-for` pointing at the first and a plain `title`; the JS only lights all
//!   fragments together and keeps tooltips inside the window. A span covering no visible text
//!   (empty, or only line breaks) gets an empty marker so its anchor still exists.
//! - **Paragraphs.** Every line is a `<p>`: news extractors separate paragraphs by a blank
//!   line or by a single break; a paragraph after a single break gets class `nl` (closer).
//! - **Escaping.** Everything from the data (text, quotes, notes, titles, ids, authors, dates)
//!   goes through [`escape`] (`& < > " '`), in text and in attributes alike; ids used as
//!   anchors are additionally reduced to `[A-Za-z0-9-]` by [`anchor`] (injective).
//! - **Suggestions** are painted with a dashed edge (class `suggested`, `data-origin` the
//!   detector), marked `suggested by quotes-1 (87%)` in the lists and tooltips, and counted
//!   apart (`3 + 2 suggested` in a list's heading, the counts and totals of the coding alone).
//! - Offsets are Unicode code points (`meta name="newsnote-offset-unit"`, shown in the legend).

use super::entities::Entities;
use super::report::{self, ArticleReport, Totals, WhoIsQuoted};
use super::stream::{self, DocSink, Part, Pass, Written};
use super::{ExportArticle, OFFSET_UNIT, TEXT_NORMALISATION};
use crate::model::annotation::{Annotation, excerpt};
use crate::model::codebook::Codebook;
use crate::model::picture::{Gather, Who};
use crate::model::segments::{Span, segments};
use std::fmt::Write;
use std::io;
use std::sync::Arc;

const CSS: &str = include_str!("../../assets/report.css");

/// Lights every fragment of the hovered/focused span and keeps its tooltip on screen.
const JS: &str = r#"(function(){function head(e){var m=e.target.closest&&e.target.closest('.ann');if(!m)return null;return m.dataset.for?document.getElementById(m.dataset.for):m}
function on(e){var h=head(e);document.querySelectorAll('.lit').forEach(function(x){x.classList.remove('lit','show')});if(!h)return;
h.classList.add('lit');if(e.target.closest('.ann').dataset.for)h.classList.add('show');document.querySelectorAll('[data-for="'+h.id+'"]').forEach(function(x){x.classList.add('lit')});
requestAnimationFrame(function(){document.querySelectorAll('.tip').forEach(function(t){if(!t.offsetParent)return;t.style.transform='';var r=t.getBoundingClientRect(),d=window.innerWidth-12-r.right;if(d<0)t.style.transform='translateX('+Math.max(d,12-r.left)+'px)'})})}
document.addEventListener('mouseover',on);document.addEventListener('focusin',on)})();"#;

/// Escapes `& < > " '` for HTML text and (quoted) attribute values alike.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Element id for an annotation of article `art`: `{prefix}{art}-{id}`, with every character
/// outside `[A-Za-z0-9-]` written as `_{hex}.` so any id string gives a valid, unique anchor.
pub fn anchor(prefix: &str, art: usize, id: &str) -> String {
    let mut out = format!("{prefix}{art}-");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}.", u32::from(c));
        }
    }
    out
}

fn class<'a>(cb: &'a Codebook, a: &Annotation) -> &'a str {
    &cb.look(&a.label).class
}

/// The label looks as CSS, from the table the TUI and `show` paint with (`model::look`):
/// each label's colour as a custom property (`--source`), and for its base and nested
/// shades (`.alt`) the attributes: bold, italic, dim as themselves; an underline as a
/// coloured underline over a tint of the colour (it must read beside a source's underline);
/// a colour without underline as the text colour.
fn look_css(cb: &Codebook) -> String {
    let mut css = String::from(":root {");
    for (_, l) in cb.legend() {
        let _ = write!(css, " --{}: {};", l.class, l.base.hue.css());
    }
    css.push_str(" }\n");
    for (_, l) in cb.legend() {
        for (sel, look) in [("", l.base), (".alt", l.nested)] {
            let a = look.attrs;
            let hue = look.hue.css();
            let _ = write!(css, ".ann.{c}{sel}, .sw.{c}{sel} {{", c = l.class);
            if a.underline {
                let _ = write!(
                    css,
                    " text-decoration: underline 2px {hue}; text-underline-offset: .28em; text-decoration-skip-ink: none; \
                     background-color: color-mix(in srgb, {hue} 16%, transparent);"
                );
            } else {
                let _ = write!(css, " color: {hue};");
            }
            if a.bold {
                css.push_str(" font-weight: 650;");
            }
            if a.italic {
                css.push_str(" font-style: italic;");
            }
            if a.dim {
                css.push_str(" opacity: .8;");
            }
            css.push_str(" }\n");
        }
    }
    css
}

/// Every piece's offsets: `[0–16) [37–49)` for a discontinuous annotation.
fn offsets(a: &Annotation) -> String {
    let pieces: Vec<String> = a.pieces().map(|(r, _)| format!("[{}–{})", r.start, r.end)).collect();
    format!("<code class=\"off\">{}</code>", pieces.join(" "))
}

/// `newsnote default 2 (hash 0123…)`: the codebook the page's values belong to.
fn codebook_line(cb: &Codebook) -> String {
    let r = cb.reference();
    format!("{} {} (hash {})", r.name, r.version, r.hash)
}

/// The annotations `c` links to by `rel`, as tooltip/list HTML (links to those on the page);
/// `None` when it has no such link at all.
fn linked_html(art: &ExportArticle, i: usize, c: &Annotation, rel: &str, what: &str) -> Option<String> {
    if c.linked(rel).is_empty() {
        return None;
    }
    let parts: Vec<String> = c
        .linked(rel)
        .iter()
        .map(|id| match art.get(id) {
            Some(s) if art.exported(&s.id) => {
                format!("<a class=\"by\" href=\"#{}\">{}</a>", anchor("a", i, &s.id.0), escape(&s.quote))
            }
            Some(s) => format!("<span class=\"by\">{}</span>", escape(&s.quote)),
            None => format!("<span class=\"warn\">missing {} <code>{}</code></span>", escape(what), escape(&id.0)),
        })
        .collect();
    Some(parts.join(", "))
}

/// Who makes a claim (every source), as tooltip/list HTML; `None` when it has no source.
fn source_html(cb: &Codebook, art: &ExportArticle, i: usize, c: &Annotation) -> Option<String> {
    linked_html(art, i, c, &cb.source_relation()?.id, "source")
}

/// The attribute values of `a` other than the one its label's name already shows
/// (`Boilerplate (donation appeal)`), as list HTML: `quote type: direct · topics: war, peace`.
fn values_html(cb: &Codebook, a: &Annotation) -> String {
    let asked = cb.asked_on_tag(a.label.as_str()).map(|d| d.id.as_str());
    let parts: Vec<String> = a
        .attributes
        .iter()
        .filter(|(id, _)| Some(id.as_str()) != asked)
        .map(|(id, v)| {
            let name = cb.attribute(id).map_or(id.as_str(), |d| d.name.as_str());
            format!("{}: {}", escape(name), escape(&cb.value_name(id, v)))
        })
        .collect();
    if parts.is_empty() { String::new() } else { format!("<span class=\"vals\">{}</span>", parts.join(" · ")) }
}

fn tooltip(out: &mut String, cb: &Codebook, art: &ExportArticle, i: usize, a: &Annotation) {
    let _ = write!(
        out,
        "<span class=\"tip\" role=\"tooltip\" id=\"{}\"><span class=\"tip-h\"><b>{}</b> {}</span>\
         <span class=\"tip-q\">“{}”</span>",
        anchor("t", i, &a.id.0),
        escape(&cb.describe(a)),
        offsets(a),
        escape(&excerpt(&a.full_quote(), 160))
    );
    let row = |out: &mut String, k: &str, v: String| {
        let _ = write!(out, "<span class=\"tip-r\"><span class=\"k\">{k}</span> {v}</span>");
    };
    if let Some(m) = report::suggestion_mark(a) {
        row(out, "Suggestion", escape(&m));
    }
    if let Some(n) = &a.note {
        row(out, "Note", escape(n));
    }
    if !a.reviews.is_empty() {
        row(out, "Review", escape(&report::review_mark(a)));
        for (comment, by, _, _) in report::review_comments(a) {
            row(out, "Comment", format!("“{}” — {}", escape(comment), escape(by)));
        }
    }
    for (id, v) in &a.attributes {
        let name = cb.attribute(id).map_or(id.as_str(), |d| d.name.as_str());
        row(out, &escape(name), escape(&cb.value_name(id, v)));
    }
    if cb.is_source(&a.label) {
        let rel = cb.source_relation().map_or("", |r| r.id.as_str());
        row(out, "Claims", art.all.iter().filter(|c| c.linked(rel).contains(&a.id)).count().to_string());
    }
    if cb.is_content(&a.label) {
        row(out, "Source", source_html(cb, art, i, a).unwrap_or_else(|| "<span class=\"warn\">⚠ none</span>".into()));
    }
    // Every other relation it has links in (its cues…), by the codebook's name.
    let source = cb.source_relation().map(|r| r.id.as_str());
    for rel in a.links.keys().filter(|r| Some(r.as_str()) != source) {
        let name = cb.relation(rel).map_or(rel.as_str(), |r| r.name.as_str());
        if let Some(html) = linked_html(art, i, a, rel, name) {
            row(out, &escape(name), html);
        }
    }
    row(out, "Author", escape(&a.author));
    row(out, "Created", escape(&a.created));
    row(out, "Id", format!("<code>{}</code>", escape(&a.id.0)));
    let _ = write!(out, "<a class=\"back\" href=\"#{}\">↪ in the list</a></span>", anchor("l", i, &a.id.0));
}

#[allow(clippy::too_many_arguments)]
fn open_mark(
    out: &mut String,
    cb: &Codebook,
    art: &ExportArticle,
    i: usize,
    a: &Annotation,
    first: bool,
    empty: bool,
    alt: bool,
) {
    let mut cls = format!("ann {}", class(cb, a));
    if alt {
        cls.push_str(" alt");
    }
    if empty {
        cls.push_str(" empty");
    }
    if cb.is_content(&a.label) && art.source_of(cb, a).is_none() {
        cls.push_str(" nosrc");
    }
    let mut kind = match super::label_parts(cb, a).1 {
        Some(k) => format!(" data-kind=\"{}\"", escape(&k)),
        None => String::new(),
    };
    // An open suggestion is painted apart (a dashed edge) and says whose it is.
    if a.is_proposed() {
        cls.push_str(" suggested");
        let _ = write!(kind, " data-origin=\"{}\"", escape(&super::Review::of(a).origin));
    }
    if first {
        let _ = write!(
            out,
            "<mark class=\"{cls}\" id=\"{}\" data-id=\"{}\"{kind} data-start=\"{}\" data-end=\"{}\" \
             tabindex=\"0\" aria-describedby=\"{}\">",
            anchor("a", i, &a.id.0),
            escape(&a.id.0),
            a.start,
            a.end,
            anchor("t", i, &a.id.0)
        );
        tooltip(out, cb, art, i, a);
    } else {
        let _ = write!(
            out,
            "<mark class=\"{cls} cont\" data-for=\"{}\"{kind} title=\"{} (continued): {}\">",
            anchor("a", i, &a.id.0),
            escape(&cb.describe(a)),
            escape(&excerpt(&a.quote, 80))
        );
    }
}

/// The article text as paragraphs with every exported span painted as nested `<mark>`s, cut
/// by the segmentation the TUI and `show` use (`model::segments`), each piece split again at
/// line breaks.
fn paint(out: &mut String, cb: &Codebook, art: &ExportArticle, i: usize) {
    let text = art.text.as_str();
    // One span per piece: a discontinuous annotation is painted as one, its first mark
    // anchored and the others pointing at it (`data-for`), like a span cut by line breaks.
    let (mut anns, mut owner, mut spans): (Vec<&Annotation>, Vec<usize>, Vec<Span>) = Default::default();
    for (n, a) in art.annotations.iter().enumerate() {
        for r in art.piece_bytes(a) {
            anns.push(a);
            owner.push(n);
            spans.push(Span { start: r.start, end: r.end, group: cb.look(&a.label).channel });
        }
    }
    // Whether each annotation's first mark is written (by its place in `art.annotations`).
    let mut first_done = vec![false; art.annotations.len()];
    let cut = segments(text, &spans, cb.channels(), 0..text.len());
    // Outermost first, as the segments list them, for the markers of spans with no text.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&k| (spans[k].start, std::cmp::Reverse(spans[k].end), k));
    // Pieces without line breaks, and the line breaks alone.
    let mut pieces: Vec<(usize, usize, &[usize])> = Vec::new();
    for seg in &cut.segments {
        let (mut s, e) = (seg.range.start, seg.range.end);
        for (b, _) in text[s..e].match_indices('\n') {
            let b = seg.range.start + b;
            if b > s {
                pieces.push((s, b, &seg.active));
            }
            pieces.push((b, b + 1, &seg.active));
            s = b + 1;
        }
        if e > s {
            pieces.push((s, e, &seg.active));
        }
    }
    let mut opened = vec![false; spans.len()];
    let mut stack: Vec<usize> = Vec::new();
    let (mut in_p, mut breaks) = (false, 0);
    let markers = |out: &mut String, opened: &mut [bool], first_done: &mut [bool], upto: usize| {
        for &k in &order {
            if opened[k] || spans[k].end > upto {
                continue;
            }
            opened[k] = true;
            let first = !std::mem::replace(&mut first_done[owner[k]], true);
            open_mark(out, cb, art, i, anns[k], first, true, cut.nested[k]);
            out.push_str("</mark>");
        }
    };
    out.push_str("<div class=\"text\">");
    for &(s, e, active) in &pieces {
        markers(out, &mut opened, &mut first_done, s);
        let piece = &text[s..e];
        if piece == "\n" {
            out.push_str(&"</mark>".repeat(stack.len()));
            stack.clear();
            if in_p {
                out.push_str("</p>\n");
                in_p = false;
            }
            breaks += 1;
            continue;
        }
        if !in_p {
            out.push_str(if breaks == 1 { "<p class=\"nl\">" } else { "<p>" });
            (in_p, breaks) = (true, 0);
        }
        let keep = stack.iter().zip(active).take_while(|(x, y)| x == y).count();
        out.push_str(&"</mark>".repeat(stack.len() - keep));
        stack.truncate(keep);
        for &k in &active[keep..] {
            let first = !std::mem::replace(&mut first_done[owner[k]], true);
            open_mark(out, cb, art, i, anns[k], first, false, cut.nested[k]);
            opened[k] = true;
            stack.push(k);
        }
        out.push_str(&escape(piece));
    }
    out.push_str(&"</mark>".repeat(stack.len()));
    if in_p {
        out.push_str("</p>");
    }
    markers(out, &mut opened, &mut first_done, usize::MAX);
    out.push_str("</div>");
}

fn item(out: &mut String, cb: &Codebook, i: usize, a: &Annotation, body: &str, reviewed: bool) {
    let (cls, mark) = match report::suggestion_mark(a) {
        Some(m) => (" suggested", format!("<span class=\"sugg\">{}</span> ", escape(&m))),
        None => ("", String::new()),
    };
    let _ = write!(
        out,
        "<li id=\"{}\" class=\"{}{cls}\">{mark}<a class=\"to\" href=\"#{}\">{body}</a>",
        anchor("l", i, &a.id.0),
        class(cb, a),
        anchor("a", i, &a.id.0)
    );
    if reviewed {
        review_html(out, a);
    }
}

/// An annotation's review in its list item: the state in words with a mark (`✓ approved`,
/// `✗ disputed`, `· unreviewed`; the class only adds colour), who and when, then each comment.
fn review_html(out: &mut String, a: &Annotation) {
    let state = crate::model::review::state(a);
    let _ =
        write!(out, " <span class=\"rv {state}\" data-review=\"{state}\">{}</span>", escape(&report::review_mark(a)));
    for (comment, by, at, with) in report::review_comments(a) {
        let with = with.map_or(String::new(), |v| format!(" ({v})"));
        let _ = write!(
            out,
            "<span class=\"rv-c\">comment: “{}” — {}, {}{with}</span>",
            escape(comment),
            escape(by),
            escape(at)
        );
    }
}

/// A list's count in its heading: the coding's, and the open suggestions apart (`3 + 2
/// suggested`).
fn count<'a, T: 'a>(items: impl IntoIterator<Item = &'a (&'a Annotation, T)>) -> String {
    let (mut coded, mut suggested) = (0, 0);
    for (a, _) in items {
        if a.is_proposed() {
            suggested += 1;
        } else {
            coded += 1;
        }
    }
    if suggested == 0 { coded.to_string() } else { format!("{coded} + {suggested} suggested") }
}

fn lists(out: &mut String, cb: &Codebook, r: &ArticleReport, i: usize) {
    let art = r.art;
    let rv = r.review.is_some();
    let none = "<p class=\"none\">None.</p>";
    let _ = write!(out, "<aside class=\"lists\"><section><h3>Sources <span>{}</span></h3>", count(&r.sources));
    out.push_str(if r.sources.is_empty() { none } else { "<ul>" });
    for (s, n) in &r.sources {
        item(out, cb, i, s, &escape(&s.quote), rv);
        if let Some(e) = art.entity(s) {
            let _ = write!(out, " <span class=\"entity\">→ {}</span>", escape(e.label()));
        }
        let _ = write!(out, " <span class=\"count\">{n} claim{}</span> {}", if *n == 1 { "" } else { "s" }, offsets(s));
        out.push_str(&values_html(cb, s));
        if let Some(note) = &s.note {
            let _ = write!(out, "<span class=\"note\">{}</span>", escape(note));
        }
        out.push_str("</li>");
    }
    if !r.sources.is_empty() {
        out.push_str("</ul>");
    }
    let _ = write!(out, "</section><section><h3>Claims <span>{}</span></h3>", count(&r.claims));
    if r.unsourced > 0 {
        let coded = r.claims.iter().filter(|(c, _)| !c.is_proposed()).count();
        let _ = write!(out, "<p class=\"callout\">⚠ {} of {coded} claims have no source</p>", r.unsourced);
    }
    out.push_str(if r.claims.is_empty() { none } else { "<ol>" });
    for (c, _) in &r.claims {
        item(out, cb, i, c, &format!("“{}”", escape(&excerpt(&c.full_quote(), 160))), rv);
        let by = source_html(cb, art, i, c).unwrap_or_else(|| "<span class=\"warn\">⚠ no source</span>".into());
        let _ = write!(out, " <span class=\"who\">— {by}</span>");
        out.push_str(&values_html(cb, c));
        if let Some(note) = &c.note {
            let _ = write!(out, "<span class=\"note\">{}</span>", escape(note));
        }
        out.push_str("</li>");
    }
    if !r.claims.is_empty() {
        out.push_str("</ol>");
    }
    for o in &r.others {
        let items: Vec<(&Annotation, ())> = o.items.iter().map(|(_, a)| (*a, ())).collect();
        let _ = write!(out, "</section><section><h3>{} <span>{}</span></h3>", escape(&o.name), count(&items));
        let mut last: Option<&str> = None;
        for (kind, b) in &o.items {
            if last != Some(kind.as_str()) {
                if last.is_some() {
                    out.push_str("</ul>");
                }
                let _ = write!(out, "<h4>{}</h4><ul>", escape(kind));
                last = Some(kind);
            }
            item(out, cb, i, b, &format!("“{}”", escape(&excerpt(&b.full_quote(), 80))), rv);
            let _ = write!(out, " <span class=\"count\">{} characters</span>", b.end - b.start);
            out.push_str(&values_html(cb, b));
            out.push_str("</li>");
        }
        if last.is_some() {
            out.push_str("</ul>");
        }
    }
    out.push_str("</section></aside>");
}

fn article(out: &mut String, cb: &Codebook, r: &ArticleReport, i: usize) {
    let art = r.art;
    let _ = write!(
        out,
        "<article class=\"article\" id=\"art-{i}\" data-id=\"{}\" data-fnv1a64=\"{}\"><header><h2>{}</h2>\
         <p class=\"meta\"><code>{}</code> · {} code points · {}</p>",
        escape(&art.id),
        escape(&art.fingerprint.fnv1a64),
        escape(&art.title),
        escape(&art.id),
        art.chars(),
        r.counts()
    );
    byline(out, art);
    if let Some(t) = &r.review {
        let _ = write!(
            out,
            "<p class=\"meta review\" data-approved=\"{}\" data-disputed=\"{}\" data-unreviewed=\"{}\">\
             Editor's review: {}</p>",
            t.approved,
            t.disputed,
            t.unreviewed,
            t.summary()
        );
    }
    out.push_str("</header><div class=\"cols\">");
    paint(out, cb, art, i);
    lists(out, cb, r, i);
    out.push_str("</div></article>\n");
}

/// Outlet · date · authors · link under the heading; nothing for plain text. Only a web URL
/// is a link (metadata is untrusted: a `javascript:` URL stays text).
fn byline(out: &mut String, art: &ExportArticle) {
    let (byline, link) = report::byline(art);
    let mut parts: Vec<String> = byline.iter().map(|b| escape(b)).collect();
    match link {
        Some(report::Link::Web(href)) => {
            parts.push(format!("<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>", escape(&href)))
        }
        Some(report::Link::Text(url)) => parts.push(format!("<code>{}</code>", escape(&url))),
        None => {}
    }
    if !parts.is_empty() {
        let _ = write!(out, "<p class=\"meta byline\">{}</p>", parts.join(" · "));
    }
}

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Page::new(cb), articles)
}

/// "Who is quoted": one row per entity (its name, its entity attribute values in the
/// codebook's words, mentions, claims attributed, articles); nothing without linked mentions.
fn who_is_quoted(out: &mut String, cb: &Codebook, who: &WhoIsQuoted) {
    if who.is_empty() {
        return;
    }
    let attrs = cb.entity_attributes();
    out.push_str("<section class=\"who\"><h2>Who is quoted</h2><table><thead><tr><th>entity</th>");
    for d in attrs {
        let _ = write!(out, "<th>{}</th>", escape(&d.name));
    }
    out.push_str("<th>mentions</th><th>claims</th><th>articles</th></tr></thead><tbody>");
    for q in who.rows() {
        let _ =
            write!(out, "<tr data-entity=\"{}\"><td>{}</td>", escape(q.entity.id.as_str()), escape(q.entity.label()));
        for d in attrs {
            let _ = write!(out, "<td>{}</td>", q.entity.value(&d.id).map(|v| escape(&v.name)).unwrap_or_default());
        }
        let _ = write!(out, "<td>{}</td><td>{}</td><td>{}</td></tr>", q.mentions, q.claims, q.articles);
    }
    out.push_str("</tbody></table></section>");
}

/// The page up to its first article: the corpus totals, who is quoted, the legend and, for
/// several articles, a table of contents of (place, title).
fn head(cb: &Codebook, totals: &Totals, who: &WhoIsQuoted, project: &str, titles: &[(usize, String)]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"newsnote {}\">\
         <meta name=\"newsnote-offset-unit\" content=\"{OFFSET_UNIT}\">\
         <meta name=\"newsnote-text-normalisation\" content=\"{}\">\
         <meta name=\"newsnote-codebook\" content=\"{}\">\
         <title>newsnote review report</title><style>{CSS}{looks}</style></head>\n\
         <body data-offset-unit=\"{OFFSET_UNIT}\"><header class=\"page\"><h1>newsnote review report</h1><dl class=\"totals\">",
        env!("CARGO_PKG_VERSION"),
        escape(TEXT_NORMALISATION),
        escape(&codebook_line(cb)),
        looks = look_css(cb)
    );
    for (k, v) in totals.rows() {
        let warn = if k.contains("no source") && v > 0 { " class=\"warn\"" } else { "" };
        let _ = write!(out, "<div{warn}><dt>{k}</dt><dd>{v}</dd></div>");
    }
    out.push_str("</dl><p class=\"legend\">");
    for (label, l) in cb.legend() {
        let _ = write!(out, "<span class=\"sw {}\">{}</span> {} ", l.class, escape(&label.name), escape(&l.meaning));
        if cb.is_content(&crate::model::annotation::LabelId::new(label.id.clone())) {
            let _ = write!(out, "<span class=\"sw {} nosrc\">{}</span> with no source ", l.class, escape(&label.name));
        }
    }
    out.push_str(
        "<span class=\"hint\">Hover or Tab to a span for its details. Offsets <code>[start–end)</code> \
         count Unicode code points of the article's text with a BOM stripped and CRLF read as LF. A span inside \
         or right after one of its label is in a second shade.</span>",
    );
    let _ = write!(out, " <span class=\"hint\">Codebook: {}.</span></p>", escape(&codebook_line(cb)));
    who_is_quoted(&mut out, cb, who);
    out.push_str(project);
    if titles.len() > 1 {
        out.push_str("<nav><ol>");
        for (i, title) in titles {
            let _ = write!(out, "<li><a href=\"#art-{i}\">{}</a></li>", escape(title));
        }
        out.push_str("</ol></nav>");
    }
    out.push_str("</header>\n<main>");
    out
}

/// The page: [`head`] (its totals and titles from a first pass), then a section per article.
/// Sections and their links are numbered by the article's place in the corpus.
pub struct Page<'a> {
    cb: &'a Codebook,
    totals: Totals,
    who: WhoIsQuoted,
    titles: Vec<(usize, String)>,
    /// The figures of the "Project" section's charts, and the export's entities that name
    /// their sources.
    picture: Gather<'a>,
    entities: Option<Arc<Entities>>,
    /// What only the corpus's folders know, not its articles: the team's done marks and
    /// their agreement per label (`with_team`).
    team: (Vec<crate::model::picture::CoderProgress>, Option<Vec<(String, f64)>>),
}

impl<'a> Page<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self {
            cb,
            totals: report::build(&[], cb).totals,
            who: WhoIsQuoted::default(),
            titles: Vec::new(),
            picture: Gather::new(cb),
            entities: None,
            team: (Vec::new(), None),
        }
    }

    /// The page of a team's corpus: its "Project" section also charts each coder's done
    /// marks and the coders' agreement per label.
    pub fn with_team(
        mut self,
        coders: Vec<crate::model::picture::CoderProgress>,
        agreement: Option<Vec<(String, f64)>>,
    ) -> Self {
        self.team = (coders, agreement);
        self
    }

    /// The "Project" section, from the survey.
    fn project(&self) -> String {
        let who = |id: &crate::model::entities::EntityId| {
            let e = self.entities.as_ref()?.get(id);
            let mut values: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for v in &e.values {
                values.entry(v.attribute.clone()).or_default().push(v.name.clone());
            }
            Some(Who { id: e.id.clone(), name: e.label().to_owned(), values })
        };
        let mut picture = self.picture.finish(who);
        (picture.coders, picture.agreement) = self.team.clone();
        super::charts::project(&picture)
    }
}

impl DocSink for Page<'_> {
    fn survey(&self) -> Option<Pass> {
        Some(Pass::Full)
    }

    fn surveyed(&mut self, at: usize, art: &ExportArticle) {
        self.totals.add(&report::build(std::slice::from_ref(art), self.cb).totals);
        self.who.add(art, self.cb);
        self.titles.push((at, art.title.clone()));
        self.picture.add(&art.id, art.chars(), &art.annotations);
        if self.entities.is_none() {
            self.entities = Some(art.entities.clone());
        }
    }

    fn begin(&self, w: &mut dyn io::Write) -> io::Result<()> {
        w.write_all(head(self.cb, &self.totals, &self.who, &self.project(), &self.titles).as_bytes())
    }

    fn render(&self, at: usize, art: &ExportArticle) -> Part {
        let report = report::build(std::slice::from_ref(art), self.cb);
        let mut out = String::new();
        article(&mut out, self.cb, &report.articles[0], at);
        Part::new(out, 1)
    }

    fn end(&self, w: &mut dyn io::Write, all: Written) -> io::Result<()> {
        if all.articles == 0 {
            w.write_all(b"<p class=\"none\">No articles.</p>")?;
        }
        writeln!(
            w,
            "</main><footer>Generated by newsnote {} · offsets in {OFFSET_UNIT}s</footer>\
             <script>{JS}</script></body></html>",
            env!("CARGO_PKG_VERSION")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, samples};
    use crate::model::annotation::AnnotationId;
    use crate::model::annotation::LabelId;
    use crate::model::units::{ByteRange, CharRange};

    /// An annotation over code points `start..end` of `text` (ASCII in these tests).
    fn ann(text: &str, id: &str, label: LabelId, start: usize, end: usize) -> Annotation {
        let mut a = Annotation::new_manual(
            label,
            text,
            ByteRange::new(start, end),
            CharRange::new(start, end),
            "tester",
            "2026-01-01T00:00:00Z",
        );
        a.id = AnnotationId(id.into());
        a
    }

    /// The opening tag of the element with this id.
    fn tag<'a>(html: &'a str, id: &str) -> &'a str {
        let at = html.find(&format!(" id=\"{id}\"")).unwrap_or_else(|| panic!("no element {id}"));
        let start = html[..at].rfind('<').unwrap();
        &html[start..at + html[at..].find('>').unwrap() + 1]
    }

    #[test]
    fn every_exported_annotation_is_an_anchored_focusable_span_and_a_list_item() {
        let arts = samples();
        let html = render(&arts, cb());
        for (i, art) in arts.iter().enumerate() {
            for a in &art.annotations {
                let id = anchor("a", i, &a.id.0);
                assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
                let t = tag(&html, &id);
                assert!(t.starts_with("<mark") && t.contains("tabindex=\"0\""), "{t}");
                assert!(t.contains(&format!("data-id=\"{}\"", a.id)), "{t}");
                assert!(html.contains(&format!("<li id=\"{}\"", anchor("l", i, &a.id.0))));
                assert!(html.contains(&format!("href=\"#{id}\"")));
                assert!(html.contains(&format!("href=\"#{}\"", anchor("l", i, &a.id.0))));
            }
        }
        assert_eq!(html.matches("<mark").count(), html.matches("</mark>").count());
        assert!(html.contains("<meta name=\"generator\" content=\"newsnote "));
        assert!(html.contains("<meta name=\"newsnote-offset-unit\" content=\"unicode-code-point\">"));
        for k in ["<dt>articles</dt><dd>2</dd>", "<dt>sources</dt><dd>27</dd>", "<dt>claims</dt><dd>36</dd>"] {
            assert!(html.contains(k), "{k}");
        }
        assert!(html.contains("<dt>claims with no source</dt><dd>9</dd>"));
        assert!(html.contains("<dt>boilerplate</dt><dd>4</dd>"));
    }

    #[test]
    fn donation_appeal_is_painted_as_boilerplate_over_each_paragraph() {
        let html = render(&samples(), cb());
        let t = tag(&html, "a1-aed2b282");
        assert!(t.contains("class=\"ann boilerplate\"") && t.contains("data-kind=\"DonationAppeal\""), "{t}");
        let after = &html[html.find(t).unwrap()..];
        let text_start = after.find("</span>Understand the importance of honest news ?</mark>");
        assert!(text_start.is_some(), "{}", &after[..2000]);
        assert!(html.contains("<b>Boilerplate (donation appeal)</b>"));
        let cont = "<mark class=\"ann boilerplate cont\" data-for=\"a1-aed2b282\"";
        assert!(html.contains(&format!("{cont} data-kind=\"DonationAppeal\" title=\"Boilerplate (donation appeal) (continued): Understand the importance of honest news ? So do we. The past year has been the …\">So do we.</mark>")));
        assert!(html.contains("<h4>donation appeal</h4>"));
    }

    #[test]
    fn lists_match_the_markdown_report() {
        let html = render(&samples(), cb());
        assert!(html.contains("“They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc”</a> <span class=\"who\">— <a class=\"by\" href=\"#a1-718f7c8d\">Peskov</a></span>"));
        assert!(html.contains("<p class=\"callout\">⚠ 7 of 17 claims have no source</p>"));
        assert!(html.contains("<span class=\"warn\">⚠ no source</span>"));
        assert!(html.contains("<h4>copyright footer</h4>"));
        assert!(html.contains(
            "Peskov</a> <span class=\"entity\">→ Dmitry Peskov</span> <span class=\"count\">2 claims</span>"
        ));
    }

    #[test]
    fn a_source_nested_in_a_claim_is_a_mark_inside_the_claim_mark() {
        let html = render(&samples(), cb());
        let claim = html.find("id=\"a1-baa01d51\"").unwrap();
        let source = html.find("id=\"a1-88a91587\"").unwrap();
        let between = &html[claim..source];
        assert!(!between.contains("</mark>"), "the claim is still open at the nested source");
        assert!(tag(&html, "a1-88a91587").starts_with("<mark class=\"ann source\""));
    }

    #[test]
    fn crossing_spans_split_into_balanced_fragments() {
        let text = "aaa bbb ccc\nddd";
        let art = ExportArticle::new(
            "x".into(),
            "t".into(),
            text.into(),
            vec![
                ann(text, "c1", LabelId::new("Claim"), 0, 7),
                ann(text, "s1", LabelId::new("Source"), 4, 15),
                ann(text, "e", LabelId::new("Claim"), 3, 3),
            ],
        );
        let html = render(&[art], crate::model::codebook::Codebook::default_scheme());
        let body = &html[html.find("<div class=\"text\">").unwrap()..html.find("<aside").unwrap()];
        let tips = |s: &str| {
            let mut s = s.to_owned();
            while let Some(a) = s.find("<span class=\"tip\"") {
                let b = a + s[a..].find("↪ in the list</a></span>").unwrap() + "↪ in the list</a></span>".len();
                s.replace_range(a..b, "");
            }
            s
        };
        let plain = tips(body);
        assert!(
            plain.contains(">aaa<mark class=\"ann claim alt empty nosrc\" id=\"a0-e\""),
            "the empty claim inside a claim is in the nested shade: {plain}"
        );
        assert!(plain.contains("</mark> <mark class=\"ann source\" id=\"a0-s1\""), "{plain}");
        assert!(plain.contains("bbb</mark></mark><mark class=\"ann source cont\" data-for=\"a0-s1\""), "{plain}");
        assert!(plain.contains("<p class=\"nl\"><mark class=\"ann source cont\" data-for=\"a0-s1\""), "{plain}");
        assert_eq!(plain.matches("<mark").count(), plain.matches("</mark>").count());
        assert_eq!(plain.matches("<p").count(), 2);
    }

    #[test]
    fn hostile_data_comes_out_escaped() {
        let text = "<script>alert(1)</script> \"onmouseover=alert(2) x='y' &amp; done";
        let mut a = ann(text, "\"><img src=x onerror=alert(3)>", LabelId::new("Claim"), 0, 25);
        a.note = Some("</span><img src=x onerror=alert(1)>".into());
        a.author = "<b onclick=alert(4)>me</b>".into();
        a.links.insert("source".into(), vec![AnnotationId("'><script>".into())]);
        let b = ann(text, "s", LabelId::new("Source"), 26, 53);
        let art = ExportArticle::new("<i>id</i>".into(), "<script>t</script>".into(), text.into(), vec![a, b]);
        let html = render(&[art], crate::model::codebook::Codebook::default_scheme());
        let ours = format!("<script>{JS}</script>");
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains(&ours));
        let data = html.replace(&ours, "").replace(
            &format!("<style>{CSS}{}</style>", look_css(crate::model::codebook::Codebook::default_scheme())),
            "",
        );
        for bad in ["<script", "<img", "<b ", "<i>", "\"onmouseover", "x='y'"] {
            assert!(!data.contains(bad), "raw {bad} in output");
        }
        assert!(data.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(data.contains("&quot;onmouseover=alert(2) x=&#39;y&#39;</mark> &amp;amp; done"));
        assert!(data.contains("&lt;/span&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(data.contains("id=\"a0-_22._3e._3c.img_20.src_3d.x_20.onerror_3d.alert_28.3_29._3e.\""));
        assert!(data.contains("missing source <code>&#39;&gt;&lt;script&gt;</code>"));
    }

    #[test]
    fn each_article_says_outlet_date_authors_and_link_under_its_heading_and_plain_text_nothing() {
        let (page, plain) = (crate::export::tests::rich_page(), crate::export::tests::rich());
        let html = render(&[page.clone(), plain], cb());
        assert!(
            html.contains(
                "<p class=\"meta byline\">Українська правда · 2026-11-30 · Олена Ковальчук, 李明 · \
             <a href=\"https://www.pravda.com.ua/news/%D0%BC%D0%B8%D1%80/\" rel=\"noopener noreferrer\">\
             https://www.pravda.com.ua/news/%D0%BC%D0%B8%D1%80/</a></p></header>"
            ),
            "{html}"
        );
        assert_eq!(html.matches("meta byline").count(), 1, "plain text has no byline");
        let mut hostile = page;
        hostile.meta.url = Some("javascript://x.example/%0Aalert(1)".into());
        hostile.meta.outlet = Some("<script>alert(2)</script>".into());
        let html = render(&[hostile], cb());
        assert!(
            !html.contains("href=\"javascript") && html.contains("<code>javascript://x.example/%0Aalert(1)</code>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt; · 2026-11-30"), "{html}");
    }

    #[test]
    fn the_page_says_who_is_quoted_and_each_sources_entity() {
        let html = render(&[crate::export::tests::rich_linked()], cb());
        assert!(html.contains("<h2>Who is quoted</h2><table><thead><tr><th>entity</th><th>source type</th><th>gender</th><th>mentions</th>"), "{html}");
        assert!(
            html.contains("<td>Дмитрий Песков</td><td>official</td><td></td><td>1</td><td>1</td><td>1</td></tr>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"entity\">→ Дмитрий Песков</span>"), "{html}");
    }

    #[test]
    fn escape_and_anchor() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(anchor("a", 3, "0f26-4f0c"), "a3-0f26-4f0c");
        assert_ne!(anchor("a", 0, "a b"), anchor("a", 0, "a_20.b"));
    }

    #[test]
    fn a_discontinuous_claim_is_one_annotation_with_its_values_cues_and_every_source() {
        let (art, cb) = (crate::export::tests::rich(), crate::export::tests::rich_codebook());
        let html = render(std::slice::from_ref(&art), &cb);
        assert_eq!(html.matches("id=\"a0-c1\"").count(), 1, "one anchor for both pieces");
        let second = "<mark class=\"ann claim cont\" data-for=\"a0-c1\"";
        let at = html.find(second).expect("the second piece points at the first");
        assert!(html[at..].contains("«и не будем»"));
        let at = html.find("id=\"t0-c1\"").unwrap();
        let tip = &html[at..at + html[at..].find("in the list").unwrap()];
        assert!(tip.contains("[0–16) [37–49)"), "{tip}");
        assert!(tip.contains("Песков</a>, <a class=\"by\" href=\"#a0-s2\">Кремль"), "both sources: {tip}");
        assert!(tip.contains("<span class=\"k\">cue</span> <a class=\"by\" href=\"#a0-q1\">сказал</a>"), "{tip}");
        assert!(
            html.contains(
                "<span class=\"vals\">evidence: ТАСС, 3 марта · quote type: direct · topics: war, peace</span>"
            )
        );
        assert!(html.contains(&format!(
            "<meta name=\"newsnote-text-normalisation\" content=\"{}\">",
            escape(TEXT_NORMALISATION)
        )));
        assert!(html.contains(&cb.reference().hash), "the codebook is named");
    }

    #[test]
    fn no_articles_still_makes_a_page() {
        let html = render(&[], crate::model::codebook::Codebook::default_scheme());
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("No articles."));
    }
}
