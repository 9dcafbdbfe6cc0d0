//! Boilerplate an outlet repeats: text a coder accepted as boilerplate in one article,
//! proposed wherever the same (or nearly the same) text appears in the outlet's other
//! articles.
//!
//! An outlet's template (its donation appeal, its footer, its newsletter prompt) comes back
//! in every article, often with a word changed; the page detector judges each page alone and
//! can miss it, while a coder who marked it once should not have to mark it again. So this
//! detector learns from the coding, not from rules: a pass over the corpus first collects
//! every accepted boilerplate annotation per outlet ([`Outlets::learn`]), then each article
//! gets a proposal for each line that repeats one ([`Outlets::propose`]), with the kind the
//! coder gave. It is pure: no files, no clock; the caller reads and saves.
//!
//! Text is compared line by line (a page's text holds a block per paragraph, a plain text a
//! paragraph per line or block), normalised (whitespace runs as one space, lower case): the
//! same line is a match, and so is a line of at least [`MIN_NEAR_CHARS`] characters whose
//! character 4-shingles have a Jaccard similarity of at least [`NEAR`] with a learned line's
//! (one character changed in a line of 80 loses at most 4 of its 77 shingles: 0.90). Matched
//! lines next to each other that repeat the same accepted annotation become one proposal.
//! As with every detector, nothing is proposed where any annotation of the boilerplate label
//! (a person's, an open suggestion or a rejected one) already overlaps, so a second run adds
//! nothing and a rejected proposal is not made again.

use crate::model::annotation::{Annotation, LabelId, Status, Suggestion};
use crate::model::article::Article;
use crate::model::codebook::CategoryMap;
use crate::model::meta::ArticleMeta;
use crate::model::units::ByteRange;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The name recorded in the suggestions' origin.
pub const NAME: &str = "outlet";

/// Bumped when what this detector proposes changes.
pub const VERSION: u32 = 1;

/// The least Jaccard similarity of two lines' shingles for them to be the same text.
pub const NEAR: f64 = 0.9;

/// Lines shorter than this (in characters, normalised) match only when they are the same
/// text: a short line has too few shingles for a similarity to mean anything.
pub const MIN_NEAR_CHARS: usize = 32;

/// Shingles are runs of this many characters of a normalised line.
const SHINGLE: usize = 4;

/// A line shorter than this (in characters, normalised) is never learned: "Share", "—" or a
/// number would match too much that a coder never meant.
const MIN_CHARS: usize = 4;

/// The outlet an article belongs to, as a key: the host of its URL (without `www.`), else
/// the outlet its metadata names, else its folder (a container's records: the container),
/// `""` for the corpus root. Corpora are often saved a folder per outlet.
pub fn outlet_of(id: &str, meta: &ArticleMeta) -> String {
    if let Some(host) = meta.url.as_deref().and_then(host_of) {
        return format!("host:{host}");
    }
    if let Some(o) = meta.outlet.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        return format!("outlet:{}", o.to_lowercase());
    }
    let file = crate::model::corpus::file_of_id(id);
    if file.len() < id.len() {
        return format!("folder:{file}");
    }
    format!("folder:{}", file.rsplit_once('/').map_or("", |(dir, _)| dir))
}

/// The host of an absolute URL, lower case, without a `www.` and a port.
fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

/// One learned line of an outlet's accepted boilerplate.
#[derive(Debug, Clone)]
struct Unit {
    /// The first accepted annotation that holds the line: its article, id and kind.
    article: String,
    annotation: String,
    kind: Option<String>,
    /// The articles whose accepted boilerplate holds the line.
    articles: Vec<String>,
    /// Sorted, without repeats; empty for a line too short for similarity.
    shingles: Vec<u64>,
}

/// What one outlet's coders accepted as boilerplate.
#[derive(Debug, Default, Clone)]
struct Learned {
    units: Vec<Unit>,
    /// Normalised line → unit.
    exact: HashMap<String, usize>,
    /// Shingle → the units that have it.
    postings: HashMap<u64, Vec<usize>>,
}

/// The accepted boilerplate of every outlet of a corpus.
#[derive(Debug, Default, Clone)]
pub struct Outlets {
    by: HashMap<String, Learned>,
}

impl Outlets {
    /// Whether nothing was learned (then [`propose`](Self::propose) proposes nothing).
    pub fn is_empty(&self) -> bool {
        self.by.is_empty()
    }

    /// How many distinct lines were learned across all outlets.
    pub fn lines(&self) -> usize {
        self.by.values().map(|l| l.units.len()).sum()
    }

