//! Which blocks and lines of an article are not the article: see `suggest`.
