//! The article list: moving, opening, the filter (words and metadata terms, cheap per key,
//! see `filter`), the order (`o`) and the corpus search (`F`).

use super::{Action, App, Effect, Overlay, PromptKind, Step};
use crate::model::meta::ListOrder;

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
        Action::ListSort => {
            app.list.order = app.list.order.next();
            app.refilter();
            let unread = if app.corpus.all_summarized() { "" } else { " (reading the dates…)" };
            app.info(format!("articles {}{unread}", app.list.order.name()));
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
    /// Recomputes which articles pass the filter, and their order, from scratch; typing uses
    /// the cheaper `prompt_edit` path. The selected article stays selected if it is still
    /// shown.
    pub(super) fn refilter(&mut self) {
        // Listing reads no titles; the filter and an order by metadata need them all. They
        // are read off the loop (`want_titles`, asked for at the end of `update`); until they
        // arrive the filter matches ids and what was already read.
        let needs_all = !self.list.filter.is_empty() || self.list.order != ListOrder::Id;
        self.list.wants_titles = needs_all && !self.corpus.all_summarized();
        let was = self.list.visible.get(self.list.selected).copied();
        // `done:` and `todo:` look at the coders' marks as they are now.
        super::coders::refresh_filter_marks(self);
        let content = self.list.content_filter.as_ref().map(|(_, hits)| hits);
        self.list.visible = self.list.cache.recompute(&self.corpus, &self.list.filter, content, self.list.order);
        self.list.columns = self.list.cache.columns(&self.list.visible);
        self.keep_selection(was);
    }

    /// Selects `entry` (the article selected before the list changed) where the list now
    /// shows it; if it is no longer shown, the row at the same place (within the list). An
    /// empty list remembers it, so a filter typed through a moment of no match
    /// (`o` → `outlet:`) still comes back to it.
    fn keep_selection(&mut self, entry: Option<usize>) {
        let entry = entry.or(self.list.before_empty.take());
        if self.list.visible.is_empty() {
            self.list.before_empty = entry;
        }
        let at = entry.and_then(|e| self.list.visible.iter().position(|&v| v == e));
        self.list.selected = at.unwrap_or(self.list.selected).min(self.list.visible.len().saturating_sub(1));
    }
}

