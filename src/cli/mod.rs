//! The command line: the TUI by default, and subcommands for scripts over the same core.
//!
//! Exit codes are part of the interface: 0 all well, 1 problems found (bad files, a quote that
//! is not there, documents that could not be imported), 2 a usage error (clap's own code) or
//! a path that cannot be opened. Every subcommand that takes a PATH defaults, like the TUI,
//! to the current folder; only `cargo run` in the checkout newsnote was built from opens the
//! bundled samples there (see [`default_corpus`]), and `newsnote demo DIR` copies them out.

pub mod adjudicate;
mod agree;
mod check;
mod codebook;
mod demo;
mod entities;
mod inspect;
mod progress;
mod review;
pub mod search;
mod suggest;
mod tag;
mod transfer;

use crate::model::corpus::{AnnotationRoot, Corpus, CorpusError};
use crate::model::display::{is_unsafe_char, sanitize_lines};
use clap::{Parser, Subcommand};
use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "Examples:
  newsnote                                   read and annotate the articles in this folder
  newsnote demo ~/newsnote-demo              write the two sample articles to try it on
  newsnote ~/corpus                          a folder of articles (.txt, .md, saved .html pages), recursively
  newsnote ~/corpus --annotations ~/coding/alice
  newsnote list ~/corpus
  newsnote show story.txt
  newsnote tag story.txt --label source --quote \"Dmitry Peskov\"
  newsnote export --format html -o review.html
  newsnote export ~/corpus --format csv --label claim > claims.csv
  newsnote import --format brat brat-folder/ --into ~/corpus
  newsnote check ~/corpus
  newsnote suggest ~/corpus                  propose boilerplate, quotes and sources to review
  newsnote search Peskov ~/corpus
  newsnote stats
  newsnote entities show Peskov

Press ? in the program for every key.";

/// Read news articles and mark their sources, claims and boilerplate.
///
/// Every change is saved at once as a RON file next to each article (PATH/x/foo.txt →
/// PATH/x/foo.ron), or in a mirrored tree under --annotations DIR.
#[derive(Debug, Parser)]
#[command(version, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A folder of articles (.txt, .md, saved web pages .html/.htm/.html.gz; read recursively)
    /// or one article. Default: the current
    /// folder (`newsnote demo DIR` writes sample articles to try).
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// A keymap file laid over the default (default: $XDG_CONFIG_HOME/newsnote/keymap.ron).
    #[arg(long, value_name = "FILE")]
    pub keymap: Option<PathBuf>,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Keep annotation files in a mirrored tree under DIR instead of next to the articles.
    #[arg(long, value_name = "DIR", global = true)]
    pub annotations: Option<PathBuf>,
    /// Name recorded as the author of new annotations (default: the --coder, else $USER,
    /// else the account name).
    #[arg(long, value_name = "NAME", global = true)]
    pub annotator: Option<String>,
    /// Code as NAME, one of a team: annotations in NAME's own folder (coders/NAME under the
    /// corpus root, or corpus.ron's team `folder`; with --annotations DIR, DIR is NAME's
    /// folder), NAME the author of new annotations and the one who marks articles done
    /// (default: $NEWSNOTE_CODER).
    #[arg(long, value_name = "NAME", global = true)]
    pub coder: Option<String>,
    /// The codebook (labels, attributes, relations) to code with (default: codebook.ron at
    /// the corpus root or in --annotations DIR, else the built-in one).
    #[arg(long, value_name = "FILE", global = true)]
    pub codebook: Option<PathBuf>,
    /// The entity registry (who the sources are) to use (default: the codebook's file,
    /// sources.ron, at the corpus root, or in --annotations DIR when the root has none).
    #[arg(long, value_name = "FILE", global = true)]
    pub entities: Option<PathBuf>,
    /// In JSON, JSON Lines and CSV corpora, the field (column) that holds an article's text
    /// (default: corpus.ron's `fields`, else the first of maintext, text, body, content, …).
    #[arg(long, value_name = "NAME", global = true)]
    pub text_field: Option<String>,
    /// In JSON, JSON Lines and CSV corpora, the field that holds an article's title.
    #[arg(long, value_name = "NAME", global = true)]
    pub title_field: Option<String>,
    /// In JSON, JSON Lines and CSV corpora, the field whose value identifies a record, so its
    /// annotations stay with it when records are added or reordered (default: id, else url).
    #[arg(long, value_name = "NAME", global = true)]
    pub id_field: Option<String>,
}

