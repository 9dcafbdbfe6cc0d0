//! Who a proposed Source is: the entity of the corpus's registry its words mean.
//!
//! The quote detector finds a speaker's words ("Kremlin spokesman Dmitry Peskov", "Peskov",
//! "he"); a coder then has to say which entity they are, for every mention of every article.
//! This proposes that entity where the article leaves little doubt, so accepting the Source
//! accepts its entity too, and proposes none where it does not (a wrong entity costs more than
//! a missing one: it is accepted unnoticed).
//!
//! The words are matched by `entities::propose`, the ranking the TUI's entity picker shows,
//! and its first proposal is taken only when it is one of these:
//! - an alias: the words are one of exactly one entity's names (as `Entity::has_name`
//!   compares them), or of several, when one of them is the one mentioned last;
//! - a pronoun (the codebook's `entities` section lists them, by gender value): the most
//!   recent entity mentioned earlier in the article that the pronoun fits;
//! - a name: a bare surname ("Peskov") or a description around a name ("Kremlin spokesman
//!   Dmitry Peskov") means an entity mentioned earlier whose name it is part of or contains;
//!   a description containing the whole name of one entity, and of no other, means that one
//!   even when it was not mentioned before.
//!
//! "Mentioned earlier" is what comes before the words in the text: a Source the file already
//! links to an entity, a speaker resolved here, or any whole-word occurrence of an entity's
//! name or alias.

use crate::model::codebook::Codebook;
use crate::model::entities::{EntityId, Registry, Why, normalize, propose};
use std::ops::Range;

/// The entities mentioned in one article, in text order, and the resolution of its speakers.
pub struct Speakers<'a> {
    registry: &'a Registry,
    book: &'a Codebook,
    /// Where each known mention starts (bytes) and its entity, sorted by position.
    seen: Vec<(usize, EntityId)>,
}

impl<'a> Speakers<'a> {
    /// The entities `text` mentions by name: every whole-word occurrence of a live entity's
    /// name or alias that no other live entity shares.
    pub fn new(text: &str, registry: &'a Registry, book: &'a Codebook) -> Self {
        let mut seen = Vec::new();
        for e in registry.live() {
            for name in e.names() {
                let name = name.trim();
                // One letter ("X") would be found everywhere.
                if name.chars().count() < 2 || shared(registry, name) {
                    continue;
                }
                seen.extend(whole_words(text, name).map(|at| (at, e.id.clone())));
            }
        }
        seen.sort();
        seen.dedup();
        Speakers { registry, book, seen }
    }

    /// Records that the words at `at` mention `id` (a Source the file already links).
    pub fn mentioned(&mut self, at: usize, id: EntityId) {
        let i = self.seen.partition_point(|(p, _)| *p < at);
        self.seen.insert(i, (at, id));
    }

    /// The entity the speaker's words at `mention` (bytes of `text`) mean, if any; a resolved
    /// speaker counts as a mention for the ones after it.
    pub fn entity_of(&mut self, text: &str, mention: Range<usize>) -> Option<EntityId> {
        let words = text.get(mention.clone())?;
        let earlier: Vec<EntityId> =
            self.seen.iter().take_while(|(p, _)| *p < mention.start).map(|(_, id)| id.clone()).collect();
        let ranked = propose(words, &earlier, self.registry, self.book);
        let first = ranked.first()?;
        let was_mentioned =
            |id: &EntityId| earlier.iter().any(|e| self.registry.resolve(e).is_some_and(|r| &r.id == id));
        let sure = match first.why {
            // Two entities with these words: only the one the article is already about.
            Why::Alias => {
                let others = ranked.iter().skip(1).take_while(|p| p.why == Why::Alias).count();
                others == 0 || was_mentioned(&first.entity)
            }
            Why::Pronoun => true,
            Why::Name => {
                was_mentioned(&first.entity) || {
                    let by_name = ranked.iter().take_while(|p| p.why == Why::Name).count();
                    by_name == 1 && contains_a_whole_name(self.registry, &first.entity, words)
                }
            }
            _ => false,
        };
        if !sure {
            return None;
        }
        let id = first.entity.clone();
        self.mentioned(mention.start, id.clone());
        Some(id)
    }
}

/// Whether more than one live entity goes by `name`.
fn shared(registry: &Registry, name: &str) -> bool {
    registry.live().filter(|e| e.has_name(name)).nth(1).is_some()
}

/// Whether `words` contain one of the entity's names of at least two words, whole ("Kremlin
/// spokesman Dmitry Peskov" contains "Dmitry Peskov"; "Peskov" alone does not).
fn contains_a_whole_name(registry: &Registry, id: &EntityId, words: &str) -> bool {
    let Some(e) = registry.get(id) else { return false };
    let m = format!(" {} ", normalize(words));
    e.names().map(normalize).any(|n| n.contains(' ') && m.contains(&format!(" {n} ")))
}

