//! The entities view (`E`): who the corpus quotes, one row per entity.
//!
//! It exists because a source is a person, not a span: the coder needs to see every entity
//! with what it is used for across all articles, and to fix the registry where it is wrong
//! (rename, add an alias, merge two entries that are one person, split one that is two, set
//! its attributes). The counts come from [`MentionIndex`], built by a job off the loop (it
//! reads every annotation file) and patched in place afterwards: the open article is re-added
//! from memory after each of its saves, so the view never waits for a second full read.
//!
//! Every registry change goes through [`App::change_entities`] (one undo step, saved at
//! once). A merge never touches a mention: everything resolves through
//! [`Registry::resolve`]. A split does move mentions: the chosen ones are relinked to the new
//! entity through the one save path ([`relink`]), the open article through its document so
//! the app's state stays right; undoing the split in this view puts them back.

use super::{Action, App, Effect, Overlay, PromptKind, Step, action::Motion};
use crate::model::annotation::{AnnotationId, AttrValue};
use crate::model::codebook::{AttrKind, Codebook};
use crate::model::corpus::Corpus;
use crate::model::document::Edit;
use crate::model::entities::index::{MentionIndex, Usage, relink};
use crate::model::entities::{EntityId, Registry, fuzzy_rank, name_from_mention};
use crate::model::store::AnnotationFile;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A row of the view: an entity, or (under the expanded entity) one of its mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Entity(EntityId),
    /// An index into [`MentionIndex::mentions`].
    Mention(usize),
}

/// What a prompt opened from the view asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Filters the entities by name or alias as you type.
    Filter,
    Rename(EntityId),
    Alias(EntityId),
    Wikidata(EntityId),
    Note(EntityId),
    /// The name of the new entity the chosen mentions of this one move to.
    Split(EntityId),
}

impl Ask {
    /// The prompt's prefix in the status bar.
    pub fn prefix(&self) -> &'static str {
        match self {
            Ask::Filter => "entities: ",
            Ask::Rename(_) => "rename to: ",
            Ask::Alias(_) => "add alias: ",
            Ask::Wikidata(_) => "Wikidata id: ",
            Ask::Note(_) => "entity note: ",
            Ask::Split(_) => "new entity for the chosen mentions: ",
        }
    }
}

/// A one-key menu of the view: characters are the codebook's value and attribute keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Menu {
    /// Which entity attribute to filter by.
    FilterAttribute,
    /// Which value of this attribute to keep.
    FilterValue(String),
    /// Which attribute of the entity to set.
    SetAttribute(EntityId),
    /// Which value of the attribute to give the entity.
    SetValue(EntityId, String),
    /// "merge 'from' into 'into'?": `y` confirms.
    ConfirmMerge { from: EntityId, into: EntityId },
}

/// A mention moved: (article, mention, the entity it names before or after).
type Moved = (String, AnnotationId, Option<EntityId>);

/// A split done in this view: what undoing it must put back.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Split {
    added: EntityId,
    /// (article, mention, the entity it named before).
    moved: Vec<Moved>,
}

/// The view's state; kept while hidden, so `E` comes back to where one was.
#[derive(Debug, Clone, Default)]
pub struct EntityView {
    pub shown: bool,
    /// Every mention of the corpus; `None` until the job that reads them is done.
    pub index: Option<MentionIndex>,
    /// The quote of every claim, by (article, claim id), to show what a mention said.
    pub claims: HashMap<(String, AnnotationId), String>,
    /// The name filter (`/`).
    pub query: String,
    /// Only entities with this (attribute, value).
    pub only: Option<(String, String)>,
    /// The rows shown, derived by [`refresh`].
    pub rows: Vec<Row>,
    pub selected: usize,
    pub offset: usize,
    pub expanded: Option<EntityId>,
    /// The entity `M` merges into the one under the cursor.
    pub marked: Option<EntityId>,
    /// Choosing mentions of the expanded entity to split off (`S`).
    pub splitting: bool,
    /// The mentions chosen for the split.
    pub chosen: BTreeSet<usize>,
    /// Usage by resolved entity, from the index.
    pub usage: BTreeMap<EntityId, Usage>,
    /// The index was asked for while another job ran.
    pub waiting: bool,
    splits: Vec<Split>,
    split_redo: Vec<Split>,
}

impl EntityView {
    /// The entity a row stands for (a mention row: the expanded entity).
    pub fn entity_at(&self, row: usize) -> Option<&EntityId> {
        match self.rows.get(row)? {
            Row::Entity(id) => Some(id),
            Row::Mention(_) => self.expanded.as_ref(),
        }
    }
}

/// The help's words for an action the view shares with other modes, where theirs would be
/// wrong here.
pub fn describe(a: &Action) -> Option<&'static str> {
    Some(match a {
        Action::MenuDown => "next row",
        Action::MenuUp => "previous row",
        Action::ListTop => "first row",
        Action::ListBottom => "last row",
        Action::Move(Motion::PageDown) => "page down",
        Action::Move(Motion::PageUp) => "page up",
        Action::OpenAttributes => "set an attribute (its key, then the value's; again clears)",
        Action::Undo => "undo the last entity change (a split's mentions move back)",
        Action::Redo => "redo it",
        Action::Cancel => "cancel a split, a mark, a filter; else close",
        _ => return None,
    })
}

