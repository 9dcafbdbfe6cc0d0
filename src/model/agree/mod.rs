//! Intercoder agreement: how far several coders' annotations of the same articles agree,
//! label by label, for every pair of coders and for all of them together.
//!
//! A study is only publishable with its reliability, and each figure answers another
//! question: span agreement (did they mark the same things?), character κ and α (did they
//! cover the same text?), unitizing α (did they cut it into the same units?), attribute and
//! attribution agreement (did they say the same about what they both marked?), and the
//! confusion of labels (what did one call what the other called a claim?). The figures are
//! defined, with formulas and a worked example, in docs/agreement.md.
//!
//! [`corpus_agreement`] takes each coder's annotations per article (already read: the CLI
//! reads folders with [`load::read`], the TUI's stats view and the HTML report can pass what
//! they hold) and gives [`Agreement`]. Articles are tallied apart, on every core, and the
//! tallies added; nothing walks code points one by one.

pub mod attributes;
pub mod chars;
pub mod confusion;
pub mod load;
pub mod report;
pub mod spans;
pub mod unitizing;
pub mod units;

use crate::model::annotation::{Annotation, LabelId};
use crate::model::codebook::Codebook;
use attributes::{Alpha, Attribution, PairValues};
use chars::{FullAlpha, Overall, PairTable};
use confusion::Confusion;
use serde::Serialize;
use spans::{SpanFigures, SpanTally, mean};
use unitizing::Layout;
use units::Coding;

/// An article of the comparison: its id and its text's length in code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInfo {
    pub id: String,
    pub chars: usize,
}

/// One coder's annotations: `docs[i]` are those of article `i` of the comparison (all of
/// them as the file holds them: which count is decided here). A coder with no file for an
/// article has an empty list there: they coded nothing in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderDocs {
    pub coder: String,
    pub docs: Vec<Vec<Annotation>>,
}

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The labels compared, in this order (default: every label of the codebook).
    pub labels: Option<Vec<LabelId>>,
    /// Figures for each article as well as for the corpus.
    pub per_article: bool,
}

/// Every figure, for the corpus and (when asked) per article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub coders: Vec<String>,
    /// The label ids compared.
    pub labels: Vec<String>,
    pub articles: usize,
    /// Code points compared (the articles' lengths added up).
    pub chars: u64,
    /// Annotations left out per coder because a piece did not fit the text.
    pub misfits: Vec<u64>,
    pub corpus: Figures,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_article: Vec<ArticleFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleFigures {
    pub id: String,
    pub chars: u64,
    pub figures: Figures,
}

/// The figures of one scope (the corpus or one article).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub labels: Vec<LabelFigures>,
    /// All compared labels at once: spans must match in label too; a code point's value is
    /// the set of labels covering it; α_U as DKPro's all-category figure.
    pub overall: LabelFigures,
    pub attributes: Vec<AttributeFigures>,
    /// `None` when the codebook has no attribution, or its content label is not compared.
    pub attribution: Option<AttributionFigures>,
    pub confusion: ConfusionFigures,
}

/// One label's figures (or `overall`'s).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelFigures {
    pub label: String,
    /// Units per coder.
    pub units: Vec<u64>,
    /// Code points covered per coder.
    pub covered: Vec<u64>,
    /// Span agreement, the mean over pairs.
    pub spans: SpanFigures,
    /// Cohen's κ on code points, the mean over pairs.
    pub kappa: Option<f64>,
    /// Krippendorff's α (nominal) on code points, all coders.
    pub alpha: Option<f64>,
    /// Krippendorff's unitizing α, all coders.
    pub unitizing_alpha: Option<f64>,
    pub pairs: Vec<PairFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairFigures {
    pub coders: [String; 2],
    pub spans: SpanFigures,
    pub kappa: Option<f64>,
    pub unitizing_alpha: Option<f64>,
}

