//! `md`: the review report a person reads.
//!
//! Computed by `report` (shared with the HTML page), written here. Per article: its sources (with how many claims each makes), its claims each with the
//! source that makes it (claims with no source called out), its boilerplate by kind; then
//! corpus totals. Text from articles is escaped so a quote can never turn into Markdown, and
//! ids (file names) are code spans fenced so that no backtick in them can close the span:
//! a file named ``x`<img src=x onerror=…>`.txt`` must stay text in the rendered report.

use super::ExportArticle;
use super::report::{self, ArticleReport, Totals, WhoIsQuoted};
use super::stream::{self, DocSink, Part, Pass};
use std::fmt::Write;
use std::io;

/// Escapes characters that Markdown would interpret, and folds line breaks. `&` too, or an
/// entity reference in an article (`&lt;`) would be shown decoded.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        if "\\`*_{}[]<>()#+-.!|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` as a CommonMark code span that shows exactly `s`. Inside a code span nothing is
/// interpreted (no escapes, no HTML), and the span ends only at a backtick run as long as the
/// one that opened it, so the fence is one backtick longer than the longest run in `s`. A
/// space pads each side when `s` starts or ends with a backtick (it would join the fence) or
/// with spaces on both sides (CommonMark strips one from each side, and then strips our
/// padding instead). Line breaks become spaces, as CommonMark shows them in a code span, so
/// that no line of `s` can start a heading or a list.
pub fn code(s: &str) -> String {
    let s = s.replace("\r\n", " ").replace(['\r', '\n'], " ");
    if s.is_empty() {
        return String::new();
    }
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && s.chars().any(|c| c != ' '));
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{s}{space}{fence}")
}

/// Like `annotation::excerpt`, but the cut text is escaped before the ellipsis, so a cut that
/// ends in a space reads "the…" (`escape` trims).
fn excerpt(s: &str, max: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", escape(&one[..i])),
        None => escape(&one),
    }
}

/// " · quote type: direct · gender: woman": an annotation's attribute values, in the
/// codebook's words (a value the codebook lacks is shown as it is, marked).
fn values(cb: &crate::model::codebook::Codebook, a: &crate::model::annotation::Annotation) -> String {
    a.attributes
        .iter()
        .map(|(id, v)| {
            let name = cb.attribute(id).map_or(id.as_str(), |d| d.name.as_str());
            format!(" · {}: {}", escape(name), escape(&cb.value_name(id, v)))
        })
        .collect()
}

/// `_(suggested by quotes-1 (87%))_ ` before an open suggestion's line; nothing for coding.
/// In a reviewed article, the review's state follows (`_(✗ disputed by Zoë, …)_ `), then each
/// comment.
fn mark(a: &crate::model::annotation::Annotation, reviewed: bool) -> String {
    let mut m = report::suggestion_mark(a).map(|m| format!("_\\({}\\)_ ", escape(&m))).unwrap_or_default();
    if reviewed {
        m.push_str(&format!("_\\({}\\)_ ", escape(&report::review_mark(a))));
        for (c, by, at, _) in report::review_comments(a) {
            m.push_str(&format!("_comment: “{}” — {}, {}_ ", escape(c), escape(by), escape(at)));
        }
    }
    m
}

fn article(out: &mut String, cb: &crate::model::codebook::Codebook, r: &ArticleReport) {
    let art = r.art;
    let _ = writeln!(out, "## {}\n\n{} · {}\n", escape(&art.title), code(&art.id), r.counts());
    let rv = r.review.is_some();
    if let Some(t) = &r.review {
        let _ = writeln!(out, "**Editor's review:** {}\n", t.summary());
    }
    // Outlet · date · authors · link; nothing for plain text. Only a web URL is an autolink
    // (percent-encoded, so it holds no space or angle bracket to end it early).
    let (byline, link) = report::byline(art);
    let mut parts: Vec<String> = byline.iter().map(|b| escape(b)).collect();
    match link {
        Some(report::Link::Web(href)) => parts.push(format!("<{href}>")),
        Some(report::Link::Text(url)) => parts.push(code(&url)),
        None => {}
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "{}\n", parts.join(" · "));
    }
    let _ = writeln!(out, "### Sources\n");
    if r.sources.is_empty() {
        let _ = writeln!(out, "_None._\n");
    }
    for (s, n) in &r.sources {
        let note = s.note.as_deref().map(|n| format!(" — _{}_", escape(n))).unwrap_or_default();
        let vals = values(cb, s);
        let who = art.entity(s).map(|e| format!(" → {}", escape(e.label()))).unwrap_or_default();
        let _ = writeln!(
            out,
            "- {}**{}**{who} — {n} claim(s){vals}{note} `[{}–{})`",
            mark(s, rv),
            escape(&s.quote),
            s.start,
            s.end
        );
    }
    let _ = writeln!(out, "\n### Claims\n");
    if r.claims.is_empty() {
        let _ = writeln!(out, "_None._\n");
    }
    for (i, (c, sources)) in r.claims.iter().enumerate() {
        let by = if sources.is_empty() {
            "⚠ **no source**".into()
        } else {
            sources.iter().map(|s| format!("**{}**", escape(&s.quote))).collect::<Vec<_>>().join(", ")
        };
        let note = c.note.as_deref().map(|n| format!(" — _{}_", escape(n))).unwrap_or_default();
        let cues: Vec<String> = r.art.cues_of(cb, c).iter().map(|q| format!("“{}”", excerpt(&q.quote, 40))).collect();
        let cue = if cues.is_empty() { String::new() } else { format!(" ({})", cues.join(", ")) };
        let vals = values(cb, c);
        let _ = writeln!(out, "{}. {}“{}” — {by}{cue}{vals}{note}", i + 1, mark(c, rv), excerpt(&c.full_quote(), 160));
    }
    if r.unsourced > 0 {
        let _ = writeln!(out, "\n**Claims with no source:** {}", r.unsourced);
    }
    for o in &r.others {
        let _ = writeln!(out, "\n### {}\n", escape(&o.name));
        for (kind, b) in &o.items {
            let _ = writeln!(
                out,
                "- {}{}: “{}” ({} characters)",
                mark(b, rv),
                escape(kind),
                excerpt(&b.full_quote(), 80),
                b.end - b.start
            );
        }
    }
    out.push('\n');
}