/// Reads every annotation file of `corpus`, counting progress and stopping on `cancel`: the
/// job behind the view.
pub fn build_index(
    corpus: &Corpus,
    codebook: &Codebook,
    done: &AtomicUsize,
    cancel: &AtomicBool,
) -> (MentionIndex, HashMap<(String, AnnotationId), String>) {
    let mut index = MentionIndex::default();
    let mut claims = HashMap::new();
    for entry in &corpus.entries {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        match AnnotationFile::load(&entry.ron_path, &entry.id) {
            Ok(Some(file)) => {
                index.add_article(&entry.id, &file.annotations, codebook);
                add_claims(&mut claims, &entry.id, &file.annotations, codebook);
            }
            Ok(None) => {}
            Err(e) => index.errors.push(e.to_string()),
        }
        done.fetch_add(1, Ordering::Relaxed);
    }
    (index, claims)
}

fn add_claims(
    claims: &mut HashMap<(String, AnnotationId), String>,
    article: &str,
    anns: &[crate::model::annotation::Annotation],
    cb: &Codebook,
) {
    for a in anns.iter().filter(|a| cb.is_content(&a.label)) {
        claims.insert((article.to_owned(), a.id.clone()), a.full_quote());
    }
}

/// Rows of the view's list on a terminal of the app's size (as `ui::entity_view` lays it
/// out: status bar, border, the summary and header lines above, the key hint below).
pub fn list_height(app: &App) -> usize {
    app.size.height.saturating_sub(1 + 2 + 3).max(1) as usize
}

/// Opens the view; the first time (or after `Ctrl-L`) it starts reading the corpus.
pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if app.registry.is_none() {
        app.info("the codebook defines no entities: there is no entities view");
        return vec![];
    }
    app.entity_view.shown = true;
    app.reader.anchor = None;
    let effects = if app.entity_view.index.is_none() { start_index(app) } else { vec![] };
    refresh(app);
    effects
}

fn start_index(app: &mut App) -> Vec<Effect> {
    let n = app.corpus.entries.len();
    let job = super::jobs::Job::Entities { corpus: app.corpus.clone(), codebook: Box::new(app.codebook.clone()) };
    let effects = app.start("reading every article's sources".into(), n, job);
    // One job at a time: when another holds the loop, this one starts once it is done.
    app.entity_view.waiting = effects.is_empty();
    effects
}

/// Another job finished: the view's reading starts if it was waiting for it.
pub(super) fn job_done(app: &mut App) -> Vec<Effect> {
    if app.entity_view.waiting && app.busy.is_none() && app.entity_view.index.is_none() {
        return start_index(app);
    }
    vec![]
}

/// The job's index arrives; the open article counts as it is in memory (it may hold changes
/// a failed save could not write).
pub(super) fn indexed(app: &mut App, index: MentionIndex, claims: HashMap<(String, AnnotationId), String>) {
    let errors = index.errors.len();
    let v = &mut app.entity_view;
    // The order changes once counts arrive: the cursor starts at the top of the new order.
    if v.index.is_none() {
        v.rows.clear();
        (v.selected, v.offset) = (0, 0);
    }
    v.index = Some(index);
    v.claims = claims;
    v.chosen.clear();
    v.splitting = false;
    if let Some(o) = &app.open {
        let entry = o.entry;
        readd_article(app, entry);
    }
    refresh(app);
    if errors > 0 {
        app.error(format!("entities view: {errors} annotation file(s) could not be read; `newsnote check` names them"));
    }
}

/// The open article `entry` was saved: its mentions are taken again from memory, the rest of
/// the index is kept (one article, not the corpus).
pub(super) fn article_saved(app: &mut App, entry: usize) {
    if app.entity_view.index.is_none() || app.open.as_ref().is_none_or(|o| o.entry != entry) {
        return;
    }
    readd_article(app, entry);
    if app.entity_view.shown {
        refresh(app);
    }
}

fn readd_article(app: &mut App, entry: usize) {
    let Some(o) = app.open.as_ref().filter(|o| o.entry == entry) else { return };
    let v = &mut app.entity_view;
    let Some(index) = v.index.as_mut() else { return };
    let id = o.doc.article.id.clone();
    index.mentions.retain(|m| m.article != id);
    v.claims.retain(|(a, _), _| *a != id);
    index.add_article(&id, &o.doc.annotations, &app.codebook);
    add_claims(&mut v.claims, &id, &o.doc.annotations, &app.codebook);
    // Back into corpus order, so the view lists mentions as the articles come.
    let order: HashMap<&str, usize> = app.corpus.entries.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    index.mentions.sort_by_key(|m| (order.get(m.article.as_str()).copied().unwrap_or(usize::MAX), m.start, m.end));
    // Indexes moved: a split being chosen starts again.
    v.chosen.clear();
}

/// The entities shown, in order: live ones passing the filters, by claims, then name.
fn entities_shown(v: &EntityView, registry: &Registry) -> Vec<EntityId> {
    let allowed: Option<BTreeSet<EntityId>> =
        (!v.query.trim().is_empty()).then(|| fuzzy_rank(&v.query, registry).into_iter().collect());
    let mut out: Vec<(usize, String, EntityId)> = registry
        .live()
        .filter(|e| allowed.as_ref().is_none_or(|a| a.contains(&e.id)))
        .filter(|e| {
            v.only
                .as_ref()
                .is_none_or(|(attr, value)| e.attributes.get(attr).is_some_and(|x| x.ids().contains(&value.as_str())))
        })
        .map(|e| (v.usage.get(&e.id).map_or(0, |u| u.claims.len()), e.name.to_lowercase(), e.id.clone()))
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then_with(|| a.2.cmp(&b.2)));
    out.into_iter().map(|(_, _, id)| id).collect()
}

