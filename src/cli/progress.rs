//! `newsnote progress`: how far each coder of a team has got, for whoever runs the project.
//!
//! The list in the TUI shows the same marks per article; this is the whole corpus at once,
//! for a script or a weekly look: per coder, articles done of all and their last mark, then
//! how many articles are reviewed and adjudicated, and with `--json` every article's stages.
//! Everything comes from the progress files (`model::progress`), one per folder: no
//! annotation file is read.

use super::{Common, Problems, board_for, for_terminal, json_for_terminal, open_corpus};
use crate::model::progress::Stage;
use crate::model::team::Board;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub const HELP: &str = "Examples:
  newsnote progress ~/corpus
  newsnote progress --json | jq -r '.articles[] | select(.done_by | length < 2) | .id'

The coders are corpus.ron's team (coders: [...]), then every folder in coders/ (or the
team's folder), then the --coder or folder being coded in. An article is done for a coder
when they pressed D on it (or `newsnote progress` was told so by a script writing
progress.ron); reviewed and adjudicated come from the review pass and the gold folder.
--json: total, coders (name, folder, done, last_mark), reviewed, adjudicated, and
articles (id, done_by, reviewed, adjudicated). Exit 1 when a progress file is unreadable.";

#[derive(Debug, clap::Args)]
pub struct ProgressArgs {
    pub path: Option<PathBuf>,
    /// One JSON document: per coder, and per article which coders are done.
    #[arg(long)]
    pub json: bool,
}

pub const MARK_HELP: &str = "Examples:
  newsnote mark --coder zoë 002_915808095f53d4db
  newsnote mark --coder zoë --not 002_915808095f53d4db     (not done any more)
  newsnote mark --in ~/corpus --coder zoë a.txt b.txt

Marks each ARTICLE (a file, or an id or file stem in the corpus) done for the coder, as D
does in the TUI: in the coder's folder's progress.ron, by the --coder (else the author),
through the same save path. Prints one line per article.";

#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// Articles: files, or ids or file stems in the corpus (--in, else the current folder).
    #[arg(required = true)]
    pub articles: Vec<String>,
    /// The corpus to look the articles up in.
    #[arg(long = "in", value_name = "PATH")]
    pub corpus: Option<PathBuf>,
    /// Take the done mark away instead.
    #[arg(long)]
    pub not: bool,
}

