//! `suggest`: the detectors run over a corpus, their proposals saved for a coder to review.
//!
//! This is where suggestions reach annotation files: each article is opened as the TUI opens
//! it (`Document::open`), `model::suggest` says what is new, and the new suggestions are
//! inserted and saved through the one save path, which merges with a TUI that has the file
//! open. Only files that got something new are written, so a second run writes nothing;
//! what is already in a file (a person's annotation, an open or a rejected suggestion) is
//! never changed, since `propose` and the outlet detector only add. Articles are worked on
//! every core (a thread per core over the entries); the outlet detector first learns, in a
//! pass over the files that hold accepted boilerplate, what each outlet's coders accepted.

use super::{Common, Problems, scan_corpus, warn};
use crate::model::annotation::Status;
use crate::model::annotation::{Annotation, now_rfc3339};
use crate::model::codebook::Codebook;
use crate::model::corpus::{Corpus, Entry, binary_reason};
use crate::model::document::{Document, Edit};
use crate::model::entities::Registry;
use crate::model::store::AnnotationFile;
use crate::model::suggest::outlet::{self, Outlets};
use crate::model::suggest::{Ask, Detector, propose};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub const HELP: &str = "Examples:
  newsnote suggest ~/corpus
  newsnote suggest ~/corpus --only boilerplate
  newsnote suggest ~/corpus --only quotes,sources --dry-run
  newsnote suggest --json | jq '.suggestions.by_detector'

Proposes annotations for a coder to accept or reject in the TUI: boilerplate (a web page's
blocks, a text's lines that are not the article, and text accepted as boilerplate in another
article of the same outlet: same host, else outlet, else folder), quotes (claims with their
cue and source) and sources (the speakers only). Only files that get new suggestions are
written; a second run proposes nothing new, a rejected suggestion is never proposed again
and no existing annotation is changed. Articles whose annotation file is read-only or
invalid, and articles changed since they were annotated whose annotations were not reviewed
yet, are skipped and named. Exit 1 when an article was skipped or could not be read.";

#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    pub path: Option<PathBuf>,
    /// Run only these detectors: boilerplate, quotes, sources (repeatable, or a comma list).
    /// Default: boilerplate and quotes (quotes proposes the sources too).
    #[arg(long, value_name = "DETECTOR", value_delimiter = ',', value_parser = detector_arg)]
    pub only: Vec<Detector>,
    /// Print what would be proposed, article by article, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the summary (and with --dry-run the proposals) as one JSON document.
    #[arg(long)]
    pub json: bool,
}

fn detector_arg(s: &str) -> Result<Detector, String> {
    s.parse()
}

/// What became of one article.
#[derive(Debug)]
enum Outcome {
    /// New suggestions (saved, unless a dry run).
    Changed(Vec<Annotation>),
    /// Nothing new.
    Unchanged,
    /// Left alone, and why.
    Skipped(String),
    /// Could not be read or saved.
    Failed(String),
    /// Not an article at all (a binary file with a text extension): left out with a
    /// warning, as a corpus listing leaves it out.
    NotArticle(String),
}

/// Everything a worker needs, shared by all of them.
struct Job<'a> {
    detectors: &'a [Detector],
    book: &'a Codebook,
    registry: Option<&'a Registry>,
    outlets: &'a Outlets,
    dry_run: bool,
    now: &'a str,
    /// Per folder, the names of the hidden `.tmp` files it held when this run first saved there.
    temps: std::sync::Mutex<std::collections::HashMap<PathBuf, Vec<String>>>,
}

impl Job<'_> {
    /// Whether a save of `ron` should look for crashed writers' temp files beside it (the
    /// first save after opening does; see `save::SaveRequest::cleanup`): only when its folder
    /// held a temp file of its name when the run first saved there. A save that looks lists
    /// the whole folder, so one look per article was a listing of a folder of 2,000 files
    /// for each of its 1,000 articles, most of a run's time; this is one listing a folder.
    fn may_have_temps(&self, ron: &std::path::Path) -> bool {
        let (Some(folder), Some(name)) = (ron.parent(), ron.file_name()) else { return true };
        let Ok(mut temps) = self.temps.lock() else { return true };
        let listed = temps.entry(folder.to_path_buf()).or_insert_with(|| {
            let Ok(rd) = std::fs::read_dir(folder) else { return vec![String::new()] };
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
                .collect()
        });
        // The file's temps and its conflicts sidecar's both start `.NAME.` (an unreadable
        // folder: look, as a save would).
        let prefix = format!(".{}.", name.to_string_lossy());
        listed.iter().any(|n| n.is_empty() || n.starts_with(&prefix))
    }
}

