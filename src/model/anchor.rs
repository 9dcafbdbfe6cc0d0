//! Re-anchoring annotations in a changed article text.
//!
//! An annotation keeps its code-point span, its exact `quote` and up to 32 code points of
//! `prefix`/`suffix` context (W3C TextPosition + TextQuote selectors). [`reanchor`] finds the
//! quote again after the idea of the Hypothesis client's anchoring: the old position is only a
//! hint, the quote is the evidence, the context breaks ties. The first step that succeeds wins:
//!
//! 1. **Same place**: the old offsets hold the quote with its full stored context →
//!    [`Anchoring::Unchanged`]. O(quote + context + one index block).
//! 2. **Exact quote**: every occurrence (overlapping too) is ranked by the stored context found
//!    verbatim around it (common suffix of `prefix` + common prefix of `suffix`), then by lying
//!    on grapheme boundaries, then by nearness to the old position, so context picks the right
//!    one of several and the nearest wins without context. → `Moved` (`Unchanged` if it is the
//!    old place). A ±[`WINDOW`]-byte window around the old position is searched first and is
//!    final when its best hit has its full context (nothing farther can rank higher); else the
//!    whole text. O(w + occ·(m + C)) for w bytes searched, quote m, context C ≤ 64.
//! 3. **Approximate quote** (4+ code points): code-point edit distance ≤ k = min(⌈m/4⌉,
//!    [`MAX_ERRORS`]) by Myers' bit-parallel algorithm in 64-row blocks with Ukkonen's cut-off
//!    (only blocks that may still be ≤ k are computed), reporting the ends of local minima; a
//!    banded DP over the reversed quote finds each start in O(m·k). Candidates are ranked as
//!    in Hypothesis, 50·quote + 20·prefix + 20·suffix similarity (context sides by edit
//!    distance) + 2·nearness, widened to grapheme boundaries → [`Anchoring::Changed`] with
//!    `confidence` = (50·q + 20·p + 20·s) / 90. The window is scanned first and is final when
//!    its best confidence reaches [`ACCEPT`]. O(w·⌈k/64⌉) expected (O(w·⌈m/64⌉) worst) plus
//!    O(m·k + C²) for each of at most [`MAX_CANDIDATES`] candidates.
//! 4. **Context only**, for empty quotes and quotes of 1–3 code points (which one error would
//!    match anywhere): the last 16 code points of the prefix and, at most 16 code points on,
//!    the first 16 of the suffix, at least [`MIN_EVIDENCE`] of them in all. What lies between
//!    is the new text → `Changed` (an empty quote: `Unchanged`/`Moved`).
//! 5. Otherwise [`Anchoring::Orphaned`]. The annotation itself is never modified.
//!
//! **Context agreement.** An exact hit of a short quote (under [`SHORT_CHARS`] code points or
//! [`SHORT_WORDS`] words: "Peskov", "He") or of a quote found more than once proves little by
//! itself: the same name recurs in every article about that person. Such a hit is a confident
//! move only when a stored context side agrees with the text beside it (the side's similarity,
//! 1 − edit distance / its length, is at least [`AGREE`]; an empty side agrees when the hit is
//! at that end of the text). Otherwise it is [`Anchoring::Uncertain`]: a place is proposed
//! for a person, never taken on the annotation's behalf. Step 2 therefore ranks agreeing hits
//! above all others (the agreement is computed only for hits that could still win, by Myers'
//! algorithm over at most 32 code points per side).
//!
//! **Occupied places.** [`reanchor_all`] never lets two annotations of one label with different
//! old spans end on the same span: the annotations are placed strongest first (unchanged, then
//! moved, changed and uncertain, each by context found, then nearness), and one whose place an
//! earlier one holds is looked for again without the held places. An exact hit it finds then
//! is at best uncertain, since another annotation had the better claim to its first choice; an
//! approximate one keeps its confidence, which weighs its context.
//!
//! Ranges always lie on char boundaries: exact hits are the quote itself, fuzzy ones are
//! widened to grapheme boundaries, then lose whitespace at an end where the quote has none.
//! Release build, 10 MB text, 200-char quote: an exact hit near the old place takes well under
//! a millisecond, a fuzzy one near it ~6 ms (mostly the whole-text exact search that must come
//! first), and an orphan, which needs the full fuzzy scan (≈6 ns per code point), ~70 ms.

