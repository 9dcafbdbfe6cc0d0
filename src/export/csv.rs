//! `csv`: one annotation per row, for spreadsheets and R/pandas.
//!
//! RFC 4180 (CRLF, quotes doubled). Cells that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`, the OWASP defence against CSV
//! injection: article text is untrusted and a quote like `=HYPERLINK(…)` must stay text.
//!
//! The fixed columns come first ([`HEADER`]), then one column per attribute of the codebook,
//! named by its id (`attr_<id>` when the id is a fixed column's name, as the default
//! codebook's `kind` is): a value id, several-of values joined with `; `, free values as
//! written. `start`/`end`/`quote` are an annotation's first piece; `fragments` the further
//! pieces of a discontinuous one as `start-end;start-end`. `source_*` and `cue_*` follow the
//! codebook's source and cue relations, and `links` every relation as
//! `relation=id id; relation=id`. CSV has no header comments, so the codebook and the text the
//! offsets count are columns repeated on every row.
//!
//! The article's metadata ([`META_HEADER`]: outlet, published date, authors joined with `; `,
//! canonical URL, language, section) comes last, repeated on each of its rows like the title.
//! The columns are always there, empty for a plain text article, so a script reads one header
//! whatever the corpus holds; appended after every other column, so the positions of the
//! older columns do not move.
//!
//! Where each annotation stands in review ([`REVIEW_HEADER`]) comes after the metadata:
//! `status` (`accepted`, or `proposed` for a suggestion waiting for a person), `origin`
//! (`manual`, `imported`, or the detector, as `quotes-1`) and the detector's `confidence`
//! (0–100, empty for what no detector made).
//!
//! The editor's review ([`VERDICT_HEADER`]) comes last: `verdict` (`approved`, `disputed`, or
//! empty while there is none; a comment alone is no verdict), the `reviewer` and `reviewed_at`
//! (RFC 3339 UTC) of that verdict, and `review_comments`, every comment of the review oldest
//! first, one per line, each `comment — reviewer, time`.

use super::stream::{self, DocSink, Part};
use super::{ExportArticle, OFFSET_UNIT, TEXT_NORMALISATION, label_parts};
use crate::model::annotation::{Annotation, AttrValue};
use crate::model::codebook::Codebook;
use std::io::{self, Write};

/// The fixed columns, before the codebook's attributes.
pub const HEADER: [&str; 23] = [
    "article_id",
    "article_title",
    "annotation_id",
    "label",
    "kind",
    "start",
    "end",
    "quote",
    "source_id",
    "source_quote",
    "note",
    "author",
    "created",
    "modified",
    "offset_unit",
    "fragments",
    "cue_ids",
    "cue_quotes",
    "links",
    "text_normalisation",
    "codebook_name",
    "codebook_version",
    "codebook_hash",
];

/// The entity columns, after the codebook's attributes: a mention's entity (resolved through
/// merges), or for attributed content its sources' entities (`; ` between several); then one
/// `entity_<id>` column per entity attribute of the codebook, with the value's name.
pub const ENTITY_HEADER: [&str; 3] = ["entity_id", "entity_name", "entity_wikidata"];

/// The article's metadata, the last columns: empty for plain text.
pub const META_HEADER: [&str; 6] =
    ["article_outlet", "article_published", "article_authors", "article_url", "article_language", "article_section"];

/// Where an annotation stands in review, the very last columns.
pub const REVIEW_HEADER: [&str; 3] = ["status", "origin", "confidence"];

/// The editor's review columns, after [`REVIEW_HEADER`].
pub const VERDICT_HEADER: [&str; 4] = ["verdict", "reviewer", "reviewed_at", "review_comments"];

