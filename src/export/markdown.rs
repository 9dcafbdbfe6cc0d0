//! `md`: the review report a person reads.
//!
//! Per article: its sources (with how many claims each makes), its claims each with the
//! source that makes it (claims with no source called out), its boilerplate by kind; then
//! corpus totals. Text from articles is escaped so a quote can never turn into Markdown.

use super::ExportArticle;
use crate::model::annotation::{Annotation, BoilerplateKind, Label};
use std::fmt::Write;

/// Escapes characters that Markdown would interpret, and folds line breaks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        if "\\`*_{}[]<>()#+-.!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
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

#[derive(Default)]
struct Totals {
    articles: usize,
    sources: usize,
    claims: usize,
    unsourced: usize,
    boilerplate: usize,
}

fn article(out: &mut String, art: &ExportArticle, t: &mut Totals) {
    let of = |l: fn(&Annotation) -> bool| art.annotations.iter().filter(move |a| l(a)).collect::<Vec<_>>();
    let sources = of(|a| a.label == Label::Source);
    let claims = of(|a| a.label == Label::Claim);
    let boiler = of(|a| matches!(a.label, Label::Boilerplate(_)));
    let unsourced: Vec<_> = claims.iter().filter(|c| art.source_of(c).is_none()).collect();
    t.articles += 1;
    t.sources += sources.len();
    t.claims += claims.len();
    t.unsourced += unsourced.len();
    t.boilerplate += boiler.len();

    let _ = writeln!(
        out,
        "## {}\n\n`{}` · {} sources · {} claims ({} without a source) · {} boilerplate\n",
        escape(&art.title),
        art.id,
        sources.len(),
        claims.len(),
        unsourced.len(),
        boiler.len()
    );
    let _ = writeln!(out, "### Sources\n");
    if sources.is_empty() {
        let _ = writeln!(out, "_None._\n");
    }
    for s in &sources {
        let n = art.all.iter().filter(|c| c.source.as_ref() == Some(&s.id)).count();
        let note = s.note.as_deref().map(|n| format!(" — _{}_", escape(n))).unwrap_or_default();
        let _ = writeln!(out, "- **{}** — {n} claim(s){note} `[{}–{})`", escape(&s.quote), s.start, s.end);
    }
    let _ = writeln!(out, "\n### Claims\n");
    if claims.is_empty() {
        let _ = writeln!(out, "_None._\n");
    }
    for (i, c) in claims.iter().enumerate() {
        let by = match art.source_of(c) {
            Some(s) => format!("**{}**", escape(&s.quote)),
            None => "⚠ **no source**".into(),
        };
        let note = c.note.as_deref().map(|n| format!(" — _{}_", escape(n))).unwrap_or_default();
        let _ = writeln!(out, "{}. “{}” — {by}{note}", i + 1, excerpt(&c.quote, 160));
    }
    if !unsourced.is_empty() {
        let _ = writeln!(out, "\n**Claims with no source:** {}", unsourced.len());
    }
    let _ = writeln!(out, "\n### Boilerplate\n");
    if boiler.is_empty() {
        let _ = writeln!(out, "_None._");
    }
    for kind in BoilerplateKind::ALL {
        let of_kind: Vec<_> = boiler.iter().filter(|b| b.label == Label::Boilerplate(kind)).collect();
        for b in of_kind {
            let _ =
                writeln!(out, "- {}: “{}” ({} characters)", kind.describe(), excerpt(&b.quote, 80), b.end - b.start);
        }
    }
    out.push('\n');
}

pub fn render(articles: &[ExportArticle]) -> String {
    let mut body = String::new();
    let mut t = Totals::default();
    for a in articles {
        article(&mut body, a, &mut t);
    }
    let mut out = String::from("# newsnote review report\n\n");
    let _ = writeln!(out, "Offsets `[start–end)` count Unicode code points.\n");
    let _ = writeln!(
        out,
        "## Totals\n\n| articles | sources | claims | claims with no source | boilerplate |\n|---:|---:|---:|---:|---:|"
    );
    let _ = writeln!(out, "| {} | {} | {} | {} | {} |\n", t.articles, t.sources, t.claims, t.unsourced, t.boilerplate);
    out.push_str(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::samples;

    #[test]
    fn report_lists_sources_claims_with_sources_and_boilerplate() {
        let md = render(&samples());
        assert!(md.contains("| 2 | 27 | 36 |"), "{md}");
        assert!(md.contains("“They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc” — **Peskov**"));
        assert!(md.contains("⚠ **no source**"));
        assert!(md.contains("- donation appeal: “Understand the importance of honest news ? So do we\\. The past"));
        assert!(md.contains("- copyright footer: “@2022 \\- AlterNet"));
    }

    #[test]
    fn markdown_in_quotes_is_escaped() {
        assert_eq!(escape("*bold* [link](x) # h"), "\\*bold\\* \\[link\\]\\(x\\) \\# h");
        assert_eq!(escape("a\n\nb"), "a b");
    }
}
