//! Who codes a corpus, and where each one's annotations live.
//!
//! Content analysis is done by teams: each coder codes the same articles in a folder of
//! their own (a mirrored annotations tree), and agreement, adjudication and the list's
//! progress compare those folders. A coder is named once (`--coder NAME`, or the corpus's
//! `corpus.ron` `team: (coders: [...])`) and the name is the folder: `coders/NAME` under the
//! corpus root unless `corpus.ron` puts the coders' folders elsewhere. The settled version
//! of each article is a gold folder (`gold` by default), an annotations folder like any other.

use super::corpus::AnnotationRoot;
use super::progress::{Mark, PROGRESS_FILE, Progress, Stage};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where coders' folders are, under the corpus root, when `corpus.ron` does not say.
pub const CODERS_DIR: &str = "coders";

/// Where the adjudicated (gold) annotations are, under the corpus root, by default.
pub const GOLD_DIR: &str = "gold";

/// The `team` section of `corpus.ron`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Team {
    /// The coders, in the order the list shows their progress. Folders found under
    /// `folder` are coders too; this names them (and the ones with nothing coded yet).
    pub coders: Vec<String>,
    /// The folder that holds one folder per coder, relative to the corpus root (default
    /// `coders`).
    pub folder: Option<PathBuf>,
    /// The gold folder, relative to the corpus root (default `gold`).
    pub gold: Option<PathBuf>,
}

/// A name that cannot be a coder's folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{name:?} cannot be a coder's name: {why} (use letters, digits, spaces, '-', '_' or '.', not starting with '.')"
)]
pub struct BadName {
    pub name: String,
    pub why: &'static str,
}

/// Checks that `name` can be a folder name on every system, so `--coder` never escapes the
/// coders' folder or makes a hidden one.
pub fn check_name(name: &str) -> Result<&str, BadName> {
    let bad = |why| Err(BadName { name: name.to_owned(), why });
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return bad("it is empty");
    }
    if trimmed != name {
        return bad("it starts or ends with a space");
    }
    if name.contains(['/', '\\']) {
        return bad("it holds a path separator");
    }
    if name.starts_with('.') {
        return bad("it starts with '.'");
    }
    if name.chars().count() > 64 {
        return bad("it is longer than 64 characters");
    }
    if name.chars().any(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ')) || c.is_control()) {
        return bad("it holds a character folders cannot have");
    }
    Ok(name)
}

impl Team {
    /// The folder that holds every coder's folder.
    pub fn coders_root(&self, root: &Path) -> PathBuf {
        root.join(self.folder.as_deref().unwrap_or(Path::new(CODERS_DIR)))
    }

    /// A coder's annotations folder.
    pub fn coder_dir(&self, root: &Path, name: &str) -> Result<PathBuf, BadName> {
        Ok(self.coders_root(root).join(check_name(name)?))
    }

    /// The gold folder.
    pub fn gold_dir(&self, root: &Path) -> PathBuf {
        root.join(self.gold.as_deref().unwrap_or(Path::new(GOLD_DIR)))
    }

    /// Every coder of the corpus with their folder: the ones `corpus.ron` names, in its
    /// order, then any other folder found in the coders' folder, by name. A name that is not
    /// a valid folder name is left out (`corpus.ron`'s own check reports it).
    pub fn coders(&self, root: &Path) -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> =
            self.coders.iter().filter_map(|n| Some((n.clone(), self.coder_dir(root, n).ok()?))).collect();
        let mut found: Vec<String> = std::fs::read_dir(self.coders_root(root))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| check_name(n).is_ok() && !self.coders.contains(n))
            .collect();
        found.sort();
        out.extend(found.into_iter().filter_map(|n| Some((n.clone(), self.coder_dir(root, &n).ok()?))));
        out
    }

    /// What a command-line argument that names a coder's annotations means: an existing
    /// folder (or anything that looks like a path) is that folder; otherwise a coder's name,
    /// whose folder is [`Team::coder_dir`]. Returns the coder's name (the folder's name for a
    /// path) and the folder.
    pub fn resolve(&self, root: &Path, arg: &str) -> Result<(String, PathBuf), BadName> {
        let as_path = Path::new(arg);
        let looks_like_path = arg.contains('/') || arg.contains('\\') || arg == "." || arg == "..";
        if looks_like_path || as_path.is_dir() {
            let name = as_path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| arg.to_owned());
            return Ok((name, as_path.to_owned()));
        }
        Ok((arg.to_owned(), self.coder_dir(root, arg)?))
    }
}

