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
//! - Offsets are Unicode code points (`meta name="newsnote-offset-unit"`, shown in the legend).

use super::{ExportArticle, OFFSET_UNIT};
use crate::model::annotation::{Annotation, BoilerplateKind, Label, excerpt};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::ops::Range;

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

fn class(l: Label) -> &'static str {
    match l {
        Label::Source => "source",
        Label::Claim => "claim",
        Label::Boilerplate(_) => "boilerplate",
    }
}

fn offsets(a: &Annotation) -> String {
    format!("<code class=\"off\">[{}–{})</code>", a.start, a.end)
}

/// Who makes a claim, as tooltip/list HTML; `None` when it has no source at all.
fn source_html(art: &ExportArticle, i: usize, c: &Annotation) -> Option<String> {
    let id = c.source.as_ref()?;
    Some(match art.source_of(c) {
        Some(s) if art.annotations.iter().any(|a| a.id == s.id) => {
            format!("<a class=\"by\" href=\"#{}\">{}</a>", anchor("a", i, &s.id.0), escape(&s.quote))
        }
        Some(s) => format!("<span class=\"by\">{}</span>", escape(&s.quote)),
        None => format!("<span class=\"warn\">missing source <code>{}</code></span>", escape(&id.0)),
    })
}

fn tooltip(out: &mut String, art: &ExportArticle, i: usize, a: &Annotation) {
    let _ = write!(
        out,
        "<span class=\"tip\" role=\"tooltip\" id=\"{}\"><span class=\"tip-h\"><b>{}</b> {}</span>\
         <span class=\"tip-q\">“{}”</span>",
        anchor("t", i, &a.id.0),
        escape(&a.label.to_string()),
        offsets(a),
        escape(&excerpt(&a.quote, 160))
    );
    let row = |out: &mut String, k: &str, v: String| {
        let _ = write!(out, "<span class=\"tip-r\"><span class=\"k\">{k}</span> {v}</span>");
    };
    if let Some(n) = &a.note {
        row(out, "Note", escape(n));
    }
    if a.label == Label::Source {
        row(out, "Claims", art.all.iter().filter(|c| c.source.as_ref() == Some(&a.id)).count().to_string());
    }
    if a.label == Label::Claim {
        row(out, "Source", source_html(art, i, a).unwrap_or_else(|| "<span class=\"warn\">⚠ none</span>".into()));
    }
    row(out, "Author", escape(&a.author));
    row(out, "Created", escape(&a.created));
    row(out, "Id", format!("<code>{}</code>", escape(&a.id.0)));
    let _ = write!(out, "<a class=\"back\" href=\"#{}\">↪ in the list</a></span>", anchor("l", i, &a.id.0));
}

fn open_mark(out: &mut String, art: &ExportArticle, i: usize, a: &Annotation, first: bool, empty: bool) {
    let mut cls = format!("ann {}", class(a.label));
    if empty {
        cls.push_str(" empty");
    }
    if a.label == Label::Claim && art.source_of(a).is_none() {
        cls.push_str(" nosrc");
    }
    let kind = match a.label {
        Label::Boilerplate(k) => format!(" data-kind=\"{k:?}\""),
        _ => String::new(),
    };
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
        tooltip(out, art, i, a);
    } else {
        let _ = write!(
            out,
            "<mark class=\"{cls} cont\" data-for=\"{}\"{kind} title=\"{} (continued): {}\">",
            anchor("a", i, &a.id.0),
            escape(&a.label.to_string()),
            escape(&excerpt(&a.quote, 80))
        );
    }
}

