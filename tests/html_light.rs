//! Cutting scripts and style sheets out of a page before it is parsed (`html::light`, for
//! speed) must change nothing a coder or a detector sees: the text, every block with its
//! provenance, the metadata and the warnings. Checked by parsing both ways every page of the
//! WCXB development set (WCXB (Foley, 2026), CC-BY-4.0; skipped when absent) and markup made
//! of the constructs where a `<script` is not a tag or a script's end is hard to find.

use newsnote::model::html::{read_page, read_page_uncut};
use proptest::prelude::*;

const PAGES: &str = "../shared/data/wcxb-dev-articles/html";

#[test]
fn every_real_page_reads_the_same_with_its_scripts_and_styles_cut_out() {
    let dir = std::path::Path::new(PAGES);
    if !dir.is_dir() {
        eprintln!("skipped: {PAGES} is absent");
        return;
    }
    let mut pages: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = pages.len().div_ceil(workers);
    let differ: Vec<String> = std::thread::scope(|s| {
        let jobs: Vec<_> = pages
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .filter(|p| {
                            let bytes = std::fs::read(p).unwrap();
                            read_page(&bytes).ok() != read_page_uncut(&bytes).ok()
                        })
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        jobs.into_iter().flat_map(|j| j.join().unwrap()).collect()
    });
    assert!(pages.len() > 700, "{} pages", pages.len());
    assert!(differ.is_empty(), "{} pages read differently: {differ:?}", differ.len());
}

/// Pieces of markup where a tokenizer must know its state: comments, quoted attributes,
/// raw-text elements, foreign content, escapes in scripts, unfinished tags.
const PIECES: &[&str] = &[
    "<script>",
    "</script>",
    "<SCRIPT type=text/javascript>",
    "</script >",
    "</scripts>",
    "<script/>",
    "<script type=\"application/ld+json\">",
    "{\"headline\":\"Заголовок\"}",
    "<style>",
    "</style>",
    "</STYLE\t>",
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<!--->",
    "<title>",
    "</title>",
    "<textarea>",
    "</textarea>",
    "<svg>",
    "</svg>",
    "<svg/>",
    "<math>",
    "</math>",
    "<![CDATA[",
    "]]>",
    "<p>",
    "</p>",
    "<div class=\"a>b\">",
    "</div>",
    "<a title=\"",
    "<a title='",
    "\">",
    "'>",
    "\"",
    "'",
    "<select>",
    "</select>",
    "<option>",
    "<noscript>",
    "</noscript>",
    "<iframe>",
    "</iframe>",
    "<xmp>",
    "</xmp>",
    "<plaintext>",
    "<b>",
    "</b>",
    "Песков сказал",
    "«Да»",
    " ",
    "\n",
    ">",
    "<",
    "/",
    "=",
    "<!DOCTYPE html>",
    "<?xml x?>",
    "</ x>",
    "</>",
    "<br/>",
    "<template>",
    "</template>",
    "<table>",
    "<td>",
    "<h1>",
    "x = a < b && c > d;",
    "<p hidden>",
    "<span style=\"display:none\">",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn markup_reads_the_same_with_its_scripts_and_styles_cut_out(
        picks in proptest::collection::vec(0..PIECES.len(), 0..40)
    ) {
        let html: String = picks.iter().map(|&i| PIECES[i]).collect();
        prop_assert_eq!(read_page(html.as_bytes()).ok(), read_page_uncut(html.as_bytes()).ok(), "{}", html);
    }
}
