//! Cursor motions and text objects over article text, by grapheme: characters, character
//! finds (`f`/`t`), words, sentences.
//!
//! Every function takes a byte position at a grapheme boundary and returns another, scanning
//! only as far as the motion needs (the neighbouring word, sentence or paragraph), so a
//! keystroke costs the same on a tweet and on a 10 MB article. Positions stop on grapheme
//! starts, never inside an emoji sequence or between a letter and its combining mark.
//!
//! Two bounds keep that true on hostile text. A grapheme decision looks back at most
//! [`CONTEXT`] bytes: whether a position splits a flag depends on how many regional
//! indicators precede it, and counting a run of 500,000 flags from its start at every step
//! made one `b` take minutes. And a word or sentence motion travels at most [`MAX_SCAN`]
//! bytes: a "word" of a megabyte (a run of flags, a base64 blob) is crossed in steps.
//!
//! Words are runs of one class (letters and digits, punctuation, blanks) as in vim, except in
//! the scripts written without spaces: next to a Han ideograph, kana or Hangul, Unicode's word
//! boundaries (UAX #29) split a run, so `w` in 外交部發言人王文斌表示 moves one ideograph.

use super::units::ByteRange;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// Bytes before a position that a grapheme boundary decision may look at. Real grapheme
/// clusters are far shorter; only a run of flags needs more, and in a run longer than this
/// the flags are paired from the window's start. Windows start on a multiple of this (a
/// multiple of 8, the size of a flag), so all windows inside one run pair its flags alike.
const CONTEXT: usize = 1024;

/// The farthest one word or sentence motion moves (or looks) from the cursor.
pub const MAX_SCAN: usize = 64 * 1024;

/// Regional indicators a window may reach back over to find where a run of flags starts, so
/// runs of up to this many (1,024 flags) pair exactly as Unicode says. In a longer run the
/// flags pair from a window's start instead: alike all through the run (the starts are a
/// multiple of 8 bytes apart), though perhaps one indicator off the run's own pairing.
const FLAG_RUN: usize = 2048;

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn floor_boundary(text: &str, mut p: usize) -> usize {
    p = p.min(text.len());
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// Steps over grapheme boundaries from one position, keeping the grapheme state from step to
/// step (a run of flags is counted once, not at every step), and deciding each boundary
/// from a window that starts at most 2 × [`CONTEXT`] bytes back.
#[derive(Clone)]
struct Walker<'a> {
    text: &'a str,
    /// Where the window starts: to the cursor, the text starts here.
    base: usize,
    cursor: GraphemeCursor,
}

impl<'a> Walker<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        let pos = floor_boundary(text, pos);
        let mut base = floor_boundary(text, pos.saturating_sub(CONTEXT) / CONTEXT * CONTEXT);
        // Inside a run of flags, start at the run's start if it is near enough.
        let mut run = text[..base].char_indices().rev().take_while(|&(_, c)| is_regional_indicator(c));
        if let Some((start, _)) = run.by_ref().take(FLAG_RUN).last()
            && run.next().is_none()
            && !text[..start].ends_with(is_regional_indicator)
        {
            base = start;
        }
        Self { text, base, cursor: GraphemeCursor::new(pos - base, text.len() - base, true) }
    }

    fn window(&self) -> &'a str {
        &self.text[self.base..]
    }

    fn is_boundary(&mut self) -> bool {
        let w = self.window();
        self.cursor.is_boundary(w, 0).unwrap_or(true)
    }

    /// The next boundary (`None` at the end of the text).
    fn next(&mut self) -> Option<usize> {
        let w = self.window();
        self.cursor.next_boundary(w, 0).ok().flatten().map(|p| self.base + p)
    }

    /// The previous boundary (`None` at the start of the text). Reaching the window's start
    /// moves the window back: the cost is one window per [`CONTEXT`] bytes walked.
    fn prev(&mut self) -> Option<usize> {
        loop {
            let w = self.window();
            match self.cursor.prev_boundary(w, 0).ok().flatten() {
                Some(p) if p > 0 || self.base == 0 => return Some(self.base + p),
                _ if self.base == 0 => return None,
                _ => {
                    // The window's start is not the text's: decide it in an earlier window.
                    *self = Walker::new(self.text, self.base);
                    if self.is_boundary() {
                        return Some(self.base + self.cursor.cur_cursor());
                    }
                }
            }
        }
    }
}

/// Start of the grapheme after the one at `pos` (or `text.len()`).
pub fn next_grapheme(text: &str, pos: usize) -> usize {
    if pos >= text.len() {
        return text.len();
    }
    Walker::new(text, pos).next().unwrap_or(text.len())
}

/// Start of the grapheme before `pos` (or 0).
pub fn prev_grapheme(text: &str, pos: usize) -> usize {
    if pos == 0 {
        return 0;
    }
    Walker::new(text, pos).prev().unwrap_or(0)
}