    /// Learns the accepted annotations of `map.label` among `anns` (an article's file, in
    /// any status: only accepted ones are learned) of article `article` of `outlet`.
    pub fn learn(&mut self, outlet: &str, article: &str, anns: &[Annotation], map: &CategoryMap) {
        for a in anns.iter().filter(|a| a.status == Status::Accepted && a.label.as_str() == map.label) {
            let kind = kind_of(a, map);
            for (_, quote) in a.pieces() {
                for line in quote.split('\n') {
                    let norm = normalised(line);
                    if norm.chars().count() < MIN_CHARS {
                        continue;
                    }
                    let learned = self.by.entry(outlet.to_owned()).or_default();
                    if let Some(&u) = learned.exact.get(&norm) {
                        let unit = &mut learned.units[u];
                        if !unit.articles.iter().any(|x| x == article) {
                            unit.articles.push(article.to_owned());
                        }
                        continue;
                    }
                    let shingles = shingles(&norm);
                    let u = learned.units.len();
                    for s in &shingles {
                        learned.postings.entry(*s).or_default().push(u);
                    }
                    learned.units.push(Unit {
                        article: article.to_owned(),
                        annotation: a.id.0.clone(),
                        kind: kind.clone(),
                        articles: vec![article.to_owned()],
                        shingles,
                    });
                    learned.exact.insert(norm, u);
                }
            }
        }
    }

    /// Proposals of `map.label` for `article` of `outlet`: each line (or run of adjacent
    /// lines) that repeats accepted boilerplate of another article of the outlet, with its
    /// kind, where no annotation of the label among `existing` (the file's, rejected
    /// included, and any made this run) overlaps it.
    pub fn propose(
        &self,
        outlet: &str,
        article: &Article,
        existing: &[Annotation],
        map: &CategoryMap,
        now: &str,
    ) -> Vec<Annotation> {
        let Some(learned) = self.by.get(outlet) else { return Vec::new() };
        let text = &article.text;
        // (bytes, unit, exact) of each matching line, in text order.
        let mut hits: Vec<(ByteRange, usize, bool)> = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let bytes = ByteRange::new(start + lead, start + lead + trimmed.len());
            let norm = normalised(trimmed);
            let found = match learned.exact.get(&norm) {
                Some(&u) => Some((u, true)),
                None => learned.near(&norm).map(|u| (u, false)),
            };
            if let Some((u, exact)) = found
                && learned.units[u].articles.iter().any(|x| *x != article.id)
            {
                hits.push((bytes, u, exact));
            }
        }
        let mut out: Vec<Annotation> = Vec::new();
        let mut i = 0;
        while i < hits.len() {
            let (first, u, mut exact) = hits[i];
            let mut end = first.end;
            let mut j = i + 1;
            // Lines of one accepted annotation, with only whitespace between, are one span.
            while let Some(&(next, v, e)) = hits.get(j) {
                let same = learned.units[v].annotation == learned.units[u].annotation
                    && learned.units[v].article == learned.units[u].article
                    && learned.units[v].kind == learned.units[u].kind;
                if !same || !text[end..next.start].trim().is_empty() {
                    break;
                }
                end = next.end;
                exact &= e;
                j += 1;
            }
            i = j;
            let unit = &learned.units[u];
            let bytes = ByteRange::new(first.start, end);
            let by = Suggestion {
                detector: NAME.to_owned(),
                version: VERSION,
                confidence: if exact { 90 } else { 75 },
                reason: format!(
                    "{} text was accepted as boilerplate in {} of this outlet",
                    if exact { "the same" } else { "nearly the same" },
                    unit.article
                ),
                category: if exact { "same-text" } else { "near-duplicate" }.to_owned(),
            };
            let chars = article.index.to_chars(text, bytes);
            let mut a = Annotation::new_proposed(LabelId::new(&map.label), text, bytes, chars, by, now);
            if let (Some(attr), Some(kind)) = (&map.attribute, &unit.kind) {
                a = a.with_value(attr, kind);
            }
            let overlaps = |b: &Annotation| b.label == a.label && b.start < a.hull().end && a.start < b.hull().end;
            if !existing.iter().chain(&out).any(overlaps) {
                out.push(a);
            }
        }
        out
    }
}

impl Learned {
    /// The learned line most like `norm` by shingles, if one reaches [`NEAR`].
    fn near(&self, norm: &str) -> Option<usize> {
        let mine = shingles(norm);
        if mine.is_empty() {
            return None;
        }
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for s in &mine {
            for &u in self.postings.get(s).into_iter().flatten() {
                *shared.entry(u).or_default() += 1;
            }
        }
        let jaccard = |u: usize, n: usize| n as f64 / (mine.len() + self.units[u].shingles.len() - n) as f64;
        shared
            .into_iter()
            .map(|(u, n)| (u, jaccard(u, n)))
            .filter(|&(_, j)| j >= NEAR)
            // The most similar; the first learned among equals, so runs are reproducible.
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(u, _)| u)
    }
}

/// The value of the map's attribute on `a` (its kind), if it has one.
fn kind_of(a: &Annotation, map: &CategoryMap) -> Option<String> {
    let attr = map.attribute.as_ref()?;
    a.attributes.get(attr).and_then(|v| v.ids().first().map(|s| (*s).to_owned()))
}

/// A line as lines are compared: whitespace runs as one space, lower case.
fn normalised(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for w in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The hashes of a normalised line's character 4-shingles, sorted, without repeats; none for
/// a line shorter than [`MIN_NEAR_CHARS`].
fn shingles(norm: &str) -> Vec<u64> {
    let chars: Vec<char> = norm.chars().collect();
    if chars.len() < MIN_NEAR_CHARS {
        return Vec::new();
    }
    let mut out: Vec<u64> = chars
        .windows(SHINGLE)
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