/// Agreement on one attribute of one label, on matched units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeFigures {
    pub label: String,
    pub attribute: String,
    /// Groups of matched units (two coders or more) the α is over.
    pub units: u64,
    /// Krippendorff's α (nominal), all coders.
    pub alpha: Option<f64>,
    /// Cohen's κ, the mean over pairs.
    pub kappa: Option<f64>,
    pub pairs: Vec<AttributePair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributePair {
    pub coders: [String; 2],
    pub matched: u64,
    pub agreed: u64,
    pub kappa: Option<f64>,
}

/// Of the claims two coders both marked, how many they attributed alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionFigures {
    /// The content label (claims).
    pub label: String,
    /// The share, the mean over pairs.
    pub share: Option<f64>,
    pub pairs: Vec<AttributionPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionPair {
    pub coders: [String; 2],
    pub matched: u64,
    pub same: u64,
    /// Of the `same`, the claims neither coder linked to a source.
    pub neither: u64,
    pub share: Option<f64>,
}

/// Labels on overlapping units: rows the first coder of a pair, columns the second; the
/// last row and column (`none`) for units the other coder's units do not touch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfusionFigures {
    /// The compared labels, then `none`.
    pub labels: Vec<String>,
    /// Summed over all pairs.
    pub all: Vec<Vec<u64>>,
    pub pairs: Vec<ConfusionPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfusionPair {
    pub coders: [String; 2],
    pub counts: Vec<Vec<u64>>,
}

/// The name of the overall row and of "no unit" in the confusion table.
pub const OVERALL: &str = "overall";

/// The attributes compared: (label position, attribute id) for each attribute the codebook
/// gives a compared label, in codebook order.
fn attribute_slots(book: &Codebook, labels: &[LabelId]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (l, id) in labels.iter().enumerate() {
        for def in book.attributes_for(id.as_str()) {
            out.push((l, def.id.clone()));
        }
    }
    out
}

/// What the figures of one scope are made from: sums, so articles add up.
#[derive(Debug, Clone)]
struct Tally {
    chars: u64,
    /// [pair][label]
    spans: Vec<Vec<SpanTally>>,
    tables: Vec<Vec<PairTable>>,
    /// [label]
    alpha: Vec<FullAlpha<bool>>,
    overall: Option<Overall>,
    /// [label][coder]
    units: Vec<Vec<u64>>,
    covered: Vec<Vec<u64>>,
    /// [slot][pair], [slot]
    attr_pairs: Vec<Vec<PairValues>>,
    attr_alpha: Vec<Alpha>,
    /// [pair]
    attribution: Vec<Attribution>,
    confusion: Vec<Confusion>,
    misfits: Vec<u64>,
}

/// Everything one article gives: its tally and its units' layouts for α_U.
struct ArticleTally {
    tally: Tally,
    /// [label][coder]
    layouts: Vec<Vec<Layout>>,
}

/// The context every article is tallied in.
struct Setup {
    labels: Vec<LabelId>,
    pairs: Vec<(usize, usize)>,
    slots: Vec<(usize, String)>,
    /// (content label position, source relation id)
    attribution: Option<(usize, String)>,
}

