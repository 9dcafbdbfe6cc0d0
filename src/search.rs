//! Searching the whole corpus for a literal, for `newsnote search` and the TUI's `F` filter,
//! and the literal matcher the reader's `/` shares.
//!
//! Smart case, as the reader's `/`: case-insensitive unless the pattern has a capital letter.
//! The cost is meant to be that of reading the bytes, as `rg -F` pays: listing the corpus
//! reads no article (see `Corpus::scan`), every file is read once, whole, as bytes, and
//! searched with one compiled literal matcher ([`Literal`]); only lines with a match are
//! decoded, numbered and printed. A binary file is skipped, judged from those bytes as
//! `Corpus::open` judges it, and so is a file over the article size limit. Files are shared
//! out among all cores through one counter, and the output is put back in the corpus's order,
//! so it is the same from run to run. Result lines are made for reading, in a terminal or
//! through `grep`: the article id (a file name) and the line go through the sanitiser, so
//! neither can drive the terminal.

use crate::model::corpus::{Corpus, binary_head};
use crate::model::display::sanitize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Case-insensitive patterns up to this many bytes go to regex, whose SIMD prefilters make
/// the common short search fast. Its automaton for a pattern of m code points costs O(m²) to
/// build and falls back to O(m × text) when that outgrows its cache, so longer patterns (a
/// pasted paragraph) go to [`Kind::Folded`], which is linear in both.
const REGEX_MAX_PATTERN: usize = 256;

