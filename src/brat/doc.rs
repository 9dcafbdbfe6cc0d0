//! The records of one `.ann` file, one type per kind of line, as written (no meaning given).
//!
//! Each record keeps the line it was read from (`line`, 1-based; 0 for one built in code) so the
//! mapping can name the line when it cannot use a record; the writer ignores it.

/// One fragment of a text-bound annotation: `start..end` in Unicode code points of the `.txt`
/// (brat's offsets are Python string indices), end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

impl CharSpan {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A `T` line: `T3\tContent 252 307;333 413\t“…” “…”`. Event triggers are `T` lines too (their
/// type is the event's type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub id: String,
    pub ty: String,
    /// In the order written; brat writes them in text order and never overlapping.
    pub fragments: Vec<CharSpan>,
    /// Everything after the second tab (trailing tabs removed): the spans' text joined by one
    /// space, possibly followed by a comment. `None` when the line has no text field.
    pub text: Option<String>,
    pub line: usize,
}

impl Entity {
    /// The text the way brat reads it: as many code points as the fragments cover plus one
    /// separator between each two. `None` when the line has no text, when the text is shorter,
    /// or when something other than whitespace follows it (brat rejects both).
    pub fn stated_text(&self) -> Option<&str> {
        let text = self.text.as_deref()?;
        let len = self.fragments.iter().map(CharSpan::len).sum::<usize>() + self.fragments.len().saturating_sub(1);
        let cut = match text.char_indices().nth(len) {
            Some((b, c)) if c.is_whitespace() => b,
            Some(_) => return None,
            None if text.chars().count() == len => text.len(),
            None => return None,
        };
        Some(&text[..cut])
    }
}

/// One argument of an event. A repeated role is numbered in the file (`Source:T1 Source2:T9`);
/// here it is the plain role, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub role: String,
    /// The argument's id: a `T`, or an `E` for a nested event.
    pub id: String,
}

/// An `E` line: `E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub ty: String,
    /// The `T` the event is anchored on.
    pub trigger: String,
    pub args: Vec<Role>,
    pub line: usize,
}

/// An `R` line: `R1\tAttributedTo Arg1:T2 Arg2:T1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub id: String,
    pub ty: String,
    /// `(role, id)` twice, in the order written (brat requires the roles to differ).
    pub args: [(String, String); 2],
    pub line: usize,
}

/// An `A` or `M` line: `A1\tType E1 Direct`, or a flag without a value (`A2\tNegated E1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// `A…` or `M…` (the old modifier lines), kept as written.
    pub id: String,
    pub name: String,
    pub target: String,
    /// `None` for a binary flag.
    pub value: Option<String>,
    pub line: usize,
}

/// An `N` line: `N1\tReference T1 Wikidata:Q7747\tVladimir Putin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalization {
    pub id: String,
    pub ty: String,
    pub target: String,
    pub db: String,
    pub db_id: String,
    /// The referenced entry's name, when given.
    pub text: Option<String>,
    pub line: usize,
}

/// A `#` line: `#1\tAnnotatorNotes T1\tthe note` (brat trims the note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub ty: String,
    pub target: String,
    pub text: String,
    pub line: usize,
}

/// A `*` line: `*\tAlias T1 T2`, ids that name one thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equivalence {
    pub ty: String,
    pub ids: Vec<String>,
    pub line: usize,
}

/// Every record of one `.ann`, each kind in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BratDoc {
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    pub relations: Vec<Relation>,
    pub attributes: Vec<Attribute>,
    pub normalizations: Vec<Normalization>,
    pub notes: Vec<Note>,
    pub equivalences: Vec<Equivalence>,
}

impl BratDoc {
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|t| t.id == id)
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// The attributes on `id` (a `T`, `E` or `R`), in file order.
    pub fn attributes_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Attribute> + 'a {
        self.attributes.iter().filter(move |a| a.target == id)
    }

    /// The notes on `id`, in file order.
    pub fn notes_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.iter().filter(move |n| n.target == id)
    }

    /// The same records with every `line` set to 0, to compare a parsed document with one
    /// built in code.
    pub fn without_lines(mut self) -> Self {
        self.entities.iter_mut().for_each(|r| r.line = 0);
        self.events.iter_mut().for_each(|r| r.line = 0);
        self.relations.iter_mut().for_each(|r| r.line = 0);
        self.attributes.iter_mut().for_each(|r| r.line = 0);
        self.normalizations.iter_mut().for_each(|r| r.line = 0);
        self.notes.iter_mut().for_each(|r| r.line = 0);
        self.equivalences.iter_mut().for_each(|r| r.line = 0);
        self
    }
}
