//! The issue-5 benchmarks, with divan, all through the real program (`newsnote::headless`:
//! the real `App`, `update`, input path, saves and `ui::render` into a `TestBackend`; the real
//! CLI for search and export).
//!
//! ```text
//! cargo bench --bench perf                    # everything (the first run generates corpora)
//! cargo bench --bench perf -- frame           # one group
//! ```
//!
//! Percentiles (p50/p99), ratios against the targets and memory are printed by
//! `cargo bench --bench targets`; `scripts/bench-compare.sh` adds find/rg/cat beside them.

mod common;

use divan::Bencher;
use newsnote::app::Action;
use newsnote::app::action::Motion;
use newsnote::headless::Headless;
use std::path::Path;

fn main() {
    divan::main();
}

/// An article opened in the reader at 200×60, cursor in the middle.
fn reader_at_middle(path: &Path) -> Headless {
    let mut h = Headless::open(path, 200, 60).expect("bench article opens");
    h.keys("<enter>");
    let o = h.app.open.as_ref().expect("article open");
    let mid = newsnote::model::motion::clamp(&o.doc.article.text, o.doc.article.text.len() / 2);
    h.app.reader.cursor = mid;
    h.action(Action::Move(Motion::Right));
    h.draw();
    h
}

/// Benchmark 1: first frame on corpora of 10, 10,000 and 100,000 articles (open + list + first article).
#[divan::bench(args = [10, 10_000, 100_000], sample_count = 10, sample_size = 1)]
fn first_frame_corpus(bencher: Bencher, articles: usize) {
    let dir = common::corpus(articles, 3000, 1);
    bencher.bench_local(|| {
        let mut h = Headless::open(&dir, 200, 60).expect("corpus opens");
        h.draw();
        h
    });
}

/// Benchmark 2: a keystroke and its frame at 200×60: scrolling (Ctrl-E / Ctrl-Y) and moving the
/// cursor (j / k), 10 KB, 1 MB and 10 MB articles with 10 and 10,000 annotations.
#[divan::bench(args = common::ARTICLES.map(|a| a.0), sample_count = 200, sample_size = 5)]
fn frame_scrolling(bencher: Bencher, article: &str) {
    let mut h = reader_at_middle(&common::article_for(article));
    let mut i = 0usize;
    bencher.bench_local(|| {
        i += 1;
        h.keys(if (i / 40).is_multiple_of(2) { "<c-e>" } else { "<c-y>" });
        h.draw();
    });
}

#[divan::bench(args = common::ARTICLES.map(|a| a.0), sample_count = 200, sample_size = 5)]
fn frame_moving_cursor(bencher: Bencher, article: &str) {
    let mut h = reader_at_middle(&common::article_for(article));
    let mut i = 0usize;
    bencher.bench_local(|| {
        i += 1;
        h.keys(if (i / 80).is_multiple_of(2) { "j" } else { "k" });
        h.draw();
    });
}

/// The frame alone (no keystroke), at the middle of each article.
#[divan::bench(args = common::ARTICLES.map(|a| a.0), sample_count = 200, sample_size = 5)]
fn frame_only(bencher: Bencher, article: &str) {
    let mut h = reader_at_middle(&common::article_for(article));
    bencher.bench_local(|| h.draw());
}

/// Benchmark 3: one annotation added and persisted (atomic save included): `w v e s` tags the next
/// word as a source, in a 30 KB article holding 10, 1,000 or 100,000 annotations.
#[divan::bench(args = [10, 1_000, 100_000], sample_count = 20, sample_size = 1)]
fn annotate_and_save(bencher: Bencher, annotations: usize) {
    let src = common::article(30_000, annotations);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&src, dir.path().join(src.file_name().expect("a file"))).expect("copy article");
    std::fs::copy(src.with_extension("ron"), dir.path().join(src.with_extension("ron").file_name().expect("a file")))
        .expect("copy annotations");
    let mut h = Headless::open(dir.path(), 200, 60).expect("article opens");
    h.keys("<enter>");
    bencher.bench_local(|| {
        h.keys("wves");
        assert!(h.app.open.as_ref().expect("open").doc.read_only.is_none(), "the article is read-only");
        assert!(matches!(h.app.save, newsnote::app::SaveState::Saved), "the save failed");
    });
}