/// A literal pattern with the reader's smart case, found in time linear in the text plus the
/// pattern, whatever the pattern's length (a 100 KB paste included). Quotation marks are
/// matched by kind ([`quote_kind`]): news text mixes straight and typographic quotes, and its
/// apostrophe is mostly `’`, so a typed `"` or `'` finds them all. Matches are byte ranges of
/// the searched text, however many bytes its marks take.
#[derive(Debug, Clone)]
pub struct Literal {
    pattern: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Case-sensitive: memchr's Two-Way search with a SIMD prefilter, linear for any length.
    Exact(Box<memchr::memmem::Finder<'static>>),
    /// Case-insensitive or with a quotation mark, and short: a compiled regex.
    Short(regex::bytes::Regex),
    /// Case-insensitive or with a quotation mark, and long: Knuth–Morris–Pratt over code
    /// points mapped by [`key`].
    Folded { folded: Vec<char>, fail: Vec<usize>, ignore_case: bool },
}

/// The kind of a quotation mark, which a search does not tell apart from the others of its
/// kind: `"` for `"` `“` `”` `„` `«` `»`, `'` for `'` `‘` `’`.
pub fn quote_kind(c: char) -> Option<char> {
    match c {
        '"' | '“' | '”' | '„' | '«' | '»' => Some('"'),
        '\'' | '‘' | '’' => Some('\''),
        _ => None,
    }
}

/// What the long-pattern matcher compares: the mark's kind, and the case fold when case is
/// ignored. An equivalence, so KMP's failure function stays valid.
fn key(c: char, ignore_case: bool) -> char {
    let c = quote_kind(c).unwrap_or(c);
    if ignore_case { fold(c) } else { c }
}

/// The regex for a short pattern: each quotation mark as a class of its kind, the rest
/// escaped literally.
fn short_regex(pattern: &str, ignore_case: bool) -> Result<regex::bytes::Regex, String> {
    let mut re = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        match quote_kind(c) {
            Some('"') => re.push_str("[\"“”„«»]"),
            Some(_) => re.push_str("['‘’]"),
            None => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    regex::bytes::RegexBuilder::new(&re).case_insensitive(ignore_case).build().map_err(|e| e.to_string())
}

/// One code point's case-insensitive identity: `K`, `k` and the Kelvin sign `K` all fold to
/// `k`, `Σ`, `σ` and `ς` to `σ`. Only one-to-one mappings count (`ß` stays `ß`), so a match is
/// always as many code points long as the pattern, as with regex's simple case folding.
fn fold(c: char) -> char {
    fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
        let first = it.next()?;
        it.next().is_none().then_some(first)
    }
    let upper = single(c.to_uppercase()).unwrap_or(c);
    single(upper.to_lowercase()).unwrap_or(upper)
}

impl Literal {
    /// The matcher for `pattern`; an error for an empty one.
    pub fn new(pattern: &str) -> Result<Self, String> {
        if pattern.is_empty() {
            return Err("give a non-empty pattern".into());
        }
        let ignore_case = !pattern.chars().any(char::is_uppercase);
        let kind = if !ignore_case && !pattern.chars().any(|c| quote_kind(c).is_some()) {
            Kind::Exact(Box::new(memchr::memmem::Finder::new(pattern.as_bytes()).into_owned()))
        } else if pattern.len() <= REGEX_MAX_PATTERN {
            Kind::Short(short_regex(pattern, ignore_case)?)
        } else {
            let folded: Vec<char> = pattern.chars().map(|c| key(c, ignore_case)).collect();
            let fail = failure(&folded);
            Kind::Folded { folded, fail, ignore_case }
        };
        Ok(Self { pattern: pattern.to_owned(), kind })
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The first match starting at or after byte `from` of `hay`.
    pub fn find_at(&self, hay: &[u8], from: usize) -> Option<Range<usize>> {
        let from = from.min(hay.len());
        match &self.kind {
            Kind::Exact(f) => f.find(&hay[from..]).map(|i| from + i..from + i + self.pattern.len()),
            Kind::Short(re) => re.find_at(hay, from).map(|m| m.range()),
            Kind::Folded { folded, fail, ignore_case } => find_folded(folded, fail, *ignore_case, hay, from),
        }
    }

    /// Every match, left to right, not overlapping.
    pub fn find_iter<'h>(&'h self, hay: &'h [u8]) -> impl Iterator<Item = Range<usize>> + 'h {
        let mut from = 0;
        std::iter::from_fn(move || {
            let m = self.find_at(hay, from)?;
            // Patterns are never empty, so a match always moves on.
            from = m.end;
            Some(m)
        })
    }
}

/// KMP failure function: `fail[i]` is the length of the longest proper border of
/// `pattern[..=i]`.
fn failure(pattern: &[char]) -> Vec<usize> {
    let mut fail = vec![0; pattern.len()];
    let mut k = 0;
    for i in 1..pattern.len() {
        while k > 0 && pattern[i] != pattern[k] {
            k = fail[k - 1];
        }
        if pattern[i] == pattern[k] {
            k += 1;
        }
        fail[i] = k;
    }
    fail
}

/// The first match at or after `from` of a pattern mapped by [`key`]: one pass over the code
/// points of `hay` (invalid UTF-8 matches nothing), O(text + pattern).
fn find_folded(pattern: &[char], fail: &[usize], ignore_case: bool, hay: &[u8], from: usize) -> Option<Range<usize>> {
    let m = pattern.len();
    // Byte offsets of the last m code points seen, to find where a match started.
    let mut starts = std::collections::VecDeque::with_capacity(m.min(1 << 16));
    let mut k = 0;
    let mut base = from;
    for chunk in hay[from..].utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            let f = key(c, ignore_case);
            while k > 0 && pattern[k] != f {
                k = fail[k - 1];
            }
            if pattern[k] == f {
                k += 1;
            }
            if starts.len() == m {
                starts.pop_front();
            }
            starts.push_back(base + i);
            if k == m {
                return Some(starts[0]..base + i + c.len_utf8());
            }
        }
        base += chunk.valid().len() + chunk.invalid().len();
        if !chunk.invalid().is_empty() {
            (k, starts) = (0, std::collections::VecDeque::new());
        }
    }
    None
}

/// The matcher for `pattern`, with the reader's smart case.
pub fn matcher(pattern: &str) -> Result<Literal, String> {
    Literal::new(pattern)
}

/// One article's matching lines (formatted) and how many, or why it could not be read.
type FileResult = Result<(String, usize), String>;

/// Every matching article's entry index, matching lines (formatted) and their count, in
/// corpus order; and the files that could not be read.
pub fn search(corpus: &Corpus, re: &Literal) -> (Vec<(usize, String, usize)>, Vec<String>) {
    search_with(corpus, re, &AtomicUsize::new(0), &std::sync::atomic::AtomicBool::new(false))
}

