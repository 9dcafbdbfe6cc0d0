//! brat's `annotation.conf`: the types a collection may use, written from a model so that an
//! export declares exactly what its `.ann` files hold (brat marks anything undeclared as an
//! error and will not let a coder edit it).
//!
//! The syntax is brat's (configuration.html, and `projectconfig.py` that reads it): four
//! sections; a type per line; a relation or event type, a tab, then `ROLE:TYPE|TYPE` arguments
//! separated by `, `; an event role may carry a cardinality (`Source*`, `Cue+`, `Content`,
//! `Target{2-4}`); an attribute is `NAME\tArg:TYPE|TYPE, Value:V1|V2`, or a flag without
//! `Value`. `<ENTITY>`, `<EVENT>` and `<ANY>` are brat's own macros and may be used as types.

use std::fmt::Write as _;

/// How many arguments of one role an event takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// Exactly one (no mark).
    One,
    /// `?`: none or one.
    Optional,
    /// `*`: any number.
    Any,
    /// `+`: one or more.
    AtLeastOne,
    /// `{MIN-MAX}`.
    Range(usize, usize),
}

impl Cardinality {
    fn mark(self) -> String {
        match self {
            Cardinality::One => String::new(),
            Cardinality::Optional => "?".into(),
            Cardinality::Any => "*".into(),
            Cardinality::AtLeastOne => "+".into(),
            Cardinality::Range(a, b) if a == b => format!("{{{a}}}"),
            Cardinality::Range(a, b) => format!("{{{a}-{b}}}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationType {
    pub name: String,
    /// The types `Arg1` may have.
    pub arg1: Vec<String>,
    /// The types `Arg2` may have.
    pub arg2: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRole {
    pub role: String,
    pub cardinality: Cardinality,
    /// The types an argument in this role may have.
    pub types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType {
    /// Also the type of its trigger spans.
    pub name: String,
    pub roles: Vec<EventRole>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeType {
    pub name: String,
    /// The types it may be set on.
    pub on: Vec<String>,
    /// The values it takes; empty for a flag (set or not).
    pub values: Vec<String>,
}

/// One `annotation.conf`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationConf {
    /// Lines written first, each as a `#` comment (say where the file came from).
    pub comment: Vec<String>,
    pub entities: Vec<String>,
    pub relations: Vec<RelationType>,
    /// Allow spans of any type to overlap and nest (brat forbids crossing spans by default).
    pub any_overlap: bool,
    pub events: Vec<EventType>,
    pub attributes: Vec<AttributeType>,
}

impl AnnotationConf {
    /// The file's text. Names are written as [`conf_name`] makes them, so a name with a space
    /// or a separator in it cannot break the file.
    pub fn render(&self) -> String {
        let types = |ts: &[String]| ts.iter().map(|t| conf_name(t)).collect::<Vec<_>>().join("|");
        let mut out = String::new();
        for line in &self.comment {
            for l in line.lines() {
                let _ = writeln!(out, "# {l}");
            }
        }
        out.push_str("[entities]\n");
        for e in &self.entities {
            let _ = writeln!(out, "{}", conf_name(e));
        }
        out.push_str("\n[relations]\n");
        for r in &self.relations {
            let _ = writeln!(out, "{}\tArg1:{}, Arg2:{}", conf_name(&r.name), types(&r.arg1), types(&r.arg2));
        }
        if self.any_overlap {
            out.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
        }
        out.push_str("\n[events]\n");
        for e in &self.events {
            let roles: Vec<String> = e
                .roles
                .iter()
                .map(|r| format!("{}{}:{}", conf_name(&r.role), r.cardinality.mark(), types(&r.types)))
                .collect();
            let _ = writeln!(out, "{}\t{}", conf_name(&e.name), roles.join(", "));
        }
        out.push_str("\n[attributes]\n");
        for a in &self.attributes {
            let _ = write!(out, "{}\tArg:{}", conf_name(&a.name), types(&a.on));
            if !a.values.is_empty() {
                let _ = write!(out, ", Value:{}", types(&a.values));
            }
            out.push('\n');
        }
        out
    }
}

/// A name as brat stores it (`normalize_to_storage_form` in `projectconfig.py`): every
/// character but ASCII letters, digits, `_` and `-` becomes `_`, so a name can neither break
/// the file nor be renamed by brat behind the `.ann`'s back. brat's own macros (`<ENTITY>`,
/// `<EVENT>`, `<ANY>`) pass unchanged. The mapping writes the same form in the `.ann`.
pub fn conf_name(name: &str) -> String {
    if name.starts_with('<') && name.ends_with('>') && name.len() > 2 {
        return name.into();
    }
    let out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    // A line of hyphens alone is a separator in brat's configuration.
    if out.is_empty() || out.chars().all(|c| c == '-') { format!("_{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribution_scheme_renders_in_brat_syntax() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let role =
            |role: &str, cardinality, types: &[&str]| EventRole { role: role.into(), cardinality, types: s(types) };
        let conf = AnnotationConf {
            comment: vec!["Атрибуция: who said what".into()],
            entities: s(&["Source", "Cue", "Content"]),
            relations: vec![RelationType { name: "Coref".into(), arg1: s(&["Source"]), arg2: s(&["Source"]) }],
            any_overlap: true,
            events: vec![EventType {
                name: "Attribution".into(),
                roles: vec![
                    role("Source", Cardinality::Any, &["Source"]),
                    role("Cue", Cardinality::AtLeastOne, &["Cue"]),
                    role("Content", Cardinality::One, &["Content"]),
                    role("Pair", Cardinality::Range(2, 2), &["<ENTITY>"]),
                    role("Some", Cardinality::Range(0, 3), &["Source", "Cue"]),
                ],
            }],
            attributes: vec![
                AttributeType {
                    name: "Quote type".into(),
                    on: s(&["Attribution"]),
                    values: s(&["direct", "in|direct"]),
                },
                AttributeType { name: "Nested".into(), on: s(&["<EVENT>"]), values: vec![] },
            ],
        };
        assert_eq!(conf_name("Цитата"), "______");
        assert_eq!((conf_name("-"), conf_name("Attribution-no-source")), ("_-".into(), "Attribution-no-source".into()));
        assert_eq!(
            conf.render(),
            "# Атрибуция: who said what\n\
             [entities]\nSource\nCue\nContent\n\n\
             [relations]\nCoref\tArg1:Source, Arg2:Source\n\
             <OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n\
             [events]\nAttribution\tSource*:Source, Cue+:Cue, Content:Content, Pair{2}:<ENTITY>, Some{0-3}:Source|Cue\n\n\
             [attributes]\nQuote_type\tArg:Attribution, Value:direct|in_direct\nNested\tArg:<EVENT>\n"
        );
    }
}
