//! The codebook: a study's labels, attributes and relations, as data.
//!
//! Every content-analysis project brings its own scheme (source types, verdicts, quote
//! types…), so nothing in newsnote outside this module names a label. The TUI's tag keys,
//! menus, paint and help, the exports, `check` and `stats` all ask the [`Codebook`] in
//! effect: a new label, attribute or relation is an edit of `codebook.ron`, not of code.
//!
//! Without a codebook file the embedded default (`assets/codebook.ron`) applies: the scheme
//! of format 1 (Source, Claim, Boilerplate with nine kinds) plus a Cue label and a quote type
//! on claims. [`v1`] reads files written before labels were data into that scheme.
//!
//! An annotation whose label or value the codebook in effect does not define is never
//! dropped: [`Codebook::look`] gives it the "unknown" look, [`Codebook::describe`] names it
//! as it is, and `check` reports it.

mod listing;
mod load;
pub mod v1;

pub use load::{CodebookError, FILE_NAME, find_for, load_file};

/// Parses codebook text (errors name `codebook.ron`), for tests and tools that hold the text.
pub fn load_file_text(text: &str) -> Result<Codebook, CodebookError> {
    load::parse(std::path::Path::new(FILE_NAME), text)
}

use super::annotation::{Annotation, AttrValue, LabelId};
use super::look::{Attrs, Hue, LabelLook, Look};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The default codebook's text, embedded so a corpus without one works out of the box.
pub const DEFAULT_RON: &str = include_str!("../../../assets/codebook.ron");

/// A coding scheme. Field order is the order of menus, legends, columns and paint channels.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Codebook {
    /// The scheme's name, recorded in every annotation file coded with it.
    pub name: String,
    /// Its version: bump it when a change means something for existing coding.
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub labels: Vec<LabelDef>,
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    #[serde(default)]
    pub relations: Vec<RelationDef>,
    /// Which label and relations make an attribution (a claim, its sources, its cues): what
    /// quote-oriented formats (brat events, Citron) and counts by source are built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    /// Who the sources are across the corpus: which labels mention an entity of the
    /// corpus's registry, and what describes an entity (as opposed to one mention of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<EntitiesDef>,
    /// What the detectors' proposals become in this scheme (`newsnote suggest`): a detector
    /// knows only its own categories, so a codebook without this section gets no suggestions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<SuggestionsDef>,
    /// Lookups and looks, built once after loading.
    #[serde(skip)]
    index: Index,
}

/// One label of the scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelDef {
    /// What annotation files store: keep it stable once coding has started.
    pub id: String,
    /// What people read in menus and reports.
    pub name: String,
    /// The key that tags a selection with this label (one character).
    pub key: String,
    /// One letter for the sidebar and the list; the name's first letter by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    pub look: LookDef,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// Decision rules: how to decide the hard cases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Whether the label marks text that is not the article (boilerplate): `stats` reports
    /// the share of each article it covers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_article: bool,
}

/// How a label is painted: a colour, text styles, and what is left without colour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookDef {
    pub colour: Hue,
    #[serde(default)]
    pub style: Vec<TextStyle>,
    /// Styles without colour (`NO_COLOR`); `style` when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain: Option<Vec<TextStyle>>,
    /// The look of a span nested in (or touching) one of the same label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<NestedLookDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NestedLookDef {
    pub colour: Hue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<TextStyle>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain: Option<Vec<TextStyle>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextStyle {
    Bold,
    Underline,
    Italic,
    Dim,
}

/// A property coded on annotations of some labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// What annotation files store.
    pub id: String,
    pub name: String,
    /// The label ids it applies to (none for an attribute of entities).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    pub kind: AttrKind,
    /// A required one-of attribute is asked for when a span is tagged (the boilerplate kind
    /// menu); any required attribute left unset is reported by `check`.
    #[serde(default)]
    pub required: bool,
    /// The key that opens this attribute's menu from the attribute menu; its position
    /// (1, 2, …) when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
}

/// The type of an attribute's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AttrKind {
    /// One value of a set.
    One(Vec<ValueDef>),
    /// Several values of a set.
    Many(Vec<ValueDef>),
    Text,
    Number,
    YesNo,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Url,
}

