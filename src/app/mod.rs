//! The application state and the one function that changes it.
//!
//! Elm-style: [`App`] is all the state, split by what it belongs to (list, reader, sidebar,
//! overlay); [`update`] takes one [`Msg`] (a keymap [`Action`] or an outside event) and
//! returns the side effects it wants (saves), which the terminal loop performs and reports
//! back as [`Msg::Saved`]. An action goes to the handler of the mode the app is in (one
//! per mode: `list`, `reader` (reading and selecting), `reader::sidebar`, `edit::kind_menu`,
//! `edit::picker`, `attention`, `help`, `prompt`, `saving::update_dialog`); what that handler
//! passes on is handled by `global`. Views only read `App`. Keeping I/O out of `update` is
//! what lets tests drive the whole UI with messages and a `TestBackend`, no terminal needed.

pub mod action;
pub mod adjudicate;
pub mod attention;
pub mod coders;
pub mod edit;
pub mod entities;
pub mod entity_view;
pub mod event;
mod filter;
pub mod stats_view;
pub use filter::Columns;
pub mod help;
pub mod input;
pub mod jobs;
pub mod keymap;
pub mod layout;
pub mod links;
mod list;
pub mod mentions;
pub mod menus;
mod mouse;
mod prompt;
mod reader;
pub mod review;
mod saving;
pub mod session;
pub mod suggest;

use crate::model::annotation::AnnotationId;
use crate::model::corpus::Corpus;
use crate::model::document::{Document, Edit};
use crate::model::quote::Search;
use crate::model::save::SaveRequest;
use crate::model::store::AnnotationFile;
use crate::wrap::Wrapped;
pub use action::Action;
pub use event::Msg;
use keymap::{Keymap, Mode};
use ratatui::layout::Rect;
pub use saving::unsaved_changes;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
    Sidebar,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Filters the article list as you type.
    Filter,
    /// Finds a literal in every article on Enter; the list keeps the articles with a match.
    CorpusSearch,
    /// Searches the open article on Enter.
    Search,
    /// Edits the note of this annotation.
    Note(AnnotationId),
    /// Edits a free attribute (text, number, date, URL) of this annotation.
    Attribute { target: AnnotationId, attribute: String },
    /// A prompt of the entities view (filter, rename, alias, Wikidata id, note, split).
    Entity(entity_view::Ask),
    /// A reviewer's comment on this annotation (the review pass's `c`).
    ReviewComment(AnnotationId),
}

/// Whatever sits on top of the panes and takes the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// Choosing a value of a one-of or several-of attribute, one key per value (the
    /// codebook's): the kind of a boilerplate span being tagged, a claim's quote type.
    Values {
        purpose: ValuesFor,
    },
    /// Choosing which attribute of `target` to set, one key per attribute.
    Attributes {
        target: AnnotationId,
    },
    /// Choosing what `subject` links to by `relation` (a claim's source: one choice per
    /// name, its mention nearest the claim; `None` unlinks), or with `reverse`, which
    /// annotation links to `subject` (the claim a cue belongs to). Typing filters (`query`);
    /// `selected` indexes the filtered rows.
    Picker {
        subject: AnnotationId,
        relation: String,
        reverse: bool,
        choices: Vec<Option<AnnotationId>>,
        selected: usize,
        query: String,
        /// Parallel to `choices`: the entity a row stands for (the article's entities come
        /// first, each choosing its mention nearest before the claim); `None` on the rows
        /// by name and "(none)".
        entities: Vec<Option<crate::model::entities::EntityId>>,
    },
    /// The codebook: every label, attribute, relation and key, scrolled by `scroll` lines.
    Codebook {
        scroll: usize,
    },
    Prompt {
        kind: PromptKind,
        text: String,
        /// Byte offset of the cursor in `text`, on a grapheme boundary.
        cursor: usize,
    },
    /// Choosing the new label of an annotation (`r`).
    Relabel {
        target: AnnotationId,
    },
    /// The messages of this session, newest last; `scroll` counts lines up from the end.
    Messages {
        scroll: usize,
    },
    /// The "needs attention" list; `selected` indexes `attention::items`.
    Attention {
        selected: usize,
    },
    /// `q` found changes a retried save still could not write: names them and waits for an
    /// explicit discard (`D`), another `q` (retry), or any other key (stay).
    QuitConfirm,
    /// A one-key menu of the entities view (an attribute filter, an entity's attribute
    /// value, the merge confirmation).
    EntityMenu(entity_view::Menu),
    /// Who the source `mention` is: `proposals` (entity and why, likeliest first) while
    /// nothing is typed, else every entity matching `query`; `selected` indexes the rows
    /// (`mentions::rows`).
    Entity {
        mention: AnnotationId,
        proposals: Vec<(crate::model::entities::EntityId, crate::model::entities::Why)>,
        selected: usize,
        query: String,
    },
    /// Setting `attribute` of `entity` (a codebook entity attribute), one key per value;
    /// then the next required one without a value, or with `every` (opened by `=`) the next
    /// one-of attribute, set or not.
    EntityValues {
        entity: crate::model::entities::EntityId,
        attribute: String,
        every: bool,
    },
}

