//! The review report as data: what the HTML page and the Markdown report both show.
//!
//! The lists (sources with how many claims each makes, claims with their source, boilerplate
//! by kind), the per-article counts and the corpus totals are computed once here, so the two
//! formats can only differ in how they write them, never in what they count.

use super::ExportArticle;
use crate::model::annotation::{Annotation, BoilerplateKind, Label};

/// Corpus totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub articles: usize,
    pub sources: usize,
    pub claims: usize,
    pub unsourced: usize,
    pub boilerplate: usize,
}

impl Totals {
    /// The totals as (name, count), in the order both reports show them.
    pub fn rows(&self) -> [(&'static str, usize); 5] {
        [
            ("articles", self.articles),
            ("sources", self.sources),
            ("claims", self.claims),
            ("claims with no source", self.unsourced),
            ("boilerplate", self.boilerplate),
        ]
    }
}

/// One article's section.
#[derive(Debug)]
pub struct ArticleReport<'a> {
    pub art: &'a ExportArticle,
    /// Each exported source and how many claims it makes (counted over every valid
    /// annotation, so a claim filtered out by `--label` still counts).
    pub sources: Vec<(&'a Annotation, usize)>,
    /// Each exported claim and the source that makes it, if that source exists.
    pub claims: Vec<(&'a Annotation, Option<&'a Annotation>)>,
    pub unsourced: usize,
    /// Boilerplate by kind, in `BoilerplateKind::ALL` order; kinds without any left out.
    pub boilerplate: Vec<(BoilerplateKind, Vec<&'a Annotation>)>,
    pub boilerplate_count: usize,
}

impl ArticleReport<'_> {
    /// "3 sources · 5 claims (1 without a source) · 2 boilerplate".
    pub fn counts(&self) -> String {
        format!(
            "{} sources · {} claims ({} without a source) · {} boilerplate",
            self.sources.len(),
            self.claims.len(),
            self.unsourced,
            self.boilerplate_count
        )
    }
}

#[derive(Debug)]
pub struct Report<'a> {
    pub articles: Vec<ArticleReport<'a>>,
    pub totals: Totals,
}

pub fn build(articles: &[ExportArticle]) -> Report<'_> {
    let mut totals = Totals::default();
    let articles: Vec<ArticleReport> = articles
        .iter()
        .map(|art| {
            let sources: Vec<_> = art
                .annotations
                .iter()
                .filter(|a| a.label == Label::Source)
                .map(|s| (s, art.all.iter().filter(|c| c.source.as_ref() == Some(&s.id)).count()))
                .collect();
            let claims: Vec<_> =
                art.annotations.iter().filter(|a| a.label == Label::Claim).map(|c| (c, art.source_of(c))).collect();
            let unsourced = claims.iter().filter(|(_, s)| s.is_none()).count();
            let boilerplate: Vec<_> = BoilerplateKind::ALL
                .into_iter()
                .map(|k| (k, art.annotations.iter().filter(|a| a.label == Label::Boilerplate(k)).collect::<Vec<_>>()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let boilerplate_count = boilerplate.iter().map(|(_, v)| v.len()).sum();
            totals.articles += 1;
            totals.sources += sources.len();
            totals.claims += claims.len();
            totals.unsourced += unsourced;
            totals.boilerplate += boilerplate_count;
            ArticleReport { art, sources, claims, unsourced, boilerplate, boilerplate_count }
        })
        .collect();
    Report { articles, totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::samples;

    #[test]
    fn the_report_counts_what_both_formats_show() {
        let arts = samples();
        let r = build(&arts);
        assert_eq!(r.totals, Totals { articles: 2, sources: 27, claims: 36, unsourced: 9, boilerplate: 4 });
        let cnn = &r.articles[1];
        assert_eq!(cnn.unsourced, 7);
        assert!(cnn.sources.iter().any(|(s, n)| s.quote == "Peskov" && *n == 2));
        assert!(cnn.boilerplate.iter().any(|(k, _)| *k == BoilerplateKind::Copyright));
    }
}
