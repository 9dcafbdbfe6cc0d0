//! The picture of a project: the figures the stats view (`S`), `newsnote stats` and the HTML
//! report's "Project" section chart.
//!
//! It exists so that the three can only differ in how they draw, never in what they count:
//! each caller feeds [`Gather`] one article at a time (the report streams its articles, the
//! TUI reads annotation files on a job) and gets the same [`Picture`]. Only the coding counts
//! (accepted annotations); open suggestions are counted apart and rejected ones not at all,
//! as everywhere else in newsnote. Which labels are sources, claims and boilerplate comes from
//! the codebook (`is_content`, `mentions_entity`, `not_article`), never from names here.
//!
//! Entities are named through a resolver ([`Who`]) rather than a registry, because the
//! report only holds the export's resolved entities while the TUI and the CLI hold the
//! registry itself; both resolve through merges, so a merged entity's mentions count for
//! the entity it became.

use super::annotation::{Annotation, AttrValue, LabelId};
use super::codebook::Codebook;
use super::corpus::{AnnotationRoot, Counts};
use super::entities::{EntityId, Registry};
use super::progress::{Progress, Stage};
use super::team::Team;
use std::collections::BTreeMap;
use std::path::Path;

/// One bar of a chart: what it stands for and its count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bar {
    pub name: String,
    pub value: usize,
}

impl Bar {
    fn new(name: impl Into<String>, value: usize) -> Self {
        Self { name: name.into(), value }
    }
}

/// One article's figures, in corpus order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArticleFigures {
    pub id: String,
    /// Its length in code points.
    pub chars: usize,
    /// Accepted annotations of the codebook's attributed content (claims).
    pub claims: usize,
    /// Code points under at least one accepted annotation of a `not_article` label
    /// (boilerplate), each counted once however many spans cover it.
    pub boilerplate: usize,
}

impl ArticleFigures {
    /// The boilerplate share of the article, 0 to 1 (0 for an empty article).
    pub fn share(&self) -> f64 {
        ratio_of(self.boilerplate, self.chars)
    }
}

/// `part` / `whole`, 0 when `whole` is 0.
pub fn ratio_of(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// Who a mention's entity is now (after merges), as a chart names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The id it resolves to: mentions of two ids merged into one count together.
    pub id: EntityId,
    pub name: String,
    /// Its values of the codebook's entity attributes, by attribute id, by the codebook's
    /// names (several for a several-of attribute).
    pub values: BTreeMap<String, Vec<String>>,
}

impl Who {
    /// The entity `id` stands for in `registry`, its values named by `cb`; `None` for an id
    /// the registry lacks.
    pub fn of(registry: &Registry, cb: &Codebook, id: &EntityId) -> Option<Who> {
        let e = registry.resolve(id)?;
        let mut values = BTreeMap::new();
        for def in cb.entity_attributes() {
            let Some(v) = e.attributes.get(&def.id) else { continue };
            let names = match v.ids() {
                ids if !ids.is_empty() => {
                    ids.into_iter().map(|i| cb.entity_value_name(&def.id, &AttrValue::One(i.to_owned()))).collect()
                }
                _ => vec![v.to_string()],
            };
            values.insert(def.id.clone(), names);
        }
        Some(Who { id: e.id.clone(), name: e.name.clone(), values })
    }
}

/// One coder's progress: articles they marked done, of the corpus's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoderProgress {
    pub name: String,
    pub done: usize,
    pub of: usize,
    /// Why their progress file could not be read (then `done` is 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One entity attribute's chart: mentions of sources by the attribute's value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ByValue {
    /// The attribute's id and its name in the codebook.
    pub attribute: String,
    pub name: String,
    /// In codebook order, then values it lacks, then "(not set)".
    pub bars: Vec<Bar>,
}

/// The figures of a corpus.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Picture {
    pub articles: Vec<ArticleFigures>,
    /// Accepted annotations by label, in codebook order (every label of it, none left out),
    /// then labels the codebook lacks.
    pub labels: Vec<Bar>,
    /// Open suggestions, of any label (not in `labels` until a person accepts them).
    pub suggested: usize,
    /// Source mentions by the entity they name, most mentions first, then by name.
    pub entities: Vec<Bar>,
    /// Source mentions that name no entity.
    pub unlinked: usize,
    /// Source mentions by each entity attribute's value (the codebook's entity type…).
    pub by_value: Vec<ByValue>,
    /// The names of the labels counted as boilerplate (`not_article`); empty when the
    /// codebook has none, and then there is no boilerplate share.
    pub boilerplate_labels: Vec<String>,
    /// Each coder of the corpus's team and their done marks; empty without a team.
    pub coders: Vec<CoderProgress>,
    /// Agreement per label, 0 to 1, when it was computed (`model::agree` fills it in); `None`
    /// is "not computed", never zero.
    pub agreement: Option<Vec<(String, f64)>>,
}