/// The last position a cursor may take: start of the last grapheme (0 for empty text).
pub fn last_pos(text: &str) -> usize {
    prev_grapheme(text, text.len())
}

/// Whether `pos` is a grapheme boundary (the text's start and end are).
pub fn is_boundary(text: &str, pos: usize) -> bool {
    pos == 0 || pos >= text.len() || (text.is_char_boundary(pos) && Walker::new(text, pos).is_boundary())
}

/// `pos` if it is a grapheme boundary, else the start of the grapheme after it.
fn ceil_grapheme(text: &str, pos: usize) -> usize {
    if is_boundary(text, pos) { pos.min(text.len()) } else { next_grapheme(text, floor_boundary(text, pos)) }
}

/// `pos` if it is a grapheme boundary, else the start of the grapheme it is in.
fn floor_grapheme(text: &str, pos: usize) -> usize {
    if is_boundary(text, pos) { pos.min(text.len()) } else { prev_grapheme(text, floor_boundary(text, pos)) }
}

/// Snaps `pos` to a valid cursor position (a grapheme start, not past the last grapheme).
pub fn clamp(text: &str, pos: usize) -> usize {
    let pos = floor_boundary(text, pos.min(last_pos(text)));
    if Walker::new(text, pos).is_boundary() { pos } else { prev_grapheme(text, pos) }
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|s| s.chars().next())
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|s| s.chars().next_back())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Blank,
    Word,
    Punct,
}

/// Word characters are letters, digits and `_`. Apostrophes are punctuation, as in vim, so
/// `ve` on "Putin’s" selects the name without the possessive.
fn class_at(text: &str, pos: usize) -> Class {
    match char_at(text, pos) {
        None => Class::Blank,
        Some(c) if c.is_whitespace() => Class::Blank,
        Some(c) if c.is_alphanumeric() || c == '_' => Class::Word,
        Some(_) => Class::Punct,
    }
}

/// Scripts whose words Unicode's word boundaries delimit (UAX #29) rather than runs of
/// letters: Han ideographs (with their iteration marks), Hiragana, Katakana, Bopomofo and
/// Hangul. Chinese and Japanese put no space between words, so a run of letters there is a
/// clause; UAX #29 makes each ideograph a word and keeps a run of Katakana or Hangul together.
fn is_uax_script(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF // Hangul Jamo
        | 0x2E80..=0x2FDF // CJK radicals
        | 0x3005..=0x3007 | 0x3021..=0x3029 | 0x3031..=0x3035 | 0x3038..=0x303C // iteration marks, numerals
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3100..=0x31BF // Bopomofo, Hangul compatibility Jamo
        | 0x31F0..=0x31FF // Katakana extensions
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF // CJK ideographs
        | 0xA960..=0xA97F | 0xAC00..=0xD7FF // Hangul
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFFDC // halfwidth Katakana and Hangul
        | 0x1B000..=0x1B16F // kana supplements
        | 0x20000..=0x3FFFF // CJK ideographs, planes 2 and 3
    )
}

/// Whether the graphemes starting at `q` and at `p` (the next one) are in one word: the same
/// class, and for letters next to a [`is_uax_script`] letter, no UAX #29 word boundary
/// between them. Deciding on the pair alone is exact here: the UAX #29 rules that look
/// further (mid-word punctuation, regional indicators) concern characters of other classes,
/// which end a word anyway.
fn same_word(text: &str, q: usize, p: usize) -> bool {
    let class = class_at(text, q);
    if class != class_at(text, p) {
        return false;
    }
    if class != Class::Word {
        return true;
    }
    let (Some(a), Some(b)) = (char_at(text, q), char_at(text, p)) else { return false };
    if !is_uax_script(a) && !is_uax_script(b) {
        return true;
    }
    !text[q..p + b.len_utf8()].split_word_bound_indices().any(|(i, _)| i == p - q)
}

/// `w`: start of the next word (at most [`MAX_SCAN`] bytes on).
pub fn word_forward(text: &str, pos: usize) -> usize {
    let limit = pos.saturating_add(MAX_SCAN).min(text.len());
    let mut w = Walker::new(text, pos);
    let mut p = pos;
    if class_at(text, pos) != Class::Blank {
        loop {
            let q = p;
            p = w.next().unwrap_or(text.len());
            if p >= limit || !same_word(text, q, p) {
                break;
            }
        }
    }
    while p < limit && class_at(text, p) == Class::Blank {
        p = w.next().unwrap_or(text.len());
    }
    clamp(text, p)
}

/// `e`: end (last grapheme) of the current or next word (at most [`MAX_SCAN`] bytes on).
pub fn word_end(text: &str, pos: usize) -> usize {
    let limit = pos.saturating_add(MAX_SCAN).min(text.len());
    let mut w = Walker::new(text, pos);
    let mut p = w.next().unwrap_or(text.len());
    while p < limit && class_at(text, p) == Class::Blank {
        p = w.next().unwrap_or(text.len());
    }
    if p >= text.len() {
        return last_pos(text);
    }
    loop {
        let n = w.next().unwrap_or(text.len());
        if n >= limit || !same_word(text, p, n) {
            return p;
        }
        p = n;
    }
}