/// The article text as paragraphs with every exported span painted as nested `<mark>`s.
fn paint(out: &mut String, art: &ExportArticle, i: usize) {
    let text = art.text.as_str();
    let spans: Vec<(&Annotation, Range<usize>)> =
        art.annotations.iter().map(|a| (a, art.bytes(a).as_range())).collect();
    // Outermost first: start, then longer first, then label and id for a stable order.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&x, &y| {
        let (a, r) = &spans[x];
        let (b, q) = &spans[y];
        (r.start, q.end, a.label, &a.id).cmp(&(q.start, r.end, b.label, &b.id))
    });
    let mut cuts: BTreeSet<usize> = [0, text.len()].into();
    for (_, r) in &spans {
        cuts.extend([r.start, r.end]);
    }
    for (b, _) in text.match_indices('\n') {
        cuts.extend([b, b + 1]);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut opened = vec![false; spans.len()];
    let mut stack: Vec<usize> = Vec::new();
    let (mut in_p, mut breaks) = (false, 0);
    let markers = |out: &mut String, opened: &mut [bool], upto: usize| {
        for &k in &order {
            if opened[k] || spans[k].1.end > upto {
                continue;
            }
            opened[k] = true;
            open_mark(out, art, i, spans[k].0, true, true);
            out.push_str("</mark>");
        }
    };
    out.push_str("<div class=\"text\">");
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        markers(out, &mut opened, s);
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
        let active: Vec<usize> =
            order.iter().copied().filter(|&k| spans[k].1.start <= s && spans[k].1.end >= e).collect();
        let keep = stack.iter().zip(&active).take_while(|(x, y)| x == y).count();
        out.push_str(&"</mark>".repeat(stack.len() - keep));
        stack.truncate(keep);
        for &k in &active[keep..] {
            open_mark(out, art, i, spans[k].0, !opened[k], false);
            opened[k] = true;
            stack.push(k);
        }
        out.push_str(&escape(piece));
    }
    out.push_str(&"</mark>".repeat(stack.len()));
    if in_p {
        out.push_str("</p>");
    }
    markers(out, &mut opened, usize::MAX);
    out.push_str("</div>");
}

#[derive(Default)]
struct Totals {
    articles: usize,
    sources: usize,
    claims: usize,
    unsourced: usize,
    boilerplate: usize,
}

fn item(out: &mut String, i: usize, a: &Annotation, body: &str) {
    let _ = write!(
        out,
        "<li id=\"{}\" class=\"{}\"><a class=\"to\" href=\"#{}\">{body}</a>",
        anchor("l", i, &a.id.0),
        class(a.label),
        anchor("a", i, &a.id.0)
    );
}