/// The filter prompt changed from `app.list.filter` to `text`. A filter that only grew
/// narrows the list shown (see `filter`); one that shrank is recomputed unless the list is
/// known to stay empty; anything else (an edit in the middle) is recomputed.
pub(super) fn filter_changed(app: &mut App, text: &str) {
    super::coders::refresh_filter_marks(app);
    let grown = text.len() >= app.list.filter.len() && text.starts_with(app.list.filter.as_str());
    if grown && app.list.cache.ready(&app.corpus) {
        let added = &text[app.list.filter.len()..];
        app.list.filter.push_str(added);
        let was = app.list.visible.get(app.list.selected).copied();
        match app.list.cache.grow(&mut app.list.visible, added, app.list.filter.len()) {
            None => app.refilter(),
            Some(true) => {
                app.list.columns = app.list.cache.columns(&app.list.visible);
                app.keep_selection(was);
            }
            Some(false) => {}
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::app::{Msg, update};
    use crate::model::corpus::{AnnotationRoot, Corpus};
    use ratatui::layout::Rect;

    /// A lazily scanned corpus (as `newsnote DIR` opens it) of `n` articles in a 100×12
    /// terminal, so only the first few titles are read; the last title is `last`.
    fn scanned(n: usize, last: &str) -> (tempfile::TempDir, App) {
        let d = tempfile::tempdir().unwrap();
        for i in 0..n {
            let title = if i + 1 == n { last.to_string() } else { format!("Статья {i}") };
            std::fs::write(d.path().join(format!("{i:03}.txt")), format!("{title}\n\nТекст.\n")).unwrap();
        }
        let corpus = Corpus::scan(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut app = App::new(corpus, "t".into(), Keymap::default_map(), Rect::new(0, 0, 100, 12));
        crate::tui::dispatch(&mut app, Msg::Resize { width: 100, height: 12 });
        (d, app)
    }

    fn typed(app: &mut App, s: &str) {
        for c in s.chars() {
            crate::tui::dispatch(app, Msg::Type(c));
        }
    }

    fn shown_ids(app: &App) -> Vec<&str> {
        app.list.visible.iter().map(|&i| app.corpus.entries[i].id.as_str()).collect()
    }

    #[test]
    fn the_filter_finds_a_title_not_yet_read_when_the_filter_started() {
        let (_d, mut app) = scanned(40, "Переговоры в Стамбуле");
        assert!(!app.corpus.entries[39].summarized, "the last title is off screen, unread");
        update(&mut app, Action::StartFilter);
        typed(&mut app, "стамбул");
        assert_eq!(shown_ids(&app), ["039.txt"]);
    }

    /// A scanned corpus of saved pages with these outlets and days (`None`: not given).
    fn pages(rows: &[(&str, Option<&str>, Option<&str>)]) -> (tempfile::TempDir, App) {
        let d = tempfile::tempdir().unwrap();
        for (i, (title, outlet, day)) in rows.iter().enumerate() {
            let mut head = format!("<title>{title}</title>");
            if let Some(o) = outlet {
                head.push_str(&format!(r#"<meta property="og:site_name" content="{o}">"#));
            }
            if let Some(p) = day {
                head.push_str(&format!(r#"<meta property="article:published_time" content="{p}">"#));
            }
            let page = format!("<html><head>{head}</head><body><h1>{title}</h1><p>Текст.</p></body></html>");
            std::fs::write(d.path().join(format!("{i:03}.html")), page).unwrap();
        }
        let corpus = Corpus::scan(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut app = App::new(corpus, "t".into(), Keymap::default_map(), Rect::new(0, 0, 100, 12));
        crate::tui::dispatch(&mut app, Msg::Resize { width: 100, height: 12 });
        (d, app)
    }

    fn selected_id(app: &App) -> &str {
        &app.corpus.entries[app.list.visible[app.list.selected]].id
    }

    #[test]
    fn sorting_a_lazily_read_corpus_reads_every_date_and_keeps_the_selection() {
        let mut rows: Vec<(String, Option<&str>, Option<String>)> = (0..30)
            .map(|i| (format!("Статья {i}"), Some("Reuters"), Some(format!("2026-11-{:02}", i % 28 + 1))))
            .collect();
        rows.push(("Самая новая".into(), Some("新华社"), Some("2026-12-24T08:00:00+08:00".into())));
        rows.push(("Без даты".into(), Some("新华社"), None));
        let refs: Vec<(&str, Option<&str>, Option<&str>)> =
            rows.iter().map(|(t, o, d)| (t.as_str(), *o, d.as_deref())).collect();
        let (_d, mut app) = pages(&refs);
        crate::tui::dispatch(&mut app, Action::ListDown);
        crate::tui::dispatch(&mut app, Action::ListDown);
        assert_eq!(selected_id(&app), "002.html");
        crate::tui::dispatch(&mut app, Action::ListSort);
        assert_eq!(app.list.order, ListOrder::Date);
        assert!(app.corpus.all_summarized(), "the dates off screen were read");
        assert_eq!(shown_ids(&app)[0], "030.html", "the newest, found off screen");
        assert_eq!(shown_ids(&app).last(), Some(&"031.html"), "the undated last");
        assert_eq!(selected_id(&app), "002.html", "the same article stays selected");
        crate::tui::dispatch(&mut app, Action::ListSort);
        // Reuters (the newest of its days first), then 新华社, dated before undated.
        let ids = shown_ids(&app);
        assert_eq!((ids[0], &ids[30..]), ("027.html", &["030.html", "031.html"][..]));
        assert_eq!(selected_id(&app), "002.html");
    }

    #[test]
    fn the_selection_stays_on_its_article_while_a_filter_narrows_the_list() {
        let (_d, mut app) = pages(&[
            ("Переговоры", Some("Українська правда"), Some("2026-11-30")),
            ("Обстрел", Some("Reuters"), Some("2026-11-29")),
            ("Мир", Some("Українська правда"), Some("2026-11-28")),
        ]);
        crate::tui::dispatch(&mut app, Action::ListBottom);
        update(&mut app, Action::StartFilter);
        typed(&mut app, "outlet:правда");
        assert_eq!(shown_ids(&app), ["000.html", "002.html"]);
        assert_eq!(selected_id(&app), "002.html");
        assert_eq!(app.list.columns, crate::app::Columns { day: true, outlet: 17 });
    }
}
