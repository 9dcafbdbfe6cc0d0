//! Text from outside made safe to show on a terminal: the one sanitiser.
//!
//! Articles, titles, quotes, notes, file names, ids and imported documents carry whatever
//! bytes their source had. Written raw, some of those characters act on the terminal instead
//! of being shown: ESC starts CSI, OSC (an OSC 52 clipboard write, an OSC 8 link) and DCS
//! sequences, C1 controls do the same in one character, CR and BS overwrite what is on the
//! line, bidi controls reorder what follows, U+2028/U+2029 break lines in some terminals, and
//! zero-width characters hide text. Every place that prints such text (the TUI through
//! `wrap`, the CLI, search results) goes through this module, so there is one list of what
//! is dangerous and one way it is shown: as a visible placeholder (`␛`, `<U+202E>`, `◌`).
//!
//! This is text logic only, with no terminal code, which is why it lives in the core: the
//! CLI and the search share it without depending on the TUI.

use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Bidi controls: embeddings and overrides (U+202A–E), isolates (U+2066–9), the marks
/// LRM/RLM and the Arabic letter mark. Each reorders text drawn after it.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether the sanitiser may replace `c`: a C0 or C1 control or DEL, a bidi control, a line
/// or paragraph separator, or a character without width. Text with none of them is drawn as
/// itself, so callers can skip the grapheme scan; a zero-width character inside a grapheme
/// (a combining accent, a ZWJ) is still drawn as part of it.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}') || c.width() == Some(0)
}

/// How a grapheme is drawn: itself, or a visible stand-in for characters that would
/// otherwise move the cursor, change colours or reorder text in the terminal. Every C0
/// control (tab included: its width depends on the terminal's tab stops) is its Control
/// Pictures symbol (`␛`, `␉`), DEL is `␡`; C1 controls, bidi controls and the line and
/// paragraph separators are named (`<U+202E>`); a grapheme without width is `◌`.
pub fn shown(g: &str) -> Cow<'_, str> {
    let mut chars = g.chars();
    let c = chars.next().unwrap_or(' ');
    match c {
        '\u{0}'..='\u{1f}' => Cow::Owned(char::from_u32(0x2400 + c as u32).unwrap_or('?').to_string()),
        '\u{7f}' => Cow::Borrowed("␡"),
        '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' => Cow::Owned(format!("<U+{:04X}>", c as u32)),
        _ if is_bidi_control(c) => Cow::Owned(format!("<U+{:04X}>", c as u32)),
        _ if g.width() == 0 => Cow::Borrowed("◌"),
        _ => Cow::Borrowed(g),
    }
}

/// Display width of a grapheme as drawn by [`shown`]: unicode-width on the whole grapheme, so
/// a ZWJ family (👩‍👩‍👧) or a flag (🇺🇦) is 2 columns and a letter with a combining accent 1.
/// This is the one measure of width: every view that fits text to columns uses it or
/// [`width`], so what is cut, padded and bordered agrees with what is drawn.
pub fn width_of(g: &str) -> usize {
    shown(g).width()
}

/// Display width of text as drawn: the sum of [`width_of`] over its graphemes (a line break
/// counts as its placeholder `⏎`, one column).
pub fn width(s: &str) -> usize {
    if !s.chars().any(is_unsafe_char) {
        // Safe text is drawn as itself; measure it grapheme by grapheme all the same, so a
        // sequence that str::width would join differently cannot disagree with the cells.
        return s.graphemes(true).map(UnicodeWidthStr::width).sum();
    }
    s.graphemes(true).map(|g| if matches!(g, "\n" | "\r\n") { 1 } else { width_of(g) }).sum()
}

/// Text from outside (titles, quotes, notes, ids, file names, typed text) as it may be drawn:
/// each grapheme as [`shown`] draws it, and a line break (`\n`, `\r\n`, U+2028, U+2029) as `⏎`,
/// so nothing in it can move the cursor, recolour or reorder the screen, or silently vanish.
/// Text with nothing to replace stays borrowed. Works on a single grapheme too.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    fn one(g: &str) -> Cow<'_, str> {
        match g {
            "\n" | "\r\n" | "\u{2028}" | "\u{2029}" => Cow::Borrowed("⏎"),
            _ => shown(g),
        }
    }
    // Most titles and quotes have nothing to replace and need no grapheme scan.
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    // Bytes of `s` already copied or replaced.
    let mut done = 0;
    for (i, g) in s.grapheme_indices(true) {
        let d = one(g);
        if d != g {
            out.push_str(&s[done..i]);
            out.push_str(&d);
            done = i + g.len();
        }
    }
    if done == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[done..]);
    Cow::Owned(out)
}