/// Derives the usage and the rows again, keeping the cursor on the entity it was on.
pub(super) fn refresh(app: &mut App) {
    let Some(registry) = app.registry.as_ref() else { return };
    let v = &mut app.entity_view;
    let was = v.entity_at(v.selected).cloned();
    let on_mention = matches!(v.rows.get(v.selected), Some(Row::Mention(_)));
    v.usage = v.index.as_ref().map(|i| i.usage(registry)).unwrap_or_default();
    if v.expanded.as_ref().is_some_and(|e| registry.get(e).is_none_or(|e| e.merged_into.is_some())) {
        v.expanded = None;
    }
    if v.marked.as_ref().is_some_and(|e| registry.get(e).is_none_or(|e| e.merged_into.is_some())) {
        v.marked = None;
    }
    let mut rows = Vec::new();
    // Until the counts are in, nothing is listed: an order that changes under the cursor
    // would make a key act on another entity than the one it was pressed on.
    let ids = if v.index.is_some() { entities_shown(v, registry) } else { vec![] };
    for id in ids {
        let open = v.expanded.as_ref() == Some(&id);
        rows.push(Row::Entity(id.clone()));
        if open && let Some(u) = v.usage.get(&id) {
            rows.extend(u.mentions.iter().map(|&i| Row::Mention(i)));
        }
    }
    v.rows = rows;
    if let Some(was) = was
        && !on_mention
        && let Some(i) = v.rows.iter().position(|r| *r == Row::Entity(was.clone()))
    {
        v.selected = i;
    }
    v.selected = v.selected.min(v.rows.len().saturating_sub(1));
    follow(app);
}

/// Keeps the selected row on screen.
fn follow(app: &mut App) {
    let h = list_height(app);
    let v = &mut app.entity_view;
    if v.selected < v.offset {
        v.offset = v.selected;
    } else if v.selected >= v.offset + h {
        v.offset = v.selected + 1 - h;
    }
    v.offset = v.offset.min(v.rows.len().saturating_sub(h));
}

fn prompt(app: &mut App, ask: Ask, text: String) {
    let cursor = text.len();
    app.overlay = Overlay::Prompt { kind: PromptKind::Entity(ask), text, cursor };
}

fn name_of(app: &App, id: &EntityId) -> String {
    app.registry.as_ref().and_then(|r| r.get(id)).map_or_else(|| id.to_string(), |e| e.name.clone())
}

/// The view's keys (`Mode::Entities`).
pub(super) fn update(app: &mut App, action: Action) -> Step {
    let page = list_height(app);
    let n = app.entity_view.rows.len();
    let v = &mut app.entity_view;
    match action {
        Action::MenuDown | Action::ListDown => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
        Action::MenuUp | Action::ListUp => v.selected = v.selected.saturating_sub(1),
        Action::Move(Motion::PageDown) => v.selected = (v.selected + page).min(n.saturating_sub(1)),
        Action::Move(Motion::PageUp) => v.selected = v.selected.saturating_sub(page),
        Action::ListTop | Action::Move(Motion::Top) => v.selected = 0,
        Action::ListBottom | Action::Move(Motion::Bottom) => v.selected = n.saturating_sub(1),
        Action::EntityExpand => return Ok(expand_or_open(app)),
        Action::EntityCollapse => {
            if let Some(id) = v.expanded.take() {
                v.splitting = false;
                v.chosen.clear();
                refresh(app);
                let v = &mut app.entity_view;
                v.selected = v.rows.iter().position(|r| *r == Row::Entity(id.clone())).unwrap_or(0);
            }
        }
        Action::EntityFilter => {
            let q = v.query.clone();
            prompt(app, Ask::Filter, q);
        }
        Action::EntityFilterAttribute => match app.codebook.entity_attributes().len() {
            0 => app.info("the codebook gives entities no attributes"),
            1 => {
                let a = app.codebook.entity_attributes()[0].id.clone();
                app.overlay = Overlay::EntityMenu(Menu::FilterValue(a));
            }
            _ => app.overlay = Overlay::EntityMenu(Menu::FilterAttribute),
        },
        Action::EntityRename | Action::EntityAlias | Action::EntityWikidata | Action::EntityNote => {
            let Some(id) = v.entity_at(v.selected).cloned() else { return Ok(vec![]) };
            let e = app.registry.as_ref().and_then(|r| r.get(&id)).cloned();
            let Some(e) = e else { return Ok(vec![]) };
            let (ask, text) = match action {
                Action::EntityRename => (Ask::Rename(id), e.name),
                // On a mention, its words are the alias offered.
                Action::EntityAlias => {
                    let words = match v.rows.get(v.selected) {
                        Some(Row::Mention(i)) => v.index.as_ref().map(|x| x.mentions[*i].quote.clone()),
                        _ => None,
                    };
                    (Ask::Alias(id), words.unwrap_or_default())
                }
                Action::EntityWikidata => (Ask::Wikidata(id), e.wikidata.unwrap_or_default()),
                _ => (Ask::Note(id), e.note.unwrap_or_default()),
            };
            prompt(app, ask, text);
        }
        Action::EntityMark => mark(app),
        Action::EntityMerge => merge(app),
        Action::EntitySplit => split(app),
        Action::OpenAttributes => {
            let Some(id) = v.entity_at(v.selected).cloned() else { return Ok(vec![]) };
            match app.codebook.entity_attributes().len() {
                0 => app.info("the codebook gives entities no attributes"),
                1 => {
                    let a = app.codebook.entity_attributes()[0].id.clone();
                    app.overlay = Overlay::EntityMenu(Menu::SetValue(id, a));
                }
                _ => app.overlay = Overlay::EntityMenu(Menu::SetAttribute(id)),
            }
        }
        Action::Undo => return Ok(undo_redo(app, true)),
        Action::Redo => return Ok(undo_redo(app, false)),
        Action::EntityRefresh => {
            app.entity_view.index = None;
            let effects = start_index(app);
            refresh(app);
            return Ok(effects);
        }
        Action::Cancel if app.busy.is_some() => return Err(action),
        Action::Cancel if v.splitting => {
            v.splitting = false;
            v.chosen.clear();
            app.info("split cancelled");
        }
        Action::Cancel if v.marked.is_some() => v.marked = None,
        Action::Cancel if !v.query.is_empty() || v.only.is_some() => {
            v.query.clear();
            v.only = None;
            refresh(app);
        }
        Action::Cancel | Action::CloseEntities | Action::OpenEntities => v.shown = false,
        other => return Err(other),
    }
    follow(app);
    Ok(vec![])
}

