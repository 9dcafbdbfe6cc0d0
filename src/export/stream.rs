//! Streaming exports: the corpus is read, prepared and written one article at a time.
//!
//! Loading every article and building the whole document before writing a byte held the
//! corpus in memory several times over (a W3C export of 1,008 articles peaked at 846 MiB) and
//! used one core. Here loader threads read each article and its annotation file, parse,
//! check and render it, while the calling thread writes the parts in corpus order, so memory
//! holds a few articles at a time whatever the corpus's size.
//!
//! Order without a reordering buffer: loader `t` of `k` takes the entries `t`, `t + k`, … and
//! sends each result on its own bounded channel; the writer receives from the channels in
//! turn. A loader is at most [`DEPTH`] articles ahead of the writer, and a slow article holds
//! the others back rather than letting finished ones pile up.
//!
//! A format is a [`DocSink`] (one document: `begin`, a part per article, `end`) or a
//! [`FolderSink`] (fixed files, then each article's files). The parts come from the formats'
//! own per-article renderers, so the streamed output is byte for byte the document
//! [`export`](super::export) builds from a list. A document whose head depends on the whole
//! corpus (the review reports' totals, the W3C collection's id) asks for a first pass
//! ([`DocSink::survey`]) that keeps only what the head needs.

use super::entities::Entities;
use super::{ExportArticle, Skipped, split_fitting};
use crate::model::annotation::Annotation;
use crate::model::corpus::{Corpus, Entry, binary_reason};
use crate::model::store::AnnotationFile;
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

/// How many loaded articles each loader thread may have waiting for the writer.
pub const DEPTH: usize = 2;

/// Which annotations an export writes: those `keep` keeps (`--label`) and, with
/// `accepted_only` (`--accepted-only`), only the coding. `keep` leaves the others in
/// [`ExportArticle::all`] for following links (a claim's source named by a claims-only
/// export); `accepted_only` removes open suggestions from both, so no link leads to one.
#[derive(Clone, Copy)]
pub struct Select<'a> {
    pub keep: &'a (dyn Fn(&Annotation) -> bool + Sync),
    pub accepted_only: bool,
}

fn every(_: &Annotation) -> bool {
    true
}

impl Select<'static> {
    /// Every annotation of the coding and every open suggestion.
    pub fn everything() -> Self {
        Self { keep: &every, accepted_only: false }
    }
}

impl<'a> Select<'a> {
    /// The article as this selection exports it.
    pub fn apply(&self, art: ExportArticle) -> ExportArticle {
        let mut art = if self.accepted_only { art.accepted_only() } else { art };
        art.annotations.retain(|a| (self.keep)(a));
        art
    }
}

/// How much of each entry a pass reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The article text only (no annotation file): enough for ids, titles and fingerprints.
    Texts,
    /// The article and its annotations that fit the text.
    Full,
}

/// One corpus entry after loading.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The entry's place in the corpus.
    pub at: usize,
    /// What the loader made of the article; `None` when it was skipped.
    pub value: Option<T>,
    /// Why the article or some of its annotations were left out.
    pub skipped: Vec<Skipped>,
    /// Set when the entry is not an article at all (a binary file): left out with a warning
    /// and no problem, as `Corpus::open` leaves it out of a listing.
    pub binary: Option<String>,
}

/// Loads each entry of `corpus` on every core, turns each article into a `T` with `prepare`
/// on the loading thread (with the entry's place), and hands the results to `take` on this
/// thread in corpus order, each article as `select` exports it ([`Select::apply`]). An error
/// from `take` stops the loaders and is returned.
pub fn each<T, P, F>(corpus: &Corpus, pass: Pass, select: Select<'_>, prepare: P, mut take: F) -> io::Result<()>
where
    T: Send,
    P: Fn(usize, ExportArticle) -> T + Sync,
    F: FnMut(Loaded<T>) -> io::Result<()>,
{
    let entries = &corpus.entries;
    let k = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, entries.len().max(1));
    let prepare = &prepare;
    std::thread::scope(|s| {
        let mut inbox: Vec<Receiver<Loaded<T>>> = Vec::with_capacity(k);
        for t in 0..k {
            let (tx, rx) = sync_channel(DEPTH);
            inbox.push(rx);
            s.spawn(move || {
                for at in (t..entries.len()).step_by(k) {
                    let loaded = load_entry(at, &entries[at], pass, select, prepare);
                    // The writer has stopped (an error): nothing more is wanted.
                    if tx.send(loaded).is_err() {
                        return;
                    }
                }
            });
        }
        for at in 0..entries.len() {
            // A loader that panicked drops its channel; the scope re-raises its panic.
            let Ok(loaded) = inbox[at % k].recv() else { break };
            take(loaded)?;
        }
        Ok(())
    })
}