impl Common {
    /// What the environment adds to the command line: `NEWSNOTE_CODER` when `--coder` is not
    /// given, and the coder as the author of new annotations unless `--annotator` says who.
    /// A coder's name that cannot be a folder is an error (exit 2) before anything is read.
    pub fn settle(&mut self) -> anyhow::Result<()> {
        if self.coder.is_none() {
            self.coder = std::env::var("NEWSNOTE_CODER").ok().filter(|c| !c.is_empty());
        }
        if let Some(name) = &self.coder {
            crate::model::team::check_name(name).map_err(|e| anyhow::anyhow!("--coder: {e}"))?;
            if self.annotator.is_none() {
                self.annotator = Some(name.clone());
            }
        }
        Ok(())
    }

    /// The field names given on the command line, over `corpus.ron`'s.
    pub fn fields(&self) -> crate::model::container::fields::Fields {
        crate::model::container::fields::Fields {
            text: self.text_field.clone(),
            title: self.title_field.clone(),
            id: self.id_field.clone(),
            ..Default::default()
        }
    }
}

/// The codebook in effect for a corpus (see [`Common::codebook`]).
pub fn codebook_for(corpus: &Corpus, common: &Common) -> anyhow::Result<crate::model::codebook::Codebook> {
    let annotations = match &corpus.annotations {
        AnnotationRoot::Mirrored(dir) => Some(dir.as_path()),
        AnnotationRoot::NextToArticles => None,
    };
    Ok(crate::model::codebook::find_for(common.codebook.as_deref(), &corpus.root, annotations)?)
}

/// The corpus's entity registry (see [`Common::entities`]); `None` when the codebook has no
/// entities. A registry that cannot be read exactly is an error (file:line:column).
pub fn registry_for(
    corpus: &Corpus,
    common: &Common,
    codebook: &crate::model::codebook::Codebook,
) -> anyhow::Result<Option<crate::model::entities::Registry>> {
    let located = match (&common.entities, &common.coder, &codebook.entities) {
        // A team shares one registry at the corpus root, so every coder's sources name the
        // same entities (agreement on attribution compares them).
        (None, Some(_), Some(e)) => Some(corpus.root.join(&e.file)),
        _ => crate::model::entities::Registry::locate(common.entities.as_deref(), corpus, codebook),
    };
    let Some(path) = located else {
        return Ok(None);
    };
    Ok(Some(crate::model::entities::Registry::open(&path)?))
}

