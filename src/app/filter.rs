//! The article list's filter and order, kept cheap per keystroke.
//!
//! A filter is a list of terms (`model::meta::Term`): words the id or title must contain,
//! ignoring case, and field terms on the metadata (`outlet:reuters`, `date:2026-11`,
//! `from:2026-11-01`, `to:2026-11-30`); an article must pass them all. Refiltering the whole
//! corpus on every key made a 100 KB paste (which arrives as 100,000 keys) freeze the list
//! for a minute on 2,000 articles: each key lowercased the whole filter and built and
//! lowercased a haystack per article. Here the haystacks are folded once, and a key that
//! only lengthens the filter narrows the articles still shown, by the one term it changed,
//! instead of starting over:
//!
//! - a space changes no term: nothing to do;
//! - any other character lengthens the last term, which only ever keeps fewer articles (a
//!   longer word, outlet or date prefix; a later `from:`, an earlier `to:`): the shown
//!   articles are kept if they pass it, unless every shown article is already known to
//!   pass that term (`the the the…`);
//! - a word that becomes a field (`outlet` → `outlet:`) may let back articles the word had
//!   dropped: the articles shown when the term was begun are kept for that case (only for a
//!   term that starts like a field's name), so it costs one pass too;
//! - once nothing is shown, a longer filter shows nothing either: nothing to do, and erasing
//!   back to where the list became empty costs nothing as well.
//!
//! So a paste costs about one pass over the corpus, not one per character. Anything else
//! (erasing further, a new corpus search, a new order) recomputes from scratch, which is
//! always correct. The order is applied once to the whole corpus (`ranked`), so filtering
//! keeps it for free.

use crate::model::corpus::Corpus;
use crate::model::display::width_of;
use crate::model::meta::{ListOrder, Term, fold};
use std::collections::HashSet;
use unicode_segmentation::UnicodeSegmentation;

/// The widest outlet column the list needs: longer outlets are cut with an ellipsis.
pub const OUTLET_MAX: usize = 24;

/// The list's metadata columns, for the articles it shows: whether any has a day, and the
/// widest outlet (in columns, at most [`OUTLET_MAX`]; 0 when none has one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Columns {
    pub day: bool,
    pub outlet: usize,
}

impl Columns {
    /// Widens the columns for one more article shown.
    pub fn widen(&mut self, meta: &crate::model::meta::ArticleMeta) {
        self.day |= meta.day().is_some();
        if let Some(o) = &meta.outlet {
            self.outlet = self.outlet.max(outlet_width(o));
        }
    }
}

/// Display width of an outlet, read no further than [`OUTLET_MAX`] columns.
fn outlet_width(o: &str) -> usize {
    let mut w = 0;
    for g in o.graphemes(true) {
        w += width_of(g);
        if w >= OUTLET_MAX {
            return OUTLET_MAX;
        }
    }
    w
}

#[derive(Debug, Default)]
pub struct ListFilter {
    /// `id title` of every corpus entry, folded; built once the titles are read.
    hays: Vec<String>,
    /// Every entry's outlet folded, its day, and its outlet's width ([`outlet_width`]).
    outlets: Vec<Option<String>>,
    days: Vec<Option<String>>,
    widths: Vec<usize>,
    /// How many entries were summarised when the haystacks were built: they are built again
    /// until every title is in.
    built_with: usize,
    /// Bytes of the longest haystack and outlet: a longer word or outlet matches nothing.
    longest: usize,
    longest_outlet: usize,
    /// Every entry, in `order`.
    ranked: Vec<usize>,
    order: ListOrder,
    /// The filter's last term as typed so far (`None` after a space).
    last: Option<Term>,
    /// Terms every shown article is known to pass.
    applied: HashSet<Term>,
    /// A filter length at which nothing was shown: no longer filter shows anything.
    empty_at: Option<usize>,
    /// While the last term may still become a field term: the articles shown, and `applied`,
    /// from before it was begun.
    base: Option<(Vec<usize>, HashSet<Term>)>,
    /// What each word that starts a field's name kept of `memo_base`: a paste of
    /// `outlet:x outlet:x …` would otherwise narrow by `o`, `ou`, … `outlet` again for each
    /// term, only to let them back at the `:`.
    memo: Vec<(Term, Vec<usize>)>,
    memo_base: Vec<usize>,
    /// Passes over the shown articles with a term (for the tests of what a paste costs).
    passes: usize,
    /// The coders' done marks for `done:` and `todo:` terms (`Marks`), set by the list before
    /// a filter with such a term is computed.
    pub marks: Marks,
}

