//! Properties that must hold for any text, not just the examples in the unit tests:
//! offsets convert exactly, files round-trip whatever the strings hold, wrapping covers the
//! text without overflowing, and motions and text objects always land on grapheme boundaries,
//! tested on their raw results (never through `clamp`, which would hide a motion that stops
//! inside a grapheme).

use newsnote::model::annotation::{Annotation, AnnotationId, AttrValue, Fragment, LabelId};
use newsnote::model::article::Article;
use newsnote::model::motion::{self, Find};
use newsnote::model::quote;
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

/// Text in every script a grapheme can trip over: ZWJ emoji, flags and a lone regional
/// indicator, combining marks on letters and alone (after a blank or a quotation mark, where
/// they make one grapheme with it), a prepended mark, CJK, kana, Hangul, Arabic and Hebrew
/// with vowel signs, Devanagari, every quotation mark, and what news text already holds.
fn script_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Peskov",
        "Mr.",
        "U.S.",
        " ",
        "  ",
        "\u{a0}",
        "\u{3000}",
        "\t",
        "\n",
        "\n\n",
        ".",
        ",",
        "!",
        "…",
        "-",
        "_",
        "2022",
        "3.14",
        "“",
        "”",
        "\"",
        "'",
        "’",
        "‘",
        "«",
        "»",
        "„",
        "「",
        "」",
        "『",
        "』",
        "👍🏽",
        "👩\u{200d}👩\u{200d}👧",
        "🇺🇦",
        "🇺",
        "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
        "e\u{301}",
        "\u{301}",
        "\u{64e}",
        "\u{600}",
        "外交部發言人",
        "王",
        "カタカナ",
        "ひらがな",
        "한국어",
        "قَالَ",
        "שָׁלוֹם",
        "नमस्ते",
        "\u{200b}",
        "\u{200d}",
        "\u{202e}",
        "\r",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
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
        let mut a = Annotation::new_manual(LabelId::new("Boilerplate"), &text, bytes, idx.to_chars(&text, bytes), "t\"'\\", "2026-01-01T00:00:00Z").with_value("kind", "Other");
        a.note = Some(note);
        a.links.insert("source".into(), vec![AnnotationId("x'y\"z".into())]);
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
    fn motions_and_text_objects_land_on_grapheme_boundaries_unclamped(
        text in prop_oneof![news_text(), script_text()], at in 0usize..400, pick in 0usize..400,
    ) {
        let starts = boundaries(&text);
        prop_assume!(!starts.is_empty());
        let pos = starts[at % starts.len()];
        let start = |p: usize| starts.contains(&p);
        let edge = |p: usize| p == text.len() || starts.contains(&p);
        let motions: [(&str, Motion); 8] = [
            ("w", motion::word_forward), ("b", motion::word_back), ("e", motion::word_end),
            ("h", motion::left), ("l", motion::right), (")", motion::sentence_forward),
            ("(", motion::sentence_back), ("sentence end", motion::sentence_end),
        ];
        for (name, m) in motions {
            let to = m(&text, pos);
            prop_assert!(start(to), "{} from {} went to {}, not a grapheme start", name, pos, to);
        }
        for (name, m) in [("next", motion::next_grapheme as Motion), ("prev", motion::prev_grapheme)] {
            let to = m(&text, pos);
            prop_assert!(edge(to), "{} from {} went to {}", name, pos, to);
        }
        let article = Article::from_text("a".into(), "a".into(), text.clone(), vec![]);
        let (s, e) = motion::sentence_at(&text, pos);
        let quotation = quote::quotation_at(&text, pos);
        let objects = [
            ("is", Some(ByteRange::new(s, e))),
            ("iw", motion::inner_word(&text, pos)),
            ("aw", motion::around_word(&text, pos)),
            ("ip", article.inner_paragraph(pos)),
            ("ap", article.around_paragraph(pos)),
            ("iq", quotation.map(|q| q.inner)),
            ("aq", quotation.map(|q| q.outer)),
        ];
        for (name, r) in objects {
            if let Some(r) = r {
                prop_assert!(r.start <= r.end && edge(r.start) && edge(r.end), "{} at {} is {:?}", name, pos, r);
            }
        }
        for (name, q) in [("]q", quote::next_quotation(&text, pos)), ("[q", quote::prev_quotation(&text, pos))] {
            prop_assert!(q.is_none_or(start), "{} from {} went to {:?}", name, pos, q);
        }
        let chars: Vec<char> = text.chars().collect();
        let ch = chars[pick % chars.len()];
        for find in [Find::Forward, Find::Till, Find::Backward, Find::TillBackward] {
            for to in [motion::find_char(&text, pos, ch, find), motion::repeat_find(&text, pos, ch, find)] {
                prop_assert!(to.is_none_or(start), "{:?} {:?} from {} went to {:?}", find, ch, pos, to);
            }
        }
    }

    #[test]
    fn annotation_files_round_trip_marks_bidi_controls_quotes_and_backslashes(
        quote in prop_oneof![any::<String>(), script_text(), news_text()],
        note in prop_oneof![any::<String>(), script_text()],
    ) {
        let text = "x";
        let idx = CharIndex::new(text);
        let file = |quote: &str, note: &str| {
            let bytes = ByteRange::new(0, 1);
            let mut a = Annotation::new_manual(LabelId::new("Claim"), text, bytes, idx.to_chars(text, bytes), "t", "2026-01-01T00:00:00Z");
            a.quote = quote.into();
            a.note = Some(note.into());
            AnnotationFile::new("a.txt", Fingerprint::of(text, 1), vec![a])
        };
        let f = file(&quote, &note);
        let ron = f.to_ron();
        prop_assert_eq!(AnnotationFile::parse(Path::new("a.ron"), &ron, "a.txt").unwrap(), f);
        // One field per line, whatever the strings hold, and nothing that reorders or breaks
        // lines in an editor is written raw.
        prop_assert_eq!(ron.lines().count(), file("q", "n").to_ron().lines().count());
        let hazard = |c: char| c != '\n' && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'));
        prop_assert!(!ron.chars().any(hazard), "{}", ron);
    }

    /// The direct writer of annotation files (the hot part of every save) writes exactly what
    /// ron's pretty printer with the readable-strings pass writes, for any strings, any label,
    /// with and without note, source and re-anchoring note, and a lossily decoded article.
    #[test]
    fn the_direct_annotation_writer_writes_exactly_what_ron_writes(
        quote in prop_oneof![any::<String>(), script_text(), news_text()],
        note in prop::option::of(prop_oneof![any::<String>(), script_text()]),
        source in prop::option::of("[0-9a-f]{8,16}"),
        label in 0usize..11,
        anchor in 0usize..5,
        lossy in any::<bool>(),
        count in 0usize..4,
        more in 0usize..3,
    ) {
        use newsnote::model::annotation::{AnchorNote, AnnotationId, Origin, Status};
        let text = "x";
        let idx = CharIndex::new(text);
        let bytes = ByteRange::new(0, 1);
        let anns: Vec<Annotation> = (0..count)
            .map(|i| {
                let mut a = Annotation::new_manual(LabelId::new("Claim"), text, bytes, idx.to_chars(text, bytes), "tëster \"q\"", "2026-01-01T00:00:00Z");
                a.id = AnnotationId(format!("{i:016x}"));
                a.quote = quote.clone();
                a.prefix = quote.chars().rev().collect();
                a.note = note.clone();
                let sources: Vec<AnnotationId> =
                    source.clone().into_iter().chain((0..more).map(|k| format!("more{k}ü"))).map(AnnotationId).collect();
                if !sources.is_empty() {
                    a.links.insert("source".into(), sources);
                }
                const KINDS: [&str; 9] = ["DuplicateHeadline", "DonationAppeal", "Copyright", "Newsletter", "Navigation",
                    "Advertisement", "RelatedLinks", "TemplateResidue", "Other"];
                a.label = match label {
                    0 => LabelId::new("Source"),
                    1 => LabelId::new("Claim"),
                    k => {
                        a.attributes.insert("kind".into(), AttrValue::One(KINDS[(k - 2) % KINDS.len()].into()));
                        LabelId::new("Boilerplate")
                    }
                };
                // Attribute values of every type, and fragments, so the direct writer's
                // every branch meets ron's.
                if i % 4 == 1 {
                    a.attributes.insert("quote_type".into(), AttrValue::One(format!("dïrect{i}")));
                    a.attributes.insert("checked".into(), AttrValue::YesNo(i % 8 == 1));
                    a.attributes.insert("n\"ote".into(), AttrValue::Text(quote.clone()));
                }
                if i % 5 == 2 {
                    a.attributes.insert("topics".into(), AttrValue::Many(vec!["a".into(), "б".into()]));
                }
                if i % 6 == 3 {
                    a.fragments.push(Fragment { start: 40, end: 44, quote: "frag".into(), prefix: "p".into(), suffix: "s\n".into() });
                }
                if i % 7 == 4 {
                    a.links.insert("cue".into(), vec![AnnotationId(format!("cue{i}"))]);
                }
                a.origin = [Origin::Manual, Origin::Detector, Origin::Imported][i % 3];
                a.status = [Status::Accepted, Status::Proposed, Status::Rejected][(i + label) % 3];
                a.anchor = match anchor {
                    1 => Some(AnchorNote::Moved { from_start: 3, from_end: 9 }),
                    2 => Some(AnchorNote::Changed { old_quote: quote.clone(), confidence: 42 }),
                    3 => Some(AnchorNote::Orphaned),
                    4 => Some(AnchorNote::Uncertain { candidate_start: 1, candidate_end: 2, candidates: 3 }),
                    _ => None,
                };
                a
            })
            .collect();
        let mut f = AnnotationFile::new("dir/ä.txt", Fingerprint::of(text, 1), anns);
        f.decoded_lossily = lossy;
        prop_assert_eq!(f.to_ron(), newsnote::model::store::to_pretty_ron(&f));
    }
}