fn expand_or_open(app: &mut App) -> Vec<Effect> {
    let v = &mut app.entity_view;
    match v.rows.get(v.selected).cloned() {
        Some(Row::Entity(id)) => {
            let closing = v.expanded.as_ref() == Some(&id);
            v.expanded = (!closing).then_some(id);
            v.splitting = false;
            v.chosen.clear();
            refresh(app);
            vec![]
        }
        Some(Row::Mention(i)) => open_mention(app, i),
        None => vec![],
    }
}

/// Opens the article of mention `i` with the cursor on the mention.
fn open_mention(app: &mut App, i: usize) -> Vec<Effect> {
    let Some(m) = app.entity_view.index.as_ref().and_then(|x| x.mentions.get(i)).cloned() else { return vec![] };
    let Some(entry) = app.corpus.entries.iter().position(|e| e.id == m.article) else {
        app.error(format!("{} is no longer in the corpus", m.article));
        return vec![];
    };
    if app.open.as_ref().is_none_or(|o| o.entry != entry) {
        app.open_entry(entry);
    }
    let Some(o) = app.open.as_ref().filter(|o| o.entry == entry) else { return vec![] };
    app.entity_view.shown = false;
    app.focus = super::Focus::Reader;
    app.reader.anchor = None;
    let at = o.doc.position(&m.annotation);
    let span = at.and_then(|k| o.doc.spans.get(k).copied().flatten());
    match (at, span) {
        (Some(k), Some(s)) => {
            super::reader::set_cursor(app, s.start, false);
            app.sidebar.selected = k;
        }
        _ => app.error(format!("“{}” is no longer in {} (re-anchoring lost it)", m.quote, m.article)),
    }
    vec![]
}

fn mark(app: &mut App) {
    let v = &mut app.entity_view;
    match v.rows.get(v.selected).cloned() {
        Some(Row::Mention(i)) if v.splitting => {
            if !v.chosen.remove(&i) {
                v.chosen.insert(i);
            }
            // On to the next mention, as a file manager's Space does; never off the list.
            if matches!(v.rows.get(v.selected + 1), Some(Row::Mention(_))) {
                v.selected += 1;
            }
        }
        Some(Row::Entity(id)) => {
            if v.marked.as_ref() == Some(&id) {
                v.marked = None;
            } else {
                v.marked = Some(id.clone());
                let name = name_of(app, &id);
                app.info(format!("marked “{name}”: M on another entity merges it into that one"));
            }
        }
        Some(Row::Mention(_)) => {
            app.info("S first to choose mentions to split off; m on an entity marks it for a merge")
        }
        None => {}
    }
}

fn merge(app: &mut App) {
    let v = &app.entity_view;
    let Some(into) = v.entity_at(v.selected).cloned() else { return };
    match v.marked.clone() {
        None => app.info("mark the entity to merge first (m), then M on the one it is"),
        Some(from) if from == into => app.info("that is the marked entity: M on the one it merges into"),
        Some(from) => app.overlay = Overlay::EntityMenu(Menu::ConfirmMerge { from, into }),
    }
}

fn split(app: &mut App) {
    let v = &mut app.entity_view;
    // While choosing, the split is the expanded entity's wherever the cursor went.
    let at = if v.splitting { v.expanded.clone() } else { v.entity_at(v.selected).cloned() };
    let Some(id) = at else { return };
    if v.expanded.as_ref() != Some(&id) {
        app.info("expand the entity first (Enter), then S to choose the mentions to split off");
        return;
    }
    if !v.splitting {
        v.splitting = true;
        v.chosen.clear();
        app.info("Space chooses mentions to split off; S again names the new entity; Esc cancels");
        return;
    }
    let Some(first) = v.chosen.first().copied() else {
        app.info("choose mentions with Space first (or Esc)");
        return;
    };
    let words = v.index.as_ref().map_or(String::new(), |x| name_from_mention(&x.mentions[first].quote));
    prompt(app, Ask::Split(id), words);
}

