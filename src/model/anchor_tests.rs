use super::*;
use crate::model::annotation::LabelId;

/// An annotation over the `nth` occurrence of `quote` in `text`.
fn ann(text: &str, quote: &str, nth: usize) -> Annotation {
    let s = text.match_indices(quote).nth(nth).expect("quote in text").0;
    let b = ByteRange::new(s, s + quote.len());
    Annotation::new_manual(
        LabelId::new("Claim"),
        text,
        b,
        CharIndex::new(text).to_chars(text, b),
        "t",
        "2026-01-01T00:00:00Z",
    )
}

fn run(text: &str, a: &Annotation) -> Anchored {
    let out = reanchor(text, &CharIndex::new(text), a);
    if let Some(r) = out.bytes {
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end) && r.start <= r.end, "{r:?}");
    }
    out
}

fn found<'t>(text: &'t str, out: &Anchored) -> &'t str {
    &text[out.bytes.expect("anchored").as_range()]
}

fn confidence(out: &Anchored) -> f32 {
    match out.status {
        Anchoring::Changed { confidence } => confidence,
        other => panic!("expected Changed, got {other:?}"),
    }
}

/// Deterministic pseudo-random numbers for the bulk tests.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn an_untouched_text_leaves_every_annotation_unchanged_with_emoji_cjk_and_rtl() {
    let text = "😀 Peskov said “no”.\n新闻 报道：北京消息。\nقال المتحدث باسم الكرملين\nשלום עולם 🇺🇦";
    let anns: Vec<_> =
        ["Peskov said", "北京消息", "المتحدث باسم", "עולם 🇺🇦", "😀"].iter().map(|q| ann(text, q, 0)).collect();
    for (a, out) in anns.iter().zip(reanchor_all(text, &CharIndex::new(text), &anns)) {
        assert_eq!(out.status, Anchoring::Unchanged, "{}", a.quote);
        assert_eq!(found(text, &out), a.quote);
    }
}

#[test]
fn an_inserted_paragraph_before_moves_the_span_exactly() {
    let old = "Headline 📰\n\n北京消息：Lavrov met Wang Yi.\n\nשלום עולם, he said.";
    let anns = [ann(old, "Lavrov met Wang Yi", 0), ann(old, "שלום עולם", 0), ann(old, "北京消息", 0)];
    let new = old.replace("\n\n", "\n\nA new paragraph with 👍🏽 and 中文 in it.\n\n");
    for a in &anns {
        let out = run(&new, a);
        assert_eq!(out.status, Anchoring::Moved, "{}", a.quote);
        assert_eq!(out.bytes.unwrap().start, new.find(a.quote.as_str()).unwrap());
        assert_eq!(found(&new, &out), a.quote);
    }
}

#[test]
fn context_picks_the_right_occurrence_of_a_repeated_quote() {
    let old = "Ana said yes. Bob said no. Cid said maybe.";
    let a = ann(old, "said", 1);
    // The old offset now falls next to Ana's "said", but only Bob's has the stored context.
    let new = format!("Xi said so. {old}");
    let out = run(&new, &a);
    assert_eq!(out.status, Anchoring::Moved);
    assert_eq!(out.bytes.unwrap().start, new.find("Bob said").unwrap() + 4);
}

#[test]
fn without_context_the_occurrence_nearest_the_old_offset_is_proposed() {
    let old = "said said said said";
    let mut a = ann(old, "said", 2);
    (a.prefix, a.suffix) = ("zzz".into(), "qqq".into());
    // A frequent quote with no context agreeing: a proposal for a person, not a move.
    let out = run("xx said said said said", &a);
    assert_eq!((out.status, out.bytes), (Anchoring::Uncertain { candidates: 4 }, Some(ByteRange::new(8, 12))));
    let out = run(old, &a);
    assert_eq!(out.bytes, a_place(old, &a), "the old place ranks first when no context helps");
}

/// The byte range of `a`'s old offsets in `text`.
fn a_place(text: &str, a: &Annotation) -> Option<ByteRange> {
    CharIndex::new(text).to_bytes(text, a.span())
}