impl Picture {
    /// Code points under boilerplate and in all, over every article.
    pub fn boilerplate(&self) -> (usize, usize) {
        self.articles.iter().fold((0, 0), |(b, c), a| (b + a.boilerplate, c + a.chars))
    }

    /// The overall boilerplate share, 0 to 1.
    pub fn boilerplate_share(&self) -> f64 {
        let (b, c) = self.boilerplate();
        ratio_of(b, c)
    }

    /// Accepted claims in all.
    pub fn claims(&self) -> usize {
        self.articles.iter().map(|a| a.claims).sum()
    }

    /// How many articles have each number of claims: a bar per count from 0 to the most, when
    /// that is at most [`HISTOGRAM_BARS`] bars; else ranges of equal width.
    pub fn claims_histogram(&self) -> Vec<Bar> {
        let Some(most) = self.articles.iter().map(|a| a.claims).max() else { return vec![] };
        let width = (most + 1).div_ceil(HISTOGRAM_BARS);
        let mut bars: Vec<Bar> = (0..=most / width)
            .map(|i| {
                let (lo, hi) = (i * width, (i * width + width - 1).min(most));
                Bar::new(if lo == hi { lo.to_string() } else { format!("{lo}–{hi}") }, 0)
            })
            .collect();
        for a in &self.articles {
            bars[a.claims / width].value += 1;
        }
        bars
    }
}

/// The most bars a histogram of claims per article has.
pub const HISTOGRAM_BARS: usize = 12;

/// Code points of an article `chars` long that lie under at least one piece of an accepted
/// annotation of a label the codebook marks `not_article`; pieces past the end are cut.
pub fn boilerplate_chars(cb: &Codebook, chars: usize, annotations: &[Annotation]) -> usize {
    let mut spans: Vec<(usize, usize)> = annotations
        .iter()
        .filter(|a| a.status == super::annotation::Status::Accepted)
        .filter(|a| cb.label(a.label.as_str()).is_some_and(|l| l.not_article))
        .flat_map(|a| a.pieces().map(|(r, _)| (r.start.min(chars), r.end.min(chars))))
        .filter(|(s, e)| s < e)
        .collect();
    spans.sort_unstable();
    // The union of the spans, in one pass: overlapping boilerplate is counted once.
    let (mut total, mut reach) = (0, 0);
    for (s, e) in spans {
        let s = s.max(reach);
        if e > s {
            total += e - s;
            reach = e;
        }
    }
    total
}

/// Gathers a [`Picture`] article by article.
#[derive(Debug)]
pub struct Gather<'a> {
    cb: &'a Codebook,
    articles: Vec<ArticleFigures>,
    labels: Counts,
    /// Mentions by the entity id the annotation names (resolved in [`Gather::finish`]).
    mentions: BTreeMap<EntityId, usize>,
    unlinked: usize,
}