/// The header: the fixed columns, then each attribute of the codebook by id, the entity
/// columns, the article's metadata and the review columns.
pub fn header(cb: &Codebook) -> Vec<String> {
    let mut h: Vec<String> = HEADER.iter().map(|c| c.to_string()).collect();
    for d in &cb.attributes {
        let taken =
            [&HEADER[..], &META_HEADER, &REVIEW_HEADER, &VERDICT_HEADER].iter().any(|h| h.contains(&d.id.as_str()));
        h.push(if taken { format!("attr_{}", d.id) } else { d.id.clone() });
    }
    h.extend(ENTITY_HEADER.iter().map(|c| c.to_string()));
    h.extend(cb.entity_attributes().iter().map(|d| format!("entity_{}", d.id)));
    h.extend(META_HEADER.iter().map(|c| c.to_string()));
    h.extend(REVIEW_HEADER.iter().map(|c| c.to_string()));
    h.extend(VERDICT_HEADER.iter().map(|c| c.to_string()));
    h
}

/// The metadata cells of an article's rows, in [`META_HEADER`]'s order.
fn meta_cells(art: &ExportArticle) -> [String; 6] {
    let m = &art.meta;
    let cell = |v: &Option<String>| v.clone().unwrap_or_default();
    [cell(&m.outlet), cell(&m.published), m.authors.join("; "), cell(&m.url), cell(&m.language), cell(&m.section)]
}

/// An attribute value as one cell: several values joined with `; `.
pub fn value_cell(v: &AttrValue) -> String {
    match v {
        AttrValue::Many(vs) => vs.join("; "),
        other => other.to_string(),
    }
}

/// Makes a cell safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

/// The rows of one article, without the header (see [`render`]).
pub fn rows(art: &ExportArticle, cb: &Codebook) -> Vec<Vec<String>> {
    let r = cb.reference();
    let meta = meta_cells(art);
    art.annotations
        .iter()
        .map(|a| {
            let (label, kind) = label_parts(cb, a);
            // Several sources or cues: every id and quote, `; ` between them.
            let all = |xs: &[&Annotation], f: &dyn Fn(&Annotation) -> String| {
                xs.iter().map(|s| f(s)).collect::<Vec<_>>().join("; ")
            };
            let (sources, cues) = (art.sources_of(cb, a), art.cues_of(cb, a));
            let fragments = a.fragments.iter().map(|f| format!("{}-{}", f.start, f.end)).collect::<Vec<_>>();
            let links = a
                .links
                .iter()
                .map(|(rel, ids)| format!("{rel}={}", ids.iter().map(|i| i.0.as_str()).collect::<Vec<_>>().join(" ")))
                .collect::<Vec<_>>();
            let mut row = vec![
                art.id.clone(),
                art.title.clone(),
                a.id.0.clone(),
                label,
                kind.unwrap_or_default(),
                a.start.to_string(),
                a.end.to_string(),
                a.quote.clone(),
                all(&sources, &|s| s.id.0.clone()),
                all(&sources, &|s| s.quote.clone()),
                a.note.clone().unwrap_or_default(),
                a.author.clone(),
                a.created.clone(),
                a.modified.clone(),
                OFFSET_UNIT.into(),
                fragments.join(";"),
                all(&cues, &|s| s.id.0.clone()),
                all(&cues, &|s| s.quote.clone()),
                links.join("; "),
                TEXT_NORMALISATION.into(),
                r.name.clone(),
                r.version.clone(),
                r.hash.clone(),
            ];
            row.extend(cb.attributes.iter().map(|d| a.attributes.get(&d.id).map(value_cell).unwrap_or_default()));
            let ents = match art.entity(a) {
                Some(e) => vec![e],
                None => art.source_entities(cb, a),
            };
            let join = |f: &dyn Fn(&super::entities::ExportEntity) -> String| {
                ents.iter().map(|e| f(e)).collect::<Vec<_>>().join("; ")
            };
            row.push(join(&|e| e.id.to_string()));
            row.push(join(&|e| e.name.clone().unwrap_or_default()));
            row.push(join(&|e| e.wikidata.clone().unwrap_or_default()));
            for d in cb.entity_attributes() {
                row.push(join(&|e| e.value(&d.id).map(|v| v.name.clone()).unwrap_or_default()));
            }
            row.extend(meta.iter().cloned());
            let review = super::Review::of(a);
            row.extend([
                review.status.to_owned(),
                review.origin,
                review.confidence.map(|c| c.to_string()).unwrap_or_default(),
            ]);
            let verdict = a.verdict();
            let comments: Vec<String> = crate::export::report::review_comments(a)
                .into_iter()
                .map(|(c, by, at, _)| format!("{c} — {by}, {at}"))
                .collect();
            row.extend([
                verdict.map_or(String::new(), |_| crate::model::review::state(a).to_owned()),
                verdict.map_or(String::new(), |r| r.by.clone()),
                verdict.map_or(String::new(), |r| r.at.clone()),
                comments.join("\n"),
            ]);
            row.iter().map(|c| neutralise(c)).collect()
        })
        .collect()
}

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Rows::new(cb), articles)
}