/// [`search`] counting each file read in `done`, and stopping early once `cancel` is set (the
/// TUI runs it off the terminal loop, with a progress count, and Esc stops it).
pub fn search_with(
    corpus: &Corpus,
    re: &Literal,
    done: &AtomicUsize,
    cancel: &std::sync::atomic::AtomicBool,
) -> (Vec<(usize, String, usize)>, Vec<String>) {
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
                        if cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(e) = corpus.entries.get(i) else { break };
                        done.fetch_add(1, Ordering::Relaxed);
                        // The loader says what an article's searchable text is, and never
                        // reads a file whole that no article may be.
                        let read = crate::model::load::read_searchable(e.source(), &mut bytes);
                        match read {
                            Err(err) if err.kind() == std::io::ErrorKind::FileTooLarge => {
                                mine.push((i, Err(err.to_string())))
                            }
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
pub fn search_bytes(id: &str, bytes: &[u8], re: &Literal) -> (String, usize) {
    let mut out = String::new();
    let mut n = 0;
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let (mut line_no, mut counted) = (1, 0);
    let mut from = bom;
    while let Some(m) = re.find_at(bytes, from) {
        // `from` is always a line start, so the scan back stops there; memchr finds lines at
        // memory speed, and only around matches.
        let start = memchr::memrchr(b'\n', &bytes[from..m.start]).map_or(from, |i| from + i + 1);
        let end = memchr::memchr(b'\n', &bytes[m.start..]).map_or(bytes.len(), |i| m.start + i);
        line_no += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
        counted = start;
        let col = 1 + bytes[start..m.start].iter().filter(|&&b| (b as i8) >= -0x40).count();
        let line = &bytes[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        push_shown(&mut out, id);
        out.push_str(&format!(":{line_no}:{col}: "));
        push_context(&mut out, line, m.start - start, m.end - start, re);
        out.push('\n');
        n += 1;
        from = end + 1;
        if from > bytes.len() {
            break;
        }
    }
    (out, n)
}

/// How many characters of a line are shown on each side of a match, at most.
pub const CONTEXT_CHARS: usize = 200;

/// How many matches of one line get their context shown; the line says how many more it has.
const MAX_WINDOWS: usize = 3;

/// Appends `line` (whose first match is `first..first_end`, in bytes of the line) as a result
/// shows it: whole when it is short, else only [`CONTEXT_CHARS`] characters around each of
/// its first matches, with `…` where text is left out, so a one-line article of megabytes
/// prints a line a person can read. A cut moves to a space when one is near.
fn push_context(out: &mut String, line: &[u8], first: usize, first_end: usize, re: &Literal) {
    let mut windows: Vec<(usize, usize)> = Vec::new();
    let mut more = 0;
    let mut m = first..first_end;
    loop {
        let (a, b) = (back_chars(line, m.start, CONTEXT_CHARS), forward_chars(line, m.end, CONTEXT_CHARS));
        let full = windows.len() == MAX_WINDOWS;
        match windows.last_mut() {
            // Matches close together share a window, up to twice the context in bytes of
            // four-byte characters; those past that are counted, so a window stays short.
            Some(last) if a <= last.1 && b - last.0 <= 8 * CONTEXT_CHARS => last.1 = last.1.max(b),
            Some(last) if a <= last.1 => more += 1,
            _ if full => more += 1,
            _ => windows.push((a, b)),
        }
        // Only a line that is being cut is searched further: a short one is shown whole.
        if windows == [(0, line.len())] || m.end >= line.len() {
            break;
        }
        match re.find_at(line, m.end.max(m.start + 1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    for (k, &(a, b)) in windows.iter().enumerate() {
        // Snapping moves a cut inwards by at most SNAP bytes, never onto the match, which
        // is CONTEXT_CHARS characters away from any cut.
        let a = if a > 0 { snap_after_space(line, a) } else { a };
        let b = if b < line.len() { snap_before_space(line, b) } else { b };
        if a > 0 {
            out.push('…');
        }
        push_shown(out, &String::from_utf8_lossy(&line[a..b]));
        if k + 1 == windows.len() && b < line.len() {
            out.push('…');
        }
    }
    if more > 0 {
        out.push_str(&format!(" ({more} more match(es) on this line)"));
    }
}

/// The byte offset `n` characters before `at` in `line` (or its start), on a char boundary.
fn back_chars(line: &[u8], at: usize, n: usize) -> usize {
    let mut i = at;
    let mut k = 0;
    while i > 0 && k < n {
        i -= 1;
        if (line[i] as i8) >= -0x40 {
            k += 1;
        }
    }
    i
}

/// The byte offset `n` characters after `at` in `line` (or its end), on a char boundary.
fn forward_chars(line: &[u8], at: usize, n: usize) -> usize {
    let mut i = at;
    let mut k = 0;
    while i < line.len() && k < n {
        i += 1;
        while i < line.len() && (line[i] as i8) < -0x40 {
            i += 1;
        }
        k += 1;
    }
    i
}

/// How far (in bytes) a cut looks for a space to fall on instead of mid-word.
const SNAP: usize = 24;

/// A window's start moved just past a space within [`SNAP`] bytes after it.
fn snap_after_space(line: &[u8], a: usize) -> usize {
    line[a..line.len().min(a + SNAP)].iter().position(|&b| b == b' ').map_or(a, |i| a + i + 1)
}

/// A window's end moved back onto a space within [`SNAP`] bytes before it.
fn snap_before_space(line: &[u8], b: usize) -> usize {
    let from = b.saturating_sub(SNAP);
    line[from..b].iter().rposition(|&c| c == b' ').map_or(b, |i| from + i)
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
    fn a_match_in_a_one_line_article_prints_only_its_context() {
        let filler = "слово ".repeat(400_000);
        let text = format!("{filler}Песков сказал{filler}и снова Песков{filler}");
        let found = lines(text.as_bytes(), "Песков");
        assert_eq!(found.len(), 1, "one line");
        let shown = &found[0];
        assert!(shown.chars().count() < 2 * 2 * (CONTEXT_CHARS + 20), "{} characters", shown.chars().count());
        assert!(shown.starts_with(&format!("x.txt:1:{}: …слово ", filler.chars().count() + 1)), "{shown}");
        assert_eq!(shown.matches("Песков").count(), 2, "the context of each match: {shown}");
        assert_eq!(shown.matches('…').count(), 3, "cut before, between and after: {shown}");
        assert!(shown.ends_with("слово…"), "cut at a space, not mid-word: {shown}");
        // Many matches on one line: a few are shown, the rest counted.
        let many = format!("{}\n", "ж Песков ".repeat(10_000));
        let shown = &lines(many.as_bytes(), "Песков")[0];
        assert!(shown.ends_with(" more match(es) on this line)"), "{}", &shown[shown.len() - 80..]);
        assert!(shown.chars().count() < MAX_WINDOWS * 8 * CONTEXT_CHARS, "{} characters", shown.chars().count());
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

    /// The long-pattern matcher, forced on a short pattern, to compare it with regex's.
    fn folded(pattern: &str) -> Literal {
        let ignore_case = !pattern.chars().any(char::is_uppercase);
        let folded: Vec<char> = pattern.chars().map(|c| key(c, ignore_case)).collect();
        let fail = failure(&folded);
        Literal { pattern: pattern.into(), kind: Kind::Folded { folded, fail, ignore_case } }
    }

    fn found<'t>(text: &'t str, pattern: &str) -> Vec<&'t str> {
        matcher(pattern).unwrap().find_iter(text.as_bytes()).map(|m| &text[m]).collect()
    }

    #[test]
    fn a_straight_quote_in_a_search_matches_curly_quotes_and_guillemets() {
        let text = "\"Мир\" — “Мир” — „Мир“ — «Мир» — 「Мир」";
        assert_eq!(found(text, "\"мир\""), ["\"Мир\"", "“Мир”", "„Мир“", "«Мир»"]);
        assert_eq!(found(text, "\"Мир"), ["\"Мир", "“Мир", "„Мир", "«Мир"], "case-sensitive too");
        assert_eq!(found(text, "“мир”"), ["\"Мир\"", "“Мир”", "„Мир“", "«Мир»"], "any mark stands for its kind");
        assert_eq!(found("Putin’s and Putin's and Putin‘s", "putin's"), ["Putin’s", "Putin's", "Putin‘s"]);
        assert_eq!(found("it’s", "It's"), Vec::<&str>::new(), "a capital still makes it case-sensitive");
        let m = matcher("’s").unwrap().find_at("Путин's".as_bytes(), 0);
        assert_eq!(m, Some("Путин".len().."Путин's".len()), "the match is the text's own bytes");
    }

    #[test]
    fn long_and_short_matchers_agree_on_quotation_marks() {
        let text = "“Ja,” sagte er. „Nein“ — «non» — 'yes' and ‘no’ — it’s Путин’s \"word\"";
        for p in ["\"ja,\"", "\"Nein\"", "'no'", "it's", "путин's", "\"word\"", "\"", "'", "«non»", "S'"] {
            let short = Literal::new(p).unwrap();
            assert!(matches!(short.kind, Kind::Short(_)), "{p}");
            let a: Vec<_> = short.find_iter(text.as_bytes()).collect();
            let b: Vec<_> = folded(p).find_iter(text.as_bytes()).collect();
            assert_eq!(a, b, "{p:?}");
        }
        let long = format!("“{}”", "ж".repeat(REGEX_MAX_PATTERN));
        let hay = format!("x \"{}\" y", "Ж".repeat(REGEX_MAX_PATTERN));
        let m = Literal::new(&long).unwrap();
        assert!(matches!(m.kind, Kind::Folded { .. }));
        assert_eq!(m.find_at(hay.as_bytes(), 0), Some(2..hay.len() - 2));
    }

    #[test]
    fn long_and_short_case_insensitive_matchers_agree() {
        let texts = [
            "ΟΔΟΣ Οδός οδος — Straße STRASSE straẞe — KELVIN \u{212A}elvin — İstanbul istanbul",
            "ǄEMAL ǅemal ǆemal — Ünïcödé ÜNÏCÖDÉ — abcabcabd aaab — bad \u{FFFD} bytes",
        ];
        let patterns = ["οδοσ", "οδός", "straße", "kelvin", "istanbul", "ǆemal", "ünïcödé", "abcabd", "aab", "x"];
        for text in texts {
            for p in patterns {
                let short = Literal::new(p).unwrap();
                assert!(matches!(short.kind, Kind::Short(_)));
                let a: Vec<_> = short.find_iter(text.as_bytes()).collect();
                let b: Vec<_> = folded(p).find_iter(text.as_bytes()).collect();
                assert_eq!(a, b, "{p:?} in {text:?}");
            }
        }
        let bad = b"caf\xC3 caf\xC3\xA9 CAF\xC3\x89";
        assert_eq!(folded("café").find_iter(bad).collect::<Vec<_>>(), [5..10, 11..16], "invalid bytes match nothing");
    }

    #[test]
    fn long_patterns_take_the_linear_matchers() {
        let long = "ж".repeat(REGEX_MAX_PATTERN);
        assert!(matches!(Literal::new(&long).unwrap().kind, Kind::Folded { .. }));
        assert!(matches!(Literal::new(&long.to_uppercase()).unwrap().kind, Kind::Exact(_)));
        assert!(matches!(Literal::new("Peskov").unwrap().kind, Kind::Exact(_)));
        assert!(matches!(Literal::new("Peskov’s").unwrap().kind, Kind::Short(_)), "a mark needs the class");
        assert!(Literal::new("").is_err());
    }

    /// As in `quote::tests`: quadratic matching would take about 10^11 steps here.
    #[test]
    fn a_corpus_search_for_a_pasted_paragraph_is_linear() {
        let text = format!("Заголовок\n{}ю\n", "ж".repeat(1_000_000));
        let pattern = format!("{}ю", "ж".repeat(100_000));
        let (out, n) = search_bytes("a.txt", text.as_bytes(), &matcher(&pattern).unwrap());
        assert_eq!(n, 1);
        assert!(out.starts_with("a.txt:2:900001: "), "{}", &out[..40]);
    }

    #[test]
    fn a_file_over_the_size_limit_is_reported_and_not_read() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), "Peskov\n").unwrap();
        let big = d.path().join("большой.txt");
        std::fs::write(&big, "Peskov\n".repeat(2000)).unwrap();
        // Sparse: 64 MiB + 1 bytes long, nothing written past the text.
        std::fs::OpenOptions::new().write(true).open(&big).unwrap().set_len((64 << 20) + 1).unwrap();
        let corpus = Corpus::scan(d.path(), crate::model::corpus::AnnotationRoot::NextToArticles).unwrap();
        let (found, errors) = search(&corpus, &matcher("peskov").unwrap());
        assert_eq!(found.iter().map(|f| f.1.as_str()).collect::<String>(), "a.txt:1:1: Peskov\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("большой.txt") && errors[0].contains("64 MiB limit"), "{}", errors[0]);
    }

    #[test]
    fn invalid_utf8_is_searched_and_shown_with_replacement_characters() {
        assert_eq!(lines(b"ok \xFF talks", "talks"), ["x.txt:1:6: ok \u{FFFD} talks"]);
        assert!(lines(b"\xFF\xFE", "x").is_empty());
    }
}
