//! Generates a corpus for the benchmarks: news-like articles with RON annotation files.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --articles 100000 --size 3000 --annotations 1 OUT
//! ```
//!
//! Deterministic from `--seed`: the same arguments give byte-identical files, so a benchmark
//! figure always refers to the same bytes. Articles have a headline, paragraphs (blank-line
//! blocks, or one line per paragraph in every fifth article), quotations with curly and
//! straight quotes, names, numbers and non-ASCII text (accents, CJK, emoji). Each RON file
//! holds `--annotations` annotations (sources on names, claims on sentences, some claims linked
//! to a source, boilerplate on the footer), written with newsnote's own types so they load.
//! Articles go 1,000 to a folder (`OUT/0000/a000000.txt`). The name "Kuleba" occurs in about
//! one paragraph in fifty, for the search benchmark.

use clap::Parser;
use newsnote::model::annotation::{Annotation, AnnotationId, LabelId};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::{ByteRange, CharIndex};
use std::path::{Path, PathBuf};

#[derive(Parser)]
struct Args {
    /// Number of articles.
    #[arg(long, default_value_t = 10)]
    articles: usize,
    /// Approximate size of each article in bytes.
    #[arg(long, default_value_t = 3000)]
    size: usize,
    /// Annotations per article (0: no RON files).
    #[arg(long, default_value_t = 10)]
    annotations: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write the articles as records of one news-please-shaped JSON Lines file,
    /// OUT/articles.jsonl, instead of a file each (no annotation files).
    #[arg(long)]
    jsonl: bool,
    /// Write the articles as the HTML responses of a web archive, both OUT/articles.warc and
    /// OUT/articles.warc.gz (a gzip member per record, as crawlers write them).
    #[arg(long)]
    warc: bool,
    /// Write every article into OUT itself rather than 1,000 to a folder: the one folder of
    /// many files that `find` lists as the yardstick of a container's first frame.
    #[arg(long)]
    flat: bool,
    /// Folder to write into (created).
    out: PathBuf,
}

/// splitmix64: small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PEOPLE: [&str; 12] = [
    "Dmitry Peskov",
    "Volodymyr Zelenskyy",
    "José Álvarez",
    "Olaf Müller",
    "Zhang Wei (张伟)",
    "Anna Kowalczyk",
    "Sergei Lavrov",
    "Ngozi Okonjo-Iweala",
    "Margrethe Vestager",
    "Ahmed Al-Sayed",
    "Søren Kierkegaard Jr.",
    "Dmytro Kuleba",
];
const ROLES: [&str; 8] = [
    "Kremlin spokesman",
    "the president",
    "a senior official",
    "the minister",
    "an analyst at the institute",
    "the company’s chief executive",
    "a spokeswoman",
    "the mayor",
];
const PLACES: [&str; 10] =
    ["Kyiv", "Sevastopol", "Moscow", "Brussels", "北京", "São Paulo", "Zürich", "Gdańsk", "Lagos", "Washington"];
const VERBS: [&str; 6] = ["said", "told reporters", "wrote", "argued", "warned", "added"];
const FILLER: [&str; 24] = [
    "the talks",
    "would resume",
    "on Monday",
    "despite",
    "the recent attack",
    "officials",
    "confirmed",
    "the offer",
    "remains on the table",
    "while",
    "prices rose",
    "by",
    "in the region",
    "according to",
    "local authorities",
    "the agreement",
    "was signed",
    "last year",
    "economists",
    "expect",
    "a slowdown",
    "the vote",
    "was postponed",
    "again",
];
const FOOTER: &str = "Donate to support independent journalism 👍🏽 — © 2026 The Daily Example. All rights reserved.";

/// A sentence, and the byte ranges in it worth annotating: (label, range).
fn sentence(rng: &mut Rng, out: &mut String, spans: &mut Vec<(LabelId, ByteRange)>) {
    let start = out.len();
    match rng.below(4) {
        0 => {
            // A quotation with its source.
            let who = rng.pick(&PEOPLE);
            out.push('“');
            let q0 = out.len();
            let n = 6 + rng.below(14);
            words(rng, out, n);
            let q1 = out.len();
            out.push_str(",” ");
            out.push_str(rng.pick(&ROLES));
            out.push(' ');
            let s0 = out.len();
            out.push_str(who);
            let s1 = out.len();
            out.push(' ');
            out.push_str(rng.pick(&VERBS));
            out.push('.');
            spans.push((LabelId::new("Claim"), ByteRange::new(q0, q1)));
            spans.push((LabelId::new("Source"), ByteRange::new(s0, s1)));
        }
        1 => {
            let n = 100 + rng.below(99_900);
            let pct = rng.below(1000);
            out.push_str(&format!(
                "In {}, {} people were affected, up {}.{}% on the year",
                rng.pick(&PLACES),
                group(n),
                pct / 10,
                pct % 10
            ));
            out.push_str(if rng.below(2) == 0 { ", officials said." } else { "." });
            spans.push((LabelId::new("Claim"), ByteRange::new(start, out.len())));
        }
        2 => {
            let who = rng.pick(&PEOPLE);
            let s0 = out.len();
            out.push_str(who);
            let s1 = out.len();
            out.push_str(" said that \"");
            let n = 5 + rng.below(10);
            words(rng, out, n);
            out.push_str(".\"");
            spans.push((LabelId::new("Source"), ByteRange::new(s0, s1)));
        }
        _ => {
            let n = 8 + rng.below(16);
            words(rng, out, n);
            out.push('.');
        }
    }
}