fn cli(args: &[&str]) {
    use clap::Parser;
    let cli = newsnote::cli::Cli::try_parse_from(args).expect("valid arguments");
    newsnote::cli::run(cli.command.expect("a subcommand"), &cli.common).expect("the command succeeds");
}

/// Benchmark 4: corpus-wide search for a literal across 100,000 articles (matches gathered in order, not printed).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn search_100k(bencher: Bencher) {
    let dir = common::corpus(100_000, 3000, 1);
    bencher.bench_local(|| {
        let corpus =
            newsnote::model::corpus::Corpus::scan(&dir, newsnote::model::corpus::AnnotationRoot::NextToArticles)
                .expect("corpus opens");
        let re = newsnote::search::matcher(common::NEEDLE).expect("pattern");
        newsnote::search::search(&corpus, &re)
    });
}

/// Benchmark 5: `export --format jsonl|csv|w3c` of 100,000 annotations (1,000 articles × 100).
#[divan::bench(args = ["jsonl", "csv", "w3c"], sample_count = 5, sample_size = 1)]
fn export_100k_annotations(bencher: Bencher, format: &str) {
    let dir = common::corpus(1_000, 10_000, 100);
    let out = tempfile::tempdir().expect("temp dir");
    let file = out.path().join("out");
    let (d, f) = (dir.to_str().expect("utf-8 path"), file.to_str().expect("utf-8 path"));
    bencher.bench_local(|| cli(&["newsnote", "export", d, "--format", format, "-o", f]));
}

/// Benchmark 7: opening a 10 MB article (10 annotations): time to its first frame, then G to its end.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn open_10mb_first_frame(bencher: Bencher) {
    let path = common::article(10_000_000, 10);
    bencher.bench_local(|| {
        let mut h = Headless::open(&path, 200, 60).expect("article opens");
        h.draw();
        h
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn open_10mb_then_g(bencher: Bencher) {
    let path = common::article(10_000_000, 10);
    bencher
        .with_inputs(|| {
            let mut h = Headless::open(&path, 200, 60).expect("article opens");
            h.keys("<enter>");
            h.draw();
            h
        })
        .bench_local_values(|mut h| {
            h.keys("G");
            h.draw();
            h
        });
}

/// Hostile input (issue 8, "Panics and hangs"): what used to be quadratic, at the sizes that
/// froze it. One `b` from the end of a page of flags (minutes before; bounded windows now).
#[divan::bench(args = [100_000, 500_000], sample_count = 20, sample_size = 1)]
fn hostile_b_over_flags(bencher: Bencher, flags: usize) {
    let text = format!("Флаги: {}", "🇺🇦".repeat(flags));
    let end = newsnote::model::motion::last_pos(&text);
    bencher.bench_local(|| newsnote::model::motion::word_back(&text, end));
}

/// A pasted 100,000-character query over 1 MB that almost matches everywhere, lower case
/// (case-insensitive) and with capitals (exact).
#[divan::bench(args = [false, true], sample_count = 10, sample_size = 1)]
fn hostile_long_search(bencher: Bencher, capitals: bool) {
    let text = format!("Начало {}ю конец", "ж".repeat(1_000_000));
    let query = format!("{}ю", "ж".repeat(100_000));
    let query = if capitals { query.to_uppercase() } else { query };
    let text = if capitals { text.to_uppercase() } else { text };
    let s = newsnote::model::quote::Search::new(&query).expect("compiles");
    bencher.bench_local(|| s.next(&text, 0));
}

/// A 100 KB paste into the list filter on 2,000 articles, one key event per character.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn hostile_filter_paste(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..2000 {
        std::fs::write(dir.path().join(format!("{i:04}.txt")), format!("Статья {i}: переговоры\n\nТекст.\n"))
            .expect("write article");
    }
    let paste = "переговоры ".repeat(5000);
    bencher
        .with_inputs(|| {
            let mut h = Headless::open(dir.path(), 200, 60).expect("corpus opens");
            h.keys("/");
            h
        })
        .bench_local_values(|mut h| {
            for c in paste.chars() {
                h.action(newsnote::app::Msg::Type(c));
            }
            h.draw();
            h
        });
}

