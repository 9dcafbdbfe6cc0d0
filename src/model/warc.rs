//! WARC and WARC.gz web archives as containers of articles: an index of their HTML pages, and
//! each page's bytes when it is opened.
//!
//! A web archive (Common Crawl News publishes them daily) holds tens of thousands of pages in
//! one file, so opening one must not read them. [`index`] reads record headers only (and, for
//! a response, the HTTP headers at the start of its block) and seeks past every block of a
//! plain WARC. A gzip archive cannot be seeked into, so its members are inflated once and
//! each record keeps the offset of its member, so that [`read_body`] inflates only that one.
//! Bad input never costs the other records: each fault becomes a [`Problem`] naming its byte
//! offset and record, and the scan picks up again at the next `WARC/1.` line or gzip member.
//! The HTML itself (charset, text, metadata) is `html::read_page`'s business, not this one's.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::html::MAX_PAGE_BYTES;

#[cfg(test)]
mod tests;

/// What the index keeps of one HTML record: where it is and what its headers say.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordHead {
    /// Byte offset of the record in the file; in a `.warc.gz`, of the gzip member it is in.
    pub at: u64,
    /// Offset of the record in its member's inflated bytes: 0 when each record is its own
    /// member (the standard) and in a plain WARC.
    pub inner: u64,
    /// The record's `Content-Length`: the length of its block (HTTP headers included).
    pub len: u64,
    /// `WARC-Record-ID` without its angle brackets: the record's stable id.
    pub record_id: String,
    pub target_uri: Option<String>,
    /// `WARC-Date`: when the page was crawled (ISO 8601), not when it was published.
    pub date: Option<String>,
    /// The HTTP response's `Content-Type` (a resource record's own), charset included.
    pub content_type: Option<String>,
    pub kind: RecordKind,
}

/// Which record types hold a page, since their blocks differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RecordKind {
    /// `WARC-Type: response`: the block is an HTTP response, headers and body.
    Response,
    /// `WARC-Type: resource`: the block is the page itself.
    Resource,
}

/// An archive's HTML records in file order, what was wrong with it, and how many records
/// were not pages (requests, metadata, images, redirects…).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pub records: Vec<RecordHead>,
    pub problems: Vec<Problem>,
    pub skipped: usize,
}

/// One fault in an archive; the records before and after it are still indexed where the
/// archive lets them be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the file (in a `.warc.gz`, of the gzip member).
    pub at: u64,
    /// Offset in the member's inflated bytes, as [`RecordHead::inner`].
    pub inner: u64,
    pub record_id: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}", self.at)?;
        if self.inner > 0 {
            write!(f, ", inflated byte {}", self.inner)?;
        }
        if let Some(id) = &self.record_id {
            write!(f, " (record <{id}>)")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// A record that cannot be read: the file changed or was cut since it was indexed, or
    /// its body is malformed or too large.
    #[error("{}: byte {at} (record <{record_id}>): {message}", path.display())]
    Record { path: PathBuf, at: u64, record_id: String, message: String },
}

/// The longest header line kept; longer ones are cut (a header is never that long, and a
/// block read by mistake may hold no line break for megabytes).
const LINE_CAP: usize = 8 * 1024;
/// The longest header section of a record, and of the HTTP response in a block.
const HEAD_CAP: u64 = 64 * 1024;
/// How much of a body without a `Content-Type` is looked at to tell whether it is HTML.
const SNIFF: usize = 1024;
/// The buffer for reading headers: small, since each record's block is seeked past.
const BUFFER: usize = 16 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Indexes the archive at `path`: each HTML response and resource record, in file order.
/// A plain WARC is read header by header, seeking past blocks; a `.warc.gz` (found by its
/// magic bytes, whatever its name) is inflated member by member. Only failing to read the
/// file at all is an error; faults in it are [`Index::problems`].
pub fn index(path: &Path) -> Result<Index, WarcError> {
    let io_err = |source| WarcError::Io { path: path.to_path_buf(), source };
    let file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    let mut r = BufReader::with_capacity(BUFFER, file);
    let gzip = r.fill_buf().map_err(io_err)?.starts_with(&GZIP_MAGIC);
    let mut out = Index::default();
    if gzip {
        index_members(r, &mut out).map_err(io_err)?;
    } else {
        let mut input = Plain { r, pos: 0, len };
        let mut current = None;
        Scanner { input: &mut input, member: None, out: &mut out, line: Vec::new(), current: &mut current }
            .run()
            .map_err(io_err)?;
    }
    Ok(out)
}

