//! `brat`: a folder the brat annotation tool opens as a collection.
//!
//! # Mapping
//!
//! | newsnote | brat |
//! |---|---|
//! | article `x/foo.txt` (or `.md`) | `x/foo.txt`, the text exactly as newsnote reads it, and `x/foo.ann` |
//! | a span of any label | `T<n>\tSource 10 16\tPeskov` (the label id as the type; every fragment of a discontinuous span, `T3\tClaim 0 5;9 14\t…`) |
//! | a one-of, several-of or yes/no attribute | `A<n>\tquote_type T<n> direct` (one line per value; a yes as a flag) |
//! | a claim (the codebook's attributed content) with cues or sources | a trigger `T<m>\tAttribution …` over its first cue (else over the claim) and `E<k>\tAttribution:T<m> Content:T<claim> Cue:T<cue> Source:T<src> Source2:T<src>` |
//! | any other link | `R<n>\t<relation id> Arg1:T<from> Arg2:T<to>` |
//! | note | `#<n>\tAnnotatorNotes T<n>\t<note>` |
//! | a suggestion, or an imported annotation | `#<n>\tReview T<n>\tproposed by quotes-1 (87%)` (a comment of type `Review`: status, origin, confidence; none for a person's accepted annotation) |
//! | an editor's review | `#<n>\tAnnotatorNotes T<n>\treview: disputed by Ana, 2026-12-01T10:00:00Z; “too long” — Ana, 2026-12-01T09:59:00Z` (the verdict that stands, or `unreviewed`, then every comment; only for a reviewed annotation) |
//! | a mention's entity (resolved through merges) | `N<n>\tReference T<n> newsnote:dmitry-peskov\tDmitry Peskov`, and `N<n+1>\tReference T<n> Wikidata:Q4526468\tDmitry Peskov` when its Wikidata id is known |
//!
//! An article with metadata (a saved page's outlet, date, authors, URL…) also gets
//! `x/foo.meta.json` beside its pair ([`meta_json`]); a plain text article does not.
//!
//! plus `annotation.conf` at the root (brat looks for it upwards from each document's folder,
//! so one file covers every subfolder), a `visual.conf` with newsnote's label colours, and a
//! `tools.conf` declaring the two normalisation databases (`newsnote`, `Wikidata`) so brat
//! shows the references and links Wikidata ids to their pages.
//!
//! # Decisions
//!
//! * **Offsets** are Unicode code points, brat's unit (Python string indices), so they are
//!   newsnote's own offsets unchanged. The `.txt` is the article text after newsnote's reading
//!   (BOM removed, CRLF → LF), the text the offsets were made against.
//! * **Line breaks.** A `.ann` line cannot hold a line break, so brat itself stores a span
//!   that crosses one as a discontinuous annotation. [`fragments`] follows brat's rule for
//!   new spans (`annotator.py`): cut at line breaks and tabs, trim whitespace off each piece,
//!   drop empty pieces, and write the pieces' texts joined by one space (brat's
//!   `DISCONT_SEP`). brat reads `.ann` files line by line the way Python's `splitlines`
//!   does, so every character that ends a line there (`\r`, `\x0b`, `\x0c`, `\x1c`–`\x1e`,
//!   `\x85`, U+2028, U+2029) is cut at as well as `\n`; for text with only `\n` and `\t`
//!   the result is exactly brat's. A span made of nothing but whitespace is written as a
//!   zero-width span at its start (brat would write a line it cannot read back).
//! * **Kind as an attribute**, not nine entity types, so brat users see one Boilerplate type
//!   and pick the kind from a menu, and the Kind line survives edits of the span in brat.
//! * **Numbering** follows the export order (start, end, id): `T1` is the first span, and
//!   each span's `A`/`#` lines follow it; then each event after its trigger span, numbered on
//!   from the last span; relations come last. Re-exporting an unchanged
//!   corpus gives an identical folder.
//! * **Overlaps.** newsnote lets any spans overlap and nest, so `annotation.conf` allows every
//!   overlap (`<OVL-TYPE>:<ANY>`) between all three types; brat's default forbids crossing.
//!
//! # Limits
//!
//! * Line breaks and tabs in notes become spaces, and brat trims a note's ends.
//! * A span's leading and trailing whitespace is trimmed (brat's rule), so such a span comes
//!   back from brat shorter.
//! * A claim's link is written only when its source is exported too (`--label` may filter
//!   the source out; brat cannot point at a span that is not in the file).
//! * An editor's review is an `AnnotatorNotes` line, so brat shows it with the span; an import
//!   reads it back into the annotation's note, not as a review.
//! * Author and timestamps have no place in brat's format and are not written; the importer
//!   stamps its own. Status and origin are a `Review` comment, which brat shows with the span
//!   and keeps through its edits (brat takes any comment type; `AnnotatorNotes` would mix
//!   them into the note). Rejected suggestions are never written.
//! * Articles `foo.txt` and `foo.md` in one folder would both become `foo`: the second keeps
//!   its extension (`foo.md.txt`, `foo.md.ann`).

