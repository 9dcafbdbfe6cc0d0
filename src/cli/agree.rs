//! `newsnote agree`: intercoder agreement of coders' annotation folders over a corpus, as a
//! table, JSON, CSV or Markdown. The figures are `model::agree`'s; this is the argument
//! handling (which argument is the corpus, which are coders) and the output.

use super::{Common, Problems, default_corpus, for_terminal, json_for_terminal, warn};
use crate::model::agree::{self, Options, report};
use crate::model::annotation::LabelId;
use crate::model::container::fields::CorpusConfig;
use crate::model::corpus::{AnnotationRoot, Corpus};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub const HELP: &str = "Examples:
  newsnote agree ~/corpus ~/coding/alice ~/coding/bob
  newsnote agree ~/corpus alice bob carol        (coders' names: their folders under coders/)
  newsnote agree ~/corpus                        (every coder of corpus.ron's team, or of coders/)
  newsnote agree ~/corpus alice bob --label claim --per-article
  newsnote agree ~/corpus --only-done --json | jq '.corpus.labels[] | {label, alpha}'
  newsnote agree ~/corpus --csv > agreement.csv

For every label and all labels, every pair of coders and all of them: span precision,
recall and F1 (exact and overlapping), Cohen's κ and Krippendorff's α on the coding of
each character (code point), Krippendorff's unitizing α (α_U, as INCEpTION reports it),
κ and α of each attribute on matched spans, attribution agreement on matched claims, and
a table of labels on overlapping spans. Only accepted coding counts: open and rejected
suggestions do not. A coder with no file for an article coded nothing in it; --only-done
compares only the articles every coder marked done. Definitions: docs/agreement.md.";

#[derive(Debug, clap::Args)]
pub struct AgreeArgs {
    /// The corpus (a folder of articles or one article; default: the current folder), then
    /// two coders or more: their annotation folders, or their names (folders under
    /// coders/, or corpus.ron's team folder). No coder given: all the team's coders.
    #[arg(value_name = "[PATH] CODER")]
    pub args: Vec<PathBuf>,
    /// One JSON document with every figure.
    #[arg(long, conflicts_with_all = ["csv", "markdown"])]
    pub json: bool,
    /// One figure a row: article, label, attribute, coder_a, coder_b, figure, value.
    #[arg(long, conflicts_with = "markdown")]
    pub csv: bool,
    /// The tables in Markdown.
    #[arg(long)]
    pub markdown: bool,
    /// Compare only this label (an id or name of the codebook; repeat for more).
    #[arg(long = "label", value_name = "LABEL")]
    pub labels: Vec<String>,
    /// Figures for each article as well as for the corpus.
    #[arg(long)]
    pub per_article: bool,
    /// Only the articles every coder marked done (their progress.ron).
    #[arg(long)]
    pub only_done: bool,
}

/// Whether `p` is a corpus: an article file, or a folder with articles in it (a coder's
/// folder holds annotation files only).
fn scan_if_corpus(p: &Path, common: &Common) -> Option<Corpus> {
    if !p.exists() {
        return None;
    }
    let corpus = Corpus::scan_with(p, AnnotationRoot::NextToArticles, &common.fields()).ok()?;
    (!corpus.entries.is_empty()).then_some(corpus)
}

pub fn run(args: AgreeArgs, common: &Common) -> anyhow::Result<()> {
    // The first argument is the corpus when it holds articles; otherwise all are coders,
    // of the current folder's corpus.
    let first = args.args.split_first().and_then(|(first, rest)| Some((scan_if_corpus(first, common)?, rest.to_vec())));
    let (corpus, coder_args) = match first {
        Some(found) => found,
        None => (default_scan(common)?, args.args.clone()),
    };
    let root = corpus.root.clone();
    let team = CorpusConfig::load(&root).map_err(|e| anyhow::anyhow!("{e}"))?.team;
    let mut coders: Vec<(String, PathBuf)> = Vec::new();
    if coder_args.is_empty() {
        for (name, dir) in team.coders(&root) {
            if !dir.is_dir() {
                warn(format_args!("newsnote: coder {name} has no folder yet ({}): they coded nothing", dir.display()));
            }
            coders.push((name, dir));
        }
    } else {
        for arg in &coder_args {
            let text = arg.to_string_lossy();
            let (name, dir) = team.resolve(&root, &text)?;
            if !dir.is_dir() {
                anyhow::bail!("{text}: no such coder's folder ({} is not a folder)", dir.display());
            }
            let same = |d: &PathBuf| d.canonicalize().ok() == dir.canonicalize().ok();
            if coders.iter().any(|(_, d)| same(d)) {
                anyhow::bail!("{text}: given twice (the folder {})", dir.display());
            }
            let name = if coders.iter().any(|(n, _)| *n == name) { text.into_owned() } else { name };
            coders.push((name, dir));
        }
    }
    if coders.len() < 2 {
        anyhow::bail!(
            "agreement needs two coders or more, found {}: give their folders or names \
             (newsnote agree [PATH] CODER CODER…), or name them in corpus.ron's team section",
            coders.len()
        );
    }
    let book = super::codebook_for(&corpus, common)?;
    let mut labels: Vec<LabelId> = Vec::new();
    for l in &args.labels {
        let target = crate::import::parse_label(&book, l).filter(|t| t.attributes.is_empty()).ok_or_else(|| {
            let ids: Vec<&str> = book.labels.iter().map(|l| l.id.as_str()).collect();
            anyhow::anyhow!("--label {l:?}: not a label of codebook {:?} ({})", book.name, ids.join(", "))
        })?;
        if !labels.contains(&target.label) {
            labels.push(target.label);
        }
    }
    let registry = super::registry_for(&corpus, common, &book)?;
    let read = agree::load::read(&corpus, &coders, registry.as_ref(), args.only_done)?;
    for w in &read.warnings {
        warn(format_args!("newsnote: {w}"));
    }
    if read.articles.is_empty() {
        let why = if read.not_done > 0 { " (none that every coder marked done)" } else { "" };
        return Err(Problems(format!("no article to compare{why}")).into());
    }
    let opts = Options { labels: (!labels.is_empty()).then_some(labels), per_article: args.per_article };
    let result = agree::corpus_agreement(&read.articles, &read.coders, &book, &opts);
    for (coder, n) in result.coders.iter().zip(&result.misfits) {
        if *n > 0 {
            warn(format_args!(
                "newsnote: coder {coder}: {n} annotation(s) do not fit their article's text and are left out (newsnote check names them)"
            ));
        }
    }
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", json_for_terminal(tty, &serde_json::to_string_pretty(&result)?))?;
    } else if args.csv {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(report::CSV_HEAD)?;
        for r in report::csv_rows(&result) {
            w.write_record(&r)?;
        }
        w.flush()?;
    } else {
        let render = if args.markdown { report::markdown } else { report::text };
        let mut doc = format!(
            "{} coders ({}) on {} article(s), {} code points compared. Offsets and lengths are in code points; \
             – is no figure (nothing to compare, or no variation). Definitions: docs/agreement.md\n\n",
            result.coders.len(),
            result.coders.join(", "),
            result.articles,
            result.chars
        );
        doc.push_str(&render(&report::tables(&result, &book, &result.corpus, true)));
        for a in &result.per_article {
            let mut t = report::tables(&result, &book, &a.figures, false);
            t[0].title = format!("{} ({} code points)", a.id, a.chars);
            doc.push_str(&render(&t));
        }
        write!(out, "{}", for_terminal(tty, &doc))?;
    }
    if read.unreadable > 0 {
        return Err(Problems(format!(
            "{} article(s) left out: they or a coder's file could not be read",
            read.unreadable
        ))
        .into());
    }
    Ok(())
}

/// The corpus when no PATH is given ([`default_corpus`]), scanned with its files next to
/// the articles (coders' folders are given apart).
fn default_scan(common: &Common) -> anyhow::Result<Corpus> {
    let (path, _, _) = default_corpus(common)?;
    Corpus::scan_with(&path, AnnotationRoot::NextToArticles, &common.fields()).map_err(|e| anyhow::anyhow!("{e}"))
}