impl AttrKind {
    /// The values of a set, empty for free values.
    pub fn values(&self) -> &[ValueDef] {
        match self {
            AttrKind::One(v) | AttrKind::Many(v) => v,
            _ => &[],
        }
    }

    /// The type's name in `newsnote codebook` and the JSON form: `one of`, `text`…
    pub fn type_name(&self) -> &'static str {
        match self {
            AttrKind::One(_) => "one of",
            AttrKind::Many(_) => "several of",
            AttrKind::Text => "text",
            AttrKind::Number => "number",
            AttrKind::YesNo => "yes/no",
            AttrKind::Date => "date",
            AttrKind::Url => "URL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueDef {
    pub id: String,
    pub name: String,
    /// One character, unique within the attribute.
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
    /// For an attribute of entities: the words that refer back to an entity with this
    /// value ("he", "him" for a man), which is how a pronoun finds the entity it means.
    /// In any language: they are the codebook's, not newsnote's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pronouns: Vec<String>,
}

/// The corpus's entities: one person or organisation, many mentions, in every article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitiesDef {
    /// What one is called in menus and reports ("source").
    #[serde(default = "entity_word")]
    pub name: String,
    /// The labels whose spans mention an entity (Source).
    pub mentions: Vec<String>,
    /// The registry's file, relative to the corpus root.
    #[serde(default = "registry_file")]
    pub file: String,
    /// What describes an entity (source type, gender…), coded once per entity.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    /// Words that can refer back to any entity ("they", "it"); the values of entity
    /// attributes list the pronouns that need that value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pronouns: Vec<String>,
}

fn entity_word() -> String {
    "entity".into()
}

fn registry_file() -> String {
    "sources.ron".into()
}

/// A link from annotations of some labels to annotations of others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationDef {
    pub id: String,
    pub name: String,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Whether one annotation may link to several (a claim with two sources).
    #[serde(default)]
    pub many: bool,
    /// Whether several annotations may link to the same target (a source makes several
    /// claims: shared; a cue belongs to one claim: not shared).
    #[serde(default = "yes")]
    pub shared: bool,
    /// Whether an annotation of a `from` label should have one (`check` and `]u` find those
    /// without).
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
}

/// The parts of an attribution, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The label of what is attributed (the content: a claim, a quote).
    pub content: String,
    /// The relation from the content to who says it.
    pub source: String,
    /// The relation from the content to the words that attribute it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
}

/// Which labels and values the detectors' categories become.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SuggestionsDef {
    /// Boilerplate proposals: their label, and the value each kind of boilerplate sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boilerplate: Option<CategoryMap>,
    /// Quote proposals: the content label (the attribution's, so that the source and cue
    /// relations link them), and the value each way of quoting (direct, indirect, mixed) sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotes: Option<CategoryMap>,
}

/// One detector's categories as one label and, optionally, values of one of its attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryMap {
    pub label: String,
    /// A one-of attribute of `label` the category sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// Detector category id → value id of `attribute`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    /// The value for a category `values` does not name; without it such a proposal is not made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<String>,
}

impl CategoryMap {
    /// The value a detector category becomes: `Some(None)` when the map sets no attribute,
    /// `None` when the category is not proposed in this scheme.
    pub fn value_of(&self, category: &str) -> Option<Option<&str>> {
        if self.attribute.is_none() {
            return Some(None);
        }
        self.values.get(category).or(self.otherwise.as_ref()).map(|v| Some(v.as_str()))
    }
}

fn yes() -> bool {
    true
}

/// What an annotation file records about the codebook it was coded with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodebookRef {
    pub name: String,
    pub version: String,
    /// FNV-1a 64 of the codebook's canonical JSON form, 16 hex digits: changes with any
    /// change of meaning, not with comments or layout.
    pub hash: String,
}

#[derive(Debug, Clone, Default)]
struct Index {
    labels: HashMap<String, usize>,
    attributes: HashMap<String, usize>,
    relations: HashMap<String, usize>,
    looks: Vec<LabelLook>,
    unknown: Option<LabelLook>,
    hash: String,
}