#[test]
fn an_exact_quote_with_edited_context_stays_in_place_or_moves() {
    let old = "The minister said the plan would cost billions.";
    let a = ann(old, "the plan", 0);
    let out = run("The minister claimed the plan would cost more.", &a);
    assert_eq!(
        (out.status, found("The minister claimed the plan would cost more.", &out)),
        (Anchoring::Moved, "the plan")
    );
    let out = run("The ministry said the plan would cost trillions.", &a);
    assert_eq!(out.status, Anchoring::Unchanged);
}

#[test]
fn a_reworded_sentence_is_changed_with_a_middling_to_high_confidence() {
    let old = "Intro.\n\nThe minister said on Tuesday that the plan would cost billions of euros. Next.";
    let a = ann(old, "The minister said on Tuesday that the plan would cost billions of euros.", 0);
    let new = "Intro.\n\nThe minister stated on Tuesday that this plan could cost billions of euros. Next.";
    let out = run(new, &a);
    let c = confidence(&out);
    assert!((0.5..1.0).contains(&c), "confidence {c}");
    assert_eq!(found(new, &out), "The minister stated on Tuesday that this plan could cost billions of euros.");
}

#[test]
fn a_changed_cjk_quote_is_found_in_code_points() {
    let old = "前言。北京消息：外交部发言人今天表示，会谈将继续进行。后记。";
    let a = ann(old, "外交部发言人今天表示，会谈将继续进行", 0);
    let new = "新的段落在这里。\n前言。北京消息：外交部发言人昨天表示，会谈将继续进行。后记。";
    let out = run(new, &a);
    assert!(confidence(&out) > 0.9);
    assert_eq!(found(new, &out), "外交部发言人昨天表示，会谈将继续进行");
}

#[test]
fn a_fuzzy_match_is_widened_to_whole_graphemes() {
    let old = "Fans wrote: we love the team 👍 so much, said the club.";
    let a = ann(old, "we love the team 👍", 0);
    let new = "Fans wrote: we love the teams 👍🏽 so much, said the club.";
    let out = run(new, &a);
    confidence(&out);
    assert_eq!(found(new, &out), "we love the teams 👍🏽", "the skin tone belongs to the thumb");
    let t = "ab👍🏽cd";
    assert_eq!(snap_graphemes(t, ByteRange::new(2, 6)), ByteRange::new(2, 10));
    let t = "cafe\u{301}!";
    assert_eq!(snap_graphemes(t, ByteRange::new(1, 4)), ByteRange::new(1, 6));
}

#[test]
fn a_deleted_paragraph_orphans_its_annotations() {
    let old = "First paragraph stays.\n\nThe deleted paragraph talked about the harbour strike.\n\nLast one stays.";
    let a = ann(old, "talked about the harbour strike", 0);
    let new = "First paragraph stays.\n\nLast one stays.";
    assert_eq!(run(new, &a), Anchored { status: Anchoring::Orphaned, bytes: None });
}

#[test]
fn a_tiny_quote_is_found_by_its_context_but_never_fuzzily_alone() {
    let old = "Officials in the US said on Monday that talks would resume soon.";
    let a = ann(old, "US", 0);
    let new = "Officials in the U.S. said on Monday that talks would resume soon.";
    let out = run(new, &a);
    assert_eq!(found(new, &out), "U.S.");
    assert!(confidence(&out) > 0.4);
    for new in ["UK, Us, uS and AS said so", "Officials in the UK met today."] {
        assert_eq!(run(new, &a).status, Anchoring::Orphaned, "{new}");
    }
}

#[test]
fn an_empty_quote_follows_its_context() {
    let old = "Before the gap|after the gap, and more.";
    let mut a = ann(old, "|", 0);
    a.quote.clear();
    a.end = a.start;
    a.suffix.insert(0, '|');
    let out = run(old, &a);
    assert_eq!((out.status, out.bytes), (Anchoring::Unchanged, Some(ByteRange::new(14, 14))));
    let new = format!("Inserted. {old}");
    assert_eq!(run(&new, &a).bytes, Some(ByteRange::new(24, 24)));
    assert_eq!(run(&new, &a).status, Anchoring::Moved);
    assert_eq!(run("Nothing of it is left.", &a).status, Anchoring::Orphaned);
}

