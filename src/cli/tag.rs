//! `tag`: add an annotation from a script, located by its quote.
//!
//! Its messages name the article and the ids it was given; like every command's, they reach
//! a terminal through the sanitiser (`warn`, and `main` for errors).

use super::inspect::resolve;
use super::{Common, Problems, warn};
use crate::import::parse_label;
use crate::model::annotation::{Annotation, AnnotationId, Label, default_author, now_rfc3339};
use crate::model::document::{Document, Edit};
use crate::model::units::ByteRange;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// An article file, or an article id / file stem in the corpus (--in, else the samples).
    pub article: String,
    /// source, claim, boilerplate or boilerplate:KIND (e.g. boilerplate:DonationAppeal).
    #[arg(long, value_parser = label_arg)]
    pub label: Label,
    /// The exact text to tag.
    #[arg(long)]
    pub quote: String,
    /// Which occurrence of the quote, counting from 1, when it occurs more than once.
    #[arg(long, value_name = "N")]
    pub occurrence: Option<usize>,
    /// A note on the annotation.
    #[arg(long)]
    pub note: Option<String>,
    /// For a claim: the id of the Source annotation that makes it.
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// The corpus to look the article up in.
    #[arg(long = "in", value_name = "PATH")]
    pub corpus: Option<PathBuf>,
}

fn label_arg(s: &str) -> Result<Label, String> {
    parse_label(s).ok_or_else(|| {
        "expected source, claim, boilerplate or boilerplate:KIND (DuplicateHeadline, DonationAppeal, Copyright, \
         Newsletter, Navigation, Advertisement, RelatedLinks, TemplateResidue, Other)"
            .into()
    })
}

pub fn run(args: TagArgs, common: &Common) -> anyhow::Result<()> {
    let (corpus, i) = resolve(&args.article, args.corpus.as_deref(), common)?;
    let entry = &corpus.entries[i];
    let mut doc = Document::open(entry)?;
    if let Some(why) = &doc.read_only {
        return Err(Problems(format!("not changed: {why}")).into());
    }
    // Saving now would write the re-anchored places of every other annotation without anyone
    // having looked at them: a person decides those first.
    if let Some(t) = doc.reanchored.filter(|t| t.moved + t.changed + t.orphaned > 0) {
        return Err(Problems(format!(
            "not changed: {} changed since it was annotated ({t}); review the re-anchored annotations first \
             (the TUI's ! list, or newsnote check --fix for the confident ones), then tag again",
            entry.id
        ))
        .into());
    }
    let text = &doc.article.text;
    if args.quote.is_empty() {
        anyhow::bail!("--quote is empty");
    }
    let found: Vec<usize> = text.match_indices(&args.quote).map(|(b, _)| b).collect();
    let at = match (found.len(), args.occurrence) {
        (0, _) => return Err(Problems(format!("{:?} does not occur in {}", args.quote, entry.id)).into()),
        (1, None | Some(1)) => found[0],
        (n, Some(k)) if (1..=n).contains(&k) => found[k - 1],
        (n, Some(k)) => {
            return Err(
                Problems(format!("--occurrence {k}: {:?} occurs {n} time(s) in {}", args.quote, entry.id)).into()
            );
        }
        (n, None) => {
            let places: Vec<String> = found
                .iter()
                .enumerate()
                .map(|(k, &b)| format!("  --occurrence {}: code point {}", k + 1, doc.article.index.char_of(text, b)))
                .collect();
            return Err(Problems(format!(
                "{:?} occurs {n} times in {}; choose one:\n{}",
                args.quote,
                entry.id,
                places.join("\n")
            ))
            .into());
        }
    };
    let bytes = ByteRange::new(at, at + args.quote.len());
    let chars = doc.article.index.to_chars(text, bytes);
    let mut ann = Annotation::new_manual(
        args.label,
        text,
        bytes,
        chars,
        &default_author(common.annotator.as_deref()),
        &now_rfc3339(),
    );
    ann.note = args.note.filter(|n| !n.trim().is_empty());
    if let Some(src) = args.source {
        let id = AnnotationId(src);
        match doc.get(&id) {
            _ if args.label != Label::Claim => {
                anyhow::bail!("--source is for claims only (the label is {})", args.label)
            }
            Some(s) if s.label == Label::Source => ann.source = Some(id),
            Some(s) => return Err(Problems(format!("{id} is a {}, not a Source", s.label)).into()),
            None => return Err(Problems(format!("no annotation {id} in {}", entry.id)).into()),
        }
    }
    let id = ann.id.clone();
    doc.apply(&Edit::Insert(ann));
    // Another writer (a TUI on the same folder) may have saved since we read: merge, never clobber.
    let report = crate::model::save::save(doc.save_request())?;
    if report.vanished {
        warn(format_args!(
            "newsnote: note: {} had disappeared since it was read; it was written again",
            entry.ron_path.display()
        ));
    }
    for r in &report.repairs {
        warn(format_args!("newsnote: note: {r}"));
    }
    println!("{id}");
    Ok(())
}
