//! Which corpus an `--annotations DIR` folder belongs to.
//!
//! A mirrored annotations folder keys each file by the article's path relative to its corpus,
//! so two corpora sharing one folder (or one corpus opened once from its root and once from a
//! subfolder) would read and write each other's files for articles with the same relative path.
//! The folder therefore records its corpus in a small marker file, as a path relative to the
//! folder itself (so moving both together, or cloning a repository that holds both, keeps it
//! valid), and another corpus is refused with a message saying what to do.

use std::path::{Component, Path, PathBuf};

/// The marker's name: hidden, and not a `.ron` file, so no article's annotation file can have it.
pub const MARKER: &str = ".newsnote-corpus";

/// `to` relative to `from` (both absolute, canonical), with `..` where needed.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let (f, t): (Vec<Component>, Vec<Component>) = (from.components().collect(), to.components().collect());
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

/// Checks that `dir` holds the annotations of the corpus at `root`, recording it when the
/// folder has no owner yet (best effort: a read-only folder is simply not marked). Errors say
/// which corpus owns the folder and what to do.
pub fn claim(dir: &Path, root: &Path) -> Result<(), String> {
    let Ok(root) = root.canonicalize() else { return Ok(()) };
    let marker = dir.join(MARKER);
    match super::fsio::read_regular(&marker) {
        Ok(Some(bytes)) => {
            let recorded = String::from_utf8_lossy(&bytes).trim().to_owned();
            let owner = dir.join(&recorded).canonicalize().unwrap_or_else(|_| dir.join(&recorded));
            if owner == root {
                return Ok(());
            }
            let hint = if root.starts_with(&owner) {
                format!("open the corpus at {} instead (this is a folder inside it)", owner.display())
            } else {
                "use another --annotations folder for this corpus".to_string()
            };
            Err(format!(
                "{} holds the annotations of the corpus at {}, not of {}: the two would share annotation files for \
                 articles with the same relative path. {hint}; if that corpus moved here, delete {}",
                dir.display(),
                owner.display(),
                root.display(),
                marker.display()
            ))
        }
        Ok(None) => {
            // Created now rather than at the first save, so the first corpus to use the
            // folder is the one recorded.
            let _ = std::fs::create_dir_all(dir);
            if let Ok(d) = dir.canonicalize() {
                let _ = super::fsio::write_atomic(&marker, format!("{}\n", relative(&d, &root).display()).as_bytes());
            }
            Ok(())
        }
        Err(e) => Err(format!("{}: {e}", marker.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_corpora_cannot_share_one_annotations_folder_but_one_corpus_moved_with_it_can() {
        let d = tempfile::tempdir().unwrap();
        let (a, b, ann) = (d.path().join("ä/corpus"), d.path().join("b"), d.path().join("ä/notes"));
        for p in [&a, &b, &ann] {
            std::fs::create_dir_all(p).unwrap();
        }
        claim(&ann, &a).unwrap();
        assert_eq!(std::fs::read_to_string(ann.join(MARKER)).unwrap(), "../corpus\n");
        claim(&ann, &a).unwrap();
        let err = claim(&ann, &b).unwrap_err();
        assert!(err.contains("use another --annotations folder"), "{err}");
        std::fs::create_dir_all(a.join("sub")).unwrap();
        let err = claim(&ann, &a.join("sub")).unwrap_err();
        assert!(err.contains("open the corpus at"), "{err}");
        // Both moved together: still the same corpus.
        std::fs::rename(d.path().join("ä"), d.path().join("moved")).unwrap();
        claim(&d.path().join("moved/notes"), &d.path().join("moved/corpus")).unwrap();
    }
}
