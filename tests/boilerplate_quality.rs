//! Boilerplate detection on real pages: the 711 article pages of the WCXB development set
//! (WCXB (Foley, 2026), CC-BY-4.0), read from ../shared/data/wcxb-dev-articles.
//!
//! The page text minus the proposed boilerplate is scored against the ground truth's
//! `main_content` with the word 4-gram metric of the public extraction benchmarks (the one
//! tests/html_quality.rs uses for recall): precision, recall and F1 averaged over pages, and
//! the share of `without` snippets (boilerplate) left and of `with` snippets (article) kept.
//! The floors sit a little below the figures measured (docs/boilerplate.md). The rules were
//! developed on the even-numbered pages and the odd-numbered ones held out, so both halves
//! are printed and held to a floor of their own: a rule fitted to its pages shows as a gap.
//!
//! A debug build reads every page; `NEWSNOTE_BOILERPLATE_SUBSET=1` reads every fourth page,
//! and `NEWSNOTE_BOILERPLATE_PAGES=1` prints every page's figures, worst first.

mod common;

use common::shingles::{contains_snippet, precision_recall, shingles, tokens};
use newsnote::model::suggest::boilerplate::detect;
use std::path::Path;

struct PageFigures {
    stem: String,
    precision: f64,
    recall: f64,
}

