//! Who codes a corpus, and where each one's annotations live.
//!
//! Content analysis is done by teams: each coder codes the same articles in a folder of
//! their own (a mirrored annotations tree), and agreement, adjudication and the list's
//! progress compare those folders. A coder is named once (`--coder NAME`, or the corpus's
//! `corpus.ron` `team: (coders: [...])`) and the name is the folder: `coders/NAME` under the
//! corpus root unless `corpus.ron` puts the coders' folders elsewhere. The settled version
//! of each article is a gold folder (`gold` by default), an annotations folder like any other.

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
}
