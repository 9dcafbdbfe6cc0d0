//! Cutting text into segments by the annotations that cover it: the one segmentation the
//! reader, `newsnote show` and the HTML report paint from.
//!
//! Spans nest and overlap freely. A [`Sweep`] walks positions in increasing order over the
//! start and end events of the spans given to it (the caller gives only those near what it
//! paints, so a frame costs what is on screen), keeping per group (a label's look channel) how
//! many spans are open and which one is innermost. It also decides each span's shade once,
//! when it opens: a span inside an open span of its group, or starting where the last span
//! of its group ended (with only blanks between), takes the other shade of its parent or
//! predecessor, so a claim nested in a claim and two claims side by side read as two.
//! Two shades cannot always separate every neighbour (a parent with two touching children);
//! then the children still differ from each other.
//!
//! [`segments`] builds on the sweep for whole texts: each piece of a range with the spans
//! covering it, outermost first, and the spans that open and close at its start.

use std::ops::Range;

/// A span to paint: byte range and group (spans of one group share an attribute channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub group: usize,
}

/// Start and end events of spans, applied in increasing position.
#[derive(Debug)]
pub struct Sweep {
    spans: Vec<Span>,
    /// `(position, is_start, span)`: at one position ends come first, then starts outermost
    /// first (longer first), so a shorter span starting with a longer one is inside it.
    events: Vec<(usize, bool, usize)>,
    applied: usize,
    open: Vec<bool>,
    nested: Vec<bool>,
    /// Per group: the spans opened and not yet seen closed, innermost last (closed ones are
    /// dropped lazily from the top).
    stacks: Vec<Vec<usize>>,
    count: Vec<usize>,
    /// Per group: where its last closed span ended, and that span.
    last: Vec<Option<(usize, usize)>>,
}

impl Sweep {
    /// `groups` is one past the largest group of `spans`.
    pub fn new(spans: Vec<Span>, groups: usize) -> Self {
        let mut events = Vec::with_capacity(spans.len() * 2);
        for (i, s) in spans.iter().enumerate() {
            events.push((s.start, true, i));
            events.push((s.end, false, i));
        }
        // At one position: ends of non-empty spans, then starts (longer first, so a shorter
        // span starting with a longer one is inside it), then ends of empty spans.
        events.sort_unstable_by_key(|&(p, start, i)| {
            let s = spans[i];
            let rank = match (start, s.start == s.end) {
                (false, false) => 0,
                (true, _) => 1,
                (false, true) => 2,
            };
            (p, rank, std::cmp::Reverse(s.end), i)
        });
        let n = spans.len();
        Self {
            spans,
            events,
            applied: 0,
            open: vec![false; n],
            nested: vec![false; n],
            stacks: vec![Vec::new(); groups],
            count: vec![0; groups],
            last: vec![None; groups],
        }
    }

    /// Applies every event at or before `pos` (positions must not decrease between calls),
    /// calling `f(span, opened)` for each. `blank(a, b)` says whether the text between two
    /// positions is only blanks (for the side-by-side shade).
    pub fn advance(&mut self, pos: usize, blank: impl Fn(usize, usize) -> bool, mut f: impl FnMut(usize, bool)) {
        while let Some(&(at, start, i)) = self.events.get(self.applied).filter(|e| e.0 <= pos) {
            self.applied += 1;
            let g = self.spans[i].group;
            if start {
                let parent = self.innermost(g);
                self.nested[i] = match (parent, self.last[g]) {
                    (Some(p), _) => !self.nested[p],
                    (None, Some((end, prev))) if end <= at && blank(end, at) => !self.nested[prev],
                    _ => false,
                };
                self.open[i] = true;
                self.count[g] += 1;
                self.stacks[g].push(i);
            } else {
                self.open[i] = false;
                self.count[g] -= 1;
                if self.count[g] == 0 {
                    self.last[g] = Some((at, i));
                }
            }
            f(i, start);
        }
    }

    /// The next position where a span opens or closes, after what was applied.
    pub fn next_event(&self) -> Option<usize> {
        self.events.get(self.applied).map(|e| e.0)
    }

    /// How many spans of `group` cover the position last advanced to.
    pub fn count(&self, group: usize) -> usize {
        self.count[group]
    }

    /// The innermost open span of `group`.
    pub fn innermost(&mut self, group: usize) -> Option<usize> {
        let stack = &mut self.stacks[group];
        while stack.last().is_some_and(|&i| !self.open[i]) {
            stack.pop();
        }
        stack.last().copied()
    }

    /// Whether span `i` takes its group's other shade (decided when it opened).
    pub fn nested(&self, i: usize) -> bool {
        self.nested[i]
    }

    pub fn span(&self, i: usize) -> Span {
        self.spans[i]
    }
}

/// A piece of text between two span boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub range: Range<usize>,
    /// The spans covering the whole piece, outermost first (start, then longer first, then
    /// the order given).
    pub active: Vec<usize>,
    /// Spans that start at `range.start`, outermost first; empty spans here included.
    pub opened: Vec<usize>,
    /// Non-empty spans that end at `range.start`, innermost first; then empty spans here.
    pub closed: Vec<usize>,
}

/// The result of [`segments`]: the pieces, and each span's shade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation {
    /// Pieces covering the range in order; the last one is empty (at the range's end) and
    /// carries what closes there.
    pub segments: Vec<Segment>,
    /// Per span: whether it takes the other shade (see [`Sweep`]).
    pub nested: Vec<bool>,
}