/// `b`: start of the current or previous word (at most [`MAX_SCAN`] bytes back).
pub fn word_back(text: &str, pos: usize) -> usize {
    let limit = pos.saturating_sub(MAX_SCAN);
    let mut w = Walker::new(text, pos);
    let mut p = w.prev().unwrap_or(0);
    while p > limit && class_at(text, p) == Class::Blank {
        p = w.prev().unwrap_or(0);
    }
    while p > limit {
        let q = w.prev().unwrap_or(0);
        if !same_word(text, q, p) {
            break;
        }
        p = q;
    }
    p
}

/// Blanks on one line: what `iw` on blanks and `aw` take, never a line break.
fn is_space_at(text: &str, p: usize) -> bool {
    char_at(text, p).is_some_and(|c| c.is_whitespace() && c != '\n')
}

/// The run of graphemes around `pos` in which each neighbouring pair is `same`, at most
/// [`MAX_SCAN`] bytes either side of `pos`.
fn run_around(text: &str, pos: usize, same: impl Fn(usize, usize) -> bool) -> ByteRange {
    let mut back = Walker::new(text, pos);
    let mut start = pos;
    while start > pos.saturating_sub(MAX_SCAN) {
        match back.prev() {
            Some(q) if same(q, start) => start = q,
            _ => break,
        }
    }
    let limit = pos.saturating_add(MAX_SCAN);
    let mut on = Walker::new(text, pos);
    let (mut last, mut end) = (pos, on.next().unwrap_or(text.len()));
    while end < text.len() && end < limit && same(last, end) {
        last = end;
        end = on.next().unwrap_or(text.len());
    }
    ByteRange::new(start, end)
}

/// The word at `pos` (as `w` and `e` see words), or the blanks there; `None` on a line
/// break or past the end.
fn word_or_space(text: &str, pos: usize) -> Option<ByteRange> {
    match char_at(text, pos)? {
        '\n' => None,
        _ if is_space_at(text, pos) => Some(run_around(text, pos, |q, p| is_space_at(text, q) && is_space_at(text, p))),
        _ => Some(run_around(text, pos, |q, p| same_word(text, q, p))),
    }
}

/// `iw`: the word under the cursor, or the run of blanks (not crossing a line break) when
/// the cursor is on one. `None` on a line break or past the end.
pub fn inner_word(text: &str, pos: usize) -> Option<ByteRange> {
    word_or_space(text, pos)
}

/// `aw`: the word under the cursor with the blanks after it, or, when none follow (the end
/// of a line, punctuation), with the blanks before it. On blanks: the blanks and the word
/// after them, else the word before them. Never crosses a line break.
pub fn around_word(text: &str, pos: usize) -> Option<ByteRange> {
    let here = word_or_space(text, pos)?;
    if is_space_at(text, pos) {
        if let Some(word) = word_or_space(text, here.end).filter(|_| !is_space_at(text, here.end)) {
            return Some(ByteRange::new(here.start, word.end));
        }
        return Some(match here.start {
            0 => here,
            s => word_or_space(text, prev_grapheme(text, s)).map_or(here, |w| ByteRange::new(w.start, here.end)),
        });
    }
    if is_space_at(text, here.end) {
        let blanks = run_around(text, here.end, |q, p| is_space_at(text, q) && is_space_at(text, p));
        return Some(ByteRange::new(here.start, blanks.end));
    }
    if here.start > 0 {
        let before = prev_grapheme(text, here.start);
        if is_space_at(text, before) {
            let blanks = run_around(text, before, |q, p| is_space_at(text, q) && is_space_at(text, p));
            return Some(ByteRange::new(blanks.start, here.end));
        }
    }
    Some(here)
}

/// Which way a character find (`f`, `t`, `F`, `T`) goes and where it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Find {
    /// `f`: onto the next grapheme that starts with the character.
    Forward,
    /// `t`: onto the grapheme before it.
    Till,
    /// `F`: onto the previous grapheme that starts with the character.
    Backward,
    /// `T`: onto the grapheme after it.
    TillBackward,
}

impl Find {
    /// The same find the other way, for `,`.
    pub fn reversed(self) -> Self {
        match self {
            Find::Forward => Find::Backward,
            Find::Till => Find::TillBackward,
            Find::Backward => Find::Forward,
            Find::TillBackward => Find::Till,
        }
    }
}

/// `f`/`t`/`F`/`T` with `ch`: where the cursor goes, or `None` when no grapheme starting
/// with `ch` lies that way on the cursor's line. A target is a whole grapheme whose first
/// character is `ch` (`fe` finds the e of e + U+0301, never a mark inside a grapheme), and
/// the search stays on the line (between line breaks), at most [`MAX_SCAN`] bytes away, as
/// vim's does. A `t` whose target is the next grapheme stays where it is.
pub fn find_char(text: &str, pos: usize, ch: char, find: Find) -> Option<usize> {
    find_from(text, pos, ch, find, false)
}