#[test]
fn nonsense_offsets_and_empty_texts_neither_panic_nor_invent_matches() {
    let mut a = ann("Peskov said no", "said", 0);
    (a.start, a.end) = (9, 2);
    assert_eq!(run("Peskov said no", &a).status, Anchoring::Moved, "found by its quote");
    (a.start, a.end) = (usize::MAX - 1, usize::MAX);
    assert_eq!(run("Peskov said no", &a).bytes, Some(ByteRange::new(7, 11)));
    assert_eq!(run("", &a).status, Anchoring::Orphaned);
}

#[test]
fn a_far_moved_and_changed_paragraph_is_found_by_scanning_the_whole_text() {
    let mut rng = Lcg(7);
    let words = ["the", "talks", "minister", "said", "on", "Monday", "harbour", "strike", "new", "plan"];
    let filler: String = (0..60_000).map(|_| words[rng.next(words.len())]).collect::<Vec<_>>().join(" ");
    let quote = "Unions at the port of Antwerp announced a forty-eight hour walkout";
    let old = format!("{filler}\n\n{quote}, officials confirmed.\n\nEnd.");
    let a = ann(&old, quote, 0);
    let new =
        format!("Moved up: Unions at the port of Antwerp announce a 48-hour walkout, officials confirmed.\n\n{filler}");
    let out = run(&new, &a);
    assert!(confidence(&out) > 0.5);
    assert_eq!(found(&new, &out), "Unions at the port of Antwerp announce a 48-hour walkout");
}

#[test]
fn two_megabytes_of_repeats_anchor_without_quadratic_work() {
    // Every sentence holds a candidate: converting each hit's offset from the text start, or
    // scoring each hit against the whole text, would be quadratic here. No timing is asserted.
    let unit = "Peskov said no. ";
    let n = 2 * 1024 * 1024 / unit.len();
    let mut old = unit.repeat(n);
    let mid = unit.len() * (n / 2);
    old.insert_str(mid, "Lavrov said yes. ");
    let a = ann(&old, "Lavrov said yes", 0);
    let b = ann(&old, "said", n / 2);
    // ~1 MB deleted before, so the old offsets point to the wrong sentences.
    let new = old[1_000_000..].to_string();
    let outs = reanchor_all(&new, &CharIndex::new(&new), &[a.clone(), b]);
    let at = new.find("Lavrov said yes").unwrap();
    assert_eq!(outs[0], Anchored { status: Anchoring::Moved, bytes: Some(ByteRange::new(at, at + 15)) });
    assert_eq!(outs[1].bytes, Some(ByteRange::new(at + 7, at + 11)), "context picks this one of 130k");
    // Changed and moved far: no exact hit anywhere, nothing near the old place, so the fuzzy
    // scan covers all 2 MB.
    let new = format!("{}Lavrov says yes. {}{}", &old[..992], &old[992..mid], &old[mid + 17..]);
    let out = run(&new, &a);
    assert!(confidence(&out) > 0.8);
    assert_eq!(found(&new, &out), "Lavrov says yes");
    assert_eq!(out.bytes.map(|r| r.start), Some(992));
}

#[test]
fn myers_scan_reports_exactly_the_local_minima_of_the_edit_distance() {
    let mut rng = Lcg(42);
    let alphabets: [&[char]; 3] = [&['a', 'b'], &['a', 'b', 'c', 'é', '中'], &['x', '😀', 'y', ' ']];
    for round in 0..300 {
        let abc = alphabets[round % 3];
        let m = 1 + rng.next(if round % 2 == 0 { 12 } else { 150 });
        let pattern: Vec<char> = (0..m).map(|_| abc[rng.next(abc.len())]).collect();
        let text: String = (0..rng.next(400)).map(|_| abc[rng.next(abc.len())]).collect();
        let k = rng.next(m.div_ceil(2) + 1);
        // Naive semi-global DP: last row at every text position.
        let mut col: Vec<usize> = (0..=m).collect();
        let mut want = Vec::new();
        let (mut prev, mut pending) = (usize::MAX, None);
        for (i, c) in text.char_indices() {
            let mut diag = col[0];
            for r in 1..=m {
                let v = (diag + usize::from(pattern[r - 1] != c)).min(col[r] + 1).min(col[r - 1] + 1);
                diag = col[r];
                col[r] = v;
            }
            let s = if col[m] <= k { col[m] } else { usize::MAX };
            if s < prev {
                pending = (s <= k).then_some((i + c.len_utf8(), s));
            } else if s > prev {
                want.extend(pending.take());
            }
            prev = s;
        }
        want.extend(pending);
        let got = Pattern::new(&pattern).scan(&text, k, 0);
        assert_eq!(got, want, "round {round}: {pattern:?} in {text:?}, k = {k}");
    }
}

