//! The codebook as a person reads it: `newsnote codebook` prints it and the TUI's codebook
//! overlay (`K`) shows it, so both say the same.

use super::{AttrKind, Codebook};
use std::fmt::Write as _;

impl Codebook {
    /// The codebook as a person reads it: each label with its key, definition, examples and
    /// rules, then attributes (with their values' keys) and relations.
    pub fn listing(&self) -> String {
        let b = self;
        let mut out = String::new();
        let r = b.reference();
        let _ = writeln!(out, "{} — version {} (hash {})", b.name, b.version, r.hash);
        if !b.description.is_empty() {
            let _ = writeln!(out, "{}", b.description);
        }
        let _ = writeln!(out, "\nLabels (key, id, name):");
        for l in &b.labels {
            let _ = writeln!(out, "  {}  {:<14} {}", l.key, l.id, l.name);
            if !l.definition.is_empty() {
                let _ = writeln!(out, "       {}", l.definition);
            }
            for e in &l.examples {
                let _ = writeln!(out, "       e.g. {e}");
            }
            for rule in &l.rules {
                let _ = writeln!(out, "       rule: {rule}");
            }
            let attrs: Vec<&str> = b.attributes_for(&l.id).map(|a| a.name.as_str()).collect();
            if !attrs.is_empty() {
                let _ = writeln!(out, "       attributes: {}", attrs.join(", "));
            }
        }
        if !b.attributes.is_empty() {
            let _ = writeln!(out, "\nAttributes:");
        }
        for (n, a) in b.attributes.iter().enumerate() {
            let key = a.key.clone().unwrap_or_else(|| (n + 1).to_string());
            let req = if a.required { ", required" } else { "" };
            let _ =
                writeln!(out, "  {key}  {} ({}): {} on {}{req}", a.name, a.id, a.kind.type_name(), a.labels.join(", "));
            if !a.definition.is_empty() {
                let _ = writeln!(out, "       {}", a.definition);
            }
            if let AttrKind::One(values) | AttrKind::Many(values) = &a.kind {
                for v in values {
                    let def = if v.definition.is_empty() { String::new() } else { format!(" — {}", v.definition) };
                    let _ = writeln!(out, "       {}  {} ({}){def}", v.key, v.name, v.id);
                }
            }
        }
        if !b.relations.is_empty() {
            let _ = writeln!(out, "\nRelations:");
        }
        for rel in &b.relations {
            let many = if rel.many { "several" } else { "one" };
            let shared = if rel.shared { "" } else { "; each target belongs to one" };
            let req = if rel.required { ", required" } else { "" };
            let _ = writeln!(
                out,
                "  {} ({}): {} → {} ({many}{shared}{req})",
                rel.name,
                rel.id,
                rel.from.join("|"),
                rel.to.join("|")
            );
            if !rel.definition.is_empty() {
                let _ = writeln!(out, "       {}", rel.definition);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_names_every_label_key_value_and_relation() {
        let b = Codebook::default_scheme();
        let text = b.listing();
        for l in &b.labels {
            assert!(text.contains(&format!("  {}  {:<14} {}", l.key, l.id, l.name)), "{text}");
        }
        assert!(text.contains("d  donation appeal (DonationAppeal)"), "{text}");
        assert!(text.contains("source (source): Claim → Source (several, required)"), "{text}");
        assert!(text.contains("cue (cue): Claim → Cue (several; each target belongs to one)"), "{text}");
    }
}
