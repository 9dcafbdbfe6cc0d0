//! `export` and `import`: the corpus to and from other tools.

use super::{Common, Problems, for_terminal, json_for_terminal, open_corpus, progress, scan_corpus, warn};
use crate::export::{self, Format, stream};
use crate::import::{self, ImportFormat, LabelMap, parse_label};
use crate::model::annotation::{Annotation, default_author};
use crate::model::codebook::Codebook;
use crate::model::corpus::Corpus;
use crate::model::fsio::{write_atomic, write_atomic_with};
use std::borrow::Cow;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

pub const EXPORT_HELP: &str = "Formats (offsets in Unicode code points unless the format fixes another unit):
  json         the whole corpus as one JSON document
  jsonl        one article per line (DuckDB read_json_auto, pandas read_json(lines=True))
  csv          one annotation per row, RFC 4180, formula-injection safe
  md           a Markdown review report
  html         a self-contained HTML review page
  w3c          W3C Web Annotation JSON-LD (AnnotationCollection)
  brat         a brat standoff folder (needs --output DIR)
  doccano      doccano relation-extraction JSONL
  labelstudio  Label Studio tasks JSON (--labelstudio-config FILE writes the labeling config)
  citron       a folder of BBC Citron quote files, one per article (needs --output DIR)
  qdpx         a REFI-QDA project (zip) for ATLAS.ti, MAXQDA, NVivo, QualCoder: labels and
               attribute values as codes, pieces as coded selections, notes, links
               (needs --output FILE.qdpx, or stdout redirected: never a terminal)

Examples:
  newsnote export --format html -o review.html
  newsnote export ~/corpus --format csv --label claim > claims.csv
  newsnote export --format brat -o brat-out/
  newsnote export --format qdpx -o corpus.qdpx
  newsnote export --format labelstudio -o tasks.json --labelstudio-config config.xml
  newsnote export --format jsonl --article 'politics/*'
  newsnote export --format csv --accepted-only > coding.csv

Every format writes each annotation's status (accepted, or proposed: a suggestion waiting
for a person) and origin (manual, imported, or the detector, as quotes-1, with its
confidence); --accepted-only leaves the suggestions out. Rejected suggestions are never
exported.";

pub const IMPORT_HELP: &str = "Examples:
  newsnote import --format brat brat-out/ --into copy/
  newsnote import --format doccano export.jsonl --map PER=source --map QUOTE=claim
  newsnote import --format labelstudio project.json --map Speaker=source

Documents are matched to articles by file name, else by identical text. Imported
annotations are added to the article's RON file; an identical span with the same label
is skipped (its links go to the one kept). Label names known without --map: every label id
and name of the codebook, LABEL:VALUE for the value of a label's asked attribute (and the
value alone: DonationAppeal), content and quote (the codebook's attributed content).
Exit 1 when a document matched no article.";

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    pub path: Option<PathBuf>,
    #[arg(long, short, value_enum)]
    pub format: Format,
    /// File (or folder, for brat and citron) to write; stdout when omitted (for qdpx only when
    /// stdout is not a terminal).
    #[arg(long, short, value_name = "FILE_OR_DIR")]
    pub output: Option<PathBuf>,
    /// Only these labels: a label id or name of the codebook, or LABEL:VALUE for one value of
    /// its asked attribute (boilerplate:DonationAppeal) (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub label: Vec<String>,
    /// Only the coding: accepted annotations, without the open suggestions (by default both
    /// are exported, each with its status and origin; rejected suggestions never are).
    #[arg(long)]
    pub accepted_only: bool,
    /// Only articles whose id matches this glob, e.g. 'politics/*' (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub article: Vec<String>,
    /// With --format labelstudio: also write the labeling config generated from the codebook
    /// (Settings → Labeling Interface → Code) to this file.
    #[arg(long, value_name = "FILE")]
    pub labelstudio_config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[arg(long, short, value_enum)]
    pub format: ImportFormat,
    /// The file or folder to read.
    pub src: PathBuf,
    /// The corpus to add the annotations to (default: the current folder).
    #[arg(long, value_name = "PATH")]
    pub into: Option<PathBuf>,
    /// Map a label of the other tool to one of the codebook: LABEL=TARGET, TARGET a label id
    /// or LABEL:VALUE (repeatable).
    #[arg(long, value_name = "LABEL=TARGET")]
    pub map: Vec<String>,
}

