//! The review report as data: what the HTML page and the Markdown report both show.
//!
//! The lists (sources with how many claims each makes, claims with their source, boilerplate
//! by kind), the per-article counts and the corpus totals are computed once here, so the two
//! formats can only differ in how they write them, never in what they count.
//!
//! Open suggestions are listed with the coding, each marked ([`suggestion_mark`]), and
//! counted apart: every count and total is of the coding (accepted annotations) alone, and
//! the suggestions waiting for a person have their own count.

use super::ExportArticle;
use super::entities::ExportEntity;
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use crate::model::entities::EntityId;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What the reports say under an article's heading: its byline (outlet · day · authors, of
/// what is known) and its link, the canonical URL when it is a web one ([`super::web_url`]),
/// else the URL as text; both `None` for plain text, whose heading is as it always was.
pub fn byline(art: &ExportArticle) -> (Option<String>, Option<Link>) {
    let link = match (super::web_url(&art.meta), &art.meta.url) {
        (Some(href), _) => Some(Link::Web(href)),
        (None, Some(url)) if !url.trim().is_empty() => Some(Link::Text(url.clone())),
        _ => None,
    };
    (art.meta.byline(), link)
}

/// An article's URL in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// An `http`/`https` URL, percent-encoded ASCII: safe as an `href` or an autolink.
    Web(String),
    /// Anything else (`javascript:…`, a relative path): shown, never linked.
    Text(String),
}

/// One entity in "who is quoted": how often it is mentioned, how many claims are
/// attributed to it, in how many articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    pub entity: Arc<ExportEntity>,
    /// Exported mentions linked to it.
    pub mentions: usize,
    /// Claims with at least one source linked to it (counted over every valid annotation,
    /// as a source's claims are).
    pub claims: usize,
    /// Articles that mention it.
    pub articles: usize,
}

/// "Who is quoted" over the corpus, gathered article by article (the reports' first pass).
/// Entities are counted as what they resolve to, so a merged entity's mentions count for
/// the one it was merged into.
#[derive(Debug, Default)]
pub struct WhoIsQuoted {
    by: BTreeMap<EntityId, Quoted>,
}

impl WhoIsQuoted {
    /// Counts one article.
    pub fn add(&mut self, art: &ExportArticle, cb: &Codebook) {
        let mut seen: BTreeSet<EntityId> = BTreeSet::new();
        for a in art.annotations.iter().filter(|a| cb.mentions_entity(&a.label)) {
            let Some(e) = art.entity(a) else { continue };
            let q = self.entry(&e);
            q.mentions += 1;
            if seen.insert(e.id.clone()) {
                q.articles += 1;
            }
        }
        for c in art.all.iter().filter(|c| cb.is_content(&c.label)) {
            let by: BTreeSet<EntityId> = art.source_entities(cb, c).iter().map(|e| e.id.clone()).collect();
            for id in by {
                let e = art.entities.get(&id);
                self.entry(&e).claims += 1;
            }
        }
    }

    fn entry(&mut self, e: &Arc<ExportEntity>) -> &mut Quoted {
        self.by.entry(e.id.clone()).or_insert_with(|| Quoted { entity: e.clone(), mentions: 0, claims: 0, articles: 0 })
    }

    /// The entities, most claims first, then most mentions, then by name.
    pub fn rows(&self) -> Vec<&Quoted> {
        let mut rows: Vec<&Quoted> = self.by.values().collect();
        rows.sort_by(|a, b| {
            (b.claims, b.mentions).cmp(&(a.claims, a.mentions)).then_with(|| a.entity.label().cmp(b.entity.label()))
        });
        rows
    }

    pub fn is_empty(&self) -> bool {
        self.by.is_empty()
    }
}

/// How the reports mark an open suggestion, `suggested by quotes-1 (87%)`; `None` for the
/// coding (a suggestion once accepted is coding like any other annotation).
pub fn suggestion_mark(a: &Annotation) -> Option<String> {
    a.is_proposed().then(|| {
        let r = super::Review::of(a);
        match r.confidence {
            Some(c) => format!("suggested by {} ({c}%)", r.origin),
            None => format!("suggested ({})", r.origin),
        }
    })
}

/// Corpus totals: of the coding, and the open suggestions apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub articles: usize,
    pub sources: usize,
    pub claims: usize,
    pub unsourced: usize,
    /// Every other label of the codebook by name, in codebook order.
    pub others: Vec<(String, usize)>,
    /// Suggestions waiting for a person, of any label.
    pub suggested: usize,
}

