//! The article list's filter, kept cheap per keystroke.
//!
//! A filter keeps the articles whose id or title contains every word typed, ignoring case.
//! Refiltering the whole corpus on every key made a 100 KB paste (which arrives as 100,000
//! keys) freeze the list for a minute on 2,000 articles: each key lowercased the whole filter
//! and built and lowercased a haystack per article. Here the haystacks are folded once, and
//! a key that only lengthens the filter narrows the articles still shown, by the one word it
//! changed, instead of starting over:
//!
//! - a space changes no word: nothing to do;
//! - a letter lengthens the last word: the shown articles are kept if they contain it, unless
//!   every shown article is already known to contain that word (`the the the…`);
//! - once nothing is shown, a longer filter shows nothing either: nothing to do, and erasing
//!   back to where the list became empty costs nothing as well.
//!
//! So a paste costs about one pass over the corpus, not one per character. Anything else
//! (erasing further, a new corpus search) recomputes from scratch, which is always correct.

use crate::model::corpus::Corpus;
use std::collections::HashSet;

/// Appends `c` case-folded: lowercase, with the final sigma as any other (`ΟΔΟΣ`, `οδος`
/// and `οδοσ` are one word to a filter).
fn fold_into(out: &mut String, c: char) {
    out.extend(c.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l }));
}

fn folded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    s.chars().for_each(|c| fold_into(&mut out, c));
    out
}

#[derive(Debug, Default)]
pub struct ListFilter {
    /// `id title` of every corpus entry, folded; built once the titles are read.
    hays: Vec<String>,
    /// Bytes of the longest haystack: a longer word matches nothing.
    longest: usize,
    /// The filter's last word as typed so far, folded (empty after a space).
    partial: String,
    /// Words every shown article is known to contain.
    applied: HashSet<String>,
    /// A filter length at which nothing was shown: no longer filter shows anything.
    empty_at: Option<usize>,
}

impl ListFilter {
    /// Whether the haystacks are built for this corpus (its titles all read).
    pub fn ready(&self, corpus: &Corpus) -> bool {
        !self.hays.is_empty() && self.hays.len() == corpus.entries.len()
    }

    /// The entries passing `filter` (and `content`, the corpus search's hits, if any), from
    /// scratch. Every title must have been read (`Corpus::summarize_all`).
    pub fn recompute(&mut self, corpus: &Corpus, filter: &str, content: Option<&HashSet<usize>>) -> Vec<usize> {
        if self.hays.len() != corpus.entries.len() {
            self.hays = corpus.entries.iter().map(|e| folded(&format!("{} {}", e.id, e.title))).collect();
            self.longest = self.hays.iter().map(String::len).max().unwrap_or(0);
        }
        let words: HashSet<String> = filter.split_whitespace().map(folded).collect();
        let visible: Vec<usize> = if words.iter().any(|w| w.len() > self.longest) {
            Vec::new()
        } else {
            (0..self.hays.len())
                .filter(|&i| {
                    words.iter().all(|w| self.hays[i].contains(w.as_str()))
                        && content.is_none_or(|hits| hits.contains(&i))
                })
                .collect()
        };
        self.partial = match filter.ends_with(char::is_whitespace) {
            true => String::new(),
            false => filter.split_whitespace().next_back().map(folded).unwrap_or_default(),
        };
        self.applied = words;
        self.empty_at = visible.is_empty().then_some(filter.len());
        visible
    }

    /// `added` was typed at the end of the filter, which is now `len` bytes long: narrows
    /// `visible` to the entries that still pass.
    pub fn grow(&mut self, visible: &mut Vec<usize>, added: &str, len: usize) {
        let mut at = len - added.len();
        for c in added.chars() {
            at += c.len_utf8();
            if visible.is_empty() {
                // Nothing shown, and a longer filter cannot show more.
                self.empty_at = Some(self.empty_at.map_or(at, |e| e.min(at)));
                return;
            }
            if c.is_whitespace() {
                self.partial.clear();
                continue;
            }
            fold_into(&mut self.partial, c);
            if self.partial.len() > self.longest {
                visible.clear();
            } else if !self.applied.contains(&self.partial) {
                let word = self.partial.as_str();
                visible.retain(|&i| self.hays[i].contains(word));
                self.applied.insert(self.partial.clone());
            }
            if visible.is_empty() {
                self.empty_at = Some(at);
            }
        }
    }