/// The HTTP entity body of an indexed record: the status line and headers stripped,
/// `Transfer-Encoding: chunked` and `Content-Encoding: gzip` or `deflate` undone. A resource
/// record's body is its block. The record is checked to still be the one indexed there.
pub fn read_body(path: &Path, head: &RecordHead) -> Result<Vec<u8>, WarcError> {
    let fault = |message: String| WarcError::Record {
        path: path.to_path_buf(),
        at: head.at,
        record_id: head.record_id.clone(),
        message,
    };
    let io_err = |source: io::Error| WarcError::Io { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(io_err)?;
    file.seek(SeekFrom::Start(head.at)).map_err(io_err)?;
    let mut r = BufReader::with_capacity(BUFFER, file);
    let block = if r.fill_buf().map_err(io_err)?.starts_with(&GZIP_MAGIC) {
        let mut inflated = BufReader::new(flate2::bufread::GzDecoder::new(r));
        let passed = io::copy(&mut (&mut inflated).take(head.inner), &mut io::sink())
            .map_err(|e| fault(format!("the gzip member is truncated or corrupt: {e}")))?;
        if passed < head.inner {
            return Err(fault("the gzip member ends before the record: the file changed since it was indexed".into()));
        }
        read_block(&mut inflated, head).map_err(|e| match e {
            BlockFault::Io(e) => fault(format!("the gzip member is truncated or corrupt: {e}")),
            BlockFault::Record(m) => fault(m),
        })?
    } else {
        read_block(&mut r, head).map_err(|e| match e {
            BlockFault::Io(e) => io_err(e),
            BlockFault::Record(m) => fault(m),
        })?
    };
    match head.kind {
        RecordKind::Resource => Ok(block),
        RecordKind::Response => http_body(&block).map_err(fault),
    }
}

enum BlockFault {
    Io(io::Error),
    Record(String),
}

/// The block of the record that starts where `r` is, after checking it is `head`'s record.
fn read_block(r: &mut impl BufRead, head: &RecordHead) -> Result<Vec<u8>, BlockFault> {
    let changed =
        || BlockFault::Record("the record is not there any more: the file changed since it was indexed".into());
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line).map_err(BlockFault::Io)?;
    if !is_version(&line) {
        return Err(changed());
    }
    let mut id = None;
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).map_err(BlockFault::Io)? == 0 {
            return Err(changed());
        }
        if trim(&line).is_empty() {
            break;
        }
        if let Some((name, value)) = field(&line)
            && name.eq_ignore_ascii_case(b"WARC-Record-ID")
        {
            id = Some(strip_angles(&text(value)));
        }
    }
    if id.as_deref() != Some(head.record_id.as_str()) {
        return Err(changed());
    }
    // A block holds headers and a possibly compressed body: twice the page limit bounds it.
    if head.len > 2 * MAX_PAGE_BYTES as u64 {
        return Err(BlockFault::Record(format!(
            "the record's block is {} bytes, over the limit for a page ({MAX_PAGE_BYTES} bytes)",
            head.len
        )));
    }
    let mut block = Vec::with_capacity(head.len as usize);
    r.take(head.len).read_to_end(&mut block).map_err(BlockFault::Io)?;
    if (block.len() as u64) < head.len {
        return Err(BlockFault::Record(format!(
            "the record is cut off: its Content-Length is {} bytes but the file ends {} bytes into its block",
            head.len,
            block.len()
        )));
    }
    Ok(block)
}