impl Totals {
    /// The totals as (name, count), in the order both reports show them.
    pub fn rows(&self) -> Vec<(String, usize)> {
        let mut rows = vec![
            ("articles".to_string(), self.articles),
            ("sources".into(), self.sources),
            ("claims".into(), self.claims),
            ("claims with no source".into(), self.unsourced),
        ];
        rows.extend(self.others.iter().map(|(n, c)| (n.to_lowercase(), *c)));
        // Only where there are some: a report of a corpus without suggestions is as before.
        if self.suggested > 0 {
            rows.push(("suggestions to review".into(), self.suggested));
        }
        rows
    }
}

impl Totals {
    /// Adds the totals of another part of the corpus (a report streamed article by article
    /// counts each article alone); `others` are of the same codebook, in the same order.
    pub fn add(&mut self, part: &Totals) {
        self.articles += part.articles;
        self.sources += part.sources;
        self.claims += part.claims;
        self.unsourced += part.unsourced;
        self.suggested += part.suggested;
        for ((_, n), (_, m)) in self.others.iter_mut().zip(&part.others) {
            *n += m;
        }
    }
}

/// The annotations of one label that is neither a source nor attributed content (in the
/// default codebook: cues and boilerplate), each with how the codebook names it
/// ("donation appeal"), ordered by that value's place in the codebook.
#[derive(Debug)]
pub struct OtherLabel<'a> {
    pub name: String,
    pub items: Vec<(String, &'a Annotation)>,
}

/// One article's section.
#[derive(Debug)]
pub struct ArticleReport<'a> {
    pub art: &'a ExportArticle,
    /// Each exported source and how many claims it makes (counted over every valid
    /// annotation, so a claim filtered out by `--label` still counts), suggestions included.
    pub sources: Vec<(&'a Annotation, usize)>,
    /// Each exported claim and the sources that make it (those that exist), suggestions
    /// included.
    pub claims: Vec<(&'a Annotation, Vec<&'a Annotation>)>,
    /// Accepted claims with no source.
    pub unsourced: usize,
    /// The other labels, in codebook order; labels without any left out.
    pub others: Vec<OtherLabel<'a>>,
    /// How many accepted annotations of each other label, in codebook order, none left out.
    pub other_counts: Vec<(String, usize)>,
    /// How many of the exported annotations are open suggestions.
    pub suggested: usize,
    /// The editor's review of the exported annotations, when any of them has a review entry;
    /// `None` for an article no one reviewed, whose section is as it always was.
    pub review: Option<crate::model::review::Tally>,
}

impl ArticleReport<'_> {
    /// "3 sources · 5 claims (1 without a source) · 2 boilerplate", of the coding, then
    /// " · 4 suggestions to review" when there are some.
    pub fn counts(&self) -> String {
        let mut s = format!(
            "{} sources · {} claims ({} without a source)",
            accepted(&self.sources),
            accepted(&self.claims),
            self.unsourced
        );
        for (name, n) in &self.other_counts {
            s.push_str(&format!(" · {n} {}", name.to_lowercase()));
        }
        if self.suggested > 0 {
            s.push_str(&format!(" · {} suggestions to review", self.suggested));
        }
        s
    }
}

#[derive(Debug)]
pub struct Report<'a> {
    pub articles: Vec<ArticleReport<'a>>,
    pub totals: Totals,
}

pub fn build<'a>(articles: &'a [ExportArticle], cb: &Codebook) -> Report<'a> {
    let mut totals = Totals::default();
    let rel = cb.source_relation().map(|r| r.id.as_str()).unwrap_or("");
    let others: Vec<_> =
        cb.labels.iter().filter(|l| !cb.is_content(&label_id(l)) && !cb.is_source(&label_id(l))).collect();
    totals.others = others.iter().map(|l| (l.name.clone(), 0)).collect();
    let articles: Vec<ArticleReport> = articles
        .iter()
        .map(|art| {
            let sources: Vec<_> = art
                .annotations
                .iter()
                .filter(|a| cb.is_source(&a.label))
                .map(|s| (s, art.all.iter().filter(|c| c.linked(rel).contains(&s.id)).count()))
                .collect();
            let claims: Vec<_> = art
                .annotations
                .iter()
                .filter(|a| cb.is_content(&a.label))
                .map(|c| (c, art.sources_of(cb, c)))
                .collect();
            let unsourced = claims.iter().filter(|(c, s)| !c.is_proposed() && s.is_empty()).count();
            let mut groups = Vec::new();
            let mut other_counts = Vec::new();
            for (n, l) in others.iter().enumerate() {
                let asked = cb.asked_on_tag(&l.id);
                let rank = |a: &Annotation| {
                    let v = asked
                        .and_then(|d| a.attributes.get(&d.id))
                        .and_then(|v| v.ids().first().map(|s| s.to_string()));
                    asked
                        .and_then(|d| d.kind.values().iter().position(|x| Some(&x.id) == v.as_ref()))
                        .unwrap_or(usize::MAX)
                };
                let mut items: Vec<(usize, String, &Annotation)> = art
                    .annotations
                    .iter()
                    .filter(|a| a.label.as_str() == l.id)
                    .map(|a| {
                        let name = asked
                            .and_then(|d| a.attributes.get(&d.id).map(|v| cb.value_name(&d.id, v)))
                            .unwrap_or_else(|| l.name.to_lowercase());
                        (rank(a), name, a)
                    })
                    .collect();
                items.sort_by_key(|(r, _, _)| *r);
                let coded = items.iter().filter(|(_, _, a)| !a.is_proposed()).count();
                totals.others[n].1 += coded;
                other_counts.push((l.name.clone(), coded));
                if !items.is_empty() {
                    groups.push(OtherLabel {
                        name: l.name.clone(),
                        items: items.into_iter().map(|(_, n, a)| (n, a)).collect(),
                    });
                }
            }
            let suggested = art.proposed();
            totals.articles += 1;
            totals.sources += accepted(&sources);
            totals.claims += accepted(&claims);
            totals.unsourced += unsourced;
            totals.suggested += suggested;
            let review = reviewed(art).then(|| crate::model::review::Tally::of(&art.annotations));
            ArticleReport { art, sources, claims, unsourced, others: groups, other_counts, suggested, review }
        })
        .collect();
    Report { articles, totals }
}

