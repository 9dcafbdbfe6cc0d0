//! The fixtures in tests/fixtures/warc are written by make.py there, shaped like Common Crawl
//! News files; the bad-input cases are built here from records, one fault each.

use super::*;
use std::io::Write;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/warc").join(name)
}

fn ids(index: &Index) -> Vec<&str> {
    index.records.iter().map(|r| r.record_id.as_str()).collect()
}

const RU: &str = "urn:uuid:5f0c8e1a-3b7d-4c2e-9a41-000000000002";
const JA: &str = "urn:uuid:5f0c8e1a-3b7d-4c2e-9a41-000000000005";
const EL: &str = "urn:uuid:5f0c8e1a-3b7d-4c2e-9a41-000000000008";

/// A WARC record as writers make it: version line, headers, blank line, block, two breaks.
fn record(kind: &str, id: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2025-03-01T08:00:00Z\r\n\
         WARC-Target-URI: https://example.org/{id}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn page(text: &str) -> String {
    format!("<!DOCTYPE html><html><body><p>{text}</p></body></html>")
}

/// An HTML response record whose page says `text`.
fn response(id: &str, text: &str) -> Vec<u8> {
    let body = page(text);
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
    record("response", id, "application/http; msgtype=response", block.as_bytes())
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn body_text(path: &Path, head: &RecordHead) -> String {
    String::from_utf8(read_body(path, head).unwrap()).unwrap()
}

/// The three pages of the fixture, read back from whichever of its forms `path` is.
fn check_fixture_pages(path: &Path) -> Index {
    let index = index(path).unwrap();
    assert_eq!(index.problems, vec![], "{}", path.display());
    assert_eq!(ids(&index), [RU, JA, EL]);
    // warcinfo, five requests, five metadata, robots.txt (text/plain) and a redirect.
    assert_eq!(index.skipped, 13);
    let ru = &index.records[0];
    assert_eq!(ru.target_uri.as_deref(), Some("https://www.example.ru/news/2024/11/04/vybory"));
    assert_eq!(ru.date.as_deref(), Some("2024-11-04T10:00:10Z"));
    assert_eq!(ru.content_type.as_deref(), Some("text/html; charset=UTF-8"));
    assert_eq!(ru.kind, RecordKind::Response);
    let ru = body_text(path, ru);
    assert!(ru.starts_with("<!DOCTYPE html>") && ru.ends_with("</html>\n"), "{ru}");
    assert!(ru.contains("«Явка была высокой», — сказал председатель комиссии Иван Петров."));
    let ja = body_text(path, &index.records[1]);
    assert!(ja.contains("<p>「慎重に判断する」と総裁は述べた。</p>\n</article></body></html>\n"), "{ja}");
    let el = body_text(path, &index.records[2]);
    assert!(el.starts_with("<!DOCTYPE html>") && el.contains("«Είναι μια ιστορική μέρα»"), "{el}");
    index
}

#[test]
fn a_plain_warc_indexes_its_html_responses_with_their_headers_and_skips_the_rest() {
    let index = check_fixture_pages(&fixture("cc-news.warc"));
    let bytes = std::fs::read(fixture("cc-news.warc")).unwrap();
    for r in &index.records {
        assert_eq!(r.inner, 0);
        assert!(bytes[r.at as usize..].starts_with(b"WARC/1.0\r\nWARC-Type: response\r\n"));
    }
}

#[test]
fn a_chunked_body_is_dechunked_and_a_gzip_encoded_body_inflated() {
    let path = fixture("cc-news.warc");
    let index = index(&path).unwrap();
    let ja = read_body(&path, &index.records[1]).unwrap();
    assert!(!ja.windows(5).any(|w| w == b"25\r\n<"), "chunk sizes are gone");
    assert_eq!(std::str::from_utf8(&ja).unwrap().matches("経済の見通し").count(), 2);
    let el = read_body(&path, &index.records[2]).unwrap();
    assert!(!el.starts_with(&GZIP_MAGIC));
    assert!(std::str::from_utf8(&el).unwrap().contains("<h1>Σύνοδος κορυφής στην Αθήνα</h1>"));
}

#[test]
fn a_warc_gz_with_a_member_per_record_indexes_each_member() {
    let path = fixture("cc-news.warc.gz");
    let index = check_fixture_pages(&path);
    let bytes = std::fs::read(&path).unwrap();
    let mut ats = Vec::new();
    for r in &index.records {
        assert_eq!(r.inner, 0);
        assert!(bytes[r.at as usize..].starts_with(&[0x1f, 0x8b, 8]));
        ats.push(r.at);
    }
    assert!(ats.windows(2).all(|w| w[0] < w[1]) && ats[0] > 0);
}

#[test]
fn a_warc_gz_that_is_one_gzip_stream_indexes_by_inflated_offset() {
    let path = fixture("cc-news-whole.warc.gz");
    let index = check_fixture_pages(&path);
    let plain = super::index(&fixture("cc-news.warc")).unwrap();
    for (whole, plain) in index.records.iter().zip(&plain.records) {
        assert_eq!((whole.at, whole.inner), (0, plain.at));
    }
}

#[test]
fn gzip_is_found_by_its_magic_bytes_not_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let gz = write(&dir, "archive.warc", &std::fs::read(fixture("cc-news.warc.gz")).unwrap());
    check_fixture_pages(&gz);
    let plain = write(&dir, "archive.warc.gz", &std::fs::read(fixture("cc-news.warc")).unwrap());
    check_fixture_pages(&plain);
}