/// An HTTP response's entity body, its transfer and content codings undone.
fn http_body(block: &[u8]) -> Result<Vec<u8>, String> {
    let (head, start) = http_head(block).ok_or("the block is not an HTTP response with complete headers")?;
    let mut body = block[start..].to_vec();
    if head.chunked {
        body = dechunk(&body)?;
    }
    // Codings are listed in the order they were applied, so they are undone from the last.
    for coding in head.encodings.iter().rev() {
        body = match coding.as_str() {
            "identity" | "" => body,
            "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&body[..]), "gzip")?,
            // "deflate" is zlib by the standard, but servers send raw deflate too.
            "deflate" => inflate(flate2::read::ZlibDecoder::new(&body[..]), "deflate")
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&body[..]), "deflate"))?,
            other => {
                return Err(format!("the body's Content-Encoding {other} is not supported (only gzip and deflate)"));
            }
        };
    }
    Ok(body)
}

fn inflate(r: impl Read, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("the body's {name} Content-Encoding is truncated or corrupt: {e}"))?;
    if out.len() > MAX_PAGE_BYTES {
        return Err(format!("the body inflates to over {MAX_PAGE_BYTES} bytes, the limit for a page"));
    }
    Ok(out)
}

/// Undoes `Transfer-Encoding: chunked`. A body cut after a whole chunk (a crawler's
/// `WARC-Truncated` record) keeps what it has; a malformed chunk size is an error.
fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let whole = body.len();
    let mut out = Vec::new();
    loop {
        if body.is_empty() {
            return Ok(out);
        }
        let at = whole - body.len();
        let end =
            memchr::memchr(b'\n', body).ok_or(format!("the chunked body ends inside a chunk size at byte {at}"))?;
        let size_text = trim(&body[..end]);
        let size_text = size_text.split(|&b| b == b';').next().unwrap_or_default();
        let size = std::str::from_utf8(size_text)
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .ok_or(format!("the chunked body has a malformed chunk size at byte {at}"))?;
        body = &body[end + 1..];
        if size == 0 {
            return Ok(out);
        }
        let take = size.min(body.len());
        if out.len() + take > MAX_PAGE_BYTES {
            return Err(format!("the chunked body is over {MAX_PAGE_BYTES} bytes, the limit for a page"));
        }
        out.extend_from_slice(&body[..take]);
        body = &body[take..];
        body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
    }
}

/// What the index needs of an HTTP response's head.
#[derive(Debug, Default)]
struct HttpHead {
    status: u16,
    content_type: Option<String>,
    chunked: bool,
    /// `Content-Encoding` codings, lower case, in the order they were applied.
    encodings: Vec<String>,
}

impl HttpHead {
    fn add(&mut self, name: &[u8], value: &[u8]) {
        if name.eq_ignore_ascii_case(b"Content-Type") {
            self.content_type = Some(text(value));
        } else if name.eq_ignore_ascii_case(b"Transfer-Encoding") {
            self.chunked = text(value).to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case(b"Content-Encoding") {
            self.encodings.extend(text(value).split(',').map(|c| c.trim().to_ascii_lowercase()));
        }
    }
}

/// The status code of an HTTP status line (`HTTP/1.1 200 OK`), if it is one.
fn status(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/")?;
    let code = rest.split(|&b| b == b' ').nth(1)?;
    let code = trim(code);
    if code.len() != 3 {
        return None;
    }
    std::str::from_utf8(code).ok()?.parse().ok()
}

/// The head of the HTTP response in `block` and where its body starts.
fn http_head(block: &[u8]) -> Option<(HttpHead, usize)> {
    let mut head = HttpHead::default();
    let mut lines = block.split_inclusive(|&b| b == b'\n');
    let first = lines.next()?;
    head.status = status(first)?;
    let mut at = first.len();
    for line in lines {
        at += line.len();
        if trim(line).is_empty() {
            return Some((head, at));
        }
        if let Some((name, value)) = field(line) {
            head.add(name, value);
        }
    }
    None
}

/// Whether a media type (parameters allowed) is a web page.
fn is_html(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("text/html") || media.eq_ignore_ascii_case("application/xhtml+xml")
}

/// Whether the start of a body without a `Content-Type` looks like a page.
fn looks_html(start: &[u8]) -> bool {
    let lower: Vec<u8> = start.iter().map(u8::to_ascii_lowercase).collect();
    let text = lower.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&lower);
    let text = trim(text);
    text.starts_with(b"<!doctype html") || find(text, b"<html").is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim(line: &[u8]) -> &[u8] {
    line.trim_ascii()
}

fn is_version(line: &[u8]) -> bool {
    line.starts_with(b"WARC/1.")
}

/// A `Name: value` header line, the value trimmed; `None` for anything else.
fn field(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = memchr::memchr(b':', line)?;
    let name = &line[..colon];
    if name.is_empty() || !name.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b)) {
        return None;
    }
    Some((name, trim(&line[colon + 1..])))
}

