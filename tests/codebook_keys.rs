//! Coding with the codebook by real keys: a quote interrupted by "he said" as one claim of two
//! pieces, a cue attached to its claim, a quote type, a second source, a relabel that drops an
//! attribute and says so (and undo brings it back), the codebook overlay and the help. Keys go
//! through the real keymap (`tests/drive`); what they made is read back from the file on disk.

mod drive;

use drive::*;
use newsnote::model::annotation::{Annotation, AttrValue, LabelId};

/// Two quotations of one speaker with "he said" between them, a second source further on,
/// and non-ASCII around.
const TEXT: &str = "Київ, понеділок.\n\nZelensky told reporters: “We will not give up,” he said, “not now and not ever.” Officials in Kyiv agreed. Ой 😀.\n";

fn by_label<'a>(anns: &'a [Annotation], label: &str) -> Vec<&'a Annotation> {
    anns.iter().filter(|a| a.label == LabelId::new(label)).collect()
}

/// The claim tagged in two pieces with `viq c`, then `viq +` on the second quotation.
fn two_piece_claim() -> (tempfile::TempDir, newsnote::app::App) {
    let (d, mut app) = open_text(TEXT);
    go_to(&mut app, "We will");
    press(&mut app, "viqc");
    go_to(&mut app, "not now");
    press(&mut app, "viq+");
    (d, app)
}

#[test]
fn a_quote_interrupted_by_he_said_is_one_claim_of_two_pieces_painted_found_and_undone_whole() {
    let (_d, mut app) = two_piece_claim();
    let msg = app.message.as_ref().unwrap().text.clone();
    assert!(msg.contains("now has 2 pieces"), "{msg}");
    let file = saved(&app);
    assert_eq!(file.annotations.len(), 1, "one claim, not two");
    let claim = &file.annotations[0];
    assert_eq!(claim.full_quote(), "We will not give up, … not now and not ever.");
    // The cursor on either piece finds the claim; "he said" between them is not the claim.
    for (needle, on) in [("give up", true), ("not ever", true), ("he said", false)] {
        go_to(&mut app, needle);
        let o = app.open.as_ref().unwrap();
        assert_eq!(o.doc.annotation_at(app.reader.cursor).is_some(), on, "{needle}");
    }
    // Both pieces are painted; the words between are not.
    let styled = |app: &newsnote::app::App, needle: &str| {
        let (x, y) = cell_of(app, find(app, needle));
        let t = draw(app, 120, 40);
        t.backend().buffer()[(x, y)].style().add_modifier
    };
    press(&mut app, "<esc>");
    let underline = ratatui::style::Modifier::UNDERLINED;
    assert!(styled(&app, "give up").contains(underline));
    assert!(styled(&app, "not ever").contains(underline), "the second piece is painted");
    assert!(!styled(&app, "he said").contains(underline));
    // ]a visits the claim once, from before it: the next ]a finds nothing more.
    press(&mut app, "g]a");
    assert_eq!(app.reader.cursor, find(&app, "We will"));
    press(&mut app, "]a");
    assert_eq!(app.reader.cursor, find(&app, "We will"), "the second piece is not another annotation");
    // d on the second piece deletes the whole claim; u brings both pieces back.
    go_to(&mut app, "not ever");
    press(&mut app, "d");
    assert!(saved(&app).annotations.is_empty());
    press(&mut app, "u");
    assert_eq!(saved(&app).annotations, file.annotations);
}

#[test]
fn a_cue_is_attached_to_the_nearest_claim_in_five_keys() {
    let (_d, mut app) = two_piece_claim();
    go_to(&mut app, "said,");
    let keys = "viwC<enter>";
    press(&mut app, keys);
    assert_eq!(newsnote::headless::parse_keys(keys).len(), 5);
    let file = saved(&app);
    let (claim, cue) = (by_label(&file.annotations, "Claim")[0], by_label(&file.annotations, "Cue")[0]);
    assert_eq!(cue.quote, "said");
    assert_eq!(claim.linked("cue"), std::slice::from_ref(&cue.id), "attached to the claim around it");
}