#[test]
fn a_request_record_is_skipped_and_an_html_resource_record_is_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let request = b"GET /statya HTTP/1.1\r\nHost: example.org\r\n\r\n";
    let mut bytes = record("request", "r-1", "application/http; msgtype=request", request);
    bytes.extend(record("resource", "r-2", "text/html; charset=utf-8", page("Статья о погоде").as_bytes()));
    bytes.extend(record("resource", "r-3", "image/png", b"\x89PNG\r\n"));
    let path = write(&dir, "a.warc", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:r-2"]);
    assert_eq!(index.skipped, 2);
    assert_eq!(index.records[0].kind, RecordKind::Resource);
    assert_eq!(body_text(&path, &index.records[0]), page("Статья о погоде"));
}

#[test]
fn a_response_without_content_type_is_a_page_only_if_its_body_looks_like_html() {
    let dir = tempfile::tempdir().unwrap();
    let html = format!("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n  {}", page("無題の記事"));
    let text = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\nпросто текст, не страница";
    let mut bytes = record("response", "h-1", "application/http; msgtype=response", html.as_bytes());
    bytes.extend(record("response", "h-2", "application/http; msgtype=response", text.as_bytes()));
    let path = write(&dir, "a.warc", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:h-1"]);
    assert_eq!(index.records[0].content_type, None);
    assert_eq!(index.skipped, 1);
    assert!(body_text(&path, &index.records[0]).contains("無題の記事"));
}

#[test]
fn a_truncated_file_reports_the_cut_record_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = response("t-1", "Первая статья");
    bytes.extend(response("t-2", "Вторая статья"));
    let cut_at = bytes.len();
    bytes.extend(response("t-3", "Третья статья, обрезанная"));
    bytes.truncate(bytes.len() - 30);
    let path = write(&dir, "cut.warc", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:t-1", "urn:uuid:t-2"]);
    assert_eq!(index.problems.len(), 1, "{:?}", index.problems);
    let p = &index.problems[0];
    assert_eq!((p.at, p.record_id.as_deref()), (cut_at as u64, Some("urn:uuid:t-3")));
    let shown = p.to_string();
    assert!(shown.starts_with(&format!("byte {cut_at} (record <urn:uuid:t-3>): the record is cut off")), "{shown}");
}

#[test]
fn a_content_length_too_small_or_too_large_is_reported_and_the_next_record_found() {
    for delta in [-7i64, 9] {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = response("c-1", "Перед");
        let bad_at = bytes.len();
        let mut bad = response("c-2", "Неверная длина");
        let text = String::from_utf8(bad.clone()).unwrap();
        let len: i64 = text.split("Content-Length: ").nth(1).unwrap().split('\r').next().unwrap().parse().unwrap();
        let wrong = text.replacen(&format!("Content-Length: {len}"), &format!("Content-Length: {}", len + delta), 1);
        bad = wrong.into_bytes();
        bytes.extend(bad);
        bytes.extend(response("c-3", "После"));
        let path = write(&dir, "len.warc", &bytes);
        let index = index(&path).unwrap();
        assert_eq!(ids(&index), ["urn:uuid:c-1", "urn:uuid:c-3"], "delta {delta}");
        assert_eq!(index.problems.len(), 1, "delta {delta}: {:?}", index.problems);
        let p = &index.problems[0];
        assert_eq!((p.at, p.record_id.as_deref()), (bad_at as u64, Some("urn:uuid:c-2")));
        assert!(p.message.contains(&format!("Content-Length ({})", len + delta)), "{}", p.message);
        assert!(body_text(&path, &index.records[1]).contains("После"));
    }
}

#[test]
fn a_content_length_that_is_not_a_number_is_reported_and_the_next_record_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = response("n-1", "Один");
    let bad = String::from_utf8(response("n-2", "Два")).unwrap();
    let bad = bad.replacen("Content-Length: ", "Content-Length: около ", 1);
    bytes.extend(bad.as_bytes());
    bytes.extend(response("n-3", "Три"));
    let index = index(&write(&dir, "n.warc", &bytes)).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:n-1", "urn:uuid:n-3"]);
    assert_eq!(index.problems.len(), 1);
    assert!(index.problems[0].message.contains("Content-Length is not a number"), "{}", index.problems[0]);
}