use super::annotation::{Annotation, LabelId};
use super::units::{ByteRange, CharIndex, CharRange};
use std::cmp::Reverse;
use std::collections::HashMap;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// How an annotation fared in the new text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchoring {
    /// Same offsets, same text.
    Unchanged,
    /// The exact quote was found elsewhere; offsets updated.
    Moved,
    /// Found with different text (fuzzy); the new text and a confidence in [0, 1].
    Changed { confidence: f32 },
    /// The exact quote was found, but only without its context (a short or frequent quote),
    /// or only after another annotation of its label took its first choice: `bytes` is the
    /// best of `candidates` places, a proposal for a person. The annotation is not moved.
    Uncertain { candidates: usize },
    /// Not found; the annotation is kept as it was.
    Orphaned,
}

/// The outcome of [`reanchor`] for one annotation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchored {
    pub status: Anchoring,
    /// New byte range in the new text (`None` when orphaned).
    pub bytes: Option<ByteRange>,
}

/// Bytes searched on each side of the old position before the whole text is.
pub const WINDOW: usize = 64 * 1024;
/// Shortest quote (in code points) that may match approximately.
pub const MIN_FUZZY: usize = 4;
/// Cap on the errors allowed in an approximate match, whatever the quote's length.
pub const MAX_ERRORS: usize = 64;
/// Approximate candidates kept per scan (those with the fewest errors, then the nearest).
pub const MAX_CANDIDATES: usize = 1024;
/// A fuzzy candidate near the old position at least this confident ends the search.
pub const ACCEPT: f32 = 0.8;
/// Context code points that must match around an empty or tiny quote found by context alone.
pub const MIN_EVIDENCE: usize = 8;
/// Code points of each context side used to find an empty or tiny quote.
const CONTEXT_PROBE: usize = 16;
/// Longest new text (code points) accepted for a tiny quote found by context alone.
const TINY_GAP: usize = 16;
/// Quotes shorter than this many code points need context agreement to move confidently.
pub const SHORT_CHARS: usize = 12;
/// Quotes of fewer words than this (Unicode word segmentation) need context agreement too.
pub const SHORT_WORDS: usize = 3;
/// Least similarity (1 − edit distance / length) of a stored context side to the text beside a
/// hit for that side to agree: half its code points may differ, so a re-punctuated or slightly
/// reworded neighbourhood still agrees, and another sentence around the same name does not.
pub const AGREE: f32 = 0.5;
const W_QUOTE: f32 = 50.0;
const W_SIDE: f32 = 20.0;
const W_POS: f32 = 2.0;

/// Re-anchors one annotation in `text` (whose [`CharIndex`] is `index`) on its own, with no
/// other annotations to respect; see the module docs.
pub fn reanchor(text: &str, index: &CharIndex, a: &Annotation) -> Anchored {
    Query::new(text, index, a, &[]).anchor(false)
}

/// Whether an exact hit of `quote` needs stored context beside it to count as a confident
/// move: a short quote (under [`SHORT_CHARS`] code points or [`SHORT_WORDS`] words) or one
/// occurring more than once in the new text (`occurrences`).
pub fn needs_context(quote: &str, occurrences: usize) -> bool {
    occurrences > 1
        || quote.chars().nth(SHORT_CHARS - 1).is_none()
        || quote.unicode_words().nth(SHORT_WORDS - 1).is_none()
}

/// `r` without whitespace at an end where the quote has none: an approximate match can take
/// in a neighbouring space, and a span never starts or ends in one unless its quote did.
fn trim_span(text: &str, quote: &str, r: ByteRange) -> ByteRange {
    let t = &text[r.as_range()];
    if t.trim().is_empty() {
        return r;
    }
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let lead = if space(quote.chars().next()) { 0 } else { t.len() - t.trim_start().len() };
    let trail = if space(quote.chars().next_back()) { 0 } else { t.len() - t.trim_end().len() };
    ByteRange::new(r.start + lead, r.end - trail)
}