/// What a value menu is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValuesFor {
    /// Tagging the selection with `label`, whose `attribute` is asked on tagging.
    Tag { label: String, attribute: String },
    /// Relabelling `target` to `label`, whose `attribute` is asked.
    Relabel { target: AnnotationId, label: String, attribute: String },
    /// Setting `attribute` of `target`.
    Set { target: AnnotationId, attribute: String },
}

/// The reading pane's cursor, selection and scroll, all in bytes / rows of the open article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReaderState {
    /// Byte offset of the grapheme under the cursor.
    pub cursor: usize,
    /// Where the selection started (`v`); the selection runs to the cursor, inclusive.
    pub anchor: Option<usize>,
    /// Index of the top row shown.
    pub scroll: usize,
    /// Display column that j/k try to keep.
    pub want_col: Option<usize>,
    /// Where a mouse drag started.
    pub drag_origin: Option<usize>,
    /// The annotation `t` moves onto the selection: chosen explicitly (Enter in the `!`
    /// list), never taken from wherever the sidebar's cursor happens to be.
    pub retarget: Option<AnnotationId>,
    /// A count typed before a motion (`3w`).
    pub count: Option<usize>,
    /// `f`/`t`/`F`/`T` pressed: the next character typed is the one to find.
    pub awaiting_find: Option<action::FindKind>,
    /// The last character find, for `;` and `,`.
    pub last_find: Option<(char, action::FindKind)>,
    /// The suggestion `]s`, `[s`, `A` or `X` last went to: while the cursor is on its start,
    /// the next `]s` goes past it; any other suggestion starting at the cursor is next.
    pub reviewing: Option<AnnotationId>,
    /// The suggestion a person's adjustment (`>`, `r`, `=`, `a` on it) accepted last: the
    /// `A` that follows is the decision to keep it, and goes on to the next suggestion as any
    /// accept does, instead of finding nothing (or a suggestion nested in it) under the cursor.
    pub adjusted: Option<AnnotationId>,
}

/// The article in the reading pane.
#[derive(Debug, Clone)]
pub struct OpenArticle {
    /// Index into `corpus.entries`.
    pub entry: usize,
    pub doc: Document,
    /// Rows at the current reading-pane width.
    pub wrap: Wrapped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything on screen is on disk.
    Saved,
    /// The last save failed; the change is kept in memory and the next change retries.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// Undo and redo stacks of one article. Each step is a group of edits made by one action.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub undo: Vec<Vec<Edit>>,
    pub redo: Vec<Vec<Edit>>,
}

/// A side effect `update` asks the loop to perform.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Save through `model::save::save` (lock, re-read, merge, atomic write); report back
    /// with [`Msg::Saved`].
    Save { entry: usize, request: Box<SaveRequest> },
    /// Put text on the terminal's clipboard (OSC 52), sanitised by the loop.
    Copy(String),
    /// Run a job off the loop (see `jobs`); report back with [`Msg::Done`].
    Start(jobs::Handle),
    /// Quitting with changes no save could write: try to keep a copy of each in newsnote's
    /// state folder, and say on exit what was kept where.
    Rescue(Vec<(String, AnnotationFile)>),
    /// Save the entity registry through `model::save::save`; report back with
    /// [`Msg::EntitiesSaved`].
    SaveEntities(Box<crate::model::save::SaveRequest<crate::model::entities::EntityFile>>),
    /// Quitting with registry changes no save could write: keep a copy, as for `Rescue`.
    RescueEntities(crate::model::entities::EntityFile),
    /// Save a progress file (the coder's done mark, the review pass's Reviewed mark, the
    /// adjudicator's mark) through `model::save::save`, making the folder first
    /// (`coders::perform_save`); report back with [`Msg::ProgressSaved`], naming the file.
    SaveProgress(Box<crate::model::save::SaveRequest<crate::model::progress::ProgressFile>>),
}

impl Effect {
    pub fn save(entry: usize, doc: &Document) -> Self {
        Effect::Save { entry, request: Box::new(doc.save_request()) }
    }
}

/// The article list: which entries pass the filters, the selection and the scroll.
#[derive(Debug, Default)]
pub struct ListState {
    /// Indices into `corpus.entries` that pass the filter.
    pub visible: Vec<usize>,
    pub filter: String,
    /// Index into `visible`.
    pub selected: usize,
    pub offset: usize,
    /// The corpus search (`F`) narrowing the list: the literal and the entries containing it.
    pub content_filter: Option<(String, std::collections::HashSet<usize>)>,
    /// The order (`o` cycles it); the filter keeps it.
    pub order: crate::model::meta::ListOrder,
    /// The outlet and day columns the articles shown need (the view sizes them).
    pub columns: Columns,
    /// The article selected before a filter left the list empty, selected again when it
    /// shows once more.
    before_empty: Option<usize>,
    /// What makes the list filter cheap per key (see `filter`).
    cache: filter::ListFilter,
    /// The filter ran before every title was read: read them (off the loop) and run it again.
    wants_titles: bool,
}

