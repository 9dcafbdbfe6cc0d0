//! `check`: validate every annotation file of a corpus, and its entity registry.
//!
//! Problems quote file names, ids and quotes: on a terminal they are sanitised (JSON through
//! `\u` escapes, so the data is unchanged), in a pipe they keep their exact bytes.

use super::{Common, Problems, for_terminal, json_for_terminal, open_corpus, progress, warn};
use crate::model::check::{Severity, check_entities, check_entry, fix_entry};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    pub path: Option<PathBuf>,
    /// Print the problems as a JSON array (file, line, column, severity, code, message).
    #[arg(long)]
    pub json: bool,
    /// Apply the confident re-anchors of changed articles (moved annotations, and changed ones
    /// at or above --min-confidence); the others stay flagged for a person.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: the confidence (percent) a changed annotation needs to be applied.
    #[arg(long, default_value_t = 80, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_confidence: u8,
}

pub fn run(args: CheckArgs, common: &Common) -> anyhow::Result<()> {
    let corpus = open_corpus(args.path.as_deref(), common)?;
    let cb = super::codebook_for(&corpus, common)?;
    let mut tick = progress();
    let n = corpus.entries.len();
    let mut problems = Vec::new();
    for (i, e) in corpus.entries.iter().enumerate() {
        tick(i, n);
        if args.fix {
            match fix_entry(e, args.min_confidence) {
                Ok(0) => {}
                Ok(k) => warn(format_args!("{}: applied {k} confident re-anchor(s)", e.ron_path.display())),
                Err(why) => warn(format_args!("{}: not fixed: {why}", e.ron_path.display())),
            }
        }
        problems.extend(check_entry(e, &cb));
    }
    tick(n, n);
    // The registry and the mentions that name its entities (nothing of it is fixed: --fix
    // never invents an entity, a person says who a mention is).
    if let Some(path) = crate::model::entities::Registry::locate(common.entities.as_deref(), &corpus, &cb) {
        problems.extend(check_entities(&path, &corpus, &cb));
    }
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let tty = std::io::stdout().is_terminal();
    if args.json {
        println!("{}", json_for_terminal(tty, &serde_json::to_string_pretty(&problems)?));
    } else {
        for p in &problems {
            println!("{}", for_terminal(tty, &p.to_string()));
        }
        let files = corpus.entries.iter().filter(|e| e.ron_path.exists()).count();
        eprintln!(
            "checked {files} annotation file(s) for {n} article(s): {errors} error(s), {} warning(s)",
            problems.len() - errors
        );
    }
    if errors > 0 {
        return Err(Problems(format!("{errors} error(s) found")).into());
    }
    Ok(())
}
