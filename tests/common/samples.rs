//! The bundled sample corpus as the export and interchange tests load it.

use newsnote::export::{self, ExportArticle};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every article under `articles` with its annotations from the mirrored tree `annotations`,
/// and the entities of the registry there (`sources.ron`, as the CLI finds it); fails if
/// anything was kept out.
pub fn load(articles: &Path, annotations: &Path) -> Vec<ExportArticle> {
    let corpus = Corpus::open(articles, AnnotationRoot::Mirrored(annotations.into())).unwrap();
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let registry = newsnote::model::entities::Registry::open(&annotations.join("sources.ron")).unwrap();
    let entities = std::sync::Arc::new(export::entities::Entities::of(&registry, cb));
    let (articles, skipped) = export::load_with(&corpus, &entities, &mut |_, _| {});
    assert!(skipped.is_empty(), "{skipped:?}");
    articles
}

/// `assets/articles` with the shipped `annotations/`.
pub fn samples() -> Vec<ExportArticle> {
    load(&root().join("assets/articles"), &root().join("annotations"))
}

/// The default codebook with two more attributes on claims: a several-of `topics` and a
/// free-text `evidence`.
pub fn rich_codebook() -> newsnote::model::codebook::Codebook {
    let extra = r#"attributes: [
        (id: "topics", name: "topics", labels: ["Claim"], kind: Many([
            (id: "war", name: "war", key: "w"), (id: "economy", name: "economy", key: "e")])),
        (id: "evidence", name: "evidence", labels: ["Claim"], kind: Text),"#;
    let ron = newsnote::model::codebook::DEFAULT_RON.replacen("attributes: [", extra, 1);
    newsnote::model::codebook::load_file_text(&ron).unwrap()
}

/// The bytes of the article on disk: a BOM and CRLF line ends, which newsnote reads as the
/// text without the BOM and with LF (what every export's offsets count).
pub const RICH_FILE: &str =
    "\u{feff}«Мы не согласны»,\r\n— сказал Песков, —\r\n«и не будем».\r\nКремль молчит.\r\nSubscribe now!\r\n";