fn tally_article(s: &Setup, chars: usize, docs: &[&[Annotation]]) -> ArticleTally {
    let nl = s.labels.len();
    let codings: Vec<Coding> = docs.iter().map(|d| Coding::of(d, &s.labels, chars)).collect();
    let mut spans = Vec::with_capacity(s.pairs.len());
    let mut tables = Vec::with_capacity(s.pairs.len());
    let mut confusion = Vec::with_capacity(s.pairs.len());
    for &(a, b) in &s.pairs {
        spans.push((0..nl).map(|l| SpanTally::of(&codings[a], &codings[b], l)).collect());
        tables.push((0..nl).map(|l| PairTable::of(&codings[a].covered[l], &codings[b].covered[l], chars)).collect());
        confusion.push(Confusion::of(&codings[a], &codings[b], nl));
    }
    let alpha = (0..nl)
        .map(|l| chars::label_alpha(&codings.iter().map(|c| c.covered[l].as_slice()).collect::<Vec<_>>(), chars))
        .collect();
    let overall = (nl <= chars::MAX_OVERALL_LABELS).then(|| {
        let steps: Vec<_> = codings.iter().map(|c| chars::steps(&c.covered)).collect();
        Overall::of(&steps, &s.pairs, chars)
    });
    let units = (0..nl).map(|l| codings.iter().map(|c| c.of_label(l).count() as u64).collect()).collect();
    let covered = (0..nl).map(|l| codings.iter().map(|c| units::length(&c.covered[l]) as u64).collect()).collect();
    // Matchings of every label that needs them (attributes, attribution), per pair.
    let mut matchings: Vec<Option<Vec<spans::Matching>>> = vec![None; nl];
    let needed = s.slots.iter().map(|x| x.0).chain(s.attribution.iter().map(|x| x.0));
    for l in needed {
        if matchings[l].is_none() {
            matchings[l] = Some(s.pairs.iter().map(|&(a, b)| spans::matching(&codings[a], &codings[b], l)).collect());
        }
    }
    let mut attr_pairs = Vec::with_capacity(s.slots.len());
    let mut attr_alpha = Vec::with_capacity(s.slots.len());
    for (l, attr) in &s.slots {
        let per_pair = matchings[*l].as_ref().map_or(&[][..], Vec::as_slice);
        let value =
            |coder: usize, unit: usize| attributes::value_of(&docs[coder][codings[coder].units[unit].ann], attr);
        let mut pairs = Vec::with_capacity(s.pairs.len());
        for (p, &(a, b)) in s.pairs.iter().enumerate() {
            let mut v = PairValues::default();
            for &(i, j) in &per_pair[p] {
                v.push(value(a, i), value(b, j));
            }
            pairs.push(v);
        }
        let keyed: Vec<attributes::PairMatching> = s.pairs.iter().copied().zip(per_pair.iter().cloned()).collect();
        let counts: Vec<usize> = codings.iter().map(|c| c.units.len()).collect();
        let mut alpha = Alpha::default();
        for group in attributes::groups(&keyed, &counts) {
            alpha.unit(&group.iter().map(|&(c, u)| value(c, u)).collect::<Vec<_>>());
        }
        attr_pairs.push(pairs);
        attr_alpha.push(alpha);
    }
    let attribution = match &s.attribution {
        Some((l, rel)) => s
            .pairs
            .iter()
            .enumerate()
            .map(|(p, &(a, b))| {
                let matched = &matchings[*l].as_ref().expect("matched above")[p];
                Attribution::of((&codings[a], docs[a]), (&codings[b], docs[b]), matched, rel)
            })
            .collect(),
        None => vec![Attribution::default(); s.pairs.len()],
    };
    let layouts = (0..nl)
        .map(|l| {
            codings
                .iter()
                .map(|c| Layout::of(c.of_label(l).flat_map(|(_, u)| u.pieces.iter().copied()).collect(), chars))
                .collect()
        })
        .collect();
    let misfits = codings.iter().map(|c| c.misfits as u64).collect();
    ArticleTally {
        tally: Tally {
            chars: chars as u64,
            spans,
            tables,
            alpha,
            overall,
            units,
            covered,
            attr_pairs,
            attr_alpha,
            attribution,
            confusion,
            misfits,
        },
        layouts,
    }
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.chars += o.chars;
        for (x, y) in self.spans.iter_mut().flatten().zip(o.spans.iter().flatten()) {
            x.add(y);
        }
        for (x, y) in self.tables.iter_mut().flatten().zip(o.tables.iter().flatten()) {
            x.add(y);
        }
        for (x, y) in self.alpha.iter_mut().zip(&o.alpha) {
            x.add(y);
        }
        if let (Some(x), Some(y)) = (&mut self.overall, &o.overall) {
            x.add(y);
        }
        for (x, y) in self.units.iter_mut().flatten().zip(o.units.iter().flatten()) {
            *x += y;
        }
        for (x, y) in self.covered.iter_mut().flatten().zip(o.covered.iter().flatten()) {
            *x += y;
        }
        for (x, y) in self.attr_pairs.iter_mut().flatten().zip(o.attr_pairs.iter().flatten()) {
            x.add(y);
        }
        for (x, y) in self.attr_alpha.iter_mut().zip(&o.attr_alpha) {
            x.add(y);
        }
        for (x, y) in self.attribution.iter_mut().zip(&o.attribution) {
            x.add(y);
        }
        for (x, y) in self.confusion.iter_mut().zip(&o.confusion) {
            x.add(y);
        }
        for (x, y) in self.misfits.iter_mut().zip(&o.misfits) {
            *x += y;
        }
    }
}