/// A header value as text; headers are ASCII by the standard, anything else is replaced.
fn text(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(value).into_owned(),
    }
}

/// The WARC headers the index keeps or needs; the others are not even copied.
const WANTED: [&str; 6] =
    ["WARC-Type", "WARC-Record-ID", "Content-Length", "Content-Type", "WARC-Target-URI", "WARC-Date"];

/// `<urn:uuid:…>` → `urn:uuid:…`; WARC 1.0 writers also bracket `WARC-Target-URI`.
fn strip_angles(value: &str) -> String {
    value.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(value).to_string()
}

/// Record bytes as the scanner reads them: buffered, with their offset, and a way past a
/// block (a seek in a plain file, reading and dropping in an inflated one).
trait Input {
    fn buf(&mut self) -> io::Result<&[u8]>;
    fn consume(&mut self, n: usize);
    fn pos(&self) -> u64;
    /// Moves `n` bytes on (fewer at the end of the input) and says how many.
    fn skip(&mut self, n: u64) -> io::Result<u64>;
    /// Goes back to `pos` if the input can (only a plain file can).
    fn rewind(&mut self, pos: u64) -> io::Result<bool>;
}

/// A plain WARC: blocks are seeked past, never read.
struct Plain<R> {
    r: BufReader<R>,
    pos: u64,
    len: u64,
}

impl<R: Read + Seek> Input for Plain<R> {
    fn buf(&mut self) -> io::Result<&[u8]> {
        self.r.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.r.consume(n);
        self.pos += n as u64;
    }
    fn pos(&self) -> u64 {
        self.pos
    }
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let n = n.min(self.len.saturating_sub(self.pos));
        // Within the buffer this only moves in it; beyond, it is one lseek.
        self.r.seek_relative(n as i64)?;
        self.pos += n;
        Ok(n)
    }
    fn rewind(&mut self, pos: u64) -> io::Result<bool> {
        self.r.seek(SeekFrom::Start(pos))?;
        self.pos = pos;
        Ok(true)
    }
}

/// One gzip member's inflated bytes.
struct Inflated<R: BufRead> {
    r: BufReader<flate2::bufread::GzDecoder<R>>,
    pos: u64,
}

impl<R: BufRead> Input for Inflated<R> {
    fn buf(&mut self) -> io::Result<&[u8]> {
        self.r.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.r.consume(n);
        self.pos += n as u64;
    }
    fn pos(&self) -> u64 {
        self.pos
    }
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let skipped = io::copy(&mut (&mut self.r).take(n), &mut io::sink())?;
        self.pos += skipped;
        Ok(skipped)
    }
    fn rewind(&mut self, _: u64) -> io::Result<bool> {
        Ok(false)
    }
}

/// The raw file under the gzip members, counting what the decoder takes from it: flate2's
/// `bufread` decoder takes exactly its member, so the count is where the next one starts.
/// Read errors of the file itself are remembered apart from the decoder's complaints.
struct Counted {
    r: BufReader<File>,
    pos: u64,
    failed: bool,
}

impl Read for Counted {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Counted {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.r.fill_buf() {
            Ok(buf) => Ok(buf),
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }
    fn consume(&mut self, n: usize) {
        self.r.consume(n);
        self.pos += n as u64;
    }
}

impl Counted {
    /// The next bytes, refilling the buffer when fewer than `n` are left in it.
    fn peek(&mut self, n: usize) -> io::Result<Vec<u8>> {
        if self.r.buffer().len() < n {
            // A seek empties the buffer, so the next fill starts here with a full one.
            self.r.seek(SeekFrom::Start(self.pos))?;
        }
        Ok(self.fill_buf()?.iter().take(n).copied().collect())
    }

