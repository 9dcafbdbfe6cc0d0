//! Web page → text quality on real pages: the 711 article pages of the WCXB development
//! set (WCXB (Foley, 2026), CC-BY-4.0), read from ../shared/data/wcxb-dev-articles.
//!
//! Nothing visible may be hidden from a coder, so the measure is recall: how much of the
//! ground truth's main content (word 4-grams, the metric of the public extraction
//! benchmarks) and of its `with` snippets the text keeps; and how often the title, author
//! and date found agree with the ground truth. The floors sit a little below the figures
//! measured (docs/html.md), so a regression fails the test.
//!
//! Every page is read (about 11 s in a debug build on this machine's 2 cores);
//! `NEWSNOTE_HTML_SUBSET=1` reads every fourth page instead, for a quick look.

mod common;

use common::shingles::{contains_snippet, precision_recall, shingles, tokens};
use regex::Regex;
use std::collections::HashMap;
use std::path::Path;

/// TP / (TP + FN) of the truth's shingles in the text's (multiset intersection).
fn recall(truth: &HashMap<String, usize>, got: &HashMap<String, usize>) -> f64 {
    precision_recall(truth, got).1
}

fn norm(re: &Regex, s: &str) -> String {
    tokens(re, &s.to_lowercase()).join(" ")
}

/// Titles match when, normalised to lower-case tokens, one contains the other (sites add
/// or drop their name around the headline).
fn title_matches(re: &Regex, truth: &str, got: &str) -> bool {
    let (t, g) = (norm(re, truth), norm(re, got));
    !t.is_empty() && !g.is_empty() && (g.contains(&t) || t.contains(&g))
}

/// Authors match when a name token of two letters or more is shared.
fn author_matches(re: &Regex, truth: &str, got: &[String]) -> bool {
    let got = norm(re, &got.join(" "));
    let got: Vec<&str> = got.split(' ').collect();
    norm(re, truth).split(' ').filter(|t| t.chars().count() >= 2).any(|t| got.contains(&t))
}

#[derive(Default)]
struct Figures {
    pages: usize,
    recall_sum: f64,
    short: Vec<(String, f64)>,
    with_total: usize,
    with_kept: usize,
    title: (usize, usize),
    author: (usize, usize),
    date: (usize, usize),
}

fn measure(all: bool) -> Option<Figures> {
    let re = common::shingles::word_re();
    let mut f = Figures::default();
    let found = common::shingles::each_wcxb_page(all, |stem, gt, page| {
        if let Some(out) = std::env::var_os("NEWSNOTE_HTML_DUMP") {
            std::fs::write(Path::new(&out).join(format!("{stem}.txt")), &page.text).unwrap();
            std::fs::write(
                Path::new(&out).join(format!("{stem}.meta.json")),
                serde_json::to_string(&page.meta).unwrap(),
            )
            .unwrap();
        }
        let got_toks = tokens(&re, &page.text);
        let r = recall(&shingles(&tokens(&re, gt["main_content"].as_str().unwrap_or(""))), &shingles(&got_toks));
        f.pages += 1;
        f.recall_sum += r;
        if r < 0.99 {
            f.short.push((stem.to_string(), r));
        }
        let joined = format!(" {} ", got_toks.join(" "));
        for w in gt["with"].as_array().into_iter().flatten().filter_map(|w| w.as_str()) {
            let Some(kept) = contains_snippet(&re, &joined, w) else { continue };
            f.with_total += 1;
            f.with_kept += usize::from(kept);
        }
        if let Some(t) = gt["title"].as_str().filter(|t| !t.trim().is_empty()) {
            f.title.1 += 1;
            f.title.0 += usize::from(page.meta.title.as_deref().is_some_and(|g| title_matches(&re, t, g)));
        }
        if let Some(a) = gt["author"].as_str().filter(|t| !t.trim().is_empty()) {
            f.author.1 += 1;
            f.author.0 += usize::from(author_matches(&re, a, &page.meta.authors));
        }
        if let Some(d) = gt["publish_date"].as_str().filter(|t| t.len() >= 10) {
            f.date.1 += 1;
            f.date.0 += usize::from(page.meta.day() == Some(&d[..10]));
        }
    });
    found.then_some(f)
}

fn rate((n, of): (usize, usize)) -> f64 {
    if of == 0 { 1.0 } else { n as f64 / of as f64 }
}

#[test]
fn real_pages_keep_their_main_content_and_with_snippets_and_their_metadata_matches() {
    let all = !cfg!(debug_assertions) || std::env::var_os("NEWSNOTE_HTML_SUBSET").is_none();
    let Some(f) = measure(all) else { return };
    let avg = f.recall_sum / f.pages as f64;
    let with = rate((f.with_kept, f.with_total));
    let (title, author, date) = (rate(f.title), rate(f.author), rate(f.date));
    eprintln!(
        "WCXB (Foley, 2026), CC-BY-4.0: {} pages; main_content recall {avg:.4}; with snippets kept {}/{} = {with:.4}; \
         title {}/{} = {title:.3}, author {}/{} = {author:.3}, date {}/{} = {date:.3}",
        f.pages, f.with_kept, f.with_total, f.title.0, f.title.1, f.author.0, f.author.1, f.date.0, f.date.1
    );
    for (stem, r) in &f.short {
        eprintln!("  short: {stem} recall {r:.3}");
    }
    assert!(avg >= FLOOR_RECALL, "average recall {avg:.4}");
    assert!(with >= FLOOR_WITH, "with snippets kept {with:.4}");
    assert!(title >= FLOOR_TITLE, "title match rate {title:.3}");
    assert!(author >= FLOOR_AUTHOR, "author match rate {author:.3}");
    assert!(date >= FLOOR_DATE, "date match rate {date:.3}");
}

// Measured (html-2): recall 0.9874, with 0.9902, title 0.914, author 0.835, date 0.744.
// The issue asks for recall 0.99; docs/html.md says why the text falls short of it.
const FLOOR_RECALL: f64 = 0.9865;
const FLOOR_WITH: f64 = 0.985;
const FLOOR_TITLE: f64 = 0.91;
const FLOOR_AUTHOR: f64 = 0.825;
const FLOOR_DATE: f64 = 0.735;
