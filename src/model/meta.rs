//! What a news article says about itself besides its text: title, outlet, authors, date,
//! URL, language, section.
//!
//! Web pages, scraper JSON, news database CSV and WARC records all carry some of it, and
//! studies count by outlet and date, so it is one type for every format: what a loader
//! found, shown in the list and the reading pane, and written by every export. A plain text
//! article has none of it beyond its title.

use serde::{Deserialize, Serialize};

/// An article's metadata; every field is optional, since every source has some and lacks
/// others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// The headline as the source gives it (a web page's JSON-LD `headline`, `og:title`,
    /// `<title>`), which may differ from the text's first line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The publication ("Reuters", `og:site_name`, else the host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// When it was published, as ISO 8601 (`2026-11-30` or `2026-11-30T08:15:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The canonical URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A BCP 47 language tag (`en`, `pt-BR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

impl ArticleMeta {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The published date's day (`YYYY-MM-DD`), for columns, filters and sorting.
    pub fn day(&self) -> Option<&str> {
        let p = self.published.as_deref()?;
        (p.len() >= 10 && p.as_bytes()[4] == b'-' && p.as_bytes()[7] == b'-').then(|| &p[..10])
    }

    /// What the reading pane's and `show`'s headers say besides the title: outlet · day
    /// (else the date as given) · authors, of what is known; `None` when nothing is, so a
    /// plain text article's header is as it always was.
    pub fn byline(&self) -> Option<String> {
        let authors = (!self.authors.is_empty()).then(|| self.authors.join(", "));
        let date = self.day().or(self.published.as_deref());
        let parts: Vec<&str> = [self.outlet.as_deref(), date, authors.as_deref()].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// Appends `c` case-folded: lowercase, with the final sigma as any other (`ΟΔΟΣ`, `οδος`
/// and `οδοσ` are one word to a filter).
pub fn fold_into(out: &mut String, c: char) {
    out.extend(c.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l }));
}

/// `s` case-folded as [`fold_into`] folds each character.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    s.chars().for_each(|c| fold_into(&mut out, c));
    out
}

/// One term of a list filter, as the TUI's filter prompt and `newsnote list`'s options give
/// it. One type and one predicate for both, so `outlet:reuters` in the prompt and
/// `--outlet reuters` on the command line keep the same articles.
///
/// Values are case-folded ([`fold`]); dates are compared as text, which orders ISO days
/// correctly and lets a partial day (`2026`, `2026-11`) mean the whole year or month.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// A word the id or title must contain (the caller holds the folded id and title).
    Word(String),
    /// `outlet:X`: the outlet contains X.
    Outlet(String),
    /// `date:P`: the day starts with P (`date:2026-11` is November 2026).
    Date(String),
    /// `from:P`: the day is P or later (`from:2026-11` is from 1 November).
    From(String),
    /// `to:P`: the day is P or earlier, P's whole span included (`to:2026-11` is to 30 November).
    To(String),
    /// `done:NAME`: the coder NAME (folded; empty: the one coding) marked the article done.
    /// Only the list knows the marks, so [`Term::matches`] leaves it to its caller
    /// ([`Term::on_marks`]).
    Done(String),
    /// `todo:NAME`: the coder NAME (empty: the one coding) has not marked it done.
    Todo(String),
}

/// The field names a term may start with, each followed by `:`.
pub const FIELDS: [&str; 6] = ["outlet", "date", "from", "to", "done", "todo"];

/// The longest coder name (`model::team::check_name`): a longer `done:`/`todo:` value names
/// no coder, so typing more cannot change what it keeps.
const NAME_CHARS: usize = 64;

/// Characters of a day (`YYYY-MM-DD`).
const DAY_CHARS: usize = 10;

impl Term {
    /// A term as typed, without spaces: `field:value` for a known field (the name in any
    /// case), anything else a word.
    pub fn parse(raw: &str) -> Term {
        match raw.split_once(':') {
            Some((name, value)) => Self::field(name, value).unwrap_or_else(|| Term::Word(fold(raw))),
            None => Term::Word(fold(raw)),
        }
    }

