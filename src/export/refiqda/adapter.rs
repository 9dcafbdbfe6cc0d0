//! From the codebook and the exported articles to a [`QdaProject`]: the mapping the parent
//! module's doc describes, in one place, so the writer stays ignorant of newsnote's model and
//! the model of the exchange format.
//!
//! Everything here is a function of its input: GUIDs come from keys built of codebook ids,
//! article ids, annotation ids and piece indices (each part percent-escaped, so no two keys
//! coincide however ids are spelt), the project's time is the latest `modified` of the exported
//! annotations, and every list is in codebook, file or name order. An unchanged corpus gives
//! the same `.qdpx`, byte for byte.

use super::{
    Guid, QdaCase, QdaCode, QdaLink, QdaNote, QdaProject, QdaSelection, QdaSource, QdaUser, QdaValue, QdaVariable, Rgb,
    VariableKind, VariableValue, is_xsd_date, qdpx_bytes,
};
use crate::export::ExportArticle;
use crate::model::annotation::{Annotation, AttrValue, excerpt};
use crate::model::codebook::{AttrKind, AttributeDef, Codebook};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::SystemTime;

/// How many code points of a quote name a selection or a note: QDA packages list them by name,
/// and the selection itself holds the whole span.
const NAME_CHARS: usize = 80;

/// The `.qdpx` file of the articles' annotations coded with `cb`.
pub fn qdpx(articles: &[ExportArticle], cb: &Codebook) -> std::io::Result<Vec<u8>> {
    qdpx_bytes(&corpus_project(articles, cb))
}

/// The project of the articles' exported annotations (`ExportArticle::annotations`), coded with
/// `cb`.
pub fn corpus_project(articles: &[ExportArticle], cb: &Codebook) -> QdaProject {
    let reference = cb.reference();
    let mut description = format!("Coded in newsnote with the codebook \"{}\", version {}", cb.name, cb.version);
    description.push_str(&format!(" (hash {}).", reference.hash));
    if !cb.description.is_empty() {
        description.push(' ');
        description.push_str(&cb.description);
    }
    let exported = || articles.iter().flat_map(|art| art.annotations.iter());
    let authors: BTreeSet<&str> = exported().map(|a| a.author.as_str()).collect();
    QdaProject {
        name: format!("newsnote: {}", cb.name),
        origin: format!("newsnote {}", env!("CARGO_PKG_VERSION")),
        created: latest(exported().map(|a| a.modified.as_str())),
        creating_user: None,
        description: Some(description),
        users: authors.iter().map(|&name| QdaUser { guid: user_guid(name), name: name.to_owned() }).collect(),
        codes: codes(cb, exported()),
        variables: variables(articles),
        cases: cases(cb, articles),
        sources: articles.iter().map(|art| source(cb, art)).collect(),
        notes: articles.iter().flat_map(|art| notes(cb, art)).collect(),
        links: articles.iter().flat_map(|art| links(cb, art)).collect(),
    }
}

/// One part of a key: `%`, `:` and `/` escaped, so the parts of a key never run together.
fn part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            ':' => out.push_str("%3A"),
            '/' => out.push_str("%2F"),
            c => out.push(c),
        }
    }
    out
}

fn user_guid(name: &str) -> Guid {
    Guid::from_key(&format!("user:{}", part(name)))
}

fn label_key(label: &str) -> String {
    format!("label:{}", part(label))
}

fn attribute_key(label: &str, attribute: &str) -> String {
    format!("{}/attribute:{}", label_key(label), part(attribute))
}

fn value_key(label: &str, attribute: &str, value: &str) -> String {
    format!("{}/value:{}", attribute_key(label, attribute), part(value))
}

fn selection_guid(article: &str, a: &Annotation, piece: usize) -> Guid {
    Guid::from_key(&format!("annotation:{}:{}:{piece}", part(article), part(&a.id.0)))
}

fn note_guid(article: &str, a: &Annotation) -> Guid {
    Guid::from_key(&format!("note:{}:{}", part(article), part(&a.id.0)))
}

