//! Properties of re-anchoring (`newsnote::model::anchor`) over random texts, real spans of
//! them and random edits: a quote the edit did not touch is found at its new place (or, when it
//! occurs several times, at an occurrence its stored context supports at least as well); a
//! small edit inside a quote never orphans it; nothing is ever lost; every range returned is a
//! valid char range of the new text; an untouched text leaves everything `Unchanged`; and no
//! input at all makes it panic. A short or repeated quote whose context is gone is never a
//! confident move, a long unique one still is, and no two annotations of one label from
//! different spans ever end on one span.

use newsnote::model::anchor::{Anchored, Anchoring, MAX_ERRORS, MIN_FUZZY, SHORT_CHARS, reanchor, reanchor_all};
use newsnote::model::annotation::{Annotation, Fragment, LabelId};
use newsnote::model::article::Article;
use newsnote::model::document::reanchored;
use newsnote::model::units::{ByteRange, CharIndex};
use proptest::prelude::*;
use proptest::sample::{Index, select};

const WORDS: &[&str] = &[
    "Peskov",
    "Kremlin",
    "minister",
    "said",
    "told",
    "reporters",
    "on",
    "Monday",
    "the",
    "talks",
    "would",
    "resume",
    "harbour",
    "strike",
    "unions",
    "Antwerp",
    "officials",
    "confirmed",
    "denied",
    "claims",
    "that",
    "plan",
    "cost",
    "billions",
    "euros",
    "a",
    "an",
    "of",
    "in",
    "café",
    "naïve",
    "cafe\u{301}",
    "Zoë",
    "新闻",
    "北京",
    "外交部",
    "发言人",
    "表示",
    "会谈",
    "قال",
    "المتحدث",
    "الكرملين",
    "שלום",
    "עולם",
    "👍🏽",
    "🇺🇦",
    "😀",
    "👨‍👩‍👧",
    "“yes”",
    "‘no’",
    "2026",
    "48-hour",
    "U.S.",
    "EU",
    "x",
];
const GLUE: &[&str] = &[" ", " ", " ", " ", ", ", ". ", "\n", "\n\n", " — ", ": ", "! ", "? ", "\u{a0}"];

/// Words, punctuation, newlines and non-ASCII, as news articles mix them.
fn article() -> impl Strategy<Value = String> {
    prop::collection::vec((select(WORDS), select(GLUE)), 4..90)
        .prop_map(|v| v.into_iter().flat_map(|(w, g)| [w, g]).collect())
}

fn inserted() -> impl Strategy<Value = String> {
    prop::collection::vec((select(WORDS), select(GLUE)), 0..4)
        .prop_map(|v| v.into_iter().flat_map(|(w, g)| [w, g]).collect())
}

/// Byte offset of every code point, plus the end.
fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices().map(|(b, _)| b).chain([text.len()]).collect()
}

/// Non-empty annotations over real spans of `text`, picked by two indices each.
fn annotate(text: &str, picks: &[(Index, Index)]) -> Vec<Annotation> {
    let starts = char_starts(text);
    let n = starts.len() - 1;
    let idx = CharIndex::new(text);
    picks
        .iter()
        .map(|(a, len)| {
            let s = a.index(n);
            let e = s + 1 + len.index((n - s).min(120));
            let b = ByteRange::new(starts[s], starts[e]);
            Annotation::new_manual(
                LabelId::new("Claim"),
                text,
                b,
                idx.to_chars(text, b),
                "prop",
                "2026-01-01T00:00:00Z",
            )
        })
        .collect()
}

/// Replaces code points `[at, at + len)` of `text` with `with`; the old byte range replaced.
fn edit(text: &str, at: usize, len: usize, with: &str) -> (String, ByteRange) {
    let starts = char_starts(text);
    let (s, e) = (at, (at + len).min(starts.len() - 1));
    let r = ByteRange::new(starts[s], starts[e]);
    (format!("{}{with}{}", &text[..r.start], &text[r.end..]), r)
}

/// Where the quote at `r` is after `edited` was replaced by `with`, if the edit left it intact.
fn shifted(r: ByteRange, edited: ByteRange, with: &str) -> Option<ByteRange> {
    let delta = with.len() as isize - edited.len() as isize;
    if edited.end <= r.start {
        Some(ByteRange::new(r.start.wrapping_add_signed(delta), r.end.wrapping_add_signed(delta)))
    } else if edited.start >= r.end {
        Some(r)
    } else {
        None
    }
}