fn lists(out: &mut String, art: &ExportArticle, i: usize, t: &mut Totals) -> String {
    let of = |l: fn(&Label) -> bool| art.annotations.iter().filter(|a| l(&a.label)).collect::<Vec<_>>();
    let sources = of(|l| *l == Label::Source);
    let claims = of(|l| *l == Label::Claim);
    let boiler = of(|l| matches!(l, Label::Boilerplate(_)));
    let unsourced = claims.iter().filter(|c| art.source_of(c).is_none()).count();
    t.articles += 1;
    t.sources += sources.len();
    t.claims += claims.len();
    t.unsourced += unsourced;
    t.boilerplate += boiler.len();
    let none = "<p class=\"none\">None.</p>";

    let _ = write!(out, "<aside class=\"lists\"><section><h3>Sources <span>{}</span></h3>", sources.len());
    if sources.is_empty() {
        out.push_str(none);
    } else {
        out.push_str("<ul>");
    }
    for s in &sources {
        let n = art.all.iter().filter(|c| c.source.as_ref() == Some(&s.id)).count();
        item(out, i, s, &escape(&s.quote));
        let _ = write!(out, " <span class=\"count\">{n} claim{}</span> {}", if n == 1 { "" } else { "s" }, offsets(s));
        if let Some(note) = &s.note {
            let _ = write!(out, "<span class=\"note\">{}</span>", escape(note));
        }
        out.push_str("</li>");
    }
    if !sources.is_empty() {
        out.push_str("</ul>");
    }
    let _ = write!(out, "</section><section><h3>Claims <span>{}</span></h3>", claims.len());
    if unsourced > 0 {
        let _ = write!(out, "<p class=\"callout\">⚠ {unsourced} of {} claims have no source</p>", claims.len());
    }
    out.push_str(if claims.is_empty() { none } else { "<ol>" });
    for c in &claims {
        item(out, i, c, &format!("“{}”", escape(&excerpt(&c.quote, 160))));
        let by = source_html(art, i, c).unwrap_or_else(|| "<span class=\"warn\">⚠ no source</span>".into());
        let _ = write!(out, " <span class=\"who\">— {by}</span>");
        if let Some(note) = &c.note {
            let _ = write!(out, "<span class=\"note\">{}</span>", escape(note));
        }
        out.push_str("</li>");
    }
    if !claims.is_empty() {
        out.push_str("</ol>");
    }
    let _ = write!(out, "</section><section><h3>Boilerplate <span>{}</span></h3>", boiler.len());
    if boiler.is_empty() {
        out.push_str(none);
    }
    for kind in BoilerplateKind::ALL {
        let of_kind: Vec<_> = boiler.iter().filter(|b| b.label == Label::Boilerplate(kind)).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = write!(out, "<h4>{}</h4><ul>", kind.describe());
        for b in of_kind {
            item(out, i, b, &format!("“{}”", escape(&excerpt(&b.quote, 80))));
            let _ = write!(out, " <span class=\"count\">{} characters</span></li>", b.end - b.start);
        }
        out.push_str("</ul>");
    }
    out.push_str("</section></aside>");
    format!(
        "{} sources · {} claims ({unsourced} without a source) · {} boilerplate",
        sources.len(),
        claims.len(),
        boiler.len()
    )
}

fn article(out: &mut String, art: &ExportArticle, i: usize, t: &mut Totals) {
    let mut side = String::new();
    let counts = lists(&mut side, art, i, t);
    let _ = write!(
        out,
        "<article class=\"article\" id=\"art-{i}\" data-id=\"{}\" data-fnv1a64=\"{}\"><header><h2>{}</h2>\
         <p class=\"meta\"><code>{}</code> · {} code points · {counts}</p></header><div class=\"cols\">",
        escape(&art.id),
        escape(&art.fingerprint.fnv1a64),
        escape(&art.title),
        escape(&art.id),
        art.chars()
    );
    paint(out, art, i);
    out.push_str(&side);
    out.push_str("</div></article>\n");
}

