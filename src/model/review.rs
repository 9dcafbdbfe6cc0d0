//! Where an article's review stands, counted once for every view of it.
//!
//! An editor's review is recorded on each annotation (`Annotation::reviews`); the TUI's
//! status line, `newsnote review`, the HTML page and the exports all need the same few
//! figures from those records (how many have a verdict, how many are disputed, how many carry
//! a comment), so they are counted here, in one place, and never differently.

use super::annotation::{Annotation, Verdict};
use serde::Serialize;

/// The review state of a set of annotations (an article's live ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Annotations counted.
    pub annotations: usize,
    /// Whose verdict that stands is Approved.
    pub approved: usize,
    /// Whose verdict that stands is Disputed.
    pub disputed: usize,
    /// Annotations with at least one comment (in a Comment entry or with a verdict).
    pub commented: usize,
    /// Annotations no one has given a verdict yet (a comment alone is not a verdict).
    pub unreviewed: usize,
}

impl Tally {
    /// Counts `anns`; rejected suggestions are not part of the coding and are left out.
    pub fn of<'a>(anns: impl IntoIterator<Item = &'a Annotation>) -> Self {
        let mut t = Self::default();
        for a in anns.into_iter().filter(|a| !a.is_rejected()) {
            t.annotations += 1;
            match a.verdict().map(|r| r.verdict) {
                Some(Verdict::Approved) => t.approved += 1,
                Some(Verdict::Disputed) => t.disputed += 1,
                Some(Verdict::Comment) | None => t.unreviewed += 1,
            }
            if a.reviews.iter().any(|r| r.comment.is_some()) {
                t.commented += 1;
            }
        }
        t
    }

    /// Annotations with a verdict.
    pub fn reviewed(&self) -> usize {
        self.approved + self.disputed
    }

    /// The review in one sentence, as the HTML and Markdown reports print it.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} reviewed · {} approved · {} disputed · {} unreviewed · {} with comments",
            self.reviewed(),
            self.annotations,
            self.approved,
            self.disputed,
            self.unreviewed,
            self.commented
        )
    }

    /// Every annotation has a verdict (and there is at least one).
    pub fn complete(&self) -> bool {
        self.annotations > 0 && self.unreviewed == 0
    }

    /// "review 12/30 · 2 disputed · 3 comments", the words the status line and the pages use.
    pub fn describe(&self) -> String {
        let mut s = format!("review {}/{}", self.reviewed(), self.annotations);
        if self.disputed > 0 {
            s.push_str(&format!(" · {} disputed", self.disputed));
        }
        if self.commented > 0 {
            let noun = if self.commented == 1 { "comment" } else { "comments" };
            s.push_str(&format!(" · {} {noun}", self.commented));
        }
        s
    }
}

/// What the review says of one annotation, in the words the pages and exports use:
/// `approved`, `disputed` or `unreviewed`.
pub fn state(a: &Annotation) -> &'static str {
    match a.verdict().map(|r| r.verdict) {
        Some(Verdict::Approved) => "approved",
        Some(Verdict::Disputed) => "disputed",
        _ => "unreviewed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{LabelId, Status};
    use crate::model::units::{ByteRange, CharRange};

    fn ann(text: &str) -> Annotation {
        let n = text.chars().count();
        Annotation::new_manual(
            LabelId::new("Claim"),
            text,
            ByteRange::new(0, text.len()),
            CharRange::new(0, n),
            "Zoë",
            "2026-12-01T10:00:00Z",
        )
    }

    #[test]
    fn the_tally_counts_verdicts_that_stand_and_comments_and_leaves_rejected_suggestions_out() {
        let t = "«Это неприемлемо»";
        let approved = ann(t).reviewed(Verdict::Approved, "Редактор", "2026-12-01T11:00:00Z", None);
        let disputed = ann(t).reviewed(Verdict::Approved, "Редактор", "2026-12-01T11:00:00Z", None).reviewed(
            Verdict::Disputed,
            "Редактор",
            "2026-12-01T11:05:00Z",
            Some("не цитата"),
        );
        let only_comment = ann(t).reviewed(Verdict::Comment, "Редактор", "2026-12-01T11:06:00Z", Some("źle?"));
        let rejected = ann(t).with_status(Status::Rejected, "2026-12-01T11:07:00Z");
        let all = [approved, disputed, only_comment, ann(t), rejected];
        let tally = Tally::of(&all);
        assert_eq!(
            tally,
            Tally { annotations: 4, approved: 1, disputed: 1, commented: 2, unreviewed: 2 },
            "a comment alone is not a verdict; the rejected suggestion is not counted"
        );
        assert_eq!(tally.describe(), "review 2/4 · 1 disputed · 2 comments");
        assert!(!tally.complete());
        assert_eq!(state(&all[1]), "disputed");
        assert_eq!(state(&all[2]), "unreviewed");
        assert!(!Tally::of(&[]).complete(), "an article without annotations is not reviewed by itself");
    }
}