/// `;` (with the last find) and `,` (with [`Find::reversed`]): as [`find_char`], except that
/// a `t` or `T` looks past a target right next to the cursor, so repeating it moves on
/// instead of staying put (vim's default).
pub fn repeat_find(text: &str, pos: usize, ch: char, find: Find) -> Option<usize> {
    find_from(text, pos, ch, find, true)
}

fn find_from(text: &str, pos: usize, ch: char, find: Find, skip_adjacent: bool) -> Option<usize> {
    let pos = floor_boundary(text, pos);
    match find {
        Find::Forward | Find::Till => {
            let hi = floor_boundary(text, pos.saturating_add(MAX_SCAN));
            let end = memchr::memchr(b'\n', &text.as_bytes()[pos..hi]).map_or(hi, |i| pos + i);
            let mut from = next_grapheme(text, pos);
            if find == Find::Till && skip_adjacent {
                from = next_grapheme(text, from);
            }
            let target = target_forward(text, from, end, ch)?;
            Some(if find == Find::Forward { target } else { prev_grapheme(text, target) })
        }
        Find::Backward | Find::TillBackward => {
            let lo = floor_boundary(text, pos.saturating_sub(MAX_SCAN));
            let start = memchr::memrchr(b'\n', &text.as_bytes()[lo..pos]).map_or(lo, |i| lo + i + 1);
            let to = if find == Find::TillBackward && skip_adjacent { prev_grapheme(text, pos) } else { pos };
            let target = target_backward(text, start, to, ch)?;
            Some(if find == Find::Backward { target } else { next_grapheme(text, target) })
        }
    }
}

/// The first grapheme start in `from..end` whose first character is `ch`. `find` jumps to
/// the first occurrence at memory speed; that is nearly always the target. One inside a
/// grapheme (a mark on a letter, the second half of a flag) switches to walking graphemes
/// with one walker, so a run of such occurrences costs a step each, not a boundary
/// decision each.
fn target_forward(text: &str, from: usize, end: usize, ch: char) -> Option<usize> {
    let i = from + text.get(from..end)?.find(ch)?;
    if is_boundary(text, i) {
        return Some(i);
    }
    let mut w = Walker::new(text, i);
    std::iter::from_fn(|| w.next()).take_while(|&p| p < end).find(|&p| char_at(text, p) == Some(ch))
}

/// The last grapheme start in `start..to` whose first character is `ch`, found as
/// [`target_forward`] finds the first.
fn target_backward(text: &str, start: usize, to: usize, ch: char) -> Option<usize> {
    let i = start + text.get(start..to)?.rfind(ch)?;
    if is_boundary(text, i) {
        return Some(i);
    }
    let mut w = Walker::new(text, i);
    std::iter::from_fn(|| w.prev()).take_while(|&p| p >= start).find(|&p| char_at(text, p) == Some(ch))
}

/// `l`: next grapheme on the same line.
pub fn right(text: &str, pos: usize) -> usize {
    let n = next_grapheme(text, pos);
    if n >= text.len() || char_at(text, pos) == Some('\n') || char_at(text, n) == Some('\n') { pos } else { n }
}

/// `h`: previous grapheme on the same line.
pub fn left(text: &str, pos: usize) -> usize {
    if char_before(text, pos) == Some('\n') { pos } else { prev_grapheme(text, pos) }
}

const TERMINATORS: &[char] = &['.', '!', '?', '…'];
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
/// Words whose trailing period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Prof", "No", "vs",
    "etc", "U.S", "U.K", "U.N", "e.g", "i.e", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
];

/// Closing marks looked through after a terminator (`.”)` is two); more is no sentence end.
const MAX_CLOSERS: usize = 8;

/// If a sentence ends just before `pos` (terminator, closers, then `pos` is blank or the end),
/// true. Looks back only a few code points: past the closers, and past the last word only as
/// far as the longest abbreviation.
fn sentence_ends_before(text: &str, pos: usize) -> bool {
    if char_at(text, pos).is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    let before = &text[..pos];
    let mut trimmed = before;
    for _ in 0..=MAX_CLOSERS {
        match trimmed.strip_suffix(CLOSERS) {
            Some(t) => trimmed = t,
            None => break,
        }
    }
    let Some(t) = trimmed.chars().next_back() else { return false };
    if !TERMINATORS.contains(&t) {
        return false;
    }
    if t == '.' {
        let body = &trimmed[..trimmed.len() - 1];
        // Abbreviations are short: a word longer than this tail is none of them.
        let tail = &body[floor_boundary(body, body.len().saturating_sub(16))..];
        let is_sep = |c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"';
        let word = tail.rsplit(is_sep).next().unwrap_or("");
        let whole = word.len() < tail.len() || tail.len() == body.len();
        if whole
            && (ABBREVIATIONS.contains(&word) || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)))
        {
            return false;
        }
    }
    true
}

