//! Cursor motions over article text, by grapheme: characters, words, sentences, paragraphs.
//!
//! Every function takes a byte position at a grapheme boundary and returns another, scanning
//! only as far as the motion needs (the neighbouring word, sentence or paragraph), so a
//! keystroke costs the same on a tweet and on a 10 MB article. Positions stop on grapheme
//! starts, never inside an emoji sequence or between a letter and its combining mark.

use unicode_segmentation::GraphemeCursor;

/// Start of the grapheme after the one at `pos` (or `text.len()`).
pub fn next_grapheme(text: &str, pos: usize) -> usize {
    if pos >= text.len() {
        return text.len();
    }
    GraphemeCursor::new(pos, text.len(), true).next_boundary(text, 0).ok().flatten().unwrap_or(text.len())
}

/// Start of the grapheme before `pos` (or 0).
pub fn prev_grapheme(text: &str, pos: usize) -> usize {
    if pos == 0 {
        return 0;
    }
    GraphemeCursor::new(pos, text.len(), true).prev_boundary(text, 0).ok().flatten().unwrap_or(0)
}

/// The last position a cursor may take: start of the last grapheme (0 for empty text).
pub fn last_pos(text: &str) -> usize {
    prev_grapheme(text, text.len())
}

/// Snaps `pos` to a valid cursor position (a grapheme start, not past the last grapheme).
pub fn clamp(text: &str, pos: usize) -> usize {
    let pos = pos.min(last_pos(text));
    let mut c = GraphemeCursor::new(pos, text.len(), true);
    match c.is_boundary(text, 0) {
        Ok(true) => pos,
        _ => prev_grapheme(text, pos),
    }
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

/// `w`: start of the next word.
pub fn word_forward(text: &str, pos: usize) -> usize {
    let start = class_at(text, pos);
    let mut p = pos;
    if start != Class::Blank {
        while p < text.len() && class_at(text, p) == start {
            p = next_grapheme(text, p);
        }
    }
    while p < text.len() && class_at(text, p) == Class::Blank {
        p = next_grapheme(text, p);
    }
    clamp(text, p)
}

/// `e`: end (last grapheme) of the current or next word.
pub fn word_end(text: &str, pos: usize) -> usize {
    let mut p = next_grapheme(text, pos);
    while p < text.len() && class_at(text, p) == Class::Blank {
        p = next_grapheme(text, p);
    }
    if p >= text.len() {
        return last_pos(text);
    }
    let class = class_at(text, p);
    loop {
        let n = next_grapheme(text, p);
        if n >= text.len() || class_at(text, n) != class {
            return p;
        }
        p = n;
    }
}

/// `b`: start of the current or previous word.
pub fn word_back(text: &str, pos: usize) -> usize {
    let mut p = prev_grapheme(text, pos);
    while p > 0 && class_at(text, p) == Class::Blank {
        p = prev_grapheme(text, p);
    }
    let class = class_at(text, p);
    while p > 0 {
        let q = prev_grapheme(text, p);
        if class_at(text, q) != class {
            break;
        }
        p = q;
    }
    p
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

/// If a sentence ends just before `pos` (terminator, closers, then `pos` is blank or the end),
/// true.
fn sentence_ends_before(text: &str, pos: usize) -> bool {
    if char_at(text, pos).is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    let before = &text[..pos];
    let trimmed = before.trim_end_matches(CLOSERS);
    let Some(t) = trimmed.chars().next_back() else { return false };
    if !TERMINATORS.contains(&t) {
        return false;
    }
    if t == '.' {
        let body = &trimmed[..trimmed.len() - 1];
        let word = body.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"').next().unwrap_or("");
        if ABBREVIATIONS.contains(&word) || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)) {
            return false;
        }
    }
    true
}

fn skip_blank_forward(text: &str, mut p: usize) -> usize {
    while p < text.len() && char_at(text, p).is_some_and(char::is_whitespace) {
        p += char_at(text, p).map_or(1, char::len_utf8);
    }
    p
}

/// Byte range of the sentence at `pos` (whitespace after it excluded). A line break always
/// ends a sentence: headlines and one-line paragraphs often have no final period.
pub fn sentence_at(text: &str, pos: usize) -> (usize, usize) {
    let pos = skip_blank_forward(text, pos).min(text.len());
    let mut start = pos;
    for (i, c) in text[..pos].char_indices().rev() {
        if c == '\n' || (c.is_whitespace() && sentence_ends_before(text, i)) {
            start = skip_blank_forward(text, i);
            break;
        }
        start = i;
    }
    let mut end = text.len();
    for (i, c) in text[pos..].char_indices() {
        let i = pos + i;
        if c == '\n' || (c.is_whitespace() && sentence_ends_before(text, i)) {
            end = i;
            break;
        }
    }
    (start, text[..end].trim_end().len().max(start))
}

/// `)`: start of the next sentence.
pub fn sentence_forward(text: &str, pos: usize) -> usize {
    let (_, end) = sentence_at(text, pos);
    clamp(text, skip_blank_forward(text, end))
}

/// `(`: start of the current sentence, or of the previous one when already at a start.
pub fn sentence_back(text: &str, pos: usize) -> usize {
    let (start, _) = sentence_at(text, pos);
    if start < pos {
        return start;
    }
    let mut p = start;
    while p > 0 {
        p = prev_grapheme(text, p);
        if !char_at(text, p).is_some_and(char::is_whitespace) {
            return sentence_at(text, p).0;
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
        check(word_back, "新闻 报道|：", "新闻 |报道：");
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

    #[test]
    fn clamp_snaps_inside_a_grapheme_back_to_its_start() {
        let t = "a👍🏽";
        assert_eq!(clamp(t, 5), 1);
        assert_eq!(clamp(t, 99), 1);
        assert_eq!(clamp("", 3), 0);
    }
}