/// A prompt of the view submitted.
pub(super) fn submit(app: &mut App, ask: Ask, text: String) -> Vec<Effect> {
    let Some(r) = app.registry.as_ref() else { return vec![] };
    let changes = match &ask {
        Ask::Filter => {
            filter_changed(app, &text);
            return vec![];
        }
        Ask::Split(from) => return split_off(app, from.clone(), text.trim()),
        Ask::Rename(id) => r.rename(id, &text).map(|c| vec![c]),
        Ask::Alias(id) => r.alias(id, text.trim()).map(|c| c.into_iter().collect()),
        Ask::Wikidata(id) => r.describe(id, Some(text.clone()), None).map(|c| vec![c]),
        Ask::Note(id) => r.describe(id, None, Some(text.clone())).map(|c| vec![c]),
    };
    let done = match &ask {
        Ask::Rename(_) => format!("renamed to “{}” (the old name is kept as an alias)", text.trim()),
        Ask::Alias(_) => format!("alias “{}” added", text.trim()),
        Ask::Wikidata(_) => "Wikidata id set".into(),
        _ => "note set".into(),
    };
    let effects = changes.and_then(|c| if c.is_empty() { Ok(None) } else { app.change_entities(c).map(Some) });
    match effects {
        Ok(Some(e)) => {
            app.info(done);
            refresh(app);
            e
        }
        Ok(None) => {
            app.info("nothing to change");
            vec![]
        }
        Err(e) => {
            app.error(e.to_string());
            vec![]
        }
    }
}

/// The filter prompt's text changed.
pub(super) fn filter_changed(app: &mut App, text: &str) {
    app.entity_view.query = text.to_owned();
    app.entity_view.selected = 0;
    refresh(app);
}

/// A key typed in one of the view's menus.
pub(super) fn menu_key(app: &mut App, c: char) -> Vec<Effect> {
    let Overlay::EntityMenu(menu) = std::mem::replace(&mut app.overlay, Overlay::None) else { return vec![] };
    let key = c.to_string();
    let attr_by_key = |cb: &Codebook| {
        cb.entity_attributes().iter().find(|a| a.key.as_deref() == Some(key.as_str())).map(|a| a.id.clone())
    };
    let value_by_key = |cb: &Codebook, attr: &str| {
        cb.entity_attribute(attr).and_then(|a| a.kind.values().iter().find(|v| v.key == key)).map(|v| v.id.clone())
    };
    let keep = |app: &mut App, menu: Menu, what: &str| {
        app.info(format!("no {what} has the key {c:?}; Esc closes"));
        app.overlay = Overlay::EntityMenu(menu);
    };
    match menu {
        Menu::FilterAttribute => match attr_by_key(&app.codebook) {
            Some(a) => app.overlay = Overlay::EntityMenu(Menu::FilterValue(a)),
            None => keep(app, menu, "attribute"),
        },
        Menu::FilterValue(attr) => match value_by_key(&app.codebook, &attr) {
            Some(value) => {
                let name = app.codebook.entity_value_name(&attr, &AttrValue::One(value.clone()));
                app.entity_view.only = Some((attr, value));
                app.entity_view.selected = 0;
                refresh(app);
                let n = app.entity_view.rows.iter().filter(|r| matches!(r, Row::Entity(_))).count();
                app.info(format!("{n} entit{} {name} (Esc shows all)", if n == 1 { "y is" } else { "ies are" }));
            }
            None => keep(app, Menu::FilterValue(attr), "value"),
        },
        Menu::SetAttribute(id) => match attr_by_key(&app.codebook) {
            Some(a) => app.overlay = Overlay::EntityMenu(Menu::SetValue(id, a)),
            None => keep(app, Menu::SetAttribute(id), "attribute"),
        },
        Menu::SetValue(id, attr) => match value_by_key(&app.codebook, &attr) {
            Some(value) => return set_value(app, &id, &attr, value),
            None => keep(app, Menu::SetValue(id, attr), "value"),
        },
        Menu::ConfirmMerge { from, into } if c == 'y' => {
            let (a, b) = (name_of(app, &from), name_of(app, &into));
            let changes = app.registry.as_ref().map(|r| r.merge(&from, &into));
            match changes.map(|c| c.and_then(|c| app.change_entities(c))) {
                Some(Ok(effects)) => {
                    app.entity_view.marked = None;
                    refresh(app);
                    if let Some(i) = app.entity_view.rows.iter().position(|r| *r == Row::Entity(into.clone())) {
                        app.entity_view.selected = i;
                        follow(app);
                    }
                    app.info(format!("merged “{a}” into “{b}”: every mention of it counts for “{b}” (u undoes)"));
                    return effects;
                }
                Some(Err(e)) => app.error(e.to_string()),
                None => {}
            }
        }
        Menu::ConfirmMerge { .. } => app.info("not merged"),
    }
    vec![]
}

