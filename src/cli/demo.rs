//! `demo`: writes the two bundled sample articles, their annotations and their entity
//! registry into a folder.
//!
//! An installed binary must never read or write the source tree it was built from (it may be
//! a registry copy, or gone), so the samples travel inside the binary and a person asks for a
//! copy where they want it. Only new files are written: a demo never replaces anything.

use super::{Problems, for_terminal};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The samples as shipped: each article and its RON file, written side by side, and the
/// registry of the entities their source mentions name (at the corpus root, where a corpus
/// keeps it), so the demo counts sources by who they are.
const FILES: [(&str, &str); 5] = [
    ("sources.ron", include_str!("../../annotations/sources.ron")),
    ("000_e37f52fc02921a26.txt", include_str!("../../assets/articles/000_e37f52fc02921a26.txt")),
    ("000_e37f52fc02921a26.ron", include_str!("../../annotations/000_e37f52fc02921a26.ron")),
    ("002_915808095f53d4db.txt", include_str!("../../assets/articles/002_915808095f53d4db.txt")),
    ("002_915808095f53d4db.ron", include_str!("../../annotations/002_915808095f53d4db.ron")),
];

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The folder to write into (created if needed; files in it are never replaced).
    pub dir: PathBuf,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let tty = std::io::stdout().is_terminal();
    let err_tty = std::io::stderr().is_terminal();
    let shown = |p: &Path| for_terminal(err_tty, &p.display().to_string()).into_owned();
    let dir = &args.dir;
    // Every name is checked before anything is written, so a refusal leaves no half demo.
    let taken: Vec<PathBuf> =
        FILES.iter().map(|(name, _)| dir.join(name)).filter(|p| std::fs::symlink_metadata(p).is_ok()).collect();
    if !taken.is_empty() {
        let names: Vec<String> = taken.iter().map(|p| shown(p)).collect();
        return Err(Problems(format!(
            "not written: {} already exist(s); newsnote demo never replaces a file: give a new or empty folder",
            names.join(", ")
        ))
        .into());
    }
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: cannot create the folder: {e}", shown(dir)))?;
    for (name, text) in FILES {
        let path = dir.join(name);
        // create_new: a file that appeared since the check above is still never replaced.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", shown(&path)))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", shown(&path)))?;
    }
    let d = for_terminal(tty, &dir.display().to_string()).into_owned();
    let quoted = if d.contains(char::is_whitespace) { format!("'{d}'") } else { d.clone() };
    println!(
        "Wrote two sample articles, their annotations and the registry of their sources (sources.ron) to {d}.\nOpen them with:\n  newsnote {quoted}\n\
         or list them with:\n  newsnote list {quoted}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_annotations_belong_to_the_embedded_articles() {
        for pair in FILES[1..].chunks(2) {
            let [(txt, text), (ron, file)] = pair else { unreachable!() };
            assert_eq!(txt.strip_suffix(".txt"), ron.strip_suffix(".ron"));
            let f = crate::model::store::AnnotationFile::parse(Path::new(ron), file, txt).unwrap();
            let fp = crate::model::store::Fingerprint::of(text, text.chars().count());
            assert_eq!(f.fingerprint, fp, "{ron} was written for exactly this text");
            assert!(!f.annotations.is_empty());
        }
    }

    #[test]
    fn the_embedded_registry_has_every_entity_the_embedded_source_mentions_name() {
        let (name, text) = FILES[0];
        let reg = crate::model::entities::EntityFile::parse_bytes(Path::new(name), text.as_bytes()).unwrap();
        let cb = crate::model::codebook::Codebook::default_scheme();
        let mut named = 0;
        for pair in FILES[1..].chunks(2) {
            let [(txt, _), (ron, file)] = pair else { unreachable!() };
            let f = crate::model::store::AnnotationFile::parse(Path::new(ron), file, txt).unwrap();
            for a in f.annotations.iter().filter(|a| cb.mentions_entity(&a.label)) {
                let id = a.entity.as_ref().unwrap_or_else(|| panic!("{ron}: {} names no entity", a.id));
                assert!(reg.entities.iter().any(|e| &e.id == id), "{ron}: {} names {id}, not in sources.ron", a.id);
                named += 1;
            }
        }
        assert!(named > 20, "every source mention of the samples is linked ({named})");
    }
}