use super::ExportArticle;
use super::stream::{self, FolderSink};

/// An editor's review on one line: `review: approved by NAME, TIME`, then each comment.
fn editor_review(a: &crate::model::annotation::Annotation) -> String {
    let state = match a.verdict() {
        Some(r) => format!("{} by {}, {}", crate::model::review::state(a), r.by, r.at),
        None => "unreviewed".into(),
    };
    let comments: Vec<String> =
        super::report::review_comments(a).into_iter().map(|(c, by, at, _)| format!("“{c}” — {by}, {at}")).collect();
    if comments.is_empty() { format!("review: {state}") } else { format!("review: {state}; {}", comments.join("; ")) }
}
use crate::brat::conf::conf_name;
use crate::brat::names::{
    ATTRIBUTION_EVENT, CONTENT_ROLE, NOTES, REFERENCE, REGISTRY_DB, WIKIDATA_DB, is_line_break, is_space,
};
use crate::model::annotation::{AnnotationId, AttrValue};
use crate::model::codebook::{AttrKind, Codebook};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The comment type of the line that says where a span stands in review.
pub const REVIEW: &str = "Review";

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> Vec<(PathBuf, Vec<u8>)> {
    stream::folder_of(&Folder::new(cb), articles)
}

/// The folder: the two configuration files, then each article's `.txt` and `.ann`.
pub struct Folder<'a>(&'a Codebook);

impl<'a> Folder<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

impl FolderSink for Folder<'_> {
    fn fixed(&self) -> Vec<(PathBuf, Vec<u8>)> {
        vec![
            (PathBuf::from("annotation.conf"), annotation_conf(self.0).into_bytes()),
            (PathBuf::from("visual.conf"), visual_conf(self.0).into_bytes()),
            (PathBuf::from("tools.conf"), TOOLS_CONF.as_bytes().to_vec()),
        ]
    }

    fn paths(&self, ids: &[&str]) -> Vec<Vec<PathBuf>> {
        let mut taken = HashSet::new();
        let mut out = Vec::new();
        for &id in ids {
            // A container's record has no extension to drop: its path is made for it.
            let record = crate::model::corpus::record_export_path(id);
            let stem = record.as_deref().unwrap_or_else(|| {
                id.rsplit_once('.').filter(|(s, _)| !s.is_empty() && !s.ends_with('/')).map_or(id, |p| p.0)
            });
            let base = if taken.insert(stem.to_owned()) { stem.to_owned() } else { id.to_owned() };
            taken.insert(id.to_owned());
            out.push(vec![
                PathBuf::from(format!("{base}.txt")),
                PathBuf::from(format!("{base}.ann")),
                PathBuf::from(format!("{base}{META_SUFFIX}")),
            ]);
        }
        out
    }

    fn contents(&self, a: &ExportArticle) -> Vec<Vec<u8>> {
        let mut files = vec![a.text.clone().into_bytes(), ann(a, self.0).into_bytes()];
        // The metadata sidecar only for an article that has metadata: its path is the last,
        // and a path without contents is not written.
        files.extend(meta_json(a));
        files
    }
}