#[test]
fn a_record_without_its_version_line_is_reported_and_the_scan_resyncs_at_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = response("v-1", "До");
    let bad_at = bytes.len();
    bytes.extend(&response("v-2", "Без версии")["WARC/1.1\r\n".len()..]);
    let next_at = bytes.len();
    bytes.extend(response("v-3", "После"));
    let path = write(&dir, "v.warc", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:v-1", "urn:uuid:v-3"]);
    assert_eq!(index.problems.len(), 1);
    let p = &index.problems[0];
    assert_eq!((p.at, p.record_id.as_deref()), (bad_at as u64, Some("urn:uuid:v-2")));
    assert!(
        p.message
            .contains(&format!("no WARC/1.0 or WARC/1.1 version line; skipped to the next record, at byte {next_at}"))
    );
    // So is a file that does not start with one.
    let mut bytes = b"garbage \xff\xfe line\r\n".to_vec();
    bytes.extend(response("v-4", "Первая"));
    let index = super::index(&write(&dir, "w.warc", &bytes)).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:v-4"]);
    assert_eq!(index.problems[0].at, 0);
}

#[test]
fn a_response_whose_block_is_not_http_is_reported_and_the_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = response("x-1", "Раз");
    let bad_at = bytes.len();
    bytes.extend(record("response", "x-2", "application/http; msgtype=response", page("Не HTTP").as_bytes()));
    bytes.extend(response("x-3", "Три"));
    let index = index(&write(&dir, "x.warc", &bytes)).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:x-1", "urn:uuid:x-3"]);
    assert_eq!(index.problems.len(), 1);
    let p = &index.problems[0];
    assert_eq!((p.at, p.record_id.as_deref()), (bad_at as u64, Some("urn:uuid:x-2")));
    assert!(p.message.starts_with("the response's block is not an HTTP response: it starts \"<!DOCTYPE"), "{p}");
}

#[test]
fn a_truncated_gzip_member_is_reported_and_the_members_before_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    let mut last_at = 0;
    for (i, text) in ["Первая", "Вторая", "Третья"].iter().enumerate() {
        last_at = bytes.len();
        bytes.extend(gzip(&response(&format!("g-{i}"), text)));
    }
    bytes.truncate(bytes.len() - 12);
    let path = write(&dir, "cut.warc.gz", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:g-0", "urn:uuid:g-1"]);
    assert_eq!(index.problems.len(), 1, "{:?}", index.problems);
    let p = &index.problems[0];
    assert_eq!(p.at, last_at as u64);
    assert!(p.message.starts_with("the gzip member is truncated or corrupt"), "{p}");
    assert!(body_text(&path, &index.records[1]).contains("Вторая"));
}