#[test]
fn the_quote_type_is_set_with_two_keys_and_a_second_source_with_ctrl_a() {
    let (_d, mut app) = two_piece_claim();
    go_to(&mut app, "not ever");
    press(&mut app, "=d");
    let claim = by_label(&saved(&app).annotations, "Claim")[0].clone();
    assert_eq!(claim.attributes.get("quote_type"), Some(&AttrValue::One("direct".into())));
    go_to(&mut app, "Zelensky");
    press(&mut app, "viws");
    go_to(&mut app, "Officials");
    press(&mut app, "viws");
    go_to(&mut app, "give up");
    press(&mut app, "azel<enter>");
    press(&mut app, "aoff<c-a>");
    let file = saved(&app);
    let claim = by_label(&file.annotations, "Claim")[0];
    let names: Vec<&str> = claim
        .linked("source")
        .iter()
        .map(|id| file.annotations.iter().find(|a| &a.id == id).unwrap().quote.as_str())
        .collect();
    assert_eq!(names, ["Zelensky", "Officials"], "the second source is added after the first");
}

#[test]
fn relabelling_a_claim_with_a_quote_type_as_a_source_says_the_quote_type_is_dropped_and_u_brings_it_back() {
    let (_d, mut app) = two_piece_claim();
    go_to(&mut app, "give up");
    press(&mut app, "=d");
    let before = by_label(&saved(&app).annotations, "Claim")[0].clone();
    press(&mut app, "rs");
    let msg = app.message.as_ref().unwrap().text.clone();
    assert!(msg.contains("is now a Source") && msg.contains("dropped quote type"), "{msg}");
    let after = saved(&app).annotations[0].clone();
    assert_eq!(after.label, LabelId::new("Source"));
    assert!(after.attributes.is_empty(), "{:?}", after.attributes);
    assert_eq!(
        (after.id.clone(), after.fragments.clone()),
        (before.id.clone(), before.fragments.clone()),
        "id and pieces kept"
    );
    press(&mut app, "u");
    assert_eq!(saved(&app).annotations, vec![before], "undo brings the label and the quote type back");
}

#[test]
fn the_codebook_overlay_and_the_help_list_every_label_with_its_key() {
    let (d, mut app) = open_text(TEXT);
    press(&mut app, "K");
    let s = screen(&app, 120, 40);
    for line in ["s  Source", "c  Claim", "C  Cue", "x  Boilerplate"] {
        assert!(s.contains(line), "{line} in the codebook overlay:\n{s}");
    }
    // Scrolled on: the attributes with their values' keys.
    press(&mut app, &"j".repeat(30));
    let s = screen(&app, 120, 40);
    for name in ["quote type", "direct", "indirect", "mixed"] {
        assert!(s.contains(name), "{name} in the codebook overlay:\n{s}");
    }
    // The help lists each label's key twice: bound in the selection, and in the codebook's
    // section with its definition.
    use newsnote::app::help::{HelpRow, rows};
    let help = rows(&app.keymap, &app.codebook);
    for (key, name) in [("s", "Source"), ("c", "Claim"), ("C", "Cue"), ("x", "Boilerplate")] {
        let bound = HelpRow::Binding(key.into(), format!("tag selection as {name}"));
        assert!(help.contains(&bound), "{bound:?} in the help");
        assert!(
            help.iter()
                .any(|r| matches!(r, HelpRow::Binding(k, d) if k == key && d.starts_with(&format!("{name} — ")))),
            "{name} with its key {key} in the help's codebook section"
        );
    }
    assert!(help.iter().any(
        |r| matches!(r, HelpRow::Binding(k, d) if k == "quote type (Claim)" && d == "d direct · i indirect · m mixed")
    ));
    press(&mut app, "<esc>?");
    assert!(screen(&app, 120, 40).contains("Keys — ? or Esc to close"));
    drop(d);
}
