//! `review`: where the editor's review of each article stands, for scripts.
//!
//! The figures are the ones the TUI's status line and the HTML page show
//! (`model::review::Tally`), read from each article's annotation file, plus the Reviewed mark
//! of the folder's progress file (who marked it, when). Nothing is written.

use super::{Common, Problems, for_terminal, json_for_terminal, open_corpus, warn};
use crate::model::progress::{Progress, Stage};
use crate::model::review::Tally;
use crate::model::store::AnnotationFile;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;

pub const HELP: &str = "Examples:\n  newsnote review ~/corpus\n  newsnote review ~/corpus --annotations ~/coding/alice --json | jq '.[] | select(.disputed > 0)'\n\nPer article: its annotations, how many are approved, disputed, commented on and not yet\nreviewed (a comment alone is no verdict), whether it is marked reviewed in the folder's\nprogress.ron, by whom and when, and who gave verdicts. Review an article with R in the\nreader. Exit 1 when an annotation file cannot be read.";

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    pub path: Option<PathBuf>,
    /// Print a JSON array, one object per article.
    #[arg(long)]
    pub json: bool,
}

/// One article's review state.
#[derive(Debug, Serialize)]
struct Row {
    article: String,
    #[serde(flatten)]
    tally: Tally,
    /// Marked Reviewed in the progress file.
    reviewed: bool,
    /// Who marked it reviewed, and when.
    marked_by: Option<String>,
    marked_at: Option<String>,
    /// Everyone who gave a verdict or a comment, by name.
    reviewers: Vec<String>,
}

pub fn run(args: ReviewArgs, common: &Common) -> anyhow::Result<()> {
    let corpus = open_corpus(args.path.as_deref(), common)?;
    let progress = Progress::open(&Progress::locate(&corpus.root, &corpus.annotations))?;
    let mut rows = Vec::new();
    let mut bad = 0;
    for e in &corpus.entries {
        let anns = match AnnotationFile::load(&e.ron_path, &e.id) {
            Ok(file) => file.map(|f| f.annotations).unwrap_or_default(),
            Err(why) => {
                warn(format_args!("{why}"));
                bad += 1;
                continue;
            }
        };
        let mut reviewers: Vec<String> = anns.iter().flat_map(|a| a.reviews.iter().map(|r| r.by.clone())).collect();
        reviewers.sort();
        reviewers.dedup();
        let mark = progress.get(&e.id, Stage::Reviewed);
        rows.push(Row {
            article: e.id.clone(),
            tally: Tally::of(&anns),
            reviewed: mark.is_some(),
            marked_by: mark.map(|m| m.by.clone()),
            marked_at: mark.map(|m| m.at.clone()),
            reviewers,
        });
    }
    let tty = std::io::stdout().is_terminal();
    if args.json {
        println!("{}", json_for_terminal(tty, &serde_json::to_string_pretty(&rows)?));
    } else {
        println!("approved\tdisputed\tcommented\tunreviewed\tannotations\treviewed\tarticle");
        for r in &rows {
            let t = &r.tally;
            let mark = match (&r.marked_by, r.reviewed) {
                (Some(by), true) => format!("yes ({by})"),
                _ => "no".into(),
            };
            let line = format!(
                "{}\t{}\t{}\t{}\t{}\t{mark}\t{}",
                t.approved, t.disputed, t.commented, t.unreviewed, t.annotations, r.article
            );
            println!("{}", for_terminal(tty, &line));
        }
        let marked = rows.iter().filter(|r| r.reviewed).count();
        eprintln!("{} article(s), {marked} marked reviewed", rows.len());
    }
    if bad > 0 {
        return Err(Problems(format!("{bad} annotation file(s) could not be read")).into());
    }
    Ok(())
}