/// The first non-blank at or after `p` (at most [`MAX_SCAN`] bytes on).
fn skip_blank_forward(text: &str, p: usize) -> usize {
    let p = p.min(text.len());
    let limit = floor_boundary(text, p.saturating_add(MAX_SCAN));
    text[p..limit].find(|c: char| !c.is_whitespace()).map_or(limit, |i| p + i)
}

/// Byte range of the sentence at `pos` (whitespace after it excluded). A line break always
/// ends a sentence: headlines and one-line paragraphs often have no final period. A sentence
/// longer than [`MAX_SCAN`] either side of `pos` is cut there.
pub fn sentence_at(text: &str, pos: usize) -> (usize, usize) {
    let pos = skip_blank_forward(text, pos).min(text.len());
    let lo = floor_boundary(text, pos.saturating_sub(MAX_SCAN));
    let hi = floor_boundary(text, pos.saturating_add(MAX_SCAN));
    let mut start = pos;
    for (i, c) in text[lo..pos].char_indices().rev() {
        let i = lo + i;
        if c == '\n' || (c.is_whitespace() && sentence_ends_before(text, i)) {
            start = skip_blank_forward(text, i);
            break;
        }
        start = i;
    }
    let mut end = hi;
    for (i, c) in text[pos..hi].char_indices() {
        let i = pos + i;
        if c == '\n' || (c.is_whitespace() && sentence_ends_before(text, i)) {
            end = i;
            break;
        }
    }
    // A blank may share a grapheme with a combining mark after it (U+0020 U+0301), and a
    // prepended mark with the blank after it: the sentence never starts or ends inside one.
    let start = ceil_grapheme(text, start);
    let end = end.max(start);
    let end = start + text[start..end].trim_end().len();
    (start, floor_grapheme(text, end).max(start))
}

/// `)`: start of the next sentence.
pub fn sentence_forward(text: &str, pos: usize) -> usize {
    let (_, end) = sentence_at(text, pos);
    clamp(text, skip_blank_forward(text, end))
}

/// The last grapheme of the sentence at `pos` (its terminator or closing mark, before the
/// blank after it), or of the next sentence when the cursor is already there: where a
/// forward selection with `)` ends, so it takes the sentence and not the next one's first
/// letter (which is where the `)` motion itself lands).
pub fn sentence_end(text: &str, pos: usize) -> usize {
    let (s, e) = sentence_at(text, pos);
    if e > s && prev_grapheme(text, e) > pos {
        return prev_grapheme(text, e);
    }
    let next = sentence_forward(text, pos);
    match sentence_at(text, next) {
        (s, e) if next > pos && e > s => prev_grapheme(text, e).max(pos),
        _ => pos,
    }
}

