//! Properties that must hold for any text, not just the examples in the unit tests:
//! offsets convert exactly, files round-trip whatever the strings hold, wrapping covers the
//! text without overflowing, and motions always land on a grapheme start inside the text.

use newsnote::model::annotation::{Annotation, AnnotationId, BoilerplateKind, Label};
use newsnote::model::article::Article;
use newsnote::model::motion;
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::{ByteRange, CharIndex};
use newsnote::wrap::{Wrapped, width_of};
use proptest::prelude::*;
use std::path::Path;
use unicode_segmentation::UnicodeSegmentation;

/// Text mixing what news articles and hostile pages contain: ASCII, curly quotes, emoji with
/// modifiers, CJK, RTL, combining marks, control and bidi characters, newlines.
fn news_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Peskov",
        " ",
        "said",
        ".",
        "\n",
        "\n\n",
        "“",
        "”",
        "\"",
        "'",
        "’",
        "👍🏽",
        "🇺🇦",
        "新闻",
        "報道",
        "قال",
        "שלום",
        "e\u{301}",
        "\u{1b}[31m",
        "\u{202e}",
        "\t",
        "\\",
        "—",
        "x",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

/// A motion function: text and cursor in, new cursor out.
type Motion = fn(&str, usize) -> usize;

fn boundaries(text: &str) -> Vec<usize> {
    text.grapheme_indices(true).map(|(i, _)| i).collect()
}

proptest! {
    #[test]
    fn byte_and_code_point_offsets_convert_both_ways(text in news_text()) {
        let idx = CharIndex::new(&text);
        prop_assert_eq!(idx.total_chars(), text.chars().count());
        for (n, (b, _)) in text.char_indices().enumerate() {
            prop_assert_eq!(idx.char_of(&text, b), n);
            prop_assert_eq!(idx.byte_of(&text, n), Some(b));
        }
    }

    #[test]
    fn annotation_files_round_trip_any_strings(text in news_text(), note in news_text(), cut in 0usize..200, len in 0usize..40) {
        let starts = boundaries(&text);
        prop_assume!(!starts.is_empty());
        let s = starts[cut % starts.len()];
        let e = (s + len).min(text.len());
        let e = (e..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap();
        let bytes = ByteRange::new(s, e);
        let idx = CharIndex::new(&text);
        let mut a = Annotation::new_manual(Label::Boilerplate(BoilerplateKind::Other), &text, bytes, idx.to_chars(&text, bytes), "t\"'\\", "2026-01-01T00:00:00Z");
        a.note = Some(note);
        a.source = Some(AnnotationId("x'y\"z".into()));
        let file = AnnotationFile::new("a.txt", Fingerprint::of(&text, idx.total_chars()), vec![a]);
        let ron = file.to_ron();
        // Each field stays on one line however many line breaks the strings hold.
        prop_assert!(ron.lines().all(|l| !l.contains("\u{1b}")), "control characters are escaped");
        let back = AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap();
        prop_assert_eq!(back, file);
    }

    #[test]
    fn wrapped_rows_cover_the_text_in_order_and_fit_the_width(text in news_text(), width in 1usize..30) {
        let a = Article::from_text("a".into(), "a".into(), text.clone(), vec![]);
        let w = Wrapped::new(&a, width);
        let mut pos = 0;
        for r in w.rows(&text, 0).filter(|r| !r.spacer) {
            // Rows are in order; only newlines lie between them.
            prop_assert!(r.range.start >= pos);
            prop_assert!(text[pos..r.range.start].chars().all(|c| c == '\n'));
            let content = text[r.range.as_range()].trim_end_matches(' ');
            let shown: usize = content.graphemes(true).map(width_of).sum();
            // A single grapheme wider than the pane (an emoji at width 1) cannot be split.
            prop_assert!(shown <= width || content.graphemes(true).count() == 1,
                "row {:?} is {} wide at width {}", &text[r.range.as_range()], shown, width);
            pos = r.range.end;
        }
        prop_assert!(text[pos..].chars().all(|c| c == '\n'));
        // Every grapheme start maps to a row that shows it.
        for b in boundaries(&text) {
            let row = w.row(&text, w.row_of(b));
            prop_assert!(!row.spacer);
            prop_assert!(row.range.start <= b && b <= row.range.end);
        }
    }

    #[test]
    fn motions_land_on_grapheme_starts_inside_the_text(text in news_text(), at in 0usize..400) {
        let starts = boundaries(&text);
        prop_assume!(!starts.is_empty());
        let pos = starts[at % starts.len()];
        let motions: [(&str, Motion); 9] = [
            ("w", motion::word_forward), ("b", motion::word_back), ("e", motion::word_end),
            ("h", motion::left), ("l", motion::right), (")", motion::sentence_forward),
            ("(", motion::sentence_back), ("next", motion::next_grapheme), ("prev", motion::prev_grapheme),
        ];
        for (name, m) in motions {
            let to = motion::clamp(&text, m(&text, pos));
            prop_assert!(starts.contains(&to), "{} from {} went to {}, not a grapheme start", name, pos, to);
        }
        let (s, e) = motion::sentence_at(&text, pos);
        prop_assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
    }
}
