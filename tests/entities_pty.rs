//! Coding who the sources are with the real binary in a pseudo-terminal: tagging a source
//! opens the entity picker, Enter links the proposal, Ctrl-N makes a new entity (its type
//! asked by key), and after `q` both the annotation file and the registry hold it.

mod common;

use common::pty::{ENTER, Session};
use newsnote::model::entities::{EntityId, Registry};
use newsnote::model::store::AnnotationFile;
use std::path::Path;

const ARTICLE: &str = "000_e37f52fc02921a26";

/// A copy of the samples as shipped: the articles, and their annotations (with the
/// registry, `sources.ron`, and the record of the corpus they belong to) in a mirrored
/// folder, laid out as in the repository.
fn samples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (from, to) in [("assets/articles", "assets/articles"), ("annotations", "annotations")] {
        std::fs::create_dir_all(dir.path().join(to)).unwrap();
        for e in std::fs::read_dir(root.join(from)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join(to).join(e.file_name())).unwrap();
        }
    }
    dir
}

#[test]
fn a_tagged_source_linked_with_enter_and_a_new_entity_are_on_disk_after_q() {
    let dir = samples();
    let args = ["assets/articles", "--annotations", "annotations", "--annotator", "alice"];
    let os: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    let mut s = Session::start_args(dir.path(), &os, 120, 40, &[]);
    s.wait_for("Peskov");
    s.send(ENTER);
    s.wait_mode("READ");
    // "Vladimir Putin" inside the first claim, tagged a source: the picker proposes him.
    s.search("Vladimir");
    s.send("vees");
    s.wait_for("Who is “Vladimir Putin”?");
    s.wait_for("same name");
    s.send(ENTER);
    s.wait_status("is Vladimir Putin");
    // "Kiev", a new entity: Ctrl-N, then its type by key (o: official).
    s.search("Kiev");
    s.send("viws");
    s.wait_for("Who is “Kiev”?");
    s.send("\x0e");
    s.wait_for("Esc skips");
    s.send("o");
    s.wait_status("official");
    s.quit_with("q");

    let ann = dir.path().join("annotations");
    let file = AnnotationFile::load(&ann.join(format!("{ARTICLE}.ron")), &format!("{ARTICLE}.txt")).unwrap().unwrap();
    let entity_of = |quote: &str| {
        let a = file.annotations.iter().find(|a| a.quote == quote).unwrap_or_else(|| panic!("{quote} not saved"));
        a.entity.clone()
    };
    assert_eq!(entity_of("Vladimir Putin"), Some(EntityId::new("vladimir-putin")));
    let reg = Registry::open(&ann.join("sources.ron")).unwrap();
    let kiev = reg.find("Kiev").expect("the new entity is in sources.ron");
    assert_eq!(entity_of("Kiev"), Some(kiev.id.clone()));
    assert_eq!(kiev.attributes.get("type").map(|v| v.to_string()), Some("official".into()));
}
