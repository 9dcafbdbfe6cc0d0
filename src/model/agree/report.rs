//! The agreement figures as people read them (aligned tables, Markdown) and as tools read
//! them (CSV rows, one figure a row). JSON is the [`super::Agreement`] itself.
//!
//! One list of [`Table`]s feeds both the terminal and Markdown, so they never disagree.

use super::{Agreement, Figures, LabelFigures, OVERALL};
use crate::model::annotation::LabelId;
use crate::model::codebook::Codebook;
use unicode_width::UnicodeWidthStr;

/// A titled table of text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A figure with three decimals, or `–` when there is none.
pub fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |x| format!("{x:.3}"))
}

fn label_name(book: &Codebook, id: &str) -> String {
    if id == OVERALL { "(all labels)".to_owned() } else { book.label_name(&LabelId::new(id)) }
}

fn pair_name(c: &[String; 2]) -> String {
    format!("{} – {}", c[0], c[1])
}

/// The tables of one scope. `full` adds the pair, attribute, attribution and confusion
/// tables (the corpus); without it only the table by label (each article).
pub fn tables(a: &Agreement, book: &Codebook, f: &Figures, full: bool) -> Vec<Table> {
    let m = a.coders.len();
    let rows: Vec<&LabelFigures> = f.labels.iter().chain([&f.overall]).collect();
    let mut out = vec![Table {
        title: format!("By label, all {m} coders (spans: mean over pairs; κ: mean over pairs; α and α_U: all coders)"),
        head: ["label", "units per coder", "exact F1", "overlap F1", "κ chars", "α chars", "α_U"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|l| {
                vec![
                    label_name(book, &l.label),
                    l.units.iter().map(u64::to_string).collect::<Vec<_>>().join("/"),
                    number(l.spans.exact.f1),
                    number(l.spans.overlap.f1),
                    number(l.kappa),
                    number(l.alpha),
                    number(l.unitizing_alpha),
                ]
            })
            .collect(),
    }];
    if !full {
        return out;
    }
    let mut pair_rows = Vec::new();
    for p in 0..f.overall.pairs.len() {
        for l in &rows {
            let x = &l.pairs[p];
            pair_rows.push(vec![
                pair_name(&x.coders),
                label_name(book, &l.label),
                number(x.spans.exact.precision),
                number(x.spans.exact.recall),
                number(x.spans.exact.f1),
                number(x.spans.overlap.precision),
                number(x.spans.overlap.recall),
                number(x.spans.overlap.f1),
                number(x.kappa),
                number(x.unitizing_alpha),
            ]);
        }
    }
    out.push(Table {
        title: "By pair (precision: the second coder's units the first also marked; recall: the other way)".into(),
        head: [
            "coders",
            "label",
            "exact P",
            "exact R",
            "exact F1",
            "overlap P",
            "overlap R",
            "overlap F1",
            "κ chars",
            "α_U",
        ]
        .map(String::from)
        .to_vec(),
        rows: pair_rows,
    });
    if !f.attributes.is_empty() {
        out.push(Table {
            title: "Attributes on matched units (κ: mean over pairs; α: all coders)".into(),
            head: ["label", "attribute", "matched pairs", "agreed", "κ", "α"].map(String::from).to_vec(),
            rows: f
                .attributes
                .iter()
                .map(|x| {
                    vec![
                        label_name(book, &x.label),
                        book.attribute(&x.attribute).map_or_else(|| x.attribute.clone(), |d| d.name.clone()),
                        x.pairs.iter().map(|p| p.matched).sum::<u64>().to_string(),
                        x.pairs.iter().map(|p| p.agreed).sum::<u64>().to_string(),
                        number(x.kappa),
                        number(x.alpha),
                    ]
                })
                .collect(),
        });
    }
    if let Some(at) = &f.attribution {
        let mut rows: Vec<Vec<String>> = at
            .pairs
            .iter()
            .map(|p| {
                vec![
                    pair_name(&p.coders),
                    p.matched.to_string(),
                    p.same.to_string(),
                    p.neither.to_string(),
                    number(p.share),
                ]
            })
            .collect();
        if at.pairs.len() > 1 {
            rows.push(vec![
                "all (mean over pairs)".into(),
                String::new(),
                String::new(),
                String::new(),
                number(at.share),
            ]);
        }
        out.push(Table {
            title: format!(
                "Attribution: of the {} both coders marked, those with the same source (entity, else overlapping source span)",
                label_name(book, &at.label)
            ),
            head: ["coders", "matched", "same source", "of them no source", "share"].map(String::from).to_vec(),
            rows,
        });
    }
    let names: Vec<String> = f
        .confusion
        .labels
        .iter()
        .map(|l| if l == super::attributes::NONE { "(none)".into() } else { label_name(book, l) })
        .collect();
    out.push(Table {
        title: format!(
            "Labels on overlapping units, summed over {} pair(s): rows the first coder of a pair, columns the second",
            f.confusion.pairs.len()
        ),
        head: std::iter::once("first \\ second".to_owned()).chain(names.iter().cloned()).collect(),
        rows: f
            .confusion
            .all
            .iter()
            .zip(&names)
            .map(|(r, n)| std::iter::once(n.clone()).chain(r.iter().map(u64::to_string)).collect())
            .collect(),
    });
    out
}

