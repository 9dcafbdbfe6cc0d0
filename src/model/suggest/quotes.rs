//! Quotes, their cues and speakers, found in an article's text: see `suggest`.