impl<'a> Gather<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self { cb, articles: Vec::new(), labels: Counts::default(), mentions: BTreeMap::new(), unlinked: 0 }
    }

    /// Counts one article `chars` code points long with `annotations` (a whole file may be
    /// given: only accepted annotations are coding, open suggestions are counted apart).
    pub fn add(&mut self, id: &str, chars: usize, annotations: &[Annotation]) {
        let cb = self.cb;
        let mut claims = 0;
        for a in annotations {
            self.labels.count(a);
            if a.status != super::annotation::Status::Accepted {
                continue;
            }
            if cb.is_content(&a.label) {
                claims += 1;
            }
            if cb.mentions_entity(&a.label) {
                match &a.entity {
                    Some(e) => *self.mentions.entry(e.clone()).or_default() += 1,
                    None => self.unlinked += 1,
                }
            }
        }
        let boilerplate = boilerplate_chars(cb, chars, annotations);
        self.articles.push(ArticleFigures { id: id.to_owned(), chars, claims, boilerplate });
    }

    /// The picture, each mention's entity named by `who` (`None`: an id no registry knows,
    /// counted under that id); no coders and no agreement yet (see [`coders_progress`]).
    pub fn finish(&self, who: impl Fn(&EntityId) -> Option<Who>) -> Picture {
        let cb = self.cb;
        let mut labels: Vec<Bar> = cb.labels.iter().map(|l| Bar::new(&l.name, self.labels.of(&l.id))).collect();
        let mut others: Vec<(&LabelId, usize)> =
            self.labels.iter().filter(|(l, _)| cb.label(l.as_str()).is_none()).collect();
        others.sort();
        labels.extend(others.into_iter().map(|(l, n)| Bar::new(cb.label_name(l), n)));
        // By the entity each id resolves to, keeping who they are for the value charts.
        let mut by: BTreeMap<EntityId, (Who, usize)> = BTreeMap::new();
        for (id, &n) in &self.mentions {
            let w = who(id).unwrap_or_else(|| Who { id: id.clone(), name: id.to_string(), values: BTreeMap::new() });
            by.entry(w.id.clone()).or_insert((w, 0)).1 += n;
        }
        let mut entities: Vec<Bar> = by.values().map(|(w, n)| Bar::new(&w.name, *n)).collect();
        entities.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
        let mut by_value = Vec::new();
        for def in cb.entity_attributes() {
            let mut counts: BTreeMap<Option<&str>, usize> = BTreeMap::new();
            for (w, n) in by.values() {
                match w.values.get(&def.id) {
                    Some(names) if !names.is_empty() => {
                        names.iter().for_each(|v| *counts.entry(Some(v)).or_default() += n)
                    }
                    _ => *counts.entry(None).or_default() += n,
                }
            }
            // Codebook order, then values it lacks (by name), then "(not set)".
            let known: Vec<String> = def
                .kind
                .values()
                .iter()
                .map(|v| cb.entity_value_name(&def.id, &AttrValue::One(v.id.clone())))
                .collect();
            let place = |v: &Option<&str>| match v {
                Some(v) => known.iter().position(|k| k == v).unwrap_or(known.len()),
                None => known.len() + 1,
            };
            let mut rows: Vec<(Option<&str>, usize)> = counts.into_iter().collect();
            rows.sort_by_key(|(v, _)| place(v));
            let bars = rows.into_iter().map(|(v, n)| Bar::new(v.unwrap_or("(not set)"), n)).collect();
            by_value.push(ByValue { attribute: def.id.clone(), name: def.name.clone(), bars });
        }
        Picture {
            articles: self.articles.clone(),
            labels,
            suggested: self.labels.proposed_total(),
            entities,
            unlinked: self.unlinked,
            by_value,
            boilerplate_labels: cb.labels.iter().filter(|l| l.not_article).map(|l| l.name.clone()).collect(),
            coders: Vec::new(),
            agreement: None,
        }
    }
}