/// [`reanchor`] for each annotation, in order (one result per annotation), such that no two
/// annotations of one label with different old spans get the same place: see
/// "Occupied places" in the module docs. Each annotation is anchored once; only one whose place
/// is held by a stronger one is looked for again.
pub fn reanchor_all(text: &str, index: &CharIndex, anns: &[Annotation]) -> Vec<Anchored> {
    let mut outs: Vec<Anchored> = anns.iter().map(|a| reanchor(text, index, a)).collect();
    // Strongest first: status, then stored context found verbatim there, then nearness.
    let strength = |i: usize| {
        let (out, q) = (&outs[i], Query::new(text, index, &anns[i], &[]));
        let r = out.bytes.unwrap_or_default();
        let (class, score) = match out.status {
            Anchoring::Unchanged => (0, 0),
            Anchoring::Moved => (1, q.affix(r)),
            Anchoring::Changed { confidence } => (2, (confidence * 1000.0) as usize),
            Anchoring::Uncertain { .. } => (3, q.affix(r)),
            Anchoring::Orphaned => (4, 0),
        };
        (class, Reverse(score), r.start.abs_diff(q.hint))
    };
    let mut order: Vec<usize> = (0..anns.len()).filter(|&i| outs[i].bytes.is_some()).collect();
    order.sort_by_cached_key(|&i| strength(i));
    // Places held, by label and range, with the old span of each holder.
    let mut held: HashMap<(LabelId, ByteRange), Vec<(usize, usize)>> = HashMap::new();
    for i in order {
        let a = &anns[i];
        let old = (a.start, a.end);
        let clashes = |r: ByteRange, held: &HashMap<_, Vec<_>>| {
            held.get(&(a.label.clone(), r)).is_some_and(|v: &Vec<(usize, usize)>| v.iter().any(|o| *o != old))
        };
        if let Some(r) = outs[i].bytes
            && clashes(r, &held)
        {
            let mut avoid: Vec<ByteRange> = held
                .iter()
                .filter(|((label, _), olds)| *label == a.label && olds.iter().any(|o| *o != old))
                .map(|((_, r), _)| *r)
                .collect();
            avoid.sort_unstable();
            outs[i] = Query::new(text, index, a, &avoid).anchor(true);
        }
        if let Some(r) = outs[i].bytes {
            held.entry((a.label.clone(), r)).or_default().push(old);
        }
    }
    outs
}

const ORPHANED: Anchored = Anchored { status: Anchoring::Orphaned, bytes: None };

/// One annotation being looked for in one text.
struct Query<'a> {
    text: &'a str,
    quote: &'a str,
    /// The old code-point span as bytes of the new text, when it still fits.
    old: Option<ByteRange>,
    /// Byte offset of the old start in the new text: where to look first.
    hint: usize,
    prefix: Vec<char>,
    suffix: Vec<char>,
    /// The prefix reversed (compared from the hit outwards).
    prefix_rev: Vec<char>,
    /// The reversed prefix and the suffix, prepared for [`Query::agrees`] (`None` when empty).
    prefix_pattern: Option<Pattern>,
    suffix_pattern: Option<Pattern>,
    /// Places other annotations of this label hold, sorted: never proposed.
    avoid: &'a [ByteRange],
    /// Code points in the text.
    chars: usize,
}

/// The best exact occurrence of a quote, from the last pass that searched.
struct Exact {
    r: ByteRange,
    agrees: bool,
    /// Occurrences seen, held ones included, and those that are not held.
    occurrences: usize,
    free: usize,
}

impl<'a> Query<'a> {
    fn new(text: &'a str, index: &CharIndex, a: &'a Annotation, avoid: &'a [ByteRange]) -> Self {
        let old = (a.start <= a.end).then(|| index.to_bytes(text, CharRange::new(a.start, a.end))).flatten();
        let prefix: Vec<char> = a.prefix.chars().collect();
        let suffix: Vec<char> = a.suffix.chars().collect();
        let reversed: Vec<char> = prefix.iter().rev().copied().collect();
        Self {
            text,
            quote: &a.quote,
            old,
            hint: index.byte_of(text, a.start).unwrap_or(text.len()),
            prefix_pattern: (!reversed.is_empty()).then(|| Pattern::new(&reversed)),
            suffix_pattern: (!suffix.is_empty()).then(|| Pattern::new(&suffix)),
            prefix,
            prefix_rev: reversed,
            suffix,
            avoid,
            chars: index.total_chars(),
        }
    }

