//! The `newsnote` binary: parse arguments, open the corpus, run the terminal UI.

use anyhow::Context;
use clap::Parser;
use newsnote::app::App;
use newsnote::app::keymap::Keymap;
use newsnote::model::annotation::default_author;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use std::path::{Path, PathBuf};

/// Read news articles and mark their sources, claims and boilerplate.
///
/// Every change is saved at once as a RON file: next to each article (PATH/x/foo.txt →
/// PATH/x/foo.ron), or in a mirrored tree under --annotations DIR.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Examples:\n  newsnote                      the bundled sample articles\n  newsnote ~/corpus             a folder of .txt/.md articles, recursively\n  newsnote story.txt            one article\n  newsnote ~/corpus --annotations ~/coding/alice   keep annotations elsewhere\n\nPress ? in the program for every key."
)]
struct Cli {
    /// A folder of .txt/.md articles (read recursively) or a single article. Default: the
    /// bundled samples in assets/articles, with annotations in annotations/.
    path: Option<PathBuf>,
    /// Keep annotation files in a mirrored tree under DIR instead of next to the articles.
    #[arg(long, value_name = "DIR")]
    annotations: Option<PathBuf>,
    /// Name recorded as the author of new annotations (default: $USER).
    #[arg(long, value_name = "NAME")]
    annotator: Option<String>,
    /// A keymap file laid over the default (default: $XDG_CONFIG_HOME/newsnote/keymap.ron).
    #[arg(long, value_name = "FILE")]
    keymap: Option<PathBuf>,
}

/// The project folder holding assets/ and annotations/: the working directory when run
/// from a checkout (cargo run), else where the crate was built.
fn project_dir() -> PathBuf {
    if Path::new("assets/articles").is_dir() { PathBuf::from(".") } else { PathBuf::from(env!("CARGO_MANIFEST_DIR")) }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (path, root) = match cli.path {
        Some(p) => {
            let root = cli.annotations.map_or(AnnotationRoot::NextToArticles, AnnotationRoot::Mirrored);
            (p, root)
        }
        None => {
            let dir = project_dir();
            let ann = cli.annotations.unwrap_or_else(|| dir.join("annotations"));
            (dir.join("assets/articles"), AnnotationRoot::Mirrored(ann))
        }
    };
    let corpus = Corpus::open(&path, root).with_context(|| "give a folder of .txt/.md articles or one article file")?;
    let keymap = Keymap::load(cli.keymap.as_deref()).context("fix the keymap file or remove it to use the defaults")?;
    let author = default_author(cli.annotator.as_deref());
    let size = ratatui::layout::Rect::new(0, 0, 80, 24);
    let mut app = App::new(corpus, author, keymap, size);
    newsnote::tui::run(&mut app)
}
