//! `newsnote codebook`: the scheme in effect, for people (a readable listing) and scripts
//! (`--json`, the codebook's own fields plus its hash and where it came from).

use super::{Common, Problems, for_terminal, json_for_terminal};
use std::io::IsTerminal;
use std::path::PathBuf;

pub const HELP: &str = "Examples:
  newsnote codebook                       the codebook of the corpus in this folder
  newsnote codebook ~/corpus --json | jq '.labels[].id'
  newsnote codebook --codebook examples/codebooks/sourcing.ron
  newsnote codebook --default > codebook.ron   start a codebook of your own

The codebook is --codebook FILE, else codebook.ron at the corpus root (or in --annotations
DIR), else the built-in one. Exit 1 when the codebook file is invalid (file:line says where).";

#[derive(Debug, clap::Args)]
pub struct CodebookArgs {
    /// The corpus whose codebook to print (default: the current folder).
    pub path: Option<PathBuf>,
    /// Print it as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the built-in codebook's RON file, to copy and change.
    #[arg(long, conflicts_with = "json")]
    pub default: bool,
}

pub fn run(args: CodebookArgs, common: &Common) -> anyhow::Result<()> {
    if args.default {
        print!("{}", crate::model::codebook::DEFAULT_RON);
        return Ok(());
    }
    let corpus = super::scan_corpus(args.path.as_deref(), common)?;
    let book = super::codebook_for(&corpus, common).map_err(|e| Problems(e.to_string()))?;
    let tty = std::io::stdout().is_terminal();
    if args.json {
        let mut v = serde_json::to_value(&book).expect("a codebook serialises");
        v["hash"] = book.reference().hash.into();
        let text = serde_json::to_string_pretty(&v).expect("JSON values serialise");
        println!("{}", json_for_terminal(tty, &text));
    } else {
        print!("{}", for_terminal(tty, &book.listing()));
    }
    Ok(())
}