/// One α_U tally's results: its α_U, its disagreements, and whether any coder had a unit
/// (the labels the all-label figure averages over).
#[derive(Debug, Clone, Copy)]
struct UStat {
    alpha: Option<f64>,
    observed: f64,
    expected: f64,
    used: bool,
}

/// A label's α_U results: for each pair, and for all coders.
type UStats = (Vec<UStat>, UStat);

impl UStat {
    fn of(t: &unitizing::Tally) -> Self {
        let used = !t.units.is_empty() && t.length > 0;
        let (observed, expected) =
            if used { (t.observed_disagreement(), t.expected_disagreement()) } else { (0.0, 0.0) };
        let alpha = if used && t.coders >= 2 { unitizing::alpha_of(observed, expected) } else { None };
        UStat { alpha, observed, expected, used }
    }
}

/// The figures of a tally; `layouts[label][coder]` are the coders' layouts of the scope's
/// articles in order (one article, or the whole corpus end to end).
fn figures(s: &Setup, coders: &[String], t: &Tally, layouts: &[Vec<Vec<&Layout>>]) -> Figures {
    let nl = s.labels.len();
    let names = |(a, b): (usize, usize)| [coders[a].clone(), coders[b].clone()];
    let everyone: Vec<usize> = (0..coders.len()).collect();
    // α_U's tallies, once per label for every pair and for all coders: each walks every
    // article of the scope, so the labels of a corpus are done on their own cores.
    let unitized = |l: usize| -> UStats {
        let of = |subset: &[usize]| {
            let per: Vec<Vec<&Layout>> = subset.iter().map(|&c| layouts[l][c].clone()).collect();
            UStat::of(&unitizing::Tally::of(&per))
        };
        (s.pairs.iter().map(|&(a, b)| of(&[a, b])).collect(), of(&everyone))
    };
    let many = layouts.first().and_then(|l| l.first()).is_some_and(|x| x.len() > 1);
    let ustats: Vec<UStats> = if many {
        std::thread::scope(|scope| {
            let unitized = &unitized;
            let workers: Vec<_> = (0..nl).map(|l| scope.spawn(move || unitized(l))).collect();
            workers.into_iter().map(|w| w.join().expect("an α_U worker panicked")).collect()
        })
    } else {
        (0..nl).map(unitized).collect()
    };
    let mut labels = Vec::with_capacity(nl);
    for (l, (upairs, uall)) in ustats.iter().enumerate() {
        let pairs: Vec<PairFigures> = s
            .pairs
            .iter()
            .enumerate()
            .map(|(p, &(a, b))| PairFigures {
                coders: names((a, b)),
                spans: t.spans[p][l].figures(),
                kappa: t.tables[p][l].kappa(),
                unitizing_alpha: upairs[p].alpha,
            })
            .collect();
        labels.push(LabelFigures {
            label: s.labels[l].as_str().to_owned(),
            units: t.units[l].clone(),
            covered: t.covered[l].clone(),
            spans: SpanFigures::mean(&pairs.iter().map(|p| p.spans).collect::<Vec<_>>()),
            kappa: mean(pairs.iter().map(|p| p.kappa)),
            alpha: t.alpha[l].alpha(),
            unitizing_alpha: uall.alpha,
            pairs,
        });
    }
    // Overall α_U: DKPro's mean observed over mean expected disagreement, over the labels
    // some coder used.
    let overall_u = |pick: &dyn Fn(&UStats) -> UStat| {
        let used: Vec<UStat> = ustats.iter().map(pick).filter(|u| u.used).collect();
        if used.is_empty() || coders.len() < 2 {
            return None;
        }
        let k = used.len() as f64;
        let d_o = used.iter().map(|u| u.observed).sum::<f64>() / k;
        let d_e = used.iter().map(|u| u.expected).sum::<f64>() / k;
        unitizing::alpha_of(d_o, d_e)
    };
    let overall_pairs: Vec<PairFigures> = s
        .pairs
        .iter()
        .enumerate()
        .map(|(p, &(a, b))| {
            let mut sum = SpanTally::default();
            t.spans[p].iter().for_each(|x| sum.add(x));
            PairFigures {
                coders: names((a, b)),
                spans: sum.figures(),
                kappa: t.overall.as_ref().and_then(|o| o.kappa(p, a, b)),
                unitizing_alpha: overall_u(&|u| u.0[p]),
            }
        })
        .collect();
    let sum_coders = |rows: &[Vec<u64>]| (0..coders.len()).map(|c| rows.iter().map(|r| r[c]).sum()).collect();
    let overall = LabelFigures {
        label: OVERALL.to_owned(),
        units: sum_coders(&t.units),
        covered: sum_coders(&t.covered),
        spans: SpanFigures::mean(&overall_pairs.iter().map(|p| p.spans).collect::<Vec<_>>()),
        kappa: mean(overall_pairs.iter().map(|p| p.kappa)),
        alpha: t.overall.as_ref().and_then(|o| o.alpha.alpha()),
        unitizing_alpha: overall_u(&|u| u.1),
        pairs: overall_pairs,
    };
    let attributes = s
        .slots
        .iter()
        .enumerate()
        .map(|(k, (l, attr))| {
            let pairs: Vec<AttributePair> = s
                .pairs
                .iter()
                .enumerate()
                .map(|(p, &ab)| {
                    let v = &t.attr_pairs[k][p];
                    AttributePair { coders: names(ab), matched: v.matched, agreed: v.agreed, kappa: v.kappa() }
                })
                .collect();
            AttributeFigures {
                label: s.labels[*l].as_str().to_owned(),
                attribute: attr.clone(),
                units: t.attr_alpha[k].units,
                alpha: t.attr_alpha[k].alpha(),
                kappa: mean(pairs.iter().map(|p| p.kappa)),
                pairs,
            }
        })
        .collect();
    let attribution = s.attribution.as_ref().map(|(l, _)| {
        let pairs: Vec<AttributionPair> = s
            .pairs
            .iter()
            .zip(&t.attribution)
            .map(|(&ab, x)| AttributionPair {
                coders: names(ab),
                matched: x.matched,
                same: x.same,
                neither: x.neither,
                share: x.share(),
            })
            .collect();
        AttributionFigures {
            label: s.labels[*l].as_str().to_owned(),
            share: mean(pairs.iter().map(|p| p.share)),
            pairs,
        }
    });
    let mut all = Confusion::new(nl);
    t.confusion.iter().for_each(|c| all.add(c));
    let confusion = ConfusionFigures {
        labels: s.labels.iter().map(|l| l.as_str().to_owned()).chain([attributes::NONE.to_owned()]).collect(),
        all: all.counts,
        pairs: s
            .pairs
            .iter()
            .zip(&t.confusion)
            .map(|(&ab, c)| ConfusionPair { coders: names(ab), counts: c.counts.clone() })
            .collect(),
    };
    Figures { labels, overall, attributes, attribution, confusion }
}