    /// Moves to the next gzip member header at or after `from`; false at the end of file.
    fn find_member(&mut self, from: u64) -> io::Result<bool> {
        self.r.seek(SeekFrom::Start(from))?;
        self.pos = from;
        loop {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            match memchr::memchr(GZIP_MAGIC[0], buf) {
                Some(i) if buf.len() - i >= 3 => {
                    let found = buf[i + 1] == GZIP_MAGIC[1] && buf[i + 2] == 8;
                    self.consume(if found { i } else { i + 1 });
                    if found {
                        return Ok(true);
                    }
                }
                // Too near the buffer's end to check: start the buffer there.
                Some(i) => {
                    let at = self.pos + i as u64;
                    if at + 3 > self.r.get_ref().metadata()?.len() {
                        return Ok(false);
                    }
                    self.r.seek(SeekFrom::Start(at))?;
                    self.pos = at;
                    if self.peek(3)? == [GZIP_MAGIC[0], GZIP_MAGIC[1], 8] {
                        return Ok(true);
                    }
                    self.consume(1);
                }
                None => {
                    let n = buf.len();
                    self.consume(n);
                }
            }
        }
    }
}

/// Indexes a gzip archive member by member: each record its own member (the standard),
/// several records in one, or the whole file one stream.
fn index_members(r: BufReader<File>, out: &mut Index) -> io::Result<()> {
    let mut raw = Counted { r, pos: 0, failed: false };
    loop {
        let at = raw.pos;
        let magic = raw.peek(2)?;
        if magic.is_empty() {
            return Ok(());
        }
        if magic != GZIP_MAGIC {
            let found = raw.find_member(at + 1)?;
            let message = match found {
                true => format!("bytes that are not a gzip member, up to the next member at byte {}", raw.pos),
                false => "bytes that are not a gzip member, up to the end of the file".to_string(),
            };
            out.problems.push(Problem { at, inner: 0, record_id: None, message });
            continue;
        }
        let mut current = None;
        let result = {
            let mut input = Inflated { r: BufReader::new(flate2::bufread::GzDecoder::new(&mut raw)), pos: 0 };
            Scanner { input: &mut input, member: Some(at), out: &mut *out, line: Vec::new(), current: &mut current }
                .run()
        };
        if let Err(e) = result {
            if raw.failed {
                return Err(e);
            }
            let (inner, record_id) = current.unwrap_or((0, None));
            let lost = if record_id.is_some() { "; the record is lost" } else { "" };
            let message = format!("the gzip member is truncated or corrupt ({e}){lost}");
            out.problems.push(Problem { at, inner, record_id, message });
            if !raw.find_member(at + 1)? {
                return Ok(());
            }
        }
    }
}

/// What to do after a record.
enum Next {
    /// Read the next record's version line.
    Read,
    /// The next record's version line, at this offset, is already read.
    At(u64),
    End,
}

/// What a record's block turned out to hold, counted only once the block is known to end
/// where its Content-Length says.
enum Verdict {
    Page(RecordHead),
    Other,
    Fault(String),
}

/// What a response's HTTP head says about it.
enum Http {
    /// A successful HTML response, with its Content-Type (`None`: absent, the body looks like HTML).
    Page(Option<String>),
    /// Not a page: another type, a redirect, an error.
    Other,
    Fault(String),
}

/// Where [`Scanner::commit`] counted a record.
#[derive(Clone, Copy)]
enum Tally {
    Page,
    Other,
    Fault,
}

/// One pass over the records of one input: a plain file, or one gzip member.
struct Scanner<'a, I> {
    input: &'a mut I,
    /// The gzip member's offset in the file, for a gzip archive.
    member: Option<u64>,
    out: &'a mut Index,
    line: Vec<u8>,
    /// The record being read (inner offset and id), for the problem a failing member makes.
    current: &'a mut Option<(u64, Option<String>)>,
}

