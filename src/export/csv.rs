//! `csv`: one annotation per row, for spreadsheets and R/pandas.
//!
//! RFC 4180 (CRLF, quotes doubled). Cells that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`, the OWASP defence against CSV
//! injection: article text is untrusted and a quote like `=HYPERLINK(…)` must stay text.

use super::{ExportArticle, OFFSET_UNIT, label_parts};

pub const HEADER: [&str; 15] = [
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
];

/// Makes a cell safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

pub fn render(articles: &[ExportArticle], cb: &crate::model::codebook::Codebook) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(HEADER).expect("writing to memory");
    for art in articles {
        for a in &art.annotations {
            let (label, kind) = label_parts(cb, a);
            // A claim with several sources: every id and quote, `; ` between them.
            let sources = art.sources_of(cb, a);
            let all = |f: &dyn Fn(&crate::model::annotation::Annotation) -> String| {
                sources.iter().map(|s| f(s)).collect::<Vec<_>>().join("; ")
            };
            let row = [
                art.id.clone(),
                art.title.clone(),
                a.id.0.clone(),
                label,
                kind.unwrap_or_default(),
                a.start.to_string(),
                a.end.to_string(),
                a.quote.clone(),
                all(&|s| s.id.0.clone()),
                all(&|s| s.quote.clone()),
                a.note.clone().unwrap_or_default(),
                a.author.clone(),
                a.created.clone(),
                a.modified.clone(),
                OFFSET_UNIT.into(),
            ];
            w.write_record(row.iter().map(|c| neutralise(c))).expect("writing to memory");
        }
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 cells is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, samples};

    #[test]
    fn formula_starts_are_neutralised_and_others_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("- mental"), "'- mental");
        assert_eq!(neutralise("@SUM"), "'@SUM");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Peskov"), "Peskov");
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