    /// The steps of the module docs in order. `contested`: another annotation of this label
    /// took this one's first choice, so no exact hit is better than uncertain.
    fn anchor(&self, contested: bool) -> Anchored {
        let full = self.prefix.len() + self.suffix.len();
        if let Some(r) =
            self.old.filter(|&r| self.text[r.as_range()] == *self.quote && self.affix(r) == full && !self.held(r))
        {
            return self.found(r);
        }
        if self.quote.is_empty() {
            return self.by_context(0).map_or(ORPHANED, |(r, _)| self.found(r));
        }
        if let Some(e) = self.exact() {
            if !contested && (e.agrees || !needs_context(self.quote, e.occurrences)) {
                return self.found(e.r);
            }
            return Anchored { status: Anchoring::Uncertain { candidates: e.free }, bytes: Some(e.r) };
        }
        let fuzzy = if self.quote.chars().nth(MIN_FUZZY - 1).is_none() {
            self.by_context(TINY_GAP)
        } else {
            self.fuzzy(self.chars)
        };
        fuzzy.map_or(ORPHANED, |(r, confidence)| Anchored {
            status: Anchoring::Changed { confidence: confidence.clamp(0.0, 1.0) },
            bytes: Some(r),
        })
    }

    /// Whether another annotation of this label holds `r`.
    fn held(&self, r: ByteRange) -> bool {
        !self.avoid.is_empty() && self.avoid.binary_search(&r).is_ok()
    }

    /// Whether a stored context side agrees with the text beside `r` (see the module docs).
    fn agrees(&self, r: ByteRange) -> bool {
        let side = |stored: &[char], pattern: &Option<Pattern>, actual: &mut dyn Iterator<Item = char>, edge: bool| {
            let Some(pattern) = pattern else { return edge };
            let actual: Vec<char> = actual.take(stored.len()).collect();
            let verbatim = stored.iter().zip(&actual).take_while(|(s, t)| s == t).count();
            // Half the side verbatim already bounds the distance by half its length.
            2 * verbatim >= stored.len() || 1.0 - pattern.distance(&actual) as f32 / stored.len() as f32 >= AGREE
        };
        side(&self.prefix_rev, &self.prefix_pattern, &mut self.text[..r.start].chars().rev(), r.start == 0)
            || side(&self.suffix, &self.suffix_pattern, &mut self.text[r.end..].chars(), r.end == self.text.len())
    }

    fn found(&self, r: ByteRange) -> Anchored {
        let status = if self.old == Some(r) { Anchoring::Unchanged } else { Anchoring::Moved };
        Anchored { status, bytes: Some(r) }
    }

    /// Stored context code points found verbatim right around `r`.
    fn affix(&self, r: ByteRange) -> usize {
        let before = self.text[..r.start].chars().rev().zip(self.prefix.iter().rev()).take_while(|(t, p)| t == *p);
        let after = self.text[r.end..].chars().zip(&self.suffix).take_while(|(t, s)| t == *s);
        before.count() + after.count()
    }

    /// Similarity in [0, 1] of each stored context side to the text around `r` (1 when empty).
    fn sides(&self, r: ByteRange) -> (f32, f32) {
        let before: Vec<char> = self.text[..r.start].chars().rev().take(self.prefix.len()).collect();
        let after: Vec<char> = self.text[r.end..].chars().take(self.suffix.len()).collect();
        let rev_prefix: Vec<char> = self.prefix.iter().rev().copied().collect();
        let similarity =
            |stored: &[char], actual: &[char]| 1.0 - levenshtein(stored, actual) as f32 / stored.len().max(1) as f32;
        (similarity(&rev_prefix, &before), similarity(&self.suffix, &after))
    }