/// Cuts `within` at every boundary of `spans` inside it. `text` is what the positions index
/// (bytes), for telling which spans touch; spans outside `within` are ignored, spans
/// crossing its edges are clipped.
pub fn segments(text: &str, spans: &[Span], groups: usize, within: Range<usize>) -> Segmentation {
    let blank = |a: usize, b: usize| text.get(a..b).is_some_and(|t| t.chars().all(char::is_whitespace));
    let mut sweep = Sweep::new(spans.to_vec(), groups);
    let outer_first = |i: &usize| {
        let s = spans[*i];
        (s.start, std::cmp::Reverse(s.end), *i)
    };
    let mut active: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let (mut opened, mut closed) = (Vec::new(), Vec::new());
    let mut at = within.start;
    loop {
        // Everything up to `at` (before the range too, so shades and the covering set are
        // right at its start); what starts or ends exactly here opens or closes here.
        sweep.advance(at, blank, |i, start| {
            let s = spans[i];
            if start {
                if s.start == at && (at < within.end || s.start == s.end) {
                    opened.push(i);
                }
                active.push(i);
            } else {
                if s.end == at {
                    closed.push(i);
                }
                active.retain(|&k| k != i);
            }
        });
        opened.sort_by_key(outer_first);
        closed.sort_by_key(|i| (spans[*i].start == spans[*i].end, std::cmp::Reverse(outer_first(i))));
        let (o, c) = (std::mem::take(&mut opened), std::mem::take(&mut closed));
        if at >= within.end {
            out.push(Segment { range: at..at, active: vec![], opened: o, closed: c });
            break;
        }
        // Every event up to `at` is applied, so the next one is past it.
        let next = sweep.next_event().map_or(within.end, |p| p.min(within.end));
        active.sort_by_key(outer_first);
        out.push(Segment { range: at..next, active: active.clone(), opened: o, closed: c });
        at = next;
    }
    let nested = (0..spans.len()).map(|i| sweep.nested(i)).collect();
    Segmentation { segments: out, nested }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(start: usize, end: usize, group: usize) -> Span {
        Span { start, end, group }
    }

    /// The pieces as (text, active) for reading in assertions.
    fn pieces<'a>(text: &'a str, s: &Segmentation) -> Vec<(&'a str, Vec<usize>)> {
        s.segments.iter().filter(|g| !g.range.is_empty()).map(|g| (&text[g.range.clone()], g.active.clone())).collect()
    }

    #[test]
    fn nested_and_crossing_spans_cut_the_text_with_the_covering_set_outermost_first() {
        // "Песков заявил, что «мир невозможен»": a claim over all, a source inside it, and
        // a second claim crossing the first one's end.
        let text = "Песков заявил: «мир невозможен» — и ушёл.";
        let b = |s: &str| text.find(s).unwrap();
        let claim = sp(0, b(" — и"), 1);
        let source = sp(0, b(" заявил"), 2);
        let cross = sp(b("невозможен"), b(" ушёл"), 1);
        let s = segments(text, &[claim, source, cross], 3, 0..text.len());
        assert_eq!(
            pieces(text, &s),
            vec![
                ("Песков", vec![0, 1]),
                (" заявил: «мир ", vec![0]),
                ("невозможен»", vec![0, 2]),
                (" — и", vec![2]),
                (" ушёл.", vec![]),
            ]
        );
        let first = &s.segments[0];
        assert_eq!((first.opened.clone(), first.closed.clone()), (vec![0, 1], vec![]));
        let last = s.segments.last().unwrap();
        assert!(last.range.is_empty() && last.range.start == text.len());
        // The claim inside the claim takes the other shade; the source is alone in its group.
        assert_eq!(s.nested, vec![false, false, true]);
    }

    #[test]
    fn touching_spans_of_one_group_alternate_shades_and_a_gap_resets_them() {
        let text = "一句。 二句。 三句。\n\n四句。";
        let b = |s: &str| text.find(s).unwrap();
        let spans = [
            sp(0, b(" 二"), 1),
            sp(b("二"), b(" 三"), 1),
            sp(b("三"), b("\n"), 1),
            sp(b("四"), text.len(), 1),
            sp(b("二"), b(" 三"), 2),
        ];
        let s = segments(text, &spans, 3, 0..text.len());
        // A blank line between is blank too: only text between spans breaks the chain.
        assert_eq!(s.nested, vec![false, true, false, true, false]);
        let text2 = "a. x b.";
        let s = segments(text2, &[sp(0, 2, 1), sp(5, 7, 1)], 2, 0..text2.len());
        assert_eq!(s.nested, vec![false, false], "text between: not touching");
    }

    #[test]
    fn a_range_inside_the_text_clips_spans_and_reports_empty_spans_at_their_place() {
        let text = "café e\u{301}tait là";
        let s = segments(text, &[sp(2, 2, 0), sp(0, text.len(), 1)], 2, 1..text.len() - 2);
        let segs = &s.segments;
        assert_eq!(segs[0].range, 1..2);
        assert_eq!(segs[0].active, vec![1]);
        assert_eq!(segs[1].range, 2..text.len() - 2);
        assert_eq!((segs[1].opened.clone(), segs[1].closed.clone()), (vec![0], vec![0]));
        assert_eq!(segs[1].active, vec![1], "an empty span covers nothing");
    }

    #[test]
    fn the_sweep_counts_each_group_and_finds_the_innermost_span() {
        let mut w = Sweep::new(vec![sp(0, 10, 0), sp(2, 5, 0), sp(3, 4, 1)], 2);
        let never = |_: usize, _: usize| false;
        w.advance(3, never, |_, _| {});
        assert_eq!((w.count(0), w.count(1)), (2, 1));
        assert_eq!(w.innermost(0), Some(1));
        assert!(w.nested(1) && !w.nested(0));
        w.advance(6, never, |_, _| {});
        assert_eq!((w.count(0), w.count(1), w.innermost(0)), (1, 0, Some(0)));
        assert_eq!(w.next_event(), Some(10));
    }
}
