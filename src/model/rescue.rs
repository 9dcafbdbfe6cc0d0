//! The last resort when a person quits with changes no save could write (a full disk, a file
//! another writer left broken): a copy of each article's annotations goes to newsnote's state
//! folder (`$XDG_STATE_HOME/newsnote/unsaved/`, else the temp folder), which is usually on
//! another file system than the corpus, and the person is told where it is. Nothing here
//! replaces the save path: these copies are for a person to look at and merge by hand.

use super::store::AnnotationFile;
use std::path::PathBuf;

/// Folders to try, best first.
fn folders() -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(dir) = std::env::var_os("NEWSNOTE_RESCUE_DIR") {
        v.push(PathBuf::from(dir));
    }
    v.extend(super::state::state_dir().map(|d| d.join("unsaved")));
    v.push(std::env::temp_dir().join("newsnote-unsaved"));
    v
}

/// Writes a copy of each file; returns one line per article saying where it went, or that no
/// copy could be written and the changes are lost.
pub fn keep_copies(docs: &[(String, AnnotationFile)]) -> Vec<String> {
    let stamp = super::annotation::now_rfc3339().replace(':', "");
    docs.iter()
        .map(|(id, file)| {
            let name = format!("{stamp}-{}.ron", id.replace(['/', '\\'], "__"));
            let written = folders().into_iter().find_map(|dir| {
                let path = dir.join(&name);
                super::fsio::write_atomic(&path, file.to_ron().as_bytes()).ok().map(|()| path)
            });
            match written {
                Some(path) => format!(
                    "{id}: NOT SAVED to the corpus; a copy of its {} annotation(s) is in {}",
                    file.annotations.len(),
                    path.display()
                ),
                None => format!("{id}: NOT SAVED and no copy could be written anywhere: those changes are lost"),
            }
        })
        .collect()
}

/// Writes a copy of the entity registry; one line saying where it went, or that it is lost.
pub fn keep_entities_copy(file: &super::entities::EntityFile) -> String {
    let stamp = super::annotation::now_rfc3339().replace(':', "");
    let name = format!("{stamp}-entities.ron");
    let written = folders().into_iter().find_map(|dir| {
        let path = dir.join(&name);
        super::fsio::write_atomic(&path, file.to_ron().as_bytes()).ok().map(|()| path)
    });
    match written {
        Some(path) => format!(
            "entity registry: NOT SAVED to the corpus; a copy of its {} entities is in {}",
            file.entities.len(),
            path.display()
        ),
        None => "entity registry: NOT SAVED and no copy could be written anywhere: those changes are lost".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::store::Fingerprint;

    #[test]
    fn a_discarded_article_is_copied_to_the_rescue_folder_and_the_note_says_where() {
        let d = tempfile::tempdir().unwrap();
        // SAFETY: tests in this module are the only readers of this variable.
        unsafe { std::env::set_var("NEWSNOTE_RESCUE_DIR", d.path()) };
        let file = AnnotationFile::new("dir/Ünïcode.txt", Fingerprint::of("x", 1), vec![]);
        let notes = keep_copies(&[("dir/Ünïcode.txt".into(), file.clone())]);
        assert!(notes[0].contains(&d.path().display().to_string()), "{notes:?}");
        let copy = std::fs::read_dir(d.path()).unwrap().next().unwrap().unwrap().path();
        assert!(copy.file_name().unwrap().to_string_lossy().ends_with("dir__Ünïcode.txt.ron"));
        assert_eq!(std::fs::read_to_string(copy).unwrap(), file.to_ron());
    }
}