fn load_entry<T>(
    at: usize,
    e: &Entry,
    pass: Pass,
    select: Select<'_>,
    prepare: &impl Fn(usize, ExportArticle) -> T,
) -> Loaded<T> {
    let mut out = Loaded { at, value: None, skipped: Vec::new(), binary: None };
    // An opened corpus has dropped its binary files already; a scanned one has not looked.
    let binary = if e.summarized { e.binary.clone() } else { binary_reason(&e.path) };
    if let Some(why) = binary {
        out.binary = Some(format!("{}: skipped: {why}", e.path.display()));
        return out;
    }
    let article = match crate::model::load::load(e) {
        Ok(a) => a,
        Err(err) => {
            out.skipped.push(Skipped { path: e.path.clone(), message: err.to_string() });
            return out;
        }
    };
    let anns = match pass {
        Pass::Texts => Vec::new(),
        Pass::Full => match AnnotationFile::load(&e.ron_path, &e.id) {
            Ok(f) => f.map(|f| f.annotations).unwrap_or_default(),
            Err(err) => {
                out.skipped.push(Skipped { path: e.ron_path.clone(), message: err.to_string() });
                return out;
            }
        },
    };
    let (fit, misfit) = split_fitting(&article.text, anns);
    // A rejected suggestion is memory, not coding: one that no longer fits is no problem.
    for a in misfit.into_iter().filter(|a| !a.is_rejected()) {
        out.skipped.push(Skipped {
            path: e.ron_path.clone(),
            message: format!("annotation {} ({:?}) does not match the article text; not exported", a.id, a.quote),
        });
    }
    let art = select.apply(ExportArticle::from_article(article, fit));
    out.value = Some(prepare(at, art));
    out
}

/// One article's part of a document, rendered on a loader thread.
#[derive(Debug, Default)]
pub struct Part {
    pub bytes: Vec<u8>,
    /// How many elements the part holds (rows, annotations, objects), for formats that
    /// separate or count them.
    pub items: usize,
}

impl Part {
    pub fn new(bytes: impl Into<Vec<u8>>, items: usize) -> Self {
        Self { bytes: bytes.into(), items }
    }
}

/// What has been written so far: the parts (one per article) and their items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub articles: usize,
    pub items: usize,
}