pub fn run(args: SuggestArgs, common: &Common) -> anyhow::Result<()> {
    // Listed, not summarised: each article is read once, by its worker, and the list's
    // titles and counts would cost a second parse of every annotation file.
    let corpus = scan_corpus(args.path.as_deref(), common)?;
    for w in &corpus.warnings {
        warn(format_args!("newsnote: {w}"));
    }
    let book = super::codebook_for(&corpus, common)?;
    let registry = super::registry_for(&corpus, common, &book)?;
    let mut detectors = if args.only.is_empty() { vec![Detector::Boilerplate, Detector::Quotes] } else { args.only };
    detectors.sort();
    detectors.dedup();
    if book.suggestions.is_none() {
        warn(format_args!(
            "newsnote: codebook {:?} has no suggestions section, so no detector output becomes an annotation",
            book.name
        ));
    }
    let outlets = if detectors.contains(&Detector::Boilerplate) { learn(&corpus, &book) } else { Outlets::default() };
    let now = now_rfc3339();
    let job = Job {
        detectors: &detectors,
        book: &book,
        registry: registry.as_ref(),
        outlets: &outlets,
        dry_run: args.dry_run,
        now: &now,
        temps: Default::default(),
    };
    let outcomes = each(&corpus, &job);
    let tty = std::io::stdout().is_terminal();
    let summary = Summary::of(&book, &outcomes);
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut doc = summary.json(&corpus, &outcomes);
        doc["dry_run"] = args.dry_run.into();
        doc["detectors"] = detectors.iter().map(|d| d.id()).collect::<Vec<_>>().into();
        if args.dry_run {
            doc["proposals"] = proposals_json(&corpus, &book, &outcomes).into();
        }
        let json = serde_json::to_string_pretty(&doc)?;
        writeln!(out, "{}", super::json_for_terminal(tty, &json))?;
    } else {
        let mut text = String::new();
        if args.dry_run {
            dry_run_text(&mut text, &corpus, &book, &outcomes);
        }
        summary.text(&mut text, args.dry_run);
        out.write_all(super::for_terminal(tty, &text).as_bytes())?;
    }
    for (e, o) in corpus.entries.iter().zip(&outcomes) {
        match o {
            Outcome::NotArticle(why) => warn(format_args!("newsnote: {}: skipped: {why}", e.path.display())),
            Outcome::Skipped(why) => warn(format_args!("newsnote: {}: skipped: {why}", e.id)),
            Outcome::Failed(why) => warn(format_args!("newsnote: {}: {why}", e.id)),
            _ => {}
        }
    }
    let (skipped, failed) = (summary.skipped, summary.failed);
    if skipped + failed > 0 {
        return Err(Problems(format!(
            "{} article(s) skipped, {failed} could not be read or saved; the others were done",
            skipped
        ))
        .into());
    }
    Ok(())
}

/// The outlet detector's first pass, on every core: the accepted boilerplate of every
/// annotation file, learned per outlet (the outlet from the article's metadata, so a page is
/// read, but only when its file has some). Only files that may hold an accepted annotation of
/// the label are parsed ([`may_teach`]).
fn learn(corpus: &Corpus, book: &Codebook) -> Outlets {
    let mut outlets = Outlets::default();
    let Some(map) = book.suggestions.as_ref().and_then(|s| s.boilerplate.as_ref()) else { return outlets };
    let found = par_map(&corpus.entries, |e| {
        let bytes = crate::model::fsio::read_regular(&e.ron_path).ok()??;
        if !may_teach(&bytes, &map.label) {
            return None;
        }
        // A file or article that cannot be read is reported when its article is worked on.
        let text = std::str::from_utf8(&bytes).ok()?;
        let f = AnnotationFile::parse(&e.ron_path, text, &e.id).ok()?;
        let accepted = |a: &Annotation| a.status == Status::Accepted && a.label.as_str() == map.label;
        if !f.annotations.iter().any(accepted) {
            return None;
        }
        let article = crate::model::load::load(e).ok()?;
        Some((outlet::outlet_of(&e.id, &article.meta), f.annotations))
    });
    for (e, got) in corpus.entries.iter().zip(found) {
        if let Some((key, anns)) = got {
            outlets.learn(&key, &e.id, &anns, map);
        }
    }
    outlets
}