/// A `--label` filter: a label alone means all of it; `label:value` only that value of its
/// asked attribute.
/// Whether an annotation passes a filter.
type Keep = Box<dyn Fn(&Annotation) -> bool + Sync>;

fn label_filter(cb: &Codebook, args: &[String]) -> anyhow::Result<Keep> {
    let mut wanted = Vec::new();
    for a in args {
        wanted.push(parse_label(cb, a).ok_or_else(|| {
            let ids: Vec<&str> = cb.labels.iter().map(|l| l.id.as_str()).collect();
            anyhow::anyhow!("--label {a:?}: not a label of the codebook ({}), nor LABEL:VALUE", ids.join(", "))
        })?);
    }
    if args.is_empty() {
        return Ok(Box::new(|_| true));
    }
    Ok(Box::new(move |x: &Annotation| {
        wanted.iter().any(|t| t.label == x.label && t.attributes.iter().all(|(k, v)| x.attributes.get(k) == Some(v)))
    }))
}

pub fn export(args: ExportArgs, common: &Common) -> anyhow::Result<()> {
    let globs = args
        .article
        .iter()
        .map(|g| glob::Pattern::new(g).map_err(|e| anyhow::anyhow!("--article {g:?}: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if args.format.is_folder() && args.output.is_none() {
        anyhow::bail!("--format {:?} writes a folder: give it with --output DIR", args.format);
    }
    // A zip on a terminal is noise at best and control sequences at worst; a pipe is fine.
    if args.format.is_binary() && args.output.is_none() && std::io::stdout().is_terminal() {
        anyhow::bail!(
            "--format {:?} writes a binary file: give it with --output FILE, or redirect stdout",
            args.format
        );
    }
    // Listed, not opened: the export reads each file once, on every core, as it writes
    // (opening would parse every annotation file an extra time for the list's counts).
    let mut corpus = scan_corpus(args.path.as_deref(), common)?;
    for w in &corpus.warnings {
        warn(format_args!("newsnote: {w}"));
    }
    let cb = super::codebook_for(&corpus, common)?;
    let keep = label_filter(&cb, &args.label)?;
    let select = stream::Select { keep: &*keep, accepted_only: args.accepted_only };
    // Every mention's entity, resolved once and shared by the loader threads.
    let entities_registry = super::registry_for(&corpus, common, &cb)?;
    let entities = export::entities::Entities::shared(entities_registry.as_ref(), &cb);
    // Every article and annotation file, before the filter: an export may be aimed at any.
    let protected = CorpusFiles::of(&corpus);
    if let Some(path) = &args.labelstudio_config {
        anyhow::ensure!(args.format == Format::Labelstudio, "--labelstudio-config goes with --format labelstudio");
        protected.refuse(path)?;
        write_atomic(path, export::labelstudio::config(&cb).as_bytes())?;
    }
    if !globs.is_empty() {
        corpus.entries.retain(|e| globs.iter().any(|g| g.matches(&e.id)));
    }
    let mut progress = progress();
    let sink = match args.format {
        // The report's "Project" section charts the team too, which only the folders know.
        Format::Html => {
            let team = crate::model::container::fields::CorpusConfig::load(&corpus.root)?.team;
            let coders = team.coders(&corpus.root);
            let ids = corpus.entries.iter().map(|e| e.id.as_str());
            let progress = crate::model::picture::coders_progress(&corpus.root, &team, ids);
            let agreement = crate::model::agree::alpha_per_label(&corpus, &coders, entities_registry.as_ref(), &cb);
            Some(Box::new(export::html::Page::new(&cb).with_team(progress, agreement))
                as Box<dyn export::stream::DocSink>)
        }
        f => export::doc_sink(f, &cb),
    };
    let outcome = match (sink, &args.output) {
        (Some(mut sink), None) => {
            let stdout = std::io::stdout().lock();
            let mut w =
                Shown { inner: BufWriter::new(stdout), format: args.format, tty: std::io::stdout().is_terminal() };
            let outcome = stream::write_document(sink.as_mut(), &corpus, select, &entities, &mut w, &mut progress)?;
            w.inner.flush()?;
            outcome
        }
        (Some(mut sink), Some(path)) => {
            protected.refuse(path)?;
            let mut outcome = None;
            write_atomic_with(path, |f| {
                let mut w = BufWriter::new(f);
                outcome =
                    Some(stream::write_document(sink.as_mut(), &corpus, select, &entities, &mut w, &mut progress)?);
                w.flush()
            })?;
            outcome.expect("written")
        }
        (None, Some(dir)) if args.format.is_folder() => {
            let sink = export::folder_sink(args.format, &cb).expect("a folder format");
            let ids: Vec<&str> = corpus.entries.iter().map(|e| e.id.as_str()).collect();
            let paths = sink.paths(&ids);
            // All checked before any is written, so a refused export leaves no half folder.
            for rel in sink.fixed().iter().map(|(p, _)| p).chain(paths.iter().flatten()) {
                protected.refuse(&dir.join(rel))?;
            }
            let mut write = |rel: &Path, bytes: &[u8]| write_atomic(&dir.join(rel), bytes);
            let outcome =
                stream::write_folder(sink.as_ref(), &corpus, select, &entities, &paths, &mut write, &mut progress)?;
            warn(format_args!("wrote {} file(s) to {}", outcome.files, dir.display()));
            outcome
        }
        // qdpx: a zip whose project file lists every source before any coding, so it is
        // built whole from the loaded corpus (loaded as the streamed formats load it).
        (None, output) if args.format.is_binary() => {
            let mut outcome = stream::Outcome::default();
            let mut arts = Vec::new();
            stream::each(
                &corpus,
                stream::Pass::Full,
                select,
                |_, a| a.with_entities(entities.clone()),
                |l| {
                    outcome.skipped.extend(l.skipped);
                    outcome.binary.extend(l.binary);
                    arts.extend(l.value);
                    Ok(())
                },
            )?;
            match (export::export(args.format, &arts, &cb), output) {
                (export::Output::Binary(bytes), None) => {
                    std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes)?
                }
                (export::Output::Binary(bytes), Some(path)) => {
                    protected.refuse(path)?;
                    write_atomic(path, &bytes)?
                }
                (export::Output::Refused(why), _) => {
                    anyhow::bail!("--format {:?}: nothing written: {why}", args.format)
                }
                _ => unreachable!("qdpx writes a binary file or refuses"),
            }
            outcome
        }
        (None, _) => unreachable!("checked above"),
    };
    for w in &outcome.binary {
        warn(format_args!("newsnote: {w}"));
    }
    let skipped = outcome.skipped;
    for s in &skipped {
        warn(format_args!("{}: {}", s.path.display(), s.message));
    }
    if !skipped.is_empty() {
        return Err(
            Problems(format!("{} problem(s): some annotations were not exported (see above)", skipped.len())).into()
        );
    }
    Ok(())
}

/// stdout for an export: each part as [`document_for_terminal`] shows it. Every write is a
/// whole part of the document (the header, an article, the end), never a cut UTF-8 sequence.
struct Shown<W> {
    inner: W,
    format: Format,
    tty: bool,
}

impl<W: Write> Write for Shown<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(s) if self.tty => self.inner.write_all(document_for_terminal(self.format, true, s).as_bytes())?,
            _ => self.inner.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An export as it may be written to stdout: its exact bytes for a pipe or a file; on a
/// terminal, JSON formats with `\u` escapes (the same data), the others sanitised with
/// their line breaks kept.
fn document_for_terminal(format: Format, tty: bool, doc: &str) -> Cow<'_, str> {
    match format {
        Format::Json | Format::Jsonl | Format::W3c | Format::Doccano | Format::Labelstudio => {
            json_for_terminal(tty, doc)
        }
        Format::Csv | Format::Md | Format::Html | Format::Brat | Format::Citron | Format::Qdpx => {
            for_terminal(tty, doc)
        }
    }
}

