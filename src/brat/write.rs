//! Writing a [`BratDoc`] as an `.ann` file that brat (and [`super::parse`]) reads back record
//! for record.
//!
//! Records are written by kind (T, E, R, A/M, N, *, #), each kind in the document's order, one
//! line each ending in `\n`. A line can never be broken by what it holds: in free text (span
//! text, note, normalisation name) a tab or any character Python's `splitlines` ends a line at
//! becomes a space (brat 1.3 reads with `splitlines`), and in the names and ids between the
//! separators whitespace becomes `_`, as does `:` in event types and roles (an attribute's
//! value is the rest of its field and keeps its spaces). Valid names are written unchanged, so
//! parsing the output gives the same records.

use super::doc::{BratDoc, CharSpan, Role};
use super::names::is_line_break;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The `.ann` text of `doc`.
pub fn write_ann(doc: &BratDoc) -> String {
    let mut out = String::new();
    for t in &doc.entities {
        let offsets: Vec<String> = t.fragments.iter().map(|CharSpan { start, end }| format!("{start} {end}")).collect();
        let text = t.text.as_deref().map(free_text).unwrap_or_default();
        let _ = writeln!(out, "{}\t{} {}\t{text}", token(&t.id), token(&t.ty), offsets.join(";"));
    }
    for e in &doc.events {
        let _ = write!(out, "{}\t{}:{}", token(&e.id), name(&e.ty), token(&e.trigger));
        for (role, id) in numbered(&e.args) {
            let _ = write!(out, " {role}:{}", token(id));
        }
        out.push('\n');
    }
    for r in &doc.relations {
        let [(r1, a1), (r2, a2)] = &r.args;
        let (r1, r2, a1, a2) = (name(r1), name(r2), token(a1), token(a2));
        let _ = writeln!(out, "{}\t{} {r1}:{a1} {r2}:{a2}", token(&r.id), token(&r.ty));
    }
    for a in &doc.attributes {
        // brat reads the value as the rest of the field, spaces and all.
        let value = a.value.as_deref().map(|v| format!(" {}", free_text(v).trim())).unwrap_or_default();
        let _ = writeln!(out, "{}\t{} {}{value}", token(&a.id), token(&a.name), token(&a.target));
    }
    for x in &doc.normalizations {
        let text = x.text.as_deref().map(|t| format!("\t{}", free_text(t))).unwrap_or_default();
        let (id, ty, target, db) = (token(&x.id), token(&x.ty), token(&x.target), name(&x.db));
        let _ = writeln!(out, "{id}\t{ty} {target} {db}:{}{text}", token(&x.db_id));
    }
    for x in &doc.equivalences {
        let ids: Vec<String> = x.ids.iter().map(|i| token(i)).collect();
        let _ = writeln!(out, "*\t{} {}", token(&x.ty), ids.join(" "));
    }
    for x in &doc.notes {
        let _ = writeln!(out, "{}\t{} {}\t{}", token(&x.id), token(&x.ty), token(&x.target), free_text(&x.text).trim());
    }
    out
}

/// Roles numbered the way brat numbers repeats: the first `Source`, then `Source2`, `Source3`.
fn numbered(args: &[Role]) -> Vec<(String, &str)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    args.iter()
        .map(|a| {
            let role = name(&a.role);
            let n = seen.entry(role.clone()).and_modify(|n| *n += 1).or_insert(1);
            let role = if *n == 1 { role } else { format!("{role}{n}") };
            (role, a.id.as_str())
        })
        .collect()
}

/// A name or id between separators: whitespace would split it.
fn token(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_whitespace() || is_line_break(c) { '_' } else { c }).collect();
    if s.is_empty() { "_".into() } else { s }
}

/// An event type, role or database name, where a `:` separates too.
fn name(s: &str) -> String {
    token(s).replace(':', "_")
}