/// Each coder of `team` (named ones first, then folders found) with how many of `articles`
/// their progress file marks done. A coder with no progress file yet has done none.
pub fn coders_progress<'a>(
    root: &Path,
    team: &Team,
    articles: impl IntoIterator<Item = &'a str> + Clone,
) -> Vec<CoderProgress> {
    let of = articles.clone().into_iter().count();
    team.coders(root)
        .into_iter()
        .map(|(name, dir)| {
            let path = Progress::locate(root, &AnnotationRoot::Mirrored(dir));
            match Progress::open(&path) {
                Ok(p) => CoderProgress { name, done: p.count(articles.clone(), Stage::Done), of, error: None },
                Err(e) => CoderProgress { name, done: 0, of, error: Some(e.to_string()) },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::Status;
    use crate::model::units::{ByteRange, CharRange};

    fn cb() -> &'static Codebook {
        Codebook::default_scheme()
    }

    /// An accepted annotation of `label` over `quote`'s first occurrence in `text`.
    fn ann(text: &str, label: &str, quote: &str) -> Annotation {
        let b = text.find(quote).expect("quote in text");
        let s = text[..b].chars().count();
        let span = CharRange::new(s, s + quote.chars().count());
        Annotation::new_manual(LabelId::new(label), text, ByteRange::new(b, b + quote.len()), span, "tester", "now")
    }

    const TEXT: &str = "«Мы не отступим», — сказал Дмитрий Песков. Подпишитесь на рассылку! 広告です。";

    fn labels(p: &Picture) -> BTreeMap<&str, usize> {
        p.labels.iter().map(|b| (b.name.as_str(), b.value)).collect()
    }

    #[test]
    fn boilerplate_share_counts_overlapping_spans_once_in_code_points() {
        let cb = cb();
        let bp = cb.labels.iter().find(|l| l.not_article).expect("the default codebook has boilerplate").id.clone();
        let chars = TEXT.chars().count();
        let a = ann(TEXT, &bp, "Подпишитесь на рассылку!");
        let b = ann(TEXT, &bp, "рассылку! 広告です。");
        let n = boilerplate_chars(cb, chars, &[a.clone(), b]);
        assert_eq!(n, "Подпишитесь на рассылку! 広告です。".chars().count());
        // A suggestion not yet accepted is not coding.
        let open = Annotation { status: Status::Proposed, ..ann(TEXT, &bp, "«Мы не отступим»") };
        assert_eq!(boilerplate_chars(cb, chars, &[a.clone(), open]), a.quote.chars().count());
        // A label that is article text is never boilerplate.
        let other = cb.labels.iter().find(|l| !l.not_article).unwrap().id.clone();
        assert_eq!(boilerplate_chars(cb, chars, &[ann(TEXT, &other, "Дмитрий Песков")]), 0);
    }

    #[test]
    fn claims_per_article_and_the_label_mix_count_only_the_coding() {
        let cb = cb();
        let content = cb.attribution.as_ref().unwrap().content.clone();
        let mut g = Gather::new(cb);
        let claim = ann(TEXT, &content, "«Мы не отступим»");
        let open = Annotation { status: Status::Proposed, ..ann(TEXT, &content, "Подпишитесь") };
        let rejected = Annotation { status: Status::Rejected, ..ann(TEXT, &content, "広告です") };
        g.add("ру/один.txt", TEXT.chars().count(), &[claim, open, rejected]);
        g.add("日本/二.txt", 5, &[]);
        let p = g.finish(|_| None);
        assert_eq!(p.articles.iter().map(|a| a.claims).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(p.claims(), 1);
        assert_eq!(p.suggested, 1, "the open suggestion, apart");
        let name = &cb.label(&content).unwrap().name;
        assert_eq!(labels(&p)[name.as_str()], 1);
        assert_eq!(p.labels.len(), cb.labels.len(), "every label of the codebook, none left out");
        assert_eq!(p.claims_histogram(), [Bar::new("0", 1), Bar::new("1", 1)]);
    }

    #[test]
    fn a_histogram_of_many_claim_counts_has_ranges_of_equal_width() {
        let mut p = Picture::default();
        for (i, n) in [0, 3, 30, 7, 7].into_iter().enumerate() {
            p.articles.push(ArticleFigures { id: format!("статья-{i}"), chars: 10, claims: n, boilerplate: 0 });
        }
        let h = p.claims_histogram();
        assert!(h.len() <= HISTOGRAM_BARS, "{h:?}");
        assert_eq!(h[0], Bar::new("0–2", 1));
        assert_eq!(h.iter().map(|b| b.value).sum::<usize>(), 5);
        assert_eq!(h.last().unwrap().name, "30");
    }

    #[test]
    fn sources_count_for_the_entity_their_id_resolves_to_and_by_its_type() {
        let cb = cb();
        let source = cb.labels.iter().find(|l| cb.mentions_entity(&LabelId::new(l.id.clone()))).unwrap().id.clone();
        let attr = cb.entity_attributes().first().expect("the default codebook types entities");
        let value = attr.kind.values()[0].id.clone();
        let value_name = cb.entity_value_name(&attr.id, &AttrValue::One(value.clone()));
        let with = |q: &str, e: &str| Annotation { entity: Some(EntityId::new(e)), ..ann(TEXT, &source, q) };
        let mut g = Gather::new(cb);
        g.add("а.txt", 80, &[with("Дмитрий", "peskov"), with("Песков", "dmitry-peskov"), ann(TEXT, &source, "広告")]);
        g.add("б.txt", 80, &[with("Мы", "anon")]);
        // "peskov" was merged into "dmitry-peskov"; "anon" is not in any registry.
        let p = g.finish(|id| {
            (id.as_str() != "anon").then(|| Who {
                id: EntityId::new("dmitry-peskov"),
                name: "Дмитрий Песков".into(),
                values: BTreeMap::from([(attr.id.clone(), vec![value_name.clone()])]),
            })
        });
        assert_eq!(p.entities, [Bar::new("Дмитрий Песков", 2), Bar::new("anon", 1)]);
        assert_eq!(p.unlinked, 1);
        let types = &p.by_value[0];
        assert_eq!(types.attribute, attr.id);
        assert_eq!(types.bars, [Bar::new(value_name, 2), Bar::new("(not set)", 1)]);
    }

    #[test]
    fn coders_progress_counts_each_coders_done_marks_and_none_without_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let team = Team { coders: vec!["Zoë".into(), "Łukasz".into()], ..Team::default() };
        let zoe = team.coder_dir(dir.path(), "Zoë").unwrap();
        std::fs::create_dir_all(&zoe).unwrap();
        let mut p = Progress::empty(&Progress::locate(dir.path(), &AnnotationRoot::Mirrored(zoe)));
        p.set("ру/один.txt", Stage::Done, "Zoë", "2026-12-01T00:00:00Z");
        p.set("gone.txt", Stage::Done, "Zoë", "2026-12-01T00:00:00Z");
        p.save().unwrap();
        let ids = ["ру/один.txt", "日本/二.txt"];
        let got = coders_progress(dir.path(), &team, ids.iter().copied());
        let rows: Vec<(&str, usize, usize)> = got.iter().map(|c| (c.name.as_str(), c.done, c.of)).collect();
        assert_eq!(rows, [("Zoë", 1, 2), ("Łukasz", 0, 2)], "an article no longer in the corpus is not counted");
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(coders_progress(elsewhere.path(), &Team::default(), ids.iter().copied()).is_empty(), "no team");
    }
}