/// A format that writes one document, article by article.
pub trait DocSink: Sync {
    /// The pass over the corpus the document's head needs before anything is written, if any.
    fn survey(&self) -> Option<Pass> {
        None
    }
    /// Takes note of one article of the survey (in corpus order; `at` is its place).
    fn surveyed(&mut self, _at: usize, _art: &ExportArticle) {}
    /// Writes what comes before the first article (nothing, for a format of lines).
    fn begin(&self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// Renders article `at` (its place in the corpus); runs on a loader thread.
    fn render(&self, at: usize, art: &ExportArticle) -> Part;
    /// Writes one part; `before` counts what was written before it.
    fn put(&self, w: &mut dyn Write, part: &Part, _before: Written) -> io::Result<()> {
        w.write_all(&part.bytes)
    }
    /// Writes what comes after the last article; `all` counts what was written.
    fn end(&self, _w: &mut dyn Write, _all: Written) -> io::Result<()> {
        Ok(())
    }
}

/// A format that writes a folder: fixed files, then each article's files.
pub trait FolderSink: Sync {
    /// The files written whatever the corpus holds (brat's `annotation.conf`).
    fn fixed(&self) -> Vec<(PathBuf, Vec<u8>)>;
    /// The paths of each article's files, relative to the folder, from the article ids alone
    /// (in corpus order), so every target is known, and can be refused, before anything is
    /// written.
    fn paths(&self, ids: &[&str]) -> Vec<Vec<PathBuf>>;
    /// The contents of an article's files, in the order of its paths; runs on a loader thread.
    /// Fewer contents than paths leave the last paths unwritten (brat's metadata sidecar of
    /// an article that has none).
    fn contents(&self, art: &ExportArticle) -> Vec<Vec<u8>>;
}

/// What a streamed export left out.
#[derive(Debug, Default)]
pub struct Outcome {
    pub skipped: Vec<Skipped>,
    /// Entries that are not articles (binary files), as warnings.
    pub binary: Vec<String>,
    /// Files written, for a folder.
    pub files: usize,
}

impl Outcome {
    fn absorb<T>(&mut self, l: &mut Loaded<T>) {
        self.skipped.append(&mut l.skipped);
        self.binary.extend(l.binary.take());
    }
}

/// Streams the document of `sink` for the corpus to `w`, calling `progress(done, total)` as
/// articles are written.
pub fn write_document(
    sink: &mut dyn DocSink,
    corpus: &Corpus,
    select: Select<'_>,
    entities: &Arc<Entities>,
    w: &mut dyn Write,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<Outcome> {
    let n = corpus.entries.len();
    if let Some(pass) = sink.survey() {
        // Only the head is wanted here; the writing pass reports what was skipped.
        each(
            corpus,
            pass,
            select,
            |_, art| art.with_entities(entities.clone()),
            |l| {
                if let Some(art) = &l.value {
                    sink.surveyed(l.at, art);
                }
                Ok(())
            },
        )?;
    }
    let sink: &dyn DocSink = sink;
    sink.begin(w)?;
    let mut written = Written::default();
    let mut out = Outcome::default();
    each(
        corpus,
        Pass::Full,
        select,
        |at, art| sink.render(at, &art.with_entities(entities.clone())),
        |mut l| {
            progress(l.at, n);
            out.absorb(&mut l);
            if let Some(part) = l.value {
                sink.put(w, &part, written)?;
                written.articles += 1;
                written.items += part.items;
            }
            Ok(())
        },
    )?;
    sink.end(w, written)?;
    progress(n, n);
    Ok(out)
}

/// Streams the files of `sink` for the corpus: `write(path, bytes)` for each fixed file, then
/// for each article's files as the article is ready. `paths` are `sink.paths` of the corpus's
/// ids (the caller has checked them).
pub fn write_folder(
    sink: &dyn FolderSink,
    corpus: &Corpus,
    select: Select<'_>,
    entities: &Arc<Entities>,
    paths: &[Vec<PathBuf>],
    write: &mut dyn FnMut(&std::path::Path, &[u8]) -> io::Result<()>,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<Outcome> {
    let n = corpus.entries.len();
    let mut out = Outcome::default();
    for (path, bytes) in sink.fixed() {
        write(&path, &bytes)?;
        out.files += 1;
    }
    each(
        corpus,
        Pass::Full,
        select,
        |_, art| sink.contents(&art.with_entities(entities.clone())),
        |mut l| {
            progress(l.at, n);
            out.absorb(&mut l);
            for (path, bytes) in paths[l.at].iter().zip(l.value.iter().flatten()) {
                write(path, bytes)?;
                out.files += 1;
            }
            Ok(())
        },
    )?;
    progress(n, n);
    Ok(out)
}

/// The document of `sink` for articles already in memory (what [`super::export`] returns).
pub fn document_of(sink: &mut dyn DocSink, articles: &[ExportArticle]) -> String {
    if sink.survey().is_some() {
        for (at, art) in articles.iter().enumerate() {
            sink.surveyed(at, art);
        }
    }
    let mut w = Vec::new();
    let mut written = Written::default();
    // Writing to memory cannot fail.
    sink.begin(&mut w).expect("writing to memory");
    for (at, art) in articles.iter().enumerate() {
        let part = sink.render(at, art);
        sink.put(&mut w, &part, written).expect("writing to memory");
        written.articles += 1;
        written.items += part.items;
    }
    sink.end(&mut w, written).expect("writing to memory");
    String::from_utf8(w).expect("every format writes UTF-8")
}

/// The files of `sink` for articles already in memory.
pub fn folder_of(sink: &dyn FolderSink, articles: &[ExportArticle]) -> Vec<(PathBuf, Vec<u8>)> {
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let mut out = sink.fixed();
    for (paths, art) in sink.paths(&ids).into_iter().zip(articles) {
        out.extend(paths.into_iter().zip(sink.contents(art)));
    }
    out
}

/// `value` pretty-printed as serde_json prints it `depth` levels deep inside a document (two
/// spaces a level), starting with its indentation: the element of an array written one at a
/// time is then exactly what printing the whole array gives.
pub fn pretty_at(value: &impl Serialize, depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    pretty_into(&mut out, value, depth);
    out
}

/// [`pretty_at`], appended to `out`.
pub fn pretty_into(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    indent(out, depth).expect("writing to memory");
    let mut ser = serde_json::Serializer::with_formatter(out, Nested { depth, has_value: false });
    value.serialize(&mut ser).expect("export values always serialise");
}

fn indent<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    (0..depth).try_for_each(|_| w.write_all(b"  "))
}

/// serde_json's `PrettyFormatter` (two spaces) starting `depth` levels in, the rules repeated
/// here because its depth cannot be set: so an element printed alone needs no second pass to
/// be indented for its place.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes a part made of pretty-printed array elements (each from [`pretty_at`], joined by
/// `,\n`) as the next elements of an array whose `[` was written: a line break after the
/// bracket, `,` between elements.
pub fn put_elements(w: &mut dyn Write, part: &Part, before: Written) -> io::Result<()> {
    if part.items == 0 {
        return Ok(());
    }
    w.write_all(if before.items == 0 { b"\n" } else { b",\n" })?;
    w.write_all(&part.bytes)
}

/// The members of a JSON object as serde_json pretty-prints them inside a document at depth
/// one (each on its line, two spaces in, no braces): the keys a streamed document writes
/// before or after its array, in the order the whole document would have them.
pub fn members(v: &serde_json::Value) -> String {
    let s = serde_json::to_string_pretty(v).expect("JSON values always serialise");
    s.strip_prefix("{\n").and_then(|s| s.strip_suffix("\n}")).unwrap_or_default().to_owned()
}

/// Closes an array of elements written with [`put_elements`] whose `[` is `depth` levels deep:
/// `[]` when it stayed empty, as serde_json prints it.
pub fn close_elements(w: &mut dyn Write, all: Written, depth: usize) -> io::Result<()> {
    if all.items == 0 { w.write_all(b"]") } else { write!(w, "\n{}]", "  ".repeat(depth)) }
}

/// One part of array elements, each printed `depth` levels deep ([`pretty_at`]) and joined by
/// `,\n`.
pub fn elements<T: Serialize>(items: impl IntoIterator<Item = T>, depth: usize) -> Part {
    let mut part = Part::default();
    for item in items {
        if part.items > 0 {
            part.bytes.extend_from_slice(b",\n");
        }
        pretty_into(&mut part.bytes, &item, depth);
        part.items += 1;
    }
    part
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Format, Output, doc_sink, export, folder_sink, load};
    use crate::model::annotation::{AnnotationId, LabelId};
    use crate::model::codebook::Codebook;
    use crate::model::corpus::AnnotationRoot;
    use crate::model::store::Fingerprint;
    use crate::model::units::{ByteRange, CharIndex};

    // Every format but qdpx, which is built whole (see `export::export`).
    const ALL: [Format; 10] = [
        Format::Json,
        Format::Jsonl,
        Format::Csv,
        Format::Md,
        Format::Html,
        Format::W3c,
        Format::Brat,
        Format::Doccano,
        Format::Labelstudio,
        Format::Citron,
    ];

    /// A corpus of `n` articles of different lengths (so the loaders finish out of turn), each
    /// with a source, a claim linked to it and a note per sentence.
    fn corpus(n: usize) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..n {
            let body = "Песков said “нет, 我们不同意” 👍🏽. ".repeat(1 + (i * 7) % 23);
            std::fs::write(dir.path().join(format!("{i:02}.txt")), format!("Статья № {i}\n\n{body}\n")).unwrap();
        }
        let corpus = Corpus::scan(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        for e in &corpus.entries {
            let text = std::fs::read_to_string(&e.path).unwrap();
            let index = CharIndex::new(&text);
            let at = |s: usize, len: usize, label: &str, id: String| {
                let bytes = ByteRange::new(s, s + len);
                let mut a = Annotation::new_manual(
                    LabelId::new(label),
                    &text,
                    bytes,
                    index.to_chars(&text, bytes),
                    "алиса",
                    "2026-01-01T00:00:00Z",
                );
                a.id = AnnotationId(id);
                a
            };
            let mut anns = Vec::new();
            for (k, (s, _)) in text.match_indices("Песков").enumerate() {
                let source = at(s, "Песков".len(), "Source", format!("s{k}"));
                let q = s + text[s..].find('“').unwrap();
                let mut claim = at(q, text[q..].find('”').unwrap() + '”'.len_utf8(), "Claim", format!("c{k}"));
                claim.link("source", source.id.clone());
                claim.note = Some(format!("заметка {k}"));
                anns.extend([source, claim]);
            }
            let fp = Fingerprint::of(&text, index.total_chars());
            std::fs::write(&e.ron_path, AnnotationFile::new(&e.id, fp, anns).to_ron()).unwrap();
        }
        (dir, corpus)
    }

    fn cb() -> &'static Codebook {
        Codebook::default_scheme()
    }