/// A registry of `n` entities (names of two words from a small syllabary, a third with an
/// alias), as a big sourcing study's would be.
fn big_registry(n: usize) -> newsnote::model::entities::Registry {
    use newsnote::model::entities::Registry;
    let syl = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zo", "pe", "sko", "dmi"];
    let word = |mut i: usize| {
        let mut w = String::new();
        for _ in 0..3 {
            w.push_str(syl[i % syl.len()]);
            i /= syl.len();
        }
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    };
    let mut r = Registry::empty(std::path::Path::new("/nonexistent/sources.ron"));
    let mut changes = Vec::new();
    for i in 0..n {
        let name = format!("{} {} {i}", word(i), word(i * 7 + 3));
        let alias = word(i * 7 + 3);
        let aliases: Vec<&str> = if i % 3 == 0 { vec![alias.as_str()] } else { vec![] };
        let (_, c) = r.add(&name, &aliases, "bench").expect("a name");
        changes.push(c);
    }
    r.apply(&changes).expect("fresh ids");
    r
}

/// Issue 11: what tagging a source costs with a big registry: the proposals for a pronoun
/// (50 mentions before it) and for a name, and one key typed into the picker's filter.
#[divan::bench(args = [1_000, 10_000], sample_count = 20, sample_size = 1)]
fn entity_proposals(bencher: Bencher, entities: usize) {
    let r = big_registry(entities);
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let earlier: Vec<_> = r.live().step_by(entities / 50).map(|e| e.id.clone()).collect();
    bencher.bench_local(|| {
        let a = newsnote::model::entities::propose("he", &earlier, &r, cb).len();
        let b = newsnote::model::entities::propose("Kremlin spokesman Kalomi", &earlier, &r, cb).len();
        a + b
    });
}

#[divan::bench(args = [1_000, 10_000], sample_count = 20, sample_size = 1)]
fn entity_fuzzy_filter(bencher: Bencher, entities: usize) {
    let r = big_registry(entities);
    bencher.bench_local(|| newsnote::model::entities::fuzzy_rank("kalo", &r).len());
}

/// The entities view's reading of the corpus: every annotation file of 10,000 articles.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn entity_index_10000_articles(bencher: Bencher) {
    let dir = common::corpus(10_000, 3000, 10);
    let corpus = newsnote::model::corpus::Corpus::open(&dir, newsnote::model::corpus::AnnotationRoot::NextToArticles)
        .expect("corpus opens");
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    bencher.bench_local(|| newsnote::model::entities::index::MentionIndex::build(&corpus, cb).mentions.len());
}

/// The 711 WCXB article pages' bytes, in name order; `None` (after saying so) when
/// ../shared/data/wcxb-dev-articles is absent.
fn wcxb_pages() -> Option<Vec<Vec<u8>>> {
    let dir = Path::new("../shared/data/wcxb-dev-articles/html");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    };
    let mut names: Vec<_> = entries.map(|e| e.expect("a folder entry").path()).collect();
    names.sort();
    Some(names.iter().map(|p| std::fs::read(p).expect("a page reads")).collect())
}

/// Issue 12: a saved page (gzip) → text, blocks and metadata, one page per sample over the
/// 711 WCXB article pages (WCXB (Foley, 2026), CC-BY-4.0), so divan's median is the median
/// per page. Skipped when ../shared/data/wcxb-dev-articles is absent.
#[divan::bench(sample_count = 711, sample_size = 1)]
fn html_page_to_text_and_metadata(bencher: Bencher) {
    let Some(pages) = wcxb_pages() else { return };
    let mut i = 0usize;
    bencher.bench_local(|| {
        let page = newsnote::model::html::read_page(&pages[i % pages.len()]).expect("the page reads");
        i += 1;
        page
    });
}

/// Issue 12: indexing a WARC of 100,000 HTML responses (pages of about 2 KB), plain and with
/// a gzip member per record, next to `find` listing a folder of 100,000 files: the issue's
/// yardstick for opening a container ("within 1.5× the time `find` takes").
#[divan::bench(args = ["find", "warc", "warc.gz"], sample_count = 5, sample_size = 1)]
fn warc_index_100k(bencher: Bencher, kind: &str) {
    let dir = common::bench_dir().join("warc100k");
    if !dir.join(".done").exists() {
        eprintln!("generating {} …", dir.display());
        write_warc_100k(&dir);
        std::fs::write(dir.join(".done"), "").expect("bench folder is writable");
    }
    if kind == "find" {
        let files = dir.join("files");
        bencher.bench_local(|| {
            let out = std::process::Command::new("find").arg(&files).output().expect("find runs");
            assert!(out.status.success());
            out.stdout.len()
        });
    } else {
        let path = dir.join(format!("news.{kind}"));
        bencher.bench_local(|| newsnote::model::warc::index(&path).expect("the archive indexes").records.len());
    }
}