impl Codebook {
    /// The embedded default codebook.
    pub fn default_scheme() -> &'static Codebook {
        static DEFAULT: std::sync::OnceLock<Codebook> = std::sync::OnceLock::new();
        DEFAULT.get_or_init(|| {
            load::parse(std::path::Path::new("assets/codebook.ron"), DEFAULT_RON)
                .expect("the embedded codebook is valid (a unit test checks it)")
        })
    }

    /// Builds the lookups and looks; called once by the loader after validation.
    fn indexed(mut self) -> Self {
        let pos = |ids: Vec<&String>| ids.into_iter().enumerate().map(|(i, s)| (s.clone(), i)).collect();
        self.index.labels = pos(self.labels.iter().map(|l| &l.id).collect());
        self.index.attributes = pos(self.attributes.iter().map(|a| &a.id).collect());
        self.index.relations = pos(self.relations.iter().map(|r| &r.id).collect());
        let n = self.labels.len();
        // The first label is painted last, so its colour wins where spans overlap; channel 0
        // is the unknown label's, under everything.
        self.index.looks = self.labels.iter().enumerate().map(|(i, l)| label_look(l, n - i)).collect();
        // A letter given in the file is kept; one taken from the name moves on to the name's
        // next letter while another label has it (Claim C, Cue U), so the sidebar tells them apart.
        let given: Vec<String> = self.labels.iter().filter_map(|l| l.letter.clone()).collect();
        let mut taken: Vec<String> = given.clone();
        for (l, look) in self.labels.iter().zip(self.index.looks.iter_mut()) {
            if l.letter.is_some() {
                continue;
            }
            let free = l
                .name
                .chars()
                .filter(|c| c.is_alphanumeric())
                .map(|c| c.to_uppercase().collect::<String>())
                .find(|c| !taken.contains(c));
            look.letter = free.unwrap_or_else(|| "?".into());
            taken.push(look.letter.clone());
        }
        self.index.unknown = Some(unknown_look());
        self.index.hash = format!(
            "{:016x}",
            super::fsio::content_hash(serde_json::to_string(&self).expect("a codebook serialises").as_bytes())
        );
        self
    }

    pub fn label(&self, id: &str) -> Option<&LabelDef> {
        self.index.labels.get(id).map(|&i| &self.labels[i])
    }

    /// Whether the codebook defines `id`.
    pub fn knows(&self, id: &LabelId) -> bool {
        self.index.labels.contains_key(id.as_str())
    }

    pub fn attribute(&self, id: &str) -> Option<&AttributeDef> {
        self.index.attributes.get(id).map(|&i| &self.attributes[i])
    }

    pub fn relation(&self, id: &str) -> Option<&RelationDef> {
        self.index.relations.get(id).map(|&i| &self.relations[i])
    }

    /// The label with this tag key.
    pub fn label_for_key(&self, key: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.key == key)
    }

    /// The attributes that apply to a label, in codebook order.
    pub fn attributes_for<'a>(&'a self, label: &str) -> impl Iterator<Item = &'a AttributeDef> {
        self.attributes.iter().filter(move |a| a.labels.iter().any(|l| l == label))
    }

    /// The relations an annotation of `label` links from, in codebook order.
    pub fn relations_from<'a>(&'a self, label: &str) -> impl Iterator<Item = &'a RelationDef> {
        self.relations.iter().filter(move |r| r.from.iter().any(|l| l == label))
    }

    /// The relations whose targets may be of `label`.
    pub fn relations_to<'a>(&'a self, label: &str) -> impl Iterator<Item = &'a RelationDef> {
        self.relations.iter().filter(move |r| r.to.iter().any(|l| l == label))
    }

    /// The one-of attribute asked for when a span of `label` is tagged, if any: the first
    /// required one.
    pub fn asked_on_tag(&self, label: &str) -> Option<&AttributeDef> {
        self.attributes_for(label).find(|a| a.required && matches!(a.kind, AttrKind::One(_)))
    }

    /// Whether spans of `label` mention an entity of the registry.
    pub fn mentions_entity(&self, label: &LabelId) -> bool {
        self.entities.as_ref().is_some_and(|e| e.mentions.iter().any(|l| l == label.as_str()))
    }

    /// An attribute of entities, by id.
    pub fn entity_attribute(&self, id: &str) -> Option<&AttributeDef> {
        self.entities.as_ref().and_then(|e| e.attributes.iter().find(|a| a.id == id))
    }

    /// The attributes of entities, in codebook order (none without `entities`).
    pub fn entity_attributes(&self) -> &[AttributeDef] {
        self.entities.as_ref().map_or(&[], |e| &e.attributes)
    }

    /// The display name of an entity attribute's value (see [`value_name`](Self::value_name)).
    pub fn entity_value_name(&self, attribute: &str, value: &AttrValue) -> String {
        match self.entity_attribute(attribute) {
            Some(def) => value_name_in(def, value),
            None => value.to_string(),
        }
    }

    /// The relation that links content to its source, if the codebook names one.
    pub fn source_relation(&self) -> Option<&RelationDef> {
        self.attribution.as_ref().and_then(|a| self.relation(&a.source))
    }

    /// The relation that links content to its cue, if the codebook names one.
    pub fn cue_relation(&self) -> Option<&RelationDef> {
        self.attribution.as_ref().and_then(|a| a.cue.as_deref()).and_then(|c| self.relation(c))
    }

    /// Whether annotations of `label` are attributed content (claims).
    pub fn is_content(&self, label: &LabelId) -> bool {
        self.attribution.as_ref().is_some_and(|a| a.content == label.as_str())
    }

    /// Whether annotations of `label` can be the source of content.
    pub fn is_source(&self, label: &LabelId) -> bool {
        self.source_relation().is_some_and(|r| r.to.iter().any(|l| l == label.as_str()))
    }

    /// How many paint channels the looks use (`0..channels()`; 0 is the unknown label's).
    pub fn channels(&self) -> usize {
        self.labels.len() + 1
    }

    /// The look of a label; an id the codebook does not define gets the "unknown" look.
    pub fn look(&self, id: &LabelId) -> &LabelLook {
        match self.index.labels.get(id.as_str()) {
            Some(&i) => &self.index.looks[i],
            None => self.index.unknown.as_ref().expect("indexed codebooks have an unknown look"),
        }
    }

    /// Every label with its look, in codebook order, for legends and stylesheets.
    pub fn legend(&self) -> impl Iterator<Item = (&LabelDef, &LabelLook)> {
        self.labels.iter().zip(&self.index.looks)
    }

    /// The label's name, or its id marked unknown.
    pub fn label_name(&self, id: &LabelId) -> String {
        match self.label(id.as_str()) {
            Some(l) => l.name.clone(),
            None => format!("{id} (not in the codebook)"),
        }
    }

    /// The display name of a value of an attribute: the value's name for a set, the text
    /// otherwise; a value the codebook lacks is shown as it is, marked.
    pub fn value_name(&self, attribute: &str, value: &AttrValue) -> String {
        match self.attribute(attribute) {
            Some(def) => value_name_in(def, value),
            None => value.to_string(),
        }
    }

    /// How an annotation is named in messages and the sidebar: the label's name, with the
    /// value of the attribute asked on tagging in parentheses (`Boilerplate (donation
    /// appeal)`).
    pub fn describe(&self, a: &Annotation) -> String {
        let name = self.label_name(&a.label);
        let asked = self.asked_on_tag(a.label.as_str()).and_then(|d| a.attributes.get(&d.id).map(|v| (d, v)));
        match asked {
            Some((d, v)) => format!("{name} ({})", self.value_name(&d.id, v)),
            None => name,
        }
    }

    /// What annotation files record about this codebook.
    pub fn reference(&self) -> CodebookRef {
        CodebookRef { name: self.name.clone(), version: self.version.clone(), hash: self.index.hash.clone() }
    }

    /// What an annotation holds that this codebook does not define: an unknown label,
    /// attribute, value or relation, or a value of the wrong type. Empty when it all fits.
    pub fn misfits(&self, a: &Annotation) -> Vec<String> {
        let mut out = Vec::new();
        if !self.knows(&a.label) {
            out.push(format!("label {:?} is not in codebook {:?}", a.label.as_str(), self.name));
        }
        for (id, value) in &a.attributes {
            let Some(def) = self.attribute(id) else {
                out.push(format!("attribute {id:?} is not in the codebook"));
                continue;
            };
            if self.knows(&a.label) && !def.labels.iter().any(|l| l == a.label.as_str()) {
                out.push(format!("attribute {id:?} does not apply to {}", a.label));
            }
            if let Some(why) = value.misfit(&def.kind) {
                out.push(format!("attribute {id:?}: {why}"));
            }
        }
        for rel in a.links.keys() {
            match self.relation(rel) {
                None => out.push(format!("relation {rel:?} is not in the codebook")),
                Some(r) if self.knows(&a.label) && !r.from.iter().any(|l| l == a.label.as_str()) => {
                    out.push(format!("relation {rel:?} does not start at {}", a.label))
                }
                Some(_) => {}
            }
        }
        out
    }
}