/// Whether a cell is a figure (aligned right).
fn numeric(cell: &str) -> bool {
    cell == "–" || (!cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/')))
}

/// The tables aligned in columns, for a terminal or a pipe.
pub fn text(tables: &[Table]) -> String {
    let mut out = String::new();
    for t in tables {
        let cols = t.head.len();
        let mut widths = vec![0; cols];
        for row in std::iter::once(&t.head).chain(&t.rows) {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.width());
            }
        }
        out.push_str(&t.title);
        out.push('\n');
        let line = |row: &[String], out: &mut String| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, &w))| {
                    let pad = " ".repeat(w - c.width());
                    if i > 0 && numeric(c) { format!("{pad}{c}") } else { format!("{c}{pad}") }
                })
                .collect();
            out.push_str("  ");
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        };
        line(&t.head, &mut out);
        out.push_str("  ");
        out.push_str(&widths.iter().map(|&w| "─".repeat(w)).collect::<Vec<_>>().join("  "));
        out.push('\n');
        for r in &t.rows {
            line(r, &mut out);
        }
        out.push('\n');
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace('\n', " ")
}

/// The tables as Markdown (GitHub's pipe tables).
pub fn markdown(tables: &[Table]) -> String {
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("**{}**\n\n", md_cell(&t.title)));
        let row =
            |cells: &[String]| format!("| {} |\n", cells.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | "));
        out.push_str(&row(&t.head));
        out.push_str(&format!(
            "|{}\n",
            t.head.iter().enumerate().map(|(i, _)| if i == 0 { "---|" } else { "---:|" }).collect::<String>()
        ));
        for r in &t.rows {
            out.push_str(&row(r));
        }
        out.push('\n');
    }
    out
}

/// The CSV header: one figure a row.
pub const CSV_HEAD: [&str; 7] = ["article", "label", "attribute", "coder_a", "coder_b", "figure", "value"];

/// Every figure of `a` as CSV rows (`article` is empty for the corpus; `coder_b` empty for
/// all coders; `value` empty when there is no figure).
pub fn csv_rows(a: &Agreement) -> Vec<[String; 7]> {
    let mut out = Vec::new();
    let scopes = std::iter::once(("", &a.corpus)).chain(a.per_article.iter().map(|x| (x.id.as_str(), &x.figures)));
    let v = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    for (article, f) in scopes {
        let mut push = |label: &str, attribute: &str, pair: Option<&[String; 2]>, figure: &str, value: String| {
            let (ca, cb) = pair.map_or(("all".to_owned(), String::new()), |p| (p[0].clone(), p[1].clone()));
            out.push([article.to_owned(), label.to_owned(), attribute.to_owned(), ca, cb, figure.to_owned(), value]);
        };
        for l in f.labels.iter().chain([&f.overall]) {
            let spans = |s: &super::SpanFigures| {
                [
                    ("exact_precision", s.exact.precision),
                    ("exact_recall", s.exact.recall),
                    ("exact_f1", s.exact.f1),
                    ("overlap_precision", s.overlap.precision),
                    ("overlap_recall", s.overlap.recall),
                    ("overlap_f1", s.overlap.f1),
                ]
            };
            for (name, x) in spans(&l.spans) {
                push(&l.label, "", None, name, v(x));
            }
            push(&l.label, "", None, "kappa_chars_mean", v(l.kappa));
            push(&l.label, "", None, "alpha_chars", v(l.alpha));
            push(&l.label, "", None, "unitizing_alpha", v(l.unitizing_alpha));
            for p in &l.pairs {
                for (name, x) in spans(&p.spans) {
                    push(&l.label, "", Some(&p.coders), name, v(x));
                }
                push(&l.label, "", Some(&p.coders), "kappa_chars", v(p.kappa));
                push(&l.label, "", Some(&p.coders), "unitizing_alpha", v(p.unitizing_alpha));
            }
        }
        for x in &f.attributes {
            push(&x.label, &x.attribute, None, "alpha", v(x.alpha));
            push(&x.label, &x.attribute, None, "kappa_mean", v(x.kappa));
            for p in &x.pairs {
                push(&x.label, &x.attribute, Some(&p.coders), "matched", p.matched.to_string());
                push(&x.label, &x.attribute, Some(&p.coders), "agreed", p.agreed.to_string());
                push(&x.label, &x.attribute, Some(&p.coders), "kappa", v(p.kappa));
            }
        }
        if let Some(at) = &f.attribution {
            push(&at.label, "", None, "attribution_share_mean", v(at.share));
            for p in &at.pairs {
                push(&at.label, "", Some(&p.coders), "attribution_matched", p.matched.to_string());
                push(&at.label, "", Some(&p.coders), "attribution_same", p.same.to_string());
                push(&at.label, "", Some(&p.coders), "attribution_neither", p.neither.to_string());
                push(&at.label, "", Some(&p.coders), "attribution_share", v(p.share));
            }
        }
        for p in &f.confusion.pairs {
            for (r, row) in p.counts.iter().enumerate() {
                for (c, n) in row.iter().enumerate() {
                    if *n > 0 {
                        let cell = format!("confusion:{}:{}", f.confusion.labels[r], f.confusion.labels[c]);
                        push("", "", Some(&p.coders), &cell, n.to_string());
                    }
                }
            }
        }
    }
    out
}