impl<I: Input> Scanner<'_, I> {
    fn run(&mut self) -> io::Result<()> {
        let mut next = Next::Read;
        loop {
            let start = match next {
                Next::End => return Ok(()),
                Next::At(start) => start,
                Next::Read => match self.find_record()? {
                    Some(start) => start,
                    None => return Ok(()),
                },
            };
            next = self.record(start)?;
            *self.current = None;
        }
    }

    /// The file offset and inner offset of a position in this input.
    fn place(&self, pos: u64) -> (u64, u64) {
        match self.member {
            Some(member) => (member, pos),
            None => (pos, 0),
        }
    }

    fn problem(&mut self, pos: u64, record_id: Option<String>, message: String) {
        let (at, inner) = self.place(pos);
        self.out.problems.push(Problem { at, inner, record_id, message });
    }

    /// What ends: a plain file, or the member being inflated.
    fn input_name(&self) -> &'static str {
        if self.member.is_some() { "the gzip member" } else { "the file" }
    }

    /// Reads one line, through its `\n`, consuming at most `limit` bytes and keeping at most
    /// [`LINE_CAP`] of them; returns how many were consumed (0 at the end).
    fn read_line(&mut self, limit: u64) -> io::Result<u64> {
        self.line.clear();
        let mut total = 0;
        while total < limit {
            let buf = self.input.buf()?;
            if buf.is_empty() {
                break;
            }
            let room = buf.len().min((limit - total).try_into().unwrap_or(usize::MAX));
            let (take, done) = match memchr::memchr(b'\n', &buf[..room]) {
                Some(i) => (i + 1, true),
                None => (room, false),
            };
            let keep = take.min(LINE_CAP.saturating_sub(self.line.len()));
            self.line.extend_from_slice(&buf[..keep]);
            self.input.consume(take);
            total += take as u64;
            if done {
                break;
            }
        }
        Ok(total)
    }

    /// Skips the line breaks between records.
    fn skip_breaks(&mut self) -> io::Result<()> {
        loop {
            let buf = self.input.buf()?;
            let n = buf.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            let whole = n == buf.len() && n > 0;
            self.input.consume(n);
            if !whole {
                return Ok(());
            }
        }
    }

    /// The offset of the next record's version line (read), or `None` at the end.
    fn find_record(&mut self) -> io::Result<Option<u64>> {
        self.skip_breaks()?;
        let start = self.input.pos();
        if self.read_line(u64::MAX)? == 0 {
            return Ok(None);
        }
        if is_version(&self.line) {
            return Ok(Some(start));
        }
        self.missing_version(start)
    }

    /// A record whose first line, at `start` and read, is not a version line: says so and
    /// goes on at the next version line.
    fn missing_version(&mut self, start: u64) -> io::Result<Option<u64>> {
        let first = field(&self.line).filter(|(n, _)| n.eq_ignore_ascii_case(b"WARC-Record-ID"));
        let mut id = first.map(|(_, v)| strip_angles(&text(v)));
        let mut in_head = !trim(&self.line).is_empty();
        let found = self.resync(|line| {
            in_head &= !trim(line).is_empty();
            if in_head
                && id.is_none()
                && let Some((name, value)) = field(line)
                && name.eq_ignore_ascii_case(b"WARC-Record-ID")
            {
                id = Some(strip_angles(&text(value)));
            }
        })?;
        let message = match found {
            Some(next) => {
                format!("no WARC/1.0 or WARC/1.1 version line; skipped to the next record, at {}", self.where_(next))
            }
            None => "no WARC/1.0 or WARC/1.1 version line, and no record after it".to_string(),
        };
        self.problem(start, id, message);
        Ok(found)
    }

    /// Reads lines until a version line and returns its offset, or `None` at the end.
    fn resync(&mut self, mut each: impl FnMut(&[u8])) -> io::Result<Option<u64>> {
        loop {
            let start = self.input.pos();
            if self.read_line(u64::MAX)? == 0 {
                return Ok(None);
            }
            if is_version(&self.line) {
                return Ok(Some(start));
            }
            each(&self.line);
        }
    }

    /// Where the scan is, as a problem message says it.
    fn where_(&self, pos: u64) -> String {
        match self.member {
            Some(_) => format!("inflated byte {pos}"),
            None => format!("byte {pos}"),
        }
    }

    /// One record, its version line at `start` read.
    fn record(&mut self, start: u64) -> io::Result<Next> {
        // The headers.
        let mut fields: Fields = Vec::new();
        // Whether the last header line was kept, for a continuation line after it.
        let mut kept = false;
        loop {
            let n = self.read_line(u64::MAX)?;
            let id = lookup(&fields, "WARC-Record-ID").map(strip_angles);
            if n == 0 {
                let message = format!("{} ends inside the record's headers", self.input_name());
                self.problem(start, id, message);
                return Ok(Next::End);
            }
            if self.input.pos() - start > HEAD_CAP {
                self.problem(start, id, format!("the record's headers do not end within {HEAD_CAP} bytes"));
                return Ok(self.resync(|_| ())?.map_or(Next::End, Next::At));
            }
            if trim(&self.line).is_empty() {
                break;
            }
            let continued = self.line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
            if continued {
                if kept && let Some(last) = fields.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(&String::from_utf8_lossy(trim(&self.line)));
                }
            } else if let Some((name, value)) = field(&self.line) {
                let wanted = WANTED.iter().find(|w| name.eq_ignore_ascii_case(w.as_bytes()));
                kept = wanted.is_some();
                if let Some(wanted) = wanted {
                    fields.push((wanted, text(value)));
                }
            }
        }
        let id = lookup(&fields, "WARC-Record-ID").map(strip_angles);
        // Only a gzip member's failure, which the caller reports, needs the id.
        *self.current = Some((start, if self.member.is_some() { id.clone() } else { None }));
        let Some(len) = lookup(&fields, "Content-Length").and_then(|v| v.parse::<u64>().ok()) else {
            let value = lookup(&fields, "Content-Length").unwrap_or("missing").to_string();
            let found = self.resync(|_| ())?;
            let message = format!("Content-Length is not a number of bytes ({value}); the record is skipped");
            self.problem(start, id, message);
            return Ok(found.map_or(Next::End, Next::At));
        };

        // The block: only the HTTP head of a response is read, the rest is skipped.
        let block = self.input.pos();
        let kind = lookup(&fields, "WARC-Type").unwrap_or_default().to_ascii_lowercase();
        let warc_type = lookup(&fields, "Content-Type");
        let (used, verdict) = match kind.as_str() {
            "response" if warc_type.is_none_or(|t| t.to_ascii_lowercase().starts_with("application/http")) => {
                let (used, page) = self.http_page(len)?;
                let verdict = match page {
                    Http::Page(content_type) => {
                        Verdict::Page(head(&fields, self.place(start), len, content_type, RecordKind::Response))
                    }
                    Http::Other => Verdict::Other,
                    Http::Fault(message) => Verdict::Fault(message),
                };
                (used, verdict)
            }
            "resource" if warc_type.is_some_and(is_html) => {
                let content_type = warc_type.map(str::to_string);
                (0, Verdict::Page(head(&fields, self.place(start), len, content_type, RecordKind::Resource)))
            }
            _ => (0, Verdict::Other),
        };
        // A page must have the id its annotations are kept by.
        let verdict = match verdict {
            Verdict::Page(_) if id.is_none() => {
                Verdict::Fault("the record has no WARC-Record-ID; it is skipped".into())
            }
            v => v,
        };
        let rest = len - used;
        if self.input.skip(rest)? < rest {
            return self.block_overrun(start, id, len, block);
        }

        // What follows the block: line breaks, then the next record or the end.
        let committed = self.commit(start, id.clone(), verdict);
        self.skip_breaks()?;
        let after = self.input.pos();
        if self.read_line(u64::MAX)? == 0 {
            return Ok(Next::End);
        }
        if is_version(&self.line) {
            return Ok(Next::At(after));
        }
        if field(&self.line).is_some_and(|(name, _)| name.starts_with(b"WARC-") || name.starts_with(b"Content-")) {
            // This block ended where it said; the next record has no version line.
            return Ok(self.missing_version(after)?.map_or(Next::End, Next::At));
        }
        self.uncommit(committed);
        // A plain file is searched again from the block's start, since the Content-Length
        // may be too large as well as too small; an inflated member can only go on.
        self.input.rewind(block)?;
        let found = self.resync(|_| ())?;
        let message = match found {
            Some(next) => format!(
                "the block does not end where its Content-Length ({len}) says; the next record found is at {}",
                self.where_(next)
            ),
            None => format!("the block does not end where its Content-Length ({len}) says, and no record follows"),
        };
        self.problem(start, id, message);
        Ok(found.map_or(Next::End, Next::At))
    }

    /// A block longer than what is left of the input: the file was cut, or its
    /// Content-Length is too large, which a record found inside it shows.
    fn block_overrun(&mut self, start: u64, id: Option<String>, len: u64, block: u64) -> io::Result<Next> {
        let got = self.input.pos() - block;
        let found = if self.input.rewind(block)? { self.resync(|_| ())? } else { None };
        let message = match found {
            Some(next) => format!(
                "the block runs past the next record, at {}: its Content-Length ({len}) is wrong; the record is skipped",
                self.where_(next)
            ),
            None => format!(
                "the record is cut off: its Content-Length is {len} bytes but {} ends {got} bytes into its block",
                self.input_name()
            ),
        };
        self.problem(start, id, message);
        Ok(found.map_or(Next::End, Next::At))
    }

    /// Counts a record in; says where, so that [`Self::uncommit`] can take it back.
    fn commit(&mut self, start: u64, id: Option<String>, verdict: Verdict) -> Tally {
        match verdict {
            Verdict::Page(head) => {
                self.out.records.push(head);
                Tally::Page
            }
            Verdict::Other => {
                self.out.skipped += 1;
                Tally::Other
            }
            Verdict::Fault(message) => {
                self.problem(start, id, message);
                Tally::Fault
            }
        }
    }

    /// Takes back what [`Self::commit`] counted, once the block proved not to end where it said.
    fn uncommit(&mut self, tally: Tally) {
        match tally {
            Tally::Page => drop(self.out.records.pop()),
            Tally::Other => self.out.skipped -= 1,
            Tally::Fault => drop(self.out.problems.pop()),
        }
    }

    /// Reads the HTTP head at the start of a response block of `len` bytes: how many bytes
    /// it read, and whether the response is a page.
    fn http_page(&mut self, len: u64) -> io::Result<(u64, Http)> {
        let mut used = self.read_line(len)?;
        let Some(code) = status(&self.line) else {
            let shown: String = String::from_utf8_lossy(&self.line).chars().take(40).collect();
            let shown = shown.trim_end().escape_debug().to_string();
            return Ok((
                used,
                Http::Fault(format!("the response's block is not an HTTP response: it starts \"{shown}\"")),
            ));
        };
        let mut head = HttpHead { status: code, ..HttpHead::default() };
        loop {
            let n = self.read_line(len - used)?;
            used += n;
            if n == 0 || used > HEAD_CAP {
                return Ok((used, Http::Fault("the HTTP headers do not end within the block".to_string())));
            }
            if trim(&self.line).is_empty() {
                break;
            }
            if let Some((name, value)) = field(&self.line) {
                head.add(name, value);
            }
        }
        // Redirects and error pages are no articles.
        if !(200..300).contains(&head.status) {
            return Ok((used, Http::Other));
        }
        match head.content_type {
            Some(t) if is_html(&t) => Ok((used, Http::Page(Some(t)))),
            Some(_) => Ok((used, Http::Other)),
            None => {
                if head.chunked {
                    used += self.read_line(len - used)?;
                }
                let mut start = Vec::new();
                while start.len() < SNIFF && used < len {
                    let buf = self.input.buf()?;
                    let n = buf.len().min(SNIFF - start.len()).min((len - used) as usize);
                    if n == 0 {
                        break;
                    }
                    start.extend_from_slice(&buf[..n]);
                    self.input.consume(n);
                    used += n as u64;
                }
                // A compressed body without a type cannot be looked at cheaply: not a page.
                let page = head.encodings.iter().all(|c| c == "identity") && looks_html(&start);
                Ok((used, if page { Http::Page(None) } else { Http::Other }))
            }
        }
    }
}

/// A record's [`WANTED`] headers, by their names as listed there.
type Fields = Vec<(&'static str, String)>;

fn lookup<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
}

fn head(
    fields: &Fields,
    (at, inner): (u64, u64),
    len: u64,
    content_type: Option<String>,
    kind: RecordKind,
) -> RecordHead {
    RecordHead {
        at,
        inner,
        len,
        record_id: lookup(fields, "WARC-Record-ID").map(strip_angles).unwrap_or_default(),
        target_uri: lookup(fields, "WARC-Target-URI").map(strip_angles),
        date: lookup(fields, "WARC-Date").map(str::to_string),
        content_type,
        kind,
    }
}
