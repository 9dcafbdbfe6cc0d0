//! Searching the whole corpus for a literal, for `newsnote search` and the TUI's `F` filter.
//!
//! Smart case, as the reader's `/`: case-insensitive unless the pattern has a capital letter.
//! The cost is meant to be that of reading the bytes, as `rg -F` pays: listing the corpus
//! reads no article (see `Corpus::scan`), every file is read once, whole, as bytes, and
//! searched with one compiled literal matcher (regex's memchr/SIMD prefilters); only lines
//! with a match are decoded, numbered and printed. A binary file is skipped, judged from
//! those bytes as `Corpus::open` judges it. Files are shared out among all cores through one
//! counter, and the output is put back in the corpus's order, so it is the same from run to
//! run. Result lines are made for reading, in a terminal or through `grep`: the article id (a
//! file name) and the line go through the sanitiser, so neither can drive the terminal.

use crate::model::corpus::{Corpus, binary_head};
use crate::model::display::sanitize;
use regex::bytes::Regex;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The matcher for `pattern`, with the reader's smart case.
pub fn matcher(pattern: &str) -> Result<Regex, String> {
    if pattern.is_empty() {
        return Err("give a non-empty pattern".into());
    }
    regex::bytes::RegexBuilder::new(&regex::escape(pattern))
        .case_insensitive(!pattern.chars().any(char::is_uppercase))
        .build()
        .map_err(|e| e.to_string())
}

/// One article's matching lines (formatted) and how many, or why it could not be read.
type FileResult = Result<(String, usize), String>;

/// Every matching article's entry index, matching lines (formatted) and their count, in
/// corpus order; and the files that could not be read.
pub fn search(corpus: &Corpus, re: &Regex) -> (Vec<(usize, String, usize)>, Vec<String>) {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(corpus.entries.len().max(1));
    let mut parts: Vec<(usize, FileResult)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    // One buffer per thread, reused: no allocation per file.
                    let mut bytes = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(e) = corpus.entries.get(i) else { break };
                        bytes.clear();
                        match std::fs::File::open(&e.path).and_then(|mut f| f.read_to_end(&mut bytes)) {
                            // Binary files are no articles (see `Corpus::open`), as rg skips them.
                            Ok(_) if binary_head(&bytes[..bytes.len().min(8192)]).is_some() => {}
                            Ok(_) => {
                                let hit = search_bytes(&e.id, &bytes, re);
                                if hit.1 > 0 {
                                    mine.push((i, Ok(hit)));
                                }
                            }
                            Err(err) => mine.push((i, Err(format!("{}: cannot read: {err}", e.path.display())))),
                        }
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a search thread never panics")).collect()
    });
    parts.sort_unstable_by_key(|p| p.0);
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    for (i, p) in parts {
        match p {
            Ok((text, n)) => found.push((i, text, n)),
            Err(e) => errors.push(e),
        }
    }
    (found, errors)
}

/// The matching lines of one file as `id:line:col: text` lines, and how many there are.
/// Lines and columns are those of the article as newsnote reads it (a BOM is not a column,
/// a CRLF is one line break).
pub fn search_bytes(id: &str, bytes: &[u8], re: &Regex) -> (String, usize) {
    let mut out = String::new();
    let mut n = 0;
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let (mut line_no, mut counted) = (1, 0);
    let mut from = bom;
    while let Some(m) = re.find_at(bytes, from) {
        let start = line_start(bytes, m.start()).max(bom);
        let end = bytes[m.start()..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| m.start() + i);
        line_no += bytes[counted..start].iter().filter(|&&b| b == b'\n').count();
        counted = start;
        let col = 1 + bytes[start..m.start()].iter().filter(|&&b| (b as i8) >= -0x40).count();
        let line = &bytes[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        push_shown(&mut out, id);
        out.push_str(&format!(":{line_no}:{col}: "));
        push_shown(&mut out, &String::from_utf8_lossy(line));
        out.push('\n');
        n += 1;
        from = end + 1;
        if from > bytes.len() {
            break;
        }
    }
    (out, n)
}

fn line_start(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// Appends text made safe as every view makes outside text (`display::sanitize`): control,
/// bidi and separator characters as placeholders, so neither an article nor a file name can
/// drive the terminal through a result.
fn push_shown(out: &mut String, text: &str) {
    // `sanitize` borrows text with nothing to replace: the common line is copied once.
    out.push_str(&sanitize(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8], pattern: &str) -> Vec<String> {
        let (out, n) = search_bytes("x.txt", text, &matcher(pattern).unwrap());
        assert_eq!(out.lines().count(), n);
        out.lines().map(str::to_owned).collect()
    }

    #[test]
    fn matches_are_listed_once_per_line_with_line_and_character_column() {
        let text = "Headline\n\n“Peskov” said peskov.\nnothing\nNew — Peskov again\n".as_bytes();
        assert_eq!(
            lines(text, "peskov"),
            ["x.txt:3:2: “Peskov” said peskov.", "x.txt:5:7: New — Peskov again"],
            "lower case pattern: any case; the first match of a line gives the column"
        );
        assert_eq!(lines(text, "Peskov").len(), 2);
        assert!(lines(text, "PESKOV").is_empty(), "a capital makes the search case-sensitive");
    }

    #[test]
    fn a_bom_crlf_and_control_characters_do_not_leak_into_the_result() {
        let text = b"\xEF\xBB\xBFtalks\r\nmore talks \x1b[2J\r\n\xCC\x81talks \xE2\x80\xAEevil\n";
        assert_eq!(
            lines(text, "talks"),
            ["x.txt:1:1: talks", "x.txt:2:6: more talks ␛[2J", "x.txt:3:2: ◌talks <U+202E>evil"]
        );
    }

    #[test]
    fn a_hostile_file_name_and_line_separators_never_reach_the_result_raw() {
        let id = "новости/\u{1b}]52;c;SGVsbG8=\u{7}\u{202e}txt.txt";
        let (out, n) = search_bytes(id, "Песков\u{2028}сказал\u{2029}\n".as_bytes(), &matcher("песков").unwrap());
        assert_eq!(n, 1);
        assert_eq!(out, "новости/␛]52;c;SGVsbG8=␇<U+202E>txt.txt:1:1: Песков⏎сказал⏎\n");
    }

    #[test]
    fn a_corpus_is_searched_in_order_and_binary_files_are_skipped() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("x")).unwrap();
        std::fs::write(d.path().join("x/b.txt"), "Title\nPeskov again\n").unwrap();
        std::fs::write(d.path().join("a.md"), "Peskov\n").unwrap();
        std::fs::write(d.path().join("c.txt"), b"Peskov\x00\x01binary").unwrap();
        std::fs::write(d.path().join("a.ron"), "Peskov in an annotation file").unwrap();
        let corpus = Corpus::scan(d.path(), crate::model::corpus::AnnotationRoot::NextToArticles).unwrap();
        let (found, errors) = search(&corpus, &matcher("peskov").unwrap());
        assert!(errors.is_empty());
        let out: String = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(out, "a.md:1:1: Peskov\nx/b.txt:2:1: Peskov again\n");
    }

    #[test]
    fn invalid_utf8_is_searched_and_shown_with_replacement_characters() {
        assert_eq!(lines(b"ok \xFF talks", "talks"), ["x.txt:1:6: ok \u{FFFD} talks"]);
        assert!(lines(b"\xFF\xFE", "x").is_empty());
    }
}
