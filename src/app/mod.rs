//! The application state and the one function that changes it.
//!
//! Elm-style: [`App`] is all the state, [`update`] applies one [`Action`] and returns the side
//! effects it wants (saves), which the terminal loop performs and reports back as
//! [`Action::Saved`]. Views only read `App`. Keeping I/O out of `update` is what lets tests
//! drive the whole UI with actions and a `TestBackend`, no terminal needed.

pub mod action;
pub mod attention;
mod edit;
mod filter;
pub mod help;
pub mod input;
pub mod keymap;
pub mod layout;
mod reader;

use crate::model::annotation::AnnotationId;
use crate::model::corpus::Corpus;
use crate::model::document::{Document, Edit};
use crate::model::quote::Search;
use crate::model::save::{SaveReport, SaveRequest};
use crate::model::store::{AnnotationFile, StoreError};
use crate::wrap::Wrapped;
pub use action::Action;
use keymap::{Keymap, Mode};
use ratatui::layout::Rect;
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
}

/// Whatever sits on top of the panes and takes the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// Choosing the boilerplate kind for the selection.
    KindMenu,
    /// Choosing the source of a claim; `None` in `choices` unlinks it.
    Picker {
        claim: AnnotationId,
        choices: Vec<Option<AnnotationId>>,
        selected: usize,
    },
    Prompt {
        kind: PromptKind,
        text: String,
    },
    /// The "needs attention" list; `selected` indexes `attention::items`.
    Attention {
        selected: usize,
    },
    /// `q` found changes a retried save still could not write: names them and waits for an
    /// explicit discard (`D`), another `q` (retry), or any other key (stay).
    QuitConfirm,
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
    /// with [`Action::Saved`].
    Save { entry: usize, request: SaveRequest },
    /// Quitting with changes no save could write: try to keep a copy of each in newsnote's
    /// state folder, and say on exit what was kept where.
    Rescue(Vec<(String, AnnotationFile)>),
}

impl Effect {
    pub fn save(entry: usize, doc: &Document) -> Self {
        Effect::Save { entry, request: doc.save_request() }
    }
}