#[test]
fn a_corrupt_gzip_member_in_the_middle_loses_only_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = gzip(&response("m-0", "Первая"));
    let bad_at = bytes.len();
    let mut bad = gzip(&response("m-1", "Испорченная"));
    let mid = bad.len() / 2;
    bad[mid..mid + 8].copy_from_slice(b"\xde\xad\xbe\xef\xde\xad\xbe\xef");
    bytes.extend(bad);
    bytes.extend(gzip(&response("m-2", "Третья")));
    let path = write(&dir, "bad.warc.gz", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:m-0", "urn:uuid:m-2"]);
    assert_eq!(index.problems.len(), 1, "{:?}", index.problems);
    assert_eq!(index.problems[0].at, bad_at as u64);
    assert!(body_text(&path, &index.records[1]).contains("Третья"));
}

#[test]
fn a_truncated_whole_file_gzip_keeps_the_records_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut plain = Vec::new();
    plain.extend(response("w-0", "一つ目の記事"));
    plain.extend(response("w-1", "二つ目の記事"));
    // Long and varied, so that the cut falls inside it, not in the records before it.
    let third: String = (0..400).map(|n| format!("三つ目の記事、第{n}段落。")).collect();
    plain.extend(response("w-2", &third));
    let mut bytes = gzip(&plain);
    bytes.truncate(bytes.len() - 200);
    let path = write(&dir, "whole.warc.gz", &bytes);
    let index = index(&path).unwrap();
    assert_eq!(ids(&index), ["urn:uuid:w-0", "urn:uuid:w-1"], "{:?} of {}", index.problems, bytes.len());
    assert_eq!(index.problems.len(), 1, "{:?}", index.problems);
    assert_eq!(index.problems[0].at, 0);
    assert!(index.problems[0].message.starts_with("the gzip member is truncated or corrupt"));
    assert!(body_text(&path, &index.records[1]).contains("二つ目の記事"));
}

/// A file that counts the bytes read from it, to see what the index reads.
struct Counting {
    file: File,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl Read for Counting {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(out)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Seek for Counting {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.file.seek(to)
    }
}

#[test]
fn a_plain_warc_is_indexed_by_seeking_past_blocks_not_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let big = "Длинная статья о бюджете. ".repeat(20_000); // about 0.9 MB each
    let mut bytes = Vec::new();
    for i in 0..5 {
        bytes.extend(response(&format!("s-{i}"), &big));
    }
    let path = write(&dir, "big.warc", &bytes);
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let file = Counting { file: File::open(&path).unwrap(), read: read.clone() };
    let mut input = Plain { r: BufReader::with_capacity(BUFFER, file), pos: 0, len: bytes.len() as u64 };
    let (mut out, mut current) = (Index::default(), None);
    Scanner { input: &mut input, member: None, out: &mut out, line: Vec::new(), current: &mut current }.run().unwrap();
    assert_eq!(out.records.len(), 5);
    assert!(read.get() < 5 * 2 * BUFFER as u64, "{} of {} bytes read", read.get(), bytes.len());
}

#[test]
fn a_body_encoding_that_is_not_supported_is_an_error_naming_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n{}", page("Ошибка"));
    let path = write(&dir, "br.warc", &record("response", "b-1", "application/http", block.as_bytes()));
    let index = index(&path).unwrap();
    let e = read_body(&path, &index.records[0]).unwrap_err().to_string();
    assert!(e.ends_with("br.warc: byte 0 (record <urn:uuid:b-1>): the body's Content-Encoding br is not supported (only gzip and deflate)"), "{e}");
}

#[test]
fn reading_a_record_that_is_no_longer_where_it_was_indexed_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.warc", &response("o-1", "Старое"));
    let index = index(&path).unwrap();
    std::fs::write(&path, response("o-2", "Новое")).unwrap();
    let e = read_body(&path, &index.records[0]).unwrap_err().to_string();
    assert!(e.contains("the record is not there any more"), "{e}");
}