/// Like [`sanitize`], but `\n` and `\r\n` stay line breaks: for whole documents and
/// multi-line messages printed to a terminal (an export, an error listing choices), whose
/// lines are ours. Everything else, a lone CR included, becomes a placeholder.
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    // CSV rows end in CRLF: a document of them with nothing else to replace stays borrowed.
    let lone_cr = s.match_indices('\r').any(|(i, _)| !s[i + 1..].starts_with('\n'));
    if !lone_cr && !s.chars().any(|c| !matches!(c, '\n' | '\r') && is_unsafe_char(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for piece in s.split_inclusive('\n') {
        let (line, end) = match piece.strip_suffix("\r\n") {
            Some(l) => (l, "\r\n"),
            None => piece.strip_suffix('\n').map_or((piece, ""), |l| (l, "\n")),
        };
        out.push_str(&sanitize(line));
        out.push_str(end);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_taken_per_grapheme_for_zwj_sequences_flags_and_combining_marks() {
        assert_eq!(width_of("👩\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(width("🇺🇦🇷🇺"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("中文 café"), 9);
        assert_eq!(width("a\u{1b}b"), 3, "ESC is drawn as ␛");
        assert_eq!(width("\u{202e}"), 8);
    }

    #[test]
    fn control_and_bidi_characters_are_shown_as_placeholders() {
        assert_eq!(shown("\u{1b}"), "␛");
        assert_eq!(shown("\u{202e}"), "<U+202E>");
        assert_eq!(shown("\u{9b}"), "<U+009B>");
        assert_eq!(width_of("\u{202e}"), 8);
        assert_eq!(shown("é"), "é");
        assert_eq!(shown("e\u{301}"), "e\u{301}", "a combining accent is drawn with its letter");
    }

    #[test]
    fn line_and_paragraph_separators_are_never_drawn_as_themselves() {
        assert_eq!(shown("\u{2028}"), "<U+2028>");
        assert_eq!(shown("\u{2029}"), "<U+2029>");
        assert_eq!(width_of("\u{2028}"), 8, "the reader wraps what it draws");
        assert_eq!(sanitize("Москва\u{2028}Киев\u{2029}"), "Москва⏎Киев⏎");
        assert!(is_unsafe_char('\u{2028}') && is_unsafe_char('\u{2029}'));
    }

    #[test]
    fn every_c0_control_tab_included_is_a_visible_placeholder() {
        for c in (0u32..0x20).filter_map(char::from_u32) {
            let s = c.to_string();
            let out = shown(&s);
            assert!(out.chars().all(|o| !o.is_control()) && out.width() > 0, "{c:?} is drawn as {out:?}");
        }
        assert_eq!(shown("\t"), "␉");
        assert_eq!(sanitize("Straße\tweiter"), "Straße␉weiter");
    }

    #[test]
    fn zero_width_characters_are_shown_as_placeholders() {
        for zw in ["\u{200b}", "\u{2060}", "\u{feff}", "\u{301}"] {
            assert_eq!(shown(zw), "◌", "{zw:?}");
        }
        assert_eq!(sanitize("при\u{200b}вет"), "при◌вет");
    }

    #[test]
    fn sanitize_shows_every_hazard_as_a_placeholder_and_keeps_clean_text_borrowed() {
        let hostile =
            "a\u{1b}[2Jb\u{1b}]52;c;SGVsbG8=\u{7}c\u{8}\rd\u{b}\u{c}\u{85}\u{9b}\u{202e}e\u{2066}f\u{200b}\u{7f}";
        assert_eq!(sanitize(hostile), "a␛[2Jb␛]52;c;SGVsbG8=␇c␈␍d␋␌<U+0085><U+009B><U+202E>e<U+2066>f◌␡");
        assert_eq!(sanitize("one\ntwo\r\nthree\u{2028}"), "one⏎two⏎three⏎");
        for clean in ["Plain ASCII title", "Über uns – Pressespiegel", "新闻 👍🏽 Ελλάδα e\u{301}", ""] {
            assert!(matches!(sanitize(clean), Cow::Borrowed(b) if b == clean), "{clean:?} is copied or changed");
        }
        // Every grapheme of the result is drawn as itself, with a width.
        let out = sanitize(hostile);
        assert!(out.graphemes(true).all(|g| shown(g) == g && g.width() > 0), "{out:?}");
    }

    #[test]
    fn sanitize_lines_keeps_line_ends_and_replaces_everything_else() {
        let doc = "Заголовок \u{1b}]52;c;eA==\u{7}\r\nстрока\u{202e}два\nlone\rCR\n";
        assert_eq!(sanitize_lines(doc), "Заголовок ␛]52;c;eA==␇\r\nстрока<U+202E>два\nlone␍CR\n");
        let clean = "a,b\r\nновости\n";
        assert!(matches!(sanitize_lines(clean), Cow::Borrowed(b) if b == clean));
    }

    #[test]
    fn text_without_unsafe_characters_is_drawn_grapheme_by_grapheme_as_itself() {
        // `sanitize` returns such text untouched without a grapheme scan: that is only right
        // if every grapheme of it is drawn as itself.
        for s in ["Über – 新闻 Ελλάδα", "עברית العربية", "Straße 👍 №5"] {
            assert!(!s.chars().any(is_unsafe_char), "{s:?}");
            assert!(s.graphemes(true).all(|g| shown(g) == g), "{s:?}");
        }
        assert!("\u{85}\u{9b}\u{61c}\u{200e}\u{2069}\u{7f}\u{200b}".chars().all(is_unsafe_char));
    }
}