/// A value's name as `def` defines it; one it lacks shown as it is, marked.
fn value_name_in(def: &AttributeDef, value: &AttrValue) -> String {
    let name = |v: &str| match def.kind.values().iter().find(|d| d.id == v) {
        Some(d) => d.name.clone(),
        None if def.kind.values().is_empty() => v.to_owned(),
        None => format!("{v}?"),
    };
    match value {
        AttrValue::One(v) => name(v),
        AttrValue::Many(vs) => vs.iter().map(|v| name(v)).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn attrs(styles: &[TextStyle]) -> Attrs {
    let has = |s| styles.contains(&s);
    Attrs {
        bold: has(TextStyle::Bold),
        underline: has(TextStyle::Underline),
        italic: has(TextStyle::Italic),
        dim: has(TextStyle::Dim),
    }
}

fn label_look(l: &LabelDef, channel: usize) -> LabelLook {
    let style = attrs(&l.look.style);
    let plain = l.look.plain.as_deref().map_or(style, attrs);
    let base = Look { hue: l.look.colour, attrs: style, plain };
    // Without a nested look: the partner hue, and italic (or, if already italic, not) so
    // nesting shows without colour as well.
    let toggled = Attrs { italic: !plain.italic, ..plain };
    let nested = match &l.look.nested {
        Some(n) => {
            let s = n.style.as_deref().map_or(style, attrs);
            Look { hue: n.colour, attrs: s, plain: n.plain.as_deref().map_or(toggled, attrs) }
        }
        None => Look { hue: l.look.colour.partner(), attrs: style, plain: toggled },
    };
    let letter =
        l.letter.clone().unwrap_or_else(|| l.name.chars().next().map_or("?".into(), |c| c.to_uppercase().collect()));
    LabelLook {
        base,
        nested,
        channel,
        class: css_class(&l.id),
        letter,
        meaning: l.definition.split_inclusive(['.', ':']).next().unwrap_or("").trim_end_matches(['.', ':']).to_owned(),
    }
}

/// Labels a file holds that the codebook does not: reverse video, so they cannot pass for
/// coded text, in every renderer.
fn unknown_look() -> LabelLook {
    let a = Attrs { dim: true, underline: true, ..Attrs::NONE };
    LabelLook {
        base: Look { hue: Hue::Red, attrs: a, plain: a },
        nested: Look { hue: Hue::Magenta, attrs: a, plain: Attrs { italic: true, ..a } },
        channel: 0,
        class: "unknown-label".into(),
        letter: "?".into(),
        meaning: "a label the codebook does not define".into(),
    }
}

/// A CSS class from a label id: lowercase ASCII letters, digits, `-` and `_`, anything else
/// as `_` and its hex code, so any id gives a valid class name.
pub fn css_class(id: &str) -> String {
    let mut s = String::new();
    for c in id.chars() {
        match c {
            'a'..='z' | '0'..='9' | '-' => s.push(c),
            '_' => s.push_str("__"),
            'A'..='Z' => s.push(c.to_ascii_lowercase()),
            _ => s.push_str(&format!("_{:x}", c as u32)),
        }
    }
    s
}

#[cfg(test)]
mod tests;
