//! `search`: a literal across the whole corpus, listed by article and line, like grep.
//! The search itself is `crate::search`, shared with the TUI's corpus filter.

use super::{Common, Problems, scan_corpus, warn};
use crate::search::{matcher, search};
use std::io::Write;
use std::path::PathBuf;

pub const SEARCH_HELP: &str = "Examples:
  newsnote search Peskov ~/corpus
  newsnote search 'talks resume' | head

One line per matching line: ARTICLE_ID:LINE:COLUMN: TEXT, with LINE and COLUMN counted from 1
and COLUMN in characters (code points), in the corpus's order. The pattern is a literal, not
a regular expression. Exit 1 when nothing matches, like grep.";

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The text to find: a literal, case-insensitive unless it contains a capital letter.
    pub pattern: String,
    /// A folder of articles or one article (default: the current folder).
    pub path: Option<PathBuf>,
}

pub fn run(args: SearchArgs, common: &Common) -> anyhow::Result<()> {
    let corpus = scan_corpus(args.path.as_deref(), common)?;
    // What the scan skipped (unreadable folders, loops) is never silent, as in every command.
    for w in &corpus.warnings {
        warn(format_args!("newsnote: {w}"));
    }
    let re = matcher(&args.pattern).map_err(|e| anyhow::anyhow!(e))?;
    let (found, errors) = search(&corpus, &re);
    let found: Vec<(String, usize)> = found.into_iter().map(|(_, text, n)| (text, n)).collect();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut lines = 0;
    for (text, n) in &found {
        out.write_all(text.as_bytes())?;
        lines += n;
    }
    out.flush()?;
    for e in &errors {
        warn(format_args!("newsnote: {e}"));
    }
    if lines == 0 {
        return Err(Problems(format!("no match for {:?} in {} article(s)", args.pattern, corpus.entries.len())).into());
    }
    Ok(())
}