/// Every coder's progress on the corpus (`model::team::Board`): their folders' and the gold
/// folder's `progress.ron`, and the folder being coded in, named by `--coder` (else the
/// author). A progress file that cannot be read is named on stderr and left out.
pub fn board_for(corpus: &Corpus, common: &Common) -> anyhow::Result<crate::model::team::Board> {
    let team = crate::model::container::fields::CorpusConfig::load(&corpus.root)?.team;
    let name =
        common.coder.clone().unwrap_or_else(|| crate::model::annotation::default_author(common.annotator.as_deref()));
    let board =
        crate::model::team::Board::open(&corpus.root, &team, &corpus.annotations, &name, common.coder.is_some());
    for p in &board.problems {
        warn(format_args!("newsnote: {p}"));
    }
    Ok(board)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per article: id, counts per label, whether its annotation file is valid.
    #[command(
        after_help = "Examples:\n  newsnote list ~/corpus\n  newsnote list --json ~/corpus | jq -r 'select(.counts.Source > 0) | .id'\n\nColumns: id, sources, claims, boilerplate, file state, title.\n--json: one object per line: id, title, outlet, authors, published, url, language,\nformat, counts (by label id), annotations (none, valid or invalid), problem, done_by\n(the coders who marked it done), reviewed and adjudicated.\nWith web pages (any article with a date or outlet): day and outlet before the title.\nIn a team's corpus (corpus.ron's team, coders' folders, or marks): after the counts,\nN/M done (coders done of all), then reviewed and adjudicated when they are.\n--outlet, --from, --to and --sort keep and order the articles as outlet:, from:, to: and o\ndo in the TUI's list:\n  newsnote list ~/corpus --outlet reuters --from 2026-11-01 --to 2026-11-30 --sort date\nExit 1 when an annotation file is invalid."
    )]
    List(inspect::ListArgs),
    /// An article's text with its annotations inline, then the list of annotations.
    #[command(
        after_help = "Examples:\n  newsnote show assets/articles/002_915808095f53d4db.txt\n  newsnote show 002_915808095f53d4db          (an id or file stem in the default corpus)\n\nColour when stdout is a terminal; plain [Label: text] markers otherwise."
    )]
    Show(inspect::ShowArgs),
    /// Add an annotation from a script, found by its quote.
    #[command(
        after_help = "Examples:\n  newsnote tag story.txt --label source --quote \"Dmitry Peskov\"\n  newsnote tag story.txt --label claim --quote \"It will stop in a moment.\" --source 1a2b3c4d\n  newsnote tag story.txt --label boilerplate:DonationAppeal --quote \"Donate\" --occurrence 2\n\nPrints the new annotation's id. Exit 1 when the quote is absent or ambiguous."
    )]
    Tag(tag::TagArgs),
    /// Write the corpus in a format for reviewers or other tools.
    #[command(after_help = transfer::EXPORT_HELP)]
    Export(transfer::ExportArgs),
    /// Bring another tool's annotations in as RON files next to the articles.
    #[command(after_help = transfer::IMPORT_HELP)]
    Import(transfer::ImportArgs),
    /// Validate every annotation file; exit 1 when anything is wrong.
    #[command(
        after_help = "Examples:\n  newsnote check ~/corpus\n  newsnote check ~/corpus --fix\n  newsnote check --json | jq '.[] | select(.severity == \"error\")'\n\nReports parse errors (file:line:column), offsets out of range, quotes that do not match\nthe text, links to missing or non-source annotations, duplicate ids, and for articles that\nchanged since they were annotated: annotations moved, changed or orphaned. The entity\nregistry (sources.ron): parse errors, duplicate ids, merges in a circle; mentions naming an\nentity it lacks (entity-missing), entities no mention names (entity-unused, a warning).\n--fix applies the confident re-anchors and leaves the rest flagged for newsnote's ! list;\nit never invents an entity."
    )]
    Check(check::CheckArgs),
    /// Counts per label and attribute, sources and claims by entity (corpus, folder, article), unsourced claims, boilerplate share.
    #[command(
        after_help = "Examples:\n  newsnote stats ~/corpus\n  newsnote stats ~/corpus --by article\n  newsnote stats --json | jq '.corpus.entities[] | {name, claims}'\n\nSources are counted by the entity each mention names (resolved through merges), so\n\"Peskov\", \"Kremlin spokesman Dmitry Peskov\" and a \"he\" linked to him are one entry;\nmentions linked to no entity are counted as such. A folder is the first folder of an\narticle's id (an outlet)."
    )]
    Stats(inspect::StatsArgs),
    /// Propose boilerplate, quotes and sources for a coder to accept or reject.
    #[command(after_help = suggest::HELP)]
    Suggest(suggest::SuggestArgs),
    /// Find a literal in every article: one line per match, ARTICLE:LINE:COLUMN: TEXT.
    #[command(after_help = search::SEARCH_HELP)]
    Search(search::SearchArgs),
    /// Each coder's progress: articles done of all, last mark; reviewed and adjudicated.
    #[command(after_help = progress::HELP)]
    Progress(progress::ProgressArgs),
    /// Mark articles done for the coder (--not: not done), as D does in the TUI.
    #[command(after_help = progress::MARK_HELP)]
    Mark(progress::MarkArgs),
    /// Write the two bundled sample articles and their annotations into a folder.
    #[command(
        after_help = "Example:\n  newsnote demo ~/newsnote-demo\n  newsnote ~/newsnote-demo\n\nThe folder is created if needed; no existing file is ever replaced (exit 1 if one is there)."
    )]
    Demo(demo::DemoArgs),
    /// The corpus's entities (who is quoted): list, show, add, rename, alias, set, merge, unmerge, split.
    #[command(after_help = entities::HELP)]
    Entities(entities::EntitiesArgs),
    /// Print the codebook in effect: labels, attributes, relations, keys and definitions.
    #[command(after_help = codebook::HELP)]
    Codebook(codebook::CodebookArgs),
    /// Where the editor's review of each article stands: approved, disputed, commented, unreviewed, marked reviewed.
    #[command(after_help = review::HELP)]
    Review(review::ReviewArgs),
    /// Intercoder agreement of coders' folders: spans, characters (κ, α), unitizing α, attributes, attribution.
    #[command(after_help = agree::HELP)]
    Agree(agree::AgreeArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  newsnote completions bash > ~/.local/share/bash-completion/completions/newsnote"
    )]
    Completions { shell: clap_complete::Shell },
    /// Settle coders' disagreements into a gold folder: the TUI with every coder's annotations.
    #[command(after_help = adjudicate::AFTER_HELP)]
    Adjudicate(adjudicate::AdjudicateArgs),
}

