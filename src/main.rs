//! The `newsnote` binary: parse arguments, then run the terminal UI or a subcommand.

use anyhow::Context;
use clap::Parser;
use newsnote::app::App;
use newsnote::app::keymap::Keymap;
use newsnote::cli::{Cli, Problems, run, scan_corpus, warn};
use newsnote::model::annotation::default_author;
use std::process::ExitCode;

fn tui(cli: Cli) -> anyhow::Result<u8> {
    // Titles and counts are read for the list rows shown, so a big corpus opens at once.
    let corpus = scan_corpus(cli.path.as_deref(), &cli.common)?;
    let keymap = Keymap::load(cli.keymap.as_deref()).context("fix the keymap file or remove it to use the defaults")?;
    let author = default_author(cli.common.annotator.as_deref());
    let codebook = newsnote::cli::codebook_for(&corpus, &cli.common)
        .context("fix the codebook or pass another with --codebook")?;
    let registry = newsnote::cli::registry_for(&corpus, &cli.common, &codebook)
        .context("fix the entity registry or pass another with --entities")?;
    let mut app = App::with_codebook(corpus, author, keymap, codebook, ratatui::layout::Rect::new(0, 0, 80, 24))
        .with_registry(registry)
        .with_coder(cli.common.coder.clone());
    // Back where the person left this corpus (an article given by path opens as given).
    let root = app.corpus.root.clone();
    let single_file = cli.path.as_deref().is_some_and(std::path::Path::is_file);
    if !single_file && let Some(place) = newsnote::app::session::load(&root) {
        app.restore(&place);
    }
    newsnote::tui::run(&mut app)?;
    if let Some(place) = app.place() {
        newsnote::app::session::store(&root, place);
    }
    Ok(app.exit_code)
}

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    // `--coder` (or NEWSNOTE_CODER) checked once, and made the author, for every command.
    let result = cli.common.settle().map(|()| 0);
    let result = result.and_then(|_| match cli.command {
        Some(newsnote::cli::Command::Adjudicate(args)) => {
            newsnote::cli::adjudicate::run(args, &cli.common, cli.keymap.as_deref())
        }
        Some(command) => run(command, &cli.common).map(|()| 0),
        None => tui(cli),
    });
    let broken_pipe = |e: &anyhow::Error| {
        e.chain()
            .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
    };
    match result {
        // 3: the person chose to quit with changes that could not be saved.
        Ok(code) => ExitCode::from(code),
        // `newsnote show x | head`: the reader left; that is not an error.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        // Problems found: the command worked and says what is wrong. Messages quote file
        // names, ids and quotes: `warn` sanitises them for a terminal.
        Err(e) if e.is::<Problems>() => {
            warn(format_args!("newsnote: {e:#}"));
            ExitCode::from(1)
        }
        Err(e) => {
            warn(format_args!("newsnote: error: {e:#}"));
            ExitCode::from(2)
        }
    }
}