fn words(rng: &mut Rng, out: &mut String, n: usize) {
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        let w = rng.pick(&FILLER);
        if i == 0 {
            let mut c = w.chars();
            out.extend(c.next().map(|f| f.to_ascii_uppercase()));
            out.push_str(c.as_str());
        } else {
            out.push_str(w);
        }
    }
}

/// 12500 → "12,500".
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One article's text and its candidate spans.
fn article(rng: &mut Rng, size: usize) -> (String, Vec<(LabelId, ByteRange)>) {
    let mut text = String::with_capacity(size + 512);
    let mut spans = Vec::new();
    let place = rng.pick(&PLACES);
    let role = rng.pick(&ROLES);
    let mut head = role.chars();
    text.extend(head.next().map(|c| c.to_ascii_uppercase()));
    text.push_str(&format!("{} in {}: {} as talks stall\n\n", head.as_str(), place, rng.pick(&FILLER)));
    let sep = if rng.below(5) == 0 { "\n" } else { "\n\n" };
    if sep == "\n" {
        text.truncate(text.len() - 1);
    }
    while text.len() < size.saturating_sub(FOOTER.len()) {
        let n = 2 + rng.below(5);
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            sentence(rng, &mut text, &mut spans);
        }
        if rng.below(50) == 0 {
            text.push_str(" Foreign minister Dmytro Kuleba declined to comment.");
        }
        text.push_str(sep);
    }
    let f0 = text.len();
    text.push_str(FOOTER);
    spans.push((LabelId::new("Boilerplate"), ByteRange::new(f0, text.len())));
    text.push('\n');
    (text, spans)
}