#[test]
fn the_banded_alignment_finds_the_best_start() {
    let p: Vec<char> = "dias".chars().collect();
    let t: Vec<char> = "dia xyz".chars().collect();
    assert_eq!(best_prefix_alignment(&p, &t, 1), Some((4, 1)), "ties go to the quote's length");
    assert_eq!(best_prefix_alignment(&p, &t[..2], 1), None);
    assert_eq!(best_prefix_alignment(&p, &"sdias".chars().collect::<Vec<_>>(), 1), Some((5, 1)));
    assert_eq!(levenshtein(&['a', 'b'], &[]), 2);
}

/// An annotation of `label` over the `nth` occurrence of `quote`.
fn labelled(label: LabelId, text: &str, quote: &str, nth: usize) -> Annotation {
    Annotation { label, ..ann(text, quote, nth) }
}

const KREMLIN: &str = "Кремль ответил быстро. «Нет», — сказал Песков журналистам.\n\n\
    Затем Песков добавил, что переговоры в Стамбуле продолжатся.\n\n\
    «Украина — независимое государство», — заявил Песков.\n\nКонец.";

#[test]
fn a_short_quote_found_only_without_its_context_is_uncertain_not_moved() {
    // The third «Песков» goes with its paragraph; the two left are each in another sentence.
    let a = ann(KREMLIN, "Песков", 2);
    let new = KREMLIN.replace("«Украина — независимое государство», — заявил Песков.\n\n", "");
    let out = run(&new, &a);
    assert_eq!(out.status, Anchoring::Uncertain { candidates: 2 });
    assert_eq!(found(&new, &out), "Песков", "a proposal, on the exact quote");
    // With its context left intact on one side, the same short quote moves confidently.
    let b = ann(KREMLIN, "Песков", 1);
    let new = format!("Вступление.\n\n{KREMLIN}");
    let out = run(&new, &b);
    assert_eq!(out.status, Anchoring::Moved);
    assert_eq!(out.bytes.unwrap().start, new.match_indices("Песков").nth(1).unwrap().0);
}

#[test]
fn context_agreement_tolerates_a_changed_neighbourhood_on_both_sides() {
    // A re-scrape turned the guillemets and dashes into ASCII on both sides of the name.
    let old = "Первая фраза. «Нет», — сказал Песков, — и ушёл. Потом говорил Лавров.";
    let a = ann(old, "Песков", 0);
    let new = format!("Новое начало. {}", old.replace(['«', '»'], "\"").replace('—', "-"));
    let out = run(&new, &a);
    assert_eq!(out.status, Anchoring::Moved, "each side is mostly the same text");
    assert_eq!(found(&new, &out), "Песков");
}

#[test]
fn a_long_quote_moves_confidently_when_unique_and_is_uncertain_when_it_recurs() {
    let old = "Intro. Le ministre a déclaré que la réforme serait adoptée 🇫🇷 avant l'été. Fin.";
    let quote = "la réforme serait adoptée";
    let a = ann(old, quote, 0);
    let elsewhere = format!("Tout autre texte: {quote} — ailleurs, 新闻.");
    let out = run(&elsewhere, &a);
    assert_eq!(out.status, Anchoring::Moved, "a long unique quote is its own evidence");
    assert_eq!(found(&elsewhere, &out), quote);
    let twice = format!("{elsewhere} Et encore: {quote}!");
    assert_eq!(run(&twice, &a).status, Anchoring::Uncertain { candidates: 2 });
}

#[test]
fn a_short_quote_left_at_its_old_offsets_in_other_surroundings_is_uncertain() {
    let old = "Тогда он сказал: да. Ещё.";
    let a = ann(old, "он", 0);
    let new = "Потом он молчал всё утро.";
    assert_eq!(run(new, &a), Anchored { status: Anchoring::Uncertain { candidates: 1 }, bytes: a_place(old, &a) });
}