/// Problems found: the command ran, but something is wrong (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Problems(pub String);

/// The checkout this binary was built from, when `cargo run` (or `cargo test`) runs it there:
/// cargo puts `CARGO_MANIFEST_DIR` in the environment of what it runs, so a run variable equal
/// to the compile-time one means the person is working in this source tree. An installed
/// binary (`cargo install` builds in a registry copy or a temp folder) is never run so, and
/// never reads or writes its build tree.
fn cargo_run_checkout() -> Option<PathBuf> {
    let built = Path::new(env!("CARGO_MANIFEST_DIR"));
    let running = std::env::var_os("CARGO_MANIFEST_DIR")?;
    (Path::new(&running) == built && built.join("assets/articles").is_dir()).then(|| built.to_path_buf())
}

/// What to open when no PATH is given: under `cargo run` in the checkout, its bundled samples
/// with their annotations in annotations/ (the README's first command); anywhere else the
/// current folder, with annotations next to the articles.
fn default_corpus(common: &Common) -> anyhow::Result<(PathBuf, AnnotationRoot, bool)> {
    Ok(match cargo_run_checkout() {
        Some(dir) => {
            // A coder of the samples codes beside their annotations, not in the checkout's assets.
            let ann = match (&common.annotations, &common.coder) {
                (Some(a), _) => a.clone(),
                (None, Some(c)) => dir.join("annotations").join(crate::model::team::CODERS_DIR).join(c),
                (None, None) => dir.join("annotations"),
            };
            (dir.join("assets/articles"), AnnotationRoot::Mirrored(ann), true)
        }
        None => (PathBuf::from("."), annotation_root(Path::new("."), common)?, false),
    })
}

/// Where the annotations of the corpus at `path` (a folder or one article) are: `--annotations
/// DIR`, else the `--coder`'s folder (`Team::coder_dir` from the corpus root's `corpus.ron`,
/// made on first use), else next to the articles.
fn annotation_root(path: &Path, common: &Common) -> anyhow::Result<AnnotationRoot> {
    if let Some(dir) = &common.annotations {
        return Ok(AnnotationRoot::Mirrored(dir.clone()));
    }
    let Some(coder) = &common.coder else { return Ok(AnnotationRoot::NextToArticles) };
    let root = if path.is_dir() {
        path
    } else {
        path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
    };
    let team = crate::model::container::fields::CorpusConfig::load(root)?.team;
    Ok(AnnotationRoot::Mirrored(team.coder_dir(root, coder).map_err(|e| anyhow::anyhow!("--coder: {e}"))?))
}

/// Opens PATH as the TUI does, every entry's title and counts read: by default the current
/// folder ([`default_corpus`]).
pub fn open_corpus(path: Option<&Path>, common: &Common) -> anyhow::Result<Corpus> {
    let mut corpus = scan_corpus(path, common)?;
    corpus.complete();
    // What the scan skipped (binary files, unreadable folders, loops) is never silent.
    for w in &corpus.warnings {
        warn(format_args!("newsnote: {w}"));
    }
    Ok(corpus)
}

/// `s` as it may be written to a stream: sanitised when the stream is a terminal (`tty`),
/// with its line breaks kept (they are the message's or the document's own), and the exact
/// bytes otherwise, so scripts and files get the data.
pub fn for_terminal(tty: bool, s: &str) -> Cow<'_, str> {
    if tty { sanitize_lines(s) } else { Cow::Borrowed(s) }
}

/// Prints a message on stderr. Messages quote file names, ids and document names, which can
/// hold anything: on a terminal they go through the sanitiser ([`for_terminal`]).
pub fn warn(msg: impl std::fmt::Display) {
    let msg = msg.to_string();
    eprintln!("{}", for_terminal(std::io::stderr().is_terminal(), &msg));
}