/// The latest of some RFC 3339 times, as written; those that do not parse are passed over.
fn latest<'a>(times: impl Iterator<Item = &'a str>) -> Option<String> {
    let parsed = times.filter_map(|t| humantime::parse_rfc3339_weak(t).ok().map(|at: SystemTime| (at, t)));
    parsed.max().map(|(_, t)| t.to_owned())
}

/// The set attributes whose values become codes: one-of and several-of.
fn coded(def: &AttributeDef) -> bool {
    matches!(def.kind, AttrKind::One(_) | AttrKind::Many(_))
}

/// The codebook's labels, each with a folder per one-of or several-of attribute holding a code
/// per value; then a code for each label the annotations use that the codebook lacks, so no
/// annotation loses its label.
fn codes<'a>(cb: &Codebook, exported: impl Iterator<Item = &'a Annotation>) -> Vec<QdaCode> {
    let mut out: Vec<QdaCode> = cb
        .labels
        .iter()
        .map(|l| {
            let folders = cb
                .attributes_for(&l.id)
                .filter(|d| coded(d))
                .map(|d| QdaCode {
                    guid: Guid::from_key(&attribute_key(&l.id, &d.id)),
                    name: d.name.clone(),
                    codable: false,
                    colour: None,
                    description: non_empty(d.definition.clone()),
                    children: d
                        .kind
                        .values()
                        .iter()
                        .map(|v| QdaCode {
                            guid: Guid::from_key(&value_key(&l.id, &d.id, &v.id)),
                            name: v.name.clone(),
                            codable: true,
                            colour: None,
                            description: non_empty(v.definition.clone()),
                            children: Vec::new(),
                        })
                        .collect(),
                })
                .collect();
            QdaCode {
                guid: Guid::from_key(&label_key(&l.id)),
                name: l.name.clone(),
                codable: true,
                colour: rgb(l.look.colour.css()),
                description: non_empty(label_description(&l.definition, &l.examples, &l.rules)),
                children: folders,
            }
        })
        .collect();
    let unknown: BTreeSet<&str> = exported.map(|a| a.label.as_str()).filter(|l| cb.label(l).is_none()).collect();
    for label in unknown {
        out.push(QdaCode {
            guid: Guid::from_key(&label_key(label)),
            name: cb.label_name(&crate::model::annotation::LabelId::new(label)),
            codable: true,
            colour: None,
            description: None,
            children: Vec::new(),
        });
    }
    out
}

fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

/// A label's definition, examples and decision rules, as one description.
fn label_description(definition: &str, examples: &[String], rules: &[String]) -> String {
    let mut parts = Vec::new();
    if !definition.is_empty() {
        parts.push(definition.to_owned());
    }
    if !examples.is_empty() {
        parts.push(format!("Examples:\n{}", bullets(examples)));
    }
    if !rules.is_empty() {
        parts.push(format!("Rules:\n{}", bullets(rules)));
    }
    parts.join("\n\n")
}

fn bullets(items: &[String]) -> String {
    items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n")
}