pub fn render(articles: &[ExportArticle], cb: &crate::model::codebook::Codebook) -> String {
    stream::document_of(&mut Report::new(cb), articles)
}

/// "Who is quoted": one row per entity (its name, its entity attribute values in the
/// codebook's words, mentions, claims attributed, articles); nothing without linked mentions.
fn who_is_quoted(out: &mut String, cb: &crate::model::codebook::Codebook, who: &WhoIsQuoted) {
    if who.is_empty() {
        return;
    }
    let attrs = cb.entity_attributes();
    let mut head = vec!["entity".to_string()];
    head.extend(attrs.iter().map(|d| escape(&d.name)));
    head.extend(["mentions", "claims", "articles"].map(String::from));
    let _ = writeln!(
        out,
        "## Who is quoted

| {} |
|---|{}",
        head.join(" | "),
        "---|".repeat(attrs.len()) + "---:|---:|---:|"
    );
    for q in who.rows() {
        let mut row = vec![escape(q.entity.label())];
        row.extend(attrs.iter().map(|d| q.entity.value(&d.id).map(|v| escape(&v.name)).unwrap_or_default()));
        row.extend([q.mentions, q.claims, q.articles].map(|n| n.to_string()));
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// The report up to its first article: the title, the corpus totals and who is quoted.
fn head(cb: &crate::model::codebook::Codebook, totals: &Totals, who: &WhoIsQuoted) -> String {
    let mut out = String::from("# newsnote review report\n\n");
    let r = cb.reference();
    let _ = writeln!(
        out,
        "Offsets `[start–end)` count Unicode code points of each article's text with a BOM stripped and CRLF \
         read as LF. Codebook: {} {} (hash `{}`).\n",
        escape(&r.name),
        escape(&r.version),
        r.hash
    );
    let rows = totals.rows();
    let names: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
    let counts: Vec<String> = rows.iter().map(|(_, v)| v.to_string()).collect();
    let _ = writeln!(out, "## Totals\n\n| {} |\n|{}", names.join(" | "), "---:|".repeat(rows.len()));
    let _ = writeln!(out, "| {} |\n", counts.join(" | "));
    who_is_quoted(&mut out, cb, who);
    out
}

/// The report: the corpus totals (from a first pass), then a section per article.
pub struct Report<'a> {
    cb: &'a crate::model::codebook::Codebook,
    totals: Totals,
    who: WhoIsQuoted,
}

impl<'a> Report<'a> {
    pub fn new(cb: &'a crate::model::codebook::Codebook) -> Self {
        Self { cb, totals: report::build(&[], cb).totals, who: WhoIsQuoted::default() }
    }
}

impl DocSink for Report<'_> {
    fn survey(&self) -> Option<Pass> {
        Some(Pass::Full)
    }

    fn surveyed(&mut self, _at: usize, art: &ExportArticle) {
        self.totals.add(&report::build(std::slice::from_ref(art), self.cb).totals);
        self.who.add(art, self.cb);
    }

    fn begin(&self, w: &mut dyn io::Write) -> io::Result<()> {
        w.write_all(head(self.cb, &self.totals, &self.who).as_bytes())
    }

    fn render(&self, _at: usize, art: &ExportArticle) -> Part {
        let report = report::build(std::slice::from_ref(art), self.cb);
        let mut out = String::new();
        article(&mut out, self.cb, &report.articles[0]);
        Part::new(out, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, samples};
    use crate::model::annotation::{Annotation, LabelId};

    #[test]
    fn report_lists_sources_claims_with_sources_and_boilerplate() {
        let md = render(&samples(), cb());
        assert!(md.contains("| 2 | 27 | 36 |"), "{md}");
        assert!(md.contains("“They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc” — **Peskov**"));
        assert!(md.contains("⚠ **no source**"));
        // Each claim with its cue and its attribute values, in the codebook's words.
        assert!(md.contains("any bloc” — **Peskov** (“told Reuters”) · quote type: direct\n"), "{md}");
        assert!(md.contains("- donation appeal: “Understand the importance of honest news ? So do we\\. The past"));
        assert!(md.contains("- copyright footer: “@2022 \\- AlterNet"));
    }

    #[test]
    fn each_article_says_outlet_date_authors_and_link_under_its_heading_and_plain_text_nothing() {
        let (page, plain) = (crate::export::tests::rich_page(), crate::export::tests::rich());
        let md = render(&[page.clone(), plain], cb());
        let line = "Українська правда · 2026\\-11\\-30 · Олена Ковальчук, 李明 · <https://www.pravda.com.ua/news/%D0%BC%D0%B8%D1%80/>\n";
        assert!(md.contains(&format!("\n\n{line}\n### Sources")), "{md}");
        assert_eq!(md.matches(" · <https://").count(), 1, "plain text has no byline");
        let mut hostile = page;
        hostile.meta.url = Some("javascript://x.example/%0Aalert(1)".into());
        let md = render(&[hostile], cb());
        assert!(
            md.contains("李明 · `javascript://x.example/%0Aalert(1)`\n"),
            "a URL that is not a web one is a code span: {md}"
        );
    }

    #[test]
    fn the_report_says_who_is_quoted_and_each_sources_entity() {
        let md = render(&[crate::export::tests::rich_linked()], cb());
        assert!(
            md.contains("## Who is quoted\n\n| entity | source type | gender | mentions | claims | articles |\n"),
            "{md}"
        );
        assert!(md.contains("| Дмитрий Песков | official |  | 1 | 1 | 1 |\n"), "{md}");
        assert!(md.contains("| kreml |  |  | 1 | 1 | 1 |\n"), "{md}");
        assert!(md.contains("- **Песков** → Дмитрий Песков — "), "{md}");
    }

    #[test]
    fn markdown_in_quotes_is_escaped() {
        assert_eq!(escape("*bold* [link](x) # h"), "\\*bold\\* \\[link\\]\\(x\\) \\# h");
        assert_eq!(escape("a\n\nb"), "a b");
        assert_eq!(escape("AT&amp;T"), "AT\\&amp;T");
    }

    #[test]
    fn code_spans_are_fenced_longer_than_any_backtick_run_inside() {
        assert_eq!(code("новости/002.txt"), "`новости/002.txt`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(" both "), "`  both  `");
        assert_eq!(code("   "), "`   `");
        assert_eq!(code("line\n# heading"), "`line # heading`");
    }

    /// The report rendered by a real CommonMark implementation (pulldown-cmark) and read back
    /// with an HTML parser.
    fn rendered(md: &str) -> scraper::Html {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
        scraper::Html::parse_fragment(&html)
    }

    #[test]
    fn hostile_file_names_titles_quotes_and_notes_stay_text_in_the_rendered_report() {
        let ids = [
            "x`<img src=x onerror=alert(1)>`.txt",
            "``<img src=x onerror=alert(2)>``новости.txt",
            "` <script>alert(3)</script> `.md",
            "a\n# <img src=x onerror=alert(4)>.txt",
        ];
        let text = "Песков said <img src=x onerror=alert(5)> and `code` and &lt;b&gt;.";
        let mut arts = Vec::new();
        for id in ids {
            let title = format!("<img src=x onerror=alert(6)> {id}");
            let bytes = crate::model::units::ByteRange::new(0, text.len());
            let chars = crate::model::units::CharIndex::new(text).to_chars(text, bytes);
            let mut a =
                Annotation::new_manual(LabelId::new("Source"), text, bytes, chars, "алиса", "2026-01-01T00:00:00Z");
            a.note = Some("`<img src=x onerror=alert(7)>` _x_".into());
            arts.push(ExportArticle::new(id.into(), title, text.into(), vec![a]));
        }
        let md = render(&arts, cb());
        let html = rendered(&md);
        let any = scraper::Selector::parse("*").unwrap();
        for el in html.select(&any) {
            let name = el.value().name();
            assert!(!["img", "script"].contains(&name), "the report made a <{name}> element:\n{md}");
            assert!(el.value().attrs().all(|(k, _)| !k.starts_with("on")), "an event handler in <{name}>:\n{md}");
        }
        let codes: Vec<String> =
            html.select(&scraper::Selector::parse("code").unwrap()).map(|c| c.text().collect()).collect();
        for id in ids {
            let want = id.replace('\n', " ");
            assert!(codes.contains(&want), "the id {id:?} is shown exactly, in {codes:?}");
        }
        let text_shown: String = html.root_element().text().collect();
        assert!(text_shown.contains("Песков said <img src=x onerror=alert(5)> and `code` and &lt;b&gt;."));
    }
}
