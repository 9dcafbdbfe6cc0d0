//! `newsnote adjudicate [PATH] CODER_A CODER_B [CODER…] [--gold DIR]`: the TUI in
//! adjudication mode (`app::adjudicate`), comparing coders' folders and writing the gold one.
//!
//! A command of its own rather than a TUI flag because what it opens differs: the corpus's
//! annotations folder is the gold folder, and the coders' folders are read beside it.

use super::Common;
use crate::app::App;
use crate::app::adjudicate::{Adjudication, Coder};
use crate::app::keymap::Keymap;
use crate::model::container::fields::CorpusConfig;
use crate::model::corpus::AnnotationRoot;
use crate::model::progress::Progress;
use anyhow::Context;
use std::path::{Path, PathBuf};

pub const AFTER_HELP: &str = "Examples:
  newsnote adjudicate alice bob                    coders named in corpus.ron (or folders under coders/)
  newsnote adjudicate ~/corpus alice bob carol --gold ~/corpus/gold-v2
  newsnote adjudicate ~/corpus ~/coding/alice ~/coding/bob

Each coder is a folder or a coder's name (its folder is ROOT/coders/NAME, or where corpus.ron's
team section puts it); with three or more arguments the first is PATH when it exists.
The gold folder (default ROOT/gold, or corpus.ron's team gold) is an annotations folder like any
other: the reader's editing keys act on it and every change is saved at once. The coders'
folders are only read. In the reading pane: n / ]d next disagreement, N / [d previous,
1…9 take that coder's version, b take both, x take none, = take every agreement,
D mark the article adjudicated (progress.ron in the gold folder), u / Ctrl-R undo / redo.";

#[derive(Debug, clap::Args)]
pub struct AdjudicateArgs {
    /// [PATH] then the coders: their folders or names (at least two).
    #[arg(value_name = "CODER", num_args = 2.., required = true)]
    pub args: Vec<String>,
    /// The gold folder to write (default: corpus.ron's team gold, else ROOT/gold).
    #[arg(long, value_name = "DIR")]
    pub gold: Option<PathBuf>,
}

/// Splits the arguments into PATH (if given) and the coders.
fn split(args: &[String]) -> (Option<PathBuf>, &[String]) {
    match args {
        [first, rest @ ..] if rest.len() >= 2 && Path::new(first).exists() => (Some(PathBuf::from(first)), rest),
        _ => (None, args),
    }
}

/// Runs the TUI in adjudication mode; the exit code as the TUI's.
pub fn run(args: AdjudicateArgs, common: &Common, keymap: Option<&Path>) -> anyhow::Result<u8> {
    let mut app = prepare(&args, common, Keymap::load(keymap).context("fix the keymap file or remove it")?)?;
    crate::tui::run(&mut app)?;
    Ok(app.exit_code)
}

/// The app, opened for adjudication (what [`run`] runs; tests drive it without a terminal).
pub fn prepare(args: &AdjudicateArgs, common: &Common, keymap: Keymap) -> anyhow::Result<App> {
    if common.annotations.is_some() {
        anyhow::bail!("adjudicate writes into the gold folder: give it with --gold, not --annotations");
    }
    let (path, coder_args) = split(&args.args);
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    let root = if path.is_dir() {
        path.clone()
    } else {
        path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
    };
    let team = CorpusConfig::load(&root)?.team;
    let mut coders = Vec::new();
    for arg in coder_args {
        let (name, dir) = team.resolve(&root, arg)?;
        if !dir.is_dir() {
            anyhow::bail!(
                "coder {arg:?}: no folder {} (give a coder's folder, or a name from corpus.ron)",
                dir.display()
            );
        }
        if coders.iter().any(|c: &Coder| same_dir(&c.dir, &dir)) {
            anyhow::bail!("coder {arg:?} is given twice");
        }
        coders.push(Coder { name, dir });
    }
    let gold = args.gold.clone().unwrap_or_else(|| team.gold_dir(&root));
    if coders.iter().any(|c| same_dir(&c.dir, &gold)) {
        anyhow::bail!(
            "the gold folder {} is one of the coders' folders: coders' folders are never written",
            gold.display()
        );
    }
    let common = Common { annotations: Some(gold.clone()), ..common.clone() };
    let corpus = super::scan_corpus(Some(&path), &common)?;
    let author = crate::model::annotation::default_author(common.annotator.as_deref());
    let codebook = super::codebook_for(&corpus, &common).context("fix the codebook or pass another with --codebook")?;
    let registry = super::registry_for(&corpus, &common, &codebook)
        .context("fix the entity registry or pass another with --entities")?;
    let progress_path = Progress::locate(&corpus.root, &AnnotationRoot::Mirrored(gold.clone()));
    let progress = Progress::open(&progress_path)?;
    let mut app = App::with_codebook(corpus, author, keymap, codebook, ratatui::layout::Rect::new(0, 0, 80, 24))
        .with_registry(registry);
    app.start_adjudication(Adjudication::new(coders, gold, progress));
    Ok(app)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_argument_is_the_corpus_only_when_it_exists_and_two_coders_follow() {
        let d = tempfile::tempdir().unwrap();
        let corpus = d.path().join("корпус").display().to_string();
        std::fs::create_dir(&corpus).unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let two = s(&[&corpus, "алиса"]);
        assert_eq!(split(&two), (None, two.as_slice()), "two arguments are two coders");
        let three = s(&[&corpus, "алиса", "боб"]);
        assert_eq!(split(&three).0, Some(PathBuf::from(&corpus)));
        let names = s(&["алиса", "боб", "кэрол"]);
        assert_eq!(split(&names).0, None);
    }
}
