//! The bundled sample corpus as the export and interchange tests load it.

use newsnote::export::{self, ExportArticle};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every article under `articles` with its annotations from the mirrored tree `annotations`;
/// fails if anything was kept out.
pub fn load(articles: &Path, annotations: &Path) -> Vec<ExportArticle> {
    let corpus = Corpus::open(articles, AnnotationRoot::Mirrored(annotations.into())).unwrap();
    let (articles, skipped) = export::load(&corpus, &mut |_, _| {});
    assert!(skipped.is_empty(), "{skipped:?}");
    articles
}

/// `assets/articles` with the shipped `annotations/`.
pub fn samples() -> Vec<ExportArticle> {
    load(&root().join("assets/articles"), &root().join("annotations"))
}