/// Whether an annotation file's bytes may hold an accepted annotation of `label`: the label
/// is named (as a RON string), and `Accepted` is written or some annotation has no status
/// (which reads as accepted). A cheap test that errs toward parsing: after a run, most files
/// hold only open suggestions, and parsing them all twice was most of a second run's time.
fn may_teach(bytes: &[u8], label: &str) -> bool {
    use memchr::memmem;
    let named = format!("\"{label}\"");
    if memmem::find(bytes, named.as_bytes()).is_none() {
        return false;
    }
    memmem::find(bytes, b"Accepted").is_some()
        || memmem::find_iter(bytes, b"status:").count() < memmem::find_iter(bytes, b"label:").count()
}

/// `f` of every entry, in corpus order, on `per_core` threads a core: thread `t` of `k`
/// takes the `t`-th of `k` runs of adjacent entries, so threads mostly work in different
/// folders and a save seldom waits for another's lock on its folder (with entries dealt in
/// turn, every thread saved in the same folder and the saves took turns); `tick` is called
/// on this thread with the count done.
fn par_map_with<T: Send>(
    entries: &[Entry],
    per_core: usize,
    f: impl Fn(&Entry) -> T + Sync,
    mut tick: impl FnMut(usize),
) -> Vec<T> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let k = (cores * per_core).clamp(1, entries.len().max(1));
    let f = &f;
    let mut results: Vec<(usize, T)> = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        for t in 0..k {
            let tx = tx.clone();
            let run = entries.len().div_ceil(k);
            s.spawn(move || {
                for at in (t * run..entries.len()).take(run) {
                    if tx.send((at, f(&entries[at]))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut got = Vec::with_capacity(entries.len());
        for r in rx {
            got.push(r);
            tick(got.len());
        }
        got
    });
    results.sort_by_key(|(at, _)| *at);
    results.into_iter().map(|(_, v)| v).collect()
}

fn par_map<T: Send>(entries: &[Entry], f: impl Fn(&Entry) -> T + Sync) -> Vec<T> {
    par_map_with(entries, 1, f, |_| {})
}

/// How many threads per core work on articles when their suggestions are saved.
const SAVING_THREADS_PER_CORE: usize = 4;

/// Every entry's outcome, in corpus order, worked on every core, with a progress line on a
/// terminal.
fn each(corpus: &Corpus, job: &Job) -> Vec<Outcome> {
    let n = corpus.entries.len();
    let mut progress = super::progress();
    // A save waits for the disk (two fsyncs) without using its core: more threads than
    // cores keep the cores busy meanwhile, and the file system commits their fsyncs together.
    let per_core = if job.dry_run { 1 } else { SAVING_THREADS_PER_CORE };
    let out = par_map_with(&corpus.entries, per_core, |e| one(e, job), |done| progress(done, n));
    progress(n, n);
    out
}

/// One article: open, propose, insert, save.
fn one(e: &Entry, job: &Job) -> Outcome {
    // A listed corpus has not looked inside its files yet.
    if let Some(why) = e.record.is_none().then(|| binary_reason(&e.path)).flatten() {
        return Outcome::NotArticle(why);
    }
    let mut doc = match Document::open(e) {
        Ok(d) => d,
        Err(err) => return Outcome::Failed(format!("cannot read: {err}")),
    };
    if let Some(why) = &doc.read_only {
        return Outcome::Skipped(why.clone());
    }
    // Saving would write the re-anchored places of the other annotations before a person
    // looked at them (as `tag` refuses to).
    if let Some(t) = doc.reanchored.filter(|t| t.moved + t.changed + t.orphaned > 0) {
        return Outcome::Skipped(format!(
            "the article changed since it was annotated ({t}); review the re-anchored annotations first \
             (the TUI's ! list, or newsnote check --fix), then run suggest again"
        ));
    }
    let mut existing: Vec<Annotation> = doc.annotations.iter().chain(&doc.rejected).cloned().collect();
    let mut new = Vec::new();
    // The outlet's accepted text first: a coder's kind is surer than a rule's, and the page
    // detector then proposes nothing over it.
    if let Some(map) = job.book.suggestions.as_ref().and_then(|s| s.boilerplate.as_ref())
        && job.detectors.contains(&Detector::Boilerplate)
        && !job.outlets.is_empty()
    {
        let key = outlet::outlet_of(&e.id, &doc.article.meta);
        new = job.outlets.propose(&key, &doc.article, &existing, map, job.now);
        existing.extend(new.iter().cloned());
    }
    let ask =
        Ask { detectors: job.detectors, book: job.book, existing: &existing, registry: job.registry, now: job.now };
    new.extend(propose(&doc.article, &ask));
    if new.is_empty() {
        return Outcome::Unchanged;
    }
    if job.dry_run {
        return Outcome::Changed(new);
    }
    doc.codebook = Some(job.book.reference());
    for a in &new {
        doc.apply(&Edit::Insert(a.clone()));
    }
    // A TUI may have the file open and have saved since we read it: the save merges.
    let mut req = doc.save_request();
    req.cleanup = job.may_have_temps(&doc.ron_path);
    match crate::model::save::save(req) {
        Ok(report) => {
            doc.saved(&report);
            Outcome::Changed(new)
        }
        Err(err) => Outcome::Failed(format!("not saved: {err}")),
    }
}

/// The numbers a run ends with.
#[derive(Debug, Default)]
struct Summary {
    read: usize,
    changed: usize,
    unchanged: usize,
    skipped: usize,
    failed: usize,
    total: usize,
    /// `detector-version` → count.
    by_detector: BTreeMap<String, usize>,
    /// Label id → (count, value id of the label's asked attribute → count).
    by_label: BTreeMap<String, (usize, BTreeMap<String, usize>)>,
    /// How each label and kind is named in text (`Boilerplate (donation appeal)`) → count.
    described: BTreeMap<String, usize>,
}

impl Summary {
    fn of(book: &Codebook, outcomes: &[Outcome]) -> Self {
        let mut s = Summary::default();
        for o in outcomes {
            match o {
                Outcome::Changed(new) => {
                    s.read += 1;
                    s.changed += 1;
                    for a in new {
                        s.total += 1;
                        let origin = a.suggestion.as_ref().map_or_else(|| "?".into(), |g| g.origin());
                        *s.by_detector.entry(origin).or_default() += 1;
                        let l = s.by_label.entry(a.label.to_string()).or_default();
                        l.0 += 1;
                        if let Some(v) = kind_of(book, a) {
                            *l.1.entry(v).or_default() += 1;
                        }
                        *s.described.entry(describe(book, a)).or_default() += 1;
                    }
                }
                Outcome::Unchanged => {
                    s.read += 1;
                    s.unchanged += 1;
                }
                Outcome::Skipped(_) => s.skipped += 1,
                Outcome::Failed(_) => s.failed += 1,
                Outcome::NotArticle(_) => {}
            }
        }
        s
    }

    fn text(&self, out: &mut String, dry_run: bool) {
        use std::fmt::Write as _;
        let verb = if dry_run { "would get" } else { "got" };
        let _ = writeln!(
            out,
            "{} article(s) read: {} {verb} new suggestions, {} had nothing new; {} skipped, {} could not be read or saved",
            self.read, self.changed, self.unchanged, self.skipped, self.failed
        );
        let _ =
            writeln!(out, "{} suggestion(s){}", self.total, if dry_run { " (dry run: nothing written)" } else { "" });
        if self.total == 0 {
            return;
        }
        let _ = writeln!(out, "by detector:");
        for (d, n) in &self.by_detector {
            let _ = writeln!(out, "  {n:>6}  {d}");
        }
        let _ = writeln!(out, "by label and kind:");
        for (d, n) in &self.described {
            let _ = writeln!(out, "  {n:>6}  {d}");
        }
    }

    fn json(&self, corpus: &Corpus, outcomes: &[Outcome]) -> serde_json::Value {
        let by_label: serde_json::Map<String, serde_json::Value> = self
            .by_label
            .iter()
            .map(|(l, (n, kinds))| (l.clone(), serde_json::json!({ "total": n, "kinds": kinds })))
            .collect();
        let mut changed = serde_json::Map::new();
        let mut skipped = serde_json::Map::new();
        let mut failed = serde_json::Map::new();
        for (e, o) in corpus.entries.iter().zip(outcomes) {
            match o {
                Outcome::Changed(new) => {
                    changed.insert(e.id.clone(), new.len().into());
                }
                Outcome::Skipped(why) => {
                    skipped.insert(e.id.clone(), why.clone().into());
                }
                Outcome::Failed(why) => {
                    failed.insert(e.id.clone(), why.clone().into());
                }
                Outcome::Unchanged | Outcome::NotArticle(_) => {}
            }
        }
        serde_json::json!({
            "articles": {
                "read": self.read,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "skipped": self.skipped,
                "failed": self.failed,
            },
            "suggestions": {
                "total": self.total,
                "by_detector": self.by_detector,
                "by_label": by_label,
            },
            "changed": changed,
            "skipped": skipped,
            "failed": failed,
        })
    }
}

/// The attribute the codebook's suggestions section sets on `a`'s label (a boilerplate's
/// kind, a claim's quote type), else the one asked when the label is tagged, with `a`'s value.
fn kind_attr<'a>(book: &Codebook, a: &'a Annotation) -> Option<(String, &'a crate::model::annotation::AttrValue)> {
    let maps = book.suggestions.iter().flat_map(|s| [&s.boilerplate, &s.quotes]).flatten();
    let attr = maps
        .filter(|m| m.label == a.label.as_str())
        .find_map(|m| m.attribute.clone())
        .or_else(|| book.asked_on_tag(a.label.as_str()).map(|d| d.id.clone()))?;
    let v = a.attributes.get(&attr)?;
    Some((attr, v))
}

/// The value id of `a`'s kind ([`kind_attr`]), if it has one.
fn kind_of(book: &Codebook, a: &Annotation) -> Option<String> {
    kind_attr(book, a).map(|(_, v)| v.to_string())
}

/// How a suggestion is named in text: its label's name, and its kind's.
fn describe(book: &Codebook, a: &Annotation) -> String {
    let name = book.label_name(&a.label);
    match kind_attr(book, a) {
        Some((attr, v)) => format!("{name} ({})", book.value_name(&attr, v)),
        None => name,
    }
}

/// How many characters of a quote a dry run shows.
const SHOWN_CHARS: usize = 60;

fn short(quote: &str) -> String {
    let one_line: String = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

fn dry_run_text(out: &mut String, corpus: &Corpus, book: &Codebook, outcomes: &[Outcome]) {
    use std::fmt::Write as _;
    for (e, o) in corpus.entries.iter().zip(outcomes) {
        let Outcome::Changed(new) = o else { continue };
        let _ = writeln!(out, "{}: {} suggestion(s)", e.id, new.len());
        for a in new {
            let by = a.suggestion.as_ref();
            let _ = writeln!(
                out,
                "  {}  {}–{}  {:?}  ({}, {}%)",
                describe(book, a),
                a.start,
                a.hull().end,
                short(&a.full_quote()),
                by.map_or_else(String::new, |s| s.origin()),
                by.map_or(0, |s| s.confidence)
            );
        }
    }
}

fn proposals_json(corpus: &Corpus, book: &Codebook, outcomes: &[Outcome]) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for (e, o) in corpus.entries.iter().zip(outcomes) {
        let Outcome::Changed(new) = o else { continue };
        for a in new {
            let by = a.suggestion.as_ref();
            all.push(serde_json::json!({
                "article": e.id,
                "id": a.id.0,
                "label": a.label.as_str(),
                "kind": kind_of(book, a),
                "start": a.start,
                "end": a.hull().end,
                "quote": a.full_quote(),
                "detector": by.map(|s| s.origin()),
                "category": by.map(|s| s.category.clone()),
                "confidence": by.map(|s| s.confidence),
                "reason": by.map(|s| s.reason.clone()),
            }));
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_may_teach_only_when_it_names_the_label_and_may_hold_an_accepted_one() {
        let accepted = r#"(annotations: [(label: "Boilerplate", quote: "Подпишитесь", status: Accepted)])"#.as_bytes();
        let open = r#"(annotations: [(label: "Boilerplate", quote: "Подпишитесь", status: Proposed)])"#.as_bytes();
        let unstated = r#"(annotations: [(label: "Boilerplate", quote: "Подпишитесь")])"#.as_bytes();
        let other = r#"(annotations: [(label: "Source", quote: "Шаблон", status: Accepted)])"#.as_bytes();
        assert!(may_teach(accepted, "Boilerplate"));
        assert!(!may_teach(open, "Boilerplate"), "only open suggestions: nothing to learn");
        assert!(may_teach(unstated, "Boilerplate"), "no status reads as accepted");
        assert!(!may_teach(other, "Boilerplate"), "the label is not named");
    }
}
