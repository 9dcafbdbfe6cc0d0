//! The word 4-gram metric of the public article-extraction benchmarks (issue 12's "The
//! metric"), for the tests that score text against the WCXB ground truth (WCXB (Foley,
//! 2026), CC-BY-4.0): tokens are the `\w+` matches (Unicode, case-sensitive); shingles the
//! overlapping 4-grams as a multiset (fewer than four tokens: one shingle); precision and
//! recall from their multiset intersection.

use regex::Regex;
use std::collections::HashMap;

/// The length (in characters) at which the ground truth cuts a snippet.
pub const SNIPPET_CUT: usize = 80;

/// The tokenizer: `\w+`.
pub fn word_re() -> Regex {
    Regex::new(r"\w+").expect("a valid pattern")
}

/// The `\w+` tokens (Unicode, case-sensitive).
pub fn tokens<'a>(re: &Regex, s: &'a str) -> Vec<&'a str> {
    re.find_iter(s).map(|m| m.as_str()).collect()
}

/// Overlapping word 4-grams as a multiset; fewer than four tokens make one shingle.
pub fn shingles(toks: &[&str]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < 4 {
        *out.entry(toks.join(" ")).or_default() += 1;
        return out;
    }
    for w in toks.windows(4) {
        *out.entry(w.join(" ")).or_default() += 1;
    }
    out
}

/// Precision and recall of `got` against `truth` (multiset intersection of shingles). An
/// empty truth is matched perfectly only by an empty text.
pub fn precision_recall(truth: &HashMap<String, usize>, got: &HashMap<String, usize>) -> (f64, f64) {
    let t: usize = truth.values().sum();
    let g: usize = got.values().sum();
    let tp: usize = truth.iter().map(|(k, &n)| n.min(got.get(k).copied().unwrap_or(0))).sum();
    let p = if g == 0 { f64::from(u8::from(t == 0)) } else { tp as f64 / g as f64 };
    let r = if t == 0 { 1.0 } else { tp as f64 / t as f64 };
    (p, r)
}

/// Whether a snippet's tokens appear in a row in `joined` (the text's tokens joined by
/// spaces, with a space before and after); a snippet the ground truth cut at 80 characters
/// (often inside a word) only needs its last token to begin a word. `None` for a snippet
/// without tokens.
pub fn contains_snippet(re: &Regex, joined: &str, snippet: &str) -> Option<bool> {
    let t = tokens(re, snippet).join(" ");
    if t.is_empty() {
        return None;
    }
    let end = if snippet.chars().count() == SNIPPET_CUT { "" } else { " " };
    Some(joined.contains(&format!(" {t}{end}")))
}

/// Where the WCXB development set is, beside the checkout.
pub const WCXB: &str = "../shared/data/wcxb-dev-articles";

/// Calls `each` with every page of the WCXB set (every fourth unless `all`), in file order:
/// its stem (`0001`), its `ground_truth` object and the page as newsnote reads it. `false`
/// (after saying so) when the set is absent.
pub fn each_wcxb_page(all: bool, mut each: impl FnMut(&str, &serde_json::Value, newsnote::model::html::Page)) -> bool {
    let dir = std::path::Path::new(WCXB);
    if !dir.join("html").is_dir() {
        eprintln!("skipped: {WCXB} is absent");
        return false;
    }
    let mut names: Vec<_> = std::fs::read_dir(dir.join("ground-truth"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        if !all && i % 4 != 0 {
            continue;
        }
        let stem = name.trim_end_matches(".json");
        let gt: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("ground-truth").join(name)).unwrap()).unwrap();
        let bytes = std::fs::read(dir.join("html").join(format!("{stem}.html.gz"))).unwrap();
        let page = newsnote::model::html::read_page(&bytes).unwrap_or_else(|e| panic!("{stem}: {e}"));
        each(stem, &gt["ground_truth"], page);
    }
    true
}
