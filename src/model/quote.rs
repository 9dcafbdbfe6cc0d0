//! Quotations and search: finding the quoted speech a claim usually is.
//!
//! Quote pairing works inside one paragraph, within a window around the cursor, because
//! news quotes rarely span paragraphs and a bounded scan keeps `viq` cheap on huge texts.
//! Curly marks pair by nesting; straight `"` marks pair by order (as vim does on a line);
//! `’` only closes when a `‘` is open, since it is mostly an apostrophe. The marks are
//! `“…”`, `‘…’`, `«…»`, the German `„…“`, the CJK corner brackets `「…」` and `『…』`, and
//! straight `"`. A mark counts only as a whole grapheme: `"` with a combining mark on it is a
//! different character, and a quotation never starts or ends inside a grapheme.

use super::motion::is_boundary;
use super::units::ByteRange;

/// How far either side of the cursor a quote may extend.
const WINDOW: usize = 16 * 1024;

/// A quotation: the marks and what they enclose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotation {
    /// From the opening mark to just past the closing mark (`aq`).
    pub outer: ByteRange,
    /// Between the marks (`iq`).
    pub inner: ByteRange,
}

fn floor_boundary(text: &str, mut p: usize) -> usize {
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// Paired quotations in `range`, in order of their opening marks.
fn pairs(text: &str, range: ByteRange) -> Vec<Quotation> {
    let mut out = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut straight: Option<usize> = None;
    let mut push = |open: usize, open_len: usize, close: usize, close_len: usize| {
        out.push(Quotation {
            outer: ByteRange::new(open, close + close_len),
            inner: ByteRange::new(open + open_len, close),
        })
    };
    for (i, c) in text[range.as_range()].char_indices() {
        let i = range.start + i;
        if !is_mark(c) || !is_whole(text, i, c) {
            continue;
        }
        match c {
            // German quotes open low and close with the English opening mark, when it
            // stands where a closing mark does (see `is_opening`).
            '“' if stack.last().is_some_and(|&(o, _)| o == '„') && !is_opening(text, i, c) => {
                let (o, at) = stack.pop().expect("just looked");
                push(at, o.len_utf8(), i, c.len_utf8());
            }
            '“' | '‘' | '«' | '„' | '「' | '『' => stack.push((c, i)),
            '”' | '’' | '»' | '」' | '』' => {
                let want = match c {
                    '”' => '“',
                    '’' => '‘',
                    '」' => '「',
                    '』' => '『',
                    _ => '«',
                };
                if let Some(k) = stack.iter().rposition(|&(o, _)| o == want) {
                    let (o, at) = stack[k];
                    stack.truncate(k);
                    push(at, o.len_utf8(), i, c.len_utf8());
                }
            }
            '"' => match straight.take() {
                Some(at) => push(at, 1, i, 1),
                None => straight = Some(i),
            },
            _ => {}
        }
    }
    out.sort_by_key(|q| q.outer.start);
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '「' | '」' | '『' | '』')
}

/// Whether the character `c` at byte `i` is a grapheme of its own.
fn is_whole(text: &str, i: usize, c: char) -> bool {
    is_boundary(text, i) && is_boundary(text, i + c.len_utf8())
}

/// Paragraph-bounded window around `pos`: the text between the nearest line breaks
/// (blank-line paragraphs are never needed: quotes do not cross blank lines).
fn window(text: &str, pos: usize) -> ByteRange {
    let lo = floor_boundary(text, pos.saturating_sub(WINDOW));
    let hi = floor_boundary(text, (pos + WINDOW).min(text.len()));
    let start = text[lo..pos].rfind('\n').map_or(lo, |i| lo + i + 1);
    let end = text[pos..hi].find('\n').map_or(hi, |i| pos + i);
    ByteRange::new(start, end)
}

/// The innermost quotation around `pos` (a cursor on either mark counts), else the next one
/// on the same line, as vim's `i"` does.
pub fn quotation_at(text: &str, pos: usize) -> Option<Quotation> {
    let all = pairs(text, window(text, pos));
    all.iter()
        .filter(|q| q.outer.contains(pos))
        .min_by_key(|q| q.outer.len())
        .or_else(|| all.iter().find(|q| q.outer.start > pos))
        .copied()
}

