//! The HTML report's "Project" section: the stats view's charts as inline SVG.
//!
//! Inline SVG, because the report is one file that must open anywhere, offline, without a
//! script: nothing is fetched, nothing needs to run for the charts to show. Each chart is
//! an accessible image (`role="img"`, a `<title>` and a `<desc>` that names every bar and
//! its value), every bar has its name and value as text beside it, and each bar's full
//! name is its own `<title>` (a tooltip) when the label is cut. The figures are
//! [`crate::model::picture`]'s, the same the TUI's stats view and `newsnote stats` show.

use super::html::escape;
use crate::model::picture::{Bar, Picture, ratio_of};
use std::fmt::Write;

/// Width of a chart, in CSS pixels (it scales down with the page: `viewBox`).
const WIDTH: usize = 720;
/// Height of one bar's row.
const ROW: usize = 22;
/// Where bars start: the names are right-aligned before it.
const LABELS: usize = 240;
/// Room kept after the longest bar for its value.
const VALUES: usize = 110;
/// Longest name written in full beside a bar, in characters.
const NAME_CHARS: usize = 34;
/// The most bars a chart of the report shows (the rest is said in its caption).
pub const MOST_BARS: usize = 25;

/// `name` cut to [`NAME_CHARS`] characters, `…` marking a cut.
fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        return name.to_owned();
    }
    let mut s: String = name.chars().take(NAME_CHARS - 1).collect();
    s.push('…');
    s
}

/// A figure: its title and what it shows as a visible caption, then the chart.
fn figure(id: &str, title: &str, what: &str, rows: &[(String, f64, String)]) -> String {
    format!(
        "<figure class=\"chart\" id=\"{id}\"><figcaption><strong>{}</strong>: {}</figcaption>{}</figure>",
        escape(title),
        escape(what),
        bar_chart(id, title, rows)
    )
}

/// A horizontal bar chart as an SVG image: one row per `(name, fraction of the longest bar,
/// printed value)`. `id` makes the title's and description's ids unique in the page.
pub fn bar_chart(id: &str, title: &str, rows: &[(String, f64, String)]) -> String {
    let height = ROW * rows.len().max(1) + 8;
    let desc: Vec<String> = rows.iter().map(|(n, _, v)| format!("{n}: {v}")).collect();
    let desc = if desc.is_empty() { "No data.".to_owned() } else { desc.join("; ") };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         font-family=\"system-ui, sans-serif\" font-size=\"13\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(&desc)
    );
    let span = (WIDTH - LABELS - VALUES) as f64;
    for (i, (name, fraction, value)) in rows.iter().enumerate() {
        let y = 4 + i * ROW;
        let len = (fraction.clamp(0.0, 1.0) * span).round();
        let text_y = y + ROW / 2 + 4;
        let _ = write!(
            out,
            "<g class=\"bar\"><title>{}: {}</title><text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\" fill=\"#222\">{}</text>\
             <rect x=\"{LABELS}\" y=\"{}\" width=\"{len}\" height=\"{}\" fill=\"#3b6ea8\"/>\
             <text x=\"{}\" y=\"{text_y}\" fill=\"#222\">{}</text></g>",
            escape(name),
            escape(value),
            LABELS - 8,
            escape(&short(name)),
            y + 3,
            ROW - 6,
            LABELS as f64 + len + 6.0,
            escape(value)
        );
    }
    if rows.is_empty() {
        let _ = write!(out, "<text x=\"8\" y=\"18\" fill=\"#666\">No data.</text>");
    }
    out.push_str("</svg>");
    out
}

/// Counts as bars scaled to the largest, the first [`MOST_BARS`] of them.
fn counted(bars: &[Bar]) -> Vec<(String, f64, String)> {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    bars.iter().take(MOST_BARS).map(|b| (b.name.clone(), ratio_of(b.value, max), b.value.to_string())).collect()
}

/// Agreement per label (0 to 1), bars of the full width, values with two decimals: the
/// chart the agreement figures fill in once computed.
pub fn agreement_chart(per_label: &[(String, f64)]) -> String {
    let rows: Vec<(String, f64, String)> = per_label.iter().map(|(l, f)| (l.clone(), *f, format!("{f:.2}"))).collect();
    let what = "Krippendorff's α (nominal, on code points) of all coders on each label; 1 is full agreement, 0 chance (a value below 0 draws no bar).";
    figure("chart-agreement", "Agreement per label", what, &rows)
}

