//! brat's vocabulary as newsnote writes and reads it: the type, relation, attribute and
//! note names, and which characters brat treats as line breaks and whitespace.
//!
//! The exporter (`export::brat`), the importer (`import::brat`) and the `.ann` writer must
//! agree on these, so they live here, owned by none of them: a change to one side's code cannot
//! silently change the names the other expects, and neither mapping imports the other.

/// The entity types written, in `annotation.conf` order.
pub const ENTITY_TYPES: [&str; 3] = ["Source", "Claim", "Boilerplate"];
/// The relation from a claim (`Arg1`) to its source (`Arg2`).
pub const ATTRIBUTION: &str = "AttributedTo";
/// The attribute carrying a boilerplate span's kind.
pub const KIND: &str = "Kind";
/// The event type an attribution is written as, and read from (PolNeAR's name).
pub const ATTRIBUTION_EVENT: &str = "Attribution";
/// The event role of what is attributed (the claim); the other roles are relation names.
pub const CONTENT_ROLE: &str = "Content";
/// brat's comment type for free-text notes.
pub const NOTES: &str = "AnnotatorNotes";

/// The normalisation type of an `N` line (brat's only one).
pub const REFERENCE: &str = "Reference";
/// The normalisation database of newsnote's entity registry: `newsnote:dmitry-peskov`.
pub const REGISTRY_DB: &str = "newsnote";
/// The normalisation database of Wikidata ids: `Wikidata:Q4526468`.
pub const WIKIDATA_DB: &str = "Wikidata";

/// Characters that end a line for brat's `.ann` reader (Python's `str.splitlines`).
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whitespace as Python's `str.isspace` sees it (what brat trims).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_spaces_are_pythons() {
        for c in ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\x1c'] {
            assert!(is_line_break(c) && is_space(c), "{c:?}");
        }
        assert!(!is_line_break('\t') && is_space('\t'));
        assert!(!is_line_break('ж') && !is_space('ж') && is_space('\u{3000}'), "CJK space is whitespace");
    }
}