/// The archive in both forms and a folder of 100,000 empty files (100 folders of 1,000).
fn write_warc_100k(dir: &Path) {
    use std::io::Write;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench folder is writable");
    let mut plain = std::io::BufWriter::new(std::fs::File::create(dir.join("news.warc")).expect("creates"));
    let mut gz = std::io::BufWriter::new(std::fs::File::create(dir.join("news.warc.gz")).expect("creates"));
    for n in 0..100_000u32 {
        let paragraphs: String = (0..12)
            .map(|p| {
                format!("<p>Статья {n}, абзац {p}: the council met on day {} and voted {}.</p>\n", n % 365, n % 7 + p)
            })
            .collect();
        let body = format!(
            "<!DOCTYPE html><html><head><title>Новость {n}</title></head><body><h1>Новость {n}</h1>\n{paragraphs}</body></html>\n"
        );
        let block = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let record = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-11-04T10:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\nContent-Length: {}\r\n\
             Content-Type: application/http; msgtype=response\r\nWARC-Target-URI: https://news.example.org/{n}\r\n\r\n\
             {block}\r\n\r\n",
            block.len()
        );
        plain.write_all(record.as_bytes()).expect("writes");
        let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        member.write_all(record.as_bytes()).expect("compresses");
        gz.write_all(&member.finish().expect("compresses")).expect("writes");
    }
    plain.flush().expect("writes");
    gz.flush().expect("writes");
    for folder in 0..100 {
        let sub = dir.join(format!("files/{folder:03}"));
        std::fs::create_dir_all(&sub).expect("creates");
        for file in 0..1000 {
            std::fs::write(sub.join(format!("a{file:04}.html")), "").expect("writes");
        }
    }
}

/// Issue 12: indexing a news-please JSON Lines file of 100,000 records (about 3 KB each):
/// the first time (`index`: a skim of every byte, a part per core) and from the saved index
/// (`cached`: what every later open costs), beside `warc_index_100k`'s `find`.
#[divan::bench(args = ["index", "cached"], sample_count = 5, sample_size = 1)]
fn jsonl_index_100k(bencher: Bencher, how: &str) {
    use newsnote::model::container::{self, Kind, fields::Fields};
    let dir = common::bench_dir().join("jsonl100k");
    let path = dir.join("news.jsonl");
    if !dir.join(".done").exists() {
        eprintln!("generating {} …", dir.display());
        write_jsonl_100k(&path);
        std::fs::write(dir.join(".done"), "").expect("bench folder is writable");
    }
    let fields = Fields::default();
    match how {
        "index" => bencher
            .bench_local(|| container::index(&path, "news.jsonl", Kind::JsonLines, &fields).expect("indexes").len()),
        _ => {
            // SAFETY: set before any thread of this bench reads the environment.
            unsafe { std::env::set_var("NEWSNOTE_STATE_DIR", dir.join("state")) };
            container::index_cached(&path, "news.jsonl", Kind::JsonLines, &fields).expect("indexes");
            bencher.bench_local(|| {
                container::index_cached(&path, "news.jsonl", Kind::JsonLines, &fields).expect("indexes").len()
            })
        }
    }
}

/// 100,000 news-please records of about 3 KB, with Cyrillic text and escaped quotes.
fn write_jsonl_100k(path: &Path) {
    use std::io::Write;
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("bench folder is writable");
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("creates"));
    for n in 0..100_000u32 {
        let text: String = (0..24)
            .map(|p| format!("«Абзац {p}», — сказал он. \"The council met on day {}\" and voted {}.\n\n", n % 365, p))
            .collect();
        let rec = serde_json::json!({
            "url": format!("https://example.org/news/{n}"), "title": format!("Новость {n}"),
            "maintext": text, "authors": ["Анна Иванова"], "date_publish": "2026-11-30 08:00:00",
            "source_domain": "example.org", "language": "ru",
        });
        writeln!(w, "{rec}").expect("writes");
    }
    w.flush().expect("writes");
}