/// `(`: start of the current sentence, or of the previous one when already at a start.
pub fn sentence_back(text: &str, pos: usize) -> usize {
    let (start, _) = sentence_at(text, pos);
    if start < pos {
        return start;
    }
    let limit = start.saturating_sub(MAX_SCAN);
    let mut w = Walker::new(text, start);
    while let Some(p) = w.prev() {
        if !char_at(text, p).is_some_and(char::is_whitespace) {
            return sentence_at(text, p).0;
        }
        if p <= limit {
            return p;
        }
    }
    0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `|` marks the cursor: "he|llo" is ("hello", 2).
    pub(crate) fn parse(marked: &str) -> (String, usize) {
        let pos = marked.find('|').expect("marker");
        (marked.replacen('|', "", 1), pos)
    }

    pub(crate) fn mark(text: &str, pos: usize) -> String {
        format!("{}|{}", &text[..pos], &text[pos..])
    }

    fn check(motion: fn(&str, usize) -> usize, from: &str, to: &str) {
        let (text, pos) = parse(from);
        assert_eq!(mark(&text, motion(&text, pos)), to, "from {from}");
    }

    #[test]
    fn w_moves_to_the_next_word_across_punctuation_and_lines() {
        check(word_forward, "|Kremlin spokesman", "Kremlin |spokesman");
        check(word_forward, "|Putin’s peace", "Putin|’s peace");
        check(word_forward, "said|, “who", "said, |“who");
        check(word_forward, "end.|\nNext", "end.\n|Next");
        check(word_forward, "la|st", "las|t");
    }

    #[test]
    fn e_moves_to_word_ends_so_vee_selects_two_words() {
        check(word_end, "|Dmitry Peskov told", "Dmitr|y Peskov told");
        check(word_end, "Dmitr|y Peskov told", "Dmitry Pesko|v told");
        check(word_end, "|a 👍🏽 b", "a |👍🏽 b");
        check(word_end, "|Putin’s offer", "Puti|n’s offer");
    }

    #[test]
    fn b_moves_to_word_starts() {
        check(word_back, "Dmitry Pes|kov", "Dmitry |Peskov");
        check(word_back, "Dmitry |Peskov", "|Dmitry Peskov");
        check(word_back, "新闻 报道|：", "新闻 报|道：");
        check(word_back, "新闻 报|道：", "新闻 |报道：");
    }

    #[test]
    fn h_and_l_step_whole_graphemes_and_stay_on_the_line() {
        check(right, "|e\u{301}x", "e\u{301}|x");
        check(right, "|🇺🇦x", "🇺🇦|x");
        check(right, "a|b\ncd", "a|b\ncd");
        check(left, "ab\n|cd", "ab\n|cd");
        check(left, "שלו|ם", "של|ום");
    }

    #[test]
    fn sentences_end_at_terminators_closing_quotes_and_line_breaks() {
        let text = "He said “stop.” Then U.S. officials left. Headline\nNext one.";
        let (s, e) = sentence_at(text, text.find("officials").unwrap());
        assert_eq!(&text[s..e], "Then U.S. officials left.");
        let (s, e) = sentence_at(text, 3);
        assert_eq!(&text[s..e], "He said “stop.”");
        let (s, e) = sentence_at(text, text.find("line").unwrap());
        assert_eq!(&text[s..e], "Headline");
    }

    #[test]
    fn paren_motions_move_between_sentence_starts() {
        check(sentence_forward, "O|ne. Two. Three.", "One. |Two. Three.");
        check(sentence_forward, "One. Tw|o.\nThree.", "One. Two.\n|Three.");
        check(sentence_back, "One. Two. Th|ree.", "One. Two. |Three.");
        check(sentence_back, "One. Two. |Three.", "One. |Two. Three.");
        check(sentence_back, "|One.", "|One.");
    }

    /// Half a million flags (4 MB) after a Cyrillic head. When every grapheme step counted the
    /// run of regional indicators from its start, one `b` here took minutes (quadratic); with
    /// bounded windows the whole test takes well under a second, even unoptimised.
    fn flags() -> (String, usize) {
        let head = "Флаги: ";
        (format!("{head}{}", "🇺🇦".repeat(500_000)), head.len())
    }

    #[test]
    fn word_motions_over_half_a_million_flags_move_at_most_max_scan() {
        let (text, head) = flags();
        let last = last_pos(&text);
        assert!(text.len() - last <= 8);
        let b = word_back(&text, last);
        assert!(b < last && last - b <= MAX_SCAN + 8, "b moved {} bytes", last - b);
        let w = word_forward(&text, head);
        assert!(w > head && w - head <= MAX_SCAN + 8, "w moved {} bytes", w - head);
        let e = word_end(&text, head);
        assert!(e > head && e - head <= MAX_SCAN + 8, "e moved {} bytes", e - head);
        let mid = clamp(&text, text.len() / 2);
        let (s, t) = sentence_at(&text, mid);
        assert!(mid - s <= MAX_SCAN && t - mid <= MAX_SCAN + 8);
        let back = sentence_back(&text, s);
        assert!(s - back <= 2 * MAX_SCAN + 8, "( moved {} bytes", s - back);
    }

    #[test]
    fn finds_and_word_objects_over_half_a_million_flags_look_at_most_max_scan() {
        let (text, head) = flags();
        let mid = clamp(&text, text.len() / 2);
        // Every 🇦 here is the second half of a flag, so no candidate is a target.
        let (u, a) = ('🇺', '🇦');
        let second = if text[mid..].starts_with(u) { a } else { u };
        assert_eq!(find_char(&text, mid, second, Find::Forward), None);
        assert_eq!(find_char(&text, mid, second, Find::Backward), None);
        assert_eq!(find_char(&text, head, 'x', Find::Forward), None);
        let first = if second == a { u } else { a };
        assert_eq!(find_char(&text, mid, first, Find::Forward), Some(next_grapheme(&text, mid)));
        let w = inner_word(&text, mid).unwrap();
        assert!(mid - w.start <= MAX_SCAN + 8 && w.end - mid <= MAX_SCAN + 8, "{w:?}");
        let aw = around_word(&text, head).unwrap();
        assert!(aw.len() <= MAX_SCAN + 16, "{aw:?}");
        let end = sentence_end(&text, head);
        assert!(end > head && end - head <= MAX_SCAN + 8);
    }

    #[test]
    fn deep_in_a_run_of_flags_every_step_is_one_whole_flag() {
        let (text, _) = flags();
        let mut p = clamp(&text, text.len() / 2);
        assert_eq!(clamp(&text, p + 4), p, "between two indicators snaps back to the flag");
        // Far from the run's start the pairing is the windows' own, but the same in every
        // window: 300 flags is 2,400 bytes, so these steps cross window edges.
        let pair = &text[p..next_grapheme(&text, p)];
        assert!(pair == "🇺🇦" || pair == "🇦🇺", "{pair:?}");
        for _ in 0..300 {
            let n = next_grapheme(&text, p);
            assert_eq!((n - p, &text[p..n]), (8, pair));
            assert_eq!(right(&text, p), n);
            p = n;
        }
        for _ in 0..600 {
            let q = prev_grapheme(&text, p);
            assert_eq!((p - q, &text[q..p]), (8, pair));
            assert_eq!(left(&text, p), q);
            p = q;
        }
    }

    #[test]
    fn grapheme_steps_near_the_start_of_a_run_of_flags_pair_them_exactly() {
        // 2,000 indicators: within FLAG_RUN, so paired exactly even 8 KB into the run.
        let t = format!("Флаг {} конец", "🇺🇦🇵🇱".repeat(500));
        let start = t.find('🇺').unwrap();
        let mut p = start;
        for k in 0..100 {
            let n = next_grapheme(&t, p);
            assert_eq!(&t[p..n], if k % 2 == 0 { "🇺🇦" } else { "🇵🇱" });
            p = n;
        }
        let end = t.find(" конец").unwrap();
        assert_eq!(&t[prev_grapheme(&t, end)..end], "🇵🇱");
    }

    #[test]
    fn a_zalgo_cluster_longer_than_the_context_is_still_one_grapheme() {
        let t = format!("ae{}b", "\u{301}".repeat(3000));
        let b = t.len() - 1;
        assert_eq!(prev_grapheme(&t, b), 1, "back over 6 KB of combining marks to the e");
        assert_eq!(next_grapheme(&t, 1), b);
        assert_eq!(clamp(&t, b - 2), 1);
    }

    #[test]
    fn a_sentence_after_a_very_long_word_still_ends_at_its_period() {
        let t = format!("{}. Дальше.", "ж".repeat(100_000));
        let (s, e) = sentence_at(&t, t.find("Дальше").unwrap());
        assert_eq!(&t[s..e], "Дальше.");
        check(sentence_back, "Он сказал: «нет». Mr. Smith |ушёл.", "Он сказал: «нет». |Mr. Smith ушёл.");
    }

    /// Applies `steps` times and marks every stop: "|a b" with `w` twice is ["a |b", …].
    fn stops(motion: fn(&str, usize) -> usize, from: &str, steps: usize) -> Vec<String> {
        let (text, mut pos) = parse(from);
        (0..steps)
            .map(|_| {
                pos = motion(&text, pos);
                mark(&text, pos)
            })
            .collect()
    }

    #[test]
    fn w_moves_one_ideograph_at_a_time_in_a_chinese_clause() {
        let clause = "外交部發言人王文斌表示";
        let all = stops(word_forward, &format!("|{clause}"), 10);
        let starts: Vec<usize> = clause.char_indices().map(|(i, _)| i).skip(1).collect();
        assert_eq!(all, starts.iter().map(|&i| mark(clause, i)).collect::<Vec<_>>());
        check(word_back, "外交|部", "外|交部");
        check(word_end, "|外交部", "外|交部");
        check(word_forward, "|新闻，报道", "新|闻，报道");
        check(word_forward, "新|闻，报道", "新闻|，报道");
    }

    #[test]
    fn kana_and_hangul_words_follow_unicode_word_boundaries() {
        // UAX #29: a run of Katakana is one word, Hiragana splits at each letter, Hangul and
        // Latin letters join as one word, and an ideograph is a word of its own.
        check(word_forward, "|カタカナ語", "カタカナ|語");
        check(word_forward, "|ひらがな", "ひ|らがな");
        check(word_forward, "|한국 대통령은", "한국 |대통령은");
        check(word_end, "|대통령은 말했다", "대통령|은 말했다");
        check(word_forward, "|Samsung전자 주가", "Samsung전자 |주가");
        check(word_forward, "|iPhone发布", "iPhone|发布");
        check(word_back, "iPhone发|布", "iPhone|发布");
    }

    #[test]
    fn latin_cyrillic_arabic_hebrew_and_digits_keep_runs_of_letters_as_words() {
        check(word_forward, "|Путин’s", "Путин|’s");
        check(word_forward, "|2022-й год", "2022|-й год");
        check(word_forward, "|قالَ المتحدث", "قالَ |المتحدث");
        check(word_end, "|שלום עולם", "שלו|ם עולם");
        check(word_forward, "|...!! next", "...!! |next");
        check(word_forward, "|3.14", "3|.14");
    }

    fn found(marked: &str, ch: char, find: Find, repeat: bool) -> Option<String> {
        let (t, p) = parse(marked);
        let to = if repeat { repeat_find(&t, p, ch, find) } else { find_char(&t, p, ch, find) };
        to.map(|to| mark(&t, to))
    }

    #[test]
    fn f_and_t_find_whole_graphemes_on_the_line() {
        assert_eq!(found("|Путин сказал «мир»", 'м', Find::Forward, false).as_deref(), Some("Путин сказал «|мир»"));
        assert_eq!(found("|Путин сказал «мир»", 'м', Find::Till, false).as_deref(), Some("Путин сказал |«мир»"));
        assert_eq!(found("|cafe\u{301} e", 'e', Find::Forward, false).as_deref(), Some("caf|e\u{301} e"));
        assert_eq!(
            found("|cafe\u{301} e", '\u{301}', Find::Forward, false),
            None,
            "a mark inside a grapheme is no target"
        );
        assert_eq!(found("|ab\ncd", 'c', Find::Forward, false), None, "the search stays on the line");
        assert_eq!(found("ab\ncd|e", 'a', Find::Backward, false), None);
        assert_eq!(found("|外交部發言人", '言', Find::Forward, false).as_deref(), Some("外交部發|言人"));
    }

    #[test]
    fn capital_f_and_t_search_back_and_repeating_a_till_moves_on() {
        let t = "a👍🏽b👍🏽|c";
        assert_eq!(found(t, '👍', Find::Backward, false).as_deref(), Some("a👍🏽b|👍🏽c"));
        assert_eq!(
            found(t, '👍', Find::TillBackward, false).as_deref(),
            Some("a👍🏽b👍🏽|c"),
            "T next to its target stays"
        );
        assert_eq!(found(t, '👍', Find::TillBackward, true).as_deref(), Some("a👍🏽|b👍🏽c"), "; after T moves on");
        assert_eq!(found("|а,б,в", ',', Find::Till, false).as_deref(), Some("|а,б,в"));
        assert_eq!(found("|а,б,в", ',', Find::Till, true).as_deref(), Some("а,|б,в"));
        assert_eq!(found("а,|б,в", ',', Find::Forward, true).as_deref(), Some("а,б|,в"), "; after f is f again");
        assert_eq!(Find::Till.reversed(), Find::TillBackward);
        assert_eq!(Find::Backward.reversed(), Find::Forward);
    }

    fn object(f: fn(&str, usize) -> Option<ByteRange>, marked: &str) -> Option<String> {
        let (t, p) = parse(marked);
        f(&t, p).map(|r| t[r.as_range()].to_owned())
    }

    #[test]
    fn iw_takes_the_word_or_the_blanks_under_the_cursor() {
        assert_eq!(object(inner_word, "Дмит|рий Песков").as_deref(), Some("Дмитрий"));
        assert_eq!(object(inner_word, "Pu|tin’s offer").as_deref(), Some("Putin"));
        assert_eq!(object(inner_word, "a |  b").as_deref(), Some("   "));
        assert_eq!(object(inner_word, "外交|部發言人").as_deref(), Some("部"));
        assert_eq!(object(inner_word, "한국 대|통령은").as_deref(), Some("대통령은"));
        assert_eq!(object(inner_word, "a|👍🏽👍🏽 b").as_deref(), Some("👍🏽👍🏽"));
        assert_eq!(object(inner_word, "ab|\ncd"), None);
        assert_eq!(object(inner_word, "ab|"), None);
    }

    #[test]
    fn aw_takes_the_blanks_after_the_word_else_those_before_it() {
        assert_eq!(object(around_word, "Дмит|рий Песков").as_deref(), Some("Дмитрий "));
        assert_eq!(object(around_word, "Дмитрий Пес|ков").as_deref(), Some(" Песков"));
        assert_eq!(object(around_word, "said Пес|ков.\n").as_deref(), Some(" Песков"));
        assert_eq!(object(around_word, "Pu|tin’s").as_deref(), Some("Putin"));
        assert_eq!(object(around_word, "a| b").as_deref(), Some(" b"), "on blanks: with the word after");
        assert_eq!(object(around_word, "end.| \nNext").as_deref(), Some(". "), "else the word before");
        assert_eq!(object(around_word, "שלום| \nעולם").as_deref(), Some("שלום "), "never past the line");
    }

    #[test]
    fn sentence_end_is_the_last_grapheme_before_the_blank_after_the_sentence() {
        check(sentence_end, "O|ne. Two.", "One|. Two.");
        check(sentence_end, "One|. Two.", "One. Two|.");
        check(sentence_end, "He said “st|op.” Then", "He said “stop.|” Then");
        check(sentence_end, "Headl|ine\nNext one.", "Headlin|e\nNext one.");
        check(sentence_end, "Он ушёл|.", "Он ушёл|.");
        check(sentence_end, "One.| Two!", "One. Two|!");
    }

    #[test]
    fn a_sentence_never_starts_inside_a_blank_with_a_combining_mark() {
        // U+0020 U+0301 is one grapheme: the sentence after it starts after the mark.
        let t = "Один. \u{301}Два.";
        let (s, e) = sentence_at(t, t.find("Два").unwrap());
        assert_eq!(&t[s..e], "Два.");
        let (s, _) = sentence_at(t, t.find('\u{301}').unwrap());
        assert!(is_boundary(t, s), "{s}");
    }

    #[test]
    fn clamp_snaps_inside_a_grapheme_back_to_its_start() {
        let t = "a👍🏽";
        assert_eq!(clamp(t, 5), 1);
        assert_eq!(clamp(t, 99), 1);
        assert_eq!(clamp("", 3), 0);
    }
}