    /// The filter lost its end and is now `len` bytes long: true when the list is known to
    /// stay empty (still past the length at which it became empty), else the caller must
    /// [`recompute`](Self::recompute).
    pub fn shrink_stays_empty(&self, len: usize) -> bool {
        self.empty_at.is_some_and(|e| len >= e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::corpus::AnnotationRoot;

    fn corpus(titles: &[&str]) -> (tempfile::TempDir, Corpus) {
        let d = tempfile::tempdir().unwrap();
        for (i, t) in titles.iter().enumerate() {
            std::fs::write(d.path().join(format!("{i:04}.txt")), format!("{t}\n\nBody.\n")).unwrap();
        }
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        (d, c)
    }

    /// Types `filter` one character at a time, as a paste arrives, after `start`.
    fn typed(f: &mut ListFilter, c: &Corpus, start: &str, filter: &str) -> Vec<usize> {
        let mut visible = f.recompute(c, start, None);
        let mut len = start.len();
        for ch in filter.chars() {
            len += ch.len_utf8();
            f.grow(&mut visible, ch.encode_utf8(&mut [0; 4]), len);
        }
        visible
    }

    #[test]
    fn typing_narrows_to_the_same_articles_as_filtering_from_scratch() {
        let (_d, c) = corpus(&["Песков: переговоры", "ΟΔΟΣ ΕΙΡΗΝΗΣ", "Peskov talks", "Straße zum Frieden", "Talks 👍🏽"]);
        for filter in ["пес", "ПЕСКОВ пер", "οδος", "talks", "talks pes", " talks  ", "straße", "👍🏽", "zzz", "a b"]
        {
            let mut f = ListFilter::default();
            let scratch = f.recompute(&c, filter, None);
            let mut g = ListFilter::default();
            assert_eq!(typed(&mut g, &c, "", filter), scratch, "{filter:?}");
        }
    }

    #[test]
    fn a_100_kb_paste_costs_one_pass_over_the_list_not_one_per_character() {
        let titles: Vec<String> = (0..2000).map(|i| format!("Статья номер {i} о переговорах")).collect();
        let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        let (_d, c) = corpus(&refs);
        let mut f = ListFilter::default();
        // Repeated words keep every article shown for the whole paste; then a word none has.
        let paste = format!("{}новость", "о переговорах ".repeat(7300));
        assert!(paste.len() > 100_000);
        let visible = typed(&mut f, &c, "", &paste);
        assert!(visible.is_empty());
        // The words each narrowed the list once: every later repeat was known to match.
        let distinct_prefixes = ["о", "п", "пе", "пер", "пере", "перег", "перего", "перегов", "перегово", "переговор"];
        assert!(distinct_prefixes.iter().all(|p| f.applied.contains(*p)));
        assert!(f.applied.len() <= 20, "{} narrowing passes", f.applied.len());
        // Erasing within the part that already matched nothing costs no pass either.
        assert!(f.shrink_stays_empty(paste.len() - "ость".len()));
        assert!(!f.shrink_stays_empty(paste.len() - "новость".len() - 1));
    }

    #[test]
    fn a_word_longer_than_any_title_empties_the_list_at_once() {
        let (_d, c) = corpus(&["Короткий", "Short"]);
        let mut f = ListFilter::default();
        let visible = typed(&mut f, &c, "", &"ж".repeat(50_000));
        assert!(visible.is_empty());
        assert!(f.partial.len() <= f.longest + 4, "the word stops being folded once it cannot match");
    }
}