    /// A writer that keeps what it is given and the size of each write.
    #[derive(Default)]
    struct Recorder {
        bytes: Vec<u8>,
        writes: Vec<usize>,
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.bytes.extend_from_slice(buf);
            self.writes.push(buf.len());
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn streamed(format: Format, corpus: &Corpus) -> (Output, Recorder) {
        let mut rec = Recorder::default();
        if let Some(mut sink) = doc_sink(format, cb()) {
            let out =
                write_document(sink.as_mut(), corpus, Select::everything(), &Arc::default(), &mut rec, &mut |_, _| {})
                    .unwrap();
            assert!(out.skipped.is_empty() && out.binary.is_empty(), "{out:?}");
            (Output::Document(String::from_utf8(rec.bytes.clone()).unwrap()), rec)
        } else {
            let sink = folder_sink(format, cb()).unwrap();
            let ids: Vec<&str> = corpus.entries.iter().map(|e| e.id.as_str()).collect();
            let paths = sink.paths(&ids);
            let mut files = Vec::new();
            let mut write = |p: &std::path::Path, b: &[u8]| {
                rec.writes.push(b.len());
                files.push((p.to_path_buf(), b.to_vec()));
                Ok(())
            };
            write_folder(
                sink.as_ref(),
                corpus,
                Select::everything(),
                &Arc::default(),
                &paths,
                &mut write,
                &mut |_, _| {},
            )
            .unwrap();
            (Output::Folder(files), rec)
        }
    }