/// Every figure of `coders` over `articles` (`coders[c].docs[i]` are coder c's annotations
/// of `articles[i]`), by the labels and attributes of `book`. Entities are compared as the
/// annotations name them: resolve merged entities first (the CLI does).
///
/// # Panics
/// When a coder's `docs` does not have one list per article.
pub fn corpus_agreement(articles: &[ArticleInfo], coders: &[CoderDocs], book: &Codebook, opts: &Options) -> Agreement {
    assert!(coders.iter().all(|c| c.docs.len() == articles.len()), "one list of annotations per article and coder");
    let labels: Vec<LabelId> =
        opts.labels.clone().unwrap_or_else(|| book.labels.iter().map(|l| LabelId::new(l.id.clone())).collect());
    let m = coders.len();
    let pairs: Vec<(usize, usize)> = (0..m).flat_map(|a| (a + 1..m).map(move |b| (a, b))).collect();
    let attribution = book.attribution.as_ref().and_then(|at| {
        let l = labels.iter().position(|x| x.as_str() == at.content)?;
        Some((l, book.source_relation()?.id.clone()))
    });
    let setup = Setup { slots: attribute_slots(book, &labels), labels, pairs, attribution };
    let names: Vec<String> = coders.iter().map(|c| c.coder.clone()).collect();

    // Articles on every core, in contiguous blocks so the results come back in order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, articles.len().max(1));
    let block = articles.len().div_ceil(threads).max(1);
    let done: Vec<Vec<(ArticleTally, Option<Figures>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..articles.len())
            .step_by(block)
            .map(|from| {
                let (setup, names) = (&setup, &names);
                scope.spawn(move || {
                    (from..(from + block).min(articles.len()))
                        .map(|i| {
                            let docs: Vec<&[Annotation]> = coders.iter().map(|c| c.docs[i].as_slice()).collect();
                            let t = tally_article(setup, articles[i].chars, &docs);
                            let f = opts.per_article.then(|| {
                                let l: Vec<Vec<Vec<&Layout>>> =
                                    t.layouts.iter().map(|per| per.iter().map(|x| vec![x]).collect()).collect();
                                figures(setup, names, &t.tally, &l)
                            });
                            (t, f)
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("an agreement worker panicked")).collect()
    });
    let done: Vec<(ArticleTally, Option<Figures>)> = done.into_iter().flatten().collect();

    let mut total = tally_article(&setup, 0, &vec![&[][..]; m]).tally;
    for (t, _) in &done {
        total.add(&t.tally);
    }
    let nl = setup.labels.len();
    let layouts: Vec<Vec<Vec<&Layout>>> =
        (0..nl).map(|l| (0..m).map(|c| done.iter().map(|(t, _)| &t.layouts[l][c]).collect()).collect()).collect();
    let corpus = figures(&setup, &names, &total, &layouts);
    let per_article = done
        .into_iter()
        .zip(articles)
        .filter_map(|((t, f), a)| f.map(|figures| ArticleFigures { id: a.id.clone(), chars: t.tally.chars, figures }))
        .collect();
    Agreement {
        coders: names,
        labels: setup.labels.iter().map(|l| l.as_str().to_owned()).collect(),
        articles: articles.len(),
        chars: total.chars,
        misfits: total.misfits.clone(),
        corpus,
        per_article,
    }
}

/// Krippendorff's α (nominal, on code points, all coders) for each label of the codebook
/// that any coder used, over the whole corpus: the "agreement per label" the stats view and
/// the HTML report chart. `None` with fewer than two coders or when their folders cannot be
/// read (then `newsnote agree` says why).
pub fn alpha_per_label(
    corpus: &crate::model::corpus::Corpus,
    coders: &[(String, std::path::PathBuf)],
    registry: Option<&crate::model::entities::Registry>,
    book: &Codebook,
) -> Option<Vec<(String, f64)>> {
    if coders.len() < 2 {
        return None;
    }
    let read = load::read(corpus, coders, registry, false).ok()?;
    let a = corpus_agreement(&read.articles, &read.coders, book, &Options::default());
    Some(a.corpus.labels.iter().filter_map(|l| Some((book.label_name(&LabelId::new(&l.label)), l.alpha?))).collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::model::annotation::{Annotation, LabelId};
    use crate::model::units::{CharIndex, CharRange};

    /// An accepted annotation of `label` over code points `s..e` of `text`.
    pub(crate) fn ann(label: &str, text: &str, s: usize, e: usize) -> Annotation {
        let idx = CharIndex::new(text);
        let bytes = idx.to_bytes(text, CharRange::new(s, e)).expect("inside the text");
        Annotation::new_manual(LabelId::new(label), text, bytes, CharRange::new(s, e), "тест", "2026-12-01T00:00:00Z")
    }
}

/// The worked example of docs/agreement.md: its numbers are these.
#[cfg(test)]
mod worked_example {
    use super::tests::ann;
    use super::*;
    use crate::model::annotation::AttrValue;
    use crate::model::entities::EntityId;

    const TEXT: &str = "Песков сказал: «Мир близок». Лавров молчал.";

    fn coder(name: &str, claim: (usize, usize), value: &str, entity: Option<&str>) -> CoderDocs {
        let book = Codebook::default_scheme();
        let rel = book.source_relation().unwrap().id.clone();
        let mut source = ann("Source", TEXT, 0, 6);
        source.entity = entity.map(|e| EntityId(e.into()));
        let mut c = ann("Claim", TEXT, claim.0, claim.1);
        c.attributes.insert("quote_type".into(), AttrValue::One(value.into()));
        c.link(&rel, source.id.clone());
        CoderDocs { coder: name.into(), docs: vec![vec![source, c]] }
    }

    #[test]
    fn the_documented_worked_example_gives_the_documented_figures() {
        let book = Codebook::default_scheme();
        let coders = [coder("Анна", (15, 27), "direct", Some("peskov")), coder("Борис", (16, 26), "indirect", None)];
        let articles = [ArticleInfo { id: "пример".into(), chars: TEXT.chars().count() }];
        let labels = Some(vec![LabelId::new("Source"), LabelId::new("Claim")]);
        let a = corpus_agreement(&articles, &coders, book, &Options { labels, per_article: false });
        let near = |got: Option<f64>, want: f64| {
            let got = got.expect("a figure");
            assert!((got - want).abs() < 5e-7, "{got} ≠ {want}");
        };
        assert_eq!(a.chars, 43);
        let (source, claim, all) = (&a.corpus.labels[0], &a.corpus.labels[1], &a.corpus.overall);
        assert_eq!(
            (source.spans.exact.f1, source.kappa, source.alpha, source.unitizing_alpha),
            (Some(1.0), Some(1.0), Some(1.0), Some(1.0))
        );
        assert_eq!((claim.spans.exact.f1, claim.spans.overlap.f1), (Some(0.0), Some(1.0)));
        near(claim.kappa, 310.0 / 353.0);
        near(claim.alpha, 619.0 / 704.0);
        near(claim.unitizing_alpha, 0.977301);
        assert_eq!(
            (all.spans.exact.precision, all.spans.exact.recall, all.spans.exact.f1),
            (Some(0.5), Some(0.5), Some(0.5))
        );
        near(all.kappa, 0.915521);
        near(all.alpha, 0.916339);
        near(all.unitizing_alpha, 0.986243);
        let qt = &a.corpus.attributes[0];
        assert_eq!((qt.attribute.as_str(), qt.pairs[0].matched, qt.pairs[0].agreed), ("quote_type", 1, 0));
        assert_eq!((qt.kappa, qt.alpha), (Some(0.0), Some(0.0)));
        let at = a.corpus.attribution.as_ref().unwrap();
        assert_eq!(
            (at.pairs[0].matched, at.pairs[0].same, at.share),
            (1, 1, Some(1.0)),
            "entity on one side: the source spans overlap"
        );
        assert_eq!(a.corpus.confusion.all[1][1], 1, "Claim on Claim");
    }
}