#[derive(Default)]
struct Figures {
    pages: Vec<PageFigures>,
    with: (usize, usize),
    without_left: (usize, usize),
    /// How many `without` snippets were in the page text at all (the rest cannot leak).
    without_present: usize,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

fn measure(all: bool) -> Option<Figures> {
    let re = common::shingles::word_re();
    let mut f = Figures::default();
    let found = common::shingles::each_wcxb_page(all, |stem, gt, page| {
        let proposals = detect(&page.text, &page.blocks);
        // What is left: the text with every proposed stretch cut out, a paragraph break in
        // its place so words on either side never join.
        let mut kept = String::with_capacity(page.text.len());
        let mut at = 0;
        for p in &proposals {
            assert!(p.bytes.start >= at, "{stem}: proposals overlap or are out of order");
            kept.push_str(&page.text[at..p.bytes.start]);
            kept.push_str("\n\n");
            at = p.bytes.end;
        }
        kept.push_str(&page.text[at..]);
        if let Some(out) = std::env::var_os("NEWSNOTE_BOILERPLATE_DUMP") {
            std::fs::write(Path::new(&out).join(format!("{stem}.kept.txt")), &kept).unwrap();
            let list: String = proposals
                .iter()
                .map(|p| {
                    format!(
                        "{} {:.2} {} | {}\n",
                        p.category.id(),
                        p.confidence,
                        p.reason,
                        page.text[p.bytes.clone()].chars().take(100).collect::<String>().replace('\n', " ")
                    )
                })
                .collect();
            std::fs::write(Path::new(&out).join(format!("{stem}.proposed.txt")), list).unwrap();
            let blocks: String = page
                .blocks
                .iter()
                .map(|b| {
                    let proposed =
                        proposals.iter().any(|p| p.bytes.start <= b.bytes.start && b.bytes.end <= p.bytes.end);
                    let s: String = page.text[b.bytes.clone()].chars().take(60).collect();
                    format!("{} {} | {}\n", if proposed { "-" } else { "+" }, b.path, s.replace('\n', " "))
                })
                .collect();
            std::fs::write(Path::new(&out).join(format!("{stem}.blocks.txt")), blocks).unwrap();
            // Everything about each block, for looking at the losses with other tools.
            let json: Vec<serde_json::Value> = page
                .blocks
                .iter()
                .map(|b| {
                    let p = proposals.iter().find(|p| p.bytes.start <= b.bytes.start && b.bytes.end <= p.bytes.end);
                    serde_json::json!({
                        "text": &page.text[b.bytes.clone()],
                        "path": b.path,
                        "kind": format!("{:?}", b.kind),
                        "link_chars": b.link_chars,
                        "category": p.map(|p| p.category.id()),
                        "confidence": p.map(|p| p.confidence),
                        "reason": p.map(|p| p.reason.as_str()),
                    })
                })
                .collect();
            std::fs::write(Path::new(&out).join(format!("{stem}.blocks.json")), serde_json::to_string(&json).unwrap())
                .unwrap();
        }
        let truth = shingles(&tokens(&re, gt["main_content"].as_str().unwrap_or("")));
        let (precision, recall) = precision_recall(&truth, &shingles(&tokens(&re, &kept)));
        f.pages.push(PageFigures { stem: stem.to_string(), precision, recall });
        let kept_joined = format!(" {} ", tokens(&re, &kept).join(" "));
        let page_joined = format!(" {} ", tokens(&re, &page.text).join(" "));
        for w in gt["with"].as_array().into_iter().flatten().filter_map(|w| w.as_str()) {
            if let Some(k) = contains_snippet(&re, &kept_joined, w) {
                f.with.1 += 1;
                f.with.0 += usize::from(k);
            }
        }
        for w in gt["without"].as_array().into_iter().flatten().filter_map(|w| w.as_str()) {
            if let Some(k) = contains_snippet(&re, &kept_joined, w) {
                f.without_left.1 += 1;
                f.without_left.0 += usize::from(k);
                f.without_present += usize::from(contains_snippet(&re, &page_joined, w) == Some(true));
            }
        }
    });
    found.then_some(f)
}

fn rate((n, of): (usize, usize)) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

#[test]
fn real_pages_minus_the_proposed_boilerplate_match_their_main_content() {
    let all = std::env::var_os("NEWSNOTE_BOILERPLATE_SUBSET").is_none();
    let Some(mut f) = measure(all) else { return };
    let n = f.pages.len() as f64;
    let precision = f.pages.iter().map(|p| p.precision).sum::<f64>() / n;
    let recall = f.pages.iter().map(|p| p.recall).sum::<f64>() / n;
    let f1_avg = f.pages.iter().map(|p| f1(p.precision, p.recall)).sum::<f64>() / n;
    let with = rate(f.with);
    let without = rate(f.without_left);
    eprintln!("WCXB (Foley, 2026), CC-BY-4.0: {} pages, page text minus proposed boilerplate", f.pages.len());
    eprintln!("| precision | recall | F1 | `with` kept | `without` left |");
    eprintln!("|---|---|---|---|---|");
    eprintln!(
        "| {precision:.4} | {recall:.4} | {f1_avg:.4} | {}/{} = {with:.4} | {}/{} = {without:.4} (of {} in the page text) |",
        f.with.0, f.with.1, f.without_left.0, f.without_left.1, f.without_present
    );
    // The rules were developed on the even-numbered pages; the odd ones are held out, so a
    // rule that only fits the pages it was made on shows as a gap between the halves.
    let mut halves = Vec::new();
    for (name, parity) in [("even (development)", 0), ("odd (held out)", 1)] {
        let half: Vec<&PageFigures> =
            f.pages.iter().filter(|p| p.stem.parse::<u32>().is_ok_and(|n| n % 2 == parity)).collect();
        let m = half.len().max(1) as f64;
        let f1_half = half.iter().map(|p| f1(p.precision, p.recall)).sum::<f64>() / m;
        eprintln!(
            "  {name}: {} pages, precision {:.4} recall {:.4} F1 {f1_half:.4}",
            half.len(),
            half.iter().map(|p| p.precision).sum::<f64>() / m,
            half.iter().map(|p| p.recall).sum::<f64>() / m,
        );
        halves.push((name, half.len(), f1_half));
    }
    f.pages.sort_by(|a, b| f1(a.precision, a.recall).total_cmp(&f1(b.precision, b.recall)));
    let shown = if std::env::var_os("NEWSNOTE_BOILERPLATE_PAGES").is_some() { f.pages.len() } else { 15 };
    for p in f.pages.iter().take(shown) {
        eprintln!(
            "  {} precision {:.3} recall {:.3} F1 {:.3}",
            p.stem,
            p.precision,
            p.recall,
            f1(p.precision, p.recall)
        );
    }
    assert!(f1_avg >= FLOOR_F1, "F1 {f1_avg:.4}");
    for (name, n, f1_half) in halves {
        // A subset run has too few pages in a half for a floor to mean anything.
        if all {
            assert!(f1_half >= FLOOR_F1_HALF, "F1 {f1_half:.4} on the {n} {name} pages");
        }
    }
    assert!(precision >= FLOOR_PRECISION, "precision {precision:.4}");
    assert!(recall >= FLOOR_RECALL, "recall {recall:.4}");
    assert!(with >= FLOOR_WITH, "with snippets kept {with:.4}");
    assert!(without <= CEILING_WITHOUT, "without snippets left {without:.4}");
}

// Measured (version 4): precision 0.9281, recall 0.9694, F1 0.9407 (even pages 0.9417, odd
// 0.9398), with 0.9628, without 0.0330. The issue asks for F1 0.95: docs/boilerplate.md says
// where the detector falls short.
const FLOOR_F1: f64 = 0.937;
const FLOOR_F1_HALF: f64 = 0.935;
const FLOOR_PRECISION: f64 = 0.924;
const FLOOR_RECALL: f64 = 0.965;
const FLOOR_WITH: f64 = 0.96;
const CEILING_WITHOUT: f64 = 0.036;