/// `newsnote mark`: the CLI's `D`.
pub fn mark(args: MarkArgs, common: &Common) -> anyhow::Result<()> {
    let by =
        common.coder.clone().unwrap_or_else(|| crate::model::annotation::default_author(common.annotator.as_deref()));
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    for article in &args.articles {
        let (corpus, i) = super::inspect::resolve(article, args.corpus.as_deref(), common)?;
        let id = &corpus.entries[i].id;
        let mut progress = crate::model::progress::Progress::open(&crate::model::progress::Progress::locate(
            &corpus.root,
            &corpus.annotations,
        ))?;
        let changed = match args.not {
            true => progress.clear(id, Stage::Done).is_some(),
            false => progress.set(id, Stage::Done, &by, &crate::model::annotation::now_rfc3339()),
        };
        if changed {
            progress.save()?;
        }
        let what = match (args.not, changed) {
            (false, true) => "done",
            (false, false) => "already done",
            (true, true) => "not done any more",
            (true, false) => "was not done",
        };
        writeln!(out, "{}", for_terminal(tty, &format!("{id}: {what} ({by}, {})", progress.path.display())))?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct CoderRow<'a> {
    name: &'a str,
    folder: String,
    done: usize,
    /// The newest mark's time (RFC 3339), `null` before the first.
    last_mark: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct ArticleRow<'a> {
    id: &'a str,
    done_by: Vec<&'a str>,
    reviewed: bool,
    adjudicated: bool,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    total: usize,
    coders: Vec<CoderRow<'a>>,
    reviewed: usize,
    adjudicated: usize,
    articles: Vec<ArticleRow<'a>>,
}

pub fn run(args: ProgressArgs, common: &Common) -> anyhow::Result<()> {
    let corpus = open_corpus(args.path.as_deref(), common)?;
    let board = board_for(&corpus, common)?;
    let ids: Vec<&str> = corpus.entries.iter().map(|e| e.id.as_str()).collect();
    let report = report(&board, &ids);
    let tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = serde_json::to_string_pretty(&report)?;
        writeln!(out, "{}", json_for_terminal(tty, &text))?;
    } else {
        let width = report.coders.iter().map(|c| crate::model::display::width(c.name)).max().unwrap_or(5).max(5);
        for c in &report.coders {
            let pad = " ".repeat(width - crate::model::display::width(c.name));
            let last = c.last_mark.map_or_else(|| "no mark yet".to_string(), |t| format!("last mark {t}"));
            let line =
                format!("{}{pad}  {:>w$}/{} done  {last}", c.name, c.done, report.total, w = digits(report.total));
            writeln!(out, "{}", for_terminal(tty, &line))?;
        }
        if report.coders.is_empty() {
            writeln!(out, "no coders yet (newsnote --coder NAME codes as NAME; D marks an article done)")?;
        }
        writeln!(
            out,
            "reviewed {}/{} · adjudicated {}/{}",
            report.reviewed, report.total, report.adjudicated, report.total
        )?;
    }
    if !board.problems.is_empty() {
        return Err(Problems(format!("{} progress file(s) could not be read", board.problems.len())).into());
    }
    Ok(())
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// The figures of `board` over the articles `ids`: marks of articles not in the corpus
/// (renamed, or outside a subfolder given as PATH) are not counted.
fn report<'a>(board: &'a Board, ids: &[&'a str]) -> Report<'a> {
    let coders = board
        .shown_columns()
        .map(|c| CoderRow {
            name: &c.name,
            folder: c.progress.path.parent().map_or_else(String::new, |p| p.display().to_string()),
            done: c.progress.count(ids.iter().copied(), Stage::Done),
            last_mark: Board::last_mark(c).map(|m| m.at.as_str()),
        })
        .collect();
    let articles: Vec<ArticleRow> = ids
        .iter()
        .map(|id| ArticleRow {
            id,
            done_by: board.done_by(id),
            reviewed: board.any(id, Stage::Reviewed),
            adjudicated: board.any(id, Stage::Adjudicated),
        })
        .collect();
    Report {
        total: ids.len(),
        coders,
        reviewed: articles.iter().filter(|a| a.reviewed).count(),
        adjudicated: articles.iter().filter(|a| a.adjudicated).count(),
        articles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::corpus::AnnotationRoot;
    use crate::model::progress::Progress;
    use crate::model::team::Team;

    #[test]
    fn the_report_counts_each_coders_done_articles_of_the_corpus_only() {
        let d = tempfile::tempdir().unwrap();
        let team = Team { coders: vec!["Zoë".into(), "Борис".into()], ..Team::default() };
        let mark = |coder: &str, article: &str, stage: Stage, at: &str| {
            let mut p = Progress::open(&team.coder_dir(d.path(), coder).unwrap().join("progress.ron")).unwrap();
            p.set(article, stage, coder, at);
            p.save().unwrap();
        };
        mark("Zoë", "статья.txt", Stage::Done, "2026-12-01T10:00:00Z");
        mark("Zoë", "ушла.txt", Stage::Done, "2026-12-01T12:00:00Z");
        mark("Борис", "статья.txt", Stage::Reviewed, "2026-12-01T11:00:00Z");
        let mine = AnnotationRoot::Mirrored(team.coder_dir(d.path(), "Zoë").unwrap());
        let board = Board::open(d.path(), &team, &mine, "Zoë", true);
        let r = report(&board, &["статья.txt", "другая.txt"]);
        let done: Vec<(&str, usize)> = r.coders.iter().map(|c| (c.name, c.done)).collect();
        assert_eq!(done, [("Zoë", 1), ("Борис", 0)], "the mark of an article not in the corpus is not counted");
        assert_eq!(r.coders[0].last_mark, Some("2026-12-01T12:00:00Z"));
        assert_eq!(r.articles[0].done_by, ["Zoë"]);
        assert!(r.articles[0].reviewed && !r.articles[1].reviewed);
        assert_eq!((r.reviewed, r.adjudicated, r.total), (1, 0, 2));
    }
}