    /// The term for field `name` (any case) with `value`, if `name` is one of [`FIELDS`].
    pub fn field(name: &str, value: &str) -> Option<Term> {
        // A day has 10 characters: what is typed past them cannot change which days match.
        let day = |v: &str| v.chars().take(DAY_CHARS).collect();
        // One character past the longest name: still no coder's, however long it gets.
        let coder = |v: &str| fold(&v.chars().take(NAME_CHARS + 1).collect::<String>());
        Some(match fold(name).as_str() {
            "outlet" => Term::Outlet(fold(value)),
            "date" => Term::Date(day(value)),
            "from" => Term::From(day(value)),
            "to" => Term::To(day(value)),
            "done" => Term::Done(coder(value)),
            "todo" => Term::Todo(coder(value)),
            _ => return None,
        })
    }

    /// Whether an article passes: `hay` is its folded id and title, `outlet` its folded
    /// outlet, `day` its [`ArticleMeta::day`]. An article without an outlet or a day fails
    /// every term about it.
    pub fn matches(&self, hay: &str, outlet: Option<&str>, day: Option<&str>) -> bool {
        match self {
            Term::Word(w) => hay.contains(w.as_str()),
            Term::Outlet(v) => outlet.is_some_and(|o| o.contains(v.as_str())),
            Term::Date(p) => day.is_some_and(|d| d.starts_with(p.as_str())),
            Term::From(p) => day.is_some_and(|d| d >= p.as_str()),
            Term::To(p) => day.is_some_and(|d| &d[..p.len().min(d.len())] <= p.as_str()),
            // Judged by the caller that has the marks (`on_marks`).
            Term::Done(_) | Term::Todo(_) => false,
        }
    }

    /// A `done:`/`todo:` term on the marks: `done` says whether the coder the term names (by
    /// folded name, empty for the one coding) marked the article done, `None` when there is
    /// no such coder, which matches nothing (a misspelt name empties the list rather than
    /// seeming to keep everything). `None` for other terms.
    pub fn on_marks(&self, done: impl FnOnce(&str) -> Option<bool>) -> Option<bool> {
        match self {
            Term::Done(name) => Some(done(name) == Some(true)),
            Term::Todo(name) => Some(done(name) == Some(false)),
            _ => None,
        }
    }

    /// Lengthens the term by one typed character, as [`parse`](Self::parse) would read the
    /// longer text, in O(1) (a 100 KB paste arrives one character at a time). False when
    /// the term stopped being a narrowing of itself: a word became a field (`outlet` →
    /// `outlet:`), so articles the word had dropped may pass again.
    pub fn push(&mut self, c: char) -> bool {
        match self {
            Term::Word(w) if c == ':' && FIELDS.contains(&w.as_str()) => {
                *self = Self::field(&w.clone(), "").expect("a known field");
                false
            }
            Term::Word(v) | Term::Outlet(v) => {
                fold_into(v, c);
                true
            }
            Term::Date(v) | Term::From(v) | Term::To(v) => {
                // Counting at most ten characters.
                if v.chars().nth(DAY_CHARS - 1).is_none() {
                    v.push(c);
                }
                true
            }
            // Another name is another coder, not a narrowing: the list is computed again,
            // until the name is longer than any coder's (it then keeps nothing, for good).
            Term::Done(v) | Term::Todo(v) => {
                if v.chars().nth(NAME_CHARS).is_some() {
                    return true;
                }
                fold_into(v, c);
                false
            }
        }
    }

    /// Whether typing more names another coder (`done:`, `todo:`), which may keep more
    /// articles, not fewer: the list is computed again rather than narrowed.
    pub fn on_a_name(&self) -> bool {
        matches!(self, Term::Done(_) | Term::Todo(_))
    }

