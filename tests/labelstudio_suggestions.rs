//! Suggestions through Label Studio and back: newsnote's open suggestions go out as
//! `predictions`, and `newsnote import` reads them back as suggestions, with what a Label
//! Studio coder made of them (an annotation made from a prediction accepts what it kept and
//! rejects what it left out), so a project goes newsnote → Label Studio → newsnote without
//! losing which suggestions were accepted, and without touching a person's annotation.

mod common;

use common::samples::{SUGGESTED_TEXT, load, suggested_corpus};
use newsnote::export::{ExportArticle, labelstudio};
use newsnote::import::{self, ImportFormat, LabelMap};
use newsnote::model::annotation::{Annotation, AnnotationId, LabelId, Origin, Status, Suggestion};
use newsnote::model::codebook::Codebook;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::document::Document;
use newsnote::model::units::{ByteRange, CharRange};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::Path;

fn cb() -> &'static Codebook {
    Codebook::default_scheme()
}

/// What a round trip must keep of each annotation: id, label, span, status, the detector
/// (origin) and confidence of a suggestion, attribute values and links.
type Kept = (String, String, usize, usize, &'static str, Option<(String, u8)>, String, Vec<(String, Vec<String>)>);

fn kept(a: &Annotation) -> Kept {
    let links = a.links.iter().map(|(r, ids)| (r.clone(), ids.iter().map(|i| i.0.clone()).collect())).collect();
    let by = a.suggestion.as_ref().map(|s| (s.origin(), s.confidence));
    (
        a.id.0.clone(),
        a.label.as_str().to_owned(),
        a.start,
        a.end,
        a.status.as_str(),
        by,
        format!("{:?}", a.attributes),
        links,
    )
}

fn all_kept(anns: &[Annotation]) -> Vec<Kept> {
    let mut k: Vec<Kept> = anns.iter().map(kept).collect();
    k.sort();
    k
}

/// `exported` (Label Studio tasks) imported into `anns` for the articles in `texts`; every
/// outcome's messages, and the documents' annotations (live and rejected) after.
fn import_into(texts: &Path, anns: &Path, exported: &str) -> (Vec<String>, Vec<Annotation>, Vec<Annotation>) {
    let file = anns.parent().unwrap().join(format!("{}.json", anns.file_name().unwrap().to_string_lossy()));
    std::fs::write(&file, exported).unwrap();
    let docs = import::read(ImportFormat::Labelstudio, &file, &LabelMap::new(cb()), cb(), "обратно").unwrap();
    let mut messages: Vec<String> = docs.iter().flat_map(|d| d.warnings.clone()).collect();
    let corpus = Corpus::open(texts, AnnotationRoot::Mirrored(anns.into())).unwrap();
    for o in import::write_into(&corpus, cb(), docs) {
        assert!(o.ron_path.is_some(), "{o:?}");
        messages.extend(o.messages);
    }
    let doc = Document::open(&corpus.entries[0]).unwrap();
    (messages, doc.annotations, doc.rejected)
}

/// A fresh annotations folder beside `texts`.
fn fresh(texts: &Path, name: &str) -> std::path::PathBuf {
    let dir = texts.parent().unwrap().join(name);
    std::fs::create_dir(&dir).unwrap();
    dir
}

/// What export leaves of `arts[0]`: its exported annotations, links to what was not exported
/// (a rejected source) dropped, as a relation must join two exported regions.
fn exported_view(art: &ExportArticle) -> Vec<Annotation> {
    let ids: Vec<&AnnotationId> = art.annotations.iter().map(|a| &a.id).collect();
    let mut out = art.annotations.clone();
    for a in &mut out {
        a.links.values_mut().for_each(|v| v.retain(|t| ids.contains(&t)));
        a.links.retain(|_, v| !v.is_empty());
    }
    out
}

#[test]
fn exported_suggestions_come_back_into_a_fresh_folder_with_their_status_detector_and_confidence() {
    let (_dir, texts, anns) = suggested_corpus();
    let arts = load(&texts, &anns);
    let out = labelstudio::render(&arts, cb());
    let (messages, live, rejected) = import_into(&texts, &fresh(&texts, "back"), &out);
    assert!(messages.is_empty(), "{messages:?}");
    assert!(rejected.is_empty(), "a rejected suggestion is never exported");
    assert_eq!(all_kept(&live), all_kept(&exported_view(&arts[0])));
    let open: Vec<&Annotation> = live.iter().filter(|a| a.is_proposed()).collect();
    assert_eq!(open.len(), 3);
    assert!(open.iter().all(|a| a.origin == Origin::Detector), "proposed by a detector, whichever tool it passed");
    assert!(live.iter().filter(|a| !a.is_proposed()).all(|a| a.origin == Origin::Imported && a.suggestion.is_none()));
}

/// The export of the suggested corpus as a Label Studio coder leaves it: the prediction has
/// the id Label Studio gave it, and an annotation made from it (`parent_prediction` when
/// `with_parent`, else only the region ids it copied) keeps the claim, shortened by its last
/// character, and the source, and deletes the cue.
fn coded_in_label_studio(out: &str, with_parent: bool) -> String {
    let mut tasks: Value = serde_json::from_str(out).unwrap();
    let task = &mut tasks[0];
    task["predictions"][0]["id"] = json!(3170);
    let mut result: Vec<Value> = task["predictions"][0]["result"].as_array().unwrap().clone();
    let cue = "p-cue";
    result.retain(|r| r["id"] != cue && r["to_id"] != cue);
    for r in result.iter_mut().filter(|r| r["id"] == "p-claim") {
        let end = r["value"]["end"].as_u64().unwrap() - 1;
        let text: String =
            SUGGESTED_TEXT.chars().skip(r["value"]["start"].as_u64().unwrap() as usize).take(13).collect();
        r["value"]["end"] = json!(end);
        r["value"]["text"] = json!(text);
    }
    let mut made = json!({"id": 88, "completed_by": 1, "was_cancelled": false, "result": result});
    if with_parent {
        made["parent_prediction"] = json!(3170);
    }
    task["annotations"].as_array_mut().unwrap().push(made);
    serde_json::to_string_pretty(&tasks).unwrap()
}

#[test]
fn a_prediction_accepted_in_label_studio_comes_back_accepted_and_what_the_coder_deleted_rejected() {
    let (_dir, texts, anns) = suggested_corpus();
    let arts = load(&texts, &anns);
    let out = labelstudio::render(&arts, cb());
    for with_parent in [true, false] {
        let back = fresh(&texts, if with_parent { "parent" } else { "ids" });
        let (messages, live, rejected) = import_into(&texts, &back, &coded_in_label_studio(&out, with_parent));
        assert!(messages.is_empty(), "{with_parent}: {messages:?}");
        let status = |id: &str| live.iter().chain(&rejected).find(|a| a.id.0 == id).map(|a| a.status);
        assert_eq!(status("p-claim"), Some(Status::Accepted));
        assert_eq!(status("p-source"), Some(Status::Accepted));
        assert_eq!(status("p-cue"), Some(Status::Rejected), "left out by the coder");
        let claim = live.iter().find(|a| a.id.0 == "p-claim").unwrap();
        assert_eq!(claim.quote, "Кремль молчит", "as the coder left it");
        assert_eq!(claim.suggestion.as_ref().map(|s| (s.origin(), s.confidence)), Some(("quotes-1".into(), 87)));
        assert!(claim.linked("cue").is_empty() && claim.linked("source") == [AnnotationId("p-source".into())]);
        // Nothing twice: the coding, the claim with its source, and the rejected cue.
        assert_eq!((live.len(), rejected.len()), (5, 1), "{live:#?}");
    }
}

#[test]
fn importing_label_studios_decisions_into_the_original_folder_keeps_every_persons_annotation() {
    let (_dir, texts, anns) = suggested_corpus();
    let arts = load(&texts, &anns);
    let person =
        |anns: &[Annotation]| -> Vec<Annotation> { anns.iter().filter(|a| a.suggestion.is_none()).cloned().collect() };
    let corpus = Corpus::open(&texts, AnnotationRoot::Mirrored(anns.clone())).unwrap();
    let before = Document::open(&corpus.entries[0]).unwrap();
    let plain = labelstudio::render(&arts, cb());
    let out = coded_in_label_studio(&plain, true);
    let (messages, live, rejected) = import_into(&texts, &anns, &out);
    assert!(messages.iter().all(|m| m.contains("decided in the imported file")), "{messages:?}");
    assert_eq!(person(&live), person(&before.annotations), "the coding is untouched, byte for byte");
    let status = |id: &str| live.iter().chain(&rejected).find(|a| a.id.0 == id).map(|a| a.status);
    assert_eq!(
        (status("p-claim"), status("p-source"), status("p-cue")),
        (Some(Status::Accepted), Some(Status::Accepted), Some(Status::Rejected))
    );
    assert_eq!(live.iter().find(|a| a.id.0 == "p-claim").unwrap().quote, "Кремль молчит");
    // What was rejected here before stays rejected, and nothing is there twice.
    assert_eq!(status("r-source"), Some(Status::Rejected));
    assert_eq!(live.len() + rejected.len(), before.annotations.len() + before.rejected.len());
    // A second import of the same file changes nothing.
    let (_, again, again_rejected) = import_into(&texts, &anns, &out);
    assert_eq!((all_kept(&again), all_kept(&again_rejected)), (all_kept(&live), all_kept(&rejected)));
    // Nor does the export made before the coder decided: the cue it has as an open
    // prediction stays rejected, and the accepted claim stays accepted.
    let (_, again, again_rejected) = import_into(&texts, &anns, &plain);
    assert_eq!((all_kept(&again), all_kept(&again_rejected)), (all_kept(&live), all_kept(&rejected)));
}

/// Words of a text to put annotations on, each once: (label, word).
const WORDS: &[(&str, &str)] = &[
    ("Source", "Песков"),
    ("Cue", "заявил"),
    ("Claim", "«переговоры продолжатся»"),
    ("Source", "Зеленский"),
    ("Cue", "ответил"),
    ("Claim", "«мы готовы»"),
    ("Boilerplate", "Подпишитесь на канал"),
];
const TEXT: &str = "Песков заявил: «переговоры продолжатся». Зеленский ответил: «мы готовы». Подпишитесь на канал\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any mix of a person's annotations and open suggestions (any detector, version and
    /// confidence; a claim linked to the source before it) comes back from Label Studio's
    /// format into a fresh folder as it went out.
    #[test]
    fn any_mix_of_coding_and_suggestions_survives_the_label_studio_round_trip(
        picks in proptest::collection::vec(
            (any::<bool>(), 0usize..3, 1u32..4, 0u8..=100, any::<bool>()),
            WORDS.len(),
        ),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (texts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
        std::fs::create_dir_all(&texts).unwrap();
        std::fs::create_dir_all(&anns).unwrap();
        std::fs::write(texts.join("статья.txt"), TEXT).unwrap();
        let mut made: Vec<Annotation> = Vec::new();
        for (k, ((label, word), (keep, detector, version, confidence, proposed))) in WORDS.iter().zip(&picks).enumerate() {
            if !keep {
                continue;
            }
            let b = TEXT.find(word).unwrap();
            let c = TEXT[..b].chars().count();
            let span = CharRange::new(c, c + word.chars().count());
            let mut a = Annotation::new_manual(LabelId::new(*label), TEXT, ByteRange::new(b, b + word.len()), span, "ана", "2026-03-04T05:06:07Z");
            a.id = AnnotationId(format!("a{k}"));
            if *label == "Boilerplate" {
                a = a.with_value("kind", "Newsletter");
            }
            if *proposed {
                a.status = Status::Proposed;
                a.origin = Origin::Detector;
                let name = ["quotes", "boilerplate", "outlet"][*detector];
                a.suggestion = Some(Suggestion { detector: name.into(), version: *version, confidence: *confidence, reason: String::new(), category: String::new() });
            }
            // A claim links to the source two words before it when both are coding or both
            // one detector's suggestions: a relation joins regions of one result list (the
            // coding, or one detector's prediction).
            let origin = |x: &Annotation| x.suggestion.as_ref().map(Suggestion::origin);
            if *label == "Claim" && let Some(s) = made.iter().find(|s| s.id.0 == format!("a{}", k - 2)) && origin(s) == origin(&a) {
                a.links.insert("source".into(), vec![s.id.clone()]);
            }
            made.push(a);
        }
        let fp = newsnote::model::store::Fingerprint::of(TEXT, TEXT.chars().count());
        let file = newsnote::model::store::AnnotationFile::new("статья.txt", fp, made.clone());
        std::fs::write(anns.join("статья.ron"), newsnote::model::store::to_pretty_ron(&file)).unwrap();
        let arts = load(&texts, &anns);
        let (messages, live, rejected) = import_into(&texts, &fresh(&texts, "back"), &labelstudio::render(&arts, cb()));
        prop_assert!(messages.is_empty(), "{:?}", messages);
        prop_assert!(rejected.is_empty());
        prop_assert_eq!(all_kept(&live), all_kept(&made));
    }
}