/// The name ending of an article's metadata sidecar, beside its `.txt` and `.ann`.
pub const META_SUFFIX: &str = ".meta.json";

/// An article's metadata sidecar, `None` for plain text: `{ "article_id", "title", "meta" }`,
/// `meta` as in the `json` export. brat's standoff has no place for facts about a document
/// (a `#` note belongs to an annotation id, and a line brat cannot parse is an error), and
/// brat lists only `.txt` files as documents and reads only `<name>.ann` beside them, so a
/// file of another name is carried along untouched by brat and by tools that read brat
/// folders.
pub fn meta_json(a: &ExportArticle) -> Option<Vec<u8>> {
    if a.meta.is_empty() {
        return None;
    }
    let doc = serde_json::json!({ "article_id": a.id, "title": a.title, "meta": a.meta });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("metadata serialises");
    bytes.push(b'\n');
    Some(bytes)
}

/// An event role for relation `id`: its storage form, capitalised (`source` → `Source`).
fn role_of(id: &str) -> String {
    let name = conf_name(id);
    let mut c = name.chars();
    c.next().map_or(name.clone(), |f| f.to_uppercase().chain(c).collect())
}

/// brat's tools configuration: the normalisation databases the `N` lines name. brat needs
/// `<URL>` (the database's page) and `<URLBASE>` (an entry's, `%s` its id); the registry has
/// no web page, so its entries link to their URNs.
pub const TOOLS_CONF: &str = "# brat tools configuration for a newsnote export: the entity references (N lines)
[normalization]
newsnote\t<URL>:urn:newsnote:entities, <URLBASE>:urn:newsnote:entity:%s
Wikidata\t<URL>:https://www.wikidata.org/, <URLBASE>:https://www.wikidata.org/wiki/%s
";