#[test]
fn no_annotation_moves_onto_a_span_another_annotation_of_its_label_holds() {
    let anns: Vec<Annotation> = (0..3).map(|n| labelled(LabelId::new("Source"), KREMLIN, "Песков", n)).collect();
    let claim = labelled(LabelId::new("Claim"), KREMLIN, "Песков", 2);
    // Both mentions left are held by their own sources: the third has nowhere to go.
    let new = KREMLIN.replace("«Украина — независимое государство», — заявил Песков.\n\n", "");
    let all = [anns.clone(), vec![claim]].concat();
    let outs = reanchor_all(&new, &CharIndex::new(&new), &all);
    assert_eq!(outs[0].status, Anchoring::Unchanged);
    assert_eq!(outs[1].status, Anchoring::Unchanged);
    assert_eq!(outs[2], Anchored { status: Anchoring::Orphaned, bytes: None });
    // A claim on the same word is another label: it may be proposed there, but only as uncertain.
    assert_eq!(outs[3].status, Anchoring::Uncertain { candidates: 2 });
    // The mention the deleted one would take is the one whose source comes first in text order.
    let moved = format!("Вступление.\n\n{new}");
    let outs = reanchor_all(&moved, &CharIndex::new(&moved), &anns);
    assert_eq!(outs.iter().map(|o| o.status).collect::<Vec<_>>()[..2], [Anchoring::Moved, Anchoring::Moved]);
    assert_eq!(outs[2].status, Anchoring::Orphaned);
}

#[test]
fn two_annotations_on_one_span_may_land_on_one_span_again() {
    let a = labelled(LabelId::new("Source"), KREMLIN, "Песков", 0);
    let b = Annotation { id: crate::model::annotation::AnnotationId("copy".into()), ..a.clone() };
    let new = format!("Вступление.\n\n{KREMLIN}");
    let outs = reanchor_all(&new, &CharIndex::new(&new), &[a, b]);
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0].status, Anchoring::Moved);
}

#[test]
fn the_loser_of_a_contested_place_is_at_best_uncertain() {
    // Two sources on one repeated sentence; the first copy is deleted. Both want the
    // second copy; the one that was there keeps it, the other one only gets a proposal.
    let sentence = "Песков сказал «нет» 👍🏽.";
    let old = format!("{sentence}\n{sentence}\nКонец.");
    let first = labelled(LabelId::new("Source"), &old, "Песков сказал «нет»", 0);
    let second = labelled(LabelId::new("Source"), &old, "Песков сказал «нет»", 1);
    let new = format!("Вступление.\n{sentence}\nКонец. Песков сказал «нет» снова.");
    let outs = reanchor_all(&new, &CharIndex::new(&new), &[first, second]);
    assert_eq!(outs[1].status, Anchoring::Moved);
    assert_eq!(outs[1].bytes.unwrap().start, new.find(sentence).unwrap());
    assert_eq!(outs[0].status, Anchoring::Uncertain { candidates: 1 });
    assert_eq!(outs[0].bytes.unwrap().start, new.rfind("Песков").unwrap());
}

#[test]
fn myers_global_distance_equals_the_edit_distance() {
    let mut rng = Lcg(3);
    let abc = ['a', 'b', 'é', '中', '😀', ' '];
    for round in 0..400 {
        let m = 1 + rng.next(if round % 2 == 0 { 40 } else { 150 });
        let p: Vec<char> = (0..m).map(|_| abc[rng.next(abc.len())]).collect();
        let t: Vec<char> = (0..rng.next(160)).map(|_| abc[rng.next(abc.len())]).collect();
        assert_eq!(Pattern::new(&p).distance(&t), levenshtein(&p, &t), "round {round}: {p:?} vs {t:?}");
    }
}

#[test]
fn short_means_under_twelve_code_points_or_three_words_and_frequent_more_than_once() {
    assert!(needs_context("Песков", 1));
    assert!(needs_context("Ukrainian officials", 1), "two words");
    assert!(needs_context("👍🏽 🇺🇦 😀 👨‍👩‍👧 👍🏽 🇺🇦", 1), "no words at all");
    assert!(!needs_context("The United Nations", 1));
    assert!(!needs_context("外交部发言人今天表示会谈", 1), "each ideograph is a word");
    assert!(needs_context("The United Nations", 2));
}