/// Which annotations the sidebar lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SidebarFilter {
    #[default]
    All,
    /// Only the annotations of the codebook's label at this position.
    Label(usize),
    /// Annotations missing a link the codebook requires (claims without a source): what
    /// still needs linking.
    Unlinked,
    /// Annotations re-anchoring flagged for a person.
    Attention,
    /// The mentions of entities (sources), grouped by the entity each links to.
    ByEntity,
    /// Open suggestions only: what is still to accept or reject.
    Suggested,
}

impl SidebarFilter {
    /// All, then each label of the codebook, then unlinked, then attention, then suggestions.
    pub fn next(self, cb: &crate::model::codebook::Codebook) -> Self {
        use SidebarFilter::*;
        match self {
            All if !cb.labels.is_empty() => Label(0),
            Label(i) if i + 1 < cb.labels.len() => Label(i + 1),
            All | Label(_) => Unlinked,
            Unlinked => Attention,
            Attention => Suggested,
            // Grouping by entity is its own key (`GroupByEntity`), not a filter step.
            Suggested | ByEntity => All,
        }
    }

    pub fn name(self, cb: &crate::model::codebook::Codebook) -> String {
        use SidebarFilter::*;
        match self {
            All => "all".into(),
            Label(i) => cb.labels.get(i).map_or("?".into(), |l| l.name.clone()),
            Unlinked => "missing a link".into(),
            Attention => "needs attention".into(),
            ByEntity => "by entity".into(),
            Suggested => "suggestions".into(),
        }
    }

    pub fn keeps(self, a: &crate::model::annotation::Annotation, cb: &crate::model::codebook::Codebook) -> bool {
        match self {
            SidebarFilter::All => true,
            SidebarFilter::Label(i) => cb.labels.get(i).is_some_and(|l| a.label.0 == l.id),
            SidebarFilter::Unlinked => unlinked(cb, a),
            SidebarFilter::Attention => a.anchor.is_some(),
            SidebarFilter::ByEntity => cb.mentions_entity(&a.label),
            SidebarFilter::Suggested => a.is_proposed(),
        }
    }
}

/// Whether `a` lacks a link the codebook requires of its label (a claim with no source).
pub fn unlinked(cb: &crate::model::codebook::Codebook, a: &crate::model::annotation::Annotation) -> bool {
    cb.relations_from(a.label.as_str()).any(|r| r.required && a.linked(&r.id).is_empty())
}

/// The annotation sidebar: the selected annotation, the scroll and the filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SidebarState {
    /// Index into the open document's annotations.
    pub selected: usize,
    /// Index into the rows shown (`App::sidebar_rows`).
    pub offset: usize,
    pub filter: SidebarFilter,
}

/// The key help overlay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpState {
    /// First line shown.
    pub scroll: usize,
}

pub struct App {
    pub corpus: Corpus,
    /// Every message of this session, oldest first (the status bar shows the last one).
    pub messages: Vec<Message>,
    /// The list and the sidebar hidden, the text at full width.
    pub zoom: bool,
    /// The job running off the loop, if any (see `jobs`).
    pub busy: Option<jobs::Busy>,
    pub list: ListState,
    pub focus: Focus,
    pub overlay: Overlay,
    pub open: Option<OpenArticle>,
    pub reader: ReaderState,
    pub sidebar: SidebarState,
    pub help: HelpState,
    pub search: Option<Search>,
    pub history: HashMap<String, History>,
    pub save: SaveState,
    pub message: Option<Message>,
    pub size: Rect,
    pub author: String,
    pub keymap: Keymap,
    /// The coding scheme in effect: labels, attributes, relations, their keys and looks.
    pub codebook: crate::model::codebook::Codebook,
    /// The corpus's entities (who the sources are); `None` when the codebook has none.
    pub registry: Option<crate::model::entities::Registry>,
    /// Undo and redo of registry changes.
    pub entity_history: entities::EntityHistory,
    /// Why the last registry save failed, while it still does.
    pub entities_failed: Option<String>,
    /// Keys typed so far of a multi-key binding (`]` of `]q`).
    pub pending: Vec<String>,
    pub should_quit: bool,
    /// Documents whose last save failed, kept while another article is open (by entry).
    pub unsaved: HashMap<usize, (Document, String)>,
    /// Set by `q` while its retried saves are out: when the last reports back, newsnote quits
    /// if everything is on disk and asks (`Overlay::QuitConfirm`) if not.
    pub quit_pending: usize,
    /// The process exit code once `should_quit` is set: non-zero when changes were discarded.
    pub exit_code: u8,
    /// What to print after the terminal is restored (what was discarded, where copies are,
    /// unresolved conflicts).
    pub exit_notes: Vec<String>,
    /// The entities view (`E`), kept while hidden.
    pub entity_view: entity_view::EntityView,
    /// Adjudicating coders' folders into gold (`newsnote adjudicate`), if so.
    pub adjudication: Option<Box<adjudicate::Adjudication>>,
    /// Who is coding, and every coder's done marks (`D`; see `coders`).
    pub coders: coders::Coders,
    /// The editor's review pass over the open article (`R`), while it is on.
    pub review: Option<review::Pass>,
    /// The stats view (`S`), its figures kept while hidden.
    pub stats_view: stats_view::StatsView,
}