    #[test]
    fn a_streamed_export_is_byte_for_byte_the_export_of_the_loaded_list_in_corpus_order() {
        // More articles than the loaders can hold between them, of uneven lengths.
        let (_dir, corpus) = corpus(3 * DEPTH * 4 + 5);
        let (arts, skipped) = load(&corpus, &mut |_, _| {});
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(arts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), {
            let ids: Vec<&str> = corpus.entries.iter().map(|e| e.id.as_str()).collect();
            ids
        });
        for format in ALL {
            let (out, _) = streamed(format, &corpus);
            assert!(out == export(format, &arts, cb()), "{format:?}: the streamed export differs");
        }
    }

    #[test]
    fn an_element_printed_alone_at_its_depth_is_what_printing_the_whole_document_gives() {
        let inner = serde_json::json!([
            { "id": "Песков", "a": [], "b": {}, "c": [[], {}, [1, [2, {}]], { "x": [] }], "d": "“нет”\n👍🏽" },
            [],
            {},
            "строка",
            [{ "e": [3] }]
        ]);
        for depth in 0..4 {
            let mut doc = inner.clone();
            for _ in 0..depth {
                doc = serde_json::json!({ "k": doc });
            }
            let whole = serde_json::to_string_pretty(&doc).unwrap();
            let at = String::from_utf8(pretty_at(&inner, depth)).unwrap();
            assert!(whole.contains(&at[2 * depth..]), "depth {depth}:\n{at}\nnot in\n{whole}");
            let part = elements(inner.as_array().unwrap(), depth + 1);
            let mut written = Vec::new();
            put_elements(&mut written, &part, Written::default()).unwrap();
            close_elements(&mut written, Written { articles: 1, items: part.items }, depth).unwrap();
            assert_eq!(format!("[{}", String::from_utf8(written).unwrap()), at[2 * depth..]);
        }
    }

    #[test]
    fn an_export_of_an_empty_corpus_streams_the_same_empty_document() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::scan(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        for format in ALL {
            let (out, _) = streamed(format, &corpus);
            assert!(out == export(format, &[], cb()), "{format:?}: the streamed export differs");
        }
    }

    #[test]
    fn every_format_writes_article_by_article_never_the_corpus_at_once() {
        let (_dir, corpus) = corpus(30);
        let (arts, _) = load(&corpus, &mut |_, _| {});
        for format in ALL {
            let (_, rec) = streamed(format, &corpus);
            // The largest piece an article makes, by itself (its files for a folder).
            let largest = arts
                .iter()
                .map(|a| match export(format, std::slice::from_ref(a), cb()) {
                    Output::Document(s) => s.len(),
                    Output::Folder(f) => f.iter().map(|(_, b)| b.len()).max().unwrap_or(0),
                    Output::Binary(_) | Output::Refused(_) => unreachable!("qdpx is not streamed"),
                })
                .max()
                .unwrap();
            let total: usize = rec.writes.iter().sum();
            assert!(
                rec.writes.len() >= arts.len(),
                "{format:?}: {} writes for {} articles",
                rec.writes.len(),
                arts.len()
            );
            assert!(
                rec.writes.iter().all(|&w| w <= largest) && largest * 4 < total,
                "{format:?}: a write of {} bytes, the largest article's export is {largest} of {total}",
                rec.writes.iter().max().unwrap()
            );
        }
    }
}