    /// Whether typing more could make this term a field term (it is a word that starts a
    /// field's name).
    pub fn may_become_field(&self) -> bool {
        matches!(self, Term::Word(w) if FIELDS.iter().any(|f| f.starts_with(w.as_str())))
    }

    /// Whether every article passing `self` passes `before`, when `self` was typed by
    /// lengthening `before`: true for the same kind of term (a longer word, outlet or date is
    /// stricter), false when a word became a field (`outlet` → `outlet:`).
    pub fn narrows(&self, before: &Term) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(before) && !self.on_a_name()
    }
}

/// Whether `s` is a day or the start of one as `from`, `to` and `date` take it on the
/// command line: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn is_day_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// The order of the article list and of `newsnote list`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListOrder {
    /// By id (the corpus order).
    #[default]
    Id,
    /// Newest first; articles without a day last.
    Date,
    /// By outlet (ignoring case), newest first within one; articles without an outlet last.
    Outlet,
}

impl ListOrder {
    /// The order after this one, for the key that cycles them.
    pub fn next(self) -> Self {
        match self {
            ListOrder::Id => ListOrder::Date,
            ListOrder::Date => ListOrder::Outlet,
            ListOrder::Outlet => ListOrder::Id,
        }
    }

    /// Its name in the list's title and the help.
    pub fn name(self) -> &'static str {
        match self {
            ListOrder::Id => "by id",
            ListOrder::Date => "newest first",
            ListOrder::Outlet => "by outlet",
        }
    }

    /// Sorts `items`, given in id order, by this order; equal ones keep their id order.
    pub fn sort<'a, T>(self, items: &mut [T], meta: impl Fn(&T) -> &'a ArticleMeta) {
        use std::cmp::Reverse;
        match self {
            ListOrder::Id => {}
            ListOrder::Date => items.sort_by_cached_key(|t| {
                let d = meta(t).day();
                (d.is_none(), Reverse(d))
            }),
            ListOrder::Outlet => items.sort_by_cached_key(|t| {
                let m = meta(t);
                let d = m.day();
                (m.outlet.is_none(), m.outlet.as_deref().map(fold), d.is_none(), Reverse(d))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_of_a_timestamp_and_of_a_date_and_none_of_other_text() {
        let m = |p: &str| ArticleMeta { published: Some(p.into()), ..Default::default() };
        assert_eq!(m("2026-11-30T08:15:00+03:00").day(), Some("2026-11-30"));
        assert_eq!(m("2026-11-30").day(), Some("2026-11-30"));
        assert_eq!(m("30 листопада 2026").day(), None);
        assert!(ArticleMeta::default().is_empty());
    }

    #[test]
    fn the_byline_joins_what_is_known_and_is_none_for_plain_text() {
        let m = ArticleMeta {
            outlet: Some("Українська правда".into()),
            published: Some("2026-11-30T08:15:00+02:00".into()),
            authors: vec!["Олена Ковальчук".into(), "李明".into()],
            ..Default::default()
        };
        assert_eq!(m.byline().as_deref(), Some("Українська правда · 2026-11-30 · Олена Ковальчук, 李明"));
        let undated = ArticleMeta { published: Some("30 листопада".into()), ..Default::default() };
        assert_eq!(undated.byline().as_deref(), Some("30 листопада"));
        assert_eq!(ArticleMeta::default().byline(), None);
    }

    fn dated(outlet: Option<&str>, published: Option<&str>) -> ArticleMeta {
        ArticleMeta { outlet: outlet.map(Into::into), published: published.map(Into::into), ..Default::default() }
    }

    /// Whether `meta` (id and title `hay`) passes every term of `filter`, as the list does.
    fn passes(filter: &str, hay: &str, meta: &ArticleMeta) -> bool {
        let outlet = meta.outlet.as_deref().map(fold);
        filter.split_whitespace().map(Term::parse).all(|t| t.matches(&fold(hay), outlet.as_deref(), meta.day()))
    }

    #[test]
    fn field_terms_parse_in_any_case_and_other_terms_are_words() {
        assert_eq!(Term::parse("OUTLET:Українська"), Term::Outlet("українська".into()));
        assert_eq!(Term::parse("Date:2026-11"), Term::Date("2026-11".into()));
        assert_eq!(Term::parse("from:2026-11-01T08:00"), Term::From("2026-11-01".into()));
        assert_eq!(Term::parse("to:"), Term::To(String::new()));
        assert_eq!(Term::parse("Автор:Ковальчук"), Term::Word("автор:ковальчук".into()));
        assert_eq!(Term::parse("ΟΔΟΣ"), Term::Word("οδοσ".into()));
        // A day value is cut at ten characters: typing more cannot change what matches.
        assert_eq!(Term::parse("date:2026-11-3жж"), Term::Date("2026-11-3ж".into()));
    }

    #[test]
    fn done_and_todo_name_a_coder_and_are_judged_on_the_marks() {
        assert_eq!(Term::parse("DONE:Zoë"), Term::Done("zoë".into()));
        assert_eq!(Term::parse("todo:"), Term::Todo(String::new()));
        let marks = |name: &str| match name {
            "борис" => Some(true),
            "" => Some(false),
            _ => None,
        };
        assert_eq!(Term::parse("done:Борис").on_marks(marks), Some(true));
        assert_eq!(Term::parse("todo:").on_marks(marks), Some(true), "the one coding has not");
        assert_eq!(Term::parse("todo:никто").on_marks(marks), Some(false), "no such coder keeps nothing");
        assert_eq!(Term::parse("outlet:x").on_marks(marks), None);
        // Another name is not a narrowing of the one before.
        let mut t = Term::parse("done:б");
        assert!(!t.push('о') && t.on_a_name() && !t.narrows(&Term::parse("done:б")));
    }

    #[test]
    fn pushing_characters_gives_the_term_parse_gives() {
        for typed in [
            "OUTLET:Українська",
            "outlet",
            "outlet:",
            "to:2026-11-30T08",
            "x:outlet:y",
            ":",
            "ΟΔΟΣ",
            "date:2026-11-3жж1",
            "done:Борис",
            "TODO:zoë",
        ] {
            let mut t = Term::parse("");
            for (i, c) in typed.char_indices() {
                t.push(c);
                assert_eq!(t, Term::parse(&typed[..i + c.len_utf8()]), "{typed}");
            }
        }
        assert!(Term::parse("fro").may_become_field() && !Term::parse("frog").may_become_field());
        assert!(!Term::parse("from:").may_become_field());
    }

    #[test]
    fn an_outlet_term_matches_part_of_the_outlet_ignoring_case() {
        let up = dated(Some("Українська правда"), Some("2026-11-30T08:15:00+02:00"));
        assert!(passes("outlet:ПРАВДА", "", &up));
        assert!(passes("outlet:українська outlet:прав", "", &up));
        assert!(!passes("outlet:reuters", "", &up));
        let greek = dated(Some("Η ΚΑΘΗΜΕΡΙΝΗΣ"), None);
        assert!(passes("outlet:καθημερινησ", "", &greek), "final sigma folded");
        assert!(!passes("outlet:", "", &dated(None, Some("2026-11-30"))), "no outlet fails an outlet term");
    }

    #[test]
    fn date_terms_take_a_prefix_and_an_inclusive_range_of_days() {
        let nov30 = dated(Some("新华社"), Some("2026-11-30T23:59:00+08:00"));
        let dec1 = dated(Some("新华社"), Some("2026-12-01"));
        for (filter, want) in [
            ("date:2026-11", (true, false)),
            ("date:2026", (true, true)),
            ("from:2026-11-30", (true, true)),
            ("from:2026-12", (false, true)),
            ("to:2026-11-30", (true, false)),
            ("to:2026-11", (true, false)),
            ("to:2026", (true, true)),
            ("from:2026-11-01 to:2026-11-30", (true, false)),
            ("from:2026-12-01 to:2026-12-01", (false, true)),
        ] {
            assert_eq!((passes(filter, "", &nov30), passes(filter, "", &dec1)), want, "{filter}");
        }
        let undated = dated(Some("新华社"), Some("30 листопада 2026"));
        assert!(
            !passes("from:2000", "", &undated) && !passes("to:3000", "", &undated) && !passes("date:", "", &undated)
        );
    }

    #[test]
    fn words_and_field_terms_combine() {
        let m = dated(Some("Українська правда"), Some("2026-11-30"));
        assert!(passes("переговори outlet:правда from:2026-11", "ua/001.html Переговори у Стамбулі", &m));
        assert!(!passes("переговори outlet:правда from:2026-12", "ua/001.html Переговори у Стамбулі", &m));
        assert!(!passes("мир outlet:правда", "ua/001.html Переговори у Стамбулі", &m));
    }

    /// Every way of lengthening a term keeps only articles the shorter term kept, so the
    /// list can narrow what it shows as a term is typed; only a word becoming a field
    /// (`outlet` → `outlet:`) does not.
    #[test]
    fn a_lengthened_term_narrows_unless_a_word_becomes_a_field() {
        let metas = [
            dated(Some("Українська правда"), Some("2026-11-30")),
            dated(Some("Reuters"), Some("2026-02-03")),
            dated(Some("新华社"), Some("2025-12-31")),
            dated(None, None),
        ];
        for typed in ["outlet:українська", "from:2026-02-03", "to:2026-02-03", "date:2026-11-30", "outlet"] {
            let mut before = Term::parse("");
            for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let after = Term::parse(&typed[..end]);
                let keep = |t: &Term, m: &ArticleMeta| {
                    let o = m.outlet.as_deref().map(fold);
                    t.matches("outlet", o.as_deref(), m.day())
                };
                if after.narrows(&before) {
                    for m in &metas {
                        assert!(!keep(&after, m) || keep(&before, m), "{:?} after {:?} on {m:?}", after, before);
                    }
                } else {
                    assert!(matches!(before, Term::Word(_)) && !matches!(after, Term::Word(_)), "{after:?}");
                }
                before = after;
            }
        }
    }

    #[test]
    fn only_whole_years_months_and_days_are_day_prefixes() {
        for ok in ["2026", "2026-11", "2026-11-30"] {
            assert!(is_day_prefix(ok), "{ok}");
        }
        for bad in ["", "26", "2026-1", "2026/11/30", "2026-11-30T08", "２０２６", "вчора"] {
            assert!(!is_day_prefix(bad), "{bad}");
        }
    }

    #[test]
    fn sorting_by_date_puts_the_newest_first_and_the_undated_last() {
        let metas = [
            dated(Some("Reuters"), Some("2026-02-03")),
            dated(Some("Ärzteblatt"), None),
            dated(Some("новая газета"), Some("2026-11-30T08:00:00Z")),
            dated(None, Some("2025-12-31")),
            dated(Some("Новая газета"), Some("2026-02-03")),
        ];
        let sorted = |o: ListOrder| {
            let mut ix: Vec<usize> = (0..metas.len()).collect();
            o.sort(&mut ix, |&i| &metas[i]);
            ix
        };
        assert_eq!(sorted(ListOrder::Id), [0, 1, 2, 3, 4]);
        // Equal days keep their id order (0 before 4).
        assert_eq!(sorted(ListOrder::Date), [2, 0, 4, 3, 1]);
        // Outlets ignoring case (both Новая газета together), newest first in each; no outlet last.
        assert_eq!(sorted(ListOrder::Outlet), [0, 1, 2, 4, 3]);
        assert_eq!(ListOrder::Id.next().next().next(), ListOrder::Id);
    }
}