/// `#0b6e8a` as a colour.
fn rgb(css: &str) -> Option<Rgb> {
    let hex = css.strip_prefix('#').filter(|h| h.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
}

/// An annotation's codes: its label's, and that of each value of a set attribute the codebook
/// defines for its label. What has no code (free values, values or attributes the codebook
/// lacks) goes into its note instead, as `name: value` lines.
fn codes_and_lines(cb: &Codebook, a: &Annotation) -> (Vec<Guid>, Vec<String>) {
    let label = a.label.as_str();
    let mut codes = vec![Guid::from_key(&label_key(label))];
    let mut lines = Vec::new();
    for (id, value) in &a.attributes {
        let def = cb.attribute(id).filter(|d| cb.label(label).is_some() && d.labels.iter().any(|l| l == label));
        let name = cb.attribute(id).map_or(id.as_str(), |d| d.name.as_str());
        match (def, value) {
            (Some(d), AttrValue::One(_) | AttrValue::Many(_)) if coded(d) => {
                for v in value.ids() {
                    if d.kind.values().iter().any(|known| known.id == v) {
                        codes.push(Guid::from_key(&value_key(label, &d.id, v)));
                    } else {
                        lines.push(format!("{name}: {}", cb.value_name(id, &AttrValue::One(v.to_owned()))));
                    }
                }
            }
            _ => lines.push(format!("{name}: {}", cb.value_name(id, value))),
        }
    }
    (codes, lines)
}

/// The text of an annotation's note: the note, then the attribute values that are not codes.
fn note_text(cb: &Codebook, a: &Annotation) -> Option<String> {
    let lines = codes_and_lines(cb, a).1;
    let note = a.note.as_deref().filter(|n| !n.trim().is_empty());
    match (note, lines.is_empty()) {
        (None, true) => None,
        (Some(n), true) => Some(n.to_owned()),
        (None, false) => Some(lines.join("\n")),
        (Some(n), false) => Some(format!("{n}\n\n{}", lines.join("\n"))),
    }
}

/// One case per entity the exported mentions are linked to, in order of the entity id.
fn cases(cb: &Codebook, articles: &[ExportArticle]) -> Vec<QdaCase> {
    let mut by: std::collections::BTreeMap<String, QdaCase> = std::collections::BTreeMap::new();
    for art in articles {
        for a in &art.annotations {
            let Some(e) = art.entity(a) else { continue };
            let case = by.entry(e.id.to_string()).or_insert_with(|| {
                let mut lines: Vec<String> = cb
                    .entity_attributes()
                    .iter()
                    .filter_map(|d| Some(format!("{}: {}", d.name, e.value(&d.id)?.name)))
                    .collect();
                if let Some(q) = &e.wikidata {
                    lines.push(format!("Wikidata: {q}"));
                }
                QdaCase {
                    guid: Guid::from_key(&format!("entity:{}", part(e.id.as_str()))),
                    name: e.label().to_owned(),
                    description: non_empty(lines.join("\n")),
                    selections: Vec::new(),
                }
            });
            case.selections.extend((0..a.pieces().count()).map(|i| selection_guid(&art.id, a, i)));
        }
    }
    by.into_values().collect()
}

fn source(cb: &Codebook, art: &ExportArticle) -> QdaSource {
    let mut selections = Vec::new();
    for a in &art.annotations {
        let (codes, _) = codes_and_lines(cb, a);
        let notes: Vec<Guid> = note_text(cb, a).map(|_| note_guid(&art.id, a)).into_iter().collect();
        // Every piece fits the text: `ExportArticle` keeps only annotations whose pieces do.
        for (i, (span, quote)) in a.pieces().enumerate() {
            selections.push(QdaSelection {
                guid: selection_guid(&art.id, a, i),
                name: excerpt(quote, NAME_CHARS),
                start: span.start,
                end: span.end,
                creating_user: Some(user_guid(&a.author)),
                created: Some(a.created.clone()),
                modified: Some(a.modified.clone()),
                description: crate::export::Review::of(a).describe(),
                codes: codes.clone(),
                notes: notes.clone(),
            });
        }
    }
    QdaSource {
        guid: Guid::from_key(&format!("article:{}", part(&art.id))),
        name: art.id.clone(),
        text: art.text.clone(),
        creating_user: None,
        created: None,
        description: meta_description(art),
        selections,
        values: META_VARIABLES.iter().filter_map(|v| v.value(art)).collect(),
    }
}

/// The variables of an article's metadata: name, type, what it holds. The published date is
/// a `Date` so QDA packages can filter by period; the rest are text.
struct MetaVariable {
    name: &'static str,
    kind: VariableKind,
    description: &'static str,
}

const META_VARIABLES: [MetaVariable; 6] = [
    MetaVariable {
        name: "outlet",
        kind: VariableKind::Text,
        description: "The publication (a page's og:site_name, else its host)",
    },
    MetaVariable { name: "published", kind: VariableKind::Date, description: "The day the article was published" },
    MetaVariable {
        name: "authors",
        kind: VariableKind::Text,
        description: "The article's authors, \"; \" between them",
    },
    MetaVariable { name: "url", kind: VariableKind::Text, description: "The article's canonical URL" },
    MetaVariable { name: "language", kind: VariableKind::Text, description: "The article's language (a BCP 47 tag)" },
    MetaVariable { name: "section", kind: VariableKind::Text, description: "The section of the outlet it appeared in" },
];

impl MetaVariable {
    fn guid(&self) -> Guid {
        Guid::from_key(&format!("variable:article:{}", self.name))
    }

    /// The article's value of this variable, if it has one (a date only when it is a real day).
    fn value(&self, art: &ExportArticle) -> Option<QdaValue> {
        let m = &art.meta;
        let text = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty()).map(VariableValue::Text);
        let value = match self.name {
            "outlet" => text(&m.outlet),
            "published" => m.day().filter(|d| is_xsd_date(d)).map(|d| VariableValue::Date(d.to_owned())),
            "authors" => (!m.authors.is_empty()).then(|| VariableValue::Text(m.authors.join("; "))),
            "url" => text(&m.url),
            "language" => text(&m.language),
            "section" => text(&m.section),
            _ => None,
        }?;
        Some(QdaValue { variable: self.guid(), value })
    }
}

