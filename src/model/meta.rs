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
}