/// Whether any exported annotation of `art` has an editor's review entry: only then do the
/// reports show review states (a corpus without review reads as before).
pub fn reviewed(art: &ExportArticle) -> bool {
    art.annotations.iter().any(|a| !a.reviews.is_empty())
}

/// How the reports show an annotation's review: `✓ approved by NAME, TIME`, `✗ disputed by
/// NAME, TIME`, or `· unreviewed`, in words and a mark, never by colour alone.
pub fn review_mark(a: &Annotation) -> String {
    use crate::model::annotation::Verdict;
    match a.verdict() {
        Some(r) => {
            let mark = if r.verdict == Verdict::Approved { "✓" } else { "✗" };
            format!("{mark} {} by {}, {}", crate::model::review::state(a), r.by, r.at)
        }
        None => "· unreviewed".into(),
    }
}

/// Every comment of an annotation's review, oldest first: (comment, reviewer, time, the
/// verdict it came with, if any).
pub fn review_comments(a: &Annotation) -> Vec<(&str, &str, &str, Option<&'static str>)> {
    use crate::model::annotation::Verdict;
    a.reviews
        .iter()
        .filter_map(|r| {
            let with = match r.verdict {
                Verdict::Approved => Some("approved"),
                Verdict::Disputed => Some("disputed"),
                Verdict::Comment => None,
            };
            r.comment.as_deref().map(|c| (c, r.by.as_str(), r.at.as_str(), with))
        })
        .collect()
}

/// How many of the listed annotations are coding, not open suggestions.
fn accepted<T>(items: &[(&Annotation, T)]) -> usize {
    items.iter().filter(|(a, _)| !a.is_proposed()).count()
}

fn label_id(l: &crate::model::codebook::LabelDef) -> crate::model::annotation::LabelId {
    crate::model::annotation::LabelId::new(l.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::samples;

    #[test]
    fn the_report_counts_what_both_formats_show() {
        let arts = samples();
        let cb = Codebook::default_scheme();
        let r = build(&arts, cb);
        let others = vec![("Cue".to_string(), 26), ("Boilerplate".to_string(), 4)];
        assert_eq!(r.totals, Totals { articles: 2, sources: 27, claims: 36, unsourced: 9, others, suggested: 0 });
        let cnn = &r.articles[1];
        assert_eq!(cnn.unsourced, 7);
        assert!(cnn.sources.iter().any(|(s, n)| s.quote == "Peskov" && *n == 2));
        let bp = cnn.others.iter().find(|o| o.name == "Boilerplate").unwrap();
        assert!(bp.items.iter().any(|(k, _)| k == "copyright footer"));
    }

    #[test]
    fn who_is_quoted_counts_mentions_claims_and_articles_per_resolved_entity() {
        let art = crate::export::tests::rich_linked();
        let cb = Codebook::default_scheme();
        let mut who = WhoIsQuoted::default();
        who.add(&art, cb);
        who.add(&art, cb);
        let rows = who.rows();
        assert_eq!(rows.len(), 2);
        let peskov = rows.iter().find(|q| q.entity.name.as_deref() == Some("Дмитрий Песков")).unwrap();
        assert_eq!((peskov.mentions, peskov.claims, peskov.articles), (2, 2, 2));
        let kreml = rows.iter().find(|q| q.entity.id.as_str() == "kreml").unwrap();
        assert_eq!((kreml.entity.name.as_deref(), kreml.claims), (None, 2));
    }
}