    /// (50·quote similarity + 20·prefix + 20·suffix similarity) / 90, in [0, 1].
    fn confidence(&self, quote_sim: f32, r: ByteRange) -> f32 {
        let (p, s) = self.sides(r);
        (W_QUOTE * quote_sim + W_SIDE * (p + s)) / (W_QUOTE + 2.0 * W_SIDE)
    }

    /// Where to search: `[lo, hi)` on char boundaries [`WINDOW`] bytes each side of the hint
    /// (`extra` more after), then the whole text. Equal when the text is small.
    fn passes(&self, extra: usize) -> [(usize, usize); 2] {
        let lo = floor_char(self.text, self.hint.saturating_sub(WINDOW));
        let hi = ceil_char(self.text, self.hint.saturating_add(WINDOW).saturating_add(extra));
        [(lo, hi), (0, self.text.len())]
    }

    /// Step 2: the best exact occurrence of the quote that no other annotation of its label
    /// holds, window first, with how often the quote occurs.
    fn exact(&self) -> Option<Exact> {
        // Ranked by (context agrees, context found verbatim, on grapheme boundaries, nearness).
        // The best agreeing hit and the best of all are kept apart so that agreement, the
        // costly part, is computed only for a hit that beats the best agreeing one so far.
        type Rank = (usize, bool, Reverse<usize>);
        type Best = Option<(Rank, ByteRange)>;
        let full = self.prefix.len() + self.suffix.len();
        let passes = self.passes(self.quote.len());
        let mut found = None;
        for (lo, hi) in passes {
            let (mut agreeing, mut any): (Best, Best) = (None, None);
            let (mut occurrences_seen, mut free) = (0, 0);
            occurrences(self.text, self.quote, lo, hi, |s| {
                occurrences_seen += 1;
                let r = ByteRange::new(s, s + self.quote.len());
                if self.held(r) {
                    return;
                }
                free += 1;
                let ctx = self.affix(r);
                if agreeing.as_ref().is_some_and(|((c, ..), _)| ctx < *c) {
                    return; // cannot win: skip the grapheme and agreement checks
                }
                let aligned = is_grapheme_boundary(self.text, r.start) && is_grapheme_boundary(self.text, r.end);
                let key = (ctx, aligned, Reverse(s.abs_diff(self.hint)));
                if agreeing.as_ref().is_some_and(|(k, _)| key <= *k) {
                    return;
                }
                if self.agrees(r) {
                    agreeing = Some((key, r));
                } else if any.as_ref().is_none_or(|(k, _)| key > *k) {
                    any = Some((key, r));
                }
            });
            found = agreeing.map(|(k, r)| (k, r, true)).or(any.map(|(k, r)| (k, r, false))).map(
                |((ctx, aligned, _), r, agrees)| {
                    (ctx == full && aligned, Exact { r, agrees, occurrences: occurrences_seen, free })
                },
            );
            match &found {
                Some((true, _)) => break,
                _ if passes[0] == passes[1] => break,
                _ => {}
            }
        }
        found.map(|(_, e)| e)
    }

    /// Step 3: the best approximate match with its confidence, window first.
    fn fuzzy(&self, text_chars: usize) -> Option<(ByteRange, f32)> {
        let quote: Vec<char> = self.quote.chars().collect();
        let k = quote.len().div_ceil(4).min(MAX_ERRORS);
        if quote.len() > text_chars + k {
            return None;
        }
        let pattern = Pattern::new(&quote);
        let reversed: Vec<char> = quote.iter().rev().copied().collect();
        let passes = self.passes(2 * self.quote.len());
        let mut best: Option<(f32, ByteRange, f32)> = None;
        for (lo, hi) in passes {
            let ends = pattern.scan(&self.text[lo..hi], k, self.hint.saturating_sub(lo));
            for (end, _) in ends {
                let Some((r, errors)) = self.start_of(lo + end, &reversed, k) else { continue };
                if self.held(trim_span(self.text, self.quote, r)) {
                    continue;
                }
                let confidence = self.confidence(1.0 - errors as f32 / quote.len() as f32, r);
                let near = 1.0 - r.start.abs_diff(self.hint) as f32 / self.text.len().max(1) as f32;
                let rank = confidence * (W_QUOTE + 2.0 * W_SIDE) + W_POS * near;
                if best.is_none_or(|(b, _, _)| rank > b) {
                    best = Some((rank, r, confidence));
                }
            }
            if best.is_some_and(|(_, _, c)| c >= ACCEPT) || passes[0] == passes[1] {
                break;
            }
        }
        best.map(|(_, r, c)| (trim_span(self.text, self.quote, r), c))
    }