/// The `.ann` file of one article.
pub fn ann(a: &ExportArticle, cb: &Codebook) -> String {
    let mut out = String::new();
    let mut t_of = HashMap::new();
    // Each span's brat offsets and text, for the event triggers that repeat a cue's.
    let mut written: Vec<(String, String)> = Vec::new();
    let (mut n_attr, mut n_note, mut n_norm) = (0, 0, 0);
    for (i, x) in a.annotations.iter().enumerate() {
        let t = i + 1;
        t_of.insert(&x.id, t);
        let (mut offsets, mut texts) = (Vec::new(), Vec::new());
        for (range, quote) in x.pieces() {
            for (s, e) in fragments(quote, range.start) {
                offsets.push(format!("{s} {e}"));
                texts.push(slice(quote, s - range.start, e - range.start));
            }
        }
        let (offsets, texts) = (offsets.join(";"), texts.join(" "));
        let _ = writeln!(out, "T{t}\t{} {offsets}\t{texts}", x.label);
        written.push((offsets, texts));
        for (id, value) in &x.attributes {
            // brat attributes are flags or one value of a set; free values have no place.
            let values = match value {
                AttrValue::One(v) => vec![v.clone()],
                AttrValue::Many(vs) => vs.clone(),
                AttrValue::YesNo(true) => vec![String::new()],
                _ => continue,
            };
            for v in values {
                n_attr += 1;
                let _ = writeln!(out, "A{n_attr}\t{id} T{t}{}{v}", if v.is_empty() { "" } else { " " });
            }
        }
        if let Some(note) = x.note.as_deref().map(one_line).filter(|n| !n.trim().is_empty()) {
            n_note += 1;
            let _ = writeln!(out, "#{n_note}\t{NOTES} T{t}\t{note}");
        }
        if let Some(review) = super::Review::of(x).describe() {
            n_note += 1;
            let _ = writeln!(out, "#{n_note}\t{REVIEW} T{t}\t{review}");
        }
        // An editor's review is a note to whoever reads the span in brat: shown with it, and
        // read back by an import as part of the note (never as the coding's status).
        if !x.reviews.is_empty() {
            n_note += 1;
            let _ = writeln!(out, "#{n_note}\t{NOTES} T{t}\t{}", one_line(&editor_review(x)));
        }
        if let Some(e) = a.entity(x) {
            // The id alone when the registry lacks the entity: brat shows it, and an import
            // links the mention back to the same id.
            let name = one_line(e.label());
            n_norm += 1;
            let _ = writeln!(out, "N{n_norm}\t{REFERENCE} T{t} {REGISTRY_DB}:{}\t{name}", e.id);
            if let Some(q) = &e.wikidata {
                n_norm += 1;
                let _ = writeln!(out, "N{n_norm}\t{REFERENCE} T{t} {WIKIDATA_DB}:{q}\t{name}");
            }
        }
    }
    // Attributions as brat's attribution corpora write them: an event on a trigger over the
    // (first) cue's offsets, or the content's when there is no cue, with the content, every
    // cue and every source as arguments. Those links are not written again as relations.
    let attribution: Vec<&str> =
        [cb.cue_relation(), cb.source_relation()].into_iter().flatten().map(|r| r.id.as_str()).collect();
    let mut in_event: HashSet<(&AnnotationId, &str)> = HashSet::new();
    let (mut n_t, mut n_event) = (a.annotations.len(), 0);
    for x in a.annotations.iter().filter(|x| cb.is_content(&x.label)) {
        let args: Vec<(&str, usize)> = attribution
            .iter()
            .flat_map(|rel| x.linked(rel).iter().filter_map(|id| t_of.get(id)).map(move |&t| (*rel, t)))
            .collect();
        if args.is_empty() {
            continue;
        }
        let cue = cb.cue_relation().map(|r| r.id.as_str());
        let anchor = args.iter().find(|(rel, _)| Some(*rel) == cue).map_or(t_of[&x.id], |&(_, t)| t);
        let (offsets, text) = &written[anchor - 1];
        n_t += 1;
        n_event += 1;
        let _ = writeln!(out, "T{n_t}\t{ATTRIBUTION_EVENT} {offsets}\t{text}");
        let _ = write!(out, "E{n_event}\t{ATTRIBUTION_EVENT}:T{n_t} {CONTENT_ROLE}:T{}", t_of[&x.id]);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (rel, t) in args {
            let n = seen.entry(rel).and_modify(|n| *n += 1).or_insert(1);
            let number = if *n == 1 { String::new() } else { n.to_string() };
            let _ = write!(out, " {}{number}:T{t}", role_of(rel));
            in_event.insert((&x.id, rel));
        }
        out.push('\n');
    }
    let mut n_rel = 0;
    for x in &a.annotations {
        for (rel, targets) in &x.links {
            if cb.relation(rel).is_none() || in_event.contains(&(&x.id, rel.as_str())) {
                continue;
            }
            for target in targets.iter().filter_map(|id| t_of.get(id)) {
                n_rel += 1;
                let _ = writeln!(out, "R{n_rel}\t{rel} Arg1:T{} Arg2:T{target}", t_of[&x.id]);
            }
        }
    }
    out
}

/// brat's fragments for a span whose text is `quote`, starting at code point `start`:
/// pieces between line breaks and tabs, each trimmed of whitespace, empty ones dropped.
pub fn fragments(quote: &str, start: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<char> = quote.chars().collect();
    let mut seg_start = 0;
    for i in 0..=chars.len() {
        if i < chars.len() && !(chars[i] == '\t' || is_line_break(chars[i])) {
            continue;
        }
        let seg = &chars[seg_start..i];
        let lead = seg.iter().take_while(|&&c| is_space(c)).count();
        let trail = seg[lead..].iter().rev().take_while(|&&c| is_space(c)).count();
        if lead + trail < seg.len() {
            out.push((start + seg_start + lead, start + i - trail));
        }
        seg_start = i + 1;
    }
    if out.is_empty() {
        let blank_line = chars.iter().all(|&c| c != '\t' && !is_line_break(c));
        out.push((start, if blank_line { start + chars.len() } else { start }));
    }
    out
}