/// A corpus of one CRLF article with a BOM, coded with everything the codebook holds: a quote
/// in two pieces around its cue, made by two sources, with a quote type, topics and evidence,
/// and a boilerplate line. Returns the folder (keep it alive) and the loaded article.
pub fn rich_corpus() -> (tempfile::TempDir, Vec<ExportArticle>) {
    use newsnote::model::annotation::{Annotation, AnnotationId, AttrValue, Fragment, LabelId};
    use newsnote::model::units::{ByteRange, CharRange};
    let dir = tempfile::tempdir().unwrap();
    let (texts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::create_dir_all(&anns).unwrap();
    std::fs::write(texts.join("рус.txt"), RICH_FILE).unwrap();
    let text = RICH_FILE.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let t = text.as_str();
    let range = |q: &str| {
        let b = t.find(q).unwrap();
        let c = t[..b].chars().count();
        (ByteRange::new(b, b + q.len()), CharRange::new(c, c + q.chars().count()))
    };
    let mk = |label: &str, q: &str, id: &str| {
        let (bytes, span) = range(q);
        let mut a = Annotation::new_manual(LabelId::new(label), t, bytes, span, "ана", "2026-03-04T05:06:07Z");
        a.id = AnnotationId(id.into());
        a
    };
    let (peskov, kremlin, cue) =
        (mk("Source", "Песков", "s1"), mk("Source", "Кремль", "s2"), mk("Cue", "сказал", "q1"));
    let mut claim = mk("Claim", "«Мы не согласны»", "c1").with_value("quote_type", "direct");
    let (bytes, span) = range("«и не будем»");
    claim.fragments.push(Fragment::over(t, bytes, span));
    claim.attributes.insert("topics".into(), AttrValue::Many(vec!["war".into(), "economy".into()]));
    claim.attributes.insert("evidence".into(), AttrValue::Text("ТАСС".into()));
    claim.links.insert("source".into(), vec![peskov.id.clone(), kremlin.id.clone()]);
    claim.links.insert("cue".into(), vec![cue.id.clone()]);
    let bp = mk("Boilerplate", "Subscribe now!", "b1").with_value("kind", "Newsletter");
    let fp = newsnote::model::store::Fingerprint::of(t, t.chars().count());
    let file = newsnote::model::store::AnnotationFile::new("рус.txt", fp, vec![claim, peskov, cue, kremlin, bp]);
    std::fs::write(anns.join("рус.ron"), file.to_ron()).unwrap();
    let loaded = load(&texts, &anns);
    assert_eq!(loaded[0].annotations.len(), 5, "every annotation fits the normalised text");
    (dir, loaded)
}

/// The text of [`suggested_corpus`]'s article.
pub const SUGGESTED_TEXT: &str = "«Мир близок», — сказал Песков.\nКремль молчит.\nПодпишитесь на рассылку!\n";

/// A corpus of one article holding the coding (a claim with its source and cue), an open
/// suggestion of the quotes detector (the claim "Кремль молчит." by the source "Кремль" with
/// the cue "молчит", all three proposed, the claim 87% sure) and two rejected ones (a source "Мир", which the proposed
/// claim links to, and a boilerplate line whose quote no longer matches the text, as a
/// rejected suggestion left behind by an edited article may). Returns the folder (keep it
/// alive), the articles folder and the annotations folder.
pub fn suggested_corpus() -> (tempfile::TempDir, PathBuf, PathBuf) {
    use newsnote::model::annotation::{Annotation, AnnotationId, LabelId, Origin, Status, Suggestion};
    use newsnote::model::units::{ByteRange, CharRange};
    let dir = tempfile::tempdir().unwrap();
    let (texts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::create_dir_all(&anns).unwrap();
    std::fs::write(texts.join("мир.txt"), SUGGESTED_TEXT).unwrap();
    let t = SUGGESTED_TEXT;
    let mk = |label: &str, q: &str, id: &str| {
        let b = t.find(q).unwrap();
        let c = t[..b].chars().count();
        let (bytes, span) = (ByteRange::new(b, b + q.len()), CharRange::new(c, c + q.chars().count()));
        let mut a = Annotation::new_manual(LabelId::new(label), t, bytes, span, "ана", "2026-03-04T05:06:07Z");
        a.id = AnnotationId(id.into());
        a
    };
    let suggest = |label: &str, q: &str, id: &str, status: Status, confidence: u8| {
        let mut a = mk(label, q, id);
        (a.origin, a.status, a.author) = (Origin::Detector, status, "quotes-1".into());
        a.suggestion = Some(Suggestion {
            detector: "quotes".into(),
            version: 1,
            confidence,
            reason: "сказуемое после подлежащего".into(),
            category: "indirect".into(),
        });
        a
    };
    let (source, cue) = (mk("Source", "Песков", "s1"), mk("Cue", "сказал", "q1"));
    let mut claim = mk("Claim", "«Мир близок»", "c1").with_value("quote_type", "direct");
    claim.links.insert("source".into(), vec![source.id.clone()]);
    claim.links.insert("cue".into(), vec![cue.id.clone()]);
    let kremlin = suggest("Source", "Кремль", "p-source", Status::Proposed, 70);
    let rejected = suggest("Source", "Мир", "r-source", Status::Rejected, 30);
    let mut proposed =
        suggest("Claim", "Кремль молчит.", "p-claim", Status::Proposed, 87).with_value("quote_type", "indirect");
    let silent = suggest("Cue", "молчит", "p-cue", Status::Proposed, 64);
    proposed.links.insert("source".into(), vec![kremlin.id.clone(), rejected.id.clone()]);
    proposed.links.insert("cue".into(), vec![silent.id.clone()]);
    let mut stale = suggest("Boilerplate", "Подпишитесь на рассылку!", "r-stale", Status::Rejected, 55)
        .with_value("kind", "Newsletter");
    stale.quote = "Подпишитесь сегодня!".into();
    let fp = newsnote::model::store::Fingerprint::of(t, t.chars().count());
    let file = newsnote::model::store::AnnotationFile::new(
        "мир.txt",
        fp,
        vec![claim, source, cue, proposed, kremlin, silent, rejected, stale],
    );
    // Through ron's own layout: main's fast writer (`to_ron`) drops the `suggestion` field.
    std::fs::write(anns.join("мир.ron"), newsnote::model::store::to_pretty_ron(&file)).unwrap();
    (dir, texts, anns)
}

/// `arts` exported in format `f`, as text: a folder format's files (but brat's `.conf`) one
/// after another under their names, REFI-QDA as its project XML.
pub fn export_text(f: export::Format, arts: &[ExportArticle]) -> String {
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    match export::export(f, arts, cb) {
        export::Output::Document(d) => d,
        export::Output::Folder(files) => files
            .iter()
            .filter(|(p, _)| !p.to_string_lossy().ends_with(".conf"))
            .map(|(p, b)| format!("== {}\n{}", p.display(), String::from_utf8_lossy(b)))
            .collect(),
        export::Output::Binary(_) => export::refiqda::project_xml(&export::refiqda::corpus_project(arts, cb)).unwrap(),
        export::Output::Refused(why) => panic!("{f:?} refused: {why}"),
    }
}

/// Every format's [`export_text`] of `arts` against its golden file in `dir`, named by
/// `name`; `UPDATE_GOLDEN=1` writes them instead (read the diff before committing).
pub fn assert_goldens(dir: &Path, arts: &[ExportArticle], name: impl Fn(export::Format) -> String) {
    use clap::ValueEnum;
    let mut differ = Vec::new();
    for &f in export::Format::value_variants() {
        let out = export_text(f, arts);
        let path = dir.join(name(f));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(&path, &out).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
        if out != want {
            differ.push(name(f));
        }
    }
    assert!(differ.is_empty(), "{differ:?} differ from the golden files; if intended, UPDATE_GOLDEN=1 and review");
}

/// The id of the first bundled sample (its file is `FIRST.txt`, its annotations `FIRST.ron`).
pub const FIRST: &str = "000_e37f52fc02921a26";

/// A fresh folder holding a copy of the bundled sample articles and nothing else.
pub fn copy_of_articles() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(root().join("assets/articles")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
    }
    d
}

/// The annotations on disk for the first sample in `dir` (none when it has no file yet).
pub fn first_on_disk(dir: &Path) -> Vec<newsnote::model::annotation::Annotation> {
    let path = dir.join(format!("{FIRST}.ron"));
    newsnote::model::store::AnnotationFile::load(&path, &format!("{FIRST}.txt"))
        .unwrap()
        .map(|f| f.annotations)
        .unwrap_or_default()
}