/// A `team` section that cannot be used: the file and line, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: team: {why}", path.display())]
pub struct TeamError {
    pub path: PathBuf,
    pub line: usize,
    pub why: String,
}

impl Team {
    /// Checks the names `corpus.ron` (at `path`, read as `text`) gives: each must be a
    /// folder name ([`check_name`]) and named once, so `--coder NAME` and the list's columns
    /// always mean one folder. The line is the first that quotes the name (RON's own errors
    /// come with theirs; this is about values that parsed).
    pub fn check(&self, path: &Path, text: &str) -> Result<(), TeamError> {
        let line_of = |name: &str| {
            let quoted = format!("\"{name}\"");
            text.lines().position(|l| l.contains(&quoted)).map_or(1, |i| i + 1)
        };
        for (i, name) in self.coders.iter().enumerate() {
            if let Err(e) = check_name(name) {
                return Err(TeamError { path: path.into(), line: line_of(name), why: e.to_string() });
            }
            if self.coders[..i].contains(name) {
                return Err(TeamError {
                    path: path.into(),
                    line: line_of(name),
                    why: format!("{name:?} is listed twice"),
                });
            }
        }
        Ok(())
    }
}

/// Every coder's progress on a corpus, as the list, `newsnote list --json` and
/// `newsnote progress` show it: one progress file per coder's folder, plus the gold folder's
/// (adjudicated) and the folder being coded in, read once. Looking an article up is a hash
/// lookup per folder, so a list draws its rows in O(rows × coders).
#[derive(Debug, Clone, Default)]
pub struct Board {
    /// One column per coder, in [`Team::coders`] order; the folder being coded in is one of
    /// them (found by its path), or the last one.
    pub coders: Vec<Column>,
    /// The gold folder's marks, when the corpus has a team or a gold folder.
    pub gold: Option<Progress>,
    /// Which of `coders` is the folder being coded in (where `D` marks), if it could be read.
    pub mine: Option<usize>,
    /// Progress files that could not be read (file:line:column), each left out.
    pub problems: Vec<String>,
    /// Whether the corpus has a team (named coders or coders' folders), so the list shows a
    /// column per coder even before anyone marked anything.
    pub team: bool,
}

/// One coder's column: their name and their folder's marks.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub progress: Progress,
    /// A coder of the team (or the `--coder`), shown even before their first mark; the
    /// folder of someone coding without a team is shown once it has marks.
    pub listed: bool,
}

impl Board {
    /// Reads the progress of every coder of `team` and the gold folder, and of `mine`, the
    /// annotations root being coded in by `name`: with `coder` set, `name` is a coder and
    /// `mine` their folder (`--coder NAME --annotations DIR`), else `name` is the author.
    pub fn open(root: &Path, team: &Team, mine: &AnnotationRoot, name: &str, coder: bool) -> Self {
        let mut board = Board::default();
        let mut coders = team.coders(root);
        if coder && !coders.iter().any(|(n, _)| n == name) {
            // A coder not listed yet is a column too, from their first start.
            coders.push((name.to_owned(), PathBuf::new()));
        }
        board.team = !coders.is_empty();
        let mine_path = Progress::locate(root, mine);
        let same =
            |a: &Path, b: &Path| a == b || a.canonicalize().ok().is_some_and(|c| Some(c) == b.canonicalize().ok());
        let mut tried_mine = false;
        for (coder_name, dir) in coders {
            let is_mine = (coder && coder_name == name) || same(&dir.join(PROGRESS_FILE), &mine_path);
            tried_mine |= is_mine;
            let path = if is_mine { mine_path.clone() } else { dir.join(PROGRESS_FILE) };
            let coder = coder_name;
            if let Some(progress) = board.read(&path) {
                if is_mine {
                    board.mine = Some(board.coders.len());
                }
                board.coders.push(Column { name: coder, progress, listed: true });
            }
        }
        if !tried_mine && let Some(progress) = board.read(&mine_path) {
            board.mine = Some(board.coders.len());
            board.coders.push(Column { name: name.to_owned(), progress, listed: false });
        }
        let gold = team.gold_dir(root);
        if (board.team || gold.is_dir()) && !same(&gold.join(PROGRESS_FILE), &mine_path) {
            board.gold = board.read(&gold.join(PROGRESS_FILE));
        }
        board
    }