/// The variables some article has a value of, in a fixed order; none for a corpus of plain
/// text, whose project stays as it was.
fn variables(articles: &[ExportArticle]) -> Vec<QdaVariable> {
    META_VARIABLES
        .iter()
        .filter(|v| articles.iter().any(|a| v.value(a).is_some()))
        .map(|v| QdaVariable {
            guid: v.guid(),
            name: v.name.into(),
            kind: v.kind,
            description: Some(v.description.into()),
        })
        .collect()
}

/// A source's description: its metadata as `name: value` lines (the headline and the date as
/// given, which the variables cannot hold), for a person reading the document's memo.
fn meta_description(art: &ExportArticle) -> Option<String> {
    let m = &art.meta;
    let authors = (!m.authors.is_empty()).then(|| m.authors.join("; "));
    let lines: Vec<String> = [
        ("headline", m.title.as_ref()),
        ("outlet", m.outlet.as_ref()),
        ("authors", authors.as_ref()),
        ("published", m.published.as_ref()),
        ("url", m.url.as_ref()),
        ("language", m.language.as_ref()),
        ("section", m.section.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some(format!("{k}: {}", v?)))
    .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn notes(cb: &Codebook, art: &ExportArticle) -> Vec<QdaNote> {
    art.annotations
        .iter()
        .filter_map(|a| {
            let text = note_text(cb, a)?;
            Some(QdaNote {
                guid: note_guid(&art.id, a),
                name: format!("{}: {}", cb.describe(a), excerpt(&a.full_quote(), NAME_CHARS)),
                text,
                creating_user: Some(user_guid(&a.author)),
                created: Some(a.created.clone()),
            })
        })
        .collect()
}

/// A link per relation target, between the first pieces' selections; a target left out of the
/// export (`--label`) has no selection, so its link is left out too.
fn links(cb: &Codebook, art: &ExportArticle) -> Vec<QdaLink> {
    let first: BTreeMap<&str, Guid> =
        art.annotations.iter().map(|a| (a.id.0.as_str(), selection_guid(&art.id, a, 0))).collect();
    let mut out = Vec::new();
    for a in &art.annotations {
        let Some(&origin) = first.get(a.id.0.as_str()) else { continue };
        for (rel, targets) in &a.links {
            let mut seen = HashSet::new();
            for t in targets.iter().filter(|t| seen.insert(*t)) {
                let Some(&target) = first.get(t.0.as_str()) else { continue };
                out.push(QdaLink {
                    guid: Guid::from_key(&format!(
                        "link:{}:{}:{}:{}",
                        part(&art.id),
                        part(&a.id.0),
                        part(rel),
                        part(&t.0)
                    )),
                    name: cb.relation(rel).map_or_else(|| rel.clone(), |r| r.name.clone()),
                    origin,
                    target,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{Fragment, LabelId};
    use crate::model::units::{ByteRange, CharRange};

    fn cb() -> &'static Codebook {
        Codebook::default_scheme()
    }

    const TEXT: &str = "«Мир близок, — сказал Песков 🇷🇺, — но не сегодня». 東京の記者は「和平」と書いた。 Подпишитесь!";

    /// An annotation of `label` over the first occurrence of each of `quotes` (the first the
    /// annotation's own span, the others its further pieces).
    fn ann(id: &str, label: &str, quotes: &[&str]) -> Annotation {
        let span = |q: &str| {
            let b = TEXT.find(q).unwrap();
            let start = TEXT[..b].chars().count();
            (ByteRange::new(b, b + q.len()), CharRange::new(start, start + q.chars().count()))
        };
        let (bytes, chars) = span(quotes[0]);
        let mut a =
            Annotation::new_manual(LabelId::new(label), TEXT, bytes, chars, "кодировщица", "2026-03-01T10:00:00Z");
        a.id = crate::model::annotation::AnnotationId(id.into());
        for q in &quotes[1..] {
            let (bytes, chars) = span(q);
            a.fragments.push(Fragment::over(TEXT, bytes, chars));
        }
        a
    }

    #[test]
    fn each_entity_is_a_case_referring_to_the_selections_of_its_mentions() {
        let art = crate::export::tests::rich_linked();
        let p = corpus_project(std::slice::from_ref(&art), cb());
        assert_eq!(p.cases.len(), 2);
        let peskov = p.cases.iter().find(|c| c.name == "Дмитрий Песков").unwrap();
        let s1 = art.annotations.iter().find(|a| a.id.0 == "s1").unwrap();
        assert_eq!(peskov.selections, vec![selection_guid(&art.id, s1, 0)]);
        assert_eq!(peskov.description.as_deref(), Some("source type: official\nWikidata: Q4526468"));
        let kreml = p.cases.iter().find(|c| c.name == "kreml").unwrap();
        assert_eq!(kreml.description, None);
        let xml = crate::export::refiqda::project_xml(&p).unwrap();
        let (cases, sources) = (xml.find("<Cases>").unwrap(), xml.find("<Sources>").unwrap());
        assert!(cases < sources, "the schema's order");
        assert!(xml.contains(&format!("<SelectionRef targetGUID=\"{}\"/>", peskov.selections[0])), "{xml}");
    }

    #[test]
    fn a_pages_metadata_is_the_sources_variable_values_and_description() {
        let (page, plain) = (crate::export::tests::rich_page(), crate::export::tests::rich());
        let p = corpus_project(&[page, plain.clone()], cb());
        let names: Vec<(&str, VariableKind)> = p.variables.iter().map(|v| (v.name.as_str(), v.kind)).collect();
        assert_eq!(
            names,
            [
                ("outlet", VariableKind::Text),
                ("published", VariableKind::Date),
                ("authors", VariableKind::Text),
                ("url", VariableKind::Text),
                ("language", VariableKind::Text),
                ("section", VariableKind::Text)
            ]
        );
        let value = |name: &str| {
            let g = p.variables.iter().find(|v| v.name == name).unwrap().guid;
            p.sources[0].values.iter().find(|v| v.variable == g).map(|v| v.value.clone())
        };
        assert_eq!(value("outlet"), Some(VariableValue::Text("Українська правда".into())));
        assert_eq!(value("published"), Some(VariableValue::Date("2026-11-30".into())));
        assert_eq!(value("authors"), Some(VariableValue::Text("Олена Ковальчук; 李明".into())));
        let d = p.sources[0].description.as_deref().unwrap();
        assert!(d.starts_with("headline: Песков: «Мы не согласны»\noutlet: Українська правда\n"), "{d}");
        assert!(d.contains("published: 2026-11-30T08:15:00+02:00"), "{d}");
        assert!(p.sources[1].values.is_empty() && p.sources[1].description.is_none(), "plain text has none");
        let xml = crate::export::refiqda::project_xml(&p).unwrap();
        let at = |t: &str| xml.find(t).unwrap_or_else(|| panic!("{t} in {xml}"));
        assert!(at("<CodeBook>") < at("<Variables>") && at("<Variables>") < at("<Sources>"), "the schema's order");
        assert!(xml.contains("<DateValue>2026-11-30</DateValue>"), "{xml}");
        assert!(corpus_project(&[plain], cb()).variables.is_empty(), "a text corpus has no variables");
    }

    #[test]
    fn only_a_real_day_is_an_xsd_date() {
        for good in ["2026-11-30", "2024-02-29", "2000-02-29"] {
            assert!(is_xsd_date(good), "{good}");
        }
        for bad in ["2026-02-29", "1900-02-29", "2026-13-01", "2026-04-31", "2026-11-3", "２０２６-11-30", "30.11.2026"]
        {
            assert!(!is_xsd_date(bad), "{bad}");
        }
    }

    fn article(anns: Vec<Annotation>) -> ExportArticle {
        ExportArticle::new("мир/статья:1.txt".into(), "Мир".into(), TEXT.into(), anns)
    }

    fn all_codes(codes: &[QdaCode]) -> Vec<&QdaCode> {
        let mut out = Vec::new();
        let mut stack: Vec<&QdaCode> = codes.iter().rev().collect();
        while let Some(c) = stack.pop() {
            out.push(c);
            stack.extend(c.children.iter().rev());
        }
        out
    }

    #[test]
    fn a_discontinuous_claim_is_one_selection_per_piece_sharing_its_codes_and_note() {
        let mut claim = ann("к1", "Claim", &["Мир близок", "но не сегодня"]).with_value("quote_type", "direct");
        claim.note = Some("заметка: прямая речь".into());
        let source = ann("и1", "Source", &["Песков 🇷🇺"]);
        claim.link("source", source.id.clone());
        let p = corpus_project(&[article(vec![claim, source])], cb());
        let sels = &p.sources[0].selections;
        assert_eq!(sels.len(), 3);
        let text = &p.sources[0].text;
        let slice = |s: &QdaSelection| text.chars().skip(s.start).take(s.end - s.start).collect::<String>();
        assert_eq!(slice(&sels[0]), "Мир близок");
        assert_eq!(slice(&sels[1]), "но не сегодня");
        assert_eq!(slice(&sels[2]), "Песков 🇷🇺");
        let direct = Guid::from_key("label:Claim/attribute:quote_type/value:direct");
        assert_eq!(sels[0].codes, vec![Guid::from_key("label:Claim"), direct]);
        assert_eq!(sels[0].codes, sels[1].codes);
        assert_eq!(sels[0].notes.len(), 1);
        assert_eq!(sels[0].notes, sels[1].notes, "both pieces refer to the one note");
        assert_eq!(p.notes.len(), 1);
        assert_eq!(p.notes[0].text, "заметка: прямая речь");
        assert_eq!(p.links.len(), 1);
        assert_eq!((p.links[0].origin, p.links[0].target), (sels[0].guid, sels[2].guid));
        assert_eq!(p.links[0].name, "source");
        assert!(super::super::project_xml(&p).is_ok());
    }

    #[test]
    fn every_label_and_set_value_of_the_codebook_is_a_code_and_folders_are_not_codable() {
        let p = corpus_project(&[], cb());
        let codes = all_codes(&p.codes);
        for l in &cb().labels {
            let c = codes.iter().find(|c| c.guid == Guid::from_key(&label_key(&l.id))).unwrap();
            assert!(c.codable && c.name == l.name && c.colour.is_some());
            for d in cb().attributes_for(&l.id) {
                let folder = codes.iter().find(|c| c.guid == Guid::from_key(&attribute_key(&l.id, &d.id))).unwrap();
                assert!(!folder.codable);
                assert_eq!(folder.children.len(), d.kind.values().len());
                assert!(folder.children.iter().all(|v| v.codable));
            }
        }
        let values: usize = cb().attributes.iter().map(|d| d.labels.len() * d.kind.values().len()).sum();
        assert_eq!(codes.len(), cb().labels.len() + cb().attributes.len() + values);
        assert!(p.sources.is_empty() && p.users.is_empty() && p.created.is_none());
    }

    #[test]
    fn free_values_and_values_the_codebook_lacks_go_into_the_note_and_unknown_labels_keep_a_code() {
        let mut boiler = ann("ш1", "Boilerplate", &["Подпишитесь!"]).with_value("kind", "Newsletter");
        boiler.attributes.insert("проверено".into(), AttrValue::YesNo(true));
        let odd = ann("н1", "Настроение", &["「和平」"]).with_value("quote_type", "прямо");
        let claim = ann("к2", "Claim", &["но не сегодня"]).with_value("quote_type", "косвенно");
        let p = corpus_project(&[article(vec![boiler, odd, claim])], cb());
        let notes: Vec<&str> = p.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes, ["проверено: yes", "quote type: прямо?", "quote type: косвенно?"]);
        let sels = &p.sources[0].selections;
        assert!(sels[0].codes.contains(&Guid::from_key("label:Boilerplate/attribute:kind/value:Newsletter")));
        let unknown = p.codes.iter().find(|c| c.guid == Guid::from_key("label:Настроение")).unwrap();
        assert_eq!(unknown.name, "Настроение (not in the codebook)");
        assert!(super::super::project_xml(&p).is_ok());
    }

    #[test]
    fn a_target_filtered_out_of_the_export_has_no_link() {
        let mut claim = ann("к1", "Claim", &["Мир близок", "но не сегодня"]);
        let source = ann("и1", "Source", &["Песков 🇷🇺"]);
        claim.link("source", source.id.clone());
        let mut art = article(vec![claim, source]);
        art.annotations.retain(|a| a.label == *"Claim");
        let p = corpus_project(&[art], cb());
        assert_eq!(p.sources[0].selections.len(), 2);
        assert!(p.links.is_empty());
        assert!(super::super::project_xml(&p).is_ok());
    }

    #[test]
    fn guids_and_time_come_from_the_data_so_the_same_corpus_gives_the_same_file() {
        let mut later = ann("и1", "Source", &["Песков 🇷🇺"]);
        later.modified = "2026-03-02T08:00:00Z".into();
        let mut mistyped = ann("и2", "Source", &["東京の記者"]);
        mistyped.modified = "вчера".into();
        let arts = [article(vec![ann("к1", "Claim", &["Мир близок"]), later, mistyped])];
        let p = corpus_project(&arts, cb());
        assert_eq!(p.created.as_deref(), Some("2026-03-02T08:00:00Z"));
        assert_eq!(p.sources[0].guid, Guid::from_key("article:мир%2Fстатья%3A1.txt"));
        assert_eq!(p.sources[0].selections[0].guid, Guid::from_key("annotation:мир%2Fстатья%3A1.txt:к1:0"));
        assert_eq!(p.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["кодировщица"]);
        assert_eq!(qdpx(&arts, cb()).unwrap(), qdpx(&arts, cb()).unwrap());
    }

    #[test]
    fn key_parts_are_escaped_so_ids_with_separators_never_share_a_guid() {
        assert_ne!(
            selection_guid("a:b", &ann("c", "Claim", &["Мир"]), 0),
            selection_guid("a", &ann("b:c", "Claim", &["Мир"]), 0)
        );
        assert_eq!(part("мир/a:b%"), "мир%2Fa%3Ab%25");
        assert_eq!(rgb("#0b6e8a"), Some(Rgb(0x0b, 0x6e, 0x8a)));
    }
}