fn occurrences(text: &str, quote: &str) -> usize {
    (0..text.len()).filter(|&i| text.get(i..).is_some_and(|t| t.starts_with(quote))).count()
}

/// Stored context code points found verbatim around `r` (what the exact step ranks by).
fn context_score(text: &str, r: ByteRange, a: &Annotation) -> usize {
    let before = text[..r.start].chars().rev().zip(a.prefix.chars().rev()).take_while(|(x, y)| x == y).count();
    before + text[r.end..].chars().zip(a.suffix.chars()).take_while(|(x, y)| x == y).count()
}

/// What holds for every result: the range is a char range of `text`, an exact status means
/// the exact quote, a confidence lies in [0, 1], and only orphans have no range.
fn check_valid(text: &str, a: &Annotation, out: &Anchored) -> Result<(), TestCaseError> {
    match (out.status, out.bytes) {
        (Anchoring::Orphaned, bytes) => prop_assert_eq!(bytes, None),
        (status, Some(r)) => {
            prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?} outside the text", r);
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{:?} splits a char", r);
            match status {
                Anchoring::Changed { confidence } => prop_assert!((0.0..=1.0).contains(&confidence), "{}", confidence),
                _ => prop_assert_eq!(&text[r.as_range()], a.quote.as_str()),
            }
        }
        (status, None) => prop_assert!(false, "{:?} without a range", status),
    }
    Ok(())
}