/// The "Project" section: every chart of the picture that has something to show.
pub fn project(p: &Picture) -> String {
    let mut out = String::from("<section class=\"project\"><h2>Project</h2>");
    let more = |n: usize| if n > MOST_BARS { format!(" The first {MOST_BARS} of {n}.") } else { String::new() };
    let unlinked = match p.unlinked {
        0 => String::new(),
        1 => " 1 mention names no entity.".to_owned(),
        n => format!(" {n} mentions name no entity."),
    };
    if !p.entities.is_empty() {
        let what = format!("source mentions by the entity they name, most first.{}{unlinked}", more(p.entities.len()));
        out += &figure("chart-entities", "Sources by entity", &what, &counted(&p.entities));
        for (i, v) in p.by_value.iter().enumerate() {
            let what = format!("source mentions by the entity's {}.", v.name.to_lowercase());
            out += &figure(&format!("chart-by-{i}"), &format!("Sources by {}", v.name), &what, &counted(&v.bars));
        }
    } else if p.unlinked > 0 {
        let _ = write!(out, "<p class=\"chart-none\">No source mention names an entity yet.{}</p>", escape(&unlinked));
    }
    if !p.articles.is_empty() {
        let hist: Vec<Bar> = p
            .claims_histogram()
            .into_iter()
            .map(|b| Bar { name: format!("{} claim{}", b.name, if b.name == "1" { "" } else { "s" }), value: b.value })
            .collect();
        let mean = p.claims() as f64 / p.articles.len() as f64;
        let what = format!("articles by their number of claims (mean {mean:.1} per article).");
        out += &figure("chart-claims", "Claims per article", &what, &counted(&hist));
    }
    let open =
        if p.suggested > 0 { format!(" {} open suggestions are not counted.", p.suggested) } else { String::new() };
    out += &figure("chart-labels", "Label mix", &format!("accepted annotations by label.{open}"), &counted(&p.labels));
    if !p.boilerplate_labels.is_empty() && !p.articles.is_empty() {
        let (b, chars) = p.boilerplate();
        let mut rows = vec![("all articles".to_owned(), p.boilerplate_share(), percent(p.boilerplate_share()))];
        let mut arts: Vec<_> = p.articles.iter().collect();
        // The articles with the most boilerplate first: those are the ones to look at.
        arts.sort_by(|x, y| y.share().total_cmp(&x.share()).then_with(|| x.id.cmp(&y.id)));
        rows.extend(arts.iter().take(MOST_BARS - 1).map(|a| (a.id.clone(), a.share(), percent(a.share()))));
        let what = format!(
            "code points under {}: {b} of {chars} overall, then per article, most first.{}",
            p.boilerplate_labels.join(", ").to_lowercase(),
            more(p.articles.len())
        );
        out += &figure("chart-boilerplate", "Boilerplate share", &what, &rows);
    }
    if !p.coders.is_empty() {
        let rows: Vec<(String, f64, String)> = p
            .coders
            .iter()
            .map(|c| (c.name.clone(), ratio_of(c.done, c.of), format!("{} of {} done", c.done, c.of)))
            .collect();
        out += &figure("chart-coders", "Coders' progress", "articles each coder marked done.", &rows);
    }
    if let Some(a) = &p.agreement {
        out += &agreement_chart(a);
    }
    out.push_str("</section>");
    out
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::picture::ArticleFigures;

    fn picture() -> Picture {
        Picture {
            articles: vec![
                ArticleFigures { id: "ру/статья.txt".into(), chars: 200, claims: 2, boilerplate: 50 },
                ArticleFigures { id: "日本/記事.txt".into(), chars: 100, claims: 0, boilerplate: 0 },
            ],
            labels: vec![Bar { name: "Источник".into(), value: 3 }, Bar { name: "<Claim & co>".into(), value: 2 }],
            entities: vec![Bar { name: "Дмитрий Песков".into(), value: 3 }],
            boilerplate_labels: vec!["Boilerplate".into()],
            ..Picture::default()
        }
    }

    #[test]
    fn every_chart_names_its_bars_and_prints_their_values_as_text_escaped() {
        let html = project(&picture());
        assert!(html.contains("<title id=\"chart-entities-t\">Sources by entity</title>"), "{html}");
        assert!(html.contains("<desc id=\"chart-entities-d\">Дмитрий Песков: 3</desc>"), "{html}");
        assert!(html.contains(">Дмитрий Песков</text>"), "{html}");
        assert!(html.contains("&lt;Claim &amp; co&gt;"), "names are escaped: {html}");
        assert!(!html.contains("<Claim"), "{html}");
        assert!(html.contains(">16.7%</text>"), "the overall boilerplate share, 50 of 300: {html}");
        assert!(html.contains(">25.0%</text>"), "{html}");
        assert!(!html.contains("Agreement"), "no agreement chart until it is computed");
        assert!(!html.contains("Coders"), "no progress chart without a team");
        assert!(!html.contains("<script") && !html.contains("href=") && !html.contains("src="), "{html}");
    }

    #[test]
    fn the_agreement_chart_takes_a_value_per_label() {
        let p = Picture { agreement: Some(vec![("Quelle".into(), 0.8125), ("Zitat".into(), 1.0)]), ..picture() };
        let html = project(&p);
        assert!(html.contains("<title id=\"chart-agreement-t\">Agreement per label</title>"), "{html}");
        assert!(html.contains(">0.81</text>") && html.contains(">1.00</text>"), "{html}");
    }

    #[test]
    fn a_long_name_is_cut_beside_its_bar_and_whole_in_its_tooltip() {
        let long = "Ministerium für Umwelt, Naturschutz und nukleare Sicherheit der Bundesrepublik";
        let svg = bar_chart("c", "t", &[(long.into(), 1.0, "7".into())]);
        assert!(svg.contains(&format!("<title>{long}: 7</title>")), "{svg}");
        assert!(svg.contains("…</text>") && !svg.contains(&format!(">{long}</text>")), "{svg}");
    }
}