/// Free text on one line.
fn free_text(s: &str) -> String {
    s.replace("\r\n", " ").chars().map(|c| if c == '\t' || is_line_break(c) { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::super::doc::*;
    use super::super::parse;
    use super::*;
    use std::path::Path;

    fn sample() -> BratDoc {
        let t = |id: &str, ty: &str, f: &[(usize, usize)], text: &str| Entity {
            id: id.into(),
            ty: ty.into(),
            fragments: f.iter().map(|&(s, e)| CharSpan::new(s, e)).collect(),
            text: Some(text.into()),
            line: 0,
        };
        let role = |r: &str, id: &str| Role { role: r.into(), id: id.into() };
        BratDoc {
            entities: vec![
                t("T1", "Source", &[(0, 6)], "Песков"),
                t("T2", "Cue", &[(26, 31)], "сказал"),
                t("T3", "Content", &[(7, 25), (33, 40)], "«Мы не согласны», — с ним"),
                t("T4", "Attribution", &[(26, 31)], "сказал"),
            ],
            events: vec![Event {
                id: "E1".into(),
                ty: "Attribution".into(),
                trigger: "T4".into(),
                args: vec![role("Content", "T3"), role("Cue", "T2"), role("Source", "T1"), role("Source", "T1")],
                line: 0,
            }],
            relations: vec![Relation {
                id: "R1".into(),
                ty: "Coref".into(),
                args: [("Arg1".into(), "T1".into()), ("Arg2".into(), "T2".into())],
                line: 0,
            }],
            attributes: vec![
                Attribute {
                    id: "A1".into(),
                    name: "Type".into(),
                    target: "E1".into(),
                    value: Some("Direct".into()),
                    line: 0,
                },
                Attribute { id: "A2".into(), name: "Nested".into(), target: "T3".into(), value: None, line: 0 },
            ],
            normalizations: vec![Normalization {
                id: "N1".into(),
                ty: "Reference".into(),
                target: "T1".into(),
                db: "Wikidata".into(),
                db_id: "Q4382925".into(),
                text: Some("Дмитрий Песков".into()),
                line: 0,
            }],
            notes: vec![Note {
                id: "#1".into(),
                ty: "AnnotatorNotes".into(),
                target: "E1".into(),
                text: "цитата — прямая".into(),
                line: 0,
            }],
            equivalences: vec![Equivalence { ty: "Alias".into(), ids: vec!["T1".into(), "T2".into()], line: 0 }],
        }
    }

    #[test]
    fn a_written_document_parses_back_to_the_same_records() {
        let doc = sample();
        let ann = write_ann(&doc);
        assert!(ann.contains("T3\tContent 7 25;33 40\t«Мы не согласны», — с ним\n"), "{ann}");
        assert!(ann.contains("E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Source2:T1\n"), "{ann}");
        assert!(ann.contains("A1\tType E1 Direct\nA2\tNested T3\n"), "{ann}");
        assert!(ann.contains("N1\tReference T1 Wikidata:Q4382925\tДмитрий Песков\n"), "{ann}");
        assert!(ann.ends_with("#1\tAnnotatorNotes E1\tцитата — прямая\n"), "{ann}");
        let (back, warnings) = parse(Path::new("x.ann"), &ann);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(back.without_lines(), doc);
    }

    #[test]
    fn line_breaks_tabs_and_blanks_in_fields_never_break_a_line() {
        let mut doc = sample();
        doc.notes[0].text = "две\r\nстроки\tи\u{2028}ещё\u{85}".into();
        doc.entities[0].ty = "Named source".into();
        doc.events[0].args[0].role = "Con:tent".into();
        doc.attributes[0].value = Some("very direct".into());
        let ann = write_ann(&doc);
        assert!(!ann.chars().any(|c| c != '\n' && is_line_break(c)), "{ann:?}");
        assert_eq!(ann.lines().count(), 11, "{ann}");
        assert!(ann.contains("T1\tNamed_source 0 6\t"), "{ann}");
        assert!(ann.contains(" Con_tent:T3 "), "{ann}");
        assert!(ann.contains("A1\tType E1 very direct\n"), "{ann}");
        assert!(ann.ends_with("\tдве строки и ещё\n"), "{ann}");
        let (back, warnings) = parse(Path::new("x.ann"), &ann);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(back.notes[0].text, "две строки и ещё");
    }
}