/// `s[from..to]` in code points.
fn slice(s: &str, from: usize, to: usize) -> &str {
    let byte = |n: usize| s.char_indices().nth(n).map_or(s.len(), |(b, _)| b);
    &s[byte(from)..byte(to)]
}

/// A note on one line: each line break (CRLF counts as one) and tab becomes a space.
fn one_line(note: &str) -> String {
    note.replace("\r\n", "\n").chars().map(|c| if c == '\t' || is_line_break(c) { ' ' } else { c }).collect()
}

/// brat's configuration for the codebook: its labels as entities, relations, and the
/// attributes brat can hold (flags and sets).
pub fn annotation_conf(cb: &Codebook) -> String {
    let ids: Vec<&str> = cb.labels.iter().map(|l| l.id.as_str()).collect();
    let types = ids.join("|");
    let mut out =
        format!("# brat configuration for a newsnote export with codebook {:?} {}\n[entities]\n", cb.name, cb.version);
    for id in &ids {
        let _ = writeln!(out, "{id}");
    }
    out.push_str("\n[relations]\n");
    for r in &cb.relations {
        let _ = writeln!(out, "{}\tArg1:{}, Arg2:{}", r.id, r.from.join("|"), r.to.join("|"));
    }
    // The trigger spans are of the event's type and lie over cues: they overlap too.
    let types = if cb.attribution.is_some() { format!("{types}|{ATTRIBUTION_EVENT}") } else { types };
    out.push_str("# newsnote lets spans overlap and nest freely (a source inside a quoted claim).\n");
    let _ = writeln!(out, "<OVERLAP>\tArg1:{types}, Arg2:{types}, <OVL-TYPE>:<ANY>");
    out.push_str("\n[events]\n");
    if let Some(at) = &cb.attribution {
        let mut roles = vec![format!("{CONTENT_ROLE}:{}", at.content)];
        for r in [cb.source_relation(), cb.cue_relation()].into_iter().flatten() {
            let mark = if r.many { "*" } else { "?" };
            roles.push(format!("{}{mark}:{}", role_of(&r.id), r.to.join("|")));
        }
        let _ = writeln!(out, "{ATTRIBUTION_EVENT}\t{}", roles.join(", "));
    }
    out.push_str("\n[attributes]\n");
    for a in &cb.attributes {
        let on = a.labels.join("|");
        match &a.kind {
            AttrKind::One(v) | AttrKind::Many(v) => {
                let values: Vec<&str> = v.iter().map(|v| v.id.as_str()).collect();
                let _ = writeln!(out, "{}\tArg:{on}, Value:{}", a.id, values.join("|"));
            }
            AttrKind::YesNo => {
                let _ = writeln!(out, "{}\tArg:{on}", a.id);
            }
            _ => {}
        }
    }
    out
}

