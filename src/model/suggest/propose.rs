//! Detector output as annotations of the codebook in effect: what `newsnote suggest` saves.
//!
//! The detectors speak in their own categories; this is the one place that turns them into
//! labels, values and links, through the codebook's `suggestions` section (data, not code),
//! and the one place that decides what is new. A proposal is made only where no annotation
//! of the file (a person's, an open suggestion, or a rejected one) already says the same, so
//! a second run adds nothing, a rejected suggestion is never proposed again, and a person's
//! annotation is never changed.

use super::{boilerplate, quotes, speakers};
use crate::model::annotation::{Annotation, Fragment, LabelId, Suggestion};
use crate::model::article::Article;
use crate::model::codebook::{CategoryMap, Codebook};
use crate::model::entities::EntityId;
use crate::model::units::ByteRange;
use std::ops::Range;

/// A detector `newsnote suggest --only` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    /// Text that is not the article (web page blocks, plain-text lines).
    Boilerplate,
    /// Claims with their cue and source.
    Quotes,
    /// Only the sources (speakers) the quote detector finds, without claims or cues.
    Sources,
}

impl Detector {
    pub const ALL: [Detector; 3] = [Detector::Boilerplate, Detector::Quotes, Detector::Sources];

    /// How `--only` names it.
    pub fn id(self) -> &'static str {
        match self {
            Detector::Boilerplate => "boilerplate",
            Detector::Quotes => "quotes",
            Detector::Sources => "sources",
        }
    }

    /// The name recorded in a suggestion's origin.
    pub fn name(self) -> &'static str {
        match self {
            Detector::Boilerplate => "boilerplate",
            Detector::Quotes | Detector::Sources => "quotes",
        }
    }

    /// The version recorded with the name: bumped when the detector's output changes.
    pub fn version(self) -> u32 {
        match self {
            Detector::Boilerplate => boilerplate::VERSION,
            Detector::Quotes | Detector::Sources => quotes::VERSION,
        }
    }
}

impl std::str::FromStr for Detector {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Detector::ALL.into_iter().find(|d| d.id() == s.trim()).ok_or_else(|| {
            let ids: Vec<&str> = Detector::ALL.iter().map(|d| d.id()).collect();
            format!("{s:?} is not a detector ({})", ids.join(", "))
        })
    }
}

/// What to propose for one article: the detectors asked for, the codebook, and the
/// annotations its file already holds (rejected ones included).
pub struct Ask<'a> {
    pub detectors: &'a [Detector],
    pub book: &'a Codebook,
    pub existing: &'a [Annotation],
    /// The corpus's entity registry, for the speakers' entities (None: no entities proposed).
    pub registry: Option<&'a crate::model::entities::Registry>,
    /// RFC 3339 time recorded as the suggestions' creation time.
    pub now: &'a str,
}

/// The new suggestions for `article`, each with status Proposed; empty when the codebook
/// maps no detector asked for. Links inside the result (a claim to its cue and source) use
/// the ids of the result, or of an existing annotation a new claim is attributed to.
pub fn propose(article: &Article, ask: &Ask) -> Vec<Annotation> {
    let Some(map) = &ask.book.suggestions else { return Vec::new() };
    let mut out = Maker { article, ask, made: Vec::new() };
    if ask.detectors.contains(&Detector::Boilerplate)
        && let Some(m) = &map.boilerplate
    {
        for p in runs(&article.text, boilerplate::detect(&article.text, &article.blocks)) {
            out.boilerplate(m, &p);
        }
    }
    let claims = ask.detectors.contains(&Detector::Quotes);
    let sources = ask.detectors.contains(&Detector::Sources);
    if (claims || sources)
        && let Some(m) = &map.quotes
    {
        let found = quotes::detect(&article.text);
        let entities = speaker_entities(article, ask, &found);
        for (a, entity) in found.iter().zip(entities) {
            out.attribution(m, a, claims, entity);
        }
    }
    out.made
}

struct Maker<'a> {
    article: &'a Article,
    ask: &'a Ask<'a>,
    made: Vec<Annotation>,
}

