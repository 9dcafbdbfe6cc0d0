//! brat's standoff format as brat itself sees it, owned by neither the import nor the export.
//!
//! Real attribution corpora are coded in brat as events (`E1\tAttribution:T4 Content:T3
//! Cue:T2 Source:T1`) over discontinuous spans, with attributes, notes and normalisations, and
//! they carry the odd line no reader can parse. Mapping such a file straight onto newsnote's
//! annotations mixed two questions (what does the line say? what does it mean here?) and lost
//! data at each. So the format has its own model here: [`BratDoc`] holds every kind of line
//! brat knows, exactly as written (ids, types, roles, fragments, values), [`parse`] reads an
//! `.ann` the way brat's own reader does (a malformed line is skipped with a [`Warning`] naming
//! its file and line, never the whole file), [`write_ann`] writes one back, and
//! [`conf::AnnotationConf`] writes the `annotation.conf` that declares the types. The mapping
//! between this model and newsnote's annotations lives in `import::brat` and `export::brat`.

pub mod conf;
mod doc;
pub mod events;
pub mod names;
mod parse;
mod write;

pub use doc::{Attribute, BratDoc, CharSpan, Entity, Equivalence, Event, Normalization, Note, Relation, Role};
pub use parse::{Warning, parse};
pub use write::write_ann;