impl App {
    /// An app coding with the default codebook.
    pub fn new(corpus: Corpus, author: String, keymap: Keymap, size: Rect) -> Self {
        Self::with_codebook(corpus, author, keymap, crate::model::codebook::Codebook::default_scheme().clone(), size)
    }

    /// An app coding with `codebook`: its label keys bound, its looks painted, its name and
    /// version recorded in every file saved. Keys that clash with the keymap are reported.
    pub fn with_codebook(
        corpus: Corpus,
        author: String,
        keymap: Keymap,
        codebook: crate::model::codebook::Codebook,
        size: Rect,
    ) -> Self {
        let visible = (0..corpus.entries.len()).collect();
        let mut app = Self {
            corpus,
            messages: Vec::new(),
            zoom: false,
            busy: None,
            list: ListState { visible, ..ListState::default() },
            focus: Focus::List,
            overlay: Overlay::None,
            open: None,
            reader: ReaderState::default(),
            sidebar: SidebarState::default(),
            help: HelpState::default(),
            search: None,
            history: HashMap::new(),
            save: SaveState::Saved,
            message: None,
            size,
            author,
            keymap,
            codebook,
            registry: None,
            entity_history: entities::EntityHistory::default(),
            entities_failed: None,
            pending: Vec::new(),
            should_quit: false,
            unsaved: HashMap::new(),
            quit_pending: 0,
            exit_code: 0,
            exit_notes: Vec::new(),
            entity_view: entity_view::EntityView::default(),
            adjudication: None,
            coders: coders::Coders::default(),
            review: None,
            stats_view: stats_view::StatsView::default(),
        };
        app.coders = coders::Coders::open(&app.corpus, None, &app.author);
        let clashes = app.keymap.bind_labels(&app.codebook);
        app.messages.extend(clashes.into_iter().map(|text| Message { text, error: true }));
        app.summarize_list_page();
        // An opened corpus has every summary: the columns its articles need.
        for e in app.corpus.entries.iter().filter(|e| e.summarized) {
            app.list.columns.widen(&e.meta);
        }
        // Show the first article (and its annotations) from the start, focus staying in the list.
        if !app.list.visible.is_empty() {
            app.open_entry(app.list.visible[0]);
            app.focus = Focus::List;
        }
        // After opening, so the article's own message cannot hide what the scan skipped.
        if let Some(w) = app.corpus.warnings.first() {
            let more = app.corpus.warnings.len() - 1;
            let text = if more > 0 { format!("{w} (and {more} more; newsnote list shows all)") } else { w.clone() };
            app.message = Some(Message { text, error: true });
        }
        if let Some(first) = app.messages.iter().find(|m| m.text.starts_with("codebook:")).cloned() {
            app.message = Some(first);
        }
        app
    }