/// Whether `a`, re-anchored alone, would take a place that another annotation of its label
/// (from a different old span) holds among `outs`: then `reanchor_all` may give it only a
/// lesser place, an uncertain one or none, and the properties of a lone annotation do not hold.
fn contested(text: &str, idx: &CharIndex, anns: &[Annotation], outs: &[Anchored], a: &Annotation) -> bool {
    let alone = reanchor(text, idx, a).bytes;
    alone.is_some()
        && anns.iter().zip(outs).any(|(b, out)| b.label == a.label && b.span() != a.span() && out.bytes == alone)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Edits anywhere (mostly away from the spans, sometimes across them).
    #[test]
    fn an_untouched_quote_is_found_at_its_new_place(
        text in article(),
        picks in prop::collection::vec(any::<(Index, Index)>(), 1..6),
        at in any::<Index>(),
        len in 0usize..30,
        with in inserted(),
    ) {
        let anns = annotate(&text, &picks);
        let (new, edited) = edit(&text, at.index(text.chars().count() + 1), len, &with);
        let idx = CharIndex::new(&new);
        let outs = reanchor_all(&new, &idx, &anns);
        prop_assert_eq!(outs.len(), anns.len(), "one result per annotation");
        for (a, out) in anns.iter().zip(&outs) {
            check_valid(&new, a, out)?;
            let old = CharIndex::new(&text).to_bytes(&text, a.span()).unwrap();
            let Some(want) = shifted(old, edited, &with) else { continue };
            if contested(&new, &idx, &anns, &outs, a) {
                continue; // another annotation took the place it would take alone
            }
            prop_assert!(matches!(out.status, Anchoring::Unchanged | Anchoring::Moved), "{:?} lost", a.quote);
            let got = out.bytes.unwrap();
            if occurrences(&new, &a.quote) == 1 {
                prop_assert_eq!(got, want, "{:?} in {:?}", a.quote, new);
                let same_offsets = idx.to_chars(&new, want) == a.span();
                prop_assert_eq!(out.status == Anchoring::Unchanged, same_offsets);
            } else {
                prop_assert!(
                    context_score(&new, got, a) >= context_score(&new, want, a),
                    "{:?} picked {:?} over {:?} in {:?}", a.quote, got, want, new
                );
            }
        }
    }

    /// Edits inside a span: never lost, never invalid, and small enough edits never orphan.
    #[test]
    fn an_edited_quote_is_changed_moved_or_orphaned_but_never_invalid(
        text in article(),
        picks in prop::collection::vec(any::<(Index, Index)>(), 1..4),
        which in any::<Index>(),
        offset in any::<Index>(),
        len in 0usize..6,
        with in prop_oneof![inserted(), select(vec!["", "x", "é", "中", "👍🏽", " ", "\n"]).prop_map(String::from)],
    ) {
        let anns = annotate(&text, &picks);
        let target = &anns[which.index(anns.len())];
        let at = target.start + offset.index(target.end - target.start);
        let with = if len == 0 && with.is_empty() { "x".to_owned() } else { with }; // never a no-op
        let (new, edited) = edit(&text, at, len, &with);
        let outs = reanchor_all(&new, &CharIndex::new(&new), &anns);
        prop_assert_eq!(outs.len(), anns.len());
        for (a, out) in anns.iter().zip(&outs) {
            check_valid(&new, a, out)?;
        }
        // The quote became the old one with at most `budget` code points deleted or inserted.
        let old = CharIndex::new(&text).to_bytes(&text, target.span()).unwrap();
        let cut = ByteRange::new(edited.start, edited.end.min(old.end));
        let budget = text[cut.as_range()].chars().count() + with.chars().count();
        let m = target.quote.chars().count();
        let idx = CharIndex::new(&new);
        if m >= MIN_FUZZY && budget <= m.div_ceil(4).min(MAX_ERRORS) && !contested(&new, &idx, &anns, &outs, target) {
            let out = &outs[which.index(anns.len())];
            prop_assert!(out.status != Anchoring::Orphaned, "{:?} lost after {:?} in {:?}", target.quote, with, new);
        }
    }

    /// Re-anchoring in the very text the annotations were made in changes nothing.
    #[test]
    fn an_unchanged_text_leaves_every_annotation_unchanged(
        text in article(),
        picks in prop::collection::vec(any::<(Index, Index)>(), 1..8),
    ) {
        let anns = annotate(&text, &picks);
        let idx = CharIndex::new(&text);
        for a in &anns {
            let out = reanchor(&text, &idx, a);
            prop_assert_eq!(out.status, Anchoring::Unchanged);
            prop_assert_eq!(out.bytes, idx.to_bytes(&text, a.span()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Arbitrary (lossily decoded) texts and annotations with arbitrary quotes, contexts and
    /// offsets, including reversed and enormous ones, the contexts sometimes cut from the text
    /// (so the context-only and fuzzy steps run too): no panic, and every result is valid.
    #[test]
    fn arbitrary_texts_and_annotations_never_panic(
        text in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            article(),
            any::<String>(),
        ],
        quote in prop_oneof![
            any::<String>(),
            "[ab\u{301}é👍🏽 ]{0,12}",
            article(),
            prop::collection::vec(any::<u8>(), 0..40).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ],
        (prefix, suffix) in any::<(String, String)>(),
        context_from_text in prop::option::of(any::<(Index, Index)>()),
        start in prop_oneof![0usize..200, any::<usize>()],
        end in prop_oneof![0usize..200, any::<usize>()],
    ) {
        let mut a = Annotation::new_manual(LabelId::new("Source"), "", ByteRange::default(), Default::default(), "f", "now");
        (a.quote, a.prefix, a.suffix, a.start, a.end) = (quote, prefix, suffix, start, end);
        if let Some((p, s)) = context_from_text {
            let chars: Vec<char> = text.chars().collect();
            let (p, s) = (p.index(chars.len() + 1), s.index(chars.len() + 1));
            a.prefix = chars[p.saturating_sub(32)..p].iter().collect();
            a.suffix = chars[s..(s + 32).min(chars.len())].iter().collect();
        }
        let out = reanchor(&text, &CharIndex::new(&text), &a);
        check_valid(&text, &a, &out)?;
    }
}

/// Text that shares no character with [`WORDS`] or [`GLUE`]: around a quote, it leaves none
/// of the quote's stored context.
fn foreign() -> impl Strategy<Value = String> {
    foreign_of(1..40)
}

/// Foreign text of `len` code points.
fn foreign_of(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(select(vec!['§', '¶', '•', '†']), len).prop_map(|v| v.into_iter().collect())
}

/// Words that are words to Unicode word segmentation (no emoji, no bare punctuation).
const PLAIN_WORDS: &[&str] = &["Peskov", "Kremlin", "minister", "said", "café", "naïve", "Zoë", "新闻", "قال", "שלום"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Every annotation of one label on every occurrence of a word, then an edit that may
    /// delete some of them: however the survivors are re-anchored, no two end on one span.
    #[test]
    fn no_two_annotations_of_one_label_from_different_spans_end_on_one_span(
        text in article(),
        word in select(WORDS),
        others in prop::collection::vec((any::<(Index, Index)>(), any::<bool>()), 0..6),
        at in any::<Index>(),
        len in 0usize..60,
        with in inserted(),
    ) {
        let idx = CharIndex::new(&text);
        let mut anns: Vec<Annotation> = text
            .match_indices(word)
            .map(|(s, w)| {
                let b = ByteRange::new(s, s + w.len());
                Annotation::new_manual(LabelId::new("Source"), &text, b, idx.to_chars(&text, b), "prop", "2026-01-01T00:00:00Z")
            })
            .collect();
        let picks: Vec<_> = others.iter().map(|(p, _)| *p).collect();
        for (mut a, (_, source)) in annotate(&text, &picks).into_iter().zip(&others) {
            a.label = if *source { LabelId::new("Source") } else { LabelId::new("Claim") };
            anns.push(a);
        }
        let (new, _) = edit(&text, at.index(text.chars().count() + 1), len, &with);
        let outs = reanchor_all(&new, &CharIndex::new(&new), &anns);
        for (a, out) in anns.iter().zip(&outs) {
            check_valid(&new, a, out)?;
        }
        for (i, (a, x)) in anns.iter().zip(&outs).enumerate() {
            for (b, y) in anns.iter().zip(&outs).skip(i + 1) {
                let (Some(rx), Some(ry)) = (x.bytes, y.bytes) else { continue };
                if a.label == b.label && a.span() != b.span() {
                    prop_assert_ne!(rx, ry, "{:?} and {:?} in {:?}", a.quote, b.quote, new);
                }
            }
        }
    }

    /// A quote of under [`SHORT_CHARS`] code points, or any quote found twice, among text that
    /// shares nothing with its stored context: a place is proposed, never taken.
    #[test]
    fn a_short_or_repeated_quote_whose_context_is_gone_is_never_a_confident_move(
        text in article(),
        pick in any::<(Index, Index)>(),
        short in any::<bool>(),
        // Between the two copies, more than a context's length: otherwise one copy is the
        // other's context, and it may well agree with the stored one.
        (before, between, after) in (foreign(), foreign_of(33..60), foreign()),
    ) {
        let mut a = annotate(&text, &[pick]).remove(0);
        if short && a.quote.chars().count() >= SHORT_CHARS {
            let keep: String = a.quote.chars().take(SHORT_CHARS - 1).collect();
            let b = CharIndex::new(&text).to_bytes(&text, a.span()).unwrap();
            let b = ByteRange::new(b.start, b.start + keep.len());
            a = Annotation::new_manual(LabelId::new("Claim"), &text, b, CharIndex::new(&text).to_chars(&text, b), "p", "now");
        }
        let twice = a.quote.chars().count() >= SHORT_CHARS;
        let new = if twice {
            format!("{before}{}{between}{}{after}", a.quote, a.quote)
        } else {
            format!("{before}{}{after}", a.quote)
        };
        let out = reanchor(&new, &CharIndex::new(&new), &a);
        check_valid(&new, &a, &out)?;
        let want = if twice { 2 } else { 1 };
        prop_assert_eq!(out.status, Anchoring::Uncertain { candidates: want }, "{:?} in {:?}", a.quote, new);
    }

    /// A quote of three or more words and [`SHORT_CHARS`] or more code points, found once,
    /// moves confidently even with nothing of its context left.
    #[test]
    fn a_long_unique_quote_moves_confidently_without_its_context(
        (head, tail) in (article(), article()),
        words in prop::collection::vec(select(PLAIN_WORDS), 3..8),
        (before, after) in (foreign(), foreign()),
    ) {
        let quote = words.join(" ");
        prop_assume!(quote.chars().count() >= SHORT_CHARS);
        let old = format!("{head} {quote} {tail}");
        let b = ByteRange::new(head.len() + 1, head.len() + 1 + quote.len());
        let a = Annotation::new_manual(LabelId::new("Source"), &old, b, CharIndex::new(&old).to_chars(&old, b), "p", "now");
        let new = format!("{before}{quote}{after}");
        let out = reanchor(&new, &CharIndex::new(&new), &a);
        prop_assert!(matches!(out.status, Anchoring::Moved | Anchoring::Unchanged), "{:?}: {:?}", quote, out.status);
        prop_assert_eq!(out.bytes, Some(ByteRange::new(before.len(), before.len() + quote.len())));
    }
}

/// `«first», {mid} «second».` inside `head` and `tail`, with the claim over both quotes as
/// one annotation of two pieces; the text and the claim.
fn two_piece_quote(head: &str, first: &str, mid: &str, second: &str, tail: &str) -> (String, Annotation) {
    let text = format!("{head} «{first}», {mid} «{second}». {tail}");
    let idx = CharIndex::new(&text);
    let at = |s: usize, q: &str| ByteRange::new(s, s + q.len());
    let b1 = at(head.len() + " «".len(), first);
    let b2 = at(text.len() - tail.len() - "». ".len() - second.len(), second);
    let mut a = Annotation::new_manual(LabelId::new("Claim"), &text, b1, idx.to_chars(&text, b1), "p", "now");
    a.fragments.push(Fragment::over(&text, b2, idx.to_chars(&text, b2)));
    (text, a)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// A quote interrupted by "he said", coded as one claim of two pieces, survives an edit of
    /// the text before it or between its pieces: both pieces move with their text, each keeps
    /// its quote, and the claim stays one annotation.
    #[test]
    fn a_fragmented_annotation_survives_an_edit_before_or_between_its_pieces(
        (head, mid, tail) in (article(), article(), article()),
        (first, second) in (prop::collection::vec(select(PLAIN_WORDS), 3..8), prop::collection::vec(select(PLAIN_WORDS), 3..8)),
        between in any::<bool>(),
        at in any::<Index>(),
        len in 0usize..12,
        with in inserted(),
    ) {
        let (first, second) = (first.join(" "), second.join(" "));
        let (text, claim) = two_piece_quote(&head, &first, &mid, &second, &tail);
        // Code points of the region edited: the head, or the words between the pieces.
        let (from, room) = if between {
            (claim.end + "», ".chars().count(), mid.chars().count())
        } else {
            (0, head.chars().count())
        };
        let start = from + at.index(room + 1);
        let len = len.min(from + room - start);
        let (new, edited) = edit(&text, start, len, &with);
        prop_assume!(occurrences(&new, &first) == 1 && occurrences(&new, &second) == 1);
        let old = CharIndex::new(&text);
        let want: Vec<ByteRange> = claim
            .pieces()
            .map(|(span, _)| shifted(old.to_bytes(&text, span).unwrap(), edited, &with).unwrap())
            .collect();
        let article = Article::from_text("a.txt".into(), "a.txt".into(), new.clone(), vec![]);
        let (out, tally) = reanchored(&article, vec![claim.clone()]);
        prop_assert_eq!(out.len(), 1, "still one annotation");
        prop_assert_eq!(tally.orphaned + tally.uncertain + tally.changed, 0, "{:?} in {:?}", tally, new);
        let got: Vec<ByteRange> =
            out[0].pieces().map(|(span, _)| article.index.to_bytes(&new, span).unwrap()).collect();
        prop_assert_eq!(&got, &want, "{:?}", new);
        let quotes: Vec<&str> = out[0].pieces().map(|(_, q)| q).collect();
        prop_assert_eq!(quotes, [first.as_str(), second.as_str()]);
        prop_assert_eq!(&out[0].fragments[0].quote, &second);
        prop_assert_eq!(&new[got[1].end..got[1].end + "»".len()], "»", "the suffix follows the piece");
    }
}

/// One piece lost makes the annotation orphaned with both pieces at their old offsets, never
/// half moved: the first piece's text survives, the second's is gone.
#[test]
fn a_fragmented_annotation_whose_second_piece_is_gone_keeps_both_pieces_where_they_were() {
    let (text, claim) =
        two_piece_quote("Вступ.", "Мы не сдадимся никогда", "сказал он", "ни за что на свете 😀", "Конец.");
    let new = format!("Новый абзац. {}", text.replace("ни за что на свете 😀", "что-то совсем другое здесь"));
    let article = Article::from_text("a.txt".into(), "a.txt".into(), new, vec![]);
    let (out, tally) = reanchored(&article, vec![claim.clone()]);
    assert_eq!(tally.orphaned, 1, "{tally:?}");
    let a = &out[0];
    assert_eq!(a.anchor, Some(newsnote::model::annotation::AnchorNote::Orphaned));
    assert_eq!((a.start, a.end, &a.quote, &a.fragments), (claim.start, claim.end, &claim.quote, &claim.fragments));
}
