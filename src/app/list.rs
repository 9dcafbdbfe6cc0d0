//! The article list: moving, opening, the title filter (cheap per key, see `filter`) and
//! the corpus search (`F`).

use super::{Action, App, Effect, Overlay, PromptKind, Step};

/// The list's own actions; anything else goes on to the global ones.
pub(super) fn update(app: &mut App, action: Action) -> Step {
    let n = app.list.visible.len();
    match action {
        Action::ListDown => app.list.selected = (app.list.selected + 1).min(n.saturating_sub(1)),
        Action::ListUp => app.list.selected = app.list.selected.saturating_sub(1),
        Action::ListTop => app.list.selected = 0,
        Action::ListBottom => app.list.selected = n.saturating_sub(1),
        Action::OpenArticle => match app.list.visible.get(app.list.selected) {
            Some(&i) => app.open_entry(i),
            None => app.info("no article to open"),
        },
        Action::StartFilter => {
            let text = app.list.filter.clone();
            app.overlay = Overlay::Prompt { kind: PromptKind::Filter, cursor: text.len(), text }
        }
        Action::StartCorpusSearch => {
            let text = app.list.content_filter.as_ref().map(|(q, _)| q.clone()).unwrap_or_default();
            app.overlay = Overlay::Prompt { kind: PromptKind::CorpusSearch, cursor: text.len(), text };
        }
        Action::Cancel if !app.list.filter.is_empty() || app.list.content_filter.is_some() => {
            app.list.filter.clear();
            app.list.content_filter = None;
            app.refilter();
        }
        other => return Err(other),
    }
    Ok(vec![])
}

impl App {
    /// Recomputes which articles pass the filter (every word must occur in id or title),
    /// from scratch; typing uses the cheaper `prompt_edit` path.
    pub(super) fn refilter(&mut self) {
        // Listing reads no titles; the filter needs them all. They are read off the loop
        // (`want_titles`, asked for at the end of `update`); until they arrive the filter
        // matches ids and the titles already read.
        self.list.wants_titles = !self.corpus.all_summarized();
        let content = self.list.content_filter.as_ref().map(|(_, hits)| hits);
        self.list.visible = self.list.cache.recompute(&self.corpus, &self.list.filter, content);
        self.list.selected = self.list.selected.min(self.list.visible.len().saturating_sub(1));
    }
}

/// The filter prompt changed from `app.list.filter` to `text`. A filter that only grew
/// narrows the list shown (see `filter`); one that shrank is recomputed unless the list is
/// known to stay empty; anything else (an edit in the middle) is recomputed.
pub(super) fn filter_changed(app: &mut App, text: &str) {
    let grown = text.len() >= app.list.filter.len() && text.starts_with(app.list.filter.as_str());
    if grown && app.list.cache.ready(&app.corpus) {
        let added = &text[app.list.filter.len()..];
        app.list.filter.push_str(added);
        app.list.cache.grow(&mut app.list.visible, added, app.list.filter.len());
        app.list.selected = app.list.selected.min(app.list.visible.len().saturating_sub(1));
    } else if app.list.filter.starts_with(text) {
        app.list.filter.truncate(text.len());
        if !app.list.cache.shrink_stays_empty(app.list.filter.len()) {
            app.refilter();
        }
    } else {
        app.list.filter = text.to_owned();
        app.refilter();
    }
}

/// `F`: keeps in the list the articles whose text contains `query`, as `newsnote search`
/// finds them, off the terminal loop (see `jobs`), and makes it the in-article search so `n`
/// finds it once opened.
pub(super) fn corpus_search(app: &mut App, query: &str) -> Vec<Effect> {
    if query.is_empty() {
        app.list.content_filter = None;
        app.refilter();
        return vec![];
    }
    if let Err(e) = crate::search::matcher(query) {
        app.error(e);
        return vec![];
    }
    let n = app.corpus.entries.len();
    let job = super::jobs::Job::CorpusSearch { query: query.to_owned(), corpus: app.corpus.clone() };
    app.start(format!("searching all articles for “{query}”"), n, job)
}