/// Esc (or any bound key) in a menu of the view closes it.
pub(super) fn menu(app: &mut App, action: Action) -> Step {
    match action {
        Action::Cancel | Action::MenuChoose => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

fn set_value(app: &mut App, id: &EntityId, attr: &str, value: String) -> Vec<Effect> {
    let Some(r) = app.registry.as_ref() else { return vec![] };
    let Some(def) = app.codebook.entity_attribute(attr) else { return vec![] };
    let now = r.get(id).and_then(|e| e.attributes.get(attr)).cloned();
    // A one-of value is set (its key again clears it); a several-of value is toggled.
    let next = match (&def.kind, now) {
        (AttrKind::Many(_), Some(AttrValue::Many(mut xs))) => {
            match xs.iter().position(|x| *x == value) {
                Some(i) => {
                    xs.remove(i);
                }
                None => xs.push(value),
            }
            (!xs.is_empty()).then_some(AttrValue::Many(xs))
        }
        (AttrKind::Many(_), _) => Some(AttrValue::Many(vec![value])),
        (_, Some(AttrValue::One(x))) if x == value => None,
        _ => Some(AttrValue::One(value)),
    };
    let shown = next.as_ref().map_or("cleared".to_owned(), |v| app.codebook.entity_value_name(attr, v));
    let name = def.name.clone();
    match r.set_attribute(id, attr, next).and_then(|c| app.change_entities(vec![c])) {
        Ok(effects) => {
            app.info(format!("{name}: {shown}"));
            refresh(app);
            effects
        }
        Err(e) => {
            app.error(e.to_string());
            vec![]
        }
    }
}

/// Creates the entity `name` and moves the chosen mentions of `from` to it.
fn split_off(app: &mut App, from: EntityId, name: &str) -> Vec<Effect> {
    let Some(r) = app.registry.as_ref() else { return vec![] };
    let chosen: Vec<usize> = app.entity_view.chosen.iter().copied().collect();
    let Some(index) = app.entity_view.index.as_ref() else { return vec![] };
    let mentions: Vec<(String, AnnotationId)> = chosen
        .iter()
        .filter_map(|&i| index.mentions.get(i))
        .map(|m| (m.article.clone(), m.annotation.clone()))
        .collect();
    let (id, change) = match r.add(name, &[], &app.author) {
        Ok(x) => x,
        Err(e) => {
            app.error(e.to_string());
            return vec![];
        }
    };
    let mut effects = match app.change_entities(vec![change]) {
        Ok(e) => e,
        Err(e) => {
            app.error(e.to_string());
            return vec![];
        }
    };
    let moves: Vec<_> = mentions.into_iter().map(|(a, m)| (a, m, Some(id.clone()))).collect();
    let (more, moved) = move_mentions(app, moves);
    effects.extend(more);
    let n = moved.len();
    app.entity_view.splits.push(Split { added: id.clone(), moved });
    app.entity_view.split_redo.clear();
    let v = &mut app.entity_view;
    v.splitting = false;
    v.chosen.clear();
    v.expanded = Some(id.clone());
    refresh(app);
    if let Some(i) = app.entity_view.rows.iter().position(|r| *r == Row::Entity(id.clone())) {
        app.entity_view.selected = i;
        follow(app);
    }
    let old = name_of(app, &from);
    if app.message.as_ref().is_none_or(|m| !m.error) {
        app.info(format!("“{name}” split off “{old}” with {n} mention(s) (u undoes)"));
    }
    effects
}

/// Makes each (article, mention) name its entity; returns the saves and what each named
/// before. The open article changes through its document (so the reader and its next save
/// agree), every other one through `relink` (the one save path); the index follows.
fn move_mentions(app: &mut App, moves: Vec<Moved>) -> (Vec<Effect>, Vec<Moved>) {
    let mut by_article: BTreeMap<(String, Option<EntityId>), Vec<AnnotationId>> = BTreeMap::new();
    for (a, m, to) in moves {
        by_article.entry((a, to)).or_default().push(m);
    }
    let mut effects = Vec::new();
    let mut moved = Vec::new();
    let mut failed = Vec::new();
    for ((article, to), ids) in by_article {
        let Some(entry) = app.corpus.entries.iter().position(|e| e.id == article) else {
            failed.push(format!("{article}: no longer in the corpus"));
            continue;
        };
        let was: Vec<(AnnotationId, Option<EntityId>)> = if let Some(o) = app.open.as_mut().filter(|o| o.entry == entry)
        {
            if let Some(why) = &o.doc.read_only {
                failed.push(format!("{article}: read-only: {why}"));
                continue;
            }
            let now = crate::model::annotation::now_rfc3339();
            let mut was = Vec::new();
            for id in &ids {
                let Some(before) = o.doc.get(id).cloned() else { continue };
                if before.entity == to {
                    continue;
                }
                let after = crate::model::annotation::Annotation {
                    entity: to.clone(),
                    modified: now.clone(),
                    ..before.clone()
                };
                was.push((id.clone(), before.entity.clone()));
                o.doc.apply(&Edit::Update { before, after });
            }
            if !was.is_empty() {
                effects.push(Effect::save(entry, &o.doc));
            }
            was
        } else {
            match relink(&app.corpus.entries[entry], &ids, to.as_ref()) {
                Ok(was) => was,
                Err(e) => {
                    failed.push(format!("{article}: {e}"));
                    continue;
                }
            }
        };
        if let Some(index) = app.entity_view.index.as_mut() {
            for m in index.mentions.iter_mut().filter(|m| m.article == article) {
                if let Some(t) = &to
                    && was.iter().any(|(id, _)| *id == m.annotation)
                {
                    m.entity = t.clone();
                }
            }
            // A mention put back to no entity leaves the index's mentions.
            if to.is_none() {
                index.mentions.retain(|m| m.article != article || !was.iter().any(|(id, _)| *id == m.annotation));
            }
        }
        moved.extend(was.into_iter().map(|(id, w)| (article.clone(), id, w)));
    }
    if !failed.is_empty() {
        app.error(format!("mentions not moved: {}", failed.join("; ")));
    }
    (effects, moved)
}

/// `u` / `Ctrl-R` in the view: the registry's last step; a split done here also moves its
/// mentions back (or again).
fn undo_redo(app: &mut App, undo: bool) -> Vec<Effect> {
    let hist = &app.entity_history;
    let (stack, records) =
        if undo { (&hist.undo, &app.entity_view.splits) } else { (&hist.redo, &app.entity_view.split_redo) };
    // The step on top is this split's when it is the one that added the split's entity.
    let is_split = records.last().is_some_and(|s| {
        stack.last().is_some_and(|step| {
            // Undo finds the entity's creation on top, redo its removal.
            step.iter().any(|c| match (&c.before, &c.after) {
                (None, Some(e)) | (Some(e), None) => e.id == s.added,
                _ => false,
            })
        })
    });
    let result = if undo { app.undo_entities() } else { app.redo_entities() };
    let mut effects = match result {
        Ok(Some(e)) => e,
        Ok(None) => {
            app.info(if undo { "no entity change to undo" } else { "no entity change to redo" });
            return vec![];
        }
        Err(e) => {
            app.error(format!("not undone: {e}"));
            return vec![];
        }
    };
    if is_split {
        let rec = if undo { app.entity_view.splits.pop() } else { app.entity_view.split_redo.pop() };
        if let Some(rec) = rec {
            let moves: Vec<_> = if undo {
                rec.moved.iter().map(|(a, m, was)| (a.clone(), m.clone(), was.clone())).collect()
            } else {
                rec.moved.iter().map(|(a, m, _)| (a.clone(), m.clone(), Some(rec.added.clone()))).collect()
            };
            let (more, _) = move_mentions(app, moves);
            effects.extend(more);
            if undo { &mut app.entity_view.split_redo } else { &mut app.entity_view.splits }.push(rec);
        }
    }
    if app.message.as_ref().is_none_or(|m| !m.error) {
        app.info(if undo { "undone (entities)" } else { "redone (entities)" });
    }
    refresh(app);
    effects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::model::annotation::{Annotation, LabelId};
    use crate::model::corpus::AnnotationRoot;
    use crate::model::units::ByteRange;
    use ratatui::layout::Rect;

    const ARTICLE: &str = "Дмитрий Песков сказал: «Всё спокойно». Пресс-секретарь добавил: «Нет».\n";

    /// One open article with two source mentions ("Дмитрий Песков", "Пресс-секретарь"),
    /// naming `ids`; the first is cited by a claim. The registry has both entities.
    fn app_with(ids: [&str; 2]) -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("статья.txt"), ARTICLE).unwrap();
        let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut registry = Registry::empty(&dir.path().join("sources.ron"));
        for name in ["Дмитрий Песков", "Пресс-секретарь Кремля"] {
            let (_, c) = registry.add(name, &[], "t").unwrap();
            registry.apply(&[c]).unwrap();
        }
        let mut app =
            App::new(corpus, "t".into(), Keymap::default_map(), Rect::new(0, 0, 100, 30)).with_registry(Some(registry));
        let cb = app.codebook.clone();
        let source = cb.entities.as_ref().unwrap().mentions[0].clone();
        let claim = cb.labels.iter().find(|l| cb.is_content(&LabelId::new(l.id.clone()))).unwrap().id.clone();
        let rel = cb.source_relation().unwrap().id.clone();
        let o = app.open.as_mut().unwrap();
        let index = o.doc.article.index.clone();
        let span = |w: &str| {
            let start = ARTICLE.find(w).unwrap();
            let bytes = ByteRange::new(start, start + w.len());
            (bytes, index.to_chars(ARTICLE, bytes))
        };
        let mut mentions = Vec::new();
        for (k, word) in ["Дмитрий Песков", "Пресс-секретарь"].iter().enumerate() {
            let (bytes, chars) = span(word);
            let mut a = Annotation::new_manual(LabelId::new(source.clone()), ARTICLE, bytes, chars, "t", "now");
            a.entity = Some(EntityId::new(ids[k]));
            mentions.push(a.id.clone());
            o.doc.apply(&Edit::Insert(a));
        }
        let (bytes, chars) = span("Всё спокойно");
        let mut c = Annotation::new_manual(LabelId::new(claim), ARTICLE, bytes, chars, "t", "now");
        c.link(&rel, mentions[0].clone());
        o.doc.apply(&Edit::Insert(c));
        open(&mut app);
        // The job, inline: the file on disk has nothing yet, the open article is read from memory.
        app.busy = None;
        let (index, claims) = build_index(&app.corpus, &app.codebook, &AtomicUsize::new(0), &AtomicBool::new(false));
        indexed(&mut app, index, claims);
        (dir, app)
    }

    fn names(app: &App) -> Vec<String> {
        let v = &app.entity_view;
        v.rows.iter().filter_map(|r| if let Row::Entity(id) = r { Some(name_of(app, id)) } else { None }).collect()
    }

    fn entity_of_mention(app: &App, quote: &str) -> Option<EntityId> {
        app.open.as_ref().unwrap().doc.annotations.iter().find(|a| a.quote == quote).unwrap().entity.clone()
    }

    #[test]
    fn entities_are_listed_by_claims_then_name_and_filtered_by_name_alias_or_attribute_value() {
        let (_d, mut app) = app_with(["дмитрий-песков", "пресс-секретарь-кремля"]);
        assert_eq!(names(&app), ["Дмитрий Песков", "Пресс-секретарь Кремля"]);
        let peskov = EntityId::new("дмитрий-песков");
        let u = &app.entity_view.usage[&peskov];
        assert_eq!((u.mentions.len(), u.claims.len(), u.articles.len()), (1, 1, 1));
        // The one with no claim sorts after; by name it would come first were it "А…".
        filter_changed(&mut app, "кремл");
        assert_eq!(names(&app), ["Пресс-секретарь Кремля"]);
        filter_changed(&mut app, "");
        // An attribute value set with `=` and its key, then the list filtered by it.
        app.entity_view.selected = 1;
        let _ = update(&mut app, Action::OpenAttributes);
        let _ = menu_key(&mut app, 't');
        let _ = menu_key(&mut app, 'a');
        let who = app.registry.as_ref().unwrap().get(&EntityId::new("пресс-секретарь-кремля")).unwrap();
        assert_eq!(who.attributes.get("type"), Some(&AttrValue::One("anonymous".into())));
        let _ = update(&mut app, Action::EntityFilterAttribute);
        let _ = menu_key(&mut app, 't');
        let _ = menu_key(&mut app, 'a');
        assert_eq!(names(&app), ["Пресс-секретарь Кремля"]);
        let _ = update(&mut app, Action::Cancel);
        assert_eq!(names(&app).len(), 2, "Esc shows every entity again");
    }

    #[test]
    fn a_merge_counts_every_mention_for_the_kept_entity_and_undo_separates_them_again() {
        let (_d, mut app) = app_with(["дмитрий-песков", "пресс-секретарь-кремля"]);
        app.entity_view.selected = 1;
        let _ = update(&mut app, Action::EntityMark);
        app.entity_view.selected = 0;
        let _ = update(&mut app, Action::EntityMerge);
        assert!(matches!(app.overlay, Overlay::EntityMenu(Menu::ConfirmMerge { .. })));
        let effects = menu_key(&mut app, 'y');
        assert!(effects.iter().any(|e| matches!(e, Effect::SaveEntities(_))), "the merge is saved at once");
        assert_eq!(names(&app), ["Дмитрий Песков"]);
        assert_eq!(app.entity_view.usage[&EntityId::new("дмитрий-песков")].mentions.len(), 2);
        let _ = update(&mut app, Action::Undo);
        assert_eq!(names(&app).len(), 2);
        assert_eq!(app.entity_view.usage[&EntityId::new("дмитрий-песков")].mentions.len(), 1);
    }

    #[test]
    fn a_split_moves_the_chosen_mentions_of_the_open_article_and_undo_and_redo_move_them_back_and_again() {
        let (_d, mut app) = app_with(["дмитрий-песков", "дмитрий-песков"]);
        assert_eq!(names(&app), ["Дмитрий Песков", "Пресс-секретарь Кремля"]);
        let _ = update(&mut app, Action::EntityExpand);
        let _ = update(&mut app, Action::EntitySplit);
        app.entity_view.selected = 2; // the second mention, "Пресс-секретарь"
        let _ = update(&mut app, Action::EntityMark);
        let _ = update(&mut app, Action::EntitySplit);
        let Overlay::Prompt { kind: PromptKind::Entity(Ask::Split(_)), .. } = &app.overlay else {
            panic!("{:?}", app.overlay)
        };
        app.overlay = Overlay::None;
        let effects = submit(&mut app, Ask::Split(EntityId::new("дмитрий-песков")), "Анонимный чиновник".into());
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Save { .. })),
            "the open article is saved through its document"
        );
        let new = EntityId::new("анонимный-чиновник");
        assert_eq!(entity_of_mention(&app, "Пресс-секретарь"), Some(new.clone()));
        assert_eq!(entity_of_mention(&app, "Дмитрий Песков"), Some(EntityId::new("дмитрий-песков")));
        assert_eq!(app.entity_view.usage[&new].mentions.len(), 1);
        let _ = update(&mut app, Action::Undo);
        assert!(app.registry.as_ref().unwrap().get(&new).is_none());
        assert_eq!(entity_of_mention(&app, "Пресс-секретарь"), Some(EntityId::new("дмитрий-песков")));
        assert_eq!(app.entity_view.usage[&EntityId::new("дмитрий-песков")].mentions.len(), 2);
        let _ = update(&mut app, Action::Redo);
        assert!(app.registry.as_ref().unwrap().get(&new).is_some());
        assert_eq!(entity_of_mention(&app, "Пресс-секретарь"), Some(new));
    }

    #[test]
    fn no_entity_is_listed_or_acted_on_until_the_counts_are_in() {
        let (_d, mut app) = app_with(["дмитрий-песков", "пресс-секретарь-кремля"]);
        let _ = update(&mut app, Action::EntityRefresh);
        assert!(app.entity_view.index.is_none() && app.entity_view.rows.is_empty());
        // Keys pressed meanwhile find no row: nothing is marked, nothing is merged.
        let _ = update(&mut app, Action::EntityMark);
        let _ = update(&mut app, Action::EntityMerge);
        assert_eq!((&app.entity_view.marked, &app.overlay), (&None, &Overlay::None));
    }

    #[test]
    fn a_save_of_the_open_article_updates_its_counts_from_memory() {
        let (_d, mut app) = app_with(["дмитрий-песков", "пресс-секретарь-кремля"]);
        let peskov = EntityId::new("дмитрий-песков");
        let o = app.open.as_mut().unwrap();
        let mut a = o.doc.annotations.iter().find(|a| a.quote == "Пресс-секретарь").unwrap().clone();
        let before = a.clone();
        a.entity = Some(peskov.clone());
        o.doc.apply(&Edit::Update { before, after: a });
        let entry = o.entry;
        article_saved(&mut app, entry);
        assert_eq!(app.entity_view.usage[&peskov].mentions.len(), 2);
        assert!(!app.entity_view.usage.contains_key(&EntityId::new("пресс-секретарь-кремля")));
    }

    #[test]
    fn opened_while_another_job_runs_the_view_reads_the_corpus_once_that_job_is_done() {
        use crate::app::jobs::{Done, Job};
        let (_d, mut app) = app_with(["дмитрий-песков", "пресс-секретарь-кремля"]);
        app.entity_view = EntityView::default();
        let _ = app.start("reading titles".into(), 0, Job::Titles { entries: vec![] });
        assert!(open(&mut app).is_empty() && app.entity_view.waiting);
        let effects =
            crate::app::update(&mut app, crate::app::Msg::Done(Done::Titles { entries: vec![], warnings: vec![] }));
        assert!(effects.iter().any(|e| matches!(e, Effect::Start(_))), "{effects:?}");
        assert!(!app.entity_view.waiting);
    }
}
