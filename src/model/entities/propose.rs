//! Which entity a new mention most likely means, so that linking it is one key.
//!
//! An exact name or alias comes first. A pronoun ("he", "she", "they" — whatever words the
//! codebook's entity attributes list) means the most recent compatible entity mentioned
//! before it in the article. A bare surname or a description containing a name ("Kremlin
//! spokesman Dmitry Peskov") means an entity whose name it contains, or that contains it,
//! preferring one already mentioned nearby. Everything else follows, so the list is also
//! the full list to filter.

use super::{Entity, EntityId, Registry, normalize};
use crate::model::codebook::Codebook;
use std::collections::{HashMap, HashSet};

/// Why an entity is proposed, in the order the reasons rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// The mention is its name or one of its aliases.
    Alias,
    /// The mention is a pronoun, and this is the last compatible entity before it.
    Pronoun,
    /// The mention contains its name, or is part of it (a surname).
    Name,
    /// Mentioned earlier in the article.
    Recent,
    /// Any other entity of the corpus.
    Other,
}

impl Why {
    /// A few words for the picker.
    pub fn describe(self) -> &'static str {
        match self {
            Why::Alias => "same name",
            Why::Pronoun => "last mentioned",
            Why::Name => "name matches",
            Why::Recent => "in this article",
            Why::Other => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub entity: EntityId,
    pub why: Why,
}

/// Every live entity, the likeliest first, for a mention reading `mention` whose article
/// mentions `earlier` (in text order) before it. The first is a real proposal when its
/// [`Why`] is better than [`Why::Other`].
pub fn propose(mention: &str, earlier: &[EntityId], registry: &Registry, codebook: &Codebook) -> Vec<Proposal> {
    let m = normalize(mention);
    let m_words: Vec<&str> = m.split(' ').filter(|w| !w.is_empty()).collect();
    // Most recent first, each entity once, as the entity it stands for now.
    let mut recent: Vec<&Entity> = Vec::new();
    for id in earlier.iter().rev() {
        if let Some(e) = registry.resolve(id)
            && !recent.iter().any(|r| r.id == e.id)
        {
            recent.push(e);
        }
    }
    // One lookup per entity: a big registry and a long article cost a hash each, not a scan.
    let rank: HashMap<&EntityId, usize> = recent.iter().enumerate().map(|(i, e)| (&e.id, i)).collect();
    let pronoun = pronoun_need(&m, codebook);
    let mut out: Vec<(Why, usize, &Entity)> = Vec::new();
    for e in registry.live() {
        let names = registry.normal_names(&e.id);
        let recency = rank.get(&e.id).copied().unwrap_or(usize::MAX);
        let why = if !m.is_empty() && names.contains(&m) {
            Why::Alias
        } else if let Some(need) = &pronoun
            && recency != usize::MAX
            && need.fits(e)
        {
            Why::Pronoun
        } else if pronoun.is_none() && !m_words.is_empty() && names.iter().any(|n| overlaps(&m_words, n)) {
            Why::Name
        } else if recency != usize::MAX {
            Why::Recent
        } else {
            Why::Other
        };
        out.push((why, recency, e));
    }
    out.sort_by(|a, b| (a.0, a.1, &a.2.name, &a.2.id).cmp(&(b.0, b.1, &b.2.name, &b.2.id)));
    out.into_iter().map(|(why, _, e)| Proposal { entity: e.id.clone(), why }).collect()
}

/// Whether one name contains the other as whole words in order ("kremlin spokesman dmitry
/// peskov" ⊇ "dmitry peskov"; "peskov" ⊆ "dmitry peskov").
fn overlaps(mention: &[&str], name: &str) -> bool {
    let n: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let contains = |long: &[&str], short: &[&str]| {
        !short.is_empty() && long.len() >= short.len() && long.windows(short.len()).any(|w| w == short)
    };
    contains(mention, &n) || contains(&n, mention)
}

/// What a pronoun asks of its entity: the attribute values it implies ("he": a man).
struct PronounNeed {
    needs: Vec<(String, String)>,
}

impl PronounNeed {
    /// An entity fits when it has each implied value, or no value for that attribute.
    fn fits(&self, e: &Entity) -> bool {
        self.needs.iter().all(|(attr, value)| match e.attributes.get(attr) {
            None => true,
            Some(v) => v.ids().contains(&value.as_str()),
        })
    }
}

/// The pronoun `m` (already [`normalize`]d) is, by the codebook's lists; `None` when it is
/// none.
fn pronoun_need(m: &str, codebook: &Codebook) -> Option<PronounNeed> {
    let def = codebook.entities.as_ref()?;
    let mut needs = Vec::new();
    for a in &def.attributes {
        for v in a.kind.values() {
            if v.pronouns.iter().any(|p| normalize(p) == m) {
                needs.push((a.id.clone(), v.id.clone()));
            }
        }
    }
    let generic = def.pronouns.iter().any(|p| normalize(p) == m);
    (generic || !needs.is_empty()).then_some(PronounNeed { needs })
}

/// Live entities whose name or aliases match `query` fuzzily (as helix's pickers match),
/// best first; every live entity, by name, for an empty query.
pub fn fuzzy_rank(query: &str, registry: &Registry) -> Vec<EntityId> {
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    if query.trim().is_empty() {
        let mut all: Vec<&Entity> = registry.live().collect();
        all.sort_by_key(|e| e.name.to_lowercase());
        return all.into_iter().map(|e| e.id.clone()).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, &Entity)> = registry
        .live()
        .filter_map(|e| {
            // Each name on its own, so "pes" scores on "Peskov" even with a long alias list.
            let best = e.names().filter_map(|n| pattern.score(Utf32Str::new(n, &mut buf), &mut matcher)).max();
            best.map(|s| (s, e))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let mut seen = HashSet::new();
    scored.into_iter().filter(|(_, e)| seen.insert(&e.id)).map(|(_, e)| e.id.clone()).collect()
}