impl Maker<'_> {
    fn all(&self) -> impl Iterator<Item = &Annotation> {
        self.ask.existing.iter().chain(&self.made)
    }

    /// A Proposed annotation of `label` over `bytes`, not yet kept.
    fn make(&self, label: &str, bytes: Range<usize>, by: Suggestion) -> Annotation {
        let text = &self.article.text;
        let bytes = ByteRange::new(bytes.start, bytes.end);
        let chars = self.article.index.to_chars(text, bytes);
        Annotation::new_proposed(LabelId::new(label), text, bytes, chars, by, self.ask.now)
    }

    /// An annotation of the file (or made here) with this label on exactly this span.
    fn same(&self, a: &Annotation) -> Option<&Annotation> {
        self.all().find(|b| b.label == a.label && b.start == a.start && b.end == a.end)
    }

    fn overlaps_label(&self, a: &Annotation) -> bool {
        self.all().any(|b| b.label == a.label && b.start < a.hull().end && a.start < b.hull().end)
    }

    fn boilerplate(&mut self, map: &CategoryMap, p: &boilerplate::Proposal) {
        let Some(value) = map.value_of(p.category.id()) else { return };
        let by = suggestion(Detector::Boilerplate, p.confidence, &p.reason, p.category.id());
        let Some(bytes) = trimmed(&self.article.text, p.bytes.clone()) else { return };
        let mut a = self.make(&map.label, bytes, by);
        if let (Some(attr), Some(v)) = (&map.attribute, value) {
            a = a.with_value(attr, v);
        }
        // Any boilerplate already over part of it (a person's, or a rejected proposal) wins.
        if !self.overlaps_label(&a) {
            self.made.push(a);
        }
    }

    fn attribution(&mut self, map: &CategoryMap, q: &quotes::Attribution, claims: bool, entity: Option<EntityId>) {
        let book = self.ask.book;
        let kind = match q.kind {
            quotes::Kind::Direct => "direct",
            quotes::Kind::Indirect => "indirect",
            quotes::Kind::Mixed => "mixed",
        };
        let by = || suggestion(Detector::Quotes, q.confidence, q.reason, kind);
        let source_rel = book.source_relation();
        let cue_rel = book.cue_relation();
        // The speaker: an existing Source on the same words is reused, never doubled.
        let source = match (q.speaker.clone().and_then(|r| trimmed(&self.article.text, r)), source_rel) {
            (Some(r), Some(rel)) => {
                let mut a = self.make(&rel.to[0], r, by());
                a.entity = entity;
                match self.same(&a) {
                    Some(there) if there.is_rejected() => None,
                    Some(there) => Some(there.id.clone()),
                    None => {
                        let id = a.id.clone();
                        self.made.push(a);
                        Some(id)
                    }
                }
            }
            _ => None,
        };
        if !claims {
            return;
        }
        let Some(value) = map.value_of(kind) else { return };
        let mut pieces = q.content.iter().filter_map(|r| trimmed(&self.article.text, r.clone()));
        let Some(first) = pieces.next() else { return };
        let mut claim = self.make(&map.label, first, by());
        for r in pieces {
            let b = ByteRange::new(r.start, r.end);
            let chars = self.article.index.to_chars(&self.article.text, b);
            claim.fragments.push(Fragment::over(&self.article.text, b, chars));
        }
        if let (Some(attr), Some(v)) = (&map.attribute, value) {
            claim = claim.with_value(attr, v);
        }
        // A claim already over these words (coded, proposed or rejected) is left as it is.
        if self.overlaps_label(&claim) {
            return;
        }
        if let (Some(id), Some(rel)) = (source, source_rel) {
            claim.link(&rel.id, id);
        }
        if let (Some(r), Some(rel)) = (q.cue.clone().and_then(|r| trimmed(&self.article.text, r)), cue_rel) {
            let cue = self.make(&rel.to[0], r, by());
            // A cue belongs to one claim: one already there is someone else's.
            if self.same(&cue).is_none() {
                claim.link(&rel.id, cue.id.clone());
                self.made.push(cue);
            }
        }
        self.made.push(claim);
    }
}

/// The entity of each attribution's speaker (`speakers`), resolved in the text's order so a
/// pronoun finds the speakers named before it; all `None` without a registry.
fn speaker_entities(article: &Article, ask: &Ask, found: &[quotes::Attribution]) -> Vec<Option<EntityId>> {
    let mut out = vec![None; found.len()];
    let Some(registry) = ask.registry else { return out };
    let text = &article.text;
    let mut known = speakers::Speakers::new(text, registry, ask.book);
    for a in ask.existing.iter().filter(|a| !a.is_rejected() && ask.book.mentions_entity(&a.label)) {
        if let Some(id) = &a.entity
            && let Some(at) = article.index.byte_of(text, a.start)
        {
            known.mentioned(at, id.clone());
        }
    }
    let mut order: Vec<(usize, Range<usize>)> =
        found.iter().enumerate().filter_map(|(i, a)| Some((i, a.speaker.clone()?))).collect();
    order.sort_by_key(|(_, r)| r.start);
    for (i, r) in order {
        out[i] = known.entity_of(text, r);
    }
    out
}

/// Adjacent proposals of one category (only whitespace between them) as one: a menu of forty
/// links is one navigation span for a coder to accept or reject with one key, not forty.
fn runs(text: &str, proposals: Vec<boilerplate::Proposal>) -> Vec<boilerplate::Proposal> {
    let mut out: Vec<boilerplate::Proposal> = Vec::with_capacity(proposals.len());
    for p in proposals {
        match out.last_mut() {
            Some(last)
                if last.category == p.category
                    && last.bytes.end <= p.bytes.start
                    && text.get(last.bytes.end..p.bytes.start).is_some_and(|gap| gap.trim().is_empty()) =>
            {
                last.bytes.end = p.bytes.end;
                last.confidence = last.confidence.min(p.confidence);
            }
            _ => out.push(p),
        }
    }
    out
}

fn suggestion(d: Detector, confidence: f32, reason: &str, category: &str) -> Suggestion {
    Suggestion {
        detector: d.name().to_owned(),
        version: d.version(),
        confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() as u8,
        reason: reason.to_owned(),
        category: category.to_owned(),
    }
}

/// `r` without whitespace at its edges (a span never starts or ends with it); `None` when
/// nothing is left.
fn trimmed(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = text.get(r.clone())?;
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests;