/// Opening quotation marks, with straight quotes judged by context: an opening `"` follows
/// a blank or an opening bracket and precedes a non-blank. A `“` that follows a non-blank and
/// precedes a blank, punctuation or the end closes a German `„…“` instead.
fn is_opening(text: &str, i: usize, c: char) -> bool {
    let before = || text[..i].chars().next_back();
    let after = || text[i + c.len_utf8()..].chars().next();
    let opens_after = |b: char| b.is_whitespace() || "([{—–-".contains(b);
    match c {
        '‘' | '«' | '„' | '「' | '『' => true,
        '“' => before().is_none_or(opens_after) || after().is_some_and(char::is_alphanumeric),
        '"' => before().is_none_or(opens_after) && after().is_some_and(|a| !a.is_whitespace()),
        _ => false,
    }
}

/// Whether the character at byte `i` (a position memchr found) opens a quotation.
fn opens_at(text: &str, i: usize) -> bool {
    text.is_char_boundary(i)
        && text[i..].chars().next().is_some_and(|c| is_mark(c) && is_opening(text, i, c) && is_whole(text, i, c))
}

/// The first bytes of the opening marks: `"`, and the lead bytes of `“` `‘` `„` (E2) and `«`
/// (C2). memchr jumps between them at memory speed, so a jump across a long stretch without
/// quotes costs little more than reading it.
const MARK_LEADS: (u8, u8, u8) = (b'"', 0xE2, 0xC2);

/// The lead byte of `「` and `『` (and of all CJK punctuation and kana), looked for only
/// between the cursor and the nearest other mark, so Western text pays nothing for it.
const CJK_LEAD: u8 = 0xE3;

/// `]q`: the opening mark of the next quotation after `pos`.
pub fn next_quotation(text: &str, pos: usize) -> Option<usize> {
    let from = pos + text[pos..].chars().next().map_or(0, char::len_utf8);
    let bytes = text.as_bytes();
    let (a, b, c) = MARK_LEADS;
    let other = memchr::memchr3_iter(a, b, c, &bytes[from..]).map(|i| from + i).find(|&i| opens_at(text, i));
    let upto = other.unwrap_or(text.len());
    let cjk = memchr::memchr_iter(CJK_LEAD, &bytes[from..upto]).map(|i| from + i).find(|&i| opens_at(text, i));
    cjk.or(other)
}

/// `[q`: the opening mark of the previous quotation before `pos`.
pub fn prev_quotation(text: &str, pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (a, b, c) = MARK_LEADS;
    let other = memchr::memrchr3_iter(a, b, c, &bytes[..pos]).find(|&i| opens_at(text, i));
    let after = other.map_or(0, |i| i + 1);
    let cjk = memchr::memrchr_iter(CJK_LEAD, &bytes[after..pos]).map(|i| after + i).find(|&i| opens_at(text, i));
    cjk.or(other)
}

/// A compiled in-article search. Smart case: all-lowercase queries ignore case. A quotation
/// mark matches every mark of its kind (`"` finds `“` `”` `„` `«` `»`, `'` finds `‘` `’`),
/// and matches are byte ranges of the article. The matcher is `crate::search::Literal`
/// (shared with the corpus search), linear in the text and the query whatever the query's
/// length.
#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    literal: crate::search::Literal,
}

impl Search {
    pub fn new(query: &str) -> Option<Self> {
        let literal = crate::search::Literal::new(query).ok()?;
        Some(Self { query: query.to_owned(), literal })
    }

    fn find_at(&self, text: &str, from: usize) -> Option<ByteRange> {
        self.literal.find_at(text.as_bytes(), from).map(|m| ByteRange::new(m.start, m.end))
    }

    /// First match starting after `pos`, wrapping to the top; `(range, wrapped)`.
    pub fn next(&self, text: &str, pos: usize) -> Option<(ByteRange, bool)> {
        let from = (pos + text[pos..].chars().next().map_or(0, char::len_utf8)).min(text.len());
        self.find_at(text, from).map(|r| (r, false)).or_else(|| self.find_at(text, 0).map(|r| (r, true)))
    }

    /// Matches inside `range` only (what a frame shows), so highlighting costs O(view).
    pub fn matches_in(&self, text: &str, range: ByteRange) -> Vec<ByteRange> {
        self.literal
            .find_iter(text[range.as_range()].as_bytes())
            .map(|m| ByteRange::new(range.start + m.start, range.start + m.end))
            .collect()
    }