    /// The start of the best match of the quote ending at byte `end`, widened to grapheme
    /// boundaries, with its error count.
    fn start_of(&self, end: usize, reversed: &[char], k: usize) -> Option<(ByteRange, usize)> {
        let back: Vec<char> = self.text[..end].chars().rev().take(reversed.len() + k).collect();
        let (len, errors) = best_prefix_alignment(reversed, &back, k)?;
        let start = end - back[..len].iter().map(|c| c.len_utf8()).sum::<usize>();
        Some((snap_graphemes(self.text, ByteRange::new(start, end)), errors))
    }

    /// Step 4: the prefix's tail then, at most `max_gap` code points on, the suffix's head.
    fn by_context(&self, max_gap: usize) -> Option<(ByteRange, f32)> {
        let tail: String = self.prefix[self.prefix.len().saturating_sub(CONTEXT_PROBE)..].iter().collect();
        let head: String = self.suffix[..self.suffix.len().min(CONTEXT_PROBE)].iter().collect();
        if tail.chars().count() + head.chars().count() < MIN_EVIDENCE {
            return None;
        }
        let quote: Vec<char> = self.quote.chars().collect();
        // Where the suffix's head begins at most `max_gap` code points after `start`.
        let gap_end = |start: usize| {
            let end = if head.is_empty() {
                Some(self.text.len()).filter(|_| self.text[start..].chars().nth(max_gap).is_none())
            } else {
                let mut ends = self.text[start..].char_indices().map(|(i, _)| start + i).chain([self.text.len()]);
                ends.by_ref().take(max_gap + 1).find(|&e| self.text[e..].starts_with(&head))
            };
            end.filter(|&e| e > start || quote.is_empty()).map(|e| ByteRange::new(start, e))
        };
        let passes = self.passes(self.quote.len());
        let mut best: Option<((usize, usize), ByteRange)> = None;
        for (lo, hi) in passes {
            let mut starts = Vec::new();
            if tail.is_empty() {
                starts.push(0);
            } else {
                occurrences(self.text, &tail, lo, hi, |s| starts.push(s + tail.len()));
            }
            for r in starts.into_iter().filter_map(gap_end).filter(|&r| !self.held(trim_span(self.text, self.quote, r)))
            {
                let gap: Vec<char> = self.text[r.as_range()].chars().collect();
                let key = (levenshtein(&quote, &gap), r.start.abs_diff(self.hint));
                if best.as_ref().is_none_or(|(k, _)| key < *k) {
                    best = Some((key, r));
                }
            }
            if best.is_some() || passes[0] == passes[1] {
                break;
            }
        }
        let (_, r) = best?;
        let gap: Vec<char> = self.text[r.as_range()].chars().collect();
        let quote_sim = 1.0 - levenshtein(&quote, &gap) as f32 / quote.len().max(gap.len()).max(1) as f32;
        Some((trim_span(self.text, self.quote, r), self.confidence(quote_sim, r)))
    }
}

/// Calls `f` with the start of every occurrence of `needle` (overlapping ones included) that
/// lies wholly inside `text[lo..hi]`. O(hi − lo + occurrences · needle).
fn occurrences(text: &str, needle: &str, lo: usize, hi: usize, mut f: impl FnMut(usize)) {
    let step = needle.chars().next().map_or(1, char::len_utf8);
    let mut from = lo;
    while from <= hi && !needle.is_empty() {
        let Some(i) = text[from..hi].find(needle) else { break };
        f(from + i);
        from += i + step; // the next char boundary after this start
    }
}

fn floor_char(text: &str, p: usize) -> usize {
    (0..=p.min(text.len())).rev().find(|&b| text.is_char_boundary(b)).unwrap_or(0)
}

fn ceil_char(text: &str, p: usize) -> usize {
    (p.min(text.len())..text.len()).find(|&b| text.is_char_boundary(b)).unwrap_or(text.len())
}