    /// The input mode that decides which bindings apply.
    pub fn mode(&self) -> Mode {
        match (&self.overlay, self.focus) {
            (Overlay::Values { .. } | Overlay::Attributes { .. }, _) => Mode::Values,
            // Scrolled like the help (j/k, Space, g/G), closed by ?, q or Esc.
            (Overlay::Codebook { .. }, _) => Mode::Help,
            (Overlay::Picker { .. }, _) => Mode::Picker,
            (Overlay::Attention { .. }, _) => Mode::Attention,
            (Overlay::Help, _) => Mode::Help,
            (Overlay::Relabel { .. }, _) => Mode::Relabel,
            (Overlay::Entity { .. }, _) => Mode::Entity,
            (Overlay::EntityValues { .. }, _) => Mode::Values,
            (Overlay::Messages { .. }, _) => Mode::Help,
            // These read their keys directly (input.rs); this mode's bindings never apply.
            (Overlay::QuitConfirm | Overlay::Prompt { .. }, _) => Mode::Attention,
            // Its characters are the codebook's keys (or y); Esc closes it.
            (Overlay::EntityMenu(_), _) => Mode::Values,
            (Overlay::None, _) if self.stats_view.shown => Mode::Stats,
            (Overlay::None, _) if self.entity_view.shown => Mode::Entities,
            (Overlay::None, _) if review::on(self) => Mode::Review,
            (_, Focus::List) => Mode::List,
            (_, Focus::Sidebar) => Mode::Sidebar,
            (_, Focus::Reader) if self.reader.anchor.is_some() => Mode::Visual,
            (_, Focus::Reader) => Mode::Reader,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(Message { text: text.into(), error: false });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(Message { text: text.into(), error: true });
    }

    /// Shows a message and keeps it in the session's log (`ShowMessages`), so nothing a
    /// person must read is lost when the status bar cuts it or the next key clears it.
    fn say(&mut self, m: Message) {
        const KEEP: usize = 500;
        if self.messages.len() == KEEP {
            self.messages.remove(0);
        }
        self.messages.push(m.clone());
        self.message = Some(m);
    }

    /// The rows the sidebar lists: indices into the open document's annotations that pass
    /// its filter.
    pub fn sidebar_rows(&self) -> Vec<usize> {
        let Some(o) = &self.open else { return vec![] };
        let f = self.sidebar.filter;
        if f == SidebarFilter::ByEntity {
            return mentions::grouped_rows(self);
        }
        (0..o.doc.annotations.len()).filter(|&i| f.keeps(&o.doc.annotations[i], &self.codebook)).collect()
    }

    /// The sidebar rows from `offset`, at most `height` of them, and how many rows there are
    /// in all. Unfiltered (the usual case, every frame and key) nothing is collected beyond
    /// the rows asked for.
    pub fn sidebar_page(&self, offset: usize, height: usize) -> (Vec<usize>, usize) {
        let n = self.open.as_ref().map_or(0, |o| o.doc.annotations.len());
        if self.sidebar.filter == SidebarFilter::All {
            return ((offset.min(n)..(offset + height).min(n)).collect(), n);
        }
        let rows = self.sidebar_rows();
        let total = rows.len();
        (rows.into_iter().skip(offset).take(height).collect(), total)
    }

    pub fn panes(&self) -> layout::Panes {
        layout::panes(self.size, self.focus, self.zoom)
    }

    /// Rows of text the reading pane shows at once.
    pub fn reader_height(&self) -> usize {
        // Size the page as if the reader were visible even when a narrow screen hides it.
        let p = layout::panes(self.size, Focus::Reader, self.zoom);
        p.reader.map_or(1, |r| layout::reader_text(r).height.max(1) as usize)
    }

    fn reader_width(&self) -> usize {
        let p = layout::panes(self.size, Focus::Reader, self.zoom);
        p.reader.map_or(1, |r| layout::reader_text(r).width.max(1) as usize)
    }

    fn list_height(&self) -> usize {
        let p = layout::panes(self.size, Focus::List, false);
        p.list.map_or(1, |r| layout::inner(r).height.max(1) as usize)
    }

    fn sidebar_list_height(&self) -> usize {
        let p = layout::panes(self.size, Focus::Sidebar, false);
        p.sidebar.map_or(1, |r| layout::sidebar_parts(r).0.height.max(1) as usize)
    }

    /// What the loop watches while idle: the open article's annotation file and the stamp
    /// it had when last read or written by us.
    pub fn watched(&self) -> Option<(std::path::PathBuf, Option<crate::model::save::Stamp>)> {
        let o = self.open.as_ref()?;
        Some((o.doc.ron_path.clone(), o.doc.disk_stamp))
    }

    /// Another writer changed the open article's file: read it again, so their work shows
    /// without waiting for our next save. Skipped while we hold changes a save could not
    /// write (the next save merges them, and says so).
    fn reload_if_changed(&mut self) {
        let Some(o) = self.open.as_ref() else { return };
        if matches!(self.save, SaveState::Failed(_)) || !o.doc.conflicts_added.is_empty() {
            return;
        }
        if crate::model::save::Stamp::of(&o.doc.ron_path) == o.doc.disk_stamp {
            return;
        }
        let entry = o.entry;
        let (before, cursor, scroll) = (o.doc.annotations.len(), self.reader.cursor, self.reader.scroll);
        match Document::open(&self.corpus.entries[entry]) {
            Ok(mut doc) => {
                doc.codebook = Some(self.codebook.reference());
                let now = doc.annotations.len();
                let o = self.open.as_mut().expect("checked above");
                o.doc = doc;
                self.corpus.entries[entry].counts = o.doc.counts();
                self.reader.scroll = scroll;
                reader::set_cursor(self, cursor, false);
                self.info(format!("reloaded (another writer): {before} → {now} annotations"));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Re-wraps the open article when the reading pane's width changed (resize, zoom).
    fn rewrap(&mut self) {
        let w = self.reader_width();
        if let Some(o) = self.open.as_mut().filter(|o| o.wrap.width != w) {
            o.wrap = Wrapped::new(&o.doc.article, w);
        }
        reader::keep_cursor_visible(self);
    }

    /// Opens corpus entry `i` in the reading pane, cursor at the top. A document whose last
    /// save failed is parked in memory rather than dropped, and comes back from there.
    fn open_entry(&mut self, i: usize) {
        // A scanned corpus finds out which files are binary as it reads them: those do not open.
        self.corpus.summarize(i);
        if let Some(why) = &self.corpus.entries[i].binary {
            let m = format!("{}: skipped: {why}", self.corpus.entries[i].id);
            return self.error(m);
        }
        if let (Some(o), SaveState::Failed(why)) = (self.open.take(), &self.save) {
            self.unsaved.insert(o.entry, (o.doc, why.clone()));
        }
        let (opened, failed) = match self.unsaved.remove(&i) {
            Some((doc, why)) => (Ok(doc), Some(why)),
            None => (Document::open(&self.corpus.entries[i]), None),
        };
        match opened {
            Ok(mut doc) => {
                // Saves record the codebook this session codes with.
                doc.codebook = Some(self.codebook.reference());
                let wrap = Wrapped::new(&doc.article, self.reader_width());
                let conflicts = (!doc.conflicts.is_empty()).then(|| {
                    format!(
                        "{} unresolved conflict(s) with another writer, kept from an earlier session — press ! to choose",
                        doc.conflicts.len()
                    )
                });
                let note = doc
                    .read_only
                    .clone()
                    .map(|r| format!("read-only: {r}"))
                    .or(conflicts)
                    .or_else(|| doc.warnings.first().cloned());
                let bad = note.is_some();
                self.open = Some(OpenArticle { entry: i, doc, wrap });
                self.reader = ReaderState::default();
                self.sidebar.selected = 0;
                self.sidebar.offset = 0;
                self.focus = Focus::Reader;
                self.message = None;
                self.save = SaveState::Saved;
                if let Some(why) = failed {
                    self.error(format!("not saved yet: {why}; the next change (or q) retries"));
                    self.save = SaveState::Failed(why);
                } else if let Some(n) = note.filter(|_| bad) {
                    self.error(n);
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Keeps the list and sidebar selections on screen.
    fn fix_offsets(&mut self) {
        fn follow(offset: &mut usize, selected: usize, height: usize) {
            if selected < *offset {
                *offset = selected;
            } else if selected >= *offset + height {
                *offset = selected + 1 - height;
            }
        }
        let (lh, sh) = (self.list_height(), self.sidebar_list_height());
        follow(&mut self.list.offset, self.list.selected, lh);
        // A list that shrank (a filter after G) must not stay scrolled past its end.
        self.list.offset = self.list.offset.min(self.list.visible.len().saturating_sub(lh));
        let n = self.open.as_ref().map_or(0, |o| o.doc.annotations.len());
        self.sidebar.selected = self.sidebar.selected.min(n.saturating_sub(1));
        // Where the selection is among the rows shown, and how many there are.
        let (at, total) = if self.sidebar.filter == SidebarFilter::All {
            (self.sidebar.selected, n)
        } else {
            let rows = self.sidebar_rows();
            (rows.partition_point(|&i| i < self.sidebar.selected), rows.len())
        };
        follow(&mut self.sidebar.offset, at.min(total.saturating_sub(1)), sh);
        self.sidebar.offset = self.sidebar.offset.min(total.saturating_sub(sh));
        self.summarize_list_page();
    }

    /// Reads the titles and counts of the list rows on screen: a corpus is opened without
    /// reading any (see `Corpus::open`), so the list costs what it shows. The columns widen
    /// for what these rows turn out to have (a filter or order recomputes them for the whole
    /// list).
    fn summarize_list_page(&mut self) {
        for k in self.list.offset..(self.list.offset + self.list_height()).min(self.list.visible.len()) {
            let i = self.list.visible[k];
            if !self.corpus.entries[i].summarized {
                self.corpus.summarize(i);
                self.list.columns.widen(&self.corpus.entries[i].meta);
            }
        }
    }
}

/// What a mode's handler did with an action: handled it (with these effects), or passed it on.
pub(crate) type Step = Result<Vec<Effect>, Action>;

/// Applies one message. Returns the saves the loop must perform.
pub fn update(app: &mut App, msg: impl Into<Msg>) -> Vec<Effect> {
    let effects = match msg.into() {
        Msg::Action(a) => act(app, a),
        Msg::Type(c) if matches!(app.overlay, Overlay::Picker { .. }) => {
            links::picker_type(app, |q| q.push(c));
            vec![]
        }
        Msg::Prompt(event::PromptKey::Erase) if matches!(app.overlay, Overlay::Picker { .. }) => {
            links::picker_type(app, |q| {
                q.pop();
            });
            vec![]
        }
        Msg::Type(c) if matches!(app.overlay, Overlay::Entity { .. }) => {
            mentions::picker_type(app, |q| q.push(c));
            vec![]
        }
        Msg::Prompt(event::PromptKey::Erase) if matches!(app.overlay, Overlay::Entity { .. }) => {
            mentions::picker_type(app, |q| {
                q.pop();
            });
            vec![]
        }
        Msg::Type(c) if matches!(app.overlay, Overlay::EntityValues { .. }) => mentions::values_key(app, c),
        Msg::Type(c) if matches!(app.overlay, Overlay::Values { .. } | Overlay::Attributes { .. }) => {
            menus::menu_key(app, c)
        }
        Msg::Type(c) if matches!(app.overlay, Overlay::Relabel { .. }) => menus::relabel_key(app, c),
        Msg::Type(c) if matches!(app.overlay, Overlay::EntityMenu(_)) => entity_view::menu_key(app, c),
        // The entities view covers the panes: the mouse does not reach them through it.
        Msg::Click { .. } | Msg::Drag { .. } | Msg::Wheel { .. } if app.entity_view.shown => vec![],
        Msg::Click { .. } | Msg::Drag { .. } | Msg::Wheel { .. } if app.stats_view.shown => vec![],
        Msg::Prompt(event::PromptKey::Erase) if matches!(app.overlay, Overlay::Values { .. }) => {
            menus::clear_value(app)
        }
        Msg::Type(c) if app.reader.awaiting_find.is_some() => {
            reader::find_char(app, c);
            vec![]
        }
        Msg::Type(c) => {
            prompt::insert(app, c.encode_utf8(&mut [0; 4]));
            vec![]
        }
        Msg::Paste(s) => {
            // One edit for the whole paste: the filter narrows once, not per character.
            let s: String = s.chars().filter(|c| !c.is_control()).collect();
            prompt::insert(app, &s);
            vec![]
        }
        Msg::Prompt(k) => {
            prompt::key(app, k);
            vec![]
        }
        Msg::Resize { width, height } => {
            app.size = Rect::new(0, 0, width, height);
            app.rewrap();
            vec![]
        }
        Msg::Click { col, row } => {
            mouse::click(app, col, row);
            vec![]
        }
        Msg::Drag { col, row } => {
            mouse::drag(app, col, row);
            vec![]
        }
        Msg::Release => {
            app.reader.drag_origin = None;
            vec![]
        }
        Msg::Wheel { down, col, row } => {
            mouse::wheel(app, down, col, row);
            vec![]
        }
        Msg::Saved { entry, result } => {
            saving::saved(app, entry, &result);
            if result.is_ok() {
                entity_view::article_saved(app, entry);
            }
            vec![]
        }
        Msg::Done(result) => {
            jobs::done(app, result);
            let mut effects = entity_view::job_done(app);
            effects.extend(stats_view::job_done(app));
            effects
        }
        Msg::FileChanged => {
            coders::reload_if_changed(app);
            app.reload_if_changed();
            app.reload_entities_if_changed();
            if app.entity_view.shown {
                entity_view::refresh(app);
            }
            vec![]
        }
        Msg::ProgressSaved(path, result) => {
            let reviewing = app.review.as_ref().and_then(|r| r.progress.as_ref()).is_some_and(|p| p.path == path);
            match &app.adjudication {
                Some(a) if a.progress.path == path => adjudicate::saved(app, &result),
                _ if reviewing => review::progress_saved(app, &result),
                _ => coders::saved(app, &result),
            }
            // The list's stage columns show a Reviewed or Adjudicated mark at once.
            coders::reload_if_changed(app);
            vec![]
        }
        Msg::EntitiesSaved(result) => {
            entities::saved(app, &result);
            if app.entity_view.shown {
                entity_view::refresh(app);
            }
            vec![]
        }
    };
    let mut effects = effects;
    if std::mem::take(&mut app.list.wants_titles) {
        effects.extend(app.want_titles());
    }
    app.fix_offsets();
    adjudicate::follow(app);
    coalesce_saves(effects)
}

/// One save per article: a request carries the document's whole state, so the last one of an
/// update has everything the earlier ones had. Performing both would make the second look
/// like another writer's change to the first (its base is older) and conflict with itself.
fn coalesce_saves(effects: Vec<Effect>) -> Vec<Effect> {
    let mut out: Vec<Effect> = Vec::with_capacity(effects.len());
    for e in effects {
        if let Effect::Save { entry, .. } = &e
            && let Some(i) = out.iter().position(|o| matches!(o, Effect::Save { entry: x, .. } if x == entry))
        {
            out.remove(i);
        }
        if matches!(e, Effect::SaveEntities(_))
            && let Some(i) = out.iter().position(|o| matches!(o, Effect::SaveEntities(_)))
        {
            out.remove(i);
        }
        out.push(e);
    }
    out
}

/// An action goes to the handler of the mode the app is in; what it passes on is global. A
/// count typed before it (`3w`) repeats a motion or a move that many times.
fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let times = app.reader.count.take().unwrap_or(1);
    let repeatable = matches!(
        action,
        Action::Move(_)
            | Action::ScrollDown
            | Action::ScrollUp
            | Action::ListDown
            | Action::ListUp
            | Action::SidebarDown
            | Action::SidebarUp
            | Action::NextAnnotation
            | Action::PrevAnnotation
            | Action::NextUnsourced
            | Action::PrevUnsourced
            | Action::NextUntagged
            | Action::PrevUntagged
            | Action::NextSuggestion
            | Action::PrevSuggestion
            | Action::SearchNext
            | Action::SearchPrev
            | Action::GrowEnd
            | Action::ShrinkEnd
            | Action::GrowStart
            | Action::ShrinkStart
    );
    if repeatable && times > 1 {
        // Motions are local scans; repeating them is bounded by the count, not the text.
        let mut effects = Vec::new();
        for _ in 0..times {
            effects.extend(act_once(app, action.clone()));
        }
        return effects;
    }
    act_once(app, action)
}

fn act_once(app: &mut App, action: Action) -> Vec<Effect> {
    let step = match (&app.overlay, app.focus) {
        (Overlay::Prompt { .. }, _) => prompt::update(app, action),
        (Overlay::QuitConfirm, _) => Ok(saving::update_dialog(app, action)),
        (Overlay::Help, _) => help::update(app, action),
        (Overlay::Values { .. } | Overlay::Attributes { .. }, _) => menus::menu(app, action),
        (Overlay::Relabel { .. }, _) => menus::relabel_menu(app, action),
        (Overlay::Codebook { .. }, _) => codebook_overlay(app, action),
        (Overlay::Messages { .. }, _) => messages(app, action),
        (Overlay::Picker { .. }, _) => links::picker(app, action),
        (Overlay::Attention { .. }, _) => attention::handle(app, action),
        (Overlay::EntityMenu(_), _) => entity_view::menu(app, action),
        (Overlay::None, _) if app.stats_view.shown => stats_view::update(app, action),
        (Overlay::None, _) if app.entity_view.shown => entity_view::update(app, action),
        (Overlay::None, _) if review::on(app) => review::update(app, action),
        (Overlay::Entity { .. }, _) => mentions::picker(app, action),
        (Overlay::EntityValues { .. }, _) => mentions::values_menu(app, action),
        (Overlay::None, Focus::List) => list::update(app, action),
        (Overlay::None, Focus::Reader | Focus::Sidebar) if app.adjudicating().is_some() => {
            adjudicate::update(app, action).or_else(|a| match app.focus {
                Focus::Reader => reader::update(app, a),
                _ => Err(a),
            })
        }
        (Overlay::None, Focus::Reader) => reader::update(app, action),
        (Overlay::None, Focus::Sidebar) => reader::sidebar(app, action),
    };
    step.unwrap_or_else(|action| global(app, action))
}

/// The codebook overlay: scroll with j/k, close with anything else.
fn codebook_overlay(app: &mut App, action: Action) -> Step {
    let last = help::codebook_max_scroll(&app.codebook, app.size.width, app.size.height);
    let Overlay::Codebook { scroll } = &mut app.overlay else { return Err(action) };
    match action {
        Action::ScrollUp | Action::MenuUp | Action::Move(action::Motion::Up) => *scroll = scroll.saturating_sub(1),
        Action::ScrollDown | Action::MenuDown | Action::Move(action::Motion::Down) => *scroll = (*scroll + 1).min(last),
        Action::Move(action::Motion::PageDown) => *scroll = (*scroll + 10).min(last),
        Action::Move(action::Motion::PageUp) => *scroll = scroll.saturating_sub(10),
        Action::Move(action::Motion::Top) => *scroll = 0,
        Action::Move(action::Motion::Bottom) => *scroll = last,
        _ => app.overlay = Overlay::None,
    }
    Ok(vec![])
}

/// The message log: scroll with j/k, close with anything that closes an overlay.
fn messages(app: &mut App, action: Action) -> Step {
    let Overlay::Messages { scroll } = &mut app.overlay else { return Err(action) };
    match action {
        Action::ScrollUp | Action::MenuUp | Action::Move(action::Motion::Up) => {
            *scroll = (*scroll + 1).min(app.messages.len().saturating_sub(1))
        }
        Action::ScrollDown | Action::MenuDown | Action::Move(action::Motion::Down) => {
            *scroll = scroll.saturating_sub(1)
        }
        _ => app.overlay = Overlay::None,
    }
    Ok(vec![])
}

/// What every mode shares: quitting, focus, the help, the attention list, and Esc clearing
/// the message.
fn global(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit | Action::DiscardAndQuit => return saving::quit(app, action),
        Action::FocusNext | Action::FocusPrev => {
            // The other panes are hidden while zoomed: moving to one brings them back.
            if app.zoom {
                app.zoom = false;
                app.rewrap();
            }
            let order = [Focus::List, Focus::Reader, Focus::Sidebar];
            let i = order.iter().position(|f| *f == app.focus).unwrap_or(0);
            let step = if action == Action::FocusNext { 1 } else { 2 };
            app.focus = order[(i + step) % 3];
            app.reader.anchor = None;
        }
        Action::ToggleHelp => {
            app.overlay = Overlay::Help;
            app.help.scroll = 0;
        }
        Action::OpenAttention => attention::open(app),
        Action::OpenEntities => return entity_view::open(app),
        Action::ToggleDone => return coders::toggle_done(app),
        Action::StartReview => return review::start(app),
        // Not over a selection: it is work in progress, and a view over it would drop it.
        Action::OpenStats if app.reader.anchor.is_some() => {}
        Action::OpenStats => return stats_view::open(app),
        Action::ToggleZoom => {
            app.zoom = !app.zoom;
            if app.zoom {
                app.focus = Focus::Reader;
            }
            app.rewrap();
        }
        Action::ShowMessages if app.messages.is_empty() => app.info("no messages yet"),
        Action::ShowMessages => app.overlay = Overlay::Messages { scroll: 0 },
        Action::Cancel if app.stop_job() => {}
        Action::Cancel => {
            app.overlay = Overlay::None;
            app.message = None;
            // Esc also clears the search highlight, as :noh does in vim.
            app.search = None;
        }
        // Actions that need an open article or another mode: nothing to do.
        _ => {}
    }
    vec![]
}