    fn read(&mut self, path: &Path) -> Option<Progress> {
        match Progress::open(path) {
            Ok(p) => Some(p),
            Err(e) => {
                self.problems.push(e.to_string());
                None
            }
        }
    }

    /// The columns to show: the team's coders, and a folder with marks.
    pub fn shown_columns(&self) -> impl Iterator<Item = &Column> {
        self.coders.iter().filter(|c| c.listed || !c.progress.marks().is_empty())
    }

    /// Every progress file read: the coders', then gold's.
    pub fn files(&self) -> impl Iterator<Item = &Progress> {
        self.coders.iter().map(|c| &c.progress).chain(&self.gold)
    }

    /// The coders who marked the article done, in column order.
    pub fn done_by(&self, article: &str) -> Vec<&str> {
        self.coders.iter().filter(|c| c.progress.is(article, Stage::Done)).map(|c| c.name.as_str()).collect()
    }

    /// Whether any folder marked the article at `stage`.
    pub fn any(&self, article: &str, stage: Stage) -> bool {
        self.files().any(|p| p.is(article, stage))
    }

    /// Whether the columns are worth showing: a team, or marks anywhere.
    pub fn shown(&self) -> bool {
        self.team || self.files().any(|p| !p.marks().is_empty())
    }

    /// The newest mark of a column (RFC 3339 sorts as text): its last activity.
    pub fn last_mark(column: &Column) -> Option<&Mark> {
        column.progress.marks().iter().max_by(|a, b| a.at.cmp(&b.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coder_name_is_a_folder_under_the_coders_folder() {
        let team = Team::default();
        let root = Path::new("/корпус");
        assert_eq!(team.coder_dir(root, "Zoë Ng").unwrap(), PathBuf::from("/корпус/coders/Zoë Ng"));
        let moved = Team { folder: Some("кодировщики".into()), ..Team::default() };
        assert_eq!(moved.coder_dir(root, "алиса").unwrap(), PathBuf::from("/корпус/кодировщики/алиса"));
        assert_eq!(team.gold_dir(root), PathBuf::from("/корпус/gold"));
    }

    #[test]
    fn a_name_that_would_escape_or_hide_the_folder_is_refused_in_words() {
        for (name, why) in [
            ("../etc", "path separator"),
            ("a/b", "path separator"),
            (".hidden", "starts with '.'"),
            ("", "empty"),
            (" bob", "space"),
            ("tab\there", "cannot have"),
        ] {
            let err = check_name(name).unwrap_err();
            assert!(err.to_string().contains(why), "{name:?}: {err}");
        }
        assert_eq!(check_name("Мария-Хосе_2.0"), Ok("Мария-Хосе_2.0"));
    }

    #[test]
    fn coders_are_the_named_ones_in_order_then_the_folders_found() {
        let d = tempfile::tempdir().unwrap();
        for n in ["zoë", "борис", "alice", ".git"] {
            std::fs::create_dir_all(d.path().join(CODERS_DIR).join(n)).unwrap();
        }
        let team = Team { coders: vec!["zoë".into(), "نور".into()], ..Team::default() };
        let names: Vec<String> = team.coders(d.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["zoë", "نور", "alice", "борис"], "named first, then found, hidden folders skipped");
    }

    #[test]
    fn an_argument_is_a_folder_when_it_is_one_else_a_coder_name() {
        let d = tempfile::tempdir().unwrap();
        let elsewhere = d.path().join("elsewhere/ana");
        std::fs::create_dir_all(&elsewhere).unwrap();
        let team = Team::default();
        let (name, dir) = team.resolve(d.path(), elsewhere.to_str().unwrap()).unwrap();
        assert_eq!((name.as_str(), dir), ("ana", elsewhere));
        let (name, dir) = team.resolve(d.path(), "Ярослав").unwrap();
        assert_eq!((name.as_str(), dir), ("Ярослав", d.path().join("coders/Ярослав")));
    }

    #[test]
    fn a_bad_or_repeated_name_in_the_team_is_an_error_on_its_line() {
        let text = "(\n  team: (\n    coders: [\n      \"Мария\",\n      \"../x\",\n      \"Мария\",\n    ],\n  ),\n)";
        let bad = Team { coders: vec!["Мария".into(), "../x".into()], ..Team::default() };
        let err = bad.check(Path::new("corpus.ron"), text).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        assert!(err.to_string().starts_with("corpus.ron:5: team: \"../x\" cannot be a coder's name"), "{err}");
        let twice = Team { coders: vec!["Мария".into(), "Мария".into()], ..Team::default() };
        let err = twice.check(Path::new("corpus.ron"), text).unwrap_err();
        assert!(err.why.contains("listed twice"), "{err}");
        assert!(Team { coders: vec!["Мария".into()], ..Team::default() }.check(Path::new("c"), text).is_ok());
    }

    fn marked(dir: &Path, article: &str, stage: Stage) {
        let mut p = Progress::open(&dir.join(PROGRESS_FILE)).unwrap();
        p.set(article, stage, "кто-то", "2026-12-01T10:00:00Z");
        p.save().unwrap();
    }

    #[test]
    fn the_board_has_a_column_per_coder_with_the_folder_being_coded_in_among_them() {
        let d = tempfile::tempdir().unwrap();
        let team = Team { coders: vec!["zoë".into(), "борис".into()], ..Team::default() };
        marked(&team.coder_dir(d.path(), "борис").unwrap(), "статья.txt", Stage::Done);
        marked(&team.gold_dir(d.path()), "статья.txt", Stage::Adjudicated);
        let mine = AnnotationRoot::Mirrored(team.coder_dir(d.path(), "zoë").unwrap());
        let board = Board::open(d.path(), &team, &mine, "zoë", true);
        let names: Vec<&str> = board.coders.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["zoë", "борис"]);
        assert_eq!(board.mine, Some(0));
        assert_eq!(board.done_by("статья.txt"), ["борис"]);
        assert!(board.any("статья.txt", Stage::Adjudicated) && !board.any("статья.txt", Stage::Reviewed));

        // A coder the team does not list yet is a column from their first start, in the
        // folder given (`--annotations DIR`).
        let elsewhere = d.path().join("elsewhere");
        let board = Board::open(d.path(), &team, &AnnotationRoot::Mirrored(elsewhere.clone()), "нур", true);
        assert_eq!(board.coders.len(), 3);
        assert_eq!(board.mine, Some(2));
        assert_eq!(board.coders[2].progress.path, elsewhere.join(PROGRESS_FILE));
    }

    #[test]
    fn without_a_team_the_folder_being_coded_in_shows_only_once_it_has_marks() {
        let d = tempfile::tempdir().unwrap();
        let board = Board::open(d.path(), &Team::default(), &AnnotationRoot::NextToArticles, "Jörg", false);
        assert_eq!(board.mine, Some(0));
        assert!(!board.shown() && board.shown_columns().next().is_none() && board.gold.is_none());
        marked(d.path(), "ü.txt", Stage::Done);
        let board = Board::open(d.path(), &Team::default(), &AnnotationRoot::NextToArticles, "Jörg", false);
        assert!(board.shown());
        assert_eq!(board.done_by("ü.txt"), ["Jörg"]);
    }

    #[test]
    fn an_unreadable_progress_file_is_a_problem_and_never_a_column_to_write() {
        let d = tempfile::tempdir().unwrap();
        let team = Team { coders: vec!["zoë".into()], ..Team::default() };
        let dir = team.coder_dir(d.path(), "zoë").unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(PROGRESS_FILE), "(format: 1, progress: \"чужой\", marks: [])").unwrap();
        let board = Board::open(d.path(), &team, &AnnotationRoot::Mirrored(dir.clone()), "zoë", true);
        assert_eq!(board.mine, None, "D must not overwrite it");
        assert_eq!(board.problems.len(), 1, "named once");
        assert!(board.problems[0].contains("not a newsnote progress file"), "{:?}", board.problems);
    }
}