fn annotations(rng: &mut Rng, text: &str, spans: &[(LabelId, ByteRange)], k: usize, n: usize) -> Vec<Annotation> {
    let index = CharIndex::new(text);
    let mut out: Vec<Annotation> = Vec::with_capacity(k);
    for j in 0..k {
        // Spread over the whole article; past one per candidate, any candidate again.
        let pick = if k <= spans.len() { j * spans.len() / k } else { rng.below(spans.len()) };
        let (label, bytes) = spans[pick].clone();
        let span = index.to_chars(text, bytes);
        let mut a = Annotation::new_manual(label.clone(), text, bytes, span, "gen_corpus", "2026-01-01T00:00:00Z");
        a.id = AnnotationId(format!("{:08x}", (n as u64 * 1_000_003 + j as u64).wrapping_mul(0x9E37_79B9) as u32));
        if label == LabelId::new("Claim")
            && let Some(src) = out.iter().rev().take(4).find(|s| s.label == LabelId::new("Source"))
        {
            a.links.insert("source".into(), vec![src.id.clone()]);
        }
        out.push(a);
    }
    out
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Writes `articles` articles of about `size` bytes with `annotations` annotations each
/// under `out`; returns the bytes of text written.
pub fn generate(out: &Path, articles: usize, size: usize, annotations_each: usize, seed: u64, flat: bool) -> usize {
    let mut rng = Rng(seed);
    let mut bytes = 0usize;
    for n in 0..articles {
        let dir = if flat { out.to_path_buf() } else { out.join(format!("{:04}", n / 1000)) };
        if n == 0 || (!flat && n % 1000 == 0) {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        let (text, spans) = article(&mut rng, size);
        let name = format!("a{n:06}");
        write(&dir.join(format!("{name}.txt")), text.as_bytes());
        bytes += text.len();
        if annotations_each > 0 {
            let anns = annotations(&mut rng, &text, &spans, annotations_each, n);
            let fp = Fingerprint::of(&text, text.chars().count());
            let id = if flat { format!("{name}.txt") } else { format!("{:04}/{name}.txt", n / 1000) };
            let file = AnnotationFile::new(&id, fp, anns);
            write(&dir.join(format!("{name}.ron")), file.to_ron().as_bytes());
        }
    }
    bytes
}

/// One record of the container corpora: the `n`-th generated article (its headline on the
/// first line), its outlet and its day (`2026-MM-DD`), the same for JSON Lines and WARC.
struct NewsRecord {
    n: usize,
    text: String,
    outlet: &'static str,
    day: String,
}

fn news_records(articles: usize, size: usize, seed: u64) -> impl Iterator<Item = NewsRecord> {
    const OUTLETS: [&str; 5] = ["reuters.com", "apnews.com", "lemonde.fr", "spiegel.de", "asahi.com"];
    let mut rng = Rng(seed);
    (0..articles).map(move |n| NewsRecord {
        n,
        text: article(&mut rng, size).0,
        outlet: OUTLETS[n % OUTLETS.len()],
        day: format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
    })
}

/// The articles as one JSON Lines file of news-please records (title, maintext, url,
/// source_domain, date_publish), for the container benchmarks.
pub fn generate_jsonl(out: &Path, articles: usize, size: usize, seed: u64) -> usize {
    use std::io::Write;
    std::fs::create_dir_all(out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let path = out.join("articles.jsonl");
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut w = std::io::BufWriter::new(file);
    let mut bytes = 0usize;
    for r in news_records(articles, size, seed) {
        let (title, body) = r.text.split_once('\n').unwrap_or((&r.text, ""));
        let rec = serde_json::json!({
            "url": format!("https://example.org/news/a{:06}", r.n),
            "title": title,
            "maintext": body.trim_start(),
            "source_domain": r.outlet,
            "date_publish": format!("{} 08:00:00", r.day),
        });
        let line = rec.to_string();
        bytes += line.len() + 1;
        writeln!(w, "{line}").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    w.flush().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
}

/// The articles as the HTML response records of a web archive, in OUT/articles.warc and, a
/// gzip member per record, OUT/articles.warc.gz: the same articles, outlets and dates as
/// [`generate_jsonl`], each a page with its headline, paragraphs and metadata tags. Returns
/// the bytes of the plain archive.
pub fn generate_warc(out: &Path, articles: usize, size: usize, seed: u64) -> usize {
    use std::io::Write;
    std::fs::create_dir_all(out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let create = |name: &str| {
        let path = out.join(name);
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        std::io::BufWriter::new(file)
    };
    let (mut plain, mut gz) = (create("articles.warc"), create("articles.warc.gz"));
    let mut bytes = 0usize;
    for r in news_records(articles, size, seed) {
        let (n, outlet) = (r.n, r.outlet);
        let (title, body) = r.text.split_once('\n').unwrap_or((&r.text, ""));
        let title = newsnote::export::html::escape(title);
        let date = format!("{}T08:00:00Z", r.day);
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <meta property=\"og:site_name\" content=\"{outlet}\">\
             <meta property=\"article:published_time\" content=\"{date}\"></head>\
             <body><article><h1>{title}</h1>\n"
        );
        for p in body.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            html.push_str("<p>");
            html.push_str(&newsnote::export::html::escape(p));
            html.push_str("</p>\n");
        }
        html.push_str("</article></body></html>\n");
        let block = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        );
        let record = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: {date}\r\n\
             WARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-{n:012}>\r\nContent-Length: {}\r\n\
             Content-Type: application/http; msgtype=response\r\n\
             WARC-Target-URI: https://{outlet}/news/a{n:06}\r\n\r\n{block}\r\n\r\n",
            (n as u64).wrapping_mul(0x9E37_79B9) as u32,
            block.len()
        );
        bytes += record.len();
        plain.write_all(record.as_bytes()).unwrap_or_else(|e| panic!("articles.warc: {e}"));
        let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        member.write_all(record.as_bytes()).expect("compressing into memory");
        gz.write_all(&member.finish().expect("compressing into memory"))
            .unwrap_or_else(|e| panic!("articles.warc.gz: {e}"));
    }
    plain.flush().unwrap_or_else(|e| panic!("articles.warc: {e}"));
    gz.flush().unwrap_or_else(|e| panic!("articles.warc.gz: {e}"));
    bytes
}

fn main() {
    let args = Args::parse();
    if args.warc {
        let bytes = generate_warc(&args.out, args.articles, args.size, args.seed);
        return eprintln!(
            "{} records ({bytes} bytes) in {}/articles.warc and {}/articles.warc.gz",
            args.articles,
            args.out.display(),
            args.out.display()
        );
    }
    if args.jsonl {
        let bytes = generate_jsonl(&args.out, args.articles, args.size, args.seed);
        return eprintln!("{} records ({bytes} bytes) in {}/articles.jsonl", args.articles, args.out.display());
    }
    let bytes = generate(&args.out, args.articles, args.size, args.annotations, args.seed, args.flat);
    eprintln!(
        "{} articles ({bytes} bytes of text), {} annotations each, in {}",
        args.articles,
        args.annotations,
        args.out.display()
    );
}
