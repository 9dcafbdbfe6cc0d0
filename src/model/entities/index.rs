//! Every mention of every entity in a corpus, and the claims attributed to each: what the
//! entities view, `stats`, `check` and the reports count from.
//!
//! Built from the annotation files alone (no article text is read), so it costs one RON
//! parse per article. Counts go through [`Registry::resolve`], so a merged entity's mentions
//! count for the entity it was merged into.

use super::{EntityId, Registry};
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::codebook::Codebook;
use crate::model::corpus::Corpus;
use crate::model::store::AnnotationFile;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One span that mentions an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The article's id (its path in the corpus).
    pub article: String,
    pub annotation: AnnotationId,
    /// Code points.
    pub start: usize,
    pub end: usize,
    pub quote: String,
    /// The entity as the annotation names it (resolve it for the entity it stands for now).
    pub entity: EntityId,
    /// The claims of the article that cite this mention as their source.
    pub claims: Vec<AnnotationId>,
}

/// What one entity is used for across the corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// Indexes into [`MentionIndex::mentions`], in corpus order.
    pub mentions: Vec<usize>,
    /// Distinct claims (article, claim id) attributed to any of its mentions.
    pub claims: BTreeSet<(String, AnnotationId)>,
    /// Articles it is mentioned in.
    pub articles: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
pub struct MentionIndex {
    /// Every mention with an entity, in corpus order, then by position.
    pub mentions: Vec<Mention>,
    /// Spans of a mention label that name no entity yet, by article.
    pub unlinked: Vec<(String, AnnotationId)>,
    /// Annotation files that could not be read (file:line:column), skipped.
    pub errors: Vec<String>,
}

impl MentionIndex {
    /// Reads every annotation file of `corpus`.
    pub fn build(corpus: &Corpus, codebook: &Codebook) -> Self {
        let mut index = Self::default();
        for entry in &corpus.entries {
            match AnnotationFile::load(&entry.ron_path, &entry.id) {
                Ok(Some(file)) => index.add_article(&entry.id, &file.annotations, codebook),
                Ok(None) => {}
                Err(e) => index.errors.push(e.to_string()),
            }
        }
        index
    }

    /// Adds one article's annotations. A rejected suggestion is no mention and no claim: a
    /// file keeps it only so that no detector proposes it again.
    pub fn add_article(&mut self, article: &str, annotations: &[Annotation], codebook: &Codebook) {
        let live: Vec<&Annotation> = annotations.iter().filter(|a| !a.is_rejected()).collect();
        let annotations = live.as_slice();
        let source_rel = codebook.source_relation().map(|r| r.id.as_str());
        let mut claims_of: HashMap<&AnnotationId, Vec<AnnotationId>> = HashMap::new();
        if let Some(rel) = source_rel {
            for a in annotations.iter().filter(|a| codebook.is_content(&a.label)) {
                for s in a.linked(rel) {
                    claims_of.entry(s).or_default().push(a.id.clone());
                }
            }
        }
        for a in annotations.iter().filter(|a| codebook.mentions_entity(&a.label)) {
            match &a.entity {
                Some(e) => self.mentions.push(Mention {
                    article: article.to_owned(),
                    annotation: a.id.clone(),
                    start: a.start,
                    end: a.end,
                    quote: a.full_quote(),
                    entity: e.clone(),
                    claims: claims_of.get(&a.id).cloned().unwrap_or_default(),
                }),
                None => self.unlinked.push((article.to_owned(), a.id.clone())),
            }
        }
    }

    /// Usage by the entity each mention stands for now. A mention of an entity the registry
    /// does not have is counted under its own id (and `check` reports it).
    pub fn usage(&self, registry: &Registry) -> BTreeMap<EntityId, Usage> {
        let mut out: BTreeMap<EntityId, Usage> = BTreeMap::new();
        for (i, m) in self.mentions.iter().enumerate() {
            let id = registry.resolve(&m.entity).map_or_else(|| m.entity.clone(), |e| e.id.clone());
            let u = out.entry(id).or_default();
            u.mentions.push(i);
            u.articles.insert(m.article.clone());
            u.claims.extend(m.claims.iter().map(|c| (m.article.clone(), c.clone())));
        }
        out
    }
}

/// Why mentions of one article could not be relinked.
#[derive(Debug, thiserror::Error)]
pub enum RelinkError {
    #[error(transparent)]
    Article(#[from] crate::model::article::ArticleError),
    #[error(transparent)]
    Store(#[from] crate::model::store::StoreError),
    #[error("{0}")]
    ReadOnly(String),
}

/// Makes the mentions `ids` of one article name `to` (or no entity), through the one save
/// path, and returns what each named before (for undo). Mentions it does not have are left
/// out; so is one already naming `to`.
pub fn relink(
    entry: &crate::model::corpus::Entry,
    ids: &[AnnotationId],
    to: Option<&EntityId>,
) -> Result<Vec<(AnnotationId, Option<EntityId>)>, RelinkError> {
    use crate::model::document::{Document, Edit};
    let mut doc = Document::open(entry)?;
    if let Some(why) = &doc.read_only {
        return Err(RelinkError::ReadOnly(why.clone()));
    }
    let now = crate::model::annotation::now_rfc3339();
    let mut was = Vec::new();
    for id in ids {
        let Some(before) = doc.get(id).cloned() else { continue };
        if before.entity.as_ref() == to {
            continue;
        }
        let after = Annotation { entity: to.cloned(), modified: now.clone(), ..before.clone() };
        was.push((id.clone(), before.entity.clone()));
        doc.apply(&Edit::Update { before, after });
    }
    if !was.is_empty() {
        let report = crate::model::save::save(doc.save_request())?;
        doc.saved(&report);
    }
    Ok(was)
}
