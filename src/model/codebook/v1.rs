//! Files written before labels were data (format 1), read into the default codebook's terms.
//!
//! Format 1 stored a closed set of labels (`Source`, `Claim`, `Boilerplate(Kind)`) and a
//! claim's sources in `source` / `more_sources`. Every such file must load unchanged and mean
//! the same, so this module is the one translation: `Boilerplate(DonationAppeal)` is the
//! default codebook's label `Boilerplate` with `kind: One("DonationAppeal")`, and the sources
//! are its `source` relation. A file is written in format 2 only when it changes.

use crate::model::annotation::{AnchorNote, Annotation, AnnotationId, AttrValue, LabelId, Origin, Status};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The default codebook's ids that format 1 meant.
const SOURCE: &str = "Source";
const CLAIM: &str = "Claim";
const BOILERPLATE: &str = "Boilerplate";
const KIND: &str = "kind";
const SOURCE_RELATION: &str = "source";

#[derive(Debug, Clone, Deserialize)]
enum Label1 {
    Source,
    Claim,
    Boilerplate(Kind),
}

/// Format 1's boilerplate kinds; their names are the default codebook's `kind` values.
#[derive(Debug, Clone, Copy, Deserialize)]
enum Kind {
    DuplicateHeadline,
    DonationAppeal,
    Copyright,
    Newsletter,
    Navigation,
    Advertisement,
    RelatedLinks,
    TemplateResidue,
    Other,
}

/// One annotation as format 1 wrote it.
#[derive(Debug, Clone, Deserialize)]
pub struct Annotation1 {
    id: AnnotationId,
    label: Label1,
    start: usize,
    end: usize,
    quote: String,
    prefix: String,
    suffix: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    source: Option<AnnotationId>,
    #[serde(default)]
    more_sources: Vec<AnnotationId>,
    author: String,
    created: String,
    modified: String,
    #[serde(default)]
    origin: Origin,
    #[serde(default)]
    status: Status,
    #[serde(default)]
    anchor: Option<AnchorNote>,
}

impl From<Annotation1> for Annotation {
    fn from(a: Annotation1) -> Self {
        let mut attributes = BTreeMap::new();
        let label = match a.label {
            Label1::Source => SOURCE,
            Label1::Claim => CLAIM,
            Label1::Boilerplate(kind) => {
                // The variant's name is the value id (serde's Debug-free naming of a unit variant).
                attributes.insert(KIND.to_owned(), AttrValue::One(format!("{kind:?}")));
                BOILERPLATE
            }
        };
        let sources: Vec<AnnotationId> = a.source.into_iter().chain(a.more_sources).collect();
        let mut links = BTreeMap::new();
        if !sources.is_empty() {
            links.insert(SOURCE_RELATION.to_owned(), sources);
        }
        Annotation {
            id: a.id,
            label: LabelId::new(label),
            start: a.start,
            end: a.end,
            quote: a.quote,
            prefix: a.prefix,
            suffix: a.suffix,
            fragments: Vec::new(),
            attributes,
            links,
            entity: None,
            note: a.note,
            author: a.author,
            created: a.created,
            modified: a.modified,
            origin: a.origin,
            status: a.status,
            suggestion: None,
            reviews: Vec::new(),
            anchor: a.anchor,
        }
    }
}

/// The format a newsnote file declares, read from its `format:` field without parsing the
/// rest (files newsnote writes put it first); `None` when it is not found that way.
pub fn declared_format(text: &str) -> Option<u32> {
    let at = text.find("format:")?;
    // Only the header: a `format:` inside a quote further down is not the field.
    if text[..at].contains("annotations") || text[..at].contains("conflicts") {
        return None;
    }
    let rest = text[at + "format:".len()..].trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(label: &str, extra: &str) -> Annotation {
        let text = format!(
            "(id: \"1a2b3c4d\", label: {label}, start: 0, end: 6, quote: \"Песков\", prefix: \"\", suffix: \"\", {extra} \
             author: \"т\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\")"
        );
        ron::from_str::<Annotation1>(&text).unwrap().into()
    }

    #[test]
    fn format_1_labels_become_the_default_codebooks_labels_and_kinds() {
        let book = super::super::Codebook::default_scheme();
        let b = parse("Boilerplate(DonationAppeal)", "");
        assert_eq!(b.label.as_str(), "Boilerplate");
        assert_eq!(b.attributes.get("kind"), Some(&AttrValue::One("DonationAppeal".into())));
        assert_eq!(book.describe(&b), "Boilerplate (donation appeal)");
        assert!(book.misfits(&b).is_empty(), "{:?}", book.misfits(&b));
        for l in ["Source", "Claim"] {
            let a = parse(l, "");
            assert!(book.knows(&a.label) && a.attributes.is_empty() && a.links.is_empty());
        }
    }

    #[test]
    fn format_1_sources_become_the_source_relation_in_order() {
        let c = parse("Claim", "source: Some(\"s1\"), more_sources: [\"s2\", \"s3\"],");
        let ids: Vec<&str> = c.linked("source").iter().map(|i| i.0.as_str()).collect();
        assert_eq!(ids, ["s1", "s2", "s3"]);
        assert!(super::super::Codebook::default_scheme().misfits(&c).is_empty());
    }

    #[test]
    fn every_format_1_kind_is_a_value_of_the_default_kind_attribute() {
        let book = super::super::Codebook::default_scheme();
        for k in [
            "DuplicateHeadline",
            "DonationAppeal",
            "Copyright",
            "Newsletter",
            "Navigation",
            "Advertisement",
            "RelatedLinks",
            "TemplateResidue",
            "Other",
        ] {
            let b = parse(&format!("Boilerplate({k})"), "");
            assert!(book.misfits(&b).is_empty(), "{k}: {:?}", book.misfits(&b));
        }
    }

    #[test]
    fn the_declared_format_is_read_from_the_header_only() {
        assert_eq!(declared_format("(\n    format: 1,\n    article: \"a\","), Some(1));
        assert_eq!(declared_format("(format:2)"), Some(2));
        assert_eq!(declared_format("(annotations: [(quote: \"format: 9\")])"), None);
    }
}