/// A JSON document made safe for a terminal without changing its data: every character the
/// sanitiser would replace is written as a `\u` escape, which every JSON reader decodes to
/// the same string. serde_json escapes C0 controls but leaves DEL, C1, bidi controls,
/// U+2028/U+2029 and zero-width characters raw; outside its strings a JSON document holds
/// only ASCII and `\n`, so only strings change.
pub fn json_for_terminal(tty: bool, s: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| c != '\n' && is_unsafe_char(c);
    if !tty || !s.chars().any(unsafe_here) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 64);
    for c in s.chars() {
        if unsafe_here(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`open_corpus`], but only lists the articles (`Corpus::scan`): for the TUI, which reads
/// the titles and counts of the rows it shows, and for work that needs no summary (search).
pub fn scan_corpus(path: Option<&Path>, common: &Common) -> anyhow::Result<Corpus> {
    let (path, root, samples) = match path {
        Some(p) => (p.to_path_buf(), annotation_root(p, common)?, false),
        None => default_corpus(common)?,
    };
    let corpus = Corpus::scan_with(&path, root, &common.fields()).map_err(|e| match e {
        CorpusError::Config(_) => anyhow::anyhow!("{e}"),
        e => anyhow::anyhow!("{e}: give a folder of articles or one article file"),
    })?;
    // An empty list would leave a new user guessing: say what to give, and where the demo is.
    if corpus.entries.is_empty() && !samples && path == Path::new(".") {
        let here = std::env::current_dir().map_or_else(|_| ".".into(), |d| d.display().to_string());
        anyhow::bail!(
            "no articles ({}) in the current folder ({here}).\n\
             Give a folder of articles:   newsnote ~/corpus\n\
             or try the sample articles:  newsnote demo newsnote-demo && newsnote newsnote-demo",
            crate::model::load::extensions_for_people()
        );
    }
    Ok(corpus)
}

/// A progress line on stderr for work over many articles, only when stderr is a terminal.
pub fn progress() -> impl FnMut(usize, usize) {
    let tty = std::io::stderr().is_terminal();
    move |done, total| {
        if tty && total >= 20 {
            if done < total {
                eprint!("\r{done}/{total} articles…");
            } else {
                eprint!("\r{}\r", " ".repeat(24));
            }
        }
    }
}

/// Runs a subcommand. `Ok(())` is exit 0; an error that is [`Problems`] is exit 1.
pub fn run(command: Command, common: &Common) -> anyhow::Result<()> {
    match command {
        Command::List(args) => inspect::list_cmd(args, common),
        Command::Show(args) => inspect::show(args, common),
        Command::Tag(args) => tag::run(args, common),
        Command::Export(args) => transfer::export(args, common),
        Command::Import(args) => transfer::import(args, common),
        Command::Check(args) => check::run(args, common),
        Command::Stats(args) => inspect::stats(args, common),
        Command::Codebook(args) => codebook::run(args, common),
        Command::Entities(args) => entities::run(args, common),
        Command::Search(args) => search::run(args, common),
        Command::Suggest(args) => suggest::run(args, common),
        Command::Progress(args) => progress::run(args, common),
        Command::Mark(args) => progress::mark(args, common),
        Command::Demo(args) => demo::run(args),
        // The binary runs it with its --keymap and exit code (main.rs); this is the same TUI.
        Command::Adjudicate(args) => adjudicate::run(args, common, None).map(|_| ()),
        Command::Review(args) => review::run(args, common),
        Command::Agree(args) => agree::run(args, common),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "newsnote", &mut std::io::stdout());
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_a_terminal_escapes_every_unsafe_character_and_keeps_the_data() {
        let doc = serde_json::json!({
            "title": "Заголовок \u{1b}]8;;http://x\u{1b}\\ \u{9b}31m \u{202e}evil\u{2066} \u{2028}\u{2029}\u{7f}\u{200b} 👍",
            "quote": ["Песков", "e\u{301}"],
        });
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let shown = json_for_terminal(true, &text);
        assert!(!shown.chars().any(|c| c != '\n' && is_unsafe_char(c)), "{shown}");
        assert!(shown.contains(r"\u202e") && shown.contains(r"\u009b") && shown.contains("Песков"), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, doc, "a JSON reader gets the same data");
        assert!(matches!(json_for_terminal(false, &text), Cow::Borrowed(_)), "a pipe gets the exact bytes");
    }

    #[test]
    fn messages_for_a_terminal_keep_their_lines_and_lose_their_escapes() {
        let msg = "\"Песков\" occurs 2 times in \u{1b}[2Jx.txt; choose one:\n  --occurrence 1\n  --occurrence 2";
        assert_eq!(
            for_terminal(true, msg),
            "\"Песков\" occurs 2 times in ␛[2Jx.txt; choose one:\n  --occurrence 1\n  --occurrence 2"
        );
        assert_eq!(for_terminal(false, msg), msg);
    }
}