/// The two samples' texts and the quote dev set's (tests/fixtures/quotes, WCXB (Foley,
/// 2026), CC-BY-4.0): each fixture holds its page's text as its one raw string.
fn quote_dev_texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = ["000_e37f52fc02921a26", "002_915808095f53d4db"]
        .iter()
        .map(|id| std::fs::read_to_string(root.join(format!("assets/articles/{id}.txt"))).expect("sample"))
        .collect();
    let mut pages: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/quotes"))
        .expect("dev set")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    pages.sort();
    for p in pages {
        let ron = std::fs::read_to_string(&p).expect("page");
        let start = ron.find("r##\"").expect("a raw string") + 4;
        let end = ron.rfind("\"##").expect("its end");
        texts.push(ron[start..end].to_string());
    }
    texts
}

/// Issue 13: `suggest::quotes::detect` over the two samples and the quote dev set's pages
/// (tests/fixtures/quotes, WCXB (Foley, 2026), CC-BY-4.0), one pass over all of them per
/// iteration, on one thread. Articles per second on 2 cores is twice the rate it prints.
#[divan::bench(sample_count = 50, sample_size = 20)]
fn quotes_detect(bencher: Bencher) {
    let texts = quote_dev_texts();
    bencher.counter(divan::counter::ItemsCount::new(texts.len())).bench(|| {
        texts.iter().map(|t| newsnote::model::suggest::quotes::detect(divan::black_box(t)).len()).sum::<usize>()
    });
}

/// Issue 13: a saved page (gzip) → text, blocks, metadata and the boilerplate proposals,
/// one page per sample over the 711 WCXB article pages (WCXB (Foley, 2026), CC-BY-4.0), so
/// divan's median is the median per page; beside `html_page_to_text_and_metadata`, the
/// difference is the detector's cost. Skipped when ../shared/data/wcxb-dev-articles is absent.
#[divan::bench(sample_count = 711, sample_size = 1)]
fn html_page_to_text_and_boilerplate(bencher: Bencher) {
    let Some(pages) = wcxb_pages() else { return };
    let mut i = 0usize;
    bencher.bench_local(|| {
        let page = newsnote::model::html::read_page(&pages[i % pages.len()]).expect("the page reads");
        i += 1;
        let proposals = newsnote::model::suggest::boilerplate::detect(&page.text, &page.blocks);
        (page, proposals)
    });
}

/// Issue 13: the boilerplate detector alone, on pages read beforehand (the same 711 WCXB
/// pages), one page per sample: what `html_page_to_text_and_boilerplate` adds to reading.
#[divan::bench(sample_count = 711, sample_size = 1)]
fn html_page_boilerplate_detect(bencher: Bencher) {
    let Some(pages) = wcxb_pages() else { return };
    let pages: Vec<_> = pages.iter().map(|p| newsnote::model::html::read_page(p).expect("the page reads")).collect();
    let mut i = 0usize;
    bencher.bench_local(|| {
        let page = &pages[i % pages.len()];
        i += 1;
        newsnote::model::suggest::boilerplate::detect(divan::black_box(&page.text), &page.blocks)
    });
}

/// Issue 13: what `newsnote suggest` does per plain-text article before saving: the article
/// as text, then `suggest::propose` with every detector and the default codebook, over the
/// two samples and the quote dev set's texts (tests/fixtures/quotes, WCXB (Foley, 2026),
/// CC-BY-4.0), on one thread. Articles per second on 2 cores is at most twice the rate it
/// prints; scripts/bench-compare.sh times the whole command, saves included.
#[divan::bench(sample_count = 50, sample_size = 20)]
fn suggest_plain_text_article(bencher: Bencher) {
    use newsnote::model::article::Article;
    use newsnote::model::codebook::Codebook;
    use newsnote::model::suggest::{Ask, Detector, propose};
    let texts = quote_dev_texts();
    let book = Codebook::default_scheme();
    let detectors = [Detector::Boilerplate, Detector::Quotes];
    bencher.counter(divan::counter::ItemsCount::new(texts.len())).bench(|| {
        texts
            .iter()
            .map(|t| {
                let art = Article::from_text("a.txt".into(), "a.txt".into(), divan::black_box(t.clone()), Vec::new());
                let ask =
                    Ask { detectors: &detectors, book, existing: &[], registry: None, now: "2026-12-01T00:00:00Z" };
                propose(&art, &ask).len()
            })
            .sum::<usize>()
    });
}