/// Every coder's done marks by corpus entry, for the `done:`/`todo:` terms: the coders'
/// folded names, and per coder a flag per entry; `me` is the one coding (an empty name).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Marks {
    pub coders: Vec<(String, Vec<bool>)>,
    pub me: Option<usize>,
    /// The `Coders::generation` these were taken at: built again only when the marks changed.
    pub generation: Option<u64>,
}

impl Marks {
    /// Whether the coder `name` (folded; empty: the one coding) marked entry `i` done;
    /// `None` when there is no such coder.
    pub fn done(&self, name: &str, i: usize) -> Option<bool> {
        let c = if name.is_empty() { self.me? } else { self.coders.iter().position(|(n, _)| n == name)? };
        Some(self.coders[c].1.get(i).copied().unwrap_or(false))
    }
}

impl ListFilter {
    /// Whether the haystacks are built for this corpus with every title read.
    pub fn ready(&self, corpus: &Corpus) -> bool {
        !self.hays.is_empty() && self.hays.len() == corpus.entries.len() && self.built_with == self.hays.len()
    }

    /// The entries passing `filter` (and `content`, the corpus search's hits, if any) in
    /// `order`, from scratch. Titles not read yet count as empty (`Corpus::summarize_all`
    /// reads them; the haystacks are built again once they are in).
    pub fn recompute(
        &mut self,
        corpus: &Corpus,
        filter: &str,
        content: Option<&HashSet<usize>>,
        order: ListOrder,
    ) -> Vec<usize> {
        let summarized = corpus.entries.iter().filter(|e| e.summarized).count();
        if self.hays.len() != corpus.entries.len() || self.built_with != summarized {
            self.build(corpus, summarized);
            self.order = order;
            self.rank(corpus);
        } else if self.order != order {
            self.order = order;
            self.rank(corpus);
        }
        self.passes += 1;
        let terms: HashSet<Term> = filter.split_whitespace().map(Term::parse).collect();
        let visible: Vec<usize> = if terms.iter().any(|t| self.too_long(t)) {
            Vec::new()
        } else {
            self.ranked
                .iter()
                .copied()
                .filter(|&i| terms.iter().all(|t| self.passes(i, t)) && content.is_none_or(|hits| hits.contains(&i)))
                .collect()
        };
        self.last = match filter.ends_with(char::is_whitespace) {
            true => None,
            false => filter.split_whitespace().next_back().map(Term::parse),
        };
        self.applied = terms;
        self.base = None;
        // Empty for good, unless the last word may still become a field (`outlet` → `outlet:`).
        let may_widen = self.last.as_ref().is_some_and(|t| t.may_become_field() || t.on_a_name());
        self.empty_at = (visible.is_empty() && !may_widen).then_some(filter.len());
        visible
    }

    fn build(&mut self, corpus: &Corpus, summarized: usize) {
        let es = &corpus.entries;
        self.hays = es.iter().map(|e| fold(&format!("{} {}", e.id, e.title))).collect();
        self.outlets = es.iter().map(|e| e.meta.outlet.as_deref().map(fold)).collect();
        self.days = es.iter().map(|e| e.meta.day().map(str::to_owned)).collect();
        self.widths = es.iter().map(|e| e.meta.outlet.as_deref().map_or(0, outlet_width)).collect();
        self.longest = self.hays.iter().map(String::len).max().unwrap_or(0);
        self.longest_outlet = self.outlets.iter().flatten().map(String::len).max().unwrap_or(0);
        self.built_with = summarized;
    }