/// The header, then each article's rows.
pub struct Rows<'a>(&'a Codebook);

impl<'a> Rows<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

/// A CSV writer into memory with the export's dialect; a document is the concatenation of
/// what several of them write, since a record is written alone.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

impl DocSink for Rows<'_> {
    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut out = writer();
        out.write_record(header(self.0)).expect("writing to memory");
        w.write_all(&out.into_inner().expect("flushing to memory"))
    }

    fn render(&self, _at: usize, art: &ExportArticle) -> Part {
        let mut w = writer();
        for row in rows(art, self.0) {
            w.write_record(row).expect("writing to memory");
        }
        Part::new(w.into_inner().expect("flushing to memory"), art.annotations.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, rich, rich_codebook, samples};

    #[test]
    fn formula_starts_are_neutralised_and_others_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("- mental"), "'- mental");
        assert_eq!(neutralise("@SUM"), "'@SUM");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Peskov"), "Peskov");
    }

    #[test]
    fn attributes_fragments_cues_and_the_codebook_are_columns() {
        let (art, cb) = (rich(), rich_codebook());
        let out = render(std::slice::from_ref(&art), &cb);
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(&head[HEADER.len()..HEADER.len() + 4], ["topics", "evidence", "attr_kind", "quote_type"]);
        let rows: Vec<std::collections::HashMap<String, String>> =
            r.records().map(|x| head.iter().cloned().zip(x.unwrap().iter().map(str::to_owned)).collect()).collect();
        let claim = rows.iter().find(|x| x["annotation_id"] == "c1").unwrap();
        assert_eq!((claim["start"].as_str(), claim["end"].as_str(), claim["fragments"].as_str()), ("0", "16", "37-49"));
        assert_eq!((claim["topics"].as_str(), claim["evidence"].as_str()), ("war; peace", "ТАСС, 3 марта"));
        assert_eq!(claim["quote_type"], "direct");
        assert_eq!((claim["source_id"].as_str(), claim["source_quote"].as_str()), ("s1; s2", "Песков; Кремль"));
        assert_eq!((claim["cue_ids"].as_str(), claim["cue_quotes"].as_str()), ("q1", "сказал"));
        assert_eq!(claim["links"], "cue=q1; source=s1 s2");
        assert_eq!(
            (claim["codebook_name"].as_str(), claim["codebook_hash"].as_str()),
            ("newsnote default", cb.reference().hash.as_str())
        );
        assert_eq!(claim["text_normalisation"], TEXT_NORMALISATION);
        let bp = rows.iter().find(|x| x["annotation_id"] == "b1").unwrap();
        assert_eq!(
            (bp["kind"].as_str(), bp["attr_kind"].as_str(), bp["topics"].as_str()),
            ("Newsletter", "Newsletter", "")
        );
    }

    #[test]
    fn mention_rows_carry_their_entity_and_claim_rows_their_sources_entities() {
        let out = render(&[crate::export::tests::rich_linked()], cb());
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let at = head.iter().position(|h| h == "entity_id").unwrap();
        assert_eq!(&head[at..at + 5], ["entity_id", "entity_name", "entity_wikidata", "entity_type", "entity_gender"]);
        let rows: Vec<std::collections::HashMap<String, String>> =
            r.records().map(|x| head.iter().cloned().zip(x.unwrap().iter().map(str::to_owned)).collect()).collect();
        let row = |id: &str| rows.iter().find(|x| x["annotation_id"] == id).unwrap();
        let s1 = row("s1");
        assert_eq!(
            (s1["entity_name"].as_str(), s1["entity_wikidata"].as_str(), s1["entity_type"].as_str()),
            ("Дмитрий Песков", "Q4526468", "official")
        );
        assert_eq!((row("s2")["entity_id"].as_str(), row("s2")["entity_name"].as_str()), ("kreml", ""));
        assert_eq!(row("c1")["entity_name"], "Дмитрий Песков; ");
        assert_eq!(row("c1")["entity_id"], format!("{}; kreml", s1["entity_id"]));
        assert_eq!(row("q1")["entity_id"], "");
    }

    #[test]
    fn a_pages_metadata_is_in_the_columns_before_the_review_and_empty_for_plain_text() {
        let mut page = rich();
        page.meta = crate::model::meta::ArticleMeta {
            outlet: Some("Українська правда".into()),
            authors: vec!["Олена Ковальчук".into(), "李明".into()],
            published: Some("2026-11-30T08:15:00+02:00".into()),
            url: Some("https://www.pravda.com.ua/news/2026/11/30/1/".into()),
            language: Some("uk".into()),
            section: Some("Новини".into()),
            ..Default::default()
        };
        let mut text = rich();
        text.id = "рус/b.txt".into();
        let out = render(&[page, text], cb());
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let meta_end = head.len() - REVIEW_HEADER.len() - VERDICT_HEADER.len();
        assert_eq!(&head[meta_end - META_HEADER.len()..meta_end], META_HEADER);
        assert_eq!(&head[meta_end..meta_end + REVIEW_HEADER.len()], REVIEW_HEADER, "the review columns follow");
        assert_eq!(&head[meta_end + REVIEW_HEADER.len()..], VERDICT_HEADER, "the editor's review comes last");
        let rows: Vec<std::collections::HashMap<String, String>> =
            r.records().map(|x| head.iter().cloned().zip(x.unwrap().iter().map(str::to_owned)).collect()).collect();
        let of = |id: &str| rows.iter().filter(move |x| x["article_id"] == id).collect::<Vec<_>>();
        for row in of("рус/a.txt") {
            assert_eq!(row["article_outlet"], "Українська правда");
            assert_eq!(row["article_authors"], "Олена Ковальчук; 李明");
            assert_eq!(row["article_published"], "2026-11-30T08:15:00+02:00");
            assert_eq!(row["article_url"], "https://www.pravda.com.ua/news/2026/11/30/1/");
            assert_eq!((row["article_language"].as_str(), row["article_section"].as_str()), ("uk", "Новини"));
        }
        let plain = of("рус/b.txt");
        assert!(!plain.is_empty());
        assert!(plain.iter().all(|row| META_HEADER.iter().all(|c| row[*c].is_empty())), "plain text has none");
    }

    #[test]
    fn every_annotation_is_a_row_with_its_source_quote() {
        let out = render(&samples(), cb());
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 93);
        assert!(out.contains("\r\n"), "RFC 4180 line ends");
        let claim = rows.iter().find(|r| r[7].starts_with("They should make")).unwrap();
        assert_eq!(&claim[3], "claim");
        assert_eq!(&claim[9], "Peskov");
        let multi = rows.iter().find(|r| &r[4] == "DonationAppeal").unwrap();
        assert!(multi[7].contains("\n\nSo do we."), "line breaks survive inside quoted cells");
    }
}