/// Colours after the codebook's looks.
fn visual_conf(cb: &Codebook) -> String {
    let mut out = String::from("[labels]\n");
    for l in &cb.labels {
        let _ = writeln!(out, "{} | {}", l.id, l.name);
    }
    for r in &cb.relations {
        let _ = writeln!(out, "{} | {}", r.id, r.name);
    }
    out.push_str("\n[drawing]\nSPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n");
    out.push_str("ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\nATTRIBUTE_DEFAULT\tglyph:*\n");
    for (l, look) in cb.legend() {
        let _ = writeln!(out, "{}\tbgColor:{}", l.id, look.base.hue.css());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, samples};
    use crate::model::annotation::LabelId;
    use crate::model::annotation::{Annotation, AnnotationId};
    use crate::model::units::{ByteRange, CharRange};
    use std::path::Path;

    fn ann_at(text: &str, label: LabelId, quote: &str) -> Annotation {
        let b = text.find(quote).unwrap();
        let s = text[..b].chars().count();
        let span = CharRange::new(s, s + quote.chars().count());
        Annotation::new_manual(label, text, ByteRange::new(b, b + quote.len()), span, "t", "now")
    }

    #[test]
    fn offsets_count_code_points_past_emoji_and_cjk() {
        let text = "👍🏽 北京 said: 中文 rocks";
        let src = ann_at(text, LabelId::new("Source"), "北京");
        let claim = ann_at(text, LabelId::new("Claim"), "中文 rocks");
        let art = ExportArticle::new("a.txt".into(), "t".into(), text.into(), vec![src, claim]);
        let out = ann(&art, cb());
        assert!(out.contains("T1\tSource 3 5\t北京\n"), "{out}");
        assert!(out.contains("T2\tClaim 12 20\t中文 rocks\n"), "{out}");
    }

    #[test]
    fn spans_over_line_breaks_become_trimmed_fragments_joined_by_a_space() {
        let text = "Give now!\n\n  Please\tdonate. \nThanks";
        assert_eq!(fragments(text, 100), vec![(100, 109), (113, 119), (120, 127), (129, 135)]);
        let bp = ann_at(text, LabelId::new("Boilerplate"), text).with_value("kind", "DonationAppeal");
        let out = ann(
            &ExportArticle::new("d.txt".into(), "t".into(), text.into(), vec![bp]),
            crate::model::codebook::Codebook::default_scheme(),
        );
        assert_eq!(
            out,
            "T1\tBoilerplate 0 9;13 19;20 27;29 35\tGive now! Please donate. Thanks\n\
             A1\tkind T1 DonationAppeal\n"
        );
    }

    #[test]
    fn whitespace_only_spans_stay_on_one_line() {
        assert_eq!(fragments("  ", 4), vec![(4, 6)]);
        assert_eq!(fragments(" \n ", 4), vec![(4, 4)]);
        assert_eq!(fragments("a\u{2028}b\rc", 0), vec![(0, 1), (2, 3), (4, 5)]);
    }

    #[test]
    fn attributions_become_events_with_their_cues_and_every_source_and_notes_lose_their_line_breaks() {
        let text = "Песков и Zoë said: “no deal”, and — “never”.";
        let src = ann_at(text, LabelId::new("Source"), "Песков");
        let zoe = ann_at(text, LabelId::new("Source"), "Zoë");
        let cue = ann_at(text, LabelId::new("Cue"), "said");
        let mut claim = ann_at(text, LabelId::new("Claim"), "“no deal”");
        let never = ann_at(text, LabelId::new("Claim"), "“never”");
        claim.fragments.push(crate::model::annotation::Fragment {
            start: never.start,
            end: never.end,
            quote: never.quote.clone(),
            prefix: never.prefix.clone(),
            suffix: never.suffix.clone(),
        });
        claim.links.insert("source".into(), vec![src.id.clone(), zoe.id.clone()]);
        claim.links.insert("cue".into(), vec![cue.id.clone()]);
        claim.note = Some("direct\r\nquote\there".into());
        let mut orphan = ann_at(text, LabelId::new("Claim"), "deal");
        orphan.links.insert("source".into(), vec![AnnotationId("missing".into())]);
        let out = ann(
            &ExportArticle::new("p.txt".into(), "t".into(), text.into(), vec![src, zoe, cue, claim, orphan]),
            crate::model::codebook::Codebook::default_scheme(),
        );
        assert!(out.contains("T4\tClaim 19 28;36 43\t“no deal” “never”\n"), "one span, two fragments: {out}");
        assert!(out.contains("#1\tAnnotatorNotes T4\tdirect quote here\n"), "{out}");
        assert!(
            out.ends_with("T6\tAttribution 13 17\tsaid\nE1\tAttribution:T6 Content:T4 Cue:T3 Source:T1 Source2:T2\n"),
            "the trigger repeats the cue's offsets: {out}"
        );
        assert!(!out.contains("\nR"), "links in an event, or to nothing, are no relations: {out}");
    }

    #[test]
    fn a_page_gets_a_metadata_sidecar_beside_its_pair_and_plain_text_none() {
        let files = render(&[crate::export::tests::rich_page(), crate::export::tests::rich()], cb());
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(names.contains(&"up/мир.meta.json".to_owned()), "{names:?}");
        assert!(!names.iter().any(|n| n.starts_with("рус/") && n.ends_with(META_SUFFIX)), "{names:?}");
        let side = &files.iter().find(|(p, _)| p.ends_with("мир.meta.json")).unwrap().1;
        let v: serde_json::Value = serde_json::from_slice(side).unwrap();
        assert_eq!((v["article_id"].as_str(), v["title"].as_str()), (Some("up/мир.html"), Some("Песков")));
        assert_eq!(v["meta"]["outlet"], "Українська правда");
        assert_eq!(v["meta"]["authors"], serde_json::json!(["Олена Ковальчук", "李明"]));
        assert_eq!(v["meta"]["published"], "2026-11-30T08:15:00+02:00");
    }

    #[test]
    fn a_mentions_entity_is_a_reference_line_with_its_wikidata_id_when_known() {
        let art = crate::export::tests::rich_linked();
        let out = ann(&art, cb());
        let peskov = art.entity(art.get(&AnnotationId("s1".into())).unwrap()).unwrap();
        let t = |quote: &str| {
            let line = out.lines().find(|l| l.starts_with('T') && l.ends_with(&format!("\t{quote}"))).unwrap();
            line.split('\t').next().unwrap().to_owned()
        };
        let (s1, s2) = (t("Песков"), t("Кремль"));
        assert!(out.contains(&format!("\tReference {s1} newsnote:{}\tДмитрий Песков\n", peskov.id)), "{out}");
        assert!(out.contains(&format!("\tReference {s1} Wikidata:Q4526468\tДмитрий Песков\n")), "{out}");
        assert!(
            out.contains(&format!("\tReference {s2} newsnote:kreml\tkreml\n")),
            "an unknown entity keeps its id: {out}"
        );
        assert_eq!(out.matches("\tReference ").count(), 3, "{out}");
    }

    #[test]
    fn reference_lines_come_back_as_the_same_entities_and_links_in_an_empty_registry() {
        let art = crate::export::tests::rich_linked();
        let out = ann(&art, cb());
        let map = crate::import::LabelMap::new(cb());
        let read = || {
            crate::import::brat::document(
                Path::new("a.ann"),
                "a".into(),
                &out,
                art.text.clone(),
                &map,
                cb(),
                "t",
                "now",
            )
            .unwrap()
        };
        let doc = read();
        // (rich() has attributes the default codebook lacks; those warnings are not about entities.)
        assert!(doc.warnings.iter().all(|w| w.contains("no attribute \"topics\"")), "{:?}", doc.warnings);
        let mut docs = vec![doc];
        let mut registry = crate::model::entities::Registry::empty(Path::new("/nonexistent/sources.ron"));
        let linked = crate::import::link_entities(&mut docs, &mut registry, "t").unwrap();
        assert_eq!(linked.mentions, 2);
        let of = |quote: &str| {
            let a = docs[0].annotations.iter().find(|a| a.quote == quote).unwrap();
            registry.get(a.entity.as_ref().unwrap()).unwrap().clone()
        };
        let (peskov, kreml) = (of("Песков"), of("Кремль"));
        let want = art.entity(art.get(&AnnotationId("s1".into())).unwrap()).unwrap();
        assert_eq!(
            (&peskov.id, peskov.name.as_str(), peskov.wikidata.as_deref()),
            (&want.id, "Дмитрий Песков", Some("Q4526468"))
        );
        assert_eq!(kreml.id.as_str(), "kreml");
        assert_eq!(registry.all().len(), 2);
        // A second import finds them again instead of adding more.
        let again = crate::import::link_entities(&mut [read()], &mut registry, "t").unwrap();
        assert_eq!((again.mentions, again.created.len(), registry.all().len()), (2, 0, 2));
    }

    #[test]
    fn a_reference_by_name_alone_finds_the_entity_of_that_name() {
        let text = "Заявил Песков.";
        let mut src = ann_at(text, LabelId::new("Source"), "Песков");
        src.id = AnnotationId("s".into());
        let out = ann(&ExportArticle::new("a".into(), "t".into(), text.into(), vec![src]), cb());
        let out = format!("{out}N1\tReference T1 Wikipedia:12345\tx\nN2\tReference T1 Wikidata:Q1\tПесков\n");
        let map = crate::import::LabelMap::new(cb());
        let doc =
            crate::import::brat::document(Path::new("a.ann"), "a".into(), &out, text.into(), &map, cb(), "t", "now")
                .unwrap();
        assert!(
            doc.warnings.iter().any(|w| w.contains("Wikipedia")),
            "another database is reported: {:?}",
            doc.warnings
        );
        let mut registry = crate::export::tests::registry();
        let mut docs = vec![doc];
        let linked = crate::import::link_entities(&mut docs, &mut registry, "t").unwrap();
        assert!(linked.created.is_empty());
        let id = docs[0].annotations[0].entity.clone().unwrap();
        assert_eq!(registry.get(&id).unwrap().name, "Дмитрий Песков");
    }

    #[test]
    fn multi_line_spans_come_back_whole_from_the_importer() {
        let text = "Support us!\n\n\tDonate today.\nPeskov said: \"No\nway.\"\nEnd";
        let mut bp = ann_at(text, LabelId::new("Boilerplate"), "Support us!\n\n\tDonate today.")
            .with_value("kind", "DonationAppeal");
        bp.note = Some("two\nlines".into());
        let src = ann_at(text, LabelId::new("Source"), "Peskov");
        let mut claim = ann_at(text, LabelId::new("Claim"), "No\nway.");
        claim.links.insert("source".into(), vec![src.id.clone()]);
        let original = vec![bp, src, claim];
        let out = ann(
            &ExportArticle::new("a".into(), "t".into(), text.into(), original.clone()),
            crate::model::codebook::Codebook::default_scheme(),
        );
        assert!(out.starts_with("T1\tBoilerplate 0 11;14 27\tSupport us! Donate today.\n"), "{out}");
        assert!(out.contains("T3\tClaim 42 44;45 49\tNo way.\n"), "{out}");
        let map = crate::import::LabelMap::new(cb());
        let back = crate::import::brat::document(
            Path::new("a.ann"),
            "a".into(),
            &out,
            text.into(),
            &map,
            crate::model::codebook::Codebook::default_scheme(),
            "n",
            "t",
        );
        let back = back.unwrap();
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        let key = |a: &Annotation| (a.label.clone(), a.start, a.end, a.quote.clone());
        assert_eq!(back.annotations.iter().map(key).collect::<Vec<_>>(), original.iter().map(key).collect::<Vec<_>>());
        assert_eq!(back.annotations[0].note.as_deref(), Some("two lines"));
        assert_eq!(back.annotations[2].linked("source"), [back.annotations[1].id.clone()]);
    }

    #[test]
    fn folder_has_config_and_one_txt_and_ann_per_article_named_by_stem() {
        let files = render(&samples(), cb());
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "annotation.conf",
                "visual.conf",
                "tools.conf",
                "000_e37f52fc02921a26.txt",
                "000_e37f52fc02921a26.ann",
                "002_915808095f53d4db.txt",
                "002_915808095f53d4db.ann"
            ]
        );
        let conf = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(conf.contains("source\tArg1:Claim, Arg2:Source\n"), "{conf}");
        assert!(conf.contains("kind\tArg:Boilerplate, Value:DuplicateHeadline|DonationAppeal|"), "{conf}");
    }

    #[test]
    fn same_stem_in_one_folder_keeps_the_extension() {
        let a = |id: &str| ExportArticle::new(id.into(), "t".into(), "x".into(), vec![]);
        let files =
            render(&[a("x/foo.md"), a("x/foo.txt"), a("README")], crate::model::codebook::Codebook::default_scheme());
        let names: Vec<String> = files.iter().skip(3).map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(names, ["x/foo.txt", "x/foo.ann", "x/foo.txt.txt", "x/foo.txt.ann", "README.txt", "README.ann"]);
    }
}