    fn rank(&mut self, corpus: &Corpus) {
        self.ranked = (0..corpus.entries.len()).collect();
        self.order.sort(&mut self.ranked, |&i| &corpus.entries[i].meta);
    }

    fn passes(&self, i: usize, t: &Term) -> bool {
        t.on_marks(|name| self.marks.done(name, i))
            .unwrap_or_else(|| t.matches(&self.hays[i], self.outlets[i].as_deref(), self.days[i].as_deref()))
    }

    /// Whether `t` is longer than anything it could match.
    fn too_long(&self, t: &Term) -> bool {
        match t {
            Term::Word(w) => w.len() > self.longest,
            Term::Outlet(v) => v.len() > self.longest_outlet,
            Term::Date(p) => p.chars().count() > 10,
            Term::From(_) | Term::To(_) | Term::Done(_) | Term::Todo(_) => false,
        }
    }

    /// The columns the entries `visible` need (see [`Columns`]), from what was read.
    pub fn columns(&self, visible: &[usize]) -> Columns {
        let mut c = Columns::default();
        for &i in visible {
            c.day |= self.days.get(i).is_some_and(Option::is_some);
            c.outlet = c.outlet.max(self.widths.get(i).copied().unwrap_or(0));
        }
        c
    }

    /// `added` was typed at the end of the filter, which is now `len` bytes long: narrows
    /// `visible` to the entries that still pass. Whether `visible` changed, or `None` when
    /// it cannot tell (a word became a field after a recompute): the caller must
    /// [`recompute`](Self::recompute).
    pub fn grow(&mut self, visible: &mut Vec<usize>, added: &str, len: usize) -> Option<bool> {
        let mut at = len - added.len();
        let mut changed = false;
        for c in added.chars() {
            at += c.len_utf8();
            // Another coder's name may keep more: computed again.
            if visible.is_empty() && self.last.as_ref().is_some_and(Term::on_a_name) && !c.is_whitespace() {
                return None;
            }
            if visible.is_empty() {
                match (self.last.as_ref().is_some_and(Term::may_become_field), &self.base) {
                    // Nothing shown, and a longer filter cannot show more.
                    (false, _) => {
                        self.empty_at = Some(self.empty_at.map_or(at, |e| e.min(at)));
                        return Some(changed);
                    }
                    (true, Some((shown, _))) if shown.is_empty() => return Some(changed),
                    // The word may still become a field, and what it dropped is not known.
                    (true, None) => return None,
                    (true, Some(_)) => {}
                }
            }
            if c.is_whitespace() {
                self.last = None;
                self.base = None;
                continue;
            }
            let mut term = self.last.take().unwrap_or_else(|| Term::Word(String::new()));
            if term == Term::Word(String::new()) {
                let mut first = term.clone();
                first.push(c);
                if first.may_become_field() {
                    if self.memo_base != *visible {
                        self.memo.clear();
                        self.memo_base = visible.clone();
                    }
                    self.base = Some((visible.clone(), self.applied.clone()));
                }
            }
            if !term.push(c) {
                let (shown, applied) = self.base.take()?;
                (*visible, self.applied) = (shown, applied);
                changed = true;
            } else if self.base.is_some() && !term.may_become_field() {
                self.base = None;
            }
            let before = visible.len();
            if self.too_long(&term) {
                visible.clear();
            } else if !self.applied.contains(&term) {
                match self.memo.iter().find(|(t, _)| *t == term) {
                    Some((_, kept)) if self.base.is_some() => visible.clone_from(kept),
                    _ => {
                        self.passes += 1;
                        visible.retain(|&i| self.passes(i, &term));
                        if self.base.is_some() {
                            self.memo.push((term.clone(), visible.clone()));
                        }
                    }
                }
                self.applied.insert(term.clone());
            }
            changed |= visible.len() != before;
            if visible.is_empty() && !term.may_become_field() && !term.on_a_name() {
                self.empty_at = Some(at);
            }
            self.last = Some(term);
        }
        Some(changed)
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
    use crate::model::meta::ArticleMeta;

    fn corpus(titles: &[&str]) -> (tempfile::TempDir, Corpus) {
        let d = tempfile::tempdir().unwrap();
        for (i, t) in titles.iter().enumerate() {
            std::fs::write(d.path().join(format!("{i:04}.txt")), format!("{t}\n\nBody.\n")).unwrap();
        }
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        (d, c)
    }

    /// A corpus whose articles have these outlets and dates, and titles naming outlets too.
    fn with_meta(rows: &[(&str, Option<&str>, Option<&str>)]) -> (tempfile::TempDir, Corpus) {
        let titles: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let (d, mut c) = corpus(&titles);
        for (e, (_, outlet, day)) in c.entries.iter_mut().zip(rows) {
            *e.meta =
                ArticleMeta { outlet: outlet.map(Into::into), published: day.map(Into::into), ..Default::default() };
        }
        (d, c)
    }

    /// Types `filter` one character at a time, as a paste arrives, after `start`; a key the
    /// cache cannot take recomputes, as the list does.
    fn typed(f: &mut ListFilter, c: &Corpus, start: &str, filter: &str) -> Vec<usize> {
        let mut visible = f.recompute(c, start, None, ListOrder::Id);
        let mut text = start.to_string();
        for ch in filter.chars() {
            text.push(ch);
            if f.grow(&mut visible, ch.encode_utf8(&mut [0; 4]), text.len()).is_none() {
                visible = f.recompute(c, &text, None, ListOrder::Id);
            }
        }
        visible
    }

    #[test]
    fn typing_narrows_to_the_same_articles_as_filtering_from_scratch() {
        let (_d, c) = corpus(&["Песков: переговоры", "ΟΔΟΣ ΕΙΡΗΝΗΣ", "Peskov talks", "Straße zum Frieden", "Talks 👍🏽"]);
        for filter in ["пес", "ПЕСКОВ пер", "οδος", "talks", "talks pes", " talks  ", "straße", "👍🏽", "zzz", "a b"]
        {
            let mut f = ListFilter::default();
            let scratch = f.recompute(&c, filter, None, ListOrder::Id);
            let mut g = ListFilter::default();
            assert_eq!(typed(&mut g, &c, "", filter), scratch, "{filter:?}");
        }
    }

    /// Field terms typed a key at a time, including a word that matches nothing becoming a
    /// field that matches much (`outlet` → `outlet:`), give what filtering from scratch gives.
    #[test]
    fn typing_field_terms_gives_the_same_articles_as_filtering_from_scratch() {
        let (_d, c) = with_meta(&[
            ("Переговоры: outlet of talks", Some("Українська правда"), Some("2026-11-30T08:00:00+02:00")),
            ("Η ΕΙΡΗΝΗ", Some("Η ΚΑΘΗΜΕΡΙΝΗ"), Some("2026-11-02")),
            ("Talks from Geneva", Some("Reuters"), Some("2026-12-01")),
            ("Без даты", Some("Новая газета"), None),
            ("No outlet to speak of", None, Some("2025-01-31")),
        ]);
        for filter in [
            "outlet:правда",
            "OUTLET:καθημερινη",
            "outlet:",
            "outlet",
            "outlets",
            "outle:x",
            "zzz outlet:reuters",
            "date:2026-11",
            "from:2026-11-02 to:2026-11-30",
            "to:2026-11",
            "from:2026-12",
            "talks from:2026",
            "from to:2025",
            "date:2026-11-30T08:00 outlet:у",
            "t:2026",
        ] {
            let mut f = ListFilter::default();
            let scratch = f.recompute(&c, filter, None, ListOrder::Id);
            for start in ["", "zzz ", "talks "] {
                let want = ListFilter::default().recompute(&c, &format!("{start}{filter}"), None, ListOrder::Id);
                let mut g = ListFilter::default();
                assert_eq!(typed(&mut g, &c, start, filter), want, "{start:?} then {filter:?}");
            }
            assert!(!scratch.is_empty() || !filter.starts_with("outlet:"), "{filter:?} matches something");
        }
    }

    #[test]
    fn the_order_is_kept_while_typing_and_undated_articles_come_last() {
        let (_d, c) = with_meta(&[
            ("Старое", Some("Reuters"), Some("2024-05-01")),
            ("Без даты", Some("Reuters"), None),
            ("Новое", Some("Reuters"), Some("2026-11-30")),
            ("Другое", Some("新华社"), Some("2026-01-01")),
        ]);
        let mut f = ListFilter::default();
        assert_eq!(f.recompute(&c, "", None, ListOrder::Date), [2, 3, 0, 1]);
        let mut visible = f.recompute(&c, "", None, ListOrder::Date);
        let mut text = String::new();
        for ch in "outlet:reu".chars() {
            text.push(ch);
            assert!(f.grow(&mut visible, ch.encode_utf8(&mut [0; 4]), text.len()).is_some());
        }
        assert_eq!(visible, [2, 0, 1]);
        assert_eq!(f.recompute(&c, "", None, ListOrder::Outlet), [2, 0, 1, 3]);
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
        assert!(distinct_prefixes.iter().all(|p| f.applied.contains(&Term::Word(p.to_string()))));
        assert!(f.passes <= 20, "{} passes", f.passes);
        // Erasing within the part that already matched nothing costs no pass either.
        assert!(f.shrink_stays_empty(paste.len() - "ость".len()));
        assert!(!f.shrink_stays_empty(paste.len() - "новость".len() - 1));
    }

    #[test]
    fn a_100_kb_paste_of_field_terms_costs_one_pass_per_distinct_term() {
        let titles: Vec<String> = (0..2000).map(|i| format!("Статья {i}")).collect();
        let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        let (_d, mut c) = corpus(&refs);
        for e in &mut c.entries {
            e.meta.outlet = Some("Українська правда".into());
            e.meta.published = Some("2026-11-30".into());
        }
        let mut f = ListFilter::default();
        let paste = "outlet:правда from:2026-11 ".repeat(4000);
        assert!(paste.len() > 100_000);
        let visible = typed(&mut f, &c, "", &paste);
        assert_eq!(visible.len(), 2000);
        // One pass per prefix typed once: "o" … "outlet", "outlet:" … "outlet:правда",
        // "f" … "from:2026-11"; the repeats cost none.
        assert!(f.passes <= 40, "{} passes", f.passes);
    }

    #[test]
    fn a_word_longer_than_any_title_empties_the_list_at_once() {
        let (_d, c) = corpus(&["Короткий", "Short"]);
        let mut f = ListFilter::default();
        let visible = typed(&mut f, &c, "", &"ж".repeat(50_000));
        assert!(visible.is_empty());
        let last = match &f.last {
            Some(Term::Word(w)) => w.len(),
            other => panic!("{other:?}"),
        };
        assert!(last <= f.longest + 4, "the word stops being folded once it cannot match");
    }

    #[test]
    fn columns_are_those_the_shown_articles_need() {
        let (_d, c) = with_meta(&[
            ("Без метаданных", None, None),
            ("Широкий", Some("新华社新华社"), Some("2026-11-30")),
            ("Длинный", Some(&"Українська правда ".repeat(5)), None),
        ]);
        let mut f = ListFilter::default();
        let all = f.recompute(&c, "", None, ListOrder::Id);
        assert_eq!(f.columns(&all), Columns { day: true, outlet: OUTLET_MAX });
        assert_eq!(f.columns(&[1]), Columns { day: true, outlet: 12 }, "six wide characters");
        assert_eq!(f.columns(&[0]), Columns::default());
    }
}