pub fn render(articles: &[ExportArticle]) -> String {
    let mut body = String::new();
    let mut t = Totals::default();
    for (i, a) in articles.iter().enumerate() {
        article(&mut body, a, i, &mut t);
    }
    if articles.is_empty() {
        body.push_str("<p class=\"none\">No articles.</p>");
    }
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"newsnote {}\">\
         <meta name=\"newsnote-offset-unit\" content=\"{OFFSET_UNIT}\">\
         <title>newsnote review report</title><style>{CSS}</style></head>\n\
         <body data-offset-unit=\"{OFFSET_UNIT}\"><header class=\"page\"><h1>newsnote review report</h1><dl class=\"totals\">",
        env!("CARGO_PKG_VERSION")
    );
    let stats = [
        ("articles", t.articles),
        ("sources", t.sources),
        ("claims", t.claims),
        ("claims with no source", t.unsourced),
        ("boilerplate", t.boilerplate),
    ];
    for (k, v) in stats {
        let warn = if k.contains("no source") && v > 0 { " class=\"warn\"" } else { "" };
        let _ = write!(out, "<div{warn}><dt>{k}</dt><dd>{v}</dd></div>");
    }
    out.push_str(
        "</dl><p class=\"legend\"><span class=\"sw source\">Source</span> who is quoted \
         <span class=\"sw claim\">Claim</span> what is asserted \
         <span class=\"sw claim nosrc\">Claim</span> with no source \
         <span class=\"sw boilerplate\">Boilerplate</span> not the article \
         <span class=\"hint\">Hover or Tab to a span for its details. Offsets <code>[start–end)</code> \
         count Unicode code points.</span></p>",
    );
    if articles.len() > 1 {
        out.push_str("<nav><ol>");
        for (i, a) in articles.iter().enumerate() {
            let _ = write!(out, "<li><a href=\"#art-{i}\">{}</a></li>", escape(&a.title));
        }
        out.push_str("</ol></nav>");
    }
    let _ = write!(
        out,
        "</header>\n<main>{body}</main><footer>Generated by newsnote {} · offsets in {OFFSET_UNIT}s</footer>\
         <script>{JS}</script></body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::samples;
    use crate::model::annotation::AnnotationId;
    use crate::model::units::{ByteRange, CharRange};

    /// An annotation over code points `start..end` of `text` (ASCII in these tests).
    fn ann(text: &str, id: &str, label: Label, start: usize, end: usize) -> Annotation {
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
        let html = render(&arts);
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
        let html = render(&samples());
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
        let html = render(&samples());
        assert!(html.contains("“They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc”</a> <span class=\"who\">— <a class=\"by\" href=\"#a1-718f7c8d\">Peskov</a></span>"));
        assert!(html.contains("<p class=\"callout\">⚠ 7 of 17 claims have no source</p>"));
        assert!(html.contains("<span class=\"warn\">⚠ no source</span>"));
        assert!(html.contains("<h4>copyright footer</h4>"));
        assert!(html.contains("Peskov</a> <span class=\"count\">2 claims</span>"));
    }

    #[test]
    fn a_source_nested_in_a_claim_is_a_mark_inside_the_claim_mark() {
        let html = render(&samples());
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
                ann(text, "c1", Label::Claim, 0, 7),
                ann(text, "s1", Label::Source, 4, 15),
                ann(text, "e", Label::Claim, 3, 3),
            ],
        );
        let html = render(&[art]);
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
        assert!(plain.contains(">aaa<mark class=\"ann claim empty nosrc\" id=\"a0-e\""), "{plain}");
        assert!(plain.contains("</mark> <mark class=\"ann source\" id=\"a0-s1\""), "{plain}");
        assert!(plain.contains("bbb</mark></mark><mark class=\"ann source cont\" data-for=\"a0-s1\""), "{plain}");
        assert!(plain.contains("<p class=\"nl\"><mark class=\"ann source cont\" data-for=\"a0-s1\""), "{plain}");
        assert_eq!(plain.matches("<mark").count(), plain.matches("</mark>").count());
        assert_eq!(plain.matches("<p").count(), 2);
    }

    #[test]
    fn hostile_data_comes_out_escaped() {
        let text = "<script>alert(1)</script> \"onmouseover=alert(2) x='y' &amp; done";
        let mut a = ann(text, "\"><img src=x onerror=alert(3)>", Label::Claim, 0, 25);
        a.note = Some("</span><img src=x onerror=alert(1)>".into());
        a.author = "<b onclick=alert(4)>me</b>".into();
        a.source = Some(AnnotationId("'><script>".into()));
        let b = ann(text, "s", Label::Source, 26, 53);
        let art = ExportArticle::new("<i>id</i>".into(), "<script>t</script>".into(), text.into(), vec![a, b]);
        let html = render(&[art]);
        let ours = format!("<script>{JS}</script>");
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains(&ours));
        let data = html.replace(&ours, "").replace(&format!("<style>{CSS}</style>"), "");
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
    fn escape_and_anchor() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(anchor("a", 3, "0f26-4f0c"), "a3-0f26-4f0c");
        assert_ne!(anchor("a", 0, "a b"), anchor("a", 0, "a_20.b"));
    }

    #[test]
    fn no_articles_still_makes_a_page() {
        let html = render(&[]);
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("No articles."));
    }
}