/// The corpus's own files, which an export must never replace: `export --format brat -o .`
/// inside the corpus would otherwise rewrite every article in normalised form (and shift the
/// offsets of every annotation), and `-o foo.ron` would replace a coder's work.
struct CorpusFiles {
    root: PathBuf,
    /// (file, what it is), for the message.
    files: Vec<(PathBuf, String)>,
}

impl CorpusFiles {
    fn of(corpus: &Corpus) -> Self {
        let files = corpus
            .entries
            .iter()
            .flat_map(|e| {
                [
                    (e.path.clone(), format!("article {}", e.id)),
                    (e.ron_path.clone(), format!("the annotation file of {}", e.id)),
                ]
            })
            .collect();
        Self { root: corpus.root.clone(), files }
    }

    /// An error naming `out` when it is one of the corpus's files (the same file by device and
    /// inode, however the path is spelt, through links and hard links alike).
    fn refuse(&self, out: &Path) -> anyhow::Result<()> {
        // The write would create the folders; made first, `new/../a.txt` resolves as it will then.
        if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let Ok(target) = std::fs::metadata(out) else { return Ok(()) };
        for (file, what) in &self.files {
            if std::fs::metadata(file).is_ok_and(|m| same_file(&m, &target, file, out)) {
                anyhow::bail!(
                    "{} is {what} in {}; an export never overwrites the corpus: choose another --output",
                    out.display(),
                    self.root.display()
                );
            }
        }
        Ok(())
    }
}

fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata, pa: &Path, pb: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = (pa, pb);
        (a.dev(), a.ino()) == (b.dev(), b.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        std::fs::canonicalize(pa).ok().is_some_and(|p| std::fs::canonicalize(pb).ok() == Some(p))
    }
}

pub fn import(args: ImportArgs, common: &Common) -> anyhow::Result<()> {
    let mut corpus = open_corpus(args.into.as_deref(), common)?;
    // The file being imported may lie in the corpus and read as a container (doccano's
    // JSON Lines has a `text` field): its documents are never matched to its own records.
    let src = std::fs::canonicalize(&args.src).unwrap_or_else(|_| args.src.clone());
    corpus.entries.retain(|e| e.record.is_none() || std::fs::canonicalize(&e.path).map_or(true, |p| p != src));
    let cb = super::codebook_for(&corpus, common)?;
    let map = LabelMap::new(&cb).with(&cb, &args.map)?;
    let author = default_author(common.annotator.as_deref());
    let mut docs = import::read(args.format, &args.src, &map, &cb, &author).map_err(|e| Problems(e.to_string()))?;
    if docs.is_empty() {
        return Err(Problems(format!("{}: no {:?} documents found", args.src.display(), args.format)).into());
    }
    // Entities first: the registry is saved before any annotation file points at what it adds.
    if docs.iter().any(|d| !d.entity_refs.is_empty()) {
        match super::registry_for(&corpus, common, &cb)? {
            Some(mut registry) => {
                let linked = import::link_entities(&mut docs, &mut registry, &author)?;
                if !linked.created.is_empty() {
                    registry.save()?;
                    warn(format_args!("{}: {} entit(ies) added", registry.path.display(), linked.created.len()));
                }
            }
            None => warn(format_args!(
                "newsnote: the codebook has no entities: the mentions' entity references were not imported"
            )),
        }
    }
    let outcomes = import::write_into(&corpus, &cb, docs);
    let tty = std::io::stdout().is_terminal();
    let (mut unmatched, mut added, mut already, mut skipped) = (0, 0, 0, 0);
    for o in &outcomes {
        for m in &o.messages {
            warn(m);
            skipped += usize::from(import::is_skip(m));
        }
        match &o.ron_path {
            Some(p) => {
                let line = format!("{}: {} added, {} already there", p.display(), o.added, o.duplicates);
                println!("{}", for_terminal(tty, &line));
                (added, already) = (added + o.added, already + o.duplicates);
            }
            None => unmatched += 1,
        }
    }
    // One line that says whether anything was lost, after the per-file lines.
    let summary = format!(
        "{} document(s): {added} annotation(s) added, {already} already there, {skipped} line(s) or record(s) skipped (above, with reasons)",
        outcomes.len()
    );
    println!("{}", for_terminal(tty, &summary));
    if unmatched > 0 {
        return Err(Problems(format!("{unmatched} document(s) matched no article in {}", corpus.root.display())).into());
    }
    if skipped > 0 {
        return Err(
            Problems(format!("{skipped} line(s) or record(s) were not imported; see the warnings above")).into()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn the_export_help_lists_every_format_and_only_those() {
        let listed: Vec<&str> = EXPORT_HELP
            .lines()
            .skip(1)
            .take_while(|l| !l.is_empty())
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        let formats: Vec<String> =
            Format::value_variants().iter().map(|f| f.to_possible_value().unwrap().get_name().to_owned()).collect();
        assert_eq!(listed, formats, "«{EXPORT_HELP}»");
    }
}