    /// Last match starting before `pos` (a match the cursor is inside counts, as in vim),
    /// wrapping to the bottom. Searches backwards in growing windows, so a nearby match costs
    /// O(distance), not O(article).
    pub fn prev(&self, text: &str, pos: usize) -> Option<(ByteRange, bool)> {
        let found = |m: std::ops::Range<usize>, base: usize| ByteRange::new(base + m.start, base + m.end);
        // Case-insensitive matches are as many code points as the query, so never more than
        // 4× its bytes.
        let reach = floor_boundary(text, (pos + 4 * self.query.len()).min(text.len()));
        let mut window = 64 * 1024;
        loop {
            let lo = floor_boundary(text, pos.saturating_sub(window));
            // A window may cut a match at its start: only trust matches past the first few bytes.
            let hay = &text.as_bytes()[lo..reach];
            let hit = self.literal.find_iter(hay).filter(|m| lo + m.start < pos).last();
            if let Some(m) = hit.filter(|m| lo == 0 || m.start >= 4 * self.query.len()) {
                return Some((found(m, lo), false));
            }
            if lo == 0 {
                break;
            }
            window *= 4;
        }
        self.literal.find_iter(text.as_bytes()).last().map(|m| (found(m, 0), true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::motion::tests::parse;

    fn inner(marked: &str) -> Option<String> {
        let (t, p) = parse(marked);
        quotation_at(&t, p).map(|q| t[q.inner.as_range()].to_owned())
    }

    #[test]
    fn iq_selects_inside_curly_and_straight_quotes() {
        assert_eq!(inner("aware of “who is be|hind the attack.” He").as_deref(), Some("who is behind the attack."));
        assert_eq!(inner("Peskov: \"They sh|ould\" and \"more\"").as_deref(), Some("They should"));
        assert_eq!(inner("x \"a\" and \"m|ore\"").as_deref(), Some("more"));
        assert_eq!(inner("a ‘single q|uote’ b").as_deref(), Some("single quote"));
    }

    #[test]
    fn iq_with_the_cursor_on_a_mark_or_before_a_quote_finds_it() {
        assert_eq!(inner("said |“yes” then").as_deref(), Some("yes"));
        assert_eq!(inner("said “yes|” then").as_deref(), Some("yes"));
        assert_eq!(inner("|He said “yes” then").as_deref(), Some("yes"));
        assert_eq!(inner("no quotes |here"), None);
    }

    #[test]
    fn apostrophes_do_not_break_curly_quotes() {
        assert_eq!(inner("“Putin’s offer is v|alid,” he said").as_deref(), Some("Putin’s offer is valid,"));
    }

    #[test]
    fn nested_quotes_choose_the_innermost_and_aq_includes_marks() {
        let (t, p) = parse("“He said ‘n|o’ twice”");
        let q = quotation_at(&t, p).unwrap();
        assert_eq!(&t[q.outer.as_range()], "‘no’");
        assert_eq!(&t[q.inner.as_range()], "no");
    }

    #[test]
    fn quotes_do_not_pair_across_lines() {
        assert_eq!(inner("“open\nnext “in|side” x").as_deref(), Some("inside"));
    }

    #[test]
    fn bracket_q_jumps_between_opening_marks() {
        let t = "a “one” b \"two\" c";
        assert_eq!(next_quotation(t, 0), Some(2));
        let second = t.find("\"two").unwrap();
        assert_eq!(next_quotation(t, 2), Some(second));
        assert_eq!(next_quotation(t, second), None);
        assert_eq!(prev_quotation(t, second), Some(2));
    }

    #[test]
    fn corner_brackets_and_german_quotes_pair_for_iq_and_aq() {
        assert_eq!(inner("王文斌表示：「我們反|對」。").as_deref(), Some("我們反對"));
        assert_eq!(inner("彼は『は|い』と言った").as_deref(), Some("はい"));
        let (t, p) = parse("「外『交|部』發」");
        let q = quotation_at(&t, p).unwrap();
        assert_eq!((&t[q.outer.as_range()], &t[q.inner.as_range()]), ("『交部』", "交部"));
        assert_eq!(inner("Er sagte: „Wir ver|handeln“, dann ging er.").as_deref(), Some("Wir verhandeln"));
        assert_eq!(inner("„Er sagte “ja” und ging|“").as_deref(), Some("Er sagte “ja” und ging"));
    }

    #[test]
    fn bracket_q_finds_corner_brackets_and_german_quotes() {
        let t = "Он — «да». 他說「好」，又說『不』。 Sie: „Ja“ und \"no\"";
        let marks: Vec<usize> = ["«", "「", "『", "„", "\"no"].iter().map(|m| t.find(m).unwrap()).collect();
        let mut at = 0;
        for &m in &marks {
            at = next_quotation(t, at).unwrap();
            assert_eq!(at, m, "{}", &t[at..]);
        }
        assert_eq!(next_quotation(t, at), None, "neither the closing “ of „Ja“ nor the closing \" open");
        for &m in marks.iter().rev().skip(1) {
            at = prev_quotation(t, at).unwrap();
            assert_eq!(at, m);
        }
    }

    #[test]
    fn a_quote_mark_carrying_a_combining_mark_is_no_quotation_mark() {
        // `"` + U+0301 is one grapheme: pairing it would start the inner range inside it.
        let (t, p) = parse("x \"\u{301}a \"b|c\" d");
        let q = quotation_at(&t, p).unwrap();
        assert_eq!(&t[q.inner.as_range()], "bc");
        assert_eq!(next_quotation(&t, 0), t.find("\"b"));
    }

    #[test]
    fn backward_search_finds_matches_far_behind_across_windows() {
        let t = format!("Peskov{}tail", " x".repeat(200_000));
        let s = Search::new("peskov").unwrap();
        assert_eq!(s.prev(&t, t.len() - 1), Some((ByteRange::new(0, 6), false)));
    }

    #[test]
    fn bracket_q_skips_dashes_and_apostrophes_that_share_a_lead_byte_with_quote_marks() {
        let t = "Он — «да», it’s “yes” … \"no\" end";
        let guillemet = t.find('«').unwrap();
        let curly = t.find('“').unwrap();
        let straight = t.find("\"no").unwrap();
        assert_eq!(next_quotation(t, 0), Some(guillemet));
        assert_eq!(next_quotation(t, guillemet), Some(curly));
        assert_eq!(next_quotation(t, curly), Some(straight));
        assert_eq!(next_quotation(t, straight), None, "the closing \" is no opening");
        assert_eq!(prev_quotation(t, t.len()), Some(straight));
        assert_eq!(prev_quotation(t, straight), Some(curly));
        assert_eq!(prev_quotation(t, guillemet), None);
    }

    /// A 100,000-code-point query over 1,000,000 code points that almost match everywhere: a
    /// matcher costing O(query × text) needs about 10^11 steps (or, as regex did, refuses to
    /// compile the query and finds nothing); a linear one finishes in well under a second.
    #[test]
    fn a_pasted_100_000_character_query_is_found_in_linear_time() {
        let text = format!("Начало {}ю конец", "ж".repeat(1_000_000));
        let lower = format!("{}ю", "ж".repeat(100_000));
        let at = text.find(&lower).unwrap();
        let s = Search::new(&lower).expect("a long query compiles");
        assert_eq!(s.next(&text, 0), Some((ByteRange::new(at, at + lower.len()), false)));
        assert_eq!(s.prev(&text, text.len() - 1), Some((ByteRange::new(at, at + lower.len()), false)));
        let upper = Search::new(&lower.to_uppercase()).unwrap();
        assert_eq!(upper.next(&text, 0), None, "a capital makes it case-sensitive");
        let upper_text = text.to_uppercase();
        assert_eq!(s.next(&upper_text, 0).map(|(r, _)| r.len()), Some(lower.len()), "lowercase ignores case");
        assert!(Search::new(&format!("{lower}я")).unwrap().next(&text, 0).is_none());
    }

    #[test]
    fn slash_with_a_straight_quote_finds_curly_quotes_and_apostrophes() {
        let t = "Песков: “Мы не против”. Putin’s «мир»";
        let s = Search::new("\"мы").unwrap();
        let at = t.find('“').unwrap();
        assert_eq!(s.next(t, 0), Some((ByteRange::new(at, at + "“Мы".len()), false)));
        let s = Search::new("putin's").unwrap();
        let at = t.find("Putin").unwrap();
        assert_eq!(s.prev(t, t.len() - 1), Some((ByteRange::new(at, at + "Putin’s".len()), false)));
        let s = Search::new("\"").unwrap();
        let all = s.matches_in(t, ByteRange::new(0, t.len()));
        assert_eq!(all.iter().map(|r| &t[r.as_range()]).collect::<Vec<_>>(), ["“", "”", "«", "»"]);
    }

    #[test]
    fn search_is_smart_case_and_wraps() {
        let t = "Peskov said. peskov again. PESKOV";
        let s = Search::new("peskov").unwrap();
        assert_eq!(s.next(t, 0).unwrap().0.start, 13);
        assert_eq!(s.next(t, 13).unwrap().0.start, 27);
        assert_eq!(s.next(t, 27), Some((ByteRange::new(0, 6), true)));
        let exact = Search::new("Peskov").unwrap();
        assert_eq!(exact.next(t, 0), Some((ByteRange::new(0, 6), true)));
        assert_eq!(s.prev(t, 13).unwrap().0.start, 0);
        assert_eq!(s.prev(t, 0).unwrap(), (ByteRange::new(27, 33), true));
        assert_eq!(s.prev(t, 15).unwrap().0.start, 13, "inside a match, N goes to its start");
    }
}