/// Where `needle` occurs in `text` with no letter or digit right before or after it.
fn whole_words<'t>(text: &'t str, needle: &'t str) -> impl Iterator<Item = usize> + 't {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(needle)
        .filter(move |(i, s)| !word(text[..*i].chars().next_back()) && !word(text[i + s.len()..].chars().next()))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::AttrValue;

    /// A registry of `people` (name, aliases, gender value) in a scratch folder.
    fn registry(people: &[(&str, &[&str], &str)]) -> (tempfile::TempDir, Registry) {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Registry::empty(&dir.path().join("sources.ron"));
        for (name, aliases, gender) in people {
            let (id, add) = r.add(name, aliases, "test").unwrap();
            r.apply(&[add]).unwrap();
            let set = r.set_attribute(&id, "gender", Some(AttrValue::One((*gender).into()))).unwrap();
            r.apply(&[set]).unwrap();
        }
        (dir, r)
    }

    fn at(text: &str, words: &str, nth: usize) -> Range<usize> {
        let (i, _) = text.match_indices(words).nth(nth).unwrap();
        i..i + words.len()
    }

    fn name_of(r: &Registry, id: Option<EntityId>) -> Option<String> {
        id.map(|id| r.get(&id).unwrap().name.clone())
    }

    #[test]
    fn an_alias_names_its_entity_and_a_pronoun_the_last_compatible_one_before_it() {
        let (_d, r) = registry(&[("Jürgen Müller", &["Müller"], "man"), ("Zoë Dupré", &["Mme Dupré"], "woman")]);
        let book = Codebook::default_scheme();
        let text = "Jürgen Müller spoke first. Then Mme Dupré replied, and she said no. He left.";
        let mut s = Speakers::new(text, &r, book);
        assert_eq!(name_of(&r, s.entity_of(text, at(text, "Mme Dupré", 0))).as_deref(), Some("Zoë Dupré"));
        // "she" fits the woman mentioned last; "He" the man, though she came after him.
        assert_eq!(name_of(&r, s.entity_of(text, at(text, "she", 0))).as_deref(), Some("Zoë Dupré"));
        assert_eq!(name_of(&r, s.entity_of(text, at(text, "He", 0))).as_deref(), Some("Jürgen Müller"));
    }

    #[test]
    fn a_pronoun_with_no_compatible_entity_before_it_gets_none() {
        let (_d, r) = registry(&[("Zoë Dupré", &[], "woman")]);
        let book = Codebook::default_scheme();
        let text = "He spoke before Zoë Dupré arrived; he said so.";
        let mut s = Speakers::new(text, &r, book);
        assert_eq!(s.entity_of(text, at(text, "He", 0)), None, "nobody before it");
        assert_eq!(s.entity_of(text, at(text, "he", 0)), None, "a man is asked for, a woman was mentioned");
    }

    #[test]
    fn a_bare_surname_means_the_entity_mentioned_before_and_is_left_open_otherwise() {
        let (_d, r) = registry(&[("Ольга Петренко", &[], "woman"), ("Ігор Петренко", &[], "man")]);
        let book = Codebook::default_scheme();
        let text = "Петренко заявила. Ольга Петренко, міністр, сказала. Петренко додала.";
        let mut s = Speakers::new(text, &r, book);
        // Before either is named, the surname could be both of them.
        assert_eq!(s.entity_of(text, at(text, "Петренко", 0)), None);
        let later = at(text, "Петренко", 2);
        assert_eq!(name_of(&r, s.entity_of(text, later)).as_deref(), Some("Ольга Петренко"));
    }

    #[test]
    fn a_description_around_a_whole_name_means_that_entity() {
        let (_d, r) = registry(&[("Dmitry Peskov", &[], "man"), ("Søren Kierkegaard", &[], "man")]);
        let book = Codebook::default_scheme();
        let text = "Kremlin spokesman Dmitry Peskov told reporters. Danish thinker Søren Kierkegaard wrote.";
        let mut s = Speakers::new(text, &r, book);
        let m = at(text, "Kremlin spokesman Dmitry Peskov", 0);
        assert_eq!(name_of(&r, s.entity_of(text, m)).as_deref(), Some("Dmitry Peskov"));
        let m = at(text, "Danish thinker Søren Kierkegaard", 0);
        assert_eq!(name_of(&r, s.entity_of(text, m)).as_deref(), Some("Søren Kierkegaard"));
    }

    #[test]
    fn words_that_name_no_entity_get_none() {
        let (_d, r) = registry(&[("Dmitry Peskov", &[], "man")]);
        let book = Codebook::default_scheme();
        let text = "Dmitry Peskov spoke. A spokeswoman for the ministry said more.";
        let mut s = Speakers::new(text, &r, book);
        assert_eq!(s.entity_of(text, at(text, "A spokeswoman for the ministry", 0)), None);
    }

    #[test]
    fn an_alias_two_entities_share_is_the_one_the_article_mentioned() {
        let (_d, r) = registry(&[("José García", &["García"], "man"), ("Ana García", &["García"], "woman")]);
        let book = Codebook::default_scheme();
        let text = "García said. Ana García, the mayor, spoke. García added.";
        let mut s = Speakers::new(text, &r, book);
        assert_eq!(s.entity_of(text, at(text, "García", 0)), None, "either of them");
        assert_eq!(name_of(&r, s.entity_of(text, at(text, "García", 2))).as_deref(), Some("Ana García"));
    }
}