fn is_grapheme_boundary(text: &str, p: usize) -> bool {
    GraphemeCursor::new(p, text.len(), true).is_boundary(text, 0).unwrap_or(true)
}

/// Widens `r` (on char boundaries) to the enclosing grapheme boundaries.
fn snap_graphemes(text: &str, r: ByteRange) -> ByteRange {
    let mut start = r.start;
    if !is_grapheme_boundary(text, start) {
        start = GraphemeCursor::new(start, text.len(), true).prev_boundary(text, 0).ok().flatten().unwrap_or(start);
    }
    let mut end = r.end;
    if !is_grapheme_boundary(text, end) {
        end = GraphemeCursor::new(end, text.len(), true).next_boundary(text, 0).ok().flatten().unwrap_or(end);
    }
    ByteRange::new(start, end)
}

/// Edit distance between two short code-point slices. O(|a|·|b|).
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The length `l` of the prefix of `text` closest in edit distance to all of `pattern`, and that
/// distance, if it is at most `k` (ties: `l` nearest `pattern.len()`, then shorter). Banded DP,
/// O(|pattern|·k).
fn best_prefix_alignment(pattern: &[char], text: &[char], k: usize) -> Option<(usize, usize)> {
    const INF: usize = usize::MAX / 2;
    let (m, n) = (pattern.len(), text.len());
    let mut prev: Vec<usize> = (0..=n).map(|j| if j <= k { j } else { INF }).collect();
    let mut cur = vec![INF; n + 1];
    for i in 1..=m {
        let (lo, hi) = (i.saturating_sub(k), (i + k).min(n));
        if lo > hi {
            return None;
        }
        if lo > 0 {
            cur[lo - 1] = INF;
        }
        for j in lo..=hi {
            cur[j] = if j == 0 {
                i
            } else {
                let sub = prev[j - 1] + usize::from(pattern[i - 1] != text[j - 1]);
                sub.min(prev[j] + 1).min(cur[j - 1] + 1)
            };
        }
        if hi < n {
            cur[hi + 1] = INF;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (m.saturating_sub(k)..=(m + k).min(n))
        .map(|l| (prev[l], l.abs_diff(m), l))
        .min()
        .filter(|&(d, _, _)| d <= k)
        .map(|(d, _, l)| (l, d))
}

/// A quote prepared for Myers' bit-parallel approximate search, in blocks of 64 rows.
struct Pattern {
    len: usize,
    blocks: usize,
    /// Alphabet class of each ASCII char; `sigma` for chars not in the quote.
    ascii: [u32; 128],
    /// Alphabet class of each non-ASCII char of the quote, sorted by char.
    other: Vec<(char, u32)>,
    sigma: usize,
    /// `blocks` match masks per class, plus an all-zero set for `sigma`.
    peq: Vec<u64>,
}

impl Pattern {
    fn new(quote: &[char]) -> Self {
        let blocks = quote.len().div_ceil(64).max(1);
        let mut alphabet = quote.to_vec();
        alphabet.sort_unstable();
        alphabet.dedup();
        let sigma = alphabet.len();
        let mut ascii = [sigma as u32; 128];
        let mut other = Vec::new();
        for (i, &c) in alphabet.iter().enumerate() {
            match u8::try_from(c) {
                Ok(b) if b < 128 => ascii[usize::from(b)] = i as u32,
                _ => other.push((c, i as u32)),
            }
        }
        let mut p = Self { len: quote.len(), blocks, ascii, other, sigma, peq: vec![0; (sigma + 1) * blocks] };
        for (row, &c) in quote.iter().enumerate() {
            let class = p.class(c);
            p.peq[class * blocks + row / 64] |= 1 << (row % 64);
        }
        p
    }

    #[inline]
    fn class(&self, c: char) -> usize {
        match self.ascii.get(c as usize) {
            Some(&class) => class as usize,
            None => self.other.binary_search_by_key(&c, |&(o, _)| o).map_or(self.sigma, |i| self.other[i].1 as usize),
        }
    }

    /// Edit distance between the whole quote and all of `text` (global alignment: the top
    /// row counts up, so each column enters with +1). O(|text|·blocks).
    fn distance(&self, text: &[char]) -> usize {
        let nb = self.blocks;
        let mut blocks: Vec<Block> =
            (0..nb).map(|b| Block::new(64 * b, if b == nb - 1 { self.len - 64 * b } else { 64 })).collect();
        for &c in text {
            let class = self.class(c) * nb;
            let mut carry = 1;
            for (block, &e) in blocks.iter_mut().zip(&self.peq[class..class + nb]) {
                carry = block.advance(e, carry);
            }
        }
        blocks[nb - 1].score
    }

    /// `(end byte, errors)` of every local minimum of the edit distance, at most `k`, between the
    /// whole quote and a substring of `text` ending there. Keeps the [`MAX_CANDIDATES`] with
    /// the fewest errors, then nearest `hint`. O(|text|·⌈k/64⌉) expected.
    fn scan(&self, text: &str, k: usize, hint: usize) -> Vec<(usize, usize)> {
        let (nb, last) = (self.blocks, self.blocks - 1);
        let mut blocks: Vec<Block> =
            (0..nb).map(|b| Block::new(64 * b, if b == last { self.len - 64 * b } else { 64 })).collect();
        let mut y = (k / 64).min(last);
        let (mut prev, mut pending, mut out) = (usize::MAX, None, Vec::new());
        for (i, c) in text.char_indices() {
            let class = self.class(c) * nb;
            let eq = &self.peq[class..class + nb];
            let mut carry = 0;
            for (block, &e) in blocks[..=y].iter_mut().zip(eq) {
                carry = block.advance(e, carry);
            }
            // Ukkonen: the next block may hold values ≤ k once the last active row did.
            while y < last && blocks[y].score.wrapping_add_signed(-carry) <= k {
                let above = blocks[y].score.wrapping_add_signed(-carry);
                y += 1;
                blocks[y] = Block::new(above, blocks[y].height);
                carry = blocks[y].advance(eq[y], carry);
            }
            while y > 0 && blocks[y].score >= k + blocks[y].height {
                y -= 1;
            }
            let s = if y == last && blocks[last].score <= k { blocks[last].score } else { usize::MAX };
            if s < prev {
                pending = Some((i + c.len_utf8(), s)).filter(|_| s <= k);
            } else if s > prev {
                out.extend(pending.take());
                if out.len() >= 2 * MAX_CANDIDATES {
                    out.sort_unstable_by_key(|&(e, d)| (d, e.abs_diff(hint)));
                    out.truncate(MAX_CANDIDATES);
                }
            }
            prev = s;
        }
        out.extend(pending);
        out
    }
}

/// One block of up to 64 rows of Myers' bit-vectors for one text column: the vertical deltas
/// (+1 in `pv`, −1 in `mv`) and the edit distance at its last row.
#[derive(Clone, Copy)]
struct Block {
    pv: u64,
    mv: u64,
    score: usize,
    /// The bit of the block's last row, and how many rows it has.
    top: u64,
    height: usize,
}

impl Block {
    /// A block whose rows count up from `above` (column 0, or a pessimistic restart).
    fn new(above: usize, height: usize) -> Self {
        Self { pv: !0, mv: 0, score: above + height, top: 1 << (height - 1), height }
    }

    /// One column step (Myers 1999, in Hyyrö's formulation): `hin` is the horizontal delta
    /// entering the block's first row, the result the delta leaving its last row.
    #[inline]
    fn advance(&mut self, eq: u64, hin: isize) -> isize {
        let (p, m) = (self.pv, self.mv);
        let hin_neg = u64::from(hin < 0);
        let xv = eq | m;
        let eq = eq | hin_neg;
        let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
        let ph = m | !(xh | p);
        let mh = p & xh;
        let hout = isize::from(ph & self.top != 0) - isize::from(mh & self.top != 0);
        let ph = (ph << 1) | u64::from(hin > 0);
        let mh = (mh << 1) | hin_neg;
        self.pv = mh | !(xv | ph);
        self.mv = ph & xv;
        self.score = self.score.wrapping_add_signed(hout);
        hout
    }
}

#[cfg(test)]
#[path = "anchor_tests.rs"]
mod tests;