/// What an article's unsaved changes are, counted against what is on disk: for the words of
/// the quit dialog.
pub fn unsaved_changes(doc: &Document) -> String {
    let (mut added, mut changed, mut deleted) = (0, 0, 0);
    for a in &doc.annotations {
        match doc.base.iter().find(|b| b.id == a.id) {
            None => added += 1,
            Some(b) if b != a => changed += 1,
            _ => {}
        }
    }
    deleted += doc.base.iter().filter(|b| doc.get(&b.id).is_none()).count();
    let parts: Vec<String> = [(added, "added"), (changed, "changed"), (deleted, "deleted")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    let conflicts = doc.conflicts_added.len() + doc.conflicts_resolved.len();
    let mut s = if parts.is_empty() { "no annotation changes".to_string() } else { parts.join(", ") };
    if conflicts > 0 {
        s.push_str(&format!(", {conflicts} conflict change(s)"));
    }
    s
}

pub struct App {
    pub corpus: Corpus,
    /// Indices into `corpus.entries` that pass the filter.
    pub visible: Vec<usize>,
    pub filter: String,
    /// Index into `visible`.
    pub list_selected: usize,
    pub list_offset: usize,
    pub focus: Focus,
    pub overlay: Overlay,
    pub open: Option<OpenArticle>,
    pub reader: ReaderState,
    /// Index into the open document's annotations.
    pub sidebar_selected: usize,
    pub sidebar_offset: usize,
    pub search: Option<Search>,
    pub history: HashMap<String, History>,
    pub save: SaveState,
    pub message: Option<Message>,
    pub size: Rect,
    pub author: String,
    pub keymap: Keymap,
    /// Keys typed so far of a multi-key binding (`]` of `]q`).
    pub pending: Vec<String>,
    pub should_quit: bool,
    /// First line of the help overlay shown.
    pub help_scroll: usize,
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
    /// The corpus search (`F`) narrowing the list: the literal and the entries containing it.
    pub content_filter: Option<(String, std::collections::HashSet<usize>)>,
    /// What makes the list filter cheap per key (see `filter`).
    list_filter: filter::ListFilter,
}

impl App {
    pub fn new(corpus: Corpus, author: String, keymap: Keymap, size: Rect) -> Self {
        let visible = (0..corpus.entries.len()).collect();
        let mut app = Self {
            corpus,
            visible,
            filter: String::new(),
            list_selected: 0,
            list_offset: 0,
            focus: Focus::List,
            overlay: Overlay::None,
            open: None,
            reader: ReaderState::default(),
            sidebar_selected: 0,
            sidebar_offset: 0,
            search: None,
            history: HashMap::new(),
            save: SaveState::Saved,
            message: None,
            size,
            author,
            keymap,
            pending: Vec::new(),
            should_quit: false,
            help_scroll: 0,
            unsaved: HashMap::new(),
            quit_pending: 0,
            exit_code: 0,
            exit_notes: Vec::new(),
            content_filter: None,
            list_filter: filter::ListFilter::default(),
        };
        app.summarize_list_page();
        // Show the first article (and its annotations) from the start, focus staying in the list.
        if !app.visible.is_empty() {
            app.open_entry(app.visible[0]);
            app.focus = Focus::List;
        }
        // After opening, so the article's own message cannot hide what the scan skipped.
        if let Some(w) = app.corpus.warnings.first() {
            let more = app.corpus.warnings.len() - 1;
            let text = if more > 0 { format!("{w} (and {more} more; newsnote list shows all)") } else { w.clone() };
            app.message = Some(Message { text, error: true });
        }
        app
    }

    /// The input mode that decides which bindings apply.
    pub fn mode(&self) -> Mode {
        match (&self.overlay, self.focus) {
            (Overlay::KindMenu, _) => Mode::KindMenu,
            (Overlay::Picker { .. }, _) => Mode::Picker,
            (Overlay::Attention { .. }, _) => Mode::Attention,
            // Reads its keys directly (input.rs); the reader's bindings never apply under it.
            (Overlay::QuitConfirm, _) => Mode::Attention,
            (_, Focus::List) => Mode::List,
            (_, Focus::Sidebar) => Mode::Sidebar,
            (_, Focus::Reader) if self.reader.anchor.is_some() => Mode::Visual,
            (_, Focus::Reader) => Mode::Reader,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message { text: text.into(), error: false });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message { text: text.into(), error: true });
    }

    fn panes(&self) -> layout::Panes {
        layout::panes(self.size, self.focus)
    }

    /// Rows of text the reading pane shows at once.
    pub fn reader_height(&self) -> usize {
        // Size the page as if the reader were visible even when a narrow screen hides it.
        let p = layout::panes(self.size, Focus::Reader);
        p.reader.map_or(1, |r| layout::reader_text(r).height.max(1) as usize)
    }

    fn reader_width(&self) -> usize {
        let p = layout::panes(self.size, Focus::Reader);
        p.reader.map_or(1, |r| layout::reader_text(r).width.max(1) as usize)
    }

    fn list_height(&self) -> usize {
        let p = layout::panes(self.size, Focus::List);
        p.list.map_or(1, |r| layout::inner(r).height.max(1) as usize)
    }

    fn sidebar_list_height(&self) -> usize {
        let p = layout::panes(self.size, Focus::Sidebar);
        p.sidebar.map_or(1, |r| layout::sidebar_parts(r).0.height.max(1) as usize)
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
            Ok(doc) => {
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
                self.sidebar_selected = 0;
                self.sidebar_offset = 0;
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

    /// Articles with changes not on disk: the open one if its save failed, and parked ones.
    pub fn unsaved_count(&self) -> usize {
        self.unsaved.len() + usize::from(matches!(self.save, SaveState::Failed(_)) && self.open.is_some())
    }

    /// Every article with changes not on disk: the open one if its save failed, and parked ones.
    pub fn unsaved_docs(&self) -> impl Iterator<Item = (usize, &Document)> {
        let open = self.open.iter().filter(|_| matches!(self.save, SaveState::Failed(_))).map(|o| (o.entry, &o.doc));
        open.chain(self.unsaved.iter().map(|(e, (d, _))| (*e, d)))
    }

    /// Save requests for every article with changes not on disk.
    fn retry_saves(&self) -> Vec<Effect> {
        self.unsaved_docs().map(|(entry, doc)| Effect::save(entry, doc)).collect()
    }

    /// Why each unsaved article could not be saved, with what it holds: the quit dialog's lines.
    pub fn unsaved_report(&self) -> Vec<String> {
        let why = |entry: usize| match (&self.save, self.unsaved.get(&entry)) {
            (_, Some((_, why))) => why.clone(),
            (SaveState::Failed(why), None) => why.clone(),
            _ => String::new(),
        };
        self.unsaved_docs()
            .map(|(entry, doc)| format!("{}: {} — {}", doc.article.id, unsaved_changes(doc), why(entry)))
            .collect()
    }

    /// Quits, leaving a note for the terminal about conflicts still waiting (they are on disk:
    /// quitting loses nothing, but the person should know).
    fn quit_now(&mut self) {
        self.should_quit = true;
        let mut waiting: Vec<(String, usize)> = Vec::new();
        if let Some(o) = &self.open {
            waiting.push((o.doc.article.id.clone(), o.doc.conflicts.len()));
        }
        waiting.extend(self.unsaved.values().map(|(d, _)| (d.article.id.clone(), d.conflicts.len())));
        for (id, n) in waiting.into_iter().filter(|(_, n)| *n > 0) {
            self.exit_notes.push(format!(
                "{id}: {n} unresolved conflict(s) with another writer remain, kept on disk beside its annotation file; \
                 open it and press ! to choose"
            ));
        }
    }

    /// Recomputes which articles pass the filter (every word must occur in id or title),
    /// from scratch; typing uses the cheaper `prompt_edit` path.
    fn refilter(&mut self) {
        // Listing reads no titles; the filter needs them all (read once, on every core).
        self.corpus.summarize_all();
        let content = self.content_filter.as_ref().map(|(_, hits)| hits);
        self.visible = self.list_filter.recompute(&self.corpus, &self.filter, content);
        self.list_selected = self.list_selected.min(self.visible.len().saturating_sub(1));
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
        follow(&mut self.list_offset, self.list_selected, lh);
        let n = self.open.as_ref().map_or(0, |o| o.doc.annotations.len());
        self.sidebar_selected = self.sidebar_selected.min(n.saturating_sub(1));
        follow(&mut self.sidebar_offset, self.sidebar_selected, sh);
        self.summarize_list_page();
    }

    /// Reads the titles and counts of the list rows on screen: a corpus is opened without
    /// reading any (see `Corpus::open`), so the list costs what it shows.
    fn summarize_list_page(&mut self) {
        for k in self.list_offset..(self.list_offset + self.list_height()).min(self.visible.len()) {
            self.corpus.summarize(self.visible[k]);
        }
    }
}

/// Applies one action. Returns the saves the loop must perform.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    use Action::*;
    let mut effects = Vec::new();
    match action {
        Quit if app.unsaved_count() == 0 => app.quit_now(),
        Quit => {
            // Never drop a change silently: every q retries; what still fails is named in the
            // quit dialog, and only an explicit D discards it.
            app.overlay = Overlay::None;
            effects = app.retry_saves();
            app.quit_pending = effects.len();
        }
        DiscardAndQuit => {
            let docs = app.unsaved_docs().map(|(_, d)| (d.article.id.clone(), d.to_file())).collect();
            effects = vec![Effect::Rescue(docs)];
            app.exit_code = 3;
            app.quit_now();
        }
        FocusNext | FocusPrev => {
            let order = [Focus::List, Focus::Reader, Focus::Sidebar];
            let i = order.iter().position(|f| *f == app.focus).unwrap_or(0);
            let step = if action == FocusNext { 1 } else { 2 };
            app.focus = order[(i + step) % 3];
            app.reader.anchor = None;
        }
        ToggleHelp => {
            app.overlay = if app.overlay == Overlay::Help { Overlay::None } else { Overlay::Help };
            app.help_scroll = 0;
        }
        ScrollDown if app.overlay == Overlay::Help => {
            app.help_scroll = (app.help_scroll + 1).min(help::rows(&app.keymap).len().saturating_sub(1))
        }
        ScrollUp if app.overlay == Overlay::Help => app.help_scroll = app.help_scroll.saturating_sub(1),
        ListDown => app.list_selected = (app.list_selected + 1).min(app.visible.len().saturating_sub(1)),
        ListUp => app.list_selected = app.list_selected.saturating_sub(1),
        ListTop => app.list_selected = 0,
        ListBottom => app.list_selected = app.visible.len().saturating_sub(1),
        OpenArticle => match app.visible.get(app.list_selected) {
            Some(&i) => app.open_entry(i),
            None => app.info("no article to open"),
        },
        StartFilter => app.overlay = Overlay::Prompt { kind: PromptKind::Filter, text: app.filter.clone() },
        StartCorpusSearch => {
            let text = app.content_filter.as_ref().map(|(q, _)| q.clone()).unwrap_or_default();
            app.overlay = Overlay::Prompt { kind: PromptKind::CorpusSearch, text };
        }
        // Starts empty as in vim; an empty Enter repeats the last search.
        StartSearch if app.open.is_some() => {
            app.overlay = Overlay::Prompt { kind: PromptKind::Search, text: String::new() }
        }
        Type(c) => prompt_edit(app, |t| t.push(c)),
        Erase => prompt_edit(app, |t| {
            t.pop();
        }),
        Cancel => cancel(app),
        MenuChoose if matches!(app.overlay, Overlay::Prompt { .. }) => effects = submit_prompt(app),
        Resize { width, height } => {
            app.size = Rect::new(0, 0, width, height);
            let w = app.reader_width();
            if let Some(o) = app.open.as_mut().filter(|o| o.wrap.width != w) {
                o.wrap = Wrapped::new(&o.doc.article, w);
            }
            reader::keep_cursor_visible(app);
        }
        Saved { entry, result } => saved(app, entry, &result.0),
        SidebarDown => app.sidebar_selected += 1,
        SidebarUp => app.sidebar_selected = app.sidebar_selected.saturating_sub(1),
        OpenAttention => attention::open(app),
        other if matches!(app.overlay, Overlay::Attention { .. }) && attention::handles(&other) => {
            effects = attention::update(app, other)
        }
        other => effects = reader::update(app, other).unwrap_or_else(|other| edit::update(app, other)),
    }
    app.fix_offsets();
    effects
}

fn prompt_edit(app: &mut App, f: impl FnOnce(&mut String)) {
    let Overlay::Prompt { kind, text } = &mut app.overlay else { return };
    f(text);
    if *kind != PromptKind::Filter {
        return;
    }
    // Typing appends and erasing pops, and the prompt started as the filter, so the filter
    // follows by its end alone: no copy of a long paste per key. A filter that only grew
    // narrows the list shown (see `filter`); one that shrank is recomputed unless the list
    // is known to stay empty.
    let grown = text.len() >= app.filter.len() && text.is_char_boundary(app.filter.len());
    if grown && app.list_filter.ready(&app.corpus) {
        let added = &text[app.filter.len()..];
        app.filter.push_str(added);
        app.list_filter.grow(&mut app.visible, added, app.filter.len());
        app.list_selected = app.list_selected.min(app.visible.len().saturating_sub(1));
    } else if !grown && text.len() <= app.filter.len() && app.filter.is_char_boundary(text.len()) {
        app.filter.truncate(text.len());
        if !app.list_filter.shrink_stays_empty(app.filter.len()) {
            app.refilter();
        }
    } else {
        app.filter = text.clone();
        app.refilter();
    }
}

/// `F`: keeps in the list the articles whose text contains `query` (read on every core, as
/// `newsnote search` does), and makes it the in-article search so `n` finds it once opened.
fn corpus_search(app: &mut App, query: &str) {
    if query.is_empty() {
        app.content_filter = None;
        app.refilter();
        return;
    }
    let re = match crate::search::matcher(query) {
        Ok(re) => re,
        Err(e) => return app.error(e),
    };
    let (found, errors) = crate::search::search(&app.corpus, &re);
    let matches: usize = found.iter().map(|(_, _, n)| n).sum();
    app.content_filter = Some((query.to_owned(), found.iter().map(|(i, _, _)| *i).collect()));
    app.search = Search::new(query);
    app.list_selected = 0;
    app.refilter();
    let n = app.visible.len();
    let unread = if errors.is_empty() { String::new() } else { format!(" ({} unreadable)", errors.len()) };
    app.info(format!(
        "{n} article(s) contain “{query}” on {matches} line(s){unread} — Enter opens one, n finds it, Esc clears"
    ));
}

fn cancel(app: &mut App) {
    match std::mem::replace(&mut app.overlay, Overlay::None) {
        Overlay::Prompt { kind: PromptKind::Filter, .. } => {
            app.filter.clear();
            app.refilter();
        }
        Overlay::None if app.reader.anchor.is_some() => app.reader.anchor = None,
        Overlay::None if app.focus == Focus::List && (!app.filter.is_empty() || app.content_filter.is_some()) => {
            app.filter.clear();
            app.content_filter = None;
            app.refilter();
        }
        Overlay::None => app.message = None,
        _ => {}
    }
}

fn submit_prompt(app: &mut App) -> Vec<Effect> {
    let Overlay::Prompt { kind, text } = std::mem::replace(&mut app.overlay, Overlay::None) else { return vec![] };
    match kind {
        PromptKind::Filter => {
            let n = app.visible.len();
            app.info(format!("{n} article(s) match “{text}” (Esc in the list clears the filter)"));
            vec![]
        }
        PromptKind::CorpusSearch => {
            corpus_search(app, &text);
            vec![]
        }
        PromptKind::Search => {
            if !text.is_empty() {
                app.search = Search::new(&text);
            }
            reader::update(app, Action::SearchNext).unwrap_or_default()
        }
        PromptKind::Note(id) => edit::set_note(app, &id, text),
    }
}

fn saved(app: &mut App, entry: usize, result: &Result<SaveReport, StoreError>) {
    let is_open = app.open.as_ref().is_some_and(|o| o.entry == entry);
    match result {
        Err(e) => {
            let mut why = e.to_string();
            if let StoreError::Write { source, .. } = e
                && matches!(
                    source.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                )
            {
                why.push_str(
                    " — if the folder is read-only, restart with --annotations DIR to keep annotations elsewhere",
                );
            }
            // A file another writer left unreadable (or with one id twice) must not be
            // written at all until fixed: the document becomes read-only, as when opened so.
            let doc = if is_open {
                app.open.as_mut().map(|o| &mut o.doc)
            } else {
                app.unsaved.get_mut(&entry).map(|p| &mut p.0)
            };
            if let Some(doc) = doc.filter(|_| e.makes_read_only()) {
                doc.read_only = Some(e.to_string());
            }
            if is_open {
                app.save = SaveState::Failed(why.clone());
            } else if let Some(parked) = app.unsaved.get_mut(&entry) {
                parked.1 = why.clone();
            }
            app.error(format!("NOT SAVED: {why}. Your change is kept in memory; the next change or q retries"));
        }
        Ok(report) => {
            if is_open {
                app.save = SaveState::Saved;
            }
            let counts = match app.unsaved.remove(&entry) {
                Some((mut doc, _)) => {
                    doc.saved(report);
                    Some(doc.counts())
                }
                None => app.open.as_mut().filter(|_| is_open).map(|o| {
                    o.doc.saved(report);
                    o.doc.counts()
                }),
            };
            if let Some(counts) = counts {
                let e = &mut app.corpus.entries[entry];
                e.counts = counts;
                e.state = crate::model::corpus::FileState::Valid;
            }
            // What the action itself said follows the news of the save.
            let prior = app.message.take();
            let after = prior.as_ref().map(|m| format!(" — {}", m.text)).unwrap_or_default();
            let prior_error = prior.as_ref().is_some_and(|m| m.error);
            let name = report_path_name(app, entry);
            if report.vanished {
                app.error(format!(
                    "{name} had disappeared (deleted, git checkout/stash, or its folder moved); newsnote wrote back all \
                     {} annotation(s) it had{after}",
                    report.annotations.len()
                ));
            } else if report.changed_ours() {
                let n = report.conflicts.len();
                let mut parts = Vec::new();
                if report.merged > 0 {
                    parts.push(format!("merged {} change(s) from another writer", report.merged));
                }
                parts.extend(report.repairs.iter().cloned());
                let msg = parts.join("; ");
                if n > 0 {
                    let msg = if msg.is_empty() { msg } else { format!("; {msg}") };
                    app.error(format!(
                        "{n} conflict(s) with another writer: the file keeps their version, yours is saved beside it \
                         — press ! to choose{msg}{after}"
                    ));
                } else if prior_error {
                    app.error(format!("{msg}{after}"));
                } else {
                    app.info(format!("{msg}{after}"));
                }
            } else {
                app.message = prior;
            }
        }
    }
    if app.quit_pending > 0 {
        app.quit_pending -= 1;
        if app.quit_pending == 0 {
            if app.unsaved_count() == 0 {
                app.quit_now();
            } else {
                app.overlay = Overlay::QuitConfirm;
            }
        }
    }
}

/// The annotation file's name as the user knows it (relative to the corpus when it can be).
fn report_path_name(app: &App, entry: usize) -> String {
    let p = &app.corpus.entries[entry].ron_path;
    p.strip_prefix(&app.corpus.root).unwrap_or(p).display().to_string()
}
